/**
 * The first module of ours to run (dist/boot.cjs, required by bin/kinship-reflect.js): checks the
 * tool's private cache folder (src/shell/compile-cache.ts), then loads the entry through the code
 * cache kept there (src/shell/code-cache-loader.ts), turning Node's compile cache on only when a
 * command first imports a package.
 * The entry is dist/cli.cjs, or for help and anything but a command dist/cli-full.cjs, which has
 * commander in it (`entryFor`). Bundled on its own, as CommonJS, after the rest of dist/:
 * `__BUILD_ID__` is a hash of dist/, so a new build never reads the entries of an old one.
 */
import { entryFor, makeCodeCacheLoader, runVariant } from './shell/code-cache-loader.ts';
import {
  CODE_FOLDER,
  type CompileCacheHost,
  type CompileCacheResult,
  enableCompileCache,
  enableNodeCompileCache,
  type NodeCompileCacheApi,
} from './shell/compile-cache.ts';

declare const __BUILD_ID__: string;

/**
 * Node's module class, as every CommonJS module's `module.constructor`: `require('node:module')` is the
 * same class, but loading it also loads Node's source map module, ~0.3 ms of every run on Node 24.
 */
const Module = module.constructor as typeof import('node:module');

/** Node's compile cache API (22.1+), loaded when a command first imports a package. */
function nodeCompileCacheApi(): NodeCompileCacheApi {
  const nodeModule = process.getBuiltinModule('node:module') as typeof import('node:module') & {
    enableCompileCache?: NodeCompileCacheApi['enable'];
    constants?: { compileCacheStatus?: NodeCompileCacheApi['statuses'] };
  };
  return { enable: nodeModule.enableCompileCache, statuses: nodeModule.constants?.compileCacheStatus };
}

const host: CompileCacheHost = {
  env: process.env,
  platform: process.platform,
  // $HOME is what os.homedir() returns on POSIX; node:os loads only where it is not set
  homedir: () => (process.platform !== 'win32' && process.env.HOME) || require('node:os').homedir(),
  uid: typeof process.getuid === 'function' ? process.getuid() : undefined,
  nodeVersion: process.version,
  arch: process.arch,
};
const result = enableCompileCache(host, __BUILD_ID__);
// A cache that cannot work only makes start-up slower: say why only when asked to be verbose.
const verbose = wantsVerbose(process.argv.slice(2));
const explain = (r: CompileCacheResult, what: string) => {
  if (!r.enabled && !r.silent && verbose)
    process.stderr.write(`kinship-reflect: ${what} not used: ${r.reason}\n`);
};
explain(result, 'compile cache');

function wantsVerbose(args: string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--verbose' || arg === '-v') return true;
  }
  return false;
}

// Our own files load through a code cache made after the run (src/shell/code-cache-loader.ts), or
// without one when the cache is off; Node's compile cache serves the ES module packages some
// commands import.
const variant = runVariant(process.argv.slice(2), __dirname);
const loader = result.enabled
  ? makeCodeCacheLoader(Module, __dirname, `${result.directory}/${CODE_FOLDER}`, variant, () =>
      explain(enableNodeCompileCache(nodeCompileCacheApi(), result.directory), 'compile cache for packages'),
    )
  : makeCodeCacheLoader(Module, __dirname, undefined, variant);
loader.load(`${__dirname}/${entryFor(variant)}`);
