/**
 * The accessible, linear prompter: for screen readers (`--plain`, `ACCESSIBLE=1`) and for piped
 * stdin, so whole interviews can be scripted. It never moves the cursor, redraws or colours anything,
 * and every answer is read back in words.
 *
 * Plain-mode protocol (one answer per line; this text is also in the README):
 *
 * - Choices are numbered. Answer with the number, the shortcut letter shown as "or type b", or the
 *   choice's exact words (any case). An empty line takes the default when one is offered.
 * - Yes/no questions take y, yes, n or no.
 * - Several choices: type their numbers in the order you want, separated by spaces or commas. An
 *   empty line keeps the current choice (or chooses none when there is none).
 * - Text: type as many lines as you like; an empty line ends the text.
 * - A line with only ? explains the tags of the current question.
 * - Every answer is read back ("You chose: 2. Keep the current answer.", "You typed 3 lines.").
 * - When the input ends (end of file, or Ctrl-D), the session stops; everything already confirmed is
 *   kept, and text typed but not yet ended with an empty line is kept as a draft of that question,
 *   offered the next time it is shown. Ctrl-C stops the same way.
 *
 * When the input is not a terminal, 20 answers in a row that are not understood stop the session, so a
 * wrong script cannot loop for ever.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { stripVTControlCharacters } from 'node:util';
import { InterruptedError } from '../core/errors.ts';
import { sanitizeForTerminal } from '../core/sanitize.ts';
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

export interface PlainPrompterOptions {
  input: Readable & { isTTY?: boolean };
  output: Output;
  /** Aborting it (Ctrl-C) makes the waiting prompt, and every later one, reject with InterruptedError. */
  signal?: AbortSignal;
  /** Environment for `$VISUAL`/`$EDITOR`. */
  env?: NodeJS.ProcessEnv;
  /** How many answers in a row may be misunderstood on piped input before giving up. Default 20. */
  maxRetries?: number;
}

/** Reads lines from a stream on demand; handles `\r\n`, a missing final newline and split UTF-8. */
class LineReader {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private readonly lines: string[] = [];
  private ended = false;
  private started = false;
  private first = true;
  private waiter: ((line: string | undefined) => void) | undefined;

  constructor(private readonly source: Readable) {}

  private readonly onData = (chunk: Buffer | string): void => {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let nl = this.buffer.indexOf('\n');
    while (nl >= 0) {
      this.push(this.buffer.slice(0, nl));
      this.buffer = this.buffer.slice(nl + 1);
      nl = this.buffer.indexOf('\n');
    }
    this.flush();
  };

  private readonly onEnd = (): void => {
    if (this.ended) return;
    this.buffer += this.decoder.end();
    if (this.buffer !== '') this.push(this.buffer);
    this.buffer = '';
    this.ended = true;
    this.flush();
  };

  private push(raw: string): void {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.first) {
      line = line.replace(/^\uFEFF/, '');
      this.first = false;
    }
    this.lines.push(line);
  }

  private flush(): void {
    if (!this.waiter) {
      // Nobody is asking: stop reading so an editor started meanwhile has the terminal to itself.
      if (!this.ended) this.source.pause();
      return;
    }
    if (this.lines.length > 0) {
      const w = this.waiter;
      this.waiter = undefined;
      w(this.lines.shift());
    } else if (this.ended) {
      const w = this.waiter;
      this.waiter = undefined;
      w(undefined);
    }
  }

  /** The next line without its newline, or `undefined` at end of input. */
  next(): Promise<string | undefined> {
    if (this.lines.length > 0) return Promise.resolve(this.lines.shift());
    if (this.ended) return Promise.resolve(undefined);
    if (!this.started) {
      this.started = true;
      this.source.on('data', this.onData);
      this.source.on('end', this.onEnd);
      this.source.on('close', this.onEnd);
      this.source.on('error', this.onEnd);
    }
    return new Promise((resolve) => {
      this.waiter = resolve;
      this.source.resume();
    });
  }

  /** Give up waiting (Ctrl-C): the pending `next()` never resolves and its caller moves on. */
  cancel(): void {
    this.waiter = undefined;
    if (!this.ended) this.source.pause();
  }

  close(): void {
    this.waiter = undefined;
    if (this.started) {
      this.source.off('data', this.onData);
      this.source.off('end', this.onEnd);
      this.source.off('close', this.onEnd);
      this.source.off('error', this.onEnd);
    }
    this.source.pause();
  }
}

/** Text safe for a screen reader's terminal: colour codes removed, other controls made visible. */
function clean(text: string): string {
  return sanitizeForTerminal(stripVTControlCharacters(text));
}

/** `text` ending in a full stop unless it already ends in punctuation. */
function sentence(text: string): string {
  return /[.!?:;]$/.test(text) ? text : `${text}.`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const NO_HELP = 'There is nothing more to explain for this question.';

export class PlainPrompter implements Prompter {
  readonly plain = true;
  private readonly reader: LineReader;
  private readonly source: Readable & { isTTY?: boolean };
  private readonly output: Output;
  private readonly signal: AbortSignal | undefined;
  private readonly env: NodeJS.ProcessEnv;
  private readonly maxRetries: number;

  constructor(options: PlainPrompterOptions) {
    this.source = options.input;
    this.output = options.output;
    this.signal = options.signal;
    this.env = options.env ?? process.env;
    this.maxRetries = options.maxRetries ?? 20;
    this.reader = new LineReader(options.input);
  }

  say(text: string): void {
    // wrapped at word boundaries: a terminal (or a braille display's line) would cut words
    this.output.write(`${wrapText(clean(text), humanWidth(this.output))}\n`);
  }

  /** Read one line; EOF → EndOfInputError, Ctrl-C → InterruptedError. */
  private async readLine(): Promise<string> {
    const line = await this.readLineOrEnd();
    if (line === undefined) throw new EndOfInputError('The input ended before this question was answered.');
    return line;
  }

  private async readLineOrEnd(): Promise<string | undefined> {
    const signal = this.signal;
    if (signal?.aborted) throw new InterruptedError('Interrupted.');
    if (!signal) return this.reader.next();
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        this.reader.cancel();
        reject(new InterruptedError('Interrupted.'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([this.reader.next(), aborted]);
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
    }
  }

  /** Count a misunderstood answer; on piped input give up after `maxRetries`. */
  private retry(count: number): void {
    if (!this.source.isTTY && count >= this.maxRetries) {
      throw new EndOfInputError(
        `Stopped after ${count} answers in a row that were not understood (the input is not a terminal).`,
        true,
      );
    }
  }

  private showHelp(options: PromptOptions | undefined): void {
    this.say(options?.help ? options.help() : NO_HELP);
  }

  private choiceLine<T>(choice: Choice<T>, index: number): string {
    let line = `${index + 1}. ${choice.label}`;
    if (choice.hint) line += ` - ${choice.hint}`;
    if (choice.key) line += `, or type ${choice.key}`;
    if (choice.disabled) line += ' (not available now)';
    return line;
  }

  private listChoices<T>(choices: Choice<T>[]): void {
    for (const [i, choice] of choices.entries()) this.say(this.choiceLine(choice, i));
  }

  private findChoice<T>(choices: Choice<T>[], answer: string): number | undefined {
    if (/^\d+$/.test(answer)) {
      const n = Number(answer);
      return n >= 1 && n <= choices.length ? n - 1 : undefined;
    }
    const lower = answer.toLowerCase();
    const byKey = choices.findIndex((c) => c.key !== undefined && c.key.toLowerCase() === lower);
    if (byKey >= 0) return byKey;
    const byLabel = choices.findIndex((c) => clean(c.label).toLowerCase() === lower);
    return byLabel >= 0 ? byLabel : undefined;
  }

  async select<T>(
    message: string,
    choices: Choice<T>[],
    options?: PromptOptions & { default?: T },
  ): Promise<T> {
    if (choices.length === 0) throw new Error(`select "${message}" was given no choices`);
    const defaultIndex =
      options && 'default' in options && options.default !== undefined
        ? choices.findIndex((c) => c.value === options.default && !c.disabled)
        : -1;
    const range = choices.length === 1 ? '1' : `1–${choices.length}`;
    let ask = `Type a number (${range})`;
    if (choices.some((c) => c.key)) ask += ' or a shortcut letter';
    if (defaultIndex >= 0) ask += `, or press Enter for ${defaultIndex + 1}`;
    if (options?.help) ask += '. Type ? to explain the tags';
    ask += '.';

    this.say(message);
    this.listChoices(choices);
    for (let misses = 0; ; ) {
      this.say(ask);
      const answer = (await this.readLine()).trim();
      let index: number | undefined;
      if (answer === '?') {
        this.showHelp(options);
        this.listChoices(choices);
      } else if (answer === '' && defaultIndex >= 0) {
        index = defaultIndex;
      } else if (answer === '') {
        this.say(`Nothing was typed. Type a number from 1 to ${choices.length}.`);
      } else {
        index = this.findChoice(choices, answer);
        if (index === undefined) {
          this.say(
            `"${clean(answer)}" is not one of the choices. Type a number from 1 to ${choices.length}.`,
          );
        } else if (choices[index]!.disabled) {
          this.say(`${index + 1}. ${clean(choices[index]!.label)} is not available now. Choose another.`);
          index = undefined;
        }
      }
      if (index !== undefined) {
        const chosen = choices[index]!;
        this.say(`You chose: ${sentence(`${index + 1}. ${chosen.label}`)}`);
        return chosen.value;
      }
      misses++;
      this.retry(misses);
    }
  }

  async input(message: string, options?: PromptOptions & { default?: string }): Promise<string> {
    this.say(message);
    const def = options?.default;
    let ask = 'Type your answer on one line';
    if (def !== undefined && def !== '') ask += `, or press Enter to keep: ${def}`;
    if (options?.help) ask += '. Type ? to explain the tags';
    ask += '.';
    for (let misses = 0; ; ) {
      this.say(ask);
      const answer = await this.readLine();
      if (answer.trim() === '?') {
        this.showHelp(options);
        misses++;
        this.retry(misses);
        continue;
      }
      if (answer === '' && def !== undefined && def !== '') {
        this.say(`You kept: ${def}`);
        return def;
      }
      this.say(answer === '' ? 'You typed nothing.' : `You typed: ${answer}`);
      return answer;
    }
  }

  async multiline(message: string, options?: MultilineOptions): Promise<string[]> {
    this.say(message);
    const initial = options?.initial ?? [];
    if (initial.some((l) => l !== '')) {
      const marks = options?.marks ?? [];
      for (const m of marks) this.say(`Line ${m.line} ${m.note}.`);
      this.say(`The current text, for reference (${plural(initial.length, 'line')}):`);
      // with marks, every line is numbered (a screen reader hears where line 3 is); a marked one says so
      const marked = new Set(marks.map((m) => m.line));
      for (const [i, line] of initial.entries())
        this.say(
          marks.length === 0
            ? `  ${line}`
            : `  ${marked.has(i + 1) ? `Line ${i + 1} (marked)` : `Line ${i + 1}`}: ${line}`,
        );
      this.say('What you type now replaces it.');
    }
    let ask = 'Type your answer. End with an empty line.';
    if (options?.help) ask += ' Type ? on a line of its own to explain the tags.';
    this.say(ask);
    const lines: string[] = [];
    if (options?.keep) options.keep.current = lines;
    for (let misses = 0; ; ) {
      const line = await this.readLineOrEnd();
      if (line === undefined) {
        // The input ended before the empty line that confirms the text: it was not confirmed, so it
        // is not saved as the answer; the caller keeps it as a draft (`keep`).
        throw new EndOfInputError(
          lines.length === 0
            ? 'The input ended before this question was answered.'
            : 'The input ended before the text was finished with an empty line.',
        );
      }
      // A line of only spaces ends the text too: trailing blank lines carry nothing.
      if (line.trim() === '') break;
      if (line.trim() === '?') {
        this.showHelp(options);
        this.say(
          lines.length === 0
            ? 'Type your answer. End with an empty line.'
            : `Carry on typing (${plural(lines.length, 'line')} so far). End with an empty line.`,
        );
        misses++;
        this.retry(misses);
        continue;
      }
      lines.push(line);
    }
    this.say(lines.length === 0 ? 'You typed no text.' : `You typed ${plural(lines.length, 'line')}.`);
    return lines;
  }

  async confirm(message: string, options?: PromptOptions & { default?: boolean }): Promise<boolean> {
    const def = options?.default;
    let ask = `${message} Type y for yes or n for no`;
    if (def !== undefined) ask += `, or press Enter for ${def ? 'yes' : 'no'}`;
    if (options?.help) ask += '. Type ? to explain the tags';
    ask += '.';
    for (let misses = 0; ; ) {
      this.say(ask);
      const answer = (await this.readLine()).trim().toLowerCase();
      let value: boolean | undefined;
      if (answer === 'y' || answer === 'yes') value = true;
      else if (answer === 'n' || answer === 'no') value = false;
      else if (answer === '' && def !== undefined) value = def;
      else if (answer === '?') this.showHelp(options);
      else this.say(`"${clean(answer)}" is not y or n.`);
      if (value !== undefined) {
        this.say(`You chose: ${value ? 'yes' : 'no'}.`);
        return value;
      }
      misses++;
      this.retry(misses);
    }
  }

  async checkbox<T>(
    message: string,
    choices: Choice<T>[],
    options?: PromptOptions & { checked?: T[] },
  ): Promise<T[]> {
    const checked: number[] = [];
    for (const value of options?.checked ?? []) {
      const i = choices.findIndex((c) => c.value === value);
      if (i >= 0 && !checked.includes(i)) checked.push(i);
    }
    this.say(message);
    this.listChoices(choices);
    if (checked.length > 0) this.say(`Chosen now, in this order: ${checked.map((i) => i + 1).join(', ')}.`);
    let ask = 'Type the numbers in order, separated by spaces or commas';
    ask += checked.length > 0 ? '. An empty line keeps the current choice' : '. An empty line chooses none';
    if (options?.help) ask += '. Type ? to explain the tags';
    ask += '.';
    for (let misses = 0; ; ) {
      this.say(ask);
      const answer = (await this.readLine()).trim();
      let picked: number[] | undefined;
      if (answer === '?') {
        this.showHelp(options);
        this.listChoices(choices);
      } else if (answer === '') {
        picked = checked;
      } else {
        picked = [];
        for (const token of answer.split(/[\s,;]+/).filter((t) => t !== '')) {
          const i = this.findChoice(choices, token);
          if (i === undefined) {
            this.say(`"${clean(token)}" is not one of the choices. Use numbers from 1 to ${choices.length}.`);
            picked = undefined;
            break;
          }
          if (choices[i]!.disabled) {
            this.say(`${i + 1}. ${clean(choices[i]!.label)} is not available now.`);
            picked = undefined;
            break;
          }
          if (!picked.includes(i)) picked.push(i);
        }
      }
      if (picked !== undefined) {
        if (picked.length === 0) this.say('You chose none.');
        else
          this.say(
            `You chose, in this order: ${sentence(picked.map((i) => `${i + 1}. ${choices[i]!.label}`).join('; '))}`,
          );
        return picked.map((i) => choices[i]!.value);
      }
      misses++;
      this.retry(misses);
    }
  }

  async editor(initial: string, question?: string, marks?: readonly TextMark[]): Promise<string | undefined> {
    if (!this.source.isTTY) {
      this.say(
        'An editor cannot be used while the answers come from a pipe or file. Type the answer here instead.',
      );
      return undefined;
    }
    this.reader.cancel();
    return openEditor(initial, this.env, {
      stdio: 'inherit',
      tell: (m) => this.say(m),
      ...(question ? { question } : {}),
      ...(marks && marks.length > 0 ? { marks } : {}),
    });
  }

  close(): void {
    this.reader.close();
  }
}
