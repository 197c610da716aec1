/**
 * The single executables as shipped (`npm run build:exe`, scripts/build-exe.mjs): one journey run
 * three ways, and every way must give the same exit codes, the same output and the same files:
 * - the npm build (`node bin/kinship-reflect.js`), the reference;
 * - the Linux executable, renamed `kinship-reflect` in a folder of its own that is the whole PATH
 *   (so no `node` can be found), as the README's "Install without Node" tells users to run it;
 * - the Windows executable under Wine (when `wine` is installed), in a fresh WINEPREFIX.
 *
 * The executables take a minute to build and 200 MB of disk, so `npm test` does not build them:
 * these tests run when KINSHIP_REFLECT_EXE_DIR names the folder build:exe wrote (.ci/run sets it
 * and also sets KINSHIP_REFLECT_EXE_REQUIRE=linux,wine, which turns a missing executable or a
 * missing Wine into a failure instead of a skip).
 *
 * Standard input, output and error are files, not pipes: Wine 8 cannot give a Windows program an
 * anonymous pipe as a console stream (Node fails with "open EBADF" there), and a file is how a
 * Windows user feeds an interview (`kinship-reflect interview --plain < answers.txt`).
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChartFonts, systemFontDirs } from '../src/shell/chart-raster-wasm.ts';
import { binPath, childEnv, repoRoot } from './helpers/run-cli.ts';

const exeDir = process.env.KINSHIP_REFLECT_EXE_DIR
  ? join(repoRoot, process.env.KINSHIP_REFLECT_EXE_DIR)
  : undefined;
const required = new Set((process.env.KINSHIP_REFLECT_EXE_REQUIRE ?? '').split(',').filter(Boolean));
const linuxExe = exeDir && join(exeDir, 'kinship-reflect-linux-x64');
const winExe = exeDir && join(exeDir, 'kinship-reflect-win-x64.exe');
const hasWine = spawnSync('sh', ['-c', 'command -v wine'], { encoding: 'utf8' }).status === 0;
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
const buildExe = readFileSync(join(repoRoot, 'scripts', 'build-exe.mjs'), 'utf8');
const nodeVersion = /NODE_VERSION = '([\d.]+)'/.exec(buildExe)?.[1];

const TODAY = '2026-06-30';
/** Messages wrap to $COLUMNS in a pipe: the width the npm build's runs get (vitest.config.ts). */
const COLUMNS = process.env.COLUMNS ?? '1000';
const ANSWER = 'About 64% of our kinship carers are grandparents.';

interface Step {
  name: string;
  args: string[];
  /** A file in the run's folder given as standard input (else none: stdin is empty). */
  stdin?: string;
}

interface StepResult {
  name: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How one way of running kinship-reflect starts a command in `cwd`. */
interface Runner {
  command: string;
  prefix: string[];
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

/** The journey of the issue: init, plain interview from a file, answer, status, export (md, html, docx), diff, check. */
const JOURNEY: Step[] = [
  { name: 'help', args: ['--help'] },
  { name: 'questions', args: ['questions', '--json'] },
  { name: 'init', args: ['init', '--dir', 'ws', '--authority', 'Exampleshire County Council'] },
  {
    name: 'interview',
    args: ['interview', '--plain', '--dir', 'ws', '--cycle', '2026-27', '--stage', 'assess'],
    stdin: 'answers.txt',
  },
  {
    name: 'answer',
    args: ['answer', 'assess.carers.demographics', '--dir', 'ws', '--cycle', '2025-26', '--text', 'Half.'],
  },
  { name: 'status', args: ['status', '--dir', 'ws', '--cycle', '2026-27'] },
  { name: 'export-md', args: ['export', '--dir', 'ws', '--cycle', '2026-27', '--format', 'md'] },
  {
    name: 'export-file',
    args: ['export', '--dir', 'ws', '--cycle', '2026-27', '--format', 'md', '--out', 'report.md'],
  },
  {
    name: 'export-html',
    args: ['export', '--dir', 'ws', '--cycle', '2026-27', '--format', 'html', '--out', 'report.html'],
  },
  // Word: the executables draw its charts with resvg's WebAssembly build, the npm build with the
  // native one; the documents must be the same bytes
  {
    name: 'export-docx',
    args: ['export', '--dir', 'ws', '--cycle', '2026-27', '--format', 'docx', '--out', 'report.docx'],
  },
  { name: 'diff', args: ['diff', '2025-26', '2026-27', '--dir', 'ws'] },
  { name: 'check', args: ['check', '--dir', 'ws'] },
  // without files: the built-in banks' sources (inside the executable) and the workspace's cycles
  { name: 'validate-builtin', args: ['validate'] },
  { name: 'validate-workspace', args: ['validate', '--dir', 'ws'] },
  // the failures: the same exit codes (2 usage, 3 validation or personal data)
  { name: 'unknown-command', args: ['nosuch'] },
  { name: 'no-workspace', args: ['status', '--dir', 'nowhere'] },
  { name: 'invalid-bank', args: ['validate', 'bad-bank.yaml'] },
  {
    name: 'answer-personal-data',
    args: [
      'answer',
      'assess.carers.connection',
      '--dir',
      'ws',
      '--cycle',
      '2026-27',
      '--text',
      'Ask jo.bloggs@example.com',
    ],
  },
  { name: 'check-personal-data', args: ['check', '--dir', 'ws'] },
];

/** Run the journey in a fresh folder; returns each step's result and the files the journey left. */
async function runJourney(runner: Runner, parent: string, name: string) {
  const cwd = join(parent, name);
  mkdirSync(cwd);
  // the plain protocol: "a" writes an answer ended by an empty line, "g" rates it green; CRLF as
  // Notepad writes it
  await writeFile(join(cwd, 'answers.txt'), `a\r\n${ANSWER}\r\n\r\ng\r\n`);
  await writeFile(join(cwd, 'bad-bank.yaml'), 'id: broken\nitems: [\n');
  const results: StepResult[] = [];
  for (const step of JOURNEY) {
    // the allow list's salt is random per workspace (shell/allow-salt.ts), and the fingerprints that
    // `check` prints depend on it: every run gets the same one, so their output can be compared
    const salt = join(cwd, 'ws', '.kinship-reflect-salt');
    if (existsSync(join(cwd, 'ws')) && !existsSync(salt))
      writeFileSync(salt, `${'0123456789abcdef'.repeat(2)}\n`);
    const out = join(cwd, `.${step.name}.out`);
    const err = join(cwd, `.${step.name}.err`);
    const fds = [
      step.stdin ? openSync(join(cwd, step.stdin), 'r') : 'ignore',
      openSync(out, 'w'),
      openSync(err, 'w'),
    ] as const;
    const r = spawnSync(runner.command, [...runner.prefix, ...step.args], {
      cwd,
      env: runner.env,
      stdio: [...fds],
      timeout: runner.timeoutMs,
    });
    for (const fd of fds) if (typeof fd === 'number') closeSync(fd);
    if (r.error) throw new Error(`${name}: ${step.name} could not run: ${r.error.message}`);
    results.push({
      name: step.name,
      code: r.status,
      stdout: placeholders(readFileSync(out, 'utf8'), cwd),
      stderr: placeholders(readFileSync(err, 'utf8'), cwd),
    });
  }
  const files: Record<string, string> = {};
  // every file of the workspace, its hidden folders' included, by its path inside it
  for (const entry of readdirSync(join(cwd, 'ws'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files[relative(join(cwd, 'ws'), full).split(sep).join('/')] = readFileSync(full, 'utf8');
  }
  for (const f of ['report.md', 'report.html']) files[f] = readFileSync(join(cwd, f), 'utf8');
  files['report.docx'] = readFileSync(join(cwd, 'report.docx')).toString('base64');
  return { results, files };
}

/**
 * The run's own folder as `<cwd>` (Wine shows /tmp/x as Z:\tmp\x), and a path quoted for the
 * shell unquoted: each platform quotes for its own shells (POSIX single quotes, Windows double).
 */
function placeholders(text: string, cwd: string): string {
  const wine = `Z:${cwd.replace(/\//g, '\\')}`;
  return text
    .split(wine)
    .join('<cwd>')
    .split(cwd)
    .join('<cwd>')
    .replace(/(['"])<cwd>([^'"\s]*)\1/g, '<cwd>$2');
}

/** Windows names paths with backslashes: `ws\2026-27.json` is `ws/2026-27.json` there. */
const slashes = (s: string) => s.replace(/\\/g, '/');

let dir: string;
let reference: Awaited<ReturnType<typeof runJourney>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinship-reflect-exe-'));
  for (const need of required) {
    if (need === 'linux' && !(linuxExe && existsSync(linuxExe)))
      throw new Error('the Linux executable is required: run npm run build:exe, set KINSHIP_REFLECT_EXE_DIR');
    if (need === 'wine' && !(winExe && existsSync(winExe) && hasWine))
      throw new Error('the Windows executable and Wine are required (.ci/run installs Wine)');
  }
  reference = await runJourney(
    {
      command: process.execPath,
      prefix: [binPath],
      env: childEnv({ KINSHIP_REFLECT_TODAY: TODAY, NO_COLOR: '1' }),
      timeoutMs: 30_000,
    },
    dir,
    'npm',
  );
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the journey with the npm build (the reference)', () => {
  it('goes as intended', () => {
    const codes = Object.fromEntries(reference.results.map((r) => [r.name, r.code]));
    expect(codes).toEqual({
      help: 0,
      questions: 0,
      init: 0,
      interview: 0,
      answer: 0,
      status: 0,
      'export-md': 0,
      'export-file': 0,
      'export-html': 0,
      'export-docx': 0,
      diff: 0,
      check: 0,
      'validate-builtin': 0,
      'validate-workspace': 0,
      'unknown-command': 2,
      'no-workspace': 2,
      'invalid-bank': 3,
      'answer-personal-data': 0,
      'check-personal-data': 3,
    });
    expect(reference.files['2026-27.json']).toContain(ANSWER);
    expect(reference.files['report.md']).toContain(ANSWER);
    expect(reference.files['report.html']).toContain(ANSWER);
    expect(reference.files['report.html']).toMatch(/^<!DOCTYPE html>/i);
    // a zip with PNG charts in it (the document itself is checked in tests/documents-docx.test.ts)
    const docx = Buffer.from(reference.files['report.docx'] ?? '', 'base64');
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(docx.includes('word/media/')).toBe(true);
  });
});

describe.skipIf(!(linuxExe && existsSync(linuxExe)))('the Linux executable, on a PATH without node', () => {
  let bin: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    // what the README says: a folder of your own, the executable renamed, that folder on PATH
    bin = join(dir, 'bin');
    mkdirSync(bin);
    copyFileSync(linuxExe!, join(bin, 'kinship-reflect'));
    spawnSync('chmod', ['755', join(bin, 'kinship-reflect')]);
    env = { PATH: bin, HOME: dir, KINSHIP_REFLECT_TODAY: TODAY, NO_COLOR: '1', COLUMNS };
  });

  it('finds no node on that PATH', () => {
    const r = spawnSync('/bin/sh', ['-c', 'command -v node || echo none'], { env, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('none');
  });

  it('--version names our version and the Node inside', () => {
    const r = spawnSync('kinship-reflect', ['--version'], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`${pkg.version} (single executable, Node.js v${nodeVersion} linux-x64)`);
  });

  it('starts without a word about its code cache when NODE_OPTIONS holds a V8 flag (V8 then rejects it)', () => {
    const r = spawnSync('kinship-reflect', ['--help'], {
      env: { ...env, NODE_OPTIONS: '--max-old-space-size=200' },
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: kinship-reflect/);
  });

  it('runs the journey with the exit codes, output and files of the npm build', async () => {
    const { results, files } = await runJourney(
      { command: 'kinship-reflect', prefix: [], env, timeoutMs: 30_000 },
      dir,
      'linux',
    );
    expect(results).toEqual(reference.results);
    expect(files).toEqual(reference.files);
  });
});

describe.skipIf(!(linuxExe && existsSync(linuxExe)))('the Linux executable and paths in its hints', () => {
  it('quotes a path for a POSIX shell in the command it suggests', () => {
    const r = spawnSync(linuxExe!, ['status', '--dir', "Team's folder/$ws"], {
      cwd: dir,
      env: { PATH: '/nonexistent', NO_COLOR: '1', COLUMNS },
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `Create one with: kinship-reflect init --dir 'Team'\\''s folder/$ws' --authority "Your council"`,
    );
  });
});

describe.skipIf(!(linuxExe && existsSync(linuxExe)))('README, "Install without Node", on Linux', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const heading = 'On Linux, in the folder you downloaded the files to:';
  const block = /```sh\n([\s\S]*?)\n```/.exec(readme.slice(readme.indexOf(heading)))?.[1] ?? '';
  let home: string;
  let tools: string;

  /** A download folder as a user has it: the Linux executable, SHA256SUMS and LICENSES.txt. */
  function download(name: string): string {
    const downloads = join(home, name);
    mkdirSync(downloads);
    for (const f of ['kinship-reflect-linux-x64', 'SHA256SUMS', 'LICENSES.txt'])
      copyFileSync(join(exeDir!, f), join(downloads, f));
    return downloads;
  }

  /** Run the README's commands with `sh -e` on a PATH of the few tools they use (and no node). */
  const runBlock = (cwd: string) =>
    spawnSync('/bin/sh', ['-e', '-c', block], {
      cwd,
      env: { HOME: home, PATH: tools, KINSHIP_REFLECT_TODAY: TODAY },
      encoding: 'utf8',
      timeout: 60_000,
    });

  beforeAll(() => {
    home = join(dir, 'readme-home');
    tools = join(dir, 'readme-tools');
    mkdirSync(home);
    mkdirSync(tools);
    for (const tool of ['sha256sum', 'mkdir', 'install']) {
      const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      if (!found) throw new Error(`${tool} is not installed`);
      symlinkSync(found, join(tools, tool));
    }
  });

  it('has the commands', () => {
    expect(block).toContain('sha256sum --check');
    expect(block).toContain('kinship-reflect --version');
  });

  it('checks the download, installs it in ~/.local/bin and runs it, with no node anywhere', () => {
    const r = runBlock(download('Downloads'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `LICENSES.txt: OK\nkinship-reflect-linux-x64: OK\n${pkg.version} (single executable, Node.js v${nodeVersion} linux-x64)\n`,
    );
    const noNode = spawnSync('/bin/sh', ['-c', 'command -v node || echo none'], {
      env: { PATH: `${join(home, '.local', 'bin')}:${tools}` },
      encoding: 'utf8',
    });
    expect(noNode.stdout.trim()).toBe('none');
  });

  it('stops at the checksum when the download is damaged, installing nothing', () => {
    const downloads = download('Damaged');
    const exe = join(downloads, 'kinship-reflect-linux-x64');
    const bytes = readFileSync(exe);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1]! + 1) % 256;
    writeFileSync(exe, bytes);
    rmSync(join(home, '.local'), { recursive: true, force: true });
    const r = runBlock(downloads);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('kinship-reflect-linux-x64: FAILED');
    expect(existsSync(join(home, '.local', 'bin', 'kinship-reflect'))).toBe(false);
  });
});

describe.skipIf(!(winExe && existsSync(winExe) && hasWine))('the Windows executable, under Wine', () => {
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      WINEPREFIX: join(dir, 'wineprefix'),
      WINEDEBUG: '-all',
      KINSHIP_REFLECT_TODAY: TODAY,
      NO_COLOR: '1',
      COLUMNS,
    };
    // Wine 8 says "Windows 7" unless told otherwise, and Node 22 refuses to start below Windows 10
    const r = spawnSync(
      'wine',
      ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f'],
      {
        env,
        encoding: 'utf8',
        timeout: 240_000,
      },
    );
    if (r.status !== 0) throw new Error(`could not prepare the Wine prefix: ${r.stderr}`);
  }, 300_000);

  it('--version names our version and the Node inside', () => {
    const out = join(dir, 'wine-version.out');
    const fd = openSync(out, 'w');
    const r = spawnSync('wine', [winExe!, '--version'], {
      env,
      stdio: ['ignore', fd, 'pipe'],
      timeout: 60_000,
    });
    closeSync(fd);
    expect(r.status).toBe(0);
    expect(readFileSync(out, 'utf8').trim()).toBe(
      `${pkg.version} (single executable, Node.js v${nodeVersion} win32-x64)`,
    );
  }, 90_000);

  it('refuses Word export clearly while no chart font is installed, writing nothing', () => {
    // a fresh Wine prefix has Wine's own fonts only, none of the families the charts name
    const cwd = join(dir, 'npm');
    const err = join(dir, 'wine-no-font.err');
    const fd = openSync(err, 'w');
    const r = spawnSync(
      'wine',
      [winExe!, 'export', '--dir', 'ws', '--cycle', '2026-27', '--format', 'docx', '--out', 'no-font.docx'],
      { cwd, env, stdio: ['ignore', 'ignore', fd], timeout: 60_000 },
    );
    closeSync(fd);
    const stderr = readFileSync(err, 'utf8');
    expect(r.status, stderr).toBe(1);
    expect(stderr).toMatch(/drawn in Arial, Liberation Sans or Helvetica, and none of them is installed/);
    expect(stderr).toMatch(/C:\\windows\\Fonts/i);
    expect(existsSync(join(cwd, 'no-font.docx'))).toBe(false);
  }, 90_000);

  it('quotes a path for Command Prompt and PowerShell in the command it suggests', () => {
    const err = join(dir, 'wine-no-workspace.err');
    const fd = openSync(err, 'w');
    const r = spawnSync('wine', [winExe!, 'status', '--dir', 'Team folder\\nowhere'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'ignore', fd],
      timeout: 60_000,
    });
    closeSync(fd);
    const stderr = readFileSync(err, 'utf8');
    expect(r.status, stderr).toBe(2);
    // double quotes, single backslashes: what both shells take as the same path
    expect(stderr).toContain(
      'Create one with: kinship-reflect init --dir "Team folder\\nowhere" --authority "Your council"',
    );
  }, 90_000);

  it('runs the journey with the exit codes, output and files of the npm build', async () => {
    // a Windows machine has Arial; this one gets the fonts the npm build drew with (the executable
    // reads them from the Windows fonts folder, as it would Arial)
    const fonts = join(env.WINEPREFIX!, 'drive_c', 'windows', 'Fonts');
    for (const f of findChartFonts(systemFontDirs('linux', process.env, homedir())))
      copyFileSync(f, join(fonts, basename(f)));
    const { results, files } = await runJourney(
      { command: 'wine', prefix: [winExe!], env, timeoutMs: 60_000 },
      dir,
      'wine',
    );
    const normal = (rs: StepResult[]) =>
      rs.map((r) => ({ ...r, stdout: slashes(r.stdout), stderr: slashes(r.stderr) }));
    expect(normal(results)).toEqual(normal(reference.results));
    // the files are byte for byte the same: LF line ends and forward slashes inside on Windows too
    expect(files).toEqual(reference.files);
  }, 600_000);
});
