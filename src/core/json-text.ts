/**
 * JSON files as text: parsing that refuses what could hurt (prototype keys, repeated keys, hostile
 * nesting), and the positions of syntax errors and of values, for problems that say where. Reads the
 * text through the one tokenizer (`json-tokens.ts`). Pure.
 */
import type { Problem } from './errors.ts';
import { forEachJsonToken, type JsonPathSegment } from './json-tokens.ts';
import { lineStarts, positionIn, positionOf, type TextPosition } from './text-position.ts';

/** Where a JSON syntax error is: Node's messages carry "position N" or "line L column C". */
export function jsonErrorPosition(text: string, message: string): TextPosition | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  if (pos) return positionOf(text, Number(pos[1]));
  if (/Unexpected end of JSON input/.test(message)) return positionOf(text, text.length);
  const offset = unexpectedTokenOffset(text, message);
  return offset === undefined ? undefined : positionOf(text, offset);
}

/** V8 quotes this many characters either side of an unexpected token instead of giving its position. */
const V8_JSON_CONTEXT = 10;

/**
 * The offset of the token in V8's `Unexpected token 'x', "…context…" is not valid JSON`, which has
 * no position: the quoted context is the whole text (short texts), its start, its end, or the
 * characters either side of the token (`V8_JSON_CONTEXT` each), marked by the "..." it has.
 */
function unexpectedTokenOffset(text: string, message: string): number | undefined {
  const m = /^Unexpected token '([\s\S])', (\.{3})?"([\s\S]*)"(\.{3})? is not valid JSON/.exec(message);
  if (!m) return undefined;
  const token = m[1] as string;
  const before = m[2];
  const context = m[3] as string;
  const after = m[4];
  if (before === undefined && after === undefined) {
    // the whole text (a short one): its first such character
    const at = text.indexOf(token);
    return at === -1 ? undefined : at;
  }
  const at = text.indexOf(context);
  if (at === -1) return undefined;
  if (before === undefined) return context.length - V8_JSON_CONTEXT;
  if (after === undefined) return text.length - context.length + V8_JSON_CONTEXT;
  return at + V8_JSON_CONTEXT;
}

/**
 * The positions of values in JSON text, by path (`['answers', 'assess.x', 'text', 2]`), found in
 * one pass however many are asked for; undefined for a path the text does not have. Used to place
 * problems, so the text is valid JSON (on other text the answer is a best guess).
 */
export function locateJsonPaths(
  text: string,
  paths: readonly (readonly JsonPathSegment[])[],
): (TextPosition | undefined)[] {
  const key = (path: readonly JsonPathSegment[]) => JSON.stringify(path.map(String));
  const wanted = new Map<string, number[]>();
  const depths = new Set<number>();
  paths.forEach((path, i) => {
    const k = key(path);
    wanted.set(k, [...(wanted.get(k) ?? []), i]);
    depths.add(path.length);
  });
  const found: (number | undefined)[] = paths.map(() => undefined);
  let left = wanted.size;
  forEachJsonToken(
    text,
    (token) => {
      if (token.kind === 'key' || token.kind === 'end') return true;
      // the path is joined only at a depth something is looked for: joining at every value was slow
      if (!depths.has(token.path.length)) return true;
      const at = wanted.get(key(token.path));
      if (at === undefined || found[at[0] as number] !== undefined) return true;
      for (const i of at) found[i] = token.offset;
      left--;
      return left > 0;
    },
    { literals: true },
  );
  const starts = left < wanted.size ? lineStarts(text) : [];
  return found.map((offset) => (offset === undefined ? undefined : positionIn(starts, offset)));
}

/** The position of one value in JSON text; see `locateJsonPaths`. */
export function locateJsonPath(text: string, path: readonly JsonPathSegment[]): TextPosition | undefined {
  return locateJsonPaths(text, [path])[0];
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deeper JSON than this is refused: a cycle file is five levels deep, and it protects the parser. */
export const MAX_JSON_DEPTH = 32;

export interface JsonKeyScan {
  /** Offset of the first bracket opening a level deeper than the limit. */
  tooDeepAt?: number;
  /** Keys that appear twice in one object (JSON.parse would silently keep only the last). */
  duplicates: { key: string; offset: number; firstOffset: number }[];
  /** Keys that could pollute prototypes. */
  forbidden: { key: string; offset: number }[];
}

/**
 * One pass over JSON text, without recursion (so hostile nesting cannot overflow the stack): how
 * deep it goes, and keys that are repeated or forbidden, with their offsets. Tolerates invalid JSON.
 */
export function scanJsonKeys(text: string, maxDepth = MAX_JSON_DEPTH): JsonKeyScan {
  // A loop of its own rather than `forEachJsonToken`: this runs on every cycle file a command reads,
  // and the general tokenizer (paths, a call per token) did enough work per token that V8 compiled it
  // with its optimising compiler on every `diff` — some 20 ms of CPU the process waits for at exit
  // (measured: diff 99 → 111 ms of CPU). The rules for keys are the tokenizer's;
  // tests/json-tokens.test.ts checks that the two find the same keys in any text.
  const result: JsonKeyScan = { duplicates: [], forbidden: [] };
  // one entry per open bracket: the keys seen so far for an object, undefined for an array
  const stack: (Map<string, number> | undefined)[] = [];
  let expectKey = false;
  const n = text.length;
  // Most of a cycle file is text inside strings and indentation between tokens. A regular expression
  // finds the next bracket, comma or quote, and indexOf the end of each string (both at native
  // speed), so this loop runs once per token rather than once per character.
  const token = /[{}[\],"]/g;
  for (let m = token.exec(text); m !== null; m = token.exec(text)) {
    const at = m.index;
    const c = text.charCodeAt(at);
    if (c === 34) {
      // the closing quote: the next one not escaped (preceded by an even number of backslashes)
      let end = text.indexOf('"', at + 1);
      while (end !== -1) {
        let backslashes = 0;
        for (let k = end - 1; text.charCodeAt(k) === 92; k--) backslashes++;
        if (backslashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end === -1) end = n; // unterminated: the rest of the text is the string
      const top = stack[stack.length - 1];
      if (top && expectKey) {
        let key = text.slice(at + 1, end);
        if (key.includes('\\')) {
          try {
            key = JSON.parse(text.slice(at, end + 1)) as string;
          } catch {
            // an invalid escape: keep the raw text (JSON.parse reports the file anyway)
          }
        }
        if (FORBIDDEN_KEYS.has(key)) result.forbidden.push({ key, offset: at });
        const first = top.get(key);
        if (first !== undefined) result.duplicates.push({ key, offset: at, firstOffset: first });
        else top.set(key, at);
        expectKey = false;
      }
      if (end >= n) break;
      token.lastIndex = end + 1;
    } else if (c === 123 || c === 91) {
      stack.push(c === 123 ? new Map() : undefined);
      expectKey = c === 123;
      if (stack.length > maxDepth) {
        result.tooDeepAt = at;
        return result;
      }
    } else if (c === 125 || c === 93) {
      stack.pop();
      expectKey = false;
    } else {
      expectKey = stack[stack.length - 1] !== undefined && stack.length > 0;
    }
  }
  return result;
}

/**
 * Whether a text that JSON.parse read as `value` plainly has no repeated key, no forbidden key and no
 * nesting deeper than `maxDepth`: one native pass over the text and one walk of the value, with no
 * loop per token. The keys in the value are counted (JSON.parse keeps one of a repeated key) and so
 * are the colons outside strings in the text (one per key written): equal counts mean no key was
 * repeated. False means "look closer", never "bad".
 */
function plainlyClean(text: string, value: unknown, maxDepth: number): boolean {
  let keys = 0;
  // two stacks, not one of [value, depth] pairs, Object.keys, not Object.entries, and indexed loops: a
  // cycle has some 3,000 keys, and in V8's interpreter (where this runs, once per command) a pair or an
  // iterator step for each was most of this function's time
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop() as number;
    if (v === null || typeof v !== 'object') continue;
    if (depth > maxDepth) return false;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (x !== null && typeof x === 'object') {
          values.push(x);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    const names = Object.keys(v);
    for (let i = 0; i < names.length; i++) {
      const k = names[i] as string;
      if (FORBIDDEN_KEYS.has(k)) return false;
      const x = (v as Record<string, unknown>)[k];
      if (x !== null && typeof x === 'object') {
        values.push(x);
        depths.push(depth + 1);
      }
    }
    keys += names.length;
  }
  // the text parsed, so its strings are well formed: without them, every colon ends a key
  const outside = text.replace(/"(?:[^"\\]|\\.)*"/g, '');
  return outside.length - outside.replaceAll(':', '').length === keys;
}

/**
 * Whether `text` is exactly what the tool writes for `value` (two-space JSON and a final newline, as
 * `serializeCycle` writes a cycle) and holds no forbidden key and no nesting deeper than `maxDepth`.
 * Such a text has no repeated key: JSON.parse keeps one of a repeated key, so writing the value again
 * would not give the text back. Nearly every file read is one the tool wrote, and writing the value
 * again is native: cheaper than `plainlyClean`'s walk (in V8's interpreter, once per file). A key
 * spelt with an escape makes the texts differ; a forbidden key would be written as it is; in this
 * layout a container nested deeper than `maxDepth` starts a line indented 2 × `maxDepth` spaces or
 * more (a raw line break stands only between values). False means "look closer", never "bad".
 */
function writtenAsParsed(text: string, value: unknown, maxDepth: number): boolean {
  if (!text.endsWith('}\n') || text.includes(`\n${' '.repeat(2 * maxDepth)}`)) return false;
  for (const key of FORBIDDEN_KEYS) if (text.includes(`"${key}"`)) return false;
  return `${JSON.stringify(value, null, 2)}\n` === text;
}

/** Parse JSON refusing keys that could pollute prototypes, repeated keys, and hostile nesting. */
export function parseJsonSafely(text: string, file: string): { value?: unknown; problems: Problem[] } {
  // Most files are sound: parse, and prove it cheaply. Anything else (a syntax error, a repeated
  // or forbidden key, deep nesting) takes the slow path below, which says where.
  try {
    const value: unknown = JSON.parse(text);
    if (writtenAsParsed(text, value, MAX_JSON_DEPTH) || plainlyClean(text, value, MAX_JSON_DEPTH))
      return { value, problems: [] };
  } catch {
    // located below
  }
  return parseJsonByScan(text, file);
}

/** parseJsonSafely's careful path: a scan of every key first, then JSON.parse. */
export function parseJsonByScan(text: string, file: string): { value?: unknown; problems: Problem[] } {
  // JSON.parse with a reviver recurses once per level: refuse hostile nesting before it can overflow
  // the stack
  const scan = scanJsonKeys(text, MAX_JSON_DEPTH);
  if (scan.tooDeepAt !== undefined) {
    return {
      problems: [
        {
          file,
          ...positionOf(text, scan.tooDeepAt),
          message: `nested more than ${MAX_JSON_DEPTH} levels deep, which no cycle file is. Restore it from git or a backup; nothing was written over it.`,
        },
      ],
    };
  }
  let value: unknown;
  try {
    // A reviver makes JSON.parse several times slower, so it runs only when the scan (which sees
    // every key) found a forbidden one: dropped here as well as reported below, so the parsed value
    // never carries it.
    value =
      scan.forbidden.length === 0
        ? JSON.parse(text)
        : JSON.parse(text, function reviver(key, v) {
            if (FORBIDDEN_KEYS.has(key)) return undefined;
            return v;
          });
  } catch (error) {
    return { problems: [syntaxProblem(text, file, (error as Error).message)] };
  }
  return { value, problems: keyProblems(text, file, scan) };
}

/** A JSON syntax error, located, in words for people. */
function syntaxProblem(text: string, file: string, message: string): Problem {
  const pos = jsonErrorPosition(text, message);
  const posMatch = /position (\d+)/.exec(message);
  const atEnd = posMatch !== null && Number(posMatch[1]) >= text.trimEnd().length;
  const friendly =
    atEnd || /Unexpected end of JSON input|Unterminated/.test(message)
      ? 'the file ends too early (is it truncated?)'
      : message.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/, '');
  return {
    file,
    ...(pos ?? {}),
    message: `not valid JSON: ${friendly}. Restore it from git or a backup; nothing was written over it.`,
  };
}

/** The forbidden and repeated keys a scan found, as problems. */
function keyProblems(text: string, file: string, scan: JsonKeyScan): Problem[] {
  const problems: Problem[] = [];
  for (const f of scan.forbidden) {
    problems.push({
      file,
      ...positionOf(text, f.offset),
      message: `the key "${f.key}" is not allowed in a cycle file; remove it`,
    });
  }
  for (const d of scan.duplicates) {
    const first = positionOf(text, d.firstOffset);
    problems.push({
      file,
      ...positionOf(text, d.offset),
      message: `the key "${d.key}" appears twice in the same object (first on line ${first.line}); keep only one (after a merge, choose which one to keep)`,
    });
  }
  return problems;
}
