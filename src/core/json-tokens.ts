/**
 * The one JSON text tokenizer: walks JSON text token by token, iteratively (hostile nesting cannot
 * overflow the stack), telling for each token its offset in the text and the path of the value it
 * belongs to; string tokens decode on request. The cycle-file checks (`json-text.ts`) and the
 * personal-data scan of cycle files (`pii.ts`) read JSON text through it. Pure.
 *
 * It never fails: on text that is not JSON it still ends, and tokens and paths are a best guess
 * (`JSON.parse` is what says whether text is valid). The rules that make a string a key are those of
 * the first, character-by-character scan (tests/hostile-files.test.ts compares the two on random
 * text): after `{`, and after a comma directly inside an object.
 */

export type JsonPathSegment = string | number;

/**
 * - `begin-object`, `begin-array`: a bracket opening a value; `end`: a closing bracket.
 * - `key`: the string naming a member; `string` and `literal` (number, true, false, null; only when
 *   asked for): values.
 */
export type JsonTokenKind = 'begin-object' | 'begin-array' | 'end' | 'key' | 'string' | 'literal';

/** One token. The visitor gets the same object every time, changed: copy what you keep. */
export interface JsonToken {
  kind: JsonTokenKind;
  /** Where the token starts (for a string or key, its opening quote). */
  offset: number;
  /** Where it ends (exclusive; for a string or key, after its closing quote). */
  end: number;
  /**
   * The path of the value this token opens or is: `['answers', 'assess.x', 'text', 0]`. For a key,
   * the path of the member it names (so its last segment is the decoded key); for `end`, the path of
   * the container it closes.
   */
  readonly path: JsonPathSegment[];
  /** Containers open after this token (a `begin-*` token counts its own). */
  depth: number;
}

// The next bracket, comma or quote (and, when asked for, run of literal characters). Most of a cycle
// file is text inside strings and indentation between tokens; the expression skips whitespace and
// colons, and indexOf finds the end of each string, both at native speed, so the loop runs once per
// token. Looking for literals as well makes the expression try two branches at every blank, which
// costs the start-up of every command that reads a cycle, so only the callers that place values ask.
const STRUCTURE = /[{}[\],"]/g;
const STRUCTURE_AND_LITERALS = /[{}[\],"]|[^\s{}[\],":]+/g;

/**
 * Call `visit` for each token of `text`, in order, until it returns false. One flat loop over locals,
 * calling out once per token: this runs cold, once for every cycle file a command reads, and an
 * object with a `next()` method made V8 spend more compiling it than it saved (measured at start-up).
 */
export function forEachJsonToken(
  text: string,
  visit: (token: JsonToken) => boolean | undefined,
  { literals = false }: { literals?: boolean } = {},
): void {
  const pattern = new RegExp((literals ? STRUCTURE_AND_LITERALS : STRUCTURE).source, 'g');
  const token: JsonToken = { kind: 'end', offset: 0, end: 0, path: [], depth: 0 };
  const path = token.path;
  /** One entry per open container: true for an object. */
  const objects: boolean[] = [];
  let expectKey = false;
  // a container just opened (0: none, 1: an object, 2: an array): its first segment joins the path
  // after the container's own token
  let opened = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (opened !== 0) {
      path.push(opened === 1 ? '' : 0);
      opened = 0;
    }
    const at = m.index;
    const c = text.charCodeAt(at);
    const top = objects.length - 1;
    if (c === 44) {
      // a comma is not a token: it moves on to the next member or element
      const inObject = objects[top] === true;
      expectKey = inObject;
      const index = path[top];
      if (!inObject && typeof index === 'number') path[top] = index + 1;
      continue;
    }
    token.offset = at;
    if (c === 34) {
      const close = closingQuote(text, at);
      // unterminated: the rest of the text is the string
      token.end = close === -1 ? text.length + 1 : close + 1;
      pattern.lastIndex = close === -1 ? text.length : close + 1;
      if (expectKey && objects[top] === true) {
        token.kind = 'key';
        path[top] = decodeJsonString(text, token);
        expectKey = false;
      } else {
        token.kind = 'string';
      }
    } else if (c === 123 || c === 91) {
      const object = c === 123;
      token.kind = object ? 'begin-object' : 'begin-array';
      token.end = at + 1;
      objects.push(object);
      token.depth = objects.length;
      expectKey = object;
      opened = object ? 1 : 2;
    } else if (c === 125 || c === 93) {
      token.kind = 'end';
      token.end = at + 1;
      objects.pop();
      token.depth = objects.length;
      if (path.length > objects.length) path.length = objects.length;
      expectKey = false;
    } else {
      token.kind = 'literal';
      token.end = at + m[0].length;
    }
    if (visit(token) === false) return;
  }
}

/** The quote closing the string opened at `open`: the next one not escaped; -1 if there is none. */
function closingQuote(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  while (close !== -1) {
    let backslashes = 0;
    for (let k = close - 1; text.charCodeAt(k) === 92; k--) backslashes++;
    if (backslashes % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
  return -1;
}

/** The decoded text of a string or key token (raw, when its escapes are not valid JSON). */
export function decodeJsonString(text: string, token: Pick<JsonToken, 'offset' | 'end'>): string {
  const raw = text.slice(token.offset + 1, token.end - 1);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(text.slice(token.offset, token.end)) as string;
  } catch {
    return raw;
  }
}

/**
 * The decoded text of a string token with, for each of its UTF-16 units, the offset in the text it
 * came from (an escape maps to its backslash): to find a place in the string in the file.
 */
export function decodeJsonStringWithOffsets(
  text: string,
  token: Pick<JsonToken, 'offset' | 'end'>,
): { value: string; offsets: number[] } {
  const last = Math.min(token.end - 1, text.length);
  let i = token.offset + 1;
  let value = '';
  const offsets: number[] = [];
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
  while (i < last) {
    const ch = text[i] as string;
    offsets.push(i);
    if (ch !== '\\') {
      value += ch;
      i++;
    } else if (text[i + 1] === 'u') {
      value += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      const e = text[i + 1] ?? '';
      value += simple[e] ?? e;
      i += 2;
    }
  }
  return { value, offsets };
}
