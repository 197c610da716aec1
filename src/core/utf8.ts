/**
 * Strict UTF-8 for files the tool reads: a byte-order mark (Notepad adds one) is accepted and dropped;
 * bytes that are not UTF-8 (a file saved as Latin-1, say) are refused with their byte offset instead
 * of silently becoming U+FFFD and being saved that way. Pure: bytes in, text or a problem out.
 */

export interface Utf8Problem {
  /** 0-based offset of the first byte that is not part of valid UTF-8. */
  offset: number;
  /** 1-based line and column (in characters decoded so far) of that byte. */
  line: number;
  column: number;
  /** The offending byte, `0xE9`. */
  byte: string;
}

const BOM = [0xef, 0xbb, 0xbf];

/** True when the bytes start with the UTF-8 byte-order mark. */
export function hasBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

/**
 * The offset of the first byte that breaks UTF-8 (overlong forms, surrogates, code points past
 * U+10FFFF and truncated sequences included), or -1 when all of it is valid. Only called on the slow
 * path, after the platform's decoder has refused the bytes; checked against it in tests/utf8.test.ts.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    if (i + need > n - 1) return i;
    const b1 = bytes[i + 1] as number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b === 0xe0) lo = 0xa0;
    else if (b === 0xed) hi = 0x9f;
    else if (b === 0xf0) lo = 0x90;
    else if (b === 0xf4) hi = 0x8f;
    if (b1 < lo || b1 > hi) return i;
    for (let k = 2; k <= need; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decode a file's bytes as strict UTF-8, dropping a byte-order mark; a problem when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { problem: Utf8Problem } {
  const body = hasBom(bytes) ? bytes.subarray(3) : bytes;
  try {
    return { text: strict.decode(body) };
  } catch {
    const at = firstInvalidUtf8(body);
    const offset = at < 0 ? body.length : at;
    const before = strict.decode(body.subarray(0, offset));
    const lastLf = before.lastIndexOf('\n');
    const line = (before.match(/\n/g)?.length ?? 0) + 1;
    const column = before.length - lastLf;
    const byte = `0x${(body[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
    return { problem: { offset: offset + (body === bytes ? 0 : 3), line, column, byte } };
  }
}

/** `byte 1234 (line 40, column 17) is not UTF-8 (0xE9): …save it as UTF-8…` */
export function describeUtf8Problem(p: Utf8Problem): string {
  return (
    `byte ${p.offset} (line ${p.line}, column ${p.column}) is not UTF-8 (${p.byte}): the file was saved in ` +
    'another encoding, such as Latin-1 or Windows-1252; save it as UTF-8 and try again (nothing was changed)'
  );
}
