/**
 * Strict UTF-8 (issue 15): a byte-order mark and CRLF are accepted and the file is rewritten only when
 * an answer changes; bytes that are not UTF-8 are refused with their offset, never replaced.
 */
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8 } from '../src/core/utf8.ts';
import { answeredWorkspace, runCli } from './helpers/run-cli.ts';

const platform = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const decodesOk = (bytes: Uint8Array) => {
  try {
    platform.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('firstInvalidUtf8 agrees with the platform decoder', () => {
  it('on random bytes and on mutated valid text', () => {
    const mutated = fc
      .tuple(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }))),
      )
      .map(([s, edits]) => {
        const bytes = new Uint8Array(Buffer.from(s, 'utf8'));
        for (const [at, value] of edits) if (bytes.length > 0) bytes[at % bytes.length] = value;
        return bytes;
      });
    const arbitraryBytes = fc.oneof(fc.uint8Array({ maxLength: 24 }), mutated);
    fc.assert(
      fc.property(arbitraryBytes, (bytes) => {
        const at = firstInvalidUtf8(bytes);
        expect(at === -1).toBe(decodesOk(bytes));
        // everything before the offset decodes; the offset itself starts the bad sequence
        if (at >= 0) expect(decodesOk(bytes.subarray(0, at))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('names overlong forms, surrogates, truncation and bytes past U+10FFFF', () => {
    for (const [bytes, at] of [
      [[0x41, 0xc0, 0x80], 1],
      [[0xed, 0xa0, 0x80], 0],
      [[0x41, 0x42, 0xe2, 0x82], 2],
      [[0xf4, 0x90, 0x80, 0x80], 0],
      [[0x63, 0x61, 0x66, 0xe9], 3],
    ] as Array<[number[], number]>) {
      expect(firstInvalidUtf8(new Uint8Array(bytes))).toBe(at);
    }
  });

  it('gives the line and column of a Latin-1 é, and drops a byte-order mark', () => {
    const latin1 = new Uint8Array(Buffer.from('{\n  "a": "caf\u00e9"\n}', 'latin1'));
    expect(decodeUtf8(latin1)).toEqual({ problem: { offset: 13, line: 2, column: 12, byte: '0xE9' } });
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toEqual({ text: '{}' });
  });
});

describe('cycle files on disk', () => {
  let dir = '';
  let file = '';
  beforeAll(async () => {
    dir = await answeredWorkspace('kinship-reflect-utf8-', 'Café for carers');
    file = path.join(dir, 'ws', '2026-27.json');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a file saved as Latin-1 is refused with the byte offset, and left as it was', async () => {
    const utf8 = await readFile(file, 'utf8');
    const latin1 = Buffer.from(utf8, 'latin1');
    await writeFile(file, latin1);
    const offset = latin1.indexOf(0xe9);
    for (const args of [
      ['status', '--cycle', '2026-27'],
      ['answer', 'assess.carers.couples', '--cycle', '2026-27', '--text', '240'],
    ]) {
      const r = await runCli([...args, '--dir', 'ws'], { cwd: dir });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toContain(`byte ${offset} (line`);
      expect(r.stderr).toContain('is not UTF-8 (0xE9)');
      expect(Buffer.compare(await readFile(file), latin1)).toBe(0);
    }
    await writeFile(file, utf8);
  });

  it('a byte-order mark and CRLF are accepted; the file is rewritten only when an answer changes', async () => {
    const utf8 = await readFile(file, 'utf8');
    const windows = `\uFEFF${utf8.replace(/\n/g, '\r\n')}`;
    await writeFile(file, windows);
    const before = await stat(file);
    const read = await runCli(['status', '--cycle', '2026-27', '--dir', 'ws'], { cwd: dir });
    expect(read.code, read.stderr).toBe(0);
    const same = await runCli(
      [
        'answer',
        'assess.carers.demographics',
        '--cycle',
        '2026-27',
        '--dir',
        'ws',
        '--text',
        'Café for carers',
      ],
      { cwd: dir },
    );
    expect(same.code, same.stderr).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(windows);
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    const changed = await runCli(
      [
        'answer',
        'assess.carers.demographics',
        '--cycle',
        '2026-27',
        '--dir',
        'ws',
        '--text',
        'Café, twice a month',
      ],
      { cwd: dir },
    );
    expect(changed.code, changed.stderr).toBe(0);
    expect(await readFile(file, 'utf8')).toContain('Café, twice a month');
  });
});
