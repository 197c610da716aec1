/**
 * The rules for reading the user's files and walking folders (src/shell/files.ts): regular files
 * only (a FIFO is refused without being opened, so nothing hangs), no links to cycle files, a size
 * cap, hidden folders not entered, and nothing skipped in silence.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CycleNotFoundError, UsageError } from '../src/core/errors.ts';
import { readCycleText } from '../src/shell/cycle-store.ts';
import { readFileCapped, walkFiles } from '../src/shell/files.ts';

let dir: string;
const hasMkfifo = spawnSync('sh', ['-c', 'command -v mkfifo']).status === 0;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kr-files-'));
  writeFileSync(path.join(dir, 'a.json'), '{"a": 1}');
  writeFileSync(path.join(dir, 'b.md'), '# b');
  writeFileSync(path.join(dir, 'notes.txt'), 'not wanted');
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'sub', 'c.json'), '{}');
  mkdirSync(path.join(dir, '.hidden'));
  writeFileSync(path.join(dir, '.hidden', 'secret.json'), '{}');
  mkdirSync(path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, 'node_modules', 'dep.json'), '{}');
  symlinkSync(path.join(dir, 'a.json'), path.join(dir, 'link.json'));
  if (hasMkfifo) spawnSync('mkfifo', [path.join(dir, 'pipe.json')]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const read = (name: string, links: 'refuse' | 'follow' = 'refuse', maxBytes = 1000) =>
  readFileCapped(path.join(dir, name), {
    shown: name,
    maxBytes,
    links,
    tooLarge: (size) => new UsageError(`too large: ${size}`),
  });

const message = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('readFileCapped', () => {
  it('reads a regular file, and says when there is none', () => {
    expect(read('a.json')).toBe('{"a": 1}');
    expect(read('missing.json')).toBeUndefined();
  });

  it('refuses a link to a cycle file, naming it and saying to copy the file in', () => {
    expect(message(() => read('link.json'))).toBe(
      'link.json is a symbolic link; kinship-reflect does not follow links to cycle files. Copy the file in instead (e.g. cp -L).',
    );
    expect(read('link.json', 'follow')).toBe('{"a": 1}');
  });

  it.skipIf(!hasMkfifo)('refuses a FIFO at once, without opening it (opening one would wait)', () => {
    const started = Date.now();
    expect(message(() => read('pipe.json'))).toBe('pipe.json is a named pipe (FIFO), not a file');
    expect(message(() => read('pipe.json', 'follow'))).toMatch(/FIFO/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a folder, and a file over the cap by its size', () => {
    expect(message(() => read('sub'))).toBe('sub is a folder, not a file');
    expect(message(() => read('b.md', 'refuse', 2))).toBe('too large: 3');
  });

  it('cycle files are read by the same rules', () => {
    expect(() => readCycleText(path.join(dir, 'link.json'), 'link.json')).toThrow(UsageError);
    expect(readCycleText(path.join(dir, 'missing.json'))).toBeUndefined();
  });
});

describe('walkFiles', () => {
  it('yields wanted files by name, a folder`s files before its subfolders, and skips hidden folders', async () => {
    const reported: string[] = [];
    const files: string[] = [];
    const wanted = (name: string) => name.endsWith('.json') || name.endsWith('.md');
    for await (const f of walkFiles(dir, wanted, (file, reason) =>
      reported.push(`${path.relative(dir, file)}: ${reason}`),
    ))
      files.push(path.relative(dir, f));
    expect(files).toEqual(['a.json', 'b.md', path.join('sub', 'c.json')]);
    expect(reported).toEqual([
      'link.json: is a symbolic link, which is not followed; copy the file in instead',
      ...(hasMkfifo ? ['pipe.json: is a named pipe (FIFO), not a file'] : []),
    ]);
  });

  it('yields a file it is given, and reports a path that is not there', async () => {
    const reported: string[] = [];
    const files: string[] = [];
    for await (const f of walkFiles(
      path.join(dir, 'a.json'),
      () => false,
      () => {},
    ))
      files.push(f);
    for await (const f of walkFiles(
      path.join(dir, 'nope'),
      () => true,
      (_, r) => reported.push(r),
    ))
      files.push(f);
    expect(files).toEqual([path.join(dir, 'a.json')]);
    expect(reported).toEqual(['no such file or folder']);
  });
});

describe('CycleNotFoundError', () => {
  it('is a usage error (exit 2), told apart by its type', () => {
    const error = new CycleNotFoundError('there is no cycle "x"', 'x.json');
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toBeInstanceOf(CycleNotFoundError);
    expect(new UsageError('x')).not.toBeInstanceOf(CycleNotFoundError);
    expect(error.file).toBe('x.json');
  });
});
