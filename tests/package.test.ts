/**
 * The package as users get it: `npm pack`, install the tarball into a temporary prefix, and run the
 * installed `kinship-reflect` from outside the repository. A file missing from `files` in
 * package.json, a wrong `bin`, or a dependency that is only a devDependency fails here.
 *
 * Offline and the same on every Node: the tarball is extracted as npm would (into
 * <prefix>/node_modules/kinship-reflect, bin made executable and linked into node_modules/.bin), and
 * the production dependencies named in package-lock.json (those not marked dev) are copied from the
 * repository's node_modules beside it. `npm install <tarball> --offline` was tried first and is not
 * dependable: npm picks dependency versions by the running Node's version and the state of the
 * cache, so on Node 22 it wanted versions `npm ci` had never cached. The package itself is the
 * packed copy, so a file missing from `files` still fails here, as does a dependency that is only a
 * devDependency.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { publint } from 'publint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, distEntry, repoRoot, runCli } from './helpers/run-cli.ts';

const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  engines: { node: string };
};

let dir: string;
let installed: string; // <prefix>/node_modules/kinship-reflect, extracted from the tarball
let linkedBin: string; // <prefix>/node_modules/.bin/kinship-reflect
let work: string; // a folder outside the repository, the cwd of every run

function npm(args: string[], cwd: string) {
  const r = spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: childEnv({
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    }),
  });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  if (!existsSync(distEntry)) throw new Error('dist/ is missing: run `npm run build` before this test');
  dir = await mkdtemp(join(tmpdir(), 'kinship-reflect-package-'));
  work = join(dir, 'work');
  await mkdir(work);
  const packed = JSON.parse(
    npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], repoRoot),
  ) as {
    filename: string;
  }[];
  const tarball = join(dir, packed[0]?.filename ?? 'missing.tgz');
  const modules = join(dir, 'prefix', 'node_modules');
  installed = join(modules, 'kinship-reflect');
  await mkdir(installed, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], {
    encoding: 'utf8',
  });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; link?: boolean; optional?: boolean }>;
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    // top-level packages only: nested node_modules come along with their parent
    if (!/^node_modules\/(@[^/]+\/)?[^/]+$/.test(key) || entry.dev || entry.devOptional || entry.link)
      continue;
    // an optional dependency for another platform (resvg's prebuilt binaries) is not installed here
    if (entry.optional && !existsSync(join(repoRoot, key))) continue;
    await cp(join(repoRoot, key), join(dir, 'prefix', key), { recursive: true });
  }
  // what npm does with "bin": make it executable and link it into node_modules/.bin
  const bin = join(installed, pkg.bin['kinship-reflect'] ?? 'bin/kinship-reflect.js');
  await chmod(bin, 0o755);
  await mkdir(join(modules, '.bin'));
  linkedBin = join(modules, '.bin', 'kinship-reflect');
  await symlink(relative(join(modules, '.bin'), bin), linkedBin);
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const run = (args: string[], input?: string) =>
  runCli(args, {
    bin: join(installed, 'bin', 'kinship-reflect.js'),
    cwd: work,
    ...(input === undefined ? {} : { input }),
  });

describe('the installed package', () => {
  it('is a copy outside the repository, not a link into it', async () => {
    const real = await realpath(installed);
    expect(real.startsWith(await realpath(repoRoot))).toBe(false);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'tests'))).toBe(false);
  });

  it('runs through the bin link and its shebang: --version is the package version', () => {
    // the shebang finds `node` on PATH: put the Node running this test first
    const r = spawnSync(linkedBin, ['--version'], {
      cwd: work,
      encoding: 'utf8',
      timeout: 15_000,
      env: childEnv({ PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` }),
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('questions --json lists every item of the Reflective Tool', async () => {
    const r = await run(['questions', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const items = JSON.parse(r.stdout) as { id: string; text: string; tags: string[] }[];
    expect(items.length).toBeGreaterThanOrEqual(119);
    expect(items[0]?.id).toBe('assess.carers.demographics');
  });

  it('validates its own built-in bank', async () => {
    const r = await run(['validate', join(installed, 'questions', 'reflective-tool.yaml')]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
  });

  it('init, a plain interview answering one item from piped stdin, then export', async () => {
    const ws = join(work, 'reflections');
    const init = await run(['init', '--dir', ws, '--authority', 'Exampleshire County Council']);
    expect(init.code, init.stderr).toBe(0);

    // plain protocol: "a" = write an answer; the text, ended by an empty line; "g" = rated green
    const answer = 'About 64% of our kinship carers are grandparents.';
    const interview = await run(
      ['interview', '--plain', '--dir', ws, '--cycle', '2026-27', '--stage', 'assess'],
      `a\n${answer}\n\ng\n`,
    );
    expect(interview.timedOut).toBe(false);
    expect(interview.code, interview.stderr).toBe(0);
    expect(interview.stderr).toMatch(/Question 1 of \d+/);

    const cycle = JSON.parse(await readFile(join(ws, '2026-27.json'), 'utf8')) as {
      answers: Record<string, { status: string; text?: string[]; rating?: string }>;
    };
    expect(cycle.answers['assess.carers.demographics']).toMatchObject({
      status: 'answered',
      text: [answer],
      rating: 'green',
    });

    const exported = await run(['export', '--dir', ws, '--cycle', '2026-27', '--format', 'md']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(answer);
    expect(exported.stdout).toContain('Exampleshire County Council');
  });
});

describe('package.json', () => {
  it('publint finds nothing to fix', async () => {
    const { messages } = await publint({ pkgDir: repoRoot, strict: true });
    expect(messages).toEqual([]);
  });

  it('allowScripts covers every dependency with an install script, so npm ci warns about none', async () => {
    // npm 11 warns on every install about packages whose install scripts its allowScripts policy does
    // not cover; a newcomer cannot tell whether to act on it. Each such package is reviewed here.
    const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([where]) => where.replace(/^.*node_modules\//, ''));
    expect(withScripts.length).toBeGreaterThan(0);
    const allowed = (pkg as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
    for (const name of withScripts) expect(allowed[name], name).toBe(true);
  });

  it('engines names exactly the Node versions .ci/run tests: 20 (the machine), 22, 24 and 26', async () => {
    const majors = pkg.engines.node.split('||').map((range) => /^\s*\^(\d+)\./.exec(range)?.[1]);
    expect(majors).toEqual(['20', '22', '24', '26']);
    const ci = await readFile(join(repoRoot, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/for major in 22 24 26; do/);
    expect(ci).toContain(`npx -y -p "node@\${major}" -- node node_modules/vitest/vitest.mjs run`);
    expect(ci).toMatch(/^npm test$/m);
  });
});
