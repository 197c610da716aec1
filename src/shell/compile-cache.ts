/**
 * The compile caches (Node 22.1+) — ours for dist/ (src/shell/code-cache-loader.ts) and Node's for the
 * packages a command imports — in a private folder of the user's own cache folder.
 *
 * V8 code cached on disk is code: whoever can write an entry can run code as the user on their next
 * command. So the folder is made private (0700) and checked before every use — a real folder, not a
 * link, owned by the user, closed to everyone else, in a parent only the user (or root) can change —
 * and never in a shared temporary folder; the folders inside it, which only the user can make, are
 * checked when they are made. Entries are kept per build of the tool and per Node
 * (version and architecture), so an upgrade of either never reads an old entry; Node checks each
 * entry against the source it was made from, and rejects a corrupt one.
 *
 * It must never change what a command does: anything unexpected turns the cache off for this run,
 * silently (a reason is printed only with --verbose). Runs before anything else of ours is loaded
 * (dist/boot.cjs), so it uses only what Node has already loaded at start-up.
 */
import { lstatSync, mkdirSync, readdirSync, rmSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';

/** The subfolder of a key folder for the code cache of dist/'s own files. */
export const CODE_FOLDER = 'code';

/** What start-up needs to decide on the cache: the process's own facts, injectable for tests. */
export interface CompileCacheHost {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  homedir: () => string;
  /** The user id (POSIX), or undefined where there is none (Windows). */
  uid: number | undefined;
  /** `process.version`: Node 22.1 and later have a compile cache. */
  nodeVersion: string;
  arch: string;
}

/**
 * Node's compile cache API, from node:module. Start-up does not load node:module (with the source
 * map module it brings, ~0.3 ms of every run on Node 24): `enableNodeCompileCache` is given this
 * only when a command first imports a package.
 */
export interface NodeCompileCacheApi {
  /** `module.enableCompileCache`, or undefined before Node 22.1. */
  enable: ((dir: string) => { status: number; message?: string; directory?: string }) | undefined;
  /** `module.constants.compileCacheStatus`. */
  statuses: { ENABLED: number; ALREADY_ENABLED: number; FAILED: number; DISABLED: number } | undefined;
}

/** Whether Node `version` (`v24.21.0`) has a compile cache: 22.1 and later. */
export function hasCompileCache(version: string): boolean {
  const [major = 0, minor = 0] = (version.startsWith('v') ? version.slice(1) : version)
    .split('.')
    .map(Number);
  return major > 22 || (major === 22 && minor >= 1);
}

export type CompileCacheResult =
  | { enabled: true; directory: string }
  | { enabled: false; reason: string; silent?: boolean };

/** The tool's folder in the user's cache folder: where the platform keeps per-user caches. */
export function userCacheFolder(
  host: Pick<CompileCacheHost, 'env' | 'platform' | 'homedir'>,
): string | undefined {
  const { env, platform } = host;
  const absolute = (p: string | undefined) => (p && isAbsolute(p) ? p : undefined);
  let home: string | undefined;
  try {
    home = absolute(host.homedir());
  } catch {
    home = undefined;
  }
  let base: string | undefined;
  if (platform === 'win32') {
    base = absolute(env.LOCALAPPDATA) ?? (home && join(home, 'AppData', 'Local'));
  } else if (platform === 'darwin') {
    base = absolute(env.XDG_CACHE_HOME) ?? (home && join(home, 'Library', 'Caches'));
  } else {
    base = absolute(env.XDG_CACHE_HOME) ?? (home && join(home, '.cache'));
  }
  return base && join(base, 'kinship-reflect');
}

/** The folder of this build of the tool on this Node: `compile-cache/<build>-node<version>-<arch>`. */
export function cacheKeyFolder(
  folder: string,
  buildId: string,
  host: Pick<CompileCacheHost, 'nodeVersion' | 'arch'>,
) {
  return join(
    folder,
    'compile-cache',
    `${buildId}-node${host.nodeVersion.startsWith('v') ? host.nodeVersion.slice(1) : host.nodeVersion}-${host.arch}`,
  );
}

/**
 * Why a folder is not safe to hold code, or undefined when it is: it must be a real folder (not a
 * link), owned by the user and closed to group and others; its parent must be owned by the user or
 * root and not writable by anyone else (or the folder could be swapped under us).
 */
export function unsafeFolderReason(
  dir: string,
  uid: number | undefined,
  own: Stats = lstatSync(dir),
): string | undefined {
  if (uid === undefined) return undefined; // Windows: the per-user folder is the user's by its ACL
  if (own.isSymbolicLink()) return `${dir} is a symbolic link`;
  if (!own.isDirectory()) return `${dir} is not a folder`;
  if (own.uid !== uid) return `${dir} belongs to another user (uid ${own.uid})`;
  if ((own.mode & 0o077) !== 0)
    return `${dir} is open to other users (mode ${(own.mode & 0o777).toString(8)}, needs 700)`;
  const parent = statSync(dirname(dir));
  if (parent.uid !== uid && parent.uid !== 0)
    return `${dirname(dir)} belongs to another user (uid ${parent.uid})`;
  if ((parent.mode & 0o022) !== 0 && (parent.mode & 0o1000) === 0)
    return `${dirname(dir)} can be changed by other users`;
  return undefined;
}

/**
 * Makes `dir` (private) if it is missing; true when this call made it. Looks before it makes: on
 * every run but the first the folders exist, and a refused mkdir costs an exception each.
 */
function makePrivateFolder(dir: string): boolean {
  if (lstatSync(dir, { throwIfNoEntry: false }) !== undefined) return false;
  try {
    mkdirSync(dir, { mode: 0o700 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Makes (or checks) the tool's private, per-build cache folder for this process, or explains why it
 * cannot be used. Never throws. Node's own compile cache is not turned on here but by
 * `enableNodeCompileCache`, when a command first imports an ES module package: most commands never
 * do, and turning it on cost ~0.5 ms of every run (bench/README.md).
 */
export function enableCompileCache(host: CompileCacheHost, buildId: string): CompileCacheResult {
  if (!hasCompileCache(host.nodeVersion))
    return { enabled: false, reason: `Node ${host.nodeVersion} has no compile cache`, silent: true };
  if (host.env.NODE_DISABLE_COMPILE_CACHE)
    return { enabled: false, reason: 'NODE_DISABLE_COMPILE_CACHE is set', silent: true };
  try {
    const folder = userCacheFolder(host);
    if (!folder) return { enabled: false, reason: 'no home or cache folder' };
    let own = lstatSync(folder, { throwIfNoEntry: false });
    // the user's cache folder itself (~/.cache) may be missing on a fresh account
    if (own === undefined) {
      mkdirSync(dirname(folder), { recursive: true, mode: 0o700 });
      makePrivateFolder(folder);
      own = lstatSync(folder);
    }
    const unsafe = unsafeFolderReason(folder, host.uid, own);
    if (unsafe) return { enabled: false, reason: unsafe };
    const key = cacheKeyFolder(folder, buildId, host);
    // our own bundles' code cache (src/shell/code-cache-loader.ts) lives beside Node's. Only the user
    // can make anything inside the folder just checked: when the innermost folder is there, so is
    // the rest, as this function made it (4 system calls on every run instead of 9)
    const code = join(key, CODE_FOLDER);
    if (lstatSync(code, { throwIfNoEntry: false })?.isDirectory()) return { enabled: true, directory: key };
    const all = join(folder, 'compile-cache');
    makePrivateFolder(all);
    if (makePrivateFolder(key)) removeOtherBuilds(all, basename(key), buildId);
    const unsafeKey = unsafeFolderReason(key, host.uid);
    if (unsafeKey) return { enabled: false, reason: unsafeKey };
    makePrivateFolder(code);
    return { enabled: true, directory: key };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { enabled: false, reason: e.code ? `${e.code} ${e.path ?? ''}`.trim() : String(error) };
  }
}

/**
 * Turns Node's compile cache on in `directory`, the folder `enableCompileCache` made and checked (Node
 * keeps its entries for the ES module packages a command imports there, beside our own). What it
 * returns says whether it did, and why not; a cache that is not on only makes the import slower.
 */
export function enableNodeCompileCache(host: NodeCompileCacheApi, directory: string): CompileCacheResult {
  if (!host.enable || !host.statuses)
    return { enabled: false, reason: 'Node has no compile cache', silent: true };
  try {
    const result = host.enable(directory);
    if (result.status === host.statuses.ENABLED) return { enabled: true, directory };
    // NODE_COMPILE_CACHE (the user's choice of folder for packages): ours still serves dist/
    if (result.status === host.statuses.ALREADY_ENABLED)
      return {
        enabled: false,
        reason: `already on in ${result.directory ?? 'another folder'}`,
        silent: true,
      };
    if (result.status === host.statuses.DISABLED)
      return { enabled: false, reason: 'disabled by Node', silent: true };
    return { enabled: false, reason: result.message ?? 'Node could not use the folder' };
  } catch (error) {
    return { enabled: false, reason: String(error) };
  }
}

/**
 * A new build of the tool removes the entries of the other builds (an upgrade leaves nothing behind);
 * entries of this build for other Nodes stay. Only names this module makes are touched.
 */
function removeOtherBuilds(all: string, keep: string, buildId: string) {
  for (const name of readdirSync(all)) {
    if (name === keep || name.startsWith(`${buildId}-`) || !/^[0-9a-f]{12}-node[\d.]+-[\w]+$/.test(name))
      continue;
    rmSync(join(all, name), { recursive: true, force: true });
  }
}
