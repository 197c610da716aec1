/**
 * The real readers the document tests open files with: headless Chromium (Debian's `chromium`) and
 * LibreOffice (`soffice`), with poppler's `pdfinfo`/`pdftotext`. On a developer's machine without
 * them those tests skip, saying why; under CI (`CI=true`, as .ci/run sets) a missing reader fails.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const full = path.join(dir, name);
    if (dir !== '' && existsSync(full)) return full;
  }
  return undefined;
}

export function chromiumPath(): string | undefined {
  const configured = process.env.KINSHIP_REFLECT_CHROMIUM;
  if (configured) return configured;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p)) ?? onPath('chromium');
}

export function sofficePath(): string | undefined {
  return onPath('soffice') ?? onPath('libreoffice');
}

export const inCi = process.env.CI === 'true' || process.env.CI === '1';

/**
 * Whether to skip a test group for a missing reader: never under CI, where the test then fails with
 * the reason; elsewhere the group skips and says what to install.
 */
export function missingReader(what: string, found: boolean, install: string): boolean {
  if (found) return false;
  if (inCi) return false;
  console.warn(`${what} not found: these tests are skipped (install with: ${install}).`);
  return true;
}
