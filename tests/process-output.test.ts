/**
 * ProcessOutput (src/shell/context.ts): standard output and error written without building Node's
 * stream when they are a file or a pipe, in order, and handing over to the stream when a pipe is full.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcessOutput } from '../src/shell/context.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kr-output-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fifo(): string {
  const file = path.join(dir, 'pipe');
  execFileSync('mkfifo', [file]);
  return file;
}

const noStream = (): never => {
  throw new Error('the stream should not have been needed');
};

describe('ProcessOutput', () => {
  it('writes to a file in order, without building a stream, and is not a terminal', () => {
    const file = path.join(dir, 'out.txt');
    const fd = openSync(file, 'w');
    try {
      const out = new ProcessOutput(fd as 1, noStream, noStream);
      expect(out.isTTY).toBe(false);
      expect(out.columns).toBeUndefined();
      out.write('Changes from 2025-26 to 2026-27\n');
      out.write('£ and “quotes” and 🙂\n');
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8')).toBe('Changes from 2025-26 to 2026-27\n£ and “quotes” and 🙂\n');
  });

  it('a reader that has gone (| head) is reported once as a broken pipe, not thrown', () => {
    const file = fifo();
    const reader = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(file, constants.O_WRONLY | constants.O_NONBLOCK);
    closeSync(reader);
    let broken = 0;
    try {
      const out = new ProcessOutput(writer as 1, noStream, () => {
        broken++;
      });
      expect(out.write('lost\n')).toBe(false);
    } finally {
      closeSync(writer);
    }
    expect(broken).toBe(1);
  });

  it('a full non-blocking pipe hands the rest, and every later write, to the stream, in order', async () => {
    const file = fifo();
    const reader = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(file, constants.O_WRONLY | constants.O_NONBLOCK);
    let stream: Socket | undefined;
    const out = new ProcessOutput(
      writer as 1,
      () => {
        stream = new Socket({ fd: writer, readable: false, writable: true });
        return stream as unknown as NodeJS.WriteStream;
      },
      noStream,
    );
    // a pipe holds 64 KB: 1 MB cannot go at once
    const big = `${'0123456789abcdef'.repeat(65_536)}\n`;
    out.write('first\n');
    out.write(big);
    out.write('last\n');
    expect(stream).toBeDefined();
    const expected = `first\n${big}last\n`;
    const chunks: Buffer[] = [];
    let got = 0;
    const buffer = Buffer.alloc(65_536);
    while (got < Buffer.byteLength(expected)) {
      let n = 0;
      try {
        n = readSync(reader, buffer);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      }
      if (n > 0) {
        chunks.push(Buffer.from(buffer.subarray(0, n)));
        got += n;
      } else await tick();
    }
    stream?.destroy();
    closeSync(reader);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
  });

  it('anything else (a character device such as /dev/null or a terminal) uses the stream', () => {
    const fd = openSync('/dev/null', 'w');
    const written: string[] = [];
    const fake = {
      isTTY: true,
      columns: 120,
      write: (s: string) => written.push(s) > 0,
      on: () => fake,
    };
    try {
      const out = new ProcessOutput(fd as 1, () => fake as unknown as NodeJS.WriteStream, noStream);
      expect(out.isTTY).toBe(true);
      expect(out.columns).toBe(120);
      out.write('to the stream\n');
    } finally {
      closeSync(fd);
    }
    expect(written).toEqual(['to the stream\n']);
  });
});
