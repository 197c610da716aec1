/**
 * The one policy on control characters, for everything the tool reads and everything it writes.
 *
 * Unsafe: C0 controls other than tab and newline (carriage returns are turned into newlines before
 * anything is checked), DEL, C1 controls, and the invisible bidirectional formatting characters
 * (embeddings, overrides, isolates and the three marks). In a terminal they can retitle the window,
 * move the cursor, plant a hidden OSC 8 link, reset the screen or reorder what the reader sees; in a
 * document they hide or reorder text.
 *
 * - Input (typed answers, imports, workspace settings, actions, banks) refuses them, naming the
 *   character and where it is: `controlCharacterProblem`.
 * - Files that already hold them (edited by hand) are reported by `validate` with line and column:
 *   `findControlCharacters`.
 * - Every output shows them visibly escaped, never raw: `escapeControlCharacters` (`\x1B`, `\u202E`)
 *   for terminals, Markdown, CSV, HTML and Word; `toJsonText` (`\u001b`) for JSON.
 */

import { UsageError } from './errors.ts';

/** Every unsafe character; the one place that decides. */
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

const C0_NAMES = [
  'NULL',
  'START OF HEADING',
  'START OF TEXT',
  'END OF TEXT',
  'END OF TRANSMISSION',
  'ENQUIRY',
  'ACKNOWLEDGE',
  'BELL',
  'BACKSPACE',
  'TAB',
  'LINE FEED',
  'LINE TABULATION',
  'FORM FEED',
  'CARRIAGE RETURN',
  'SHIFT OUT',
  'SHIFT IN',
  'DATA LINK ESCAPE',
  'DEVICE CONTROL ONE',
  'DEVICE CONTROL TWO',
  'DEVICE CONTROL THREE',
  'DEVICE CONTROL FOUR',
  'NEGATIVE ACKNOWLEDGE',
  'SYNCHRONOUS IDLE',
  'END OF TRANSMISSION BLOCK',
  'CANCEL',
  'END OF MEDIUM',
  'SUBSTITUTE',
  'ESCAPE',
  'FILE SEPARATOR',
  'GROUP SEPARATOR',
  'RECORD SEPARATOR',
  'UNIT SEPARATOR',
];
const OTHER_NAMES: Record<number, string> = {
  127: 'DELETE',
  133: 'NEXT LINE',
  144: 'DEVICE CONTROL STRING',
  155: 'CONTROL SEQUENCE INTRODUCER',
  156: 'STRING TERMINATOR',
  157: 'OPERATING SYSTEM COMMAND',
  1564: 'ARABIC LETTER MARK',
  8206: 'LEFT-TO-RIGHT MARK',
  8207: 'RIGHT-TO-LEFT MARK',
  8234: 'LEFT-TO-RIGHT EMBEDDING',
  8235: 'RIGHT-TO-LEFT EMBEDDING',
  8236: 'POP DIRECTIONAL FORMATTING',
  8237: 'LEFT-TO-RIGHT OVERRIDE',
  8238: 'RIGHT-TO-LEFT OVERRIDE',
  8294: 'LEFT-TO-RIGHT ISOLATE',
  8295: 'RIGHT-TO-LEFT ISOLATE',
  8296: 'FIRST STRONG ISOLATE',
  8297: 'POP DIRECTIONAL ISOLATE',
};

/** True for a character this policy treats as unsafe. */
export function isUnsafeCharacter(ch: string): boolean {
  UNSAFE.lastIndex = 0;
  const unsafe = ch.length > 0 && UNSAFE.test(ch.charAt(0));
  UNSAFE.lastIndex = 0;
  return unsafe;
}

/** `U+001B (ESCAPE)`, `U+0085 (C1 control NEXT LINE)`, `U+202E (RIGHT-TO-LEFT OVERRIDE)`. */
export function describeCharacter(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = code < 0x20 ? C0_NAMES[code] : OTHER_NAMES[code];
  const kind = code >= 0x80 && code <= 0x9f ? 'C1 control' : undefined;
  if (name && kind) return `${hex} (${kind} ${name})`;
  if (name) return `${hex} (${name})`;
  return kind ? `${hex} (${kind})` : hex;
}

function visibleEscape(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Every unsafe character shown as a visible escape (`\x1B`, `\u202E`); the rest unchanged. */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE, visibleEscape);
}

/** True when the text holds an unsafe character. */
export function hasControlCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/** CRLF and lone CR become LF: typed and pasted text from any platform, normalised rather than refused. */
export function normaliseLineEnds(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export interface ControlCharacterAt {
  /** 1-based line and column (UTF-16 units) within the text. */
  line: number;
  column: number;
  /** `U+001B (ESCAPE)` */
  character: string;
}

/** Where the unsafe characters of a text are, in order (at most `limit`). */
export function findControlCharacters(text: string, limit = 100): ControlCharacterAt[] {
  const out: ControlCharacterAt[] = [];
  if (!hasControlCharacters(text)) return out;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length && out.length < limit; i++) {
    const ch = text.charAt(i);
    if (ch === '\n') {
      line++;
      lineStart = i + 1;
    } else if (isUnsafeCharacter(ch)) {
      out.push({ line, column: i - lineStart + 1, character: describeCharacter(ch) });
    }
  }
  return out;
}

/**
 * Why a text cannot be accepted, or undefined when it can: `the answer holds the control character
 * U+001B (ESCAPE) at line 2, column 5; remove it…`. Call after `normaliseLineEnds`. `what` names the
 * text (`the answer`, `the authority name`).
 */
export function controlCharacterProblem(text: string, what: string): string | undefined {
  const [first] = findControlCharacters(text, 1);
  if (!first) return undefined;
  const where = text.includes('\n') ? `line ${first.line}, column ${first.column}` : `column ${first.column}`;
  return (
    `${what} holds the control character ${first.character} at ${where}; remove it ` +
    '(control characters can hide, change or reorder what others see)'
  );
}

/**
 * JSON text for output. `JSON.stringify` escapes only C0 controls; DEL, C1 and the bidirectional
 * characters would reach a terminal raw, so they are written as `\uXXXX` too (they can only occur
 * inside strings, where that escape means the same character).
 */
export function toJsonText(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent);
  return text.replace(UNSAFE, (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
}

/** Throw a UsageError naming the first unsafe character of `text` and where it is. */
export function refuseControlCharacters(text: string, what: string): void {
  const problem = controlCharacterProblem(normaliseLineEnds(text), what);
  if (problem) throw new UsageError(`${problem}.`);
}

/** Escapes that stand for an unsafe character inside a JSON string (`\u001b`, `\b`, `\f`). */
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|([bf]))/g;
/** The same in a YAML double-quoted scalar, which also has `\x1b`, `\e`, `\a`, `\v`, `\0` and `\N`. */
const YAML_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([abefv0N]))/g;
const YAML_SHORT: Record<string, number> = { a: 7, b: 8, e: 0x1b, f: 0x0c, v: 0x0b, '0': 0, N: 0x85 };

/** True when the backslash at `index` is itself escaped (preceded by an odd number of backslashes). */
function escapedBackslash(text: string, index: number): boolean {
  let n = 0;
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/**
 * Where a file's text holds unsafe characters, raw or written as escapes (a cycle file is JSON, so a
 * hand-edited escape sequence is stored as `\u001b`): 1-based line and column in the file, in order,
 * at most `limit`. For `validate`, which reports hand-edited files.
 */
export function findControlCharactersInSource(
  text: string,
  syntax: 'json' | 'yaml' | 'text',
  limit = 100,
): ControlCharacterAt[] {
  const hits: Array<{ index: number; code: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch !== '\r' && isUnsafeCharacter(ch)) hits.push({ index: i, code: ch.charCodeAt(0) });
  }
  const escapes = syntax === 'json' ? JSON_ESCAPE : syntax === 'yaml' ? YAML_ESCAPE : undefined;
  if (escapes && text.includes('\\')) {
    for (const m of text.matchAll(escapes)) {
      const index = m.index ?? 0;
      if (escapedBackslash(text, index)) continue;
      const code =
        m[1] !== undefined
          ? Number.parseInt(m[1], 16)
          : syntax === 'yaml' && m[2] !== undefined
            ? Number.parseInt(m[2], 16)
            : syntax === 'json'
              ? m[2] === 'b'
                ? 8
                : 0x0c
              : (YAML_SHORT[m[3] ?? ''] ?? 0);
      if (code !== 0x0d && isUnsafeCharacter(String.fromCharCode(code))) hits.push({ index, code });
    }
  }
  hits.sort((a, b) => a.index - b.index);
  const out: ControlCharacterAt[] = [];
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  for (const hit of hits.slice(0, limit)) {
    for (; scanned < hit.index; scanned++) {
      if (text.charCodeAt(scanned) === 10) {
        line++;
        lineStart = scanned + 1;
      }
    }
    out.push({
      line,
      column: hit.index - lineStart + 1,
      character: describeCharacter(String.fromCharCode(hit.code)),
    });
  }
  return out;
}

/** The message `validate` gives for an unsafe character found in a file. */
export function controlCharacterInFileMessage(at: ControlCharacterAt): string {
  return (
    `the control character ${at.character} (edited in by hand?); remove it: ` +
    'it can hide, change or reorder what others see'
  );
}
