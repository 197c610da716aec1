// `node bench/aggregate.mjs [--runs N] [--warmup N] [--sizes 153,1530] [--cycles 8] [--keep]`
//
// Generates fictional sets of authorities × cycles (bench/gen-authorities.mjs) in a temp folder and
// times `kinship-reflect aggregate <dir> --format json > /dev/null` over each: the median of several
// runs after warm-up, alternating with `node -e 0` on the same machine. Prints the medians, the ratio
// to `node -e 0`, the peak memory, and how the time and memory grow from the first size to the second
// (10× the authorities should take about 10× the time and about the same memory).
// Target: under 2 s for 153 × 8 (about the number of local authorities in England).
//
// `export async function benchAggregate(opts)` is what bench/run.mjs calls.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateAuthorities } from './gen-authorities.mjs';
import { benchEnv, gnuTime, measurePeak, median, mkdtempBench } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const defaultBin = join(root, 'bin', 'kinship-reflect.js');

/** Spawn, discard stdout (like `> /dev/null`), keep stderr for errors; resolve with the wall time. */
function timeRun(node, args, { cwd, env, timeoutMs = 120_000 }) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(node, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s) => {
      if (err.length < 4000) err += s;
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, code, signal, stderr: err });
    });
  });
}

/** Peak RSS in KB of one run: GNU time when installed, else a wrapper reading process.resourceUsage(). */
async function peakMemoryKb(node, args, opts) {
  if (gnuTime) {
    const { peakKb, result } = await measurePeak(node, args, { ...opts, timeoutMs: 120_000 });
    if (result.code !== 0) throw new Error(`aggregate exited ${result.code}: ${result.stderr.slice(0, 400)}`);
    return peakKb;
  }
  // maxRSS of the process that ran the CLI in-process: import the entry, then report on exit
  const wrapper = `process.argv.splice(1, 1); process.on('exit', () => process.stderr.write('\\nmaxrss ' + process.resourceUsage().maxRSS + '\\n')); await import(${JSON.stringify(pathToFileURL(args[0]).href)});`;
  const result = await timeRun(node, ['--input-type=module', '-e', wrapper, ...args], opts);
  const m = /maxrss (\d+)/.exec(result.stderr);
  return m ? Number(m[1]) : undefined;
}

/**
 * Time `aggregate` over `authorities` × `cycles` generated files.
 * Returns `{ medianMs, baselineMs, ratio, peakKb, basePeakKb, files, bytes, samples }`.
 */
async function measureSize({ bin, node, runs, warmup, authorities, cycles, keep, log }) {
  const dir = mkdtempBench(`aggregate-${authorities}x${cycles}-`);
  try {
    const data = join(dir, 'authorities');
    const gen = generateAuthorities({ outDir: data, authorities, cycles });
    log(
      `  generated ${gen.files} files (${(gen.bytes / 1048576).toFixed(1)} MB) for ${authorities} × ${cycles}`,
    );
    const env = benchEnv();
    const opts = { cwd: dir, env };
    const args = [bin, 'aggregate', data, '--format', 'json'];
    // warm-up (also primes the page cache), checking the command works
    for (let i = 0; i < Math.max(1, warmup); i++) {
      const r = await timeRun(node, args, opts);
      if (r.code !== 0) throw new Error(`aggregate exited ${r.code ?? r.signal}: ${r.stderr.slice(0, 400)}`);
      if (!new RegExp(`from ${gen.files} cycle files`).test(r.stderr)) {
        throw new Error(`aggregate did not read all ${gen.files} files: ${r.stderr.slice(0, 400)}`);
      }
    }
    const peakKb = await peakMemoryKb(node, args, opts);
    const basePeakKb = gnuTime ? (await measurePeak(node, ['-e', '0'], opts)).peakKb : undefined;
    const caseMs = [];
    const baseMs = [];
    for (let i = 0; i < runs; i++) {
      // alternate which goes first so neither always runs on a warmer machine
      const order = i % 2 === 0 ? ['case', 'base'] : ['base', 'case'];
      for (const which of order) {
        const r = await timeRun(node, which === 'case' ? args : ['-e', '0'], opts);
        if (r.code !== 0)
          throw new Error(
            `${which === 'case' ? 'aggregate' : 'node -e 0'} exited ${r.code}: ${r.stderr.slice(0, 400)}`,
          );
        (which === 'case' ? caseMs : baseMs).push(r.ms);
      }
      log(`  run ${i + 1}/${runs}: ${caseMs[caseMs.length - 1].toFixed(0)} ms`);
    }
    const medianMs = median(caseMs);
    const baselineMs = median(baseMs);
    return {
      authorities,
      cycles,
      files: gen.files,
      bytes: gen.bytes,
      medianMs,
      baselineMs,
      ratio: medianMs / baselineMs,
      peakKb,
      basePeakKb,
      samples: { caseMs, baseMs },
      ...(keep ? { dir: data } : {}),
    };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The aggregate benchmark. With `authorities`, measures that one size (what bench/run.mjs asks for:
 * 153 × 8) and returns its figures; without, measures each of `sizes` and adds the growth factors.
 */
export async function benchAggregate({
  bin = defaultBin,
  node = process.execPath,
  runs = 5,
  warmup = 1,
  authorities,
  sizes = [153, 1530],
  cycles = 8,
  quiet = false,
  keep = false,
} = {}) {
  if (!existsSync(bin)) throw new Error(`${bin} is missing`);
  const log = quiet ? () => {} : (s) => process.stderr.write(`${s}\n`);
  if (authorities !== undefined) {
    log(`aggregate ${authorities} × ${cycles}:`);
    return measureSize({ bin, node, runs, warmup, authorities, cycles, keep, log });
  }
  const results = [];
  for (const n of sizes) {
    log(`aggregate ${n} × ${cycles}:`);
    results.push(await measureSize({ bin, node, runs, warmup, authorities: n, cycles, keep, log }));
  }
  const [small, large] = results;
  const growth =
    small && large
      ? {
          authorities: large.authorities / small.authorities,
          // the part of the time that is the work, not Node's start-up
          time: (large.medianMs - large.baselineMs) / (small.medianMs - small.baselineMs),
          wallTime: large.medianMs / small.medianMs,
          memory: large.peakKb && small.peakKb ? large.peakKb / small.peakKb : undefined,
        }
      : undefined;
  return { ...(small ?? {}), sizes: results, growth };
}

function mb(kb) {
  return kb === undefined ? '–' : `${(kb / 1024).toFixed(1)} MB`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      sizes: { type: 'string', default: '153,1530' },
      cycles: { type: 'string', default: '8' },
      keep: { type: 'boolean', default: false },
    },
  });
  if (!existsSync(join(root, 'dist', 'cli.cjs'))) {
    console.error('bench: dist/cli.cjs is missing; run `npm run build` first.');
    process.exit(2);
  }
  const result = await benchAggregate({
    runs: Number(values.runs),
    warmup: Number(values.warmup),
    sizes: values.sizes.split(',').map(Number),
    cycles: Number(values.cycles),
    keep: values.keep,
  });
  console.log('\nsize            files   data      median ms  node -e 0 ms  ratio   peak memory');
  for (const r of result.sizes) {
    console.log(
      `${`${r.authorities} × ${r.cycles}`.padEnd(14)}  ${String(r.files).padStart(5)}  ${`${(r.bytes / 1048576).toFixed(0)} MB`.padStart(6)}  ${r.medianMs.toFixed(0).padStart(9)}  ${r.baselineMs.toFixed(0).padStart(12)}  ${`${r.ratio.toFixed(1)}×`.padStart(6)}  ${mb(r.peakKb).padStart(10)}`,
    );
  }
  if (result.growth) {
    const g = result.growth;
    console.log(
      `\n${g.authorities}× the authorities: ${g.wallTime.toFixed(1)}× the wall time, ${g.time.toFixed(1)}× the time beyond node start-up` +
        (g.memory ? `, ${g.memory.toFixed(2)}× the peak memory` : ''),
    );
  }
  const first = result.sizes[0];
  if (first?.authorities === 153) {
    console.log(
      `target: 153 × 8 under 2000 ms: ${first.medianMs < 2000 ? 'PASS' : 'FAIL'} (${first.medianMs.toFixed(0)} ms)`,
    );
  }
}
