/**
 * The two builds of resvg that draw Word's chart images (src/shell/chart-raster.ts): the npm
 * package's native @resvg/resvg-js and the single executable's WebAssembly @resvg/resvg-wasm must
 * give the same PNG for every kind of chart, with the fonts the executable finds on its own. And how
 * the executable finds those fonts: the folders per platform (path.win32 for Windows) and the files.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChartSpec, renderChartSvg } from '../src/core/charts.ts';
import { loadResvgRasterizer, type RasterizeSvg } from '../src/shell/chart-raster.ts';
import {
  findChartFonts,
  isChartFontFile,
  loadWasmRasterizer,
  systemFontDirs,
} from '../src/shell/chart-raster-wasm.ts';
import { inCi } from './helpers/readers.ts';
import { repoRoot } from './helpers/run-cli.ts';

const require = createRequire(import.meta.url);
const wasmBytes = () => readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm'));
const fontFiles = findChartFonts(systemFontDirs(process.platform, process.env, homedir()));

/** Every kind of chart and every series style, with text in bold and regular, long and short. */
const CHARTS: ChartSpec[] = [
  {
    id: 'ratings',
    kind: 'stacked',
    title: 'Self-ratings by key principle – “where we are”',
    summary: 'KP1 has the most red ratings.',
    categories: ['KP1 Family first', 'KP2', 'KP3 Support for carers and children'],
    series: [
      { label: 'Red', style: 'red', values: [3, 0, 2] },
      { label: 'Amber', style: 'amber', values: [2, 1, 0] },
      { label: 'Green', style: 'green', values: [1, 5, 4] },
      { label: 'Not rated', style: 'unanswered', values: [0, 1, 1] },
    ],
    table: { caption: 'c', head: ['Tag', 'Red'], rows: [['KP1', '3']] },
  },
  {
    id: 'answered',
    kind: 'grouped',
    title: 'Answered questions by stage',
    summary: 'Most of Assess is answered.',
    categories: ['Assess', 'Plan', 'Do', 'Review'],
    series: [
      { label: '2025-26', style: 'answered', values: [40, 20, 5, 0] },
      { label: '2026-27', style: 'green', values: [95, 60, 30, 10] },
    ],
    percent: true,
    table: { caption: 'c', head: ['Stage', '2025-26'], rows: [['Assess', '40%']] },
  },
  {
    id: 'trend',
    kind: 'line',
    title: 'Ratings over the cycles',
    summary: 'Red falls, green rises.',
    categories: ['2024-25', '2025-26', '2026-27'],
    series: [
      { label: 'Red', style: 'red', values: [12, 8, 3] },
      { label: 'Amber', style: 'amber', values: [10, 11, 9] },
      { label: 'Green', style: 'green', values: [3, 6, 13] },
    ],
    table: { caption: 'c', head: ['Cycle', 'Red'], rows: [['2024-25', '12']] },
  },
];

const widthOf = (svg: string) => Number(/viewBox="0 0 ([\d.]+)/.exec(svg)?.[1]) * 1.5;

describe.skipIf(fontFiles.length === 0 && !inCi)('native and WebAssembly resvg', () => {
  let native: RasterizeSvg;
  let wasm: RasterizeSvg;
  beforeAll(async () => {
    // fonts-liberation is installed by .ci/run; on a machine without any chart font this group skips
    if (fontFiles.length === 0) throw new Error('no chart font (Arial or Liberation Sans) is installed');
    native = await loadResvgRasterizer();
    wasm = await loadWasmRasterizer(
      wasmBytes(),
      fontFiles.map((f) => readFileSync(f)),
    );
  });

  it.each(CHARTS.map((c) => [c.kind, c] as const))('draw the same PNG: %s chart', (_kind, chart) => {
    const svg = renderChartSvg(chart);
    const a = Buffer.from(native(svg, widthOf(svg)));
    const b = Buffer.from(wasm(svg, widthOf(svg)));
    expect(a.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(b.length).toBe(a.length);
    expect(b.equals(a)).toBe(true);
  });

  it('draw the text with the fonts found (without them the same chart has no words)', async () => {
    const svg = renderChartSvg(CHARTS[0]!);
    // resvg-wasm compiles once per process; fonts are per drawing
    const bare = await loadWasmRasterizer(wasmBytes(), []);
    expect(Buffer.from(bare(svg, 600)).equals(Buffer.from(wasm(svg, 600)))).toBe(false);
  });
});

describe('the two builds of resvg', () => {
  it('are the same version, pinned exactly', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
    const native = pkg.dependencies['@resvg/resvg-js'];
    expect(native).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies['@resvg/resvg-wasm']).toBe(native);
    for (const name of ['@resvg/resvg-js', '@resvg/resvg-wasm']) {
      const installed = path.join(repoRoot, 'node_modules', name, 'package.json');
      expect(JSON.parse(readFileSync(installed, 'utf8')).version, name).toBe(native);
    }
  });
});

describe('the chart fonts the executable looks for', () => {
  it('are found in the folders resvg-js reads, on Windows', () => {
    const dirs = systemFontDirs(
      'win32',
      { SystemRoot: 'D:\\WINNT', LOCALAPPDATA: 'C:\\Users\\Jo Bloggs\\AppData\\Local' },
      'C:\\Users\\Jo Bloggs',
      path.win32,
    );
    expect(dirs).toEqual([
      'D:\\WINNT\\Fonts',
      'C:\\Users\\Jo Bloggs\\AppData\\Local\\Microsoft\\Windows\\Fonts',
    ]);
    expect(systemFontDirs('win32', {}, 'C:\\Users\\jo', path.win32)).toEqual([
      'C:\\Windows\\Fonts',
      'C:\\Users\\jo\\AppData\\Local\\Microsoft\\Windows\\Fonts',
    ]);
  });

  it('are found in the folders resvg-js reads, on Linux and macOS', () => {
    expect(systemFontDirs('linux', {}, '/home/jo', path.posix)).toEqual([
      '/usr/share/fonts',
      '/usr/local/share/fonts',
      '/home/jo/.local/share/fonts',
      '/home/jo/.fonts',
    ]);
    expect(systemFontDirs('linux', { XDG_DATA_HOME: '/data/jo' }, '/home/jo', path.posix)).toContain(
      '/data/jo/fonts',
    );
    expect(systemFontDirs('darwin', {}, '/Users/jo', path.posix)).toContain('/Users/jo/Library/Fonts');
  });

  it('are the files of Arial, Liberation Sans and Helvetica, by the names they ship under', () => {
    const yes = [
      'arial.ttf',
      'arialbd.ttf',
      'ariali.ttf',
      'arialbi.ttf',
      'ARIAL.TTF',
      'Arial Bold.ttf',
      'Arial_Bold_Italic.ttf',
      'LiberationSans-Regular.ttf',
      'LiberationSans-BoldItalic.ttf',
      'Helvetica.ttc',
    ];
    const no = [
      'ARIALUNI.TTF', // Arial Unicode MS: another family, 23 MB
      'arialn.ttf', // Arial Narrow
      'ariblk.ttf',
      'Arial Black.ttf',
      'LiberationSansNarrow-Bold.ttf',
      'LiberationSerif-Regular.ttf',
      'DejaVuSans.ttf',
      'arial.ttf.bak',
      'arial.pfb',
    ];
    expect(yes.filter((n) => !isChartFontFile(n))).toEqual([]);
    expect(no.filter(isChartFontFile)).toEqual([]);
  });

  describe('in a folder tree', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'kr-fonts-'));
      mkdirSync(path.join(dir, 'truetype', 'liberation'), { recursive: true });
      for (const f of ['LiberationSans-Bold.ttf', 'LiberationSans-Regular.ttf', 'LiberationMono-Regular.ttf'])
        writeFileSync(path.join(dir, 'truetype', 'liberation', f), '');
      writeFileSync(path.join(dir, 'arial.ttf'), '');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('are found in subfolders, in a stable order, and a missing folder is passed over', () => {
      expect(findChartFonts([path.join(dir, 'nowhere'), dir]).map((f) => path.relative(dir, f))).toEqual([
        'arial.ttf',
        path.join('truetype', 'liberation', 'LiberationSans-Bold.ttf'),
        path.join('truetype', 'liberation', 'LiberationSans-Regular.ttf'),
      ]);
    });
  });
});
