/**
 * One broken bank per kind of mistake, each asserting the exact message and where it points.
 * Fixtures are strings here (or files in a temp folder for the loader); nothing is written into tests/.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBank } from '../src/core/bank-validate.ts';
import { formatProblem, type Problem, UsageError, ValidationError } from '../src/core/errors.ts';
import { loadBank } from '../src/shell/bank-loader.ts';

const FILE = 'questions/local.yaml';

/** A small, valid, entirely fictional bank. Fixtures below change one thing each. */
const BASE = `id: local
title: Exampleshire local questions
version: "1.0"
source:
  title: Exampleshire reflective questions
  publisher: Exampleshire County Council
  url: https://example.org/questions
  credit: Written for testing by Exampleshire County Council.
evidenceRatings:
  - id: strong
    label: Strong evidence
    definition: Two good trials agree.
  - id: good
    label: Good evidence
    definition: One good trial.
keyPrinciples:
  - { id: KP1, title: Key Principle 1, text: Carers' needs come first. }
  - { id: KP2, title: Key Principle 2, text: Services are accessible. }
  - { id: KP3, title: Key Principle 3, text: Services are co-produced. }
recommendations:
  - { id: R1, title: Recommendation 1, text: Offer peer support., evidence: strong }
  - { id: R2, title: Recommendation 2, text: Offer training., evidence: good }
  - { id: R3, title: Recommendation 3, text: Offer financial help., evidence: good }
  - { id: R4, title: Recommendation 4, text: Offer therapy., evidence: strong }
  - { id: R5, title: Recommendation 5, text: Offer respite., evidence: good }
  - { id: R6, title: Recommendation 6, text: Offer legal advice., evidence: good }
allTag: Relates to every principle and recommendation.
stages:
  - id: assess
    title: Assess
    introduction: Look at where you are.
    sections:
      - id: carers
        title: Understanding your kinship carers
        items:
          - id: assess.carers.count
            kind: question
            text: Do you know how many kinship carers live in your area, e.g. 64% are grandparents?
            tags: [KP1, R4]
          - id: assess.carers.needs
            kind: prompt
            text: "This includes:"
            tags: []
            children:
              - id: assess.carers.needs.money
                kind: question
                text: Their financial needs?
                tags: [ALL]
  - id: plan
    title: Plan
    introduction: Decide what to do.
    sections:
      - id: r2
        title: Training for carers
        recommendation: R2
        items:
          - id: plan.r2.staff
            kind: checklist
            text: Plan how you will train staff.
            tags: [R2]
renamed:
  assess.carers.number: assess.carers.count
`;

/** Replace exactly one occurrence of `from` in the base bank. */
function change(from: string, to: string, base = BASE): string {
  const at = base.indexOf(from);
  if (at === -1 || base.indexOf(from, at + 1) !== -1)
    throw new Error(`fixture: "${from}" must occur exactly once`);
  return base.slice(0, at) + to + base.slice(at + from.length);
}

/** 1-based line and column of the `nth` occurrence of `needle` (counted from 0). */
function pos(text: string, needle: string, nth = 0): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`fixture: "${needle}" not found`);
  }
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** Like `pos`, for the last occurrence. */
function posLast(text: string, needle: string): { line: number; column: number } {
  const at = text.lastIndexOf(needle);
  if (at === -1) throw new Error(`fixture: "${needle}" not found`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

function problems(text: string): Problem[] {
  const result = parseBank(text, FILE);
  if (result.problems.length > 0) expect(result.bank).toBeUndefined();
  return result.problems;
}

describe('the base fixture', () => {
  it('is a valid bank', () => {
    const result = parseBank(BASE, FILE);
    expect(result.problems).toEqual([]);
    expect(result.bank?.stages[0]?.sections[0]?.items[1]?.children?.[0]?.id).toBe(
      'assess.carers.needs.money',
    );
  });
});

describe('broken banks', () => {
  it('undefined tag: names the item, the tag and the known tags, at the tag', () => {
    const text = change('tags: [R2]', 'tags: [R9]');
    expect(problems(text)).toEqual([
      {
        file: FILE,
        ...pos(text, 'R9]'),
        item: 'plan.r2.staff',
        message: 'tag "R9" is not a recommendation of this bank (known: KP1, KP2, KP3, R1–R6, ALL)',
      },
    ]);
    expect(formatProblem(problems(text)[0]!)).toBe(
      `${FILE}:${pos(text, 'R9]').line}:${pos(text, 'R9]').column} item "plan.r2.staff": tag "R9" is not a recommendation of this bank (known: KP1, KP2, KP3, R1–R6, ALL)`,
    );
  });

  it('a tag in the wrong case gets a suggestion', () => {
    const text = change('tags: [KP1, R4]', 'tags: [KP1, r4]');
    expect(problems(text).map((p) => p.message)).toEqual([
      'tag "r4" is not a recommendation of this bank (did you mean "R4"?) (known: KP1, KP2, KP3, R1–R6, ALL)',
    ]);
  });

  it('ALL without an allTag explanation', () => {
    const text = change('allTag: Relates to every principle and recommendation.\n', '');
    const [p] = problems(text);
    expect(p).toMatchObject({ ...pos(text, 'ALL]'), item: 'assess.carers.needs.money' });
    expect(p?.message).toBe(
      'tag "ALL" is used but this bank does not say what it means; add "allTag:" with an explanation',
    );
  });

  it('duplicate item id: reported at the second, naming the first place', () => {
    const text = change('id: plan.r2.staff', 'id: assess.carers.count');
    const first = pos(text, 'assess.carers.count', 1);
    expect(problems(text)).toEqual([
      {
        file: FILE,
        ...pos(text, 'assess.carers.count', 1),
        item: 'assess.carers.count',
        message: `item id "assess.carers.count" is already used at line ${pos(text, 'assess.carers.count').line}, column ${pos(text, 'assess.carers.count').column}; every item needs its own id`,
      },
    ]);
    expect(first.line).toBeGreaterThan(pos(text, 'assess.carers.count').line);
  });

  it('duplicate key: at the second key', () => {
    const text = change(
      '            kind: checklist\n',
      '            kind: checklist\n            kind: question\n',
    );
    expect(problems(text)).toEqual([
      {
        file: FILE,
        ...posLast(text, 'kind: question'),
        message: 'the key "kind" appears twice in the same block; keep only one',
      },
    ]);
  });

  it('wrong type: a number where text belongs, and text where a list belongs', () => {
    const text = change('text: Plan how you will train staff.', 'text: 42').replace('tags: [R2]', 'tags: R2');
    expect(problems(text)).toEqual([
      {
        file: FILE,
        ...pos(text, '42'),
        item: 'plan.r2.staff',
        message: '"text" must be text, not a number; put the value in quotes so it is read as text',
      },
      {
        file: FILE,
        ...posLast(text, 'R2'),
        item: 'plan.r2.staff',
        message: '"tags" must be a list (lines starting with "- ", or [A, B]), not text',
      },
    ]);
  });

  it('unknown YAML tags are refused with their names', () => {
    const text = change(
      'text: Plan how you will train staff.',
      'text: !!js/function "function () {}"',
    ).replace('title: Training for carers', 'title: !secret Training for carers');
    expect(problems(text)).toEqual([
      {
        file: FILE,
        ...pos(text, '!secret'),
        message: 'the YAML tag "!secret" is not allowed in a question bank; remove it and write plain text',
      },
      {
        file: FILE,
        ...pos(text, '!!js/function'),
        message:
          'the YAML tag "!!js/function" is not allowed in a question bank; remove it and write plain text',
      },
    ]);
  });

  it('aliases and anchors are refused', () => {
    const text = change('text: Their financial needs?', 'text: &money Their financial needs?').replace(
      'text: Plan how you will train staff.',
      'text: *money',
    );
    expect(problems(text)).toEqual([
      {
        file: FILE,
        ...pos(text, '&money'),
        message: 'YAML anchors (&money) are not allowed in a question bank; remove "&money"',
      },
      {
        file: FILE,
        ...pos(text, '*money'),
        message: 'YAML aliases (*name) are not allowed in a question bank; write the text out in full',
      },
    ]);
  });

  it('oversize: refused before parsing, with both sizes in words', () => {
    const text = `${BASE}about: "${'x'.repeat(Math.round(3.2 * 1024 * 1024))}"\n`;
    expect(problems(text)).toEqual([
      { file: FILE, message: 'file is 3.2 MB; question banks are limited to 1 MB' },
    ]);
  });

  it('deep nesting of flow brackets is an error, not a crash', () => {
    const text = `${BASE}about: ${'['.repeat(200_000)}\n`;
    const [p, ...rest] = problems(text);
    expect(rest).toEqual([]);
    expect(p).toEqual({
      file: FILE,
      line: pos(text, 'about:').line,
      column: 8 + 64,
      message: 'the file is nested more than 64 levels deep; a question bank never needs that many',
    });
  });

  it('deep nesting of children is an error, at the first level too deep', () => {
    let children = '';
    for (let d = 0; d < 40; d++) {
      const ind = ' '.repeat(16 + d * 4);
      children += `${ind}children:\n${ind}  - id: assess.carers.needs.d${d}\n${ind}    kind: question\n${ind}    text: Deeper?\n${ind}    tags: []\n`;
    }
    const text = change('                tags: [ALL]\n', `                tags: [ALL]\n${children}`);
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toBe(
      'the file is nested more than 64 levels deep; a question bank never needs that many',
    );
    expect(found[0]?.line).toBeGreaterThan(pos(text, 'd20').line);
  });

  it('a __proto__ key is reported and pollutes nothing', () => {
    const text = change(
      '  title: Exampleshire reflective questions',
      '  __proto__: { polluted: true }\n  title: Exampleshire reflective questions',
    );
    expect(problems(text)).toEqual([
      {
        file: FILE,
        ...pos(text, '__proto__'),
        message: 'the key "__proto__" is not allowed (it could change how the program behaves); remove it',
      },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('missing required fields: one problem per object, naming them all', () => {
    const text = change(
      '            kind: checklist\n            text: Plan how you will train staff.\n',
      '',
    );
    expect(problems(text)).toEqual([
      {
        file: FILE,
        ...pos(text, 'id: plan.r2.staff'),
        item: 'plan.r2.staff',
        message: '"kind" and "text" are missing (an item needs id, kind, text, tags)',
      },
    ]);
  });

  it('unknown field: at the key, with a suggestion and what is allowed', () => {
    const text = change('            tags: [R2]', '            tag: [R2]');
    expect(problems(text)).toEqual(
      [
        {
          file: FILE,
          ...pos(text, 'id: plan.r2.staff'),
          item: 'plan.r2.staff',
          message: '"tags" is missing (an item needs id, kind, text, tags)',
        },
        {
          file: FILE,
          ...pos(text, 'tag: [R2]'),
          item: 'plan.r2.staff',
          message:
            'unknown field "tag" (did you mean "tags"?); allowed here: id, kind, text, tags, lead, children',
        },
      ].sort((a, b) => a.line - b.line || a.column - b.column),
    );
  });

  it('renamed target missing, and a renamed source that is still live', () => {
    const text = change(
      '  assess.carers.number: assess.carers.count',
      '  assess.carers.number: assess.carers.total\n  plan.r2.staff: assess.carers.count',
    );
    expect(problems(text)).toEqual([
      {
        file: FILE,
        ...pos(text, 'assess.carers.total'),
        item: 'assess.carers.number',
        message:
          'renamed: "assess.carers.number" points to "assess.carers.total", which is not an item of this bank',
      },
      {
        file: FILE,
        ...pos(text, 'plan.r2.staff', 1),
        item: 'plan.r2.staff',
        message:
          'renamed: "plan.r2.staff" is still the id of an item, so it cannot also be an old id; remove this line or the item',
      },
    ]);
  });

  it('a section linked to an undefined recommendation, and an undefined evidence rating', () => {
    const text = change('recommendation: R2', 'recommendation: R7').replace(
      'evidence: strong }',
      'evidence: strongg }',
    );
    expect(problems(text).map((p) => [p.line, p.message])).toEqual([
      [
        pos(text, 'strongg').line,
        'recommendation R1: evidence rating "strongg" is not defined in "evidenceRatings" (did you mean "strong"?) (known: strong, good)',
      ],
      [
        pos(text, 'R7').line,
        'stage "plan", section "r2": recommendation "R7" is not a recommendation of this bank (known: R1–R6)',
      ],
    ]);
  });

  it('duplicate stage and section ids', () => {
    const text = change('  - id: plan\n', '  - id: assess\n').replace(
      '      - id: r2\n',
      '      - id: carers\n',
    );
    expect(problems(text).map((p) => p.message)).toEqual([
      `stage id "assess" is already used at line ${pos(text, 'id: assess').line}, column ${pos(text, 'assess').column}`,
    ]);
    // Section ids need only be unique within their stage.
    expect(problems(change('      - id: r2\n', '      - id: carers\n'))).toEqual([]);
    const dup = change(
      'renamed:\n',
      '      - id: r2\n        title: Again\n        items:\n          - { id: plan.r2.again, kind: question, text: Again?, tags: [] }\nrenamed:\n',
    );
    expect(problems(dup)).toEqual([
      {
        file: FILE,
        ...posLast(dup, 'r2\n'),
        message: `stage "plan": section id "r2" is already used at line ${pos(dup, 'id: r2').line}, column ${pos(dup, 'r2\n').column}`,
      },
    ]);
  });

  it('a tab used for indentation', () => {
    const text = change('            tags: [R2]', '\t    tags: [R2]');
    const found = problems(text);
    expect(found[0]).toEqual({
      file: FILE,
      ...pos(text, '\t'),
      message: 'a tab is used for indentation; YAML needs spaces',
    });
  });

  it('lists every problem: a fixture with three problems gets three', () => {
    const text = change('tags: [R2]', 'tags: [R9]')
      .replace('kind: checklist', 'kind: checkbox')
      .replace('version: "1.0"', 'version: 1.0');
    const found = problems(text);
    expect(found.map((p) => p.line)).toEqual([
      pos(text, 'version').line,
      pos(text, 'checkbox').line,
      pos(text, 'R9').line,
    ]);
    expect(found[1]?.message).toBe(
      '"kind" is "checkbox", which is not allowed; use one of: question, checklist, prompt',
    );
  });
});

describe('loadBank with files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kr-banks-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a valid custom bank relative to the base folder', async () => {
    await writeFile(path.join(dir, 'local.yaml'), BASE);
    const bank = await loadBank('local.yaml', dir);
    expect(bank.id).toBe('local');
  });

  it('throws ValidationError with every problem, named relative to the base folder', async () => {
    await writeFile(path.join(dir, 'broken.yaml'), change('tags: [R2]', 'tags: [R9]'));
    const error = await loadBank('./broken.yaml', dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^\.\/broken\.yaml:\d+:\d+ item "plan\.r2\.staff": tag "R9" is not a recommendation/,
      ),
    ]);
  });

  it('refuses a file over 1 MB before reading it', async () => {
    await writeFile(path.join(dir, 'big.yaml'), Buffer.alloc(Math.round(1.5 * 1024 * 1024), 0x61));
    const error = await loadBank(path.join(dir, 'big.yaml'), dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      { file: 'big.yaml', message: 'file is 1.5 MB; question banks are limited to 1 MB' },
    ]);
  });

  it('a missing file is a usage error listing the built-in banks', async () => {
    const error = await loadBank('nope.yaml', dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      'no bank file at nope.yaml; built-in banks: reflective-tool, elected-members',
    );
  });

  it('an unknown bank id is a usage error listing the valid ids', async () => {
    const error = await loadBank('reflective', dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(
      /^unknown bank "reflective"; built-in banks: reflective-tool, elected-members/,
    );
  });

  it('built-in ids load the compiled banks', async () => {
    expect((await loadBank(undefined, dir)).id).toBe('reflective-tool');
    expect((await loadBank('elected-members', dir)).id).toBe('elected-members');
  });
});
