/**
 * A cycle diff for people: terminal text (colour optional, meaning always in words and +/- signs)
 * and Markdown (lint-clean, for committing as a "what changed" note). JSON is the diff object.
 *
 * Pure: colours come in as functions; with identity functions the text is plain. Untrusted text
 * (answers, titles) goes through `safe` for the terminal and through `markdown.ts` for Markdown.
 */
import { formatUkDate } from './dates.ts';
import type { CycleDiff, DiffRow, ItemDiff, WordPart } from './diff.ts';
import { escapeDisplay, escapeInline, fencedBlock } from './markdown.ts';

export interface DiffTheme {
  added(text: string): string;
  removed(text: string): string;
  /** Marks the changed words inside a changed line. */
  addedWord(text: string): string;
  removedWord(text: string): string;
  heading(text: string): string;
  dim(text: string): string;
  /** Makes untrusted text safe for the terminal (control characters escaped). */
  safe(text: string): string;
}

const identity = (t: string) => t;

export const PLAIN_DIFF_THEME: DiffTheme = {
  added: identity,
  removed: identity,
  addedWord: identity,
  removedWord: identity,
  heading: identity,
  dim: identity,
  safe: identity,
};

const FIELD_LABELS = { text: 'answer', needs: 'data needed', evidence: 'evidence' } as const;

function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** The counts line: "3 answers added, 1 changed, …" — only non-zero parts, or "no differences". */
export function summarizeCounts(diff: CycleDiff): string {
  const c = diff.counts;
  const parts: string[] = [];
  if (c.added) parts.push(`${plural(c.added, 'answer')} added`);
  if (c.changed) parts.push(`${plural(c.changed, 'answer')} changed`);
  if (c.removed) parts.push(`${plural(c.removed, 'answer')} removed`);
  if (c.statusMoves) parts.push(`${plural(c.statusMoves, 'status', 'statuses')} moved`);
  if (c.ratingMoves) parts.push(`${plural(c.ratingMoves, 'rating')} moved`);
  if (c.prioritiesAdded) parts.push(`${plural(c.prioritiesAdded, 'priority', 'priorities')} added`);
  if (c.prioritiesRemoved) parts.push(`${plural(c.prioritiesRemoved, 'priority', 'priorities')} removed`);
  if (c.prioritiesReordered) parts.push('priorities reordered');
  if (c.actionsOpened) parts.push(`${plural(c.actionsOpened, 'action')} opened`);
  if (c.actionsClosed) parts.push(`${plural(c.actionsClosed, 'action')} closed`);
  if (c.actionsUpdated) parts.push(`${plural(c.actionsUpdated, 'action')} updated`);
  if (c.actionsRemoved) parts.push(`${plural(c.actionsRemoved, 'action')} removed`);
  if (c.actionsOverdue) parts.push(`${plural(c.actionsOverdue, 'action')} overdue`);
  if (!diff.hasDifferences && parts.length === 0) return 'no differences';
  if (!diff.hasDifferences) return `no differences (${parts.join(', ')})`;
  return parts.length > 0 ? parts.join(', ') : 'other changes';
}

function words(
  parts: WordPart[] | undefined,
  line: string,
  mark: (t: string) => string,
  safe: (t: string) => string,
): string {
  if (!parts) return safe(line);
  return parts.map((p) => (p.op === '=' ? safe(p.text) : mark(safe(p.text)))).join('');
}

function textRows(rows: DiffRow[], t: DiffTheme, indent: string): string[] {
  return rows.map((r) => {
    if (r.op === '…') return t.dim(`${indent}  … ${plural(r.skipped, 'unchanged line')}`);
    if (r.op === '+') return t.added(`${indent}+ ${words(r.words, r.line, t.addedWord, t.safe)}`);
    if (r.op === '-') return t.removed(`${indent}- ${words(r.words, r.line, t.removedWord, t.safe)}`);
    return `${indent}  ${t.safe(r.line)}`;
  });
}

function moveText(move: { from?: string; to?: string } | undefined, what: string): string | undefined {
  if (!move) return undefined;
  return `${what}: ${move.from ?? 'none'} → ${move.to ?? 'none'}`;
}

function itemText(d: ItemDiff, t: DiffTheme): string[] {
  const label =
    d.change === 'added' ? t.added('added:') : d.change === 'removed' ? t.removed('removed:') : 'changed:';
  const out = [`  ${label} ${t.safe(d.id)}${d.text ? ` — ${t.safe(d.text)}` : ''}`];
  const moves = [moveText(d.status, 'status'), moveText(d.rating, 'rating')].filter(
    (m): m is string => m !== undefined,
  );
  if (d.carried) moves.push('carried forward, not yet confirmed');
  if (moves.length > 0) out.push(`    ${moves.join('; ')}`);
  for (const f of d.fields) {
    out.push(`    ${FIELD_LABELS[f.field]}:`);
    out.push(...textRows(f.rows, t, '    '));
  }
  return out;
}

/** The diff as terminal text; every line ends with LF. */
export function renderDiffText(diff: CycleDiff, theme: DiffTheme = PLAIN_DIFF_THEME): string {
  const t = theme;
  const out: string[] = [
    t.heading(
      `Changes from ${t.safe(diff.from)} to ${t.safe(diff.to)}${diff.tag ? ` (only ${t.safe(diff.tag)})` : ''}`,
    ),
  ];
  out.push(summarizeCounts(diff));
  for (const stage of diff.stages) {
    out.push('', t.heading(`${t.safe(stage.title)} (${plural(stage.items.length, 'item')})`));
    for (const d of stage.items) out.push(...itemText(d, t));
  }
  const p = diff.priorities;
  if (p.added.length || p.removed.length || p.reordered || p.rationaleChanged.length) {
    out.push('', t.heading('Priorities'));
    for (const r of p.added) out.push(t.added(`  added: ${t.safe(r)}`));
    for (const r of p.removed) out.push(t.removed(`  removed: ${t.safe(r)}`));
    if (p.reordered)
      out.push(`  reordered: ${p.from.map(t.safe).join(', ')} → ${p.to.map(t.safe).join(', ')}`);
    for (const r of p.rationaleChanged) out.push(`  rationale changed: ${t.safe(r)}`);
  }
  const a = diff.actions;
  if (
    a.opened.length ||
    a.closed.length ||
    a.overdue.length ||
    a.removed.length ||
    a.updated.length ||
    a.finishedBefore.length
  ) {
    out.push('', t.heading('Actions'));
    const ref = (x: { id: string; title: string }) => `${t.safe(x.id)} ${t.safe(x.title)}`;
    for (const x of a.opened) out.push(t.added(`  opened: ${ref(x)} (${x.status})`));
    for (const x of a.closed) out.push(`  closed: ${ref(x)} (${x.was ? `${x.was} → ` : ''}${x.status})`);
    for (const x of a.updated)
      out.push(`  updated: ${ref(x)}${x.was !== x.status ? ` (${x.was} → ${x.status})` : ''}`);
    for (const x of a.removed) out.push(t.removed(`  removed (was still open): ${ref(x)} (${x.status})`));
    for (const x of a.finishedBefore)
      out.push(t.dim(`  finished earlier, not carried forward: ${ref(x)} (${x.status})`));
    for (const x of a.overdue)
      out.push(t.removed(`  overdue: ${ref(x)} (due ${formatUkDate(x.due ?? '')}, ${x.status})`));
  }
  return `${out.join('\n')}\n`;
}

function diffBlock(rows: DiffRow[]): string[] {
  const lines = rows.map((r) =>
    r.op === '…' ? `@@ ${plural(r.skipped, 'unchanged line')} @@` : `${r.op} ${r.line}`,
  );
  return fencedBlock(lines, 'diff');
}

/** The diff as Markdown (passes markdownlint with the committed config); LF, final newline. */
export function renderDiffMarkdown(diff: CycleDiff): string {
  const out: string[] = [
    `# Changes from ${escapeInline(diff.from)} to ${escapeInline(diff.to)}${diff.tag ? ` (only ${escapeInline(diff.tag)})` : ''}`.trimEnd(),
    '',
    `${escapeInline(summarizeCounts(diff))}.`,
  ];
  for (const stage of diff.stages) {
    out.push('', `## ${escapeDisplay(stage.title) || 'Items'}`);
    for (const d of stage.items) {
      out.push('', `- **${d.change}:** ${escapeInline(d.id)}${d.text ? ` — ${escapeDisplay(d.text)}` : ''}`);
      const moves = [moveText(d.status, 'status'), moveText(d.rating, 'rating')].filter(
        (m): m is string => m !== undefined,
      );
      if (d.carried) moves.push('carried forward, not yet confirmed');
      if (moves.length > 0) out.push(`  - ${escapeInline(moves.join('; '))}`);
      for (const f of d.fields) {
        out.push('', `  ${FIELD_LABELS[f.field]}:`, '', ...diffBlock(f.rows).map((l) => `  ${l}`));
      }
    }
  }
  const p = diff.priorities;
  if (p.added.length || p.removed.length || p.reordered || p.rationaleChanged.length) {
    out.push('', '## Priorities', '');
    for (const r of p.added) out.push(`- added: ${escapeInline(r)}`.trimEnd());
    for (const r of p.removed) out.push(`- removed: ${escapeInline(r)}`.trimEnd());
    if (p.reordered)
      out.push(`- reordered: ${p.from.map(escapeInline).join(', ')} → ${p.to.map(escapeInline).join(', ')}`);
    for (const r of p.rationaleChanged) out.push(`- rationale changed: ${escapeInline(r)}`.trimEnd());
  }
  const a = diff.actions;
  if (
    a.opened.length ||
    a.closed.length ||
    a.overdue.length ||
    a.removed.length ||
    a.updated.length ||
    a.finishedBefore.length
  ) {
    out.push('', '## Actions', '');
    const ref = (x: { id: string; title: string }) =>
      `${escapeInline(x.id)} ${escapeInline(x.title)}`.trimEnd();
    for (const x of a.opened) out.push(`- opened: ${ref(x)} (${x.status})`);
    for (const x of a.closed) out.push(`- closed: ${ref(x)} (${x.was ? `${x.was} → ` : ''}${x.status})`);
    for (const x of a.updated)
      out.push(`- updated: ${ref(x)}${x.was !== x.status ? ` (${x.was} → ${x.status})` : ''}`);
    for (const x of a.removed) out.push(`- removed (was still open): ${ref(x)} (${x.status})`);
    for (const x of a.finishedBefore)
      out.push(`- finished earlier, not carried forward: ${ref(x)} (${x.status})`);
    for (const x of a.overdue)
      out.push(`- overdue: ${ref(x)} (due ${escapeInline(formatUkDate(x.due ?? ''))}, ${x.status})`);
  }
  return `${out.join('\n')}\n`;
}
