/**
 * Strict YAML for question banks: one document, YAML 1.2 core schema, no duplicate keys, no tags
 * beyond the core ones, no anchors or aliases, a size cap and a nesting limit. Every problem is
 * reported with its line and column; nothing here throws on bad input.
 */
import {
  Composer,
  type Document,
  type DocumentOptions,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  type ParseOptions,
  Parser,
  type SchemaOptions,
  type YAMLError,
  YAMLParseError,
  type Node as YamlNode,
} from 'yaml';
import { DEFAULT_MAX_BYTES, sizeLimitMessage } from './bank-limits.ts';
import type { Problem } from './errors.ts';

export { DEFAULT_MAX_BYTES, formatSize, sizeLimitMessage } from './bank-limits.ts';

/** Question banks larger than this are refused before they are parsed. */

/** Deeper nesting than this is refused: no real bank comes close, and it protects the parser. */
export const MAX_DEPTH = 64;

export type PathSegment = string | number;
export interface Position {
  line: number;
  column: number;
}
/**
 * Where the value at `path` starts in the source. With `key: true`, where the key of the last path
 * segment starts instead (for "unknown field" problems). For a block mapping or list reached through
 * a key, the key's position is given, which is where a reader looks.
 */
export type Locate = (path: readonly PathSegment[], opts?: { key?: boolean }) => Position | undefined;

export interface StrictYamlResult {
  value?: unknown;
  problems: Problem[];
  locate: Locate;
}

const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

function utf8Length(text: string): number {
  // UTF-16 length is a lower bound and three times it an upper bound; only encode when it matters.
  return new TextEncoder().encode(text).length;
}

function shortTag(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

const NOT_EMPTY_NODE = (n: unknown): n is YamlNode => n !== null && n !== undefined;

/** Thrown out of the token stream when the text nests too deeply, before anything is composed. */
class TooDeep extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/**
 * The YAML parser's tokens, lexed once, checked for nesting on the way: flow brackets, and block
 * indicators (`- - - x`) piled on one line. The composer (which recurses) builds a document only
 * once the parser has all of its tokens, so a text that nests too deeply is refused (TooDeep)
 * before it can reach the recursion.
 */
function* checkedTokens(text: string, lines: LineCounter, parser: Parser) {
  // `lines` is fed by the parser as it takes each token, so it knows every line start up to the one
  // being checked
  let flow = 0;
  let onLine = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      flow++;
      if (flow > MAX_DEPTH) throw new TooDeep(nestingProblem(lines, offset));
    } else if (token === ']' || token === '}') {
      flow = Math.max(0, flow - 1);
    } else if (token === '\n' || token === '\r\n') {
      onLine = 0;
    } else if (flow === 0 && (token === '-' || token === '?' || token === ':')) {
      onLine++;
      if (onLine > MAX_DEPTH) throw new TooDeep(nestingProblem(lines, offset));
    }
    // Control tokens (one character below U+0020) are not part of the source text.
    if (!(token.length === 1 && token < ' ' && token !== '\n' && token !== '\t')) offset += token.length;
    yield* parser.next(token);
  }
  yield* parser.end();
}

/**
 * yaml's parseDocument, with the text lexed once instead of twice (a nesting scan of its own took
 * 15 ms of `validate`'s 90 ms): one document, the others reported as an error, as parseDocument does.
 */
export function parseCheckedDocument(
  text: string,
  options: ParseOptions & DocumentOptions & SchemaOptions & { lineCounter: LineCounter },
): Document.Parsed {
  const parser = new Parser(options.lineCounter.addNewLine);
  options.lineCounter.addNewLine(0); // as Parser.parse() does before its first token
  const composer = new Composer(options);
  let doc: Document.Parsed | undefined;
  const tokens = checkedTokens(text, options.lineCounter, parser);
  for (const next of composer.compose(tokens, true, text.length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(
        new YAMLParseError(
          [next.range[0], next.range[1]],
          'MULTIPLE_DOCS',
          'Source contains multiple documents; please use YAML.parseAllDocuments()',
        ),
      );
      break;
    }
  }
  // compose() always ends with a document (an empty one for an empty text)
  return doc as Document.Parsed;
}

function nestingProblem(lc: LineCounter, offset: number): Problem {
  const pos = lc.linePos(offset);
  return {
    file: '',
    line: pos.line,
    column: pos.col,
    message: `the file is nested more than ${MAX_DEPTH} levels deep; a question bank never needs that many`,
  };
}

function yamlErrorMessage(err: YAMLError, text: string): string {
  switch (err.code) {
    case 'DUPLICATE_KEY': {
      const rest = text.slice(err.pos[0], err.pos[0] + 200);
      const key =
        (/^"([^"\n]*)"|^'([^'\n]*)'|^([^:\n]*?)\s*:/.exec(rest) ?? [])
          .slice(1)
          .find((k) => k !== undefined) ?? '';
      const shown = key.length > 0 && key.length <= 60 ? `the key "${key}"` : 'this key';
      return `${shown} appears twice in the same block; keep only one`;
    }
    case 'TAB_AS_INDENT':
      return 'a tab is used for indentation; YAML needs spaces';
    case 'MULTIPLE_DOCS':
      return 'a question bank must be a single YAML document; remove the extra "---" line';
    case 'BAD_ALIAS':
    case 'ALIAS_PROPS':
      return 'YAML aliases (*name) are not allowed in a question bank; write the text out in full';
    default: {
      const first = err.message.split('\n')[0] ?? err.message;
      return `YAML syntax: ${first.replace(/\.$/, '')} (check the indentation, quotes and brackets here)`;
    }
  }
}

/** The options every bank is parsed with: YAML 1.2 core schema, unique keys, no merge keys. */
function parseBankDocument(text: string, lc: LineCounter): Document.Parsed {
  return parseCheckedDocument(text, {
    lineCounter: lc,
    uniqueKeys: true,
    merge: false,
    schema: 'core',
    customTags: [],
    strict: true,
    prettyErrors: false,
    keepSourceTokens: false,
  });
}

/** Where a node's range starts, or undefined for a node without one. */
const rangeOffset = (node: unknown): number | undefined =>
  (node as { range?: [number, number, number] } | null)?.range?.[0];

/**
 * The walk from yaml's nodes to plain data: refuses aliases, anchors and non-core tags, and never
 * lets a `__proto__` key reach an object. Problems go to `add`; `fatal` turns true when the result
 * cannot be trusted (nesting beyond MAX_DEPTH).
 */
class PlainDataWalk {
  fatal = false;
  private tooDeepReported = false;

  constructor(
    private readonly text: string,
    private readonly add: (offset: number, message: string) => void,
  ) {}

  /** Where a node's properties (`!tag`, `&anchor`) start, which is before the node's own range. */
  private propsStart(start: number): number {
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    const m = /(?:[!&][^\s,[\]{}]*\s+)+$/.exec(this.text.slice(lineStart, start));
    return m ? lineStart + m.index : start;
  }

  convert(node: unknown, depth: number): unknown {
    if (!NOT_EMPTY_NODE(node)) return null;
    const start = this.propsStart(rangeOffset(node) ?? 0);
    if (!this.allowed(node, start)) return null;
    if (depth > MAX_DEPTH) {
      if (!this.tooDeepReported) {
        this.tooDeepReported = true;
        this.fatal = true;
        this.add(
          start,
          `the file is nested more than ${MAX_DEPTH} levels deep; a question bank never needs that many`,
        );
      }
      return null;
    }
    if (isScalar(node)) {
      const v = node.value;
      // !!binary and friends are refused above; anything non-plain that slips through becomes text.
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
      return String(v);
    }
    if (isSeq(node)) return node.items.map((child) => this.convert(child, depth + 1));
    if (isMap(node)) return this.convertMap(node.items, start, depth);
    return null;
  }

  /** False for a node that must not be read (an alias, a tag outside the core schema); an anchor is reported but read. */
  private allowed(node: YamlNode, start: number): boolean {
    if (isAlias(node)) {
      this.add(start, 'YAML aliases (*name) are not allowed in a question bank; write the text out in full');
      return false;
    }
    const n = node as YamlNode & { anchor?: string; tag?: string };
    if (n.anchor) {
      this.add(
        start,
        `YAML anchors (&${n.anchor}) are not allowed in a question bank; remove "&${n.anchor}"`,
      );
    }
    if (n.tag && !CORE_TAGS.has(n.tag)) {
      this.add(
        start,
        `the YAML tag "${shortTag(n.tag)}" is not allowed in a question bank; remove it and write plain text`,
      );
      return false;
    }
    return true;
  }

  private convertMap(items: readonly unknown[], start: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as unknown;
      const keyStart = rangeOffset(keyNode) ?? start;
      if (isAlias(keyNode)) {
        this.convert(keyNode, depth + 1);
        continue;
      }
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        this.add(keyStart, 'every key must be a plain word before a colon, like "text:"');
        continue;
      }
      const key = String(keyNode.value);
      if (key === '__proto__') {
        this.add(
          keyStart,
          'the key "__proto__" is not allowed (it could change how the program behaves); remove it',
        );
        this.convert(pair.value, depth + 1);
        continue;
      }
      const value = this.convert(pair.value, depth + 1);
      if (!Object.hasOwn(out, key)) out[key] = value;
    }
    return out;
  }
}

/** `locate` for a parsed document: the position of the value (or key) at a path. */
function locatorOf(doc: Document.Parsed, at: (offset: number) => Position): Locate {
  const rangeStart = (node: unknown): Position | undefined => {
    const offset = rangeOffset(node);
    return offset === undefined ? undefined : at(offset);
  };
  return (path, locOpts) => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    let last: Position | undefined = NOT_EMPTY_NODE(node) ? rangeStart(node) : { line: 1, column: 1 };
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && p.key.value !== null && String(p.key.value) === String(seg),
        );
        if (!pair) return last;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        keyNode = undefined;
        node = node.items[seg];
        if (node === undefined) return last;
      } else {
        return last;
      }
      const here = NOT_EMPTY_NODE(node) ? rangeStart(node) : undefined;
      const keyPos = NOT_EMPTY_NODE(keyNode) ? rangeStart(keyNode) : undefined;
      const isBlock = (isMap(node) || isSeq(node)) && !(node as { flow?: boolean }).flow;
      const isEmpty = isScalar(node) && node.value === null;
      last = (isBlock || isEmpty ? (keyPos ?? here) : (here ?? keyPos)) ?? last;
    }
    if (locOpts?.key && NOT_EMPTY_NODE(keyNode)) return rangeStart(keyNode) ?? last;
    return last;
  };
}

/**
 * Parse `text` as a strict, single YAML document. `value` is set when the text could be read at all
 * (it may still have problems); `locate` maps a path in the value to a line and column.
 */
export function parseYamlStrict(
  text: string,
  file: string,
  opts: { maxBytes?: number } = {},
): StrictYamlResult {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const noLocate: Locate = () => undefined;
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes)) {
    return { problems: [{ file, message: sizeLimitMessage(utf8Length(text), maxBytes) }], locate: noLocate };
  }
  const lc = new LineCounter();
  const at = (offset: number): Position => {
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const problems: Problem[] = [];
  const add = (offset: number, message: string) => problems.push({ file, ...at(offset), message });

  let doc: Document.Parsed;
  try {
    doc = parseBankDocument(text, lc);
  } catch (error) {
    if (error instanceof TooDeep) return { problems: [{ ...error.problem, file }], locate: noLocate };
    // The nesting check should prevent this; a parser failure is still a problem, not a crash.
    const message = error instanceof RangeError ? 'the file is nested too deeply to read' : String(error);
    return { problems: [{ file, message }], locate: noLocate };
  }
  // After a syntax error the structure is guesswork, so later checks would only add noise.
  let fatal = false;
  for (const err of doc.errors) {
    add(err.pos[0], yamlErrorMessage(err, text));
    if (err.code !== 'DUPLICATE_KEY') fatal = true;
  }
  for (const warn of doc.warnings) {
    if (warn.code === 'TAG_RESOLVE_FAILED') continue; // reported by the walk, with the tag's name
    add(warn.pos[0], `YAML: ${warn.message.split('\n')[0]}`);
  }
  const walk = new PlainDataWalk(text, add);
  const converted = walk.convert(doc.contents, 0);
  const value = fatal || walk.fatal ? undefined : converted;
  const locate = locatorOf(doc, at);
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return value === undefined ? { problems, locate } : { value, problems, locate };
}
