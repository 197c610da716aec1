/**
 * The small interface the interview talks to. Implemented by the @inquirer adapter
 * (`inquirer-prompter.ts`, the only module importing `@inquirer/*`), by the accessible plain-text
 * prompter (`plain-prompter.ts`) and by test doubles.
 *
 * Every prompt rejects with `InterruptedError` on Ctrl-C and with `EndOfInputError` when its input
 * ends (piped stdin ran out).
 */

import { KnownError } from '../core/errors.ts';

export interface Choice<T> {
  value: T;
  /** What the user reads. Plain mode numbers the choices 1…n in this order. */
  label: string;
  /** A short extra shown after the label (e.g. progress). */
  hint?: string;
  /** A one-letter shortcut (e.g. `b` for back), shown and accepted in both modes. */
  key?: string;
  /** A short name for the choice once made (`R4` for "R4 — Make Cognitive Behavioural Therapy…"). */
  short?: string;
  disabled?: boolean;
}

export interface PromptOptions {
  /** Text shown when the user types `?` (the tags explained). */
  help?: () => string;
}

/**
 * A place in the text to point the user at (the personal-data warning's findings): the text box
 * marks the line and puts the cursor there, the editor's file names it in a comment and opens on it,
 * the plain dialogue says its number.
 */
export interface TextMark {
  /** 1-based line of the text. */
  line: number;
  /** 1-based column (UTF-16 code units) where the cursor goes. */
  column?: number;
  /** What is there, in words: `may hold personal data: possible NHS number "943 *** 1234"`. */
  note: string;
}

export interface MultilineOptions extends PromptOptions {
  /** The current text: pre-filled and editable in the terminal, shown for reference in plain mode. */
  initial?: string[];
  /**
   * Pointed at the text as it is typed, so that when the prompt is interrupted (Ctrl-C, end of input,
   * a signal) the caller can keep it as a draft.
   */
  keep?: { current?: readonly string[] };
  /** The question being answered, written at the top of the editor's file. */
  question?: string;
  /** Lines to point at: marked, with the cursor on the first (see `TextMark`). */
  marks?: readonly TextMark[];
}

export interface Prompter {
  /** Whether this prompter is the linear, screen-reader friendly one. */
  readonly plain: boolean;
  /** Print information (stage introduction, tips, read-backs) — to stderr. */
  say(text: string): void;
  /**
   * Pick one of several choices. `cancel`: what Esc picks in a terminal (going back, staying where
   * one was); the same choice is there to pick by its letter in both modes.
   */
  select<T>(
    message: string,
    choices: Choice<T>[],
    options?: PromptOptions & { default?: T; cancel?: T },
  ): Promise<T>;
  /** One line of text. */
  input(message: string, options?: PromptOptions & { default?: string }): Promise<string>;
  /**
   * Several lines of text. In a terminal: a text box pre-filled with `initial`, saved with Ctrl-D, and
   * `undefined` when the user backs out with Esc. In plain mode: lines ended by an empty line, with
   * `initial` shown for reference. Returns the lines (possibly none).
   */
  multiline(message: string, options?: MultilineOptions): Promise<string[] | undefined>;
  confirm(message: string, options?: PromptOptions & { default?: boolean }): Promise<boolean>;
  /**
   * Pick several choices, in the order picked (used to order priorities). Returns the chosen values.
   */
  checkbox<T>(
    message: string,
    choices: Choice<T>[],
    options?: PromptOptions & { checked?: T[] },
  ): Promise<T[]>;
  /**
   * Open `$VISUAL`/`$EDITOR` on `initial` and wait for it to close. Resolves to the edited text, or
   * `undefined` (after telling the user why) when no editor could be started, so the caller can fall
   * back to inline typing.
   */
  editor(initial: string, question?: string, marks?: readonly TextMark[]): Promise<string | undefined>;
  /** Release the terminal. */
  close(): void;
}

/** Input ended (piped stdin ran out): stop asking, keep what was saved. */
export class EndOfInputError extends KnownError {
  static override readonly kind = 'EndOfInputError';
  override readonly name = 'EndOfInputError';
  constructor(
    message?: string,
    /** The input did not end: it stopped making sense (a script answering with words no prompt takes). */
    readonly notUnderstood = false,
  ) {
    super(message);
  }
}
