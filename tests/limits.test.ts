/**
 * No crash and no hang within the documented limits (issue 15): an answer of 130,000 short lines in a
 * (hand-edited) cycle file goes through every output and back; typed answers past the limits are a
 * usage error that states them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCsv, renderJsonExport } from '../src/core/csv.ts';
import { answerSizeProblem, MAX_ANSWER_BYTES, MAX_ANSWER_LINES } from '../src/core/cycle.ts';
import { diffCycles } from '../src/core/diff.ts';
import { diffSequences, MAX_EDIT_LENGTH } from '../src/core/myers.ts';
import { renderDiffMarkdown, renderDiffText } from '../src/core/render-diff.ts';
import { renderReport } from '../src/core/report.ts';
import { parseReport } from '../src/core/report-parse.ts';
import { fixtureBank, fixtureCycle } from './helpers/fixture-bank.ts';
import { runCli } from './helpers/run-cli.ts';

const bank = fixtureBank();
const LINES = 130_000;

function hugeCycle(line: string, id = '2026-27') {
  const cycle = fixtureCycle(bank, id);
  const answer = cycle.answers['assess.carers.count'];
  if (answer) answer.text = Array.from({ length: LINES }, (_, i) => `${line}${i % 10}`);
  return cycle;
}

describe('an answer of 130,000 lines in a cycle file', () => {
  it('goes through the report, CSV, JSON and back without overflowing the stack', () => {
    const cycle = hugeCycle('x');
    const markdown = renderReport(bank, cycle);
    expect(markdown.split('\n').length).toBeGreaterThan(LINES);
    expect(renderCsv(bank, cycle).length).toBeGreaterThan(LINES);
    expect(renderJsonExport(bank, cycle).length).toBeGreaterThan(LINES);
    const { cycle: parsed, problems } = parseReport(markdown, bank, { base: cycle });
    expect(problems).toEqual([]);
    expect(parsed.answers['assess.carers.count']?.text).toHaveLength(LINES);
  });

  it('diffs against another such answer quickly, as a replacement', () => {
    const started = Date.now();
    const diff = diffCycles(bank, hugeCycle('x', '2025-26'), hugeCycle('y'), { today: '2026-01-15' });
    expect(renderDiffText(diff).length).toBeGreaterThan(LINES);
    expect(renderDiffMarkdown(diff).length).toBeGreaterThan(LINES);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('the edit-length cap of the line diff', () => {
  it('past the cap: everything removed, everything added, around the shared start and end', () => {
    const n = MAX_EDIT_LENGTH * 2;
    const from = ['head', ...Array.from({ length: n }, (_, i) => `a${i}`), 'tail'];
    const to = ['head', ...Array.from({ length: n }, (_, i) => `b${i}`), 'tail'];
    const parts = diffSequences(from, to);
    expect(parts.map((p) => [p.count, p.added, p.removed])).toEqual([
      [1, false, false],
      [n, false, true],
      [n, true, false],
      [1, false, false],
    ]);
  });
});

describe('the limits of a typed answer', () => {
  it('are stated and checked', () => {
    expect(answerSizeProblem(Array(MAX_ANSWER_LINES).fill('x'), 'the answer')).toBeUndefined();
    expect(answerSizeProblem(Array(MAX_ANSWER_LINES + 1).fill('x'), 'the answer')).toMatch(
      /the answer is 2,001 lines long; an answer may have at most 2,000 lines and 128 KB/,
    );
    expect(answerSizeProblem(['x'.repeat(MAX_ANSWER_BYTES)], 'the answer')).toMatch(/129 KB long/);
  });

  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kinship-reflect-limits-'));
    expect((await runCli(['init', '--authority', 'Exampleshire', '--dir', 'ws'], { cwd: dir })).code).toBe(0);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('130,000 lines piped to answer: a usage error stating the limits, exit 2, no stack trace', async () => {
    const input = `${Array.from({ length: LINES }, () => 'x').join('\n')}\n`;
    const r = await runCli(['answer', 'assess.carers.demographics', '--cycle', '2026-27', '--dir', 'ws'], {
      cwd: dir,
      input,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'the answer is 130,000 lines long; an answer may have at most 2,000 lines and 128 KB',
    );
    expect(r.stderr).not.toMatch(/\n\s+at |Maximum call stack/);
  });
});
