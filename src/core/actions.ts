/**
 * Actions: what a local area will do about its reflections, tracked across cycles.
 *
 * Pure: no fs, no clock (callers pass `today`). Functions that change a cycle change it in place, so
 * they can run inside `updateCycle`'s locked read-modify-write.
 */
import { bankTags, flattenBank, normalizeTag } from './bank.ts';
import { refuseControlCharacters } from './control-chars.ts';
import { DATE_FORMS, isOverdue, isValidIsoDate, parseUserDate } from './dates.ts';
import { UsageError } from './errors.ts';
import {
  ACTION_STATUSES,
  type Action,
  type ActionHistoryEntry,
  type ActionStatus,
  type Bank,
  type CycleFile,
  type IsoDate,
  type Tag,
} from './types.ts';

export interface NewActionInput {
  title: string;
  owner?: string;
  /** An ISO date or anything `parseUserDate` accepts. */
  due?: string;
  tags: readonly string[];
  note?: string;
}

export interface ActionPatch {
  status?: string;
  title?: string;
  /** An empty string removes the owner. */
  owner?: string;
  /** An ISO date or anything `parseUserDate` accepts; an empty string removes the due date. */
  due?: string;
  /** Replaces the linked tags. */
  tags?: readonly string[];
  /** Goes into the history entry when the status changes, otherwise into the notes. */
  note?: string;
}

export interface ActionFilter {
  status?: string;
  tag?: string;
  owner?: string;
  overdue?: boolean;
}

export interface ActionsSummary {
  total: number;
  byStatus: Record<ActionStatus, number>;
  /** Planned or in progress. */
  open: number;
  /** Open and past the due date. */
  overdue: number;
}

export interface ReviewSummary {
  done: Action[];
  dropped: Action[];
  overdue: Action[];
  /** Open (planned or in progress) and not overdue. */
  open: Action[];
}

export interface CarryForwardResult {
  /** Ids of the actions copied into the later cycle. */
  carried: string[];
  /** Actions the later cycle already had (carried before): left as they are. */
  alreadyThere: string[];
  /** Actions given a new id because their id was taken: normally the later cycle's own new action. */
  renumbered: { from: string; to: string }[];
}

export interface PlanSeed {
  /** Recommendation ids named in the previous Review's answer to "Which Recommendation…next?", in order. */
  focus: Tag[];
  /** The previous cycle's unfinished actions. */
  openActions: Action[];
}

const STATUS_WORDS: Record<string, ActionStatus> = {
  planned: 'planned',
  'in-progress': 'in-progress',
  'in progress': 'in-progress',
  inprogress: 'in-progress',
  in_progress: 'in-progress',
  done: 'done',
  dropped: 'dropped',
};

/** `In progress`, `in-progress`… → `in-progress`; UsageError listing the valid statuses otherwise. */
export function parseActionStatus(input: string): ActionStatus {
  const status = STATUS_WORDS[input.trim().toLowerCase().replace(/\s+/g, ' ')];
  if (!status) {
    throw new UsageError(`"${input}" is not an action status. Use one of: ${ACTION_STATUSES.join(', ')}.`);
  }
  return status;
}

/** A due date from user input as `YYYY-MM-DD`; UsageError naming the accepted forms otherwise. */
export function parseDueDate(input: string): IsoDate {
  const iso = isValidIsoDate(input) ? input : parseUserDate(input);
  if (!iso) {
    throw new UsageError(`"${input}" is not a date. Use ${DATE_FORMS}, and a day that exists in that month.`);
  }
  return iso;
}

/** Tags normalised (`r1` → `R1`), de-duplicated and checked against the bank; UsageError listing known tags. */
export function validateActionTags(tags: readonly string[], bank: Bank): Tag[] {
  const known = bankTags(bank);
  const out: Tag[] = [];
  for (const raw of tags) {
    const tag = normalizeTag(raw);
    if (tag === '') continue;
    if (!known.includes(tag)) {
      throw new UsageError(`"${raw}" is not a tag of this question bank. Known tags: ${known.join(', ')}.`);
    }
    if (!out.includes(tag)) out.push(tag);
  }
  return out;
}

function actionNumber(id: string): number | undefined {
  const m = /^A(\d+)$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

/**
 * The next free action id: one more than the highest `A<n>` of the cycle (carried actions included)
 * and of `usedElsewhere` — the ids of the workspace's other cycles, so that an id never names two
 * different actions across cycles (a closed action is not carried, but its id stays taken).
 */
export function nextActionId(
  cycle: Pick<CycleFile, 'actions'>,
  usedElsewhere: readonly string[] = [],
): string {
  let max = 0;
  for (const a of cycle.actions) max = Math.max(max, actionNumber(a.id) ?? 0);
  for (const id of usedElsewhere) max = Math.max(max, actionNumber(id) ?? 0);
  return `A${max + 1}`;
}

function noteLines(note: string | undefined): string[] {
  if (note === undefined) return [];
  refuseControlCharacters(note, 'the note');
  return note
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
}

function cleanText(text: string, what: string): string {
  refuseControlCharacters(text, what);
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Add an action to the cycle (status `planned`, opened in this cycle) and return it. `usedIds`: action
 * ids of the workspace's other cycles, never to be reused.
 */
export function addAction(
  cycle: CycleFile,
  input: NewActionInput,
  today: IsoDate,
  bank: Bank,
  usedIds: readonly string[] = [],
): Action {
  const title = cleanText(input.title, 'the title');
  if (title === '') throw new UsageError('An action needs a title: say what will be done (--title "…").');
  const action: Action = {
    id: nextActionId(cycle, usedIds),
    title,
    status: 'planned',
    tags: validateActionTags(input.tags, bank),
    history: [{ date: today, status: 'planned' }],
    opened: cycle.cycle,
  };
  const owner = input.owner === undefined ? '' : cleanText(input.owner, 'the owner');
  if (owner !== '') action.owner = owner;
  if (input.due !== undefined && input.due.trim() !== '') action.due = parseDueDate(input.due.trim());
  const notes = noteLines(input.note);
  if (notes.length > 0) action.notes = notes;
  cycle.actions.push(action);
  return action;
}

/** The action with this id (`a2` finds `A2`); UsageError listing the cycle's action ids otherwise. */
export function findAction(cycle: CycleFile, id: string): Action {
  const wanted = id.trim().toUpperCase();
  const action = cycle.actions.find((a) => a.id.toUpperCase() === wanted);
  if (!action) {
    const known = cycle.actions.map((a) => a.id);
    throw new UsageError(
      known.length === 0
        ? `Cycle ${cycle.cycle} has no actions yet, so there is no action "${id}". Add one with: kinship-reflect actions add --title "…"`
        : `Cycle ${cycle.cycle} has no action "${id}". Its actions are: ${known.join(', ')}.`,
    );
  }
  return action;
}

/**
 * Change an action. A new status appends `{date: today, status, note?}` to its history; a note without
 * a status change is added to its notes. Tags are checked against `bank` when given. Returns the action.
 */
export function updateAction(
  cycle: CycleFile,
  id: string,
  patch: ActionPatch,
  today: IsoDate,
  bank?: Bank,
): Action {
  const action = findAction(cycle, id);
  // validate everything before changing anything, so a bad flag leaves the action as it was
  const status = patch.status === undefined ? undefined : parseActionStatus(patch.status);
  const title = patch.title === undefined ? undefined : cleanText(patch.title, 'the title');
  if (title === '') throw new UsageError('An action title cannot be empty.');
  const due =
    patch.due === undefined ? undefined : patch.due.trim() === '' ? '' : parseDueDate(patch.due.trim());
  let tags: Tag[] | undefined;
  if (patch.tags !== undefined) {
    tags = bank ? validateActionTags(patch.tags, bank) : [...new Set(patch.tags.map(normalizeTag))];
  }
  const notes = noteLines(patch.note);
  const owner = patch.owner === undefined ? undefined : cleanText(patch.owner, 'the owner');

  if (title !== undefined) action.title = title;
  if (owner !== undefined) {
    if (owner === '') delete action.owner;
    else action.owner = owner;
  }
  if (due !== undefined) {
    if (due === '') delete action.due;
    else action.due = due;
  }
  if (tags !== undefined) action.tags = tags;
  if (status !== undefined && status !== action.status) {
    action.status = status;
    const entry: ActionHistoryEntry = { date: today, status };
    if (notes.length > 0) entry.note = notes.join(' ');
    action.history.push(entry);
  } else if (notes.length > 0) {
    action.notes = [...(action.notes ?? []), ...notes];
  }
  return action;
}

/** Actions matching every given filter: status, tag (case-insensitive), owner (case-insensitive), overdue. */
export function filterActions(actions: readonly Action[], filter: ActionFilter, today: IsoDate): Action[] {
  const status = filter.status === undefined ? undefined : parseActionStatus(filter.status);
  const tag = filter.tag === undefined ? undefined : normalizeTag(filter.tag);
  const owner = filter.owner === undefined ? undefined : cleanText(filter.owner, '--owner').toLowerCase();
  return actions.filter(
    (a) =>
      (status === undefined || a.status === status) &&
      (tag === undefined || a.tags.includes(tag)) &&
      (owner === undefined || (a.owner ?? '').toLowerCase() === owner) &&
      (!filter.overdue || isOverdue(a, today)),
  );
}

function isOpen(a: Action): boolean {
  return a.status === 'planned' || a.status === 'in-progress';
}

function byNumber(a: Action, b: Action): number {
  const x = actionNumber(a.id) ?? Number.MAX_SAFE_INTEGER;
  const y = actionNumber(b.id) ?? Number.MAX_SAFE_INTEGER;
  return x - y || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function copyAction(a: Action): Action {
  return structuredClone(a);
}

/**
 * Copy the unfinished (planned or in-progress) actions of `from` into `to`, keeping their ids,
 * `opened` cycle and history. An action `to` already has (same id, same `opened`) is left alone, so
 * carrying twice never duplicates. Carried actions keep their ids: if an action opened in `to` itself
 * already took one of those ids, that newer action moves to the next free id (reported in
 * `renumbered`). `to.actions` ends sorted by id number.
 */
export function carryForwardActions(from: CycleFile, to: CycleFile): CarryForwardResult {
  const result: CarryForwardResult = { carried: [], alreadyThere: [], renumbered: [] };
  const incoming = from.actions.filter(isOpen);
  // a free id must clash with neither cycle, so a later carry cannot collide with it either
  const nextFree = (): string => nextActionId({ actions: [...to.actions, ...from.actions] });
  for (const action of incoming) {
    const existing = to.actions.find((a) => a.id === action.id);
    if (existing && existing.opened === action.opened) {
      result.alreadyThere.push(action.id);
      continue;
    }
    const copy = copyAction(action);
    if (existing) {
      if (existing.opened === to.cycle) {
        const id = nextFree();
        result.renumbered.push({ from: existing.id, to: id });
        existing.id = id;
      } else {
        // two different actions from earlier cycles with one id (hand-edited files): keep both
        copy.id = nextFree();
        result.renumbered.push({ from: action.id, to: copy.id });
      }
    }
    to.actions.push(copy);
    result.carried.push(copy.id);
  }
  to.actions.sort(byNumber);
  return result;
}

/** Counts by status, open and overdue. */
export function actionsSummary(actions: readonly Action[], today: IsoDate): ActionsSummary {
  const byStatus: Record<ActionStatus, number> = { planned: 0, 'in-progress': 0, done: 0, dropped: 0 };
  let overdue = 0;
  for (const a of actions) {
    if (a.status in byStatus) byStatus[a.status]++;
    if (isOverdue(a, today)) overdue++;
  }
  return { total: actions.length, byStatus, open: byStatus.planned + byStatus['in-progress'], overdue };
}

/** What the Review stage shows before its questions: done, dropped, overdue, and still open. */
export function reviewSummary(cycle: CycleFile, today: IsoDate): ReviewSummary {
  const out: ReviewSummary = { done: [], dropped: [], overdue: [], open: [] };
  for (const a of cycle.actions) {
    if (a.status === 'done') out.done.push(a);
    else if (a.status === 'dropped') out.dropped.push(a);
    else if (isOverdue(a, today)) out.overdue.push(a);
    else out.open.push(a);
  }
  return out;
}

/** The start of the Review question whose answer seeds the next cycle's Plan. */
export const FOCUS_QUESTION = 'Which Recommendation are you going to focus on next?';

/**
 * Recommendation numbers named in free text, in order of first mention: `R3`, `R1–R3`, `R2 and R5`,
 * `Recommendation 4`, `Recommendations 2, 3 and 6`. Only numbers in `known` (e.g. `['R1',…,'R6']`) count.
 */
export function recommendationsMentioned(text: string, known: readonly Tag[]): Tag[] {
  const found: Tag[] = [];
  const add = (n: number) => {
    const id = `R${n}`;
    if (known.includes(id) && !found.includes(id)) found.push(id);
  };
  const num = String.raw`(?:R\s?)?(\d{1,2})`;
  const pattern = new RegExp(
    String.raw`\b(?:R(?=\s?\d)|Recommendations?\s+)\s?(\d{1,2})\b((?:\s*(?:[-–—]|to)\s*${num}\b)?(?:\s*(?:,|and|&|or)\s*${num}\b)*)`,
    'gi',
  );
  for (const m of text.matchAll(pattern)) {
    const first = Number(m[1]);
    const rest = m[2] ?? '';
    const range = new RegExp(String.raw`^\s*(?:[-–—]|to)\s*${num}`, 'i').exec(rest);
    if (range) {
      const last = Number(range[1]);
      if (last >= first && last - first < 20) for (let n = first; n <= last; n++) add(n);
      else add(first);
    } else {
      add(first);
    }
    const tail = range ? rest.slice(range[0].length) : rest;
    for (const t of tail.matchAll(new RegExp(num, 'gi'))) add(Number(t[1]));
  }
  return found;
}

/**
 * The starting point of the next cycle's Plan: the Recommendations the previous Review said it would
 * focus on next, and the previous cycle's unfinished actions.
 */
export function nextCyclePlanSeed(previous: CycleFile, bank: Bank): PlanSeed {
  const item = flattenBank(bank).find((i) => i.text.trim().startsWith(FOCUS_QUESTION));
  let focus: Tag[] = [];
  if (item) {
    let answer = previous.answers[item.id];
    if (!answer && bank.renamed) {
      for (const [oldId, newId] of Object.entries(bank.renamed)) {
        if (newId === item.id && previous.answers[oldId]) answer = previous.answers[oldId];
      }
    }
    const text = (answer?.text ?? []).join('\n');
    focus = recommendationsMentioned(
      text,
      bank.recommendations.map((r) => r.id),
    );
  }
  return { focus, openActions: previous.actions.filter(isOpen).map(copyAction) };
}
