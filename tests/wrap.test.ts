import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitWords, wrapSingleSpaced, wrapText, wrapWordByWord } from '../src/core/wrap.ts';

describe('wrapText', () => {
  it('wraps at word boundaries, keeps every word, and indents continuations', () => {
    const text =
      'Start to develop your approach by understanding the current position of your kinship support provision.';
    const wrapped = wrapText(text, 40);
    expect(wrapped.split('\n').every((l) => l.length <= 40)).toBe(true);
    expect(wrapped.replace(/\n/g, ' ')).toBe(text);
    expect(wrapText('  | one two three four five six seven eight nine ten', 20)).toBe(
      '  | one two three\n  | four five six\n  | seven eight nine\n  | ten',
    );
  });

  it('never loses or reorders words, and never exceeds the width unless a word is longer', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9,.;'()-]{1,15}$/);
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 20, max: 100 }),
        (words, width) => {
          const line = words.join(' ');
          const wrapped = wrapText(line, width);
          expect(wrapped.split(/\s+/)).toEqual(line.split(/\s+/));
          for (const l of wrapped.split('\n'))
            if (l.includes(' ')) expect(l.length).toBeLessThanOrEqual(width);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('wraps a text of many lines exactly as it wraps each line on its own, and returns a text that fits unchanged', () => {
    // lines short and long, empty, with escape codes (which take no room) and with runs of spaces
    const piece = fc.constantFrom(
      'word',
      'x',
      '  ',
      ' ',
      '\x1b[1m',
      '\x1b[0m',
      'longerword',
      '-',
      '12',
      '|',
      '> ',
    );
    const line = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.integer({ min: 20, max: 60 }), (lines, width) => {
        const text = lines.join('\n');
        const expected = lines.map((l) => wrapText(l, width)).join('\n');
        const wrapped = wrapText(text, width);
        expect(wrapped).toBe(expected);
        if (lines.every((l) => l.replace(/\x1b\[[0-9;]*m/g, '').length <= width)) expect(wrapped).toBe(text);
      }),
      { numRuns: 1000 },
    );
    expect(wrapText('', 40)).toBe('');
    expect(wrapText('\n\n', 40)).toBe('\n\n');
    const long = 'one two three four five six seven eight nine ten eleven';
    expect(wrapText(`short\n${long}\nshort\n`, 20)).toBe(
      'short\none two three four\nfive six seven eight\nnine ten eleven\nshort\n',
    );
  });

  it('wraps a single-spaced line row by row exactly as it wraps it word by word', () => {
    // bare numbers ("4", "12,", "33%)") carry the word before them down; long words stand alone
    const word = fc.oneof(
      fc.stringMatching(/^[A-Za-z,.;'()-]{1,12}$/),
      fc.stringMatching(/^\d{1,3}[%,.;:)]{0,2}$/),
      fc.stringMatching(/^[A-Za-z]{20,45}$/),
    );
    const indent = fc.constantFrom('', '  ', '    - ', '  | ', '1. ', '  Step 1: Assess  ');
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 40 }),
        indent,
        fc.integer({ min: 20, max: 100 }),
        (words, first, width) => {
          const rest = words.join(' ');
          const continuation = first.includes('|') ? first : ' '.repeat(first.length);
          expect(wrapSingleSpaced(rest, first, continuation, width)).toBe(
            wrapWordByWord(rest, first, continuation, width, true),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('hangs a table row under its second column, and a + line like a - line', () => {
    expect(wrapText('  Step 1: Assess  17/52 answered (33%) · 2 need data · 7 carried forward', 50)).toBe(
      '  Step 1: Assess  17/52 answered (33%) · 2 need\n                  data · 7 carried forward',
    );
    // a first column too wide to leave 24 columns: wrapped as prose
    expect(wrapText('  a very long first column here  and the note that follows it', 40)).toBe(
      '  a very long first column here and the\n  note that follows it',
    );
    expect(wrapText('    + 61% of carers are grandparents, 20% aunts or uncles', 30)).toBe(
      '    + 61% of carers are\n      grandparents, 20% aunts\n      or uncles',
    );
  });

  it('keeps a bare number with the word before it', () => {
    expect(wrapText('ratings: RED 1, AMBER 10, GREEN 4', 32)).toBe('ratings: RED 1, AMBER 10,\nGREEN 4');
    // unless the two do not fit a line together
    expect(wrapText('one two threefourfivesixseveneight 4', 20)).toBe(
      'one two\nthreefourfivesixseveneight\n4',
    );
  });
});

describe('a command to type at the end of a line', () => {
  it('goes to the next line whole rather than being broken', () => {
    const line =
      'Saved. Your answers are in reflections/2026-27.json. Carry on any time with: kinship-reflect interview --cycle 2026-27';
    const wrapped = wrapText(line, 80).split('\n');
    expect(wrapped.at(-1)).toBe('kinship-reflect interview --cycle 2026-27');
    expect(wrapped.every((l) => l.length <= 80)).toBe(true);
  });
  it('is broken like any words when it is longer than the width, and left alone at the start of a line', () => {
    const long = `Run: kinship-reflect import ${'x'.repeat(30)}.md --cycle 2026-27 --force`;
    expect(wrapText(long, 40).split('\n').length).toBeGreaterThan(2);
    expect(wrapText('kinship-reflect interview --cycle 2026-27 and then more words here', 30)).toBe(
      'kinship-reflect interview\n--cycle 2026-27 and then more\nwords here',
    );
  });

  it('keeps a chain of commands after a colon together too', () => {
    const line =
      'To keep its history in its own git repository: cd reflections && git init && kinship-reflect check --install-hook';
    expect(wrapText(line, 100).split('\n')).toEqual([
      'To keep its history in its own git repository:',
      'cd reflections && git init && kinship-reflect check --install-hook',
    ]);
  });
});

describe('splitWords', () => {
  it('splits as text.split(/(?<=\\S)\\s+(?=\\S)/) does, on any text', () => {
    const pieces = [' ', '  ', '\t', '\n', '\u00a0', '\u3000', 'a', 'bc', 'é', '😀', '-', '|'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 16 }), (parts) => {
        const text = parts.join('');
        expect(splitWords(text)).toEqual(text.split(/(?<=\S)\s+(?=\S)/));
      }),
      { numRuns: 20000 },
    );
  });
});
