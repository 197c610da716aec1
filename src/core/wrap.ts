/**
 * Word-wrapping prose for a terminal. Pure.
 */
import { stripVTControlCharacters } from 'node:util';

/** Visible width of a line: escape codes take no room. (Wide characters count as one: good enough.) */
function visibleLength(text: string): number {
  return stripVTControlCharacters(text).length;
}

/**
 * A row of a two-column table (`  Step 1: Assess  17/52 answered …`, `  git diff      line by line`):
 * its first column and the gap of two or more spaces after it. Continuation lines of the row hang
 * under the second column, when that leaves it `TABLE_MIN_COLUMN` columns or more.
 */
const TABLE_ROW = /^\s*\S(?:.*?\S)? {2,}(?=\S)/;
const TABLE_MIN_COLUMN = 24;

/**
 * A command to type that ends a line ("… Carry on with: kinship-reflect interview --cycle 2026-27")
 * goes on one line, for copying: its words are joined into one, when they fit the width together.
 */
function keepCommandWhole(words: string[], width: number): string[] {
  const at = words.indexOf('kinship-reflect');
  if (at <= 0) return words;
  const command = words.slice(at).join(' ');
  return visibleLength(command) <= width ? [...words.slice(0, at), command] : words;
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
      const words = keepCommandWhole(line.slice(indent.length).split(/(?<=\S)\s+(?=\S)/), width);
      const out: string[] = [];
      let current = indent;
      let currentLength = visibleLength(indent);
      for (const word of words) {
        const w = visibleLength(word);
        const atStart = current === indent || current === continuation;
        if (!atStart && currentLength + 1 + w > width) {
          out.push(current);
          current = continuation + word;
          currentLength = visibleLength(continuation) + w;
        } else {
          current += atStart ? word : ` ${word}`;
          currentLength += atStart ? w : 1 + w;
        }
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}
