import { promises as fs } from 'node:fs';
import { FailureError } from '../core/errors.ts';
import { explainWriteError, fsOps, isAlive, randomHex, retryWhileBusy } from './atomic-write.ts';

export interface LockOptions {
  /** Give up after this long (ms). */
  timeout?: number;
  /** A lock older than this (ms) whose holder cannot be checked is considered stale. */
  staleAfter?: number;
  /**
   * The file the lock guards, named in messages instead of the hidden lock file: a read-only folder
   * is reported as "could not save 2026-27.json", which is what the user tried to do.
   */
  guards?: string;
}

interface LockInfo {
  pid: number;
  time: number;
  /** The whole content, which names one taking of the lock (pid, time and a random token). */
  raw: string;
}

/**
 * What is at a lock's path: a lock, nothing (`missing`), or something that cannot be a lock
 * (`debris`: empty, unreadable or garbled; locks are linked into place whole, so no live holder's
 * lock ever looks like that).
 */
type LockState = LockInfo | 'missing' | 'debris';

async function readLockState(file: string): Promise<LockState> {
  let raw: string;
  try {
    // a scanner holding the lock file makes Windows refuse the read for a moment: a lock that cannot
    // be read would be taken for a half-written one, and broken under a live holder
    raw = await retryWhileBusy(() => fsOps().readLockFile(file));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'debris';
  }
  const [pid, time] = raw.trim().split(/\s+/).map(Number);
  if (pid === undefined || time === undefined || Number.isNaN(pid) || Number.isNaN(time)) return 'debris';
  return { pid, time, raw };
}

async function readLock(file: string): Promise<LockInfo | undefined> {
  const state = await readLockState(file);
  return typeof state === 'string' ? undefined : state;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Remove a lock file; gone already is fine. On Windows a scanner holding it makes the removal fail
 * for a moment, and a lock left behind by a live process (ours, still interviewing) would stall the
 * next save until it counted as stale, so the removal is retried.
 */
async function removeLockFile(file: string): Promise<void> {
  await retryWhileBusy(() => fsOps().removeLockFile(file)).catch(() => {});
}

/** Write `content` into a new file, removing it again if the write fails (a full disk). */
async function writeNewFile(file: string, content: string, shownAs: string): Promise<boolean> {
  let h: Awaited<ReturnType<typeof fs.open>>;
  try {
    // on Windows a lock file just removed by its holder can still be held open by a scanner: until
    // it is closed, creating the file again fails with EPERM, not EEXIST
    h = await retryWhileBusy(() => fsOps().createLockFile(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw explainWriteError(error, shownAs);
  }
  try {
    await h.writeFile(content);
    await h.close();
  } catch (error) {
    await h.close().catch(() => {});
    // never leave an empty lock behind: the next command would take it for a live one
    await fs.unlink(file).catch(() => {});
    throw explainWriteError(error, shownAs);
  }
  return true;
}

/**
 * Create `file` exclusively with our pid, the time and a random token; undefined if it exists. A
 * failure is reported as a failure to save `shownAs`.
 *
 * The content is written to a temp file first and hard-linked into place, so a lock file never exists
 * empty or half-written: an empty or unreadable lock can only be debris (a crash or a full disk
 * while an older version wrote it) and is broken at once instead of being waited on. Where hard links
 * are not supported, the lock is created and written in place.
 */
async function createLockFile(file: string, shownAs = file): Promise<string | undefined> {
  const content = `${process.pid} ${Date.now()} ${randomHex(4)}\n`;
  // named like every temp file (atomic-write.ts TEMP_FILE), so a killed process's leftover is tidied
  const temp = `${file}.${process.pid}.${randomHex(4)}.tmp`;
  if (!(await writeNewFile(temp, content, shownAs))) return undefined;
  try {
    await fs.link(temp, file);
    return content;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return undefined;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      return (await writeNewFile(file, content, shownAs)) ? content : undefined;
    }
    throw explainWriteError(error, shownAs);
  } finally {
    await fs.unlink(temp).catch(() => {});
  }
}

/**
 * Break a lock whose holder is gone. Breakers take turns through a second lock file
 * (`<lock>.break`), and each removes the lock only if it still is the one it judged stale: a lock
 * can only be replaced after it is removed, and only breakers remove a dead holder's lock, so
 * nothing can take its place between that check and the removal. (Moving the lock aside instead
 * would leave a moment with no lock, in which a third process could get in beside a live holder.)
 */
async function breakStaleLock(file: string, seen: LockInfo | undefined): Promise<boolean> {
  const breaker = `${file}.break`;
  const mine = await createLockFile(breaker);
  if (mine === undefined) {
    // another process is breaking it; if that one died doing so, clear its breaker lock
    const other = await readLock(breaker);
    const st = await fs.stat(breaker).catch(() => undefined);
    if (st && ((other && !isAlive(other.pid)) || (!other && Date.now() - st.mtimeMs > 2_000))) {
      await removeLockFile(breaker);
    }
    return false;
  }
  try {
    const now = await readLockState(file);
    // Only what was judged is removed: the same stale lock, or debris. Nothing at all is left alone:
    // a new lock may be linked into place the moment after that read, and removing "nothing" would
    // remove it, letting a second holder in beside its owner.
    if (seen ? typeof now !== 'string' && now.raw === seen.raw : now === 'debris') {
      await removeLockFile(file);
    }
  } finally {
    await removeLockFile(breaker);
  }
  return true;
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
  let mine: string | undefined;
  for (;;) {
    mine = await createLockFile(file, options.guards);
    if (mine !== undefined) break;
    const state = await readLockState(file);
    const info = typeof state === 'string' ? undefined : state;
    const now = Date.now();
    if (info && (!isAlive(info.pid) || now - info.time > staleAfter)) {
      // try again at once after breaking it; wait as usual while another process breaks it
      if (await breakStaleLock(file, info)) continue;
    }
    // empty or unreadable: never a live lock (see createLockFile), so broken at once
    if (state === 'debris') await breakStaleLock(file, undefined);
    if (now - start > timeout) {
      throw new FailureError(
        `another kinship-reflect process has been saving ${options.guards ?? file.replace(/\.lock$/, '')} for too long.`,
        `If no other kinship-reflect is running, delete ${file} and try again.`,
      );
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 100);
  }
  try {
    return await fn();
  } finally {
    // release only our own lock: if it was taken over as stale meanwhile, the file is someone else's
    if ((await readLock(file))?.raw === mine) await removeLockFile(file);
  }
}
