/**
 * The chart images of a Word document: our SVG drawn as PNG by resvg 2.6.2, in one of two builds.
 * - The npm package uses @resvg/resvg-js, resvg as a native module: it draws the three charts of a
 *   paper in ~0.05 s.
 * - The single executable cannot load a native module from inside itself (a native module must be a
 *   file on disk, and writing one to a temp folder is what IT departments and antivirus software
 *   object to), so it uses @resvg/resvg-wasm, the same resvg compiled to WebAssembly, whose .wasm
 *   travels inside the executable (chart-raster-wasm.ts). It takes ~0.2–0.5 s for the same charts,
 *   which is why the npm package keeps the native one (bench/README.md, "Word export").
 * Given the same font files both draw the same pixels (tests/chart-raster.test.ts).
 *
 * Loaded only by `export --format docx`.
 */

/** Set by scripts/build-exe.mjs in the single executable (false in the npm build). */
declare const __SINGLE_EXECUTABLE__: boolean;

/** Renders an SVG to PNG; injected so that tests can stand in for resvg. */
export type RasterizeSvg = (svg: string, widthPx: number) => Uint8Array;

/**
 * The charts name these families (core/charts.ts); the first one installed draws them. Liberation
 * Sans (metrically the same as Arial) is what Linux desktops have.
 */
export const CHART_FONT_FAMILY = 'Liberation Sans';

/** The options both builds of resvg draw with, but the fonts: a white page, `widthPx` wide. */
export function renderOptions(widthPx: number) {
  return {
    fitTo: { mode: 'width' as const, value: widthPx },
    background: '#ffffff',
  };
}

/** resvg-js, the native module, with the system's fonts. */
export async function loadResvgRasterizer(): Promise<RasterizeSvg> {
  const { Resvg } = await import('@resvg/resvg-js');
  return (svg, widthPx) =>
    new Resvg(svg, {
      ...renderOptions(widthPx),
      font: { loadSystemFonts: true, defaultFontFamily: CHART_FONT_FAMILY },
    })
      .render()
      .asPng();
}

/** The renderer of this build: native in the npm package, WebAssembly in the single executable. */
export async function loadChartRasterizer(): Promise<RasterizeSvg> {
  // a constant in both builds: each bundle holds only its own renderer (the executable could not
  // bundle the native one)
  return typeof __SINGLE_EXECUTABLE__ === 'boolean' && __SINGLE_EXECUTABLE__
    ? (await import('./chart-raster-wasm.ts')).loadExecutableRasterizer()
    : loadResvgRasterizer();
}
