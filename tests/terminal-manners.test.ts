/**
 * Terminal manners of the built binary: colour only when wanted (NO_COLOR, FORCE_COLOR, TERM=dumb,
 * --no-color, pipes), never in --json, data on stdout and everything else on stderr, --quiet and
 * --verbose, and a reader that closes the pipe early.
 *
 * vitest.config.ts pins NO_COLOR=1 for every test; these tests unset it where they need colour.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, hasAnsi, type RunCliOptions, runCli, runInPty, stripAnsi } from './helpers/run-cli.ts';

let dir: string;
let ws: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinship-reflect-manners-'));
  ws = join(dir, 'reflections');
  const init = await cli(['init', '--dir', ws, '--authority', 'Exampleshire County Council']);
  expect(init.code, init.stderr).toBe(0);
  const answer = await cli([
    'answer',
    'assess.carers.couples',
    '--dir',
    ws,
    '--cycle',
    '2026-27',
    '--text',
    'Mostly couples; 64% of carers are grandparents.',
    '--rating',
    'amber',
  ]);
  expect(answer.code, answer.stderr).toBe(0);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cli(args: string[], env: RunCliOptions['env'] = {}) {
  return runCli(args, { cwd: dir, env });
}

// Commands whose human output uses colour when it is wanted, with the workspace they need.
const human = (): string[][] => [['guide'], ['questions', '--stage', 'plan'], ['status', '--dir', ws]];

describe('colour', () => {
  it.each([
    ['FORCE_COLOR=1 on a pipe', { NO_COLOR: undefined, FORCE_COLOR: '1' }, true],
    [
      'FORCE_COLOR=1 with TERM=dumb (forcing wins)',
      { NO_COLOR: undefined, FORCE_COLOR: '1', TERM: 'dumb' },
      true,
    ],
    ['nothing set, on a pipe', { NO_COLOR: undefined }, false],
    ['NO_COLOR=1', { NO_COLOR: '1' }, false],
    ['NO_COLOR=1 even with FORCE_COLOR=1', { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
    ['FORCE_COLOR=0', { NO_COLOR: undefined, FORCE_COLOR: '0' }, false],
    ['TERM=dumb', { NO_COLOR: undefined, TERM: 'dumb' }, false],
  ] as const)('%s', async (_name, env, coloured) => {
    for (const args of human()) {
      const r = await cli(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(hasAnsi(r.stdout), args.join(' ')).toBe(coloured);
      expect(hasAnsi(r.stderr), args.join(' ')).toBe(false);
    }
  });

  it('--no-color wins over FORCE_COLOR=1, before or after the command', async () => {
    for (const args of human()) {
      const after = await cli([...args, '--no-color'], { NO_COLOR: undefined, FORCE_COLOR: '1' });
      const before = await cli(['--no-color', ...args], { NO_COLOR: undefined, FORCE_COLOR: '1' });
      expect(after.code).toBe(0);
      expect(hasAnsi(after.stdout), args.join(' ')).toBe(false);
      expect(before.stdout).toBe(after.stdout);
    }
  });

  it('meaning is never carried by colour alone: the words are the same with and without it', async () => {
    for (const args of human()) {
      const coloured = await cli(args, { NO_COLOR: undefined, FORCE_COLOR: '1' });
      const plain = await cli(args, { NO_COLOR: '1' });
      expect(stripAnsi(coloured.stdout)).toBe(plain.stdout);
    }
  });

  it.each([[['questions', '--json']], [['guide', '--json']], [['status', '--json']], [['cycles', '--json']]])(
    '%j prints JSON without colour codes even with FORCE_COLOR=3',
    async (args) => {
      const r = await cli([...args, '--dir', ws], { NO_COLOR: undefined, FORCE_COLOR: '3' });
      expect(r.code, r.stderr).toBe(0);
      expect(hasAnsi(r.stdout)).toBe(false);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    },
  );

  it('help is never coloured, even when forced', async () => {
    const r = await cli(['--help'], { NO_COLOR: undefined, FORCE_COLOR: '1' });
    expect(r.code).toBe(0);
    expect(hasAnsi(r.stdout)).toBe(false);
  });
});

describe('streams', () => {
  it('data goes to stdout and nothing else is printed when a data command succeeds', async () => {
    for (const args of [['questions', '--json'], ['guide'], ['status', '--dir', ws, '--json']]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.stderr, args.join(' ')).toBe('');
    }
  });

  it('messages about what was done go to stderr, and --quiet suppresses them', async () => {
    const args = [
      'answer',
      'assess.carers.connection',
      '--dir',
      ws,
      '--cycle',
      '2026-27',
      '--text',
      'Grandparents',
    ];
    const loud = await cli(args);
    expect(loud.code, loud.stderr).toBe(0);
    expect(loud.stdout).toBe('');
    expect(loud.stderr).toMatch(/assess\.carers\.connection/);
    const quiet = await cli([...args, '--text', 'Grandparents, mostly', '--quiet']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toBe('');
  });

  it('init says what it created on stderr, and nothing with --quiet', async () => {
    const loud = await cli([
      'init',
      '--dir',
      join(dir, 'loud'),
      '--authority',
      'Exampleshire County Council',
    ]);
    expect(loud.code, loud.stderr).toBe(0);
    expect(loud.stdout).toBe('');
    expect(loud.stderr).not.toBe('');
    const quiet = await cli(['init', '--dir', join(dir, 'quiet'), '--authority', 'Exampleshire', '-q']);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout + quiet.stderr).toBe('');
  });

  it('--quiet and --verbose never change the data on stdout', async () => {
    const normal = await cli(['status', '--dir', ws, '--json']);
    const quiet = await cli(['status', '--dir', ws, '--json', '--quiet']);
    const verbose = await cli(['status', '--dir', ws, '--json', '--verbose']);
    expect(quiet.stdout).toBe(normal.stdout);
    expect(verbose.stdout).toBe(normal.stdout);
    expect(verbose.code).toBe(0);
  });

  it('errors go to stderr with no stack trace, stdout stays empty, even with --quiet', async () => {
    for (const extra of [[], ['--quiet']]) {
      const r = await cli(['status', '--dir', join(dir, 'nowhere'), ...extra]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^kinship-reflect: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('usage errors from option parsing go to stderr and exit 2', async () => {
    const r = await cli(['questions', '--stage']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--stage/);
  });

  it('a reader that stops early (| head -c 1) is not an error', () => {
    const r = spawnSync(
      'bash',
      [
        '--norc',
        '--noprofile',
        '-c',
        `"${process.execPath}" "${binPath}" questions --json 2>"$ERR" | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"; cat "$ERR"`,
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: dir, NO_COLOR: '1', ERR: join(dir, 'epipe.err') },
      },
    );
    const [code, ...stderr] = r.stdout.split('\n');
    expect(code).toBe('0');
    expect(stderr.join('\n').trim()).toBe('');
  });
});

describe('in a real terminal', () => {
  it('colour is on by default, and off with NO_COLOR, TERM=dumb or --no-color', async () => {
    const on = await runInPty(['guide'], { cwd: dir, env: { NO_COLOR: undefined } });
    expect(on.code, on.output).toBe(0);
    expect(hasAnsi(on.output)).toBe(true);
    for (const [env, args] of [
      [{ NO_COLOR: '1' }, []],
      [{ NO_COLOR: undefined, TERM: 'dumb' }, []],
      [{ NO_COLOR: undefined }, ['--no-color']],
    ] as const) {
      const off = await runInPty(['guide', ...args], { cwd: dir, env });
      expect(off.code, off.output).toBe(0);
      expect(hasAnsi(off.output), JSON.stringify(env)).toBe(false);
      expect(off.output.replace(/\r\n/g, '\n')).toBe(stripAnsi(on.output).replace(/\r\n/g, '\n'));
    }
  });
});
