/**
 * The text being edited in the multi-line prompt: lines and a cursor, with the moves and edits a
 * person expects from a text box. Pure (no terminal, no streams), so it is tested on its own and
 * the prompt only maps keys to these methods.
 *
 * Positions are UTF-16 offsets into a line; moving left or right steps over a whole surrogate pair,
 * so the cursor never splits an emoji.
 */

import { MAX_ANSWER_BYTES, MAX_ANSWER_LINES } from '../core/cycle.ts';

/**
 * Bytes of `text` in UTF-8, as `answerSizeProblem` counts them (a lone surrogate is the 3 bytes of
 * U+FFFD).
 */
const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;
const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}_'’-]/u.test(ch);

/**
 * Where a line breaks when shown `width` columns wide: the offsets at which each visual row starts
 * (always begins with 0). Breaks after the last space that fits; a word longer than the width is cut.
 */
export function wrapOffsets(line: string, width: number): number[] {
  const w = Math.max(1, width);
  const starts = [0];
  let start = 0;
  while (line.length - start > w) {
    let end = start + w;
    if (line[end] !== ' ') {
      // end the row after the last space that fits (the space stays at the row's end)
      const space = line.lastIndexOf(' ', end - 1);
      if (space >= start) end = space + 1;
    }
    if (isLowSurrogate(line.charCodeAt(end)) && end - 1 > start) end--;
    starts.push(end);
    start = end;
  }
  return starts;
}

export class TextBuffer {
  lines: string[];
  row: number;
  col: number;
  /** The column up/down aim for, kept while moving through shorter rows. */
  private goal: number | undefined;
  /**
   * UTF-8 bytes held, each line counted with its line end: the measure of `answerSizeProblem`, kept
   * up to date so the size check costs nothing per key.
   */
  private bytes: number;

  constructor(lines: readonly string[] = []) {
    this.lines = lines.length > 0 ? [...lines] : [''];
    this.row = this.lines.length - 1;
    this.col = (this.lines[this.row] as string).length;
    this.bytes = this.lines.reduce((n, l) => n + utf8Length(l) + 1, 0);
  }

  get line(): string {
    return this.lines[this.row] as string;
  }

  /** Bytes held (UTF-8), each line's end counted: what the answer size limit measures. */
  get size(): number {
    return this.bytes;
  }

  /**
   * Whether the text as it stands is over the answer size limit (`MAX_ANSWER_LINES` lines,
   * `MAX_ANSWER_BYTES` bytes), as it can be when it was given so (a draft, an editor's file); the
   * stored text (trailing blanks trimmed) may still fit, which `answerSizeProblem` decides.
   */
  overLimit(): boolean {
    return this.lines.length > MAX_ANSWER_LINES || this.bytes > MAX_ANSWER_BYTES;
  }

  /**
   * Rows pointed at (0-based; see `TextMark`), in the order given. A mark stays with its line as
   * lines are added or joined above it, so it keeps pointing at the same text while the user edits.
   */
  marks: number[] = [];

  /** Move the cursor to line `row`, column `col` (both 0-based, kept inside the text). */
  moveTo(row: number, col = 0): void {
    this.goal = undefined;
    this.row = Math.max(0, Math.min(row, this.lines.length - 1));
    this.col = Math.max(0, Math.min(col, this.line.length));
    if (isLowSurrogate(this.line.charCodeAt(this.col)) && this.col > 0) this.col--;
  }

  /** The text as lines, trailing empty lines removed; `[]` when nothing but blanks is left. */
  text(): string[] {
    let end = this.lines.length;
    while (end > 0 && (this.lines[end - 1] as string).trim() === '') end--;
    return this.lines.slice(0, end).map((l) => l.replace(/\s+$/, ''));
  }

  isEmpty(): boolean {
    return this.text().length === 0;
  }

  /**
   * Insert text at the cursor. Line ends (CRLF, CR or LF) split lines; tabs become spaces; other
   * control characters are dropped. What would take the text past the answer size limit
   * (`MAX_ANSWER_LINES` lines, `MAX_ANSWER_BYTES` bytes) is left out: the part that fits goes in.
   * Returns how many characters were left out.
   */
  insert(raw: string): number {
    let text = raw
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, '    ')
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '');
    const { fits, bytes } = fittingPrefix(
      text,
      MAX_ANSWER_LINES - this.lines.length,
      MAX_ANSWER_BYTES - this.bytes,
    );
    const refused = text.length - fits;
    text = text.slice(0, fits);
    if (text === '') return refused;
    const line = this.line;
    const before = line.slice(0, this.col);
    const after = line.slice(this.col);
    const parts = text.split('\n');
    if (parts.length === 1) {
      this.lines[this.row] = before + text + after;
      this.col += text.length;
    } else {
      const first = before + (parts[0] as string);
      const last = parts[parts.length - 1] as string;
      const middle = parts.slice(1, -1);
      this.lines.splice(this.row, 1, first, ...middle, last + after);
      // a line split at its very start moves down whole, mark and all
      const added = parts.length - 1;
      if (this.marks.length > 0)
        this.marks = this.marks.map((m) =>
          m > this.row || (m === this.row && before === '') ? m + added : m,
        );
      this.row += parts.length - 1;
      this.col = last.length;
    }
    this.bytes += bytes;
    this.goal = undefined;
    return refused;
  }

  newline(): void {
    this.insert('\n');
  }

  backspace(): void {
    this.goal = undefined;
    if (this.col > 0) {
      const step = this.stepLeft(this.line, this.col);
      this.bytes -= utf8Length(this.line.slice(this.col - step, this.col));
      this.lines[this.row] = this.line.slice(0, this.col - step) + this.line.slice(this.col);
      this.col -= step;
    } else if (this.row > 0) {
      const prev = this.lines[this.row - 1] as string;
      this.lines.splice(this.row - 1, 2, prev + this.line);
      this.joined(this.row - 1);
      this.row--;
      this.col = prev.length;
      this.bytes--;
    }
  }

  deleteForward(): void {
    this.goal = undefined;
    if (this.col < this.line.length) {
      const step = this.stepRight(this.line, this.col);
      this.bytes -= utf8Length(this.line.slice(this.col, this.col + step));
      this.lines[this.row] = this.line.slice(0, this.col) + this.line.slice(this.col + step);
    } else if (this.row < this.lines.length - 1) {
      this.lines.splice(this.row, 2, this.line + (this.lines[this.row + 1] as string));
      this.joined(this.row);
      this.bytes--;
    }
  }

  /** Delete the word before the cursor (Ctrl-W, Alt-Backspace). */
  deleteWordBack(): void {
    if (this.col === 0) {
      this.backspace();
      return;
    }
    const to = this.wordStart(this.line, this.col);
    this.bytes -= utf8Length(this.line.slice(to, this.col));
    this.lines[this.row] = this.line.slice(0, to) + this.line.slice(this.col);
    this.col = to;
    this.goal = undefined;
  }

  /** Delete from the cursor to the end of the line (Ctrl-K); at the end, join the next line. */
  deleteToEnd(): void {
    if (this.col === this.line.length) {
      this.deleteForward();
      return;
    }
    this.bytes -= utf8Length(this.line.slice(this.col));
    this.lines[this.row] = this.line.slice(0, this.col);
    this.goal = undefined;
  }

  /** Delete from the start of the line to the cursor (Ctrl-U). */
  deleteToStart(): void {
    this.bytes -= utf8Length(this.line.slice(0, this.col));
    this.lines[this.row] = this.line.slice(this.col);
    this.col = 0;
    this.goal = undefined;
  }

  left(): void {
    this.goal = undefined;
    if (this.col > 0) this.col -= this.stepLeft(this.line, this.col);
    else if (this.row > 0) {
      this.row--;
      this.col = this.line.length;
    }
  }

  right(): void {
    this.goal = undefined;
    if (this.col < this.line.length) this.col += this.stepRight(this.line, this.col);
    else if (this.row < this.lines.length - 1) {
      this.row++;
      this.col = 0;
    }
  }

  wordLeft(): void {
    this.goal = undefined;
    if (this.col === 0) {
      this.left();
      return;
    }
    this.col = this.wordStart(this.line, this.col);
  }

  wordRight(): void {
    this.goal = undefined;
    const line = this.line;
    if (this.col === line.length) {
      this.right();
      return;
    }
    let i = this.col;
    while (i < line.length && !isWordChar(line[i])) i++;
    while (i < line.length && isWordChar(line[i])) i++;
    this.col = i;
  }

  home(): void {
    this.goal = undefined;
    this.col = 0;
  }

  end(): void {
    this.goal = undefined;
    this.col = this.line.length;
  }

  start(): void {
    this.goal = undefined;
    this.row = 0;
    this.col = 0;
  }

  finish(): void {
    this.goal = undefined;
    this.row = this.lines.length - 1;
    this.col = this.line.length;
  }

  /** Up one row as shown `width` columns wide (a wrapped line has several rows). */
  up(width: number): void {
    const starts = wrapOffsets(this.line, width);
    const seg = segmentOf(starts, this.col);
    const goal = this.goal ?? this.col - (starts[seg] as number);
    if (seg > 0) {
      this.col = clampTo(this.line, starts[seg - 1] as number, starts[seg] as number, goal, false);
    } else if (this.row > 0) {
      this.row--;
      const prev = wrapOffsets(this.line, width);
      const s = prev[prev.length - 1] as number;
      this.col = clampTo(this.line, s, this.line.length, goal, true);
    } else {
      this.col = 0;
    }
    this.goal = goal;
  }

  /** Down one row as shown `width` columns wide. */
  down(width: number): void {
    const starts = wrapOffsets(this.line, width);
    const seg = segmentOf(starts, this.col);
    const goal = this.goal ?? this.col - (starts[seg] as number);
    if (seg < starts.length - 1) {
      const next = starts[seg + 2] ?? this.line.length;
      this.col = clampTo(this.line, starts[seg + 1] as number, next, goal, seg + 1 === starts.length - 1);
    } else if (this.row < this.lines.length - 1) {
      this.row++;
      const next = wrapOffsets(this.line, width);
      this.col = clampTo(this.line, 0, next[1] ?? this.line.length, goal, next.length === 1);
    } else {
      this.col = this.line.length;
    }
    this.goal = goal;
  }

  /** Line `row + 1` was joined onto line `row`: marks below move up one. */
  private joined(row: number): void {
    if (this.marks.length > 0) this.marks = this.marks.map((m) => (m > row ? m - 1 : m));
  }

  private stepLeft(line: string, col: number): number {
    return col >= 2 && isLowSurrogate(line.charCodeAt(col - 1)) ? 2 : 1;
  }

  private stepRight(line: string, col: number): number {
    return isLowSurrogate(line.charCodeAt(col + 1)) ? 2 : 1;
  }

  private wordStart(line: string, col: number): number {
    let i = col;
    while (i > 0 && !isWordChar(line[i - 1])) i--;
    while (i > 0 && isWordChar(line[i - 1])) i--;
    return i;
  }
}

/**
 * How much of `text` fits in `lineEnds` more line ends and `bytes` more UTF-8 bytes (a line end is
 * one byte): its length in characters, never splitting a surrogate pair, and the bytes it takes.
 */
export function fittingPrefix(
  text: string,
  lineEnds: number,
  bytes: number,
): { fits: number; bytes: number } {
  let used = 0;
  let breaks = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    let size: number;
    let step = 1;
    if (code === 10) {
      if (breaks >= lineEnds) break;
      size = 1;
    } else if (code < 0x80) size = 1;
    else if (code < 0x800) size = 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      size = 4;
      step = 2;
    } else size = 3;
    if (used + size > bytes) break;
    if (code === 10) breaks++;
    used += size;
    i += step;
  }
  return { fits: i, bytes: used };
}

/** Which visual row of a line holds the cursor. */
export function segmentOf(starts: readonly number[], col: number): number {
  let seg = 0;
  while (seg + 1 < starts.length && (starts[seg + 1] as number) <= col) seg++;
  return seg;
}

/** `start + goal`, kept inside the row `[start, end)` (or `[start, end]` on a line's last row). */
function clampTo(line: string, start: number, end: number, goal: number, lastRow: boolean): number {
  const max = lastRow ? end : Math.max(start, end - 1);
  let col = Math.min(start + goal, max);
  if (isLowSurrogate(line.charCodeAt(col)) && col > start) col--;
  return col;
}
