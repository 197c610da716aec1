/**
 * The HTML documents in a real browser: headless Chromium driven by playwright-core, checked by
 * axe-core against WCAG 2.2 AA (zero violations) for a full and a summary document of the example
 * workspace and for a document full of hostile text; reflow at 320 px and at 200% zoom; no script
 * runs; screenshots at 1280 and 390 px are written to a temp folder (printed) for a person to look at.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerableItems } from '../src/core/bank.ts';
import { buildCycleDocument } from '../src/core/document.ts';
import { renderDocumentHtml } from '../src/core/render-html.ts';
import type { Bank, CycleFile } from '../src/core/types.ts';
import { loadBuiltinBank } from '../src/generated/banks.ts';
import { fullCycle } from './helpers/full-cycle.ts';
import { CHROMIUM_ARGS, chromiumPath, missingReader } from './helpers/readers.ts';
import { repoRoot } from './helpers/run-cli.ts';

const chromium = chromiumPath();
const skip = missingReader('Chromium', chromium !== undefined, 'apt-get install chromium');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let browser: Browser;
let dir: string;
const files: Record<string, string> = {};

function readExample(id: string): CycleFile {
  return JSON.parse(
    readFileSync(path.join(repoRoot, 'examples', 'exampleshire', `${id}.json`), 'utf8'),
  ) as CycleFile;
}

beforeAll(async () => {
  if (skip) return;
  if (!chromium) throw new Error('Chromium is required under CI: apt-get install chromium (see .ci/run)');
  dir = mkdtempSync(path.join(tmpdir(), 'kr-browser-'));
  const bank = (await loadBuiltinBank('reflective-tool')) as Bank;
  const cycles = [readExample('2025-26'), readExample('2026-27')];
  const current = cycles[1] as CycleFile;
  const write = (name: string, html: string) => {
    files[name] = path.join(dir, `${name}.html`);
    writeFileSync(files[name] as string, html);
  };
  write(
    'full',
    renderDocumentHtml(buildCycleDocument({ bank, cycle: current, cycles, today: '2026-07-10' })),
  );
  write(
    'summary',
    renderDocumentHtml(
      buildCycleDocument({ bank, cycle: current, cycles, today: '2026-07-10', summary: true }),
    ),
  );
  const members = (await loadBuiltinBank('elected-members')) as Bank;
  const membersCycle = fullCycle(members, '2026-27');
  write(
    'members',
    renderDocumentHtml(
      buildCycleDocument({ bank: members, cycle: membersCycle, cycles: [membersCycle], today: '2026-07-10' }),
    ),
  );
  const hostile = fullCycle(bank, '2027-28', 'Council <script>window.__ran = 1</script>');
  const ids = answerableItems(bank).map((i) => i.id);
  [
    '<script>window.__ran = 1</script>',
    '<img src=x onerror="window.__ran = 1">',
    'Escape \u001b]0;title\u0007 and \u202Eoverride',
  ].forEach((text, i) => {
    hostile.answers[ids[i] as string] = {
      status: 'answered',
      text: [text],
      rating: 'red',
      changed: '2026-05-11',
    };
  });
  write(
    'hostile',
    renderDocumentHtml(buildCycleDocument({ bank, cycle: hostile, cycles: [hostile], today: '2026-07-10' })),
  );
  const { chromium: pw } = await import('playwright-core');
  browser = await pw.launch({ executablePath: chromium, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function axeViolations(name: string, width: number): Promise<string[]> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  try {
    await page.goto(`file://${files[name]}`);
    await page.addScriptTag({ content: axeSource });
    const result = (await page.evaluate(
      `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG22_AA)} } })`,
    )) as { violations: { id: string; help: string; nodes: { target: string[] }[] }[] };
    return result.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
  } finally {
    await page.close();
  }
}

describe.skipIf(skip)('HTML documents in headless Chromium', () => {
  it.each(['full', 'summary', 'hostile'])(
    '%s: no WCAG 2.2 AA violations (axe-core), wide and narrow',
    async (name) => {
      expect(await axeViolations(name, 1280)).toEqual([]);
      expect(await axeViolations(name, 390)).toEqual([]);
    },
    60_000,
  );

  it.each(['full', 'summary'])(
    '%s: reflows at 320 px and at double zoom without sideways scrolling',
    async (name) => {
      for (const [width, scale] of [
        [320, 1],
        [640, 2], // a 1280 px window at 200% zoom lays out 640 CSS pixels
      ] as const) {
        const page = await browser.newPage({ viewport: { width, height: 800 }, deviceScaleFactor: scale });
        await page.goto(`file://${files[name]}`);
        const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow, `${name} at ${width} px`).toBeLessThanOrEqual(0);
        await page.close();
      }
    },
    60_000,
  );

  it('runs no script and shows hostile text as text', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`file://${files.hostile}`);
    expect(await page.evaluate('document.scripts.length')).toBe(0);
    expect(await page.evaluate('window.__ran')).toBeUndefined();
    expect(await page.evaluate('document.images.length')).toBe(0);
    const text = await page.evaluate<string>('document.body.innerText');
    expect(text).toContain('<script>window.__ran = 1</script>');
    expect(text).toContain('Escape \\x1B]0;title\\x07 and \\u202Eoverride');
    expect(dialogs).toEqual([]);
    await page.close();
  }, 60_000);

  it('prints to A4 without the navigation', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${files.summary}`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.evaluate("getComputedStyle(document.querySelector('nav')).display")).toBe('none');
    const pdf = await page.pdf({ preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  }, 60_000);

  it('screenshots at 1280 and 390 px, for a person to look at', async () => {
    const out = path.join(dir, 'screenshots');
    mkdirSync(out);
    for (const name of ['full', 'summary']) {
      for (const width of [1280, 390]) {
        const page = await browser.newPage({ viewport: { width, height: 1000 } });
        await page.goto(`file://${files[name]}`);
        const file = path.join(out, `${name}-${width}.png`);
        await page.screenshot({ path: file, fullPage: true });
        expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
        await page.close();
      }
    }
    if (process.env.KINSHIP_REFLECT_KEEP_SCREENSHOTS) {
      const keep = process.env.KINSHIP_REFLECT_KEEP_SCREENSHOTS;
      mkdirSync(keep, { recursive: true });
      for (const f of ['full-1280', 'full-390', 'summary-1280', 'summary-390'])
        writeFileSync(path.join(keep, `${f}.png`), readFileSync(path.join(out, `${f}.png`)));
    }
  }, 120_000);
});
