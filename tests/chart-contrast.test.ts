/**
 * The charts' colours checked against WCAG 2.2 AA in the SVG they really produce (the HTML document
 * embeds it; Word gets a PNG drawn from it): numbers drawn on a bar 4.5:1 against the bar's colour
 * (1.4.3: 12 px bold is not large text), every bar 3:1 against the white page or outlined in a colour
 * that is (1.4.11, non-text contrast), every other text 4.5:1 against white.
 */
import { describe, expect, it } from 'vitest';
import { type ChartSpec, renderChartSvg, type SeriesStyle } from '../src/core/charts.ts';

const ALL_STYLES: SeriesStyle[] = [
  'red',
  'amber',
  'green',
  'notRated',
  'answered',
  'needsData',
  'skipped',
  'carried',
  'unanswered',
  'previous',
  'current',
];

/** WCAG's relative luminance of `#RRGGBB`. */
function luminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #RRGGBB colour: ${hex}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
    const c = Number.parseInt(h as string, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const attr = (tag: string, name: string): string | undefined =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

function chart(kind: ChartSpec['kind'], styles: SeriesStyle[]): ChartSpec {
  return {
    id: `all-${kind}`,
    kind,
    title: 'Every series style',
    summary: 'A chart holding every series style, to check its colours.',
    categories: ['Assess', 'Plan'],
    series: styles.map((style, i) => ({ label: style, style, values: [40 + i, 30 + i] })),
    table: { caption: 'Values', head: ['Stage', ...styles], rows: [] },
  };
}

describe('chart colours (WCAG 2.2 AA, measured in the SVG)', () => {
  it('checks the contrast formula against known pairs', () => {
    expect(contrast('#000000', '#FFFFFF')).toBeCloseTo(21, 5);
    expect(contrast('#767676', '#FFFFFF')).toBeCloseTo(4.54, 2);
    expect(contrast('#FFFFFF', '#FFFFFF')).toBe(1);
  });

  for (const kind of ['stacked', 'grouped', 'line'] as const) {
    it(`${kind}: bars and lines, numbers on bars, and every other text`, () => {
      const svg = renderChartSvg(chart(kind, ALL_STYLES));
      const patterns = new Map(
        [...svg.matchAll(/<pattern id="([^"]+)"[^>]*><rect [^>]*fill="(#[0-9A-Fa-f]{6})"/g)].map((m) => [
          m[1] as string,
          m[2] as string,
        ]),
      );
      const solid = (paint: string): string => {
        const ref = /^url\(#(.+)\)$/.exec(paint)?.[1];
        const colour = ref === undefined ? paint : patterns.get(ref);
        if (colour === undefined) throw new Error(`unknown paint ${paint}`);
        return colour;
      };
      const problems: string[] = [];
      let checked = 0;
      // the marks of a pattern are texture over its fill, which is what is measured
      const shapes = svg.replace(/<defs>[\s\S]*?<\/defs>/g, '');
      for (const [tag] of shapes.matchAll(/<(?:rect|circle|path|polygon|line|polyline)\b[^>]*>/g)) {
        const fill = attr(tag, 'fill');
        const stroke = attr(tag, 'stroke');
        // the chart's own white background, and the white gaps between stacked segments
        if (/^<rect width="\d+" height="[\d.]+" fill="#FFFFFF"\/>$/.test(tag)) continue;
        if (tag.startsWith('<line') || tag.startsWith('<polyline') || (fill === 'none' && stroke)) {
          // a line of a line chart, an axis or a legend sample: its stroke is what shows
          if (stroke === undefined || /BDC1C6/i.test(stroke)) continue; // gridlines: values are labelled
          checked++;
          if (contrast(stroke, '#FFFFFF') < 3)
            problems.push(`${tag}: stroke ${contrast(stroke, '#FFFFFF').toFixed(2)}:1`);
          continue;
        }
        if (fill === undefined || fill === 'none') continue;
        const colour = solid(fill);
        const best = Math.max(
          contrast(colour, '#FFFFFF'),
          stroke && stroke !== '#FFFFFF' ? contrast(stroke, '#FFFFFF') : 0,
        );
        checked++;
        if (best < 3) problems.push(`${tag}: ${best.toFixed(2)}:1 against the page`);
      }
      for (const [tag] of svg.matchAll(/<text\b[^>]*>/g)) {
        const fill = attr(tag, 'fill');
        const halo = attr(tag, 'stroke');
        if (fill === undefined) continue; // inherits the group's colour, checked below
        const behind = halo ?? '#FFFFFF';
        checked++;
        if (contrast(fill, behind) < 4.5)
          problems.push(`${tag}: text ${contrast(fill, behind).toFixed(2)}:1 against ${behind}`);
      }
      for (const [tag] of svg.matchAll(/<g\b[^>]*fill="(#[0-9A-Fa-f]{6})"[^>]*>/g)) {
        const fill = attr(tag, 'fill') as string;
        checked++;
        if (contrast(fill, '#FFFFFF') < 4.5)
          problems.push(`${tag}: text ${contrast(fill, '#FFFFFF').toFixed(2)}:1`);
      }
      expect(checked).toBeGreaterThan(ALL_STYLES.length);
      expect(problems).toEqual([]);
    });
  }
});
