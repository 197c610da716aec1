/**
 * Windows semantics of saves and locks, played on Linux through the file-operation seam of
 * src/shell/atomic-write.ts: on Windows a file another program holds open (an antivirus scanner,
 * the search indexer, OneDrive, an editor) cannot be replaced, removed or even read for a moment
 * (EPERM, EACCES, EBUSY). Saves and locks retry those there, and only there.
 */
import { promises as fsp, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FailureError } from '../src/core/errors.ts';
import { BUSY_RETRY_MS, setFsOpsForTesting, writeFileAtomic } from '../src/shell/atomic-write.ts';
import { withLock } from '../src/shell/lock.ts';

let dir: string;
let restore: (() => void) | undefined;
/** A clock that moves only when the code under test waits (where Date.now is mocked to read it). */
let clock: number;
let waits: number[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kinship-reflect-windows-fs-'));
  clock = Date.now();
  waits = [];
});

afterEach(async () => {
  restore?.();
  restore = undefined;
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const busy = (code: string) => Object.assign(new Error(`${code}: resource busy or locked`), { code });

type Op = 'rename' | 'unlink' | 'open' | 'lockCreate' | 'lockRead' | 'lockRemove';

/** Play `platform`; `times` calls of each named operation fail with `code` first. */
function play(platform: NodeJS.Platform, failing: Partial<Record<Op, { code: string; times: number }>>) {
  const calls: Record<Op, number> = {
    rename: 0,
    unlink: 0,
    open: 0,
    lockCreate: 0,
    lockRead: 0,
    lockRemove: 0,
  };
  const fails = (op: keyof typeof calls) => {
    calls[op]++;
    const f = failing[op];
    return f !== undefined && calls[op] <= f.times ? busy(f.code) : undefined;
  };
  restore = setFsOpsForTesting({
    platform,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    rename: (async (...args: Parameters<typeof fsp.rename>) => {
      const e = fails('rename');
      if (e) throw e;
      return fsp.rename(...args);
    }) as typeof fsp.rename,
    unlink: (async (...args: Parameters<typeof fsp.unlink>) => {
      const e = fails('unlink');
      if (e) throw e;
      return fsp.unlink(...args);
    }) as typeof fsp.unlink,
    open: (async (...args: Parameters<typeof fsp.open>) => {
      const e = fails('open');
      if (e) throw e;
      return fsp.open(...args);
    }) as typeof fsp.open,
    createLockFile: async (file) => {
      const e = fails('lockCreate');
      if (e) throw e;
      return fsp.open(file, 'wx');
    },
    readLockFile: async (file) => {
      const e = fails('lockRead');
      if (e) throw e;
      return fsp.readFile(file, 'utf8');
    },
    removeLockFile: async (file) => {
      const e = fails('lockRemove');
      if (e) throw e;
      return fsp.unlink(file);
    },
  });
  return calls;
}

const tempFiles = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('replacing a file another program holds open', () => {
  for (const code of ['EPERM', 'EACCES', 'EBUSY']) {
    it(`on Windows, retries a rename refused with ${code} with a growing back-off`, async () => {
      const target = path.join(dir, '2026-27.json');
      await writeFile(target, 'old\n');
      const calls = play('win32', { rename: { code, times: 3 } });
      await writeFileAtomic(target, 'new\n');
      expect(await readFile(target, 'utf8')).toBe('new\n');
      expect(calls.rename).toBe(4);
      expect(waits).toEqual([10, 20, 30]);
      expect(tempFiles()).toEqual([]);
    });
  }

  it('on Windows, gives up after BUSY_RETRY_MS, with the old file whole and no temp file left', async () => {
    const target = path.join(dir, '2026-27.json');
    await writeFile(target, 'old\n');
    // giving up takes no real time: the clock moves only when the save waits
    vi.spyOn(Date, 'now').mockImplementation(() => clock);
    const calls = play('win32', { rename: { code: 'EPERM', times: Number.POSITIVE_INFINITY } });
    const error = await writeFileAtomic(target, 'new\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FailureError);
    expect((error as FailureError).message).toBe(
      `could not save ${target}: another program kept the file open, or you may not write to that folder.`,
    );
    expect((error as FailureError).hint).toMatch(/Close any program that has the file open/);
    expect(await readFile(target, 'utf8')).toBe('old\n');
    expect(tempFiles()).toEqual([]);
    // the back-off grows to 100 ms and stays there; it stops once the time is up
    expect(Math.max(...waits)).toBe(100);
    const waited = waits.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(BUSY_RETRY_MS);
    expect(waited).toBeLessThan(BUSY_RETRY_MS + 100);
    expect(calls.rename).toBe(waits.length + 1);
  });

  it('elsewhere, EPERM is final: one try, "permission denied", the old file whole', async () => {
    const target = path.join(dir, '2026-27.json');
    await writeFile(target, 'old\n');
    const calls = play('linux', { rename: { code: 'EPERM', times: 1 } });
    const error = await writeFileAtomic(target, 'new\n').catch((e: unknown) => e);
    expect((error as FailureError).message).toBe(`could not save ${target}: permission denied.`);
    expect(calls.rename).toBe(1);
    expect(waits).toEqual([]);
    expect(await readFile(target, 'utf8')).toBe('old\n');
    expect(tempFiles()).toEqual([]);
  });

  it('on Windows, the temp file of a failed save is removed even while a scanner holds it', async () => {
    const target = path.join(dir, '2026-27.json');
    play('win32', {
      rename: { code: 'ENOSPC', times: 1 },
      unlink: { code: 'EBUSY', times: 2 },
    });
    await expect(writeFileAtomic(target, 'new\n')).rejects.toThrow(/disk is full/);
    expect(tempFiles()).toEqual([]);
  });
});

describe('flushing the folder after a rename', () => {
  const folderOpens = (spy: ReturnType<typeof vi.spyOn>) =>
    spy.mock.calls.filter(([p]: unknown[]) => p === dir).length;

  it('is skipped on Windows, which refuses to open a folder for flushing', async () => {
    play('win32', {});
    const spy = vi.spyOn(fsp, 'open');
    await writeFileAtomic(path.join(dir, 'a.json'), 'x\n');
    expect(folderOpens(spy)).toBe(0);
  });

  it('is done elsewhere', async () => {
    play('linux', {});
    const spy = vi.spyOn(fsp, 'open');
    await writeFileAtomic(path.join(dir, 'a.json'), 'x\n');
    expect(folderOpens(spy)).toBe(1);
  });
});

describe('locks while a scanner holds the lock file', () => {
  it('a lock that cannot be read for a moment is not taken for a half-written one and broken', async () => {
    // a live holder (this process), whose lock was written 10 s ago: older than the 2 s after which
    // an unreadable lock counts as abandoned
    const lock = path.join(dir, '2026-27.json.lock');
    await writeFile(lock, `${process.pid} ${Date.now()} 0123abcd\n`);
    const tenSecondsAgo = new Date(Date.now() - 10_000);
    await utimes(lock, tenSecondsAgo, tenSecondsAgo);
    play('win32', { lockRead: { code: 'EBUSY', times: 3 } });
    const fn = vi.fn(async () => 'ran');
    const error = await withLock(lock, fn, { timeout: 50, guards: '2026-27.json' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FailureError);
    expect((error as FailureError).message).toMatch(
      /another kinship-reflect process has been saving 2026-27.json/,
    );
    expect(fn).not.toHaveBeenCalled();
    expect((await stat(lock)).isFile()).toBe(true);
  });

  it('a lock file whose removal is still pending (EPERM on create) is taken once it is gone', async () => {
    const lock = path.join(dir, '2026-27.json.lock');
    const calls = play('win32', { lockCreate: { code: 'EPERM', times: 2 } });
    expect(await withLock(lock, async () => 'ran')).toBe('ran');
    expect(calls.lockCreate).toBe(3);
  });

  it('releasing retries while the lock file is held, so the next save need not wait', async () => {
    const lock = path.join(dir, '2026-27.json.lock');
    const calls = play('win32', { lockRemove: { code: 'EPERM', times: 2 } });
    await withLock(lock, async () => undefined);
    expect(calls.lockRemove).toBe(3);
    await expect(stat(lock)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await withLock(lock, async () => 'next', { timeout: 50 })).toBe('next');
  });

  it('elsewhere, EPERM creating the lock is a permission problem at once', async () => {
    const lock = path.join(dir, '2026-27.json.lock');
    const calls = play('linux', { lockCreate: { code: 'EPERM', times: 1 } });
    await expect(withLock(lock, async () => 'ran', { guards: '2026-27.json' })).rejects.toThrow(
      /could not save 2026-27.json: permission denied/,
    );
    expect(calls.lockCreate).toBe(1);
  });
});
