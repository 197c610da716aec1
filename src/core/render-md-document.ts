/**
 * A cycle document (`document.ts`) as readable Markdown: the committee summary in Markdown
 * (`export --summary`), and a part of the bank (`export --stage`/`--tag`). Unlike the working report
 * (`report.ts`) it is not for editing or import: prose, tables and plain words only. Charts appear as
 * their finding and their data table (Markdown has no accessible image of its own to offer).
 */
import type { Block, CycleDocument, DocTable } from './document.ts';
import { cleanText } from './document-text.ts';
import { escapeDisplay, table } from './markdown.ts';

/** One line of text, escaped for Markdown, with control characters made visible first. */
function md(text: string): string {
  return escapeDisplay(cleanText(text));
}

function mdTable(t: DocTable): string[] {
  const numeric = t.head.map(
    (_, i) => i > 0 && t.rows.every((r) => /^[+-]?\d+%?$|^no change$/.test(r[i] ?? '')),
  );
  return [
    `**${md(t.caption)}**`,
    '',
    ...table(
      t.head.map(md),
      t.rows.map((r) => r.map((c) => md(c) || '—')),
      numeric.map((n) => (n ? 'r' : 'l')),
    ),
  ];
}

function block(b: Block): string[] {
  switch (b.kind) {
    case 'heading':
      return [`${'#'.repeat(b.level)} ${md(b.text)}`];
    case 'paragraph':
      return [b.number === undefined ? md(b.text) : `**${b.number}** ${md(b.text)}`];
    case 'list':
      return b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '-'} ${md(item)}`);
    case 'table':
      return mdTable(b.table);
    case 'chart':
      return [`*Chart: ${md(b.chart.title)}.* ${md(b.chart.summary)}`, '', ...mdTable(b.chart.table)];
    case 'answer': {
      const out = [`**${md(b.question)}**`];
      if (b.meta.length > 0) out.push('', `*${md(b.meta.join(' '))}*`);
      for (const p of b.paragraphs) out.push('', md(p));
      return out;
    }
    case 'terms':
      return b.entries.map(
        (e) =>
          `- **${md(e.term)}**${e.expansion === undefined ? '' : ` (${md(e.expansion)})`}: ${md(e.definition)}`,
      );
  }
}

/** The document as Markdown (passes markdownlint with the repository's configuration). */
export function renderDocumentMarkdown(doc: CycleDocument): string {
  const lines = [`# ${md(doc.title)}`, '', ...doc.facts.map((f) => `- **${md(f.label)}:** ${md(f.value)}`)];
  if (doc.scopeNote !== undefined)
    lines.push('', `> **Part of the question bank only.** ${md(doc.scopeNote)}`);
  for (const b of doc.blocks) lines.push('', ...block(b));
  lines.push('', '---', '', `*${md(doc.credit)}*`);
  return `${lines.join('\n')}\n`;
}
