/**
 * A cycle document as one self-contained, accessible HTML file: inline CSS and SVG, no script,
 * nothing fetched. `lang="en-GB"`, a skip link, landmarks (banner, navigation, main, contentinfo),
 * one `h1` and headings in order, tables with captions and scoped headers, charts with a text
 * alternative and their data table beside them, reflowing to 320 px and at 200% zoom, and a print
 * stylesheet for A4. Every piece of text is escaped here; control characters were made visible when
 * the document was built.
 */
import { renderChartSvg } from './charts.ts';
import type { Block, CycleDocument, DocTable } from './document.ts';
import { escapeMarkup } from './document-text.ts';

/** Text for HTML content or a quoted attribute. */
export const escapeHtml = escapeMarkup;

const CSS = `
:root{color-scheme:light}
*{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font-family:Arial,"Liberation Sans",Helvetica,sans-serif;font-size:1.0625rem;line-height:1.55;color:#1b1b1b;background:#fff}
.skip{position:absolute;left:-9999px;top:0;background:#fff;color:#1d4f91;padding:.5rem 1rem;border:3px solid #1d4f91;z-index:1}
.skip:focus{left:1rem;top:1rem}
a{color:#1d4f91;text-decoration-thickness:.08em;text-underline-offset:.15em}
a:focus,[tabindex]:focus{outline:3px solid #b35c00;outline-offset:2px}
header,nav,main,footer{max-width:60rem;margin:0 auto;padding:0 1.25rem}
header{padding-top:1.5rem;border-bottom:4px solid #1d4f91}
h1{font-size:2rem;line-height:1.2;margin:.25rem 0 1rem}
h2{font-size:1.5rem;line-height:1.25;margin:2.25rem 0 .75rem;padding-top:.5rem;border-top:1px solid #b1b4b6}
h3{font-size:1.25rem;line-height:1.3;margin:1.75rem 0 .5rem}
h4{font-size:1.0625rem;margin:1.5rem 0 .5rem}
p,li{max-width:42rem}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1.25rem}
.facts dt{font-weight:bold}
.facts dd{margin:0}
.scope{border-left:6px solid #b35c00;background:#fbf3e8;padding:.75rem 1rem;margin:0 0 1.25rem;max-width:42rem}
nav{margin-top:1rem}
nav h2{font-size:1.125rem;border:0;margin:1rem 0 .25rem;padding:0}
nav ol{margin:0;padding-left:1.5rem}
.num{font-weight:bold;margin-right:.25rem}
.table-wrap{overflow-x:auto;margin:.75rem 0 1.25rem;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:.9375rem}
caption{text-align:left;font-weight:bold;padding:.25rem 0 .5rem}
th,td{border:1px solid #b1b4b6;padding:.4rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f3f2f1}
tbody th{font-weight:normal}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1rem 0 1.5rem}
figcaption{font-weight:bold;margin-bottom:.5rem}
.chart svg{width:100%;max-width:45rem;height:auto;display:block;margin-bottom:.75rem}
.answer{margin:0 0 1.25rem;padding-left:.75rem;border-left:4px solid #dcdcdc}
.answer .q{font-weight:bold;margin:0 0 .25rem}
.answer .meta{margin:0 0 .25rem;color:#3b3b3b}
.answer p{margin:.25rem 0}
dl.terms dt{font-weight:bold;margin-top:.75rem}
dl.terms dd{margin:0;max-width:42rem}
footer{margin-top:3rem;padding-top:1rem;padding-bottom:2rem;border-top:1px solid #b1b4b6;font-size:.9375rem}
@media (max-width:48rem){h1{font-size:1.625rem}h2{font-size:1.3125rem}}
@media print{
@page{size:A4;margin:18mm 16mm}
body{font-size:12pt;line-height:1.4}
header,nav,main,footer{max-width:none;padding:0}
.skip,nav{display:none}
a{color:inherit}
h2,h3,h4{break-after:avoid}
figure,tr,.answer{break-inside:avoid}
thead{display:table-header-group}
.table-wrap{overflow:visible}
}
`
  .trim()
  .replace(/\n/g, '');

function table(t: DocTable, id: string): string {
  const numeric = new Set(
    t.numeric ??
      t.head
        .map((_, i) => i)
        .filter((i) => i > 0 && t.rows.every((r) => /^[+-]?\d+%?$|^no change$/.test(r[i] ?? ''))),
  );
  const head = t.head
    .map((h, i) => `<th scope="col"${numeric.has(i) ? ' class="n"' : ''}>${escapeHtml(h)}</th>`)
    .join('');
  const rows = t.rows
    .map(
      (r) =>
        `<tr>${r
          .map((cell, i) =>
            i === 0
              ? `<th scope="row">${escapeHtml(cell)}</th>`
              : `<td${numeric.has(i) ? ' class="n"' : ''}>${escapeHtml(cell)}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('\n');
  // a table wider than a phone scrolls inside its own box, reachable by keyboard
  return `<div class="table-wrap" role="region" aria-labelledby="${id}" tabindex="0"><table><caption id="${id}">${escapeHtml(t.caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}

function block(b: Block, index: number): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level} id="${b.id}">${escapeHtml(b.text)}</h${b.level}>`;
    case 'paragraph':
      return b.number === undefined
        ? `<p>${escapeHtml(b.text)}</p>`
        : `<p><span class="num">${escapeHtml(b.number)}</span> ${escapeHtml(b.text)}</p>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</${tag}>`;
    }
    case 'table':
      return table(b.table, `t${index}`);
    case 'chart':
      return `<figure aria-labelledby="${b.chart.id}-cap"><figcaption id="${b.chart.id}-cap">${escapeHtml(b.chart.title)}</figcaption><div class="chart"><div>${renderChartSvg(b.chart)}</div>${table(b.chart.table, `${b.chart.id}-table`)}</div></figure>`;
    case 'answer':
      return `<div class="answer"><p class="q">${escapeHtml(b.question)}</p>${b.meta.length > 0 ? `<p class="meta">${escapeHtml(b.meta.join(' '))}</p>` : ''}${b.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</div>`;
    case 'terms':
      return `<dl class="terms">${b.entries
        .map(
          (e) =>
            `<dt>${escapeHtml(e.term)}${e.expansion === undefined ? '' : ` (${escapeHtml(e.expansion)})`}</dt><dd>${escapeHtml(e.definition.replace(/\s+/g, ' ').trim())}</dd>`,
        )
        .join('')}</dl>`;
  }
}

/** The document as an HTML file. Deterministic. */
export function renderDocumentHtml(doc: CycleDocument): string {
  const contents = doc.blocks
    .filter((b): b is Extract<Block, { kind: 'heading' }> => b.kind === 'heading' && b.level === 2)
    .map((h) => `<li><a href="#${h.id}">${escapeHtml(h.text)}</a></li>`)
    .join('');
  const facts = doc.facts
    .map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd>`)
    .join('');
  return [
    '<!DOCTYPE html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    '<meta name="generator" content="kinship-reflect">',
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#main">Skip to the content</a>',
    '<header>',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<dl class="facts">${facts}</dl>`,
    doc.scopeNote === undefined
      ? ''
      : `<p class="scope"><strong>Part of the question bank only.</strong> ${escapeHtml(doc.scopeNote)}</p>`,
    '</header>',
    `<nav aria-label="Contents"><h2>Contents</h2><ol>${contents}</ol></nav>`,
    '<main id="main" tabindex="-1">',
    ...doc.blocks.map(block),
    '</main>',
    `<footer><p>${escapeHtml(doc.credit)}</p><p>Made with kinship-reflect from the answers of cycle files kept by the authority. Figures are aggregated; no answer may identify a child or a carer.</p></footer>`,
    '</body>',
    '</html>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n')
    .concat('\n');
}
