/**
 * The personal-data scan gives exactly the findings it gave before it was made cheaper to start
 * (issue 17): gates that skip a detector's pattern when the text cannot match it, patterns spelt
 * with both cases instead of the `i` flag, words looked up in sets instead of anchored patterns. The
 * scanner is compared, finding by finding (kind, line, column, excerpt, fingerprint, item, field,
 * order), with a frozen copy of the one before (tests/helpers/pii-reference.ts) on texts built from
 * pieces that hit every detector and every gate, both sides of it: short texts, so that a gate is
 * often the only thing standing between a text and its findings, and cycles, whose texts are scanned
 * joined. Breaking any gate (a letter dropped from its class, a window shortened) makes it fail.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findPersonalData,
  findPersonalDataInCycle,
  findPersonalDataInCycleText,
  PII_KINDS,
  type PiiKind,
} from '../src/core/pii.ts';
import type { CycleFile } from '../src/core/types.ts';
import { mod11CheckDigit } from './helpers/pii-corpus.ts';
import * as reference from './helpers/pii-reference.ts';

const RUNS = 6000;

const digit = fc.integer({ min: 0, max: 9 }).map(String);
const digitsOf = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
const sep = (...xs: string[]) => fc.constantFrom(...xs);
/** The same text, or in upper case, lower case, capitalised, or with each letter's case at random. */
const anyCase = (text: fc.Arbitrary<string>) =>
  fc
    .tuple(text, fc.integer({ min: 0, max: 5 }), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }))
    .map(([t, how, flips]) => {
      if (how === 1) return t.toUpperCase();
      if (how === 2) return t.toLowerCase();
      if (how === 3) return (t[0] ?? '').toUpperCase() + t.slice(1).toLowerCase();
      if (how === 4)
        return [...t].map((c, i) => (flips[i % 40] ? c.toUpperCase() : c.toLowerCase())).join('');
      return t;
    });

// Letters a pattern's class might take for ASCII: other cases and lookalikes that case-folding
// could pair with an ASCII letter (long s, Kelvin sign, dotted and dotless i), and accented ones.
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzſKİıéßÅ';
const letter = fc.constantFrom(...LETTERS);

/** Ten digits, valid by modulus 11 or not, in every grouping the detector knows and some it does not. */
const tenDigits = fc
  .tuple(
    digitsOf(9),
    fc.boolean(),
    digit,
    fc.constantFrom([3, 3, 4], [3, 4, 3], [2, 2, 2, 4], [6, 4], [10], [5, 5]),
    sep('', ' ', '-', '.', '  ', '/'),
  )
  .map(([nine, valid, last, groups, s]) => {
    const check = mod11CheckDigit(nine);
    const ten = nine + (valid && check !== undefined ? String(check) : last);
    const out: string[] = [];
    let at = 0;
    for (const n of groups) {
      out.push(ten.slice(at, at + n));
      at += n;
    }
    return out.join(s);
  });
const healthNumber = fc
  .tuple(
    sep('', 'NHS ', 'NHS no: ', 'CHI ', 'chi number ', 'nhs: ', '£', '+', 'ref '),
    tenDigits,
    sep('', '%', '.5', ' CHI', ' (NHS)', '/1', 'x'),
  )
  .map((p) => p.join(''));

const niNumber = fc
  .tuple(
    letter,
    letter,
    digitsOf(6),
    fc.constantFrom('A', 'B', 'C', 'D', 'E', 'a', 'd', 'f'),
    sep('', ' ', '-', '.'),
    fc.boolean(),
  )
  .map(([a, b, d, suffix, s, grouped]) =>
    grouped
      ? `${a}${b}${s}${d.slice(0, 2)}${s}${d.slice(2, 4)}${s}${d.slice(4)}${s}${suffix}`
      : `${a}${b}${d}${suffix}`,
  );

const postcode = fc.oneof(
  anyCase(fc.constantFrom('GIR 0AA', 'GIR0AA', 'gir  0aa')),
  fc
    .tuple(
      fc.oneof(
        anyCase(fc.constantFrom('SW', 'B', 'EH', 'KP', 'R', 'LS', 'ZE', 'QQ')),
        fc.tuple(letter, letter).map((p) => p.join('')),
      ),
      digit,
      fc.oneof(fc.constant(''), digit, letter),
      sep('', ' ', '  ', '   '),
      digit,
      letter,
      letter,
    )
    .map(([area, d1, more, s, d2, l1, l2]) => `${area}${d1}${more}${s}${d2}${l1}${l2}`),
);

const phone = fc
  .tuple(
    sep('', '+44', '+44 ', '0044 ', '+44 (0)', '+44(0)', '(0', '0', '00'),
    fc.constantFrom('1', '2', '3', '7', '8'),
    fc.array(fc.tuple(sep('', '', '', ' ', '-', '.', ') ', '(', '  '), digit), {
      minLength: 7,
      maxLength: 11,
    }),
    sep('', '.', '.5', 'x', ' ext 2'),
  )
  .map(
    ([prefix, first, rest, tail]) =>
      `${prefix === '' ? '0' : prefix}${first}${rest.map((p) => p.join('')).join('')}${tail}`,
  );

const email = fc
  .tuple(
    anyCase(
      fc.constantFrom(
        'info',
        'kinship.team',
        'tia.robinson',
        'd.madeupson',
        'practice_guides',
        'x',
        'no-reply',
        'ab+c',
      ),
    ),
    sep('@'),
    anyCase(
      fc.constantFrom('example.com', 'mail.example.org', 'example', 'a.b.example.co.uk', '-x.example.com'),
    ),
  )
  .map((p) => p.join(''));

const MONTHS = [
  'Jan',
  'January',
  'Feb',
  'March',
  'Apr',
  'May',
  'June',
  'Jul',
  'Sept',
  'September',
  'Oct',
  'Dec',
];
const date = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 0, max: 32 }),
      sep('/', '.', '-'),
      fc.integer({ min: 0, max: 13 }),
      fc.constantFrom('2018', '18', '1899', '2016', '05'),
    )
    .map(([d, s, m, y]) => `${d}${s}${m}${s}${y}`),
  fc
    .tuple(fc.constantFrom('2018', '2012'), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 31 }))
    .map(([y, m, d]) => `${y}-${m}-${d}`),
  fc
    .tuple(
      fc.integer({ min: 1, max: 31 }),
      sep('', 'st', 'nd', 'rd', 'th'),
      sep(' ', ' of ', '-', '/'),
      anyCase(fc.constantFrom(...MONTHS)),
      sep('', '.', ','),
      sep(' ', '-', '/'),
      sep('2012', "'12", '’09', '12'),
    )
    .map((p) => p.join('')),
  fc
    .tuple(
      anyCase(fc.constantFrom(...MONTHS)),
      sep('', '.'),
      fc.integer({ min: 1, max: 31 }),
      sep('', 'th', 'rd'),
      sep(' ', ', '),
      sep('2018', "'18", '2101'),
    )
    .map(([m, dot, d, th, comma, y]) => `${m}${dot} ${d}${th}${comma}${y}`),
);
const birthCue = anyCase(
  fc.constantFrom(
    'born',
    'born on',
    'DOB',
    'dob:',
    'd.o.b.',
    'D. O. B',
    'date of birth',
    'birthdate',
    'birth date',
    'birthday',
    'b.',
    'aged 7',
    'aged 16+',
    'aged 5-10',
    'aged 7 and',
    'born in',
  ),
);
const birthDate = fc.oneof(
  fc
    .tuple(
      birthCue,
      sep(
        ' ',
        '  ',
        ', according to the referral, on ',
        '. Then ',
        '; ',
        '\n\n',
        ' '.repeat(50),
        ' '.repeat(57),
        ' '.repeat(62),
      ),
      date,
    )
    .map((p) => p.join('')),
  fc.tuple(date, sep(' ', ' (', ' - ', ', '), birthCue).map((p) => p.join('')),
  fc
    .tuple(
      birthCue,
      sep(' ', '  '),
      anyCase(fc.constantFrom(...MONTHS)),
      sep(' ', '. ', ', '),
      sep('2015', '15', '2015x'),
    )
    .map((p) => p.join('')),
);

const GIVEN = [
  'Tia',
  'Derek',
  'Priya',
  'Grace',
  'Bill',
  'May',
  'Ellis',
  'Shabana',
  'Milo',
  'Sienna',
  'Precious',
  'Zoë',
  'Jo-Anne',
  'Gran',
];
const SURNAMES = [
  'Robinson',
  'Madeupson',
  'McDonald',
  'MacLeod',
  'O’Brien',
  "D'Arcy",
  'Robinson-Okafor',
  'Testington',
  'Street',
  'Hub',
  'Polish',
  'The',
  'Canaria',
  'Darling',
];
const given = anyCase(fc.constantFrom(...GIVEN));
const surname = fc.oneof(fc.constantFrom(...SURNAMES), anyCase(fc.constantFrom(...SURNAMES)));
const personName = fc.oneof(
  given,
  fc.tuple(given, sep(' ', '  '), surname).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('J', 'J.', 'A'), sep(' ', '  '), given, sep(' '), surname).map((p) => p.join('')),
);
const cue = anyCase(
  fc.constantFrom(
    'called',
    'named',
    'known as',
    'name is',
    'name’s',
    'Nan',
    'nan',
    'Uncle',
    'grandmother',
    'great-grandmother',
    'Auntie',
    'aunt',
    'cousin',
    'grandson',
    'half-sister',
    'birth mum',
    'son',
    'partner',
    'boy',
    'SW',
    'IRO',
    'PA',
    'DSL',
    'Social Worker',
    'Health Visitor',
    'social worker',
    'supervising social worker',
    'team manager',
    'keyworker',
    'worker',
    'manager',
    'teacher',
    'sw',
    'tm',
    'carer',
    'kinship carer',
    'foster carer',
    'special guardian',
    'guardian',
    'Mr',
    'Mrs',
    'mrs',
    'mr.',
    'Ms',
    'ms',
    'Miss',
    'miss',
    'Mx',
    'mx',
    'Dr',
    'dr',
    'The',
    'the',
    'With',
    'and',
    'visited',
    'cc',
  ),
);
const cuedName = fc
  .tuple(
    cue,
    sep(' ', '  ', ', ', ': ', ' - ', ' – ', ':', '', ',  ', '. ', ' ,'),
    personName,
    sep(
      '',
      ' was placed',
      ' said',
      ' family',
      ' household',
      ' Street',
      ' Hub',
      '’s nan',
      "'s school",
      ' (',
      ', aged',
      ' aged 7',
      ' isolated',
      ' Awards',
    ),
  )
  .map((p) => p.join(''));
const possessive = fc
  .tuple(
    personName,
    sep("'s", '’s'),
    sep(' ', '  '),
    anyCase(fc.constantFrom('nan', 'school', 'carer', 'social', 'mum', 'bike')),
  )
  .map((p) => p.join(''));

const filler = fc.constantFrom(
  'In 2026-27, about 45% of kinship households in our area report this.',
  'Source: aggregated service data; no individual is identified.',
  'Updated after the review meeting with partner agencies.',
  'the Council',
  'our Family Support team',
  'Grace Darling Awards',
  'May Robinson Street',
  'a boy called precious',
  'R1 KP2 3rd',
  '£1,234,567.89',
  '2026-27',
  'table 3',
  'A',
  'b',
  'é',
  'ſ',
  'K',
  'İ',
  'ı',
  '’',
  "'",
  '@',
  '.',
  '-',
  '',
);

const piece = fc.oneof(
  { arbitrary: healthNumber, weight: 2 },
  { arbitrary: niNumber, weight: 2 },
  { arbitrary: postcode, weight: 2 },
  { arbitrary: phone, weight: 2 },
  { arbitrary: email, weight: 2 },
  { arbitrary: birthDate, weight: 3 },
  { arbitrary: date, weight: 1 },
  { arbitrary: cuedName, weight: 5 },
  { arbitrary: possessive, weight: 1 },
  { arbitrary: personName, weight: 2 },
  { arbitrary: filler, weight: 3 },
);
/** What stands between two pieces: spaces (no-break ones too), punctuation, line ends, nothing. */
const between = sep(
  ' ',
  ' ',
  '',
  '\u00A0',
  '\u2007',
  '\u202F',
  '\n',
  '\n\n',
  ', ',
  '. ',
  '; ',
  '(',
  ')',
  'é',
  'x',
  '1',
  '\t',
);
const text = fc
  .tuple(fc.array(fc.tuple(piece, between), { minLength: 1, maxLength: 4 }), between)
  .map(([pieces, lead]) => lead + pieces.map(([p, b]) => p + b).join(''));

const found = new Map<string, number>();
function tally(kinds: readonly { kind: PiiKind; excerpt: string }[]): void {
  for (const f of kinds) {
    const key =
      f.kind === 'person-name' ? `person-name/${/ /.test(f.excerpt) ? 'prefixed' : 'bare'}` : f.kind;
    found.set(key, (found.get(key) ?? 0) + 1);
  }
}

describe('the faster personal-data scan finds exactly what the reference finds', () => {
  it('in single texts', () => {
    let empty = 0;
    fc.assert(
      fc.property(text, (t) => {
        const expected = reference.findPersonalData(t, { salt: 's' });
        expect(findPersonalData(t, { salt: 's' })).toEqual(expected);
        tally(expected);
        if (expected.length === 0) empty++;
      }),
      { numRuns: RUNS },
    );
    // The pieces must reach every detector and leave some texts with nothing to find, or a broken
    // gate could go unseen.
    for (const kind of PII_KINDS)
      expect(found.get(kind === 'person-name' ? 'person-name/prefixed' : kind) ?? 0).toBeGreaterThan(30);
    expect(found.get('person-name/bare') ?? 0).toBeGreaterThan(30);
    expect(empty).toBeGreaterThan(RUNS / 10);
  });

  it('in cycles, whose texts are scanned joined, and in cycle files', () => {
    const lines = fc.array(text, { minLength: 1, maxLength: 3 });
    const cycle = fc
      .record({
        answers: fc.dictionary(
          fc.constantFrom('a.one', 'a.two', 'b.three', 'c.four'),
          fc.record({ text: lines, needs: fc.option(lines, { nil: undefined }) }),
        ),
        priorities: fc.array(fc.record({ recommendation: fc.constantFrom('R1', 'R2'), rationale: lines }), {
          maxLength: 2,
        }),
        actions: fc.array(
          fc.record({
            id: fc.constantFrom('A1', 'A2'),
            title: text,
            owner: text,
            history: fc.array(fc.record({ note: text }), { maxLength: 2 }),
          }),
          { maxLength: 2 },
        ),
      })
      .map((c) => c as unknown as CycleFile);
    fc.assert(
      fc.property(cycle, (c) => {
        expect(findPersonalDataInCycle(c, 's')).toEqual(reference.findPersonalDataInCycle(c, 's'));
        const json = JSON.stringify(c, null, 2);
        expect(findPersonalDataInCycleText(json)).toEqual(reference.findPersonalDataInCycleText(json));
      }),
      { numRuns: RUNS / 6 },
    );
  });
});
