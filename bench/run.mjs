// `npm run bench` (builds first) = `node bench/run.mjs [--runs N] [--warmup N] [--only name[,name]] [--check] [--list]`
//
// Times whole processes of the built kinship-reflect against `node -e 0` on the same machine, in the
// same loop, and prints a table; writes bench/results/<time>-<sha>.json and bench/results/latest.json.
// A case whose command fails (for example because it is not written yet) is an ERROR and makes the
// run exit 1. A missed target is a FAIL, which makes the run exit 1 only with --check.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bin, formatTable, gnuTime, makeBenchWorkspace, measureCase, node, root } from './lib.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    only: { type: 'string', multiple: true },
    check: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    marker: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`usage: node bench/run.mjs [--runs N] [--warmup N] [--only name[,name]] [--check] [--list] [--marker REGEX]
  --runs     timed rounds per case, each also timing node -e 0 (default 15)
  --warmup   untimed runs first, under GNU time for peak memory (default 3)
  --only     run only these cases (exact name, or a part of one)
  --check    exit 1 when a target is missed (errors always exit 1)
  --marker   regex for the first interview question (default: Question \\d+ of \\d+)`);
  process.exit(0);
}

const runs = positiveInt(values.runs, '--runs');
const warmup = positiveInt(values.warmup, '--warmup');

function positiveInt(text, name) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench: ${name} must be a whole number of at least 1, not "${text}"`);
    process.exit(2);
  }
  return n;
}

/**
 * The cases. `ratio`: the target for median(case) / median(node -e 0); `maxMs`: an absolute target.
 * `args` may be a function of the fixtures; `until` times up to the first match on stdout or stderr.
 */
const cases = [
  { name: 'help', label: '--help', ratio: 1.35, args: () => ['--help'] },
  { name: 'questions-json', label: 'questions --json', ratio: 1.6, args: () => ['questions', '--json'] },
  {
    name: 'validate-yaml',
    label: 'validate questions/reflective-tool.yaml',
    ratio: 3,
    args: () => ['validate', join(root, 'questions', 'reflective-tool.yaml')],
  },
  {
    name: 'status',
    label: 'status (answered cycle)',
    ratio: 1.6,
    args: (f) => ['status', '--dir', f.workspace, '--cycle', '2026-27'],
  },
  {
    name: 'export-md',
    label: 'export --format md (answered)',
    ratio: 1.6,
    args: (f) => ['export', '--dir', f.workspace, '--cycle', '2026-27', '--format', 'md'],
  },
  {
    name: 'diff',
    label: 'diff 2025-26 2026-27 (answered)',
    ratio: 1.6,
    args: (f) => ['diff', '--dir', f.workspace, '2025-26', '2026-27'],
  },
  {
    name: 'interview-first-question',
    label: 'interview --plain: 1st question',
    ratio: 2,
    until: new RegExp(values.marker ?? 'Question \\d+ of \\d+'),
    args: (f) => ['interview', '--plain', '--dir', f.emptyWorkspace, '--cycle', 'bench', '--stage', 'assess'],
  },
  { name: 'aggregate', label: 'aggregate 153 × 8 (benchAggregate)', maxMs: 2000, custom: aggregateCase },
  { name: 'redraw', label: 'text box: keystroke → redraw, 2,000 lines', maxMs: 50, custom: redrawCase },
];

if (values.list) {
  for (const c of cases) console.log(`${c.name.padEnd(26)} ${c.label}`);
  process.exit(0);
}

const wanted = (values.only ?? [])
  .flatMap((s) => s.split(','))
  .map((s) => s.trim())
  .filter(Boolean);
const selected = wanted.length
  ? cases.filter((c) => wanted.some((w) => c.name === w || c.name.includes(w) || c.label.includes(w)))
  : cases;
if (wanted.length && selected.length === 0) {
  console.error(`bench: no case matches ${wanted.join(', ')}; cases: ${cases.map((c) => c.name).join(', ')}`);
  process.exit(2);
}

if (!existsSync(join(root, 'dist', 'cli.cjs'))) {
  console.error(
    'bench: dist/cli.cjs is missing; run `npm run bench` (which builds) or `npm run build` first.',
  );
  process.exit(2);
}

async function aggregateCase() {
  const path = join(root, 'bench', 'aggregate.mjs');
  if (!existsSync(path)) throw new Error('bench/aggregate.mjs is missing (it should export benchAggregate)');
  const mod = await import(pathToFileURL(path).href);
  if (typeof mod.benchAggregate !== 'function')
    throw new Error('bench/aggregate.mjs does not export benchAggregate');
  const result = await mod.benchAggregate({
    bin,
    node,
    runs,
    warmup,
    authorities: 153,
    cycles: 8,
    quiet: true,
  });
  const medianMs = typeof result === 'number' ? result : (result?.medianMs ?? result?.ms);
  if (typeof medianMs !== 'number') throw new Error('benchAggregate did not return { medianMs }');
  return {
    medianMs,
    baselineMs: result?.baselineMs,
    ratio: result?.baselineMs ? medianMs / result.baselineMs : undefined,
    peakKb: result?.peakKb ?? result?.peakRssKb,
    details: typeof result === 'object' ? result : undefined,
  };
}

async function redrawCase() {
  const { benchRedraw } = await import(pathToFileURL(join(root, 'bench', 'redraw.mjs')).href);
  const result = await benchRedraw({ bin, node, runs, warmup });
  return {
    medianMs: result.medianMs,
    baselineMs: result.baselineMs,
    ratio: result.ratio,
    details: { samples: result.samples, oneLineSamples: result.baselineSamples },
  };
}

function gitSha() {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'scripts', 'package.json'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha}-dirty` : sha;
  } catch {
    return 'nogit';
  }
}

const fixtures = makeBenchWorkspace();
const rows = [];
try {
  console.error(
    `bench: ${selected.length} case(s), ${warmup} warm-up + ${runs} timed runs each, alternating with node -e 0; ` +
      `peak memory via ${gnuTime ? `GNU time (${gnuTime} -f %M)` : 'nothing (GNU time not installed: peak MB not measured)'}`,
  );
  for (const c of selected) {
    const targetLabel = c.maxMs !== undefined ? `< ${c.maxMs} ms` : `≤ ${c.ratio}×`;
    const row = {
      name: c.label,
      case: c.name,
      targetLabel,
      target: c.maxMs !== undefined ? { maxMs: c.maxMs } : { ratio: c.ratio },
    };
    process.stderr.write(`bench: ${c.name}… `);
    try {
      const m = c.custom
        ? await c.custom(fixtures)
        : await measureCase({ args: c.args(fixtures), until: c.until, cwd: fixtures.dir }, { runs, warmup });
      Object.assign(row, m);
      row.pass = c.maxMs !== undefined ? m.medianMs < c.maxMs : m.ratio <= c.ratio;
      process.stderr.write(`${m.medianMs.toFixed(1)} ms\n`);
    } catch (error) {
      row.error = error instanceof Error ? error.message : String(error);
      row.pass = false;
      process.stderr.write('ERROR\n');
    }
    rows.push(row);
  }
} finally {
  fixtures.cleanup();
}

console.log(formatTable(rows));
const errors = rows.filter((r) => r.error);
for (const r of errors) console.log(`ERROR ${r.case}: ${r.error}`);

const sha = gitSha();
const when = new Date().toISOString();
const report = {
  when,
  sha,
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  runs,
  warmup,
  items: fixtures.items,
  peakMemory: gnuTime ? 'GNU time %M (max RSS, KB)' : 'not measured',
  cases: rows.map(({ samples, ...r }) => ({ ...r, samples })),
};
const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const name = `${when.replace(/[:.]/g, '-')}-${sha}.json`;
writeFileSync(join(dir, name), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`written: bench/results/${name} (and latest.json)`);

const failed = rows.filter((r) => !r.error && !r.pass);
if (errors.length) process.exitCode = 1;
else if (values.check && failed.length) process.exitCode = 1;
