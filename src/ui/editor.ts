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
  /** Whose conventions apply (tests): on Windows the fallback editor is Notepad. */
  platform?: NodeJS.Platform;
}

/** How to name an editor, in the words of the user's shell. */
const SET_EDITOR_HINT = {
  posix: 'Set $EDITOR to an editor you have (e.g. export EDITOR=nano)',
  win32: 'Set %EDITOR% to an editor you have (e.g. setx EDITOR notepad, then open a new window)',
} as const;

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

/**
 * `$VISUAL`, then `$EDITOR` (`%VISUAL%`, `%EDITOR%` on Windows); else on Windows Notepad, which every
 * Windows has; undefined elsewhere when neither names anything.
 */
export function editorCommand(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  for (const name of ['VISUAL', 'EDITOR'] as const) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return platform === 'win32' ? 'notepad' : undefined;
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

type EditorRun = { ok: true } | { ok: false; reason: string };

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
        resolve({
          ok: false,
          reason: `The editor "${command}" was not found. ${SET_EDITOR_HINT[process.platform === 'win32' ? 'win32' : 'posix']} or type your answer here instead.`,
        });
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
  const command = editorCommand(env, platform);
  if (!command) {
    tell(NO_EDITOR_MESSAGE);
    return undefined;
  }
  let dir: string;
  let file: string;
  try {
    dir = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'kinship-reflect-'));
    file = join(dir, 'answer.md');
    // a byte-order mark makes every Notepad read and save the file as UTF-8 (before Windows 10
    // 1903 it took a file without one for the local code page); decodeEditedText removes it again
    await writeFile(file, platform === 'win32' ? `\uFEFF${initial}` : initial, { mode: 0o600 });
  } catch (error) {
    tell(
      `Could not prepare a file for the editor (${(error as Error).message}). Type your answer here instead.`,
    );
    return undefined;
  }
  const started = now();
  const run = await runEditor(command, file, env, options.stdio ?? 'inherit');
  const elapsed = now() - started;
  let text: string;
  try {
    text = decodeEditedText(await readFile(file));
  } catch (error) {
    tell(
      `Could not read back the edited text (${(error as Error).message}). If you saved it, it is in ${file}. Type your answer here instead.`,
    );
    return undefined;
  }
  if (!run.ok) {
    if (text !== initial) {
      tell(`${run.reason} What you wrote is kept in ${file}. Type your answer here instead.`);
    } else {
      tell(`${run.reason} Type your answer here instead.`);
      await rm(dir, { recursive: true, force: true });
    }
    return undefined;
  }
  await rm(dir, { recursive: true, force: true });
  if (text === initial && elapsed < (options.minimumWaitMs ?? 1000)) {
    tell(
      `The editor "${command}" closed at once and the text is unchanged. Some editors return before you have edited: make yours wait (for example export EDITOR="code --wait"), or type your answer here instead.`,
    );
    return undefined;
  }
  return text;
}
