import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, TABLE } from '../src/core/crc32.ts';
import { crc32Hex } from '../src/core/hash.ts';

/** Text mixing ASCII, accented letters, emoji (surrogate pairs), lone surrogates and controls. */
function randomText(seed: number, maxLength: number): string {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s;
  };
  const pieces = ['é', 'ß', '£', '—', '😀', '\ud800', '\udfff', '\u0000', '\r\n', '\t', '<!--', '中'];
  let out = '';
  const length = next() % maxLength;
  for (let i = 0; i < length; i++) {
    const r = next();
    out += r % 4 === 0 ? (pieces[r % pieces.length] as string) : String.fromCharCode(32 + (r % 95));
  }
  return out;
}

describe('crc32 (WebAssembly) gives what node:zlib gives', () => {
  it('uses the table of the polynomial 0xEDB88320, entry for entry', () => {
    const computed = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    });
    expect(TABLE).toEqual(computed);
  });

  it('for 3,000 texts of every kind of character, in any order of sizes', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const text = randomText(seed, seed % 100 === 0 ? 50_000 : 300);
      expect(crc32(text), JSON.stringify(text.slice(0, 80))).toBe(zlibCrc32(text));
    }
  });

  it('for texts that make its memory grow, and smaller ones after them', () => {
    for (const size of [70_000, 1_000_000, 10, 300_000, 0]) {
      const text = 'Around 240 kinship households — 61% grandparents. '.repeat(size / 50 + 1).slice(0, size);
      expect(crc32(text)).toBe(zlibCrc32(text));
    }
    const wide = '中😀'.repeat(200_000); // three and four bytes a character: the most UTF-8 needs
    expect(crc32(wide)).toBe(zlibCrc32(wide));
  });

  it('knows the standard check value and the empty text', () => {
    expect(crc32Hex('123456789')).toBe('cbf43926');
    expect(crc32Hex('')).toBe('00000000');
    expect(crc32Hex('a')).toBe(zlibCrc32('a').toString(16).padStart(8, '0'));
  });
});
