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
  /** A one-letter shortcut accepted in plain mode (e.g. `b` for back). */
  key?: string;
  disabled?: boolean;
}

export interface PromptOptions {
  /** Text shown when the user types `?` (the tags explained). */
  help?: () => string;
}

export interface Prompter {
  /** Whether this prompter is the linear, screen-reader friendly one. */
  readonly plain: boolean;
  /** Print information (stage introduction, tips, read-backs) — to stderr. */
  say(text: string): void;
  /** Pick one of several choices. */
  select<T>(message: string, choices: Choice<T>[], options?: PromptOptions & { default?: T }): Promise<T>;
  /** One line of text. */
  input(message: string, options?: PromptOptions & { default?: string }): Promise<string>;
  /**
   * Several lines typed inline, ended by an empty line. Returns the lines (possibly none).
   * `initial` is shown so the user knows what they are replacing.
   */
  multiline(message: string, options?: PromptOptions & { initial?: string[] }): Promise<string[]>;
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
  editor(initial: string): Promise<string | undefined>;
  /** Release the terminal. */
  close(): void;
}

/** Input ended (piped stdin ran out): stop asking, keep what was saved. */
export class EndOfInputError extends KnownError {
  static override readonly kind = 'EndOfInputError';
  override readonly name = 'EndOfInputError';
}
