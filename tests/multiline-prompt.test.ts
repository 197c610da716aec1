/**
 * The multi-line prompt, tested the way Inquirer tests its own prompts: @inquirer/testing renders it
 * and types keys into it. Real terminal journeys (paste, resize) are in interview-pty.test.ts.
 */

import { stripVTControlCharacters } from 'node:util';
import { render } from '@inquirer/testing';
import { describe, expect, it } from 'vitest';
import { drawText, multilinePrompt } from '../src/ui/multiline-prompt.ts';
import { TextBuffer } from '../src/ui/text-buffer.ts';

const ctrl = (name: string) => ({ name, ctrl: true });

describe('multilinePrompt', () => {
  it('Enter adds a line, Ctrl-D saves the lines', async () => {
    const { answer, events, getScreen } = await render(multilinePrompt, { message: 'Your answer' });
    expect(getScreen()).toContain('Ctrl-D save');
    expect(getScreen()).toContain('Esc back (no change)');
    events.type('First line.');
    events.keypress('enter');
    events.type('Second line.');
    expect(getScreen()).toContain('First line.');
    events.keypress(ctrl('d'));
    await expect(answer).resolves.toEqual({ action: 'save', lines: ['First line.', 'Second line.'] });
    expect(getScreen()).toContain('2 lines');
  });

  it('Esc goes back without a change', async () => {
    const { answer, events } = await render(multilinePrompt, { message: 'Your answer', initial: ['Kept.'] });
    events.type('xyz');
    events.keypress('escape');
    await expect(answer).resolves.toEqual({ action: 'back' });
  });

  it('starts from the current answer and edits it in place', async () => {
    const { answer, events } = await render(multilinePrompt, {
      message: 'Your answer',
      initial: ['One two three.', 'Four five.'],
    });
    // the cursor starts at the end: go up a line, to its start, and over one word
    events.keypress('up');
    events.keypress('home');
    events.keypress({ name: 'right', ctrl: true });
    events.type(' and a half');
    events.keypress(ctrl('d'));
    await expect(answer).resolves.toEqual({
      action: 'save',
      lines: ['One and a half two three.', 'Four five.'],
    });
  });

  it('Backspace at a line start joins the lines; Delete at a line end joins the next', async () => {
    const { answer, events } = await render(multilinePrompt, {
      message: 'Your answer',
      initial: ['ab', 'cd', 'ef'],
    });
    events.keypress('up'); // on "cd", column 2 (the end)
    events.keypress('home');
    events.keypress('backspace'); // "abcd"
    events.keypress('end');
    events.keypress('delete'); // "abcdef"
    events.keypress(ctrl('d'));
    await expect(answer).resolves.toEqual({ action: 'save', lines: ['abcdef'] });
  });

  it('a bracketed paste goes in whole, CRLF or LF, and does not submit', async () => {
    const { answer, events, getScreen } = await render(multilinePrompt, { message: 'Your answer' });
    events.keypress({ name: 'paste-start' });
    for (const ch of 'One.\r\nTwo.\nThree.')
      events.keypress({ name: ch === '\r' ? 'return' : ch === '\n' ? 'enter' : ch, sequence: ch } as never);
    events.keypress({ name: 'paste-end' });
    expect(getScreen()).toContain('Pasted 3 lines.');
    events.keypress(ctrl('d'));
    await expect(answer).resolves.toEqual({ action: 'save', lines: ['One.', 'Two.', 'Three.'] });
  });

  it('keeps the text typed so far where the caller can save it as a draft', async () => {
    const keep: { current?: readonly string[] } = {};
    const { answer, events } = await render(multilinePrompt, { message: 'Your answer', keep });
    events.type('half a thought');
    expect(keep.current).toEqual(['half a thought']);
    events.keypress(ctrl('d'));
    await answer;
  });

  it('F1 (or ? on an empty answer) shows the help; Ctrl-O asks for the editor with the text so far', async () => {
    const { answer, events, getScreen } = await render(multilinePrompt, {
      message: 'Your answer',
      help: () => 'KP1: a key principle',
      editor: true,
    });
    expect(getScreen()).toContain('Ctrl-O editor');
    events.type('?');
    expect(getScreen()).toContain('KP1: a key principle');
    events.type('Draft');
    expect(getScreen()).not.toContain('KP1: a key principle');
    events.keypress(ctrl('o'));
    await expect(answer).resolves.toEqual({ action: 'editor', lines: ['Draft'] });
  });

  it('draws only the rows that fit, saying how many lines are above and below', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `Line ${i + 1}`);
    const text = new TextBuffer(lines);
    const view = { topLine: 0, topSeg: 0 };
    const rows = drawText(text, view, 60, 10);
    expect(rows).toHaveLength(11);
    expect(rows[0]).toContain('1990 more lines above');
    expect(rows.at(-1)).toContain('Line 2000');
    text.start();
    const top = drawText(text, view, 60, 10).map(stripVTControlCharacters);
    expect(top[0]).toContain('Line 1');
    expect(top.at(-1)).toContain('1990 more lines below');
  });
});
