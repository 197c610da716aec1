/**
 * The single executable's chart renderer: resvg 2.6.2 compiled to WebAssembly (@resvg/resvg-wasm),
 * the same resvg as the npm package's native @resvg/resvg-js (chart-raster.ts says why two). Its
 * .wasm is an asset of the executable (scripts/build-exe.mjs): it is compiled from memory, and
 * nothing is written to disk.
 *
 * WebAssembly cannot list the system's fonts, so they are found here: the files of the families the
 * charts name (core/charts.ts: Arial, Liberation Sans, Helvetica), in the folders where resvg-js
 * looks. resvg draws with the first of those families it has, so given these files both builds pick
 * the same face and draw the same pixels (tests/chart-raster.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { getRawAsset } from 'node:sea';
import { setFlagsFromString } from 'node:v8';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { FailureError } from '../core/errors.ts';
import { CHART_FONT_FAMILY, type RasterizeSvg, renderOptions } from './chart-raster.ts';

/** The SEA asset that holds resvg's .wasm (scripts/build-exe.mjs adds it). */
export const RESVG_WASM_ASSET = 'resvg.wasm';

/**
 * The folders resvg-js loads the system's fonts from (its font database, fontdb, without
 * fontconfig), for `platform`. `env` and `home` are the process's; `p` is `path.win32` for Windows.
 */
export function systemFontDirs(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  home: string,
  p: path.PlatformPath = path,
): string[] {
  if (platform === 'win32') {
    // (Node's process.env ignores case on Windows; a test's object does not)
    const windows = env.SystemRoot ?? env.SYSTEMROOT ?? env.windir ?? env.WINDIR ?? 'C:\\Windows';
    const local = env.LOCALAPPDATA ?? p.join(home, 'AppData', 'Local');
    return [p.join(windows, 'Fonts'), p.join(local, 'Microsoft', 'Windows', 'Fonts')];
  }
  if (platform === 'darwin')
    return [
      '/Library/Fonts',
      '/System/Library/Fonts',
      '/Network/Library/Fonts',
      p.join(home, 'Library', 'Fonts'),
    ];
  const data = env.XDG_DATA_HOME || p.join(home, '.local', 'share');
  return ['/usr/share/fonts', '/usr/local/share/fonts', p.join(data, 'fonts'), p.join(home, '.fonts')];
}

/**
 * A font file of a chart family, by the names the families' files have: Windows's `arial.ttf`,
 * `arialbd.ttf`, `ariali.ttf`, `arialbi.ttf`; macOS's `Arial Bold.ttf` and `Helvetica.ttc`; the
 * Microsoft core fonts' `Arial_Bold.ttf`; `LiberationSans-Bold.ttf`. Not Arial Narrow, Black or
 * Unicode MS (other families, and the last is 23 MB).
 */
export function isChartFontFile(name: string): boolean {
  return /^(arial(bd|i|bi|bold|italic|bolditalic)?|liberationsans(regular|bold|italic|bolditalic)|helvetica)\.(ttf|otf|ttc)$/.test(
    name.toLowerCase().replace(/[\s_-]/g, ''),
  );
}

/**
 * The chart fonts' files under `dirs` (and their subfolders), in a stable order. Not the workspace
 * walker (shell/files.ts): its rules are for files a user's git clone holds, and a font folder's
 * links (a distribution's `Arial.ttf -> arial.ttf`) are followed here, as resvg-js follows them.
 */
export function findChartFonts(dirs: readonly string[], p: path.PlatformPath = path): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir, { recursive: true, encoding: 'utf8' });
    } catch {
      continue; // a folder that does not exist, or cannot be read: the others may do
    }
    for (const name of names.sort()) if (isChartFontFile(p.basename(name))) found.push(p.join(dir, name));
  }
  return found;
}

let initialised: Promise<void> | undefined;

/**
 * resvg's WebAssembly build as a rasterizer, drawing with the fonts in `fonts` (the files' bytes).
 * `wasm` is the module's bytes; the module is compiled once per process (resvg-wasm allows one).
 */
export async function loadWasmRasterizer(
  wasm: ArrayBuffer | ArrayBufferView,
  fonts: readonly Uint8Array[],
): Promise<RasterizeSvg> {
  initialised ??= initWasm(wasm);
  await initialised;
  const font = { fontBuffers: [...fonts], defaultFontFamily: CHART_FONT_FAMILY };
  return (svg, widthPx) => {
    const resvg = new Resvg(svg, { ...renderOptions(widthPx), font });
    const image = resvg.render();
    try {
      return image.asPng();
    } finally {
      // WebAssembly memory is not collected with the objects that point into it
      image.free();
      resvg.free();
    }
  };
}

/** The renderer of the single executable: its own .wasm, and the system's chart fonts. */
export async function loadExecutableRasterizer(): Promise<RasterizeSvg> {
  const dirs = systemFontDirs(process.platform, process.env, homedir());
  const fonts: Uint8Array[] = [];
  for (const file of findChartFonts(dirs)) {
    try {
      fonts.push(readFileSync(file));
    } catch {
      // a font file that cannot be read is one resvg-js could not use either
    }
  }
  if (fonts.length === 0)
    throw new FailureError(
      `the charts of a Word document are drawn in Arial, Liberation Sans or Helvetica, and none of them is installed (looked in ${dirs.join(', ')}).`,
      'Install Liberation Sans (on Debian and Ubuntu: the fonts-liberation package) or Arial, or export --format html.',
    );
  // the asset's bytes where the executable holds them: compiled, never copied or written out
  const wasm = getRawAsset(RESVG_WASM_ASSET);
  if (typeof wasm === 'string') throw new Error(`the asset ${RESVG_WASM_ASSET} is text, not a .wasm`);
  // V8 compiles the 2.5 MB module twice: at once with its baseline compiler (Liftoff), then again,
  // optimised, on background threads. Three charts are drawn before the optimised code pays off, and
  // on two busy cores that second compilation made the export take twice as long. The flag applies
  // to WebAssembly only, set here, before the module is compiled (the same PNGs either way).
  setFlagsFromString('--liftoff-only');
  return loadWasmRasterizer(wasm, fonts);
}
