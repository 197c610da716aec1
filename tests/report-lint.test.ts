/**
 * Every generated report passes markdownlint-cli2 with the committed `.markdownlint-cli2.jsonc`,
 * including reports full of hostile answers and the report of the real built-in bank.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerableItems } from '../src/core/bank.ts';
import { diffCycles } from '../src/core/diff.ts';
import { renderDiffMarkdown } from '../src/core/render-diff.ts';
import { renderReport } from '../src/core/report.ts';
import type { Bank, CycleFile } from '../src/core/types.ts';
import { loadBank } from '../src/shell/bank-loader.ts';
import { arbitraryCycle } from './helpers/arbitrary-cycle.ts';
import { fixtureBank, fixtureCycle } from './helpers/fixture-bank.ts';

type LintMain = (params: {
  directory: string;
  argv: string[];
  logMessage: (m: string) => void;
  logError: (m: string) => void;
}) => Promise<number>;
// markdownlint-cli2 ships no type declarations; its programmatic entry is `main`
const { main: markdownlint } = (await import('markdownlint-cli2' as string)) as { main: LintMain };

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kr-lint-'));
  await copyFile(path.join(repoRoot, '.markdownlint-cli2.jsonc'), path.join(dir, '.markdownlint-cli2.jsonc'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lint(files: Record<string, string>): Promise<{ code: number; errors: string[] }> {
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  const errors: string[] = [];
  const code = await markdownlint({
    directory: dir,
    argv: Object.keys(files),
    logMessage: () => {},
    logError: (message: string) => errors.push(message),
  });
  return { code, errors };
}

function emptyCycle(bank: Bank): CycleFile {
  return {
    format: 1,
    cycle: '2026-27',
    authority: 'Exampleshire County Council',
    bank: { id: bank.id, version: bank.version },
    priorities: [],
    answers: {},
    actions: [],
  };
}

describe('markdownlint on generated reports', () => {
  it('passes for the fixture, an empty cycle and many hostile cycles', async () => {
    const bank = fixtureBank();
    const files: Record<string, string> = {
      'fixture.md': renderReport(bank, fixtureCycle(bank)),
      'empty.md': renderReport(bank, emptyCycle(bank)),
    };
    const samples = fc.sample(arbitraryCycle(bank), {
      numRuns: Number(process.env.KR_LINT_SAMPLES ?? 40),
      seed: 42,
    });
    samples.forEach((cycle, i) => {
      files[`hostile-${i}.md`] = renderReport(bank, cycle);
    });
    const { code, errors } = await lint(files);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
  }, 120_000);

  it('passes for the built-in bank, unanswered and fully answered', async () => {
    const bank = await loadBank('reflective-tool', repoRoot);
    const full = emptyCycle(bank);
    for (const item of answerableItems(bank)) {
      full.answers[item.id] = {
        status: item.kind === 'checklist' ? 'in-place' : 'answered',
        text: ['64% of carers are grandparents.', '', '```', '# not a heading'],
        rating: 'amber',
        changed: '2026-01-15',
      };
    }
    full.priorities = bank.recommendations
      .slice(0, 2)
      .map((r) => ({ recommendation: r.id, rationale: ['Because.'] }));
    const { code, errors } = await lint({
      'builtin-empty.md': renderReport(bank, emptyCycle(bank)),
      'builtin-full.md': renderReport(bank, full),
    });
    expect(errors).toEqual([]);
    expect(code).toBe(0);
  }, 120_000);

  it('passes for "what changed" Markdown diffs, including hostile ones', async () => {
    const bank = fixtureBank();
    const samples = fc.sample(fc.tuple(arbitraryCycle(bank), arbitraryCycle(bank)), {
      numRuns: Number(process.env.KR_LINT_SAMPLES ?? 20),
      seed: 7,
    });
    const files: Record<string, string> = {};
    const from = fixtureCycle(bank, '2025-26');
    const to = fixtureCycle(bank, '2026-27');
    to.answers['assess.carers.count']!.text = [
      'Around 250 households.',
      '',
      '64% of carers are grandparents.',
    ];
    to.priorities.push({ recommendation: 'R2' });
    files['diff-fixture.md'] = renderDiffMarkdown(diffCycles(bank, from, to, { today: '2026-04-01' }));
    samples.forEach(([a, b], i) => {
      files[`diff-hostile-${i}.md`] = renderDiffMarkdown(diffCycles(bank, a, b, { today: '2026-04-01' }));
    });
    const { code, errors } = await lint(files);
    expect(errors).toEqual([]);
    expect(code).toBe(0);
  }, 120_000);

  it('does flag a broken report (the check can fail)', async () => {
    const { code } = await lint({ 'broken.md': '# Title\n\n\n\n## Heading\nText   \n' });
    expect(code).not.toBe(0);
  });
});
