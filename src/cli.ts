/**
 * The command line. The commands and their options are declared once, as data, in
 * src/command-spec.ts. A plain command line (a command, its options and arguments, as the spec
 * declares them) is read straight from the spec (src/plain-call.ts); anything else — help, errors,
 * the default action — is read by commander (src/cli-commander.ts), loaded only then. Each handler is
 * loaded with `await import()` when its command runs, so `--help` stays fast (scripts/build.mjs makes
 * each of those imports a file of its own).
 */
import type { Command } from 'commander';
import type { CommandOptions, CommandPath } from './command-spec.ts';
import { type PlainCall, parsePlainCall } from './plain-call.ts';
import { type CommandContext, type GlobalOptions, globalOptionsOf, type Output } from './shell/context.ts';

/** A handler: the command's options (as the spec declares them) and the context; maybe an exit code. */
type Handler<P extends CommandPath> = (opts: CommandOptions<P>, ctx: CommandContext) => Promise<unknown>;
export type Loaders = { readonly [P in CommandPath]: () => Promise<Handler<P>> };

/** What src/cli-commander.ts loads through the entry, so that each stays a file of its own in dist/. */
export interface Lazy {
  loaders: Loaders;
  defaultAction: () => Promise<typeof import('./commands/default.ts')>;
  reportError: () => Promise<typeof import('./shell/report-error.ts')>;
}

/**
 * Each command's handler, imported only when the command runs. The type makes this list complete
 * (one entry per command of the spec) and each handler take exactly its command's options. `help`
 * lays out commander's program, so it runs only through src/cli-commander.ts (`program`).
 */
function handlerLoaders(program: () => Command): Loaders {
  return {
    init: async () => (await import('./commands/init.ts')).init,
    interview: async () => (await import('./commands/interview.ts')).interview,
    answer: async () => (await import('./commands/answer.ts')).answer,
    status: async () => (await import('./commands/status.ts')).status,
    cycles: async () => (await import('./commands/cycles.ts')).cycles,
    'actions list': async () => (await import('./commands/actions.ts')).actionsList,
    'actions add': async () => (await import('./commands/actions.ts')).actionsAdd,
    'actions update': async () => (await import('./commands/actions.ts')).actionsUpdate,
    export: async () => (await import('./commands/export.ts')).exportReport,
    import: async () => (await import('./commands/import.ts')).importReport,
    diff: async () => (await import('./commands/diff.ts')).diff,
    validate: async () => (await import('./commands/validate.ts')).validate,
    questions: async () => (await import('./commands/questions.ts')).questions,
    guide: async () => (await import('./commands/guide.ts')).guide,
    check: async () => (await import('./commands/check.ts')).check,
    'git setup': async () => (await import('./commands/git.ts')).gitSetup,
    'git resolve': async () => (await import('./commands/git.ts')).gitResolve,
    'git merge-file': async () => (await import('./commands/git.ts')).gitMergeFile,
    aggregate: async () => (await import('./commands/aggregate.ts')).aggregate,
    completion: async () => (await import('./commands/completion.ts')).completion,
    help: async () => {
      const { help } = await import('./commands/help.ts');
      return (opts, ctx) => help({ topic: opts.topic?.join(' '), program: program() }, ctx);
    },
  };
}

export interface RunIo {
  /** Build the command context once the global options are known. */
  context: (global: GlobalOptions) => CommandContext;
  version: string;
  /** Where commander's own help, version and errors go (default: the process's streams). */
  outputs?: { stdout: Output; stderr: Output };
}

/** Runs the CLI and resolves to the exit code; never calls `process.exit`. */
export async function run(argv: string[], io: RunIo): Promise<number> {
  let program: Command | undefined;
  const lazy: Lazy = {
    loaders: handlerLoaders(() => program as Command),
    defaultAction: () => import('./commands/default.ts'),
    reportError: () => import('./shell/report-error.ts'),
  };
  const call = parsePlainCall(argv);
  if (call) return runPlain(call, io, lazy);
  const { runWithCommander } = await import('./cli-commander.ts');
  return runWithCommander(argv, io, lazy, (built) => {
    program = built;
  });
}

/** Runs a command line that src/plain-call.ts read, as commander's action would have run it. */
async function runPlain(call: PlainCall, io: RunIo, lazy: Lazy): Promise<number> {
  let ctx: CommandContext | undefined;
  try {
    const handler = (await lazy.loaders[call.path]()) as (
      opts: Record<string, unknown>,
      ctx: CommandContext,
    ) => Promise<unknown>;
    ctx = io.context(globalOptionsOf(call.global));
    const code = await handler(call.opts, ctx);
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    return (await lazy.reportError()).reportError(error, ctx);
  }
}
