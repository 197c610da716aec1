/**
 * The command line read by commander: help, `--version`, errors, the default action, and anything
 * src/plain-call.ts leaves to it. Loaded by src/cli.ts only then (a plain command line never loads
 * commander). commander is built from the spec (src/command-spec.ts), with every command wired to its
 * handler through the entry's loaders, so that each handler stays a file of its own in dist/.
 */
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Lazy, Loaders, RunIo } from './cli.ts';
import { argumentUsage, examplesText, longFlag, optionFlags } from './command-flags.ts';
import {
  type ArgumentSpec,
  COMMANDS,
  type CommandPath,
  type CommandSpec,
  type OptionSpec,
  PROGRAM,
  type ProgramOptions,
} from './command-spec.ts';
import { type CommandContext, globalOptionsOf, humanWidth } from './shell/context.ts';

function parseChoice(name: string, choices: readonly string[]) {
  return (value: string): string => {
    if (!choices.includes(value)) {
      throw new InvalidArgumentError(`${name} must be one of: ${choices.join(', ')}.`);
    }
    return value;
  };
}

/** A parser for a value given more than once: each value (checked by `parse`) added to a list. */
function collect(parse: (value: string) => string) {
  return (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), parse(value)];
}

/** commander's option for one entry of the spec. */
function optionOf(key: string, spec: OptionSpec): Option {
  const option = new Option(optionFlags(key, spec), spec.description);
  if (spec.required) option.makeOptionMandatory();
  const choices = spec.choices;
  // listed choices: commander shows them in help and checks them; others are checked by us
  if (choices && spec.listChoices) option.choices(choices);
  const check = choices ? parseChoice(longFlag(key, spec), choices) : (value: string) => value;
  if (spec.repeatable) option.argParser(collect(check));
  else if (choices && !spec.listChoices) option.argParser(check);
  if (spec.default !== undefined) option.default(spec.default);
  return option;
}

/** commander's argument for one entry of the spec. */
function argumentOf(spec: ArgumentSpec): Argument {
  const argument = new Argument(argumentUsage(spec), spec.description);
  const choices = spec.choices;
  if (choices) {
    const check = parseChoice(spec.name, choices);
    if (spec.variadic) argument.argParser(collect(check));
    else argument.argParser(check);
  }
  return argument;
}

/**
 * The command's examples and footer, as help prints them after its options: laid out, and the
 * footer's prose wrapped, to the width commander lays the options out to (the terminal's, else
 * `$COLUMNS` or 80), with commander's own wrapping so that `--help` needs nothing more loaded.
 */
function helpAfter(
  spec: Pick<CommandSpec, 'examples' | 'footer'>,
  title?: string,
): ((context: { error: boolean; command: Command }) => string) | undefined {
  if (!spec.examples && !spec.footer) return undefined;
  return ({ error, command }) => {
    const output = command.configureOutput();
    const width = (error ? output.getErrHelpWidth?.() : output.getOutHelpWidth?.()) ?? 80;
    const parts: string[] = [];
    if (spec.examples) parts.push(examplesText(spec.examples, title, width));
    if (spec.footer) parts.push(`\n${command.createHelp().boxWrap(spec.footer, width)}`);
    return parts.join('\n');
  };
}

/**
 * The command a command line runs, when that is plain without commander: the first word that is
 * neither a global option nor a global option's value, when it names a command of the spec. Undefined
 * for anything less plain (help, no command, an unknown word or option before it, `-qv` clusters):
 * then the whole program is built.
 */
export function plainCommandOf(argv: readonly string[]): string | undefined {
  const globals = new Map<string, boolean>();
  for (const [key, option] of Object.entries(PROGRAM.options as Record<string, OptionSpec>)) {
    const takesValue = option.value !== undefined;
    globals.set(longFlag(key, option), takesValue);
    if (option.short) globals.set(option.short, takesValue);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-')) return arg !== 'help' && Object.hasOwn(COMMANDS, arg) ? arg : undefined;
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const takesValue = globals.get(flag);
    if (takesValue === undefined) return undefined;
    if (takesValue && flag === arg) i++;
  }
  return undefined;
}

/**
 * commander's program, with every command of the spec wired to `action(path)`; or, with `only`, that
 * one command (what `plainCommandOf` found on the command line: building the other eighteen would
 * cost a millisecond of every run for nothing).
 */
export function buildProgram(
  version: string,
  action: (path: CommandPath) => (...args: unknown[]) => Promise<void>,
  loaders: Loaders,
  program = new Command(PROGRAM.name),
  only?: string,
): Command {
  const isCommandPath = (path: string): path is CommandPath => Object.hasOwn(loaders, path);
  const addCommand = (parent: Command, name: string, spec: CommandSpec, path: string): void => {
    const cmd = parent.command(name, spec.isDefault ? { isDefault: true } : {}).description(spec.description);
    for (const arg of spec.args ?? []) cmd.addArgument(argumentOf(arg));
    for (const [key, option] of Object.entries(spec.options ?? {})) cmd.addOption(optionOf(key, option));
    const after = helpAfter(spec);
    if (after) cmd.addHelpText('after', after);
    if (spec.subcommands) {
      for (const [sub, subSpec] of Object.entries(spec.subcommands))
        addCommand(cmd, sub, subSpec, `${path} ${sub}`);
    } else if (isCommandPath(path)) {
      cmd.action(action(path));
    } else {
      throw new Error(`src/cli.ts (handlerLoaders): the command "${path}" of the spec has no handler`);
    }
  };

  program
    .description(PROGRAM.description)
    .version(version, PROGRAM.version.flags, PROGRAM.version.description)
    .helpOption(PROGRAM.help.flags, PROGRAM.help.description);
  for (const [key, option] of Object.entries(PROGRAM.options)) program.addOption(optionOf(key, option));
  const quickStart = helpAfter(PROGRAM, 'Quick start');
  if (quickStart) program.addHelpText('after', quickStart);
  for (const [name, spec] of Object.entries(COMMANDS))
    if (only === undefined || name === only) addCommand(program, name, spec, name);
  return program;
}

/**
 * Runs the command line with commander and resolves to the exit code; never calls `process.exit`.
 * `built` is given the program once it is built (the `help` command lays it out).
 */
export async function runWithCommander(
  argv: string[],
  io: RunIo,
  lazy: Lazy,
  built: (program: Command) => void,
): Promise<number> {
  let exitCode = 0;
  let ctxRef: CommandContext | undefined;
  const ctxFor = (cmd: Command): CommandContext => {
    ctxRef = io.context(globalOptionsOf(cmd.optsWithGlobals<ProgramOptions>()));
    return ctxRef;
  };

  const program = new Command(PROGRAM.name);
  const { loaders } = lazy;
  built(program);
  // A handler resolves to nothing (exit 0) or an exit code of its own choosing.
  const act =
    (path: CommandPath) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      // commander's values, named as the spec names them (tests/command-spec.test.ts checks that
      // commander's name for every option is its key in the spec)
      const opts: Record<string, unknown> = { ...cmd.opts() };
      cmd.registeredArguments.forEach((arg, i) => {
        opts[arg.name()] = args[i];
      });
      const handler = (await loaders[path]()) as (
        opts: Record<string, unknown>,
        ctx: CommandContext,
      ) => Promise<unknown>;
      const code = await handler(opts, ctxFor(cmd));
      if (typeof code === 'number') exitCode = code;
    };

  const out = io.outputs?.stdout ?? process.stdout;
  const err = io.outputs?.stderr ?? process.stderr;
  // configured before the commands are added: each command copies these settings when created
  program
    .showSuggestionAfterError(true)
    // descriptions wrap beside their options down to a 24-column column (commander's own minimum,
    // 40, would print a long line unwrapped beside long option names at 80 columns)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true, minWidthToWrap: 24 })
    .configureOutput({
      writeOut: (str) => out.write(str),
      writeErr: (str) => err.write(str),
      outputError: (str, write) => write(str),
      // commander's defaults, but asked of our outputs (which may never need a stream); the help text
      // carries no styling, so there are no colours to keep
      getOutHelpWidth: () => humanWidth(out),
      getErrHelpWidth: () => humanWidth(err),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .exitOverride();
  buildProgram(io.version, act, loaders, program, plainCommandOf(argv));
  // `help` is a command of the spec; commander's own stays only for `actions help`
  program.helpCommand(false);

  // Words that are not a command reach the default action (commander would only say "too many
  // arguments"): say which command was meant instead.
  program.allowExcessArguments(true);
  program.action(async () => {
    const ctx = ctxFor(program);
    const unknown = program.args[0];
    if (unknown !== undefined) {
      const { UsageError } = await import('./core/errors.ts');
      const { closest } = await import('./core/suggest.ts');
      const names = program.commands.map((c) => c.name());
      throw new UsageError(
        `"${unknown}" is not a command. Did you mean ${closest(unknown, names, 2).join(' or ')}? See: kinship-reflect --help`,
      );
    }
    const { defaultAction } = await lazy.defaultAction();
    const code = await defaultAction({ program }, ctx);
    if (typeof code === 'number') exitCode = code;
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      // commander has already printed its message
      return 2;
    }
    const { reportError } = await lazy.reportError();
    return reportError(error, ctxRef);
  }
}
