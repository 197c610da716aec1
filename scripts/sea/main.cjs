// The single executable's main script (scripts/build-exe.mjs): it compiles kinship-reflect's bundle,
// an asset of the executable, with the V8 code cache the build wrote for it, and runs it.
//
// Why not the bundle as the main script, with Node's own code cache (`useCodeCache`)? Node writes
// that cache before the code has run, so it holds the top level only, and every function that
// `--help` or a command calls was compiled again at each start (~5 ms of a ~40 ms `--help`). The
// build instead runs the bundle once (`--help`, scripts/sea/code-cache.cjs) and keeps the cache of
// everything that run compiled, as dist/boot.cjs does for the npm package. V8 checks that a cache
// belongs to its version, flags and source, and compiles as usual when it does not (an executable
// built for another platform has no cache: it is empty there).
'use strict';
const { isAscii } = require('node:buffer');
const { getRawAsset } = require('node:sea');
const { Script } = require('node:vm');

/** An asset's JavaScript: the build writes it in ASCII, a one-byte string copied, not decoded. */
function sourceOf(asset) {
  const bytes = Buffer.from(getRawAsset(asset));
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/** Runs a wrapped CommonJS bundle (scripts/build-exe.mjs, `asFunction`) as a module. */
function runBundle(script, name) {
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require, module, name, '.', requireLib);
  return module;
}

const libs = new Map();
/** A big package kept as a bundle of its own (scripts/build-exe.mjs, `LIBS`), loaded when first used. */
function requireLib(name) {
  let lib = libs.get(name);
  if (lib === undefined) {
    const asset = `lib/${name}.cjs`;
    lib = { exports: {} };
    libs.set(name, lib);
    lib.exports = runBundle(new Script(sourceOf(asset), { filename: asset }), asset).exports;
  }
  return lib.exports;
}

const cache = Buffer.from(getRawAsset('kinship-reflect.cache'));
const main = new Script(sourceOf('kinship-reflect.cjs'), {
  // the name a --verbose stack trace shows, and the one the cache was made under
  filename: 'kinship-reflect.cjs',
  ...(cache.length > 0 ? { cachedData: cache } : {}),
});
// the bundles get this script's require: Node's built-in modules, all that they load
runBundle(main, 'kinship-reflect.cjs');
