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
 *
 * Lines that fit are not split out: the text between two lines that need wrapping is copied as one
 * slice, and a text with none is returned as it is (`diff` writes some 850 lines, of which about 100
 * need wrapping).
 */
export function wrapText(text: string, width: number): string {
  if (width < 20) return text;
  let parts: string[] | undefined;
  // the text before `copied` is in `parts` already
  let copied = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // escape codes only add characters: a line this short fits whatever they are
    if (end - start > width) {
      const line = text.slice(start, end);
      if (visibleLength(line) > width) {
        parts ??= [];
        parts.push(text.slice(copied, start), wrapLine(line, width));
        copied = end;
      }
    }
    start = end + 1;
  }
  if (parts === undefined) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** One line longer than `width`, wrapped (see `wrapText`). */
function wrapLine(line: string, width: number): string {
  let indent = /^(\s*(?:[|>] |[-+] |\d+\. )?)/.exec(line)?.[1] ?? '';
  const table = indent.trim() === '' ? TABLE_ROW.exec(line)?.[0] : undefined;
  if (table !== undefined && visibleLength(table) <= width - TABLE_MIN_COLUMN) indent = table;
  // a quote bar repeats on every line; a list marker, number or table column becomes a hanging indent
  const continuation = /^\s*[|>] $/.test(indent) ? indent : ' '.repeat(visibleLength(indent));
  const rest = line.slice(indent.length);
  const plain = !line.includes('\x1b') && !line.includes('\x9b');
  return plain && singleSpaced(rest)
    ? wrapSingleSpaced(rest, indent, continuation, width)
    : wrapWordByWord(rest, indent, continuation, width, plain);
}

/**
 * Whether the words of `rest` (a line without escape codes, after its indent) are separated by single
 * plain spaces, with none at either end, and hold no command to keep whole: then each word ends where
 * a space is, and `wrapSingleSpaced` can find where rows end with `lastIndexOf` instead of adding up
 * words.
 */
function singleSpaced(rest: string): boolean {
  return (
    rest !== '' &&
    !rest.startsWith(' ') &&
    !rest.endsWith(' ') &&
    !rest.includes('  ') &&
    !/[^\S ]/.test(rest) &&
    !rest.includes('kinship-reflect')
  );
}

/**
 * `wrapWordByWord` for a single-spaced line (`singleSpaced`), one step per row rather than per word:
 * a row ends at the last space that leaves it within the width (or after its first word, when that
 * word alone is wider), and a bare number carries the word before it down when both fit. Gives
 * exactly what `wrapWordByWord` gives (tests/wrap.test.ts compares them); a command's long lines
 * are wrapped once each, interpreted, and summing their words was most of `diff`'s output time.
 */
export function wrapSingleSpaced(rest: string, indent: string, continuation: string, width: number): string {
  const rows: string[] = [];
  let rowIndent = indent;
  let from = 0;
  while (rowIndent.length + rest.length - from > width) {
    // the row is rest.slice(from, end); a space at `end` separates it from the next word
    let end = rest.lastIndexOf(' ', from + width - rowIndent.length);
    if (end <= from) end = rest.indexOf(' ', from);
    if (end < 0) break;
    const nextEnd = rest.indexOf(' ', end + 1);
    const next = rest.slice(end + 1, nextEnd < 0 ? rest.length : nextEnd);
    const beforeStart = rest.lastIndexOf(' ', end - 1) + 1;
    // a bare number goes down with the word before it ("GREEN 4", "page 12"), when it can
    if (
      beforeStart > from &&
      BARE_NUMBER.test(next) &&
      continuation.length + (end - beforeStart) + 1 + next.length <= width
    )
      end = beforeStart - 1;
    rows.push(rowIndent + rest.slice(from, end));
    rowIndent = continuation;
    from = end + 1;
  }
  rows.push(rowIndent + rest.slice(from));
  return rows.join('\n');
}

/** How `wrapLine` wraps the words of `rest` (the line after its indent), one word at a time (exported for tests). */
export function wrapWordByWord(
  rest: string,
  indent: string,
  continuation: string,
  width: number,
  plain: boolean,
): string {
  const words = keepCommandWhole(splitWords(rest), width);
  const out: string[] = [];
  // the words of the line being filled, after its indent
  let row: string[] = [];
  let rowIndent = indent;
  // a line without escape codes measures its words by their length
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
}
