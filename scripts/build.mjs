// Build: bundle src/ with esbuild (code-split so each command loads only when it runs), after
// compiling the built-in banks and the schema validators (scripts/compile-assets.ts).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, transform } from 'esbuild';

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
// the layout of dist/. Everything is CommonJS: on Node 20 the ES module loader costs ~15 ms more than
// `require` for the same code (it resolves, reads and links each module asynchronously), which is a
// third of a command's whole budget.
// - dist/cli.cjs, the entry: src/main.ts, src/cli.ts and commander bundled as one file, required by
//   the CommonJS bin shim. A bundled commander saves resolving and reading its six files, and its
//   `child_process` (for executable subcommands, unused) loads lazily.
// - dist/commands/*.cjs, dist/shell/report-error.cjs, dist/chunks/*.cjs: every module the entry loads
//   with `await import()`. esbuild code-splits only ES modules, so they are built code-split as ES
//   modules first, then each file is converted to CommonJS (convertChunk below), so each command
//   still loads only what it needs.
const define = { __VERSION__: JSON.stringify(pkg.version) };
// Packages bundled into dist/ instead of loaded from node_modules at run time: commander (into the
// entry), yaml (into the chunks that parse YAML; its ES build is some sixty files, and resolving them
// cost more than parsing the bank) and diff (resolving its `exports` map alone cost ~3 ms of `diff`).
// Their licences go to dist/THIRD-PARTY-LICENSES.md. Everything in `dependencies` stays external
// (chalk and @inquirer/prompts: ES modules, loaded with `import()` only when needed); the bundled
// ones are devDependencies for that reason.
const BUNDLED = ['commander', 'yaml', 'diff'];
const runtimeExternal = Object.keys(pkg.dependencies ?? {}).flatMap((name) => [name, `${name}/*`]);
const lazyEntries = new Set();
const entryBuild = await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.17',
  external: runtimeExternal,
  define,
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [
    {
      name: 'lazy-modules',
      setup(b) {
        // `await import('./commands/x.ts')` becomes `import('./commands/x.cjs')`, an entry of the lazy build
        b.onResolve({ filter: /^\./, namespace: 'file' }, (args) => {
          if (args.kind !== 'dynamic-import') return undefined;
          const file = path.resolve(args.resolveDir, args.path);
          lazyEntries.add(path.relative(root, file));
          const out = path.relative(path.join(root, 'src'), file).replace(/\.ts$/, '.cjs');
          return { path: `./${out.split(path.sep).join('/')}`, external: true };
        });
        b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
          args.importer.includes(`${path.sep}commander${path.sep}`)
            ? { path: 'child_process', namespace: 'lazy' }
            : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
          contents:
            "let cp; module.exports = new Proxy({}, { get: (_, key) => (cp ??= require('node:child_process'))[key] });",
          loader: 'js',
        }));
      },
    },
  ],
});
// A command whose module is missing fails when it runs; .ci/run sets KINSHIP_REFLECT_STRICT_BUILD=1
// so that a missing module fails the build there instead.
const missing = [...lazyEntries].filter((f) => !existsSync(path.join(root, f)));
if (missing.length > 0) {
  const message = `${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist (imported lazily by src/cli.ts)`;
  if (process.env.KINSHIP_REFLECT_STRICT_BUILD === '1') {
    console.error(`build failed: ${message}`);
    process.exit(1);
  }
  console.warn(`build: warning: ${message}; those commands will fail when run`);
}
const lazyBuild = await build({
  absWorkingDir: root,
  entryPoints: [...lazyEntries].filter((f) => !missing.includes(f)).map((f) => `./${f}`),
  outbase: 'src',
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.17',
  external: runtimeExternal,
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  // `import.meta` does not exist in CommonJS: convertChunk defines this from `__filename`
  define: { ...define, 'import.meta.url': '__kr_module_url' },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  write: false,
});

// A dynamic `import("./x.cjs")` of one of our own chunks (the build writes exactly this form).
const LOCAL_IMPORT = /\bimport\(("|')(\.{1,2}\/[^"'\\]+\.cjs)\1\)/g;

/**
 * An ES module of the lazy build as CommonJS. Imports of other chunks become `require`, so Node never
 * starts its ES module loader for them; `import()` of a chunk becomes a promise of its `require`
 * (same exports: esbuild's CommonJS exports object carries every named export and `default`), while
 * `import()` of an external package stays a real `import()` — chalk and @inquirer/prompts are ES
 * modules, which `require` cannot load on Node 20.17.
 * @param {string} code @param {string} file @param {string[]} localDynamic chunks it imports lazily
 */
async function convertChunk(code, file, localDynamic) {
  const converted = await transform(code, {
    format: 'cjs',
    platform: 'node',
    target: 'node20.17',
    minify: true,
    legalComments: 'none',
    sourcefile: file,
    logLevel: 'warning',
  });
  const out = converted.code.replace(
    LOCAL_IMPORT,
    (_, q, spec) => `Promise.resolve().then(()=>require(${q}${spec}${q}))`,
  );
  const left = out.match(/\bimport\(\s*[^)]{0,80}/g)?.filter((m) => !/^import\(\s*["'][^."']/.test(m)) ?? [];
  const lost = localDynamic.filter((spec) => !out.includes(`require("${spec}")`));
  if (left.length > 0 || lost.length > 0) {
    throw new Error(
      `${file}: could not turn every import() of a chunk into require (${[...left, ...lost].join(', ')})`,
    );
  }
  // ES modules are strict; so are their CommonJS versions
  const prelude = ['"use strict";'];
  if (out.includes('__kr_module_url'))
    prelude.push('var __kr_module_url=require("node:url").pathToFileURL(__filename).href;');
  return `${prelude.join('')}\n${out}`;
}

for (const output of lazyBuild.outputFiles) {
  const rel = path.relative(root, output.path).split(path.sep).join('/');
  const meta = lazyBuild.metafile.outputs[rel];
  if (!meta) throw new Error(`build: ${rel} is missing from the metafile`);
  const localDynamic = meta.imports
    .filter((i) => i.kind === 'dynamic-import' && !i.external)
    .map((i) => {
      const spec = path.relative(path.dirname(rel), i.path).split(path.sep).join('/');
      return spec.startsWith('.') ? spec : `./${spec}`;
    });
  let code;
  try {
    code = await convertChunk(output.text, rel, localDynamic);
  } catch (error) {
    console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  mkdirSync(path.dirname(output.path), { recursive: true });
  writeFileSync(output.path, code);
}

// The entry's own `import()` of each command, likewise.
{
  const entryFile = path.join(root, 'dist', 'cli.cjs');
  const code = readFileSync(entryFile, 'utf8');
  const out = code.replace(
    LOCAL_IMPORT,
    (_, q, spec) => `Promise.resolve().then(() => require(${q}${spec}${q}))`,
  );
  const left = out.match(/\bimport\(\s*["']\./g);
  if (left) {
    console.error(`build failed: dist/cli.cjs still has ${left.length} import() of a chunk`);
    process.exit(1);
  }
  writeFileSync(entryFile, out);
}

// The entry must stay tiny: only commander and the wiring. A module in both builds would exist twice
// at run time, and a class in it (UsageError…) would fail `instanceof` across the two copies.
const entryInputs = Object.keys(entryBuild.metafile.inputs).filter((f) => !f.startsWith('lazy:'));
const allowed = /^(src\/(main|cli)\.ts|src\/shell\/context\.ts|node_modules\/commander\/.*)$/;
const unexpected = entryInputs.filter((f) => !allowed.test(f));
const shared = entryInputs.filter((f) => f in lazyBuild.metafile.inputs && f !== 'src/shell/context.ts');
if (unexpected.length > 0 || shared.length > 0) {
  console.error(
    `build failed: src/main.ts and src/cli.ts may import only commander and src/shell/context.ts up front;\n  ${[
      ...new Set([...unexpected, ...shared]),
    ].join(
      '\n  ',
    )}\nis imported statically: load it with \`await import()\` inside the command that needs it.`,
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
