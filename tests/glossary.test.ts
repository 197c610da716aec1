import { describe, expect, it } from 'vitest';
import { answerableItems } from '../src/core/bank.ts';
import { parseBank } from '../src/core/bank-validate.ts';
import { describeGlossaryEntry, findGlossaryTerms, glossaryForQuestion } from '../src/core/glossary.ts';
import type { Bank, GlossaryEntry } from '../src/core/types.ts';
import { BUILTIN_BANK_IDS, loadBuiltinBank } from '../src/generated/banks.ts';

const GLOSSARY: GlossaryEntry[] = [
  {
    term: 'SGO',
    expansion: 'special guardianship order',
    definition: 'An order.',
    aliases: ['special guardianship order'],
  },
  { term: 'KP', expansion: 'Key Principle', definition: 'A principle.' },
  { term: 'ALL', definition: 'Every principle.' },
  { term: 'Section 17', definition: 'Children in need.' },
  { term: 'C++', definition: 'Regular-expression characters in a term are literal.' },
];
const terms = (text: string) => findGlossaryTerms(GLOSSARY, [text]).map((e) => e.term);

describe('findGlossaryTerms', () => {
  it('finds abbreviations in capitals only, with plurals and numbers', () => {
    expect(terms('How many SGOs were made?')).toEqual(['SGO']);
    expect(terms('Tagged KP1 and KP3')).toEqual(['KP']);
    expect(terms('all of them, sgo')).toEqual([]);
    expect(terms('ALL')).toEqual(['ALL']);
  });
  it('finds phrases whatever their case and spacing, as whole words', () => {
    expect(terms('funding under section\n17 of the Act')).toEqual(['Section 17']);
    expect(terms('Special Guardianship Orders made')).toEqual(['SGO']);
    expect(terms('Section 170')).toEqual(['Section 17']); // a number may follow, as in KP1
    expect(terms('SGOX KPs-free')).toEqual(['KP']);
    expect(terms('uses C++ daily')).toEqual(['C++']);
    expect(terms('uses C daily')).toEqual([]);
  });
  it('keeps glossary order and handles no glossary', () => {
    expect(terms('Section 17 and SGO and KP2')).toEqual(['SGO', 'KP', 'Section 17']);
    expect(findGlossaryTerms(undefined, ['SGO'])).toEqual([]);
  });
  it('describes an entry on one line', () => {
    expect(describeGlossaryEntry(GLOSSARY[0] as GlossaryEntry)).toBe(
      'SGO (special guardianship order): An order.',
    );
    expect(describeGlossaryEntry(GLOSSARY[3] as GlossaryEntry)).toBe('Section 17: Children in need.');
  });
});

/** The search as it was before the prefilter and the joined text: each pattern on each text. */
function reference(glossary: readonly GlossaryEntry[], texts: readonly string[]): GlossaryEntry[] {
  const formPattern = (form: string) =>
    form
      .split(/\s+/)
      .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\s+');
  const foldCase = (p: string) =>
    p.replace(/\\.|\p{L}/gu, (c) =>
      c.length === 1 && c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c,
    );
  return glossary.filter((entry) => {
    const forms = [entry.term, ...(entry.aliases ?? [])];
    const exact = forms.filter((f) => !/\p{Ll}/u.test(f)).map(formPattern);
    const loose = forms.filter((f) => /\p{Ll}/u.test(f)).map(formPattern);
    const alternatives = [...exact, ...loose.map(foldCase)].join('|');
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?:s|\\d+)?(?![\\p{L}\\p{N}_])`, 'u');
    return texts.some((t) => pattern.test(t));
  });
}

describe('findGlossaryTerms finds what a pattern per text finds', () => {
  it('on 3,000 random sets of texts built from the forms of the built-in glossary', async () => {
    const bank = (await loadBuiltinBank('reflective-tool')) as Bank;
    const glossary = [
      ...(bank.glossary ?? []),
      { term: 'Café', definition: 'A form outside ASCII: always searched.' },
      { term: 'Kinship Örder', definition: 'Outside ASCII in its second word.' },
    ];
    const forms = glossary.flatMap((e) => [e.term, ...(e.aliases ?? [])]);
    const noise = [
      '',
      ' ',
      '\n',
      's',
      '1',
      'x',
      '_',
      'é',
      '-',
      '\u0000',
      'İ',
      'K',
      '  ',
      'ALL',
      'all',
      '٣',
      'ß',
      '—',
      '’',
    ];
    let seed = 7;
    const next = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const mangle = (form: string) => {
      const r = next(4);
      if (r === 0) return form.toLowerCase();
      if (r === 1) return form.toUpperCase();
      if (r === 2) return form.replace(/ /g, '\n  ');
      return form;
    };
    for (let round = 0; round < 3000; round++) {
      const texts = Array.from({ length: 1 + next(4) }, () =>
        Array.from({ length: next(5) }, () =>
          next(2) === 0 ? mangle(forms[next(forms.length)] as string) : (noise[next(noise.length)] as string),
        ).join(noise[next(noise.length)] as string),
      );
      expect(findGlossaryTerms(glossary, texts), JSON.stringify(texts)).toEqual(reference(glossary, texts));
    }
  });

  it('never joins two texts into one term', () => {
    expect(terms('Section')).toEqual([]);
    expect(findGlossaryTerms(GLOSSARY, ['funding under Section', '17 of the Act'])).toEqual([]);
    expect(findGlossaryTerms(GLOSSARY, ['S', 'GO'])).toEqual([]);
  });
});

describe('the built-in banks’ glossaries', () => {
  it.each(BUILTIN_BANK_IDS)('%s has one, and its questions use its terms', async (id) => {
    const bank = (await loadBuiltinBank(id)) as Bank;
    expect(bank.glossary?.length ?? 0).toBeGreaterThan(10);
    const used = new Set(
      answerableItems(bank).flatMap((i) =>
        glossaryForQuestion(bank, i.text, i.effectiveTags).map((e) => e.term),
      ),
    );
    expect(used.size).toBeGreaterThan(1);
  });
  it('the reflective tool explains the terms of its questions', async () => {
    const bank = (await loadBuiltinBank('reflective-tool')) as Bank;
    const found = (text: string) => glossaryForQuestion(bank, text).map((e) => e.term);
    const all = answerableItems(bank).map((i) => i.text);
    expect(found(all.find((t) => t.includes('Section 17')) ?? '')).toContain('Section 17');
    expect(found(all.find((t) => t.includes('CBT')) ?? '')).toContain('CBT');
    expect(found('all kinship carers')).toEqual(['Kinship care']);
  });
});

describe('glossary validation', () => {
  const bank = (glossary: string) =>
    `id: b\ntitle: B\nversion: '1'\nsource: {title: T, publisher: P, url: 'https://example.org', credit: C}\n` +
    `evidenceRatings: []\nkeyPrinciples: []\nrecommendations: []\n${glossary}` +
    'stages:\n  - id: s\n    title: S\n    introduction: I\n    sections:\n      - id: a\n        title: A\n        items:\n          - {id: s.a.one, kind: question, text: Q, tags: []}\n';
  it('accepts a glossary', () => {
    const r = parseBank(bank('glossary:\n  - {term: SGO, definition: An order.}\n'), 'b.yaml');
    expect(r.problems).toEqual([]);
    expect(r.bank?.glossary).toEqual([{ term: 'SGO', definition: 'An order.' }]);
  });
  it('refuses a term explained twice, naming both places', () => {
    const r = parseBank(
      bank(
        'glossary:\n  - {term: SGO, definition: An order.}\n  - {term: X, definition: Y, aliases: [sgo]}\n',
      ),
      'b.yaml',
    );
    expect(r.problems.map((p) => `${p.line}:${p.message}`)).toEqual([
      '10:glossary: "sgo" is already explained at line 9, column 12; each term or alias may appear once',
    ]);
  });
  it('refuses an entry without a definition, or with padded terms', () => {
    const r = parseBank(bank('glossary:\n  - {term: " SGO"}\n'), 'b.yaml');
    expect(r.problems.length).toBeGreaterThanOrEqual(2);
    expect(r.problems.every((p) => p.line === 9)).toBe(true);
  });
});

describe("the interview's ? explains the question's terms", () => {
  it('lists the glossary entries found in the current question (plain interview, built binary)', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { runCli } = await import('./helpers/run-cli.ts');
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-glossary-'));
    try {
      expect((await runCli(['init', '--authority', 'Exampleshire'], { cwd: dir })).code).toBe(0);
      // skip the first question, ask for help on the second ("How are your kinship carers …"), quit
      const r = await runCli(['interview', '--plain', '--cycle', 'demo', '--stage', 'assess'], {
        cwd: dir,
        input: 's\n?\nq\n',
      });
      expect(r.code, r.stderr).toBe(0);
      const help = r.stderr.slice(r.stderr.indexOf('Question 2 of'));
      expect(help).toContain('Terms in this question:\nKinship care: A child being brought up by a relative');
      // the first question uses no glossary term, so its help has no such list
      expect(r.stderr.slice(0, r.stderr.indexOf('Question 2 of'))).not.toContain('Terms in this question');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
