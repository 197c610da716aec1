import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/core/report.ts';
import { parseReport } from '../src/core/report-parse.ts';
import { arbitraryCycle, withoutControlCharacters } from './helpers/arbitrary-cycle.ts';
import { fixtureBank, fixtureCycle } from './helpers/fixture-bank.ts';

const bank = fixtureBank();
// thousands of cases: allow for a slow, busy CI machine (and for KR_FC_RUNS=20000 runs by hand)
const TIMEOUT = process.env.KR_FC_RUNS ? 1_800_000 : 120_000;

describe('report round trip', () => {
  it('gives back the fixture cycle exactly', () => {
    const cycle = fixtureCycle(bank);
    const { cycle: parsed, problems } = parseReport(renderReport(bank, cycle), bank, { base: cycle });
    expect(problems).toEqual([]);
    expect(parsed).toEqual(cycle);
  });

  it(
    'gives back answers, statuses, ratings, priorities and actions for any content',
    () => {
      // fast-check prints the seed and the shrunk counterexample when this fails
      fc.assert(
        fc.property(arbitraryCycle(bank).map(withoutControlCharacters), (cycle) => {
          const markdown = renderReport(bank, cycle);
          const { cycle: parsed, problems } = parseReport(markdown, bank, { base: cycle });
          expect(problems).toEqual([]);
          expect(parsed.answers).toEqual(cycle.answers);
          expect(parsed.priorities).toEqual(cycle.priorities);
          expect(parsed.actions).toEqual(cycle.actions);
          expect(parsed).toEqual(cycle);
        }),
        { numRuns: Number(process.env.KR_FC_RUNS ?? 2000) },
      );
    },
    TIMEOUT,
  );

  it(
    'survives CRLF line ends (a Windows checkout) unchanged',
    () => {
      fc.assert(
        fc.property(arbitraryCycle(bank).map(withoutControlCharacters), (cycle) => {
          const markdown = renderReport(bank, cycle).replace(/\n/g, '\r\n');
          const { cycle: parsed, problems } = parseReport(markdown, bank, { base: cycle });
          expect(problems).toEqual([]);
          expect(parsed).toEqual(cycle);
        }),
        { numRuns: 300 },
      );
    },
    TIMEOUT,
  );
});
