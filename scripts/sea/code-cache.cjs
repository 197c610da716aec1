// `node scripts/sea/code-cache.cjs <bundle> <cache> [args…]`, run by scripts/build-exe.mjs with the
// Node of the executable: runs the wrapped bundle as scripts/sea/main.cjs does, with `args` (`--help`),
// and when the process exits writes V8's code cache of every function that run compiled to <cache>.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');

const [bundle, cache, ...args] = process.argv.slice(2);
// the same source and name as in the executable: a cache is only used for the script it was made for
const script = new Script(readFileSync(bundle, 'utf8'), { filename: 'kinship-reflect.cjs' });
process.on('exit', () => writeFileSync(cache, script.createCachedData()));
process.argv = [process.argv[0], 'kinship-reflect', ...args];
script.runInThisContext()(module.exports, require, module, 'kinship-reflect.cjs', '.');
