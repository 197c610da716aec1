/**
 * The example workspace (examples/exampleshire/): valid, free of personal data, its reports current,
 * and exactly what scripts/make-examples.mjs produces (regenerated in a temp folder and compared byte
 * for byte). Needs the built CLI (`npm run build`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './helpers/run-cli.ts';

const run = promisify(execFile);
const exampleDir = path.join(repoRoot, 'examples', 'exampleshire');
const FILES = ['2025-26.json', '2025-26.md', '2026-27.json', '2026-27.md', 'kinship-reflect.yaml'];
const documentsDir = path.join(repoRoot, 'examples', 'documents');
const DOCUMENTS = [
  'exampleshire-2026-27-summary.docx',
  'exampleshire-2026-27-summary.html',
  'exampleshire-2026-27.docx',
  'exampleshire-2026-27.html',
];

/**
 * The entries of a .docx, for comparing two: the chart images (PNG) are left out, because their
 * pixels depend on the fonts of the machine that drew them; everything else must match byte for byte.
 */
async function docxEntries(file: string): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const out: Record<string, string> = {};
  // a PNG is named by a hash of its pixels: the name is left out of the comparison too
  const png = (text: string) => text.replace(/media\/[0-9a-f]+\.png/g, 'media/(png)');
  for (const name of Object.keys(zip.files).sort()) {
    if (name.endsWith('.png')) out[png(name)] = 'png';
    else out[name] = png(await (zip.files[name] as JSZip.JSZipObject).async('string'));
  }
  return out;
}

interface ExampleAnswer {
  status: string;
  text?: string[];
  needs?: string[];
  rating?: string;
  carried?: string;
}
interface ExampleCycle {
  cycle: string;
  authority: string;
  from?: string;
  priorities: { recommendation: string }[];
  answers: Record<string, ExampleAnswer>;
  actions: { id: string; status: string; opened: string }[];
}

function readCycle(id: string): ExampleCycle {
  return JSON.parse(readFileSync(path.join(exampleDir, `${id}.json`), 'utf8')) as ExampleCycle;
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'kinship-reflect-examples-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('examples/exampleshire', () => {
  it('holds exactly the workspace file and two cycles with their reports', () => {
    expect(readdirSync(exampleDir).sort()).toEqual(FILES);
    expect(readFileSync(path.join(exampleDir, 'kinship-reflect.yaml'), 'utf8')).toContain(
      'authority: Exampleshire County Council (fictional)',
    );
  });

  it('validates: both cycle files pass `validate`', async () => {
    const r = await runCli(
      ['validate', path.join(exampleDir, '2025-26.json'), path.join(exampleDir, '2026-27.json')],
      {
        cwd: tmp,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok\s+.*2025-26\.json/);
    expect(r.stdout).toMatch(/ok\s+.*2026-27\.json/);
  });

  it('contains no personal data: `check` finds nothing in the folder', async () => {
    const r = await runCli(['check', exampleDir], { cwd: tmp });
    expect(r.code).toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/No personal data found/);
  });

  it('has the reports the tool writes today (each <cycle>.md is what `export` prints)', async () => {
    for (const id of ['2025-26', '2026-27']) {
      const r = await runCli(['--dir', exampleDir, 'export', '--cycle', id], { cwd: tmp });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(readFileSync(path.join(exampleDir, `${id}.md`), 'utf8'));
    }
  });

  it('shows a real second cycle: carried forward, some answers confirmed or changed, ratings moved, actions moved on', () => {
    const first = readCycle('2025-26');
    const second = readCycle('2026-27');
    expect(second.from).toBe('2025-26');
    expect(first.priorities.map((p) => p.recommendation)).toEqual(['R1', 'R3']);
    expect(second.priorities.map((p) => p.recommendation)).toEqual(['R3', 'R5']);
    const answers = Object.values(second.answers);
    expect(answers.filter((a) => a.carried === '2025-26').length).toBeGreaterThan(5);
    expect(answers.filter((a) => a.carried === undefined).length).toBeGreaterThan(5);
    expect(
      Object.values(first.answers).filter((a) => a.status === 'needs-data').length,
    ).toBeGreaterThanOrEqual(3);
    // a rating that moved from red to green between the cycles
    const moved = Object.keys(second.answers).filter(
      (id) => first.answers[id]?.rating === 'red' && second.answers[id]?.rating === 'green',
    );
    expect(moved.length).toBeGreaterThan(0);
    expect(first.actions.some((a) => a.status === 'done')).toBe(true);
    expect(second.actions.some((a) => a.opened === '2025-26' && a.status === 'done')).toBe(true);
    expect(second.actions.some((a) => a.opened === '2026-27')).toBe(true);
  });

  it('is aggregated: every answer speaks of counts and shares, never of a named person', () => {
    for (const id of ['2025-26', '2026-27']) {
      const cycle = readCycle(id);
      expect(cycle.authority).toBe('Exampleshire County Council (fictional)');
      const text = Object.values(cycle.answers)
        .flatMap((a) => [...(a.text ?? []), ...(a.needs ?? [])])
        .join('\n');
      expect(text).toContain('(fictional figure)');
      expect(text).not.toMatch(/\b(?:Mr|Mrs|Ms|Miss|Dr)\.? [A-Z]/);
      expect(text).not.toMatch(/@|\b0\d{3,4} ?\d{3} ?\d{3,4}\b/);
    }
  });

  it('is reproduced byte for byte by scripts/make-examples.mjs', { timeout: 180_000 }, async () => {
    const out = path.join(tmp, 'regenerated');
    await run(process.execPath, [path.join(repoRoot, 'scripts', 'make-examples.mjs'), '--out', out], {
      cwd: tmp,
      timeout: 170_000,
    });
    expect(readdirSync(out).sort()).toEqual(FILES);
    for (const file of FILES) {
      const fresh = readFileSync(path.join(out, file), 'utf8');
      const committed = readFileSync(path.join(exampleDir, file), 'utf8');
      expect(fresh, `${file} differs: run node scripts/make-examples.mjs and commit the result`).toBe(
        committed,
      );
    }
    // the papers for people, made from the regenerated workspace, beside it
    const docs = path.join(tmp, 'documents');
    expect(readdirSync(docs).sort()).toEqual(DOCUMENTS);
    expect(readdirSync(documentsDir).sort()).toEqual([...DOCUMENTS, 'screenshot.png'].sort());
    for (const file of DOCUMENTS) {
      const hint = `examples/documents/${file} differs: run node scripts/make-examples.mjs and commit the result`;
      if (file.endsWith('.docx')) {
        expect(await docxEntries(path.join(docs, file)), hint).toEqual(
          await docxEntries(path.join(documentsDir, file)),
        );
      } else {
        expect(readFileSync(path.join(docs, file), 'utf8'), hint).toBe(
          readFileSync(path.join(documentsDir, file), 'utf8'),
        );
      }
    }
  });
});
