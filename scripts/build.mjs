// Build: bundle src/ with esbuild (one file per command, so each command loads only what it needs),
// after compiling the built-in banks and the schema validators (scripts/compile-assets.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { lazyChildProcess } from './lazy-child-process.mjs';
import { asciiOnly } from './sea/ascii.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const root = new URL('..', import.meta.url).pathname;

// Node 20 cannot import .ts, so the asset compiler is bundled to a temporary module first.
const compiler = `${root}node_modules/.cache/kinship-reflect/compile-assets.mjs`;
await build({
  absWorkingDir: root,
  entryPoints: ['scripts/compile-assets.ts'],
  outfile: compiler,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.17',
  packages: 'external',
  logLevel: 'warning',
});
const { compileAssets } = await import(`${pathToFileURL(compiler).href}?t=${Date.now()}`);
try {
  await compileAssets(root);
} catch (error) {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

rmSync(`${root}dist`, { recursive: true, force: true });

// Start-up speed (bench/: `--help` within 1.35× of `node -e 0`, `diff` and `export` within 1.6×) shapes
// the layout of dist/. Everything is CommonJS, and a command is as few files as possible:
// - On Node 20 the ES module loader costs ~15 ms more than `require` for the same code (it resolves,
//   reads and links each module asynchronously): a third of a command's whole budget.
// - Each file `require`d costs its own resolution (a walk up the folders for package.json), read
//   and compile; a code-split build made `diff` load 18 files, and the path handling alone got hot
//   enough for V8 to optimise it.
// So:
// - dist/boot.cjs, required by the CommonJS bin shim: turns the code caches on (src/boot.ts) and loads
//   the rest of dist/ through them. Built last, with a hash of everything else as the cache's key.
// - dist/cli.cjs, the entry: src/main.ts, src/cli.ts, the command spec and src/plain-call.ts, which
//   reads a plain command line without commander (~2.5 ms less on Node 22–26).
// - dist/cli-commander.cjs: commander and the program built from the spec, for help, errors and
//   anything else src/plain-call.ts leaves to it. Its `child_process` (for executable subcommands,
//   unused) loads lazily.
// - dist/commands/<name>.cjs (and the few other modules the entry loads with `await import()`):
//   each bundled on its own with everything it imports, its own `await import()`s included (esbuild
//   wraps those so they run only when imported).
// - dist/lazy/: what is big and needed only sometimes, required when first used: the yaml package
//   (only for custom banks, `validate` and an unusual workspace file), each built-in bank's data,
//   and the document writers of `export` (HTML, Word; Word's packages stay in node_modules).
// Modules bundled into more than one command exist once per command file; only one command runs in
// a process, and our error classes are recognised across copies (src/core/errors.ts).
// `__SINGLE_EXECUTABLE__` is true only in scripts/build-exe.mjs's bundle: code for the executable alone
// (the WebAssembly chart renderer) is left out of dist/ as dead code
const define = { __VERSION__: JSON.stringify(pkg.version), __SINGLE_EXECUTABLE__: 'false' };
// Packages bundled into dist/ instead of loaded from node_modules at run time: commander (into the
// entry) and yaml (its ES build is some sixty files, and resolving them cost more than parsing the
// bank). Their licences go to dist/THIRD-PARTY-LICENSES.md. Everything in `dependencies` stays
// external (chalk and @inquirer/prompts: ES modules, loaded with `import()` only when needed); the
// bundled ones are devDependencies for that reason.
const BUNDLED = ['commander', 'yaml'];
const runtimeExternal = Object.keys(pkg.dependencies ?? {}).flatMap((name) => [name, `${name}/*`]);
const dist = path.join(root, 'dist');
const posix = (p) => p.split(path.sep).join('/');
/**
 * Every file of dist/ but boot.cjs is one function expression, which dist/boot.cjs compiles as read
 * (WRAPPER in src/shell/code-cache-loader.ts, which refuses a file that does not begin so): Node's
 * CommonJS wrapper with `__kr_import` added.
 */
const WRAPPER = '(function (exports, require, module, __filename, __dirname, __kr_import) {';
const wrapped = (text) => `${WRAPPER}${text}\n})`;

/** Where a module of src/ loaded with `await import()` is written: dist/<same path>.cjs. */
const outFileOf = (srcFile) =>
  path.join(dist, path.relative(path.join(root, 'src'), srcFile).replace(/\.ts$/, '.cjs'));

/** The files of dist/lazy/: a name, and the module or package it is built from. */
const LAZY = new Map([
  ['yaml', 'yaml'],
  ...['bank-reflective-tool', 'bank-elected-members'].map((name) => [name, `./src/generated/${name}.ts`]),
  // the documents for people (export --format html|docx, --summary): parsed only when asked for
  ['export-document', './src/commands/export-document.ts'],
  // a bank file's checks (its schema's validator, the YAML reader's checks): only for a custom bank
  // and `validate`; 110 KB that every command reading a cycle read and compiled for nothing
  ['bank-validate', './src/core/bank-validate.ts'],
]);

/**
 * A stand-in for a file of dist/ built on its own: a module whose only code is `require` of that
 * file, relative to `outDir` (where the bundle being built goes). esbuild bundles the stand-in, so an
 * `import()` of it becomes a promise of the `require`, with the same named exports.
 */
function standIn(outDir, file) {
  const rel = posix(path.relative(outDir, file));
  return { path: rel.startsWith('.') ? rel : `./${rel}`, namespace: 'require-built' };
}

/** Registers how stand-ins load: `require` of the built file, which is not bundled. */
function loadStandIns(b) {
  b.onLoad({ filter: /.*/, namespace: 'require-built' }, (args) => ({
    contents: `module.exports = require(${JSON.stringify(args.path)});`,
    loader: 'js',
  }));
  b.onResolve({ filter: /\.cjs$/, namespace: 'require-built' }, (args) => ({
    path: args.path,
    external: true,
  }));
}

/** An esbuild plugin: the yaml package and the modules of dist/lazy/ are required, not bundled. */
function requireLazyFiles(outDir) {
  const lazyBySource = new Map(
    [...LAZY].map(([name, from]) => [from.startsWith('./') ? path.join(root, from) : from, name]),
  );
  return {
    name: 'require-lazy-files',
    setup(b) {
      b.onResolve({ filter: /^yaml$/ }, () => standIn(outDir, path.join(dist, 'lazy', 'yaml.cjs')));
      b.onResolve({ filter: /^\./, namespace: 'file' }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const lazy = lazyBySource.get(path.resolve(args.resolveDir, args.path));
        return lazy ? standIn(outDir, path.join(dist, 'lazy', `${lazy}.cjs`)) : undefined;
      });
      loadStandIns(b);
    },
  };
}

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.17',
  external: runtimeExternal,
  // names are kept, so that a --verbose stack trace names our functions (no measurable start-up
  // cost against full minification; dist/ 2.0 → 2.6 MB)
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

// The entry. Its `await import()`s name the modules built as files of their own below.
const lazyEntries = new Set();
/**
 * The entry, `dist/<name>.cjs`: src/main.ts with each `await import('./x.ts')` a file of its own
 * (dist/x.cjs), except those in `inline`, bundled in.
 */
const buildEntry = (name, inline) =>
  build({
    ...common,
    entryPoints: { [name]: 'src/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    define,
    plugins: [
      {
        name: 'entry-dynamic-imports',
        setup(b) {
          b.onResolve({ filter: /^\./, namespace: 'file' }, (args) => {
            if (args.kind !== 'dynamic-import') return undefined;
            const file = path.resolve(args.resolveDir, args.path);
            if (inline.includes(file)) return undefined;
            lazyEntries.add(file);
            return standIn(dist, outFileOf(file));
          });
          loadStandIns(b);
        },
      },
      lazyChildProcess,
    ],
  });
const commanderModule = path.join(root, 'src', 'cli-commander.ts');
const entryBuild = await buildEntry('cli', []);
// For command lines that go to commander (help, --version, no command, a typo), as src/boot.ts
// decides: the entry with src/cli-commander.ts in it, one file to load instead of two (--help on
// Node 26: ~1.5 ms less, bench/).
await buildEntry('cli-full', [commanderModule]);
for (const name of ['cli', 'cli-full']) {
  const file = path.join(dist, `${name}.cjs`);
  writeFileSync(file, wrapped(readFileSync(file, 'utf8')));
}

// A command whose module is missing fails when it runs; .ci/run sets KINSHIP_REFLECT_STRICT_BUILD=1
// so that a missing module fails the build there instead.
const missing = [...lazyEntries].filter((f) => !existsSync(f));
if (missing.length > 0) {
  const names = missing.map((f) => posix(path.relative(root, f)));
  const message = `${names.join(', ')} ${names.length === 1 ? 'does' : 'do'} not exist (imported lazily by src/cli.ts)`;
  if (process.env.KINSHIP_REFLECT_STRICT_BUILD === '1') {
    console.error(`build failed: ${message}`);
    process.exit(1);
  }
  console.warn(`build: warning: ${message}; those commands will fail when run`);
}
const commandFiles = [...lazyEntries].filter((f) => !missing.includes(f));

/**
 * Bundle one module as a CommonJS file. `import.meta.url` (ES modules only) becomes the file's own
 * URL; ES modules are strict, so their CommonJS versions are too.
 */
async function buildFile(entry, outfile, plugins) {
  const result = await build({
    ...common,
    entryPoints: [entry],
    outfile,
    define: { ...define, 'import.meta.url': '__kr_module_url' },
    plugins,
    write: false,
  });
  const [output] = result.outputFiles;
  const prelude = ['"use strict";'];
  if (output.text.includes('__kr_module_url'))
    prelude.push('var __kr_module_url=require("node:url").pathToFileURL(__filename).href;');
  // `import()` of an ES module package (chalk, @inquirer/prompts) goes through `__kr_import`, which
  // dist/boot.cjs passes in when it loads the file with its code cache (src/shell/code-cache-loader.ts):
  // code compiled by node:vm cannot call `import()` itself without an experimental option. Loaded by
  // Node's own `require` (Node 20, or the cache off), the file does the `import()` itself.
  let text = output.text;
  const imported = runtimeExternal.filter((name) => text.includes(`import(${JSON.stringify(name)})`));
  for (const name of imported)
    text = text.split(`import(${JSON.stringify(name)})`).join(`__krImport(${JSON.stringify(name)})`);
  if (imported.length > 0)
    prelude.push('var __krImport=typeof __kr_import=="function"?__kr_import:(s=>import(s));');
  if (/[^.\w]import\(/.test(text.replace(/__krImport\(/g, '')))
    throw new Error(`${posix(path.relative(root, outfile))} has an import() that dist/boot.cjs cannot serve`);
  mkdirSync(path.dirname(outfile), { recursive: true });
  // ASCII, so that Node reads the file into a one-byte string without decoding UTF-8: export.cjs
  // (280 KB, with a few regular expressions holding ’ or –) took ~1 ms to read, ~0.1 ms as ASCII
  text = asciiOnly(text, console.warn, 'build');
  writeFileSync(outfile, wrapped(`${prelude.join('')}\n${text}`));
  return result.metafile;
}

let lazyMetafiles;
try {
  lazyMetafiles = await Promise.all([
    ...commandFiles.map((file) => {
      const outfile = outFileOf(file);
      return buildFile(file, outfile, [requireLazyFiles(path.dirname(outfile)), lazyChildProcess]);
    }),
    ...[...LAZY].map(([name, from]) => {
      const outfile = path.join(dist, 'lazy', `${name}.cjs`);
      // a lazy file bundles its package or module itself, not a stand-in for it
      const plugins = from === name ? [] : [requireLazyFiles(path.dirname(outfile))];
      return buildFile(from, outfile, plugins);
    }),
  ]);
} catch (error) {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

// The entry must stay tiny: only the command spec (data, and the core's constants it names), the
// plain reader of the command line and the wiring. Not commander: a plain command line never needs it.
const entryInputs = Object.keys(entryBuild.metafile.inputs).filter(
  (f) => !f.startsWith('lazy:') && !f.startsWith('require-built:'),
);
const allowed =
  /^(src\/(main|cli|plain-call|plain-spec|command-flags)\.ts|src\/generated\/plain-spec\.ts|src\/shell\/context\.ts)$/;
const unexpected = entryInputs.filter((f) => !allowed.test(f));
if (unexpected.length > 0) {
  console.error(
    `build failed: src/main.ts and src/cli.ts may import only src/plain-call.ts (with the spec it reads, src/generated/plain-spec.ts) and src/shell/context.ts up front;\n  ${unexpected.join(
      '\n  ',
    )}\nis imported statically: load it with \`await import()\` inside the command that needs it.`,
  );
  process.exit(1);
}
// dist/lazy/ exists so that nothing bundles the yaml package or a bank's data: check
const heavy = /^(node_modules\/yaml\/|src\/generated\/bank-(reflective-tool|elected-members)\.ts)/;
for (const [i, meta] of lazyMetafiles.entries()) {
  const [out] = Object.keys(meta.outputs);
  const inputs = Object.keys(meta.inputs).filter((f) => heavy.test(f));
  if (i < commandFiles.length && inputs.length > 0) {
    console.error(`build failed: ${out} bundles ${inputs[0]} (it belongs in dist/lazy/)`);
    process.exit(1);
  }
}

// dist/boot.cjs, what the bin requires: it turns on Node's compile cache (src/shell/compile-cache.ts),
// then requires dist/cli.cjs. It is built last because it carries the build's id, a hash of everything
// else in dist/, which keys the cache: a new build never reads entries compiled from an old one.
const hash = createHash('sha256').update(pkg.version);
// the loader's own sources too: a change in how entries are made is a new build
for (const file of ['src/boot.ts', 'src/shell/compile-cache.ts', 'src/shell/code-cache-loader.ts']) {
  hash.update(`\0${file}\0`).update(readFileSync(path.join(root, file)));
}
for (const file of readdirSync(dist, { recursive: true }).map(posix).sort()) {
  if (!file.endsWith('.cjs')) continue;
  hash.update(`\0${file}\0`).update(readFileSync(path.join(dist, file)));
}
const buildId = hash.digest('hex').slice(0, 12);
const bootBuild = await build({
  ...common,
  entryPoints: { boot: 'src/boot.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  define: { ...define, __BUILD_ID__: JSON.stringify(buildId) },
  external: [...common.external, './cli.cjs', './cli-full.cjs'],
});
const bootInputs = Object.keys(bootBuild.metafile.inputs).filter(
  (f) => !/^src\/(boot|shell\/compile-cache|shell\/code-cache-loader)\.ts$/.test(f),
);
if (bootInputs.length > 0) {
  console.error(
    `build failed: src/boot.ts runs before the compile cache is on and may import only src/shell/compile-cache.ts and src/shell/code-cache-loader.ts;\n  ${bootInputs.join('\n  ')}`,
  );
  process.exit(1);
}

// The licences of the bundled packages travel with the code that contains them.
const notices = [
  '# Third-party licences',
  '',
  'dist/ contains code from these packages, bundled at build time.',
  '',
];
for (const name of BUNDLED) {
  const dir = path.join(root, 'node_modules', name);
  const meta = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const licence = readFileSync(path.join(dir, 'LICENSE'), 'utf8').trim();
  notices.push(`## ${name} ${meta.version} (${meta.license})`, '', '```text', licence, '```', '');
}
writeFileSync(path.join(root, 'dist', 'THIRD-PARTY-LICENSES.md'), notices.join('\n'));
