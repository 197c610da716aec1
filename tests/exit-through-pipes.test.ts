/**
 * The exit code is decided by the data, not by who reads the output: `check | head -1` still exits 3
 * on findings, and an output that cannot be written (`> /dev/full`) is one line and exit 1, never a
 * stack trace or a dump of the bundled source.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNhsNumber, seededRandom } from './helpers/pii-corpus.ts';
import { binPath, childEnv, runCli } from './helpers/run-cli.ts';

let tmp = '';
let ws = '';
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'kinship-reflect-pipes-'));
  ws = path.join(tmp, 'ws');
  await mkdir(ws);
  await writeFile(path.join(ws, 'kinship-reflect.yaml'), 'authority: "Exampleshire County Council"\n');
  // Many findings, so that the output is longer than any pipe buffer a reader leaves unread.
  const nhs = generateNhsNumber(seededRandom(7));
  await writeFile(path.join(ws, 'notes.md'), `One child (NHS ${nhs}) moved twice.\n`.repeat(3000));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Run a shell pipeline with pipefail: its status is the tool's (the reader always succeeds). */
function pipeline(command: string): { status: number | null; stderr: string } {
  const r = spawnSync('bash', ['-c', `set -o pipefail; ${command}`], {
    env: childEnv({ KR: `${process.execPath} ${binPath}` }),
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stderr: r.stderr };
}

describe('exit codes through pipes', () => {
  it('check | head -1 exits 3 on findings', () => {
    const r = pipeline(`$KR check --dir '${ws}' | head -1 >/dev/null`);
    expect(r.status).toBe(3);
    expect(r.stderr).not.toMatch(/EPIPE|at .*\.cjs/);
  });

  it('a reader that reads nothing does not turn 3 into 0', () => {
    expect(pipeline(`$KR check --dir '${ws}' | true`).status).toBe(3);
  });
});

describe.skipIf(!existsSync('/dev/full'))('an output that cannot be written', () => {
  it('check > /dev/full: one line, the findings still decide the code', () => {
    const r = pipeline(`$KR check --dir '${ws}' > /dev/full`);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('kinship-reflect: could not write to standard output: the disk is full.');
    expect(r.stderr).not.toMatch(/ENOSPC|\n\s+at |node:internal|function /);
  });

  it('--help > /dev/full: exit 1 and one line, no stack trace and no source', () => {
    const r = pipeline('$KR --help > /dev/full');
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('kinship-reflect: could not write to standard output: the disk is full.');
  });
});

describe('a scripted plain interview that nothing understood', () => {
  it('exits 2, saying why, and a script that ends normally still exits 0', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kinship-reflect-script-'));
    try {
      const init = await runCli(['init', '--authority', 'Exampleshire', '--dir', 'ws'], { cwd: dir });
      expect(init.code).toBe(0);
      const nonsense = await runCli(['interview', '--plain', '--dir', 'ws', '--cycle', '2026-27'], {
        cwd: dir,
        input: 'banana\n'.repeat(25),
      });
      expect(nonsense.code).toBe(2);
      expect(nonsense.stderr).toContain('Stopped after 20 answers in a row that were not understood');
      const ended = await runCli(['interview', '--plain', '--dir', 'ws', '--cycle', '2026-27'], {
        cwd: dir,
        input: 'a\nAbout 64% of carers are grandparents.\n\ng\n',
      });
      expect(ended.code, ended.stderr).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
