/**
 * Cycle files and reports in a real git repository: small, readable diffs.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answer } from '../src/commands/answer.ts';
import { exportReport } from '../src/commands/export.ts';
import type { CommandContext } from '../src/shell/context.ts';
import { makeWorkspace, type TestWorkspace } from './helpers/workspace.ts';

let t: TestWorkspace;

function git(...args: string[]): string {
  return execFileSync('git', args, {
    cwd: t.dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' },
  });
}

function withToday(ctx: CommandContext, today: string): CommandContext {
  return { ...ctx, today: () => today };
}

beforeEach(async () => {
  t = await makeWorkspace({ report: true });
  git('init', '-q');
  git('config', 'user.email', 'analyst@example.org');
  git('config', 'user.name', 'Example Analyst');
  git('config', 'core.autocrlf', 'false');
});
afterEach(async () => {
  await t.cleanup();
});

const FIVE = [
  'Around 240 kinship households.',
  '64% grandparents.',
  '12 SGO households.',
  'Most in the north.',
  'Since 2019.',
];

describe('git-friendly files', () => {
  it('a one-line edit of a five-line answer is one line of JSON and three of Markdown (the line, its fingerprint, the checksum)', async () => {
    await answer(
      { 'item-id': 'assess.carers.demographics', cycle: '2026-27', text: FIVE.join('\n'), rating: 'amber' },
      t.ctx,
    );
    await answer({ 'item-id': 'assess.carers.couples', cycle: '2026-27', text: 'Mostly couples.' }, t.ctx);
    git('add', '-A');
    git('commit', '-qm', 'first');
    const edited = [...FIVE];
    edited[2] = '14 SGO households.';
    // the same day: the answer's "changed" date stays, so only the edited line moves
    await answer(
      { 'item-id': 'assess.carers.demographics', cycle: '2026-27', text: edited.join('\n') },
      t.ctx,
    );
    const numstat = git('diff', '--numstat')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    const byFile = Object.fromEntries(
      numstat.map(([added, removed, file]) => [file, { added: Number(added), removed: Number(removed) }]),
    );
    expect(byFile['2026-27.json']).toEqual({ added: 1, removed: 1 });
    expect(byFile['2026-27.md']).toEqual({ added: 3, removed: 3 });
    expect(
      git('diff', '-U0', '2026-27.md')
        .split('\n')
        .filter((l) => /^[-+][^-+]/.test(l))
        .map((l) => l.replace(/[0-9a-f]{8}/, 'X')),
    ).toEqual([
      '-<!-- fingerprint: X -->',
      '+<!-- fingerprint: X -->',
      '-12 SGO households.',
      '+14 SGO households.',
      '-<!-- kinship-reflect: generated, crc32 X -->',
      '+<!-- kinship-reflect: generated, crc32 X -->',
    ]);
    expect(Object.keys(byFile).sort()).toEqual(['2026-27.json', '2026-27.md']);
  });

  it('on a later day the changed date moves too: one more line, and nothing else', async () => {
    await answer({ 'item-id': 'assess.carers.demographics', cycle: '2026-27', text: FIVE.join('\n') }, t.ctx);
    git('add', '-A');
    git('commit', '-qm', 'first');
    const edited = [...FIVE];
    edited[0] = 'Around 250 kinship households.';
    await answer(
      { 'item-id': 'assess.carers.demographics', cycle: '2026-27', text: edited.join('\n') },
      withToday(t.ctx, '2026-02-20'),
    );
    const json = git('diff', '--numstat', '--', '2026-27.json').trim().split('\t');
    expect(json.slice(0, 2)).toEqual(['2', '2']);
    expect(git('diff', '--', '2026-27.json')).toContain('+      "changed": "2026-02-20"');
  });

  it('saving an unchanged cycle, or exporting, leaves git status clean', async () => {
    await answer(
      { 'item-id': 'assess.carers.demographics', cycle: '2026-27', text: FIVE.join('\n'), rating: 'green' },
      t.ctx,
    );
    git('add', '-A');
    git('commit', '-qm', 'first');
    await answer(
      { 'item-id': 'assess.carers.demographics', cycle: '2026-27', text: FIVE.join('\n') },
      withToday(t.ctx, '2026-03-01'),
    );
    await exportReport({ cycle: '2026-27', format: 'md' }, t.ctx);
    expect(git('status', '--porcelain')).toBe('');
    expect(await fs.readdir(t.dir)).toEqual(expect.arrayContaining(['2026-27.json', '2026-27.md']));
  });
});

void os;
void path;
