/**
 * A cycle diff for people: terminal text (colour optional, meaning always in words and +/- signs)
 * and Markdown (lint-clean, for committing as a "what changed" note). JSON is the diff object.
 *
 * Pure: colours come in as functions; with identity functions the text is plain. Untrusted text
 * (answers, titles) goes through `safe` for the terminal and through `markdown.ts` for Markdown.
 */
import { escapeControlCharacters } from './control-chars.ts';
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
    for (const row of textRows(f.rows, t, '    ')) out.push(row);
  }
  return out;
}

/** The diff as terminal text; every line ends with LF. */
type Tone = 'added' | 'removed' | 'plain' | 'dim';

const TONE_STYLE: Record<Tone, (t: DiffTheme) => (text: string) => string> = {
  added: (t) => t.added,
  removed: (t) => t.removed,
  plain: () => (text) => text,
  dim: (t) => t.dim,
};

/**
 * The Priorities and Actions sections as labelled lines, shared by the text and Markdown renderers
 * (which differ only in bullets, colour and escaping: `esc` makes user text safe for the format).
 */
function listSections(
  diff: CycleDiff,
  esc: (text: string) => string,
): [string, { tone: Tone; text: string }[]][] {
  const sections: [string, { tone: Tone; text: string }[]][] = [];
  const p = diff.priorities;
  const priorities: { tone: Tone; text: string }[] = [
    ...p.added.map((r) => ({ tone: 'added' as const, text: `added: ${esc(r)}` })),
    ...p.removed.map((r) => ({ tone: 'removed' as const, text: `removed: ${esc(r)}` })),
    ...(p.reordered
      ? [
          {
            tone: 'plain' as const,
            text: `reordered: ${p.from.map(esc).join(', ')} → ${p.to.map(esc).join(', ')}`,
          },
        ]
      : []),
    ...p.rationaleChanged.map((r) => ({ tone: 'plain' as const, text: `rationale changed: ${esc(r)}` })),
  ];
  if (priorities.length > 0) sections.push(['Priorities', priorities]);
  const a = diff.actions;
  const ref = (x: { id: string; title: string }) => `${esc(x.id)} ${esc(x.title)}`;
  const actions: { tone: Tone; text: string }[] = [
    ...a.opened.map((x) => ({ tone: 'added' as const, text: `opened: ${ref(x)} (${x.status})` })),
    ...a.closed.map((x) => ({
      tone: 'plain' as const,
      text: `closed: ${ref(x)} (${x.was ? `${x.was} → ` : ''}${x.status})`,
    })),
    ...a.updated.map((x) => ({
      tone: 'plain' as const,
      text: `updated: ${ref(x)}${x.was !== x.status ? ` (${x.was} → ${x.status})` : ''}`,
    })),
    ...a.removed.map((x) => ({
      tone: 'removed' as const,
      text: `removed (was still open): ${ref(x)} (${x.status})`,
    })),
    ...a.finishedBefore.map((x) => ({
      tone: 'dim' as const,
      text: `finished earlier, not carried forward: ${ref(x)} (${x.status})`,
    })),
    ...a.overdue.map((x) => ({
      tone: 'removed' as const,
      text: `overdue: ${ref(x)} (due ${esc(formatUkDate(x.due ?? ''))}, ${x.status})`,
    })),
  ];
  if (actions.length > 0) sections.push(['Actions', actions]);
  return sections;
}

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
    for (const d of stage.items) for (const row of itemText(d, t)) out.push(row);
  }
  for (const [heading, lines] of listSections(diff, t.safe)) {
    out.push('', t.heading(heading));
    for (const l of lines) out.push(TONE_STYLE[l.tone](t)(`  ${l.text}`));
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
        out.push('', `  ${FIELD_LABELS[f.field]}:`, '');
        for (const l of diffBlock(f.rows)) out.push(`  ${l}`);
      }
    }
  }
  for (const [heading, lines] of listSections(diff, (x) => escapeInline(x))) {
    out.push('', `## ${heading}`, '');
    for (const l of lines) out.push(`- ${l.text}`.trimEnd());
  }
  return `${escapeControlCharacters(out.join('\n'))}\n`;
}
