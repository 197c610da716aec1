/**
 * Charts as SVG, written by hand: stacked and grouped horizontal bars, and a line chart. No browser,
 * no canvas, no clock, no randomness: the same chart gives the same bytes, so documents built from
 * it are reproducible and diffable.
 *
 * Accessible by construction (WCAG 2.2 AA, and the government's guidance on charts):
 * - every chart has a title and a text alternative that states its main finding (`<title>`,
 *   `<desc>`, `role="img"` with `aria-labelledby`), and its data table travels with it (`ChartSpec.table`);
 * - colour is never alone: each series has its own pattern (or a marker and dash for lines), a
 *   legend naming it, and the value printed on the bar or point where it fits;
 * - fills have at least 3:1 contrast with the white page, text on a fill at least 4.5:1, and
 *   adjacent segments are parted by a white line.
 *
 * Ids inside an SVG (patterns, title) start with the chart's id, so several charts can share one
 * HTML page.
 */

import { escapeMarkup } from './document-text.ts';

export type SeriesStyle =
  | 'red'
  | 'amber'
  | 'green'
  | 'notRated'
  | 'answered'
  | 'needsData'
  | 'skipped'
  | 'carried'
  | 'unanswered'
  | 'previous'
  | 'current';

export interface ChartSeries {
  label: string;
  style: SeriesStyle;
  values: number[];
}

export interface ChartTable {
  caption: string;
  head: string[];
  /** The first cell of each row is its header. */
  rows: string[][];
  /** Relative column widths for paged formats. */
  widths?: number[];
}

export interface ChartSpec {
  /** Unique within a document; letters, digits and dashes. */
  id: string;
  kind: 'stacked' | 'grouped' | 'line';
  title: string;
  /** The main finding, in a sentence or two: the chart's text alternative. */
  summary: string;
  /** Bars (stacked, grouped) or points along the x axis (line). */
  categories: string[];
  series: ChartSeries[];
  /** Values are percentages (0–100) rather than counts. */
  percent?: boolean;
  table: ChartTable;
}

interface Style {
  fill: string;
  /** Colour of the pattern's marks, drawn over the fill. */
  ink: string;
  pattern: 'none' | 'diagonal' | 'dots' | 'cross' | 'horizontal' | 'vertical' | 'back-diagonal';
  /** Colour of text drawn on the fill. */
  text: string;
  /** Line charts: the marker at each point, and the dash of the line. */
  marker: 'circle' | 'square' | 'triangle' | 'diamond';
  dash: string;
}

// Each fill has 4.5:1 or more against white (so white text on it reads too); the unfilled
// "not answered" bar is outlined instead.
const STYLES: Record<SeriesStyle, Style> = {
  red: {
    fill: '#B3261E',
    ink: '#FFFFFF',
    pattern: 'diagonal',
    text: '#FFFFFF',
    marker: 'triangle',
    dash: '6 3',
  },
  amber: {
    fill: '#A85A00',
    ink: '#FFFFFF',
    pattern: 'dots',
    text: '#FFFFFF',
    marker: 'diamond',
    dash: '2 3',
  },
  green: { fill: '#1E7B34', ink: '#FFFFFF', pattern: 'none', text: '#FFFFFF', marker: 'circle', dash: '' },
  notRated: {
    fill: '#FFFFFF',
    ink: '#5F6368',
    pattern: 'none',
    text: '#202124',
    marker: 'square',
    dash: '1 2',
  },
  answered: { fill: '#1F5C99', ink: '#FFFFFF', pattern: 'none', text: '#FFFFFF', marker: 'circle', dash: '' },
  needsData: {
    fill: '#6F4A9E',
    ink: '#FFFFFF',
    pattern: 'cross',
    text: '#FFFFFF',
    marker: 'square',
    dash: '6 3',
  },
  skipped: {
    fill: '#5F6368',
    ink: '#FFFFFF',
    pattern: 'horizontal',
    text: '#FFFFFF',
    marker: 'diamond',
    dash: '2 3',
  },
  carried: {
    fill: '#00796B',
    ink: '#FFFFFF',
    pattern: 'vertical',
    text: '#FFFFFF',
    marker: 'triangle',
    dash: '8 2 2 2',
  },
  unanswered: {
    fill: '#FFFFFF',
    ink: '#5F6368',
    pattern: 'none',
    text: '#202124',
    marker: 'square',
    dash: '1 2',
  },
  previous: {
    fill: '#767676',
    ink: '#FFFFFF',
    pattern: 'back-diagonal',
    text: '#FFFFFF',
    marker: 'square',
    dash: '6 3',
  },
  current: { fill: '#1F5C99', ink: '#FFFFFF', pattern: 'none', text: '#FFFFFF', marker: 'circle', dash: '' },
};

const FONT = 'Arial, Liberation Sans, Helvetica, sans-serif';
const TEXT = '#202124';
const GRID = '#BDC1C6';
const WIDTH = 720;
const LABEL_W = 170;
const PAD = 16;

/** Text for XML: control characters made visible (see `cleanText`), markup characters escaped. */
export const escapeXml = escapeMarkup;

/** A number as SVG writes it: at most one decimal, no trailing `.0`, no `-0`. */
function n(value: number): string {
  const r = Math.round(value * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** A label cut to fit `max` characters (the full text is in the data table). */
function clipLabel(label: string, max: number): string {
  const chars = [...label];
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('')}…`;
}

function patternDefs(prefix: string, styles: readonly SeriesStyle[]): string {
  const out: string[] = [];
  for (const key of new Set(styles)) {
    const s = STYLES[key];
    if (s.pattern === 'none') continue;
    const marks: Record<Exclude<Style['pattern'], 'none'>, string> = {
      diagonal: `<path d="M-2 2l4-4M0 8l8-8M6 10l4-4" stroke="${s.ink}" stroke-width="1.6" stroke-opacity="0.55"/>`,
      'back-diagonal': `<path d="M-2 6l4 4M0 0l8 8M6 -2l4 4" stroke="${s.ink}" stroke-width="1.6" stroke-opacity="0.55"/>`,
      dots: `<circle cx="2" cy="2" r="1.3" fill="${s.ink}" fill-opacity="0.6"/><circle cx="6" cy="6" r="1.3" fill="${s.ink}" fill-opacity="0.6"/>`,
      cross: `<path d="M0 4h8M4 0v8" stroke="${s.ink}" stroke-width="1.2" stroke-opacity="0.55"/>`,
      horizontal: `<path d="M0 2h8M0 6h8" stroke="${s.ink}" stroke-width="1.2" stroke-opacity="0.55"/>`,
      vertical: `<path d="M2 0v8M6 0v8" stroke="${s.ink}" stroke-width="1.2" stroke-opacity="0.55"/>`,
    };
    out.push(
      `<pattern id="${prefix}-${key}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${s.fill}"/>${marks[s.pattern]}</pattern>`,
    );
  }
  return out.length === 0 ? '' : `<defs>${out.join('')}</defs>`;
}

function paint(prefix: string, key: SeriesStyle): string {
  const s = STYLES[key];
  return s.pattern === 'none' ? s.fill : `url(#${prefix}-${key})`;
}

function outline(key: SeriesStyle): string {
  return key === 'unanswered' || key === 'notRated' ? ` stroke="${STYLES[key].ink}" stroke-width="1"` : '';
}

/** A legend on one or more rows; returns the markup and the height used. */
function legend(prefix: string, chart: ChartSpec, y: number, line: boolean): { svg: string; height: number } {
  const parts: string[] = [];
  let x = PAD;
  let row = 0;
  for (const s of chart.series) {
    const width = 28 + [...s.label].length * 7 + 18;
    if (x + width > WIDTH - PAD && x > PAD) {
      row++;
      x = PAD;
    }
    const top = y + row * 22;
    if (line) {
      const st = STYLES[s.style];
      parts.push(
        `<line x1="${x}" y1="${top + 7}" x2="${x + 22}" y2="${top + 7}" stroke="${st.fill === '#FFFFFF' ? st.ink : st.fill}" stroke-width="2.5"${st.dash ? ` stroke-dasharray="${st.dash}"` : ''}/>`,
        marker(s.style, x + 11, top + 7),
      );
    } else {
      parts.push(
        `<rect x="${x}" y="${top}" width="22" height="14" fill="${paint(prefix, s.style)}"${outline(s.style)}/>`,
      );
    }
    parts.push(`<text x="${x + 28}" y="${top + 11.5}">${escapeXml(s.label)}</text>`);
    x += width;
  }
  return { svg: `<g font-size="13" fill="${TEXT}">${parts.join('')}</g>`, height: (row + 1) * 22 };
}

function marker(key: SeriesStyle, x: number, y: number): string {
  const s = STYLES[key];
  const colour = s.fill === '#FFFFFF' ? s.ink : s.fill;
  switch (s.marker) {
    case 'circle':
      return `<circle cx="${n(x)}" cy="${n(y)}" r="4.5" fill="${colour}"/>`;
    case 'square':
      return `<rect x="${n(x - 4)}" y="${n(y - 4)}" width="8" height="8" fill="${colour}"/>`;
    case 'triangle':
      return `<path d="M${n(x)} ${n(y - 5)}L${n(x + 5)} ${n(y + 4)}L${n(x - 5)} ${n(y + 4)}Z" fill="${colour}"/>`;
    case 'diamond':
      return `<path d="M${n(x)} ${n(y - 5.5)}L${n(x + 5.5)} ${n(y)}L${n(x)} ${n(y + 5.5)}L${n(x - 5.5)} ${n(y)}Z" fill="${colour}"/>`;
  }
}

function open(chart: ChartSpec, height: number): string {
  const id = chart.id;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${n(height)}" width="${WIDTH}" height="${n(height)}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${FONT}">` +
    `<title id="${id}-title">${escapeXml(chart.title)}</title><desc id="${id}-desc">${escapeXml(chart.summary)}</desc>` +
    `<rect width="${WIDTH}" height="${n(height)}" fill="#FFFFFF"/>` +
    `<text x="${PAD}" y="26" font-size="16" font-weight="bold" fill="${TEXT}">${escapeXml(clipLabel(chart.title, 80))}</text>`
  );
}

function axisTicks(
  x0: number,
  width: number,
  max: number,
  top: number,
  bottom: number,
  percent: boolean,
): string {
  const step = niceStep(max);
  const parts: string[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) {
    const x = x0 + (v / max) * width;
    parts.push(
      `<line x1="${n(x)}" y1="${n(top)}" x2="${n(x)}" y2="${n(bottom)}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${n(x)}" y="${n(bottom + 16)}" text-anchor="middle">${n(v)}${percent ? '%' : ''}</text>`,
    );
  }
  return `<g font-size="12" fill="${TEXT}">${parts.join('')}</g>`;
}

function niceStep(max: number): number {
  for (const step of [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]) if (max / step <= 6) return step;
  return Math.ceil(max / 5);
}

function niceMax(max: number, percent: boolean): number {
  if (percent) return 100;
  if (max <= 0) return 1;
  const step = niceStep(max);
  return Math.ceil(max / step) * step;
}

/** Stacked or grouped horizontal bars, one row per category. */
function barChart(chart: ChartSpec): string {
  const stacked = chart.kind === 'stacked';
  const prefix = `${chart.id}-p`;
  const lg = legend(prefix, chart, 40, false);
  const top = 40 + lg.height + 8;
  const barH = stacked ? 22 : 14;
  const rowH = stacked ? 34 : chart.series.length * (barH + 3) + 14;
  const x0 = LABEL_W + PAD;
  const plotW = WIDTH - x0 - PAD - 40;
  const totals = chart.categories.map((_, i) => chart.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const dataMax = stacked ? Math.max(0, ...totals) : Math.max(0, ...chart.series.flatMap((s) => s.values));
  const max = niceMax(dataMax, chart.percent === true);
  const bottom = top + rowH * chart.categories.length;
  const parts: string[] = [axisTicks(x0, plotW, max, top - 4, bottom, chart.percent === true)];
  chart.categories.forEach((category, i) => {
    const y = top + i * rowH;
    parts.push(
      `<text x="${x0 - 8}" y="${n(y + (stacked ? barH / 2 + 4.5 : (rowH - 14) / 2 + 4.5))}" text-anchor="end" font-size="13" fill="${TEXT}">${escapeXml(clipLabel(category, 24))}</text>`,
    );
    let x = x0;
    chart.series.forEach((s, k) => {
      const value = s.values[i] ?? 0;
      const w = (value / max) * plotW;
      const by = stacked ? y : y + k * (barH + 3);
      const st = STYLES[s.style];
      if (value > 0) {
        parts.push(
          `<rect x="${n(stacked ? x : x0)}" y="${n(by)}" width="${n(w)}" height="${barH}" fill="${paint(prefix, s.style)}" stroke="${outline(s.style) ? st.ink : '#FFFFFF'}" stroke-width="${outline(s.style) ? 1 : 1.5}"><title>${escapeXml(`${category}, ${s.label}: ${n(value)}${chart.percent ? '%' : ''}`)}</title></rect>`,
        );
      }
      const label = `${n(value)}${chart.percent ? '%' : ''}`;
      if (stacked && value > 0 && w >= label.length * 7 + 6) {
        // the fill's own colour as a halo keeps the number legible over the pattern
        parts.push(
          `<text x="${n(x + w / 2)}" y="${n(by + barH / 2 + 4.5)}" text-anchor="middle" font-size="12" font-weight="bold" fill="${st.text}" stroke="${st.fill}" stroke-width="3" paint-order="stroke">${label}</text>`,
        );
      }
      if (!stacked) {
        parts.push(
          `<text x="${n(x0 + w + 5)}" y="${n(by + barH / 2 + 4.5)}" font-size="12" fill="${TEXT}">${label}</text>`,
        );
      }
      if (stacked) x += w;
    });
    if (stacked) {
      parts.push(
        `<text x="${n(x + 6)}" y="${n(y + barH / 2 + 4.5)}" font-size="12" font-weight="bold" fill="${TEXT}">${n(totals[i] ?? 0)}${chart.percent ? '%' : ''}</text>`,
      );
    }
  });
  parts.push(
    `<line x1="${x0}" y1="${top - 4}" x2="${x0}" y2="${bottom}" stroke="${TEXT}" stroke-width="1"/>`,
  );
  const height = bottom + 30;
  return `${open(chart, height)}${patternDefs(
    prefix,
    chart.series.map((s) => s.style),
  )}${lg.svg}${parts.join('')}</svg>`;
}

/** A line per series across the categories (cycles), values in percent. */
function lineChart(chart: ChartSpec): string {
  const lg = legend(`${chart.id}-p`, chart, 40, true);
  const top = 40 + lg.height + 14;
  const plotH = 200;
  const x0 = PAD + 44;
  const plotW = WIDTH - x0 - PAD - 60;
  const bottom = top + plotH;
  const max = niceMax(Math.max(0, ...chart.series.flatMap((s) => s.values)), chart.percent === true);
  const count = chart.categories.length;
  const xAt = (i: number) => x0 + (count <= 1 ? plotW / 2 : (i / (count - 1)) * plotW);
  const yAt = (v: number) => bottom - (v / max) * plotH;
  const parts: string[] = [];
  const step = niceStep(max);
  const grid: string[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) {
    grid.push(
      `<line x1="${x0}" y1="${n(yAt(v))}" x2="${x0 + plotW}" y2="${n(yAt(v))}" stroke="${GRID}" stroke-width="1"/>`,
      `<text x="${x0 - 6}" y="${n(yAt(v) + 4)}" text-anchor="end">${n(v)}${chart.percent ? '%' : ''}</text>`,
    );
  }
  chart.categories.forEach((c, i) => {
    grid.push(
      `<text x="${n(xAt(i))}" y="${bottom + 18}" text-anchor="middle">${escapeXml(clipLabel(c, 14))}</text>`,
    );
  });
  parts.push(`<g font-size="12" fill="${TEXT}">${grid.join('')}</g>`);
  for (const s of chart.series) {
    const st = STYLES[s.style];
    const colour = st.fill === '#FFFFFF' ? st.ink : st.fill;
    const points = s.values.map((v, i) => `${n(xAt(i))} ${n(yAt(v))}`);
    parts.push(
      `<path d="M${points.join('L')}" fill="none" stroke="${colour}" stroke-width="2.5"${st.dash ? ` stroke-dasharray="${st.dash}"` : ''}/>`,
    );
    s.values.forEach((v, i) => {
      parts.push(
        `<g>${marker(s.style, xAt(i), yAt(v))}<title>${escapeXml(`${chart.categories[i] ?? ''}, ${s.label}: ${n(v)}${chart.percent ? '%' : ''}`)}</title></g>`,
      );
    });
    const last = s.values.length - 1;
    if (last >= 0) {
      parts.push(
        `<text x="${n(xAt(last) + 9)}" y="${n(yAt(s.values[last] ?? 0) + 4)}" font-size="12" font-weight="bold" fill="${colour}">${n(s.values[last] ?? 0)}${chart.percent ? '%' : ''}</text>`,
      );
    }
  }
  parts.push(
    `<line x1="${x0}" y1="${bottom}" x2="${x0 + plotW}" y2="${bottom}" stroke="${TEXT}" stroke-width="1"/>`,
  );
  return `${open(chart, bottom + 34)}${lg.svg}${parts.join('')}</svg>`;
}

/** The chart as a standalone SVG document (also valid inline in HTML). Deterministic. */
export function renderChartSvg(chart: ChartSpec): string {
  return chart.kind === 'line' ? lineChart(chart) : barChart(chart);
}
