// The interview's text box with a 2,000-line answer: how long from one keystroke to the end of the
// redraw it causes, in a real pseudo-terminal (120×40), against the same with a one-line answer.
//
//   node bench/redraw.mjs [--runs N] [--lines N]
//
// `run.mjs` calls `benchRedraw({ bin, node, runs, warmup })` and reads `medianMs`, `baselineMs`
// (the one-line answer) and the ratio. The clock runs from writing the key to the pty until the frame
// ends (the prompt ends every frame by hiding the cursor, ESC [ ? 25 l).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchEnv, bin as defaultBin, median, mkdtempBench } from './lib.mjs';

const FRAME_END = '\x1b[?25l';

/** A workspace whose first Assess question has an answer of `lines` lines. */
function workspaceWith(lines, bin, node) {
  const dir = mkdtempBench('redraw-');
  const ws = join(dir, 'reflections');
  mkdirSync(ws);
  writeFileSync(
    join(ws, 'kinship-reflect.yaml'),
    'authority: Exampleshire County Council\nbank: reflective-tool\nratings: true\nreport: false\n',
  );
  // at most 61 characters a line, so 2,000 lines stay within an answer's 128 KB (answer refuses more)
  const text = Array.from(
    { length: lines },
    (_, i) => `Line ${i + 1}: 240 kinship households, most of them grandparents.`,
  ).join('\n');
  execFileSync(node, [bin, 'answer', 'assess.carers.demographics', '--dir', ws, '--cycle', 'bench'], {
    input: `${text}\n`,
    env: benchEnv(),
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  return {
    dir,
    ws,
    cleanup: () => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }),
  };
}

/** Open the text box on the seeded answer; returns a function timing one keystroke, and a closer. */
async function openTextBox(lines, { bin, node }) {
  const { spawn } = await import('@lydell/node-pty');
  const { ws, cleanup } = workspaceWith(lines, bin, node);
  const env = { ...benchEnv(), TERM: 'xterm-256color' };
  delete env.NO_COLOR;
  const pty = spawn(node, [bin, 'interview', '--dir', ws, '--cycle', 'bench', '--stage', 'assess'], {
    cols: 120,
    rows: 40,
    env,
    name: 'xterm-256color',
  });
  let out = '';
  let waiter;
  pty.onData((d) => {
    out += d;
    waiter?.();
  });
  const waitFor = (test, timeoutMs = 20_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiter = undefined;
        reject(new Error(`redraw bench: timed out; screen so far:\n${out.slice(-1500)}`));
      }, timeoutMs);
      const check = () => {
        if (!test()) return;
        clearTimeout(timer);
        waiter = undefined;
        resolve();
      };
      waiter = check;
      check();
    });
  // The interview saves its drafts when its terminal hangs up: remove the workspace only after it has
  // exited (a removal during that save failed with ENOTEMPTY)
  const exited = new Promise((resolve) => pty.onExit(resolve));
  const close = async () => {
    pty.kill();
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    cleanup();
  };
  try {
    // resumes at question 2 (question 1 is answered): go back, then "Edit the answer"
    await waitFor(() => /Question 2 of \d+[\s\S]*What would you like to do\?/.test(out));
    pty.write('\x1b[B\x1b[B\x1b[B\x1b[B\r');
    await waitFor(() =>
      /Question 1 of \d+[\s\S]*What would you like to do\?[\s\S]*Edit the answer/.test(out),
    );
    const mark = out.length;
    pty.write('\r');
    await waitFor(() => out.indexOf('Ctrl-D save', mark) >= 0 && out.indexOf(FRAME_END, mark) >= 0);
  } catch (error) {
    await close();
    throw error;
  }
  let n = 0;
  /** Type one key (a letter, then Backspace, alternately: the text keeps its size); ms to the frame's end. */
  const keystroke = async () => {
    const key = n++ % 2 === 0 ? 'x' : '\x7f';
    const mark = out.length;
    const started = performance.now();
    pty.write(key);
    await waitFor(() => out.indexOf(FRAME_END, mark) >= 0);
    return performance.now() - started;
  };
  return { keystroke, close };
}

/**
 * Keystroke → redraw with a `lines`-line answer and with a one-line answer, the two text boxes open
 * side by side and typed into alternately, so machine load touches both alike.
 */
export async function benchRedraw({
  bin = defaultBin,
  node = process.execPath,
  runs = 15,
  warmup = 3,
  lines = 2000,
} = {}) {
  const big = await openTextBox(lines, { bin, node });
  let small;
  try {
    small = await openTextBox(1, { bin, node });
    const samples = [];
    const baselineSamples = [];
    for (let i = 0; i < warmup + runs; i++) {
      const a = await big.keystroke();
      const b = await small.keystroke();
      if (i >= warmup) {
        samples.push(a);
        baselineSamples.push(b);
      }
    }
    const medianMs = median(samples);
    const baselineMs = median(baselineSamples);
    return { medianMs, baselineMs, ratio: medianMs / baselineMs, samples, baselineSamples };
  } finally {
    await big.close();
    await small?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const r = await benchRedraw({ runs: arg('--runs', 30), lines: arg('--lines', 2000) });
  console.log(
    `keystroke → redraw: ${r.medianMs.toFixed(2)} ms median with a ${arg('--lines', 2000)}-line answer, ` +
      `${r.baselineMs.toFixed(2)} ms with a 1-line answer (ratio ${r.ratio.toFixed(2)})`,
  );
}
