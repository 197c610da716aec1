/**
 * `export` of the papers for people through the built binary: the options, their errors (exit 2,
 * saying what to do, nothing written), a broken earlier cycle, and a part of the bank.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './helpers/run-cli.ts';

let dir: string;
let ws: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kr-export-docs-'));
  ws = path.join(dir, 'reflections');
  cpSync(path.join(repoRoot, 'examples', 'exampleshire'), ws, { recursive: true });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[]) =>
  runCli(['--dir', ws, 'export', ...args], { cwd: dir, env: { KINSHIP_REFLECT_TODAY: '2026-07-10' } });

describe('export of papers for people', () => {
  it('writes HTML to stdout, and the Markdown summary', async () => {
    const html = await cli(['--format', 'html']);
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout.startsWith('<!DOCTYPE html>\n<html lang="en-GB">')).toBe(true);
    const md = await cli(['--summary']);
    expect(md.code, md.stderr).toBe(0);
    expect(
      md.stdout.startsWith(
        '# Summary of the kinship care reflection 2026-27: Exampleshire County Council (fictional)\n',
      ),
    ).toBe(true);
    expect(md.stdout).not.toContain('<!-- item:'); // not the working report
  });

  it.each([
    [['--format', 'docx'], /a Word document is written to a file: add --out <file>\.docx/],
    [
      ['--format', 'csv', '--summary'],
      /--summary is a paper for people: use it with --format md, html or docx \(not csv\)/,
    ],
    [
      ['--format', 'html', '--stage', 'decide'],
      /--stage "decide" is not a stage of this question bank \(stages: assess, plan, do, review\)/,
    ],
    [
      ['--format', 'html', '--tag', 'R9'],
      /--tag "R9" is not a tag of this question bank \(tags: KP1, KP2, KP3, R1, R2, R3, R4, R5, R6, ALL\)/,
    ],
    [['--format', 'pdf'], /pdf/],
  ])('%j is a usage error that says what to do, and writes nothing', async (args, message) => {
    const never = path.join(dir, 'never.out');
    for (const run of [args, [...args, '--out', never]]) {
      if (args.includes('docx') && run.includes('--out')) continue; // with --out, docx is fine
      const r = await cli(run);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.stdout).toBe('');
    }
    expect(existsSync(never)).toBe(false);
  });

  it('restricts to part of the bank and says so', async () => {
    const r = await cli(['--format', 'html', '--tag', 'r3', '--stage', 'plan']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'This document covers only the Step 2: Plan stage and the questions linked to Recommendation 3 (R3)',
    );
    const csv = await cli(['--format', 'csv', '--stage', 'do']);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trim().split('\n').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.startsWith('do.'))).toBe(true);
  });

  it('leaves a broken earlier cycle out of the comparison, with a warning', async () => {
    const broken = path.join(dir, 'broken');
    cpSync(ws, broken, { recursive: true });
    writeFileSync(path.join(broken, '2025-26.json'), '{ "format": 1, oops');
    const r = await runCli(['--dir', broken, 'export', '--format', 'html', '--cycle', '2026-27'], {
      cwd: dir,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^Warning: cycle 2025-26 is left out of the comparison and trend: .*2025-26\.json/m,
    );
    expect(r.stdout).not.toContain('Change since cycle 2025-26');
    expect(readFileSync(path.join(broken, '2025-26.json'), 'utf8')).toBe('{ "format": 1, oops');
  });

  it("--members puts the elected members' answers to the key questions in the summary", async () => {
    const members = path.join(dir, 'members');
    const init = await runCli(
      ['init', '--dir', members, '--bank', 'elected-members', '--authority', 'Exampleshire'],
      {
        cwd: dir,
      },
    );
    expect(init.code, init.stderr).toBe(0);
    const answer = await runCli(
      [
        '--dir',
        members,
        'answer',
        'reflect.evidence.offer',
        '--cycle',
        '2026-27',
        '--text',
        'Two of six are in place.',
        '--rating',
        'amber',
      ],
      { cwd: dir },
    );
    expect(answer.code, answer.stderr).toBe(0);
    const file = path.join(members, '2026-27.json');
    const r = await cli(['--summary', '--members', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("## Elected members' key questions");
    expect(r.stdout).toContain('cycle 2026-27: 1 of the 4 questions answered.');
    expect(r.stdout).toContain(
      '**How evidence-informed is the local support offer for kinship families?**\n\n*Rating: Amber.*\n\nTwo of six are in place.',
    );
    const html = await cli(['--format', 'html', '--members', file]);
    expect(html.stdout).toContain('<h2 id=');
    expect(html.stdout).toContain('Elected members&#39; key questions');
    // a cycle of the other bank is refused, saying what to give instead
    const wrong = await cli(['--summary', '--members', path.join(ws, '2026-27.json')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /is a cycle of the "reflective-tool" bank; give a cycle file of the elected-members bank/,
    );
    const csv = await cli(['--format', 'csv', '--members', file]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/--members adds the elected members' answers to a paper/);
  });

  it('writes Word with --out and says so', async () => {
    const out = path.join(dir, 'paper.docx');
    const r = await cli(['--format', 'docx', '--summary', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Wrote paper.docx (docx summary, cycle 2026-27).');
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
  });
});
