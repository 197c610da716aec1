/**
 * Errors that say "merge": conflict markers in a cycle file or a report are named as an unresolved
 * merge with their line and the command that settles them (exit 3), JSON syntax errors carry a line
 * and column on every Node, and validate checks a report as a report (issue #13, Deliver 6).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonErrorPosition } from '../src/core/json-text.ts';
import { findConflictMarkers } from '../src/core/merge-markers.ts';
import { runCli } from './helpers/run-cli.ts';

let root: string;
let dir: string;
beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kr-merge-errors-'));
  dir = path.join(root, 'reflections');
  const init = await runCli(['init', '--authority', 'Exampleshire County Council'], { cwd: root });
  expect(init.code, init.stderr).toBe(0);
  for (const [id, text] of [
    ['assess.carers.demographics', 'Around 240 households.'],
    ['assess.carers.couples', 'Mostly couples.'],
  ] as const) {
    const r = await runCli(['answer', id, '--cycle', '2026-27', '--text', text], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
  }
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** Wrap the line holding `needle` in git's conflict markers, as a merge leaves it. */
async function conflict(file: string, needle: string, theirs: string): Promise<number> {
  const lines = (await fs.readFile(file, 'utf8')).split('\n');
  const at = lines.findIndex((l) => l.includes(needle));
  lines.splice(
    at,
    1,
    '<<<<<<< HEAD',
    lines[at] as string,
    '=======',
    (lines[at] as string).replace(needle, theirs),
    '>>>>>>> colleague',
  );
  await fs.writeFile(file, lines.join('\n'));
  return at + 1;
}

describe('conflict markers', () => {
  it('in a cycle file: every command names the line and git resolve, exit 3, nothing changed', async () => {
    const file = path.join(dir, '2026-27.json');
    const line = await conflict(file, 'Mostly couples.', 'Mostly grandparents.');
    const before = await fs.readFile(file, 'utf8');
    const expected = `unresolved merge conflict at reflections/2026-27.json:${line} — run kinship-reflect git resolve 2026-27`;
    for (const args of [
      ['status', '--cycle', '2026-27'],
      ['export', '--cycle', '2026-27'],
      ['answer', 'assess.carers.couples', '--cycle', '2026-27', '--text', 'x'],
      ['validate', 'reflections/2026-27.json'],
    ]) {
      const r = await runCli(args, { cwd: root });
      expect(r.code, args.join(' ')).toBe(3);
      expect(`${r.stdout}${r.stderr}`, args.join(' ')).toContain(expected);
      expect(r.stderr).not.toMatch(/Unexpected token|not valid JSON|backup/);
    }
    expect(await fs.readFile(file, 'utf8')).toBe(before);
  });

  it('in a report: import and validate say so; a save leaves the report alone and says why', async () => {
    const file = path.join(dir, '2026-27.md');
    const line = await conflict(file, 'Mostly couples.', 'Mostly grandparents.');
    const expected = `unresolved merge conflict at reflections/2026-27.md:${line} — run kinship-reflect git resolve 2026-27`;
    const imported = await runCli(['import', 'reflections/2026-27.md', '--yes'], { cwd: root });
    expect(imported.code).toBe(3);
    expect(imported.stderr).toContain(expected);
    const validated = await runCli(['validate', 'reflections/2026-27.md'], { cwd: root });
    expect(validated.code).toBe(3);
    expect(validated.stdout).toContain(expected);
    const saved = await runCli(
      ['answer', 'assess.carers.couples', '--cycle', '2026-27', '--text', 'Couples.'],
      {
        cwd: root,
      },
    );
    expect(saved.code).toBe(0);
    expect(saved.stderr).toContain(
      `2026-27.md was not updated: unresolved merge conflict at 2026-27.md:${line}`,
    );
    expect(saved.stderr).not.toMatch(/edited by hand/);
  });

  it('a lone "<<<<<<<" typed in an answer is not a conflict', () => {
    expect(findConflictMarkers('a\n<<<<<<< not a merge\nb\n')).toBeUndefined();
    expect(findConflictMarkers('a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> x\n')).toBe(2);
  });
});

describe('validate recognises a report', () => {
  it('checks it as a report, not as a YAML bank', async () => {
    const ok = await runCli(['validate', 'reflections/2026-27.md'], { cwd: root });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/ok {2}reflections\/2026-27\.md \(report, \d+ items, as the tool wrote it\)/);
    const file = path.join(dir, '2026-27.md');
    const text = await fs.readFile(file, 'utf8');
    const lines = text.split('\n');
    const at = lines.indexOf('<!-- item: assess.carers.couples -->');
    lines[at] = '<!-- Item: assess.carers.couples -->';
    await fs.writeFile(path.join(root, 'copy'), lines.join('\n'));
    const bad = await runCli(['validate', 'copy'], { cwd: root });
    expect(bad.code).toBe(3);
    expect(bad.stdout).toContain(`copy:${at + 1}: this line looks like an item marker`);
    expect(bad.stdout).not.toMatch(/YAML|question bank/i);
  });
});

describe('JSON syntax errors carry a line and column on every Node', () => {
  const cases: [string, number, number][] = [
    ['abc', 1, 1],
    // V8 places the error just after "tru"
    [`{\n${'  "key": "value",\n'.repeat(50)}  "x": tru\n}`, 52, 11],
    [`${'\n'.repeat(30)}<<x`, 31, 1],
    [`{"a": [${'1,'.repeat(30)}1]}\n@`, 2, 1],
    // V8 quotes the start, the middle or the end of the text instead of giving a position
    [`<<<<<<< HEAD\n${'{"a":1}'.repeat(10)}`, 1, 1],
    [`[\n${'1,'.repeat(30)}x${',1'.repeat(30)}]`, 2, 61],
    [`[\n${'1,'.repeat(30)}x`, 2, 61],
  ];
  it.each(cases)('%#', (text, line, column) => {
    let message = '';
    try {
      JSON.parse(text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(jsonErrorPosition(text, message)).toEqual({ line, column });
  });
});
