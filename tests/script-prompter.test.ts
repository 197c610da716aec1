import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../src/core/errors.ts';
import { EndOfInputError } from '../src/ui/prompter.ts';
import { ScriptError, ScriptPrompter } from './helpers/script-prompter.ts';

const MENU = [
  { value: 'edit', label: 'Answer or edit' },
  { value: 'skip', label: 'Skip', disabled: true },
  { value: 'quit', label: 'Save and quit' },
];

describe('ScriptPrompter (the test double for interview flows)', () => {
  it('plays answers in order, by value or by label, and records what was said and asked', async () => {
    const p = new ScriptPrompter([
      { kind: 'select', message: 'What now', answer: 'edit' },
      { kind: 'multiline', answer: 'one\ntwo', askHelp: true },
      { kind: 'checkbox', pick: ['Save', 'Answer'] },
      { kind: 'select', pick: 'Save and quit' },
      { kind: 'confirm', answer: false },
      { kind: 'input' },
    ]);
    p.say('Stage: Assess');
    expect(await p.select('What now?', MENU)).toBe('edit');
    expect(await p.multiline('Describe', { help: () => 'KP1 explained' })).toEqual(['one', 'two']);
    expect(await p.checkbox('Which?', MENU)).toEqual(['quit', 'edit']);
    expect(await p.select('What now?', MENU)).toBe('quit');
    expect(await p.confirm('Sure?')).toBe(false);
    expect(await p.input('Name?', { default: 'Exampleshire' })).toBe('Exampleshire');
    expect(p.remaining).toBe(0);
    expect(p.said).toEqual(['Stage: Assess']);
    expect(p.helpShown).toEqual(['KP1 explained']);
    expect(p.asked.map((a) => a.kind)).toEqual([
      'select',
      'multiline',
      'checkbox',
      'select',
      'confirm',
      'input',
    ]);
    expect(p.transcript[0]).toBe('Stage: Assess');
    expect(p.transcript[1]).toBe('? select: What now?');
  });

  it('throws a clear error on a mismatch, a bad answer or when the script runs out', async () => {
    await expect(
      new ScriptPrompter([{ kind: 'input', answer: 'x' }]).select('What now?', MENU),
    ).rejects.toThrow(/Step 1 expected a prompt of kind "input", but was asked: select "What now\?"/);
    await expect(
      new ScriptPrompter([{ kind: 'select', message: 'Which stage' }]).select('What now?', MENU),
    ).rejects.toThrow(/expected a message containing "Which stage"/);
    await expect(
      new ScriptPrompter([{ kind: 'select', answer: 'skip' }]).select('What now?', MENU),
    ).rejects.toThrow(/disabled/);
    await expect(
      new ScriptPrompter([{ kind: 'select', answer: 'nope' }]).select('What now?', MENU),
    ).rejects.toThrow(ScriptError);
    await expect(new ScriptPrompter([]).input('Name?')).rejects.toThrow(
      /The script ran out \(after 0 steps\) when asked: input "Name\?"/,
    );
  });

  it('simulates Ctrl-C and the end of piped input', async () => {
    const p = new ScriptPrompter([{ interrupt: true }, { endOfInput: true, kind: 'multiline' }]);
    await expect(p.select('What now?', MENU)).rejects.toBeInstanceOf(InterruptedError);
    await expect(p.multiline('Describe')).rejects.toBeInstanceOf(EndOfInputError);
  });
});
