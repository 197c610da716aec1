// Whole-process timing for kinship-reflect's benchmarks: spawn, medians, peak memory, fixtures.
// Plain ESM JavaScript (Node 20 cannot import .ts) that imports nothing from src/: it measures the
// built binary exactly as a user runs it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const root = fileURLToPath(new URL('..', import.meta.url));
// KINSHIP_REFLECT_BENCH_BIN: time another build of the CLI (an experiment) with the same cases.
export const bin = process.env.KINSHIP_REFLECT_BENCH_BIN || join(root, 'bin', 'kinship-reflect.js');
export const node = process.execPath;

/** GNU time, when installed: `-f %M -o file` gives the child's peak RSS in KB. */
export const gnuTime = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p));

export function median(values) {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Environment for every measured process: the same for the case and its `node -e 0` baseline. */
export function benchEnv(extra = {}) {
  const env = { ...process.env, NO_COLOR: '1', KINSHIP_REFLECT_TODAY: '2026-01-15', ...extra };
  for (const name of [
    'NODE_OPTIONS',
    'FORCE_COLOR',
    'ACCESSIBLE',
    'KINSHIP_REFLECT_DIR',
    'NODE_V8_COVERAGE',
  ]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/**
 * Spawn a process and time it. Resolves with `{ ms, code, signal, stdout, stderr, timedOut }`.
 *
 * - Without `until`: `ms` is spawn → exit with all output read (the whole process).
 * - With `until` (a RegExp): `ms` is spawn → the first time stderr or stdout matches; stdin stays
 *   open until then, after which the child is killed (or, with `endInput`, its stdin is closed so it
 *   can finish on its own, e.g. to let GNU time report its memory).
 *
 * Never hangs: after `timeoutMs` the process group is killed.
 */
export function timeProcess(command, args, opts = {}) {
  const { cwd = root, env = benchEnv(), input, until, endInput = false, timeoutMs = 60_000 } = opts;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    let ms;
    let timedOut = false;
    const kill = () => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    const check = () => {
      if (!until || ms !== undefined) return;
      if (until.test(err) || until.test(out)) {
        ms = performance.now() - started;
        if (endInput) {
          child.stdin.end();
          // end of input should end the session; if it does not, do not wait for the long timeout
          setTimeout(kill, 10_000).unref();
        } else kill();
      }
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (s) => {
      out += s;
      check();
    });
    child.stderr.on('data', (s) => {
      err += s;
      check();
    });
    child.stdin.on('error', () => {});
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (!until) ms = performance.now() - started;
      resolve({ ms, code, signal, stdout: out, stderr: err, timedOut });
    });
    if (until) {
      if (input !== undefined) child.stdin.write(input);
      // stdin stays open: an interview waits for its first answer
    } else {
      child.stdin.end(input ?? '');
    }
  });
}

/**
 * Run once under GNU time and return the child's peak RSS in KB (or `undefined` without GNU time)
 * together with the run's result. For `until` runs the child's stdin is closed after the match so it
 * exits normally and GNU time can report.
 */
export async function measurePeak(command, args, opts = {}) {
  if (!gnuTime) return { peakKb: undefined, result: await timeProcess(command, args, opts) };
  const dir = mkdtempBench('rss-');
  const file = join(dir, 'rss');
  try {
    const result = await timeProcess(gnuTime, ['-f', '%M', '-o', file, command, ...args], {
      ...opts,
      endInput: Boolean(opts.until),
    });
    const text = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    const kb = Number(text.split('\n').pop());
    return { peakKb: Number.isFinite(kb) && kb > 0 ? kb : undefined, result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let tempCounter = 0;
export function mkdtempBench(prefix) {
  const dir = join(tmpdir(), `kinship-reflect-bench-${process.pid}-${prefix}${tempCounter++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Why a run does not count: a wrong exit code, a timeout, or no match for the marker. */
export function runProblem(result, c) {
  const expected = c.expectCode ?? 0;
  if (result.timedOut) return `timed out${c.until ? ` waiting for ${c.until}` : ''}`;
  if (c.until) {
    if (result.ms === undefined) {
      return `never printed ${c.until} (exit ${result.code}); stderr: ${excerpt(result.stderr)}`;
    }
    return undefined;
  }
  if (result.code !== expected)
    return `exit ${result.code ?? result.signal} (expected ${expected}); stderr: ${excerpt(result.stderr)}`;
  return undefined;
}

function excerpt(text) {
  const t = text.trim().split('\n').slice(0, 3).join(' | ');
  return t.length > 240 ? `${t.slice(0, 240)}…` : t || '(empty)';
}

/**
 * Measure one case: `warmup` runs of each variant (under GNU time, for the peak memory), then `runs`
 * rounds that each time every variant of the case and `node -e 0`, the one going first rotating from
 * round to round so that none always runs on a warmer machine. Throws when a run fails: a missing
 * command fails the bench loudly.
 *
 * - `node`: the Node binary that runs both the case and its own `node -e 0` (default: this one).
 * - `variants`: what to compare within one loop (interleaved A/B), each `{ key, bin, env }`; by default
 *   one, the bin under test. `command(args, variant, node)` may replace `node bin args` (for example
 *   a single executable): it returns `[file, args]`.
 *
 * Returns `{ baselineMs, basePeakKb, baseSamples, variants: [{ key, medianMs, ratio, addedMs, peakKb,
 * samples }] }`; the first variant's figures are also on the result itself (`medianMs`, `ratio`, …).
 */
export async function measureCase(c, { runs, warmup, node: nodeBin = node, variants = [{ key: '', bin }] }) {
  const commandOf = (v) => (c.command ? c.command(c.args, v, nodeBin) : [nodeBin, [v.bin, ...c.args]]);
  const optsOf = (v) => ({
    cwd: c.cwd ?? root,
    env: benchEnv({ ...c.env, ...v.env }),
    input: c.input,
    until: c.until,
    timeoutMs: c.timeoutMs,
  });
  const measured = variants.map((v) => ({ key: v.key, peakKb: undefined, samples: [], v }));
  for (const m of measured) {
    const [file, args] = commandOf(m.v);
    for (let i = 0; i < Math.max(1, warmup); i++) {
      const { peakKb: kb, result } = await measurePeak(file, args, optsOf(m.v));
      const problem = runProblem(result, c);
      if (problem) throw new Error(`${m.key ? `[${m.key}] ` : ''}${problem}`);
      if (kb !== undefined) m.peakKb = Math.max(m.peakKb ?? 0, kb);
    }
  }
  const base = { cwd: c.cwd ?? root, env: benchEnv(c.env) };
  let basePeakKb;
  if (gnuTime) basePeakKb = (await measurePeak(nodeBin, ['-e', '0'], base)).peakKb;
  const baseSamples = [];
  const slots = [undefined, ...measured];
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < slots.length; j++) {
      const m = slots[(i + j) % slots.length];
      if (m === undefined) {
        const result = await timeProcess(nodeBin, ['-e', '0'], base);
        if (result.code !== 0) throw new Error(`node -e 0 exited ${result.code}`);
        baseSamples.push(result.ms);
      } else {
        const [file, args] = commandOf(m.v);
        const result = await timeProcess(file, args, optsOf(m.v));
        const problem = runProblem(result, c);
        if (problem) throw new Error(`${m.key ? `[${m.key}] ` : ''}${problem}`);
        m.samples.push(result.ms);
      }
    }
  }
  const baselineMs = median(baseSamples);
  const results = measured.map(({ key, peakKb, samples }) => {
    const medianMs = median(samples);
    return { key, medianMs, ratio: medianMs / baselineMs, addedMs: medianMs - baselineMs, peakKb, samples };
  });
  const [first] = results;
  return {
    medianMs: first.medianMs,
    ratio: first.ratio,
    addedMs: first.addedMs,
    peakKb: first.peakKb,
    baselineMs,
    basePeakKb,
    baseSamples,
    variants: results,
  };
}

/**
 * The Node binaries to measure, from `--node` specs: a major version (`22`: the npm registry's build,
 * fetched with `npx -y -p node@22`), `current` (the Node running the bench) or a path to a binary.
 * Resolves `[{ spec, path, version }]`; throws with the reason when one cannot be had (offline, say).
 */
export function resolveNodes(specs) {
  return specs.map((spec) => {
    let path;
    if (spec === 'current') path = process.execPath;
    else if (/^\d+(\.\d+){0,2}$/.test(spec)) {
      try {
        path = execFileSync('npx', ['-y', '-p', `node@${spec}`, '--', 'node', '-p', 'process.execPath'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 600_000,
          env: { ...process.env, npm_config_update_notifier: 'false' },
        }).trim();
      } catch (error) {
        const why = String(error?.stderr ?? error?.message ?? error)
          .trim()
          .split('\n')
          .slice(-2)
          .join(' ');
        throw new Error(
          `cannot fetch Node ${spec} with npx -p node@${spec} (${why}); pass --node current or a path`,
        );
      }
    } else path = spec;
    if (!existsSync(path)) throw new Error(`no Node binary at ${path} (--node ${spec})`);
    const version = execFileSync(path, ['-p', 'process.version'], { encoding: 'utf8' }).trim();
    return { spec, path, version };
  });
}

// ---------------------------------------------------------------------------------------------------
// Fixtures

/** The answerable items of a YAML bank, in bank order, with its id and version. */
export function readBankItems(path) {
  const bank = parse(readFileSync(path, 'utf8'));
  const items = [];
  const walk = (list) => {
    for (const item of list ?? []) {
      if (item.kind !== 'prompt') items.push({ id: item.id, kind: item.kind, tags: item.tags ?? [] });
      walk(item.children);
    }
  };
  for (const stage of bank.stages ?? []) for (const section of stage.sections ?? []) walk(section.items);
  return {
    id: bank.id,
    version: String(bank.version),
    items,
    recommendations: (bank.recommendations ?? []).map((r) => r.id),
  };
}

const RATINGS = ['red', 'amber', 'green'];

/**
 * A cycle file (schemas/cycle.schema.json) with every item answered: fictional, aggregated text.
 * `variant` changes some answers and ratings so that two cycles have a realistic diff.
 */
export function answeredCycle(bank, { cycle, authority, variant = 0, changed = '2026-01-15', from }) {
  const answers = {};
  bank.items.forEach((item, i) => {
    const touched = variant > 0 && i % 3 === 0;
    const rating = RATINGS[(i + (touched ? variant : 0)) % 3];
    if (item.kind === 'checklist') {
      answers[item.id] = {
        status: touched ? 'in-place' : 'planned',
        text: [`Planned with the kinship team and partners (${cycle}).`],
        rating,
        changed,
      };
    } else {
      answers[item.id] = {
        status: 'answered',
        text: [
          `In ${cycle}, about ${40 + ((i * 7 + variant * 5) % 50)}% of kinship households in our area report this.`,
          touched
            ? 'Updated after the review meeting with partner agencies.'
            : 'Based on the annual data return.',
          'Source: aggregated service data; no individual is identified.',
        ],
        rating,
        evidence: ['Annual data return, table 3'],
        changed,
      };
    }
  });
  const recs = bank.recommendations.length ? bank.recommendations : ['R1', 'R2'];
  const file = {
    format: 1,
    cycle,
    authority,
    bank: { id: bank.id, version: bank.version },
    ...(from ? { from } : {}),
    priorities: recs.slice(variant, variant + 2).map((r) => ({
      recommendation: r,
      rationale: [`Assess answers rated ${r} amber or red across the service.`],
    })),
    answers,
    actions: [
      {
        id: 'A1',
        title: 'Publish the local kinship offer',
        owner: 'Kinship service lead',
        due: '2026-03-31',
        status: variant ? 'done' : 'in-progress',
        tags: [recs[0]],
        history: [{ date: changed, status: variant ? 'done' : 'in-progress' }],
        opened: from ?? cycle,
      },
      {
        id: 'A2',
        title: 'Set up a peer support group for kinship carers',
        owner: 'Family support team',
        status: 'planned',
        tags: [recs[1] ?? recs[0]],
        history: [{ date: changed, status: 'planned' }],
        opened: cycle,
      },
    ],
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * A workspace with two fully answered cycles, 2025-26 and 2026-27, of the built-in bank; plus an
 * empty workspace for the interview. Written directly as files, so that measuring `status` never
 * depends on `init` or `answer`. Returns `{ dir, workspace, emptyWorkspace, cleanup }`.
 */
export function makeBenchWorkspace() {
  const dir = mkdtempBench('ws-');
  const bank = readBankItems(join(root, 'questions', 'reflective-tool.yaml'));
  const authority = 'Exampleshire County Council';
  const config = `authority: ${authority}\nbank: reflective-tool\nratings: true\nreport: false\n`;
  const workspace = join(dir, 'reflections');
  const emptyWorkspace = join(dir, 'empty');
  mkdirSync(workspace);
  mkdirSync(emptyWorkspace);
  writeFileSync(join(workspace, 'kinship-reflect.yaml'), config);
  writeFileSync(join(emptyWorkspace, 'kinship-reflect.yaml'), config);
  writeFileSync(
    join(workspace, '2025-26.json'),
    answeredCycle(bank, { cycle: '2025-26', authority, changed: '2025-06-30' }),
  );
  writeFileSync(
    join(workspace, '2026-27.json'),
    answeredCycle(bank, { cycle: '2026-27', authority, variant: 1, changed: '2026-01-15', from: '2025-26' }),
  );
  return {
    dir,
    workspace,
    emptyWorkspace,
    items: bank.items.length,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Output

export function formatTable(rows) {
  const header = ['case', 'median ms', 'node -e 0 ms', 'added ms', 'ratio', 'target', 'peak MB', 'result'];
  const body = rows.map((r) => [
    r.name,
    fmt(r.medianMs, 1),
    fmt(r.baselineMs, 1),
    r.addedMs === undefined ? '–' : fmt(r.addedMs, 1),
    r.ratio === undefined ? '–' : `${fmt(r.ratio, 2)}×`,
    r.targetLabel,
    r.peakKb === undefined ? '–' : fmt(r.peakKb / 1024, 1),
    r.error ? 'ERROR' : r.pass ? 'PASS' : 'FAIL',
  ]);
  return alignTable(header, body);
}

/**
 * Milliseconds our code adds (median of the case minus median of `node -e 0`), one column per Node,
 * with the ratio and whether it met its target: `14.2 (1.52× ✓)`.
 */
export function formatAddedTable(nodes) {
  const names = [...new Set(nodes.flatMap((n) => n.rows.map((r) => r.name)))];
  const header = ['added ms (ratio)', ...nodes.map((n) => `Node ${n.version}`)];
  const body = names.map((name) => [
    name,
    ...nodes.map((n) => {
      const r = n.rows.find((x) => x.name === name);
      if (!r) return '';
      if (r.error) return 'ERROR';
      const mark = r.pass ? 'ok' : 'MISS';
      // an absolute target: the whole figure is what counts
      if (r.addedMs === undefined || r.target?.maxMs !== undefined) return `${fmt(r.medianMs, 0)} ms ${mark}`;
      return `${fmt(r.addedMs, 1)} (${fmt(r.ratio, 2)}× ${mark})`;
    }),
  ]);
  return alignTable(header, body);
}

function alignTable(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function fmt(n, digits) {
  return n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits);
}
