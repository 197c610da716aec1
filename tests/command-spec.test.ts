/**
 * The command spec (src/command-spec.ts) and what is built from it: commander reads every option
 * under the name the spec gives it, values arrive with the types the handlers are given, and a
 * handler cannot read an option the spec does not declare (checked by `tsc`, which runs over tests).
 */
import { Command, CommanderError } from 'commander';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { buildProgram } from '../src/cli-commander.ts';
import { longFlag } from '../src/command-flags.ts';
import {
  COMMANDS,
  type CommandOptions,
  type CommandPath,
  type CommandSpec,
  PROGRAM,
  type ProgramOptions,
} from '../src/command-spec.ts';
import { bankTags } from '../src/core/bank.ts';
import {
  ACTION_STATUSES,
  ANSWER_STATUSES,
  BUILT_IN_STAGES,
  BUILT_IN_TAGS,
  RATINGS,
} from '../src/core/types.ts';
import { BUILTIN_BANK_IDS, loadBuiltinBank } from '../src/generated/banks.ts';
import type { GlobalOptions } from '../src/shell/context.ts';

const allCommands = (): [string, CommandSpec][] =>
  Object.entries(COMMANDS as Record<string, CommandSpec>).flatMap(([name, spec]) => [
    [name, spec] as [string, CommandSpec],
    ...Object.entries(spec.subcommands ?? {}).map(
      ([sub, s]) => [`${name} ${sub}`, s] as [string, CommandSpec],
    ),
  ]);

/** A loader for every command of the spec, none of which may run here. */
const loaders = () =>
  Object.fromEntries(
    allCommands()
      .filter(([, spec]) => !spec.subcommands)
      .map(([path]) => [
        path,
        async () => {
          throw new Error(`the handler of ${path} was loaded`);
        },
      ]),
  ) as unknown as Parameters<typeof buildProgram>[2];

interface Parsed {
  path: CommandPath;
  opts: Record<string, unknown>;
  args: unknown[];
}

/** Parse `argv` with the program built from the spec; what the action of the command received. */
function parse(argv: string[]): Parsed {
  let parsed: Parsed | undefined;
  const program = new Command().exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  buildProgram(
    '0.0.0',
    (path) =>
      async (...args: unknown[]) => {
        const cmd = args[args.length - 1] as Command;
        parsed = { path, opts: cmd.opts(), args: args.slice(0, -2) };
      },
    loaders(),
    program,
  );
  program.parse(argv, { from: 'user' });
  if (!parsed) throw new Error(`no command ran for ${argv.join(' ')}`);
  return parsed;
}

function parseError(argv: string[]): string {
  try {
    parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.message;
    throw error;
  }
  throw new Error(`${argv.join(' ')} parsed`);
}

describe('commander, built from the spec', () => {
  const program = buildProgram('0.0.0', () => async () => {}, loaders());
  const find = (path: string) =>
    path
      .split(' ')
      .reduce<Command | undefined>((cmd, word) => cmd?.commands.find((c) => c.name() === word), program);

  it.each(allCommands())('%s: every option is read under its key in the spec', (path, spec) => {
    const cmd = find(path);
    expect(cmd, path).toBeDefined();
    const declared = Object.entries(spec.options ?? {}).map(([key, o]) => [key, longFlag(key, o)]);
    const built = (cmd?.options ?? []).map((o) => [o.attributeName(), o.long]);
    expect(built).toEqual(declared);
    expect(cmd?.registeredArguments.map((a) => a.name())).toEqual((spec.args ?? []).map((a) => a.name));
  });

  it('the global options too, and the global option type is the command context`s', () => {
    const declared = Object.entries(PROGRAM.options).map(([key, o]) => [key, longFlag(key, o)]);
    const built = program.options
      .filter((o) => o.long !== '--version')
      .map((o) => [o.attributeName(), o.long]);
    expect(built).toEqual(declared);
    expectTypeOf<ProgramOptions>().toEqualTypeOf<GlobalOptions>();
  });

  it('values arrive as the handler types say: repeated options as arrays, negations as false', () => {
    expect(parse(['actions', 'add', '--title', 'T', '-t', 'R1', '--tag', 'R2']).opts).toEqual({
      title: 'T',
      tag: ['R1', 'R2'],
    });
    expect(parse(['init', '--no-ratings', '-a', 'X']).opts).toEqual({
      authority: 'X',
      ratings: false,
      report: true,
    });
    expect(parse(['export']).opts).toEqual({ format: 'md' });
    expect(parse(['diff', 'a', 'b', '--exit-code', '-f', 'json'])).toEqual({
      path: 'diff',
      opts: { format: 'json', exitCode: true },
      args: ['a', 'b'],
    });
    expect(parse(['check', 'x', 'y', '--install-hook']).args).toEqual([['x', 'y']]);
    expect(parse(['actions']).path).toBe('actions list');
  });

  it('choices are checked when parsing, in our words or commander`s', () => {
    expect(parseError(['answer', 'x', '-c', 'c', '--rating', 'purple'])).toMatch(
      /--rating must be one of: red, amber, green\./,
    );
    expect(parseError(['export', '--format', 'pdf'])).toMatch(/Allowed choices are md, json, csv/);
    expect(parseError(['completion', 'tcsh'])).toMatch(/shell must be one of: bash, zsh, fish\./);
    expect(parseError(['actions', 'add'])).toMatch(/required option '--title <title>'/);
  });

  it('every command has examples, and every example runs a command of the spec', () => {
    const names = Object.keys(COMMANDS);
    for (const [path, spec] of allCommands()) {
      if (path === 'help' || path.includes(' ')) continue;
      expect(spec.examples?.length, path).toBeGreaterThan(0);
      for (const example of spec.examples ?? []) {
        const line = typeof example === 'string' ? example : example[0];
        const word = /kinship-reflect (\S+)/.exec(line)?.[1];
        expect(names, line).toContain(word);
      }
    }
  });
});

describe('choices and completions come from the core', () => {
  it('the constants the spec names', () => {
    expect(COMMANDS.answer.options.rating.choices).toBe(RATINGS);
    expect(COMMANDS.answer.options.status.completes).toBe(ANSWER_STATUSES);
    expect(COMMANDS.actions.subcommands.update.options.status.completes).toBe(ACTION_STATUSES);
  });

  it('the built-in stages and tags are those of the default bank, and cover every built-in bank`s tags', async () => {
    for (const id of BUILTIN_BANK_IDS) {
      const bank = await loadBuiltinBank(id);
      if (!bank) throw new Error(id);
      if (id === 'reflective-tool') {
        expect(bank.stages.map((s) => s.id)).toEqual(BUILT_IN_STAGES);
        expect(bankTags(bank)).toEqual(BUILT_IN_TAGS);
      }
      for (const tag of bankTags(bank)) expect(BUILT_IN_TAGS, id).toContain(tag);
    }
  });
});

describe('handler option types, derived from the spec', () => {
  it('have each option and argument with its type', () => {
    expectTypeOf<CommandOptions<'diff'>>().toEqualTypeOf<{
      from: string;
      to: string;
      format?: 'text' | 'md' | 'json';
      tag?: string;
      exitCode?: boolean;
      json?: boolean;
    }>();
    expectTypeOf<CommandOptions<'answer'>>().toEqualTypeOf<{
      'item-id': string;
      cycle: string;
      text?: string;
      status?: string;
      rating?: 'red' | 'amber' | 'green';
      needs?: string;
      evidence?: string[];
    }>();
    expectTypeOf<CommandOptions<'check'>['paths']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<CommandOptions<'completion'>['shell']>().toEqualTypeOf<'bash' | 'zsh' | 'fish'>();
  });

  it('do not let a handler read an option the spec does not declare', () => {
    const read = (opts: CommandOptions<'export'>) =>
      // @ts-expect-error: export declares no `notAnOption` (tsc fails if this line ever compiles)
      opts.notAnOption;
    expect(read({})).toBeUndefined();
  });
});

describe('plainCommandOf: the command a command line runs, when plain', () => {
  it('finds the command after global options and their values', async () => {
    const { plainCommandOf } = await import('../src/cli-commander.ts');
    expect(plainCommandOf(['status'])).toBe('status');
    expect(plainCommandOf(['--dir', 'x', 'export', '--format', 'md'])).toBe('export');
    expect(plainCommandOf(['-d', 'x', '-q', 'diff', 'a', 'b'])).toBe('diff');
    expect(plainCommandOf(['--dir=x', '--no-color', '--plain', '-v', 'actions', 'list'])).toBe('actions');
    expect(plainCommandOf(['--bank', 'status', 'questions'])).toBe('questions'); // "status" is --bank's value
  });
  it('leaves anything less plain to the whole program', async () => {
    const { plainCommandOf } = await import('../src/cli-commander.ts');
    for (const argv of [
      [],
      ['--help'],
      ['help', 'git'],
      ['-qv', 'status'],
      ['--verbos', 'status'],
      ['stauts'],
      ['--dir'],
      ['--', 'status'],
      ['-V'],
    ])
      expect(plainCommandOf(argv), argv.join(' ')).toBeUndefined();
  });
});
