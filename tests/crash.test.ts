/**
 * Crash safety: a process saving a cycle is SIGKILLed at 200+ random moments. After every kill the
 * cycle file must be whole and valid, either the version before or a newer one, no temp file may be
 * listed as a cycle, and a lock left by the dead process must not stop the next one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerableItems } from '../src/core/bank.ts';
import { parseCycleText } from '../src/core/cycle-validate.ts';
import type { Bank } from '../src/core/types.ts';
import { TEMP_FILE } from '../src/shell/atomic-write.ts';
import { tidyWorkspace } from '../src/shell/cycle-store.ts';
import { listCycleIds } from '../src/shell/workspace.ts';
import { buildSaveWorker, makeWorkspace, type TestWorkspace } from './helpers/workspace.ts';

const KILLS_PER_LANE = 105; // two lanes run side by side: 210 kills in all
const CYCLE = 'crash';

let buildDir: string;
let worker: string;
beforeAll(async () => {
  buildDir = await mkdtemp(path.join(tmpdir(), 'kinship-reflect-worker-'));
  worker = await buildSaveWorker(buildDir);
});
afterAll(async () => {
  await rm(buildDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startWorker(args: string[]): {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  stderr: () => string;
} {
  const child = spawn(process.execPath, [worker, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready') || out.includes('done')) resolve();
    });
    child.on('exit', () => reject(new Error(`worker exited before it was ready: ${err}`)));
  });
  ready.catch(() => {});
  return { child, ready, exited, stderr: () => err };
}

interface Version {
  saves: number;
  answered: number;
}

/** Read and fully check the cycle file; undefined when it does not exist yet. */
async function readVersion(file: string, bank: Bank, firstItem: string): Promise<Version | undefined> {
  if (!existsSync(file)) return undefined;
  const text = await readFile(file, 'utf8');
  const { cycle, problems } = parseCycleText(text, file, bank);
  expect(problems).toEqual([]);
  if (!cycle) throw new Error('unreachable');
  const lines = cycle.answers[firstItem]?.text ?? [];
  // every version is whole: its growing answer is exactly `save 1` … `save n`, in order
  for (const [i, l] of lines.entries()) expect(l.startsWith(`save ${i + 1}: `)).toBe(true);
  return { saves: lines.length, answered: Object.keys(cycle.answers).length };
}

interface LaneStats {
  kills: number;
  staleLocks: number;
  strayTemps: number;
  finalSaves: number;
}

async function runLane(t: TestWorkspace, kills: number): Promise<LaneStats> {
  const file = path.join(t.dir, `${CYCLE}.json`);
  const lock = path.join(t.dir, `.${CYCLE}.lock`);
  const firstItem = (answerableItems(t.ws.bank)[0] as { id: string }).id;
  const stats: LaneStats = { kills: 0, staleLocks: 0, strayTemps: 0, finalSaves: 0 };
  let previous: Version = { saves: 0, answered: 0 };
  const strays = new Set<string>();
  for (let round = 0; round < kills; round++) {
    const staleLock = existsSync(lock);
    if (staleLock) stats.staleLocks++;
    const w = startWorker(['loop', t.dir, CYCLE]);
    await w.ready;
    if (staleLock) {
      // the lock of the killed process must be recovered: wait for this worker to save something
      const deadline = Date.now() + 10_000;
      for (;;) {
        const v = await readVersion(file, t.ws.bank, firstItem).catch(() => undefined);
        if (v && v.saves > previous.saves) break;
        if (Date.now() > deadline) {
          w.child.kill('SIGKILL');
          throw new Error(`a stale lock was not recovered within 10 s (round ${round}): ${w.stderr()}`);
        }
        await sleep(5);
      }
    }
    await sleep(Math.random() * 30);
    w.child.kill('SIGKILL');
    await w.exited;
    stats.kills++;
    expect(w.stderr()).toBe('');

    const now = await readVersion(file, t.ws.bank, firstItem);
    if (now) {
      expect(now.saves).toBeGreaterThanOrEqual(previous.saves);
      expect(now.answered).toBeGreaterThanOrEqual(previous.answered);
      previous = now;
    } else {
      expect(previous.saves).toBe(0);
    }
    for (const n of await readdir(t.dir)) if (TEMP_FILE.test(n)) strays.add(n);
    const ids = await listCycleIds(t.ws);
    expect(ids).toEqual(now ? [CYCLE] : []);
  }
  stats.finalSaves = previous.saves;
  stats.strayTemps = strays.size;
  return stats;
}

describe('SIGKILL at random moments while saving', () => {
  it('always leaves the old or a newer valid file, never a temp file as a cycle, and no lock that blocks', async () => {
    const lanes = await Promise.all([makeWorkspace({ report: true }), makeWorkspace({ report: false })]);
    try {
      const started = Date.now();
      const stats = await Promise.all(lanes.map((t) => runLane(t, KILLS_PER_LANE)));
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const total = stats.reduce(
        (a, s) => ({
          kills: a.kills + s.kills,
          staleLocks: a.staleLocks + s.staleLocks,
          strayTemps: a.strayTemps + s.strayTemps,
          finalSaves: a.finalSaves + s.finalSaves,
        }),
        { kills: 0, staleLocks: 0, strayTemps: 0, finalSaves: 0 },
      );
      console.log(
        `crash test: ${total.kills} kills in ${seconds} s; ${total.finalSaves} saves survived; ` +
          `${total.staleLocks} stale locks recovered; ${total.strayTemps} stray temp files left by killed saves`,
      );
      expect(total.kills).toBeGreaterThanOrEqual(200);
      // the kills landed while saving, not only before or after: saves happened, and some were cut short
      expect(total.finalSaves).toBeGreaterThan(20);
      expect(total.staleLocks + total.strayTemps).toBeGreaterThan(0);

      for (const t of lanes) {
        // after all that, a normal save still works and the stray temp files can be tidied away
        const w = startWorker(['answer', t.dir, CYCLE, '5', '3']);
        expect(await w.exited).toBe(0);
        expect(w.stderr()).toBe('');
        await tidyWorkspace(t.ws);
        const names = await readdir(t.dir);
        expect(names.filter((n) => TEMP_FILE.test(n))).toEqual([]);
        expect(names.filter((n) => n.endsWith('.lock'))).toEqual([]);
        expect(await listCycleIds(t.ws)).toEqual([CYCLE]);
      }
    } finally {
      await Promise.all(lanes.map((t) => t.cleanup()));
    }
  }, 120_000);
});
