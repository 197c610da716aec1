#!/usr/bin/env node
// CommonJS (see bin/package.json): on Node 20 starting the ES module loader costs more than the whole
// start-up budget of `--help`, so the entry is a CommonJS bundle (scripts/build.mjs explains).
'use strict';
// Node 22.1+: keep compiled code in the OS temp folder between runs (code only, never user data).
try {
  require('node:module').enableCompileCache?.();
} catch {
  // an unwritable cache only makes start-up slower
}
require('../dist/cli.cjs');
