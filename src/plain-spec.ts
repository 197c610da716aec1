/**
 * The command spec (src/command-spec.ts) as src/plain-call.ts reads command lines with it: without
 * descriptions, examples and help. The build writes it out as JSON to src/generated/plain-spec.ts
 * (scripts/compile-assets.ts), so that the entry holds this instead of the whole spec, whose help
 * text is most of it; tests/plain-call.test.ts checks that the generated spec is this one.
 */
import type { ArgumentSpec, CommandSpec, OptionSpec, ProgramSpec } from './command-spec.ts';

/** An option as the reader needs it: the spec's entry without its description and completion. */
export type PlainOption = Pick<
  OptionSpec,
  'short' | 'value' | 'negate' | 'required' | 'repeatable' | 'default' | 'choices'
>;
/** An argument as the reader needs it. */
export type PlainArgument = Pick<ArgumentSpec, 'name' | 'optional' | 'variadic' | 'choices'>;
export interface PlainCommand {
  options?: { [key: string]: PlainOption };
  args?: PlainArgument[];
  subcommands?: { [name: string]: PlainCommand };
}
/** The program's global options and its commands. */
export interface PlainSpec {
  options: { [key: string]: PlainOption };
  commands: { [name: string]: PlainCommand };
}

const OPTION_FIELDS = ['short', 'value', 'negate', 'required', 'repeatable', 'default', 'choices'] as const;

function plainOptions(options: { readonly [key: string]: OptionSpec }): { [key: string]: PlainOption } {
  const out: { [key: string]: PlainOption } = {};
  for (const [key, spec] of Object.entries(options)) {
    const option: Record<string, unknown> = {};
    for (const field of OPTION_FIELDS) if (spec[field] !== undefined) option[field] = spec[field];
    out[key] = option as PlainOption;
  }
  return out;
}

function plainCommand(spec: CommandSpec): PlainCommand {
  const out: PlainCommand = {};
  if (spec.options) out.options = plainOptions(spec.options);
  if (spec.args)
    out.args = spec.args.map((a) => {
      const arg: Record<string, unknown> = { name: a.name };
      for (const field of ['optional', 'variadic', 'choices'] as const)
        if (a[field] !== undefined) arg[field] = a[field];
      return arg as PlainArgument;
    });
  if (spec.subcommands)
    out.subcommands = Object.fromEntries(
      Object.entries(spec.subcommands).map(([name, sub]) => [name, plainCommand(sub)]),
    );
  return out;
}

/** The reader's spec of the program (`PROGRAM` and `COMMANDS` of src/command-spec.ts). */
export function plainSpecOf(
  program: Pick<ProgramSpec, 'options'>,
  commands: { readonly [name: string]: CommandSpec },
): PlainSpec {
  return {
    options: plainOptions(program.options),
    commands: Object.fromEntries(Object.entries(commands).map(([name, spec]) => [name, plainCommand(spec)])),
  };
}
