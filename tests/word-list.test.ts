import { describe, expect, it } from 'vitest';
import { PLAIN_FIRST_NAMES, WORD_FIRST_NAMES } from '../src/core/first-names.ts';
import { inSortedWordList } from '../src/core/word-list.ts';

describe('inSortedWordList', () => {
  it('agrees with a Set for every given name, and for near misses of each', () => {
    for (const list of [PLAIN_FIRST_NAMES, WORD_FIRST_NAMES]) {
      const words = list.split(' ');
      expect([...words].sort()).toEqual(words); // the generator's promise the search relies on
      const set = new Set(words);
      for (const w of words) {
        expect(inSortedWordList(list, w), w).toBe(true);
        for (const miss of [`${w}x`, w.slice(0, -1), `a${w}`, w.toUpperCase(), `${w} `]) {
          expect(inSortedWordList(list, miss), miss).toBe(set.has(miss));
        }
      }
    }
  });

  it('handles the ends of the list, tiny lists and the empty word', () => {
    expect(inSortedWordList('', 'a')).toBe(false);
    expect(inSortedWordList('', '')).toBe(false);
    expect(inSortedWordList('b', 'b')).toBe(true);
    expect(inSortedWordList('b', 'a')).toBe(false);
    expect(inSortedWordList('b', 'c')).toBe(false);
    expect(inSortedWordList('a b', 'a')).toBe(true);
    expect(inSortedWordList('a b', 'b')).toBe(true);
    expect(inSortedWordList('a b', 'ab')).toBe(false);
    expect(inSortedWordList('a b', '')).toBe(false);
    expect(inSortedWordList('a b c', 'a b')).toBe(false);
    const list = Array.from({ length: 500 }, (_, i) => `w${String(i).padStart(3, '0')}`).join(' ');
    for (let i = 0; i < 500; i++) expect(inSortedWordList(list, `w${String(i).padStart(3, '0')}`)).toBe(true);
    for (const miss of ['w', 'w5000', 'v999', 'x000', 'w49', 'w0000'])
      expect(inSortedWordList(list, miss)).toBe(false);
  });
});
