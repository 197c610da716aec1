// `node scripts/sea/code-cache.cjs <bundle> <cache> [args…]`, run by scripts/build-exe.mjs with the
// Node of the executable: runs the wrapped bundle as scripts/sea/main.cjs does, with `args` (`--help`),
// and when the process exits writes V8's code cache of every function that run compiled to <cache>.
// The big packages (`__kr_lib`) are read from the lib/ folder beside the bundle.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { Script } = require('node:vm');

const [bundle, cache, ...args] = process.argv.slice(2);

const libs = new Map();
function requireLib(name) {
  if (!libs.has(name)) {
    const file = path.join(path.dirname(bundle), 'lib', `${name.replace('/', '+')}.cjs`);
    const lib = { exports: {} };
    libs.set(name, lib);
    new Script(readFileSync(file, 'utf8'), { filename: `lib/${name}.cjs` }).runInThisContext()(
      lib.exports,
      require,
      lib,
      `lib/${name}.cjs`,
      '.',
      requireLib,
    );
  }
  return libs.get(name).exports;
}

// the same source and name as in the executable: a cache is only used for the script it was made for
const script = new Script(readFileSync(bundle, 'utf8'), { filename: 'kinship-reflect.cjs' });
process.on('exit', () => writeFileSync(cache, script.createCachedData()));
process.argv = [process.argv[0], 'kinship-reflect', ...args];
const main = { exports: {} };
script.runInThisContext()(main.exports, require, main, 'kinship-reflect.cjs', '.', requireLib);
