/**
 * Loads the files of dist/ with V8's code cache made *after* the command ran.
 *
 * Node's compile cache (`module.enableCompileCache`) serialises a file's code right after compiling
 * it, before it runs: it holds the top level and little else (29 KB for the 143 KB of `status`),
 * and every function a command calls is compiled again on every run. A code cache made at exit holds
 * every function the run compiled (110 KB for `status`), which measured about 6 ms less CPU per run on
 * Node 22–26 (bench/README.md). V8 reads such a cache without checking it (a flipped byte crashes the
 * process), so each entry is stored twice over and used only when both copies are the same length and
 * byte for byte equal (a native comparison; a checksum would mean loading node:zlib, ~2.5 ms). Entries
 * go to the private, per-build folder that src/shell/compile-cache.ts checked; a rejected or missing
 * entry is written at exit, atomically (a temporary file renamed over it); any failure leaves things as
 * they were, silently.
 *
 * Only our own bundles are loaded this way (relative `require`s of `.cjs` files inside dist/), each
 * with the module, `require` and `__filename` that Node's loader would give it, and listed in
 * `require.cache` as Node would list it.
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Script } from 'node:vm';

interface Pending {
  script: Script;
  file: string;
}

/**
 * How every file of dist/ but boot.cjs begins (scripts/build.mjs writes it): Node's CommonJS wrapper,
 * with one more parameter, `__kr_import`, through which our bundles import ES module packages,
 * because code compiled by node:vm cannot call `import()` without an experimental option (the import
 * runs here, in a module Node loaded itself). The files carry the wrapper so that their text is
 * compiled as read: wrapping it here made a second copy of every file (190 KB for `export`) on each
 * run, for the garbage collector to clear.
 */
export const WRAPPER = '(function (exports, require, module, __filename, __dirname, __kr_import) {';

/** What the loader gives: `load(file)` requires a file of dist/ through the code cache. */
export interface CodeCacheLoader {
  load(file: string): unknown;
}

/** The entry's bytes, when its two copies agree; otherwise undefined (missing, cut short, corrupt). */
export function readDoubled(file: string): Buffer | undefined {
  let all: Buffer;
  try {
    all = readFileSync(file);
  } catch {
    return undefined;
  }
  if (all.length < 2 || all.length % 2 !== 0) return undefined;
  const half = all.length / 2;
  const first = all.subarray(0, half);
  return first.equals(all.subarray(half)) ? first : undefined;
}

/** Writes `data` twice over into `file`, through a temporary file renamed over it. */
export function writeDoubled(file: string, data: Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, Buffer.concat([data, data]), { mode: 0o600 });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * The global options that take a value (PROGRAM.options of src/command-spec.ts, which this module,
 * loaded before anything else, cannot import; tests/compile-cache.test.ts checks the two agree).
 */
export const GLOBAL_VALUE_FLAGS: readonly string[] = ['-d', '--dir', '-b', '--bank'];

/** The word naming the command: the first that is neither an option nor a global option's value. */
function commandWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') return undefined;
    if (!arg.startsWith('-')) return arg;
    if (GLOBAL_VALUE_FLAGS.includes(arg)) i++;
  }
  return undefined;
}

/**
 * Which run this is: `help` for help, `--version` or no command (commander's), the command when
 * dist/ has a file of that name, `other` for anything else (so a typo never names a file). It picks
 * the entry (`entryFor`) and names the entry's code cache, which holds the functions a run compiled:
 * `--help` runs other functions of it than `status`.
 */
export function runVariant(args: readonly string[], distDir: string): string {
  if (args.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-V')) return 'help';
  const word = commandWord(args);
  if (word === undefined || word === 'help') return 'help';
  if (/^[a-z][a-z-]{0,30}$/.test(word) && existsSync(join(distDir, 'commands', `${word}.cjs`))) return word;
  return 'other';
}

/**
 * The entry file of dist/ for a run of `variant`: the one with commander in it (src/cli-commander.ts)
 * for help and anything but a command, else the one without, which reads a plain command line itself
 * (src/plain-call.ts) and loads commander only if it must. Either runs any command line the same way;
 * the choice only saves loading a file.
 */
export function entryFor(variant: string): 'cli.cjs' | 'cli-full.cjs' {
  return variant === 'help' || variant === 'other' ? 'cli-full.cjs' : 'cli.cjs';
}

/**
 * A loader for the files under `distDir`, keeping their code cache in `cacheDir` (the entry's per
 * `variant`, from `runVariant`), or compiling them afresh on every run when there is no cache folder
 * (`undefined`). `nodeModule` is Node's module class (what `require('node:module')` gives; dist/boot.cjs
 * passes its `module.constructor`). `beforeImport` runs once, before the first ES module package is
 * imported (it turns Node's compile cache on for them).
 */
export function makeCodeCacheLoader(
  nodeModule: typeof import('node:module'),
  distDir: string,
  cacheDir: string | undefined,
  variant: string,
  beforeImport: () => void = () => {},
): CodeCacheLoader {
  const Module = nodeModule as unknown as {
    new (id: string, parent?: unknown): NodeJS.Module & { paths: string[] };
    _nodeModulePaths(dir: string): string[];
  };
  const cache = nodeModule.createRequire(join(distDir, 'boot.cjs')).cache;
  const pending: Pending[] = [];
  let imported = false;
  const importPackage = (specifier: string): Promise<unknown> => {
    if (!imported) {
      imported = true;
      beforeImport();
    }
    return import(specifier);
  };
  const inDist = (file: string) => !relative(distDir, file).startsWith('..');

  const load = (file: string): unknown => {
    const known = cache[file];
    if (known) return known.exports;
    const source = readFileSync(file, 'utf8');
    if (!source.startsWith(WRAPPER))
      throw new Error(`${file} is not a file of this build of kinship-reflect`);
    let entry: string | undefined;
    let cachedData: Buffer | undefined;
    if (cacheDir !== undefined) {
      const name = relative(distDir, file).split(sep).join('~');
      // V8 checks a cache against its source's length only: a file edited in place (same length, new
      // time) gets an entry of its own instead of running the code cached from before the edit
      const { mtimeMs, size } = statSync(file);
      const stamp = `${Math.trunc(mtimeMs).toString(36)}-${size.toString(36)}`;
      entry = join(cacheDir, `${name === entryFor(variant) ? `${name}~${variant}` : name}~${stamp}.v8`);
      cachedData = readDoubled(entry);
    }
    const script = new Script(source, { filename: file, ...(cachedData ? { cachedData } : {}) });
    if (entry !== undefined && (!cachedData || script.cachedDataRejected))
      pending.push({ script, file: entry });
    const mod = new Module(file);
    mod.filename = file;
    const dir = dirname(file);
    // Node's own `require` for this file (packages, and what is not ours) and the folders it looks
    // in are made when first asked for: our bundles require only Node's modules (served directly)
    // and each other, and making them cost ~0.1 ms per file
    let paths: string[] | undefined;
    Object.defineProperty(mod, 'paths', {
      get: () => (paths ??= Module._nodeModulePaths(dir)),
      set: (value: string[]) => {
        paths = value;
      },
      enumerable: true,
      configurable: true,
    });
    let base: NodeJS.Require | undefined;
    const nodeRequire = () => (base ??= nodeModule.createRequire(file));
    /** The file of dist/ a relative require of a bundle names, or undefined when it is not one of ours. */
    const ours = (id: string): string | undefined => {
      if (!(id.startsWith('./') || id.startsWith('../')) || !id.endsWith('.cjs')) return undefined;
      const target = resolve(dir, id);
      return inDist(target) ? target : undefined;
    };
    const require = Object.defineProperties(
      (id: string) => {
        if (id.startsWith('node:')) return process.getBuiltinModule(id) ?? nodeRequire()(id);
        const target = ours(id);
        return target !== undefined ? load(target) : nodeRequire()(id);
      },
      {
        resolve: { get: () => nodeRequire().resolve, enumerable: true },
        cache: { value: cache, enumerable: true },
        main: { get: () => nodeRequire().main, enumerable: true },
      },
    );
    cache[file] = mod;
    try {
      const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
      wrapper.call(mod.exports, mod.exports, require, mod, file, dir, importPackage);
    } catch (error) {
      delete cache[file];
      throw error;
    }
    mod.loaded = true;
    return mod.exports;
  };

  process.once('exit', () => {
    for (const p of pending) {
      try {
        writeDoubled(p.file, p.script.createCachedData());
      } catch {
        // a full or read-only disk: the next run compiles again
      }
    }
  });
  return { load };
}
