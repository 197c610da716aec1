/**
 * Calendar dates as users type them and as UK readers expect to see them.
 *
 * Pure: no clock. Callers pass `today` as an ISO date (`YYYY-MM-DD`).
 */
import type { Action, IsoDate } from './types.ts';

/** 1–12 for a month name or its first three letters (`Sept` → 9), 0 when it is not one. */
export function monthNumber(name: string): number {
  const lower = name.toLowerCase();
  return MONTHS.findIndex((m) => m.startsWith(lower.slice(0, 3))) + 1;
}

/** What `parseUserDate` accepts, for error messages. */
export const DATE_FORMS = 'DD/MM/YYYY (e.g. 31/03/2027), YYYY-MM-DD (2027-03-31) or "31 March 2027"';

/** Month names, lower case, January first. */
export const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isoFromParts(year: number, month: number, day: number): IsoDate | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (year < 1000 || year > 9999 || month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Is `text` exactly `YYYY-MM-DD` and a real calendar date (no 31 February, 29 February only in leap years)? */
export function isValidIsoDate(text: string): boolean {
  // read digit by digit: a cycle has a date on every answer, and a pattern and a new string for each
  // cost more than this at start-up (tests/dates.test.ts compares it with the pattern on every date
  // of four centuries and on malformed texts)
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return false;
  let year = 0;
  let month = 0;
  let day = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    if (i < 4) year = year * 10 + digit;
    else if (i < 7) month = month * 10 + digit;
    else day = day * 10 + digit;
  }
  return year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function monthFromName(name: string): number | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (n.length < 3) return undefined;
  const index = MONTHS.findIndex(
    (m) => m === n || (n.length === 3 && m.startsWith(n)) || (n === 'sept' && m === 'september'),
  );
  return index === -1 ? undefined : index + 1;
}

/**
 * A date as a user typed it, as `YYYY-MM-DD`, or undefined when it is not a real date in one of the
 * accepted forms: `DD/MM/YYYY` or `D/M/YYYY` (day first, as in the UK), `YYYY-MM-DD`, and
 * `31 March 2027` (full or three-letter month names, any case, an optional "st/nd/rd/th").
 */
export function parseUserDate(input: string): IsoDate | undefined {
  const text = input.trim().replace(/\s+/g, ' ');
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (m) return isoFromParts(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) return isoFromParts(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+\.?),? (\d{4})$/i.exec(text);
  if (m) {
    const month = monthFromName(m[2] as string);
    return month === undefined ? undefined : isoFromParts(Number(m[3]), month, Number(m[1]));
  }
  return undefined;
}

/** `2027-03-31` → `31/03/2027`. Text that is not an ISO date is returned unchanged. */
export function formatUkDate(iso: IsoDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** `2027-03-31` → `31 March 2027`, for prose. */
export function formatLongUkDate(iso: IsoDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const month = MONTHS[Number(m[2]) - 1];
  if (!month) return iso;
  return `${Number(m[3])} ${month[0]?.toUpperCase()}${month.slice(1)} ${m[1]}`;
}

/** An action is overdue when it is still open (planned or in progress) and its due date is before today. */
export function isOverdue(action: Pick<Action, 'due' | 'status'>, today: IsoDate): boolean {
  if (action.due === undefined) return false;
  if (action.status !== 'planned' && action.status !== 'in-progress') return false;
  // ISO dates compare correctly as strings
  return action.due < today;
}
