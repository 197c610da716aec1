/**
 * Drafts outside the interview: the store (atomic, removed with its last draft), and what `status`,
 * `cycles`, `check` and `validate` make of them.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDrafts, serializeDrafts } from '../src/core/drafts.ts';
import { countDrafts, draftsPath, readDrafts, setDraft } from '../src/shell/draft-store.ts';
import { runCli } from './helpers/run-cli.ts';

let root: string;
let ws: { dir: string };

/** A valid NHS number made here (never stored in fixtures), so `check` has something to find. */
function validNhsNumber(): string {
  for (let seed = 9_000_000_01; ; seed++) {
    const digits = String(seed).padStart(9, '0').split('').map(Number);
    const sum = digits.reduce((acc, d, i) => acc + d * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return [...digits, check === 11 ? 0 : check].join('');
  }
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kr-drafts-'));
  const init = await runCli(['init', '--authority', 'Exampleshire County Council'], { cwd: root });
  expect(init.code, init.stderr).toBe(0);
  ws = { dir: path.join(root, 'reflections') };
  const answered = await runCli(
    ['answer', 'assess.carers.demographics', '--cycle', 'c1', '--text', 'Saved.'],
    {
      cwd: root,
    },
  );
  expect(answered.code, answered.stderr).toBe(0);
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('draft store', () => {
  it('adds, replaces and removes drafts; the file and folder go with the last one', async () => {
    await setDraft(ws, 'c1', 'assess.carers.connection', { field: 'text', text: ['a'], saved: '2026-01-15' });
    await setDraft(ws, 'c1', 'priority:R4', { field: 'rationale', text: ['why'], saved: '2026-01-15' });
    await setDraft(ws, 'c1', 'assess.carers.connection', { field: 'text', text: ['b'], saved: '2026-01-16' });
    expect(Object.keys(await readDrafts(ws, 'c1'))).toEqual(['assess.carers.connection', 'priority:R4']);
    expect((await readDrafts(ws, 'c1'))['assess.carers.connection']?.text).toEqual(['b']);
    expect(countDrafts(ws).get('c1')).toBe(2);
    const text = await fs.readFile(draftsPath(ws, 'c1'), 'utf8');
    expect(serializeDrafts(parseDrafts(text, 'x').drafts!)).toBe(text);
    await setDraft(ws, 'c1', 'assess.carers.connection', undefined);
    await setDraft(ws, 'c1', 'priority:R4', undefined);
    await expect(fs.access(path.join(ws.dir, 'drafts'))).rejects.toThrow();
    expect(await readDrafts(ws, 'c1')).toEqual({});
  });

  it('a broken drafts file is reported with where it is, and never written over', async () => {
    await fs.mkdir(path.join(ws.dir, 'drafts'));
    await fs.writeFile(
      draftsPath(ws, 'c1'),
      '{"format": 1, "cycle": "c1", "drafts": {"x": {"field": "poem"}}}',
    );
    await expect(
      setDraft(ws, 'c1', 'assess.carers.connection', { field: 'text', text: ['a'], saved: '2026-01-15' }),
    ).rejects.toThrow(/drafts\/c1\.json is not valid/);
    expect(await fs.readFile(draftsPath(ws, 'c1'), 'utf8')).toContain('"poem"');
    const v = await runCli(['validate'], { cwd: root });
    expect(v.code).toBe(3);
    expect(v.stdout).toMatch(/reflections\/drafts\/c1\.json item "x": draft "x" must have a "field"/);
  });
});

describe('hostile drafts files', () => {
  beforeEach(async () => {
    await fs.mkdir(path.join(ws.dir, 'drafts'));
  });

  it('a drafts file over 16 MB is refused by its size, before it is read, with where and what to do', async () => {
    // sparse: 17 MB on paper, nothing on disk; reading it whole would be the bug
    const handle = await fs.open(draftsPath(ws, 'c1'), 'w');
    await handle.truncate(17 * 1024 * 1024);
    await handle.close();
    await expect(readDrafts(ws, 'c1')).rejects.toThrow(/drafts\/c1\.json is not valid/);
    await expect(readDrafts(ws, 'c1')).rejects.toMatchObject({
      problems: [{ message: expect.stringMatching(/17\.0 MB; drafts files are limited to 16 MB/) }],
    });
    expect(countDrafts(ws).get('c1')).toBeUndefined();
    const v = await runCli(['validate'], { cwd: root });
    expect(v.code).toBe(3);
    expect(v.stdout).toMatch(/reflections\/drafts\/c1\.json: the file is 17\.0 MB; drafts files are limited/);
    expect(v.stderr).not.toMatch(/at .*\.ts:|unexpected/);
    const status = await runCli(['status', '--cycle', 'c1'], { cwd: root });
    expect(status.code, status.stderr).toBe(0);
    // the interview goes on without the drafts, and says why (piped: the plain dialogue)
    const run = await runCli(['interview', '--plain', '--cycle', 'c1', '--stage', 'assess'], {
      cwd: root,
      input: 'q\n',
    });
    expect(run.stderr).toMatch(
      /Note: the drafts file drafts\/c1\.json is not valid; its drafts are not offered/,
    );
    expect(run.stderr).toMatch(/17\.0 MB; drafts files are limited to 16 MB/);
    expect((await fs.stat(draftsPath(ws, 'c1'))).size).toBe(17 * 1024 * 1024);
  });

  it('a link, a named pipe or bytes that are not UTF-8 are refused without hanging', async () => {
    const file = draftsPath(ws, 'c1');
    const elsewhere = path.join(root, 'elsewhere.json');
    await fs.writeFile(elsewhere, serializeDrafts({ format: 1, cycle: 'c1', drafts: {} }));
    await fs.symlink(elsewhere, file);
    await expect(readDrafts(ws, 'c1')).rejects.toThrow(/drafts\/c1\.json is a symbolic link/);
    await fs.rm(file);
    execFileSync('mkfifo', [file]);
    await expect(readDrafts(ws, 'c1')).rejects.toThrow(
      /drafts\/c1\.json is a named pipe \(FIFO\), not a drafts file/,
    );
    expect(countDrafts(ws).get('c1')).toBeUndefined();
    const status = await runCli(['status', '--cycle', 'c1'], { cwd: root, timeoutMs: 20_000 });
    expect(status.timedOut).toBeFalsy();
    expect(status.code, status.stderr).toBe(0);
    const run = await runCli(['interview', '--plain', '--cycle', 'c1', '--stage', 'assess'], {
      cwd: root,
      input: 'q\n',
      timeoutMs: 20_000,
    });
    expect(run.timedOut).toBeFalsy();
    expect(run.stderr).toMatch(
      /Note: drafts\/c1\.json is a named pipe \(FIFO\), not a drafts file; its drafts are not offered/,
    );
    await fs.rm(file);
    await fs.writeFile(file, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    await expect(readDrafts(ws, 'c1')).rejects.toThrow(/drafts\/c1\.json is not UTF-8 text/);
    const v = await runCli(['validate'], { cwd: root });
    expect(v.code).toBe(3);
    expect(v.stdout).toMatch(/reflections\/drafts\/c1\.json:1:2: /);
  });
});

describe('commands and drafts', () => {
  beforeEach(async () => {
    await setDraft(ws, 'c1', 'assess.carers.connection', {
      field: 'text',
      text: ['Typed, not saved.', `NHS ${validNhsNumber()}`],
      saved: '2026-01-15',
    });
  });

  it('status and cycles count them', async () => {
    const status = await runCli(['status', '--cycle', 'c1'], { cwd: root });
    expect(status.stdout).toMatch(/Drafts: 1 \(text typed but not saved/);
    const json = JSON.parse((await runCli(['status', '--cycle', 'c1', '--json'], { cwd: root })).stdout);
    expect(json.drafts).toBe(1);
    const cycles = await runCli(['cycles'], { cwd: root });
    expect(cycles.stdout).toMatch(/^c1 .* · 1 draft/m);
    const cj = JSON.parse((await runCli(['cycles', '--json'], { cwd: root })).stdout);
    expect(cj.cycles[0].drafts).toBe(1);
  });

  it('validate accepts them (with and without naming the file); check scans them', async () => {
    const v = await runCli(['validate'], { cwd: root });
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toMatch(
      /ok {2}reflections\/drafts\/c1\.json \(drafts, 1 draft not yet saved as answers\)/,
    );
    const named = await runCli(['validate', 'reflections/drafts/c1.json'], { cwd: root });
    expect(named.code, named.stdout + named.stderr).toBe(0);
    const check = await runCli(['check'], { cwd: root });
    expect(check.code).toBe(3);
    expect(check.stdout + check.stderr).toMatch(/reflections\/drafts\/c1\.json:\d+/);
  });

  it('are never in the report', async () => {
    const md = await fs.readFile(path.join(ws.dir, 'c1.md'), 'utf8');
    expect(md).not.toContain('Typed, not saved.');
    const exported = await runCli(['export', '--cycle', 'c1'], { cwd: root });
    expect(exported.stdout).not.toContain('Typed, not saved.');
  });
});
