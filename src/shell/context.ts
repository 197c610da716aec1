import { fstatSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';

/**
 * Where a command writes text: the process's standard output or error (a `ProcessOutput`), or in
 * tests any writable stream.
 */
export interface Output {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/** Options every command accepts (declared once, as `PROGRAM.options`, in `src/command-spec.ts`). */
export interface GlobalOptions {
  /**
   * Workspace folder: `--dir`, else `KINSHIP_REFLECT_DIR`, else the nearest folder at or above the
   * current one holding kinship-reflect.yaml, else `./reflections` (see `workspaceDir`).
   */
  dir?: string;
  /** Built-in bank id or a path to a YAML bank. */
  bank?: string;
  color?: boolean;
  plain?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** Only the global options, from commander's `optsWithGlobals()` or src/plain-call.ts's reading. */
export function globalOptionsOf(g: GlobalOptions): GlobalOptions {
  return { dir: g.dir, bank: g.bank, color: g.color, plain: g.plain, quiet: g.quiet, verbose: g.verbose };
}

/**
 * Everything a command may touch of the outside world, passed in so that tests can run commands
 * in-process with fake streams, a pinned clock and a temp folder.
 */
export interface CommandContext {
  stdout: Output;
  stderr: Output;
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Today's date as `YYYY-MM-DD` (pinned by `KINSHIP_REFLECT_TODAY` in tests). */
  today: () => string;
  global: GlobalOptions;
}

/** The width when there is no terminal to ask and `COLUMNS` does not say. */
export const DEFAULT_WIDTH = 80;

/**
 * Columns that human text is wrapped to on `out`: a terminal's own width; elsewhere `$COLUMNS` when
 * it holds a width (as `ls` and `git` read it: `COLUMNS=120 kinship-reflect status | less`), else 80.
 */
export function humanWidth(out: Output, env: NodeJS.ProcessEnv = process.env): number {
  if (out.isTTY && out.columns) return out.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns >= 20 ? columns : DEFAULT_WIDTH;
}

function localIsoDate(d: Date): string {
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

/**
 * The standard output or error of the process. Node builds `process.stdout` the first time it is
 * touched, and on a pipe that is a socket stream costing ~2.5 ms, a tenth of what `diff` may spend on
 * everything (bench/). So text for a pipe, socket or file is written with `writeSync` instead: in
 * order and at once, as Node's own streams write to files and (on Linux) to pipes. A terminal, or
 * anything else, gets the real stream; so does everything after a write the pipe could not take at
 * once (a slow reader of a non-blocking pipe), which the stream then queues in order.
 */
export class ProcessOutput implements Output {
  private real: NodeJS.WriteStream | undefined;
  /** Whether writes go straight to the descriptor; undefined until first needed. */
  private direct: boolean | undefined;
  /** The reader has gone (`| head`) or the output failed: what is still written is dropped. */
  private gone = false;
  /** Why a write failed (a full disk behind `> file`), for the entry point to report in one line. */
  failure: unknown;

  constructor(
    private readonly fd: 1 | 2,
    private readonly open: () => NodeJS.WriteStream,
    /** What to do when the reader has gone (`| head`): not an error. */
    private readonly onBrokenPipe: () => void,
  ) {}

  /** The process's own stream, created now if it was not yet (for prompts, which need a stream). */
  stream(): NodeJS.WriteStream {
    if (!this.real) {
      const real = this.open();
      real.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') this.readerGone();
        else this.fail(error);
      });
      this.real = real;
      this.direct = false;
    }
    return this.real;
  }

  private writesDirectly(): boolean {
    if (this.direct === undefined) {
      try {
        const stat = fstatSync(this.fd);
        // a pipe from a shell is a FIFO; from Node's child_process (and most programs) a socket
        this.direct = stat.isFIFO() || stat.isSocket() || stat.isFile();
      } catch {
        this.direct = false;
      }
    }
    return this.direct;
  }

  /**
   * The reader closed the pipe. The command's result is already decided by its data (findings,
   * differences), not by whether anyone read all of it, so the command runs on to its own exit code;
   * only the rest of the output is dropped.
   */
  private readerGone(): void {
    if (this.gone) return;
    this.gone = true;
    this.onBrokenPipe();
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    this.gone = true;
  }

  write(chunk: string): boolean {
    if (this.gone) return false;
    try {
      return this.writeNow(chunk);
    } catch (error) {
      // a character device such as /dev/full fails inside Node's stream, synchronously
      this.fail(error);
      return false;
    }
  }

  private writeNow(chunk: string): boolean {
    if (!this.writesDirectly()) return this.stream().write(chunk);
    const bytes = Buffer.from(chunk, 'utf8');
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        this.readerGone();
        return false;
      }
      if (code !== 'EAGAIN') {
        this.fail(error);
        return false;
      }
      // the reader is behind and the pipe is full: the stream queues the rest, and all that follows
      return this.stream().write(bytes.subarray(done));
    }
    return true;
  }

  get isTTY(): boolean {
    return this.writesDirectly() ? false : this.stream().isTTY === true;
  }

  get columns(): number | undefined {
    return this.writesDirectly() ? undefined : this.stream().columns;
  }

  get rows(): number | undefined {
    return this.writesDirectly() ? undefined : this.stream().rows;
  }
}

/** Why a write to standard output or error failed, in words (`> /dev/full`: "the disk is full"). */
export function describeOutputFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'the disk is full';
  if (code === 'EIO') return 'the device reported an error';
  if (code === 'EROFS') return 'it is on a read-only disk';
  return code ?? String(error);
}

/** The process's standard output and error, written as `ProcessOutput` explains. */
export interface ProcessOutputs {
  stdout: ProcessOutput;
  stderr: ProcessOutput;
}

/** The process's outputs; `onBrokenPipe` runs when a reader goes away (`| head`). */
export function processOutputs(onBrokenPipe: () => void): ProcessOutputs {
  return {
    stdout: new ProcessOutput(1, () => process.stdout, onBrokenPipe),
    stderr: new ProcessOutput(2, () => process.stderr, onBrokenPipe),
  };
}

/** The context of the running process. */
export function processContext(global: GlobalOptions, outputs: ProcessOutputs): CommandContext {
  const pinned = process.env.KINSHIP_REFLECT_TODAY;
  return {
    stdout: outputs.stdout,
    stderr: outputs.stderr,
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

/**
 * True when the dialogue is the accessible linear one: asked for (`--plain`, `ACCESSIBLE=1`), or by
 * default in a Windows console that cannot do better (`isLimitedWindowsConsole`). `ACCESSIBLE=0`
 * asks for the full-screen prompts even there.
 */
export function isPlain(ctx: CommandContext, platform: NodeJS.Platform = process.platform): boolean {
  if (ctx.global.plain === true) return true;
  const a = ctx.env.ACCESSIBLE;
  if (a !== undefined && a !== '') return a !== '0' && a !== 'false';
  // only for someone typing at a console: piped input is read as plain answers everywhere already
  return platform === 'win32' && ctx.stdin.isTTY === true && isLimitedWindowsConsole(ctx.env);
}

/**
 * Whether a Windows console is the console window of cmd.exe and PowerShell (conhost) rather than a
 * terminal that says what it is: Windows Terminal (WT_SESSION), VS Code (TERM_PROGRAM), ConEmu
 * (ConEmuANSI), or another emulator (TERM). Conhost, the "old console", passes a paste as typed
 * keys, line ends included, and has no bracketed paste to tell them apart: a pasted answer of several
 * lines would be submitted at its first line end by the full-screen prompts. The linear dialogue
 * ends an answer at an empty line instead, so a paste arrives whole.
 */
export function isLimitedWindowsConsole(env: NodeJS.ProcessEnv): boolean {
  const says = (name: string) => (env[name] ?? '') !== '';
  return !(says('WT_SESSION') || says('TERM_PROGRAM') || env.ConEmuANSI === 'ON' || says('TERM'));
}
