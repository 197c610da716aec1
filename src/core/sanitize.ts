/**
 * Neutralise text that came from a file or a user before it reaches a terminal. The policy (which
 * characters are unsafe, how they are shown) lives in `control-chars.ts`; these are its terminal uses.
 */
import { escapeControlCharacters, hasControlCharacters } from './control-chars.ts';

/** Make untrusted text safe to print: every unsafe character becomes a visible escape. */
export function sanitizeForTerminal(text: string): string {
  return escapeControlCharacters(text);
}

/** Like `sanitizeForTerminal`, and newlines and tabs too: for one-line contexts such as file names. */
export function sanitizeInline(text: string): string {
  return sanitizeForTerminal(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

/** True when `sanitizeForTerminal` would change the text. */
export function hasUnsafeCharacters(text: string): boolean {
  return hasControlCharacters(text);
}
