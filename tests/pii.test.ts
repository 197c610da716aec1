import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeFinding,
  filterAllowed,
  findPersonalData,
  findPersonalDataInCycle,
  findPersonalDataInCycleText,
  fingerprintOf,
  hasValidMod11,
  maskValue,
  type PiiKind,
  parseAllowList,
} from '../src/core/pii.ts';
import type { CycleFile } from '../src/core/types.ts';
import {
  generateChiNumber,
  generateCorpus,
  generateInvalidNhsNumber,
  generateNhsNumber,
  generateNiNumber,
  generatePhone,
  seededRandom,
} from './helpers/pii-corpus.ts';

const kinds = (text: string): PiiKind[] => findPersonalData(text).map((f) => f.kind);

describe('NHS numbers', () => {
  const rng = seededRandom(1);
  const nhs = generateNhsNumber(rng);
  const spaced = `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}`;

  it('checks the modulus-11 digit', () => {
    expect(hasValidMod11(nhs)).toBe(true);
    expect(hasValidMod11(generateInvalidNhsNumber(rng))).toBe(false);
    expect(hasValidMod11('123456789')).toBe(false);
  });

  it('finds 3-3-4, dashed and unbroken forms, with one fingerprint for all', () => {
    const dashed = spaced.replace(/ /g, '-');
    const findings = findPersonalData(`a ${spaced}\nb ${dashed}\nc ${nhs}`);
    expect(findings.map((f) => [f.kind, f.line, f.column])).toEqual([
      ['nhs-number', 1, 3],
      ['nhs-number', 2, 3],
      ['nhs-number', 3, 3],
    ]);
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(1);
    expect(findings[0]?.fingerprint).toBe(fingerprintOf('nhs-number', nhs));
  });

  it('ignores an invalid check digit, longer numbers, amounts and decimals', () => {
    for (let i = 0; i < 50; i++) expect(kinds(`ref ${generateInvalidNhsNumber(rng)}`)).toEqual([]);
    expect(kinds(`ref 1${nhs}`)).toEqual([]);
    expect(kinds(`ref ${nhs}1`)).toEqual([]);
    expect(kinds(`£${nhs}`)).toEqual([]);
    expect(kinds(`${nhs}.5 units`)).toEqual([]);
  });

  it('never shows the full number', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const n = generateNhsNumber(seededRandom(seed));
        const [f] = findPersonalData(`NHS ${n}`);
        expect(f?.kind).toBe('nhs-number');
        expect(f?.excerpt).not.toContain(n);
        expect(f?.excerpt.replace(/\D/g, '').length).toBeLessThanOrEqual(2);
        expect(describeFinding(f!)).toMatch(/^possible NHS number "\d•+\d"$/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('CHI numbers', () => {
  it('are told from NHS numbers by their date and checksum, or a CHI cue', () => {
    const rng = seededRandom(2);
    for (let i = 0; i < 30; i++) {
      const chi = generateChiNumber(rng);
      expect(kinds(`record ${chi}`)).toEqual(['chi-number']);
      expect(kinds(`CHI ${chi.slice(0, 6)} ${chi.slice(6)}`)).toEqual(['chi-number']);
    }
  });

  it('need a real date: 31 February is not one', () => {
    // 310299 + 3 digits + check: find one with a valid checksum and check it is not a CHI number
    for (let n = 0; n < 1000; n++) {
      const d = `310299${String(n).padStart(3, '0')}`;
      for (let c = 0; c < 10; c++) {
        if (hasValidMod11(d + c)) {
          expect(kinds(`record ${d}${c}`)).toEqual(['nhs-number']);
          return;
        }
      }
    }
  });
});

describe('National Insurance numbers', () => {
  it('accepts valid prefixes and suffixes A–D', () => {
    const rng = seededRandom(3);
    for (let i = 0; i < 50; i++) expect(kinds(`NI ${generateNiNumber(rng)}`)).toEqual(['ni-number']);
    expect(kinds('AB 12 34 56 C')).toEqual(['ni-number']);
  });

  it('rejects invalid letters, banned prefixes and suffixes', () => {
    for (const bad of ['DA123456A', 'FA123456A', 'AD123456A', 'AO123456A', 'QQ123456A', 'AB123456E']) {
      expect(kinds(bad), bad).toEqual([]);
    }
    for (const prefix of ['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'])
      expect(kinds(`${prefix}123456A`)).toEqual([]);
  });
});

describe('postcodes', () => {
  it('finds the usual forms, with or without a space, in either case', () => {
    for (const p of [
      'SW1A 1AA',
      'SW1A1AA',
      'sw1a 1aa',
      'M1 1AE',
      'B33 8TH',
      'EC1V 9LB',
      'GIR 0AA',
      'LS12 3AB',
    ]) {
      expect(kinds(`at ${p}.`), p).toEqual(['postcode']);
    }
  });

  it('ignores tags and prose that look like postcodes', () => {
    for (const t of ['R1 and KP2', 'KP2 3rd item', 'R1 2AB', 'Q3 2025', 'XX1 1AA', 'Sw1a 1aa', 'SW1A 1AC']) {
      expect(kinds(t), t).toEqual([]);
    }
  });
});

describe('phone numbers', () => {
  it('finds mobile and landline numbers in 0, +44 and +44 (0) forms', () => {
    const rng = seededRandom(4);
    for (let i = 0; i < 100; i++) {
      const p = generatePhone(rng);
      expect(kinds(`call ${p} today`), p).toEqual(['phone']);
    }
    expect(kinds('+44(0)7700900051')).toEqual(['phone']);
  });

  it('normalises +44 and 0 forms to one fingerprint', () => {
    const a = findPersonalData('07700 900123')[0]?.fingerprint;
    const b = findPersonalData('+44 (0)7700 900123')[0]?.fingerprint;
    const c = findPersonalData('+447700900123')[0]?.fingerprint;
    expect(a).toBeDefined();
    expect(new Set([a, b, c]).size).toBe(1);
  });

  it('ignores years, ranges, money and short numbers', () => {
    for (const t of [
      '2025-26',
      '£1,250,000',
      'since 2019',
      '0800 123',
      '01/02/2025',
      '0.5 FTE',
      '020 7946',
    ]) {
      expect(kinds(t), t).toEqual([]);
    }
  });
});

describe('e-mail addresses', () => {
  it('finds personal addresses and masks both parts', () => {
    const [f] = findPersonalData('write to ada.testington@example.com.');
    expect(f?.kind).toBe('email');
    expect(f?.excerpt).toBe('a••.••••••••••@e••••••.com');
  });

  it('leaves functional mailboxes of organisations alone', () => {
    expect(kinds('practice_guides@foundations.org.uk or kinship.team@exampleshire.gov.uk')).toEqual([]);
  });
});

describe('dates of birth', () => {
  it('finds dates near a cue, before or after', () => {
    for (const t of [
      'born 03/04/2018',
      'DOB: 3rd April 2016',
      'd.o.b. 2016-11-02',
      'date of birth 5 May 2015',
      'aged 7, 12.3.18',
      'birthday is March 5, 2017',
      '03/04/2018 (DOB)',
    ]) {
      expect(kinds(t), t).toEqual(['date-of-birth']);
    }
  });

  it('ignores dates without a cue and impossible dates', () => {
    for (const t of [
      'reviewed on 12/03/2025',
      'the panel met on 4 March 2025',
      'born 31/02/2018',
      'born in 2015',
    ]) {
      expect(kinds(t), t).toEqual([]);
    }
  });
});

describe('names of people', () => {
  it('finds a name after a title or a cue, and masks it', () => {
    const cases: Array<[string, string]> = [
      ['Mrs Testington said so', 'Mrs T•••••••••'],
      ['with Mr J. Sampleworth', 'Mr J. S••••••••••'],
      ['her grandson Tobin', 'grandson T••••'],
      ['a child called Wren', 'called W•••'],
      ['carer Ada Exampleby', 'carer A•• E••••••••'],
    ];
    for (const [text, excerpt] of cases) {
      const found = findPersonalData(text);
      expect(
        found.map((f) => [f.kind, f.excerpt]),
        text,
      ).toEqual([['person-name', excerpt]]);
    }
  });

  it('does not flag titles alone, headings, organisations or calendar words', () => {
    for (const t of [
      'Mr and Mrs',
      'Key Principle 1',
      'Recommendation 6',
      'Section 17',
      'the Local Authority',
      'Dr',
      'her grandson’s school',
      'a service called Kinship Connect',
      'named Family Group Conference',
      'Mrs Example Group',
      'our son In',
      'carer Support Groups',
      'his daughter Monday',
    ]) {
      expect(kinds(t), t).toEqual([]);
    }
  });
});

describe('maskValue', () => {
  it('keeps only the first and last letter or digit, and separators', () => {
    expect(maskValue('450 557 7104')).toBe('4•• ••• •••4');
    expect(maskValue('SW1A 1AA', 'postcode')).toBe('S••• ••A');
    expect(maskValue('Ada Testington', 'person-name')).toBe('A•• T•••••••••');
    expect(maskValue('abc')).toBe('•••');
  });

  it('never returns the value it masks', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{4,20}$/), (v) => {
        expect(maskValue(v)).not.toBe(v);
        expect(maskValue(v, 'person-name')).not.toBe(v);
      }),
    );
  });
});

describe('findPersonalDataInCycle', () => {
  const nhs = generateNhsNumber(seededRandom(5));
  const cycle = {
    format: 1,
    cycle: '2026-27',
    authority: 'Mrs Testington County Council',
    bank: { id: 'reflective-tool', version: '1' },
    priorities: [
      { recommendation: 'R1', rationale: ['Carers asked for it.', 'See ada.testington@example.com'] },
    ],
    answers: {
      'assess.carers.demographics': {
        status: 'answered',
        text: ['64% of carers are grandparents.', `One child (${nhs}) moved.`],
        changed: '2026-01-15',
      },
      'assess.carers.count': { status: 'needs-data', needs: ['Ask Mrs Testington'], changed: '2026-01-15' },
    },
    actions: [
      {
        id: 'A2',
        title: 'Publish the local offer',
        owner: 'Mr Sampleworth',
        status: 'planned',
        tags: ['R1'],
        notes: ['Call 07700 900123'],
        history: [{ date: '2026-01-15', status: 'planned', note: 'born 03/04/2018' }],
        opened: '2026-27',
      },
    ],
  } as CycleFile;

  it('scans answers, rationale and actions, not the authority name', () => {
    const found = findPersonalDataInCycle(cycle).map((f) => [f.item, f.field, f.line, f.kind]);
    expect(found).toEqual([
      ['assess.carers.demographics', 'text', 2, 'nhs-number'],
      ['assess.carers.count', 'needs', 1, 'person-name'],
      ['priorities.R1', 'rationale', 2, 'email'],
      ['actions.A2', 'owner', 1, 'person-name'],
      ['actions.A2', 'notes', 1, 'phone'],
      ['actions.A2', 'history', 1, 'date-of-birth'],
    ]);
  });

  it('tolerates a file of the wrong shape', () => {
    const broken = {
      answers: { x: { text: 'Mrs Testington' }, y: 3, z: null },
      actions: 'no',
      priorities: [null],
    };
    expect(findPersonalDataInCycle(broken as unknown as CycleFile).map((f) => f.kind)).toEqual([
      'person-name',
    ]);
  });

  it('finds in a whole cycle exactly what scanning each text on its own finds (labelled corpus)', () => {
    // the cycle's texts are scanned as one; cues and matches must not reach across texts
    const corpus = generateCorpus();
    const texts = [...corpus.positives.map((p) => p.text), ...corpus.negatives.map((n) => n.text)];
    const answers: Record<string, { status: 'answered'; text: string[]; needs?: string[]; changed: string }> =
      {};
    const expected: unknown[] = [];
    for (let i = 0; i < texts.length; i += 3) {
      const id = `item.${i}`;
      // two texts as lines of one answer, one as its data needed: every text of the corpus, many of
      // them with their value right at the start or end
      const text = texts.slice(i, i + 2);
      const needs = texts.slice(i + 2, i + 3);
      answers[id] = { status: 'answered', text, ...(needs.length ? { needs } : {}), changed: '2026-01-15' };
      expected.push(...findPersonalData(text.join('\n'), { item: id, field: 'text' }));
      if (needs.length) expected.push(...findPersonalData(needs.join('\n'), { item: id, field: 'needs' }));
    }
    const whole = { ...cycle, priorities: [], actions: [], answers } as unknown as CycleFile;
    const found = findPersonalDataInCycle(whole);
    expect(found.length).toBeGreaterThan(960);
    expect(found).toEqual(expected);
  });

  it('filterAllowed drops allowed fingerprints only', () => {
    const all = findPersonalDataInCycle(cycle);
    const allowed = new Set([all[0]!.fingerprint]);
    expect(filterAllowed(all, allowed)).toEqual(all.slice(1));
  });
});

describe('parseAllowList', () => {
  it('reads one fingerprint per line with optional comments, ignoring anything else', () => {
    const set = parseAllowList(
      '0123456789abcdef # reviewed: a case reference\n\n# comment\nnot-a-hash\nFEDCBA9876543210\r\n',
    );
    expect([...set]).toEqual(['0123456789abcdef', 'fedcba9876543210']);
  });
});

describe('performance', () => {
  it('scans 1 MB of hostile text in well under a few seconds', () => {
    const chunks = [
      '9'.repeat(5000),
      'a'.repeat(5000),
      '@'.repeat(200),
      `${'a.'.repeat(2000)}@`,
      'Mrs '.repeat(500),
      '0 '.repeat(2000),
      '+44 (0) '.repeat(300),
      'born 1/1/1 '.repeat(300),
      'AB 12 34 56 '.repeat(300),
      '+44(0)7700900051 4505577104 '.repeat(2000),
      '64% of carers are grandparents. Mrs Testington, 07700 900123. ',
    ];
    let text = '';
    while (text.length < 1_000_000) text += chunks.join('\n');
    const start = performance.now();
    findPersonalData(text);
    const ms = performance.now() - start;
    expect(ms).toBeLessThan(5000);
  });
});

describe('findPersonalDataInCycleText', () => {
  it('places findings at their line and column in the file, through escapes', () => {
    const cycle = {
      format: 1,
      authority: 'Exampleshire',
      priorities: [{ recommendation: 'R2', rationale: ['ok', 'ask "Mrs Testington"'] }],
      answers: {
        'a.b': { status: 'answered', text: ['first', 'caf\u00e9 "quoted" \\ then born 03/04/2018'] },
      },
      actions: [
        {
          id: 'A1',
          title: 'Call 07700 900123',
          history: [{ date: '2026-01-15', status: 'planned' }, { note: 'Mr Sampleworth' }],
        },
      ],
    };
    const text = JSON.stringify(cycle, null, 2).replace('café', 'caf\\u00e9');
    const lines = text.split('\n');
    const at = (needle: string) => {
      const line = lines.findIndex((l) => l.includes(needle)) + 1;
      return [line, (lines[line - 1] ?? '').indexOf(needle) + 1];
    };
    const found = findPersonalDataInCycleText(text)?.map((f) => [f.item, f.kind, f.line, f.column]);
    expect(found).toEqual([
      ['a.b', 'date-of-birth', ...at('03/04/2018')],
      ['priorities.R2', 'person-name', ...at('Testington')],
      ['actions.A1', 'phone', ...at('07700')],
      ['actions.A1', 'person-name', ...at('Sampleworth')],
    ]);
  });

  it('returns undefined for text that is not a cycle, and survives deep nesting', () => {
    expect(findPersonalDataInCycleText('{"answers": ')).toBeUndefined();
    expect(findPersonalDataInCycleText('[1, 2]')).toBeUndefined();
    const deep = `{"answers": {"x": {"text": ["Mrs Testington"]}}, "z": ${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    expect(findPersonalDataInCycleText(deep)?.map((f) => [f.line, f.column])).toEqual([[1, 34]]);
  });
});
