/**
 * The interview plan: which items are asked, in which order, and what to suggest. Pure.
 */
import { flattenBank } from './bank.ts';
import type { Bank, CycleFile, FlatItem, Rating, Stage, Tag } from './types.ts';

export interface PlanFilter {
  stage: string;
  /** Only items whose effective tags include this tag. */
  tag?: Tag;
  /**
   * For a stage with Recommendation sections (Plan): walk only these Recommendations' sections plus
   * the sections that belong to no single Recommendation. Undefined: every section.
   */
  recommendations?: readonly Tag[];
}

/** The answerable items of a stage, in bank order, after the filters. */
export function planItems(bank: Bank, filter: PlanFilter): FlatItem[] {
  const stage = bank.stages.find((s) => s.id === filter.stage);
  if (!stage) return [];
  const allowedSections = new Set(
    stage.sections
      .filter(
        (s) =>
          filter.recommendations === undefined ||
          s.recommendation === undefined ||
          filter.recommendations.includes(s.recommendation),
      )
      .map((s) => s.id),
  );
  return flattenBank(bank).filter(
    (i) =>
      i.stage === stage.id &&
      i.kind !== 'prompt' &&
      allowedSections.has(i.sectionId) &&
      (filter.tag === undefined || i.effectiveTags.includes(filter.tag)),
  );
}

/** Does this stage have sections that each belong to one Recommendation (the Plan stage)? */
export function hasRecommendationSections(stage: Stage): boolean {
  return stage.sections.some((s) => s.recommendation !== undefined);
}

/** Confirmed: answered or marked in this cycle (not merely carried forward). */
export function isConfirmed(cycle: CycleFile, itemId: string): boolean {
  const a = cycle.answers[itemId];
  return a !== undefined && a.carried === undefined;
}

/** Where to resume: the first item not yet confirmed, or the end. */
export function resumeIndex(items: readonly FlatItem[], cycle: CycleFile): number {
  const i = items.findIndex((item) => !isConfirmed(cycle, item.id));
  return i === -1 ? items.length : i;
}

export interface StageProgress {
  stage: string;
  title: string;
  total: number;
  /** Confirmed answers other than skipped ones. */
  done: number;
  skipped: number;
  carried: number;
}

/** Progress of every stage, for the stage menu. */
export function stageProgress(bank: Bank, cycle: CycleFile): StageProgress[] {
  return bank.stages.map((stage) => {
    const items = planItems(bank, { stage: stage.id });
    let done = 0;
    let carried = 0;
    let skipped = 0;
    for (const i of items) {
      const a = cycle.answers[i.id];
      if (!a) continue;
      if (a.carried !== undefined) carried++;
      else if (a.status === 'skipped') skipped++;
      else done++;
    }
    return { stage: stage.id, title: stage.title, total: items.length, done, skipped, carried };
  });
}

export interface PrioritySuggestion {
  recommendation: Tag;
  /** Higher means more reason to prioritise. */
  score: number;
  red: number;
  amber: number;
  needsData: number;
  /** How many Assess items are linked to the Recommendation (their tags, or their heading's, name it). */
  linked: number;
  /** In words, with how it was counted: "3 of the 10 Assess items linked to R4 are red or amber; 1 needs data". */
  reason: string;
}

/** Red, amber and needs-data Assess answers that no Recommendation's count includes (tagged only ALL or KPs). */
export interface UnlinkedConcerns {
  red: number;
  amber: number;
  needsData: number;
  /** The tags those answers carry, e.g. ["ALL", "KP2"]. */
  tags: Tag[];
}

const RATING_WEIGHT: Record<Rating, number> = { red: 2, amber: 1, green: 0 };

const isRecommendation = (tag: Tag): boolean => /^R\d+$/.test(tag);

/**
 * Suggest Recommendations to prioritise from the Assess answers: for each Recommendation, the Assess
 * items linked to it (tagged with it, or under a heading tagged with it — not items tagged only ALL
 * or a Key Principle) that are rated red or amber or marked as needing data. Red counts twice, amber
 * and needs-data once. Sorted by score, then by Recommendation order; nothing to go on scores 0.
 */
export function suggestPriorities(
  bank: Bank,
  cycle: CycleFile,
  assessStage = 'assess',
): PrioritySuggestion[] {
  const items = flattenBank(bank).filter((i) => i.stage === assessStage && i.kind !== 'prompt');
  const out = bank.recommendations.map((r, order) => {
    let red = 0;
    let amber = 0;
    let needsData = 0;
    let linked = 0;
    let answered = 0;
    for (const item of items) {
      if (!item.effectiveTags.includes(r.id)) continue;
      linked++;
      const a = cycle.answers[item.id];
      if (!a) continue;
      answered++;
      if (a.rating === 'red') red++;
      if (a.rating === 'amber') amber++;
      if (a.status === 'needs-data') needsData++;
    }
    const score = red * RATING_WEIGHT.red + amber * RATING_WEIGHT.amber + needsData;
    const of = `of the ${linked} Assess item${linked === 1 ? '' : 's'} linked to ${r.id}`;
    let reason: string;
    if (linked === 0) reason = `no Assess item is linked to ${r.id}`;
    else if (answered === 0) reason = `none ${of} ${linked === 1 ? 'is' : 'are'} answered yet`;
    else {
      const parts: string[] = [];
      const concern = red + amber;
      const rated = [red ? `${red} red` : '', amber ? `${amber} amber` : ''].filter(Boolean).join(', ');
      parts.push(
        concern > 0
          ? `${concern} ${of} ${concern === 1 ? 'is' : 'are'} red or amber (${rated})`
          : `none ${of} ${linked === 1 ? 'is' : 'are'} red or amber (${answered} answered)`,
      );
      if (needsData) parts.push(`${needsData} need${needsData === 1 ? 's' : ''} data`);
      reason = parts.join('; ');
    }
    return { recommendation: r.id, score, red, amber, needsData, linked, reason, order };
  });
  return out.sort((a, b) => b.score - a.score || a.order - b.order).map(({ order: _o, ...rest }) => rest);
}

/**
 * The red, amber and needs-data Assess answers that count towards no Recommendation, because their
 * items are tagged only ALL or Key Principles: said plainly beside the suggestion, so four red answers
 * never vanish from it without a word.
 */
export function unlinkedConcerns(bank: Bank, cycle: CycleFile, assessStage = 'assess'): UnlinkedConcerns {
  const result: UnlinkedConcerns = { red: 0, amber: 0, needsData: 0, tags: [] };
  for (const item of flattenBank(bank)) {
    if (item.stage !== assessStage || item.kind === 'prompt') continue;
    if (item.effectiveTags.some(isRecommendation)) continue;
    const a = cycle.answers[item.id];
    if (!a) continue;
    const concern = a.rating === 'red' || a.rating === 'amber' || a.status === 'needs-data';
    if (!concern) continue;
    if (a.rating === 'red') result.red++;
    if (a.rating === 'amber') result.amber++;
    if (a.status === 'needs-data') result.needsData++;
    for (const t of item.effectiveTags) if (!result.tags.includes(t)) result.tags.push(t);
  }
  return result;
}

/**
 * A suggested id for a new cycle from today's date: the English local-government financial year,
 * April to March (`2026-27`), which is how most councils plan. When that cycle exists, a second
 * cycle in the same year is usually a quarterly look: the quarter of the financial year (`2026-27-q3`
 * in October to December), then the next financial year.
 */
export function suggestCycleId(today: string, existing: readonly string[]): string {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const start = m >= 4 ? y : y - 1;
  const fy = (from: number) => `${from}-${String((from + 1) % 100).padStart(2, '0')}`;
  const base = fy(start);
  const quarter = Math.floor(((m + 8) % 12) / 3) + 1; // April–June is q1
  for (const id of [base, `${base}-q${quarter}`, fy(start + 1)]) if (!existing.includes(id)) return id;
  for (let n = 2; ; n++) {
    const id = `${base}-q${quarter}-${n}`;
    if (!existing.includes(id)) return id;
  }
}
