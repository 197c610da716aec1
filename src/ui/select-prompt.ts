/**
 * The menu of the interactive mode, built on @inquirer/core: arrows and Enter, and the shortcut
 * letter shown beside each choice picks it at once (the same letters the plain mode takes, from
 * `core/keys.ts`). `?` asks for the tags to be explained (printed above, then the menu again, the
 * highlight where it was); Esc takes the menu's way back when it has one. Inquirer's
 * own select moves the highlight to a choice starting with a typed letter instead, which is why the
 * screen's "type ? to explain" and `q` did nothing there.
 */
import {
  createPrompt,
  isDownKey,
  isEnterKey,
  isUpKey,
  type KeypressEvent,
  makeTheme,
  useKeypress,
  usePrefix,
  useState,
} from '@inquirer/core';
import { wrapText } from '../core/wrap.ts';

export interface SelectPromptChoice<T> {
  value: T;
  label: string;
  hint?: string;
  key?: string;
  disabled?: boolean;
}

/** What the prompt resolves to when `?` is pressed: the caller prints the help above and asks again. */
export const HELP_REQUEST = Symbol('help');

export interface SelectPromptConfig<T> {
  message: string;
  choices: readonly SelectPromptChoice<T>[];
  default?: T;
  /** Whether `?` asks for help (the prompt then resolves to HELP_REQUEST). */
  help?: boolean;
  /** Kept pointing at the highlighted choice's value (to ask again with the highlight where it was). */
  highlighted?: { current?: T };
  /** What Esc picks (going back, staying); without it Esc does nothing. */
  cancel?: T;
  color?: boolean;
  /** The terminal's size, for wrapping long choices and showing only as many as fit. */
  size?: () => { columns?: number | undefined; rows?: number | undefined };
}

const HIDE_CURSOR = '\x1b[?25l';

/** `text` cut into rows of at most `width` columns at spaces (a longer word is cut). */
function wrapWords(text: string, width: number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const word of text.split(' ')) {
    if (row === '') row = word;
    else if (row.length + 1 + word.length <= width) row += ` ${word}`;
    else {
      rows.push(row);
      row = word;
    }
    while (row.length > width) {
      rows.push(row.slice(0, width));
      row = row.slice(width);
    }
  }
  rows.push(row);
  return rows;
}

/** `parts` joined by ` · ` into lines no wider than `width`, breaking only between parts. */
export function joinWithin(parts: readonly string[], width: number): string[] {
  const lines: string[] = [];
  for (const part of parts) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 3 + part.length <= width)
      lines[lines.length - 1] = `${last} · ${part}`;
    else lines.push(part);
  }
  return lines;
}

export function selectKeys(hasHelp: boolean, hasCancel: boolean, hasLetters = true): string[] {
  const keys = ['↑↓ move', 'Enter choose'];
  if (hasLetters) keys.push('or type the letter in [ ]');
  if (hasHelp) keys.push('? explain the tags');
  if (hasCancel) keys.push('Esc back');
  return keys;
}

export const selectPrompt = createPrompt(
  <T>(config: SelectPromptConfig<T>, done: (value: T | typeof HELP_REQUEST) => void): string => {
    const theme = makeTheme({});
    const { choices } = config;
    const firstEnabled = choices.findIndex((c) => !c.disabled);
    const defaultIndex = choices.findIndex((c) => c.value === config.default && !c.disabled);
    const [active, setActive] = useState(defaultIndex >= 0 ? defaultIndex : Math.max(0, firstEnabled));
    const [status, setStatus] = useState<'idle' | 'done'>('idle');
    const [asked, setAsked] = useState(false);
    const [note, setNote] = useState('');
    const prefix = usePrefix({ status, theme });

    const choose = (index: number): void => {
      setActive(index);
      setStatus('done');
      done((choices[index] as SelectPromptChoice<T>).value);
    };
    const step = (from: number, by: 1 | -1): number => {
      let i = from;
      for (let n = 0; n < choices.length; n++) {
        i = (i + by + choices.length) % choices.length;
        if (!choices[i]?.disabled) return i;
      }
      return from;
    };

    useKeypress((key: KeypressEvent & { sequence?: string; meta?: boolean }) => {
      if (status === 'done') return;
      // a one-letter key without its sequence is a synthetic copy of text already received with one
      if (key.sequence === undefined && !key.ctrl && !key.meta && (key.name ?? '').length === 1) return;
      setNote('');
      if (isEnterKey(key)) {
        if (!choices[active]?.disabled) choose(active);
        return;
      }
      if (isUpKey(key)) return setActive(step(active, -1));
      if (isDownKey(key)) return setActive(step(active, 1));
      if (key.name === 'home') return setActive(step(-1 + choices.length, 1));
      if (key.name === 'end') return setActive(step(0, -1));
      if (key.name === 'escape') {
        const i = config.cancel === undefined ? -1 : choices.findIndex((c) => c.value === config.cancel);
        if (i >= 0) choose(i);
        else setNote('There is nothing to go back to here: choose one of the above.');
        return;
      }
      const typed = key.ctrl || key.meta ? '' : (key.sequence ?? '');
      if (typed === '?') {
        if (!config.help) {
          setNote('There is nothing more to explain here.');
          return;
        }
        setAsked(true);
        setStatus('done');
        done(HELP_REQUEST);
        return;
      }
      if (typed.length !== 1) return;
      const lower = typed.toLowerCase();
      let i = choices.findIndex((c) => c.key !== undefined && c.key.toLowerCase() === lower);
      // digits pick by position when no choice has that key (as in the plain mode)
      if (i < 0 && /^[1-9]$/.test(typed) && Number(typed) <= choices.length) i = Number(typed) - 1;
      if (i < 0) {
        setNote(`"${typed}" is not a shortcut here.`);
        return;
      }
      if (choices[i]?.disabled) {
        setNote(`${choices[i]?.label} is not available now.`);
        return;
      }
      choose(i);
    });

    const bold = (s: string): string => (config.color ? `\x1b[1m${s}\x1b[22m` : s);
    const dim = (s: string): string => (config.color ? `\x1b[2m${s}\x1b[22m` : s);
    const cyan = (s: string): string => (config.color ? `\x1b[36m${s}\x1b[39m` : s);
    const chosen = choices[active] as SelectPromptChoice<T>;
    if (config.highlighted) config.highlighted.current = chosen.value;
    if (status === 'done')
      return `${prefix} ${bold(config.message)} ${asked ? dim('(explained below)') : cyan(chosen.label)}`;

    const size = config.size?.() ?? {};
    const width = Math.max(30, (size.columns || 80) - 1);
    // wrapped at word boundaries here: inquirer's own line breaking cuts words
    const header = wrapText(`${prefix} ${bold(config.message)}`, width).split('\n');
    const hasLetters = choices.some((c) => c.key !== undefined);
    const footer = joinWithin(
      selectKeys(config.help !== undefined, config.cancel !== undefined, hasLetters),
      width,
    ).map(dim);
    if (note) footer.push(note);
    // each choice as its rows; a long list shows the window of choices that fits, around the highlight
    const groups = choices.map((c, i) => {
      // a column for the letters only in a menu that has them
      const key = hasLetters ? `${c.key ? `[${c.key}]` : '   '} ` : '';
      let text = `${c.label}${c.hint ? ` - ${c.hint}` : ''}`;
      if (c.disabled) text += ' (not available now)';
      // a sub-question's "  » " hangs: its continuation rows line up under its words
      const lead = /^\s*» /.exec(text)?.[0] ?? '';
      const indent = ' '.repeat(2 + key.length + lead.length);
      return wrapWords(text.slice(lead.length), width - indent.length).map((row, r) => {
        const line = r === 0 ? `${i === active ? '❯' : ' '} ${key}${lead}${row}` : `${indent}${row}`;
        return i === active ? cyan(line) : c.disabled ? dim(line) : line;
      });
    });
    const room = Math.max(3, (size.rows || 24) - header.length - footer.length - 3);
    let first = 0;
    let last = groups.length;
    const count = (a: number, b: number) => groups.slice(a, b).reduce((n, g) => n + g.length, 0);
    if (count(0, groups.length) > room) {
      first = active;
      last = active + 1;
      // grow the window around the highlight, below first, while it fits
      while (last < groups.length && count(first, last + 1) <= room) last++;
      while (first > 0 && count(first - 1, last) <= room) first--;
    }
    const body = groups.slice(first, last).flat();
    if (first > 0) body.unshift(dim(`    ↑ ${first} more`));
    if (last < groups.length) body.push(dim(`    ↓ ${groups.length - last} more`));
    const lines = [...header, ...body, ...footer];
    return `${lines.join('\n')}${HIDE_CURSOR}`;
  },
);
