import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type Finding,
  findPersonalData,
  findPersonalDataInCycle,
  PII_KINDS,
  type PiiKind,
} from '../src/core/pii.ts';
import type { CycleFile } from '../src/core/types.ts';
import { generateCorpus } from './helpers/pii-corpus.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// The source documents sit beside the repository (../shared/seeds); a worktree elsewhere names them.
const seedsDir = process.env.KINSHIP_SEEDS_DIR ?? join(repoRoot, '..', 'shared', 'seeds');

interface Row {
  kind: PiiKind;
  positives: number;
  found: number;
  recall: number;
  /** Samples (negatives and positives of other kinds) with a spurious finding of this kind. */
  falsePositives: number;
  others: number;
  fpRate: number;
}

function measure(): {
  rows: Row[];
  overall: { positives: number; found: number; recall: number };
  negHits: string[];
} {
  const corpus = generateCorpus();
  const rows: Row[] = [];
  const negHits: string[] = [];
  const scanned = corpus.positives.map((p) => ({ sample: p, findings: findPersonalData(p.text) }));
  const negScanned = corpus.negatives.map((n) => ({ sample: n, findings: findPersonalData(n.text) }));
  for (const f of negScanned) {
    if (f.findings.length > 0) negHits.push(`${f.sample.note}: ${f.findings.map((x) => x.kind).join(', ')}`);
  }
  for (const kind of PII_KINDS) {
    const own = scanned.filter((s) => s.sample.kind === kind);
    // A hit is a finding of the right kind starting where the value starts.
    const found = own.filter((s) =>
      s.findings.some(
        (f) =>
          f.kind === kind &&
          f.line === 1 &&
          f.column - 1 >= s.sample.index - 16 &&
          f.column - 1 <= s.sample.index,
      ),
    ).length;
    const others = [...scanned.filter((s) => s.sample.kind !== kind), ...negScanned];
    const falsePositives = others.filter((s) => s.findings.some((f) => f.kind === kind)).length;
    rows.push({
      kind,
      positives: own.length,
      found,
      recall: found / own.length,
      falsePositives,
      others: others.length,
      fpRate: falsePositives / others.length,
    });
  }
  const positives = rows.reduce((n, r) => n + r.positives, 0);
  const found = rows.reduce((n, r) => n + r.found, 0);
  return { rows, overall: { positives, found, recall: found / positives }, negHits };
}

describe('accuracy on the labelled synthetic corpus', () => {
  const { rows, overall, negHits } = measure();

  it('prints recall and false-positive rate per kind', () => {
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    const table = [
      line(['kind', 'positives', 'found', 'recall', 'false positives', 'FP rate']),
      line(['---', '---:', '---:', '---:', '---:', '---:']),
      ...rows.map((r) =>
        line([
          r.kind,
          String(r.positives),
          String(r.found),
          r.recall.toFixed(3),
          `${r.falsePositives}/${r.others}`,
          `${(r.fpRate * 100).toFixed(2)}%`,
        ]),
      ),
      line(['overall', String(overall.positives), String(overall.found), overall.recall.toFixed(3), '', '']),
    ].join('\n');
    console.log(`Personal-data detectors on the synthetic corpus:\n${table}`);
    if (negHits.length > 0) console.log(`Negatives with findings:\n  ${negHits.join('\n  ')}`);
    expect(rows).toHaveLength(PII_KINDS.length);
  });

  it.each(PII_KINDS)('recall of %s is at least 0.95', (kind) => {
    const row = rows.find((r) => r.kind === kind);
    expect(row?.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('overall recall is at least 0.95', () => {
    expect(overall.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('false-positive rate is under 2% for every kind', () => {
    for (const r of rows) expect(r.fpRate, r.kind).toBeLessThan(0.02);
  });
});

function describeFindings(findings: Finding[]): string[] {
  return findings.map(
    (f) => `${f.item ?? ''}${f.item ? ' ' : ''}${f.line}:${f.column} ${f.kind} ${f.excerpt}`,
  );
}

function filesUnder(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, exts));
    else if (exts.some((e) => name.endsWith(e))) out.push(full);
  }
  return out;
}

describe('no findings on the source documents, the banks and the examples', () => {
  const seedFiles = existsSync(seedsDir)
    ? readdirSync(seedsDir)
        .filter((f) => /^00[0-4]_.*\.txt$/.test(f))
        .sort()
    : [];
  if (seedFiles.length === 0)
    console.log(`Seed documents not found at ${seedsDir}: skipping the seed checks.`);

  it
    .skipIf(seedFiles.length === 0)
    .each(seedFiles.filter((f) => !f.startsWith('002_') && !f.startsWith('003_')))('%s', (file) => {
    const text = readFileSync(join(seedsDir, file), 'utf8');
    expect(describeFindings(findPersonalData(text))).toEqual([]);
  });

  // The LGA briefing ends with its press officer's name and published work mobile and office number.
  // Those ARE a name and phone numbers, and in an answer they should be caught; the assertion pins that
  // they are the only findings, which is what an analyst would then allow by fingerprint.
  it.skipIf(!seedFiles.some((f) => f.startsWith('002_')))('002 (only its press contact)', () => {
    const file = seedFiles.find((f) => f.startsWith('002_')) ?? '';
    const text = readFileSync(join(seedsDir, file), 'utf8');
    const findings = findPersonalData(text);
    const contactLine = text.split('\n').findIndex((l) => l.startsWith('Mobile:')) + 1;
    expect(findings.map((f) => [f.kind, f.line])).toEqual([
      ['person-name', contactLine - 2],
      ['phone', contactLine],
      ['phone', contactLine],
    ]);
  });

  // The practice guide credits its authors by name ("Joan Hunt’s research", "Clare Seth and Ann Horne,
  // Kinship Consultants"). Those ARE names of people, and in an answer they should be caught (a full
  // name with no cue, and a possessive); the assertion pins that they are the only findings.
  it.skipIf(!seedFiles.some((f) => f.startsWith('003_')))('003 (only the names of its authors)', () => {
    const file = seedFiles.find((f) => f.startsWith('003_')) ?? '';
    const text = readFileSync(join(seedsDir, file), 'utf8');
    const lines = text.split('\n');
    const shown = findPersonalData(text).map((f) => {
      const line = lines[f.line - 1] ?? '';
      return `${f.kind} ${line.slice(f.column - 1, f.column - 1 + 10)}`;
    });
    expect(shown).toEqual(['person-name Joan Hunt’', 'person-name Clare Seth', 'person-name Ann Horne,']);
  });

  const questionsDir = join(repoRoot, 'questions');
  const banks = existsSync(questionsDir) ? filesUnder(questionsDir, ['.yaml', '.yml']) : [];
  it.skipIf(banks.length === 0)('the YAML banks in questions/', () => {
    for (const bank of banks) {
      expect(describeFindings(findPersonalData(readFileSync(bank, 'utf8'))), bank).toEqual([]);
    }
  });

  const examplesDir = join(repoRoot, 'examples');
  const examples = existsSync(examplesDir) ? filesUnder(examplesDir, ['.json', '.md']) : [];
  it.skipIf(examples.length === 0)('the example cycles and reports in examples/', () => {
    for (const file of examples) {
      const text = readFileSync(file, 'utf8');
      const findings = file.endsWith('.json')
        ? findPersonalDataInCycle(JSON.parse(text) as CycleFile)
        : findPersonalData(text);
      expect(describeFindings(findings), file).toEqual([]);
    }
  });

  it('the realistic aggregated answers of the corpus', () => {
    const { negatives } = generateCorpus();
    const hits = negatives
      .map((n) => ({ n, f: findPersonalData(n.text) }))
      .filter((x) => x.f.length > 0)
      .map((x) => `${x.n.note}: ${describeFindings(x.f).join(', ')}`);
    expect(hits).toEqual([]);
  });
});
