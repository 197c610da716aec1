/**
 * src/plain-call.ts reads plain command lines without commander. Every line it accepts must reach the
 * handler exactly as commander would deliver it (the command, its options and arguments, the global
 * options), and every line commander refuses must be left to commander (which words the error).
 * Checked on thousands of command lines generated from the spec, plain and otherwise, against the
 * real commander program (src/cli-commander.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Lazy, Loaders } from '../src/cli.ts';
import { runWithCommander } from '../src/cli-commander.ts';
import { longFlag } from '../src/command-flags.ts';
import { COMMANDS, type CommandSpec, type OptionSpec, PROGRAM } from '../src/command-spec.ts';
import { PLAIN_SPEC } from '../src/generated/plain-spec.ts';
import { parsePlainCall } from '../src/plain-call.ts';
import { plainSpecOf } from '../src/plain-spec.ts';
import { type CommandContext, type GlobalOptions, globalOptionsOf } from '../src/shell/context.ts';

interface Delivered {
  path: string;
  opts: Record<string, unknown>;
  global: GlobalOptions;
}

const leaves: [string, CommandSpec][] = Object.entries(COMMANDS as Record<string, CommandSpec>).flatMap(
  ([name, spec]) =>
    spec.subcommands
      ? Object.entries(spec.subcommands).map(([sub, s]) => [`${name} ${sub}`, s] as [string, CommandSpec])
      : [[name, spec] as [string, CommandSpec]],
);

/** What commander delivers to the handler for `argv`; 'refused' when it prints an error or help instead. */
async function viaCommander(argv: string[]): Promise<Delivered | 'refused' | 'default'> {
  let delivered: Delivered | 'default' | undefined;
  const loaders = Object.fromEntries(
    leaves.map(([path]) => [
      path,
      async () => async (opts: Record<string, unknown>, ctx: CommandContext) => {
        delivered = { path, opts: { ...opts }, global: ctx.global };
      },
    ]),
  ) as unknown as Loaders;
  const lazy: Lazy = {
    loaders,
    defaultAction: async () =>
      ({
        defaultAction: async () => {
          delivered = 'default';
        },
      }) as unknown as typeof import('../src/commands/default.ts'),
    reportError: async () =>
      ({ reportError: () => 2 }) as unknown as typeof import('../src/shell/report-error.ts'),
  };
  const sink = { write: () => true, isTTY: false };
  const code = await runWithCommander(
    argv,
    {
      context: (global) => ({ global }) as CommandContext,
      version: '0.0.0',
      outputs: { stdout: sink, stderr: sink },
    },
    lazy,
    () => {},
  );
  if (code !== 0 || delivered === undefined) return 'refused';
  return delivered;
}

function viaPlain(argv: string[]): Delivered | undefined {
  const call = parsePlainCall(argv);
  return call && { path: call.path, opts: call.opts, global: globalOptionsOf(call.global) };
}

/** A seeded generator (mulberry32), so that a failure names a line that fails again. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  '2026-27',
  'R1',
  'md',
  'x',
  'status',
  'export',
  'assess',
  'a b',
  '',
  'help',
  'list',
  '-',
  '-1',
];

/** The words of one option given on a command line, in one of the ways commander reads it. */
function optionWords(key: string, spec: OptionSpec, pick: <T>(xs: readonly T[]) => T, chance: () => number) {
  const long = longFlag(key, spec);
  const flag = spec.short && chance() < 0.4 ? spec.short : long;
  if (spec.value === undefined) return chance() < 0.05 ? [`${long}=x`] : [flag];
  const value = spec.choices && chance() < 0.85 ? pick(spec.choices) : pick(WORDS);
  if (chance() < 0.05) return [flag]; // its value missing
  if (flag === long && chance() < 0.3) return [`${long}=${value}`];
  return [flag, value];
}

/** One command line for `path`: options (its own and global ones) and arguments, plain or not. */
function commandLine(path: string, spec: CommandSpec, next: () => number): string[] {
  const chance = next;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const before: string[] = [];
  const after: string[] = [];
  for (const [key, option] of Object.entries(PROGRAM.options as Record<string, OptionSpec>))
    if (chance() < 0.25) (chance() < 0.5 ? before : after).push(...optionWords(key, option, pick, chance));
  const own = Object.entries(spec.options ?? {});
  for (const [key, option] of own) {
    if (chance() < 0.5) after.push(...optionWords(key, option, pick, chance));
    if (chance() < 0.05) after.push(...optionWords(key, option, pick, chance)); // given twice
  }
  const positional: string[] = [];
  const args = spec.args ?? [];
  const count = Math.floor(next() * (args.length + 2));
  for (let i = 0; i < count; i++) {
    const declared = args[Math.min(i, args.length - 1)];
    positional.push(declared?.choices && chance() < 0.8 ? pick(declared.choices) : pick(WORDS));
  }
  const rest = [...after];
  for (const word of positional) rest.splice(Math.floor(next() * (rest.length + 1)), 0, word);
  // now and then something only commander reads: help, a cluster, an unknown option, `--`, a typo
  const odd = ['--help', '-h', '-qv', '--bogus', '--', '-V', '--version', '--json=1', '-cx'];
  if (chance() < 0.15) rest.splice(Math.floor(next() * (rest.length + 1)), 0, pick(odd));
  const words = path.split(' ');
  if (chance() < 0.03) words[0] = `${words[0]}s`;
  if (chance() < 0.03 && words.length > 1) words.pop();
  return [...before, ...words, ...rest];
}

describe('parsePlainCall: a plain command line read without commander', () => {
  it('delivers what commander delivers, or leaves the line to commander', async () => {
    const next = random(20261206);
    let accepted = 0;
    let commanderRan = 0;
    const perCommand = new Map<string, number>();
    for (let n = 0; n < 6000; n++) {
      const [path, spec] = leaves[n % leaves.length] as [string, CommandSpec];
      const argv = commandLine(path, spec, next);
      const plain = viaPlain(argv);
      const commander = await viaCommander(argv);
      if (typeof commander === 'object') commanderRan++;
      if (plain === undefined) continue;
      accepted++;
      perCommand.set(plain.path, (perCommand.get(plain.path) ?? 0) + 1);
      expect(commander, JSON.stringify(argv)).toEqual(plain);
    }
    // the plain reader takes most of what commander runs, for every command but `help` (commander's)
    expect(accepted / commanderRan).toBeGreaterThan(0.6);
    expect([...perCommand.keys()].sort()).toEqual(
      leaves
        .map(([p]) => p)
        .filter((p) => p !== 'help')
        .sort(),
    );
  });

  it('reads with the spec as the build wrote it, which is the command spec without its help', () => {
    expect(PLAIN_SPEC).toEqual(plainSpecOf(PROGRAM, COMMANDS));
    expect(JSON.stringify(PLAIN_SPEC)).not.toContain('description');
  });

  it('reads the lines people type most', () => {
    expect(viaPlain(['export', '--cycle', '2026-27', '--format', 'md'])).toEqual({
      path: 'export',
      opts: { cycle: '2026-27', format: 'md' },
      global: { color: true },
    });
    expect(viaPlain(['--dir', 'ws', 'diff', '2025-26', '2026-27'])).toEqual({
      path: 'diff',
      opts: { from: '2025-26', to: '2026-27', format: 'text' },
      global: { dir: 'ws', color: true },
    });
    expect(viaPlain(['status', '-d', 'ws', '--no-color', '--plain'])?.global).toEqual({
      dir: 'ws',
      color: false,
      plain: true,
    });
    expect(viaPlain(['actions', 'add', '--title', 'T', '-t', 'R1', '--tag=R2'])?.opts).toEqual({
      title: 'T',
      tag: ['R1', 'R2'],
    });
    expect(viaPlain(['init', '--no-ratings', '-a', 'X'])?.opts).toEqual({
      authority: 'X',
      ratings: false,
      report: true,
    });
  });

  it('leaves to commander what only commander can answer', () => {
    for (const argv of [
      [],
      ['--help'],
      ['export', '--help'],
      ['help', 'git'],
      ['-V'],
      ['actions'],
      ['-qv', 'status'],
      ['stauts'],
      ['export', '--format', 'pdf'],
      ['export', '--cycle'],
      ['export', '--cycle', '--json'],
      ['diff', 'a'],
      ['diff', 'a', 'b', 'c'],
      ['status', '--', 'x'],
      ['status', '--json', '--json'],
      ['questions', '--json=yes'],
    ])
      expect(parsePlainCall(argv), argv.join(' ')).toBeUndefined();
  });
});
