/**
 * README.md: its generated samples are what the tool prints today (scripts/readme-samples.mjs), and
 * the npm commands it tells people to run exist in package.json. Needs the built CLI.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers/run-cli.ts';

const exec = promisify(execFile);
const script = path.join(repoRoot, 'scripts', 'readme-samples.mjs');
const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const BLOCKS = ['transcript', 'report-excerpt', 'diff', 'actions', 'aggregate'];

async function samples(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec(process.execPath, [script, ...args], { cwd: repoRoot, timeout: 110_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The body of the first fenced block after `heading`. */
function firstFenceAfter(text: string, heading: string): string {
  const at = text.indexOf(heading);
  expect(at, `README has a "${heading}" section`).toBeGreaterThanOrEqual(0);
  const m = /```[a-z]*\n([\s\S]*?)\n```/.exec(text.slice(at));
  expect(m, `a code block under "${heading}"`).not.toBeNull();
  return m![1]!;
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'kinship-reflect-readme-test-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('README generated samples', () => {
  it('has each sample block exactly once', () => {
    for (const name of BLOCKS) {
      expect(readme.split(`<!-- generated:${name} -->`).length - 1, name).toBe(1);
      expect(readme.split(`<!-- /generated:${name} -->`).length - 1, name).toBe(1);
    }
  });

  it('is current: `readme-samples.mjs --check` passes', { timeout: 120_000 }, async () => {
    const r = await samples(['--check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/samples are current \(6 blocks\)/);
  });

  it('--check names a stale block and exits 1; regenerating makes it current again', {
    timeout: 180_000,
  }, async () => {
    const copy = path.join(tmp, 'README.md');
    const stale = readme.replace(/(<!-- generated:diff -->\n)/, '$1An old line of the sample.\n');
    expect(stale).not.toBe(readme);
    writeFileSync(copy, stale);

    const checked = await samples(['--check', '--readme', copy]);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain('the "diff" sample (<!-- generated:diff -->) is out of date');
    expect(checked.stderr).not.toContain('"transcript"');
    expect(readFileSync(copy, 'utf8')).toBe(stale); // --check never writes

    const fixed = await samples(['--readme', copy]);
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain('Updated README.md: diff.');
    expect(readFileSync(copy, 'utf8')).toBe(readme);
  });

  it('shows a transcript with the typed lines marked, and the real report, diff and actions', () => {
    expect(readme).toMatch(/\n> k\nYou chose: \d+\. Keep the carried-forward answer \(confirm it\)\./);
    expect(readme).toContain('````markdown\n---\nformat: kinship-reflect-report/1');
    expect(readme).toContain('Changes from 2025-26 to 2026-27');
    expect(readme).toContain('Cycle 2026-27: 3 actions');
    expect(readme).toContain('# Summary across authorities');
  });
});

describe('README commands', () => {
  it('quick start: `npm install && npm start` and `npm test`, both scripts of package.json', () => {
    const quick = firstFenceAfter(readme, '## Quick start');
    const commands = quick.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim());
    expect(commands).toContain('npm install && npm start');
    expect(commands).toContain('npm test');
    expect(pkg.scripts.start).toContain('bin/kinship-reflect.js');
    expect(pkg.scripts.test).toBeTruthy();
  });

  it('every npm script the README mentions exists', () => {
    const named = new Set<string>();
    for (const m of readme.matchAll(/\bnpm (start|test)\b/g)) named.add(m[1]!);
    for (const m of readme.matchAll(/\bnpm run ([a-z:-]+)/g)) named.add(m[1]!);
    expect(named.size).toBeGreaterThanOrEqual(3);
    for (const name of named) expect(pkg.scripts, `package.json script "${name}"`).toHaveProperty(name);
  });
});
