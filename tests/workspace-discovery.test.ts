/**
 * Finding the workspace like git finds a repository, and `help git` typed literally: every step of
 * its "Start" and "Review" lists runs, in order, from where the quick start leaves you.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findWorkspaceAbove, workspaceDir } from '../src/shell/workspace.ts';
import { binPath, childEnv, runCli } from './helpers/run-cli.ts';

let root: string;

beforeEach(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'kr-discovery-')));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const ctxAt = (cwd: string, dir?: string, env: Record<string, string> = {}) =>
  ({ cwd, env, global: dir === undefined ? {} : { dir } }) as unknown as Parameters<typeof workspaceDir>[0];

describe('workspaceDir', () => {
  it('--dir, else $KINSHIP_REFLECT_DIR, else the nearest folder above holding kinship-reflect.yaml, else ./reflections', async () => {
    const ws = path.join(root, 'reflections');
    const deep = path.join(ws, 'notes', 'deeper');
    await fs.mkdir(deep, { recursive: true });
    expect(workspaceDir(ctxAt(root))).toBe(ws); // nothing yet: ./reflections
    await fs.writeFile(path.join(ws, 'kinship-reflect.yaml'), 'authority: X\nbank: reflective-tool\n');
    expect(workspaceDir(ctxAt(ws))).toBe(ws);
    expect(workspaceDir(ctxAt(deep))).toBe(ws);
    expect(findWorkspaceAbove(root)).toBeUndefined();
    expect(workspaceDir(ctxAt(deep, '../other'))).toBe(path.join(ws, 'notes', 'other'));
    expect(workspaceDir(ctxAt(deep, undefined, { KINSHIP_REFLECT_DIR: '/srv/r' }))).toBe(
      path.resolve('/srv/r'),
    );
  });

  it('every command works from inside the workspace and a sub-folder', async () => {
    expect((await runCli(['init', '--authority', 'Exampleshire County Council'], { cwd: root })).code).toBe(
      0,
    );
    const ws = path.join(root, 'reflections');
    const sub = path.join(ws, 'minutes');
    await fs.mkdir(sub);
    for (const cwd of [ws, sub]) {
      const answered = await runCli(
        ['answer', 'assess.carers.demographics', '--cycle', '2026-27', '--text', 'From inside.'],
        { cwd },
      );
      expect(answered.code, answered.stderr).toBe(0);
      const status = await runCli(['status'], { cwd });
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toContain('Cycle 2026-27');
    }
    await expect(fs.access(path.join(ws, 'reflections'))).rejects.toThrow();
    await expect(fs.access(path.join(sub, 'reflections'))).rejects.toThrow();
  });
});

/** The commands of a `help git` list: each indented line, without its right-hand comment. */
function steps(help: string, heading: string): string[] {
  const start = help.indexOf(`\n${heading}`);
  expect(start, `help git has a "${heading}" list`).toBeGreaterThan(0);
  const out: string[] = [];
  for (const line of help.slice(start + heading.length + 2).split('\n')) {
    if (!line.startsWith('  ')) break;
    out.push(line.trim().split(/\s{2,}/)[0] as string);
  }
  return out;
}

describe('help git, typed literally', () => {
  it('runs every step of "Start" and "Review what changed" from where the quick start leaves you', async () => {
    let git: string;
    try {
      git = execFileSync('git', ['--version'], { encoding: 'utf8' });
    } catch {
      throw new Error('git is needed for this test (install it; CI installs it)');
    }
    expect(git).toMatch(/git version/);
    // kinship-reflect on the PATH, as after npm install -g
    const binDir = path.join(root, 'bin');
    await fs.mkdir(binDir);
    const shim = path.join(binDir, 'kinship-reflect');
    await fs.writeFile(shim, `#!/bin/sh\nexec "${process.execPath}" "${binPath}" "$@"\n`, { mode: 0o755 });
    const home = path.join(root, 'home');
    await fs.mkdir(home);
    const env = childEnv({
      PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
      HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
      GIT_AUTHOR_NAME: 'Example Analyst',
      GIT_AUTHOR_EMAIL: 'analyst@example.org',
      GIT_COMMITTER_NAME: 'Example Analyst',
      GIT_COMMITTER_EMAIL: 'analyst@example.org',
    });
    const sh = (script: string) =>
      execFileSync('sh', ['-c', `set -e\n${script}`], { cwd: root, env, encoding: 'utf8', stdio: 'pipe' });
    // the quick start and two cycles to compare
    sh(
      [
        'kinship-reflect init --authority "Exampleshire County Council"',
        'kinship-reflect answer assess.carers.demographics --cycle 2025-26 --text "Around 240 households."',
        'kinship-reflect answer assess.carers.demographics --cycle 2026-27 --text "About 250 households."',
      ].join('\n'),
    );
    const help = (await runCli(['help', 'git'], { cwd: root })).stdout;
    const start = steps(help, 'Start:');
    expect(start[0]).toBe('cd reflections && git init');
    expect(start).toContain('kinship-reflect git setup');
    const review = steps(help, 'Review what changed before committing:');
    expect(review).toContain('kinship-reflect check --staged');
    // one shell, as a person types them: the cd of the first step holds for the rest
    const out = sh(
      [...start, 'echo "one more line" >> 2026-27.md', 'git add 2026-27.md', ...review].join('\n'),
    );
    expect(out).toContain('Changes from 2025-26 to 2026-27');
    const log = execFileSync('git', ['log', '--oneline'], {
      cwd: path.join(root, 'reflections'),
      env,
      encoding: 'utf8',
    });
    expect(log).toContain('Assess stage, first pass');
    await expect(
      fs.access(path.join(root, 'reflections', '.git', 'hooks', 'pre-commit')),
    ).resolves.toBeUndefined();
  });
});

describe('examples in --help', () => {
  it('every item id an example names exists, and the answer examples run as typed', async () => {
    const { COMMANDS, PROGRAM } = await import('../src/command-spec.ts');
    const { loadBuiltinBank } = await import('../src/generated/banks.ts');
    const { flattenBank } = await import('../src/core/bank.ts');
    const bank = (await loadBuiltinBank('reflective-tool')) as import('../src/core/types.ts').Bank;
    const ids = new Set(flattenBank(bank).map((i) => i.id));
    const examples: string[] = [];
    const collect = (list: readonly (string | readonly [string, string])[] | undefined) => {
      for (const e of list ?? []) examples.push(typeof e === 'string' ? e : e[0]);
    };
    collect((PROGRAM as { examples?: readonly (string | readonly [string, string])[] }).examples);
    for (const spec of Object.values(COMMANDS) as {
      examples?: readonly (string | readonly [string, string])[];
    }[])
      collect(spec.examples);
    const named = examples.flatMap((e) => e.match(/\b(?:assess|plan|do|review)\.[a-z0-9.-]+[a-z0-9]/g) ?? []);
    expect(named.length).toBeGreaterThan(0);
    for (const id of named) expect(ids.has(id), `example names "${id}"`).toBe(true);

    expect((await runCli(['init', '--authority', 'Exampleshire County Council'], { cwd: root })).code).toBe(
      0,
    );
    const binDir = path.join(root, 'bin');
    await fs.mkdir(binDir);
    await fs.writeFile(
      path.join(binDir, 'kinship-reflect'),
      `#!/bin/sh\nexec "${process.execPath}" "${binPath}" "$@"\n`,
      {
        mode: 0o755,
      },
    );
    const env = childEnv({ PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}` });
    for (const example of examples.filter((e) => /kinship-reflect answer /.test(e))) {
      execFileSync('sh', ['-c', example], { cwd: root, env, stdio: 'pipe' });
    }
    const cycle = JSON.parse(await fs.readFile(path.join(root, 'reflections', '2026-27.json'), 'utf8'));
    expect(Object.keys(cycle.answers).length).toBeGreaterThanOrEqual(2);
  });
});
