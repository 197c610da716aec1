/**
 * Cycle files: creating, changing and serialising them so that `git diff` stays small.
 *
 * Pure: no fs, no clock (callers pass `today`).
 */
import { answerableItems, currentItemId, findItem, flattenBank } from './bank.ts';
import { type Problem, UsageError } from './errors.ts';
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

const RESERVED = new Set([
  'con',
  'prn',
  'aux',
  'nul',
  'com1',
  'com2',
  'com3',
  'com4',
  'lpt1',
  'lpt2',
  'lpt3',
]);

/** Cycle ids name files, so they are short and path-safe: letters, digits, `-` and `_`. */
export function isValidCycleId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(id) && !RESERVED.has(id.toLowerCase());
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
  'a cycle id is 1–64 letters, digits, "-" or "_", starting with a letter or digit (e.g. 2025-26, 2026-q1)';

/** Throw a usage error that explains the rule when `id` cannot name a cycle. */
export function assertCycleId(id: string): void {
  if (!isValidCycleId(id)) {
    throw new UsageError(`"${id}" cannot be used as a cycle id: ${CYCLE_ID_RULE}.`);
  }
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

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Where a JSON syntax error is: Node's messages carry "position N" or "line L column C". */
export function jsonErrorPosition(
  text: string,
  message: string,
): { line: number; column: number } | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  if (pos) return positionOf(text, Number(pos[1]));
  if (/Unexpected end of JSON input/.test(message)) return positionOf(text, text.length);
  const offset = unexpectedTokenOffset(text, message);
  return offset === undefined ? undefined : positionOf(text, offset);
}

/** V8 quotes this many characters either side of an unexpected token instead of giving its position. */
const V8_JSON_CONTEXT = 10;

/**
 * The offset of the token in V8's `Unexpected token 'x', "…context…" is not valid JSON`, which has
 * no position: the quoted context is the whole text (short texts), its start, its end, or the
 * characters either side of the token (`V8_JSON_CONTEXT` each), marked by the "..." it has.
 */
function unexpectedTokenOffset(text: string, message: string): number | undefined {
  const m = /^Unexpected token '([\s\S])', (\.{3})?"([\s\S]*)"(\.{3})? is not valid JSON/.exec(message);
  if (!m) return undefined;
  const token = m[1] as string;
  const before = m[2];
  const context = m[3] as string;
  const after = m[4];
  if (before === undefined && after === undefined) {
    // the whole text (a short one): its first such character
    const at = text.indexOf(token);
    return at === -1 ? undefined : at;
  }
  const at = text.indexOf(context);
  if (at === -1) return undefined;
  if (before === undefined) return context.length - V8_JSON_CONTEXT;
  if (after === undefined) return text.length - context.length + V8_JSON_CONTEXT;
  return at + V8_JSON_CONTEXT;
}

/**
 * Find the position of a JSON pointer path (`/answers/assess.x/text/2`) in JSON text, by a small
 * scanner that tracks the path of every value. Used only to place error messages.
 */
export function locateJsonPath(
  text: string,
  path: readonly (string | number)[],
): { line: number; column: number } | undefined {
  const target = path.map(String);
  // compared element by element, and only at the right depth: joining the path at every value made
  // locating a problem in a large file slow
  const atTarget = () => stack.length === target.length && stack.every((p, k) => String(p) === target[k]);
  let i = 0;
  const stack: (string | number)[] = [];
  let found: number | undefined;
  const ws = () => {
    let c = text.charCodeAt(i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return '';
    }
  };
  const value = (): void => {
    if (found !== undefined) return; // found: the rest of the scan is not needed
    ws();
    if (atTarget()) found = i;
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      while (i < text.length) {
        ws();
        const key = str();
        ws();
        i++; // colon
        stack.push(key);
        value();
        stack.pop();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++;
        return;
      }
    } else if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      let n = 0;
      while (i < text.length) {
        stack.push(n++);
        value();
        stack.pop();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        i++;
        return;
      }
    } else if (ch === '"') {
      str();
    } else {
      while (i < text.length && !/[,\]}\s]/.test(text[i] as string)) i++;
    }
  };
  try {
    value();
  } catch {
    return undefined;
  }
  return found === undefined ? undefined : positionOf(text, found);
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper JSON than this is refused: a cycle file is five levels deep, and it protects the parser. */
export const MAX_JSON_DEPTH = 32;

export interface JsonKeyScan {
  /** Offset of the first bracket opening a level deeper than the limit. */
  tooDeepAt?: number;
  /** Keys that appear twice in one object (JSON.parse would silently keep only the last). */
  duplicates: { key: string; offset: number; firstOffset: number }[];
  /** Keys that could pollute prototypes. */
  forbidden: { key: string; offset: number }[];
}

/**
 * One pass over JSON text, without recursion (so hostile nesting cannot overflow the stack): how
 * deep it goes, and keys that are repeated or forbidden, with their offsets. Tolerates invalid JSON.
 */
export function scanJsonKeys(text: string, maxDepth = MAX_JSON_DEPTH): JsonKeyScan {
  const result: JsonKeyScan = { duplicates: [], forbidden: [] };
  // one entry per open bracket: the keys seen so far for an object, undefined for an array
  const stack: (Map<string, number> | undefined)[] = [];
  let expectKey = false;
  const n = text.length;
  // Most of a cycle file is text inside strings and indentation between tokens. A regular expression
  // finds the next bracket, comma or quote, and indexOf the end of each string (both at native
  // speed), so this loop runs once per token rather than once per character.
  const token = /[{}[\],"]/g;
  for (let m = token.exec(text); m !== null; m = token.exec(text)) {
    const at = m.index;
    const c = text.charCodeAt(at);
    if (c === 34) {
      // the closing quote: the next one not escaped (preceded by an even number of backslashes)
      let end = text.indexOf('"', at + 1);
      while (end !== -1) {
        let backslashes = 0;
        for (let k = end - 1; text.charCodeAt(k) === 92; k--) backslashes++;
        if (backslashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end === -1) end = n; // unterminated: the rest of the text is the string
      const top = stack[stack.length - 1];
      if (top && expectKey) {
        let key = text.slice(at + 1, end);
        if (key.includes('\\')) {
          try {
            key = JSON.parse(text.slice(at, end + 1)) as string;
          } catch {
            // an invalid escape: keep the raw text (JSON.parse reports the file anyway)
          }
        }
        if (FORBIDDEN_KEYS.has(key)) result.forbidden.push({ key, offset: at });
        const first = top.get(key);
        if (first !== undefined) result.duplicates.push({ key, offset: at, firstOffset: first });
        else top.set(key, at);
        expectKey = false;
      }
      if (end >= n) break;
      token.lastIndex = end + 1;
    } else if (c === 123 || c === 91) {
      stack.push(c === 123 ? new Map() : undefined);
      expectKey = c === 123;
      if (stack.length > maxDepth) {
        result.tooDeepAt = at;
        return result;
      }
    } else if (c === 125 || c === 93) {
      stack.pop();
      expectKey = false;
    } else {
      expectKey = stack[stack.length - 1] !== undefined && stack.length > 0;
    }
  }
  return result;
}

/** Parse JSON refusing keys that could pollute prototypes, repeated keys, and hostile nesting. */
export function parseJsonSafely(text: string, file: string): { value?: unknown; problems: Problem[] } {
  const problems: Problem[] = [];
  // JSON.parse with a reviver recurses once per level, and so does locateJsonPath: refuse hostile
  // nesting before either can overflow the stack
  const scan = scanJsonKeys(text, MAX_JSON_DEPTH);
  if (scan.tooDeepAt !== undefined) {
    problems.push({
      file,
      ...positionOf(text, scan.tooDeepAt),
      message: `nested more than ${MAX_JSON_DEPTH} levels deep, which no cycle file is. Restore it from git or a backup; nothing was written over it.`,
    });
    return { problems };
  }
  let value: unknown;
  try {
    // A reviver makes JSON.parse several times slower, so it runs only when the scan (which sees
    // every key) found a forbidden one: dropped here as well as reported below, so the parsed value
    // never carries it.
    value =
      scan.forbidden.length === 0
        ? JSON.parse(text)
        : JSON.parse(text, function reviver(key, v) {
            if (FORBIDDEN_KEYS.has(key)) return undefined;
            return v;
          });
  } catch (error) {
    const message = (error as Error).message;
    const pos = jsonErrorPosition(text, message);
    const posMatch = /position (\d+)/.exec(message);
    const atEnd = posMatch !== null && Number(posMatch[1]) >= text.trimEnd().length;
    const friendly =
      atEnd || /Unexpected end of JSON input|Unterminated/.test(message)
        ? 'the file ends too early (is it truncated?)'
        : message.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/, '');
    problems.push({
      file,
      ...(pos ?? {}),
      message: `not valid JSON: ${friendly}. Restore it from git or a backup; nothing was written over it.`,
    });
    return { problems };
  }
  for (const f of scan.forbidden) {
    problems.push({
      file,
      ...positionOf(text, f.offset),
      message: `the key "${f.key}" is not allowed in a cycle file; remove it`,
    });
  }
  for (const d of scan.duplicates) {
    const first = positionOf(text, d.firstOffset);
    problems.push({
      file,
      ...positionOf(text, d.offset),
      message: `the key "${d.key}" appears twice in the same object (first on line ${first.line}); keep only one (after a merge, choose which one to keep)`,
    });
  }
  return { value, problems };
}

/** Is this item id one the bank knows (directly or through `renamed`)? */
export function isKnownItem(bank: Bank, id: string): boolean {
  return findItem(bank, id) !== undefined;
}

/** Answerable item ids of a bank, in order. */
export function answerableIds(bank: Bank): string[] {
  return answerableItems(bank).map((i) => i.id);
}
