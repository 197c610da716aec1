import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { FailureError } from '../core/errors.ts';
import { explainWriteError, isAlive } from './atomic-write.ts';

export interface LockOptions {
  /** Give up after this long (ms). */
  timeout?: number;
  /** A lock older than this (ms) whose holder cannot be checked is considered stale. */
  staleAfter?: number;
}

interface LockInfo {
  pid: number;
  time: number;
}

async function readLock(file: string): Promise<LockInfo | undefined> {
  try {
    const [pid, time] = (await fs.readFile(file, 'utf8')).trim().split(/\s+/).map(Number);
    if (pid === undefined || time === undefined || Number.isNaN(pid) || Number.isNaN(time)) return undefined;
    return { pid, time };
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Break a lock whose holder is gone. The lock is first renamed aside (only one breaker can win that
 * race); if what was moved turns out to be a fresh lock taken meanwhile, it is put back.
 */
async function breakStaleLock(file: string, seen: LockInfo): Promise<void> {
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await fs.rename(file, aside);
  } catch {
    return; // someone else broke or released it
  }
  const moved = await readLock(aside);
  if (moved && (moved.pid !== seen.pid || moved.time !== seen.time)) {
    await fs.link(aside, file).catch(() => {});
  }
  await fs.unlink(aside).catch(() => {});
}

/**
 * Hold an exclusive lock file around `fn` (read-modify-write of a cycle), so two processes saving
 * the same cycle cannot lose each other's answers. A lock left by a killed process is recovered.
 */
export async function withLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeout = options.timeout ?? 15_000;
  const staleAfter = options.staleAfter ?? 60_000;
  const start = Date.now();
  let delay = 5;
  for (;;) {
    try {
      const h = await fs.open(file, 'wx', 0o644);
      try {
        await h.writeFile(`${process.pid} ${Date.now()}\n`);
      } finally {
        await h.close();
      }
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        throw explainWriteError(error, file);
      }
      const info = await readLock(file);
      const now = Date.now();
      if (info && (!isAlive(info.pid) || now - info.time > staleAfter)) {
        await breakStaleLock(file, info);
        continue;
      }
      if (!info) {
        // half-written lock: give its writer a moment, then treat it as stale
        try {
          const st = await fs.stat(file);
          if (now - st.mtimeMs > 2_000) await breakStaleLock(file, { pid: -1, time: -1 });
        } catch {
          /* gone already */
        }
      }
      if (now - start > timeout) {
        throw new FailureError(
          `another kinship-reflect process has been saving ${file.replace(/\.lock$/, '')} for too long.`,
          `If no other kinship-reflect is running, delete ${file} and try again.`,
        );
      }
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 100);
    }
  }
  try {
    return await fn();
  } finally {
    await fs.unlink(file).catch(() => {});
  }
}
