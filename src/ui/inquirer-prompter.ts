/**
 * The terminal prompter: the ONLY module that imports `@inquirer/*`. It adapts @inquirer/prompts to
 * the small `Prompter` interface the interview talks to.
 *
 * - Every prompt gets `{ input, output, signal }` as inquirer's context, so output goes to stderr in
 *   production (stdout stays for data) and tests can drive it with fake streams.
 * - Ctrl-C (inquirer's ExitPromptError), a cancelled prompt or the caller's abort signal become
 *   `InterruptedError`; the input stream ending becomes `EndOfInputError` (inquirer itself would wait
 *   for ever when its input closes).
 * - `?` typed as the whole answer of a text prompt shows `options.help()` and asks again; in menus
 *   (our own `select-prompt.ts`) the `?` key shows it, the letter beside a choice picks it, Esc goes back.
 * - Multi-line text is our own text box (`multiline-prompt.ts`, on @inquirer/core): pre-filled with
 *   the current answer, Ctrl-D saves, Esc backs out, Ctrl-O continues in `$EDITOR`.
 * - Several choices: inquirer's checkbox returns them in list order, so when more than one is picked
 *   the user is asked whether to keep that order and, if not, picks them one at a time in the order
 *   wanted. Values that were already `checked` keep their given order ahead of newly ticked ones.
 */
import { type Readable, Writable } from 'node:stream';
import { linesToText, textToLines } from '../core/cycle.ts';
import { InterruptedError } from '../core/errors.ts';
import { wrapText } from '../core/wrap.ts';
import type { Output } from '../shell/context.ts';
import { humanWidth } from '../shell/human-output.ts';
import { openEditor } from './editor.ts';
import {
  type Choice,
  EndOfInputError,
  type MultilineOptions,
  type Prompter,
  type PromptOptions,
  type TextMark,
} from './prompter.ts';

export interface InquirerPrompterOptions {
  input: Readable & { isTTY?: boolean };
  /** stderr in production. */
  output: Output;
  /** Aborting it makes the current prompt, and every later one, reject with InterruptedError. */
  signal?: AbortSignal;
  /** Environment for `$VISUAL`/`$EDITOR`. */
  env?: NodeJS.ProcessEnv;
  /** Whether prompts may use colour (the text box's message and key line). */
  color?: boolean;
}

type InquirerPrompts = typeof import('@inquirer/prompts');

// Loaded on first use, so commands (and the plain mode) that never show an inquirer prompt never pay
// for importing it.
let prompts: Promise<InquirerPrompts> | undefined;
const loadPrompts = (): Promise<InquirerPrompts> => {
  prompts ??= import('@inquirer/prompts');
  return prompts;
};

interface InquirerContext {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  signal: AbortSignal;
}

/**
 * Inquirer pipes its output into the stream it is given and ends that stream when the prompt is done
 * (except for process.stdout/stderr). This stand-in passes writes through and absorbs the end, so the
 * next prompt and `say` can still write; it reports the real stream's size for line wrapping.
 */
class PassThroughOutput extends Writable {
  constructor(private readonly target: Output & { writableEnded?: boolean; destroyed?: boolean }) {
    super({ decodeStrings: false });
  }
  override _write(chunk: unknown, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.target.writableEnded || this.target.destroyed) {
      callback();
      return;
    }
    // decodeStrings is off, so text arrives as text; a Buffer (never seen from inquirer) as UTF-8
    this.target.write(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    callback();
  }
  get columns(): number | undefined {
    return this.target.columns;
  }
  get rows(): number | undefined {
    return this.target.rows;
  }
  get isTTY(): boolean | undefined {
    return this.target.isTTY;
  }
}

const NO_HELP = 'There is nothing more to explain for this question.';

function withHint<T>(choice: Choice<T>): string {
  return choice.hint ? `${choice.label} - ${choice.hint}` : choice.label;
}

export class InquirerPrompter implements Prompter {
  readonly plain = false;
  private readonly source: Readable & { isTTY?: boolean };
  private readonly output: Output;
  private readonly signal: AbortSignal | undefined;
  private readonly env: NodeJS.ProcessEnv;
  private readonly color: boolean;
  /** Aborted when the input stream ends, so a waiting prompt rejects instead of hanging. */
  private readonly ended = new AbortController();
  private readonly onEnd = (): void => this.ended.abort(new EndOfInputError('The input ended.'));

  constructor(options: InquirerPrompterOptions) {
    this.source = options.input;
    this.output = options.output;
    this.signal = options.signal;
    this.env = options.env ?? process.env;
    this.color = options.color ?? false;
    this.source.once('end', this.onEnd);
    this.source.once('close', this.onEnd);
  }

  say(text: string): void {
    // prose wraps at word boundaries (the terminal would break words); at most 100 columns, to read
    this.output.write(`${wrapText(text, Math.min(humanWidth(this.output), 100))}\n`);
  }

  /**
   * A prompt's message wrapped at word boundaries to the terminal, leaving room for inquirer's `? `
   * and a short answer after it (inquirer's own line breaking cuts words).
   */
  private fit(message: string): string {
    return wrapText(message, humanWidth(this.output) - 12);
  }

  private async run<V>(prompt: (p: InquirerPrompts, context: InquirerContext) => Promise<V>): Promise<V> {
    if (this.ended.signal.aborted)
      throw new EndOfInputError('The input ended before this question was asked.');
    if (this.signal?.aborted) throw new InterruptedError('Interrupted.');
    const signal = this.signal ? AbortSignal.any([this.signal, this.ended.signal]) : this.ended.signal;
    const p = await loadPrompts();
    try {
      return await prompt(p, {
        input: this.source as NodeJS.ReadableStream,
        output: new PassThroughOutput(this.output),
        signal,
      });
    } catch (error) {
      throw this.translate(error);
    }
  }

  private translate(error: unknown): unknown {
    // Matched by name: @inquirer/core (where these classes live) is not a direct dependency.
    const name = error instanceof Error ? error.name : '';
    if (name === 'AbortPromptError' && this.ended.signal.aborted && !this.signal?.aborted) {
      return new EndOfInputError('The input ended before this question was answered.');
    }
    if (name === 'ExitPromptError' || name === 'AbortPromptError' || name === 'CancelPromptError') {
      return new InterruptedError('Interrupted.');
    }
    return error;
  }

  async select<T>(
    message: string,
    choices: Choice<T>[],
    options?: PromptOptions & { default?: T; cancel?: T },
  ): Promise<T> {
    if (choices.length === 0) throw new Error(`select "${message}" was given no choices`);
    const { HELP_REQUEST, selectPrompt } = await import('./select-prompt.ts');
    const output = this.output as Output & { columns?: number; rows?: number };
    let def = options?.default;
    const highlighted: { current?: T } = {};
    for (;;) {
      const answer = await this.run((_, ctx) =>
        selectPrompt<T>(
          {
            message,
            choices,
            ...(def !== undefined ? { default: def } : {}),
            ...(options?.cancel !== undefined ? { cancel: options.cancel } : {}),
            help: options?.help !== undefined,
            highlighted,
            color: this.color,
            size: () => ({ columns: output.columns, rows: output.rows }),
          },
          ctx,
        ),
      );
      if (answer !== HELP_REQUEST) return answer as T;
      this.say(options?.help?.() ?? NO_HELP);
      def = highlighted.current ?? def;
    }
  }

  async input(message: string, options?: PromptOptions & { default?: string }): Promise<string> {
    for (;;) {
      const def = options?.default;
      const answer = await this.run((p, ctx) =>
        p.input(
          { message: this.fit(message), ...(def !== undefined && def !== '' ? { default: def } : {}) },
          ctx,
        ),
      );
      if (answer.trim() === '?') {
        this.say(options?.help ? options.help() : NO_HELP);
        continue;
      }
      return answer;
    }
  }

  async multiline(message: string, options?: MultilineOptions): Promise<string[] | undefined> {
    const { multilinePrompt } = await import('./multiline-prompt.ts');
    const output = this.output as Output & {
      columns?: number;
      rows?: number;
      on?: (event: 'resize', fn: () => void) => unknown;
      off?: (event: 'resize', fn: () => void) => unknown;
    };
    let start = options?.initial ?? [];
    let marks = options?.marks;
    for (;;) {
      const outcome = await this.run((_, ctx) =>
        multilinePrompt(
          {
            message,
            initial: start,
            ...(options?.help ? { help: options.help } : {}),
            ...(options?.keep ? { keep: options.keep } : {}),
            editor: true,
            color: this.color,
            size: () => ({ columns: output.columns, rows: output.rows }),
            ...(options?.question ? { question: options.question } : {}),
            ...(marks && marks.length > 0 ? { marks } : {}),
            onResize: (redraw) => {
              // stderr itself, or (in production) the process stream behind our output wrapper
              const emitter =
                typeof output.on === 'function'
                  ? output
                  : (output as { stream?: () => NodeJS.WriteStream }).stream?.();
              emitter?.on?.('resize', redraw);
              return () => emitter?.off?.('resize', redraw);
            },
            writeRaw: (text) => {
              if (output.isTTY) output.write(text);
            },
          },
          ctx,
        ),
      );
      if (outcome.action === 'save') return outcome.lines;
      if (outcome.action === 'back') return undefined;
      // Ctrl-O: the text so far goes to the editor; what comes back is the answer. When no editor
      // works, the text box opens again with the text as it was (the reason has been told).
      if (options?.keep) options.keep.current = outcome.lines;
      // the marks go along, on the lines they have moved to (trailing blank lines are not taken)
      marks = marks
        ?.map((m, i) => ({ line: (outcome.marks[i] ?? m.line - 1) + 1, note: m.note }))
        .filter((m) => m.line <= Math.max(1, outcome.lines.length));
      const edited = await this.editor(linesToText(outcome.lines), options?.question ?? message, marks);
      if (edited !== undefined) return textToLines(edited);
      start = outcome.lines;
    }
  }

  async confirm(message: string, options?: PromptOptions & { default?: boolean }): Promise<boolean> {
    // A text prompt rather than inquirer's confirm, which takes any unknown answer (even `?`) as the
    // default: here only y/yes/n/no (or Enter for the default) is accepted.
    const def = options?.default;
    const hint = def === undefined ? '(y/n)' : def ? '(Y/n)' : '(y/N)';
    for (;;) {
      const answer = await this.run((p, ctx) =>
        p.input(
          {
            message: this.fit(`${message} ${hint}`),
            validate: (value) => {
              const v = value.trim().toLowerCase();
              if (
                /^(y|yes|n|no)$/.test(v) ||
                (v === '?' && options?.help) ||
                (v === '' && def !== undefined)
              ) {
                return true;
              }
              return 'Type y for yes or n for no.';
            },
            transformer: (value, { isFinal }) => {
              if (!isFinal) return value;
              const v = value.trim().toLowerCase();
              if (v === '?') return v;
              return v === '' ? (def ? 'yes' : 'no') : v.startsWith('y') ? 'yes' : 'no';
            },
          },
          ctx,
        ),
      );
      const v = answer.trim().toLowerCase();
      if (v === '?' && options?.help) {
        this.say(options.help());
        continue;
      }
      if (v === '') return def ?? false;
      return v === 'y' || v === 'yes';
    }
  }

  async checkbox<T>(
    message: string,
    choices: Choice<T>[],
    options?: PromptOptions & { checked?: T[] },
  ): Promise<T[]> {
    if (options?.help) this.say(options.help());
    const checked = options?.checked ?? [];
    // each choice wrapped at word boundaries under its own text (inquirer would cut words), after the
    // three columns of the cursor and the box
    const width = humanWidth(this.output) - 4;
    const items = choices.map((c) => ({
      value: c.value,
      name: wrapText(withHint(c), width).replace(/\n/g, '\n   '),
      short: c.short ?? c.label,
      checked: checked.includes(c.value),
      ...(c.disabled ? { disabled: true } : {}),
    }));
    const pageSize = Math.min(Math.max(items.length, 7), 15);
    const ticked = await this.run((p, ctx) =>
      p.checkbox<T>({ message: this.fit(message), choices: items, pageSize }, ctx),
    );
    // Keep the order the values were given in `checked`, then newly ticked ones in list order.
    const ordered = [
      ...checked.filter((v) => ticked.includes(v)),
      ...ticked.filter((v) => !checked.includes(v)),
    ];
    if (ordered.length < 2) return ordered;
    const labelOf = (v: T): string => {
      const c = choices.find((x) => x.value === v);
      return c?.short ?? c?.label ?? String(v);
    };
    const keep = await this.confirm(
      `Keep them in this order? ${ordered.map((v, i) => `${i + 1}. ${labelOf(v)}`).join(', ')}`,
      { default: true },
    );
    if (keep) return ordered;
    const result: T[] = [];
    const left = [...ordered];
    const choiceOf = (v: T): Choice<T> => {
      const c = choices.find((x) => x.value === v);
      return { value: v, label: c?.label ?? String(v), ...(c?.hint ? { hint: c.hint } : {}) };
    };
    while (left.length > 1) {
      // our own menu: the choices in full, wrapped at word boundaries
      const next = await this.select(
        result.length === 0 ? 'Which comes first?' : `Which comes next (number ${result.length + 1})?`,
        left.map(choiceOf),
      );
      result.push(next);
      left.splice(left.indexOf(next), 1);
    }
    for (const line of left) result.push(line);
    return result;
  }

  async editor(initial: string, question?: string, marks?: readonly TextMark[]): Promise<string | undefined> {
    return openEditor(initial, this.env, {
      stdio: 'inherit',
      tell: (m) => this.say(m),
      ...(question ? { question } : {}),
      ...(marks && marks.length > 0 ? { marks } : {}),
    });
  }

  close(): void {
    this.source.off('end', this.onEnd);
    this.source.off('close', this.onEnd);
  }
}
