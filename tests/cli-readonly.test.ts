/**
 * End-to-end runs of the BUILT binary (bin/kinship-reflect.js → dist/) for the read-only commands.
 * `npm test` builds before running vitest; when running this file alone, run `npm run build` first
 * (runCli says so if dist/ is missing).
 */

import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './helpers/run-cli.ts';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'kr-cli-readonly-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const run = (args: string[]) => runCli(args, { cwd });

const BROKEN = `id: local
title: Exampleshire local questions
version: "1"
source: { title: T, publisher: Exampleshire County Council, url: "https://example.org", credit: C }
evidenceRatings: []
keyPrinciples: []
recommendations:
  - { id: R1, title: Recommendation 1, text: Offer support., evidence: strong }
stages:
  - id: plan
    title: Plan
    introduction: Decide.
    sections:
      - id: r1
        title: Support
        items:
          - id: plan.r1.staff
            kind: question
            text: How will you train staff?
            tags: [R9]
`;

describe('help and version', () => {
  it('--help lists every command and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const command of [
      'init',
      'interview',
      'answer',
      'status',
      'cycles',
      'actions',
      'export',
      'import',
      'diff',
      'validate',
      'questions',
      'guide',
      'check',
      'aggregate',
      'completion',
      'help',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('questions --help shows examples', async () => {
    const r = await run(['questions', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kinship-reflect questions --stage plan --tag R3');
  });

  it('an unknown command exits 2 without a stack trace', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"frobnicate" is not a command');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('questions', () => {
  it('--json is a flat array of every item of the Reflective Tool', async () => {
    const r = await run(['questions', '--json']);
    expect(r.code).toBe(0);
    const items = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(items.length).toBeGreaterThanOrEqual(119);
    const ids = new Set<string>();
    for (const item of items) {
      expect(item).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          stage: expect.stringMatching(/^(assess|plan|do|review)$/),
          section: expect.any(String),
          kind: expect.stringMatching(/^(question|checklist|prompt)$/),
          text: expect.any(String),
          tags: expect.any(Array),
        }),
      );
      expect(item.parent === null || ids.has(item.parent as string)).toBe(true); // parents come first
      ids.add(item.id as string);
    }
  });

  it('--stage and --tag filter by effective tags; the human view has headings and badges', async () => {
    const json = JSON.parse(
      (await run(['questions', '--stage', 'plan', '--tag', 'r2', '--json'])).stdout,
    ) as {
      stage: string;
      effectiveTags: string[];
    }[];
    expect(json.length).toBeGreaterThan(0);
    expect(json.every((i) => i.stage === 'plan' && i.effectiveTags.includes('R2'))).toBe(true);
    const r = await run(['questions', '--stage', 'plan', '--tag', 'R2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[R2]');
    expect(r.stdout).toContain('(stage: plan)');
  });

  it('an unknown tag exits 2 and lists the valid ones', async () => {
    const r = await run(['questions', '--tag', 'R9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'unknown tag "R9"; the tags of reflective-tool are: KP1, KP2, KP3, R1, R2, R3, R4, R5, R6, ALL',
    );
  });

  it('--bank elected-members lists its four questions', async () => {
    const r = await run(['--bank', 'elected-members', 'questions', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(4);
  });

  it('--bank with a missing file exits 2', async () => {
    const r = await run(['--bank', 'missing.yaml', 'questions']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'no bank file at missing.yaml; built-in banks: reflective-tool, elected-members',
    );
  });
});

describe('guide', () => {
  it('--json is one document with principles, recommendations and ratings', async () => {
    const r = await run(['guide', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      keyPrinciples: unknown[];
      recommendations: { evidenceLabel: string }[];
      evidenceRatings: unknown[];
    };
    expect(doc.keyPrinciples).toHaveLength(3);
    expect(doc.recommendations).toHaveLength(6);
    expect(doc.recommendations[0]?.evidenceLabel).toMatch(/evidence/i);
    expect(doc.evidenceRatings.length).toBeGreaterThanOrEqual(3);
  });
});

describe('validate', () => {
  it('a broken bank: file:line:column, the item and the problem on stdout, exit 3', async () => {
    await writeFile(path.join(cwd, 'broken.yaml'), BROKEN);
    const r = await run(['validate', 'broken.yaml']);
    expect(r.code).toBe(3);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      'broken.yaml:8:72: recommendation R1: evidence rating "strong" is not defined in "evidenceRatings" (known: none)',
      'broken.yaml:20:20 item "plan.r1.staff": tag "R9" is not a recommendation of this bank (known: R1)',
    ]);
    expect(r.stderr).toBe('kinship-reflect: 2 problems in 1 of 1 file\n');
  });

  it('--json lists every file with its problems', async () => {
    await writeFile(path.join(cwd, 'broken.yaml'), BROKEN);
    const r = await run(['validate', '--json', 'broken.yaml']);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as {
      files: { file: string; kind: string; ok: boolean; problems: unknown[] }[];
    };
    expect(doc.files).toEqual([
      { file: 'broken.yaml', kind: 'bank', ok: false, problems: expect.any(Array) },
    ]);
    expect(doc.files[0]?.problems).toHaveLength(2);
  });

  it('without files checks the built-in banks from their YAML and exits 0', async () => {
    const r = await run(['validate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok {2}questions\/reflective-tool\.yaml \(bank, \d+ items\)$/m);
    expect(r.stdout).toMatch(/^ok {2}questions\/elected-members\.yaml \(bank, 4 items\)$/m);
  });

  it('a missing file is a usage error', async () => {
    const r = await run(['validate', 'nothing-here.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file: nothing-here.yaml');
  });
});
