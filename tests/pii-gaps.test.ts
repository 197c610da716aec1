/**
 * Every gap and every false alarm of the personal-data guard that issue 15 lists, one by one. The
 * values are fictional: NI numbers with made-up digits, Ofcom drama phone numbers, invented names.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPersonalData, type PiiKind } from '../src/core/pii.ts';
import { repoRoot } from './helpers/run-cli.ts';

const kinds = (text: string): PiiKind[] => findPersonalData(text).map((f) => f.kind);
/** The kinds found, with the text each finding starts at (the first 12 characters). */
const at = (text: string): string[] =>
  findPersonalData(text).map((f) => `${f.kind} ${text.slice(f.column - 1, f.column + 11)}`);

describe('gaps the guard closes', () => {
  it.each([
    'ni number ab 12 34 56 c on file',
    'NI: ab123456c',
    'NI: Ab123456C',
    'NI: AB-12-34-56-C',
    'NI: AB.12.34.56.C',
    'NI: ab-123456-c',
  ])('National Insurance numbers in any case, with dashes or dots: %s', (text) => {
    expect(kinds(text)).toEqual(['ni-number']);
  });

  it.each(['07700.900.123', '07700.900123', '0117.496.0123', '+44.7700.900123'])(
    'phone numbers written with dots: %s',
    (phone) => {
      expect(kinds(`carer on ${phone} after 3`)).toEqual(['phone']);
    },
  );

  it.each([
    'DOB 16-Jun-2012',
    "born 16 June '12",
    'dob: 16/Jun/2012',
    'born, according to the referral, on 16 June 2012',
    'child born in Leeds on 03/04/2015 and moved here after',
    'aged 7, born 3 May 2016',
  ])('dates of birth in other forms, or with the cue a few words away: %s', (text) => {
    expect(kinds(text)).toEqual(['date-of-birth']);
  });

  it.each([
    ['Uncle Derek Robinson took the boys', 'person-name Derek Robins'],
    ['Grandmother Shabana Ahmed was assessed', 'person-name Shabana Ahme'],
    ['Nan Shabana is struggling', 'person-name Shabana is s'],
    ['Nanna Sienna asked about respite', 'person-name Sienna asked'],
    ['Gran Derek did the training', 'person-name Derek did th'],
    ['Grandad Derek Robinson had a fall', 'person-name Derek Robins'],
    ['Pops Derek does school runs', 'person-name Derek does s'],
    ['SW: Priya Okafor', 'person-name Priya Okafor'],
    ['social worker Priya said the panel was late', 'person-name Priya said t'],
    ['IRO Ellis Walsh raised drift', 'person-name Ellis Walsh '],
    ['Sienna’s nan is the main carer', 'person-name Sienna’s nan'],
    ["Derek's grandad needs a car", "person-name Derek's gran"],
    ['support to the Khan family paused', 'person-name Khan family '],
    ['nan shabana said the group helped', 'person-name shabana said'],
    ['a girl called tia was moved twice', 'person-name tia was move'],
    ['Tia Robinson was placed with her aunt', 'person-name Tia Robinson'],
    ['spoke to Grace Robinson about the allowance', 'person-name Grace Robins'],
  ])('names: %s', (text, expected) => {
    expect(at(text)).toEqual([expected]);
  });
});

describe('false alarms the guard avoids', () => {
  it.each([
    'we hope to cut waits to 8 weeks',
    'Hope Street office closes in May',
    'By the grace of the panel chair we got 2 extra slots',
    'Grace Academy now refers directly',
    'May 2025 figures: 41 SGOs',
    'In May the panel met twice',
    'Bill payments for carers in hardship rose 30%',
    'The Bill changes the allowance rules',
    'Victoria Park and Milton Keynes hubs run Saturday groups',
    'Florence Nightingale Foundation funded two nurses',
    'Frank Buttle Trust grants went to 6 young people',
    'Gran Canaria trip for 12 families',
    'the Polish family group met 3 times',
    'Nan Training Sessions moved online',
    'email kinship.team@exampleshire.gov.uk for the local offer',
    'families.first@example.org handles new enquiries',
    'national helpline 0300 123 7015',
    'freephone 0800 008 7000',
    'advice line 0808 801 0366',
    'carers aged 16+ on 01/04/2025: 212',
    'children aged 0-4 on 31/03/2025 made up 22%',
    'carers aged 65 and over on 31 March 2025: 74',
    'Most children were born abroad. Review held 03/04/2025.',
    'born abroad: 17%; snapshot taken 31/03/2025',
    'Date of birth missing in 14% of records. Checked 15/01/2025.',
    'they miss names without a cue',
    'meeting on ms teams at 10',
  ])('%s', (text) => {
    expect(at(text)).toEqual([]);
  });
});

describe('the first-name list', () => {
  it('is the one scripts/build-first-names.mjs derives from its sources', () => {
    const generated = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { firstNamesModule } from ${JSON.stringify(join(repoRoot, 'scripts/build-first-names.mjs'))}; process.stdout.write(firstNamesModule());`,
      ],
      { encoding: 'utf8' },
    );
    expect(generated).toBe(readFileSync(join(repoRoot, 'src/core/first-names.ts'), 'utf8'));
  });

  it('states where the names come from and under which licence', () => {
    const notice = readFileSync(join(repoRoot, 'NOTICE.md'), 'utf8');
    expect(notice).toMatch(/Moby/);
    expect(notice).toMatch(/CC0/);
    expect(notice).toMatch(/first-names-supplement\.txt/);
  });
});
