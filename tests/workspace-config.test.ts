import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WorkspaceConfig } from '../src/core/types.ts';
import {
  isPlainScalar,
  NOT_A_STRING,
  PLAIN,
  parseWorkspaceConfigSubset,
  readsAsNotString,
  renderWorkspaceConfig,
} from '../src/core/workspace-config.ts';
import { parseWorkspaceConfig } from '../src/core/workspace-config-yaml.ts';

const config = fc.record<WorkspaceConfig>({
  authority: fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim() !== ''),
  bank: fc.oneof(
    fc.constantFrom('reflective-tool', 'elected-members', 'banks/local bank.yaml'),
    fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
  ),
  ratings: fc.boolean(),
  report: fc.boolean(),
});

describe('workspace file', () => {
  it('what the tool writes reads back the same, through the fast path and the full parser', () => {
    fc.assert(
      fc.property(config, (c) => {
        const text = renderWorkspaceConfig(c);
        expect(parseWorkspaceConfigSubset(text)).toEqual(c);
        expect(parseWorkspaceConfig(text, 'kinship-reflect.yaml').config).toEqual(c);
      }),
      { numRuns: 1000 },
    );
  });

  it('the fast path never disagrees with the full parser: it reads the same or steps aside', () => {
    const line = fc.oneof(
      fc.constantFrom(
        'authority: Exampleshire',
        'bank: reflective-tool',
        'ratings: false',
        'report: yes',
        'ratings: 1',
      ),
      fc.constantFrom(
        "authority: 'It''s fine'",
        'authority: "Tab\\there"',
        'authority: a: b',
        'authority: x # note',
        '# comment',
        '',
      ),
      fc.constantFrom(
        'authority: [list]',
        'authority: &a x',
        'bank: !tag x',
        'authority: 12',
        'authority: null',
        'extra: 1',
        '  indented: x',
      ),
      fc.string({ maxLength: 30 }).map((s) => `authority: ${s}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        const text = lines.join('\n');
        const fast = parseWorkspaceConfigSubset(text);
        if (fast === undefined) return;
        expect(parseWorkspaceConfig(text, 'k.yaml').config).toEqual(fast);
      }),
      { numRuns: 3000 },
    );
  });

  it('the full parser places problems', () => {
    const { problems } = parseWorkspaceConfig(
      'authority: Exampleshire\nratings: maybe\ncolour: blue\n',
      'k.yaml',
    );
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [2, '"ratings" must be true or false'],
      [3, 'unknown setting "colour" (known: authority, bank, ratings, report)'],
    ]);
  });
});

describe('the quick checks of a plain value', () => {
  it('say what PLAIN and NOT_A_STRING say, on any text', () => {
    const pieces = [
      'a',
      'T',
      'rue',
      'n',
      'o',
      'off',
      'y',
      '~',
      '0',
      '7',
      'x',
      '_',
      '.',
      '+',
      '-',
      'e',
      '#',
      ' ',
      '\t',
      '\n',
      '\u00a0',
      '\u3000',
      'é',
      'ſ',
      'K',
      ':',
      '"',
      "'",
      '[',
      'inf',
      'nan',
      'Exampleshire',
      'true',
      'False',
      'null',
      'yes',
      'YES',
      'no',
      'On',
      's',
      'e5',
      '0x1f',
      '0o7',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 6 }), (parts) => {
        const raw = parts.join('');
        expect(isPlainScalar(raw)).toBe(PLAIN.test(raw));
        expect(readsAsNotString(raw)).toBe(NOT_A_STRING.test(raw));
      }),
      { numRuns: 30000 },
    );
  });
});
