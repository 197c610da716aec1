/**
 * Safe embedding of untrusted text in Markdown, and the exact inverse used by `import`.
 *
 * Two embeddings, each provably unable to change the document's structure and each reversible:
 *
 * - **Blocks** (answers, notes, rationale): a fenced code block whose backtick fence is longer than
 *   the longest run of backticks anywhere in the text (at least three). CommonMark closes a fence
 *   only with a line of at least as many backticks of the same kind, so no line of the text can close
 *   it, and nothing inside a code block is parsed as Markdown (headings, `---`, HTML, tables, item
 *   markers are all literal). CR is a line ending for Markdown, so lines must not contain CR or LF:
 *   answers are stored as lines already split by `textToLines` (CRLF and CR become LF at input);
 *   `splitLinesSafely` splits any stray CR defensively, which keeps the structure safe even for a
 *   hand-made cycle file (such a CR then does not round-trip, by design).
 * - **Inline** (table cells, titles, short values): ASCII punctuation that Markdown gives a meaning to
 *   is backslash-escaped, and characters that cannot stand in one line of a table cell (controls,
 *   CR, LF, tab, leading and trailing spaces) become numeric character references (`&#10;`). The
 *   `&` itself is always escaped, so every `&#N;` in the output is one we wrote. `unescapeInline`
 *   reverses both exactly; GitHub renders the escaped text as the original.
 */

/**
 * Whatever `escapeInline` changes: a special character, a control, separator or BOM, `://`, `www.`,
 * a start that could open a list or a setext underline (any digit, to be simple), or a space at
 * either end (`\s` is Unicode's in JavaScript with or without the `u` flag). Text without any is
 * returned as it is; tests/report.test.ts checks that both ways give the same.
 */
const NEEDS_INLINE_ESCAPE =
  /[\\`*_[\]<>|#~&@!$\u0000-\u001F\u007F-\u009F\u2028\u2029\uFEFF]|:\/\/|www\.|^[-+=\d\s]|\s$/i;

/** Longest run of backticks in any of the lines. */
function longestBacktickRun(lines: readonly string[]): number {
  let max = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.includes('`')) continue;
    const runs = line.match(/`+/g) as RegExpMatchArray;
    for (const r of runs) max = Math.max(max, r.length);
  }
  return max;
}

/** Lines with any CR or LF inside them split further (defensive: stored lines should have none). */
export function splitLinesSafely(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.includes('\r') || line.includes('\n'))
      for (const part of line.split(/\r\n|\r|\n/)) out.push(part);
    else out.push(line);
  }
  return out;
}

/** The fence that safely encloses these lines: backticks, one more than the longest run inside, at least 3. */
export function fenceFor(lines: readonly string[]): string {
  return '`'.repeat(Math.max(3, longestBacktickRun(lines) + 1));
}

/**
 * The lines as a fenced code block (`info` is the language tag, e.g. `text`). Zero lines give an
 * empty block, so "no text" (`[]`) and "one empty line" (`['']`) stay distinct.
 */
export function fencedBlock(lines: readonly string[], info = 'text'): string[] {
  const out: string[] = [];
  pushFencedBlock(out, lines, info);
  return out;
}

/**
 * `fencedBlock`, appended to `out`. A report has some 350 blocks: indexed loops and no copies, because
 * in a command's one run this code runs in V8's interpreter, where each step of a `for…of` and each
 * spread allocates (~0.5 ms and 400 KB of a full report, bench/).
 */
export function pushFencedBlock(out: string[], lines: readonly string[], info = 'text'): void {
  const safe = splitLinesSafely(lines);
  const fence = fenceFor(safe);
  out.push(`${fence}${info}`);
  for (let i = 0; i < safe.length; i++) out.push(safe[i] as string);
  out.push(fence);
}

/** A fence opening line: up to three spaces, then 3+ backticks (no backtick in the info) or 3+ tildes. */
export function matchFenceOpen(
  line: string,
): { char: '`' | '~'; length: number; info: string; indent: number } | undefined {
  const m = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
  if (!m) return undefined;
  const fence = m[2] as string;
  const info = m[3] as string;
  const char = fence[0] as '`' | '~';
  if (char === '`' && info.includes('`')) return undefined;
  return { char, length: fence.length, info: info.trim(), indent: (m[1] as string).length };
}

/** Does this line close a fence opened with `length` × `char`? */
export function isFenceClose(line: string, char: '`' | '~', length: number): boolean {
  const m = /^ {0,3}(`+|~+)[ \t]*$/.exec(line);
  if (!m) return false;
  const run = m[1] as string;
  return run[0] === char && run.length >= length;
}

/** Encode one character as a decimal numeric character reference. */
function charRef(ch: string): string {
  return `&#${ch.codePointAt(0)};`;
}

/**
 * Text made safe for one line of Markdown inline content (a table cell, a heading, a list item),
 * reversibly: see the module comment. An empty string stays empty.
 */
export function escapeInline(text: string): string {
  // Most texts need none of the replacements below: one test instead of eight, on a report's 500
  // texts (~1 ms of `export` on Node 24, where each replacement is its own pass over each text)
  return NEEDS_INLINE_ESCAPE.test(text) ? escapeEveryInline(text) : text;
}

/**
 * What the first pass of `escapeEveryInline` changes, each left to right: a special character (escaped
 * with a backslash: everything that can start an inline construct or a cell break), `://` and `www.` (kept from turning into links: GFM's autolink literals trip
 * MD034), and a control, line or paragraph separator or BOM (a character reference: they cannot stand
 * in a line). One pattern, not four passes: no replacement makes text another would change.
 */
const INLINE_FIRST_PASS =
  /[\\`*_[\]<>|#~&@!$]|:\/\/|(www)\.|[\u0000-\u001F\u007F-\u009F\u2028\u2029\uFEFF]/gi;

/** `escapeInline` without its shortcut: every replacement, on any text (exported for the test that compares them). */
export function escapeEveryInline(text: string): string {
  let out = text.replace(INLINE_FIRST_PASS, (found: string, www: string | undefined) => {
    if (www !== undefined) return `${www}\\.`;
    if (found === '://') return '\\://';
    const code = found.charCodeAt(0);
    return code < 0x20 || code > 0x7e ? charRef(found) : `\\${found}`;
  });
  // at the start of a line these would open a list, a thematic break or a setext underline
  if (out.startsWith('-') || out.startsWith('+') || out.startsWith('=')) out = `\\${out}`;
  else out = out.replace(/^(\d{1,9})([.)])(?=[ \t]|$)/, '$1\\$2');
  // spaces at either end would be trimmed by Markdown
  // (and any Unicode space there, e.g. no-break space, which tools trim too)
  const refs = (s: string) => [...s].map(charRef).join('');
  out = out.replace(/^\s+/u, refs).replace(/\s+$/u, refs);
  return out;
}

/** The exact inverse of `escapeInline`: backslash escapes of ASCII punctuation and `&#N;` references. */
export function unescapeInline(text: string): string {
  return text.replace(
    /\\([!-/:-@[-`{-~])|&#(\d{1,7});/g,
    (_m, punct: string | undefined, num: string | undefined) => {
      if (punct !== undefined) return punct;
      const code = Number(num);
      return code <= 0x10ffff ? String.fromCodePoint(code) : '';
    },
  );
}

/**
 * Display-only text from the bank (item text, titles): whitespace collapsed to single spaces, then
 * escaped like inline text. Not read back by `import`.
 */
export function escapeDisplay(text: string): string {
  // text whose only spaces are single plain ones is already collapsed (and the replacement would copy it)
  const collapsed = /[^\S ]| {2}/.test(text) ? text.replace(/\s+/g, ' ') : text;
  return escapeInline(collapsed.trim());
}

/** A value for YAML front matter: a double-quoted JSON string, with non-printable characters escaped. */
export function yamlString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007F-\u009F\u2028\u2029\uFEFF\uD800-\uDFFF]/g,
    (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

/** Split a GFM table row into raw cells (escapes kept), honouring `\|`. Undefined when not a row. */
export function splitTableRow(line: string): string[] | undefined {
  const t = line.trim();
  if (!t.startsWith('|')) return undefined;
  const cells: string[] = [];
  let cur = '';
  for (let i = 1; i < t.length; i++) {
    const ch = t[i] as string;
    if (ch === '\\' && i + 1 < t.length) {
      cur += ch + (t[i + 1] as string);
      i++;
    } else if (ch === '|') {
      cells.push(cur.trim());
      cur = '';
    } else {
      cur += ch;
    }
  }
  if (cur.trim() !== '') cells.push(cur.trim());
  return cells;
}

/** A GFM table: header row, delimiter row, body rows; cells must already be escaped. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly ('l' | 'r')[],
): string[] {
  // an empty cell is written "| |", which markdownlint's compact table style expects
  const row = (cells: readonly string[]) =>
    `| ${cells.join(' | ')} |`.replace(/\| {2}\|/g, '| |').replace(/\| {2}\|/g, '| |');
  const delim = `| ${header.map((_h, i) => (align?.[i] === 'r' ? '---:' : '---')).join(' | ')} |`;
  return [row(header), delim, ...rows.map(row)];
}
