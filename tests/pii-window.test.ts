/**
 * The cue window of the personal-data scan: no detector looks further than `CUE_WINDOW` characters
 * beside a match for a cue, and the texts of a cycle, scanned as one, are kept further apart than
 * that. Scanning a cycle in one pass is correct only while both hold; these tests fail when a
 * detector's window outgrows the constant.
 */
import { describe, expect, it } from 'vitest';
import { CUE_WINDOW, findPersonalData, findPersonalDataInCycle, SEGMENT_GAP } from '../src/core/pii.ts';
import type { CycleFile } from '../src/core/types.ts';
import { generateNhsNumber, seededRandom } from './helpers/pii-corpus.ts';

const kinds = (text: string) => findPersonalData(text).map((f) => f.kind);
/** A valid NHS number whose first six digits are not a date (so only a cue makes it a CHI number). */
function nhsNotDate(): string {
  const rng = seededRandom(11);
  for (;;) {
    const n = generateNhsNumber(rng);
    if (Number(n.slice(2, 4)) > 12) return n;
  }
}
const nhs = nhsNotDate();
/** `cue`, then blanks so that the match begins `distance` characters after the cue's start. */
const cueThen = (cue: string, distance: number, match: string) =>
  `${cue}${' '.repeat(distance - cue.length)}${match}`;

describe('no detector looks further than CUE_WINDOW for a cue', () => {
  it('before a health number: "CHI" inside the window makes it a CHI number, one character further does not', () => {
    expect(kinds(cueThen('CHI', CUE_WINDOW, nhs))).toEqual(['chi-number']);
    expect(kinds(cueThen('CHI', CUE_WINDOW + 1, nhs))).toEqual(['nhs-number']);
  });

  it('before a date: "born" inside the window makes it a date of birth, one character further does not', () => {
    expect(kinds(cueThen('born', CUE_WINDOW, '03/04/2018'))).toEqual(['date-of-birth']);
    expect(kinds(cueThen('born', CUE_WINDOW + 1, '03/04/2018'))).toEqual([]);
  });

  it('after a match: a cue CUE_WINDOW characters on is not seen', () => {
    expect(kinds(`03/04/2018 (DOB)`)).toEqual(['date-of-birth']);
    expect(kinds(`03/04/2018${' '.repeat(CUE_WINDOW)}(DOB)`)).toEqual([]);
    expect(kinds(`${nhs}${' '.repeat(CUE_WINDOW)}CHI`)).toEqual(['nhs-number']);
  });
});

describe('the texts of a cycle are scanned apart', () => {
  it('the gap between them is longer than the window', () => {
    expect(SEGMENT_GAP.length).toBeGreaterThan(CUE_WINDOW);
    expect(SEGMENT_GAP).toMatch(/^\n+$/);
  });

  it('a cue at the end of one answer does not reach the start of the next', () => {
    const answer = (text: string) => ({ status: 'answered', text: [text], changed: '2026-01-15' });
    const cycle = {
      answers: { 'a.one': answer('The carer was born'), 'a.two': answer('03/04/2018 was the review') },
      priorities: [],
      actions: [],
    } as unknown as CycleFile;
    expect(findPersonalDataInCycle(cycle)).toEqual([]);
    expect(kinds('The carer was born\n03/04/2018 was the review')).toEqual(['date-of-birth']);
  });
});
