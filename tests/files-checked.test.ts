/**
 * Files are checked, not trusted (issue 15): impossible calendar dates are refused with their line,
 * in a cycle file and in a report's actions table.
 */
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeCycle } from '../src/core/cycle.ts';
import { parseCycleText } from '../src/core/cycle-validate.ts';
import { formatProblem } from '../src/core/errors.ts';
import { renderReport } from '../src/core/report.ts';
import { parseReport } from '../src/core/report-parse.ts';
import { fixtureBank, fixtureCycle } from './helpers/fixture-bank.ts';
import { answeredWorkspace, runCli } from './helpers/run-cli.ts';

const bank = fixtureBank();

describe('impossible calendar dates', () => {
  it.each([
    ['"changed": "2026-01-10"', '"changed": "2026-02-31"', 'assess.carers.count'],
    ['"due": "2026-03-31"', '"due": "2026-04-31"', undefined],
    ['"date": "2026-01-12"', '"date": "2025-02-29"', undefined],
  ])('a cycle file with %s changed to %s is refused at that line', (from, to, item) => {
    const text = serializeCycle(fixtureCycle(bank), bank).replace(from, to);
    expect(text).toContain(to);
    const { cycle, problems } = parseCycleText(text, '2026-27.json', bank);
    expect(cycle).toBeUndefined();
    const line = text.split('\n').findIndex((l) => l.includes(to)) + 1;
    const date = /"(\d{4}-\d{2}-\d{2})"$/.exec(to)?.[1];
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^2026-27\\.json:${line}:\\d+${item ? ` item "${item}"` : ''}:? "${date}" is not a day of the calendar`,
        ),
      ),
    ]);
  });

  it('an impossible date is refused wherever it is repeated; a good date, however often', () => {
    const good = serializeCycle(fixtureCycle(bank), bank);
    const changed = good.match(/"changed": "\d{4}-\d{2}-\d{2}"/g) ?? [];
    expect(changed.length).toBeGreaterThan(1);
    expect(parseCycleText(good, '2026-27.json', bank).problems).toEqual([]);
    const text = good.replace(/"changed": "\d{4}-\d{2}-\d{2}"/g, '"changed": "2026-02-30"');
    const { cycle, problems } = parseCycleText(text, '2026-27.json', bank);
    expect(cycle).toBeUndefined();
    expect(problems).toHaveLength(changed.length);
    expect(new Set(problems.map((p) => p.line)).size).toBe(changed.length);
  });

  it('31/02/2027 in a report’s actions table is refused at its line', () => {
    const markdown = renderReport(bank, fixtureCycle(bank)).replace('| 31/03/2026 |', '| 31/02/2027 |');
    expect(markdown).toContain('31/02/2027');
    const { problems } = parseReport(markdown, bank, { file: 'r.md' });
    const line = markdown.split('\n').findIndex((l) => l.includes('31/02/2027')) + 1;
    expect(problems[0]).toMatchObject({ file: 'r.md', line });
    expect(problems[0]?.message).toContain('due date "31/02/2027" is not a day of the calendar');
  });
});

describe('a cycle file must agree with its name and name a known bank', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await answeredWorkspace('kinship-reflect-identity-', '64% grandparents');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('z9.json holding cycle 2026-27 is refused with both names, not shown as 2026-27', async () => {
    await copyFile(path.join(dir, 'ws', '2026-27.json'), path.join(dir, 'ws', 'z9.json'));
    const r = await runCli(['status', '--cycle', 'z9', '--dir', 'ws'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /z9\.json:3:\d+: the file is named z9\.json but its "cycle" field says "2026-27"/,
    );
    const v = await runCli(['validate', '--dir', 'ws'], { cwd: dir });
    expect(v.code).toBe(3);
    expect(v.stdout).toContain('the file is named z9.json');
    await rm(path.join(dir, 'ws', 'z9.json'));
  });

  it('an unknown bank id is refused, saying how to give the bank', async () => {
    const file = path.join(dir, 'ws', '2026-27.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"id": "reflective-tool"', '"id": "made-up-bank"'));
    const r = await runCli(['status', '--cycle', '2026-27', '--dir', 'ws'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('the question bank "made-up-bank" is neither built in');
    expect(r.stderr).toContain('--bank <file>');
    await writeFile(file, text);
    expect((await runCli(['status', '--cycle', '2026-27', '--dir', 'ws'], { cwd: dir })).code).toBe(0);
  });
});
