import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../src/core/errors.ts';
import { makePrompter } from '../src/ui/make-prompter.ts';
import { PlainPrompter } from '../src/ui/plain-prompter.ts';
import { type Choice, EndOfInputError } from '../src/ui/prompter.ts';

/** A plain prompter reading `script` as piped stdin (already ended) and collecting what it writes. */
function piped(script: string, options: { end?: boolean; signal?: AbortSignal } = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => {
    written += chunk.toString('utf8');
  });
  input.write(script);
  if (options.end !== false) input.end();
  const prompter = new PlainPrompter({
    input,
    output,
    env: {},
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { prompter, input, text: () => written };
}

const MENU: Choice<string>[] = [
  { value: 'edit', label: 'Answer or edit', key: 'a' },
  { value: 'keep', label: 'Keep the current answer', hint: 'carried forward', key: 'k' },
  { value: 'skip', label: 'Skip', disabled: true },
  { value: 'back', label: 'Go back', key: 'b' },
];

const HELP = () => 'KP1 means: know your kinship families (evidence: good).';

describe('PlainPrompter select', () => {
  it('lists numbered choices, accepts a number and reads the choice back', async () => {
    const { prompter, text } = piped('2\n');
    await expect(prompter.select('What now?', MENU)).resolves.toBe('keep');
    const out = text();
    expect(out).toContain('What now?\n');
    expect(out).toContain('1. Answer or edit, or type a\n');
    expect(out).toContain('2. Keep the current answer - carried forward, or type k\n');
    expect(out).toContain('3. Skip (not available now)\n');
    expect(out).toContain('Type a number (1–4) or a shortcut letter.\n');
    expect(out).toContain('You chose: 2. Keep the current answer.\n');
  });

  it('accepts the shortcut letter and the exact label in any case', async () => {
    const { prompter, text } = piped('B\nkeep the CURRENT answer\n');
    await expect(prompter.select('What now?', MENU)).resolves.toBe('back');
    await expect(prompter.select('What now?', MENU)).resolves.toBe('keep');
    expect(text()).toContain('You chose: 4. Go back.');
  });

  it('says why an answer is not understood and asks again', async () => {
    const { prompter, text } = piped('9\n3\nmaybe\n\n1\n');
    await expect(prompter.select('What now?', MENU)).resolves.toBe('edit');
    const out = text();
    expect(out).toContain('"9" is not one of the choices. Type a number from 1 to 4.');
    expect(out).toContain('3. Skip is not available now. Choose another.');
    expect(out).toContain('"maybe" is not one of the choices.');
    expect(out).toContain('Nothing was typed. Type a number from 1 to 4.');
    expect(out.match(/Type a number \(1–4\)/g)).toHaveLength(5);
  });

  it('takes the default on an empty line when one is offered', async () => {
    const { prompter, text } = piped('\n');
    await expect(prompter.select('What now?', MENU, { default: 'back' })).resolves.toBe('back');
    expect(text()).toContain('or press Enter for 4.');
  });

  it('explains the tags on ? and asks again', async () => {
    const { prompter, text } = piped('?\n1\n');
    await expect(prompter.select('What now?', MENU, { help: HELP })).resolves.toBe('edit');
    const out = text();
    expect(out).toContain('Type ? to explain the tags.');
    expect(out).toContain('KP1 means: know your kinship families (evidence: good).\n1. Answer or edit');
  });

  it('gives up on piped input after 20 answers in a row that are not understood', async () => {
    const { prompter } = piped('x\n'.repeat(50));
    await expect(prompter.select('What now?', MENU)).rejects.toThrow(/Stopped after 20 answers/);
  });
});

describe('PlainPrompter text', () => {
  it('reads one line for input and reads it back', async () => {
    const { prompter, text } = piped('Exampleshire County Council\n');
    await expect(prompter.input('Which authority?')).resolves.toBe('Exampleshire County Council');
    expect(text()).toContain('You typed: Exampleshire County Council\n');
  });

  it('keeps the default on an empty line', async () => {
    const { prompter, text } = piped('\n');
    await expect(prompter.input('Which authority?', { default: 'Exampleshire' })).resolves.toBe(
      'Exampleshire',
    );
    expect(text()).toContain('You kept: Exampleshire');
  });

  it('shows help for ? in input and asks again', async () => {
    const { prompter, text } = piped('?\nfine\n');
    await expect(prompter.input('Note?', { help: HELP })).resolves.toBe('fine');
    expect(text()).toContain('KP1 means');
  });

  it('multiline ends at an empty line, keeps inner spacing and reads back the count', async () => {
    const { prompter, text } = piped('64% of carers are grandparents.\n  - indented point\n\nnext\n');
    await expect(prompter.multiline('Describe your offer.', { initial: ['Old text'] })).resolves.toEqual([
      '64% of carers are grandparents.',
      '  - indented point',
    ]);
    const out = text();
    expect(out).toContain('The current text, for reference (1 line):\n  Old text\n');
    expect(out).toContain('Type your answer. End with an empty line.');
    expect(out).toContain('You typed 2 lines.');
    // The line after the empty one is left for the next question.
    await expect(prompter.input('Next?')).resolves.toBe('next');
  });

  it('multiline: input ending before the empty line leaves the text unconfirmed, kept for a draft', async () => {
    const { prompter } = piped('first line\r\nlast line without newline');
    const keep: { current?: readonly string[] } = {};
    await expect(prompter.multiline('Describe.', { keep })).rejects.toBeInstanceOf(EndOfInputError);
    expect(keep.current).toEqual(['first line', 'last line without newline']);
  });

  it('multiline with marks says the line numbers and numbers the reference text', async () => {
    const { prompter, text } = piped('Counts only.\n\n');
    const marks = [
      { line: 2, column: 6, note: 'may hold personal data: possible NHS number "943 *** 5919"' },
    ];
    await expect(
      prompter.multiline('Your answer.', { initial: ['12 households.', 'Case 9434765919.'], marks }),
    ).resolves.toEqual(['Counts only.']);
    const out = text();
    expect(out).toContain('Line 2 may hold personal data: possible NHS number "943 *** 5919".\n');
    expect(out).toContain('  Line 1: 12 households.\n  Line 2 (marked): Case 9434765919.\n');
  });

  it('multiline shows help on ? without adding it to the text', async () => {
    const { prompter, text } = piped('one\n?\ntwo\n\n');
    await expect(prompter.multiline('Describe.', { help: HELP })).resolves.toEqual(['one', 'two']);
    expect(text()).toContain('KP1 means');
    expect(text()).toContain('Carry on typing (1 line so far). End with an empty line.');
  });

  it('an empty first line gives no text', async () => {
    const { prompter, text } = piped('\n');
    await expect(prompter.multiline('Describe.')).resolves.toEqual([]);
    expect(text()).toContain('You typed no text.');
  });
});

describe('PlainPrompter confirm and checkbox', () => {
  it('confirm takes y/n words and re-asks otherwise', async () => {
    const { prompter, text } = piped('perhaps\nYes\n\n');
    await expect(prompter.confirm('Save?')).resolves.toBe(true);
    await expect(prompter.confirm('Quit?', { default: false })).resolves.toBe(false);
    const out = text();
    expect(out).toContain('Save? Type y for yes or n for no.\n');
    expect(out).toContain('"perhaps" is not y or n.');
    expect(out).toContain('You chose: yes.');
    expect(out).toContain('or press Enter for no.');
    expect(out).toContain('You chose: no.');
  });

  const RECS: Choice<string>[] = [
    { value: 'R1', label: 'R1 Identify kinship families' },
    { value: 'R2', label: 'R2 Offer support' },
    { value: 'R3', label: 'R3 Train staff', key: 't' },
  ];

  it('checkbox returns the values in the order typed', async () => {
    const { prompter, text } = piped('3, 1 3\n');
    await expect(prompter.checkbox('Which priorities?', RECS)).resolves.toEqual(['R3', 'R1']);
    const out = text();
    expect(out).toContain(
      'Type the numbers in order, separated by spaces or commas. An empty line chooses none.',
    );
    expect(out).toContain('You chose, in this order: 3. R3 Train staff; 1. R1 Identify kinship families.');
  });

  it('checkbox keeps the checked values on an empty line and rejects unknown numbers', async () => {
    const { prompter, text } = piped('1 7\n\n');
    await expect(prompter.checkbox('Which priorities?', RECS, { checked: ['R2', 'R1'] })).resolves.toEqual([
      'R2',
      'R1',
    ]);
    const out = text();
    expect(out).toContain('Chosen now, in this order: 2, 1.');
    expect(out).toContain('"7" is not one of the choices. Use numbers from 1 to 3.');
  });
});

describe('PlainPrompter end of input, interruption and output', () => {
  it('rejects with EndOfInputError when the input ends while waiting', async () => {
    const { prompter } = piped('');
    await expect(prompter.select('What now?', MENU)).rejects.toBeInstanceOf(EndOfInputError);
    await expect(prompter.input('Name?')).rejects.toBeInstanceOf(EndOfInputError);
    await expect(prompter.multiline('Text?')).rejects.toBeInstanceOf(EndOfInputError);
  });

  it('waits for lines that arrive later, and ends when the stream ends', async () => {
    const { prompter, input } = piped('', { end: false });
    const answer = prompter.input('Name?');
    setTimeout(() => input.write('Exampleshire\n'), 20);
    await expect(answer).resolves.toBe('Exampleshire');
    const next = prompter.input('Again?');
    setTimeout(() => input.end(), 20);
    await expect(next).rejects.toBeInstanceOf(EndOfInputError);
  });

  it('rejects with InterruptedError when the signal aborts while waiting', async () => {
    const controller = new AbortController();
    const { prompter } = piped('', { end: false, signal: controller.signal });
    const answer = prompter.input('Name?');
    setTimeout(() => controller.abort(), 20);
    await expect(answer).rejects.toBeInstanceOf(InterruptedError);
    await expect(prompter.confirm('Still there?')).rejects.toBeInstanceOf(InterruptedError);
    prompter.close();
  });

  it('writes no escape codes, even when given coloured text', async () => {
    const { prompter, text } = piped('1\nline\n\ny\n2\n');
    prompter.say('\x1b[1mStage: Assess\x1b[22m [KP1]');
    await prompter.select('\x1b[36mPick\x1b[39m', MENU, { help: HELP });
    await prompter.multiline('Text?');
    await prompter.confirm('OK?');
    await prompter.checkbox('Which?', [
      { value: 1, label: 'One' },
      { value: 2, label: '\x1b[31mTwo\x1b[39m' },
    ]);
    const out = text();
    expect(out).toContain('Stage: Assess [KP1]');
    expect(out).not.toMatch(/\x1b/);
    expect(out).toContain('You chose, in this order: 2. Two.');
  });

  it('refuses the editor when answers come from a pipe', async () => {
    const { prompter, text } = piped('');
    await expect(prompter.editor('text')).resolves.toBeUndefined();
    expect(text()).toContain('An editor cannot be used while the answers come from a pipe or file.');
  });
});

describe('makePrompter', () => {
  function context(
    stdin: PassThrough & { isTTY?: boolean },
    global: { plain?: boolean },
    env: NodeJS.ProcessEnv = {},
  ) {
    return {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdin,
      env,
      cwd: '/nonexistent',
      today: () => '2026-01-15',
      global,
    };
  }
  const tty = () => Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });

  it('is plain for piped stdin, --plain and ACCESSIBLE=1, and the inquirer one on a terminal', () => {
    const cases: [PassThrough & { isTTY?: boolean }, { plain?: boolean }, NodeJS.ProcessEnv, boolean][] = [
      [new PassThrough(), {}, {}, true],
      [tty(), { plain: true }, {}, true],
      [tty(), {}, { ACCESSIBLE: '1' }, true],
      [tty(), {}, { ACCESSIBLE: '0' }, false],
      [tty(), {}, {}, false],
    ];
    for (const [stdin, global, env, plain] of cases) {
      const prompter = makePrompter(context(stdin, global, env));
      expect(prompter.plain).toBe(plain);
      prompter.close();
    }
  });

  it('the plain one reads piped stdin and writes to stderr only', async () => {
    const stdin = new PassThrough();
    const ctx = context(stdin, {});
    let err = '';
    let out = '';
    ctx.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    ctx.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    stdin.end('Exampleshire\n');
    const prompter = makePrompter(ctx);
    await expect(prompter.input('Which authority?')).resolves.toBe('Exampleshire');
    prompter.close();
    expect(err).toContain('You typed: Exampleshire');
    expect(out).toBe('');
  });
});
