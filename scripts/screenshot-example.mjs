#!/usr/bin/env node
// The README's picture of an exported paper: examples/documents/screenshot.png, taken by headless
// Chromium (Debian's `chromium`, or KINSHIP_REFLECT_CHROMIUM) from the example's summary in HTML.
// Run after scripts/make-examples.mjs:   node scripts/screenshot-example.mjs
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const page = path.join(root, 'examples', 'documents', 'exampleshire-2026-27-summary.html');
const out = path.join(root, 'examples', 'documents', 'screenshot.png');
const executablePath = process.env.KINSHIP_REFLECT_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`screenshot-example: no Chromium at ${executablePath} (apt-get install chromium)`);
  process.exit(1);
}
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1024, height: 1500 } });
  await tab.goto(pathToFileURL(page).href);
  await tab.screenshot({ path: out });
  console.log(path.relative(process.cwd(), out));
} finally {
  await browser.close();
}
