/**
 * A conflict shown to a person: both versions side by side (or one after the other for a screen
 * reader or a narrow terminal). Pure: returns text; the caller prints it.
 */
import { findItem } from './bank.ts';
import { formatUkDate } from './dates.ts';
import { sanitizeInline } from './sanitize.ts';
import type { Conflict } from './three-way.ts';
import type { Action, Answer, Bank, Priority } from './types.ts';
import { wrapText } from './wrap.ts';

/** What each side is called: `{ ours: 'In the cycle now', theirs: 'In the report' }`. */
export interface SideLabels {
  ours: string;
  theirs: string;
}

export interface RenderConflictOptions {
  labels: SideLabels;
  /** Terminal width; side by side needs at least 60 columns. */
  width: number;
  /** One version after the other (screen readers, `--plain`). */
  linear: boolean;
}

const MIN_SIDE_BY_SIDE = 60;

function block(label: string, lines: readonly string[] | undefined): string[] {
  if (lines === undefined) return [];
  return [label, ...(lines.length === 0 ? ['  (empty)'] : lines.map((l) => `  ${sanitizeInline(l)}`))];
}

function answerLines(answer: Answer | undefined): string[] {
  if (!answer) return ['(no answer)'];
  const head = [`Status: ${answer.status}`];
  if (answer.rating !== undefined) head.push(`Rating: ${answer.rating}`);
  const out = [head.join(', ')];
  if (answer.carried !== undefined) out.push(`Carried forward from ${sanitizeInline(answer.carried)}`);
  out.push(...block('Answer:', answer.text), ...block('Data needed:', answer.needs));
  out.push(...block('Evidence:', answer.evidence));
  return out;
}

function priorityLines(priority: Priority): string[] {
  return priority.rationale === undefined ? ['(no rationale)'] : block('Rationale:', priority.rationale);
}

function actionLines(action: Action | undefined): string[] {
  if (!action) return ['(no such action)'];
  const out = [`Title: ${sanitizeInline(action.title)}`, `Status: ${action.status}`];
  if (action.owner !== undefined) out.push(`Owner: ${sanitizeInline(action.owner)}`);
  if (action.due !== undefined) out.push(`Due: ${formatUkDate(action.due)}`);
  if (action.tags.length > 0) out.push(`Tags: ${action.tags.map(sanitizeInline).join(', ')}`);
  out.push(...block('Notes:', action.notes));
  for (const h of action.history)
    out.push(`${formatUkDate(h.date)}: ${h.status}${h.note ? ` — ${sanitizeInline(h.note)}` : ''}`);
  return out;
}

/** Each side of a conflict as lines of plain text (unwrapped, made safe for a terminal). */
export function conflictSides(conflict: Conflict): { ours: string[]; theirs: string[] } {
  switch (conflict.kind) {
    case 'answer':
      return { ours: answerLines(conflict.ours), theirs: answerLines(conflict.theirs) };
    case 'priority':
      return { ours: priorityLines(conflict.ours), theirs: priorityLines(conflict.theirs) };
    case 'priorities': {
      const list = (ps: Priority[]) =>
        ps.length === 0
          ? ['(no priorities)']
          : ps.map((p, i) => `${i + 1}. ${sanitizeInline(p.recommendation)}`);
      return { ours: list(conflict.ours), theirs: list(conflict.theirs) };
    }
    case 'action':
      return { ours: actionLines(conflict.ours), theirs: actionLines(conflict.theirs) };
  }
}

/** What the conflict is about, in words: `Answer to assess.carers.count: "How many kinship carers…"`. */
export function conflictTitle(bank: Bank, conflict: Conflict): string {
  switch (conflict.kind) {
    case 'answer': {
      const item = findItem(bank, conflict.id);
      const text = item
        ? `: ${sanitizeInline(item.text.replace(/\s+/g, ' ').trim())}`
        : ' (no longer in the question bank)';
      return `Answer to ${sanitizeInline(conflict.id)}${text}`;
    }
    case 'priority':
      return `Rationale of priority ${sanitizeInline(conflict.id)}`;
    case 'priorities':
      return 'The list of priority Recommendations';
    case 'action':
      return `Action ${sanitizeInline(conflict.id)}`;
  }
}

/** Lines cut to `width` characters: wrapped at spaces, then long words broken. */
function fitColumn(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    for (const wrapped of wrapText(line, width).split('\n')) {
      const chars = [...wrapped];
      if (chars.length === 0) out.push('');
      for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(''));
    }
  }
  return out;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

/**
 * Both sides of `conflict` under its title: in two columns when the terminal is wide enough and
 * `linear` is off, else one after the other. Ends with a newline.
 */
export function renderConflict(bank: Bank, conflict: Conflict, opts: RenderConflictOptions): string {
  const { ours, theirs } = conflictSides(conflict);
  const title = wrapText(conflictTitle(bank, conflict), Math.max(20, opts.width));
  if (opts.linear || opts.width < MIN_SIDE_BY_SIDE) {
    const indent = (ls: string[]) =>
      fitColumn(ls, Math.max(20, opts.width - 2)).map((l) => `  ${l}`.trimEnd());
    return [
      title,
      `${opts.labels.ours}:`,
      ...indent(ours),
      `${opts.labels.theirs}:`,
      ...indent(theirs),
      '',
    ].join('\n');
  }
  const col = Math.floor((opts.width - 3) / 2);
  const left = fitColumn([opts.labels.ours, '─'.repeat(col), ...ours], col);
  const right = fitColumn([opts.labels.theirs, '─'.repeat(col), ...theirs], col);
  const rows: string[] = [title];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    rows.push(`${pad(left[i] ?? '', col)} │ ${right[i] ?? ''}`.trimEnd());
  }
  return `${rows.join('\n')}\n`;
}
