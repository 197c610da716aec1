/**
 * Node's compile cache (src/shell/compile-cache.ts, turned on by dist/boot.cjs on Node 22.1+): kept in
 * a private folder of the user's cache folder, and invisible. Every command gives byte-for-byte the
 * same output and exit code with the cache cold, warm, corrupt, disabled, or impossible (a file where
 * the folder should be, a folder open to other users) — and says why it is off only with --verbose.
 * .ci/run runs this file on every supported Node; on Node 20 (no compile cache) only the "same
 * results" half has anything to compare.
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { longFlag } from '../src/command-flags.ts';
import { type OptionSpec, PROGRAM } from '../src/command-spec.ts';
import {
  entryFor,
  GLOBAL_VALUE_FLAGS,
  readDoubled,
  runVariant,
  writeDoubled,
} from '../src/shell/code-cache-loader.ts';
import {
  type CompileCacheHost,
  cacheKeyFolder,
  enableCompileCache,
  enableNodeCompileCache,
  hasCompileCache,
  type NodeCompileCacheApi,
  userCacheFolder,
} from '../src/shell/compile-cache.ts';
import { repoRoot, runCli } from './helpers/run-cli.ts';

const nodeHasCache =
  typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
const STATUSES = { FAILED: 0, ENABLED: 1, ALREADY_ENABLED: 2, DISABLED: 3 };
const BUILD = 'abcdef012345';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kr-compile-cache-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the cache folder (unit)', () => {
  let home: string;
  let enabled: string[];
  // the process's facts and Node's compile cache API, in one fake
  const host = (
    over: Partial<CompileCacheHost & NodeCompileCacheApi> = {},
  ): CompileCacheHost & NodeCompileCacheApi => ({
    env: { XDG_CACHE_HOME: path.join(home, '.cache') },
    platform: 'linux',
    homedir: () => home,
    uid: process.getuid?.(),
    nodeVersion: 'v24.21.0',
    arch: 'x64',
    enable: (d) => {
      enabled.push(d);
      return { status: STATUSES.ENABLED, directory: d };
    },
    statuses: STATUSES,
    ...over,
  });

  beforeEach(() => {
    home = mkdtempSync(path.join(dir, 'home-'));
    enabled = [];
  });

  it('lives in the platform’s per-user cache folder, never the temp folder', () => {
    const h = { homedir: () => '/home/ann', env: {} };
    expect(userCacheFolder({ ...h, platform: 'linux' })).toBe('/home/ann/.cache/kinship-reflect');
    expect(userCacheFolder({ ...h, platform: 'linux', env: { XDG_CACHE_HOME: '/x/c' } })).toBe(
      '/x/c/kinship-reflect',
    );
    // a relative XDG_CACHE_HOME is invalid by the XDG spec: ignored
    expect(userCacheFolder({ ...h, platform: 'linux', env: { XDG_CACHE_HOME: 'c' } })).toBe(
      '/home/ann/.cache/kinship-reflect',
    );
    expect(userCacheFolder({ ...h, platform: 'darwin' })).toBe('/home/ann/Library/Caches/kinship-reflect');
    expect(userCacheFolder({ ...h, platform: 'linux', homedir: () => '' })).toBeUndefined();
  });

  it('is made private (0700) and keyed by the build and the Node, and Node is pointed at that key', () => {
    const r = enableCompileCache(host(), BUILD);
    const key = cacheKeyFolder(path.join(home, '.cache', 'kinship-reflect'), BUILD, host());
    expect(r).toEqual({ enabled: true, directory: key });
    // Node's own cache waits for the first ES module package a command imports
    expect(enabled).toEqual([]);
    expect(enableNodeCompileCache(host(), key)).toEqual({ enabled: true, directory: key });
    expect(enabled).toEqual([key]);
    expect(path.basename(key)).toBe(`${BUILD}-node24.21.0-x64`);
    for (const d of [path.join(home, '.cache', 'kinship-reflect'), path.dirname(key), key]) {
      expect(statSync(d).mode & 0o777, d).toBe(0o700);
    }
  });

  it('a new build removes the entries of other builds; this build’s entries for other Nodes stay', () => {
    enableCompileCache(host(), 'aaaaaaaaaaaa');
    enableCompileCache(host({ nodeVersion: 'v22.23.3' }), 'aaaaaaaaaaaa');
    const all = path.join(home, '.cache', 'kinship-reflect', 'compile-cache');
    writeFileSync(path.join(all, 'not-ours.txt'), 'x');
    enableCompileCache(host(), BUILD);
    expect(readdirSync(all).sort()).toEqual([`${BUILD}-node24.21.0-x64`, 'not-ours.txt']);
    enableCompileCache(host({ nodeVersion: 'v26.10.0' }), BUILD);
    expect(readdirSync(all).sort()).toEqual([
      `${BUILD}-node24.21.0-x64`,
      `${BUILD}-node26.10.0-x64`,
      'not-ours.txt',
    ]);
  });

  it('is not used when open to other users, another user’s, or a link — and the folder is left as it was', () => {
    const folder = path.join(home, '.cache', 'kinship-reflect');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    chmodSync(folder, 0o755);
    expect(enableCompileCache(host(), BUILD)).toMatchObject({
      enabled: false,
      reason: expect.stringMatching(/open to other users/),
    });
    expect(statSync(folder).mode & 0o777).toBe(0o755);
    chmodSync(folder, 0o700);
    const other = (process.getuid?.() ?? 0) + 4242;
    expect(enableCompileCache(host({ uid: other }), BUILD)).toMatchObject({
      enabled: false,
      reason: expect.stringMatching(/belongs to another user/),
    });
    rmSync(folder, { recursive: true });
    const elsewhere = mkdtempSync(path.join(dir, 'elsewhere-'));
    symlinkSync(elsewhere, folder);
    expect(enableCompileCache(host(), BUILD)).toMatchObject({
      enabled: false,
      reason: expect.stringMatching(/symbolic link/),
    });
    expect(lstatSync(folder).isSymbolicLink()).toBe(true);
    expect(enabled).toEqual([]);
  });

  it('is not used inside a folder that others can change (unless it is sticky, like /tmp)', () => {
    const shared = path.join(home, 'shared');
    mkdirSync(shared, { mode: 0o777 });
    chmodSync(shared, 0o777);
    expect(enableCompileCache(host({ env: { XDG_CACHE_HOME: shared } }), BUILD)).toMatchObject({
      enabled: false,
      reason: expect.stringMatching(/can be changed by other users/),
    });
    chmodSync(shared, 0o1777);
    expect(enableCompileCache(host({ env: { XDG_CACHE_HOME: shared } }), BUILD)).toMatchObject({
      enabled: true,
    });
  });

  it('Node 22.1 and later have a compile cache', () => {
    expect(
      ['v20.20.2', 'v22.0.9', '21.9.0', 'v22.1.0', 'v22.23.3', 'v24.21.0', 'v26.10.0', '30.0.0'].map(
        hasCompileCache,
      ),
    ).toEqual([false, false, false, true, true, true, true, true]);
    expect(hasCompileCache(process.version)).toBe(nodeHasCache);
  });

  it('never throws: a file where the folder should be, no home, an old Node, the variable set', () => {
    writeFileSync(path.join(home, '.cache'), 'a file, not a folder');
    expect(enableCompileCache(host(), BUILD)).toMatchObject({
      enabled: false,
      reason: expect.stringMatching(/ENOTDIR|EEXIST/),
    });
    expect(
      enableCompileCache(
        host({
          env: {},
          homedir: () => {
            throw new Error('no home');
          },
        }),
        BUILD,
      ),
    ).toMatchObject({ enabled: false });
    // Node before 22.1 has no compile cache
    for (const nodeVersion of ['v20.20.2', 'v22.0.0'])
      expect(enableCompileCache(host({ nodeVersion }), BUILD)).toMatchObject({
        enabled: false,
        silent: true,
      });
    expect(enableCompileCache(host({ env: { NODE_DISABLE_COMPILE_CACHE: '1' } }), BUILD)).toMatchObject({
      enabled: false,
      silent: true,
    });
    expect(enabled).toEqual([]);
  });

  it('keeps serving our own files when Node’s compile cache is already on elsewhere (NODE_COMPILE_CACHE)', () => {
    const elsewhere = path.join(home, 'theirs');
    const h = host({ env: { XDG_CACHE_HOME: path.join(home, '.cache'), NODE_COMPILE_CACHE: elsewhere } });
    const r = enableCompileCache(h, BUILD);
    expect(r).toMatchObject({ enabled: true });
    const already = host({ enable: () => ({ status: STATUSES.ALREADY_ENABLED, directory: elsewhere }) });
    expect(enableNodeCompileCache(already, (r as { directory: string }).directory)).toEqual({
      enabled: false,
      reason: `already on in ${elsewhere}`,
      silent: true,
    });
  });

  it('Node’s own cache, turned on when a package is first imported: its refusals are reported, never thrown', () => {
    const key = path.join(home, 'key');
    const refusing = (status: number, message?: string) =>
      host({ enable: () => ({ status, ...(message ? { message } : {}) }) });
    expect(enableNodeCompileCache(refusing(STATUSES.FAILED, 'EROFS'), key)).toEqual({
      enabled: false,
      reason: 'EROFS',
    });
    expect(enableNodeCompileCache(refusing(STATUSES.DISABLED), key)).toMatchObject({ silent: true });
    expect(enableNodeCompileCache(refusing(STATUSES.ALREADY_ENABLED), key)).toMatchObject({ silent: true });
    const throwing = host({
      enable: () => {
        throw new Error('EACCES');
      },
    });
    expect(enableNodeCompileCache(throwing, key)).toMatchObject({ enabled: false, reason: 'Error: EACCES' });
    expect(enableNodeCompileCache(host({ enable: undefined }), key)).toMatchObject({ silent: true });
  });
});

describe('the code cache of our own files (unit)', () => {
  it('an entry is used only when its two copies agree: cut short or changed, it is ignored', () => {
    const file = path.join(dir, 'entry.v8');
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256));
    writeDoubled(file, data);
    expect(readDoubled(file)).toEqual(data);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const all = readFileSync(file);
    writeFileSync(file, all.subarray(0, all.length - 2));
    expect(readDoubled(file)).toBeUndefined();
    const flipped = Buffer.from(all);
    flipped[1500] = (flipped[1500] ?? 0) ^ 1;
    writeFileSync(file, flipped);
    expect(readDoubled(file)).toBeUndefined();
    writeFileSync(file, '');
    expect(readDoubled(file)).toBeUndefined();
    expect(readDoubled(path.join(dir, 'missing.v8'))).toBeUndefined();
    // a failed write leaves no temporary file behind
    expect(() => writeDoubled(path.join(dir, 'no-such-folder', 'x.v8'), data)).toThrow();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('the entry file’s cache is kept per command; a typo or an option never names a file', () => {
    const dist = path.join(repoRoot, 'dist');
    expect(runVariant([], dist)).toBe('help');
    expect(runVariant(['status', '--help'], dist)).toBe('help');
    expect(runVariant(['status', '--cycle', 'x'], dist)).toBe('status');
    expect(runVariant(['stauts'], dist)).toBe('other');
    expect(runVariant(['../../etc/passwd'], dist)).toBe('other');
    expect(runVariant(['--dir', 'x', 'status'], dist)).toBe('status');
    expect(runVariant(['-b', 'status', 'questions'], dist)).toBe('questions');
    expect(runVariant(['-V'], dist)).toBe('help');
    expect(runVariant(['help', 'git'], dist)).toBe('help');
    expect(runVariant(['--', 'status'], dist)).toBe('help');
  });

  it('help and anything but a command load the entry with commander in it; a command, the other', () => {
    expect(entryFor('help')).toBe('cli-full.cjs');
    expect(entryFor('other')).toBe('cli-full.cjs');
    expect(entryFor('export')).toBe('cli.cjs');
  });

  it('knows which global options take a value, as the spec declares them', () => {
    const declared = Object.entries(PROGRAM.options as Record<string, OptionSpec>)
      .filter(([, o]) => o.value !== undefined)
      .flatMap(([key, o]) => [...(o.short ? [o.short] : []), longFlag(key, o)]);
    expect([...GLOBAL_VALUE_FLAGS].sort()).toEqual(declared.sort());
  });
});

/** The commands compared: each a start-up path the bench times. */
const COMMANDS: [string, string[]][] = [
  ['--help', ['--help']],
  ['questions --json', ['questions', '--json']],
  ['status', ['status', '--cycle', '2026-27']],
  ['export md', ['export', '--cycle', '2026-27', '--format', 'md']],
  ['diff', ['diff', '2025-26', '2026-27']],
  ['validate the YAML bank', ['validate', path.join(repoRoot, 'questions', 'reflective-tool.yaml')]],
  ['an unknown command (exit 2)', ['stauts']],
  ['a missing cycle (exit 1)', ['status', '--cycle', '1999-00']],
];

describe('same results with the cache cold, warm, corrupt, disabled or impossible', () => {
  let cwd: string;
  let cacheHome: string;

  beforeAll(() => {
    cwd = mkdtempSync(path.join(dir, 'cwd-'));
    cpSync(path.join(repoRoot, 'examples', 'exampleshire'), path.join(cwd, 'reflections'), {
      recursive: true,
    });
    cacheHome = path.join(dir, 'cache-home');
  });

  const run = (args: string[], env: Record<string, string | undefined> = {}) =>
    runCli(args, { cwd, env: { XDG_CACHE_HOME: cacheHome, NODE_DISABLE_COMPILE_CACHE: undefined, ...env } });

  /** Every cache entry Node wrote for this build (in Node's own subfolder of our key folder). */
  const entries = (): string[] => {
    const all = path.join(cacheHome, 'kinship-reflect', 'compile-cache');
    if (!existsSync(all)) return [];
    return readdirSync(all, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
  };

  it.each(COMMANDS)('%s', async (_name, args) => {
    rmSync(cacheHome, { recursive: true, force: true });
    const disabled = await run(args, { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(disabled.timedOut).toBe(false);
    expect(entries()).toEqual([]);
    const cold = await run(args);
    if (nodeHasCache) expect(entries().length).toBeGreaterThan(0);
    const warm = await run(args);
    // corrupt every entry: bytes flipped in the middle, and one cut short
    const files = entries();
    files.forEach((f, i) => {
      const b = readFileSync(f);
      if (i % 2 === 0) {
        for (let k = 16; k < b.length; k += 97) b[k] = (b[k] ?? 0) ^ 0xff;
        writeFileSync(f, b);
      } else writeFileSync(f, b.subarray(0, b.length >> 1));
    });
    const corrupt = await run(args);
    const again = await run(args);
    // a file where the user's cache folder should be; then our folder open to everyone
    rmSync(cacheHome, { recursive: true, force: true });
    writeFileSync(cacheHome, '');
    const impossible = await run(args);
    rmSync(cacheHome);
    mkdirSync(path.join(cacheHome, 'kinship-reflect'), { recursive: true });
    chmodSync(path.join(cacheHome, 'kinship-reflect'), 0o777);
    const unsafe = await run(args);
    expect(entries()).toEqual([]);
    const expected = { code: disabled.code, stdout: disabled.stdout, stderr: disabled.stderr };
    for (const [name, r] of Object.entries({ cold, warm, corrupt, again, impossible, unsafe })) {
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }, name).toEqual(expected);
    }
    rmSync(cacheHome, { recursive: true, force: true });
  });

  it('a file of dist/ edited in place, to the same length, runs as edited (its cached code is not used)', async () => {
    const copy = mkdtempSync(path.join(dir, 'package-'));
    cpSync(path.join(repoRoot, 'bin'), path.join(copy, 'bin'), { recursive: true });
    cpSync(path.join(repoRoot, 'dist'), path.join(copy, 'dist'), { recursive: true });
    rmSync(cacheHome, { recursive: true, force: true });
    const bin = path.join(copy, 'bin', 'kinship-reflect.js');
    const help = () =>
      runCli(['--help'], {
        cwd,
        bin,
        env: { XDG_CACHE_HOME: cacheHome, NODE_DISABLE_COMPILE_CACHE: undefined },
      });
    const before = await help();
    expect((await help()).stdout).toBe(before.stdout);
    if (nodeHasCache)
      expect(entries().some((f) => f.includes(`${path.sep}code${path.sep}cli-full.cjs~help~`))).toBe(true);
    // help is laid out by commander, in the entry for help, dist/cli-full.cjs
    const entry = path.join(copy, 'dist', 'cli-full.cjs');
    const text = readFileSync(entry, 'utf8');
    expect(text).toContain('Usage:');
    writeFileSync(entry, text.replace('Usage:', 'USAGE:'));
    const after = await help();
    expect(after.code).toBe(0);
    expect(after.stdout).toBe(before.stdout.replace('Usage:', 'USAGE:'));
    rmSync(cacheHome, { recursive: true, force: true });
  });

  it('Node’s compile cache is turned on only by a package import, in our folder or the one NODE_COMPILE_CACHE names', async () => {
    const args = ['diff', '2025-26', '2026-27'];
    // packages' entries are in Node's own subfolder of our key folder; ours in code/
    const nodeEntries = () => entries().filter((f) => !f.includes(`${path.sep}code${path.sep}`));
    rmSync(cacheHome, { recursive: true, force: true });
    const plain = await run(args);
    expect(nodeEntries()).toEqual([]);
    const colour = await run(args, { FORCE_COLOR: '1', NO_COLOR: undefined }); // imports chalk
    if (nodeHasCache) expect(nodeEntries().length).toBeGreaterThan(0);
    rmSync(cacheHome, { recursive: true, force: true });
    const theirs = path.join(dir, 'theirs');
    const elsewhere = await run(args, { FORCE_COLOR: '1', NO_COLOR: undefined, NODE_COMPILE_CACHE: theirs });
    expect(nodeEntries()).toEqual([]);
    if (nodeHasCache) {
      expect(entries().length).toBeGreaterThan(0); // our own files' code is still cached
      expect(readdirSync(theirs, { recursive: true }).length).toBeGreaterThan(0);
    }
    const off = await run(args, { FORCE_COLOR: '1', NO_COLOR: undefined, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(colour.stdout).not.toBe(plain.stdout);
    for (const r of [colour, elsewhere])
      expect([r.code, r.stdout, r.stderr]).toEqual([off.code, off.stdout, off.stderr]);
    rmSync(cacheHome, { recursive: true, force: true });
    rmSync(theirs, { recursive: true, force: true });
  });

  it('with --verbose, says why the cache is off (and nothing when it works)', async () => {
    rmSync(cacheHome, { recursive: true, force: true });
    mkdirSync(path.join(cacheHome, 'kinship-reflect'), { recursive: true });
    chmodSync(path.join(cacheHome, 'kinship-reflect'), 0o777);
    const args = ['--verbose', 'status', '--cycle', '2026-27'];
    const unsafe = await run(args);
    const quiet = await run(args.slice(1));
    if (nodeHasCache) {
      expect(unsafe.stderr).toMatch(/^kinship-reflect: compile cache not used: .*open to other users/m);
    }
    expect(quiet.stderr).not.toMatch(/compile cache/);
    rmSync(cacheHome, { recursive: true, force: true });
    const works = await run(args);
    expect(works.stderr).not.toMatch(/compile cache/);
    const off = await run(args, { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(off.stderr).not.toMatch(/compile cache/);
    expect(off.stdout).toBe(works.stdout);
  });
});
