/**
 * A `Prompter` test double that plays a script of answers and records everything said and asked.
 *
 *   const p = new ScriptPrompter([
 *     { kind: 'select', message: 'Which stage', answer: 'assess' },
 *     { kind: 'multiline', answer: ['We ask every family.', 'Second line.'] },
 *     { kind: 'select', pick: 'Save and quit' },   // choose by label instead of value
 *     { interrupt: true },                         // Ctrl-C at the next prompt
 *   ]);
 *
 * Each step names the prompt kind it expects and, optionally, a substring of the prompt's message.
 * A mismatch, an answer that is not one of the offered (enabled) choices, or running out of script
 * throws a `ScriptError` that says what was asked and what the script expected.
 */
import { InterruptedError } from '../../src/core/errors.ts';
import {
  type Choice,
  EndOfInputError,
  type MultilineOptions,
  type Prompter,
  type PromptOptions,
  type TextMark,
} from '../../src/ui/prompter.ts';

export type PromptKind = 'select' | 'input' | 'multiline' | 'confirm' | 'checkbox' | 'editor';

export type ScriptStep =
  | {
      kind: PromptKind;
      /** The prompt's message must contain this (case-sensitive). */
      message?: string;
      /** The value returned. For `select`/`checkbox` it must be among the choices' values. */
      answer?: unknown;
      /** For `select`: choose the choice whose label contains this. For `checkbox`: several labels, in order. */
      pick?: string | string[];
      /** Call options.help() (it must exist) and record its text before answering. */
      askHelp?: boolean;
    }
  /** The next prompt, whatever it is, rejects with InterruptedError (Ctrl-C). */
  | { interrupt: true; kind?: PromptKind; message?: string }
  /** The next prompt rejects with EndOfInputError (piped input ran out). */
  | { endOfInput: true; kind?: PromptKind; message?: string };

/** One prompt as it was asked. */
export interface AskedPrompt {
  kind: PromptKind;
  message: string;
  choices?: { label: string; hint?: string; key?: string; disabled?: boolean }[];
  default?: unknown;
  initial?: string[] | string;
  checked?: unknown[];
  hasHelp: boolean;
  /** The lines a text prompt or the editor was asked to point at. */
  marks?: readonly TextMark[];
}

export class ScriptError extends Error {
  override readonly name = 'ScriptError';
}

export class ScriptPrompter implements Prompter {
  readonly plain: boolean;
  /** Everything passed to `say`, in order. */
  readonly said: string[] = [];
  /** Every prompt asked, in order. */
  readonly asked: AskedPrompt[] = [];
  /** Help texts shown because a step had `askHelp`. */
  readonly helpShown: string[] = [];
  /** Everything, in order: said text and `? <kind>: <message>` lines — handy for snapshots. */
  readonly transcript: string[] = [];
  closed = false;
  private readonly steps: ScriptStep[];
  private position = 0;

  constructor(steps: ScriptStep[], options: { plain?: boolean } = {}) {
    this.steps = [...steps];
    this.plain = options.plain ?? false;
  }

  /** How many steps are left; assert 0 at the end of a test so every scripted answer was used. */
  get remaining(): number {
    return this.steps.length - this.position;
  }

  say(text: string): void {
    this.said.push(text);
    this.transcript.push(text);
  }

  private describe(asked: AskedPrompt): string {
    const choices = asked.choices
      ? ` choices: ${asked.choices.map((c) => JSON.stringify(c.label)).join(', ')}`
      : '';
    return `${asked.kind} "${asked.message}"${choices}`;
  }

  private next(
    asked: AskedPrompt,
    options?: PromptOptions,
  ): Exclude<ScriptStep, { interrupt: true } | { endOfInput: true }> {
    this.asked.push(asked);
    this.transcript.push(`? ${asked.kind}: ${asked.message}`);
    const step = this.steps[this.position];
    const index = this.position;
    if (!step) {
      throw new ScriptError(
        `The script ran out (after ${this.steps.length} steps) when asked: ${this.describe(asked)}\nLast things said:\n${this.said.slice(-5).join('\n')}`,
      );
    }
    this.position++;
    if (step.kind !== undefined && step.kind !== asked.kind) {
      throw new ScriptError(
        `Step ${index + 1} expected a prompt of kind "${step.kind}"${step.message ? ` containing "${step.message}"` : ''}, but was asked: ${this.describe(asked)}`,
      );
    }
    if (step.message !== undefined && !asked.message.includes(step.message)) {
      throw new ScriptError(
        `Step ${index + 1} expected a message containing "${step.message}", but was asked: ${this.describe(asked)}`,
      );
    }
    if ('interrupt' in step) throw new InterruptedError('Interrupted (scripted Ctrl-C).');
    if ('endOfInput' in step) throw new EndOfInputError('The input ended (scripted).');
    if (step.askHelp) {
      if (!options?.help)
        throw new ScriptError(`Step ${index + 1} asks for help, but ${this.describe(asked)} offers none.`);
      const help = options.help();
      this.helpShown.push(help);
      this.transcript.push(help);
    }
    return step;
  }

  private pickOne<T>(choices: Choice<T>[], label: string, n: number): T {
    const byLabel = choices.find((c) => c.label.includes(label));
    if (!byLabel) {
      throw new ScriptError(
        `Step ${n} picks "${label}", which is not among: ${choices.map((c) => JSON.stringify(c.label)).join(', ')}`,
      );
    }
    if (byLabel.disabled) throw new ScriptError(`Step ${n} picks "${label}", which is disabled.`);
    return byLabel.value;
  }

  private choiceList<T>(choices: Choice<T>[]): AskedPrompt['choices'] {
    return choices.map((c) => ({
      label: c.label,
      ...(c.hint !== undefined ? { hint: c.hint } : {}),
      ...(c.key !== undefined ? { key: c.key } : {}),
      ...(c.disabled ? { disabled: true } : {}),
    }));
  }

  async select<T>(
    message: string,
    choices: Choice<T>[],
    options?: PromptOptions & { default?: T },
  ): Promise<T> {
    const step = this.next(
      {
        kind: 'select',
        message,
        choices: this.choiceList(choices),
        default: options?.default,
        hasHelp: !!options?.help,
      },
      options,
    );
    const n = this.position;
    if (typeof step.pick === 'string') return this.pickOne(choices, step.pick, n);
    if (step.pick !== undefined) throw new ScriptError(`Step ${n}: select takes one pick, not a list.`);
    const chosen = choices.find((c) => Object.is(c.value, step.answer));
    if (!chosen) {
      throw new ScriptError(
        `Step ${n} answers ${JSON.stringify(step.answer)}, which is not a choice of "${message}" (values: ${choices.map((c) => JSON.stringify(c.value)).join(', ')})`,
      );
    }
    if (chosen.disabled) throw new ScriptError(`Step ${n} answers "${chosen.label}", which is disabled.`);
    return chosen.value;
  }

  async input(message: string, options?: PromptOptions & { default?: string }): Promise<string> {
    const step = this.next(
      { kind: 'input', message, default: options?.default, hasHelp: !!options?.help },
      options,
    );
    if (step.answer === undefined) return options?.default ?? '';
    if (typeof step.answer !== 'string')
      throw new ScriptError(`Step ${this.position}: input needs a string answer.`);
    return step.answer;
  }

  async multiline(message: string, options?: MultilineOptions): Promise<string[]> {
    const step = this.next(
      {
        kind: 'multiline',
        message,
        initial: options?.initial,
        hasHelp: !!options?.help,
        ...(options?.marks ? { marks: options.marks } : {}),
      },
      options,
    );
    const a = step.answer;
    if (typeof a === 'string') return a === '' ? [] : a.split('\n');
    if (Array.isArray(a) && a.every((l) => typeof l === 'string')) return [...a];
    throw new ScriptError(`Step ${this.position}: multiline needs a string or an array of lines.`);
  }

  async confirm(message: string, options?: PromptOptions & { default?: boolean }): Promise<boolean> {
    const step = this.next(
      { kind: 'confirm', message, default: options?.default, hasHelp: !!options?.help },
      options,
    );
    if (step.answer === undefined && options?.default !== undefined) return options.default;
    if (typeof step.answer !== 'boolean')
      throw new ScriptError(`Step ${this.position}: confirm needs true or false.`);
    return step.answer;
  }

  async checkbox<T>(
    message: string,
    choices: Choice<T>[],
    options?: PromptOptions & { checked?: T[] },
  ): Promise<T[]> {
    const step = this.next(
      {
        kind: 'checkbox',
        message,
        choices: this.choiceList(choices),
        checked: options?.checked,
        hasHelp: !!options?.help,
      },
      options,
    );
    const n = this.position;
    if (step.pick !== undefined) {
      const labels = Array.isArray(step.pick) ? step.pick : [step.pick];
      return labels.map((l) => this.pickOne(choices, l, n));
    }
    if (step.answer === undefined) return [...(options?.checked ?? [])];
    if (!Array.isArray(step.answer)) throw new ScriptError(`Step ${n}: checkbox needs an array of values.`);
    return step.answer.map((v) => {
      const c = choices.find((ch) => Object.is(ch.value, v));
      if (!c)
        throw new ScriptError(
          `Step ${n} answers ${JSON.stringify(v)}, which is not a choice of "${message}".`,
        );
      if (c.disabled) throw new ScriptError(`Step ${n} answers "${c.label}", which is disabled.`);
      return c.value;
    });
  }

  /** `answer: undefined` (or omitted) simulates "no editor could be started". */
  async editor(
    initial: string,
    _question?: string,
    marks?: readonly TextMark[],
  ): Promise<string | undefined> {
    const step = this.next({
      kind: 'editor',
      message: '',
      initial,
      hasHelp: false,
      ...(marks ? { marks } : {}),
    });
    if (step.answer === undefined) {
      this.say('No editor found (scripted).');
      return undefined;
    }
    if (typeof step.answer !== 'string')
      throw new ScriptError(`Step ${this.position}: editor needs a string.`);
    return step.answer;
  }

  close(): void {
    this.closed = true;
  }
}
