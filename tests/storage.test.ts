/**
 * Cycle storage: canonical serialisation (git-friendly diffs), unchanged saves, path-safe ids,
 * listing cycles without temp/lock files, stray temp clean-up, and corrupt files refused untouched.
 */
import { spawnSync } from 'node:child_process';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerableItems } from '../src/core/bank.ts';
import { newCycle, serializeCycle, setAnswer, textToLines } from '../src/core/cycle.ts';
import { parseCycleText } from '../src/core/cycle-validate.ts';
import { UsageError, ValidationError } from '../src/core/errors.ts';
import type { Answer, CycleFile } from '../src/core/types.ts';
import { cleanStrayTempFiles, writeFileAtomic } from '../src/shell/atomic-write.ts';
import { assertCycleId, cyclePath, readCycle, readCycleFile, updateCycle } from '../src/shell/cycle-store.ts';
import { listCycleIds, resolveCycleId } from '../src/shell/workspace.ts';
import { makeWorkspace, type TestWorkspace } from './helpers/workspace.ts';

let t: TestWorkspace;
beforeEach(async () => {
  t = await makeWorkspace({ report: true });
});
afterEach(async () => {
  await t.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function questionIds(): string[] {
  return answerableItems(t.ws.bank)
    .filter((i) => i.kind === 'question')
    .map((i) => i.id);
}

function answered(text: string): Omit<Answer, 'changed'> {
  return { status: 'answered', text: textToLines(text) };
}

/** A pid that certainly belongs to no running process: a child that has already exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  expect(r.pid).toBeGreaterThan(0);
  return r.pid as number;
}

describe('serializeCycle', () => {
  it('is deterministic: answers in bank order whatever order they were given in', () => {
    const ids = questionIds().slice(0, 12);
    expect(ids.length).toBe(12);
    fc.assert(
      fc.property(fc.shuffledSubarray(ids, { minLength: 1 }), (chosen) => {
        const a = newCycle('2026-27', 'Exampleshire County Council', t.ws.bank);
        const b = newCycle('2026-27', 'Exampleshire County Council', t.ws.bank);
        for (const id of chosen) setAnswer(a, id, answered(`about ${id}`), '2026-01-15');
        for (const id of [...chosen].reverse()) setAnswer(b, id, answered(`about ${id}`), '2026-01-15');
        const text = serializeCycle(a, t.ws.bank);
        expect(serializeCycle(b, t.ws.bank)).toBe(text);
        expect(serializeCycle(a, t.ws.bank)).toBe(text);
        const keys = Object.keys((JSON.parse(text) as CycleFile).answers);
        expect(keys).toEqual(ids.filter((id) => chosen.includes(id)));
      }),
      { numRuns: 100 },
    );
  });

  it('keeps answers to unknown items after the known ones, in their existing order', () => {
    const [first, second] = questionIds();
    const c = newCycle('2026-27', 'Exampleshire County Council', t.ws.bank);
    c.answers['zz.unknown-b'] = { status: 'answered', text: ['b'], changed: '2026-01-01' };
    setAnswer(c, second as string, answered('second'), '2026-01-15');
    c.answers['aa.unknown-a'] = { status: 'answered', text: ['a'], changed: '2026-01-01' };
    setAnswer(c, first as string, answered('first'), '2026-01-15');
    const keys = Object.keys((JSON.parse(serializeCycle(c, t.ws.bank)) as CycleFile).answers);
    expect(keys).toEqual([first, second, 'zz.unknown-b', 'aa.unknown-a']);
  });

  it('writes two-space JSON with LF line ends and one final newline, even from CRLF input', () => {
    const c = newCycle('2026-27', 'Exampleshire County Council', t.ws.bank);
    setAnswer(c, questionIds()[0] as string, answered('line one\r\nline two  \r\n\r\n'), '2026-01-15');
    const text = serializeCycle(c, t.ws.bank);
    expect(text).not.toContain('\r');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
    expect(text.split('\n')[1]).toBe('  "format": 1,');
    expect(JSON.parse(text).answers[questionIds()[0] as string].text).toEqual(['line one', 'line two']);
    expect(parseCycleText(text, 'x.json', t.ws.bank).problems).toEqual([]);
  });

  it('changes exactly one line of the file when one line of a five-line answer changes', () => {
    const [id, other] = questionIds();
    const c = newCycle('2026-27', 'Exampleshire County Council', t.ws.bank);
    const lines = [
      '64% of carers are grandparents',
      '12 SGO households',
      'since 2019',
      'data from the annual return',
      'to be checked',
    ];
    setAnswer(c, id as string, answered(lines.join('\n')), '2026-01-15');
    setAnswer(c, other as string, answered('another answer'), '2026-01-15');
    const before = serializeCycle(c, t.ws.bank).split('\n');
    const edited = [...lines];
    edited[2] = 'since 2018';
    // same day, so the `changed` date does not move: only the edited line may differ
    setAnswer(c, id as string, answered(edited.join('\n')), '2026-01-15');
    const after = serializeCycle(c, t.ws.bank).split('\n');
    expect(after.length).toBe(before.length);
    const differing = after.map((l, i) => (l === before[i] ? -1 : i)).filter((i) => i >= 0);
    expect(differing.length).toBe(1);
    expect(after[differing[0] as number]).toContain('since 2018');
  });
});

describe('setAnswer and the changed date', () => {
  it('moves the changed date only for the answer that changed', () => {
    const [a, b] = questionIds() as [string, string];
    const c = newCycle('2026-27', 'Exampleshire County Council', t.ws.bank);
    expect(setAnswer(c, a, answered('first'), '2026-01-10')).toBe(true);
    expect(setAnswer(c, b, answered('second'), '2026-01-10')).toBe(true);
    // re-confirming the same answer later changes nothing
    expect(setAnswer(c, a, answered('first\n'), '2026-01-20')).toBe(false);
    expect(c.answers[a]?.changed).toBe('2026-01-10');
    expect(setAnswer(c, b, answered('second, revised'), '2026-01-20')).toBe(true);
    expect(c.answers[a]?.changed).toBe('2026-01-10');
    expect(c.answers[b]?.changed).toBe('2026-01-20');
    // a rating alone is a change too
    expect(setAnswer(c, a, { ...answered('first'), rating: 'amber' }, '2026-01-21')).toBe(true);
    expect(c.answers[a]?.changed).toBe('2026-01-21');
  });
});

describe('updateCycle', () => {
  it('creates a cycle only when asked to', async () => {
    await expect(updateCycle(t.ws, '2026-27', () => {})).rejects.toBeInstanceOf(UsageError);
    await updateCycle(t.ws, '2026-27', () => {}, { create: true });
    const cycle = await readCycle(t.ws, '2026-27');
    expect(cycle.authority).toBe('Exampleshire County Council');
    expect(await listCycleIds(t.ws)).toEqual(['2026-27']);
    expect(await readdir(t.dir)).toEqual(expect.arrayContaining(['2026-27.json', '2026-27.md']));
  });

  it('leaves the file byte-identical and its mtime unchanged when nothing changed', async () => {
    const [a, b] = questionIds() as [string, string];
    await updateCycle(
      t.ws,
      '2026-27',
      (c) => {
        setAnswer(c, a, answered('line 1\nline 2'), '2026-01-10');
        setAnswer(c, b, { status: 'needs-data', needs: ['SGO numbers by age'] }, '2026-01-10');
      },
      { create: true },
    );
    const file = cyclePath(t.ws, '2026-27');
    const report = path.join(t.dir, '2026-27.md');
    const bytes = await readFile(file);
    const mtime = (await stat(file)).mtimeMs;
    const reportMtime = (await stat(report)).mtimeMs;
    await sleep(30);
    await updateCycle(t.ws, '2026-27', () => {});
    await updateCycle(t.ws, '2026-27', (c) => {
      setAnswer(c, a, answered('line 1\nline 2\n'), '2026-01-15');
    });
    expect(await readFile(file)).toEqual(bytes);
    expect((await stat(file)).mtimeMs).toBe(mtime);
    expect((await stat(report)).mtimeMs).toBe(reportMtime);
    expect((await readCycle(t.ws, '2026-27')).answers[a]?.changed).toBe('2026-01-10');
    // no lock or temp file is left behind
    expect((await readdir(t.dir)).sort()).toEqual(['2026-27.json', '2026-27.md', 'kinship-reflect.yaml']);
  });

  it('moves the changed date on disk only for the changed answer', async () => {
    const [a, b] = questionIds() as [string, string];
    await updateCycle(
      t.ws,
      '2026-27',
      (c) => {
        setAnswer(c, a, answered('first'), '2026-01-10');
        setAnswer(c, b, answered('second'), '2026-01-10');
      },
      { create: true },
    );
    const before = (await readFile(cyclePath(t.ws, '2026-27'), 'utf8')).split('\n');
    await updateCycle(t.ws, '2026-27', (c) => {
      setAnswer(c, a, answered('first'), '2026-01-15');
      setAnswer(c, b, answered('second, revised'), '2026-01-15');
    });
    const after = (await readFile(cyclePath(t.ws, '2026-27'), 'utf8')).split('\n');
    const cycle = await readCycle(t.ws, '2026-27');
    expect(cycle.answers[a]?.changed).toBe('2026-01-10');
    expect(cycle.answers[b]?.changed).toBe('2026-01-15');
    const differing = after.filter((l, i) => l !== before[i]);
    expect(differing).toEqual(['        "second, revised"', '      "changed": "2026-01-15"']);
  });
});

describe('cycle ids', () => {
  it.each(['../x', '', 'a b', 'con', 'CON', 'x.json', '.hidden', 'a/b', 'a\\b', '-x', 'x'.repeat(65), 'nul'])(
    'refuses %j with a usage error',
    async (id) => {
      expect(() => cyclePath(t.ws, id)).toThrow(UsageError);
      expect(() => assertCycleId(id)).toThrow(/cannot be used as a cycle id|is the name of a Windows device/);
      await expect(resolveCycleId(t.ws, id)).rejects.toBeInstanceOf(UsageError);
      await expect(updateCycle(t.ws, id, () => {}, { create: true })).rejects.toBeInstanceOf(UsageError);
    },
  );

  it.each(['2025-26', '2026-q1', 'notes', 'demo_2', 'Q3'])('accepts %j', (id) => {
    expect(cyclePath(t.ws, id)).toBe(path.join(t.dir, `${id}.json`));
  });
});

describe('listCycleIds', () => {
  it('lists cycle files in natural order and never temp, lock, hidden or other files', async () => {
    const names = [
      '2026-q10.json',
      '2026-q2.json',
      'notes.json',
      '.2026-27.json.1234.abcdef12.tmp',
      '.2026-27.lock',
      '.2026-27.lock.1234.abcdef12.stale',
      '.hidden.json',
      'a b.json',
      'con.json',
      '2026-q2.md',
      'readme.txt',
      'x.json.bak',
    ];
    for (const n of names) await writeFile(path.join(t.dir, n), '{}');
    expect(await listCycleIds(t.ws)).toEqual(['2026-q2', '2026-q10', 'notes']);
    expect(await resolveCycleId(t.ws)).toBe('notes');
  });

  it('returns nothing for a folder that does not exist', async () => {
    expect(await listCycleIds({ dir: path.join(t.dir, 'missing') })).toEqual([]);
  });
});

describe('cleanStrayTempFiles', () => {
  it('removes temp files of dead writers and old ones, and keeps those of live writers', async () => {
    const dead = deadPid();
    const live = process.ppid; // the process that started this test runner is alive
    const deadTemp = `.2026-27.json.${dead}.abcdef12.tmp`;
    const liveTemp = `.2026-27.json.${live}.0123abcd.tmp`;
    const oldLiveTemp = `.2026-26.json.${live}.0badf00d.tmp`;
    const ownTemp = `.2026-25.json.${process.pid}.12345678.tmp`;
    const lookalike = `2026-27.json.${dead}.abcdef12.tmp`; // not hidden: not ours to remove
    for (const n of [deadTemp, liveTemp, oldLiveTemp, ownTemp, lookalike])
      await writeFile(path.join(t.dir, n), 'partial');
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    await utimes(path.join(t.dir, oldLiveTemp), twoHoursAgo, twoHoursAgo);
    const removed = await cleanStrayTempFiles(t.dir);
    expect(removed.sort()).toEqual([oldLiveTemp, deadTemp].sort());
    const left = await readdir(t.dir);
    expect(left).toEqual(expect.arrayContaining([liveTemp, ownTemp, lookalike, 'kinship-reflect.yaml']));
    expect(left).not.toContain(deadTemp);
    expect(left).not.toContain(oldLiveTemp);
  });

  it('does nothing in a folder that does not exist', async () => {
    expect(await cleanStrayTempFiles(path.join(t.dir, 'missing'))).toEqual([]);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves no temp file', async () => {
    const file = path.join(t.dir, 'x.json');
    await writeFileAtomic(file, 'one\n');
    await writeFileAtomic(file, 'two\n');
    expect(await readFile(file, 'utf8')).toBe('two\n');
    expect((await readdir(t.dir)).sort()).toEqual(['kinship-reflect.yaml', 'x.json']);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o644 & ~process.umask());
  });
});

describe('a corrupt cycle file', () => {
  const valid = async () => {
    await updateCycle(
      t.ws,
      '2026-27',
      (c) => {
        setAnswer(c, questionIds()[0] as string, answered('64% of carers are grandparents'), '2026-01-10');
      },
      { create: true },
    );
    return readFile(cyclePath(t.ws, '2026-27'), 'utf8');
  };

  async function expectRefused(corrupt: string, where: { line: number; column?: number }) {
    const file = cyclePath(t.ws, '2026-27');
    await writeFile(file, corrupt);
    const error = await readCycle(t.ws, '2026-27').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const problems = (error as ValidationError).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.file).toBe(path.join(path.basename(t.dir), '2026-27.json'));
    expect(problems[0]?.line).toBe(where.line);
    if (where.column !== undefined) expect(problems[0]?.column).toBe(where.column);
    expect((error as Error).message).toMatch(/left untouched/);
    await expect(readCycleFile(file, t.ws.bank)).rejects.toBeInstanceOf(ValidationError);
    // no command writes over it
    const mutated = await updateCycle(t.ws, '2026-27', (c) => {
      setAnswer(c, questionIds()[1] as string, answered('x'), '2026-01-15');
    }).catch((e: unknown) => e);
    expect(mutated).toBeInstanceOf(ValidationError);
    await expect(
      updateCycle(t.ws, '2026-27', () => {}, { create: true, force: true }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await readFile(file, 'utf8')).toBe(corrupt);
    expect((await readdir(t.dir)).sort()).toEqual(['2026-27.json', '2026-27.md', 'kinship-reflect.yaml']);
  }

  it('is refused with its position when the JSON is truncated', async () => {
    const text = await valid();
    const cut = text.slice(0, Math.floor(text.length * 0.6));
    const lines = cut.split('\n');
    const error = parseCycleText(cut, 'c.json').problems[0];
    expect(error?.message).toMatch(/truncated/);
    await expectRefused(cut, { line: lines.length });
  });

  it('is refused with its position when a value has the wrong type', async () => {
    const text = await valid();
    const broken = text.replace('"status": "answered"', '"status": 42');
    const line = broken.split('\n').findIndex((l) => l.includes('"status": 42')) + 1;
    expect(line).toBeGreaterThan(1);
    await expectRefused(broken, { line, column: 17 });
  });

  it('is refused with its position on a syntax error', async () => {
    const text = await valid();
    const broken = text.replace('"authority":', '"authority"');
    const line = broken.split('\n').findIndex((l) => l.includes('"authority"')) + 1;
    await expectRefused(broken, { line });
  });

  it('is refused when a status does not fit the item', async () => {
    const text = await valid();
    const broken = text.replace('"status": "answered"', '"status": "in-place"');
    const line = broken.split('\n').findIndex((l) => l.includes('"in-place"')) + 1;
    await expectRefused(broken, { line });
  });
});
