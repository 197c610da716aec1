import type { Command } from 'commander';
import { UsageError } from '../core/errors.ts';
import { findHelpTopic, HELP_TOPICS } from '../core/help-topics.ts';
import type { CommandContext } from '../shell/context.ts';
import { humanWidth, writeHuman } from '../shell/human-output.ts';

export interface HelpOptions {
  /** A topic (workspaces, cycles, plain, git) or a command name such as `diff` or `actions add`. */
  topic?: string;
  /** The whole program, to find commands and print their help. */
  program: Command;
}

/** Print a command's help (with its examples) to one of the context's streams. */
export function writeCommandHelp(cmd: Command, stream: CommandContext['stdout']): void {
  const saved = cmd.configureOutput();
  // commander writes to process.stdout by default; send it where the context says instead
  cmd.configureOutput({
    // commander lays it all out to the width (src/cli-commander.ts), as for --help
    writeOut: (s) => stream.write(s),
    writeErr: (s) => stream.write(s),
    getOutHelpWidth: () => humanWidth(stream),
    getErrHelpWidth: () => humanWidth(stream),
    // our help text carries no styling; never let commander decide to add any
    getOutHasColors: () => false,
    getErrHasColors: () => false,
  });
  try {
    cmd.outputHelp();
  } finally {
    cmd.configureOutput(saved);
  }
}

function findCommand(program: Command, words: string[]): Command | undefined {
  let cmd: Command | undefined = program;
  for (const word of words) {
    cmd = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!cmd) return undefined;
  }
  return cmd === program ? undefined : cmd;
}

/** `kinship-reflect help [topic]`: a topic page, a command's help, or the program's help. */
export async function help(opts: HelpOptions, ctx: CommandContext): Promise<number | undefined> {
  const topic = opts.topic?.trim();
  if (!topic) {
    writeCommandHelp(opts.program, ctx.stdout);
    return undefined;
  }
  const page = findHelpTopic(topic);
  if (page) {
    writeHuman(ctx.stdout, page.text.endsWith('\n') ? page.text : `${page.text}\n`);
    return undefined;
  }
  const cmd = findCommand(opts.program, topic.split(/\s+/));
  if (cmd) {
    writeCommandHelp(cmd, ctx.stdout);
    return undefined;
  }
  const commands = opts.program.commands.map((c) => c.name());
  throw new UsageError(
    `no help topic or command called "${topic}".\n` +
      `Topics: ${HELP_TOPICS.map((t) => t.name).join(', ')}.\n` +
      `Commands: ${commands.join(', ')}.\n` +
      'Try: kinship-reflect help git',
  );
}
