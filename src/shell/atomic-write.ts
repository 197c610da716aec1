import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FailureError } from '../core/errors.ts';

/**
 * `bytes` random bytes as hex: the unique part of temporary and lock file contents. node:crypto
 * loads on first use (~2.5 ms; most runs never save).
 */
export function randomHex(bytes: number): string {
  return process.getBuiltinModule('node:crypto').randomBytes(bytes).toString('hex');
}

/** Temp files are hidden, carry the writer's pid, and end in `.tmp`, so they are never taken for cycles. */
export const TEMP_FILE = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

/**
 * The file operations of saves and locks, and the platform whose rules they follow: a seam for
 * fault-injection tests, which make any step fail and can play Windows on Linux.
 */
export interface FsOps {
  /** The steps of a save (`writeFileAtomic`). */
  open: typeof fs.open;
  rename: typeof fs.rename;
  unlink: typeof fs.unlink;
  /** The steps of a lock (lock.ts): create its file exclusively, read it, remove it. */
  createLockFile: (file: string) => ReturnType<typeof fs.open>;
  readLockFile: (file: string) => Promise<string>;
  removeLockFile: (file: string) => Promise<void>;
  platform: NodeJS.Platform;
  /** Waits between retries (tests make it instant). */
  sleep: (ms: number) => Promise<void>;
}

// Looked up when called: node:fs/promises loads on first use (~1 ms), and most runs never save.
const realOps: FsOps = {
  open: (...args) => fs.open(...args),
  rename: (...args) => fs.rename(...args),
  unlink: (...args) => fs.unlink(...args),
  createLockFile: (file) => fs.open(file, 'wx', 0o644),
  // a lock is one short line: a FIFO, folder or large file in its place is never opened (readLockState
  // in lock.ts takes it for debris and breaks it)
  readLockFile: async (file) => {
    const st = await fs.lstat(file);
    if (!st.isFile() || st.size > 4096)
      throw Object.assign(new Error(`not a lock file: ${file}`), { code: 'EINVAL' });
    return fs.readFile(file, 'utf8');
  },
  removeLockFile: (file) => fs.unlink(file),
  platform: process.platform,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
let ops: FsOps = realOps;

/** The operations in use (lock.ts shares them). */
export function fsOps(): FsOps {
  return ops;
}

/** Replace the file operations used by saves (tests only); returns a function that restores them. */
export function setFsOpsForTesting(replacement: Partial<FsOps>): () => void {
  ops = { ...realOps, ...replacement };
  return () => {
    ops = realOps;
  };
}

/** The errors Windows gives for a file another program has open (see `retryWhileBusy`). */
const BUSY_ON_WINDOWS = new Set(['EPERM', 'EACCES', 'EBUSY']);

/** How long a save keeps trying while Windows says a file is busy. */
export const BUSY_RETRY_MS = 10_000;

/**
 * Run a step that replaces, creates or removes a file, retrying while Windows reports the file busy.
 * There, a file that another program holds open (an antivirus scanner or the search indexer looking
 * at a file just written, a sync client such as OneDrive, an editor) cannot be replaced or removed
 * for a moment: rename, unlink and even creating a file whose removal is still pending fail with
 * EPERM, EACCES or EBUSY. graceful-fs, under write-file-atomic and npm, retries these with a
 * back-off (10 ms more per try, at most 100 ms apart) for up to a minute; saves use the same back-off
 * for up to `BUSY_RETRY_MS`: long enough for a scanner, short enough for someone waiting on a save.
 * Elsewhere these errors are final (a read-only folder) and are not retried.
 */
export async function retryWhileBusy<T>(step: () => Promise<T>, timeoutMs = BUSY_RETRY_MS): Promise<T> {
  const { platform, sleep } = ops;
  const start = Date.now();
  let backoff = 0;
  for (;;) {
    try {
      return await step();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (platform !== 'win32' || !BUSY_ON_WINDOWS.has(code) || Date.now() - start >= timeoutMs) throw error;
      backoff = Math.min(backoff + 10, 100);
      await sleep(backoff);
    }
  }
}

/** Turn an fs error of a save into a message that says what to do. */
export function explainWriteError(error: unknown, target: string): FailureError {
  const err = error as NodeJS.ErrnoException;
  const where = target;
  switch (err.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new FailureError(`could not save ${where}: the disk is full.`, 'Free some space and try again.');
    case 'EACCES':
    case 'EPERM':
    case 'EBUSY':
      // on Windows, after `retryWhileBusy` gave up, the likelier cause is a program holding the file
      return ops.platform === 'win32'
        ? new FailureError(
            `could not save ${where}: another program kept the file open, or you may not write to that folder.`,
            'Close any program that has the file open (an editor, or a sync client such as OneDrive) and try again; if it persists, check that you may write to that folder (or choose another with --dir).',
          )
        : new FailureError(
            `could not save ${where}: ${err.code === 'EBUSY' ? 'the file is in use' : 'permission denied'}.`,
            'Check that you may write to that folder (or choose another with --dir).',
          );
    case 'EROFS':
      return new FailureError(
        `could not save ${where}: the folder is on a read-only disk.`,
        'Choose a writable folder with --dir.',
      );
    case 'EXDEV':
      return new FailureError(
        `could not save ${where}: the temporary file ended up on another disk.`,
        'Try again.',
      );
    case 'ENOENT':
      return new FailureError(
        `could not save ${where}: the folder no longer exists.`,
        'Create it again or use --dir.',
      );
    case 'EISDIR':
      return new FailureError(
        `could not save ${where}: there is a folder of that name.`,
        'Give the name of a file, not of a folder.',
      );
    case 'EIO':
      return new FailureError(
        `could not save ${where}: the disk reported an error while writing.`,
        'Check the disk (or network drive) is connected and working, then try again.',
      );
    default:
      return new FailureError(
        `could not save ${where}: ${err.message ?? String(error)}`,
        'Check that the folder is on a working disk with free space, then try again.',
      );
  }
}

/**
 * Write a file so that a crash, a kill or a full disk leaves either the old or the new version:
 * write a temp file beside the target, flush it, rename it over the target, flush the folder.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  mode = 0o644,
): Promise<void> {
  const dir = path.dirname(target);
  // rename is atomic only within one folder, so the temp file lives beside the target
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomHex(4)}.tmp`);
  let handle: Awaited<ReturnType<typeof fs.open>> | undefined;
  try {
    handle = await ops.open(temp, 'wx', mode);
    await handle.writeFile(data, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await retryWhileBusy(() => ops.rename(temp, target));
  } catch (error) {
    if (handle) await handle.close().catch(() => {});
    await retryWhileBusy(() => ops.unlink(temp)).catch(() => {});
    throw explainWriteError(error, target);
  }
  await syncFolder(dir);
}

async function syncFolder(dir: string): Promise<void> {
  // Flushing a folder makes the rename durable on POSIX. Windows refuses (a folder opens only with a
  // flag Node does not pass), and NTFS journals the rename: after a crash the old file or the new.
  if (ops.platform === 'win32') return;
  try {
    const h = await fs.open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    /* not supported here */
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove temp files left by a process that was killed mid-save: those whose writer is gone, or
 * older than an hour. Returns the names removed.
 */
export async function cleanStrayTempFiles(dir: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_FILE.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    const full = path.join(dir, name);
    let old = false;
    try {
      old = now - (await fs.stat(full)).mtimeMs > 3_600_000;
    } catch {
      continue;
    }
    if (pid !== process.pid && (!isAlive(pid) || old)) {
      await fs.unlink(full).then(
        () => removed.push(name),
        () => {},
      );
    }
  }
  return removed;
}

export { isAlive };
