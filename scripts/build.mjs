// Build: bundle src/ with esbuild (code-split so each command loads only when it runs), after
// compiling the built-in banks and the schema validators (scripts/compile-assets.ts).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

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

// Start-up speed (bench/: `--help` within 1.35× of `node -e 0`) shapes the layout of dist/:
// - dist/cli.cjs, the entry: src/main.ts, src/cli.ts and commander bundled as one CommonJS file,
//   required by a CommonJS bin shim. On Node 20 the ES module loader alone costs more than the whole
//   budget, so `--help` and `--version` never start it; a bundled commander also saves resolving and
//   reading its six files, and its `child_process` (for executable subcommands, unused) loads lazily.
// - dist/commands/*.js, dist/shell/report-error.js, dist/chunks/*.js: every module the entry loads
//   with `await import()`, built as code-split ES modules, so each command loads only what it needs.
const define = { __VERSION__: JSON.stringify(pkg.version) };
// Packages bundled into dist/ instead of loaded from node_modules at run time: commander (into the
// entry) and yaml (into the chunks that parse YAML) — yaml's ES build is some sixty files, and
// resolving them cost more than parsing the bank. Their licences go to dist/THIRD-PARTY-LICENSES.md.
// Everything in `dependencies` stays external; these two are devDependencies for that reason.
const BUNDLED = ['commander', 'yaml'];
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
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [
    {
      name: 'lazy-modules',
      setup(b) {
        // `await import('./commands/x.ts')` becomes `import('./commands/x.js')`, an entry of the ESM build
        b.onResolve({ filter: /^\./, namespace: 'file' }, (args) => {
          if (args.kind !== 'dynamic-import') return undefined;
          const file = path.resolve(args.resolveDir, args.path);
          lazyEntries.add(path.relative(root, file));
          const out = path.relative(path.join(root, 'src'), file).replace(/\.ts$/, '.js');
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
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.17',
  external: runtimeExternal,
  // bundled CommonJS code (yaml's `require('process')`) needs a real `require` inside an ES module
  banner: {
    js: "import { createRequire as __kr_createRequire } from 'node:module'; const require = __kr_createRequire(import.meta.url);",
  },
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  define,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});

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
