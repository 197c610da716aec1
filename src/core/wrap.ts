/**
 * Word-wrapping prose for a terminal. Pure.
 */
import { stripVTControlCharacters } from 'node:util';

/** Visible width of a line: escape codes take no room. (Wide characters count as one: good enough.) */
function visibleLength(text: string): number {
  // most text has no escape codes: its length is its width, without a regular expression per word
  return text.includes('\x1b') || text.includes('\x9b') ? stripVTControlCharacters(text).length : text.length;
}

/**
 * A row of a two-column table (`  Step 1: Assess  17/52 answered …`, `  git diff      line by line`):
 * its first column and the gap of two or more spaces after it. Continuation lines of the row hang
 * under the second column, when that leaves it `TABLE_MIN_COLUMN` columns or more.
 */
const TABLE_ROW = /^\s*\S(?:.*?\S)? {2,}(?=\S)/;
const TABLE_MIN_COLUMN = 24;

/** A number on its own (`4`, `12,`, `33%)`): never the first word of a continuation line. */
const BARE_NUMBER = /^\d+[%,.;:)]*$/;

/**
 * A command to type that ends a line ("… Carry on with: kinship-reflect interview --cycle 2026-27",
 * "… repository: cd reflections && git init && kinship-reflect check --install-hook") goes on one
 * line, for copying: its words, from the first after the last colon before `kinship-reflect` (or
 * from `kinship-reflect` itself), are joined into one, when they fit the width together.
 */
function keepCommandWhole(words: string[], width: number): string[] {
  const at = words.indexOf('kinship-reflect');
  if (at <= 0) return words;
  let start = at;
  while (start > 0 && !(words[start - 1] as string).endsWith(':')) start--;
  if (start === 0) start = at;
  const command = words.slice(start).join(' ');
  return visibleLength(command) <= width ? [...words.slice(0, start), command] : words;
}

/**
 * The words of a line as `text.split(/(?<=\S)\s+(?=\S)/)` gives them: split at each run of spaces
 * between two words, a space at either end kept with its word. V8 splits on that pattern by trying it
 * at every character (14,000 times for `diff`'s long lines); a line whose only spaces are single plain
 * ones inside it, as nearly all are, splits on ' ' instead, which gives the same words.
 */
export function splitWords(text: string): string[] {
  if (text === '' || text.startsWith(' ') || text.endsWith(' ') || /[^\S ]/.test(text))
    return text.split(/(?<=\S)\s+(?=\S)/);
  const words = text.split(' ');
  return words.includes('') ? words.filter((w) => w !== '') : words;
}

/**
 * Wrap each line of `text` at word boundaries to `width` columns. A line's leading indentation (and
 * a `| `, `> `, `- `, `+ ` or `1. ` marker after it) is repeated on its continuation lines, and a
 * table row's continuations hang under its second column; a word longer than the width is left
 * whole rather than broken, and a command to type at the end of a line is not broken either.
 */
export function wrapText(text: string, width: number): string {
  if (width < 20) return text;
  return text
    .split('\n')
    .map((line) => {
      // escape codes only add characters: a line this short fits whatever they are
      if (line.length <= width || visibleLength(line) <= width) return line;
      let indent = /^(\s*(?:[|>] |[-+] |\d+\. )?)/.exec(line)?.[1] ?? '';
      const table = indent.trim() === '' ? TABLE_ROW.exec(line)?.[0] : undefined;
      if (table !== undefined && visibleLength(table) <= width - TABLE_MIN_COLUMN) indent = table;
      // a quote bar repeats on every line; a list marker, number or table column becomes a hanging indent
      const continuation = /^\s*[|>] $/.test(indent) ? indent : ' '.repeat(visibleLength(indent));
      const words = keepCommandWhole(splitWords(line.slice(indent.length)), width);
      const out: string[] = [];
      // the words of the line being filled, after its indent
      let row: string[] = [];
      let rowIndent = indent;
      // a line without escape codes (nearly every one) measures its words by their length: this runs
      // once per word of every long line, interpreted, in a command's only call
      const plain = !line.includes('\x1b') && !line.includes('\x9b');
      const widthOf = plain ? (word: string) => word.length : visibleLength;
      const length = (ws: readonly string[]) =>
        widthOf(rowIndent) + ws.reduce((n, w, i) => n + widthOf(w) + (i > 0 ? 1 : 0), 0);
      let rowLength = widthOf(indent);
      for (let i = 0; i < words.length; i++) {
        const word = words[i] as string;
        const w = widthOf(word);
        if (row.length > 0 && rowLength + 1 + w > width) {
          // a bare number goes down with the word before it ("GREEN 4", "page 12"), when it can
          const before = row[row.length - 1] as string;
          const carried =
            row.length > 1 &&
            BARE_NUMBER.test(word) &&
            visibleLength(continuation) + visibleLength(before) + 1 + w <= width
              ? [row.pop() as string]
              : [];
          out.push(`${rowIndent}${row.join(' ')}`);
          rowIndent = continuation;
          row = [...carried, word];
          rowLength = length(row);
        } else {
          rowLength += row.length > 0 ? 1 + w : w;
          row.push(word);
        }
      }
      out.push(`${rowIndent}${row.join(' ')}`);
      return out.join('\n');
    })
    .join('\n');
}
