import type { Readable, Writable } from 'node:stream';

/** Options every command accepts (declared once in `src/cli.ts`). */
export interface GlobalOptions {
  /** Workspace folder: `--dir`, else `KINSHIP_REFLECT_DIR`, else `./reflections`. */
  dir?: string;
  /** Built-in bank id or a path to a YAML bank. */
  bank?: string;
  color?: boolean;
  plain?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/**
 * Everything a command may touch of the outside world, passed in so that tests can run commands
 * in-process with fake streams, a pinned clock and a temp folder.
 */
export interface CommandContext {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Today's date as `YYYY-MM-DD` (pinned by `KINSHIP_REFLECT_TODAY` in tests). */
  today: () => string;
  global: GlobalOptions;
}

function localIsoDate(d: Date): string {
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

/** The context of the running process. */
export function processContext(global: GlobalOptions): CommandContext {
  const pinned = process.env.KINSHIP_REFLECT_TODAY;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // process.stdin builds a stream (and, on a pipe, a socket) the first time it is touched: only
    // the commands that read input should pay for that
    get stdin() {
      return process.stdin;
    },
    env: process.env,
    cwd: process.cwd(),
    today: () => (pinned && /^\d{4}-\d{2}-\d{2}$/.test(pinned) ? pinned : localIsoDate(new Date())),
    global,
  };
}

/** True when the user asked for the accessible linear dialogue (`--plain` or `ACCESSIBLE=1`). */
export function isPlain(ctx: CommandContext): boolean {
  const a = ctx.env.ACCESSIBLE;
  return ctx.global.plain === true || (a !== undefined && a !== '' && a !== '0' && a !== 'false');
}
