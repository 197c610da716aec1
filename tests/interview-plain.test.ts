/**
 * The plain (screen-reader) interview, driven through stdin against the built binary.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CycleFile } from '../src/core/types.ts';
import { hasAnsi, runCli } from './helpers/run-cli.ts';

let root: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kr-plain-'));
  const init = await runCli(['init', '--authority', 'Exampleshire County Council'], { cwd: root });
  expect(init.code, init.stderr).toBe(0);
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function cycle(id: string): Promise<CycleFile> {
  return JSON.parse(await fs.readFile(path.join(root, 'reflections', `${id}.json`), 'utf8')) as CycleFile;
}

const DO_SCRIPT = [
  'a',
  'We hold a monthly barriers review with the kinship team.',
  'Escalations go to the head of service.',
  '',
  'a',
  'n',
  'Quarterly carer survey results',
  '',
  's',
  'q',
  '',
].join('\n');

describe('interview --plain', () => {
  it('answers the Do stage from a file, linear and without escape codes', async () => {
    const r = await runCli(['interview', '--plain', '--cycle', 'demo', '--stage', 'do'], {
      cwd: root,
      input: DO_SCRIPT,
      env: { FORCE_COLOR: '1' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(hasAnsi(r.stderr)).toBe(false);
    expect(r.stderr).toContain('Question 1 of 6');
    expect(r.stderr).toMatch(/1\. Write an answer/);
    const c = await cycle('demo');
    expect(c.answers['do.prompts.barriers']).toEqual({
      status: 'answered',
      text: [
        'We hold a monthly barriers review with the kinship team.',
        'Escalations go to the head of service.',
      ],
      rating: 'amber',
      changed: '2026-01-15',
    });
    const statuses = Object.values(c.answers).map((a) => a.status);
    expect(statuses).toEqual(['answered', 'needs-data', 'skipped']);
  });

  it('ACCESSIBLE=1 is the same as --plain, and input ending keeps what was confirmed', async () => {
    const r = await runCli(['interview', '--cycle', 'demo', '--stage', 'do'], {
      cwd: root,
      input: 'a\nOnly this.\n\nn\n',
      env: { ACCESSIBLE: '1' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Input ended');
    const c = await cycle('demo');
    expect(c.answers['do.prompts.barriers']?.text).toEqual(['Only this.']);
  });

  it('without a terminal and without --plain it exits 2 at once, naming --plain and answer', async () => {
    const r = await runCli(['interview', '--cycle', 'demo'], { cwd: root, timeoutMs: 10_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--plain');
    expect(r.stderr).toContain('kinship-reflect answer');
  });

  it('rejects an unsafe cycle id as a usage error', async () => {
    for (const bad of ['../x', 'a b', '']) {
      const r = await runCli(['interview', '--plain', '--cycle', bad], { cwd: root, input: 'q\n' });
      expect(r.code, `${bad}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('cannot be used as a cycle id');
    }
  });
});
