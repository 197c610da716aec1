/**
 * Text for people wraps at word boundaries to the terminal's width, or to 80 columns (`$COLUMNS` when
 * set) in a pipe; data (JSON, documents, scripts) is never touched. Run through the built binary,
 * piped, with COLUMNS unset (vitest.config.ts pins it wide for the other tests). In a terminal: the
 * pseudo-terminal journeys (interview-pty.test.ts) and tmux.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './helpers/run-cli.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kr-human-output-'));
  cpSync(path.join(repoRoot, 'examples', 'exampleshire'), path.join(dir, 'reflections'), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], columns?: string) {
  const r = await runCli(args, { cwd: dir, env: { COLUMNS: columns } });
  expect(r.code, r.stderr).toBeLessThan(2);
  return r;
}
const words = (text: string) => text.split(/\s+/).filter((w) => w !== '');
/** A command shown whole in help (breaking it would break pasting it into a shell). */
const isCommandLine = (line: string) =>
  /^ {2}(kinship-reflect|git|cd|echo) /.test(line) && !/\S {2,}\S/.test(line.trim());

describe('human output wraps at word boundaries', () => {
  it.each([
    [['status']],
    [['cycles']],
    [['guide']],
    [['questions', '--stage', 'plan']],
    [['actions']],
    [['diff', '2025-26', '2026-27']],
    [['help', 'git']],
    [['help', 'plain']],
    [['help']],
    [['export', '--help']],
  ])('%j: to 80 columns in a pipe, every word kept, and to $COLUMNS when set', async (args) => {
    const narrow = await run(args);
    const wide = await run(args, '1000');
    const lines = narrow.stdout.split('\n');
    for (const line of lines)
      if (!isCommandLine(line)) expect(line.length, `${args.join(' ')}: ${line}`).toBeLessThanOrEqual(80);
    // the same words in the same order: wrapping only moves line breaks
    expect(words(narrow.stdout)).toEqual(words(wide.stdout));
    const at120 = await run(args, '120');
    for (const line of at120.stdout.split('\n'))
      if (!isCommandLine(line)) expect(line.length).toBeLessThanOrEqual(120);
  });

  it('a table row wraps under its second column', async () => {
    const { stdout } = await run(['status']);
    // "  Step 1: Assess  17/52 answered … ·" then the rest under "17/52"
    const row = stdout.split('\n').findIndex((l) => l.startsWith('  Step 1: Assess  '));
    const column = (stdout.split('\n')[row] as string).indexOf('  ', 3) + 2;
    const next = stdout.split('\n')[row + 1] as string;
    expect(next.slice(0, column).trim()).toBe('');
    expect(next[column]).not.toBe(' ');
  });

  it('messages on stderr wrap too', async () => {
    const r = await runCli(['status', '--cycle', 'nope'], { cwd: dir, env: { COLUMNS: undefined } });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).not.toBe('');
    for (const line of r.stderr.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('data is never wrapped', () => {
  it.each([
    [['status', '--json']],
    [['questions', '--json']],
    [['guide', '--json']],
    [['diff', '2025-26', '2026-27', '--format', 'md']],
    [['diff', '2025-26', '2026-27', '--format', 'json']],
    [['export', '--cycle', '2026-27']],
    [['export', '--cycle', '2026-27', '--format', 'csv']],
    [['completion', 'bash']],
  ])('%j is the same bytes at any width', async (args) => {
    const narrow = await run(args);
    const wide = await run(args, '1000');
    expect(narrow.stdout).toBe(wide.stdout);
    // lines a wrap would have broken are there, whole
    expect(narrow.stdout.split('\n').some((l) => l.length > 80)).toBe(true);
  });
});
