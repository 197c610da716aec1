/**
 * One summary across many authorities' cycles.
 *
 * Streaming: cycles are fed one at a time and only a small summary of each authority's last two cycles
 * is kept, so memory grows with the number of authorities, not with the number of files read.
 * Pure: no fs; the caller reads files and reports the ones it could not read with `addSkipped`.
 */
import { type ActionsSummary, actionsSummary } from './actions.ts';
import { answerableItems, findItem, itemHasTag } from './bank.ts';
import { compareCycleIds, isDone } from './cycle.ts';
import type { Bank, CycleFile, IsoDate, Rating, Tag } from './types.ts';

export { compareCycleIds };

export interface RatingCounts {
  red: number;
  amber: number;
  green: number;
}

export interface CycleSummary {
  cycle: string;
  source: string;
  /** Answerable items dealt with in this cycle (carried-forward answers not yet confirmed do not count). */
  answered: number;
  total: number;
  /** Items marked `needs-data`. */
  needsData: number;
  /** Recommendation ids in priority order. */
  priorities: Tag[];
  /** Red/amber/green self-ratings over items linked to each Recommendation. */
  ratings: Record<Tag, RatingCounts>;
  actions: ActionsSummary;
}

interface CycleState extends CycleSummary {
  /** Mean score (red 0, amber 1, green 2) per Recommendation; null when nothing was rated. */
  scores: Record<Tag, number | null>;
  needsDataItems: string[];
}

export type Movement = 'improved' | 'same' | 'worse';

export interface AuthoritySummary {
  authority: string;
  /** Cycles read for this authority. */
  cycles: number;
  latest: CycleSummary;
  previous?: { cycle: string; source: string };
  /** Per Recommendation, how the mean rating moved from the previous cycle; null when not comparable. */
  movement?: Record<Tag, Movement | null>;
}

export interface PriorityCount {
  recommendation: Tag;
  title: string;
  /** Authorities whose latest cycle prioritises it. */
  count: number;
  /** `byRank[0]`: authorities that put it first, `byRank[1]`: second… */
  byRank: number[];
}

export interface MovementCount {
  recommendation: Tag;
  improved: number;
  same: number;
  worse: number;
  /** Authorities with two cycles where one of them has no rating for this Recommendation. */
  notComparable: number;
}

export interface NeedsDataCount {
  item: string;
  text: string;
  /** Authorities whose latest cycle marks the item `needs-data`. */
  count: number;
}

export interface SkippedFile {
  source: string;
  reason: string;
}

export interface AggregateResult {
  bank: { id: string; version: string; title: string };
  /** The date the summary was made, for overdue counts. */
  today: IsoDate;
  filesRead: number;
  authorities: AuthoritySummary[];
  recommendations: { id: Tag; title: string }[];
  prioritised: PriorityCount[];
  /** Authorities with at least two cycles. */
  compared: number;
  movement: MovementCount[];
  needsData: NeedsDataCount[];
  skipped: SkippedFile[];
}

export interface Aggregator {
  /** Add one cycle (already parsed and validated). Cycles of another bank or version are recorded as skipped. */
  addCycle(cycle: CycleFile, source: string): void;
  addSkipped(source: string, reason: string): void;
  result(): AggregateResult;
}

const SCORE: Record<Rating, number> = { red: 0, amber: 1, green: 2 };
const TOP_NEEDS_DATA = 10;

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function authorityKey(name: string): string {
  return name.replace(/\s+/g, ' ').trim().toLowerCase();
}

export function createAggregator(bank: Bank, today: IsoDate): Aggregator {
  const recs = bank.recommendations.map((r) => r.id);
  const items = answerableItems(bank);
  const itemRecs = new Map<string, Tag[]>();
  for (const item of items) {
    itemRecs.set(
      item.id,
      recs.filter((r) => itemHasTag(item, r)),
    );
  }
  // per authority: the last two cycles' summaries, and the ids (only) of every cycle seen, to spot duplicates
  const authorities = new Map<
    string,
    { name: string; seen: Map<string, string>; latest: CycleState; previous?: CycleState }
  >();
  const skipped: SkippedFile[] = [];
  let filesRead = 0;

  const summarise = (cycle: CycleFile, source: string): CycleState => {
    const ratings: Record<Tag, RatingCounts> = {};
    const sums: Record<Tag, { total: number; n: number }> = {};
    for (const r of recs) {
      ratings[r] = { red: 0, amber: 0, green: 0 };
      sums[r] = { total: 0, n: 0 };
    }
    let answered = 0;
    let needsData = 0;
    const needsDataItems: string[] = [];
    for (const [rawId, answer] of Object.entries(cycle.answers)) {
      const item = findItem(bank, rawId);
      if (!item || item.kind === 'prompt') continue;
      const confirmed = isDone(answer);
      if (confirmed) {
        answered++;
        if (answer.status === 'needs-data') {
          needsData++;
          needsDataItems.push(item.id);
        }
      }
      const rating = answer.rating;
      if (rating === undefined || !(rating in SCORE)) continue;
      for (const r of itemRecs.get(item.id) ?? []) {
        // the counts shown are this cycle's own ratings; the score that decides movement also takes
        // carried-forward ratings, which stand until someone reassesses them — otherwise a cycle half
        // confirmed would seem to move just because fewer items were averaged
        if (confirmed) (ratings[r] as RatingCounts)[rating]++;
        const s = sums[r] as { total: number; n: number };
        s.total += SCORE[rating];
        s.n++;
      }
    }
    const scores: Record<Tag, number | null> = {};
    for (const r of recs) {
      const s = sums[r] as { total: number; n: number };
      scores[r] = s.n === 0 ? null : s.total / s.n;
    }
    return {
      cycle: cycle.cycle,
      source,
      answered,
      total: items.length,
      needsData,
      priorities: cycle.priorities.map((p) => p.recommendation),
      ratings,
      actions: actionsSummary(cycle.actions, today),
      scores,
      needsDataItems,
    };
  };

  const addSkipped = (source: string, reason: string): void => {
    skipped.push({ source, reason });
  };

  const addCycle = (cycle: CycleFile, source: string): void => {
    if (cycle.bank?.id !== bank.id) {
      addSkipped(
        source,
        `uses the question bank "${cycle.bank?.id}", not "${bank.id}" (choose it with --bank)`,
      );
      return;
    }
    if (cycle.bank.version !== bank.version) {
      addSkipped(
        source,
        `uses version ${cycle.bank.version} of the question bank "${bank.id}"; this summary is of version ${bank.version}`,
      );
      return;
    }
    const name = (cycle.authority ?? '').replace(/\s+/g, ' ').trim();
    if (name === '') {
      addSkipped(source, 'names no authority');
      return;
    }
    const key = authorityKey(name);
    const entry = authorities.get(key);
    const earlier = entry?.seen.get(cycle.cycle);
    if (earlier !== undefined) {
      addSkipped(source, `cycle ${cycle.cycle} of ${name} was already read from ${earlier}`);
      return;
    }
    const state = summarise(cycle, source);
    filesRead++;
    if (!entry) {
      authorities.set(key, { name, seen: new Map([[cycle.cycle, source]]), latest: state });
      return;
    }
    entry.seen.set(cycle.cycle, source);
    if (compareCycleIds(state.cycle, entry.latest.cycle) > 0) {
      entry.previous = entry.latest;
      entry.latest = state;
    } else if (!entry.previous || compareCycleIds(state.cycle, entry.previous.cycle) > 0) {
      entry.previous = state;
    }
  };

  const result = (): AggregateResult => {
    const byName = [...authorities.values()].sort((a, b) => collator.compare(a.name, b.name));
    const titles = new Map(bank.recommendations.map((r) => [r.id, r.title]));
    const prioritised = new Map<Tag, PriorityCount>(
      recs.map((r) => [r, { recommendation: r, title: titles.get(r) ?? r, count: 0, byRank: [] }]),
    );
    const movement = new Map<Tag, MovementCount>(
      recs.map((r) => [r, { recommendation: r, improved: 0, same: 0, worse: 0, notComparable: 0 }]),
    );
    const needs = new Map<string, number>();
    let compared = 0;
    const summaries: AuthoritySummary[] = byName.map((a) => {
      const { scores: _s, needsDataItems, ...latest } = a.latest;
      const seen = new Set<Tag>();
      latest.priorities.forEach((r, rank) => {
        const p = prioritised.get(r);
        if (!p || seen.has(r)) return;
        seen.add(r);
        p.count++;
        while (p.byRank.length <= rank) p.byRank.push(0);
        p.byRank[rank] = (p.byRank[rank] ?? 0) + 1;
      });
      for (const id of needsDataItems) needs.set(id, (needs.get(id) ?? 0) + 1);
      const summary: AuthoritySummary = { authority: a.name, cycles: a.seen.size, latest };
      if (a.previous) {
        compared++;
        summary.previous = { cycle: a.previous.cycle, source: a.previous.source };
        const moved: Record<Tag, Movement | null> = {};
        for (const r of recs) {
          const before: number | null = a.previous.scores[r] ?? null;
          const after: number | null = a.latest.scores[r] ?? null;
          const m = movement.get(r) as MovementCount;
          if (before === null || after === null) {
            moved[r] = null;
            m.notComparable++;
            continue;
          }
          // means of small integers: compare with a tolerance so 1/3 + 1/3 + 1/3 equals 1
          const diff: number = after - before;
          const verdict: Movement = diff > 1e-9 ? 'improved' : diff < -1e-9 ? 'worse' : 'same';
          moved[r] = verdict;
          m[verdict]++;
        }
        summary.movement = moved;
      }
      return summary;
    });
    const needsData = [...needs.entries()]
      .map(([item, count]) => ({ item, text: findItem(bank, item)?.text ?? item, count }))
      .sort(
        (a, b) =>
          b.count - a.count || (findItem(bank, a.item)?.index ?? 0) - (findItem(bank, b.item)?.index ?? 0),
      )
      .slice(0, TOP_NEEDS_DATA);
    return {
      bank: { id: bank.id, version: bank.version, title: bank.title },
      today,
      filesRead,
      authorities: summaries,
      recommendations: bank.recommendations.map((r) => ({ id: r.id, title: r.title })),
      prioritised: [...prioritised.values()],
      compared,
      movement: [...movement.values()],
      needsData,
      skipped: [...skipped],
    };
  };

  return { addCycle, addSkipped, result };
}
