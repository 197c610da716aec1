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

describe('isValidIsoDate', () => {
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
