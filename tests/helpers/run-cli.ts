/**
 * Spawn the built `kinship-reflect` binary as a user would, and collect what it did.
 *
 * Never hangs: stdin is closed after `input` is written (or at once), and a timeout kills the
 * whole process group with SIGKILL, then resolves with `timedOut: true` even if the pipes stay open.
 *
 * The child's environment is this process's environment minus the variables that would change
 * kinship-reflect's behaviour behind the test's back (see `SCRUBBED_ENV`), plus `options.env`.
 * An `env` value of `undefined` removes that variable (e.g. `{ NO_COLOR: undefined }` to undo the
 * `NO_COLOR=1` pinned in vitest.config.ts). `KINSHIP_REFLECT_TODAY` stays pinned.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const binPath = fileURLToPath(new URL('../../bin/kinship-reflect.js', import.meta.url));
export const distEntry = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));

/** Variables removed from the inherited environment unless a test sets them explicitly. */
export const SCRUBBED_ENV = [
  'KINSHIP_REFLECT_DIR',
  'ACCESSIBLE',
  'FORCE_COLOR',
  'CLICOLOR_FORCE',
  'VISUAL',
  'EDITOR',
  'NODE_OPTIONS',
  'NODE_V8_COVERAGE',
  'NODE_COMPILE_CACHE',
] as const;

export interface RunCliOptions {
  /** Working folder of the child. Pass a temp folder: the default (the OS temp dir) is shared. */
  cwd?: string;
  /** Added to (or, with `undefined`, removed from) the inherited environment. */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed. Without it stdin is closed at once (EOF). */
  input?: string | Buffer;
  /** Leave stdin open (after writing `input`, if any) until the child exits: proves it never waits. */
  keepStdinOpen?: boolean;
  /** Kill the child after this many milliseconds (default 15 000). */
  timeoutMs?: number;
  /** Run another entry script instead of the repository's bin (e.g. an installed package's bin). */
  bin?: string;
  /** The Node executable (default: the one running the tests). */
  node?: string;
  /** Extra arguments for Node itself, before the script. */
  nodeArgs?: string[];
}

export interface RunCliResult {
  /** The exit code, or `null` when the child was ended by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

/** The environment a child gets, as described above. */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SCRUBBED_ENV) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    // detached: the child leads its own process group, so grandchildren go too
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Run `kinship-reflect <args>` and resolve when it has exited (or been killed). Never rejects for a non-zero exit. */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<RunCliResult> {
  const bin = options.bin ?? binPath;
  if (!options.bin && !existsSync(distEntry)) {
    return Promise.reject(new Error(`${distEntry} is missing: run \`npm run build\` before these tests.`));
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [...(options.nodeArgs ?? []), bin, ...args], {
      // never default to the repository itself: a command that writes ./reflections would dirty it
      cwd: options.cwd ?? tmpdir(),
      env: childEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let settled = false;
    let forceTimer: NodeJS.Timeout | undefined;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (forceTimer) clearTimeout(forceTimer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        durationMs: performance.now() - started,
      });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
      // if a stray grandchild keeps a pipe open, 'close' may never come: give up waiting on it
      forceTimer = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(child.exitCode, child.signalCode ?? 'SIGKILL');
      }, 2_000);
    }, timeoutMs);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (forceTimer) clearTimeout(forceTimer);
      reject(e);
    });
    child.on('close', (code, signal) => finish(code, signal));
    // the child may exit without reading its input: EPIPE on stdin is not the test's failure
    child.stdin?.on('error', () => {});
    if (options.keepStdinOpen) {
      if (options.input !== undefined) child.stdin?.write(options.input);
    } else if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** Remove ANSI escape sequences (for comparing human output). */
/**
 * A temp folder holding the workspace `ws` (made by `init`), whose cycle 2026-27 has one answer,
 * `text`, to assess.carers.demographics (saved by `answer`): all through the built binary. The caller
 * removes the folder.
 */
export async function answeredWorkspace(prefix: string, text: string): Promise<string> {
  const { mkdtemp } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const steps = [
    ['init', '--authority', 'Exampleshire', '--dir', 'ws'],
    ['answer', 'assess.carers.demographics', '--cycle', '2026-27', '--dir', 'ws', '--text', text],
  ];
  for (const args of steps) {
    const r = await runCli(args, { cwd: dir });
    if (r.code !== 0) throw new Error(`kinship-reflect ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  }
  return dir;
}

export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '');
}

/** True when the text contains a CSI escape (`ESC [`), i.e. colour or cursor control. */
export function hasAnsi(text: string): boolean {
  return text.includes('\x1b[');
}

export interface RunPtyOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  cols?: number;
  rows?: number;
  /** Kill the child after this many milliseconds (default 15 000). */
  timeoutMs?: number;
}

export interface RunPtyResult {
  code: number | null;
  /** Everything the terminal showed: stdout and stderr together, with `\r\n` line ends. */
  output: string;
  timedOut: boolean;
}

/**
 * Run `kinship-reflect <args>` in a real pseudo-terminal (stdin, stdout and stderr are all a TTY),
 * with `TERM=xterm-256color` unless `env` says otherwise. For interactive journeys, drive
 * @lydell/node-pty directly; this is for commands that run to the end by themselves.
 */
export async function runInPty(args: readonly string[], options: RunPtyOptions = {}): Promise<RunPtyResult> {
  if (!existsSync(distEntry))
    throw new Error(`${distEntry} is missing: run \`npm run build\` before these tests.`);
  const pty = await import('@lydell/node-pty');
  const env = childEnv({ TERM: 'xterm-256color', ...options.env });
  const term = pty.spawn(process.execPath, [binPath, ...args], {
    name: env.TERM ?? 'xterm-256color',
    cols: options.cols ?? 100,
    rows: options.rows ?? 40,
    cwd: options.cwd ?? tmpdir(),
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
  });
  let output = '';
  let timedOut = false;
  term.onData((d) => {
    output += d;
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timedOut = true;
      term.kill('SIGKILL');
    }, options.timeoutMs ?? 15_000);
    term.onExit(({ exitCode, signal }) => {
      clearTimeout(timer);
      resolve({ code: signal ? null : exitCode, output, timedOut });
    });
  });
}
