/**
 * The multi-line text prompt of the interactive mode, built on @inquirer/core like Inquirer's own
 * prompts (and tested the same way, with @inquirer/testing).
 *
 * - Enter adds a line; Ctrl-D saves; Esc goes back without changing anything; Ctrl-O hands the text
 *   to `$EDITOR`; F1 (or `?` on an empty answer) explains the tags. The keys are shown under the text.
 * - Bracketed paste is switched on while the prompt is shown: pasted text of any number of lines
 *   (CRLF or LF) goes in whole, at the cursor, and never submits. Without bracketed paste a pasted
 *   line end is an Enter, which only adds a line.
 * - The current answer is pre-filled; arrows, Home/End, Backspace/Delete (across line ends), word
 *   jumps (Ctrl/Alt + arrows) and Ctrl-W/K/U work as in a shell.
 * - Long lines wrap at word boundaries to the terminal's width; the prompt redraws on resize. Only the
 *   rows that fit the terminal are drawn (a window that follows the cursor), so a 2,000-line answer
 *   redraws as fast as a short one.
 * - The cursor is drawn in inverse video and the terminal's own cursor is hidden while editing.
 */
import {
  createPrompt,
  isEnterKey,
  type KeypressEvent,
  makeTheme,
  useEffect,
  useKeypress,
  usePrefix,
  useRef,
  useState,
} from '@inquirer/core';
import { answerSizeProblem, MAX_ANSWER_BYTES, MAX_ANSWER_LINES } from '../core/cycle.ts';
import { wrapText } from '../core/wrap.ts';
import type { TextMark } from './prompter.ts';
import { segmentOf, TextBuffer, wrapOffsets } from './text-buffer.ts';

export type MultilineOutcome =
  | { action: 'save'; lines: string[] }
  | { action: 'back' }
  /** `marks`: where the marked lines are now (0-based, in the order given). */
  | { action: 'editor'; lines: string[]; marks: number[] };

export interface MultilinePromptConfig {
  message: string;
  /** The text to start from (the current answer). */
  initial?: readonly string[];
  /** Explains the question's tags (F1, or `?` typed into an empty answer). */
  help?: () => string;
  /** Kept pointing at the text as typed, so a caller can keep it as a draft if the prompt is interrupted. */
  keep?: { current?: readonly string[] };
  /** Whether Ctrl-O (open `$EDITOR`) is offered. */
  editor?: boolean;
  /** The terminal's size now (columns, rows); 80×24 when unknown. */
  size?: () => { columns?: number | undefined; rows?: number | undefined };
  /** Called with a redraw function whenever the terminal is resized; returns the unsubscribe. */
  onResize?: (redraw: () => void) => () => void;
  /** The question, shown above the text box after a resize has cleared the screen. */
  question?: string;
  /** Colour (bold message, dim key line); the cursor is shown in inverse video either way. */
  color?: boolean;
  /** Writes straight to the terminal (switching bracketed paste on and off). */
  writeRaw?: (text: string) => void;
  /**
   * Lines to point at (the personal-data warning's findings): each is marked `>` in the left margin
   * and named above the text with what was found there; the cursor starts on the first.
   */
  marks?: readonly TextMark[];
}

/** The answer size limit in words: "2,000 lines and 128 KB". */
const LIMIT_WORDS = `${MAX_ANSWER_LINES.toLocaleString('en-GB')} lines and ${MAX_ANSWER_BYTES / 1024} KB`;

const PASTE_ON = '\x1b[?2004h';
const PASTE_OFF = '\x1b[?2004l';
const HIDE_CURSOR = '\x1b[?25l';
const INDENT = '  ';
/** The left margin of a marked line: a sign, so the mark does not depend on colour. */
const MARK = '> ';
/** At most this many marks are named above the text (the rest are counted). */
const MARKS_NAMED = 3;

/** A character that cannot be shown raw, shown as U+FFFD: one column for one character, so the cursor stays put. */
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f]/g;

/** Readline's `rl.line` is kept holding one space, so Ctrl-D (end of input to readline) never closes it. */
interface LineHolder {
  line: string;
  cursor: number;
}

interface View {
  /** The first row shown: a line and which of its wrapped rows. */
  topLine: number;
  topSeg: number;
}

/** The keys, as lines no wider than `width`, breaking only between keys. */
export function keyLines(editor: boolean, help: boolean, width = Number.POSITIVE_INFINITY): string[] {
  const keys = ['Enter new line', 'Ctrl-D save', 'Esc back (no change)'];
  if (editor) keys.push('Ctrl-O editor');
  if (help) keys.push('F1 explain the tags');
  const lines: string[] = [];
  for (const key of keys) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 3 + key.length <= width)
      lines[lines.length - 1] = `${last} · ${key}`;
    else lines.push(key);
  }
  return lines;
}

/** The characters a key adds to the text, or undefined for a key that edits or moves. */
function typedText(key: KeypressEvent & { sequence?: string; meta?: boolean }): string | undefined {
  if (key.ctrl || key.meta) return undefined;
  // only the sequence: a key event without one is a synthetic copy of typed text (readline does the same)
  const seq = key.sequence;
  if (seq === undefined || seq === '' || seq.startsWith('\x1b')) return undefined;
  if (key.name === 'tab') return '    ';
  if (/^[\u0000-\u001f\u007f]+$/.test(seq)) return undefined;
  return seq;
}

/** What a paste is doing: inside one, every key is text, Enter included. */
interface PasteState {
  on: boolean;
  /** The last key was CR: an LF right after it ends the same line. */
  lastCR: boolean;
  /** Line ends pasted so far. */
  lines: number;
  /** Characters left out once the answer reached its size limit. */
  refused: number;
}

/** One key of a paste into `text`. */
function pasteKey(paste: PasteState, text: TextBuffer, seq: string): void {
  // CR LF is one line end
  if (seq === '\n' && paste.lastCR) {
    paste.lastCR = false;
    return;
  }
  paste.lastCR = seq === '\r';
  // once a paste has reached the size limit the rest of it is left out whole, so what went in is
  // the paste's beginning, never its pieces run together
  if (paste.refused > 0) {
    paste.refused += seq.length;
    return;
  }
  paste.refused += text.insert(seq === '\r' ? '\n' : seq);
  if ((seq === '\r' || seq === '\n') && paste.refused === 0) paste.lines++;
}

/**
 * An editing or moving key applied to `text`: `edited` (redraw), `full` (it would have added text past
 * the answer's size limit) or `ignored` (not a key of the text box).
 */
function editText(
  text: TextBuffer,
  k: KeypressEvent & { sequence?: string; meta?: boolean },
  width: number,
  rows: number,
): 'edited' | 'full' | 'ignored' {
  if (isEnterKey(k)) return text.insert('\n') > 0 ? 'full' : 'edited';
  if (k.name === 'backspace' || (k.ctrl && k.name === 'h')) k.meta ? text.deleteWordBack() : text.backspace();
  else if (k.name === 'delete') text.deleteForward();
  else if (k.ctrl && k.name === 'w') text.deleteWordBack();
  else if (k.ctrl && k.name === 'k') text.deleteToEnd();
  else if (k.ctrl && k.name === 'u') text.deleteToStart();
  else if (k.name === 'left' || (k.meta && k.name === 'b')) k.ctrl || k.meta ? text.wordLeft() : text.left();
  else if (k.name === 'right' || (k.meta && k.name === 'f'))
    k.ctrl || k.meta ? text.wordRight() : text.right();
  else if (k.name === 'up') text.up(width);
  else if (k.name === 'down') text.down(width);
  else if (k.name === 'pageup') for (let i = 0; i < rows - 6; i++) text.up(width);
  else if (k.name === 'pagedown') for (let i = 0; i < rows - 6; i++) text.down(width);
  else if (k.name === 'home' || (k.ctrl && k.name === 'a'))
    k.ctrl && k.name === 'home' ? text.start() : text.home();
  else if (k.name === 'end' || (k.ctrl && k.name === 'e'))
    k.ctrl && k.name === 'end' ? text.finish() : text.end();
  else {
    const typed = typedText(k);
    if (typed === undefined) return 'ignored';
    if (text.insert(typed) > 0) return 'full';
  }
  return 'edited';
}

/**
 * The notes above the text naming its marked lines (a personal-data finding, say), where they are
 * now: the marks move with their lines as the text is edited (`now`, 0-based).
 */
function markNotes(
  marks: readonly TextMark[],
  now: readonly number[],
  wrapped: (text: string, indent?: string) => string[],
): string[] {
  if (marks.length === 0) return [];
  const out: string[] = [];
  for (const [i, m] of marks.slice(0, MARKS_NAMED).entries()) {
    // the sign in the margin, as on the line itself; the rest of the note hangs beside it
    const named = wrapped(`Line ${(now[i] ?? m.line - 1) + 1} ${m.note}.`, INDENT);
    named[0] = `${MARK}${(named[0] as string).slice(INDENT.length)}`;
    out.push(...named);
  }
  if (marks.length > MARKS_NAMED) out.push(`${INDENT}  and ${marks.length - MARKS_NAMED} more.`);
  out.push(
    ...wrapped(
      `${marks.length === 1 ? 'That line is marked > on the left, the cursor on it' : 'Those lines are marked > on the left, the cursor on the first'}. Change what needs changing and press Ctrl-D: the answer is checked again.`,
      INDENT,
    ),
  );
  return out;
}

/** The line the prompt leaves behind once answered. */
function outcomeSummary(result: MultilineOutcome | undefined): string {
  if (result?.action === 'back') return 'Back, nothing changed.';
  if (result?.action === 'editor') return 'Opening your editor…';
  return result && result.lines.length > 0
    ? `${result.lines.length} line${result.lines.length === 1 ? '' : 's'}`
    : 'Nothing typed.';
}

export const multilinePrompt = createPrompt<MultilineOutcome, MultilinePromptConfig>((config, done) => {
  const theme = makeTheme({});
  const buffer = useRef<TextBuffer | undefined>(undefined);
  if (buffer.current === undefined) {
    buffer.current = new TextBuffer(config.initial ?? []);
    const first = config.marks?.[0];
    if (first) {
      buffer.current.marks = (config.marks ?? []).map((m) => m.line - 1);
      buffer.current.moveTo(first.line - 1, (first.column ?? 1) - 1);
    }
  }
  const text = buffer.current;
  if (config.keep) config.keep.current = text.lines;
  const view = useRef<View>({ topLine: 0, topSeg: 0 });
  const pasting = useRef<PasteState>({ on: false, lastCR: false, lines: 0, refused: 0 });
  const [, setTick] = useState(0);
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  const [note, setNote] = useState('');
  const [showHelp, setShowHelp] = useState(false);
  const [resized, setResized] = useState(false);
  const [outcome, setOutcome] = useState<MultilineOutcome | undefined>(undefined);
  const prefix = usePrefix({ status, theme });
  const redraw = (): void => setTick((n) => n + 1);

  const size = config.size?.() ?? {};
  const columns = Math.max(20, size.columns || 80);
  const rows = Math.max(8, size.rows || 24);
  // one column spare, so the cursor after a full row never wraps the terminal
  const width = columns - INDENT.length - 1;

  useEffect((rl) => {
    const holder = rl as unknown as LineHolder;
    holder.line = ' ';
    holder.cursor = 0;
    config.writeRaw?.(PASTE_ON);
    // After a resize the terminal may have re-flowed what was drawn, so the rows to erase are no
    // longer known: clear the screen and draw the text box afresh at its top, with the question.
    const off = config.onResize?.(() => {
      config.writeRaw?.('\x1b[H\x1b[2J');
      setResized(true);
      redraw();
    });
    return () => {
      off?.();
      config.writeRaw?.(PASTE_OFF);
    };
  }, []);

  const finish = (result: MultilineOutcome): void => {
    setOutcome(result);
    setStatus('done');
    done(result);
  };

  useKeypress((key, rl) => {
    const holder = rl as unknown as LineHolder;
    holder.line = ' ';
    holder.cursor = 0;
    if (status === 'done') return;
    const k = key as KeypressEvent & { sequence?: string; meta?: boolean };
    // a one-letter key without its sequence is a synthetic copy of text already received with one
    if (k.sequence === undefined && !k.ctrl && !k.meta && (k.name ?? '').length === 1) return;
    const paste = pasting.current;
    if (k.name === 'paste-start') {
      paste.on = true;
      paste.lastCR = false;
      paste.lines = 0;
      paste.refused = 0;
      return;
    }
    if (k.name === 'paste-end') {
      paste.on = false;
      setNote(
        paste.refused > 0
          ? `Pasted what fits: an answer may have at most ${LIMIT_WORDS}, so the last ${paste.refused.toLocaleString('en-GB')} characters of the paste were left out.`
          : paste.lines > 0
            ? `Pasted ${paste.lines + 1} lines.`
            : '',
      );
      redraw();
      return;
    }
    if (paste.on) {
      // drawn once, when the paste ends
      pasteKey(paste, text, k.sequence ?? '');
      return;
    }
    if (note !== '') setNote('');
    if (showHelp && k.name !== 'f1') setShowHelp(false);
    if (k.ctrl && k.name === 'd') {
      const lines = text.text();
      // too long to be an answer: it stays in the box, to be shortened (or taken to the editor)
      const problem = text.overLimit() ? answerSizeProblem(lines, 'This answer') : undefined;
      if (problem) {
        setNote(`${problem}. Shorten it, then press Ctrl-D again.`);
        return;
      }
      finish({ action: 'save', lines });
      return;
    }
    if (k.name === 'escape') {
      finish({ action: 'back' });
      return;
    }
    if (k.ctrl && k.name === 'o' && config.editor) {
      finish({ action: 'editor', lines: text.text(), marks: [...text.marks] });
      return;
    }
    if (k.name === 'f1' || (k.sequence === '?' && text.isEmpty() && !k.ctrl && !k.meta)) {
      if (config.help) setShowHelp(!showHelp);
      else setNote('There is nothing more to explain for this question.');
      return;
    }
    const edited = editText(text, k, width, rows);
    if (edited === 'ignored') return;
    if (edited === 'full')
      setNote(`The answer is at its size limit (${LIMIT_WORDS}); nothing more can be added.`);
    redraw();
  });

  const message = config.color ? `\x1b[1m${config.message}\x1b[22m` : config.message;
  const dim = (s: string): string => (config.color ? `\x1b[2m${s}\x1b[22m` : s);

  if (status === 'done') return `${prefix} ${message} ${dim(outcomeSummary(outcome))}`;

  // every line of words wrapped here at word boundaries: inquirer itself would cut words
  const wrapped = (lines: string, indent = ''): string[] =>
    wrapText(lines, columns - 1 - indent.length)
      .split('\n')
      .map((l) => `${indent}${l}`);
  const header: string[] = [];
  if (resized && config.question) header.push(...wrapped(config.question));
  header.push(...wrapped(`${prefix} ${message}`));
  header.push(...markNotes(config.marks ?? [], text.marks, wrapped));
  if (showHelp && config.help) header.push(...wrapped(config.help(), INDENT));
  const footer = keyLines(config.editor ?? false, config.help !== undefined, width).map((l) =>
    dim(`${INDENT}${l}`),
  );
  if (note !== '') footer.push(...wrapped(note, INDENT));
  // the text gets the rows left over, with room for the "more above/below" lines
  const height = Math.max(3, rows - header.length - footer.length - 3);
  const body = drawText(text, view.current, width, height, config.color);
  return [...header, ...body, ...footer].join('\n') + HIDE_CURSOR;
});

/**
 * The visible rows of the text: the window `view` is moved just enough to hold the cursor, then
 * `height` wrapped rows are drawn from it, the cursor in inverse video, with a line saying how many
 * lines are above or below the window. Cost grows with `height`, not with the length of the text.
 */
export function drawText(
  text: TextBuffer,
  view: View,
  width: number,
  height: number,
  color = false,
): string[] {
  const { lines, row, col } = text;
  const marked = new Set(text.marks);
  const markSign = color ? `\x1b[1;33m${MARK}\x1b[22;39m` : MARK;
  const segments = (l: number): number[] => wrapOffsets(lines[l] as string, width);
  const cursorSeg = segmentOf(segments(row), col);
  if (view.topLine >= lines.length) {
    view.topLine = lines.length - 1;
    view.topSeg = 0;
  }
  if (row < view.topLine || (row === view.topLine && cursorSeg < view.topSeg)) {
    // the cursor went above the window: the window starts at the cursor's row
    view.topLine = row;
    view.topSeg = cursorSeg;
  } else {
    // walk back from the cursor; if the window's top is not within `height` rows, the cursor's row
    // becomes the window's last
    let l = row;
    let s = cursorSeg;
    let fits = false;
    for (let i = 0; i < height; i++) {
      if (l === view.topLine && s === view.topSeg) {
        fits = true;
        break;
      }
      if (i === height - 1) break;
      if (s > 0) s--;
      else if (l > 0) {
        l--;
        s = segments(l).length - 1;
      } else break;
    }
    if (!fits) {
      view.topLine = l;
      view.topSeg = s;
    }
  }
  const out: string[] = [];
  if (view.topLine > 0 || view.topSeg > 0) {
    const above = view.topLine + (view.topSeg > 0 ? 1 : 0);
    out.push(`${INDENT}↑ ${above} more line${above === 1 ? '' : 's'} above`);
  }
  let l = view.topLine;
  let s = view.topSeg;
  let drawn = 0;
  while (drawn < height && l < lines.length) {
    const line = lines[l] as string;
    const starts = wrapOffsets(line, width);
    const from = starts[s] as number;
    const to = starts[s + 1] ?? line.length;
    let shown = line.slice(from, to).replace(UNSHOWABLE, '\ufffd');
    if (l === row && s === cursorSeg) {
      const at = col - from;
      const code = shown.charCodeAt(at);
      const under =
        at >= shown.length ? ' ' : shown.slice(at, at + (code >= 0xd800 && code <= 0xdbff ? 2 : 1));
      shown = `${shown.slice(0, at)}\x1b[7m${under}\x1b[27m${shown.slice(at + under.length)}`;
    }
    out.push(`${marked.has(l) ? markSign : INDENT}${shown}`);
    drawn++;
    if (s + 1 < starts.length) s++;
    else {
      l++;
      s = 0;
    }
  }
  // (l, s) is the first row not drawn: line l and every line after it are (partly) hidden
  const below = lines.length - l;
  if (below > 0) out.push(`${INDENT}↓ ${below} more line${below === 1 ? '' : 's'} below`);
  return out;
}
