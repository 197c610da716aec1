/**
 * How far a cycle has got: counts per stage and per tag, shared by `status`, `cycles` and the report.
 *
 * Only answerable items count (questions and checklist considerations; `prompt` lead-ins take no
 * answer). Every answerable item falls in exactly one bucket, so the buckets add up to `total`:
 *
 * - `carried`: pre-filled from an earlier cycle and not yet confirmed (`answer.carried` set), whatever
 *   its status — it is last cycle's answer until someone confirms it;
 * - `answered`: a confirmed question with status `answered`, or a confirmed checklist item with any
 *   status (`not-started`, `planned`, `in-place`, `not-applicable`: giving the status is the answer);
 * - `needsData`: a confirmed question waiting for data (`needs-data`);
 * - `skipped`: a confirmed question deliberately skipped;
 * - `unanswered`: no answer at all.
 *
 * Ratings (red/amber/green) are counted over confirmed answers only; a carried rating is last cycle's.
 * Per-tag counts use the item's effective tags (its own, else its parent's, else its section's), so an
 * item counts once under each of its tags; ALL is a tag of its own (it is not spread over every
 * principle and recommendation).
 */
import { answerableItems, bankTags, describeTag } from './bank.ts';
import type { Answer, Bank, CycleFile, FlatItem, Rating, Tag } from './types.ts';

export interface RatingCounts {
  red: number;
  amber: number;
  green: number;
}

export interface ProgressCounts {
  total: number;
  answered: number;
  needsData: number;
  skipped: number;
  carried: number;
  unanswered: number;
  ratings: RatingCounts;
}

export interface StageProgress extends ProgressCounts {
  stage: string;
  title: string;
}

export interface TagProgress extends ProgressCounts {
  tag: Tag;
  /** One line saying what the tag is (principle or recommendation text). */
  description: string;
}

export interface CycleProgress extends ProgressCounts {
  byStage: StageProgress[];
  byTag: TagProgress[];
}

export type ProgressBucket = 'answered' | 'needsData' | 'skipped' | 'carried' | 'unanswered';

/** Which bucket an item's answer puts it in (see the module comment). */
export function progressBucket(item: Pick<FlatItem, 'kind'>, answer: Answer | undefined): ProgressBucket {
  if (answer === undefined) return 'unanswered';
  if (answer.carried !== undefined) return 'carried';
  if (item.kind === 'checklist') return 'answered';
  if (answer.status === 'answered') return 'answered';
  if (answer.status === 'needs-data') return 'needsData';
  if (answer.status === 'skipped') return 'skipped';
  // a checklist status on a question (a bank changed kind): it was dealt with
  return 'answered';
}

export function emptyCounts(): ProgressCounts {
  return {
    total: 0,
    answered: 0,
    needsData: 0,
    skipped: 0,
    carried: 0,
    unanswered: 0,
    ratings: { red: 0, amber: 0, green: 0 },
  };
}

function add(counts: ProgressCounts, bucket: ProgressBucket, rating: Rating | undefined): void {
  counts.total++;
  counts[bucket]++;
  if (rating && bucket !== 'carried' && bucket !== 'unanswered') counts.ratings[rating]++;
}

/** Percentage of `part` in `whole`, rounded down to a whole number (0 when `whole` is 0). */
export function percent(part: number, whole: number): number {
  if (whole === 0) return 0;
  // rounded, but never 100% until every item is done (113 of 114 is 99%, not 100%)
  const p = Math.round((part * 100) / whole);
  return part < whole ? Math.min(p, 99) : p;
}

/**
 * Progress of `cycle` over `bank`: totals, then per stage (bank order, every stage even when empty),
 * then per tag (the bank's tags: KP…, R…, then ALL when the bank defines it).
 */
export function cycleProgress(bank: Bank, cycle: Pick<CycleFile, 'answers'>): CycleProgress {
  const totals = emptyCounts();
  const byStage: StageProgress[] = bank.stages.map((s) => ({
    stage: s.id,
    title: s.title,
    ...emptyCounts(),
  }));
  const stageIndex = new Map(byStage.map((s, i) => [s.stage, i]));
  const tags = bankTags(bank);
  const byTag: TagProgress[] = tags.map((tag) => ({
    tag,
    description: describeTag(bank, tag),
    ...emptyCounts(),
  }));
  const tagIndex = new Map(tags.map((t, i) => [t, i]));
  for (const item of answerableItems(bank)) {
    const answer = Object.hasOwn(cycle.answers, item.id) ? cycle.answers[item.id] : undefined;
    const bucket = progressBucket(item, answer);
    const rating = answer?.rating;
    add(totals, bucket, rating);
    const si = stageIndex.get(item.stage);
    if (si !== undefined) add(byStage[si] as StageProgress, bucket, rating);
    for (const tag of new Set(item.effectiveTags)) {
      const ti = tagIndex.get(tag);
      if (ti !== undefined) add(byTag[ti] as TagProgress, bucket, rating);
    }
  }
  return { ...totals, byStage, byTag };
}
