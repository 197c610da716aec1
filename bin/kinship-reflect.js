#!/usr/bin/env node
// CommonJS (see bin/package.json): on Node 20 starting the ES module loader costs more than the whole
// start-up budget of `--help`, so the entry is a CommonJS bundle (scripts/build.mjs explains).
// dist/boot.cjs turns on Node's compile cache (Node 22.1+) in the tool's private cache folder, then
// loads dist/cli.cjs (src/boot.ts, src/shell/compile-cache.ts).
'use strict';
require('../dist/boot.cjs');
