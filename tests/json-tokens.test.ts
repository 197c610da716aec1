import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  locateJsonPath,
  locateJsonPaths,
  parseJsonByScan,
  parseJsonSafely,
  scanJsonKeys,
} from '../src/core/json-text.ts';
import {
  decodeJsonString,
  decodeJsonStringWithOffsets,
  forEachJsonToken,
  type JsonPathSegment,
  type JsonTokenKind,
} from '../src/core/json-tokens.ts';
import { lineStarts, offsetIn, positionIn, positionOf } from '../src/core/text-position.ts';

type Seen = [JsonTokenKind, number, JsonPathSegment[], string?];

function tokens(text: string, literals = true): Seen[] {
  const out: Seen[] = [];
  forEachJsonToken(
    text,
    (t) => {
      const entry: Seen = [t.kind, t.offset, [...t.path]];
      if (t.kind === 'string' || t.kind === 'key') entry.push(decodeJsonString(text, t));
      out.push(entry);
      return true;
    },
    { literals },
  );
  return out;
}

/** The value at `path` of a parsed JSON value. */
function at(value: unknown, path: readonly JsonPathSegment[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], value);
}

describe('forEachJsonToken', () => {
  it('gives each token its kind, offset, path and decoded text', () => {
    expect(tokens('{"a": [1, {"b\\"": "x\\ny"}], "c": null}')).toEqual([
      ['begin-object', 0, []],
      ['key', 1, ['a'], 'a'],
      ['begin-array', 6, ['a']],
      ['literal', 7, ['a', 0]],
      ['begin-object', 10, ['a', 1]],
      ['key', 11, ['a', 1, 'b"'], 'b"'],
      ['string', 18, ['a', 1, 'b"'], 'x\ny'],
      ['end', 24, ['a', 1]],
      ['end', 25, ['a']],
      ['key', 28, ['c'], 'c'],
      ['literal', 33, ['c']],
      ['end', 37, []],
    ]);
  });

  it('skips literals unless asked for them', () => {
    expect(tokens('[1, "x", true]', false).map((t) => t[0])).toEqual(['begin-array', 'string', 'end']);
  });

  it('agrees with JSON.parse on the path and text of every value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.boolean(), (v, pretty) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined);
        const parsed: unknown = JSON.parse(text);
        forEachJsonToken(
          text,
          (t) => {
            if (t.kind === 'string') expect(decodeJsonString(text, t)).toBe(at(parsed, t.path));
            if (t.kind === 'literal')
              expect(JSON.parse(text.slice(t.offset, t.end))).toEqual(at(parsed, t.path));
            if (t.kind === 'begin-object' || t.kind === 'begin-array') {
              expect(typeof at(parsed, t.path)).toBe('object');
            }
            return true;
          },
          { literals: true },
        );
      }),
      { numRuns: 300 },
    );
  });

  it('ends on any text, however deep or broken, without recursion', () => {
    let n = 0;
    forEachJsonToken('['.repeat(200_000), () => {
      n++;
      return true;
    });
    expect(n).toBe(200_000);
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => {
        forEachJsonToken(text, () => true, { literals: true });
      }),
    );
  });

  it('stops when the visitor says so', () => {
    let n = 0;
    forEachJsonToken('[1, 2, 3]', () => ++n < 2, { literals: true });
    expect(n).toBe(2);
  });
});

describe('scanJsonKeys (a lean loop of its own, for speed)', () => {
  /** The keys the tokenizer sees, and how deep it goes: what scanJsonKeys must agree with. */
  function keysByTokenizer(text: string) {
    const keys: [string, number][] = [];
    let tooDeepAt: number | undefined;
    forEachJsonToken(text, (t) => {
      if (t.kind === 'key') keys.push([String(t.path[t.path.length - 1]), t.offset]);
      if ((t.kind === 'begin-object' || t.kind === 'begin-array') && t.depth > 8) {
        tooDeepAt = t.offset;
        return false;
      }
      return true;
    });
    return { keys, tooDeepAt };
  }

  it('finds the keys the tokenizer finds, in any text', () => {
    const piece = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', '"k"', '"__proto__"', ' ', '1');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 50 }), (parts) => {
        const text = parts.join('');
        const scan = scanJsonKeys(text, 8);
        const { keys, tooDeepAt } = keysByTokenizer(text);
        expect(scan.tooDeepAt).toBe(tooDeepAt);
        // every forbidden or repeated key the scan reports is a key the tokenizer saw there
        for (const k of [...scan.forbidden, ...scan.duplicates]) {
          expect(keys).toContainEqual([k.key, k.offset]);
        }
        expect(scan.forbidden.length).toBe(keys.filter(([k]) => k === '__proto__').length);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('decodeJsonStringWithOffsets', () => {
  it('maps each unit of the decoded text to where it is in the file', () => {
    const text = '["a\\u00e9\\n\\"b"]';
    const { value, offsets } = decodeJsonStringWithOffsets(text, { offset: 1, end: text.length - 1 });
    expect(value).toBe('aé\n"b');
    expect(offsets.map((o) => text[o])).toEqual(['a', '\\', '\\', '\\', 'b']);
  });
});

describe('locateJsonPaths', () => {
  it('finds many values in one pass, and says when one is missing', () => {
    const text = '{\n  "a": [1, {"b": 2}],\n  "c": "x"\n}';
    expect(locateJsonPaths(text, [['a', 1, 'b'], ['c'], ['nope'], [], ['a', 0]])).toEqual([
      { line: 2, column: 18 },
      { line: 3, column: 8 },
      undefined,
      { line: 1, column: 1 },
      { line: 2, column: 9 },
    ]);
    expect(locateJsonPath(text, ['a', '1', 'b'])).toEqual({ line: 2, column: 18 });
  });
});

describe('text positions', () => {
  it('offset → line:column and back agree, on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '\n', '\r') }), fc.nat(), (text, n) => {
        const offset = n % (text.length + 1);
        const starts = lineStarts(text);
        const pos = positionIn(starts, offset);
        expect(positionOf(text, offset)).toEqual(pos);
        expect(offsetIn(starts, pos)).toBe(offset);
      }),
    );
  });

  it('lines and columns are 1-based; past the last line there is no offset', () => {
    expect(positionOf('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(offsetIn(lineStarts('ab\ncd'), { line: 3, column: 1 })).toBeUndefined();
  });
});

describe('parseJsonSafely: a cheap proof for sound files, the careful scan for the rest', () => {
  /** JSON text with keys that may repeat (also spelt with escapes), forbidden keys, colons and quotes in strings, and depth. */
  const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('1', 'true', 'null', '"a:b"', '"say \\"x\\": y"', '"\\\\"', '"k"', '":"', '""'),
      fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`),
      fc
        .array(
          fc.tuple(
            fc.constantFrom(
              '"k"',
              '"k"',
              '"\\u006b"',
              '"a"',
              '"__proto__"',
              '"constructor"',
              '"x:y"',
              '"q\\"r"',
            ),
            tie('value'),
          ),
          { maxLength: 4 },
        )
        .map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
    ),
  })).value;

  it('gives exactly what the careful scan gives, on any JSON text', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        expect(parseJsonSafely(text, 'f.json')).toEqual(parseJsonByScan(text, 'f.json'));
      }),
      { numRuns: 4000 },
    );
  });

  it('and on the text the tool writes (two-space JSON), sound or not', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 5 })), (value) => {
        const text = `${JSON.stringify(value, null, 2)}\n`;
        expect(parseJsonSafely(text, 'f.json')).toEqual(parseJsonByScan(text, 'f.json'));
      }),
      { numRuns: 2000 },
    );
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { k: deep };
    for (const text of [
      '{\n  "a": 1,\n  "a": 2\n}\n',
      '{\n  "a": {\n    "b": 1,\n    "b": 1\n  }\n}\n',
      '{\n  "__proto__": 1\n}\n',
      '{\n  "a": [\n    {\n      "constructor": 1\n    }\n  ]\n}\n',
      '{\n  "\\u0061": 1,\n  "a": 2\n}\n',
      `${JSON.stringify(deep, null, 2)}\n`,
    ]) {
      const safely = parseJsonSafely(text, 'f.json');
      expect(safely, text).toEqual(parseJsonByScan(text, 'f.json'));
      expect(safely.problems.length, text).toBeGreaterThan(0);
    }
  });

  it('and on broken or hostile text', () => {
    for (const text of [
      '',
      '{',
      '{"a": 1, "a": 2}',
      `${'['.repeat(40)}${']'.repeat(40)}`,
      '{"a": 1}}',
      '[1,]',
    ]) {
      expect(parseJsonSafely(text, 'f.json')).toEqual(parseJsonByScan(text, 'f.json'));
    }
  });
});
