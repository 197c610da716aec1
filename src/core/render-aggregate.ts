/**
 * The summary across authorities as Markdown (for committees and boards), CSV (one row per authority,
 * for spreadsheets) and JSON (for other programs).
 *
 * Pure: takes an `AggregateResult`, returns text.
 */

import type { AggregateResult, AuthoritySummary } from './aggregate.ts';
import { escapeControlCharacters, toJsonText } from './control-chars.ts';
import { formatUkDate } from './dates.ts';

/** Text safe inside a Markdown table cell or a line of prose: no pipes, no line breaks, no raw HTML. */
function mdCell(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]]/g, (m) => `\\${m}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .trim();
}

/** Inline code span for a file path (backticks inside are swapped, they cannot be escaped in a span). */
function mdCode(text: string): string {
  return `\`${text.replace(/[\r\n]+/g, ' ').replace(/`/g, "'")}\``;
}

function table(header: string[], rows: string[][]): string[] {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 100);
}

const ORDINALS = [
  'First',
  'Second',
  'Third',
  'Fourth',
  'Fifth',
  'Sixth',
  'Seventh',
  'Eighth',
  'Ninth',
  'Tenth',
];

function rankLabel(i: number): string {
  return ORDINALS[i] ?? `Rank ${i + 1}`;
}

/** Mermaid labels go inside double quotes: keep them to plain characters. */
function mermaidText(text: string): string {
  return text
    .replace(/["\r\n`#;]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function renderAggregateMarkdown(result: AggregateResult): string {
  const out: string[] = [];
  for (const section of [introduction, prioritised, movement, needsData, authorities, skipped])
    section(out, result);
  while (out[out.length - 1] === '') out.pop();
  return `${escapeControlCharacters(out.join('\n'))}\n`;
}

/** The title, the bank, and what was read. */
function introduction(out: string[], result: AggregateResult): void {
  const n = result.authorities.length;
  out.push('# Summary across authorities', '');
  out.push(
    `Question bank: ${mdCell(result.bank.title)} (${mdCell(result.bank.id)}, version ${mdCell(result.bank.version)}).`,
    `${plural(n, 'authority', 'authorities')}, ${plural(result.filesRead, 'cycle file')} read` +
      (result.skipped.length > 0
        ? `, ${plural(result.skipped.length, 'file')} skipped (listed at the end).`
        : '.'),
    `Each authority is summarised by its latest cycle. Actions are counted as overdue on ${formatUkDate(result.today)}.`,
    '',
  );
}

/** How often each Recommendation is prioritised: a Mermaid chart and the same figures as a table. */
function prioritised(out: string[], result: AggregateResult): void {
  const n = result.authorities.length;
  out.push('## How often each Recommendation is prioritised', '');
  out.push(
    `Number of authorities whose latest cycle prioritises each Recommendation, out of ${n}. ` +
      'The chart shows the same figures as the table below it.',
    '',
  );
  const max = Math.max(1, ...result.prioritised.map((p) => p.count));
  out.push(
    '```mermaid',
    'xychart-beta',
    '  accTitle: How often each Recommendation is prioritised',
    `  accDescr: Bar chart of the number of authorities, out of ${n}, whose latest cycle prioritises each Recommendation: ${result.prioritised
      .map((p) => `${mermaidText(p.recommendation)} ${p.count}`)
      .join(', ')}.`,
    '  title "Authorities prioritising each Recommendation"',
    `  x-axis [${result.prioritised.map((p) => `"${mermaidText(p.recommendation)}"`).join(', ')}]`,
    `  y-axis "Authorities" 0 --> ${max}`,
    `  bar [${result.prioritised.map((p) => p.count).join(', ')}]`,
    '```',
    '',
  );
  const ranks = Math.max(0, ...result.prioritised.map((p) => p.byRank.length));
  const rankHeads = Array.from({ length: ranks }, (_, i) => `${rankLabel(i)} priority`);
  out.push(
    ...table(
      ['Recommendation', 'Authorities', 'Share', ...rankHeads],
      result.prioritised.map((p) => [
        `${mdCell(p.recommendation)} (${mdCell(p.title)})`,
        String(p.count),
        `${percent(p.count, n)}%`,
        ...Array.from({ length: ranks }, (_, i) => String(p.byRank[i] ?? 0)),
      ]),
    ),
    '',
  );
}

/** How ratings moved between each authority’s last two cycles. */
function movement(out: string[], result: AggregateResult): void {
  out.push('## How ratings moved between the last two cycles', '');
  if (result.compared === 0) {
    out.push('No authority has two cycles yet, so there is no movement to show.', '');
  } else {
    out.push(
      `For the ${plural(result.compared, 'authority', 'authorities')} with at least two cycles: the mean ` +
        'self-rating of the items linked to each Recommendation (red 0, amber 1, green 2) in the latest ' +
        'cycle compared with the one before. "Not comparable" means one of the two cycles has no rating ' +
        'for that Recommendation.',
      '',
      ...table(
        ['Recommendation', 'Improved', 'Same', 'Worse', 'Not comparable'],
        result.movement.map((m) => [
          mdCell(m.recommendation),
          String(m.improved),
          String(m.same),
          String(m.worse),
          String(m.notComparable),
        ]),
      ),
      '',
    );
  }
}

/** The items that most often need data. */
function needsData(out: string[], result: AggregateResult): void {
  out.push('## Items that most often need data', '');
  if (result.needsData.length === 0) {
    out.push('No latest cycle marks any item as needing data.', '');
  } else {
    out.push(
      'Items marked "needs data" in the most authorities\u2019 latest cycles.',
      '',
      ...table(
        ['Item', 'Question', 'Authorities'],
        result.needsData.map((d) => [mdCode(d.item), mdCell(d.text), String(d.count)]),
      ),
      '',
    );
  }
}

/** One row per authority, then its ratings by Recommendation. */
function authorities(out: string[], result: AggregateResult): void {
  out.push('## Authorities', '');
  out.push(
    ...table(
      ['Authority', 'Latest cycle', 'Cycles', 'Answered', 'Priorities', 'Actions'],
      result.authorities.map((a) => [
        mdCell(a.authority),
        mdCell(a.latest.cycle),
        String(a.cycles),
        `${a.latest.answered} of ${a.latest.total} (${percent(a.latest.answered, a.latest.total)}%)`,
        a.latest.priorities.length > 0 ? mdCell(a.latest.priorities.join(', ')) : 'none',
        actionsCell(a),
      ]),
    ),
    '',
  );
  out.push('### Ratings by Recommendation in the latest cycle', '');
  out.push(
    'Each cell counts the red, amber and green self-ratings of the items linked to the Recommendation.',
    '',
  );
  out.push(
    ...table(
      ['Authority', ...result.recommendations.map((r) => mdCell(r.id))],
      result.authorities.map((a) => [
        mdCell(a.authority),
        ...result.recommendations.map((r) => {
          const c = a.latest.ratings[r.id];
          if (!c || c.red + c.amber + c.green === 0) return 'not rated';
          return `${c.red} red, ${c.amber} amber, ${c.green} green`;
        }),
      ]),
    ),
    '',
  );
}

/** The files that could not be read, and why. */
function skipped(out: string[], result: AggregateResult): void {
  if (result.skipped.length > 0) {
    out.push('## Files skipped', '');
    for (const s of result.skipped) out.push(`- ${mdCode(s.source)}: ${mdCell(s.reason)}`);
    out.push('');
  }
}

function actionsCell(a: AuthoritySummary): string {
  const s = a.latest.actions;
  if (s.total === 0) return 'none';
  const parts = [`${s.open} open`, `${s.byStatus.done} done`];
  if (s.byStatus.dropped > 0) parts.push(`${s.byStatus.dropped} dropped`);
  if (s.overdue > 0) parts.push(`${s.overdue} overdue`);
  return parts.join(', ');
}

/**
 * A CSV field: quoted when needed, and a leading `=`, `+`, `-`, `@`, tab or carriage return prefixed
 * with `'` so a spreadsheet never runs it as a formula.
 */
export function csvField(value: string | number): string {
  let text = escapeControlCharacters(String(value));
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per authority, a header row first; CRLF line ends as RFC 4180 asks. */
export function renderAggregateCsv(result: AggregateResult): string {
  const recs = result.recommendations.map((r) => r.id);
  const header = [
    'authority',
    'latest_cycle',
    'previous_cycle',
    'cycles',
    'answered',
    'total',
    'percent_answered',
    'needs_data',
    'priorities',
    ...recs.flatMap((r) => [`${r}_red`, `${r}_amber`, `${r}_green`, `${r}_movement`]),
    'actions_total',
    'actions_planned',
    'actions_in_progress',
    'actions_done',
    'actions_dropped',
    'actions_overdue',
    'source',
  ];
  const rows = result.authorities.map((a) => {
    const l = a.latest;
    return [
      a.authority,
      l.cycle,
      a.previous?.cycle ?? '',
      a.cycles,
      l.answered,
      l.total,
      percent(l.answered, l.total),
      l.needsData,
      l.priorities.join(' '),
      ...recs.flatMap((r) => {
        const c = l.ratings[r] ?? { red: 0, amber: 0, green: 0 };
        return [c.red, c.amber, c.green, a.movement?.[r] ?? ''];
      }),
      l.actions.total,
      l.actions.byStatus.planned,
      l.actions.byStatus['in-progress'],
      l.actions.byStatus.done,
      l.actions.byStatus.dropped,
      l.actions.overdue,
      l.source,
    ];
  });
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

/** The result as one JSON document (two-space indent, final newline). */
export function renderAggregateJson(result: AggregateResult): string {
  return `${toJsonText(result, 2)}\n`;
}
