/**
 * parseCheckedDocument (src/core/yaml-strict.ts) lexes a bank once, checking nesting on the way, and
 * must otherwise parse exactly as yaml's own parseDocument does.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { parseCheckedDocument } from '../src/core/yaml-strict.ts';

const OPTIONS = {
  uniqueKeys: true,
  merge: false,
  schema: 'core' as const,
  customTags: [],
  strict: true,
  prettyErrors: false,
  keepSourceTokens: false,
};

function both(text: string) {
  const ours = new LineCounter();
  const theirs = new LineCounter();
  const a = parseCheckedDocument(text, { ...OPTIONS, lineCounter: ours });
  const b = parseDocument(text, { ...OPTIONS, lineCounter: theirs });
  const toJS = (d: typeof a) => {
    try {
      return d.toJS({ maxAliasCount: -1 });
    } catch (error) {
      return `throws: ${(error as Error).message}`;
    }
  };
  const shape = (d: typeof a, lc: LineCounter) => ({
    value: toJS(d),
    errors: d.errors.map((e) => [e.code, e.pos, lc.linePos(e.pos[0])]),
    warnings: d.warnings.map((e) => [e.code, e.pos]),
    lines: lc.lineStarts,
  });
  return { ours: shape(a, ours), theirs: shape(b, theirs) };
}

describe('parseCheckedDocument', () => {
  it('parses the built-in banks exactly as parseDocument does', () => {
    for (const file of ['questions/reflective-tool.yaml', 'questions/elected-members.yaml']) {
      const { ours, theirs } = both(readFileSync(file, 'utf8'));
      expect(ours).toEqual(theirs);
    }
  });

  it('agrees with parseDocument on 3,000 random YAML-like texts (errors, warnings, values, lines)', () => {
    const piece = fc.constantFrom(
      'a: 1\n',
      'b:\n',
      '  - x\n',
      '- y\n',
      '  c: "q\\"z"\n',
      "'s': t\n",
      '[1, {k: v}]\n',
      '{ a: [b, c] }\n',
      'a: 2\n',
      '--- \n',
      '...\n',
      '# note\n',
      'text: |\n  line one\n  line two\n',
      '? k\n: v\n',
      '!!str x\n',
      '&anchor v\n',
      '*alias\n',
      '\t',
      ': \n',
      '"unterminated\n',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const { ours, theirs } = both(parts.join(''));
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 3000 },
    );
  });
});
