/**
 * Cycle files: creating, changing and serialising them so that `git diff` stays small.
 *
 * Pure: no fs, no clock (callers pass `today`).
 */
import { answerableItems, currentItemId, findItem, flattenBank } from './bank.ts';
import { UsageError } from './errors.ts';
import {
  type Action,
  type Answer,
  type AnswerStatus,
  type Bank,
  CHECKLIST_STATUSES,
  CYCLE_FORMAT,
  type CycleFile,
  type FlatItem,
  QUESTION_STATUSES,
} from './types.ts';

// Windows gives these names to devices in every folder, with any extension and in any case: a file
// called COM9.json cannot be created there, so such a cycle could not be shared with Windows users.
const WINDOWS_DEVICE = /^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** Cycle ids name files, so they are short and path-safe: letters, digits, `-` and `_`. */
export function isValidCycleId(id: string): boolean {
  return cycleIdProblem(id) === undefined;
}

/** Why `id` cannot name a cycle, or undefined when it can. */
export function cycleIdProblem(id: string): string | undefined {
  const stem = id.split('.')[0] ?? id;
  if (WINDOWS_DEVICE.test(stem)) {
    return `"${id}" is the name of a Windows device (${stem.toUpperCase()}), and Windows cannot store a file of that name; choose another id, such as 2026-27`;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(id))
    return `"${id}" cannot be used as a cycle id: ${CYCLE_ID_RULE}`;
  return undefined;
}

/**
 * Natural order of cycle ids: `2025-26` < `2026-27`, `2026-q2` < `2026-q10`, case ignored (ties
 * broken by plain order so the sort is total). Hand-written because the first `localeCompare` with
 * options builds an ICU collator, which costs more than the rest of `status`.
 */
export function compareCycleIds(a: string, b: string): number {
  const pa = a.toLowerCase().match(/\d+|\D+/g) ?? [];
  const pb = b.toLowerCase().match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d < 0 ? -1 : 1;
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
    }
    return x < y ? -1 : 1;
  }
  if (pa.length !== pb.length) return pa.length < pb.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export const CYCLE_ID_RULE =
  'a cycle id is 1–64 letters, digits, "-" or "_", starting with a letter or digit, with no dots or spaces, and not a Windows device name such as CON or COM1 (e.g. 2025-26, 2026-q1)';

/** Throw a usage error that explains the rule when `id` cannot name a cycle. */
export function assertCycleId(id: string): void {
  const problem = cycleIdProblem(id);
  if (problem) throw new UsageError(`${problem}.`);
}

/**
 * The largest answer the tool takes from a person (per text: the answer, what data is needed, the
 * evidence): stated in the README. Reflections are counts, shares and themes; anything longer is a
 * paste of a document, and the place for that is a link to it.
 */
export const MAX_ANSWER_LINES = 2000;
export const MAX_ANSWER_BYTES = 128 * 1024;

/** Why stored lines are too long to be one answer, or undefined. `what` names them (`the answer`). */
export function answerSizeProblem(lines: readonly string[], what: string): string | undefined {
  let bytes = 0;
  for (const line of lines) bytes += Buffer.byteLength(line, 'utf8') + 1;
  if (lines.length <= MAX_ANSWER_LINES && bytes <= MAX_ANSWER_BYTES) return undefined;
  const size =
    lines.length > MAX_ANSWER_LINES
      ? `${lines.length.toLocaleString('en-GB')} lines`
      : `${Math.ceil(bytes / 1024).toLocaleString('en-GB')} KB`;
  return (
    `${what} is ${size} long; an answer may have at most ${MAX_ANSWER_LINES.toLocaleString('en-GB')} lines and ` +
    `${MAX_ANSWER_BYTES / 1024} KB. Keep it to counts, shares and themes, and link to longer documents`
  );
}

/**
 * Split typed text into stored lines: CRLF and CR become LF, trailing blank lines go, trailing
 * spaces on each line go (they are invisible and only make noisy diffs).
 */
export function textToLines(text: string): string[] {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();
  return lines;
}

export function linesToText(lines: readonly string[] | undefined): string {
  return (lines ?? []).join('\n');
}

export function newCycle(id: string, authority: string, bank: Bank): CycleFile {
  return {
    format: CYCLE_FORMAT,
    cycle: id,
    authority,
    bank: { id: bank.id, version: bank.version },
    priorities: [],
    answers: {},
    actions: [],
  };
}

/** The statuses an item accepts. */
export function statusesFor(item: Pick<FlatItem, 'kind'>): readonly AnswerStatus[] {
  return item.kind === 'checklist' ? CHECKLIST_STATUSES : QUESTION_STATUSES;
}

/** Has the item been dealt with (answered, marked, or given a checklist status) and confirmed? */
export function isDone(answer: Answer | undefined): boolean {
  return answer !== undefined && answer.carried === undefined;
}

function sameStringArray(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Two answers say the same thing (the `changed` date aside). */
export function sameAnswer(a: Answer | undefined, b: Answer | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.status === b.status &&
    a.rating === b.rating &&
    a.carried === b.carried &&
    sameStringArray(a.text, b.text) &&
    sameStringArray(a.needs, b.needs) &&
    sameStringArray(a.evidence, b.evidence)
  );
}

/** An answer with empty optional fields removed, so equal answers serialise identically. */
export function normalizeAnswer(answer: Answer): Answer {
  // keys in the canonical order: status, text, needs, rating, evidence, carried, changed
  const out: Record<string, unknown> = { status: answer.status };
  if (answer.text && answer.text.length > 0) out.text = [...answer.text];
  if (answer.needs && answer.needs.length > 0) out.needs = [...answer.needs];
  if (answer.rating) out.rating = answer.rating;
  if (answer.evidence && answer.evidence.length > 0) out.evidence = [...answer.evidence];
  if (answer.carried !== undefined) out.carried = answer.carried;
  out.changed = answer.changed;
  return out as unknown as Answer;
}

export type AnswerInput = Omit<Answer, 'changed'>;

/**
 * Set an item's answer. The `changed` date moves to `today` only when the answer really changed,
 * so re-confirming an answer unchanged leaves the file byte-identical.
 * Returns true when something changed.
 */
export function setAnswer(cycle: CycleFile, itemId: string, input: AnswerInput, today: string): boolean {
  const previous = cycle.answers[itemId];
  const next = normalizeAnswer({ ...input, changed: today });
  if (previous && sameAnswer(normalizeAnswer(previous), next)) return false;
  cycle.answers[itemId] = next;
  return true;
}

/** Confirm a carried-forward answer as it stands (it becomes this cycle's own). */
export function confirmCarried(cycle: CycleFile, itemId: string, today: string): boolean {
  const a = cycle.answers[itemId];
  if (!a || a.carried === undefined) return false;
  const { carried: _dropped, changed: _c, ...rest } = a;
  return setAnswer(cycle, itemId, rest, today);
}

/**
 * Pre-fill `to` with every answer of `from` that `to` does not have yet, marked as carried forward
 * (unconfirmed) from `from.cycle`. Item ids renamed by the bank are followed. Returns how many were
 * carried.
 */
export function carryForwardAnswers(from: CycleFile, to: CycleFile, bank: Bank): number {
  let n = 0;
  for (const [rawId, answer] of Object.entries(from.answers)) {
    const id = currentItemId(bank, rawId);
    if (!findItem(bank, id) || to.answers[id]) continue;
    const { changed, carried: _c, ...rest } = answer;
    to.answers[id] = normalizeAnswer({ ...rest, carried: from.cycle, changed });
    n++;
  }
  return n;
}

/** Rename answers keyed by ids the bank has since renamed. */
export function applyRenames(cycle: CycleFile, bank: Bank): void {
  if (!bank.renamed) return;
  for (const [oldId, newId] of Object.entries(bank.renamed)) {
    const a = cycle.answers[oldId];
    if (a && !cycle.answers[newId]) {
      cycle.answers[newId] = a;
      delete cycle.answers[oldId];
    }
  }
}

/** Answers to items the bank does not have (kept, never dropped, and reported). */
export function orphanAnswerIds(cycle: CycleFile, bank: Bank): string[] {
  return Object.keys(cycle.answers).filter((id) => !findItem(bank, id));
}

/** An action with its keys in the canonical order: id, title, owner, due, status, tags, notes, history, opened. */
function orderedAction(a: Action): Action {
  const ordered: Record<string, unknown> = { id: a.id, title: a.title };
  if (a.owner !== undefined) ordered.owner = a.owner;
  if (a.due !== undefined) ordered.due = a.due;
  ordered.status = a.status;
  ordered.tags = [...a.tags];
  if (a.notes && a.notes.length > 0) ordered.notes = [...a.notes];
  ordered.history = a.history.map((h) =>
    h.note === undefined ? { date: h.date, status: h.status } : { ...h },
  );
  ordered.opened = a.opened;
  return ordered as unknown as Action;
}

/**
 * The canonical text of a cycle file: keys in a fixed order, answers in bank order (answers to
 * unknown items after them, in their existing order), two-space JSON, LF, final newline.
 * Saving an unchanged cycle gives byte-identical output.
 */
export function serializeCycle(cycle: CycleFile, bank: Bank): string {
  const answers: Record<string, Answer> = {};
  for (const item of flattenBank(bank)) {
    const a = cycle.answers[item.id];
    if (a) answers[item.id] = normalizeAnswer(a);
  }
  for (const [id, a] of Object.entries(cycle.answers)) {
    if (!(id in answers)) answers[id] = normalizeAnswer(a);
  }
  const doc: Record<string, unknown> = {
    format: cycle.format,
    cycle: cycle.cycle,
    authority: cycle.authority,
    bank: { id: cycle.bank.id, version: cycle.bank.version },
  };
  if (cycle.from !== undefined) doc.from = cycle.from;
  doc.priorities = cycle.priorities.map((p) =>
    p.rationale && p.rationale.length > 0
      ? { recommendation: p.recommendation, rationale: [...p.rationale] }
      : { recommendation: p.recommendation },
  );
  doc.answers = answers;
  doc.actions = cycle.actions.map(orderedAction);
  if (cycle.conflicts !== undefined && cycle.conflicts.length > 0) {
    doc.conflicts = cycle.conflicts.map((c) => {
      const o: Record<string, unknown> = { kind: c.kind, id: c.id };
      if (c.ours !== undefined) o.ours = c.ours;
      if (c.theirs !== undefined) o.theirs = c.theirs;
      if (c.base !== undefined) o.base = c.base;
      return o;
    });
  }
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Is this item id one the bank knows (directly or through `renamed`)? */
export function isKnownItem(bank: Bank, id: string): boolean {
  return findItem(bank, id) !== undefined;
}

/** Answerable item ids of a bank, in order. */
export function answerableIds(bank: Bank): string[] {
  return answerableItems(bank).map((i) => i.id);
}
