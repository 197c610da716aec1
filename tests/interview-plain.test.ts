/**
 * The plain (screen-reader) interview, driven through stdin against the built binary.
 */

import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CycleFile } from '../src/core/types.ts';
import { binPath, childEnv, hasAnsi, runCli } from './helpers/run-cli.ts';

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

describe('interview --plain drafts through a pipe', () => {
  const draftsFile = () => path.join(root, 'reflections', 'drafts', 'demo.json');

  it('the input ending mid-answer keeps the typed lines as a draft, offered and restored next time', async () => {
    const r = await runCli(['interview', '--plain', '--cycle', 'demo', '--stage', 'do'], {
      cwd: root,
      input: 'a\nFirst line of a thought.\nSecond line, not finished',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /Kept as a draft \(not saved as an answer[^)]*\): do\.prompts\.barriers — in reflections\/drafts\/demo\.json\./,
    );
    expect((await cycle('demo')).answers).toEqual({});
    const draft = JSON.parse(await fs.readFile(draftsFile(), 'utf8'));
    expect(draft.drafts['do.prompts.barriers'].text).toEqual([
      'First line of a thought.',
      'Second line, not finished',
    ]);

    // next time: restore (r) shows the draft for reference, and the lines typed become the answer
    const again = await runCli(['interview', '--plain', '--cycle', 'demo', '--stage', 'do'], {
      cwd: root,
      input: 'r\nFirst line of a thought.\nSecond line, finished.\n\n\nq\n',
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(
      /A draft you typed on 2026-01-15 and did not save:\n {2}\| First line of a thought\./,
    );
    expect((await cycle('demo')).answers['do.prompts.barriers']?.text).toEqual([
      'First line of a thought.',
      'Second line, finished.',
    ]);
    await expect(fs.access(draftsFile())).rejects.toThrow();
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s mid-answer exits 130 and keeps the typed lines as a draft',
    async (signal) => {
      const child = spawn(
        process.execPath,
        [binPath, 'interview', '--plain', '--cycle', 'demo', '--stage', 'do'],
        {
          cwd: root,
          env: childEnv({ KINSHIP_REFLECT_TODAY: '2026-01-15' }),
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      );
      let err = '';
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.stdin.write('a\nTyped before Ctrl-C.\n');
      const deadline = Date.now() + 10_000;
      while (!/You typed|Type your answer\. End with an empty line\./.test(err) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, 200));
      child.kill(signal);
      expect(await exit).toBe(130);
      expect(err).toMatch(/Kept as a draft[^:]*: do\.prompts\.barriers/);
      const draft = JSON.parse(await fs.readFile(draftsFile(), 'utf8'));
      expect(draft.drafts['do.prompts.barriers'].text).toEqual(['Typed before Ctrl-C.']);
      child.stdin.destroy();
    },
  );
});
