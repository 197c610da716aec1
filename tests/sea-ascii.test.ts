/**
 * The executable's bundle is made ASCII (scripts/sea/ascii.mjs) so that V8 gets a one-byte string:
 * the regular expressions and String.raw templates it escapes must mean exactly what they meant.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script, plain JavaScript without types
import { asciiOnly } from '../scripts/sea/ascii.mjs';

const convert = (code: string): string => asciiOnly(code, () => undefined);
const isAscii = (s: string) => /^[\x00-\x7f]*$/.test(s);
/** The value of an expression, evaluated as the bundle would be. */
const value = (expression: string): unknown => new Function(`return (${expression});`)();

/** Every character class and position the bundle's expressions use, and a few more. */
const SAMPLES = [
  "it's",
  'it’s',
  '‘quoted’',
  '“double”',
  '2024–25',
  '2024—25',
  '£5 and €6',
  'naïve café',
  'x😀y',
  '😀',
  'plain',
];

describe('asciiOnly', () => {
  it.each([
    String.raw`/[\p{L}\p{N}_'’-]/u`,
    "/['’]/",
    '/[.!?]["”’)]?\\s+(?=[A-Z"“(])/g',
    '/(?<![\\w.,/£$€%+-])\\d{3}/',
    '/^[<!\\-–—\\s]*([a-z]+)/',
    '/x😀y/',
    '/[😀]/u',
    '/café/i',
  ])('escapes the regular expression %s to one that matches the same', (literal) => {
    const code = `const re = ${literal};`;
    const out = convert(code);
    expect(isAscii(out)).toBe(true);
    const before = value(literal) as RegExp;
    const after = value(out.slice('const re = '.length, -1)) as RegExp;
    expect(after.flags).toBe(before.flags);
    for (const s of SAMPLES) expect(s.match(after), s).toEqual(s.match(before));
  });

  it('turns a String.raw template into one with the same value', () => {
    const expressions = [
      "String.raw`(\\d{4}|['’]\\d{2})`",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source of a template literal, on purpose
      'String.raw`^\\s*(?:[-–—]|to)\\s*${"\\\\d+"}’x${1 + 1}😀`',
      'String.raw`–`',
    ];
    for (const e of expressions) {
      const out = convert(e);
      expect(isAscii(out), out).toBe(true);
      expect(value(out)).toBe(value(e));
    }
  });

  it('leaves what it cannot prove the same, and says so', () => {
    const warnings: string[] = [];
    // another tag function sees its strings split differently; a character after a backslash
    const code = 'const t = tag`’`;\nconst r = /\\’/;';
    const out = asciiOnly(code, (m: string) => warnings.push(m));
    expect(out).toBe(code);
    expect(warnings.join('')).toMatch(/lines 1, 2/);
  });

  it('returns ASCII code as it is', () => {
    const code = 'const a = "\\u2019", b = /x/;';
    expect(convert(code)).toBe(code);
  });
});
