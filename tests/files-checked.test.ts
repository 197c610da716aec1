/**
 * Files are checked, not trusted (issue 15): impossible calendar dates are refused with their line,
 * in a cycle file and in a report's actions table.
 */
import { describe, expect, it } from 'vitest';
import { serializeCycle } from '../src/core/cycle.ts';
import { parseCycleText } from '../src/core/cycle-validate.ts';
import { formatProblem } from '../src/core/errors.ts';
import { renderReport } from '../src/core/report.ts';
import { parseReport } from '../src/core/report-parse.ts';
import { fixtureBank, fixtureCycle } from './helpers/fixture-bank.ts';

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

  it('31/02/2027 in a report’s actions table is refused at its line', () => {
    const markdown = renderReport(bank, fixtureCycle(bank)).replace('| 31/03/2026 |', '| 31/02/2027 |');
    expect(markdown).toContain('31/02/2027');
    const { problems } = parseReport(markdown, bank, { file: 'r.md' });
    const line = markdown.split('\n').findIndex((l) => l.includes('31/02/2027')) + 1;
    expect(problems[0]).toMatchObject({ file: 'r.md', line });
    expect(problems[0]?.message).toContain('due date "31/02/2027" is not a day of the calendar');
  });
});
