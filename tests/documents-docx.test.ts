/**
 * The Word documents, opened by a real reader: LibreOffice converts them to PDF (one `soffice` run
 * for all of them: each start costs seconds on two cores), poppler reads the PDFs back. Checked:
 * the text and headings, the page count, and that the committee summary of a fully answered cycle
 * with six priorities fits four sides of A4. The .docx itself is checked too: Word's heading styles,
 * title and language in its properties, Arial 12, repeating header rows, images with alternative
 * text (PNG, and the SVG beside it), page numbers, and the same bytes for the same cycle.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bank } from '../src/core/types.ts';
import { loadBuiltinBank } from '../src/generated/banks.ts';
import { fullCycle } from './helpers/full-cycle.ts';
import { missingReader, sofficePath } from './helpers/readers.ts';
import { repoRoot, runCli } from './helpers/run-cli.ts';

const run = promisify(execFile);
const soffice = sofficePath();
const skip = missingReader(
  'LibreOffice (soffice)',
  soffice !== undefined,
  'apt-get install libreoffice-writer-nogui poppler-utils',
);
const TODAY = '2026-07-10';

let dir: string;
const pdf: Record<string, { pages: number; text: string }> = {};
const docx: Record<string, Buffer> = {};

async function exportDocx(workspace: string, out: string, extra: string[]): Promise<Buffer> {
  const r = await runCli(['--dir', workspace, 'export', '--format', 'docx', '--out', out, ...extra], {
    cwd: dir,
    env: { KINSHIP_REFLECT_TODAY: TODAY },
    timeoutMs: 60_000,
  });
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(out);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kr-docx-'));
  // a fully answered cycle with six priorities, for the four-page summary
  const bank = (await loadBuiltinBank('reflective-tool')) as Bank;
  const full = path.join(dir, 'full-ws');
  mkdirSync(full);
  writeFileSync(
    path.join(full, 'kinship-reflect.yaml'),
    'authority: Exampleshire County Council\nbank: reflective-tool\nratings: true\nreport: false\n',
  );
  writeFileSync(path.join(full, '2026-27.json'), `${JSON.stringify(fullCycle(bank), null, 2)}\n`);
  const example = path.join(repoRoot, 'examples', 'exampleshire');
  docx['full-summary'] = await exportDocx(full, path.join(dir, 'full-summary.docx'), ['--summary']);
  docx['example-full'] = await exportDocx(example, path.join(dir, 'example-full.docx'), [
    '--cycle',
    '2026-27',
  ]);
  docx['example-full-again'] = await exportDocx(example, path.join(dir, 'example-full-again.docx'), [
    '--cycle',
    '2026-27',
  ]);
  if (skip) return;
  if (!soffice)
    throw new Error(
      'LibreOffice is required under CI: apt-get install libreoffice-writer-nogui (see .ci/run)',
    );
  // its own profile folder, so a LibreOffice the user has open is neither used nor disturbed
  const profile = path.join(dir, 'lo-profile');
  await run(
    soffice,
    [
      `-env:UserInstallation=file://${profile}`,
      '--headless',
      '--norestore',
      '--convert-to',
      'pdf',
      '--outdir',
      dir,
      path.join(dir, 'full-summary.docx'),
      path.join(dir, 'example-full.docx'),
    ],
    { timeout: 240_000 },
  );
  for (const name of ['full-summary', 'example-full']) {
    const file = path.join(dir, `${name}.pdf`);
    const info = (await run('pdfinfo', [file])).stdout;
    const text = (await run('pdftotext', ['-layout', file, '-'])).stdout;
    pdf[name] = { pages: Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]), text };
  }
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function part(name: string, file: string): Promise<string> {
  const zip = await JSZip.loadAsync(docx[name] as Buffer);
  const entry = zip.file(file);
  if (!entry) throw new Error(`${file} is not in ${name}.docx`);
  return entry.async('string');
}

describe('the .docx', () => {
  it('uses Word heading styles, Arial 12 and British English, with title and language in its properties', async () => {
    const body = await part('example-full', 'word/document.xml');
    for (const style of ['Heading1', 'Heading2', 'Heading3', 'Heading4'])
      expect(body).toContain(`<w:pStyle w:val="${style}"/>`);
    const styles = await part('example-full', 'word/styles.xml');
    expect(styles).toMatch(/<w:rFonts w:ascii="Arial"/);
    expect(styles).toContain('<w:sz w:val="24"/>');
    expect(styles).toContain('<w:lang w:val="en-GB"/>');
    const core = await part('example-full', 'docProps/core.xml');
    expect(core).toContain(
      '<dc:title>Kinship care reflection 2026-27: Exampleshire County Council (fictional)</dc:title>',
    );
    expect(core).toContain('<dc:language>en-GB</dc:language>');
    expect(core).toContain(
      '<dcterms:created xsi:type="dcterms:W3CDTF">2026-07-10T00:00:00Z</dcterms:created>',
    );
  });

  it('repeats table header rows, gives charts alternative text (PNG and SVG), and numbers pages', async () => {
    const body = await part('example-full', 'word/document.xml');
    expect(body).toContain('<w:tblHeader/>');
    const alts = [
      ...body.matchAll(/<wp:docPr id="(\d+)" name="(chart-[a-z]+)" descr="([^"]+)" title="([^"]+)"/g),
    ];
    expect(alts.map((m) => m[2])).toEqual(['chart-rag', 'chart-change', 'chart-stages']);
    expect(new Set(alts.map((m) => m[1])).size).toBe(3);
    expect(alts[0]?.[3]).toMatch(/has the most red ratings/);
    const zip = await JSZip.loadAsync(docx['example-full'] as Buffer);
    const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
    expect(media.filter((f) => f.endsWith('.png'))).toHaveLength(3);
    expect(media.filter((f) => f.endsWith('.svg'))).toHaveLength(3);
    const footer = await part('example-full', 'word/footer1.xml');
    expect(footer).toContain('PAGE');
    expect(footer).toContain('NUMPAGES');
  });

  it('is the same bytes for the same cycle', () => {
    expect(Buffer.compare(docx['example-full'] as Buffer, docx['example-full-again'] as Buffer)).toBe(0);
  });
});

describe.skipIf(skip)('opened by LibreOffice', () => {
  it('the summary of a fully answered cycle with six priorities fits four sides of A4', () => {
    const summary = pdf['full-summary'];
    expect(summary?.pages).toBeGreaterThanOrEqual(2);
    expect(summary?.pages).toBeLessThanOrEqual(4);
    expect(summary?.text).toContain('Page 1 of');
    for (const r of ['Recommendation 1 (R1', 'Recommendation 6 (R6']) expect(summary?.text).toContain(r);
    expect(summary?.text).not.toContain('The answers');
  });

  it('the full document has its text, headings and pages', () => {
    const full = pdf['example-full'];
    expect(full?.pages).toBeGreaterThan(4);
    expect(full?.pages).toBeLessThan(30);
    const text = (full?.text ?? '').replace(/\s+/g, ' ');
    for (const heading of [
      'Kinship care reflection 2026-27: Exampleshire County Council (fictional)',
      'Summary',
      'Priority Recommendations',
      'Red, amber and green by Key Principle and Recommendation',
      'Change since cycle 2025-26',
      'The answers',
      'Step 1: Assess',
      'Abbreviations and terms',
    ])
      expect(text).toContain(heading);
    expect(text).toContain('Around 310 children live in kinship households we know of (fictional figure).');
    expect(text).toContain(`Page 1 of ${full?.pages}`);
  });
});
