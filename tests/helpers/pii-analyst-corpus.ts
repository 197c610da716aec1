/**
 * Answers written the way an analyst in a hurry writes them: pasted from case notes, half-sentences,
 * lower case, abbreviations. Positives carry exactly one planted item of personal data; negatives are
 * realistic aggregated answers and the near misses that made the guard cry wolf before (place names,
 * organisations, "Hope", "Grace", "May" and "Bill" in ordinary use, team inboxes, national helplines,
 * census dates, a cue in one sentence and a date in the next).
 *
 * Everything is invented. Names are made-up pairings of common given names and surnames; numbers come
 * from the generators of pii-corpus.ts (valid check digits, Ofcom drama ranges, example.* domains).
 */
import type { PiiKind } from '../../src/core/pii.ts';
import {
  generateChiNumber,
  generateNhsNumber,
  generateNiNumber,
  generatePhone,
  generatePostcode,
  type NegativeSample,
  type PositiveSample,
  seededRandom,
} from './pii-corpus.ts';

type Rng = () => number;
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const pad = (n: number) => String(n).padStart(2, '0');

/** Given names as people in England and Wales have them today; a few are missing from the guard's list. */
export const ANALYST_FIRST = [
  'Tia',
  'Sienna',
  'Derek',
  'Shabana',
  'Kayden',
  'Leon',
  'Jade',
  'Amira',
  'Kacper',
  'Chloe',
  'Mason',
  'Aaliyah',
  'Reece',
  'Callum',
  'Demi',
  'Bilal',
  'Maisie',
  'Tyler',
  'Precious',
  'Oliwia',
  'Jordan',
  'Kezia',
  'Tallulah',
  'Nathan',
];
export const ANALYST_SURNAMES = [
  'Robinson',
  'Ahmed',
  'Khan',
  'Kowalski',
  'Okafor',
  'Hughes',
  'Patel',
  'Begum',
  'Nowak',
  'Evans',
  "O'Neill",
  'McKenzie',
  'Thornbury',
  'Achterberg',
  'Walsh',
  'Mensah',
];

const MONTHS = 'January February March April May June July August September October November December'.split(
  ' ',
);
const SHORT = MONTHS.map((m) => m.slice(0, 3));

/** Forms of a birth date that the first guard missed, and the usual ones. */
function birthDate(rng: Rng): string {
  const y = int(rng, 2006, 2021);
  const m = int(rng, 1, 12);
  const d = int(rng, 1, 28);
  return pick(rng, [
    `${d}-${SHORT[m - 1]}-${y}`,
    `${pad(d)}-${SHORT[m - 1]}-${String(y).slice(2)}`,
    `${d} ${MONTHS[m - 1]} '${String(y).slice(2)}`,
    `${d} ${SHORT[m - 1]} ${y}`,
    `${pad(d)}/${pad(m)}/${y}`,
    `${d}.${m}.${y}`,
    `${y}-${pad(m)}-${pad(d)}`,
    `${d}/${SHORT[m - 1]}/${y}`,
  ]);
}

/** National Insurance numbers typed carelessly: lower or mixed case, dashes, dots. */
function sloppyNi(rng: Rng): string {
  const clean = generateNiNumber(rng).replace(/ /g, '').toUpperCase();
  const groups = [clean.slice(0, 2), clean.slice(2, 4), clean.slice(4, 6), clean.slice(6, 8), clean.slice(8)];
  const sep = pick(rng, [' ', '-', '.', '', ' ']);
  let out = groups.join(sep);
  const caseStyle = int(rng, 0, 2);
  if (caseStyle === 1) out = out.toLowerCase();
  if (caseStyle === 2) out = out[0] + (out[1] ?? '').toLowerCase() + out.slice(2);
  return out;
}

/** Phone numbers written with dots, and the usual forms. */
function sloppyPhone(rng: Rng): string {
  const n3 = String(int(rng, 0, 999)).padStart(3, '0');
  return pick(rng, [
    `07700.900.${n3}`,
    `07700.900${n3}`,
    `0117.496.0${n3}`,
    `020.7946.0${n3}`,
    `+44.7700.900${n3}`,
    generatePhone(rng),
  ]);
}

interface Planted {
  kind: PiiKind;
  /** `{v}` marks the planted value. */
  template: string;
  value: (rng: Rng, who: { f: string; s: string }) => string;
}

const first = (_: Rng, w: { f: string; s: string }) => w.f;
const full = (_: Rng, w: { f: string; s: string }) => `${w.f} ${w.s}`;
const surname = (_: Rng, w: { f: string; s: string }) => w.s;
const lowerFirst = (_: Rng, w: { f: string; s: string }) => w.f.toLowerCase();

const PLANTED: Planted[] = [
  // National Insurance numbers
  { kind: 'ni-number', template: 'allowance delayed - carer gave ni no {v} late', value: sloppyNi },
  { kind: 'ni-number', template: 'NINO: {v} (pasted from the financial assessment)', value: sloppyNi },
  { kind: 'ni-number', template: 'benefits check done, ref {v}, awaiting DWP', value: sloppyNi },
  { kind: 'ni-number', template: 'gran’s NI {v} on the means test form', value: sloppyNi },
  { kind: 'ni-number', template: '{v} - need to remove before sharing', value: sloppyNi },
  // Phone numbers
  { kind: 'phone', template: 'carer prefers texts on {v}', value: sloppyPhone },
  { kind: 'phone', template: 'tel {v} eves only', value: sloppyPhone },
  { kind: 'phone', template: 'uncle rang from {v} re contact', value: sloppyPhone },
  { kind: 'phone', template: 'mob: {v}', value: sloppyPhone },
  { kind: 'phone', template: 'call back on {v} after 3', value: sloppyPhone },
  // Dates of birth, the cue a few words away in the same sentence
  { kind: 'date-of-birth', template: 'youngest dob {v}, with aunt since', value: birthDate },
  { kind: 'date-of-birth', template: 'born, according to the referral, on {v}', value: birthDate },
  { kind: 'date-of-birth', template: 'child born in Leeds on {v} and moved here after', value: birthDate },
  { kind: 'date-of-birth', template: 'DOB (from LCS) {v}', value: birthDate },
  { kind: 'date-of-birth', template: 'eldest (d.o.b {v}) now at college', value: birthDate },
  { kind: 'date-of-birth', template: 'Date of birth of the younger sibling: {v}.', value: birthDate },
  { kind: 'date-of-birth', template: 'aged 7, born {v}', value: birthDate },
  { kind: 'date-of-birth', template: '{v} dob - take out', value: birthDate },
  { kind: 'date-of-birth', template: 'her birthday is {v} so review moved', value: birthDate },
  // Names after a capitalised or informal relationship word
  { kind: 'person-name', template: 'Uncle {v} took the boys at short notice', value: full },
  { kind: 'person-name', template: 'Grandmother {v} was assessed in 6 weeks', value: full },
  { kind: 'person-name', template: 'Nan {v} is struggling with the allowance', value: first },
  { kind: 'person-name', template: 'Nanna {v} asked about respite', value: first },
  { kind: 'person-name', template: 'Gran {v} did the training online', value: first },
  { kind: 'person-name', template: 'Grandad {v} had a fall in May', value: full },
  { kind: 'person-name', template: 'Pops {v} does school runs', value: first },
  { kind: 'person-name', template: 'Auntie {v} cannot drive to group', value: first },
  // Role labels
  { kind: 'person-name', template: 'SW: {v}', value: full },
  { kind: 'person-name', template: 'SW {v} to follow up', value: first },
  { kind: 'person-name', template: 'social worker {v} said the panel was late', value: full },
  { kind: 'person-name', template: 'IRO {v} raised drift at review', value: full },
  { kind: 'person-name', template: 'IRO: {v}', value: first },
  { kind: 'person-name', template: 'per team manager {v}, no backfill', value: full },
  // Possessives and families
  { kind: 'person-name', template: '{v}’s nan is the main carer', value: first },
  { kind: 'person-name', template: "{v}'s grandad needs a bigger car", value: first },
  { kind: 'person-name', template: 'support to the {v} family paused over summer', value: surname },
  { kind: 'person-name', template: 'the {v} household moved out of area', value: surname },
  // Lower-case names after a cue
  { kind: 'person-name', template: 'nan {v} said the group helped', value: lowerFirst },
  { kind: 'person-name', template: 'her grandson {v} started in reception', value: lowerFirst },
  { kind: 'person-name', template: 'a boy called {v} was moved twice', value: lowerFirst },
  { kind: 'person-name', template: 'sw {v} off sick so visit moved', value: lowerFirst },
  // Full names with no cue at all
  { kind: 'person-name', template: '{v} was placed with her aunt in March', value: full },
  { kind: 'person-name', template: 'spoke to {v} about the allowance', value: full },
  { kind: 'person-name', template: '{v} (maternal aunt) wants a peer mentor', value: full },
  { kind: 'person-name', template: 'feedback from {v}: training too far away', value: full },
  { kind: 'person-name', template: 'case of {v} shows the drift issue', value: full },
  { kind: 'person-name', template: '{v} and her two grandchildren came to the launch', value: full },
  // Titles and the usual cues, hurried
  { kind: 'person-name', template: 'mrs {v} rang again re allowance', value: surname },
  { kind: 'person-name', template: 'Mrs {v} rang again re allowance', value: surname },
  { kind: 'person-name', template: 'kinship carer {v} - very positive about group', value: full },
  { kind: 'person-name', template: 'his niece {v} is now at secondary', value: first },
  // The other kinds, hurried
  {
    kind: 'nhs-number',
    template: 'nhs no {v} on the health form',
    value: (rng) => spaced(generateNhsNumber(rng)),
  },
  { kind: 'nhs-number', template: 'pasted from LCS: {v}', value: (rng) => spaced(generateNhsNumber(rng)) },
  { kind: 'chi-number', template: 'CHI {v} (child moved from Fife)', value: (rng) => generateChiNumber(rng) },
  { kind: 'postcode', template: 'family now at {v}, out of area', value: (rng) => generatePostcode(rng) },
  { kind: 'postcode', template: 'moved to {v} in jan', value: (rng) => generatePostcode(rng) },
  {
    kind: 'email',
    template: 'carer’s email {v} for the minutes',
    value: (rng, w) =>
      `${w.f.toLowerCase()}.${w.s.toLowerCase().replace(/'/g, '')}${int(rng, 1, 99)}@example.com`,
  },
];

function spaced(ten: string): string {
  return `${ten.slice(0, 3)} ${ten.slice(3, 6)} ${ten.slice(6)}`;
}

/** Realistic answers with nothing personal in them, including every false alarm named in issue 15. */
export const ANALYST_NEGATIVES: Array<[string, string]> = [
  ['we hope to cut waits to 8 wks by Q3', 'hope as a verb'],
  ['Hope Street office closes in May for refurb', 'Hope as a street'],
  ['By the grace of the panel chair we got 2 extra slots', 'grace as a noun'],
  ['Grace Academy trust now refers directly', 'Grace as an organisation'],
  ['May 2025 figures: 41 SGOs, 12 CAOs', 'May as a month'],
  ['May Day bank holiday delayed two panels', 'May Day'],
  ['Bill payments for carers in hardship up 30%', 'Bill as a noun'],
  ['The Bill went through in 2025 and changes the allowance rules', 'the Bill'],
  ['Will Writing sessions offered by the legal advice partner', 'Will as a noun'],
  ['Mark Scheme for the audit agreed with QA', 'Mark as a noun'],
  ['Rose Garden family centre hosts the peer group', 'place name'],
  ['Victoria Park and Milton Keynes hubs both run Saturday groups', 'place names'],
  ['carers from Chester, Lincoln and Sydney Street all attend', 'place names'],
  ['Florence Nightingale Foundation funded two nurses', 'organisation'],
  ['Christian Aid and Barnardo’s co-run the support line', 'organisations'],
  ['Frank Buttle Trust grants went to 6 young people', 'organisation'],
  ['Amber rating on the risk log for the backlog', 'Amber as a rating'],
  ['Joy Lane children’s centre re-opened', 'place'],
  ['email kinship.team@exampleshire.gov.uk for the local offer', 'team inbox'],
  ['referrals via sgo-support@example.gov.uk or the duty inbox', 'team inbox'],
  ['families.first@example.org handles all new enquiries', 'team inbox'],
  ['Kinship helpline 0300 123 7015 (national) gets most calls', 'national helpline 0300'],
  ['Grandparents Plus advice line 0800 008 7000 is free', 'freephone 0800'],
  ['Samaritans 116 123 and Childline 0800 1111 listed in the pack', 'helplines'],
  ['family rights advice 0808 801 0366 (free) on the leaflet', 'freephone 0808'],
  ['carers aged 16+ on 01/04/2025: 212', 'census date'],
  ['children aged 0-4 on 31/03/2025 made up 22%', 'census date with age band'],
  ['number of carers aged 65 and over at 31 March 2025 was 74', 'census date'],
  ['young people aged 18 or over on 1 April 2025 left the count', 'census date'],
  ['Most children were born abroad. Review held 03/04/2025.', 'cue in the previous sentence'],
  ['Born in care is a theme. Audit done 12/11/2024 by QA.', 'cue in the previous sentence'],
  ['Date of birth field missing in 14% of records; checked 15/01/2025', 'cue about a field, census date'],
  ['no DOB recorded for 9 children; cleansing finished 2025-02-28', 'data quality note'],
  ['the Polish family group met 3 times', 'community'],
  ['the Somali family network advised on outreach', 'community'],
  ['the Kinship family forum is run by carers', 'forum'],
  ['Grandparents Plus, Kinship and Family Rights Group all consulted', 'organisations'],
  ['SW capacity down 3 FTE since Jan', 'role without a name'],
  ['IRO caseloads avg 72, target 55', 'role without a name'],
  ['social worker turnover 19% this year', 'role without a name'],
  ['nan and grandad carers are 64% of the cohort', 'relations without names'],
  ['Uncle and aunt carers now 18%', 'relations without names'],
  ['Nan Training Sessions moved online', 'title case heading'],
  ['Gran Canaria trip funded by the lottery for 12 families', 'place'],
  ['Fostering Network and CoramBAAF guidance used', 'organisations'],
  ['data from LCS and Mosaic, extracted 01/04/2025', 'systems'],
  ['Leeds, Bradford and Wakefield compared', 'places'],
  ['Jersey and Guernsey not included in the benchmark', 'places'],
  ['SGO support plan reviews: 83% on time (Q2)', 'statistics'],
  ['1 in 4 carers said the allowance was late', 'statistics'],
  ['Kinship Connect Hub opened in Oct; 40 families', 'programme'],
  ['Chelsea Court flats are used for emergency placements', 'place'],
  ['Devon and Cornwall share the training offer', 'places'],
  ['Care Leavers Covenant signed in 2024', 'organisation'],
  ['Carol Service for kinship families on 12 December', 'event'],
  ['Summer Holiday Club took 30 children', 'event'],
  ['the Virtual School head joins the panel', 'role'],
  ['sw visits within 10 days in 91% of cases', 'statistics'],
  ['we will recruit 2 more family support workers by Sept', 'plan'],
  ['Joy and relief were the main themes in carer feedback', 'Joy as a noun'],
  ['Sterling exchange rates hit the overseas kin assessments', 'word'],
  ['Chase up of overdue reviews is weekly now', 'word'],
  ['Hunter Street base closes in 2026', 'place'],
  ['Dawn visits are not used', 'word'],
  ['Faith groups host 3 of the 5 peer groups', 'word'],
  ['Patience is wearing thin with the court delays, per carers', 'word'],
  ['Lincoln Road family centre runs the group', 'place'],
  ['Stanley Park fun day had 120 attendees', 'place'],
  ['Martin Luther King Day assembly at the virtual school', 'historic name as event'],
  ['Ruby Wedding anniversary of the carers group celebrated', 'event'],
  ['Grace period of 28 days before payment stops', 'grace period'],
  ['Bill Pay system replaced in April', 'system name'],
  ['Angel Lane hub', 'place'],
  ['Aged 16 and over: 44 young people; counted on 31/03/2025', 'census date'],
  ['aged 11-17 at 1 April 2025: 96', 'census date'],
  ['born abroad: 17%. Snapshot taken 31/03/2025.', 'cue in the previous sentence'],
  ['Carer birthdays are not recorded', 'cue without a date'],
  ['Sienna Court block has two kinship households', 'place'],
];

/** `count` positives drawn from the planted templates, each with a fictional person. */
export function analystPositives(seed: number, count: number): PositiveSample[] {
  const rng = seededRandom(seed);
  const out: PositiveSample[] = [];
  for (let i = 0; i < count; i++) {
    const planted = PLANTED[i % PLANTED.length] as Planted;
    const who = { f: pick(rng, ANALYST_FIRST), s: pick(rng, ANALYST_SURNAMES) };
    const value = planted.value(rng, who);
    const index = planted.template.indexOf('{v}');
    out.push({ kind: planted.kind, text: planted.template.replace('{v}', value), value, index });
  }
  return out;
}

/** The hand-written negatives, and variations of them with other numbers and months. */
export function analystNegatives(seed: number): NegativeSample[] {
  const rng = seededRandom(seed);
  const out: NegativeSample[] = ANALYST_NEGATIVES.map(([text, note]) => ({ text, note }));
  const variants: Array<() => NegativeSample> = [
    () => ({
      text: `carers aged ${int(rng, 16, 70)}+ on ${pad(int(rng, 1, 28))}/${pad(int(rng, 1, 12))}/${int(rng, 2023, 2026)}: ${int(rng, 5, 400)}`,
      note: 'census date',
    }),
    () => ({
      text: `${pick(rng, MONTHS)} ${int(rng, 2023, 2026)}: ${int(rng, 2, 60)} new SGOs, ${int(rng, 1, 20)} CAOs`,
      note: 'month as a heading',
    }),
    () => ({
      text: `Most were born in the area. Panel sat on ${pad(int(rng, 1, 28))}/${pad(int(rng, 1, 12))}/${int(rng, 2023, 2026)}.`,
      note: 'cue in the previous sentence',
    }),
    () => ({
      text: `helpline ${pick(rng, ['0300', '0800', '0808'])} ${int(rng, 100, 999)} ${int(rng, 1000, 9999)} took ${int(rng, 50, 900)} calls`,
      note: 'national helpline',
    }),
    () => ({
      text: `${pick(rng, ['Hope', 'Grace', 'May', 'Bill', 'Will', 'Victoria', 'Lincoln'])} ${pick(rng, ['Street', 'House', 'Academy', 'Park', 'Centre', 'Road'])} ${pick(rng, ['runs the group', 'hosts the clinic', 'closed for refurb'])}`,
      note: 'places named like people',
    }),
  ];
  for (let i = 0; i < 120; i++) out.push(pick(rng, variants)());
  return out;
}
