/**
 * Our Myers diff (src/core/myers.ts) against jsdiff's `diffArrays`, which it replaces: identical
 * parts for random sequences over small alphabets (many ties) and for real answer text.
 */
import { diffArrays } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffSequences } from '../src/core/myers.ts';

function jsdiff(a: string[], b: string[]) {
  return diffArrays(a, b).map((p) => ({
    value: p.value,
    count: p.count,
    added: p.added === true,
    removed: p.removed === true,
  }));
}

/** Applying the parts gives back both sides. */
function sides(parts: ReturnType<typeof diffSequences>): { from: string[]; to: string[] } {
  const from: string[] = [];
  const to: string[] = [];
  for (const p of parts) {
    if (!p.added) from.push(...p.value);
    if (!p.removed) to.push(...p.value);
  }
  return { from, to };
}

const token = fc.constantFrom('a', 'b', 'c', ' ', 'the', '');
const seq = fc.array(token, { maxLength: 40 });

describe('diffSequences', () => {
  it('gives exactly jsdiff diffArrays’ parts (3,000 random pairs, small alphabet)', () => {
    fc.assert(
      fc.property(seq, seq, (a, b) => {
        const ours = diffSequences(a, b);
        expect(ours).toEqual(jsdiff(a, b));
        expect(sides(ours)).toEqual({ from: a, to: b });
      }),
      { numRuns: 3000 },
    );
  });

  it('gives exactly jsdiff’s parts for long, mostly shared sequences', () => {
    const base = fc.array(fc.constantFrom('x', 'y', 'z', 'w'), { minLength: 100, maxLength: 300 });
    const edits = fc.array(fc.tuple(fc.nat(299), fc.constantFrom('del', 'ins', 'sub'), token), {
      maxLength: 15,
    });
    fc.assert(
      fc.property(base, edits, (a, ops) => {
        const b: string[] = [...a];
        for (const [at, op, t] of ops) {
          const i = Math.min(at, b.length);
          if (op === 'del') b.splice(i, 1);
          else if (op === 'ins') b.splice(i, 0, t);
          else b[i] = t;
        }
        expect(diffSequences(a, b)).toEqual(jsdiff(a, b));
      }),
      { numRuns: 300 },
    );
  });

  it('handles empty sides and identical sequences', () => {
    expect(diffSequences([], [])).toEqual([]);
    expect(diffSequences(['a'], [])).toEqual([{ value: ['a'], count: 1, added: false, removed: true }]);
    expect(diffSequences([], ['a', 'b'])).toEqual([
      { value: ['a', 'b'], count: 2, added: true, removed: false },
    ]);
    expect(diffSequences(['a', 'b'], ['a', 'b'])).toEqual([
      { value: ['a', 'b'], count: 2, added: false, removed: false },
    ]);
  });

  it('puts a removal before the addition that replaces it', () => {
    expect(diffSequences(['we', 'plan', 'now'], ['we', 'act', 'now'])).toEqual([
      { value: ['we'], count: 1, added: false, removed: false },
      { value: ['plan'], count: 1, added: false, removed: true },
      { value: ['act'], count: 1, added: true, removed: false },
      { value: ['now'], count: 1, added: false, removed: false },
    ]);
  });
});
