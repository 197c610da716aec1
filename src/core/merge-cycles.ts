/**
 * A three-way merge of two versions of a cycle file against their common base, item by item: what
 * git's merge driver (`kinship-reflect git merge-file`) and `git resolve` use.
 *
 * Different items merge cleanly. An item changed on both sides is merged field by field: its status,
 * rating and the like when only one side changed each, its texts line by line with a diff3 library
 * (node-diff3) when the changes do not overlap, an action's history as both sides' new entries. What
 * still conflicts is returned as a conflict (both versions and the base kept); the merged cycle holds
 * our version of it until a person decides.
 */
import { diff3Merge } from 'node-diff3';
import { sameAnswer } from './cycle.ts';
import { actionFingerprint, answerFingerprint, priorityFingerprint } from './fingerprint.ts';
import type { Conflict } from './three-way.ts';
import type { Action, ActionHistoryEntry, Answer, CycleFile, Priority } from './types.ts';

/** A value that could not be merged. */
const CONFLICT = Symbol('conflict');
type Merged<T> = T | typeof CONFLICT;

export interface CycleMergeResult {
  cycle: CycleFile;
  conflicts: Conflict[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** One value changed on at most one side (or identically on both). */
function scalar3<T>(base: T, ours: T, theirs: T): Merged<T> {
  if (same(ours, theirs) || same(theirs, base)) return ours;
  if (same(ours, base)) return theirs;
  return CONFLICT;
}

/** Lines merged with diff3: clean when the two sides' changes do not overlap. */
export function mergeLines(
  base: readonly string[] | undefined,
  ours: readonly string[] | undefined,
  theirs: readonly string[] | undefined,
): Merged<string[] | undefined> {
  const simple = scalar3(base, ours, theirs);
  if (simple !== CONFLICT) return simple === undefined ? undefined : [...simple];
  if (ours === undefined || theirs === undefined) return CONFLICT;
  const regions = diff3Merge([...ours], [...(base ?? [])], [...theirs], { excludeFalseConflicts: true });
  const out: string[] = [];
  for (const region of regions) {
    if (region.conflict) return CONFLICT;
    out.push(...(region.ok ?? []));
  }
  return out;
}

function laterDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** Both sides changed one answer: merge it field by field. */
function mergeAnswerFields(base: Answer | undefined, ours: Answer, theirs: Answer): Merged<Answer> {
  const status = scalar3(base?.status, ours.status, theirs.status);
  const rating = scalar3(base?.rating, ours.rating, theirs.rating);
  const carried = scalar3(base?.carried, ours.carried, theirs.carried);
  const text = mergeLines(base?.text, ours.text, theirs.text);
  const needs = mergeLines(base?.needs, ours.needs, theirs.needs);
  const evidence = mergeLines(base?.evidence, ours.evidence, theirs.evidence);
  if ([status, rating, carried, text, needs, evidence].includes(CONFLICT)) return CONFLICT;
  const out: Record<string, unknown> = { status };
  if (text !== undefined) out.text = text;
  if (needs !== undefined) out.needs = needs;
  if (rating !== undefined) out.rating = rating;
  if (evidence !== undefined) out.evidence = evidence;
  if (carried !== undefined) out.carried = carried;
  out.changed = laterDate(ours.changed, theirs.changed);
  return out as unknown as Answer;
}

export function mergeAnswer(
  base: Answer | undefined,
  ours: Answer | undefined,
  theirs: Answer | undefined,
): Merged<Answer | undefined> {
  const b = answerFingerprint(base);
  const o = answerFingerprint(ours);
  const t = answerFingerprint(theirs);
  if (o === t)
    return ours && theirs && sameAnswer(ours, theirs)
      ? { ...ours, changed: laterDate(ours.changed, theirs.changed) }
      : ours;
  if (t === b) return ours;
  if (o === b) return theirs;
  if (!ours || !theirs) return CONFLICT;
  return mergeAnswerFields(base, ours, theirs);
}

function mergeRationale(base: Priority | undefined, ours: Priority, theirs: Priority): Merged<Priority> {
  if (priorityFingerprint(ours) === priorityFingerprint(theirs) || same(theirs.rationale, base?.rationale))
    return ours;
  if (same(ours.rationale, base?.rationale)) return theirs;
  const rationale = mergeLines(base?.rationale, ours.rationale, theirs.rationale);
  if (rationale === CONFLICT) return CONFLICT;
  return rationale === undefined
    ? { recommendation: ours.recommendation }
    : { recommendation: ours.recommendation, rationale };
}

/** Which recommendations are priorities, in order: merged like lines, refusing a repeated one. */
function mergeOrder(base: string[], ours: string[], theirs: string[]): Merged<string[]> {
  const merged = mergeLines(base, ours, theirs);
  if (merged === CONFLICT || merged === undefined) return CONFLICT;
  return new Set(merged).size === merged.length ? merged : CONFLICT;
}

function historyKey(h: ActionHistoryEntry): string {
  return JSON.stringify([h.date, h.status, h.note ?? null]);
}

/** Both sides added history entries after the base's: keep all of them, in date order. */
function mergeHistory(
  base: ActionHistoryEntry[],
  ours: ActionHistoryEntry[],
  theirs: ActionHistoryEntry[],
): Merged<ActionHistoryEntry[]> {
  const simple = scalar3(base, ours, theirs);
  if (simple !== CONFLICT) return simple;
  const prefix = base.map(historyKey);
  const startsWithBase = (h: ActionHistoryEntry[]) =>
    prefix.every((k, i) => h[i] !== undefined && historyKey(h[i]) === k);
  if (!startsWithBase(ours) || !startsWithBase(theirs)) return CONFLICT;
  const added = [...ours.slice(base.length)];
  const seen = new Set(added.map(historyKey));
  for (const h of theirs.slice(base.length)) if (!seen.has(historyKey(h))) added.push(h);
  added.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
  return [...base, ...added];
}

function mergeActionFields(base: Action | undefined, ours: Action, theirs: Action): Merged<Action> {
  const fields = {
    title: scalar3(base?.title, ours.title, theirs.title),
    owner: scalar3(base?.owner, ours.owner, theirs.owner),
    due: scalar3(base?.due, ours.due, theirs.due),
    status: scalar3(base?.status, ours.status, theirs.status),
    tags: mergeLines(base?.tags, ours.tags, theirs.tags),
    notes: mergeLines(base?.notes, ours.notes, theirs.notes),
    history: mergeHistory(base?.history ?? [], ours.history, theirs.history),
    opened: scalar3(base?.opened, ours.opened, theirs.opened),
  };
  if (Object.values(fields).includes(CONFLICT)) return CONFLICT;
  const o: Record<string, unknown> = { id: ours.id, title: fields.title };
  if (fields.owner !== undefined) o.owner = fields.owner;
  if (fields.due !== undefined) o.due = fields.due;
  o.status = fields.status;
  o.tags = fields.tags ?? [];
  if (fields.notes !== undefined) o.notes = fields.notes;
  o.history = fields.history;
  o.opened = fields.opened;
  return o as unknown as Action;
}

function mergeAction(
  base: Action | undefined,
  ours: Action | undefined,
  theirs: Action | undefined,
): Merged<Action | undefined> {
  const b = actionFingerprint(base);
  const o = actionFingerprint(ours);
  const t = actionFingerprint(theirs);
  if (o === t || t === b) return ours;
  if (o === b) return theirs;
  if (!ours || !theirs) return CONFLICT;
  return mergeActionFields(base, ours, theirs);
}

function get<T>(record: Record<string, T>, id: string): T | undefined {
  return Object.hasOwn(record, id) ? record[id] : undefined;
}

function mergeAnswers(
  base: CycleFile,
  ours: CycleFile,
  theirs: CycleFile,
  next: CycleFile,
  conflicts: Conflict[],
): void {
  // one order whichever side is ours, so that the merge is symmetric (serializing restores bank order)
  const ids = [
    ...new Set([...Object.keys(ours.answers), ...Object.keys(theirs.answers), ...Object.keys(base.answers)]),
  ].sort();
  const answers: Record<string, Answer> = {};
  for (const id of ids) {
    const o = get(ours.answers, id);
    const t = get(theirs.answers, id);
    const merged = mergeAnswer(get(base.answers, id), o, t);
    const value = merged === CONFLICT ? o : merged;
    if (merged === CONFLICT)
      conflicts.push({
        kind: 'answer',
        key: `answer:${id}`,
        id,
        ours: o,
        theirs: t,
        base: get(base.answers, id),
      });
    if (value !== undefined) answers[id] = structuredClone(value);
  }
  next.answers = answers;
}

function mergePriorities(
  base: CycleFile,
  ours: CycleFile,
  theirs: CycleFile,
  next: CycleFile,
  conflicts: Conflict[],
): void {
  const ids = (c: CycleFile) => c.priorities.map((p) => p.recommendation);
  let order = mergeOrder(ids(base), ids(ours), ids(theirs));
  if (order === CONFLICT) {
    conflicts.push({
      kind: 'priorities',
      key: 'priorities:order',
      id: 'order',
      ours: ours.priorities,
      theirs: theirs.priorities,
      base: base.priorities,
    });
    order = ids(ours);
  }
  const find = (c: CycleFile, id: string) => c.priorities.find((p) => p.recommendation === id);
  next.priorities = order.map((id) => {
    const o = find(ours, id);
    const t = find(theirs, id);
    if (!o || !t) return structuredClone((o ?? t) as Priority);
    const b = find(base, id);
    const merged = mergeRationale(b, o, t);
    if (merged !== CONFLICT) return structuredClone(merged);
    conflicts.push({ kind: 'priority', key: `priority:${id}`, id, ours: o, theirs: t, base: b });
    return structuredClone(o);
  });
}

function mergeActions(
  base: CycleFile,
  ours: CycleFile,
  theirs: CycleFile,
  next: CycleFile,
  conflicts: Conflict[],
): void {
  // our order, then their new ones; conflicts in id order, the same whichever side is ours
  const ids = [...new Set([...ours.actions, ...theirs.actions, ...base.actions].map((a) => a.id))];
  const before = conflicts.length;
  const find = (c: CycleFile, id: string) => c.actions.find((a) => a.id === id);
  const actions: Action[] = [];
  for (const id of ids) {
    const o = find(ours, id);
    const t = find(theirs, id);
    const merged = mergeAction(find(base, id), o, t);
    if (merged === CONFLICT)
      conflicts.push({ kind: 'action', key: `action:${id}`, id, ours: o, theirs: t, base: find(base, id) });
    const value = merged === CONFLICT ? o : merged;
    if (value !== undefined) actions.push(structuredClone(value));
  }
  next.actions = actions;
  const mine = conflicts.splice(before).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  conflicts.push(...mine);
}

/**
 * The merge of `ours` and `theirs` against `base` (an empty cycle when the file is new on both
 * sides). The result keeps our version of every conflicting item; `conflicts` lists them.
 */
export function mergeCycles(base: CycleFile, ours: CycleFile, theirs: CycleFile): CycleMergeResult {
  const next = structuredClone(ours);
  const conflicts: Conflict[] = [];
  for (const key of ['authority', 'from'] as const) {
    const merged = scalar3(base[key], ours[key], theirs[key]);
    if (merged !== CONFLICT) {
      if (merged === undefined) delete next[key];
      else next[key] = merged;
    }
  }
  mergeAnswers(base, ours, theirs, next, conflicts);
  mergePriorities(base, ours, theirs, next, conflicts);
  mergeActions(base, ours, theirs, next, conflicts);
  return { cycle: next, conflicts };
}

/**
 * A stand-in base for two versions whose real base is unknown (a merge done without the driver and
 * no index stage to read it from): an item the two agree on is its own base; an item only one side
 * has was added there; an item they disagree on gets a base unlike either, so it is a conflict.
 * Nothing is removed and nothing is overwritten without a person deciding.
 */
export function unknownBase(ours: CycleFile, theirs: CycleFile): CycleFile {
  const base: CycleFile = { ...structuredClone(ours), answers: {}, priorities: [], actions: [] };
  // every field unlike either side's, so that no field of a disputed item is taken silently
  const NONE = '\u0000';
  const unlike = (): Answer =>
    ({
      status: NONE,
      text: [NONE],
      needs: [NONE],
      rating: NONE,
      evidence: [NONE],
      carried: NONE,
      changed: '',
    }) as unknown as Answer;
  for (const [id, a] of Object.entries(ours.answers)) {
    const b = get(theirs.answers, id);
    if (b === undefined) continue;
    base.answers[id] = answerFingerprint(a) === answerFingerprint(b) ? structuredClone(a) : unlike();
  }
  const sameOrder = same(
    ours.priorities.map((p) => p.recommendation),
    theirs.priorities.map((p) => p.recommendation),
  );
  base.priorities = sameOrder
    ? ours.priorities.map((p) => {
        const t = theirs.priorities.find((q) => q.recommendation === p.recommendation);
        return same(p.rationale, t?.rationale) ? structuredClone(p) : { ...p, rationale: [NONE] };
      })
    : [{ recommendation: NONE }];
  for (const a of ours.actions) {
    const t = theirs.actions.find((x) => x.id === a.id);
    if (t === undefined) continue;
    base.actions.push(
      actionFingerprint(a) === actionFingerprint(t)
        ? structuredClone(a)
        : ({
            id: a.id,
            title: NONE,
            owner: NONE,
            due: NONE,
            status: NONE,
            tags: [NONE],
            notes: [NONE],
            history: [{ date: NONE, status: NONE }],
            opened: NONE,
          } as unknown as Action),
    );
  }
  return base;
}
