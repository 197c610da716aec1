/**
 * Word-wrapping prose for a terminal. Pure.
 */
import { stripVTControlCharacters } from 'node:util';

/** Visible width of a line: escape codes take no room. (Wide characters count as one: good enough.) */
function visibleLength(text: string): number {
  return stripVTControlCharacters(text).length;
}

/**
 * Wrap each line of `text` at word boundaries to `width` columns. A line's leading indentation (and
 * a `| ` or `- ` marker after it) is repeated on its continuation lines; a word longer than the width
 * is left whole rather than broken.
 */
export function wrapText(text: string, width: number): string {
  if (width < 20) return text;
  return text
    .split('\n')
    .map((line) => {
      if (visibleLength(line) <= width) return line;
      const indent = /^(\s*(?:[|>] |- |\d+\. )?)/.exec(line)?.[1] ?? '';
      // a quote bar repeats on every line; a list marker or number becomes a hanging indent
      const continuation = /[|>]/.test(indent) ? indent : ' '.repeat(indent.length);
      const words = line.slice(indent.length).split(/(?<=\S)\s+(?=\S)/);
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
