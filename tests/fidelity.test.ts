/**
 * Fidelity of the built-in question banks to their sources: every bullet and "»" sub-bullet of the
 * Reflective Tool (seed 000) is an item of questions/reflective-tool.yaml, in order, with the same text,
 * tags, stage and parent; the principles, recommendations and evidence ratings match seeds 000 and 001;
 * the elected-members bank matches seed 001.
 *
 * The seeds live outside the repository (../shared/seeds). Without them the seed checks are skipped,
 * with a warning; the id checks still run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flattenBank } from '../src/core/bank.ts';
import type { Bank, FlatItem } from '../src/core/types.ts';
import {
  type ElectedMembersSeed,
  parseElectedMembers,
  parseReflectiveTool,
  type ReflectiveToolSeed,
  type SeedItem,
} from './helpers/seed-parser.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const seedsDir = path.resolve(repoRoot, '../shared/seeds');

function seedPath(prefix: string): string | undefined {
  if (!existsSync(seedsDir)) return undefined;
  const name = readdirSync(seedsDir).find((n) => n.startsWith(prefix) && n.endsWith('.txt'));
  return name === undefined ? undefined : path.join(seedsDir, name);
}

const toolSeedPath = seedPath('000_');
const membersSeedPath = seedPath('001_');
const haveSeeds = toolSeedPath !== undefined && membersSeedPath !== undefined;
if (!haveSeeds) {
  console.warn(`fidelity: seeds 000_*.txt and 001_*.txt not found in ${seedsDir}, seed checks skipped`);
}
const describeWithSeeds = haveSeeds ? describe : describe.skip;

function loadBank(file: string): Bank {
  return parse(readFileSync(path.join(repoRoot, 'questions', file), 'utf8')) as Bank;
}

const ID_PATTERN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
const STAGE_IDS = ['assess', 'plan', 'do', 'review'];

/**
 * Compares two lists line by line. On failure the message names the first mismatches (with the seed
 * line where known) and vitest prints the full diff below it.
 */
function expectSameList(label: string, actual: string[], expected: string[], where?: string[]): void {
  const mismatches: string[] = [];
  const length = Math.max(actual.length, expected.length);
  for (let i = 0; i < length && mismatches.length < 5; i++) {
    if (actual[i] !== expected[i]) {
      mismatches.push(
        `  #${i}${where?.[i] ? ` (${where[i]})` : ''}\n` +
          `    source: ${expected[i] ?? '(nothing)'}\n` +
          `    bank:   ${actual[i] ?? '(nothing)'}`,
      );
    }
  }
  const summary =
    `${label}: bank has ${actual.length}, source has ${expected.length}; first mismatches:\n` +
    mismatches.join('\n');
  expect(actual, summary).toEqual(expected);
}

function describeSeedItem(item: SeedItem, items: SeedItem[]): string {
  const parent = item.parent === null ? '' : ` ⟵ ${items[item.parent]?.text ?? '?'}`;
  return `${item.stage} ${item.depth === 0 ? '-' : '  »'} ${item.text} [${item.tags.join(' ')}]${parent}`;
}

function describeFlatItem(item: FlatItem, byId: Map<string, FlatItem>): string {
  const parent = item.parent === null ? '' : ` ⟵ ${byId.get(item.parent)?.text ?? '?'}`;
  return `${item.stage} ${item.depth === 0 ? '-' : '  »'} ${item.text} [${item.tags.join(' ')}]${parent}`;
}

function paragraphs(text: string | undefined): string[] {
  return text === undefined || text === '' ? [] : text.split('\n\n');
}

describe('built-in banks: ids', () => {
  for (const file of ['reflective-tool.yaml', 'elected-members.yaml']) {
    it(`${file}: item ids are dotted lowercase kebab-case and unique`, () => {
      const bank = loadBank(file);
      const ids = flattenBank(bank).map((i) => i.id);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.filter((id) => !ID_PATTERN.test(id))).toEqual([]);
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    });

    it(`${file}: an item id starts with its stage and section ids, a child's with its parent's`, () => {
      const bank = loadBank(file);
      const wrong = flattenBank(bank)
        .filter((i) =>
          i.parent === null
            ? !i.id.startsWith(`${i.stage}.${i.sectionId}.`)
            : !i.id.startsWith(`${i.parent}.`),
        )
        .map((i) => i.id);
      expect(wrong).toEqual([]);
    });

    it(`${file}: section ids are unique within their stage and stage ids are unique`, () => {
      const bank = loadBank(file);
      const stageIds = bank.stages.map((s) => s.id);
      expect(new Set(stageIds).size).toBe(stageIds.length);
      for (const stage of bank.stages) {
        const sectionIds = stage.sections.map((s) => s.id);
        expect(new Set(sectionIds).size, `sections of ${stage.id}`).toBe(sectionIds.length);
      }
    });
  }
});

describeWithSeeds('reflective-tool.yaml against seed 000 (the Reflective Tool)', () => {
  const seed: ReflectiveToolSeed = haveSeeds
    ? parseReflectiveTool(readFileSync(toolSeedPath as string, 'utf8'))
    : { keyPrinciples: [], recommendations: [], allTag: '', stages: [], items: [] };
  const bank = loadBank('reflective-tool.yaml');
  const flat = flattenBank(bank);
  const byId = new Map(flat.map((i) => [i.id, i]));

  it('the seed parses into the four stages and 119 bullets and sub-bullets', () => {
    expect(seed.stages.map((s) => s.id)).toEqual(STAGE_IDS);
    expect(seed.items.length).toBe(119);
  });

  it('has every bullet and sub-bullet of the source, in order, with its text, tags, stage and parent', () => {
    expectSameList(
      'items',
      flat.map((i) => describeFlatItem(i, byId)),
      seed.items.map((i) => describeSeedItem(i, seed.items)),
      seed.items.map((i, n) => `seed line ${i.line}, bank id ${flat[n]?.id ?? 'none'}`),
    );
  });

  it('has exactly the source text and tags on each item (checked field by field)', () => {
    expect(flat.length).toBe(seed.items.length);
    seed.items.forEach((s, i) => {
      const item = flat[i];
      const where = `item #${i} (seed line ${s.line}, bank id ${item?.id})`;
      expect(item?.text, where).toBe(s.text);
      expect(item?.tags, where).toEqual(s.tags);
      expect(item?.stage, where).toBe(s.stage);
      expect(item?.depth, where).toBe(s.depth);
      const parentIndex = item?.parent == null ? null : (byId.get(item.parent)?.index ?? -1);
      expect(parentIndex, where).toBe(s.parent);
    });
  });

  it('puts each item in the section the source puts it in', () => {
    const actual = flat.map((i) => `${i.stage}/${i.section}`);
    const expected = seed.items.map((s, i) => {
      const section = seed.stages.find((st) => st.id === s.stage)?.sections[s.section];
      return `${s.stage}/${section?.title ?? flat[i]?.section}`;
    });
    expectSameList('sections of items', actual, expected);
  });

  it('keeps the paragraph between a bullet and its sub-bullets as the item lead, and adds no other', () => {
    const actual = flat.filter((i) => i.lead !== undefined).map((i) => `${i.text} → ${i.lead}`);
    const expected = seed.items.filter((s) => s.lead !== undefined).map((s) => `${s.text} → ${s.lead}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('has the four stages with normalised titles and the source introductions', () => {
    expect(bank.stages.map((s) => s.id)).toEqual(STAGE_IDS);
    for (const [i, seedStage] of seed.stages.entries()) {
      const stage = bank.stages[i];
      const word = seedStage.id.charAt(0).toUpperCase() + seedStage.id.slice(1);
      expect(stage?.title, seedStage.heading).toBe(`Step ${seedStage.ordinal}: ${word}`);
      expect(paragraphs(stage?.introduction), `${seedStage.id} introduction`).toEqual(seedStage.introduction);
      expect(stage?.tips ?? [], `${seedStage.id} tips`).toEqual(seedStage.tips);
    }
  });

  it('has every section with its title, tags, intro and TIPs', () => {
    for (const [i, seedStage] of seed.stages.entries()) {
      const stage = bank.stages[i];
      expect(stage?.sections.length, `${seedStage.id} section count`).toBe(seedStage.sections.length);
      for (const [j, seedSection] of seedStage.sections.entries()) {
        const section = stage?.sections[j];
        const where = `${seedStage.id} section #${j} (${section?.id})`;
        if (seedSection.title === null) {
          // No heading in the source: the bank supplies its own title.
          expect(section?.title.length, where).toBeGreaterThan(0);
        } else {
          expect(section?.title, where).toBe(seedSection.title);
        }
        expect(section?.tags ?? [], where).toEqual(seedSection.tags);
        expect(paragraphs(section?.intro), where).toEqual(seedSection.intro);
        expect(section?.tips ?? [], where).toEqual(seedSection.tips);
      }
    }
  });

  it('links each Recommendation section of Plan to its Recommendation, and only those', () => {
    const plan = bank.stages.find((s) => s.id === 'plan');
    const links = plan?.sections.map((s) => [s.id, s.recommendation ?? null]);
    expect(links).toEqual([
      ['r1', 'R1'],
      ['r2', 'R2'],
      ['r3', 'R3'],
      ['r4', 'R4'],
      ['r5', 'R5'],
      ['r6', 'R6'],
      ['all', null],
    ]);
    for (const section of plan?.sections ?? []) {
      if (section.recommendation) expect(section.tags).toEqual([section.recommendation]);
    }
  });

  it('uses kinds as documented: Assess, Do and Review are questions; prompts are untagged lead-ins', () => {
    const notQuestions = flat.filter((i) => i.stage !== 'plan' && i.kind !== 'question').map((i) => i.id);
    expect(notQuestions).toEqual([]);
    const prompts = flat.filter((i) => i.kind === 'prompt');
    for (const p of prompts) {
      expect(p.tags, p.id).toEqual([]);
      expect(
        flat.some((c) => c.parent === p.id),
        `${p.id} has children`,
      ).toBe(true);
    }
    // Every untagged top-level bullet of Plan is a lead-in whose sub-bullets carry the tags.
    const untaggedPlanTops = flat.filter((i) => i.stage === 'plan' && i.depth === 0 && i.tags.length === 0);
    expect(untaggedPlanTops.map((i) => i.kind)).toEqual(untaggedPlanTops.map(() => 'prompt'));
  });

  it('has the Key Principles with the source text', () => {
    expect(bank.keyPrinciples).toEqual(seed.keyPrinciples);
  });

  it('has the Recommendations with the source text and evidence rating', () => {
    expect(bank.recommendations).toEqual(seed.recommendations);
  });

  it('explains ALL in the source words', () => {
    expect(bank.allTag).toBe(seed.allTag);
  });

  it('credits and links the source', () => {
    expect(bank.id).toBe('reflective-tool');
    expect(bank.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(bank.source.title).toBe('Reflective Tool for actioning the Kinship Care Practice Guide');
    expect(bank.source.url).toBe('https://foundations.org.uk/practice-guides/kinship-care');
    expect(bank.source.credit).toMatch(/Foundations/);
    expect(bank.source.credit).toMatch(/Department for Education/);
    expect(bank.renamed).toEqual({});
  });
});

describeWithSeeds(
  'evidence ratings and elected-members.yaml against seed 001 (Summary for Elected Members)',
  () => {
    const seed: ElectedMembersSeed = haveSeeds
      ? parseElectedMembers(readFileSync(membersSeedPath as string, 'utf8'))
      : { introduction: '', keyPrinciples: [], recommendations: [], evidenceRatings: [], keyQuestions: [] };
    const tool = loadBank('reflective-tool.yaml');
    const members = loadBank('elected-members.yaml');

    it('the seed parses into three ratings, three principles, six recommendations and four questions', () => {
      expect(seed.evidenceRatings.map((r) => r.id)).toEqual(['strong', 'good', 'promising']);
      expect(seed.keyPrinciples.length).toBe(3);
      expect(seed.recommendations.length).toBe(6);
      expect(seed.keyQuestions.length).toBe(4);
    });

    for (const [name, file] of [
      ['reflective-tool', 'reflective-tool.yaml'],
      ['elected-members', 'elected-members.yaml'],
    ] as const) {
      it(`${name}: evidence-rating definitions are verbatim from the summary`, () => {
        const bank = loadBank(file);
        expect(bank.evidenceRatings.map((r) => ({ id: r.id, definition: r.definition }))).toEqual(
          seed.evidenceRatings,
        );
        expect(bank.evidenceRatings.map((r) => r.label)).toEqual([
          'Strong evidence',
          'Good evidence',
          'Promising evidence',
        ]);
      });
    }

    it('reflective-tool: the evidence ratings of the Recommendations agree with the summary', () => {
      expect(tool.recommendations.map((r) => [r.id, r.evidence])).toEqual(
        seed.recommendations.map((r) => [r.id, r.evidence]),
      );
    });

    it('elected-members: principles and recommendations are worded as in the summary', () => {
      expect(members.keyPrinciples).toEqual(seed.keyPrinciples);
      expect(members.recommendations).toEqual(seed.recommendations);
    });

    it('elected-members: the four key questions, verbatim, each with its explanatory paragraphs', () => {
      expect(members.id).toBe('elected-members');
      expect(members.stages.map((s) => s.id)).toEqual(['reflect']);
      const stage = members.stages[0];
      expect(stage?.introduction).toBe(seed.introduction);
      const flat = flattenBank(members);
      expectSameList(
        'elected-members questions',
        flat.map((i) => `${i.kind} ${i.text} [${i.tags.join(' ')}]`),
        seed.keyQuestions.map((q) => `question ${q.question} []`),
      );
      expect(stage?.sections.map((s) => s.items.length)).toEqual(seed.keyQuestions.map(() => 1));
      expect(stage?.sections.map((s) => paragraphs(s.intro))).toEqual(
        seed.keyQuestions.map((q) => q.paragraphs),
      );
    });
  },
);
