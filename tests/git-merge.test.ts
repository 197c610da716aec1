/**
 * Merges with real git in temp folders (issue #13): the merge driver, git setup and git resolve,
 * through the built binary as git itself runs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CycleFile } from '../src/core/types.ts';
import { childEnv, runCli } from './helpers/run-cli.ts';

// each case runs git and the binary a dozen times (with the pre-commit hook): allow for a busy machine
const SLOW = 120_000;

let root: string;
let repo: string;
const ENV = childEnv({ GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' });
const FIVE = ['one', 'two', 'three', 'four', 'five'];

function gitIn(cwd: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync('git', args, { cwd, env: ENV, encoding: 'utf8' });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}
const git = (...args: string[]) => gitIn(repo, ...args);

async function kr(args: string[], cwd = repo) {
  return runCli(args, {
    cwd,
    env: { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    timeoutMs: 30_000,
  });
}

async function answerIt(id: string, text: string | string[], cwd = repo): Promise<void> {
  const r = await kr(
    ['answer', id, '--cycle', '2026-27', '--text', Array.isArray(text) ? text.join('\n') : text],
    cwd,
  );
  expect(r.code, r.stderr).toBe(0);
}

function commit(message: string, cwd = repo): void {
  expect(gitIn(cwd, 'add', '-A').code).toBe(0);
  const r = gitIn(cwd, 'commit', '-qm', message);
  expect(r.code, r.out).toBe(0);
}

async function cycle(cwd = repo): Promise<CycleFile> {
  return JSON.parse(await fs.readFile(path.join(cwd, 'reflections', '2026-27.json'), 'utf8')) as CycleFile;
}

async function reportMatchesExport(cwd = repo): Promise<void> {
  const exported = await kr(['export', '--cycle', '2026-27'], cwd);
  expect(exported.code, exported.stderr).toBe(0);
  expect(await fs.readFile(path.join(cwd, 'reflections', '2026-27.md'), 'utf8')).toBe(exported.stdout);
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kr-git-merge-'));
  repo = path.join(root, 'repo');
  await fs.mkdir(repo);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo, env: ENV });
  git('config', 'user.email', 'analyst@example.org');
  git('config', 'user.name', 'Example Analyst');
  expect((await kr(['init', '--authority', 'Exampleshire County Council'])).code).toBe(0);
  await answerIt('assess.carers.demographics', FIVE);
  const setup = await kr(['git', 'setup']);
  expect(setup.code, setup.stderr).toBe(0);
  commit('first answers');
}, SLOW);
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('git setup', { timeout: SLOW }, () => {
  it('writes the attributes, registers the drivers, installs the hook; is idempotent; --check says so', async () => {
    expect(await fs.readFile(path.join(repo, '.gitattributes'), 'utf8')).toContain(
      'reflections/*.json merge=kinship-reflect-cycle\nreflections/*.md merge=kinship-reflect-report\n',
    );
    expect(git('config', '--get', 'merge.kinship-reflect-cycle.driver').out).toMatch(
      /git merge-file %O %A %B %P/,
    );
    const again = await kr(['git', 'setup']);
    expect(again.stdout).toContain('already set up');
    expect((await kr(['git', 'setup', '--check'])).code).toBe(0);
  });

  it('a fresh clone is not set up: --check exits 1 and status prints a one-line hint', async () => {
    const clone = path.join(root, 'clone');
    expect(gitIn(root, 'clone', '-q', repo, clone).code).toBe(0);
    const check = await kr(['git', 'setup', '--check'], clone);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('merge drivers registered in this clone: no');
    const status = await kr(['status', '--cycle', '2026-27'], clone);
    expect(status.stderr).toContain(
      'This clone is not set up for per-item merges of answers: run kinship-reflect git setup',
    );
    expect((await kr(['status', '--cycle', '2026-27'])).stderr).not.toContain('not set up');
  });

  it('keeps a pre-commit hook of your own', async () => {
    const clone = path.join(root, 'clone');
    gitIn(root, 'clone', '-q', repo, clone);
    const hook = path.join(clone, '.git', 'hooks', 'pre-commit');
    await fs.writeFile(hook, '#!/bin/sh\necho mine\n', { mode: 0o755 });
    const r = await kr(['git', 'setup'], clone);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Left your own pre-commit hook as it is');
    expect(await fs.readFile(hook, 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });
});

describe('the merge driver', { timeout: SLOW }, () => {
  it('two branches answering different items merge with no conflict; the report is what export writes', async () => {
    git('checkout', '-qb', 'colleague');
    await answerIt('assess.carers.couples', 'Mostly couples.');
    commit('colleague');
    git('checkout', '-q', 'main');
    await answerIt('assess.carers.connection', 'Mostly grandparents.');
    commit('analyst');
    const merge = git('merge', '--no-edit', 'colleague');
    expect(merge.code, merge.out).toBe(0);
    expect(git('status', '--porcelain').out).toBe('');
    const c = await cycle();
    expect(c.answers['assess.carers.couples']?.text).toEqual(['Mostly couples.']);
    expect(c.answers['assess.carers.connection']?.text).toEqual(['Mostly grandparents.']);
    await reportMatchesExport();
  });

  it('different lines of one answer merge cleanly', async () => {
    git('checkout', '-qb', 'colleague');
    await answerIt('assess.carers.demographics', ['ONE', ...FIVE.slice(1)]);
    commit('colleague');
    git('checkout', '-q', 'main');
    await answerIt('assess.carers.demographics', [...FIVE.slice(0, 4), 'FIVE']);
    commit('analyst');
    expect(git('merge', '--no-edit', 'colleague').code).toBe(0);
    expect((await cycle()).answers['assess.carers.demographics']?.text).toEqual([
      'ONE',
      'two',
      'three',
      'four',
      'FIVE',
    ]);
    await reportMatchesExport();
  });

  it('the same line changed on both sides: a structured conflict, then git resolve --take theirs, committed', async () => {
    git('checkout', '-qb', 'colleague');
    await answerIt('assess.carers.demographics', [...FIVE.slice(0, 4), 'five, theirs']);
    await answerIt('assess.carers.couples', 'Only the colleague answered this.');
    commit('colleague');
    git('checkout', '-q', 'main');
    await answerIt('assess.carers.demographics', [...FIVE.slice(0, 4), 'five, ours']);
    commit('analyst');
    const merge = git('merge', '--no-edit', 'colleague');
    expect(merge.code).not.toBe(0);
    expect(merge.out).toContain('run kinship-reflect git resolve 2026-27');
    // valid JSON, both versions kept
    const raw = JSON.parse(
      await fs.readFile(path.join(repo, 'reflections', '2026-27.json'), 'utf8'),
    ) as CycleFile;
    expect(raw.conflicts).toEqual([
      expect.objectContaining({
        kind: 'answer',
        id: 'assess.carers.demographics',
        ours: expect.anything(),
        theirs: expect.anything(),
      }),
    ]);
    const status = await kr(['status', '--cycle', '2026-27']);
    expect(status.code).toBe(3);
    expect(status.stderr).toMatch(
      /unresolved merge conflict at reflections\/2026-27\.json:\d+ — run kinship-reflect git resolve 2026-27/,
    );
    const resolve = await kr(['git', 'resolve', '--take', 'theirs']);
    expect(resolve.code, resolve.stderr).toBe(0);
    expect(resolve.stderr).toContain(
      'Now run: git add reflections/2026-27.json reflections/2026-27.md && git commit',
    );
    expect((await kr(['validate', 'reflections/2026-27.json', 'reflections/2026-27.md'])).code).toBe(0);
    commit('merged');
    expect(git('status', '--porcelain').out).toBe('');
    const c = await cycle();
    expect(c.conflicts).toBeUndefined();
    expect(c.answers['assess.carers.demographics']?.text?.[4]).toBe('five, theirs');
    expect(c.answers['assess.carers.couples']?.text).toEqual(['Only the colleague answered this.']);
    await reportMatchesExport();
  });

  it('rebase and cherry-pick use the driver too', async () => {
    git('checkout', '-qb', 'colleague');
    await answerIt('assess.carers.couples', 'Mostly couples.');
    commit('colleague');
    git('checkout', '-q', 'main');
    await answerIt('assess.carers.connection', 'Mostly grandparents.');
    commit('analyst');
    git('checkout', '-qb', 'picked', 'main');
    const pick = git('cherry-pick', 'colleague');
    expect(pick.code, pick.out).toBe(0);
    expect((await cycle()).answers['assess.carers.couples']?.text).toEqual(['Mostly couples.']);
    git('checkout', '-q', 'colleague');
    const rebase = git('rebase', 'main');
    expect(rebase.code, rebase.out).toBe(0);
    const c = await cycle();
    expect(Object.keys(c.answers).sort()).toEqual([
      'assess.carers.connection',
      'assess.carers.couples',
      'assess.carers.demographics',
    ]);
    await reportMatchesExport();
  });
});

describe('a clone without git setup', { timeout: SLOW }, () => {
  it('raw markers: validate names the line, git resolve repairs it with the base from the index', async () => {
    const clone = path.join(root, 'clone');
    gitIn(root, 'clone', '-q', repo, clone);
    gitIn(clone, 'config', 'user.email', 'analyst@example.org');
    gitIn(clone, 'config', 'user.name', 'Example Analyst');
    gitIn(clone, 'checkout', '-qb', 'colleague');
    await answerIt('assess.carers.couples', 'Couples, theirs.', clone);
    await answerIt('assess.carers.connection', 'Only theirs changed this.', clone);
    commit('colleague', clone);
    gitIn(clone, 'checkout', '-q', 'main');
    await answerIt('assess.carers.couples', 'Couples, ours.', clone);
    commit('analyst', clone);
    expect(gitIn(clone, 'merge', '--no-edit', 'colleague').code).not.toBe(0);
    const text = await fs.readFile(path.join(clone, 'reflections', '2026-27.json'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.startsWith('<<<<<<<')) + 1;
    const validate = await kr(['validate', 'reflections/2026-27.json'], clone);
    expect(validate.code).toBe(3);
    expect(validate.stdout).toContain(
      `unresolved merge conflict at reflections/2026-27.json:${line} — run kinship-reflect git resolve 2026-27`,
    );
    const resolve = await kr(['git', 'resolve', '2026-27', '--take', 'ours'], clone);
    expect(resolve.code, resolve.stderr).toBe(0);
    const c = await cycle(clone);
    expect(c.answers['assess.carers.couples']?.text).toEqual(['Couples, ours.']);
    expect(c.answers['assess.carers.connection']?.text).toEqual(['Only theirs changed this.']);
    expect((await kr(['validate'], clone)).code).toBe(0);
    commit('merged', clone);
    expect(gitIn(clone, 'status', '--porcelain').out).toBe('');
    await reportMatchesExport(clone);
  });

  it('without a terminal and without --take, git resolve shows both versions and changes nothing', async () => {
    git('checkout', '-qb', 'colleague');
    await answerIt('assess.carers.couples', 'Theirs.');
    commit('colleague');
    git('checkout', '-q', 'main');
    await answerIt('assess.carers.couples', 'Ours.');
    commit('analyst');
    git('merge', '--no-edit', 'colleague');
    const before = await fs.readFile(path.join(repo, 'reflections', '2026-27.json'), 'utf8');
    const r = await kr(['git', 'resolve']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Ours (this branch):');
    expect(r.stdout).toContain('Theirs.');
    expect(r.stderr).toContain('--take ours or --take theirs');
    expect(await fs.readFile(path.join(repo, 'reflections', '2026-27.json'), 'utf8')).toBe(before);
  });
});
