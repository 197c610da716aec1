/**
 * A named pipe (FIFO) where a command expects a file, command by command, through the built binary:
 * opening a FIFO waits for a writer, so one read without care hangs the command for ever. Each command
 * must refuse it at once, say which file and what it is, exit with its usage or validation code, and
 * change nothing in the workspace. (tests/files.test.ts covers the reader itself.)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.ts';

const hasMkfifo = spawnSync('sh', ['-c', 'command -v mkfifo']).status === 0;

let dir: string;

/** Every file under the workspace (FIFOs by kind only), to prove a refused command changed nothing. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out[path.relative(root, p)] = st.isFIFO() ? 'FIFO' : readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

beforeAll(async () => {
  if (!hasMkfifo) return;
  dir = mkdtempSync(path.join(tmpdir(), 'kr-fifo-'));
  expect((await runCli(['init', '--authority', 'Exampleshire County Council'], { cwd: dir })).code).toBe(0);
  for (const cycle of ['2025-26', '2026-27']) {
    const r = await runCli(['answer', 'assess.carers.demographics', '--cycle', cycle], {
      cwd: dir,
      input: 'Around 240 kinship households (fictional).\n',
    });
    expect(r.code, r.stderr).toBe(0);
  }
  mkdirSync(path.join(dir, 'in'));
  for (const fifo of ['reflections/2027-28.json', 'in/bank.yaml', 'in/report.md', 'in/out.md'])
    expect(spawnSync('mkfifo', [path.join(dir, fifo)]).status).toBe(0);
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const CASES: { name: string; args: string[]; code: number; says: RegExp }[] = [
  {
    name: 'status of a cycle that is a FIFO',
    args: ['status', '--cycle', '2027-28'],
    code: 2,
    says: /2027-28\.json is a named pipe \(FIFO\)/,
  },
  {
    name: 'export of it',
    args: ['export', '--cycle', '2027-28'],
    code: 2,
    says: /2027-28\.json is a named pipe \(FIFO\)/,
  },
  {
    name: 'diff against it',
    args: ['diff', '2025-26', '2027-28'],
    code: 2,
    says: /2027-28\.json is a named pipe \(FIFO\)/,
  },
  {
    name: 'answer into it',
    args: ['answer', 'assess.carers.demographics', '--cycle', '2027-28', '--text', 'More (fictional).'],
    code: 2,
    says: /2027-28\.json is a named pipe \(FIFO\)/,
  },
  {
    name: 'validate of it',
    args: ['validate', 'reflections/2027-28.json'],
    code: 2,
    says: /named pipe \(FIFO\), not a file/,
  },
  {
    name: 'validate of the workspace holding it',
    args: ['validate'],
    code: 3,
    says: /2027-28\.json: is a named pipe \(FIFO\)/,
  },
  { name: 'cycles listing it', args: ['cycles'], code: 3, says: /2027-28\.json is a named pipe \(FIFO\)/ },
  {
    name: 'validate of a bank that is a FIFO',
    args: ['validate', 'in/bank.yaml'],
    code: 2,
    says: /bank\.yaml is a named pipe \(FIFO\)/,
  },
  {
    name: 'questions from it',
    args: ['questions', '--bank', 'in/bank.yaml'],
    code: 2,
    says: /bank\.yaml is a named pipe \(FIFO\)/,
  },
  {
    name: 'validate of a report that is a FIFO',
    args: ['validate', 'in/report.md'],
    code: 2,
    says: /report\.md is a named pipe \(FIFO\)/,
  },
  {
    name: 'import of it',
    args: ['import', 'in/report.md', '--cycle', '2026-27'],
    code: 2,
    says: /report\.md is a named pipe \(FIFO\)/,
  },
  {
    name: 'export --out onto a FIFO',
    args: ['export', '--cycle', '2026-27', '--out', 'in/out.md'],
    code: 2,
    says: /out\.md is not a regular file/,
  },
];

describe.skipIf(!hasMkfifo)('a FIFO where a file is expected: refused at once, nothing changed', () => {
  it.each(CASES)('$name', async ({ args, code, says }) => {
    const before = snapshot(dir);
    const r = await runCli(args, { cwd: dir, timeoutMs: 10_000, keepStdinOpen: true });
    expect(r.timedOut, `${args.join(' ')} waited on the FIFO`).toBe(false);
    expect(r.code, r.stderr).toBe(code);
    expect(`${r.stdout}${r.stderr}`).toMatch(says);
    expect(r.stderr).not.toMatch(/\n\s+at /); // never a stack trace
    expect(snapshot(dir)).toEqual(before);
  });

  it('check scans the rest and names the FIFO it did not read', async () => {
    const r = await runCli(['check'], { cwd: dir, timeoutMs: 10_000 });
    expect(r.timedOut).toBe(false);
    expect(r.stdout + r.stderr).toMatch(/2027-28\.json: not scanned, is a named pipe \(FIFO\)/);
    expect(r.code).toBe(0);
  });

  it('the workspace folder found by walking up stops at nothing odd: a FIFO config is refused', async () => {
    const odd = path.join(dir, 'odd');
    mkdirSync(odd);
    expect(spawnSync('mkfifo', [path.join(odd, 'kinship-reflect.yaml')]).status).toBe(0);
    const r = await runCli(['status', '--dir', odd], { cwd: dir, timeoutMs: 10_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/kinship-reflect\.yaml is a named pipe \(FIFO\)/);
    rmSync(odd, { recursive: true, force: true });
  });
});

describe.skipIf(!hasMkfifo)("a FIFO in place of one of the tool's own files", () => {
  let own: string;
  beforeAll(async () => {
    own = mkdtempSync(path.join(tmpdir(), 'kr-fifo-own-'));
    expect((await runCli(['init', '--authority', 'Exampleshire County Council'], { cwd: own })).code).toBe(0);
    const r = await runCli(
      ['answer', 'assess.carers.demographics', '--cycle', '2026-27', '--text', 'About 240.'],
      {
        cwd: own,
      },
    );
    expect(r.code, r.stderr).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(own, { recursive: true, force: true }));
  const fifo = (rel: string) => {
    const p = path.join(own, 'reflections', rel);
    rmSync(p, { force: true });
    mkdirSync(path.dirname(p), { recursive: true });
    expect(spawnSync('mkfifo', [p]).status).toBe(0);
    return p;
  };

  it('the report beside a cycle: answer saves and writes the report in its place', async () => {
    const report = fifo('2026-27.md');
    const r = await runCli(
      ['answer', 'assess.carers.demographics', '--cycle', '2026-27', '--text', 'About 250.'],
      {
        cwd: own,
        timeoutMs: 10_000,
      },
    );
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(report).isFile()).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('About 250.');
  });

  it("a cycle's lock: answer breaks it as debris and saves", async () => {
    const lock = fifo('.2026-27.lock');
    const r = await runCli(
      ['answer', 'assess.carers.demographics', '--cycle', '2026-27', '--text', 'About 260.'],
      {
        cwd: own,
        timeoutMs: 10_000,
      },
    );
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(path.join(own, 'reflections', '2026-27.json')).isFile()).toBe(true);
    expect(readFileSync(path.join(own, 'reflections', '2026-27.json'), 'utf8')).toContain('About 260.');
    expect(() => statSync(lock)).toThrow();
  });

  it('the resume state: the interview starts afresh', async () => {
    fifo('.kinship-reflect/state.json');
    const r = await runCli(['interview', '--plain', '--cycle', '2026-27', '--stage', 'assess'], {
      cwd: own,
      timeoutMs: 10_000,
    });
    expect(r.timedOut).toBe(false);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Question \d+ of \d+/);
  });

  it('the allow list: check says what it is and stops', async () => {
    fifo('.kinship-reflect-allow');
    const r = await runCli(['check'], { cwd: own, timeoutMs: 10_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /could not read the allow list .*\.kinship-reflect-allow: it is a named pipe \(FIFO\)/,
    );
  });
});
