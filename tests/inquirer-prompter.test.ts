import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../src/core/errors.ts';
import { InquirerPrompter } from '../src/ui/inquirer-prompter.ts';
import { type Choice, EndOfInputError } from '../src/ui/prompter.ts';

const ENTER = '\r';
const DOWN = '\x1b[B';
const CTRL_C = '\x03';

/**
 * The adapter on a fake terminal: keystrokes are written to an input stream that says it is a TTY,
 * and the screen is what the prompts wrote, colours stripped. Several prompts run one after another
 * on the same streams, as in the interview, which @inquirer/testing's single-prompt `render` cannot do.
 */
function fakeTerminal(options: { signal?: AbortSignal; columns?: number } = {}) {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
  const output = Object.assign(
    new PassThrough(),
    options.columns ? { isTTY: true, columns: options.columns } : {},
  );
  let raw = '';
  output.on('data', (chunk: Buffer) => {
    raw += chunk.toString('utf8');
  });
  const prompter = new InquirerPrompter({
    input,
    output,
    env: {},
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let seen = 0;
  const screen = () => stripVTControlCharacters(raw);
  return {
    prompter,
    input,
    screen,
    /** Wait until `text` appears in output written since the last wait, then type `keys`. */
    async when(text: string, keys: string): Promise<void> {
      const deadline = Date.now() + 5000;
      for (;;) {
        const at = screen().indexOf(text, seen);
        if (at >= 0) {
          seen = at + text.length;
          break;
        }
        if (Date.now() > deadline)
          throw new Error(`"${text}" never appeared. Screen:\n${screen().slice(seen)}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      // Let the prompt finish its render cycle before the keys arrive.
      await new Promise((r) => setImmediate(r));
      input.write(keys);
    },
  };
}

const MENU: Choice<string>[] = [
  { value: 'edit', label: 'Answer or edit' },
  { value: 'keep', label: 'Keep the current answer', hint: 'carried forward' },
  { value: 'skip', label: 'Skip', disabled: true },
  { value: 'back', label: 'Go back' },
];
const HELP = () => 'KP1 means: know your kinship families (evidence: good).';

describe('InquirerPrompter', () => {
  it('select moves with the arrow keys, steps over disabled choices and shows hints', async () => {
    const t = fakeTerminal();
    const answer = t.prompter.select('What now?', MENU);
    await t.when('What now?', DOWN + DOWN + ENTER);
    await expect(answer).resolves.toBe('back');
    expect(t.screen()).toContain('Keep the current answer - carried forward');
    expect(t.screen()).toContain('Skip (not available now)');
  });

  it('select: the letter beside a choice picks it at once; Esc takes the way back', async () => {
    const t = fakeTerminal();
    const keyed = MENU.map((c, i) => ({ ...c, key: 'ekxb'[i] }));
    const picked = t.prompter.select('Pick one', keyed);
    await t.when('[k] Keep the current answer', 'z');
    await t.when('"z" is not a shortcut here.', 'x');
    await t.when('Skip is not available now.', 'K');
    await expect(picked).resolves.toBe('keep');
    const escaped = t.prompter.select('Then?', keyed, { cancel: 'back' });
    await t.when('Esc back', '\x1b');
    await expect(escaped).resolves.toBe('back');
  });

  it('select wraps its message and choices at word boundaries, a sub-question hanging under its words', async () => {
    const t = fakeTerminal({ columns: 50 });
    const answer = t.prompter.select('Which question of this long section would you like to go to?', [
      { value: 1, label: 'How are your kinship carers connected to the children they care for?' },
      { value: 2, label: '  » Are they grandparents? Siblings? Aunts or uncles? Family friends?' },
    ]);
    await t.when('Enter choose', DOWN + ENTER);
    await expect(answer).resolves.toBe(2);
    const screen = t.screen();
    expect(screen).toContain('? Which question of this long section would you\nlike to go to?');
    expect(screen).toContain(
      '    » Are they grandparents? Siblings? Aunts or\n      uncles? Family friends?',
    );
    // no letters in this menu: none offered, and no column kept for them
    expect(screen).not.toContain('type the letter');
    expect(screen).toContain('❯ How are your kinship carers connected to the\n  children they care for?');
  });

  it('select starts on the default', async () => {
    const t = fakeTerminal();
    const answer = t.prompter.select('What now?', MENU, { default: 'keep' });
    await t.when('What now?', ENTER);
    await expect(answer).resolves.toBe('keep');
  });

  it('select: ? shows the help above the choices, and the menu stays', async () => {
    const t = fakeTerminal();
    const answer = t.prompter.select('What now?', MENU, { help: HELP });
    await t.when('? explain the tags', '?');
    await t.when('KP1 means: know your kinship families', ENTER);
    await expect(answer).resolves.toBe('edit');
  });

  it('input shows help for ? and asks again', async () => {
    const t = fakeTerminal();
    const answer = t.prompter.input('Which authority?', { help: HELP });
    await t.when('Which authority?', `?${ENTER}`);
    await t.when('KP1 means', `Exampleshire${ENTER}`);
    await expect(answer).resolves.toBe('Exampleshire');
  });

  it('multiline is a text box pre-filled with the current answer: Enter adds a line, Ctrl-D saves', async () => {
    const t = fakeTerminal();
    const keep: { current?: readonly string[] } = {};
    const answer = t.prompter.multiline('Describe your offer.', {
      initial: ['Old answer'],
      help: HELP,
      keep,
    });
    // select the old text line by line: Ctrl-U clears it
    await t.when('Ctrl-D save', `\x15New first line.${ENTER}`);
    await t.when('New first line.', `\x1b[200~Pasted one.\r\nPasted two.\x1b[201~`);
    await t.when('Pasted 2 lines.', '\x04');
    await expect(answer).resolves.toEqual(['New first line.', 'Pasted one.', 'Pasted two.']);
    expect(t.screen()).toContain('Old answer');
    expect(t.screen()).toContain('Esc back (no change)');
  });

  it('multiline: Esc backs out (undefined), Ctrl-C rejects with the typed text kept', async () => {
    const t = fakeTerminal();
    const back = t.prompter.multiline('Describe.', { initial: ['Kept'] });
    await t.when('Ctrl-D save', ' more\x1b');
    await expect(back).resolves.toBeUndefined();
    const keep: { current?: readonly string[] } = {};
    const stopped = t.prompter.multiline('Describe again.', { keep });
    await t.when('Describe again.', `half a${ENTER}thought`);
    await t.when('thought', CTRL_C);
    await expect(stopped).rejects.toBeInstanceOf(InterruptedError);
    expect(keep.current).toEqual(['half a', 'thought']);
  });

  it('confirm accepts only y or n', async () => {
    const t = fakeTerminal();
    const answer = t.prompter.confirm('Save?');
    await t.when('Save? (y/n)', `maybe${ENTER}`);
    await t.when('Type y for yes or n for no.', `${'\x7f'.repeat(5)}y${ENTER}`);
    await expect(answer).resolves.toBe(true);
  });

  it('checkbox asks for the order when more than one is ticked', async () => {
    const t = fakeTerminal();
    const recs: Choice<string>[] = [
      { value: 'R1', label: 'R1 Identify' },
      { value: 'R2', label: 'R2 Support' },
      { value: 'R3', label: 'R3 Train' },
    ];
    const answer = t.prompter.checkbox('Which priorities?', recs);
    await t.when('Which priorities?', ` ${DOWN}${DOWN} ${ENTER}`);
    await t.when('Keep them in this order? 1. R1 Identify, 2. R3 Train', `n${ENTER}`);
    await t.when('Which comes first?', DOWN + ENTER);
    await expect(answer).resolves.toEqual(['R3', 'R1']);
  });

  it('Ctrl-C rejects with InterruptedError', async () => {
    const t = fakeTerminal();
    const answer = t.prompter.select('What now?', MENU);
    await t.when('What now?', CTRL_C);
    await expect(answer).rejects.toBeInstanceOf(InterruptedError);
  });

  it('the abort signal rejects the waiting prompt and every later one with InterruptedError', async () => {
    const controller = new AbortController();
    const t = fakeTerminal({ signal: controller.signal });
    const answer = t.prompter.input('Name?');
    await t.when('Name?', '');
    controller.abort();
    await expect(answer).rejects.toBeInstanceOf(InterruptedError);
    await expect(t.prompter.confirm('Again?')).rejects.toBeInstanceOf(InterruptedError);
  });

  it('the input ending rejects with EndOfInputError instead of hanging', async () => {
    const t = fakeTerminal();
    const answer = t.prompter.input('Name?');
    await t.when('Name?', '');
    t.input.end();
    await expect(answer).rejects.toBeInstanceOf(EndOfInputError);
    await expect(t.prompter.input('Again?')).rejects.toBeInstanceOf(EndOfInputError);
  });

  it('say writes a line to the output stream', () => {
    const t = fakeTerminal();
    t.prompter.say('Stage: Assess');
    expect(t.screen()).toBe('Stage: Assess\n');
  });
});
