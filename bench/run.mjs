// `npm run bench` (builds first) = `node bench/run.mjs [--node 20,22,24,26] [--runs N] [--warmup N]
//   [--only name[,name]] [--check] [--list] [--compare BIN] [--compare-env NAME=VALUE]`
//
// Times whole processes of the built kinship-reflect against `node -e 0` of the same Node, in the same
// loop, on every supported Node (the npm registry's builds, fetched with npx), and prints one table per
// Node and then the milliseconds our code adds on each; writes bench/results/<time>-<sha>.json and
// bench/results/latest.json. A case whose command fails (for example because it is not written yet) is
// an ERROR and makes the run exit 1; so does a Node that cannot be fetched. A missed target is a FAIL,
// which makes the run exit 1 only with --check.
//
// Adding a case: one entry in `cases` below (see the comment there); nothing else changes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  bin,
  formatAddedTable,
  formatTable,
  gnuTime,
  makeBenchWorkspace,
  measureCase,
  mkdtempBench,
  resolveNodes,
  root,
} from './lib.mjs';

/** The supported Nodes (package.json `engines`), measured unless `--node` says otherwise. */
const SUPPORTED_NODES = ['20', '22', '24', '26'];

const { values } = parseArgs({
  options: {
    node: { type: 'string', multiple: true },
    runs: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    only: { type: 'string', multiple: true },
    check: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    marker: { type: 'string' },
    compare: { type: 'string' },
    'compare-env': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(`usage: node bench/run.mjs [--node 20,22,24,26] [--runs N] [--warmup N] [--only name[,name]]
                          [--check] [--list] [--marker REGEX] [--compare BIN] [--compare-env NAME=VALUE]
  --node     the Nodes to run on: a major version (the npm registry's build, via npx -p node@N),
             current (the Node running this script) or a path to a node binary; repeatable or
             comma-separated (default: ${SUPPORTED_NODES.join(',')})
  --runs     timed rounds per case, each also timing node -e 0 (default 15)
  --warmup   untimed runs first, under GNU time for peak memory (default 3)
  --only     run only these cases (exact name, or a part of one)
  --check    exit 1 when a target is missed (errors always exit 1)
  --marker   regex for the first interview question (default: Question \\d+ of \\d+)
  --compare  interleaved A/B: also time this bin/kinship-reflect.js (another build) in the same loop
  --compare-env  interleaved A/B: also time the same build with this environment variable set
             (repeatable), e.g. --compare-env NODE_DISABLE_COMPILE_CACHE=1`);
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
 * The cases, each measured on every Node. A case is
 * - `name` (for --only and the results file) and `label` (for the tables);
 * - a target: `ratio`, for median(case) / median(node -e 0 of the same Node), or `maxMs`, absolute;
 * - `args(fixtures)`: the arguments after `node bin/kinship-reflect.js`. `fixtures` holds `dir`, an
 *   answered `workspace` (cycles 2025-26 and 2026-27) and an `emptyWorkspace`; a case that needs more
 *   writes it under `fixtures.dir` from its `args`;
 * - optional: `until` (a RegExp: time up to its first match on stdout or stderr, stdin open, then kill),
 *   `env` (extra environment), `input` (stdin), `expectCode` (default 0), `timeoutMs`,
 *   `command(args, variant, node)` returning `[file, args]` to run something other than
 *   `node bin args` (a single executable, say), or `custom(fixtures, { node, runs, warmup })` that
 *   measures by itself and resolves `{ medianMs, baselineMs?, peakKb? }`.
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
    name: 'export-html',
    label: 'export --format html (answered)',
    ratio: 2.5,
    args: (f) => ['export', '--dir', f.workspace, '--cycle', '2026-27', '--format', 'html'],
  },
  {
    name: 'export-docx',
    label: 'export --format docx --out (answered)',
    // Word's packages and three PNGs: ~0.85 s of CPU against node -e 0's ~0.055 s (15.6×, 2 cores)
    ratio: 20,
    args: (f) => [
      'export',
      '--dir',
      f.workspace,
      '--cycle',
      '2026-27',
      '--format',
      'docx',
      '--out',
      join(f.dir, 'bench-export.docx'),
      '--quiet',
    ],
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
  // the Linux single executable (npm run build:exe), same targets as the npm build's cases
  {
    name: 'exe-help',
    label: 'executable: --help',
    ratio: 1.35,
    exe: true,
    command: (args) => [exe, args],
    args: () => ['--help'],
  },
  {
    name: 'exe-interview-first-question',
    label: 'executable: interview 1st question',
    ratio: 2,
    exe: true,
    command: (args) => [exe, args],
    until: new RegExp(values.marker ?? 'Question \\d+ of \\d+'),
    args: (f) => ['interview', '--plain', '--dir', f.emptyWorkspace, '--cycle', 'bench', '--stage', 'assess'],
  },
];
const exe = process.env.KINSHIP_REFLECT_BENCH_EXE || join(root, 'dist-exe', 'kinship-reflect-linux-x64');

if (values.list) {
  for (const c of cases) console.log(`${c.name.padEnd(26)} ${c.label}`);
  process.exit(0);
}

const wanted = (values.only ?? [])
  .flatMap((s) => s.split(','))
  .map((s) => s.trim())
  .filter(Boolean);
// the executable's cases run when it is built or asked for by name (then a missing one is an ERROR)
const selected = wanted.length
  ? cases.filter((c) => wanted.some((w) => c.name === w || c.name.includes(w) || c.label.includes(w)))
  : cases.filter((c) => !c.exe || existsSync(exe));
if (!wanted.length && !existsSync(exe))
  console.error(`bench: the executable's cases are left out: ${exe} is not built (npm run build:exe)`);
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

async function aggregateCase(_fixtures, { node }) {
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

async function redrawCase(_fixtures, { node }) {
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

/** What is timed in each loop: the build under test, and the other side of an A/B comparison. */
const variants = [{ key: '', bin }];
if (values.compare || values['compare-env']) {
  const env = {};
  for (const pair of values['compare-env'] ?? []) {
    const at = pair.indexOf('=');
    if (at < 1) {
      console.error(`bench: --compare-env takes NAME=VALUE, not "${pair}"`);
      process.exit(2);
    }
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  if (values.compare && !existsSync(values.compare)) {
    console.error(`bench: --compare ${values.compare} does not exist`);
    process.exit(2);
  }
  // another build keeps its compile cache apart: a build removes the entries of the other builds
  // (src/shell/compile-cache.ts), so sharing one folder would make every run of either side cold
  if (values.compare && !('XDG_CACHE_HOME' in env)) env.XDG_CACHE_HOME = mkdtempBench('cache-b-');
  variants.push({ key: 'B', bin: values.compare ?? bin, env });
}

const nodeSpecs = (values.node ?? SUPPORTED_NODES)
  .flatMap((s) => s.split(','))
  .map((s) => s.trim())
  .filter(Boolean);
let nodes;
try {
  process.stderr.write(`bench: finding Node ${nodeSpecs.join(', ')}… `);
  nodes = resolveNodes(nodeSpecs);
  process.stderr.write(`${nodes.map((n) => n.version).join(', ')}\n`);
} catch (error) {
  process.stderr.write('ERROR\n');
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

// The compile cache lives in the user's cache folder; the bench gives it a folder of its own, so it
// measures a warm cache (the warm-up runs fill it) without touching the real one.
const cacheHome = mkdtempBench('cache-');
process.env.XDG_CACHE_HOME = cacheHome;

const fixtures = makeBenchWorkspace();
try {
  console.error(
    `bench: ${selected.length} case(s) on ${nodes.length} Node(s), ${warmup} warm-up + ${runs} timed runs each, ` +
      `alternating with node -e 0${variants.length > 1 ? ' and the B side' : ''}; peak memory via ${
        gnuTime ? `GNU time (${gnuTime} -f %M)` : 'nothing (GNU time not installed: peak MB not measured)'
      }. Timings are whole processes on a shared machine: compare ratios within one run.`,
  );
  for (const n of nodes) {
    n.rows = [];
    for (const c of selected) {
      for (const row of await runCase(c, n)) n.rows.push(row);
    }
  }
} finally {
  fixtures.cleanup();
  // a child killed at the end of a case may still be writing its cache entries: retry, never fail
  for (const folder of new Set([cacheHome, ...variants.map((v) => v.env?.XDG_CACHE_HOME).filter(Boolean)])) {
    try {
      rmSync(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch (error) {
      console.error(`bench: could not remove ${folder}: ${error instanceof Error ? error.message : error}`);
    }
  }
}

async function runCase(c, n) {
  const targetLabel = c.maxMs !== undefined ? `< ${c.maxMs} ms` : `≤ ${c.ratio}×`;
  const target = c.maxMs !== undefined ? { maxMs: c.maxMs } : { ratio: c.ratio };
  const passes = (m) => (c.maxMs !== undefined ? m.medianMs < c.maxMs : m.ratio <= c.ratio);
  process.stderr.write(`bench: Node ${n.version} ${c.name}… `);
  try {
    if (c.custom) {
      const m = await c.custom(fixtures, { node: n.path, runs, warmup });
      process.stderr.write(`${m.medianMs.toFixed(1)} ms\n`);
      const addedMs = m.baselineMs === undefined ? undefined : m.medianMs - m.baselineMs;
      return [{ name: c.label, case: c.name, targetLabel, target, ...m, addedMs, pass: passes(m) }];
    }
    const m = await measureCase(
      { ...c, args: c.args(fixtures), cwd: fixtures.dir },
      { runs, warmup, node: n.path, variants },
    );
    process.stderr.write(`${m.variants.map((v) => `${v.medianMs.toFixed(1)} ms`).join(' / ')}\n`);
    return m.variants.map((v) => ({
      name: v.key ? `${c.label} [${v.key}]` : c.label,
      case: v.key ? `${c.name}[${v.key}]` : c.name,
      targetLabel,
      target,
      medianMs: v.medianMs,
      baselineMs: m.baselineMs,
      addedMs: v.addedMs,
      ratio: v.ratio,
      peakKb: v.peakKb,
      basePeakKb: m.basePeakKb,
      pass: passes(v),
      samples: { caseMs: v.samples, baseMs: m.baseSamples },
    }));
  } catch (error) {
    process.stderr.write('ERROR\n');
    return [
      {
        name: c.label,
        case: c.name,
        targetLabel,
        target,
        error: error instanceof Error ? error.message : String(error),
        pass: false,
      },
    ];
  }
}

for (const n of nodes) {
  console.log(
    `\nNode ${n.version} (${n.spec === 'current' || n.path === n.spec ? n.path : `node@${n.spec}`})\n`,
  );
  console.log(formatTable(n.rows));
}
console.log(
  '\nMilliseconds our code adds (median of the command minus median of node -e 0 of the same Node)\n',
);
console.log(formatAddedTable(nodes));
const errors = nodes.flatMap((n) => n.rows.filter((r) => r.error).map((r) => ({ ...r, version: n.version })));
for (const r of errors) console.log(`ERROR Node ${r.version} ${r.case}: ${r.error}`);

const sha = gitSha();
const when = new Date().toISOString();
const report = {
  when,
  sha,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  runs,
  warmup,
  items: fixtures.items,
  peakMemory: gnuTime ? 'GNU time %M (max RSS, KB)' : 'not measured',
  variants: variants.map(({ key, bin: b, env }) => ({ key, bin: b, env })),
  nodes: nodes.map((n) => ({
    version: n.version,
    spec: n.spec,
    path: n.path,
    cases: n.rows.map(({ samples, ...r }) => ({ ...r, samples })),
  })),
};
const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const name = `${when.replace(/[:.]/g, '-')}-${sha}.json`;
writeFileSync(join(dir, name), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nwritten: bench/results/${name} (and latest.json)`);

const failed = nodes.flatMap((n) => n.rows.filter((r) => !r.error && !r.pass));
if (errors.length) process.exitCode = 1;
else if (values.check && failed.length) process.exitCode = 1;
