/**
 * A labelled, synthetic corpus for measuring the personal-data detectors.
 *
 * Nothing here is real: NHS and CHI numbers are generated with valid check digits, phone numbers come
 * only from Ofcom's ranges reserved for drama, e-mail addresses use the reserved example.com and
 * example.org domains, and the names are invented. Generation is seeded, so every run sees the same
 * corpus.
 */
import { PII_KINDS, type PiiKind } from '../../src/core/pii.ts';
import { analystNegatives, analystPositives } from './pii-analyst-corpus.ts';

export interface PositiveSample {
  kind: PiiKind;
  text: string;
  /** The value the sentence carries (synthetic) and where it starts in `text`. */
  value: string;
  index: number;
}

export interface NegativeSample {
  text: string;
  /** Why this text is tricky. */
  note: string;
}

export interface Corpus {
  positives: PositiveSample[];
  negatives: NegativeSample[];
}

/** mulberry32: small, fast, good enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => String(int(rng, 0, 9))).join('');
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The modulus-11 check digit of nine digits, or undefined when it would be 10 (no valid number). */
export function mod11CheckDigit(nine: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return undefined;
  return check;
}

/** A valid NHS number in the ranges issued in England and Wales (starting 4, 6 or 7). */
export function generateNhsNumber(rng: Rng): string {
  for (;;) {
    const nine = pick(rng, ['4', '6', '7']) + digits(rng, 8);
    const check = mod11CheckDigit(nine);
    if (check !== undefined) return nine + String(check);
  }
}

/** Ten digits that look like an NHS number but fail the check digit. */
export function generateInvalidNhsNumber(rng: Rng): string {
  for (;;) {
    const nine = pick(rng, ['4', '6', '7']) + digits(rng, 8);
    const check = mod11CheckDigit(nine);
    const last = int(rng, 0, 9);
    if (check === undefined || last !== check) return nine + String(last);
  }
}

/** A valid CHI number: DDMMYY of a real date, three digits, a modulus-11 check digit. */
export function generateChiNumber(rng: Rng): string {
  for (;;) {
    const year = int(rng, 2005, 2020);
    const month = int(rng, 1, 12);
    const day = int(rng, 1, 28);
    const nine = pad(day) + pad(month) + pad(year % 100) + digits(rng, 3);
    const check = mod11CheckDigit(nine);
    if (check !== undefined) return nine + String(check);
  }
}

function formatTen(rng: Rng, ten: string, chi = false): string {
  const style = int(rng, 0, chi ? 3 : 2);
  if (style === 0) return `${ten.slice(0, 3)} ${ten.slice(3, 6)} ${ten.slice(6)}`;
  if (style === 1) return ten;
  if (style === 2) return `${ten.slice(0, 3)}-${ten.slice(3, 6)}-${ten.slice(6)}`;
  return `${ten.slice(0, 6)} ${ten.slice(6)}`;
}

const NI_FIRST = 'ABCEGHJKLMNOPRSTWXYZ';
const NI_SECOND = 'ABCEGHJKLMNPRSTWXYZ';
const NI_BAD = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

export function generateNiNumber(rng: Rng): string {
  let prefix: string;
  do prefix = pick(rng, [...NI_FIRST]) + pick(rng, [...NI_SECOND]);
  while (NI_BAD.has(prefix));
  const d = digits(rng, 6);
  const suffix = pick(rng, ['A', 'B', 'C', 'D']);
  const r = rng();
  if (r < 0.45) return `${prefix} ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4)} ${suffix}`;
  if (r < 0.9) return `${prefix}${d}${suffix}`;
  if (r < 0.97) return `${prefix} ${d} ${suffix}`;
  return `${prefix}${d}${suffix}`.toLowerCase();
}

const AREAS = [
  'AB',
  'B',
  'BS',
  'CF',
  'DN',
  'E',
  'EH',
  'G',
  'L',
  'LS',
  'M',
  'NE',
  'NG',
  'OX',
  'S',
  'SE',
  'TS',
  'YO',
];
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

export function generatePostcode(rng: Rng): string {
  let outward: string;
  const r = rng();
  if (r < 0.15) outward = pick(rng, ['SW1A', 'EC1V', 'W1D', 'WC2N', 'E1W']);
  else outward = pick(rng, AREAS) + String(int(rng, 1, 29));
  const inward = String(int(rng, 0, 9)) + pick(rng, [...INWARD_LETTERS]) + pick(rng, [...INWARD_LETTERS]);
  const style = int(rng, 0, 3);
  if (style === 0 || style === 1) return `${outward} ${inward}`;
  if (style === 2) return `${outward}${inward}`;
  return `${outward} ${inward}`.toLowerCase();
}

/** Only Ofcom's drama ranges: these numbers are never allocated to anyone. */
export function generatePhone(rng: Rng): string {
  const n3 = pad(int(rng, 0, 999), 3);
  const n4 = `0${n3}`;
  const forms: Array<() => string> = [
    () => `07700 900${n3}`,
    () => `07700900${n3}`,
    () => `+44 7700 900${n3}`,
    () => `+447700900${n3}`,
    () => `+44 (0)7700 900${n3}`,
    () => `07700 900 ${n3}`,
    () => `020 7946 ${n4}`,
    () => `(020) 7946 ${n4}`,
    () => `+44 20 7946 ${n4}`,
    () => `+44 (0)20 7946 ${n4}`,
    () =>
      `${pick(rng, ['0113', '0114', '0115', '0116', '0117', '0118', '0121', '0131', '0141', '0151', '0161'])} 496 ${n4}`,
    () => `029 2018 ${n4}`,
    () => `028 9649 6${n3}`,
    () => `01632 960${n3}`,
    () => `01632960${n3}`,
    () => `07700-900-${n3}`,
    () => `+44(0)7700900${n3}`,
    () => `0044 7700 900${n3}`,
    () => `(0117) 496 ${n4}`,
  ];
  return pick(rng, forms)();
}

const FIRST = [
  'Ada',
  'Milo',
  'Wren',
  'Tobin',
  'Ellis',
  'Priya',
  'Jonah',
  'Ruby',
  'Alfie',
  'Isla',
  'Kofi',
  'Maja',
];
const SURNAMES = [
  'Testington',
  'Sampleworth',
  'Exampleby',
  'Fictionhurst',
  'Placeholt',
  'Mockridge',
  'Dummerton',
  'Specimore',
  'Inventley',
  'Madeupson',
];

export function generateEmail(rng: Rng): string {
  const first = pick(rng, FIRST).toLowerCase();
  const last = pick(rng, SURNAMES).toLowerCase();
  const local = pick(rng, [
    `${first}.${last}`,
    `${first[0]}${last}`,
    `${last}${int(rng, 1, 99)}`,
    `${first}_${last}`,
    `${first}+kinship`,
  ]);
  const address = `${local}@${pick(rng, ['example.com', 'example.org', 'mail.example.com'])}`;
  return rng() < 0.1 ? address.replace(/^./, (c) => c.toUpperCase()).replace('example', 'Example') : address;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function generateDate(rng: Rng): string {
  const y = int(rng, 2006, 2022);
  const m = int(rng, 1, 12);
  const d = int(rng, 1, 28);
  const ord = (n: number) =>
    `${n}${n === 1 || n === 21 ? 'st' : n === 2 || n === 22 ? 'nd' : n === 3 || n === 23 ? 'rd' : 'th'}`;
  return pick(rng, [
    `${pad(d)}/${pad(m)}/${y}`,
    `${d}/${m}/${y}`,
    `${pad(d)}.${pad(m)}.${pad(y % 100)}`,
    `${y}-${pad(m)}-${pad(d)}`,
    `${d} ${MONTHS[m - 1]} ${y}`,
    `${ord(d)} ${MONTHS[m - 1]} ${y}`,
    `${ord(d)} of ${MONTHS[m - 1]} ${y}`,
    `${MONTHS[m - 1]} ${d}, ${y}`,
    `${d} ${(MONTHS[m - 1] ?? '').slice(0, 3)} ${y}`,
    `${d}-${m}-${y}`,
    `${(MONTHS[m - 1] ?? '').slice(0, 3)}. ${d}, ${y}`,
  ]);
}

/** A sentence template: `{v}` is where the value goes. */
type Template = string;

const TEMPLATES: Record<PiiKind, Template[]> = {
  'nhs-number': [
    'The health assessment for the youngest child (NHS number {v}) is still outstanding.',
    'Pasted from the case note: {v} — please check with the health team.',
    'Referral quoted {v} as the child’s number.',
    'Health visitor has NHS no. {v} on record.',
    '{v} was given on the referral form.',
    'NHS No:{v}',
    'Child 2 — NHS {v}; GP aware.',
  ],
  'chi-number': [
    'The placement came from Fife and the CHI number {v} is on the transfer letter.',
    'CHI: {v}',
    'Scottish health record {v} was attached to the referral.',
    'The child’s health number in Scotland is {v}.',
  ],
  'ni-number': [
    'The allowance claim was delayed until the carer gave their National Insurance number {v}.',
    'NI number {v} was written on the form.',
    'Grandmother’s NINO is {v}.',
    'Benefits check used {v}.',
  ],
  postcode: [
    'The family moved to {v} last spring, out of the area.',
    'Address: 14 Example Road, Exampletown {v}.',
    'Carers living in {v} reported the longest travel times.',
    'Visit scheduled at the house ({v}).',
    'Postcode:{v}',
    'Moved from {v}; school place found.',
  ],
  phone: [
    'The carer asked to be called on {v} after school hours.',
    'Mobile: {v}',
    'Contact grandmother on {v} if the meeting moves.',
    'Tel {v} (evenings only).',
  ],
  email: [
    'The carer can be reached at {v} for the support plan.',
    'Email {v} with the minutes.',
    'Aunt’s address is {v}.',
    'Forwarded from {v} on Tuesday.',
  ],
  'date-of-birth': [
    'The youngest child was born {v} and has been with her aunt since.',
    'DOB: {v}',
    'DoB {v}',
    'b. {v}',
    'Birth date: {v}.',
    'Child (d.o.b. {v}) placed with grandparents.',
    'Date of birth {v}, placed under an SGO.',
    'Sibling aged 7, born on {v}.',
    'Her birthday is {v} so the review moves.',
    '{v} (DOB) — please remove.',
  ],
  'person-name': [
    'Mrs {s} has cared for her two grandchildren since the SGO was made.',
    'We spoke to Mr {s} about the allowance.',
    'Ms {f} {s} attended the peer support group.',
    'Dr {s} wrote the therapeutic assessment.',
    'Miss {s} asked about respite.',
    'Her grandson {f} started school in September.',
    'His niece {f} is now thriving.',
    'A child called {f} was moved twice last year.',
    'The boy, named {f}, has an EHCP.',
    'Kinship carer {f} {s} told us the training was too far away.',
    'Their son {f} needs CBT.',
    'Mrs {s}-{s2} said the allowance was late.',
    'Mr J. {s} was assessed in March.',
    'Mx {s} asked for a peer mentor.',
    'Spoke with grandma, {f}, on the phone.',
    'Also present: Mrs {s}.',
  ],
};

function fill(template: Template, value: string): { text: string; index: number } {
  const index = template.indexOf('{v}');
  return { text: template.replace('{v}', value), index };
}

function positive(rng: Rng, kind: PiiKind): PositiveSample {
  if (kind === 'person-name') {
    const template = pick(rng, TEMPLATES[kind]);
    const f = pick(rng, FIRST);
    const s = pick(rng, SURNAMES);
    const s2 = pick(rng, SURNAMES);
    const text = template.replace('{f}', f).replace('{s}', s).replace('{s2}', s2);
    const value = template.includes('{f} {s}')
      ? `${f} ${s}`
      : template.includes('{s2}')
        ? `${s}-${s2}`
        : template.includes('{f}')
          ? f
          : s;
    return { kind, text, value, index: text.indexOf(value) };
  }
  let value: string;
  switch (kind) {
    case 'nhs-number':
      value = formatTen(rng, generateNhsNumber(rng));
      break;
    case 'chi-number':
      value = formatTen(rng, generateChiNumber(rng), true);
      break;
    case 'ni-number':
      value = generateNiNumber(rng);
      break;
    case 'postcode':
      value = generatePostcode(rng);
      break;
    case 'phone':
      value = generatePhone(rng);
      break;
    case 'email':
      value = generateEmail(rng);
      break;
    case 'date-of-birth':
      value = generateDate(rng);
      break;
  }
  const { text, index } = fill(pick(rng, TEMPLATES[kind]), value);
  return { kind, text, value, index };
}

/** Realistic aggregated answers, and near misses of every kind. */
function negatives(rng: Rng, count: number): NegativeSample[] {
  const out: NegativeSample[] = [];
  const fixed: Array<[string, string]> = [
    ['64% of carers are grandparents.', 'percentage'],
    ['12 SGO households received the allowance.', 'count'],
    ['The peer support group has run since 2019.', 'year'],
    ['Priorities for 2025-26 are R1 and KP2.', 'cycle and tags'],
    ['The budget rose to £1,250,000 in 2024/25.', 'money'],
    ['Section 17 payments were made to 31 families.', 'statute'],
    ['The strategy was reviewed on 12/03/2025 by the leadership team.', 'date without a cue'],
    ['Ofsted inspected the service in January 2024.', 'month and year'],
    ['Key Principle 1 and Recommendation 6 are our focus.', 'capitalised words'],
    ['The Local Authority works with the VCS and the Virtual School.', 'organisations'],
    ['Mr and Mrs were removed from the template.', 'titles alone'],
    ['Kinship carers said the training should be closer to home.', 'plural cue'],
    ['Her grandson’s school was not told about the SGO.', 'cue without a name'],
    ['The Children Act 1989 requires an assessment within 35 working days.', 'statute year'],
    ['Contact the team at kinship.team@exampleshire.gov.uk for the local offer.', 'team mailbox'],
    ['Around 240 households; 1 in 5 have a sibling group of 3 or more.', 'counts'],
    ['The FNSP went live on 1 April 2024 across the county.', 'launch date'],
    ['We aim to reduce waits from 14 weeks to 8 by Q3 2026.', 'targets'],
    ['See the data report, table 4.2, rows 1,024 to 2,048.', 'table references'],
    ['A programme called Family Group Conference is offered to every family.', 'cued programme'],
    ['Children born after the reforms are counted separately.', 'cue without a date'],
    ['Reference 2024-0017 was closed on 03/02/2025.', 'case reference'],
    ['Ages of children: 0-4 (22%), 5-10 (41%), 11-17 (37%).', 'age bands'],
    ['The team of 6.5 FTE covers 3 localities.', 'decimals'],
    ['Telephone support line open 9am to 5pm, Monday to Friday.', 'phone cue without a number'],
    ['Survey ran 01/10/2024 to 30/11/2024, 87 responses (response rate 36%).', 'date range'],
    ['Step 3 of the Plan stage asks about R4 and R5.', 'steps and tags'],
    ['Carers aged 65 and over make up 31% of the total.', 'age cue without a date'],
    ['Dear Sir or Madam', 'salutation'],
    ['The April 2025 report shows 18 unplanned endings.', 'month and year'],
  ];
  for (const [text, note] of fixed) out.push({ text, note });
  const gens: Array<() => NegativeSample> = [
    () => ({
      text: `Case reference ${formatTen(rng, generateInvalidNhsNumber(rng))} was closed.`,
      note: 'invalid NHS check digit',
    }),
    () => ({
      text: `Ledger code ${generateInvalidNhsNumber(rng)} covers the allowance.`,
      note: 'invalid NHS check digit',
    }),
    () => ({
      text: `${int(rng, 2, 99)}% of kinship carers are over ${int(rng, 40, 70)}.`,
      note: 'percentage',
    }),
    () => ({
      text: `${int(rng, 3, 400)} SGO households in ${int(rng, 2019, 2026)}.`,
      note: 'count and year',
    }),
    () => ({
      text: `Spend of £${int(rng, 1, 9)},${pad(int(rng, 0, 999), 3)},${pad(int(rng, 0, 999), 3)} in ${int(rng, 2020, 2026)}-${pad(int(rng, 21, 27))}.`,
      note: 'money',
    }),
    () => ({
      text: `The panel met on ${pad(int(rng, 1, 28))}/${pad(int(rng, 1, 12))}/${int(rng, 2020, 2026)} to review ${int(rng, 2, 30)} cases.`,
      note: 'date without a cue',
    }),
    () => ({
      text: `Reviewed ${int(rng, 1, 28)} ${pick(rng, MONTHS)} ${int(rng, 2020, 2026)}; next review in ${int(rng, 3, 12)} months.`,
      note: 'written date without a cue',
    }),
    () => ({
      text: `R${int(rng, 1, 6)} and KP${int(rng, 1, 3)} were prioritised for ${int(rng, 2024, 2027)}-${pad(int(rng, 25, 28))}.`,
      note: 'tags',
    }),
    () => ({
      text: `Waiting list: ${int(rng, 5, 90)} families, median wait ${int(rng, 2, 30)} weeks (${int(rng, 10, 99)}.${int(rng, 0, 9)}%).`,
      note: 'statistics',
    }),
    () => ({
      text: `Phone line took ${int(rng, 100, 9999)} calls between ${int(rng, 2019, 2024)} and ${int(rng, 2025, 2026)}.`,
      note: 'counts',
    }),
    () => ({
      text: `NI contributions affect ${int(rng, 2, 60)} carers of working age (section ${int(rng, 1, 30)}).`,
      note: 'NI cue without a number',
    }),
    () => ({
      text: `${pick(rng, ['GB', 'NK', 'TN', 'DA', 'FA'])}${digits(rng, 6)}${pick(rng, ['A', 'B'])} is a grant scheme code.`,
      note: 'invalid NI prefix',
    }),
    () => ({
      text: `Equipment ordered under PO ${digits(rng, 8)} for ${int(rng, 2, 20)} families.`,
      note: 'eight digits',
    }),
  ];
  while (out.length < count) out.push(pick(rng, gens)());
  return out;
}

/**
 * Forms seen in pasted text that the detectors are known to miss or that are at the edge of what
 * they should catch; two of each kind go into the corpus so that the figures are not flattered.
 */
function hardPositives(rng: Rng): PositiveSample[] {
  const out: PositiveSample[] = [];
  const add = (kind: PiiKind, before: string, value: string, after: string) =>
    out.push({ kind, text: before + value + after, value, index: before.length });
  for (let i = 0; i < 2; i++) {
    const nhs = generateNhsNumber(rng);
    add(
      'nhs-number',
      'NHS number ',
      `${nhs.slice(0, 3)} ${nhs.slice(3, 7)} ${nhs.slice(7)}`,
      ' (grouped 3-4-3).',
    );
    const chi = generateChiNumber(rng);
    add(
      'chi-number',
      'CHI no. ',
      `${chi.slice(0, 2)}.${chi.slice(2, 4)}.${chi.slice(4, 6)} ${chi.slice(6)}`,
      ' on the letter.',
    );
    add('ni-number', 'NI ', generateNiNumber(rng).replace(/ /g, '').toLowerCase(), ' typed in lower case.');
    add(
      'postcode',
      'Lives at ',
      generatePostcode(rng)
        .toUpperCase()
        .replace(/ ?(\d[A-Z]{2})$/, '  $1'),
      ' (two spaces).',
    );
    add('phone', 'Call ', generatePhone(rng).replace(/ /g, '\u00A0'), ' (pasted with non-breaking spaces).');
    add(
      'email',
      'Email ',
      `${pick(rng, FIRST).toLowerCase()}.${pick(rng, SURNAMES).toLowerCase()}@example.org`,
      '.',
    );
    add('date-of-birth', 'The youngest was born in ', `${pick(rng, MONTHS)} ${int(rng, 2008, 2020)}`, '.');
    add('person-name', 'Notes from mrs ', pick(rng, SURNAMES).toLowerCase(), ' visit.');
  }
  return out;
}

/** The corpus: `perKind` positives of every kind (plus two hard cases each) and `negativeCount` negatives, the same for a seed. */
export function generateCorpus(seed = 20260115, perKind = 120, negativeCount = 400): Corpus {
  const rng = seededRandom(seed);
  const kinds = PII_KINDS;
  const positives: PositiveSample[] = [];
  for (const kind of kinds) for (let i = 0; i < perKind; i++) positives.push(positive(rng, kind));
  positives.push(...hardPositives(rng));
  // Answers in an analyst's hurried voice, with every gap issue 15 lists (pii-analyst-corpus.ts).
  positives.push(...analystPositives(seed + 1, 3 * 60));
  return { positives, negatives: [...negatives(rng, negativeCount), ...analystNegatives(seed + 2)] };
}
