/**
 * Failing disks (issue 6.6): every step of a save is made to fail in turn — disk full, permission
 * denied, read-only disk, rename refused. The previous file must survive byte for byte, no temp file
 * may remain, and the error must say what to do.
 */
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { chmod, copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerableItems } from '../src/core/bank.ts';
import { setAnswer } from '../src/core/cycle.ts';
import { FailureError } from '../src/core/errors.ts';
import {
  explainWriteError,
  setFsOpsForTesting,
  TEMP_FILE,
  writeFileAtomic,
} from '../src/shell/atomic-write.ts';
import { cyclePath, readCycle, updateCycle } from '../src/shell/cycle-store.ts';
import { listCycleIds } from '../src/shell/workspace.ts';
import { buildSaveWorker, makeWorkspace, type TestWorkspace } from './helpers/workspace.ts';

let t: TestWorkspace;
let restore: (() => void) | undefined;
beforeEach(async () => {
  t = await makeWorkspace({ report: true });
});
afterEach(async () => {
  restore?.();
  restore = undefined;
  await chmod(t.dir, 0o755).catch(() => {});
  await t.cleanup();
});

function fsError(code: string): NodeJS.ErrnoException {
  const e = new Error(`${code}: simulated failure`) as NodeJS.ErrnoException;
  e.code = code;
  return e;
}

/** What each error must tell the user. */
const EXPECTED: Record<string, { message: RegExp; hint: RegExp }> = {
  ENOSPC: { message: /the disk is full/, hint: /Free some space/ },
  EDQUOT: { message: /the disk is full/, hint: /Free some space/ },
  EACCES: { message: /permission denied/, hint: /may write to that folder|--dir/ },
  EPERM: { message: /permission denied/, hint: /may write to that folder|--dir/ },
  EROFS: { message: /read-only disk/, hint: /writable folder with --dir/ },
  EXDEV: { message: /another disk/, hint: /Try again/ },
  EIO: { message: /the disk reported an error/, hint: /try again/ },
};

type Step = 'open' | 'write' | 'sync' | 'rename';

/**
 * Make the `nth` save's `step` fail with `code` (saves are counted from 1: in updateCycle the cycle
 * file is the first, its report the second). `unlinkFails` also makes the clean-up of the temp
 * file fail.
 */
function inject(step: Step, code: string, nth = 1, unlinkFails = false): void {
  let opens = 0;
  let renames = 0;
  restore = setFsOpsForTesting({
    open: (async (...args: Parameters<typeof fsp.open>) => {
      opens++;
      if (step === 'open' && opens === nth) throw fsError(code);
      const handle = await fsp.open(...args);
      if (opens !== nth || (step !== 'write' && step !== 'sync')) return handle;
      // a handle whose write or flush fails, after writing part of the data
      return new Proxy(handle, {
        get(target, prop, receiver) {
          if (prop === 'writeFile' && step === 'write') {
            return async (data: string) => {
              await target.writeFile(data.slice(0, Math.floor(data.length / 2)));
              throw fsError(code);
            };
          }
          if (prop === 'sync' && step === 'sync') return async () => Promise.reject(fsError(code));
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }) as FileHandle;
    }) as typeof fsp.open,
    rename: (async (...args: Parameters<typeof fsp.rename>) => {
      renames++;
      if (step === 'rename' && renames === nth) throw fsError(code);
      return fsp.rename(...args);
    }) as typeof fsp.rename,
    ...(unlinkFails ? { unlink: (async () => Promise.reject(fsError('EBUSY'))) as typeof fsp.unlink } : {}),
  });
}

function expectHelpful(error: unknown, code: string, target: string): void {
  expect(error).toBeInstanceOf(FailureError);
  const e = error as FailureError;
  const expected = EXPECTED[code];
  if (!expected) throw new Error(`no expectation for ${code}`);
  expect(e.message).toMatch(expected.message);
  expect(e.message).toContain(target);
  expect(e.hint ?? '').toMatch(expected.hint);
  // no stack-trace-like noise
  expect(e.message).not.toMatch(/\n\s+at /);
}

const items = () => answerableItems(t.ws.bank).map((i) => i.id);

async function savedCycle(): Promise<{ file: string; bytes: Buffer; report: Buffer }> {
  await updateCycle(
    t.ws,
    '2026-27',
    (c) => {
      setAnswer(
        c,
        items()[0] as string,
        { status: 'answered', text: ['64% of carers are grandparents'] },
        '2026-01-10',
      );
    },
    { create: true },
  );
  const file = cyclePath(t.ws, '2026-27');
  return { file, bytes: await readFile(file), report: await readFile(path.join(t.dir, '2026-27.md')) };
}

const edit = (c: Parameters<Parameters<typeof updateCycle>[2]>[0]) => {
  setAnswer(
    c,
    items()[1] as string,
    { status: 'answered', text: ['12 SGO households', 'since 2019'] },
    '2026-01-15',
  );
};

async function expectNoLeftovers(): Promise<void> {
  const names = await readdir(t.dir);
  expect(names.filter((n) => TEMP_FILE.test(n))).toEqual([]);
  expect(names.filter((n) => n.endsWith('.lock') || n.endsWith('.break'))).toEqual([]);
  expect(await listCycleIds(t.ws)).toEqual(['2026-27']);
}

const CASES: [Step, string][] = [
  ['open', 'ENOSPC'],
  ['open', 'EACCES'],
  ['open', 'EROFS'],
  ['open', 'EDQUOT'],
  ['write', 'ENOSPC'],
  ['write', 'EIO'],
  ['sync', 'ENOSPC'],
  ['sync', 'EIO'],
  ['rename', 'EXDEV'],
  ['rename', 'EPERM'],
  ['rename', 'EACCES'],
  ['rename', 'ENOSPC'],
];

describe('a save of the cycle file that fails', () => {
  it.each(CASES)(
    'at %s with %s keeps the previous file, leaves no temp file, and says what to do',
    async (step, code) => {
      const before = await savedCycle();
      inject(step, code, 1);
      const error = await updateCycle(t.ws, '2026-27', edit).catch((e: unknown) => e);
      expectHelpful(error, code, before.file);
      restore?.();
      restore = undefined;
      expect(await readFile(before.file)).toEqual(before.bytes);
      expect(await readFile(path.join(t.dir, '2026-27.md'))).toEqual(before.report);
      await expectNoLeftovers();
      // the disk recovers: the same save now goes through
      await updateCycle(t.ws, '2026-27', edit);
      expect(Object.keys((await readCycle(t.ws, '2026-27')).answers)).toHaveLength(2);
    },
  );

  it('when even removing the temp file fails, still reports the first error and lists no temp file', async () => {
    const before = await savedCycle();
    inject('rename', 'EXDEV', 1, true);
    const error = await updateCycle(t.ws, '2026-27', edit).catch((e: unknown) => e);
    expectHelpful(error, 'EXDEV', before.file);
    restore?.();
    restore = undefined;
    expect(await readFile(before.file)).toEqual(before.bytes);
    expect(await listCycleIds(t.ws)).toEqual(['2026-27']);
  });

  it('when creating a new cycle leaves no file at all', async () => {
    inject('rename', 'ENOSPC', 1);
    const error = await updateCycle(t.ws, '2026-28', edit, { create: true }).catch((e: unknown) => e);
    expectHelpful(error, 'ENOSPC', cyclePath(t.ws, '2026-28'));
    expect(await readdir(t.dir)).toEqual(['kinship-reflect.yaml']);
  });
});

describe('a save of the report that fails', () => {
  it.each([
    ['open', 'ENOSPC'],
    ['write', 'ENOSPC'],
    ['rename', 'EPERM'],
  ] as [Step, string][])(
    'at %s with %s keeps the answers saved and the old report whole',
    async (step, code) => {
      const before = await savedCycle();
      inject(step, code, 2);
      const error = await updateCycle(t.ws, '2026-27', edit).catch((e: unknown) => e);
      expectHelpful(error, code, path.join(t.dir, '2026-27.md'));
      restore?.();
      restore = undefined;
      // the answer just given is on disk; the report is the previous one, whole
      expect(Object.keys((await readCycle(t.ws, '2026-27')).answers)).toHaveLength(2);
      expect(await readFile(path.join(t.dir, '2026-27.md'))).toEqual(before.report);
      await expectNoLeftovers();
    },
  );
});

describe('writeFileAtomic', () => {
  it('writes nothing over the target at any failing step', async () => {
    const file = path.join(t.dir, 'plain.txt');
    await writeFileAtomic(file, 'previous\n');
    for (const [step, code] of CASES) {
      inject(step, code, 1);
      await expect(writeFileAtomic(file, 'next\n'.repeat(1000))).rejects.toBeInstanceOf(FailureError);
      restore?.();
      restore = undefined;
      expect(await readFile(file, 'utf8')).toBe('previous\n');
      expect((await readdir(t.dir)).filter((n) => TEMP_FILE.test(n))).toEqual([]);
    }
  });

  it('explains an error it does not know with its own message', () => {
    const e = explainWriteError(fsError('EWEIRD'), '/x/2026-27.json');
    expect(e).toBeInstanceOf(FailureError);
    expect(e.message).toContain('/x/2026-27.json');
    expect(e.message).toContain('EWEIRD');
    expect(e.hint).toMatch(/try again/);
  });
});

describe('a real read-only folder', () => {
  it('refuses the save with a clear message and leaves the file as it was', async (context) => {
    const before = await savedCycle();
    const isRoot = process.getuid?.() === 0;
    if (process.platform === 'win32') {
      context.skip(true, 'chmod does not make a folder read-only on Windows');
      return;
    }
    if (!isRoot) {
      await chmod(t.dir, 0o555);
      const error = await updateCycle(t.ws, '2026-27', edit).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FailureError);
      // the file the user was saving, not the hidden lock file the folder refused first
      expect((error as FailureError).message).toMatch(/could not save .*2026-27\.json: permission denied/);
      expect((error as FailureError).message).not.toMatch(/\.lock/);
      expect((error as FailureError).hint).toMatch(/--dir/);
    } else {
      // root ignores folder permissions: run the save as an unprivileged user instead, if allowed
      const buildDir = await mkdtemp(path.join(tmpdir(), 'kinship-reflect-worker-'));
      try {
        const worker = await buildSaveWorker(buildDir);
        await chmod(buildDir, 0o755);
        await chmod(worker, 0o644);
        await chmod(t.dir, 0o555);
        const runAsNobody = (node: string) =>
          new Promise<{ code: number | null; stderr: string; spawnError?: string }>((resolve) => {
            const child = spawn(node, [worker, 'answer', t.dir, '2026-27', '1', '1'], {
              uid: 65534,
              gid: 65534,
              stdio: ['ignore', 'ignore', 'pipe'],
            });
            let stderr = '';
            child.stderr?.on('data', (d: Buffer) => {
              stderr += d.toString();
            });
            child.on('error', (e) => resolve({ code: null, stderr, spawnError: e.message }));
            child.on('exit', (code) => resolve({ code, stderr }));
          });
        let result = await runAsNobody(process.execPath);
        if (result.spawnError) {
          // a Node from npx's cache sits in root's home, which the unprivileged user cannot enter:
          // run a copy of it from the (readable) build folder instead
          const node = path.join(buildDir, 'node');
          await copyFile(process.execPath, node);
          await chmod(node, 0o755);
          result = await runAsNobody(node);
        }
        if (result.spawnError) {
          console.log(
            `read-only folder test skipped: running as root and cannot drop privileges (${result.spawnError})`,
          );
          context.skip(true, 'running as root and cannot switch to an unprivileged user');
          return;
        }
        // the file the user was saving, not the hidden lock file the folder refused first
        expect(result.stderr).toMatch(/^FailureError: could not save .*2026-27\.json: permission denied/);
        expect(result.stderr).not.toMatch(/\.lock/);
        expect(result.code).toBe(1);
      } finally {
        await rm(buildDir, { recursive: true, force: true });
      }
    }
    await chmod(t.dir, 0o755);
    expect(await readFile(before.file)).toEqual(before.bytes);
    expect(await readFile(path.join(t.dir, '2026-27.md'))).toEqual(before.report);
    await expectNoLeftovers();
  });
});
