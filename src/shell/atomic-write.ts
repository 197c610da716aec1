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

/** Hooks for fault-injection tests: each step of a save can be made to fail. */
export interface FsOps {
  open: typeof fs.open;
  rename: typeof fs.rename;
  unlink: typeof fs.unlink;
}

// Looked up when called: node:fs/promises loads on first use (~1 ms), and most runs never save.
const realOps: FsOps = {
  open: (...args) => fs.open(...args),
  rename: (...args) => fs.rename(...args),
  unlink: (...args) => fs.unlink(...args),
};
let ops: FsOps = realOps;

/** Replace the file operations used by saves (tests only); returns a function that restores them. */
export function setFsOpsForTesting(replacement: Partial<FsOps>): () => void {
  ops = { ...realOps, ...replacement };
  return () => {
    ops = realOps;
  };
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
      return new FailureError(
        `could not save ${where}: permission denied.`,
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
    await ops.rename(temp, target);
  } catch (error) {
    if (handle) await handle.close().catch(() => {});
    await ops.unlink(temp).catch(() => {});
    throw explainWriteError(error, target);
  }
  await syncFolder(dir);
}

async function syncFolder(dir: string): Promise<void> {
  // Flushing a folder makes the rename durable; some platforms refuse to open folders, which is fine.
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
