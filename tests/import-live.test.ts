/**
 * The live case, end to end with the built binary: a plain-mode interview confirms 20
 * answers ("Saved" on screen each time); a report exported two seconds in is edited and imported
 * while the interview is still running. Every saved answer must survive, and the edit must land.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CycleFile } from '../src/core/types.ts';
import { binPath, childEnv, runCli } from './helpers/run-cli.ts';

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kr-live-import-'));
  const init = await runCli(['init', '--authority', 'Exampleshire County Council', '--no-ratings'], {
    cwd: root,
  });
  expect(init.code, init.stderr).toBe(0);
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('import during a live plain-mode interview', () => {
  it('keeps every answer the interview confirmed as saved', async () => {
    const child = spawn(process.execPath, [binPath, 'interview', '--plain', '--cycle', '2026-27'], {
      cwd: root,
      env: childEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const waitForSaves = async (n: number) => {
      const deadline = Date.now() + 20_000;
      while ((err.match(/^Saved /gm) ?? []).length < n) {
        if (Date.now() > deadline) throw new Error(`waited for ${n} saves; stderr:\n${err.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    try {
      child.stdin.write('1\n'); // the Assess stage
      for (let i = 1; i <= 20; i++) {
        child.stdin.write(`a\nLive answer ${i}.\n\n`);
        await waitForSaves(i);
        if (i === 2) {
          const exported = await runCli(['export', '--cycle', '2026-27', '--out', 'copy.md'], { cwd: root });
          expect(exported.code, exported.stderr).toBe(0);
        }
      }
      // the colleague's edit of answer 2 in the copy, imported while the interview is still open
      const copy = path.join(root, 'copy.md');
      await fs.writeFile(
        copy,
        (await fs.readFile(copy, 'utf8')).replace('Live answer 2.', 'Live answer 2, edited.'),
      );
      const imported = await runCli(['import', 'copy.md', '--yes'], { cwd: root });
      expect(imported.code, imported.stderr).toBe(0);
      child.stdin.end('q\n');
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
    const saved = [...err.matchAll(/^Saved ([\w.-]+): answered/gm)].map((m) => m[1] as string);
    expect(saved).toHaveLength(20);
    const cycle = JSON.parse(
      await fs.readFile(path.join(root, 'reflections', '2026-27.json'), 'utf8'),
    ) as CycleFile;
    saved.forEach((id, i) => {
      expect(cycle.answers[id]?.text, id).toEqual([
        i === 1 ? 'Live answer 2, edited.' : `Live answer ${i + 1}.`,
      ]);
    });
  }, 90_000);
});
