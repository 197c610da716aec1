import type { Command } from 'commander';
import { EXIT } from '../core/errors.ts';
import type { CommandContext } from '../shell/context.ts';
import { writeHuman } from '../shell/human-output.ts';
import { writeCommandHelp } from './help.ts';

export interface DefaultOptions {
  program: Command;
}

/**
 * `kinship-reflect` with no command: in a terminal, the interview; anywhere else (a pipe, a script,
 * CI) it must never wait for input, so it prints the help to stderr and exits 2.
 */
export async function defaultAction(opts: DefaultOptions, ctx: CommandContext): Promise<number | undefined> {
  if (ctx.stdin.isTTY && ctx.stdout.isTTY) {
    const { interview } = await import('./interview.ts');
    const code = await interview({}, ctx);
    return typeof code === 'number' ? code : undefined;
  }
  writeHuman(
    ctx.stderr,
    'kinship-reflect: no terminal, so no interview; choose a command (or use interview --plain):\n\n',
  );
  writeCommandHelp(opts.program, ctx.stderr);
  return EXIT.usage;
}
