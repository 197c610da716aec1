/**
 * Positions in a text: character offsets ↔ 1-based line and column, the way problems and findings
 * are reported (`file:line:column`). Columns count UTF-16 units, as editors that follow the LSP do.
 * Pure.
 */

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** The offset at which each line of `text` starts (the first is 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * The position of `offset`, given the line starts of its text: a binary search, for texts in which
 * many offsets are located. An offset past the end of its line counts on along that line.
 */
export function positionIn(starts: readonly number[], offset: number): TextPosition {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
}

/** The position of one offset in `text` (for one or two lookups; see `positionIn` for many). */
export function positionOf(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The offset of a position, given the line starts of its text; undefined past the last line. */
export function offsetIn(starts: readonly number[], position: TextPosition): number | undefined {
  const start = starts[position.line - 1];
  return start === undefined ? undefined : start + position.column - 1;
}
