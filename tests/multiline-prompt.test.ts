/**
 * The multi-line prompt, tested the way Inquirer tests its own prompts: @inquirer/testing renders it
 * and types keys into it. Real terminal journeys (paste, resize) are in interview-pty.test.ts.
 */

import { stripVTControlCharacters } from 'node:util';
import { render } from '@inquirer/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerSizeProblem, MAX_ANSWER_BYTES, MAX_ANSWER_LINES } from '../src/core/cycle.ts';
import { drawText, multilinePrompt } from '../src/ui/multiline-prompt.ts';
import { fittingPrefix, TextBuffer } from '../src/ui/text-buffer.ts';

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
    await expect(answer).resolves.toEqual({ action: 'editor', lines: ['Draft'], marks: [] });
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

describe('the answer size limit in the text box (the limit of core/cycle.ts)', () => {
  const paste = (events: { keypress: (k: never) => void }, text: string) => {
    events.keypress({ name: 'paste-start' } as never);
    for (const ch of text) events.keypress({ name: ch === '\n' ? 'enter' : ch, sequence: ch } as never);
    events.keypress({ name: 'paste-end' } as never);
  };

  it('fittingPrefix counts bytes as UTF-8 does, and never splits a character', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.nat(200),
        fc.nat(5),
        (text, bytes, ends) => {
          const { fits, bytes: used } = fittingPrefix(text, ends, bytes);
          const kept = text.slice(0, fits);
          expect(used).toBe(Buffer.byteLength(kept, 'utf8'));
          expect(used).toBeLessThanOrEqual(bytes);
          expect(kept.split('\n').length - 1).toBeLessThanOrEqual(ends);
          expect(kept).not.toMatch(/[\ud800-\udbff]$/);
          if (fits < text.length) {
            // the next character would not have fitted
            const next = text.codePointAt(fits) as number;
            const over =
              Buffer.byteLength(String.fromCodePoint(next), 'utf8') + used > bytes ||
              (next === 10 && kept.split('\n').length - 1 >= ends);
            expect(over).toBe(true);
          }
        },
      ),
    );
  });

  it('a paste past the byte limit goes in as far as it fits; typing more is refused', () => {
    const text = new TextBuffer([]);
    const line = `${'é'.repeat(40)} households`; // 91 bytes and a line end
    const refused = text.insert(Array.from({ length: 1500 }, () => line).join('\n'));
    expect(refused).toBeGreaterThan(0);
    expect(text.size).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
    expect(text.size).toBeGreaterThan(MAX_ANSWER_BYTES - 4);
    expect(answerSizeProblem(text.text(), 'x')).toBeUndefined();
    text.insert('xxxx');
    expect(text.size).toBe(MAX_ANSWER_BYTES);
    expect(text.insert('x')).toBe(1);
    text.backspace();
    text.backspace();
    expect(text.insert('ab')).toBe(0);
  });

  it('a paste past the line limit keeps the first lines that fit', () => {
    const text = new TextBuffer(Array.from({ length: MAX_ANSWER_LINES - 2 }, (_, i) => `L${i}`));
    expect(text.insert('\na\nb\nc\nd')).toBe('\nc\nd'.length);
    expect(text.lines).toHaveLength(MAX_ANSWER_LINES);
    expect(text.lines.slice(-2)).toEqual(['a', 'b']);
  });

  it('says on screen what a paste left out', async () => {
    const start = Array.from({ length: MAX_ANSWER_LINES - 1 }, (_, i) => `Line ${i + 1}`);
    const { answer, events, getScreen } = await render(multilinePrompt, {
      message: 'Your answer',
      initial: start,
    });
    paste(events, '\nOne.\nTwo.\nThree.');
    expect(getScreen()).toMatch(/Pasted what fits: an answer may have at most 2,000 lines and 128 KB/);
    events.keypress('enter');
    expect(getScreen()).toMatch(/The answer is at its size limit \(2,000 lines and 128 KB\)/);
    events.keypress(ctrl('d'));
    const saved = (await answer) as { lines: string[] };
    expect(saved.lines.slice(-3)).toEqual(['Line 1998', 'Line 1999', 'One.']);
    expect(saved).toEqual({ action: 'save', lines: [...start, 'One.'] });
  });

  it('Ctrl-D on a too-long answer keeps it in the box with a clear message; shortened, it saves', async () => {
    const start = Array.from({ length: MAX_ANSWER_LINES + 1 }, (_, i) => `Line ${i + 1}`);
    const keep: { current?: readonly string[] } = {};
    const { answer, events, getScreen } = await render(multilinePrompt, {
      message: 'Your answer',
      initial: start,
      keep,
    });
    let settled = false;
    void answer.then(() => {
      settled = true;
    });
    events.keypress(ctrl('d'));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    expect(getScreen()).toMatch(/This answer is 2,001 lines long; an answer may have at most 2,000 lines/);
    expect(getScreen()).toMatch(/Shorten it, then press Ctrl-D again/);
    expect(keep.current).toHaveLength(MAX_ANSWER_LINES + 1);
    // the last line goes: Ctrl-U empties it, Backspace joins it to the line above
    events.keypress(ctrl('u'));
    events.keypress('backspace');
    events.keypress(ctrl('d'));
    await expect(answer).resolves.toEqual({ action: 'save', lines: start.slice(0, -1) });
  });
});

describe('marked lines (the personal-data warning)', () => {
  const note = 'may hold personal data: possible NHS number "943 *** 5919"';

  it('marks the line in the margin, names it above the text and starts the cursor on the finding', async () => {
    const { answer, events, getScreen } = await render(multilinePrompt, {
      message: 'Your answer',
      initial: ['12 SGO households.', 'Case 9434765919 needs a review.', 'Third line.'],
      marks: [{ line: 2, column: 6, note }],
    });
    const screen = getScreen();
    expect(screen).toContain(`> Line 2 ${note}.`);
    expect(screen).toMatch(/That line is marked > on the left, the cursor on it\./);
    expect(screen).toMatch(/^> Case 9434765919 needs a review\.$/m);
    expect(screen).toMatch(/^ {2}12 SGO households\.$/m);
    // typing goes in where the number starts
    events.type('one ');
    events.keypress({ name: 'right', ctrl: true });
    events.keypress(ctrl('w'));
    events.keypress('backspace');
    expect(getScreen()).toMatch(/^> Case one needs a review\.$/m);
    // a line added above: the mark moves down with its line, and the note says where it is now
    events.keypress('up');
    events.keypress('home');
    events.keypress('enter');
    expect(getScreen()).toContain(`> Line 3 ${note}.`);
    expect(getScreen()).toMatch(/^> Case one needs a review\.$/m);
    events.keypress(ctrl('d'));
    await expect(answer).resolves.toEqual({
      action: 'save',
      lines: ['', '12 SGO households.', 'Case one needs a review.', 'Third line.'],
    });
  });

  it('Ctrl-O hands the marks to the editor on the lines they moved to', async () => {
    const { answer, events } = await render(multilinePrompt, {
      message: 'Your answer',
      initial: ['a', 'b', 'c'],
      marks: [{ line: 3, note }],
      editor: true,
    });
    events.keypress({ name: 'up' });
    events.keypress({ name: 'up' });
    events.keypress('end');
    events.keypress('delete'); // "ab", "c": the mark moves up to line 2
    events.keypress(ctrl('o'));
    await expect(answer).resolves.toEqual({ action: 'editor', lines: ['ab', 'c'], marks: [1] });
  });

  it('the buffer keeps marks on their lines through splits and joins', () => {
    const text = new TextBuffer(['one', 'two', 'three', 'four']);
    text.marks = [1, 3];
    text.moveTo(0, 3);
    text.insert('\nx\ny'); // two lines added below line 0
    expect(text.marks).toEqual([3, 5]);
    expect(text.lines[text.marks[0] as number]).toBe('two');
    text.moveTo(3, 0);
    text.newline(); // "two" split at its start: it moves down, mark and all
    expect(text.lines[text.marks[0] as number]).toBe('two');
    text.backspace(); // joined back
    text.moveTo(0, 3);
    text.deleteForward(); // "one" + "x"
    expect(text.marks.map((m) => text.lines[m])).toEqual(['two', 'four']);
  });
});
