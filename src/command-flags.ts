/**
 * How the command spec (src/command-spec.ts) reads on the command line: the flags of an option and
 * the usage of an argument. Shared by src/cli.ts (commander) and the completion scripts, so the two
 * can never spell a flag differently.
 */
import type { ArgumentSpec, Example, OptionSpec } from './command-spec.ts';
import type { PlainOption } from './plain-spec.ts';

/** `exitCode` → `exit-code`. */
const kebab = (name: string): string => {
  // a loop, not a regular expression: every command line reads each option's flag through here, and
  // compiling a pattern costs more than the loop at start-up (Node 26 most)
  let out = '';
  for (const c of name) out += c >= 'A' && c <= 'Z' ? `-${c.toLowerCase()}` : c;
  return out;
};

/** The long flag of the option declared under `key`: `--exit-code`, `--no-color`. */
export function longFlag(key: string, option: OptionSpec | PlainOption): string {
  return `--${option.negate ? 'no-' : ''}${kebab(key)}`;
}

/** The option's flags as commander reads them: `-c, --cycle <cycle>`. */
export function optionFlags(key: string, option: OptionSpec): string {
  const short = option.short ? `${option.short}, ` : '';
  const value = option.value ? ` <${option.value}>` : '';
  return `${short}${longFlag(key, option)}${value}`;
}

/** The argument as commander reads it: `<item-id>`, `[files...]`. */
export function argumentUsage(arg: ArgumentSpec): string {
  const name = `${arg.name}${arg.variadic ? '...' : ''}`;
  return arg.optional ? `[${name}]` : `<${name}>`;
}

/**
 * The examples of a command as help shows them, after a blank line: `Examples:` and one per line,
 * notes in a column two spaces after the longest command that has one. When a note would reach past
 * `width`, every note goes on the line below its command instead, indented. Commands are never
 * broken: a command wrapped by hand would not paste back into a shell.
 */
export function examplesText(
  examples: readonly Example[],
  title = examples.length === 1 ? 'Example' : 'Examples',
  width = 80,
): string {
  const pairs = examples.filter((e) => typeof e !== 'string');
  const column = Math.max(0, ...pairs.map((e) => e[0].length)) + 2;
  const fits = pairs.every((e) => 2 + column + e[1].length <= width);
  const lines = examples.map((e) =>
    typeof e === 'string' ? `  ${e}` : fits ? `  ${e[0].padEnd(column)}${e[1]}` : `  ${e[0]}\n      ${e[1]}`,
  );
  return `\n${title}:\n${lines.join('\n')}`;
}
