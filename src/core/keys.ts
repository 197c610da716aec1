/**
 * The interview's keys: one table, used by the menus of both prompters (the terminal one picks a
 * choice when its letter is typed; the plain one reads the letter as an answer), printed by
 * `help plain` and generated into the README.
 */

/** The letter of each move on a question's menu. */
export const MOVE_KEYS = {
  restore: 'r',
  discard: 'x',
  write: 'a',
  editor: 'e',
  rating: 'g',
  keep: 'k',
  needs: 'n',
  skip: 's',
  last: 'l',
  back: 'b',
  first: 'u',
  jump: 'j',
  quit: 'q',
} as const;

export type MoveKey = keyof typeof MOVE_KEYS;

/** Letters of the other menus. */
export const RATING_KEYS = { red: 'r', amber: 'a', green: 'g', none: 'n' } as const;
export const STAY_KEY = 'x';

export interface KeyRow {
  keys: string;
  where: string;
  what: string;
}

/** Every key, where it works and what it does, in the order a newcomer meets them. */
export const KEY_TABLE: readonly KeyRow[] = [
  { keys: 'a', where: 'On a question', what: 'write the answer, or edit it (the current text is filled in)' },
  { keys: 'e', where: 'On a question', what: 'write or edit it in your editor ($VISUAL / $EDITOR)' },
  { keys: 'g', where: 'On a question', what: 'change the rating only' },
  {
    keys: 'k',
    where: 'On a question',
    what: 'keep the answer (a carried-forward one is confirmed; Enter keeps its rating)',
  },
  { keys: 'n', where: 'On a question', what: 'mark as "needs data" and say what data' },
  { keys: 's', where: 'On a question', what: 'skip the question' },
  { keys: 'l', where: 'On a question', what: "see last cycle's answer" },
  { keys: 'r / x', where: 'On a question', what: 'restore a draft (text typed but not saved) / discard it' },
  { keys: 'b', where: 'On a question', what: 'back to the previous question' },
  { keys: 'u', where: 'On a question', what: 'go to the first unanswered question' },
  { keys: 'j', where: 'On a question', what: 'jump to another section or question' },
  {
    keys: 'q',
    where: 'On a question',
    what: 'save and quit (everything confirmed is already saved); also in the stage menu',
  },
  {
    keys: '?',
    where: 'In every menu',
    what: 'explain the tags: Key Principles, Recommendations, evidence ratings',
  },
  {
    keys: 'r a g n',
    where: 'In every menu',
    what: 'the rating: red, amber, green, no rating (Enter keeps the current one)',
  },
  {
    keys: 'Esc',
    where: 'In every menu',
    what: 'in a terminal: go back (to the previous question, or stay where you were)',
  },
  {
    keys: 'Enter',
    where: 'Typing an answer in a terminal',
    what: 'a new line; pasted text goes in whole and never saves',
  },
  { keys: 'Ctrl-D', where: 'Typing an answer in a terminal', what: 'save the text' },
  {
    keys: 'Esc',
    where: 'Typing an answer in a terminal',
    what: 'go back; the answer stays as it was, and what you typed is kept as a draft',
  },
  { keys: 'Ctrl-O', where: 'Typing an answer in a terminal', what: 'carry on in your editor' },
  { keys: 'F1', where: 'Typing an answer in a terminal', what: 'explain the tags (or ? on an empty answer)' },
  { keys: 'empty line', where: 'Typing an answer in the plain mode', what: 'end the text' },
  {
    keys: 'Ctrl-C',
    where: 'Anywhere',
    what: 'stop; what you were typing is kept as a draft and offered next time',
  },
];

/**
 * The table as plain text, `width` columns at most: a heading per place, then a line per key with
 * what it does wrapped under it.
 */
export function renderKeyTable(width = 100, rows: readonly KeyRow[] = KEY_TABLE): string {
  const k = Math.max(...rows.map((r) => r.keys.length));
  const indent = ' '.repeat(k + 4);
  let where = '';
  return rows
    .map((r) => {
      const heading = r.where !== where ? `${where === '' ? '' : '\n'}${r.where}:\n` : '';
      where = r.where;
      const words = r.what.split(' ');
      const lines: string[] = [];
      let line = `  ${r.keys.padEnd(k)}  `;
      let empty = true;
      for (const word of words) {
        if (!empty && line.length + 1 + word.length > width) {
          lines.push(line);
          line = indent;
          empty = true;
        }
        line += empty ? word : ` ${word}`;
        empty = false;
      }
      lines.push(line);
      return heading + lines.join('\n');
    })
    .join('\n');
}

/** The table in Markdown (for the README). */
export function renderKeyTableMarkdown(rows: readonly KeyRow[] = KEY_TABLE): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| key | where | what it does |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| \`${cell(r.keys)}\` | ${cell(r.where)} | ${cell(r.what)} |`),
  ].join('\n');
}
