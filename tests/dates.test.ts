import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatLongUkDate,
  formatUkDate,
  isOverdue,
  isValidIsoDate,
  parseUserDate,
} from '../src/core/dates.ts';

describe('parseUserDate', () => {
  it.each([
    ['31/03/2027', '2027-03-31'],
    ['1/4/2027', '2027-04-01'],
    ['01/04/2027', '2027-04-01'],
    ['2027-03-31', '2027-03-31'],
    ['2027-3-1', '2027-03-01'],
    ['31 March 2027', '2027-03-31'],
    ['31 march 2027', '2027-03-31'],
    ['1st Apr 2027', '2027-04-01'],
    ['3 Sept 2026', '2026-09-03'],
    ['  29/02/2028  ', '2028-02-29'],
    ['29/02/2000', '2000-02-29'],
  ])('reads %s as %s', (input, iso) => {
    expect(parseUserDate(input)).toBe(iso);
  });

  it.each([
    '31/02/2027', // no 31 February
    '29/02/2027', // 2027 is not a leap year
    '29/02/1900', // divisible by 100, not by 400
    '31/04/2027', // April has 30 days
    '00/01/2027',
    '12/13/2027', // month 13: day-first, so this is not 13 December
    '2027-02-30',
    '31 Smarch 2027',
    '31 Ma 2027',
    '03/31/2027', // US order
    '31-03-2027',
    '2027/03/31',
    'tomorrow',
    '',
    '31/03/27',
  ])('rejects %j', (input) => {
    expect(parseUserDate(input)).toBeUndefined();
  });

  it('round-trips every real date through the UK form', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          expect(parseUserDate(formatUkDate(iso))).toBe(iso);
          expect(parseUserDate(formatLongUkDate(iso))).toBe(iso);
          expect(isValidIsoDate(iso)).toBe(true);
        },
      ),
    );
  });
});

/** isValidIsoDate as first written: a pattern, and the date written again from its numbers. */
function isValidIsoDateByPattern(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

describe('isValidIsoDate', () => {
  it('agrees with the pattern it replaced, on every day of four centuries and on malformed texts', () => {
    const texts: string[] = [];
    for (let y = 1900; y <= 2300; y += 1)
      for (let m = 0; m <= 13; m++)
        for (let d = 0; d <= 32; d++)
          texts.push(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
    texts.push(
      '0999-01-01',
      '1000-01-01',
      '9999-12-31',
      '2026-1-01',
      '2026-01-1',
      '2026/01/01',
      '２０２６-01-01',
    );
    texts.push('2026-01-01 ', ' 2026-01-01', '2026-0a-01', '+026-01-01', '2026-01-01\n', '', '2026-01-0١');
    for (const t of texts) expect(isValidIsoDate(t), t).toBe(isValidIsoDateByPattern(t));
  });

  it('accepts real dates only, in the exact form', () => {
    expect(isValidIsoDate('2028-02-29')).toBe(true);
    expect(isValidIsoDate('2026-02-29')).toBe(false);
    expect(isValidIsoDate('2026-2-28')).toBe(false);
    expect(isValidIsoDate('2026-12-32')).toBe(false);
    expect(isValidIsoDate('2026-00-10')).toBe(false);
    expect(isValidIsoDate('2026-01-15T00:00')).toBe(false);
  });
});

describe('formatting', () => {
  it('shows dates day first', () => {
    expect(formatUkDate('2027-03-31')).toBe('31/03/2027');
    expect(formatLongUkDate('2027-03-01')).toBe('1 March 2027');
  });

  it('leaves text that is not a date alone', () => {
    expect(formatUkDate('soon')).toBe('soon');
  });
});

describe('isOverdue', () => {
  const today = '2026-01-15';
  it('is overdue only when open and due before today', () => {
    expect(isOverdue({ status: 'planned', due: '2026-01-14' }, today)).toBe(true);
    expect(isOverdue({ status: 'in-progress', due: '2025-12-31' }, today)).toBe(true);
    expect(isOverdue({ status: 'planned', due: '2026-01-15' }, today)).toBe(false); // due today is not late yet
    expect(isOverdue({ status: 'planned', due: '2026-02-01' }, today)).toBe(false);
    expect(isOverdue({ status: 'done', due: '2025-01-01' }, today)).toBe(false);
    expect(isOverdue({ status: 'dropped', due: '2025-01-01' }, today)).toBe(false);
    expect(isOverdue({ status: 'planned' }, today)).toBe(false);
  });
});
