/**
 * One policy on control characters (issue 15): input refuses them, naming the character and where it
 * is; every output shows them escaped, never raw. A property test feeds every class of code point
 * through every output; the counts are printed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAggregator } from '../src/core/aggregate.ts';
import { parseBank } from '../src/core/bank-validate.ts';
import {
  controlCharacterProblem,
  describeCharacter,
  escapeControlCharacters,
  findControlCharacters,
  isUnsafeCharacter,
  toJsonText,
} from '../src/core/control-chars.ts';
import { renderCsv, renderJsonExport } from '../src/core/csv.ts';
import { diffCycles } from '../src/core/diff.ts';
import {
  renderAggregateCsv,
  renderAggregateJson,
  renderAggregateMarkdown,
} from '../src/core/render-aggregate.ts';
import { renderDiffMarkdown } from '../src/core/render-diff.ts';
import { renderReport } from '../src/core/report.ts';
import { parseReport } from '../src/core/report-parse.ts';
import { sanitizeForTerminal, sanitizeInline } from '../src/core/sanitize.ts';
import type { CycleFile } from '../src/core/types.ts';
import { fixtureBank, fixtureCycle } from './helpers/fixture-bank.ts';
import { repoRoot, runCli } from './helpers/run-cli.ts';

/** The classes of code point the policy must tell apart, each with a sample range. */
const CLASSES: Array<{ name: string; unsafe: boolean; from: number; to: number; except?: number[] }> = [
  { name: 'C0 controls (not tab, LF, CR)', unsafe: true, from: 0x00, to: 0x1f, except: [0x09, 0x0a, 0x0d] },
  { name: 'DEL', unsafe: true, from: 0x7f, to: 0x7f },
  { name: 'C1 controls', unsafe: true, from: 0x80, to: 0x9f },
  { name: 'bidi embeddings and overrides', unsafe: true, from: 0x202a, to: 0x202e },
  { name: 'bidi isolates', unsafe: true, from: 0x2066, to: 0x2069 },
  { name: 'bidi marks', unsafe: true, from: 0x200e, to: 0x200f },
  { name: 'printable ASCII', unsafe: false, from: 0x20, to: 0x7e },
  { name: 'Latin-1 letters and signs', unsafe: false, from: 0xa0, to: 0xff },
  { name: 'general punctuation (not bidi)', unsafe: false, from: 0x2010, to: 0x2027 },
  { name: 'Arabic and Hebrew letters', unsafe: false, from: 0x05d0, to: 0x05ea },
  { name: 'emoji', unsafe: false, from: 0x1f600, to: 0x1f64f },
];

const codePointsOf = (c: (typeof CLASSES)[number]) => {
  const out: number[] = [];
  for (let cp = c.from; cp <= c.to; cp++) if (!c.except?.includes(cp)) out.push(cp);
  return out;
};

/** Text built from any of the classes, with words between. */
const mixedText = fc
  .array(
    fc.oneof(
      ...CLASSES.map((c) => fc.constantFrom(...codePointsOf(c)).map((cp) => String.fromCodePoint(cp))),
      fc.constantFrom('word ', 'Exampleshire ', '64% ', '\t', ' '),
    ),
    { minLength: 1, maxLength: 24 },
  )
  .map((parts) => parts.join(''));

const UNSAFE_RAW =
  /[\u0000-\u0008\u000B-\u000C\u000E-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

function cycleWith(text: string, id = '2026-27'): CycleFile {
  const cycle = fixtureCycle(fixtureBank(), id);
  cycle.authority = `Exampleshire ${text}`;
  const answer = cycle.answers['assess.carers.count'];
  if (answer) answer.text = [text, 'plain line'];
  const action = cycle.actions[0];
  if (action) {
    action.title = `Publish ${text}`;
    action.owner = text;
  }
  return cycle;
}

const bank = fixtureBank();
/** Every output of the tool, as text, for a cycle holding `text` (hand-edited into the file). */
const OUTPUTS: Record<string, (text: string) => string> = {
  'terminal (sanitizeForTerminal)': (text) => sanitizeForTerminal(text),
  'terminal, one line (sanitizeInline)': (text) => sanitizeInline(text),
  'Markdown report (export --format md)': (text) => renderReport(bank, cycleWith(text)),
  'CSV export': (text) => renderCsv(bank, cycleWith(text)),
  'JSON export': (text) => renderJsonExport(bank, cycleWith(text)),
  'diff --format md': (text) =>
    renderDiffMarkdown(
      diffCycles(bank, fixtureCycle(bank, '2025-26'), cycleWith(text), { today: '2026-01-15', words: false }),
    ),
  'aggregate (Markdown, CSV, JSON)': (text) => {
    const agg = createAggregator(bank, '2026-01-15');
    agg.addCycle(cycleWith(text), `a${text}.json`);
    agg.addSkipped(`skipped${text}.json`, `not valid JSON near "${text}"`);
    const result = agg.result();
    return [renderAggregateMarkdown(result), renderAggregateCsv(result), renderAggregateJson(result)].join(
      '\n',
    );
  },
  'any --json output (toJsonText)': (text) => toJsonText({ text, list: [text] }, 2),
};

const RUNS = Number(process.env.KR_FC_RUNS ?? 300);
const counts: string[] = [];

describe('every output shows unsafe characters escaped, never raw', () => {
  it.each(Object.keys(OUTPUTS))('%s', (name) => {
    const render = OUTPUTS[name] as (text: string) => string;
    let withUnsafe = 0;
    fc.assert(
      fc.property(mixedText, (text) => {
        if (UNSAFE_RAW.test(text)) withUnsafe++;
        const out = render(text);
        expect(out).not.toMatch(UNSAFE_RAW);
      }),
      { numRuns: RUNS },
    );
    // every single unsafe code point on its own, too
    let singles = 0;
    for (const c of CLASSES.filter((x) => x.unsafe)) {
      for (const cp of codePointsOf(c)) {
        expect(
          render(`a${String.fromCodePoint(cp)}b`),
          describeCharacter(String.fromCodePoint(cp)),
        ).not.toMatch(UNSAFE_RAW);
        singles++;
      }
    }
    counts.push(
      `${name}: ${RUNS} generated texts (${withUnsafe} with unsafe characters), ${singles} single code points`,
    );
  });

  it('JSON output keeps the characters themselves, as \\u escapes', () => {
    const text = 'a\u001b]0;x\u0007b\u009bc\u202ed';
    const json = toJsonText({ text });
    expect(json).not.toMatch(UNSAFE_RAW);
    expect(json).toContain('\\u009b');
    expect(json).toContain('\\u202e');
    expect((JSON.parse(json) as { text: string }).text).toBe(text);
    console.log(`Control-character property tests:\n  ${counts.join('\n  ')}`);
  });
});

describe('one function decides', () => {
  it('classifies every code point of every class, and names the unsafe ones', () => {
    let checked = 0;
    for (const c of CLASSES) {
      for (const cp of codePointsOf(c)) {
        const ch = String.fromCodePoint(cp);
        expect(isUnsafeCharacter(ch), `${c.name} ${describeCharacter(ch)}`).toBe(c.unsafe);
        const problem = controlCharacterProblem(`ok ${ch}`, 'the answer');
        if (c.unsafe) expect(problem).toContain(describeCharacter(ch));
        else expect(problem).toBeUndefined();
        checked++;
      }
    }
    expect(checked).toBe(395);
  });

  it('names the character and where it is', () => {
    expect(controlCharacterProblem('first line\nsecond \u001b[31mred', 'the answer')).toBe(
      'the answer holds the control character U+001B (ESCAPE) at line 2, column 8; remove it ' +
        '(control characters can hide, change or reorder what others see)',
    );
    expect(controlCharacterProblem('Exampleshire \u202eCouncil', 'the authority name')).toMatch(
      /U\+202E \(RIGHT-TO-LEFT OVERRIDE\) at column 14/,
    );
    expect(describeCharacter('\u009b')).toBe('U+009B (C1 control CONTROL SEQUENCE INTRODUCER)');
    expect(findControlCharacters('a\tb\nc\u0007')).toEqual([
      { line: 2, column: 2, character: 'U+0007 (BELL)' },
    ]);
  });

  it('shows escapes that a reader can see', () => {
    expect(escapeControlCharacters('a\u001b]8;;http://x\u0007b\u202e')).toBe(
      'a\\x1B]8;;http://x\\x07b\\u202E',
    );
  });
});

describe('import refuses a report with control characters typed into it', () => {
  it('names the character, line and column', () => {
    const markdown = renderReport(bank, fixtureCycle(bank)).replace(
      'Around 240 households.',
      'Around 240\u0007 households.',
    );
    const { problems } = parseReport(markdown, bank, { file: 'r.md' });
    const line = markdown.split('\n').findIndex((l) => l.includes('\u0007')) + 1;
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message}`)).toEqual([
      `r.md:${line}:11 the control character U+0007 (BELL) (edited in by hand?); remove it: it can hide, change or reorder what others see`,
    ]);
  });
});

describe('a question bank with control characters is refused, with line and column', () => {
  it.each([
    ['a raw right-to-left override', 'Key Principle \u202E1', 'U+202E (RIGHT-TO-LEFT OVERRIDE)'],
    ['a YAML escape in a double-quoted string', '"Key Principle \\e[2J1"', 'U+001B (ESCAPE)'],
    ['a YAML \\x escape', '"Key Principle \\x9b1"', 'U+009B'],
  ])('%s', (_, title, named) => {
    const source = readFileSync(path.join(repoRoot, 'questions', 'elected-members.yaml'), 'utf8');
    const edited = source.replace('    title: Key Principle 1', `    title: ${title}`);
    expect(edited).not.toBe(source);
    const { bank, problems } = parseBank(edited, 'bank.yaml');
    expect(bank).toBeUndefined();
    const line = edited.split('\n').findIndex((l) => l.startsWith(`    title: ${title}`)) + 1;
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      `${line}:${26 + (title.startsWith('"') ? 1 : 0)} the control character ${named}${named.endsWith(')') ? '' : ' (C1 control CONTROL SEQUENCE INTRODUCER)'} (edited in by hand?); remove it: it can hide, change or reorder what others see`,
    ]);
  });
});

describe('input refuses unsafe characters, naming them (the built command)', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kinship-reflect-controls-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('init --authority with a right-to-left override: exit 2, the character named, nothing created', async () => {
    const r = await runCli(['init', '--authority', 'Example\u202Eshire', '--dir', 'ws'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('U+202E (RIGHT-TO-LEFT OVERRIDE) at column 8');
    expect(r.stderr).not.toContain('\u202E');
    expect(existsSync(path.join(dir, 'ws', 'kinship-reflect.yaml'))).toBe(false);
  });

  it('answer and actions add refuse escape sequences; CRLF is normalised, not refused', async () => {
    expect((await runCli(['init', '--authority', 'Exampleshire', '--dir', 'ws'], { cwd: dir })).code).toBe(0);
    const item = 'assess.carers.demographics';
    const bad = await runCli(
      ['answer', item, '--cycle', '2026-27', '--dir', 'ws', '--text', 'ok\n\u001b]0;pwned\u0007'],
      {
        cwd: dir,
      },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('U+001B (ESCAPE) at line 2, column 1');
    expect(bad.stderr).not.toMatch(UNSAFE_RAW);
    const crlf = await runCli(
      ['answer', item, '--cycle', '2026-27', '--dir', 'ws', '--text', 'one\r\ntwo\rthree'],
      {
        cwd: dir,
      },
    );
    expect(crlf.code, crlf.stderr).toBe(0);
    const saved = JSON.parse(await readFile(path.join(dir, 'ws', '2026-27.json'), 'utf8')) as CycleFile;
    expect(saved.answers[item]?.text).toEqual(['one', 'two', 'three']);
    const action = await runCli(
      ['actions', 'add', '--cycle', '2026-27', '--dir', 'ws', '--title', 'Publish \u009b31m', '--tag', 'R1'],
      { cwd: dir },
    );
    expect(action.code).toBe(2);
    expect(action.stderr).toContain('U+009B (C1 control CONTROL SEQUENCE INTRODUCER)');
  });

  it('validate reports control characters a hand edit put in a cycle file, with line and column', async () => {
    const file = path.join(dir, 'ws', '2026-27.json');
    const text = await readFile(file, 'utf8');
    // A hand edit: an escape sequence that would clear the screen, and a raw right-to-left override.
    const edited = text.replace('"one"', '"o\\u001b[2Jne"').replace('"two"', '"t\u202Ewo"');
    await writeFile(file, edited);
    const r = await runCli(['validate', '--dir', 'ws'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const lines = edited.split('\n');
    const escLine = lines.findIndex((l) => l.includes('u001b')) + 1;
    const escColumn = (lines[escLine - 1] ?? '').indexOf('\\u001b') + 1;
    expect(r.stdout).toContain(`2026-27.json:${escLine}:${escColumn}: the control character U+001B (ESCAPE)`);
    expect(r.stdout).toContain('U+202E (RIGHT-TO-LEFT OVERRIDE)');
    expect(r.stdout).not.toMatch(UNSAFE_RAW);
    // every other command still reads the file, and shows the characters escaped
    const shown = await runCli(['export', '--cycle', '2026-27', '--dir', 'ws'], { cwd: dir });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('o\\x1B[2Jne');
    expect(shown.stdout).not.toMatch(UNSAFE_RAW);
  });
});
