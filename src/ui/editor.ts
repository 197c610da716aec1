import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
   * Editors tried, in order, when neither `$VISUAL` nor `$EDITOR` is set. Default: nano, then vi
   * (a Windows fallback belongs here too).
   */
  fallbacks?: readonly string[];
}

/** The fallback editors, with the words that tell a newcomer how to save and close them. */
const FALLBACK_HELP: Record<string, string> = {
  nano: 'This is nano: type your answer, then press Ctrl-O and Enter to save, and Ctrl-X to close.',
  vi: 'This is vi: press i to type, then Esc and type :wq and Enter to save and close.',
};

/** Comment lines put above the text in the editor's file; removed again on return. */
export function editorHeader(question: string | undefined, fallback: string | undefined): string[] {
  const lines: string[] = [];
  if (question) for (const l of question.split('\n')) lines.push(`# ${l}`.trimEnd());
  lines.push(
    '# Write your answer below. Lines starting with # are removed. Save and close the editor to use it.',
  );
  const help = fallback ? FALLBACK_HELP[fallback] : undefined;
  if (help)
    lines.push(`# ${help}`, '# (To use another editor, set $EDITOR, for example: export EDITOR=nano)');
  return lines;
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

/**
 * Split an `$EDITOR` value into a command and its arguments the way a POSIX shell would for simple
 * cases: whitespace separates words, single and double quotes group, backslash escapes outside single
 * quotes. `code --wait` → `['code', '--wait']`; `"/opt/My Editor/ed" -w` → `['/opt/My Editor/ed', '-w']`.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else current += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) current += line[++i];
      else current += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

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
        child = spawn(cmd, [...args, file], { stdio, env });
      }
    } catch (error) {
      resolve({ ok: false, reason: `Could not start the editor "${command}": ${(error as Error).message}` });
      return;
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        resolve({ ok: false, reason: notFound(command), missing: true });
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
  const chosen = editorCommand(env);
  const candidates = chosen ? [chosen] : [...(options.fallbacks ?? DEFAULT_FALLBACKS)];
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
    const header = editorHeader(options.question, chosen ? undefined : command);
    const result = await editOnce(command, file, dir, initial, header, env, { ...options, tell, now });
    if (result !== NOT_FOUND) return result;
    if (n === candidates.length - 1) {
      tell(chosen ? notFound(command) : NO_EDITOR_MESSAGE);
      await rm(dir, { recursive: true, force: true });
    }
  }
  return undefined;
}

const DEFAULT_FALLBACKS = process.platform === 'win32' ? [] : ['nano', 'vi'];
const NOT_FOUND = Symbol('not found');

function notFound(command: string): string {
  return `The editor "${command}" was not found. Set $EDITOR to an editor you have (e.g. export EDITOR=nano) or type your answer here instead.`;
}

/** One editor on the file: the text (header stripped), undefined after telling why, or NOT_FOUND. */
async function editOnce(
  command: string,
  file: string,
  dir: string,
  initial: string,
  header: readonly string[],
  env: NodeJS.ProcessEnv,
  options: OpenEditorOptions & { tell: (m: string) => void; now: () => number },
): Promise<string | undefined | typeof NOT_FOUND> {
  const { tell, now } = options;
  const base = initial.replace(/\n$/, '');
  const content = `${[...header, ''].join('\n')}\n${initial === '' ? '' : `${initial.replace(/\n$/, '')}\n`}`;
  try {
    await writeFile(file, content, { mode: 0o600 });
  } catch (error) {
    tell(
      `Could not prepare a file for the editor (${(error as Error).message}). Type your answer here instead.`,
    );
    return undefined;
  }
  const started = now();
  const run = await runEditor(command, file, env, options.stdio ?? 'inherit');
  if (!run.ok && run.missing) return NOT_FOUND;
  const elapsed = now() - started;
  let text: string;
  try {
    text = stripEditorHeader(await readFile(file, 'utf8'), header);
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
      `The editor "${command}" closed at once and the text is unchanged. Some editors return before you have edited: make yours wait (for example export EDITOR="code --wait"), or type your answer here instead.`,
    );
    return undefined;
  }
  return text;
}
