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

/** What summarising a cycle needs to know about the bank, worked out once. */
interface BankIndex {
  bank: Bank;
  recs: Tag[];
  /** How many items can be answered. */
  itemCount: number;
  /** The Recommendations each answerable item relates to. */
  itemRecs: Map<string, Tag[]>;
}

function indexBank(bank: Bank): BankIndex {
  const recs = bank.recommendations.map((r) => r.id);
  const items = answerableItems(bank);
  const itemRecs = new Map<string, Tag[]>();
  for (const item of items) {
    itemRecs.set(
      item.id,
      recs.filter((r) => itemHasTag(item, r)),
    );
  }
  return { bank, recs, itemCount: items.length, itemRecs };
}

/** One cycle reduced to what the summary needs: counts, ratings per Recommendation, mean scores. */
function summariseCycle(index: BankIndex, cycle: CycleFile, source: string, today: IsoDate): CycleState {
  const { bank, recs, itemRecs } = index;
  const ratings: Record<Tag, RatingCounts> = {};
  const sums: Record<Tag, { total: number; n: number }> = {};
  for (const r of recs) {
    ratings[r] = { red: 0, amber: 0, green: 0 };
    sums[r] = { total: 0, n: 0 };
  }
  let answered = 0;
  const needsDataItems: string[] = [];
  for (const [rawId, answer] of Object.entries(cycle.answers)) {
    const item = findItem(bank, rawId);
    if (!item || item.kind === 'prompt') continue;
    const confirmed = isDone(answer);
    if (confirmed) {
      answered++;
      if (answer.status === 'needs-data') needsDataItems.push(item.id);
    }
    const rating = answer.rating;
    if (rating === undefined || !(rating in SCORE)) continue;
    for (const r of itemRecs.get(item.id) ?? []) {
      // the counts shown are this cycle's own ratings; the score that decides movement also takes
      // carried-forward ratings, which stand until someone reassesses them — otherwise a cycle half
      // confirmed would seem to move just because fewer items were averaged
      if (confirmed) (ratings[r] as RatingCounts)[rating]++;
      const sum = sums[r] as { total: number; n: number };
      sum.total += SCORE[rating];
      sum.n++;
    }
  }
  const scores: Record<Tag, number | null> = {};
  for (const r of recs) {
    const sum = sums[r] as { total: number; n: number };
    scores[r] = sum.n === 0 ? null : sum.total / sum.n;
  }
  return {
    cycle: cycle.cycle,
    source,
    answered,
    total: index.itemCount,
    needsData: needsDataItems.length,
    priorities: cycle.priorities.map((p) => p.recommendation),
    ratings,
    actions: actionsSummary(cycle.actions, today),
    scores,
    needsDataItems,
  };
}

/** Why a cycle cannot be summarised with the others; undefined when it can. */
function reasonToSkip(bank: Bank, cycle: CycleFile): string | undefined {
  if (cycle.bank?.id !== bank.id) {
    return `uses the question bank "${cycle.bank?.id}", not "${bank.id}" (choose it with --bank)`;
  }
  if (cycle.bank.version !== bank.version) {
    return `uses version ${cycle.bank.version} of the question bank "${bank.id}"; this summary is of version ${bank.version}`;
  }
  if (authorityName(cycle) === '') return 'names no authority';
  return undefined;
}

function authorityName(cycle: CycleFile): string {
  return (cycle.authority ?? '').replace(/\s+/g, ' ').trim();
}

/** An authority as read so far: its last two cycles' summaries, and every cycle id seen (to spot repeats). */
interface AuthorityState {
  name: string;
  seen: Map<string, string>;
  latest: CycleState;
  previous?: CycleState;
}

/** Keep the latest two cycles of an authority, whatever order they come in. */
function keepLatestTwo(entry: AuthorityState, state: CycleState): void {
  if (compareCycleIds(state.cycle, entry.latest.cycle) > 0) {
    entry.previous = entry.latest;
    entry.latest = state;
  } else if (!entry.previous || compareCycleIds(state.cycle, entry.previous.cycle) > 0) {
    entry.previous = state;
  }
}

/** Each Recommendation's move between an authority's two latest cycles, counted into `movement`. */
function movementOf(
  recs: readonly Tag[],
  previous: CycleState,
  latest: CycleState,
  movement: Map<Tag, MovementCount>,
): Record<Tag, Movement | null> {
  const moved: Record<Tag, Movement | null> = {};
  for (const r of recs) {
    const before: number | null = previous.scores[r] ?? null;
    const after: number | null = latest.scores[r] ?? null;
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
  return moved;
}

/** Count an authority's priorities (each Recommendation once, at its first rank). */
function countPriorities(priorities: readonly Tag[], prioritised: Map<Tag, PriorityCount>): void {
  const seen = new Set<Tag>();
  priorities.forEach((r, rank) => {
    const p = prioritised.get(r);
    if (!p || seen.has(r)) return;
    seen.add(r);
    p.count++;
    while (p.byRank.length <= rank) p.byRank.push(0);
    p.byRank[rank] = (p.byRank[rank] ?? 0) + 1;
  });
}

/** The items most authorities mark needs-data, most first (bank order between equals). */
function topNeedsData(bank: Bank, counts: Map<string, number>): NeedsDataCount[] {
  return [...counts.entries()]
    .map(([item, count]) => ({ item, text: findItem(bank, item)?.text ?? item, count }))
    .sort(
      (a, b) =>
        b.count - a.count || (findItem(bank, a.item)?.index ?? 0) - (findItem(bank, b.item)?.index ?? 0),
    )
    .slice(0, TOP_NEEDS_DATA);
}

/** Summarises cycles one at a time, keeping only small summaries, so memory stays flat. */
class CycleAggregator implements Aggregator {
  private readonly index: BankIndex;
  private readonly authorities = new Map<string, AuthorityState>();
  private readonly skipped: SkippedFile[] = [];
  private filesRead = 0;

  constructor(
    private readonly bank: Bank,
    private readonly today: IsoDate,
  ) {
    this.index = indexBank(bank);
  }

  addSkipped(source: string, reason: string): void {
    this.skipped.push({ source, reason });
  }

  addCycle(cycle: CycleFile, source: string): void {
    const skip = reasonToSkip(this.bank, cycle);
    if (skip !== undefined) {
      this.addSkipped(source, skip);
      return;
    }
    const name = authorityName(cycle);
    const key = authorityKey(name);
    const entry = this.authorities.get(key);
    const earlier = entry?.seen.get(cycle.cycle);
    if (earlier !== undefined) {
      this.addSkipped(source, `cycle ${cycle.cycle} of ${name} was already read from ${earlier}`);
      return;
    }
    const state = summariseCycle(this.index, cycle, source, this.today);
    this.filesRead++;
    if (!entry) {
      this.authorities.set(key, { name, seen: new Map([[cycle.cycle, source]]), latest: state });
      return;
    }
    entry.seen.set(cycle.cycle, source);
    keepLatestTwo(entry, state);
  }

  result(): AggregateResult {
    const { bank, index } = this;
    const byName = [...this.authorities.values()].sort((a, b) => collator.compare(a.name, b.name));
    const titles = new Map(bank.recommendations.map((r) => [r.id, r.title]));
    const prioritised = new Map<Tag, PriorityCount>(
      index.recs.map((r) => [r, { recommendation: r, title: titles.get(r) ?? r, count: 0, byRank: [] }]),
    );
    const movement = new Map<Tag, MovementCount>(
      index.recs.map((r) => [r, { recommendation: r, improved: 0, same: 0, worse: 0, notComparable: 0 }]),
    );
    const needs = new Map<string, number>();
    let compared = 0;
    const summaries: AuthoritySummary[] = byName.map((a) => {
      const { scores: _s, needsDataItems, ...latest } = a.latest;
      countPriorities(latest.priorities, prioritised);
      for (const id of needsDataItems) needs.set(id, (needs.get(id) ?? 0) + 1);
      const summary: AuthoritySummary = { authority: a.name, cycles: a.seen.size, latest };
      if (a.previous) {
        compared++;
        summary.previous = { cycle: a.previous.cycle, source: a.previous.source };
        summary.movement = movementOf(index.recs, a.previous, a.latest, movement);
      }
      return summary;
    });
    return {
      bank: { id: bank.id, version: bank.version, title: bank.title },
      today: this.today,
      filesRead: this.filesRead,
      authorities: summaries,
      recommendations: bank.recommendations.map((r) => ({ id: r.id, title: r.title })),
      prioritised: [...prioritised.values()],
      compared,
      movement: [...movement.values()],
      needsData: topNeedsData(bank, needs),
      skipped: [...this.skipped],
    };
  }
}

/** An aggregator for cycles of `bank`; `today` decides which actions are overdue. */
export function createAggregator(bank: Bank, today: IsoDate): Aggregator {
  return new CycleAggregator(bank, today);
}
