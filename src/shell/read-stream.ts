import type { Readable } from 'node:stream';
import { UsageError } from '../core/errors.ts';

/** Read a whole stream as UTF-8, refusing more than `cap` bytes. */
export async function readAll(stream: Readable, cap = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > cap)
      throw new UsageError(
        `the input is over ${Math.round(cap / 1024)} KB; an answer should be shorter than that.`,
      );
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}
