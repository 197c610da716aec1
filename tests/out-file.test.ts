/**
 * `--out` never overwrites a file the tool did not write unless --force is given (issue 15): export in
 * every format and aggregate; a folder in the way is a clear message, not "EISDIR … rename".
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredWorkspace, runCli } from './helpers/run-cli.ts';

let dir = '';
beforeAll(async () => {
  dir = await answeredWorkspace('kinship-reflect-out-', '64% grandparents');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SOMEONES = 'Budget line,Amount\r\nRespite,12000\r\n';

describe.each([
  ['export md', ['export', '--cycle', '2026-27', '--dir', 'ws'], 'out.md'],
  ['export csv', ['export', '--cycle', '2026-27', '--dir', 'ws', '--format', 'csv'], 'out.csv'],
  ['export json', ['export', '--cycle', '2026-27', '--dir', 'ws', '--format', 'json'], 'out.json'],
  ['aggregate md', ['aggregate', 'ws'], 'agg.md'],
  ['aggregate csv', ['aggregate', 'ws', '--format', 'csv'], 'agg.csv'],
  ['aggregate json', ['aggregate', 'ws', '--json'], 'agg.json'],
])('%s --out', (_, args, name) => {
  it('refuses to overwrite a file it did not write, and overwrites its own output', async () => {
    const target = path.join(dir, name);
    await writeFile(target, SOMEONES);
    const refused = await runCli([...args, '--out', name], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${name} already exists and was not written by kinship-reflect`);
    expect(refused.stderr).toContain('--force');
    expect(await readFile(target, 'utf8')).toBe(SOMEONES);
    const forced = await runCli([...args, '--out', name, '--force'], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    const ours = await readFile(target, 'utf8');
    expect(ours).not.toBe(SOMEONES);
    // its own earlier output is replaced without --force
    const again = await runCli([...args, '--out', name], { cwd: dir });
    expect(again.code, again.stderr).toBe(0);
  });
});

describe('--out naming a folder', () => {
  it('says so in one line, without the system error or a temp file name', async () => {
    await mkdir(path.join(dir, 'reports'), { recursive: true });
    const r = await runCli(['export', '--cycle', '2026-27', '--dir', 'ws', '--out', 'reports'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('reports is a folder; give --out the name of a file');
    expect(r.stderr).not.toMatch(/EISDIR|\.tmp/);
  });
});
