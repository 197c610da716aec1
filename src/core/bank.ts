/**
 * Read-only views of a validated question bank: the flat item list, lookups and tag helpers.
 */
import type { Bank, FlatItem, Item, Recommendation, Section, Stage, Tag } from './types.ts';

const flatCache = new WeakMap<Bank, FlatItem[]>();

/**
 * Every item of the bank in bank order (stage → section → item → children), with its place and its
 * effective tags: its own, or else its parent's, or else its section's.
 */
export function flattenBank(bank: Bank): FlatItem[] {
  const cached = flatCache.get(bank);
  if (cached) return cached;
  const out: FlatItem[] = [];
  const visit = (
    item: Item,
    stage: Stage,
    section: Section,
    parent: FlatItem | null,
    depth: number,
  ): void => {
    const sectionTags = section.tags ?? (section.recommendation ? [section.recommendation] : []);
    const effectiveTags = item.tags.length > 0 ? item.tags : parent ? parent.effectiveTags : sectionTags;
    const flat: FlatItem = {
      id: item.id,
      kind: item.kind,
      text: item.text,
      tags: item.tags,
      effectiveTags,
      stage: stage.id,
      stageTitle: stage.title,
      sectionId: section.id,
      section: section.title,
      parent: parent ? parent.id : null,
      depth,
      index: out.length,
    };
    if (item.lead !== undefined) flat.lead = item.lead;
    out.push(flat);
    for (const child of item.children ?? []) visit(child, stage, section, flat, depth + 1);
  };
  for (const stage of bank.stages) {
    for (const section of stage.sections) {
      for (const item of section.items) visit(item, stage, section, null, 0);
    }
  }
  flatCache.set(bank, out);
  return out;
}

/** Items that take an answer: questions and checklist considerations (not `prompt` lead-ins). */
export function answerableItems(bank: Bank): FlatItem[] {
  return flattenBank(bank).filter((i) => i.kind !== 'prompt');
}

const indexCache = new WeakMap<Bank, Map<string, FlatItem>>();

/** The item with this id, following `renamed` for ids of older bank versions. */
export function findItem(bank: Bank, id: string): FlatItem | undefined {
  let index = indexCache.get(bank);
  if (!index) {
    index = new Map(flattenBank(bank).map((i) => [i.id, i]));
    indexCache.set(bank, index);
  }
  return index.get(id) ?? index.get(bank.renamed?.[id] ?? '');
}

/** The current id for an item id that may come from an older bank version. */
export function currentItemId(bank: Bank, id: string): string {
  return bank.renamed?.[id] ?? id;
}

/** All tags the bank defines: KP ids, R ids, and ALL when the bank explains it. */
export function bankTags(bank: Bank): Tag[] {
  const tags = [...bank.keyPrinciples.map((k) => k.id), ...bank.recommendations.map((r) => r.id)];
  if (bank.allTag !== undefined) tags.push('ALL');
  return tags;
}

/** Does the item relate to `tag`? ALL-tagged items relate to every principle and recommendation. */
export function itemHasTag(item: FlatItem, tag: Tag): boolean {
  return item.effectiveTags.includes(tag);
}

export function findRecommendation(bank: Bank, id: Tag): Recommendation | undefined {
  return bank.recommendations.find((r) => r.id === id);
}

export function findStage(bank: Bank, id: string): Stage | undefined {
  return bank.stages.find((s) => s.id === id);
}

/** Case-insensitive tag normalisation for user input: `kp1` → `KP1`, `all` → `ALL`. */
export function normalizeTag(tag: string): string {
  return tag.trim().toUpperCase();
}

/** A one-line explanation of a tag: principle text, or recommendation text with its evidence rating. */
export function describeTag(bank: Bank, tag: Tag): string {
  const kp = bank.keyPrinciples.find((k) => k.id === tag);
  if (kp) return `${kp.id} (${kp.title}): ${kp.text}`;
  const r = bank.recommendations.find((x) => x.id === tag);
  if (r) {
    const rating = bank.evidenceRatings.find((e) => e.id === r.evidence);
    return `${r.id} (${r.title}, ${rating?.label ?? r.evidence}): ${r.text}`;
  }
  if (tag === 'ALL' && bank.allTag) return `ALL: ${bank.allTag}`;
  return tag;
}
