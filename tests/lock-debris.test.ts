/**
 * Locks on a failing disk and lock debris (issue 15): a full disk while taking the lock is one line
 * ("the disk is full") and leaves no lock or temp file; an empty or unreadable lock is debris, broken
 * at once instead of waited on for 15 s and blamed on "another process".
 */
import { promises as fsp } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FailureError } from '../src/core/errors.ts';
import { withLock } from '../src/shell/lock.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'kinship-reflect-lock-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('lock debris', () => {
  it('an empty lock file made a moment ago is broken at once', async () => {
    const lock = path.join(dir, '.2026-27.lock');
    await writeFile(lock, '');
    const started = Date.now();
    expect(await withLock(lock, async () => 'ran', { timeout: 1_000 })).toBe('ran');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a lock file of garbage is broken at once too', async () => {
    const lock = path.join(dir, '.2026-27.lock');
    await writeFile(lock, 'not a lock');
    expect(await withLock(lock, async () => 'ran', { timeout: 1_000 })).toBe('ran');
  });
});

describe('a full disk while taking the lock', () => {
  it('is one line saying so, and leaves neither a lock nor a temp file', async () => {
    const lock = path.join(dir, '.2026-27.lock');
    const realOpen = fsp.open.bind(fsp);
    vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...args);
      if (String(args[0]).startsWith(dir)) {
        handle.writeFile = async () => {
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        };
      }
      return handle;
    });
    const error = await withLock(lock, async () => 'ran', { guards: path.join(dir, '2026-27.json') }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FailureError);
    expect((error as FailureError).message).toMatch(/could not save .*2026-27\.json: the disk is full/);
    vi.restoreAllMocks();
    expect(await readdir(dir)).toEqual([]);
    // and the next save is not blocked by anything left behind
    expect(await withLock(lock, async () => 'ran', { timeout: 300 })).toBe('ran');
  });
});
