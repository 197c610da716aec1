import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// the benchmark's generator: fictional authorities with partly answered cycles of the built-in bank
import { generateAuthorities } from '../bench/gen-authorities.mjs';
import { aggregate } from '../src/commands/aggregate.ts';
import type { AggregateResult } from '../src/core/aggregate.ts';
import { UsageError } from '../src/core/errors.ts';
import { makeWorkspace, type TestWorkspace } from './helpers/workspace.ts';

let t: TestWorkspace | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

/** A temp folder (cwd of the context) holding `data/` with 3 authorities × 3 cycles, plus `bad/` files. */
async function setup(): Promise<TestWorkspace> {
  t = await makeWorkspace({ report: false });
  generateAuthorities({ outDir: path.join(t.dir, 'data'), authorities: 3, cycles: 3 });
  const good = JSON.parse(await readFile(path.join(t.dir, 'data', 'authority-0001', '2024-q1.json'), 'utf8'));
  const bad = path.join(t.dir, 'bad');
  await mkdir(bad);
  await writeFile(path.join(bad, 'truncated.json'), '{"format": 1, "cycle": "2024-q1", "auth');
  await writeFile(
    path.join(bad, 'old-version.json'),
    JSON.stringify({ ...good, bank: { id: 'reflective-tool', version: '0.9.0' } }),
  );
  await writeFile(
    path.join(bad, 'members.json'),
    JSON.stringify({ ...good, bank: { id: 'elected-members', version: '1.0.0' } }),
  );
  await writeFile(path.join(bad, 'not-a-cycle.json'), JSON.stringify({ name: 'something else' }));
  // never walked into
  await mkdir(path.join(bad, 'node_modules', 'pkg'), { recursive: true });
  await writeFile(path.join(bad, 'node_modules', 'pkg', 'package.json'), '{}');
  await mkdir(path.join(bad, '.git'));
  await writeFile(path.join(bad, '.git', 'x.json'), '{}');
  return t;
}

describe('aggregate command', () => {
  it('summarises every authority from workspace folders, skipping bad files with reasons (JSON)', async () => {
    const w = await setup();
    const code = await aggregate({ paths: ['data', 'bad'], json: true }, w.ctx);
    expect(code).toBe(0);
    const result = JSON.parse(w.out()) as AggregateResult;
    expect(result.filesRead).toBe(9);
    expect(result.authorities.map((a) => [a.authority, a.cycles, a.latest.cycle, a.previous?.cycle])).toEqual(
      [
        ['Eastbrook Borough Council 002', 3, '2024-q3', '2024-q2'],
        ['Northmoor Borough Council 001', 3, '2024-q3', '2024-q2'],
        ['Westford Borough Council 003', 3, '2024-q3', '2024-q2'],
      ],
    );
    expect(result.compared).toBe(3);
    expect(result.skipped.map((s) => s.source)).toEqual([
      path.join('bad', 'members.json'),
      path.join('bad', 'not-a-cycle.json'),
      path.join('bad', 'old-version.json'),
      path.join('bad', 'truncated.json'),
    ]);
    const reasons = Object.fromEntries(result.skipped.map((s) => [path.basename(s.source), s.reason]));
    expect(reasons['members.json']).toMatch(/question bank "elected-members", not "reflective-tool"/);
    expect(reasons['old-version.json']).toMatch(/version 0\.9\.0 .* version 1\.0\.0/);
    expect(reasons['truncated.json']).toMatch(/^1:\d+: not valid JSON: the file ends too early/);
    expect(reasons['not-a-cycle.json']).toMatch(/\S/);
    // every summary has the counts a reader needs
    const a = result.authorities[0]!;
    expect(a.latest.total).toBeGreaterThan(100);
    expect(a.latest.answered).toBeGreaterThan(0);
    expect(Object.keys(a.latest.ratings)).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6']);
    expect(w.err()).toContain(
      'Summarised 3 authorities from 9 cycle files; 4 skipped (listed under "skipped").',
    );
  });

  it('writes Markdown to --out and lists skipped files on stderr', async () => {
    const w = await setup();
    await aggregate(
      { paths: ['data', path.join('bad', 'truncated.json')], format: 'md', out: 'summary.md' },
      w.ctx,
    );
    expect(w.out()).toBe('');
    const md = await readFile(path.join(w.dir, 'summary.md'), 'utf8');
    expect(md).toMatch(/^# Summary across authorities\n/);
    expect(md).toContain('```mermaid\nxychart-beta');
    expect(md).toContain('Northmoor Borough Council 001');
    expect(w.err()).toContain(`skipped ${path.join('bad', 'truncated.json')}: 1:`);
    expect(w.err()).toContain('Written to summary.md.');
  });

  it('writes CSV with one row per authority', async () => {
    const w = await setup();
    await aggregate(
      {
        paths: [path.join('data', 'authority-0002'), path.join('data', 'authority-0003', '2024-q2.json')],
        format: 'csv',
      },
      w.ctx,
    );
    const rows = w.out().trimEnd().split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/^Eastbrook Borough Council 002,2024-q3,2024-q2,3,/);
    expect(rows[2]).toMatch(/^Westford Borough Council 003,2024-q2,,1,/);
  });

  it('fails with a usage error naming the reasons when nothing readable is found', async () => {
    const w = await setup();
    let error: unknown;
    try {
      await aggregate({ paths: ['bad', 'missing-folder'] }, w.ctx);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/No readable cycle file of the question bank "reflective-tool"/);
    expect((error as Error).message).toContain('missing-folder: no such file or folder');
  });
});
