import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32Hex, sha256Hex } from '../src/core/hash.ts';

/** Random text mixing ASCII, accented letters, emoji (surrogate pairs), lone surrogates and controls. */
function randomText(seed: number): string {
  let s = seed;
  const next = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s;
  };
  const pieces = [
    'a',
    'Z',
    ' ',
    '\n',
    '\r\n',
    'é',
    'ß',
    '£',
    '—',
    '😀',
    '\ud800',
    '\udfff',
    '\u0000',
    '\t',
    'KP1',
    '<!--',
  ];
  let out = '';
  const length = next() % 400;
  for (let i = 0; i < length; i++) {
    const r = next();
    out += r % 3 === 0 ? (pieces[r % pieces.length] as string) : String.fromCharCode(32 + (r % 95));
  }
  return out;
}

describe('crc32Hex', () => {
  it('gives the value node:zlib gives, for 2,000 texts of every kind of character', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const text = randomText(seed);
      expect(crc32Hex(text), JSON.stringify(text)).toBe(crc32(text).toString(16).padStart(8, '0'));
    }
  });

  it('knows the standard check value and the empty text', () => {
    expect(crc32Hex('123456789')).toBe('cbf43926');
    expect(crc32Hex('')).toBe('00000000');
  });

  it('gives the value node:zlib gives for a long report', () => {
    const long = Array.from({ length: 3000 }, (_, i) => `Line ${i}: 240 households — 61% grandparents.`).join(
      '\n',
    );
    expect(crc32Hex(long)).toBe(crc32(long).toString(16).padStart(8, '0'));
  });
});

describe('sha256Hex', () => {
  it('is the SHA-256 of the UTF-8 text', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
