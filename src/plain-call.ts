/**
 * A plain command line read without commander: `export --cycle 2026-27 --format md`, `diff a b`.
 *
 * Loading commander and building the program from the spec cost about 2.5 ms of every run on Node
 * 22–26 (its bundle, its code cache, its objects), a sixth of what `export` and `diff` may add to
 * Node's own start-up (bench/README.md). Most command lines are plain: a command, its options and
 * its arguments, each as the spec declares them. Those are read here, straight from the spec.
 * Anything else — help, `--version`, no command, an unknown or misspelt option, a missing or wrong
 * value, `-qv` clusters, `--`, a repeated option, too many or too few arguments — gives undefined,
 * and src/cli-commander.ts reads it with commander, which also words every error. So this reader
 * never has to say what is wrong with a command line, only recognise the ones that are right.
 *
 * It must read every line it accepts exactly as commander would: tests/plain-call.test.ts compares
 * the two on thousands of generated command lines.
 */
import { longFlag } from './command-flags.ts';
import type { CommandPath } from './command-spec.ts';
import { PLAIN_SPEC } from './generated/plain-spec.ts';
import type { PlainArgument, PlainCommand, PlainOption } from './plain-spec.ts';
import type { GlobalOptions } from './shell/context.ts';

/** What commander would have given the command's action: its path, options and arguments, and the global options. */
export interface PlainCall {
  path: CommandPath;
  /** The command's options by key, and its arguments by name (as src/cli-commander.ts passes them). */
  opts: Record<string, unknown>;
  global: GlobalOptions;
}

interface Known {
  key: string;
  spec: PlainOption;
  /** A global option (PROGRAM.options): its value goes to `global`. */
  global: boolean;
}

/** Adds the flags of `options` to `flags`; false when one is already there (the line goes to commander). */
function addFlags(
  flags: Map<string, Known>,
  options: { readonly [key: string]: PlainOption },
  global: boolean,
): boolean {
  for (const [key, spec] of Object.entries(options)) {
    const names = spec.short ? [longFlag(key, spec), spec.short] : [longFlag(key, spec)];
    for (const name of names) {
      if (flags.has(name)) return false;
      flags.set(name, { key, spec, global });
    }
  }
  return true;
}

/** The command a word (and the word after it, for a group such as `actions`) names. */
function commandAt(argv: readonly string[], i: number): { path: string; spec: PlainCommand } | undefined {
  const name = argv[i] as string;
  if (name === 'help' || !Object.hasOwn(PLAIN_SPEC.commands, name)) return undefined;
  const spec = PLAIN_SPEC.commands[name] as PlainCommand;
  if (!spec.subcommands) return { path: name, spec };
  // a group's default subcommand (`actions` alone) and its help are commander's
  const sub = argv[i + 1];
  if (sub === undefined || !Object.hasOwn(spec.subcommands, sub)) return undefined;
  return { path: `${name} ${sub}`, spec: spec.subcommands[sub] as PlainCommand };
}

/** The declared arguments' values from the words left over, or undefined when they do not fit. */
function argumentsOf(
  declared: readonly PlainArgument[],
  words: readonly string[],
): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  let next = 0;
  for (const arg of declared) {
    const values = arg.variadic ? words.slice(next) : words.slice(next, next + 1);
    next += values.length;
    if (values.length === 0 && !arg.optional) return undefined;
    if (arg.choices && values.some((v) => !arg.choices?.includes(v))) return undefined;
    // commander gives an absent variadic argument as [] and an absent single one as undefined
    out[arg.name] = arg.variadic ? values : values[0];
  }
  return next === words.length ? out : undefined;
}

/**
 * The command line `argv` (the words after the program's name) as commander would read it, when it is
 * plain; undefined for anything else (see above).
 */
export function parsePlainCall(argv: readonly string[]): PlainCall | undefined {
  const globalFlags = new Map<string, Known>();
  addFlags(globalFlags, PLAIN_SPEC.options, true);
  let flags = globalFlags;
  let command: { path: string; spec: PlainCommand } | undefined;
  const global: Record<string, unknown> = {};
  const opts: Record<string, unknown> = {};
  const given = new Set<Known>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('-') || arg === '-') {
      if (command) {
        if (arg === '-') return undefined;
        words.push(arg);
        continue;
      }
      command = commandAt(argv, i);
      if (!command) return undefined;
      if (command.path.includes(' ')) i++;
      flags = new Map(globalFlags);
      if (!addFlags(flags, command.spec.options ?? {}, false)) return undefined;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    // `--`, `-qv` and `-fmd` are commander's
    if (name === '--' || (!name.startsWith('--') && name.length !== 2)) return undefined;
    const known = flags.get(name);
    if (!known || (given.has(known) && !known.spec.repeatable)) return undefined;
    given.add(known);
    const target = known.global ? global : opts;
    if (known.spec.value === undefined) {
      if (eq > 0) return undefined;
      target[known.key] = !known.spec.negate;
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[++i];
      if (value === undefined || value.startsWith('-')) return undefined;
    }
    if (known.spec.choices && !known.spec.choices.includes(value)) return undefined;
    target[known.key] = known.spec.repeatable ? [...((target[known.key] as string[]) ?? []), value] : value;
  }
  if (!command) return undefined;
  if (!fillDefaults(global, PLAIN_SPEC.options) || !fillDefaults(opts, command.spec.options ?? {}))
    return undefined;
  const args = argumentsOf(command.spec.args ?? [], words);
  if (!args) return undefined;
  return { path: command.path as CommandPath, opts: { ...opts, ...args }, global: global as GlobalOptions };
}

/** Commander's defaults for options not given: `true` for a negation, the spec's default; false when a required one is missing. */
function fillDefaults(
  values: Record<string, unknown>,
  options: { readonly [key: string]: PlainOption },
): boolean {
  for (const [key, spec] of Object.entries(options)) {
    if (values[key] !== undefined) continue;
    if (spec.required) return false;
    if (spec.negate) values[key] = true;
    else if (spec.default !== undefined) values[key] = spec.default;
  }
  return true;
}
