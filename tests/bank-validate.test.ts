import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  listTags,
  parseBank,
  pointerToPath,
  schemaProblems,
  validateBank,
} from '../src/core/bank-validate.ts';
import { formatSize, parseYamlStrict, sizeLimitMessage } from '../src/core/yaml-strict.ts';
import { BUILTIN_BANK_IDS, BUILTIN_BANK_SOURCES, loadBuiltinBank } from '../src/generated/banks.ts';
import { validate as validateCycle } from '../src/generated/validate-cycle.js';

const root = fileURLToPath(new URL('../', import.meta.url));

describe('listTags', () => {
  it('shortens runs of four or more, keeps shorter runs', () => {
    expect(listTags(['KP1', 'KP2', 'KP3', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'ALL'])).toBe(
      'KP1, KP2, KP3, R1–R6, ALL',
    );
    expect(listTags(['R1', 'R2', 'R4', 'R5'])).toBe('R1, R2, R4, R5');
    expect(listTags([])).toBe('');
  });
});

describe('formatSize', () => {
  it('speaks in MB and KB', () => {
    expect(formatSize(1024 * 1024)).toBe('1 MB');
    expect(formatSize(Math.round(3.2 * 1024 * 1024))).toBe('3.2 MB');
    expect(formatSize(2048)).toBe('2 KB');
    expect(sizeLimitMessage(3 * 1024 * 1024)).toBe('file is 3 MB; question banks are limited to 1 MB');
  });
});

describe('parseYamlStrict', () => {
  it('locates values, keys and block collections', () => {
    const text = 'a:\n  b: [x, "y"]\n  c:\n    - d: 1\n';
    const { value, problems, locate } = parseYamlStrict(text, 'f.yaml');
    expect(problems).toEqual([]);
    expect(value).toEqual({ a: { b: ['x', 'y'], c: [{ d: 1 }] } });
    expect(locate(['a', 'b', 1])).toEqual({ line: 2, column: 10 });
    expect(locate(['a', 'c'])).toEqual({ line: 3, column: 3 }); // block list: its key
    expect(locate(['a', 'c', 0, 'd'])).toEqual({ line: 4, column: 10 });
    expect(locate(['a', 'c', 0, 'd'], { key: true })).toEqual({ line: 4, column: 7 });
    expect(locate(['a', 'missing'])).toEqual({ line: 1, column: 1 }); // nearest found: the key of a's block
  });

  it('reads YAML 1.2 core: yes/no stay text, numbers are numbers', () => {
    expect(parseYamlStrict('a: yes\nb: 1.5\nc: ~\n', 'f').value).toEqual({ a: 'yes', b: 1.5, c: null });
  });

  it('refuses more than one document', () => {
    expect(parseYamlStrict('a: 1\n---\nb: 2\n', 'f').problems).toEqual([
      {
        file: 'f',
        line: 2,
        column: 1,
        message: 'a question bank must be a single YAML document; remove the extra "---" line',
      },
    ]);
  });

  it('never throws and never pollutes Object.prototype, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const r = parseYamlStrict(`__proto__: 1\n${text}`, 'f');
        expect(Array.isArray(r.problems)).toBe(true);
        expect(Object.prototype).not.toHaveProperty('polluted');
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('[', '{', '- ', ': ', '"', '\n', ' ', 'a', '&x ', '*x', '!t '), {
          maxLength: 300,
        }),
        (parts) => {
          const r = parseYamlStrict(parts.join(''), 'f');
          for (const p of r.problems) expect(p.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('pointerToPath', () => {
  it('turns list indexes into numbers and unescapes ~0 and ~1', () => {
    const value = { a: [{ 'x/y': { '~': 1 } }] };
    expect(pointerToPath('/a/0/x~1y/~0', value)).toEqual(['a', 0, 'x/y', '~']);
    expect(pointerToPath('', value)).toEqual([]);
  });
});

describe('validateBank', () => {
  it('reports a non-object and an empty file plainly', () => {
    const locate = () => ({ line: 1, column: 1 });
    expect(validateBank([], 'f', locate).problems.map((p) => p.message)).toEqual([
      'the whole file must be a block of "name: value" lines, not a list',
    ]);
    expect(validateBank(null, 'f', locate).problems.map((p) => p.message)).toEqual([
      'the file is empty; a question bank starts with "id:", "title:", "version:" and so on',
    ]);
  });
});

describe('the built-in banks', () => {
  for (const id of BUILTIN_BANK_IDS) {
    it(`${id}: the YAML source has no problems and equals the compiled bank`, async () => {
      const rel = BUILTIN_BANK_SOURCES[id]!;
      const { bank, problems } = parseBank(readFileSync(`${root}${rel}`, 'utf8'), rel);
      expect(problems).toEqual([]);
      expect(bank).toEqual(await loadBuiltinBank(id));
    });
  }
  it('include reflective-tool and elected-members', () => {
    expect(BUILTIN_BANK_IDS).toEqual(['reflective-tool', 'elected-members']);
  });
});

describe('schemaProblems with the cycle validator', () => {
  it('names the answer and explains a bad status and date', () => {
    const text = `{
  "format": 1,
  "cycle": "2026-27",
  "authority": "Exampleshire County Council",
  "bank": { "id": "reflective-tool", "version": "1" },
  "priorities": [],
  "answers": { "assess.carers.count": { "status": "done", "changed": "15/01/2026" } },
  "actions": []
}
`;
    const { value, locate } = parseYamlStrict(text, 'c.json');
    expect(validateCycle(value)).toBe(false);
    const problems = schemaProblems(validateCycle.errors ?? [], value, 'c.json', locate);
    expect(problems.every((p) => p.item === 'assess.carers.count')).toBe(true);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [
        7,
        '"status" is "done", which is not allowed; use one of: answered, needs-data, skipped, not-started, planned, in-place, not-applicable',
      ],
      [7, '"changed" is "15/01/2026", which is not a date: write it as YYYY-MM-DD (e.g. 2026-03-31)'],
    ]);
  });
});
