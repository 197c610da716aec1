#!/usr/bin/env node
// Regenerates the samples in README.md from the example workspace (examples/exampleshire/, made by
// scripts/make-examples.mjs) with the built CLI (run `npm run build` first). Each sample sits between
// markers that this script owns:
//
//   <!-- generated:diff -->
//   …output of the tool…
//   <!-- /generated:diff -->
//
//   node scripts/readme-samples.mjs           # rewrite the blocks in README.md
//   node scripts/readme-samples.mjs --check   # exit 1 and name the blocks that are out of date
//   … --readme <file>                         # another copy of the README (the tests use one)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliEnv } from './make-examples.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'kinship-reflect.js');
const exampleDir = path.join(root, 'examples', 'exampleshire');

/** The day every sample is generated "on", so overdue actions and dates never drift. */
export const SAMPLE_TODAY = '2026-07-06';

/** How many lines of the report the excerpt shows. */
const REPORT_LINES = 40;

/** Runs the CLI; returns its stdout and stderr (where prompts go), throwing unless it exits 0. */
function cli(args, { cwd = root, input = '' } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    env: cliEnv(SAMPLE_TODAY),
    input,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) {
    const why = r.error ? String(r.error.message) : String(r.stderr).slice(-3000);
    throw new Error(`kinship-reflect ${args.join(' ')} failed (exit ${r.status}):\n${why}`);
  }
  return { stdout: r.stdout, stderr: r.stderr };
}

/** A fence longer than any run of backticks in `text`, so the sample cannot close it early. */
export function fenceFor(text) {
  let longest = 0;
  for (const m of text.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function fenced(lang, text) {
  const body = text.replace(/\s+$/, '');
  const fence = fenceFor(body);
  return `${fence}${lang}\n${body}\n${fence}`;
}

// ---------------------------------------------------------------------------------------------------
// The plain-mode transcript

/** What the Do-stage sample types, one line per answer (see the README's plain-mode protocol). */
export const TRANSCRIPT_INPUT = [
  'i', // How is A3 going? In progress
  'Tender published; it closes at the end of August.', // a short note on progress
  'u', // How is A4 going? no change
  '', // no note
  'k', // keep the carried-forward answer (confirm it)
  '', // its rating still holds (Enter keeps it)
  'q', // save and quit
];

/**
 * The lines a plain-mode prompt ends with, just before it reads what is typed. A multi-line text
 * reads every line up to an empty one.
 */
const ASKS = [
  { pattern: /^Type a number \(/, multiline: false },
  { pattern: /^Type your answer on one line/, multiline: false },
  { pattern: /^Type the numbers in order/, multiline: false },
  { pattern: / Type y for yes or n for no/, multiline: false },
  { pattern: /^Type your answer\. End with an empty line\./, multiline: true },
];

/**
 * Interleave what was typed with what the plain prompter wrote: after each sentence that asks for
 * input (wrapped to 80 columns, so it may take several lines: it ends at the line ending with a full
 * stop), the lines it reads, marked `> `. Throws if the input and the prompts do not line up.
 */
export function interleave(output, typed) {
  const out = [];
  let next = 0;
  const lines = output.replace(/\n$/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    let end = i;
    while (end < lines.length - 1 && !/[.:?]$/.test(lines[end])) end++;
    const sentence = lines.slice(i, end + 1).join(' ');
    const ask = ASKS.find((a) => a.pattern.test(sentence));
    if (!ask) {
      out.push(lines[i]);
      continue;
    }
    out.push(...lines.slice(i, end + 1));
    i = end;
    if (next >= typed.length) continue; // the input ended here
    if (ask.multiline) {
      for (;;) {
        const t = typed[next++];
        out.push(`> ${t}`.trimEnd());
        if (t === undefined || t.trim() === '' || next >= typed.length) break;
      }
    } else {
      out.push(`> ${typed[next++]}`.trimEnd());
    }
  }
  if (next !== typed.length) {
    throw new Error(
      `transcript: ${typed.length - next} typed line(s) were never asked for; the prompts changed`,
    );
  }
  return out.join('\n');
}

function transcriptSample() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kinship-reflect-readme-'));
  try {
    cpSync(exampleDir, path.join(tmp, 'reflections'), { recursive: true });
    const args = ['interview', '--plain', '--cycle', '2026-27', '--stage', 'do'];
    const input = `${TRANSCRIPT_INPUT.join('\n')}\n`;
    const { stderr } = cli(args, { cwd: tmp, input });
    const body = interleave(stderr, TRANSCRIPT_INPUT);
    const slip = /is not one of the choices|Nothing was typed|is not y or n|Input ended/.exec(body);
    if (slip)
      throw new Error(`transcript: the scripted answers no longer fit the prompts ("${slip[0]}"):\n${body}`);
    return [
      'A real session, generated from the example workspace (lines typed are marked `>`):',
      '',
      fenced('text', `$ kinship-reflect interview --plain --cycle 2026-27 --stage do\n${body}`),
    ].join('\n');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// The other samples: read-only commands on the example workspace

const ex = ['--dir', 'examples/exampleshire'];

function reportExcerpt() {
  const { stdout } = cli([...ex, 'export', '--cycle', '2026-27']);
  const lines = stdout.split('\n');
  const excerpt = lines.slice(0, REPORT_LINES).join('\n');
  return [
    `The first ${REPORT_LINES} lines of \`kinship-reflect export --cycle 2026-27\` on the example workspace`,
    `(the whole report: [examples/exampleshire/2026-27.md](examples/exampleshire/2026-27.md), ${lines.length - 1} lines):`,
    '',
    fenced('markdown', `${excerpt}\n…`),
  ].join('\n');
}

function diffSample() {
  const { stdout } = cli([...ex, 'diff', '2025-26', '2026-27']);
  return [
    '`kinship-reflect diff 2025-26 2026-27` on the example workspace:',
    '',
    fenced('text', stdout),
  ].join('\n');
}

function actionsSample() {
  const { stdout } = cli([...ex, 'actions', 'list', '--cycle', '2026-27']);
  return [
    '`kinship-reflect actions list --cycle 2026-27` on the example workspace:',
    '',
    fenced('text', stdout),
  ].join('\n');
}

function aggregateSample() {
  const { stdout } = cli(['aggregate', 'examples/exampleshire', '--format', 'md']);
  // up to the table of authorities: the part a reader needs to see what the summary is like
  const lines = stdout.split('\n');
  const end = lines.findIndex((l, i) => i > 0 && /^## Authorities/.test(l));
  const excerpt = (end > 0 ? lines.slice(0, end) : lines.slice(0, 60)).join('\n').replace(/\s+$/, '');
  return [
    'The start of `kinship-reflect aggregate examples/exampleshire --format md` (with one authority; give it',
    "several workspaces or folders of other authorities' cycle files to compare them):",
    '',
    fenced('markdown', `${excerpt}\n\n…`),
  ].join('\n');
}

function keysSample() {
  const { stdout } = cli(['help', 'plain']);
  const start = stdout.indexOf('\nKEYS');
  if (start < 0) throw new Error('keys: `help plain` has no KEYS section');
  // the table starts after the blank line that ends the KEYS heading (wrapped, it may take two lines)
  const table = stdout.slice(stdout.indexOf('\n\n', start + 1) + 2).replace(/\s+$/, '');
  return [
    'The keys of the interview, from `kinship-reflect help plain` (the same letters work in the plain mode,',
    'typed as an answer, and in a terminal, where typing one picks it at once):',
    '',
    fenced('text', table),
  ].join('\n');
}

export const BLOCKS = {
  transcript: transcriptSample,
  keys: keysSample,
  'report-excerpt': reportExcerpt,
  diff: diffSample,
  actions: actionsSample,
  aggregate: aggregateSample,
};

const markerRe = (name) =>
  new RegExp(`(<!-- generated:${name} -->\\n)([\\s\\S]*?)(<!-- /generated:${name} -->)`);

/** Replace every block's content; returns the new README text and the names of blocks that changed. */
export function updateReadme(readme, samples) {
  let text = readme;
  const stale = [];
  const missing = [];
  for (const [name, content] of Object.entries(samples)) {
    const re = markerRe(name);
    const m = re.exec(text);
    if (!m) {
      missing.push(name);
      continue;
    }
    const body = `${content.replace(/\s+$/, '')}\n`;
    if (m[2] !== body) stale.push(name);
    text = text.slice(0, m.index) + m[1] + body + m[3] + text.slice(m.index + m[0].length);
  }
  return { text, stale, missing };
}

function main() {
  const args = process.argv.slice(2);
  let check = false;
  let readmePath = path.join(root, 'README.md');
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--check') check = true;
    else if (args[i] === '--readme' && args[i + 1]) readmePath = path.resolve(args[++i]);
    else {
      console.error(
        `readme-samples: unknown argument "${args[i]}". Usage: node scripts/readme-samples.mjs [--check] [--readme <file>]`,
      );
      return 2;
    }
  }
  if (!existsSync(path.join(root, 'dist', 'cli.cjs'))) {
    console.error('readme-samples: dist/ is missing; run `npm run build` first.');
    return 1;
  }
  if (!existsSync(path.join(exampleDir, '2026-27.json'))) {
    console.error(
      'readme-samples: examples/exampleshire/ is missing; run `node scripts/make-examples.mjs` first.',
    );
    return 1;
  }
  const samples = {};
  for (const [name, make] of Object.entries(BLOCKS)) samples[name] = make();
  const readme = readFileSync(readmePath, 'utf8');
  const { text, stale, missing } = updateReadme(readme, samples);
  if (missing.length > 0) {
    console.error(
      `readme-samples: ${path.basename(readmePath)} has no block for: ${missing.join(', ')}. ` +
        'Add <!-- generated:NAME --> and <!-- /generated:NAME --> lines where each sample belongs.',
    );
    return 1;
  }
  if (check) {
    if (stale.length > 0) {
      for (const name of stale) {
        console.error(
          `${path.basename(readmePath)}: the "${name}" sample (<!-- generated:${name} -->) is out of date.`,
        );
      }
      console.error('Regenerate it with: node scripts/readme-samples.mjs');
      return 1;
    }
    console.log(`${path.basename(readmePath)} samples are current (${Object.keys(samples).length} blocks).`);
    return 0;
  }
  if (text !== readme) writeFileSync(readmePath, text);
  console.log(
    stale.length > 0
      ? `Updated ${path.basename(readmePath)}: ${stale.join(', ')}.`
      : `${path.basename(readmePath)} samples were already current.`,
  );
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main();
  } catch (error) {
    console.error(`readme-samples: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
