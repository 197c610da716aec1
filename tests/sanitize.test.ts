import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasUnsafeCharacters, sanitizeForTerminal, sanitizeInline } from '../src/core/sanitize.ts';

/** Everything a terminal might act on: C0 but newline and tab, DEL, C1, bidi embeddings/overrides/isolates/marks. */
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

// Strings rich in the dangerous characters, mixed with ordinary text and backslashes.
const dangerous = fc.constantFrom(
  '\x1b',
  '\x07',
  '\x9b',
  '\x9d',
  '\x7f',
  '\r',
  '\b',
  '\u202e',
  '\u2066',
  '\u200f',
  '\u061c',
  '\\',
  '\n',
  '\t',
  ']0;',
  '[2J',
  'é',
  '😀',
);
const hostile = fc
  .array(fc.oneof(fc.string({ unit: 'binary' }), dangerous), { maxLength: 30 })
  .map((a) => a.join(''));

describe('sanitizeForTerminal', () => {
  it('never lets a control, DEL, C1 or bidi character through (any string)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), hostile), (s) => {
        const out = sanitizeForTerminal(s);
        expect(UNSAFE.test(out)).toBe(false);
        expect(hasUnsafeCharacters(out)).toBe(false);
        expect(hasUnsafeCharacters(s)).toBe(UNSAFE.test(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps newlines, tabs and ordinary text exactly', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!UNSAFE.test(s));
        expect(sanitizeForTerminal(s)).toBe(s);
      }),
      { numRuns: 2000 },
    );
    expect(sanitizeForTerminal('Exampleshire\tCounty\nCouncil — 64% é 😀')).toBe(
      'Exampleshire\tCounty\nCouncil — 64% é 😀',
    );
  });

  it('is safe to apply twice: the second pass adds nothing dangerous and changes nothing', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const once = sanitizeForTerminal(s);
        const twice = sanitizeForTerminal(once);
        expect(twice).toBe(once);
        expect(UNSAFE.test(twice)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('shows known attacks as visible escapes', () => {
    const cases: Array<[string, string]> = [
      ['\x1b]0;pwned\x07', '\\x1B]0;pwned\\x07'], // OSC 0: set the window title
      [
        '\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\',
        '\\x1B]8;;https://evil.example/\\x1B\\click\\x1B]8;;\\x1B\\',
      ], // OSC 8 link
      ['\x1b[2J\x1b[H', '\\x1B[2J\\x1B[H'], // clear screen, cursor home
      ['\x9b2J', '\\x9B2J'], // C1 CSI
      ['\x9d0;title\x9c', '\\x9D0;title\\x9C'], // C1 OSC … ST
      ['abc\u202edcba', 'abc\\u202Edcba'], // right-to-left override
      ['\u2066x\u2069', '\\u2066x\\u2069'], // isolates
      ['line\rover', 'line\\x0Dover'], // carriage return overwriting the line
      ['\x7f', '\\x7F'],
    ];
    for (const [input, expected] of cases) {
      expect(sanitizeForTerminal(input)).toBe(expected);
      expect(sanitizeForTerminal(input)).not.toMatch(UNSAFE);
    }
  });
});

describe('sanitizeInline', () => {
  it('also escapes newlines and tabs, for one-line contexts', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = sanitizeInline(s);
        expect(out).not.toMatch(/[\n\t]/);
        expect(UNSAFE.test(out)).toBe(false);
      }),
      { numRuns: 2000 },
    );
    expect(sanitizeInline('a\nb\tc\x1b')).toBe('a\\nb\\tc\\x1B');
  });
});
