/**
 * Neutralise text that came from a file or a user before it reaches a terminal.
 *
 * C0 controls other than newline and tab, DEL, C1 controls and the bidirectional embedding,
 * override and isolate characters are shown as visible escapes (`\x1B`, `\u202E`) instead of being
 * emitted, so an answer cannot retitle the window, move the cursor, plant an OSC 8 link or reorder
 * what the reader sees.
 */

const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

function escapeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Make untrusted text safe to print: every unsafe character becomes a visible escape. */
export function sanitizeForTerminal(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Like `sanitizeForTerminal`, and newlines and tabs too: for one-line contexts such as file names. */
export function sanitizeInline(text: string): string {
  return sanitizeForTerminal(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** True when `sanitizeForTerminal` would change the text. */
export function hasUnsafeCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}
