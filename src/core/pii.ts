/**
 * Personal-data detectors: NHS and CHI numbers, National Insurance numbers, postcodes, phone numbers,
 * e-mail addresses, dates of birth and cued names of individuals.
 *
 * Pure: text in, findings out. A finding never carries the value it found, only a masked excerpt and a
 * fingerprint (a truncated hash of the kind and the normalised value) that an analyst can put on the
 * workspace's allow list after reviewing a false positive.
 *
 * Every regular expression here uses bounded quantifiers only, so scanning is linear in the length of
 * the text (a 1 MB answer is scanned in well under a second).
 *
 * In a fresh process the scan costs more to start than to run: V8 compiles each regular expression on
 * its first use, and on a cycle's joined answers that compilation was most of a first scan (3.3 ms of
 * which 1.3 ms scanning on Node 24, 5.0 ms on Node 26, whose regexp compiler is dearer). So each
 * detector whose pattern is large is skipped when a small pattern, a strict necessary condition of it
 * (proved beside it), finds nothing: the big pattern is then never compiled. On the bench's answered
 * cycle, which has nothing to find, the first scan now takes 1.6 ms on Node 24 and 2.3 ms on Node 26
 * (1.7 on Node 20 and 22, from 3.0). A gate is a pure speed trick: tests/pii-equivalence.test.ts
 * compares the findings with a frozen copy of the scanner without gates.
 */
import { monthNumber } from './dates.ts';
import { PLAIN_FIRST_NAMES, WORD_FIRST_NAMES } from './first-names.ts';
import { sha256Hex } from './hash.ts';
import { decodeJsonStringWithOffsets, forEachJsonToken } from './json-tokens.ts';
import { lineStarts, offsetIn, positionIn, type TextPosition } from './text-position.ts';
import type { CycleFile } from './types.ts';
import { inSortedWordList } from './word-list.ts';

/**
 * A value made when first asked for. Most of the patterns and word lists below serve detectors that a
 * gate pattern skips for nearly every text, and building them all at load (V8 parses a pattern when
 * it is made, and a Set hashes every word) cost 0.3 ms of each `export` on Node 24 and 0.4 ms on
 * Node 26 (bench/README.md).
 */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export type PiiKind =
  | 'nhs-number'
  | 'chi-number'
  | 'ni-number'
  | 'postcode'
  | 'phone'
  | 'email'
  | 'date-of-birth'
  | 'person-name';

export const PII_KINDS: readonly PiiKind[] = [
  'nhs-number',
  'chi-number',
  'ni-number',
  'postcode',
  'phone',
  'email',
  'date-of-birth',
  'person-name',
];

/** How each kind is named in messages: `possible NHS number "4•••••••••2"`. */
export const PII_KIND_LABELS: Record<PiiKind, string> = {
  'nhs-number': 'NHS number',
  'chi-number': 'CHI number',
  'ni-number': 'National Insurance number',
  postcode: 'postcode',
  phone: 'phone number',
  email: 'e-mail address',
  'date-of-birth': 'date of birth',
  'person-name': 'name of a person',
};

export interface Finding {
  kind: PiiKind;
  /** Item id (`assess.carers.demographics`), `priorities.R1` or `actions.A2`, when known. */
  item?: string;
  /** Which part of the item: `text`, `needs`, `evidence`, `rationale`, `title`, `owner`, `notes`, `history`. */
  field?: string;
  /** 1-based line within the scanned text (for a cycle: within that field of the item). */
  line: number;
  /** 1-based column (UTF-16 code units) of the start of the value. */
  column: number;
  /** The value masked: never the full value. */
  excerpt: string;
  /** 16 hex characters: sha256 of kind and normalised value; what the allow list holds. */
  fingerprint: string;
}

export interface FindOptions {
  item?: string;
  field?: string;
  /** The workspace's salt for fingerprints (see fingerprintOf). */
  salt?: string;
}

interface RawMatch {
  kind: PiiKind;
  index: number;
  value: string;
  /** Canonical form for the fingerprint (digits only, upper case without spaces…). */
  normalised: string;
  /** Text shown unmasked before the masked value (a title such as `Mrs`). */
  prefix?: string;
}

const BULLET = '•';

// ---------------------------------------------------------------------------
// Masking and fingerprints
// ---------------------------------------------------------------------------

/**
 * Mask a value so that it can be shown without disclosing it. Letters and digits are replaced by
 * bullets except the first and the last (the first only for names and e-mail parts, and nothing at all
 * for values of three characters or fewer); separators are kept so the shape stays recognisable.
 */
export function maskValue(value: string, kind?: PiiKind): string {
  if (kind === 'person-name') {
    return value
      .split(/(\s+)/)
      .map((part) => (/^\s+$/.test(part) ? part : maskWord(part)))
      .join('');
  }
  if (kind === 'email') {
    const at = value.lastIndexOf('@');
    if (at > 0) {
      const local = value.slice(0, at);
      const domain = value.slice(at + 1);
      const dot = domain.lastIndexOf('.');
      const host = dot > 0 ? domain.slice(0, dot) : domain;
      const tld = dot > 0 ? domain.slice(dot) : '';
      return `${maskWord(local)}@${maskWord(host)}${tld}`;
    }
  }
  const positions: number[] = [];
  for (let i = 0; i < value.length; i++) if (/[\p{L}\p{N}]/u.test(value[i] ?? '')) positions.push(i);
  if (positions.length <= 3) return value.replace(/[\p{L}\p{N}]/gu, BULLET);
  const keep = new Set([positions[0], positions[positions.length - 1]]);
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] ?? '';
    out += keep.has(i) || !/[\p{L}\p{N}]/u.test(ch) ? ch : BULLET;
  }
  return out;
}

/** First character kept, every other letter or digit a bullet: `Testington` → `T•••••••••`. */
function maskWord(word: string): string {
  const chars = Array.from(word);
  return chars.map((ch, i) => (i === 0 || !/[\p{L}\p{N}]/u.test(ch) ? ch : BULLET)).join('');
}

/**
 * The stable fingerprint of a value of a kind: sha256 hex of `salt`, `kind:normalised`, first 16
 * characters. The salt is the workspace's own (`.kinship-reflect-salt`), so that a committed allow list
 * cannot be reversed by hashing every postcode or date; without one the hash is unsalted.
 */
export function fingerprintOf(kind: PiiKind, normalised: string, salt = ''): string {
  return sha256Hex(salt === '' ? `${kind}:${normalised}` : `${salt}\u0000${kind}:${normalised}`).slice(0, 16);
}

/** True for a well-formed fingerprint as written to the allow list. */
export function isFingerprint(text: string): boolean {
  return /^[0-9a-f]{16}$/.test(text);
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

/** NHS and CHI numbers share the modulus-11 check digit (weights 10…2; 11 → 0; 10 → invalid). */
export function hasValidMod11(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === Number(digits[9]);
}

function isValidDate(day: number, month: number, year: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= (lengths[month - 1] ?? 0);
}

/** DDMMYY as a CHI number starts: a real calendar date (the century is not encoded; try both). */
function isDdmmyy(six: string): boolean {
  const d = Number(six.slice(0, 2));
  const m = Number(six.slice(2, 4));
  const y = Number(six.slice(4, 6));
  return isValidDate(d, m, 2000 + y) || isValidDate(d, m, 1900 + y);
}

/**
 * How far a detector may look beside a match for a cue ("NHS", "born"…), in characters, before or
 * after it. Texts scanned together are kept apart by more than this (`SEGMENT_GAP`);
 * tests/pii-window.test.ts fails if a detector looks further.
 */
// 60: a birth date's cue may stand a few words before it in the same sentence ("born, according to
// the referral, on 16 June 2012").
export const CUE_WINDOW = 60;

function near(
  text: string,
  start: number,
  end: number,
  cue: RegExp,
  before = CUE_WINDOW,
  after = 15,
): boolean {
  const window = `${text.slice(Math.max(0, start - before), start)} … ${text.slice(end, end + after)}`;
  return cue.test(window);
}

// ---------------------------------------------------------------------------
// Detectors
// ---------------------------------------------------------------------------

// Ten digits as 3-3-4, 3-4-3, 6-4, 2-2-2-4 (a CHI number's date typed with dots) or unbroken, with
// spaces, dashes or dots; not part of a longer number, amount or date.
const TEN_DIGITS = once(
  () =>
    /(?<![\w.,/£$€%+-])(?:\d{3}([ .-]?)\d{3}\1\d{4}|\d{3}([ .-]?)\d{4}\2\d{3}|\d{2}([ .-]?)\d{2}\3\d{2}[ .-]?\d{4}|\d{6}[ .-]?\d{4})(?![\w%]|[.,/-]\d)/g,
);
const NHS_CUE = once(() => /\bNHS\b/i);
const CHI_CUE = once(() => /\bCHI\b/i);

/**
 * Gate of the health-number and phone detectors: nine digits in a row, each pair at most two of
 * ` ().-` apart. Necessary for TEN_DIGITS (ten digits, each pair at most one of ` .-` apart) and for
 * PHONE (a digit [127] and then eight or nine more, each after at most two of ` ().-`). Skipping the
 * two saves 0.12 ms on Node 24 and 0.25 ms on Node 26 in a text without such a run of digits
 * ("2026-27", "45%"); the gate costs 0.05 ms.
 */
const NINE_DIGITS = /\d(?:[ ().-]{0,2}\d){8}/;

function detectHealthNumbers(text: string, out: RawMatch[]): void {
  if (!NINE_DIGITS.test(text)) return;
  for (const m of text.matchAll(TEN_DIGITS())) {
    const digits = digitsOf(m[0]);
    if (!hasValidMod11(digits)) continue;
    const start = m.index ?? 0;
    const end = start + m[0].length;
    // Scottish CHI numbers start with the date of birth (DDMMYY); NHS numbers issued in England and
    // Wales start 4, 6 or 7 and so never look like a date. A nearby cue settles the ambiguous rest.
    let kind: PiiKind = 'nhs-number';
    if (near(text, start, end, CHI_CUE())) kind = 'chi-number';
    else if (isDdmmyy(digits.slice(0, 6)) && !near(text, start, end, NHS_CUE())) kind = 'chi-number';
    out.push({ kind, index: start, value: m[0], normalised: digits });
  }
}

// HMRC: first letter not D F I Q U V; second not D F I O Q U V; suffix A–D. Typed in any case, with
// spaces, dashes or dots between the groups ("ab-12-34-56-c", "Ab.123456.c"). Both cases are spelt out
// rather than asked for with the `i` flag, which matches the same here (in a pattern without the `u`
// flag, `i` pairs an ASCII letter with its other case and nothing else) but makes V8 fold every range
// when it compiles: 0.08 ms instead of 0.20 on Node 24, 0.17 instead of 0.30 on Node 26.
const NI = once(
  () =>
    /(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Za-ceghj-pr-tw-z][A-CEGHJ-NPR-TW-Za-ceghj-npr-tw-z])[ .-]?(\d{2})[ .-]?(\d{2})[ .-]?(\d{2})[ .-]?([A-Da-d])(?![A-Za-z0-9])/g,
);
/** Gate of NI: its end, two digits and the suffix letter. Costs 0.04 ms where NI costs 0.08. */
const NI_END = /\d\d[ .-]?[A-Da-d](?![A-Za-z0-9])/;
const NI_BAD_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

function detectNiNumbers(text: string, out: RawMatch[]): void {
  if (!NI_END.test(text)) return;
  for (const m of text.matchAll(NI())) {
    const prefix = (m[1] ?? '').toUpperCase();
    if (NI_BAD_PREFIXES.has(prefix)) continue;
    const normalised = m[0].replace(/[ .-]/g, '').toUpperCase();
    out.push({ kind: 'ni-number', index: m.index ?? 0, value: m[0], normalised });
  }
}

// The 120-odd postcode areas of the UK (and the Crown dependencies), so that tags such as R1 or KP2
// followed by something postcode-shaped are not mistaken for an outward code.
const POSTCODE_AREAS = once(
  () =>
    new Set(
      (
        'AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY ' +
        'E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN ' +
        'LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP ' +
        'SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE'
      ).split(' '),
    ),
);
// Both cases spelt out, as in NI: 0.15 ms to compile instead of 0.27 on Node 24 (0.24 and 0.37 on 26).
const POSTCODE = once(
  () =>
    /(?<![A-Za-z0-9])(?:([Gg][Ii][Rr]) ?(0[Aa][Aa])|([A-Za-z]{1,2})(\d[A-Za-z\d]?)( {0,2})(\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}))(?![A-Za-z0-9])/g,
);
/** Gate of POSTCODE: its inward code and what stands just before it (0.05 ms where POSTCODE costs 0.15). */
const POSTCODE_CORE = /\d[A-Za-z\d]? {0,2}\d[A-Za-z]{2}|[Gg][Ii][Rr] ?0[Aa][Aa]/;

function detectPostcodes(text: string, out: RawMatch[]): void {
  if (!POSTCODE_CORE.test(text)) return;
  for (const m of text.matchAll(POSTCODE())) {
    const value = m[0];
    const letters = value.replace(/[^A-Za-z]/g, '');
    // Either all upper or all lower case: "KP2 3rd" is prose, "SW1A 1AA" and "sw1a 1aa" are postcodes.
    if (letters !== letters.toUpperCase() && letters !== letters.toLowerCase()) continue;
    if (!m[1]) {
      const area = (m[3] ?? '').toUpperCase();
      if (!POSTCODE_AREAS().has(area)) continue;
    }
    const norm = value.replace(/ /g, '').toUpperCase();
    out.push({ kind: 'postcode', index: m.index ?? 0, value, normalised: norm });
  }
}

// +44 / 0044 / 0, optional (0), then the national number: digits with at most two separators between
// (spaces, dashes, dots or brackets: "07700.900.123", "(0117) 496-0123").
const PHONE = once(
  () => /(?<![\w+.])(?:(?:\+|00)44[ .-]?(?:\(0\)[ .-]?)?|\(?0)[127](?:[ ().-]{0,2}\d){8,9}(?![\w]|\.\d)/g,
);

function detectPhones(text: string, out: RawMatch[]): void {
  if (!NINE_DIGITS.test(text)) return;
  for (const m of text.matchAll(PHONE())) {
    let digits = digitsOf(m[0]);
    if (digits.startsWith('0044')) digits = digits.slice(4);
    else if (digits.startsWith('44') && m[0].trimStart().startsWith('+')) digits = digits.slice(2);
    else digits = digits.slice(1);
    if (digits.startsWith('0')) digits = digits.slice(1); // the "(0)" in "+44 (0)20 …"
    // Geographic (01, 02) and mobile (07) numbers have 10 digits after the 0. (A few small 01
    // exchanges have 9, but allowing those would mistake CHI numbers for phones.) Non-geographic 03
    // numbers and freephone 080x are what organisations and national helplines use ("0300 123 …",
    // "0808 800 …"), never a person's own line, so they are not reported.
    if (digits.length !== 10 || !/^[127]/.test(digits)) continue;
    out.push({ kind: 'phone', index: m.index ?? 0, value: m[0], normalised: `0${digits}` });
  }
}

const EMAIL = once(
  () =>
    /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])/g,
);

// Functional mailboxes of an organisation are not personal data: an address whose local part is made
// only of these words ("practice_guides@…", "kinship.team@…") is not reported.
const ROLE_WORDS = once(
  () =>
    new Set(
      (
        'admin adoption advice alerts contact contactus care carers children council customer customers data ' +
        'duty enquiries enquiry family families fostering foi general guardians guide guides hello help ' +
        'helpdesk hub info information kinship mail media news newsletter noreply no reply office ' +
        'permanency post postmaster practice press privacy reception referrals sg sgo service services ' +
        'social support team teams webmaster welcome first early connect front door together inbox duty ' +
        'referral safeguarding mash'
      ).split(' '),
    ),
);

function isRoleMailbox(local: string): boolean {
  const words = local
    .toLowerCase()
    .split(/[._+-]+/)
    .filter(Boolean);
  return words.length > 0 && words.every((w) => ROLE_WORDS().has(w));
}

function detectEmails(text: string, out: RawMatch[]): void {
  // Every address has an "@"; looking for one is a plain string search, where EMAIL, which may start at
  // any letter or digit, costs 0.2 ms to scan a cycle even when compiled.
  if (!text.includes('@')) return;
  for (const m of text.matchAll(EMAIL())) {
    const local = m[0].slice(0, m[0].lastIndexOf('@'));
    if (isRoleMailbox(local)) continue;
    out.push({ kind: 'email', index: m.index ?? 0, value: m[0], normalised: m[0].toLowerCase() });
  }
}

const MONTH_RE =
  '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
// A year written out or shortened: 2012, '12 (the apostrophe makes a two-digit year unambiguous).
const YEAR_RE = String.raw`(\d{4}|['’]\d{2})`;
const DATES = once(
  () =>
    new RegExp(
      [
        // 03/04/2018, 3.4.18, 03-04-2018
        String.raw`(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/-]|\.\d)`,
        // 2018-04-03
        String.raw`(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/-])`,
        // 3rd of April 2018, 3 Apr. 2018, 16-Jun-2012, 16 June '12, 16/Jun/12
        String.raw`(?<![\w])(\d{1,2})(?:st|nd|rd|th)?(?: of)?(?: |-|/)${MONTH_RE}\.?,?(?: |-|/)(\d{4}|['’]\d{2}|(?<=[-/])\d{2})(?![\w])`,
        // April 3rd, 2018; June 16 '12
        String.raw`(?<![\w])${MONTH_RE}\.? (\d{1,2})(?:st|nd|rd|th)?,? ${YEAR_RE}(?![\w])`,
      ].join('|'),
      'gi',
    ),
);
// Cues that a date is a birth date. "aged 7" is one, but "aged 16+", "aged 16 and over" or "aged 5-10"
// describe a group counted on a census date, not a person.
const DOB_CUE = once(
  () =>
    /\b(?:born|dob|d\.\s?o\.\s?b|date of birth|birth\s?date|birthday|b\.\s?$)|\baged \d{1,2}(?!\d|\+|\s?[-–]|\s(?:and|or|to|plus)\b|s\b)/i,
);
/** How far before a date a strong cue may stand ("born, according to the referral, on 3 May 2016"). */
const DOB_CUE_REACH = CUE_WINDOW;
/** "aged 7" reaches only a few words: "aged 7, born 3/4/2018"; not "aged 7 were reviewed on 3/4/2025". */
const AGED_REACH = 16;
const AGED_CUE = once(() => /\baged \d{1,2}\b/i);

// A cue written after the date: "03/04/2018 (DOB)", "3 April 2018 - date of birth".
const DOB_CUE_AFTER = once(
  () => /^[\s,;:()[\]–—-]{0,4}(?:dob|d\.\s?o\.\s?b|date of birth|birth\s?date|birthday|born)\b/i,
);

/**
 * The stems of every cue a date of birth is found by (DOB_CUE, DOB_CUE_AFTER, BORN_MONTH_YEAR):
 * "date of birth" has "birth", "aged 7" is "aged", a space and one or two digits not followed by a
 * third. A text without any has no date of birth to find.
 */
const DOB_STEM = /born|dob|d\.\s?o\.\s?b|birth|aged \d\d?(?!\d)|\bb\./gi;
/** How far before and after a stem's start a digit of a date it cues can stand (see hasDobCueNearDigit). */
const STEM_DIGIT_BEFORE = 16;
const STEM_DIGIT_AFTER = 80;

/**
 * Gate of the date-of-birth detector: a stem with a digit near it. "birth family" or "aged 16+" in a
 * text without one used to compile DATES (0.5 ms on Node 24, 1.4 on Node 26) and its helpers (0.5 and
 * 1.2 ms). Necessary for every finding:
 * - every date ends in a digit and has one within its first 12 characters ("September. 3");
 * - a cue before a date starts at most DOB_CUE_REACH (60) characters before the date, so its stem
 *   starts at most 71 before the date's first digit. In `before` with "aged 7" cut out, a cue that
 *   spans the cut has the stem "aged 7" inside it;
 * - a cue after a date (DOB_CUE_AFTER) starts at most 4 characters after it, and its stem at most 8
 *   into the cue ("date of birth"): the date's last digit is at most 13 before the stem;
 * - BORN_MONTH_YEAR's year starts at most 21 characters after the stem does.
 * Stems found one after another can overlap ("d. o. born"); the one found starts at most 6 before the
 * one it hides, hence 80 (71 + 6, and a margin) and 16 (13 and a margin). A single regular expression
 * saying all this ("a stem, at most 71 of anything, a digit") cost 0.33 ms to compile on Node 24 and
 * 26, more than the old gate (any stem anywhere, 0.07 ms) and this loop; on the bench cycle with
 * one "birth family" sentence added, the first scan went from 2.2 to 1.6 ms (Node 24) and 4.1 to
 * 2.2 ms (Node 26).
 */
function hasDobCueNearDigit(text: string): boolean {
  for (const m of text.matchAll(DOB_STEM)) {
    const start = m.index ?? 0;
    if (/\d/.test(text.slice(Math.max(0, start - STEM_DIGIT_BEFORE), start + STEM_DIGIT_AFTER))) return true;
  }
  return false;
}

/** "born in April 2015": a month and year straight after a cue is a birth date too. */
const BORN_MONTH_YEAR = once(
  () =>
    new RegExp(
      String.raw`\b(?:born(?: in)?|dob:?|d\.o\.b\.?:?|date of birth:?) {1,2}${MONTH_RE}\.?,? (\d{4})(?!\d)`,
      'gid',
    ),
);

/**
 * Where the sentence holding `index` starts: after the last full stop, question or exclamation mark
 * followed by a capital, the last semicolon, or a blank line. A cue never reaches across it.
 */
function sentenceStart(text: string, index: number, reach: number): number {
  const from = Math.max(0, index - reach);
  const window = text.slice(from, index);
  let start = from;
  for (const m of window.matchAll(/[.!?]["”’)]?\s+(?=[A-Z"“(])|;|\n[ \t]*\n/g))
    start = from + (m.index ?? 0) + m[0].length;
  return start;
}

function yearOf(text: string): number {
  const y = Number(text.replace(/['’]/, ''));
  if (text.length === 4) return y;
  return y + (y > 30 ? 1900 : 2000);
}

function detectDatesOfBirth(text: string, out: RawMatch[]): void {
  if (!hasDobCueNearDigit(text)) return;
  for (const m of text.matchAll(DATES())) {
    let day: number;
    let month: number;
    let year: number;
    if (m[1] !== undefined) {
      day = Number(m[1]);
      month = Number(m[3]);
      year = yearOf(m[4] ?? '');
    } else if (m[5] !== undefined) {
      year = Number(m[5]);
      month = Number(m[6]);
      day = Number(m[7]);
    } else if (m[8] !== undefined) {
      day = Number(m[8]);
      month = monthNumber(m[9] ?? '');
      year = yearOf(m[10] ?? '');
    } else {
      month = monthNumber(m[11] ?? '');
      day = Number(m[12]);
      year = yearOf(m[13] ?? '');
    }
    if (!isValidDate(day, month, year) || year < 1900 || year > 2100) continue;
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const before = text.slice(sentenceStart(text, start, DOB_CUE_REACH), start);
    const cued =
      DOB_CUE().test(before.replace(AGED_CUE(), '')) ||
      DOB_CUE().test(before.slice(-AGED_REACH)) ||
      DOB_CUE_AFTER().test(text.slice(end, end + 20));
    if (!cued) continue;
    const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    out.push({ kind: 'date-of-birth', index: start, value: m[0], normalised: iso });
  }
  for (const m of text.matchAll(BORN_MONTH_YEAR())) {
    const index = m.indices?.[1]?.[0] ?? m.index ?? 0;
    const value = text.slice(index, (m.index ?? 0) + m[0].length);
    const month = String(monthNumber(m[1] ?? '')).padStart(2, '0');
    out.push({ kind: 'date-of-birth', index, value, normalised: `${m[2]}-${month}` });
  }
}

// Capitalised words that follow a cue in ordinary writing about services and are not names.
const NOT_NAMES = once(
  () =>
    new Set(
      (
        'A About Act Action Actions Adoption After All Allowance Also An And Any Are As Assess Assessment At ' +
        'Authority Be Because Before Both But By Can Care Carer Carers Centre Child Children Christmas Council ' +
        'County Court Data Department Do Does Each Easter Education Every Family Families Fostering For Foundations ' +
        'From Fund Group Groups Guardian Guardians Guardianship Guide Has Have He Her Here Him His How I If In ' +
        'Is It Its Key Kinship Local Many May Most My New No Not Of On One Or Order Our Package Panel Plan ' +
        'Plus Practice Principle Principles Recommendation Recommendations Review Rights School Section Service ' +
        'Services She Social So Some Special Stage Step Support That The Their Them Then There These They This ' +
        'Those To Tool Trust Under Was We Were What When Where Which Who Why Will With Worker Yes You Your ' +
        'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April June July ' +
        'August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec ' +
        'Mr Mrs Ms Miss Mx Dr Sir Madam Dear Foster Birth Host Adoptive Extended Wider Whole Blended ' +
        'Team Manager Lead Officer Director Head Chair Member Members Board Office Staff Parent Parents ' +
        'Young Person People Network Partnership Programme Project Training Meeting Meetings Payment Payments ' +
        'Reform Reforms Strategy Policy Report Reports Standard Standards Framework Statutory Update Updates ' +
        'Teams Zoom'
      ).split(' '),
    ),
);
// A name followed by one of these is an organisation, a programme or a place ("named Kinship Connect
// Hub", "Hope Street", "Victoria Park", "Milton Keynes").
const ORGANISATION_TAILS = once(
  () =>
    new Set(
      (
        'Association Café Cafe Centre Charity Club Collective Consortium Council Foundation Group Hub Ltd ' +
        'Network Partnership Programme Project Service Services Society Team Trust Academy College School ' +
        'University Hospital Surgery Practice Clinic Church Chapel Mosque Temple House Hall Lodge Court Close ' +
        'Street Road Lane Avenue Drive Way Place Square Crescent Gardens Garden Park Green Hill Bridge Cross ' +
        'Station Estate Ward Wing Unit Centre Library Museum Theatre Fund Award Awards Prize Scheme Day Days ' +
        'Week Month Year Period Bill Act Order Plan Review Report Forum Board Panel Alliance Institute ' +
        'Keynes Coldfield Regis Magna Parva Bay Vale Heath Common Wells Spa Town City Borough Island Islands ' +
        'Sound Valley Point Grange Manor Farm Mill Abbey Castle Tower Heights Rise View Row Walk Terrace Mews ' +
        'Primary Secondary Nursery Infants Juniors Limited Ltd Plc CIC Partners Consulting Associates Payment ' +
        'Payments Alert Rating Scale Framework Model Approach Method Principles Standard'
      ).split(' '),
    ),
);
// Nationalities, faiths and communities written with a capital: "the Polish family" is not a surname.
const COMMUNITIES = once(
  () =>
    new Set(
      (
        'Afghan African Albanian American Arab Asian Bangladeshi Black British Bulgarian Caribbean Catholic ' +
        'Chinese Christian Congolese English Eritrean Ethiopian European Filipino Ghanaian Gypsy Hindu Indian ' +
        'Iranian Iraqi Irish Italian Jamaican Jewish Kurdish Latvian Lithuanian Muslim Nigerian Pakistani ' +
        'Polish Portuguese Roma Romanian Scottish Sikh Slovak Somali Spanish Sudanese Syrian Traveller Travellers ' +
        'Turkish Ukrainian Vietnamese Welsh White Zimbabwean Mixed Other'
      ).split(' '),
    ),
);

/** A given name from the list (`Tia`, `Derek`); `wordsToo` admits those that are also words (`Grace`). */
function isGivenName(word: string, wordsToo: boolean): boolean {
  const lower = word.toLowerCase().split('-')[0] ?? '';
  return (
    inSortedWordList(PLAIN_FIRST_NAMES, lower) || (wordsToo && inSortedWordList(WORD_FIRST_NAMES, lower))
  );
}

/** `Uncle` or `uncle`: the cue word with either case of its first letter. */
const eitherCase = (words: string): string =>
  words
    .split(' ')
    .map((w) => `[${(w[0] ?? '').toUpperCase()}${w[0] ?? ''}]${w.slice(1).replaceAll('_', ' ')}`)
    .join('|');

const NAME = `[A-Z](?:[a-z]|['’][A-Z])[A-Za-z'’]{0,24}(?:-[A-Z][a-z'’]{1,24})?`;
const TITLE_NAME = once(
  () =>
    new RegExp(
      String.raw`(?<![A-Za-z])([Mm]rs|[Mm]r|Ms|[Mm]iss|[Mm]x|Dr)\.? {1,2}((?:[A-Z]\.? {1,2})?${NAME}(?: ${NAME})?)`,
      'g',
    ),
);
// A title typed in lower case before a surname in lower case: "mrs dummerton rang". Not "ms", "dr" or
// "miss" ("ms teams", "dr appointment", "they miss names").
const LOWER_TITLE_NAME = once(() => /(?<![A-Za-z])(mrs|mr|mx)\.? ([a-z][a-z'’-]{2,24})(?![A-Za-z])/g);
const NOT_LOWER_SURNAMES = once(
  () =>
    new Set(
      (
        'and or the to is was has had said says and also rang called came asked told will would wants ' +
        'wanted needs needed did does for from with about at in on of re who which that this then than'
      ).split(' '),
    ),
);
// Family words written before a name as a title, in either case: "Uncle Derek", "nan Shabana".
const KIN_TITLE_WORDS =
  'grandmother grandfather grandma grandmum grandad granddad grandpa grampy granny gran nanna nana nanny ' +
  'nan nain taid pops papa uncle auntie aunty aunt cousin';
const KIN_TITLES = eitherCase(KIN_TITLE_WORDS);
// Family and other words that come before a name only in lower case ("her grandson Milo").
const KIN_WORDS =
  'grandson|granddaughter|grandchild|grandparent|great-grandmother|great-grandfather|niece|nephew|son|' +
  'daughter|stepson|stepdaughter|stepmum|stepdad|stepbrother|stepsister|half-brother|half-sister|brother|' +
  'sister|mum|mother|dad|father|baby|toddler|boy|girl|sibling|partner|husband|wife|birth mum|birth dad';
// Whole words are looked up in sets rather than tested with an anchored pattern of the same words
// (`^(?:uncle|Uncle|…),?$`): such a pattern, tested on short strings, is compiled twice (for V8's
// regexp interpreter, then to machine code on its second use), 0.2 ms for KIN_TITLES and 0.3 ms for
// the kin words after a possessive, on Node 24 and 26 alike.
const KIN_TITLE_SET = once(
  () => new Set(KIN_TITLE_WORDS.split(' ').flatMap((w) => [w, (w[0] ?? '').toUpperCase() + w.slice(1)])),
);
/** A family word written as a title, alone, perhaps with a comma: `Nan`, `uncle,`. */
function isKinTitle(text: string): boolean {
  return KIN_TITLE_SET().has(text.endsWith(',') ? text.slice(0, -1) : text);
}
const NAMING = "called|named|nicknamed|known as|name is|name was|name’s|name's";
// People's roles: "SW: Priya", "social worker Priya Shah", "IRO - Ellis Madeupson".
const PERSON_ROLES =
  'social worker|supervising social worker|key worker|keyworker|family support worker|support worker|' +
  'team manager|personal adviser|practitioner|health visitor|teacher|headteacher|head teacher|solicitor|' +
  'assessor|mentor|worker|manager';
const ROLE_TITLES =
  '(?:SW|SSW|IRO|FSW|HV|PA|TM|DSL|Social Worker|Key Worker|Team Manager|Family Support Worker|Health Visitor)';
const CUED_NAME = once(
  () =>
    new RegExp(`(?<![A-Za-z])((?:${NAMING}|${KIN_TITLES}|${KIN_WORDS}),?) {1,2}(${NAME}(?: ${NAME})?)`, 'g'),
);
const ROLE_NAME = once(
  () =>
    new RegExp(`(?<![A-Za-z])(${ROLE_TITLES}|(?:${PERSON_ROLES})) ?[:,–-]? {0,2}(${NAME}(?: ${NAME})?)`, 'g'),
);
const CARER_NAME = once(
  () =>
    new RegExp(`(?<![A-Za-z])((?:kinship |foster )?carer|special guardian|guardian) (${NAME} ${NAME})`, 'g'),
);
// A cue and then a name typed in lower case: "nan shabana said", "a boy called tia".
const LOWER_CUED_NAME = once(
  () =>
    new RegExp(
      `(?<![A-Za-z])(?=((${NAMING})|(?:${KIN_TITLES}|${KIN_WORDS}|${ROLE_TITLES}|${PERSON_ROLES}|sw|ssw|iro|fsw|hv|tm),?:?) {1,2}([a-z][a-z'’]{1,24})(?![A-Za-z]))`,
      'gd',
    ),
);
// "Sienna's nan", "Derek’s school".
const POSSESSIVE_NAME = once(() => new RegExp(`(?<![A-Za-z'’])(${NAME})['’]s ([a-z]+)`, 'g'));
/** Words after a possessive that make it a person's: "Sienna's nan", "Derek’s carer". */
const KIN_AFTER = once(
  () => new Set([...KIN_WORDS.split('|'), ...KIN_TITLE_SET(), 'carer', 'carers', 'guardian', 'social']),
);
// "the Khan family", "the Robinson-Okafor household".
const FAMILY_NAME = once(
  () =>
    new RegExp(
      `(?<![A-Za-z])([Tt]he) (${NAME}) (?:family|household|children|siblings|twins|grandparents|boys|girls|brothers|sisters)\\b`,
      'g',
    ),
);
// A given name and a surname with no cue at all: "Tia Robinson was placed with her aunt". Written as a
// lookahead so that "With Tia Robinson" is tried at "Tia" too.
const SURNAME = `(?:Mc|Mac|O['’]|D['’])?[A-Z][a-z'’]{1,24}(?:-[A-Z][a-z'’]{1,24})?`;
const FULL_NAME = once(
  () => new RegExp(`(?<![\\w'’-])(?=([A-Z][a-z]{1,24}(?:-[A-Z][a-z]{1,24})?) (${SURNAME})(?![\\w'’-]))`, 'g'),
);
// What follows a person more often than an object: a given name that is also a word ("Grace",
// "Bill") counts only before one of these, or after a word that usually precedes a person. The
// words are matched as prefixes (" isolated" starts with " is"), by string comparison rather than
// an anchored pattern, which would be compiled twice on first use (0.15–0.19 ms on Node 24 and 26).
const PERSON_VERBS = (
  'was is has had have and said says told asked attended lives lived moved came went called rang emailed ' +
  'wants wanted felt feels needs needed started left joined got became cares cared looks looked took gave ' +
  'aged ( ,'
).split(' ');
function startsWithPersonVerb(rest: string): boolean {
  return rest.startsWith(' ') && PERSON_VERBS.some((verb) => rest.startsWith(verb, 1));
}
const PERSON_BEFORE = once(
  () =>
    /(?:\b(?:with|to|from|by|for|and|about|of|visited|met|saw|told|asked|called|rang|emailed|cc|re)|[:,])\s{1,2}$/i,
);

function pushName(text: string, out: RawMatch[], start: number, prefix: string, names: string): void {
  const words = names.split(/ {1,2}/);
  const first = words.find((w) => !/^[A-Z]\.?$/.test(w)) ?? '';
  if (NOT_NAMES().has(first) || COMMUNITIES().has(first)) return;
  // Trim a trailing word that is not a name ("Mrs Testington Said" is rare; "Mrs Testington The" not).
  let kept = words;
  const last = kept[kept.length - 1] ?? '';
  if (kept.length > 1 && (NOT_NAMES().has(last) || COMMUNITIES().has(last))) kept = kept.slice(0, -1);
  if (ORGANISATION_TAILS().has(last)) return;
  const after = text.slice(start + prefix.length + names.length).match(/^ ([A-Z][a-z]+)/);
  if (after && ORGANISATION_TAILS().has(after[1] ?? '')) return;
  const value = kept.join(' ');
  out.push({
    kind: 'person-name',
    index: start + prefix.length,
    value,
    normalised: value.toLowerCase().replace(/[^a-z'’ -]/g, ''),
    prefix: prefix.trimEnd(),
  });
}

function pushCued(text: string, out: RawMatch[], m: RegExpMatchArray): void {
  const prefix = m[0].slice(0, m[0].length - (m[2] ?? '').length);
  pushName(text, out, m.index ?? 0, prefix, m[2] ?? '');
}

function detectFullNames(text: string, out: RawMatch[]): void {
  for (const m of text.matchAll(FULL_NAME())) {
    const first = m[1] ?? '';
    const surname = m[2] ?? '';
    const start = m.index ?? 0;
    if (NOT_NAMES().has(first) || COMMUNITIES().has(first) || isKinTitle(first)) continue;
    if (!isGivenName(first, true)) continue;
    if (NOT_NAMES().has(surname) || COMMUNITIES().has(surname) || ORGANISATION_TAILS().has(surname)) continue;
    const end = start + first.length + 1 + surname.length;
    const rest = text.slice(end, end + 40);
    const next = rest.match(/^ ([A-Z][a-z]+)/)?.[1];
    if (next && ORGANISATION_TAILS().has(next)) continue;
    if (!isGivenName(first, false)) {
      // "Grace Robinson was placed" but not "Grace Darling Awards" or "May Robinson Street".
      if (!startsWithPersonVerb(rest) && !PERSON_BEFORE().test(text.slice(Math.max(0, start - 12), start)))
        continue;
    }
    const value = `${first} ${surname}`;
    out.push({ kind: 'person-name', index: start, value, normalised: value.toLowerCase() });
  }
}

/**
 * Gate of TITLE_NAME and LOWER_TITLE_NAME: a title, an optional full stop, one or two spaces and a
 * letter, which both patterns begin with. Costs 0.07 ms where the two cost 0.16 (Node 24).
 */
const TITLE_THEN_LETTER = /(?<![A-Za-z])(?:[Mm]rs?|Ms|[Mm]iss|[Mm]x|Dr)\.? {1,2}[A-Za-z]/;
/**
 * Gate of CUED_NAME, CARER_NAME, ROLE_NAME, FAMILY_NAME and FULL_NAME: a letter, the separators a
 * role may take, and a capital followed by a lower-case letter or an apostrophe. Necessary for each:
 * - a NAME starts with a capital and then a lower-case letter or an apostrophe;
 * - every cue of CUED_NAME (NAMING, KIN_TITLES, KIN_WORDS) ends in a lower-case letter, then `,?` and
 *   one or two spaces, then a NAME;
 * - CARER_NAME's cues end in "r" or "n", then a space and a NAME; FAMILY_NAME's "the" likewise;
 * - ROLE_NAME's roles end in W, O, V, A, M, L or "r", then exactly the separators below, then a NAME;
 * - FULL_NAME's given name ends in a lower-case letter, then a space and a SURNAME, which starts
 *   "Mc", "Mac", "O’", "D’" or a capital and then a lower-case letter or an apostrophe.
 * The five cost 0.7 ms to compile and run on Node 24 and 1.5 ms on Node 26; the gate 0.09 and 0.13 ms.
 */
const WORD_THEN_CAPITAL = /[a-zWOVAML] ?[:,–-]? {0,2}[A-Z][a-z'’]/;
/** Gate of POSSESSIVE_NAME, which always has an apostrophe, "s", a space and a lower-case letter. */
const APOSTROPHE_S = /['’]s [a-z]/;

function detectNames(text: string, out: RawMatch[]): void {
  const titled = TITLE_THEN_LETTER.test(text);
  const capitalised = WORD_THEN_CAPITAL.test(text);
  if (titled) for (const m of text.matchAll(TITLE_NAME())) pushCued(text, out, m);
  if (capitalised) detectCapitalisedCuedNames(text, out);
  if (titled) detectLowerTitleNames(text, out);
  detectLowerCuedNames(text, out);
  if (APOSTROPHE_S.test(text)) detectPossessiveNames(text, out);
  if (capitalised) {
    detectFamilyNames(text, out);
    detectFullNames(text, out);
  }
}

function detectCapitalisedCuedNames(text: string, out: RawMatch[]): void {
  for (const m of text.matchAll(CUED_NAME())) {
    // A family word written as a title takes a given name or a full name: "Nan Shabana", "Uncle
    // Derek Robinson", not "Gran Canaria".
    const names = (m[2] ?? '').split(' ');
    if (
      /^[A-Z]/.test(m[1] ?? '') &&
      isKinTitle(m[1] ?? '') &&
      names.length < 2 &&
      !isGivenName(names[0] ?? '', true)
    )
      continue;
    pushCued(text, out, m);
  }
  for (const m of text.matchAll(CARER_NAME())) pushCued(text, out, m);
  for (const m of text.matchAll(ROLE_NAME())) {
    // A role is followed by a name only when the name is a known given name or a full name:
    // "social worker Priya" or "SW: Ellis Madeupson", not "team manager Meetings".
    const names = (m[2] ?? '').split(' ');
    if (names.length < 2 && !isGivenName(names[0] ?? '', true)) continue;
    pushCued(text, out, m);
  }
}

function detectLowerTitleNames(text: string, out: RawMatch[]): void {
  for (const m of text.matchAll(LOWER_TITLE_NAME())) {
    const word = m[2] ?? '';
    if (NOT_LOWER_SURNAMES().has(word)) continue;
    const index = (m.index ?? 0) + m[0].length - word.length;
    out.push({ kind: 'person-name', index, value: word, normalised: word, prefix: m[1] ?? '' });
  }
}

function detectLowerCuedNames(text: string, out: RawMatch[]): void {
  for (const m of text.matchAll(LOWER_CUED_NAME())) {
    const word = m[3] ?? '';
    // After "called" or "named" a given name that is also a word counts ("a boy called precious").
    if (!isGivenName(word, m[2] !== undefined)) continue;
    const index = m.indices?.[3]?.[0] ?? m.index ?? 0;
    out.push({
      kind: 'person-name',
      index,
      value: word,
      normalised: word.toLowerCase(),
      prefix: (m[1] ?? '').trimEnd(),
    });
  }
}

function detectPossessiveNames(text: string, out: RawMatch[]): void {
  for (const m of text.matchAll(POSSESSIVE_NAME())) {
    const name = m[1] ?? '';
    if (NOT_NAMES().has(name) || COMMUNITIES().has(name)) continue;
    const kin = KIN_AFTER().has(m[2] ?? '');
    if (!kin && !isGivenName(name, false)) continue;
    out.push({ kind: 'person-name', index: m.index ?? 0, value: name, normalised: name.toLowerCase() });
  }
}

function detectFamilyNames(text: string, out: RawMatch[]): void {
  for (const m of text.matchAll(FAMILY_NAME())) {
    const name = m[2] ?? '';
    if (NOT_NAMES().has(name) || COMMUNITIES().has(name) || ORGANISATION_TAILS().has(name)) continue;
    const index = (m.index ?? 0) + (m[1] ?? '').length + 1;
    out.push({ kind: 'person-name', index, value: name, normalised: name.toLowerCase(), prefix: m[1] });
  }
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

const NO_BREAK_SPACES = ['\u00A0', '\u2007', '\u202F'];

/** Every detector's matches in a text, in order of position, without duplicates. */
function detectAll(original: string): RawMatch[] {
  // Text pasted from documents and web pages has no-break spaces ("07700\u00A0900123"); one for one,
  // so every index stays the same. Plain string searches, not a regular expression: 0.007 ms on a
  // first scan of a cycle, where the pattern took 0.04 to compile and run (Node 24 and 26).
  let text = original;
  for (const space of NO_BREAK_SPACES) if (text.includes(space)) text = text.replaceAll(space, ' ');
  const raw: RawMatch[] = [];
  detectHealthNumbers(text, raw);
  detectNiNumbers(text, raw);
  detectPostcodes(text, raw);
  detectPhones(text, raw);
  detectEmails(text, raw);
  detectDatesOfBirth(text, raw);
  detectNames(text, raw);
  // Ten digits inside a phone number ("+44(0)7700900123") are the phone number, not an NHS number.
  // Phones come from one global regex, so they are already in order and do not overlap.
  const phones = raw.filter((r) => r.kind === 'phone');
  const inPhone = (r: RawMatch) => {
    let lo = 0;
    let hi = phones.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((phones[mid]?.index ?? 0) <= r.index) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const p = phones[best];
    return p !== undefined && r.index + r.value.length <= p.index + p.value.length;
  };
  const kept = raw.filter((r) => !((r.kind === 'nhs-number' || r.kind === 'chi-number') && inPhone(r)));
  kept.sort((a, b) => a.index - b.index || PII_KINDS.indexOf(a.kind) - PII_KINDS.indexOf(b.kind));
  const seen = new Set<string>();
  return kept.filter((r) => {
    const key = `${r.kind}@${r.index}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toFinding(r: RawMatch, at: TextPosition, opts: FindOptions): Finding {
  const masked = maskValue(r.value, r.kind);
  const finding: Finding = {
    kind: r.kind,
    line: at.line,
    column: at.column,
    excerpt: r.prefix ? `${r.prefix} ${masked}` : masked,
    fingerprint: fingerprintOf(r.kind, r.normalised, opts.salt),
  };
  if (opts.item !== undefined) finding.item = opts.item;
  if (opts.field !== undefined) finding.field = opts.field;
  return finding;
}

/**
 * Find personal data in a text. Findings come in order of position; lines and columns are 1-based.
 * The excerpt is masked and the fingerprint is the same wherever the same value appears.
 */
export function findPersonalData(text: string, opts: FindOptions = {}): Finding[] {
  const raw = detectAll(text);
  if (raw.length === 0) return [];
  const starts = lineStarts(text);
  return raw.map((r) => toFinding(r, positionIn(starts, r.index), opts));
}

/** One text a person typed into a cycle, and where it belongs. */
interface Segment {
  text: string;
  item: string;
  field: string;
}

/**
 * What separates the texts of a cycle when they are scanned as one. Every detector matches within a
 * line and looks at most `CUE_WINDOW` characters around a match for a cue, so a longer run of line
 * ends keeps each text exactly as it would be on its own (tests/pii.test.ts compares); the margin
 * covers the few characters a pattern's own lookbehind or `\s?` may reach.
 */
export const SEGMENT_GAP = '\n'.repeat(CUE_WINDOW + 10);

/**
 * The findings of many texts, as if each were scanned on its own, but in one pass of each detector
 * over them all: a cycle has some 350 short texts, and starting nine regular expressions on each
 * cost more than the scanning itself.
 */
function findInSegments(segments: Segment[], salt?: string): Finding[] {
  if (segments.length === 0) return [];
  const offsets: number[] = [];
  let offset = 0;
  for (const s of segments) {
    offsets.push(offset);
    offset += s.text.length + SEGMENT_GAP.length;
  }
  const raw = detectAll(segments.map((s) => s.text).join(SEGMENT_GAP));
  const lineStartsOf = new Map<number, number[]>();
  const findings: Finding[] = [];
  for (const r of raw) {
    const k = positionIn(offsets, r.index).line - 1;
    const segment = segments[k] as Segment;
    let starts = lineStartsOf.get(k);
    if (!starts) {
      starts = lineStarts(segment.text);
      lineStartsOf.set(k, starts);
    }
    const local = { ...r, index: r.index - (offsets[k] as number) };
    findings.push(
      toFinding(local, positionIn(starts, local.index), { item: segment.item, field: segment.field, salt }),
    );
  }
  return findings;
}

function addSegment(lines: unknown, item: string, field: string, out: Segment[]): void {
  if (typeof lines === 'string') {
    out.push({ text: lines, item, field });
    return;
  }
  if (!Array.isArray(lines)) return;
  out.push({ text: lines.map((l) => (typeof l === 'string' ? l : '')).join('\n'), item, field });
}

/**
 * Scan everything a person typed into a cycle: each answer's text, needs and evidence, the priorities'
 * rationale, and the actions' titles, owners, notes and history notes. The authority name is an
 * organisation and is not scanned. Tolerates a file that has not been validated (wrong shapes are
 * skipped), because `check` must also work on files that fail validation.
 */
export function findPersonalDataInCycle(cycle: CycleFile, salt?: string): Finding[] {
  const segments: Segment[] = [];
  const answers: unknown = cycle.answers;
  if (answers && typeof answers === 'object' && !Array.isArray(answers)) {
    for (const [id, answer] of Object.entries(answers as Record<string, unknown>)) {
      if (!answer || typeof answer !== 'object') continue;
      const a = answer as Record<string, unknown>;
      addSegment(a.text, id, 'text', segments);
      addSegment(a.needs, id, 'needs', segments);
      addSegment(a.evidence, id, 'evidence', segments);
    }
  }
  const priorities: unknown = cycle.priorities;
  if (Array.isArray(priorities)) {
    for (const p of priorities) {
      if (!p || typeof p !== 'object') continue;
      const rec = (p as Record<string, unknown>).recommendation;
      addSegment(
        (p as Record<string, unknown>).rationale,
        `priorities.${String(rec ?? '?')}`,
        'rationale',
        segments,
      );
    }
  }
  const actions: unknown = cycle.actions;
  if (Array.isArray(actions)) {
    for (const action of actions) {
      if (!action || typeof action !== 'object') continue;
      const a = action as Record<string, unknown>;
      const item = `actions.${String(a.id ?? '?')}`;
      addSegment(a.title, item, 'title', segments);
      addSegment(a.owner, item, 'owner', segments);
      addSegment(a.notes, item, 'notes', segments);
      if (Array.isArray(a.history)) {
        const notes = a.history.map((h) =>
          h && typeof h === 'object' ? ((h as Record<string, unknown>).note ?? '') : '',
        );
        addSegment(notes, item, 'history', segments);
      }
    }
  }
  return findInSegments(segments, salt);
}

/** Drop the findings whose fingerprint has been reviewed and allowed. */
export function filterAllowed(findings: Finding[], allowed: Set<string>): Finding[] {
  return findings.filter((f) => !allowed.has(f.fingerprint));
}

/** Parse the allow list: one fingerprint per line, optionally followed by `# comment`. */
export function parseAllowList(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const fp = line.replace(/#.*$/, '').trim().toLowerCase();
    if (isFingerprint(fp)) out.add(fp);
  }
  return out;
}

/** `possible NHS number "4•••••••••2"` */
export function describeFinding(f: Finding): string {
  return `possible ${PII_KIND_LABELS[f.kind]} "${f.excerpt}"`;
}

// ---------------------------------------------------------------------------
// Cycle files as text: findings located at their line and column in the file
// ---------------------------------------------------------------------------

interface JsonString {
  /** Raw index in the file of each UTF-16 unit of the decoded string. */
  offsets: number[];
  value: string;
}

const PATH_SEP = '\u0000';
/** Deep enough for `actions/3/history/2/note`; deeper strings are not indexed. */
const MAX_INDEXED_DEPTH = 6;

/**
 * Index the string values of a JSON text (already known to be valid) by their path, e.g.
 * `answers␀assess.carers.count␀text␀0`.
 */
function indexJsonStrings(text: string): Map<string, JsonString> {
  const out = new Map<string, JsonString>();
  forEachJsonToken(text, (token) => {
    if (token.kind === 'string' && token.path.length <= MAX_INDEXED_DEPTH) {
      out.set(token.path.join(PATH_SEP), decodeJsonStringWithOffsets(text, token));
    }
    return true;
  });
  return out;
}

/**
 * Scan the text of a cycle file (JSON), giving each finding the item it belongs to and its line and
 * column in the file. Returns undefined when the text is not JSON or not shaped like a cycle; scan it
 * as plain text then.
 */
export function findPersonalDataInCycleText(text: string, salt?: string): Finding[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const obj = data as Record<string, unknown>;
  if (!obj.answers || typeof obj.answers !== 'object') return undefined;
  const findings = findPersonalDataInCycle(data as CycleFile, salt);
  if (findings.length === 0) return findings;
  const strings = indexJsonStrings(text);
  const starts = lineStarts(text);
  const findIn = (list: unknown, test: (x: Record<string, unknown>) => boolean): number =>
    Array.isArray(list)
      ? list.findIndex((x) => x && typeof x === 'object' && test(x as Record<string, unknown>))
      : -1;
  return findings.map((f) => {
    const item = f.item ?? '';
    let base: string[];
    let lineWithin = f.line;
    if (item.startsWith('priorities.')) {
      const k = findIn(obj.priorities, (p) => String(p.recommendation ?? '?') === item.slice(11));
      base = ['priorities', String(k), 'rationale'];
    } else if (item.startsWith('actions.')) {
      const k = findIn(obj.actions, (a) => String(a.id ?? '?') === item.slice(8));
      if (f.field === 'history') {
        base = ['actions', String(k), 'history', String(f.line - 1), 'note'];
        lineWithin = 1;
      } else base = ['actions', String(k), f.field ?? ''];
    } else base = ['answers', item, f.field ?? ''];
    let raw: number | undefined;
    const whole = strings.get(base.join(PATH_SEP));
    if (whole) {
      const at = offsetIn(lineStarts(whole.value), { line: lineWithin, column: f.column });
      raw = at === undefined ? undefined : whole.offsets[at];
    } else {
      raw = strings.get([...base, String(lineWithin - 1)].join(PATH_SEP))?.offsets[f.column - 1];
    }
    if (raw === undefined) return { ...f, line: 1, column: 1 };
    return { ...f, ...positionIn(starts, raw) };
  });
}
