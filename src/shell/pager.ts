/**
 * Long human output: wrapped at word boundaries (to the terminal's width, or 80 columns in a pipe or
 * a file) and, in a terminal, shown through `$PAGER` (default `less -FRX`: it quits at once when the
 * text fits one screen, keeps colours, and leaves the text on screen). Never paged in a pipe or a
 * file; data (`--json`, documents) never comes here.
 */
import { wrapText } from '../core/wrap.ts';
import { splitCommandLine } from '../ui/command-line.ts';
import type { CommandContext } from './context.ts';
import { humanWidth, writeHuman } from './human-output.ts';

export const DEFAULT_PAGER = 'less -FRX';

/** The pager command: `$PAGER`, else `less -FRX`; none for `cat` or an empty `$PAGER`. */
export function pagerCommand(env: NodeJS.ProcessEnv): string[] | undefined {
  const value = env.PAGER ?? DEFAULT_PAGER;
  const words = splitCommandLine(value);
  if (words.length === 0 || words[0] === 'cat') return undefined;
  return words;
}

/**
 * Write `text` (human output) to stdout, wrapped at word boundaries: in a terminal to its width and,
 * when longer than the screen, through the pager; elsewhere to 80 columns. Falls back to writing
 * directly when the pager cannot be started.
 */
export async function writePaged(ctx: CommandContext, text: string): Promise<void> {
  const out = ctx.stdout;
  if (!out.isTTY) {
    writeHuman(out, text);
    return;
  }
  const wrapped = wrapText(text, humanWidth(out));
  const lines = wrapped.split('\n').length;
  const command = pagerCommand(ctx.env);
  // only the process's own terminal goes to a pager (the pager writes to it directly). Matched by its
  // file descriptor, not instanceof: each command's bundle has its own copy of ProcessOutput
  if (!command || lines < (out.rows ?? 24) || (out as { fd?: unknown }).fd !== 1) {
    out.write(wrapped);
    return;
  }
  const [cmd, ...args] = command as [string, ...string[]];
  // loaded only here: a piped diff never pays for node:child_process
  const { spawn } = process.getBuiltinModule('node:child_process') as typeof import('node:child_process');
  const ok = await new Promise<boolean>((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(cmd, args, {
        stdio: ['pipe', 'inherit', 'inherit'],
        env: { LESS: 'FRX', ...ctx.env },
      });
    } catch {
      resolve(false);
      return;
    }
    let started = true;
    child.once('error', () => {
      started = false;
      resolve(false);
    });
    child.once('close', () => resolve(started));
    // the reader quitting early (q in less) closes the pipe: not an error
    child.stdin?.on('error', () => {});
    child.stdin?.end(wrapped);
  });
  if (!ok) out.write(wrapped);
}
