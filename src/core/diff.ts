/**
 * What changed between two cycles: per item (answers added, changed, removed; status and rating
 * moves), priorities (added, removed, reordered, rationale changed) and actions (opened, closed,
 * overdue, removed). Pure: `today` is passed in.
 *
 * Carried-forward markers and `changed` dates are not differences in themselves: an answer carried
 * into `to` unchanged from `from` is the same answer.
 */
import { findItem, flattenBank, itemHasTag } from './bank.ts';
import { isOverdue } from './dates.ts';
import { diffSequences, type SequencePart } from './myers.ts';
import type { Action, ActionStatus, Answer, AnswerStatus, Bank, CycleFile, Rating } from './types.ts';

export type WordPart = { op: '=' | '+' | '-'; text: string };

/** One line of a text diff: kept (` `), added (`+`) or removed (`-`); `words` marks the changed words. */
export interface DiffLine {
  op: ' ' | '+' | '-';
  line: string;
  words?: WordPart[];
}

/** Unchanged lines elided between changes (`skipped` lines not shown). */
export type DiffRow = DiffLine | { op: '…'; skipped: number };

export interface FieldDiff {
  field: 'text' | 'needs' | 'evidence';
  rows: DiffRow[];
}

export interface ItemDiff {
  id: string;
  /** The bank's text of the item (empty for an item the bank does not have). */
  text: string;
  change: 'added' | 'removed' | 'changed';
  status?: { from?: AnswerStatus; to?: AnswerStatus };
  rating?: { from?: Rating; to?: Rating };
  fields: FieldDiff[];
  /** In `to`, the answer is carried forward and not yet confirmed. */
  carried?: boolean;
}

export interface StageDiff {
  stage: string;
  title: string;
  items: ItemDiff[];
}

export interface PriorityDiff {
  from: string[];
  to: string[];
  added: string[];
  removed: string[];
  reordered: boolean;
  rationaleChanged: string[];
}

export interface ActionRef {
  id: string;
  title: string;
  status: ActionStatus;
  due?: string;
  owner?: string;
  /** For closed actions: the status it had in `from` (absent when opened and closed in `to`). */
  was?: ActionStatus;
}

export interface ActionsDiff {
  opened: ActionRef[];
  closed: ActionRef[];
  overdue: ActionRef[];
  /** Still open in `from` but not in `to` (nothing is dropped silently). */
  removed: ActionRef[];
  /** Done or dropped in `from`, so (as designed) not carried into `to`: shown, not a difference. */
  finishedBefore: ActionRef[];
  /** In both and changed otherwise (title, owner, due date, status, tags, notes, history); `was` is the old status. */
  updated: ActionRef[];
}

export interface DiffCounts {
  added: number;
  changed: number;
  removed: number;
  statusMoves: number;
  ratingMoves: number;
  prioritiesAdded: number;
  prioritiesRemoved: number;
  prioritiesReordered: number;
  actionsOpened: number;
  actionsClosed: number;
  actionsOverdue: number;
  actionsRemoved: number;
  actionsUpdated: number;
}

export interface CycleDiff {
  from: string;
  to: string;
  tag?: string;
  today: string;
  counts: DiffCounts;
  /** True when anything differs (overdue actions alone are a state, not a difference). */
  hasDifferences: boolean;
  stages: StageDiff[];
  priorities: PriorityDiff;
  actions: ActionsDiff;
}

export interface DiffOptions {
  /** Only items, priorities and actions linked to this tag. */
  tag?: string;
  today: string;
  /** Unchanged lines kept around each change in text diffs (default 2). */
  context?: number;
  /**
   * Mark the changed words of replaced lines (default true). Only colour and JSON show them: text
   * without colour and Markdown leave this off and skip a word diff per changed line.
   */
  words?: boolean;
}

const CLOSED: readonly ActionStatus[] = ['done', 'dropped'];

function sameLines(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Words and the runs of white space between them: the tokens of a word diff. */
function tokens(line: string): string[] {
  return line.split(/(\s+)/).filter((t) => t !== '');
}

/**
 * Which words of a replaced line changed: a diff of word tokens (the same Myers algorithm as jsdiff's
 * word diff, without its white-space post-processing, which made it the slowest part of `diff` on a
 * fully answered cycle). Exported for tests.
 */
export function wordDiff(from: string, to: string): { removed: WordPart[]; added: WordPart[] } {
  const removed: WordPart[] = [];
  const added: WordPart[] = [];
  for (const part of diffSequences(tokens(from), tokens(to))) {
    const text = part.value.join('');
    if (part.added) added.push({ op: '+', text });
    else if (part.removed) removed.push({ op: '-', text });
    else {
      removed.push({ op: '=', text });
      added.push({ op: '=', text });
    }
  }
  return { removed, added };
}

/**
 * A line diff of two texts (stored lines) with word-level marks on lines that were replaced one for
 * one (unless `words` is false), and long unchanged stretches elided to `context` lines around each
 * change. Indexed loops, no callbacks: `diff` calls this once per changed answer (114 times for two
 * full cycles), in V8's interpreter, where each callback and closure costs (tests/diff.test.ts
 * compares it with the version written with them).
 */
export function diffText(
  from: readonly string[],
  to: readonly string[],
  context = 2,
  words = true,
): DiffRow[] {
  const lines: DiffLine[] = [];
  // answers are stored as lines already, so the line diff is an array diff of them
  const parts = diffSequences(from, to);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as SequencePart;
    const next = parts[i + 1];
    if (part.removed && next?.added) {
      const old = part.value;
      const neu = next.value;
      const pairs = Math.min(old.length, neu.length);
      const addedRows: DiffLine[] = [];
      // one push per row: spreading 100,000 rows into push() would overflow the stack
      for (let k = 0; k < old.length; k++) {
        const line = old[k] as string;
        if (k < pairs && words) {
          const w = wordDiff(line, neu[k] as string);
          lines.push({ op: '-', line, words: w.removed });
          addedRows.push({ op: '+', line: neu[k] as string, words: w.added });
        } else {
          lines.push({ op: '-', line });
          if (k < pairs) addedRows.push({ op: '+', line: neu[k] as string });
        }
      }
      for (let k = 0; k < addedRows.length; k++) lines.push(addedRows[k] as DiffLine);
      for (let k = pairs; k < neu.length; k++) lines.push({ op: '+', line: neu[k] as string });
      i++;
      continue;
    }
    const op = part.added ? '+' : part.removed ? '-' : ' ';
    const value = part.value;
    for (let k = 0; k < value.length; k++) lines.push({ op, line: value[k] as string });
  }
  // elide unchanged stretches far from any change
  const n = lines.length;
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if ((lines[i] as DiffLine).op === ' ') continue;
    const last = Math.min(n - 1, i + context);
    for (let k = Math.max(0, i - context); k <= last; k++) keep[k] = 1;
  }
  const rows: DiffRow[] = [];
  let skipped = 0;
  for (let i = 0; i < n; i++) {
    if (keep[i] === 1) {
      if (skipped > 0) rows.push({ op: '…', skipped });
      skipped = 0;
      rows.push(lines[i] as DiffLine);
    } else skipped++;
  }
  if (skipped > 0) rows.push({ op: '…', skipped });
  return rows;
}

/** The fields of an answer that hold lines of text, in the order a diff shows them. */
const TEXT_FIELDS = ['text', 'needs', 'evidence'] as const;

function diffAnswer(
  id: string,
  text: string,
  a: Answer | undefined,
  b: Answer | undefined,
  context: number,
  words: boolean,
): ItemDiff | undefined {
  if (!a && !b) return undefined;
  const fields: FieldDiff[] = [];
  for (let i = 0; i < TEXT_FIELDS.length; i++) {
    const field = TEXT_FIELDS[i] as (typeof TEXT_FIELDS)[number];
    if (!sameLines(a?.[field], b?.[field]))
      fields.push({ field, rows: diffText(a?.[field] ?? [], b?.[field] ?? [], context, words) });
  }
  const statusMoved = a !== undefined && b !== undefined && a.status !== b.status;
  const ratingMoved = a?.rating !== b?.rating && !(a === undefined || b === undefined);
  if (a && b && fields.length === 0 && !statusMoved && !ratingMoved) return undefined;
  const out: ItemDiff = { id, text, change: !a ? 'added' : !b ? 'removed' : 'changed', fields };
  if (a?.status !== b?.status) {
    out.status = {};
    if (a) out.status.from = a.status;
    if (b) out.status.to = b.status;
  }
  if (a?.rating !== b?.rating) {
    out.rating = {};
    if (a?.rating) out.rating.from = a.rating;
    if (b?.rating) out.rating.to = b.rating;
  }
  if (b?.carried !== undefined) out.carried = true;
  return out;
}

function actionRef(a: Action, was?: ActionStatus): ActionRef {
  const ref: ActionRef = { id: a.id, title: a.title, status: a.status };
  if (a.due !== undefined) ref.due = a.due;
  if (a.owner !== undefined) ref.owner = a.owner;
  if (was !== undefined) ref.was = was;
  return ref;
}

/** Do the common elements of `a` and `b` appear in a different relative order? */
function isReordered(a: readonly string[], b: readonly string[]): boolean {
  const common = a.filter((x) => b.includes(x));
  const commonB = b.filter((x) => a.includes(x));
  return common.some((x, i) => x !== commonB[i]);
}

/** The differences between two cycles over one bank. */
export function diffCycles(bank: Bank, from: CycleFile, to: CycleFile, opts: DiffOptions): CycleDiff {
  const tag = opts.tag;
  const stages = diffStages(bank, from, to, opts);
  const priorities = diffPriorities(from, to, tag);
  const actions = diffActions(from, to, opts);
  const items = stages.flatMap((s) => s.items);
  const counts: DiffCounts = {
    added: items.filter((i) => i.change === 'added').length,
    changed: items.filter((i) => i.change === 'changed' && i.fields.length > 0).length,
    removed: items.filter((i) => i.change === 'removed').length,
    statusMoves: items.filter((i) => i.change === 'changed' && i.status).length,
    ratingMoves: items.filter((i) => i.change === 'changed' && i.rating).length,
    prioritiesAdded: priorities.added.length,
    prioritiesRemoved: priorities.removed.length,
    prioritiesReordered: priorities.reordered ? 1 : 0,
    actionsOpened: actions.opened.length,
    actionsClosed: actions.closed.length,
    actionsOverdue: actions.overdue.length,
    actionsRemoved: actions.removed.length,
    actionsUpdated: actions.updated.length,
  };
  const hasDifferences =
    items.length > 0 ||
    priorities.added.length + priorities.removed.length + priorities.rationaleChanged.length > 0 ||
    priorities.reordered ||
    actions.opened.length + actions.closed.length + actions.removed.length + actions.updated.length > 0;
  const diff: CycleDiff = {
    from: from.cycle,
    to: to.cycle,
    today: opts.today,
    counts,
    hasDifferences,
    stages,
    priorities,
    actions,
  };
  if (tag !== undefined) diff.tag = tag;
  return diff;
}

/**
 * The answers that differ, stage by stage in the bank's order; then, when no tag narrows the diff,
 * answers to items the bank no longer has.
 */
function diffStages(bank: Bank, from: CycleFile, to: CycleFile, opts: DiffOptions): StageDiff[] {
  const context = opts.context ?? 2;
  const words = opts.words ?? true;
  const tag = opts.tag;
  const get = (c: CycleFile, id: string) => (Object.hasOwn(c.answers, id) ? c.answers[id] : undefined);
  const stages: StageDiff[] = [];
  const byStage = new Map<string, StageDiff>();
  const seen = new Set<string>();
  for (const item of flattenBank(bank)) {
    seen.add(item.id);
    if (tag !== undefined && !itemHasTag(item, tag)) continue;
    const d = diffAnswer(item.id, item.text, get(from, item.id), get(to, item.id), context, words);
    if (!d) continue;
    let stage = byStage.get(item.stage);
    if (!stage) {
      stage = { stage: item.stage, title: item.stageTitle, items: [] };
      byStage.set(item.stage, stage);
      stages.push(stage);
    }
    stage.items.push(d);
  }
  if (tag === undefined) {
    const kept: ItemDiff[] = [];
    const ids = [...Object.keys(from.answers), ...Object.keys(to.answers)].filter((id) => !seen.has(id));
    for (const id of new Set(ids)) {
      const d = diffAnswer(id, findItem(bank, id)?.text ?? '', get(from, id), get(to, id), context, words);
      if (d) kept.push(d);
    }
    if (kept.length > 0)
      stages.push({ stage: '', title: 'Items no longer in the question bank', items: kept });
  }
  return stages;
}

/** Priorities added, removed, reordered, and those whose rationale changed. */
function diffPriorities(from: CycleFile, to: CycleFile, tag: string | undefined): PriorityDiff {
  const pf = from.priorities.map((p) => p.recommendation).filter((r) => tag === undefined || r === tag);
  const pt = to.priorities.map((p) => p.recommendation).filter((r) => tag === undefined || r === tag);
  const rationaleChanged = pt.filter((r) => {
    const a = from.priorities.find((p) => p.recommendation === r);
    const b = to.priorities.find((p) => p.recommendation === r);
    return a !== undefined && b !== undefined && !sameLines(a.rationale, b.rationale);
  });
  return {
    from: pf,
    to: pt,
    added: pt.filter((r) => !pf.includes(r)),
    removed: pf.filter((r) => !pt.includes(r)),
    reordered: isReordered(pf, pt),
    rationaleChanged,
  };
}

/** Actions opened, closed, updated, overdue, removed, and those finished before the later cycle. */
function diffActions(from: CycleFile, to: CycleFile, opts: DiffOptions): ActionsDiff {
  const tag = opts.tag;
  const inScope = (a: Action) => tag === undefined || a.tags.includes(tag);
  // an action is the same one when both its id and the cycle it was opened in match (older files may
  // reuse an id for a different action)
  const key = (a: Action) => `${a.id}\u0000${a.opened}`;
  const fromActions = new Map(from.actions.map((a) => [key(a), a]));
  const toKeys = new Set(to.actions.map(key));
  const actions: ActionsDiff = {
    opened: [],
    closed: [],
    overdue: [],
    removed: [],
    finishedBefore: [],
    updated: [],
  };
  for (const a of to.actions.filter(inScope)) {
    const before = fromActions.get(key(a));
    if (!before) actions.opened.push(actionRef(a));
    const closed = CLOSED.includes(a.status) && (!before || !CLOSED.includes(before.status));
    if (closed) actions.closed.push(actionRef(a, before?.status));
    else if (before && JSON.stringify(before) !== JSON.stringify(a))
      actions.updated.push(actionRef(a, before.status));
    if (isOverdue(a, opts.today)) actions.overdue.push(actionRef(a));
  }
  for (const a of from.actions.filter(inScope)) {
    if (toKeys.has(key(a))) continue;
    if (CLOSED.includes(a.status)) actions.finishedBefore.push(actionRef(a));
    else actions.removed.push(actionRef(a));
  }
  return actions;
}
