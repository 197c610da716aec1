/**
 * The documents for people, without a browser or Word: the model's contents in plain words, the
 * SVG charts (deterministic, titled, never colour alone), the HTML's structure and escaping, and the
 * Markdown summary. tests/documents-browser.test.ts and tests/documents-docx.test.ts open the real
 * files in Chromium and LibreOffice.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerableItems } from '../src/core/bank.ts';
import { type ChartSpec, renderChartSvg } from '../src/core/charts.ts';
import { buildCycleDocument, type CycleDocument } from '../src/core/document.ts';
import { renderDocumentHtml } from '../src/core/render-html.ts';
import { renderDocumentMarkdown } from '../src/core/render-md-document.ts';
import { scopeBank, scopeCycle } from '../src/core/scope.ts';
import type { Bank, CycleFile } from '../src/core/types.ts';
import { loadBuiltinBank } from '../src/generated/banks.ts';
import { fullCycle } from './helpers/full-cycle.ts';

let bank: Bank;
let full: CycleFile;
beforeAll(async () => {
  bank = (await loadBuiltinBank('reflective-tool')) as Bank;
  full = fullCycle(bank);
});

const TODAY = '2026-07-10';
const texts = (doc: CycleDocument) => JSON.stringify(doc);

function partial(): CycleFile {
  const c = fullCycle(bank, '2027-28');
  const ids = answerableItems(bank).map((i) => i.id);
  // a third not answered, one skipped, one waiting for data, one carried forward
  for (const id of ids.slice(0, 38)) delete c.answers[id];
  c.answers[ids[40] as string] = { status: 'skipped', changed: '2027-05-01' };
  c.answers[ids[41] as string] = {
    status: 'needs-data',
    needs: ['Counts of special guardianship orders by year.'],
    changed: '2027-05-01',
  };
  c.answers[ids[42] as string] = {
    status: 'answered',
    text: ['As last year.'],
    carried: '2026-27',
    changed: '2026-05-11',
  };
  c.from = '2026-27';
  return c;
}

describe('the document model', () => {
  it('says where the cycle stands in plain words, with no status codes', () => {
    const c = partial();
    const doc = buildCycleDocument({ bank, cycle: c, cycles: [full, c], today: TODAY });
    const all = texts(doc);
    for (const code of ['in-place', 'needs-data', 'not-applicable', 'in-progress', 'not-started']) {
      expect(all).not.toContain(code);
    }
    expect(all).not.toMatch(/assess\.carers\./); // no item ids
    const first = doc.blocks.find((b) => b.kind === 'paragraph');
    expect(first).toMatchObject({ number: '1.1' });
    expect(JSON.stringify(first)).toMatch(
      /Of the 114 questions and checklist items in this cycle, 73 answered \(64%\), 1 waiting for data, 1 skipped, 1 carried forward from cycle 2026-27 and not yet confirmed and 38 not answered yet\./,
    );
  });

  it('leaves unanswered and skipped items out of the answers, says how many, and marks carried ones', () => {
    const c = partial();
    const doc = buildCycleDocument({ bank, cycle: c, cycles: [full, c], today: TODAY });
    const answers = doc.blocks.filter((b) => b.kind === 'answer');
    expect(answers).toHaveLength(114 - 38 - 1);
    expect(texts(doc)).toContain('Left out: 38 items not answered yet and 1 item skipped.');
    expect(
      answers.filter(
        (a) => a.kind === 'answer' && a.meta.some((m) => m.startsWith('Carried forward from cycle 2026-27')),
      ),
    ).toHaveLength(1);
    expect(texts(doc)).toContain('Data needed: Counts of special guardianship orders by year.');
  });

  it('lists the priorities in order with their evidence rating and rationale', () => {
    const doc = buildCycleDocument({ bank, cycle: full, cycles: [full], today: TODAY });
    const list = doc.blocks.find((b) => b.kind === 'list' && b.ordered);
    expect(list?.kind === 'list' && list.items).toHaveLength(6);
    expect(list?.kind === 'list' && list.items[0]).toMatch(
      /^Recommendation 1 \(R1, good evidence\): Offer kinship carers .* Why: Our Assess answers for R1/,
    );
  });

  it('lists the data still needed as a request table, and the actions overdue, due and done', () => {
    const c = partial();
    const doc = buildCycleDocument({ bank, cycle: c, cycles: [c], today: TODAY });
    const tables = doc.blocks.flatMap((b) => (b.kind === 'table' ? [b.table] : []));
    const requests = tables.find((t) => t.caption === 'Data requests');
    expect(requests?.rows).toHaveLength(1);
    expect(requests?.rows[0]?.[0]).toBe('Counts of special guardianship orders by year.');
    const actions = tables.find((t) => t.caption.startsWith('Actions'));
    expect(actions?.rows.map((r) => r[3])).toEqual([
      'Overdue (in progress)',
      'Overdue (planned)',
      'Due (planned)',
      'Due (in progress)',
      'Due (planned)',
      'Done',
    ]);
  });

  it('compares with the previous cycle, and shows a trend from three cycles on', () => {
    const c = partial();
    const two = buildCycleDocument({ bank, cycle: c, cycles: [full, c], today: TODAY });
    expect(two.blocks.some((b) => b.kind === 'heading' && b.text === 'Change since cycle 2026-27')).toBe(
      true,
    );
    expect(two.blocks.some((b) => b.kind === 'chart' && b.chart.id === 'chart-trend')).toBe(false);
    const earlier = fullCycle(bank, '2025-26');
    const three = buildCycleDocument({ bank, cycle: c, cycles: [earlier, full, c], today: TODAY });
    const trend = three.blocks.find((b) => b.kind === 'chart' && b.chart.id === 'chart-trend');
    expect(trend?.kind === 'chart' && trend.chart.categories).toEqual(['2025-26', '2026-27', '2027-28']);
    expect(trend?.kind === 'chart' && trend.chart.table.rows[2]).toEqual(['2027-28', '64%', '49%', '11%']);
  });

  it('the summary is the summary and the actions only', () => {
    const doc = buildCycleDocument({ bank, cycle: full, cycles: [full], today: TODAY, summary: true });
    const h2 = doc.blocks.flatMap((b) => (b.kind === 'heading' && b.level === 2 ? [b.text] : []));
    expect(h2).toEqual(['Summary', 'Actions', 'Abbreviations and terms']);
    expect(doc.blocks.some((b) => b.kind === 'answer')).toBe(false);
    expect(doc.title).toBe('Summary of the kinship care reflection 2026-27: Exampleshire County Council');
  });

  it('explains the abbreviations it uses, from the glossary, and only those', () => {
    const doc = buildCycleDocument({ bank, cycle: full, cycles: [full], today: TODAY, summary: true });
    const terms = doc.blocks.find((b) => b.kind === 'terms');
    const names = terms?.kind === 'terms' ? terms.entries.map((e) => e.term) : [];
    expect(names).toEqual(expect.arrayContaining(['KP', 'R', 'CBT']));
    expect(names).not.toContain('ASF');
  });

  it('--stage and --tag restrict it, and it says so', () => {
    const doc = buildCycleDocument({ bank, cycle: full, cycles: [full], today: TODAY, scope: { tag: 'R4' } });
    expect(doc.scopeNote).toMatch(
      /^This document covers only the questions linked to Recommendation 4 \(R4\): \d+ items of the 114/,
    );
    const list = doc.blocks.find((b) => b.kind === 'list');
    expect(list?.kind === 'list' && list.items.map((i) => i.slice(0, 20))).toEqual(['Recommendation 4 (R4']);
    const staged = buildCycleDocument({
      bank,
      cycle: full,
      cycles: [full],
      today: TODAY,
      scope: { stage: 'do' },
    });
    expect(staged.scopeNote).toContain('the Step 3: Do stage');
    expect(staged.blocks.filter((b) => b.kind === 'answer')).toHaveLength(6);
  });

  it('scopes the bank and cycle for the data exports', () => {
    const part = scopeBank(bank, { stage: 'review', tag: 'ALL' });
    expect(part.stages.map((s) => s.id)).toEqual(['review']);
    const c = scopeCycle(bank, full, { tag: 'R4' });
    expect(c.priorities.map((p) => p.recommendation)).toEqual(['R4']);
    expect(
      Object.keys(c.answers).every((id) =>
        answerableItems(scopeBank(bank, { tag: 'R4' })).some((i) => i.id === id),
      ),
    ).toBe(true);
  });
});

const CHART: ChartSpec = {
  id: 'chart-x',
  kind: 'stacked',
  title: 'Self-ratings <by> "tag"',
  summary: 'KP1 has the most red ratings & that matters.',
  categories: ['KP1', 'KP2'],
  series: [
    { label: 'Red', style: 'red', values: [3, 0] },
    { label: 'Amber', style: 'amber', values: [2, 1] },
    { label: 'Green', style: 'green', values: [1, 5] },
  ],
  table: { caption: 'c', head: ['Tag', 'Red', 'Amber', 'Green'], rows: [['KP1', '3', '2', '1']] },
};

describe('SVG charts', () => {
  it('are byte-identical for the same input', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ChartSpec['kind']>('stacked', 'grouped', 'line'),
        fc.array(fc.nat(200), { minLength: 3, maxLength: 3 }),
        fc.string(),
        (kind, values, label) => {
          const spec: ChartSpec = {
            ...CHART,
            kind,
            categories: [label, 'b', 'c'],
            series: [{ label, style: 'answered', values }],
          };
          expect(renderChartSvg(spec)).toBe(renderChartSvg(structuredClone(spec)));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('have a title and a description stating the finding, and escape their text', () => {
    const svg = renderChartSvg(CHART);
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 720 [\d.]+"[^>]* role="img" aria-labelledby="chart-x-title chart-x-desc"/,
    );
    expect(svg).toContain('<title id="chart-x-title">Self-ratings &lt;by&gt; &quot;tag&quot;</title>');
    expect(svg).toContain('<desc id="chart-x-desc">KP1 has the most red ratings &amp; that matters.</desc>');
  });

  it('never rely on colour alone: patterns, a legend with names, values on the bars', () => {
    const svg = renderChartSvg(CHART);
    expect(svg).toContain('<pattern id="chart-x-p-red"');
    expect(svg).toContain('<pattern id="chart-x-p-amber"');
    expect(svg).not.toContain('<pattern id="chart-x-p-green"'); // solid: the third distinct fill
    for (const name of ['>Red<', '>Amber<', '>Green<', '>3<', '>5<']) expect(svg).toContain(name);
    const line = renderChartSvg({ ...CHART, kind: 'line', percent: true });
    expect(line).toContain('stroke-dasharray="6 3"'); // red's dash; green's line is solid
    expect(line).toMatch(/<path d="M[\d. ]+L[\d. ]+L[\d. ]+Z" fill="#B3261E"\/>/); // red's triangle markers
  });
});

describe('HTML', () => {
  const HOSTILE = [
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    'Escape \u001b[31mred\u001b[0m and bell \u0007',
    'Right-to-left \u202Eoverride',
    '</style><style>body{display:none}</style>',
    'Lone surrogate \uD800 here',
  ];

  it('escapes everything a user typed: markup, scripts and control characters', () => {
    const c = fullCycle(bank, '<b>2026</b>', 'Council <script>x()</script> & "Co"');
    const ids = answerableItems(bank).map((i) => i.id);
    HOSTILE.forEach((text, i) => {
      c.answers[ids[i] as string] = {
        status: 'answered',
        text: [text],
        rating: 'red',
        changed: '2026-05-11',
      };
    });
    c.priorities[0] = { recommendation: 'R1', rationale: ['<iframe src="https://example.org">'] };
    c.actions[0] = {
      ...(c.actions[0] as CycleFile['actions'][number]),
      title: '<svg onload=alert(1)>',
      owner: '\u0000owner',
    };
    const html = renderDocumentHtml(buildCycleDocument({ bank, cycle: c, cycles: [c], today: TODAY }));
    for (const bad of [
      '<script',
      '<img',
      '<iframe',
      '<svg onload',
      '<b>2026',
      '</style><style>',
      'onerror=alert(1)>',
    ]) {
      expect(html).not.toContain(bad);
    }
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Escape \\x1B[31mred\\x1B[0m and bell \\x07');
    expect(html).toContain('Right-to-left \\u202Eoverride');
    expect(html).toContain('Lone surrogate \uFFFD here');
    expect(html).toContain('\\x00owner');
    // no control character at all, apart from line ends
    expect(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/.test(html)).toBe(false);
    // the only <script>-like things are none: the document needs no script
    expect(html.match(/<script/gi)).toBeNull();
  });

  it('is one self-contained, structured file: lang, one h1, skip link, landmarks, scoped headers', () => {
    const html = renderDocumentHtml(buildCycleDocument({ bank, cycle: full, cycles: [full], today: TODAY }));
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en-GB">')).toBe(true);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toContain('<a class="skip" href="#main">');
    for (const tag of ['<header>', '<nav aria-label="Contents">', '<main id="main"', '<footer>'])
      expect(html).toContain(tag);
    expect(html).toContain('<th scope="col"');
    expect(html).toContain('<th scope="row">');
    expect(html).toContain('<caption');
    expect(html).toContain('@media print{@page{size:A4');
    // nothing fetched: no external URL in src or href, no @import or url() to elsewhere
    expect(html).not.toMatch(/\b(src|href)="(?!#)/);
    expect(html).not.toMatch(/@import|url\((?!#)/);
    // headings never skip a level
    const levels = [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
    levels.forEach((l, i) => {
      if (i > 0) expect(l).toBeLessThanOrEqual((levels[i - 1] as number) + 1);
    });
    // ids unique
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is deterministic', () => {
    const render = () =>
      renderDocumentHtml(buildCycleDocument({ bank, cycle: full, cycles: [full], today: TODAY }));
    expect(render()).toBe(render());
  });
});

describe('the elected-members bank', () => {
  it('exports the same way: its key questions answered as prose, its terms explained', async () => {
    const members = (await loadBuiltinBank('elected-members')) as Bank;
    const c = fullCycle(members, '2026-27');
    const doc = buildCycleDocument({ bank: members, cycle: c, cycles: [c], today: TODAY });
    const answers = doc.blocks.filter((b) => b.kind === 'answer');
    expect(answers.length).toBe(answerableItems(members).length);
    expect(answers[0]?.kind === 'answer' && answers[0].question).toBe(
      'How evidence-informed is the local support offer for kinship families?',
    );
    const html = renderDocumentHtml(doc);
    expect(html).toContain('<h1>Kinship care reflection 2026-27: Exampleshire County Council</h1>');
    expect(html).toContain('Key questions for strengthening local support for kinship families');
    const summary = buildCycleDocument({ bank: members, cycle: c, cycles: [c], today: TODAY, summary: true });
    expect(renderDocumentMarkdown(summary)).toContain('## Abbreviations and terms');
  });
});

describe('Markdown summary', () => {
  it('renders the summary with its tables, and escapes user text', () => {
    const c = fullCycle(bank, '2026-27', 'Council *bold* <b>x</b>');
    const md = renderDocumentMarkdown(
      buildCycleDocument({ bank, cycle: c, cycles: [c], today: TODAY, summary: true }),
    );
    expect(
      md.startsWith(
        '# Summary of the kinship care reflection 2026-27: Council \\*bold\\* \\<b\\>x\\</b\\>\n',
      ),
    ).toBe(true);
    expect(md).toContain('## Actions');
    expect(md).toContain('| Key Principle or Recommendation | Red | Amber | Green |');
    expect(md).not.toContain('## The answers');
  });
});
