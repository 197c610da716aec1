import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitCommandLine } from './command-line.ts';
import type { TextMark } from './prompter.ts';

export interface OpenEditorOptions {
  /** How the editor reaches the terminal; `inherit` in production. */
  stdio?: 'inherit' | 'ignore' | 'pipe';
  /** Told, in words, why the editor could not be used (or what looks odd). */
  tell?: (message: string) => void;
  /** Below this many milliseconds an unchanged file means the editor did not wait. Default 1000. */
  minimumWaitMs?: number;
  /** Folder for the temp folder (tests). Default: the system temp folder. */
  tmpDir?: string;
  /** Clock in milliseconds (tests). */
  now?: () => number;
  /**
   * The question, written at the top of the file as `#` comment lines (with how to save and close)
   * and stripped from the text on return.
   */
  question?: string;
  /**
   * Editors tried, in order, when neither `$VISUAL` nor `$EDITOR` is set. Default: nano, then vi;
   * on Windows Notepad, which every Windows has.
   */
  fallbacks?: readonly string[];
  /** Whose conventions apply (tests): Windows has Notepad, `%EDITOR%` and CRLF. */
  platform?: NodeJS.Platform;
  /**
   * Lines of the text to point at: each named in a comment line at the top (with its line in the
   * file), and the editor opened on the first where it says how (`+N` for vi, nano, emacs…).
   */
  marks?: readonly TextMark[];
}

/** The fallback editors, with the words that tell a newcomer how to save and close them. */
const FALLBACK_HELP: Record<string, string> = {
  nano: 'This is nano: type your answer, then press Ctrl-O and Enter to save, and Ctrl-X to close.',
  vi: 'This is vi: press i to type, then Esc and type :wq and Enter to save and close.',
  notepad: 'This is Notepad: type your answer, then save it (Ctrl-S) and close the window.',
};

/** How to choose another editor, in the words of the user's shell. */
const OTHER_EDITOR = {
  posix: { name: '$EDITOR', example: 'export EDITOR=nano' },
  win32: { name: '%EDITOR%', example: 'setx EDITOR "code --wait", then open a new window' },
} as const;
const otherEditor = (platform: NodeJS.Platform) => OTHER_EDITOR[platform === 'win32' ? 'win32' : 'posix'];

/** Comment lines put above the text in the editor's file; removed again on return. */
export function editorHeader(
  question: string | undefined,
  fallback: string | undefined,
  platform: NodeJS.Platform = process.platform,
  marks: readonly TextMark[] = [],
): string[] {
  const lines: string[] = [];
  if (question) for (const l of question.split('\n')) lines.push(`# ${l}`.trimEnd());
  lines.push(
    '# Write your answer below. Lines starting with # are removed. Save and close the editor to use it.',
  );
  const help = fallback ? FALLBACK_HELP[fallback] : undefined;
  const other = otherEditor(platform);
  if (help)
    lines.push(`# ${help}`, `# (To use another editor, set ${other.name}, for example: ${other.example})`);
  if (marks.length === 0) return lines;
  // the marks' lines in the file: after these comment lines, the marks' own, and one blank line
  const offset = lines.length + marks.length + 1;
  for (const m of marks)
    lines.push(
      `# >>> Line ${m.line} of your answer (line ${offset + m.line} of this file) ${m.note}.`.replace(
        /\n/g,
        ' ',
      ),
    );
  return lines;
}

/** Editors that open a file at line N when given `+N` before it. */
const PLUS_LINE_EDITORS = new Set([
  'vi',
  'vim',
  'nvim',
  'view',
  'nano',
  'pico',
  'emacs',
  'emacsclient',
  'micro',
  'joe',
  'jed',
  'ne',
  'mg',
  'kak',
]);
/** Editors that take `--goto file:line:column`. */
const GOTO_EDITORS = new Set(['code', 'code-insiders', 'codium']);

/**
 * The arguments that open `file` in `command` with the cursor at `line` (1-based) where the editor is
 * known to take one; otherwise just the file.
 */
export function fileArguments(command: string, file: string, line?: number, column = 1): string[] {
  if (line === undefined) return [file];
  const name = (command.split(/[\\/]/).pop() ?? '').replace(/\.exe$/i, '');
  if (PLUS_LINE_EDITORS.has(name)) return [`+${line}`, file];
  if (GOTO_EDITORS.has(name)) return ['--goto', `${file}:${line}:${column}`];
  return [file];
}

/**
 * The text of an editor's file without the comment lines we put at its top: only lines identical to
 * ours are removed (so an answer's own `#` line is kept), then one blank line after them, and the
 * final line end.
 */
export function stripEditorHeader(text: string, header: readonly string[]): string {
  const ours = new Set(header);
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length && ours.has(lines[i] as string)) i++;
  if (i > 0 && lines[i] === '') i++;
  return lines.slice(i).join('\n').replace(/\n$/, '');
}

export const NO_EDITOR_MESSAGE =
  'No editor found: set $EDITOR (e.g. export EDITOR=nano) or type your answer here instead.';

export { splitCommandLine };

/** `$VISUAL`, then `$EDITOR`; undefined when neither names anything. */
export function editorCommand(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of ['VISUAL', 'EDITOR'] as const) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

type EditorRun = { ok: true } | { ok: false; reason: string; missing?: boolean };

function runEditor(
  command: string,
  file: string,
  env: NodeJS.ProcessEnv,
  stdio: 'inherit' | 'ignore' | 'pipe',
  at?: { line: number; column: number },
): Promise<EditorRun> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      if (process.platform === 'win32') {
        // Windows editors are often .cmd shims (code.cmd), which Node only starts through a shell.
        child = spawn(`${command} "${file}"`, { stdio, env, shell: true });
      } else {
        const [cmd, ...args] = splitCommandLine(command);
        if (!cmd) {
          resolve({ ok: false, reason: NO_EDITOR_MESSAGE });
          return;
        }
        child = spawn(cmd, [...args, ...fileArguments(cmd, file, at?.line, at?.column)], { stdio, env });
      }
    } catch (error) {
      resolve({ ok: false, reason: `Could not start the editor "${command}": ${(error as Error).message}` });
      return;
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        resolve({ ok: false, reason: `The editor "${command}" was not found.`, missing: true });
      } else {
        resolve({ ok: false, reason: `Could not start the editor "${command}": ${error.message}` });
      }
    });
    child.once('exit', (code, signal) => {
      if (code === 0) resolve({ ok: true });
      else
        resolve({
          ok: false,
          reason: signal
            ? `The editor "${command}" was stopped (${signal}), so its text was not used.`
            : `The editor "${command}" exited with code ${code}, so its text was not used.`,
        });
    });
  });
}

/**
 * Open `$VISUAL`/`$EDITOR` on `initial` in a private temp file (`.md`, mode 0600), wait for the editor
 * to exit and return the file's text. Returns `undefined` after telling the user why when no editor is
 * set, it cannot be started, it fails, or it returned at once without a change (an editor that does not
 * wait, such as `code` without `--wait`). Text is never lost: when the edited file cannot be read back,
 * or the editor failed after the file was changed, the temp file is kept and its path is given.
 */
export async function openEditor(
  initial: string,
  env: NodeJS.ProcessEnv,
  options: OpenEditorOptions = {},
): Promise<string | undefined> {
  const tell = options.tell ?? (() => {});
  const now = options.now ?? Date.now;
  const platform = options.platform ?? process.platform;
  const chosen = editorCommand(env);
  const candidates = chosen ? [chosen] : [...(options.fallbacks ?? defaultFallbacks(platform))];
  if (candidates.length === 0) {
    tell(NO_EDITOR_MESSAGE);
    return undefined;
  }
  let dir: string;
  try {
    dir = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'kinship-reflect-'));
  } catch (error) {
    tell(
      `Could not prepare a file for the editor (${(error as Error).message}). Type your answer here instead.`,
    );
    return undefined;
  }
  const file = join(dir, 'answer.md');
  for (const [n, command] of candidates.entries()) {
    const header = editorHeader(options.question, chosen ? undefined : command, platform, options.marks);
    const result = await editOnce(command, file, dir, initial, header, env, {
      ...options,
      tell,
      now,
      platform,
    });
    if (result !== NOT_FOUND) return result;
    if (n === candidates.length - 1) {
      tell(chosen ? notFound(command, platform) : NO_EDITOR_MESSAGE);
      await rm(dir, { recursive: true, force: true });
    }
  }
  return undefined;
}

const defaultFallbacks = (platform: NodeJS.Platform) => (platform === 'win32' ? ['notepad'] : ['nano', 'vi']);
const NOT_FOUND = Symbol('not found');

function notFound(command: string, platform: NodeJS.Platform = process.platform): string {
  const other = otherEditor(platform);
  return `The editor "${command}" was not found. Set ${other.name} to an editor you have (e.g. ${other.example}), or type your answer here instead.`;
}

/**
 * The text of an edited file as the interview stores it. Notepad and other Windows editors save
 * line ends as CRLF and may add a byte-order mark; "Save as Unicode" in Notepad writes UTF-16.
 */
export function decodeEditedText(bytes: Buffer): string {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = bytes.subarray(2).toString('utf16le');
  else text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  return text.replace(/\r\n?/g, '\n');
}

/** One editor on the file: the text (header stripped), undefined after telling why, or NOT_FOUND. */
async function editOnce(
  command: string,
  file: string,
  dir: string,
  initial: string,
  header: readonly string[],
  env: NodeJS.ProcessEnv,
  options: OpenEditorOptions & { tell: (m: string) => void; now: () => number; platform: NodeJS.Platform },
): Promise<string | undefined | typeof NOT_FOUND> {
  const { tell, now } = options;
  const base = initial.replace(/\n$/, '');
  const content = `${[...header, ''].join('\n')}\n${initial === '' ? '' : `${initial.replace(/\n$/, '')}\n`}`;
  try {
    // a byte-order mark makes every Notepad read and save the file as UTF-8 (before Windows 10
    // 1903 it took a file without one for the local code page); decodeEditedText removes it again
    await writeFile(file, options.platform === 'win32' ? `\uFEFF${content}` : content, { mode: 0o600 });
  } catch (error) {
    tell(
      `Could not prepare a file for the editor (${(error as Error).message}). Type your answer here instead.`,
    );
    return undefined;
  }
  const started = now();
  // the first mark's line in the file: after the comment lines and the blank line below them
  const first = options.marks?.[0];
  const at = first ? { line: header.length + 1 + first.line, column: first.column ?? 1 } : undefined;
  const run = await runEditor(command, file, env, options.stdio ?? 'inherit', at);
  if (!run.ok && run.missing) return NOT_FOUND;
  const elapsed = now() - started;
  let text: string;
  try {
    text = stripEditorHeader(decodeEditedText(await readFile(file)), header);
  } catch (error) {
    tell(
      `Could not read back the edited text (${(error as Error).message}). If you saved it, it is in ${file}. Type your answer here instead.`,
    );
    return undefined;
  }
  if (!run.ok) {
    if (text !== base) {
      tell(`${run.reason} What you wrote is kept in ${file}. Type your answer here instead.`);
    } else {
      tell(`${run.reason} Type your answer here instead.`);
      await rm(dir, { recursive: true, force: true });
    }
    return undefined;
  }
  await rm(dir, { recursive: true, force: true });
  if (text === base && elapsed < (options.minimumWaitMs ?? 1000)) {
    tell(
      `The editor "${command}" closed at once and the text is unchanged. Some editors return before you have edited: make yours wait (for example ${options.platform === 'win32' ? 'setx EDITOR "code --wait"' : 'export EDITOR="code --wait"'}), or type your answer here instead.`,
    );
    return undefined;
  }
  return text;
}
