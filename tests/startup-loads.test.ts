/**
 * What a run loads, checked without a clock (timed tests are flaky; bench/ measures time). The start-up
 * budget (bench/README.md) rests on these: `--help` loads the bin, dist/boot.cjs (which turns on the
 * compile cache) and the entry, a command one or two files more,
 * and `diff`, `status` and `export` to a pipe start none of Node's heavier modules (streams, sockets,
 * node:crypto, node:fs/promises). A change that quietly loads more fails here, with the list.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './helpers/run-cli.ts';

let dir: string;
let hook: string;
let baseline: Set<string>;

interface Loads {
  ours: string[];
  builtins: Set<string>;
  /** The packages of node_modules it loaded (their names). */
  packages: Set<string>;
}

/** At exit the hook writes what the process loaded: our files, and Node's own modules. */
const HOOK = `
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  writeFileSync(process.env.KR_LOADS_OUT, JSON.stringify({
    files: Object.keys(require.cache),
    modules: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)),
  }));
});
`;

async function loads(args: string[], cwd = dir, env: Record<string, string> = {}): Promise<Loads> {
  const out = path.join(dir, `loads-${Math.random().toString(36).slice(2)}.json`);
  const r = await runCli(args, {
    cwd,
    nodeArgs: ['--require', hook],
    env: { XDG_CACHE_HOME: path.join(dir, 'cache'), ...env, KR_LOADS_OUT: out },
  });
  expect(r.code, r.stderr).toBe(0);
  const { files, modules } = JSON.parse(readFileSync(out, 'utf8')) as { files: string[]; modules: string[] };
  const ours = files
    .filter((f) => f.startsWith(repoRoot) && !f.includes('node_modules'))
    .map((f) => path.relative(repoRoot, f).split(path.sep).join('/'))
    .sort();
  const packages = new Set(
    files.flatMap((f) => {
      const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(f);
      return m ? [(m[1] as string).replace(/\\/g, '/')] : [];
    }),
  );
  return { ours, builtins: new Set(modules.filter((m) => !baseline.has(m))), packages };
}

/** Node modules that cost a millisecond or more to load and that these runs must not need. */
const HEAVY = ['crypto', 'internal/fs/promises', 'net', 'stream', 'zlib', 'readline'];

/**
 * Node modules that start-up itself does without: node:module (and the source map module it brings:
 * ~0.3 ms on Node 24) is loaded only when a command imports a package, to turn Node's compile cache on.
 */
const NOT_AT_START = ['module', 'internal/source_map/source_map'];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kr-loads-'));
  hook = path.join(dir, 'hook.cjs');
  writeFileSync(hook, HOOK);
  cpSync(path.join(repoRoot, 'examples', 'exampleshire'), path.join(dir, 'reflections'), { recursive: true });
  // what Node loads for an empty script: not ours to count
  const empty = path.join(dir, 'empty.cjs');
  const out = path.join(dir, 'baseline.json');
  writeFileSync(empty, '');
  const r = await runCli([], {
    cwd: dir,
    bin: empty,
    nodeArgs: ['--require', hook],
    env: { KR_LOADS_OUT: out },
  });
  expect(r.code).toBe(0);
  baseline = new Set((JSON.parse(readFileSync(out, 'utf8')) as { modules: string[] }).modules);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('what a run loads', () => {
  it('--help: the entry with commander in it', async () => {
    const { ours, builtins } = await loads(['--help']);
    expect(ours).toEqual(['bin/kinship-reflect.js', 'dist/boot.cjs', 'dist/cli-full.cjs']);
    expect([...builtins].filter((m) => HEAVY.includes(m) || NOT_AT_START.includes(m))).toEqual([]);
  });

  it.each([
    ['diff', ['diff', '2025-26', '2026-27']],
    ['status', ['status', '--cycle', '2026-27']],
    ['export', ['export', '--cycle', '2026-27', '--format', 'md']],
  ])('%s: its own file and the bank, none of the heavier Node modules', async (name, args) => {
    const { ours, builtins } = await loads(args);
    expect(ours).toEqual([
      'bin/kinship-reflect.js',
      'dist/boot.cjs',
      'dist/cli.cjs',
      `dist/commands/${name}.cjs`,
      'dist/lazy/bank-reflective-tool.cjs',
    ]);
    // export's CRC-32 is WebAssembly (src/core/crc32.ts): node:zlib would bring streams with it
    expect([...builtins].filter((m) => HEAVY.includes(m) || NOT_AT_START.includes(m))).toEqual([]);
  });

  it('export of the working report loads none of the document writers', async () => {
    const { packages } = await loads(['export', '--cycle', '2026-27', '--format', 'md']);
    expect([...packages].filter((p) => /docx|resvg|jszip/.test(p))).toEqual([]);
  });

  it('export --format html: the document writers, but not Word’s packages', async () => {
    const { ours, packages } = await loads(['export', '--cycle', '2026-27', '--format', 'html']);
    expect(ours).toEqual([
      'bin/kinship-reflect.js',
      'dist/boot.cjs',
      'dist/cli.cjs',
      'dist/commands/export.cjs',
      'dist/lazy/bank-reflective-tool.cjs',
      'dist/lazy/export-document.cjs',
    ]);
    expect([...packages].filter((p) => /docx|resvg|jszip/.test(p))).toEqual([]);
  });

  it('export --format docx: docx, jszip and resvg, only there', async () => {
    const out = path.join(dir, 'paper.docx');
    const { ours, packages } = await loads([
      'export',
      '--cycle',
      '2026-27',
      '--format',
      'docx',
      '--out',
      out,
    ]);
    expect(ours).toContain('dist/lazy/export-document.cjs');
    expect([...packages].filter((p) => /docx|resvg|jszip/.test(p)).sort()).toEqual(
      expect.arrayContaining(['@resvg/resvg-js', 'docx', 'jszip']),
    );
  });

  it('the compile cache costs no module of Node’s: the same with it on (cold and warm) and off', async () => {
    const off = await loads(['status', '--cycle', '2026-27'], dir, { NODE_DISABLE_COMPILE_CACHE: '1' });
    const cold = await loads(['status', '--cycle', '2026-27'], dir, {
      XDG_CACHE_HOME: path.join(dir, 'cold'),
    });
    const warm = await loads(['status', '--cycle', '2026-27'], dir, {
      XDG_CACHE_HOME: path.join(dir, 'cold'),
    });
    for (const on of [cold, warm]) {
      expect(on.ours).toEqual(off.ours);
      expect([...on.builtins].filter((m) => !off.builtins.has(m))).toEqual([]);
    }
  });

  it('validate of the built-in YAML bank, unchanged: its compiled data, not the yaml package', async () => {
    const { ours } = await loads(['validate', path.join(repoRoot, 'questions', 'reflective-tool.yaml')]);
    expect(ours).toEqual([
      'bin/kinship-reflect.js',
      'dist/boot.cjs',
      'dist/cli.cjs',
      'dist/commands/validate.cjs',
      'dist/lazy/bank-reflective-tool.cjs',
    ]);
  });

  it('validate of a changed YAML bank loads the yaml package and the bank checks, and parses it', async () => {
    const changed = path.join(dir, 'changed-bank.yaml');
    const text = readFileSync(path.join(repoRoot, 'questions', 'reflective-tool.yaml'), 'utf8');
    writeFileSync(changed, text.replace('\n', '\n# a local note\n'));
    const { ours } = await loads(['validate', changed]);
    expect(ours).toEqual([
      'bin/kinship-reflect.js',
      'dist/boot.cjs',
      'dist/cli.cjs',
      'dist/commands/validate.cjs',
      'dist/lazy/bank-validate.cjs',
      'dist/lazy/yaml.cjs',
    ]);
  });
});
