import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ALLOW_FILE, check } from '../src/commands/check.ts';
import { FailureError, UsageError } from '../src/core/errors.ts';
import { fingerprintOf } from '../src/core/pii.ts';
import { SALT_FILE } from '../src/shell/allow-salt.ts';
import type { CommandContext } from '../src/shell/context.ts';
import { HOOK_MARKER, installHook } from '../src/shell/git-hook.ts';
import { generateNhsNumber, seededRandom } from './helpers/pii-corpus.ts';
import { distEntry, runCli } from './helpers/run-cli.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const NHS = generateNhsNumber(seededRandom(42));
const NHS_SPACED = `${NHS.slice(0, 3)} ${NHS.slice(3, 6)} ${NHS.slice(6)}`;

/** Git isolated from the user's configuration, so hooksPath, signing or templates cannot interfere. */
let gitHome = '';
function gitEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: gitHome,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: path.join(gitHome, '.gitconfig'),
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    KINSHIP_REFLECT_TODAY: '2026-01-15',
    NO_COLOR: '1',
  };
}
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8' });
}

interface Harness {
  ctx: CommandContext;
  out: () => string;
  err: () => string;
}
function harness(cwd: string, dir: string | undefined, env: NodeJS.ProcessEnv = gitEnv()): Harness {
  const capture = () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c: Buffer) => {
      text += c.toString('utf8');
    });
    return { stream, text: () => text };
  };
  const stdout = capture();
  const stderr = capture();
  const stdin = new PassThrough();
  stdin.end();
  return {
    ctx: {
      stdout: stdout.stream,
      stderr: stderr.stream,
      stdin,
      env,
      cwd,
      today: () => '2026-01-15',
      global: dir === undefined ? {} : { dir },
    },
    out: stdout.text,
    err: stderr.text,
  };
}

function cycleJson(answerLines: string[], extra: Record<string, unknown> = {}): string {
  const cycle = {
    format: 1,
    cycle: '2026-27',
    authority: 'Exampleshire County Council',
    bank: { id: 'reflective-tool', version: '1.0.0' },
    priorities: [{ recommendation: 'R1', rationale: ['Carers asked for help navigating support.'] }],
    answers: {
      'assess.carers.demographics': { status: 'answered', text: answerLines, changed: '2026-01-15' },
      'assess.carers.count': { status: 'answered', text: ['Around 240 households.'], changed: '2026-01-15' },
    },
    actions: [],
    ...extra,
  };
  return `${JSON.stringify(cycle, null, 2)}\n`;
}

const CLEAN = cycleJson(['64% of carers are grandparents.', '12 SGO households since 2019.']);
const DIRTY = cycleJson(['64% of carers are grandparents.', `One child (NHS ${NHS_SPACED}) moved twice.`]);

let tmp = '';
beforeAll(async () => {
  gitHome = await mkdtemp(path.join(tmpdir(), 'kinship-reflect-githome-'));
  await writeFile(path.join(gitHome, '.gitconfig'), '[init]\n\tdefaultBranch = main\n');
});
afterAll(async () => {
  await rm(gitHome, { recursive: true, force: true });
});
afterEach(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
  tmp = '';
});

async function workspace(files: Record<string, string>): Promise<string> {
  tmp = await mkdtemp(path.join(tmpdir(), 'kinship-reflect-check-'));
  const ws = path.join(tmp, 'reflections');
  await mkdir(ws, { recursive: true });
  await writeFile(path.join(ws, 'kinship-reflect.yaml'), 'authority: "Exampleshire County Council"\n');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(ws, name)), { recursive: true });
    await writeFile(path.join(ws, name), text);
  }
  return ws;
}

describe('check on files', () => {
  it('exits 0 on a clean workspace and says how many files it read', async () => {
    const ws = await workspace({
      '2026-27.json': CLEAN,
      '2026-27.md': '# Report\n\n64% of carers are grandparents.\n',
    });
    const h = harness(tmp, ws);
    expect(await check({}, h.ctx)).toBe(0);
    expect(h.out()).toBe('');
    expect(h.err()).toContain('No personal data found in 2 files.');
  });

  it('exits 3 on an NHS number and points at its line and column in the file, masked', async () => {
    const ws = await workspace({ '2026-27.json': DIRTY });
    const h = harness(tmp, ws);
    expect(await check({}, h.ctx)).toBe(3);
    const lines = DIRTY.split('\n');
    const line = lines.findIndex((l) => l.includes(NHS_SPACED)) + 1;
    const column = (lines[line - 1] ?? '').indexOf(NHS_SPACED) + 1;
    const out = h.out().trim();
    expect(out).toMatch(
      new RegExp(
        `^reflections/2026-27\\.json:${line}:${column} item "assess\\.carers\\.demographics": possible NHS number "${NHS[0]}•• ••• •••${NHS[9]}" \\(fingerprint [0-9a-f]{16}\\)$`,
      ),
    );
    expect(out).not.toContain(NHS_SPACED);
    expect(h.err()).toContain('kinship-reflect check --dir');
    expect(h.err()).toContain('--allow <fingerprint>');
  });

  it('prints one JSON document with --json', async () => {
    const ws = await workspace({ '2026-27.json': DIRTY, 'notes/other.md': `Call 07700 900123\n` });
    const h = harness(tmp, ws);
    expect(await check({ json: true }, h.ctx)).toBe(3);
    const doc = JSON.parse(h.out()) as { findings: Array<Record<string, unknown>>; files: number };
    expect(doc.files).toBe(2);
    expect(doc.findings.map((f) => [f.file, f.kind, f.item ?? null, f.line])).toEqual([
      [
        path.join('reflections', '2026-27.json'),
        'nhs-number',
        'assess.carers.demographics',
        expect.any(Number),
      ],
      [path.join('reflections', 'notes', 'other.md'), 'phone', null, 1],
    ]);
    expect(h.out()).not.toContain('900123');
  });

  it('lets a reviewed fingerprint through, keeping only the fingerprint in the allow list', async () => {
    const ws = await workspace({ '2026-27.json': DIRTY });
    const first = harness(tmp, ws);
    await check({ json: true }, first.ctx);
    const fp =
      (JSON.parse(first.out()) as { findings: Array<{ fingerprint: string }> }).findings[0]?.fingerprint ??
      '';
    const second = harness(tmp, ws);
    expect(await check({ allow: [fp.toUpperCase()] }, second.ctx)).toBe(0);
    const list = await readFile(path.join(ws, ALLOW_FILE), 'utf8');
    expect(list).toContain(`${fp} # allowed 2026-01-15`);
    expect(list).not.toContain(NHS);
    expect(list).not.toContain(NHS_SPACED);
    expect(second.err()).toContain('1 allowed finding not shown');
    const third = harness(tmp, ws);
    await check({ allow: [fp] }, third.ctx);
    expect(third.err()).toContain('already allowed');
    expect((await readFile(path.join(ws, ALLOW_FILE), 'utf8')).split(fp).length).toBe(2);
  });

  it('refuses a malformed fingerprint', async () => {
    const ws = await workspace({});
    await expect(check({ allow: [NHS] }, harness(tmp, ws).ctx)).rejects.toThrow(/not a fingerprint/);
    expect(existsSync(path.join(ws, ALLOW_FILE))).toBe(false);
  });

  it('salts fingerprints per workspace, keeping the salt out of git and the value out of both files', async () => {
    const one = await workspace({ '2026-27.json': DIRTY });
    const h = harness(tmp, one);
    expect(await check({ json: true }, h.ctx)).toBe(3);
    const fp = (JSON.parse(h.out()) as { findings: Array<{ fingerprint: string }> }).findings[0]?.fingerprint;
    const salt = (await readFile(path.join(one, SALT_FILE), 'utf8')).trim();
    expect(salt).toMatch(/^[0-9a-f]{32}$/);
    expect(statSync(path.join(one, SALT_FILE)).mode & 0o777).toBe(0o600);
    expect((await readFile(path.join(one, '.gitignore'), 'utf8')).split('\n')).toContain(SALT_FILE);
    expect(h.err()).toContain(SALT_FILE);
    // Unsalted, anyone could hash every NHS number until one matched the committed list.
    expect(fp).not.toBe(fingerprintOf('nhs-number', NHS));
    expect(fp).toBe(fingerprintOf('nhs-number', NHS, salt));
    // The same run again keeps the salt, and so the fingerprint, and says nothing more about it.
    const again = harness(tmp, one);
    await check({ json: true }, again.ctx);
    expect(again.out()).toContain(fp);
    expect(again.err()).not.toContain(SALT_FILE);
    // An existing .gitignore keeps its lines and gains the salt once.
    await rm(path.join(one, SALT_FILE));
    await writeFile(path.join(one, '.gitignore'), 'drafts/');
    await check({}, harness(tmp, one).ctx);
    await rm(path.join(one, SALT_FILE));
    await check({}, harness(tmp, one).ctx);
    expect(await readFile(path.join(one, '.gitignore'), 'utf8')).toMatch(
      new RegExp(`^drafts/\n#[^\n]*\n${SALT_FILE.replace('.', '\\.')}\n$`),
    );
  });

  it('does not claim to have allowed a finding when the allow list cannot be written', async () => {
    const ws = await workspace({ '2026-27.json': DIRTY });
    await mkdir(path.join(ws, ALLOW_FILE));
    const h = harness(tmp, ws);
    const fp = '0123456789abcdef';
    const error = await check({ allow: [fp] }, h.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FailureError);
    expect((error as Error).message).toMatch(/allow list .*\.kinship-reflect-allow: it is a folder/);
    expect(h.err()).not.toContain('allowed');
  });

  it('scans Markdown and broken JSON as text, and skips node_modules and .git', async () => {
    const ws = await workspace({
      'report.md': '# Report\n\nline two\nMrs Testington said so.\n',
      'broken.json': '{"answers": {"x": {"text": ["born 03/04/2018"',
      'node_modules/pkg/a.md': 'Mrs Testington',
      '.git/b.md': 'Mrs Testington',
      'notes.txt': 'Mrs Testington',
    });
    const h = harness(tmp, ws);
    expect(await check({ json: true }, h.ctx)).toBe(3);
    const doc = JSON.parse(h.out()) as {
      findings: Array<{ file: string; kind: string; line: number; column: number }>;
    };
    expect(doc.findings.map((f) => [path.basename(f.file), f.kind, f.line, f.column])).toEqual([
      ['broken.json', 'date-of-birth', 1, 35],
      ['report.md', 'person-name', 4, 5],
    ]);
    // an explicit path of any text file is scanned
    const h2 = harness(tmp, ws);
    expect(await check({ paths: [path.join(ws, 'notes.txt')] }, h2.ctx)).toBe(3);
  });

  it('says what is wrong for a missing path or workspace', async () => {
    const ws = await workspace({});
    await expect(check({ paths: ['nope.json'] }, harness(tmp, ws).ctx)).rejects.toThrow(
      /no such file or folder: nope\.json/,
    );
    await expect(check({}, harness(tmp, path.join(tmp, 'missing')).ctx)).rejects.toThrow(
      /no workspace at missing/,
    );
    await expect(check({ installHook: true, uninstallHook: true }, harness(tmp, ws).ctx)).rejects.toThrow(
      UsageError,
    );
  });
});

describe('the pre-commit hook', () => {
  let runner = '';
  let buildDir = '';
  beforeAll(async () => {
    // The hook runs a bundled `check` (the real command code) so it works without `npm run build`.
    buildDir = await mkdtemp(path.join(tmpdir(), 'kinship-reflect-hookrunner-'));
    const entry = path.join(buildDir, 'runner.ts');
    const src = (p: string) => JSON.stringify(path.join(repoRoot, 'src', p));
    await writeFile(
      entry,
      [
        `import { check } from ${src('commands/check.ts')};`,
        `import { processContext, processOutputs } from ${src('shell/context.ts')};`,
        `import { reportError } from ${src('shell/report-error.ts')};`,
        'const args = process.argv.slice(2);',
        "const dir = args[args.indexOf('--dir') + 1];",
        'const ctx = processContext({ dir }, processOutputs(() => process.exit(process.exitCode ?? 0)));',
        "try { process.exitCode = (await check({ staged: args.includes('--staged') }, ctx)) ?? 0; }",
        'catch (e) { process.exitCode = reportError(e, ctx); }',
        '',
      ].join('\n'),
    );
    const { build } = await import('esbuild');
    runner = path.join(buildDir, 'runner.mjs');
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: runner,
      logLevel: 'silent',
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
  });
  afterAll(async () => {
    if (buildDir) await rm(buildDir, { recursive: true, force: true });
  });

  it('needs a git repository', async () => {
    const ws = await workspace({});
    await expect(check({ installHook: true }, harness(tmp, ws).ctx)).rejects.toThrow(
      'not inside a git repository; run git init first',
    );
  });

  it('installs an executable hook that runs this kinship-reflect on the workspace', async () => {
    const ws = await workspace({});
    git(tmp, 'init', '-q');
    const h = harness(tmp, ws);
    expect(await check({ installHook: true }, h.ctx)).toBe(0);
    const hook = path.join(tmp, '.git', 'hooks', 'pre-commit');
    const text = await readFile(hook, 'utf8');
    expect(text.split('\n').slice(0, 2)).toEqual(['#!/bin/sh', HOOK_MARKER]);
    expect(text).toContain(
      `'${process.execPath}' '${path.join(repoRoot, 'bin', 'kinship-reflect.js')}' check --staged --dir '${ws}'`,
    );
    expect(text).toContain(`npx --no-install kinship-reflect check --staged --dir '${ws}'`);
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    expect(h.err()).toContain('Installed the pre-commit hook');
    // installing again replaces our own hook
    const again = harness(tmp, ws);
    expect(await check({ installHook: true }, again.ctx)).toBe(0);
    expect(again.err()).toContain('Updated the pre-commit hook');
  });

  it('leaves a foreign hook alone, on install and on uninstall', async () => {
    const ws = await workspace({});
    git(tmp, 'init', '-q');
    const hook = path.join(tmp, '.git', 'hooks', 'pre-commit');
    await writeFile(hook, '#!/bin/sh\necho mine\n', { mode: 0o755 });
    await expect(check({ installHook: true }, harness(tmp, ws).ctx)).rejects.toThrow(
      /was not installed by kinship-reflect[\s\S]*add this line to that hook/,
    );
    await expect(check({ uninstallHook: true }, harness(tmp, ws).ctx)).rejects.toThrow(/left as it is/);
    expect(await readFile(hook, 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });

  it('blocks a commit with an NHS number, passes clean and allowed ones, and uninstalls cleanly', async () => {
    const ws = await workspace({ '2026-27.json': CLEAN });
    git(tmp, 'init', '-q');
    await writeFile(path.join(tmp, 'README.md'), `Outside the workspace: NHS ${NHS_SPACED}\n`);
    await installHook(ws, { env: gitEnv(), invocation: { node: process.execPath, bin: runner } });
    const commit = (msg: string) =>
      spawnSync('git', ['commit', '-q', '-m', msg], {
        cwd: tmp,
        env: gitEnv(),
        encoding: 'utf8',
        timeout: 20_000,
      });

    // clean workspace files, and personal data outside the workspace, pass
    git(tmp, 'add', '-A');
    const clean = commit('clean');
    expect(clean.stderr).toBe('No personal data found in 1 file.\n');
    expect(clean.status).toBe(0);

    // a staged NHS number is blocked; fixing only the working tree is not enough
    await writeFile(path.join(ws, '2026-27.json'), DIRTY);
    git(tmp, 'add', '-A');
    await writeFile(path.join(ws, '2026-27.json'), CLEAN);
    const blocked = commit('dirty');
    expect(blocked.status, blocked.stderr).not.toBe(0); // git reports a failed hook as 1
    // git sends the hook's output to stderr, wrapped to 80 columns (a hook has no terminal, and git
    // does not pass COLUMNS on): read it with the line breaks as spaces
    const said = blocked.stderr.replace(/\s+/g, ' ');
    expect(said).toMatch(/2026-27\.json:\d+:\d+ item "assess\.carers\.demographics": possible NHS number/);
    expect(blocked.stderr.split('\n').every((l) => l.length <= 80)).toBe(true);
    expect(blocked.stdout + blocked.stderr).not.toContain(NHS_SPACED);
    expect(git(tmp, 'log', '--oneline').trim().split('\n')).toHaveLength(1);

    // allowing the reviewed fingerprint lets it through
    await writeFile(path.join(ws, '2026-27.json'), DIRTY);
    expect(said).toContain('--allow <fingerprint>');
    const fp = /fingerprint ([0-9a-f]{16})/.exec(said)?.[1] ?? '';
    expect(await check({ allow: [fp], paths: [path.join(ws, '2026-27.json')] }, harness(tmp, ws).ctx)).toBe(
      0,
    );
    git(tmp, 'add', '-A');
    const allowed = commit('allowed');
    expect(allowed.status).toBe(0);

    // uninstall removes the hook; a second uninstall says there is nothing to remove
    const h = harness(tmp, ws);
    expect(await check({ uninstallHook: true }, h.ctx)).toBe(0);
    expect(existsSync(path.join(tmp, '.git', 'hooks', 'pre-commit'))).toBe(false);
    const h2 = harness(tmp, ws);
    expect(await check({ uninstallHook: true }, h2.ctx)).toBe(0);
    expect(h2.err()).toContain('nothing to remove');
  });

  it('check --staged sees only staged workspace files, and needs a repository', async () => {
    const ws = await workspace({ '2026-27.json': DIRTY, 'draft.md': 'Mrs Testington' });
    await expect(check({ staged: true }, harness(tmp, ws).ctx)).rejects.toThrow(
      /not inside a git repository/,
    );
    git(tmp, 'init', '-q');
    git(tmp, 'add', path.join('reflections', 'draft.md'));
    const h = harness(tmp, ws);
    expect(await check({ staged: true, json: true }, h.ctx)).toBe(3);
    const doc = JSON.parse(h.out()) as { files: number; findings: Array<{ kind: string }> };
    expect(doc.files).toBe(1);
    expect(doc.findings.map((f) => f.kind)).toEqual(['person-name']);
  });
});

describe.skipIf(!existsSync(distEntry))('through the built binary', () => {
  it('exits 3 with findings and 0 when clean, and --json is one JSON document', async () => {
    const ws = await workspace({ '2026-27.json': DIRTY });
    const dirty = await runCli(['check', '--dir', ws, '--json'], { cwd: tmp });
    expect(dirty.code).toBe(3);
    expect((JSON.parse(dirty.stdout) as { findings: unknown[] }).findings).toHaveLength(1);
    await writeFile(path.join(ws, '2026-27.json'), CLEAN);
    const clean = await runCli(['check', '--dir', ws], { cwd: tmp });
    expect(clean.code).toBe(0);
  });
});
