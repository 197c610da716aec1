/**
 * Validation of a question bank: the compiled JSON Schema first, then the checks a schema cannot
 * make (unique ids, tags defined by the bank, renamed targets). Every problem is returned, located
 * by line and column and named by item, in words a non-programmer can act on.
 */

import type { ErrorObject } from 'ajv';
import { validate as validateBankSchema } from '../generated/validate-bank.js';
import { controlCharacterInFileMessage, findControlCharactersInSource } from './control-chars.ts';
import type { Problem } from './errors.ts';
import { likelySpelling } from './suggest.ts';
import type { Bank } from './types.ts';
import { type Locate, type PathSegment, parseYamlStrict } from './yaml-strict.ts';

type Path = readonly PathSegment[];

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  array: 'a list (lines starting with "- ", or [A, B])',
  object: 'a block of "name: value" lines',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'empty',
};

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a block of "name: value" lines';
  if (typeof v === 'string') return 'text';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return `${v} (a yes/no value)`;
  return typeof v;
}

function quote(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return `"${s.length > 60 ? `${s.slice(0, 57)}…` : s}"`;
}

function getAt(value: unknown, path: Path): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[seg as string];
  }
  return v;
}

/** `/stages/0/sections/1` → `['stages', 0, 'sections', 1]` (JSON Pointer, numbers for list indexes). */
export function pointerToPath(pointer: string, value: unknown): PathSegment[] {
  if (pointer === '') return [];
  const out: PathSegment[] = [];
  let v = value;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key: PathSegment = Array.isArray(v) && /^\d+$/.test(seg) ? Number(seg) : seg;
    out.push(key);
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key as string] : undefined;
  }
  return out;
}

/** The id of the innermost item (or answer/action) on the path, for `item "…"` in a problem. */
function enclosingItem(value: unknown, path: Path): string | undefined {
  if (path[0] === 'answers' && typeof path[1] === 'string') return path[1];
  for (let i = path.length; i >= 2; i--) {
    const parentKey = path[i - 2];
    if ((parentKey === 'items' || parentKey === 'children') && typeof path[i - 1] === 'number') {
      const id = getAt(value, path.slice(0, i).concat('id'));
      return typeof id === 'string' ? id : undefined;
    }
  }
  return undefined;
}

/** `stage "plan", section "r2": ` for problems above the level of items. */
function context(value: unknown, path: Path): string {
  const parts: string[] = [];
  if (path[0] === 'stages' && typeof path[1] === 'number') {
    const id = getAt(value, ['stages', path[1], 'id']);
    parts.push(typeof id === 'string' ? `stage "${id}"` : `stage ${path[1] + 1}`);
    if (path[2] === 'sections' && typeof path[3] === 'number') {
      const sid = getAt(value, ['stages', path[1], 'sections', path[3], 'id']);
      parts.push(typeof sid === 'string' ? `section "${sid}"` : `section ${path[3] + 1}`);
    }
  } else if (
    (path[0] === 'keyPrinciples' || path[0] === 'recommendations' || path[0] === 'evidenceRatings') &&
    typeof path[1] === 'number'
  ) {
    const id = getAt(value, [path[0], path[1], 'id']);
    const what = {
      keyPrinciples: 'key principle',
      recommendations: 'recommendation',
      evidenceRatings: 'evidence rating',
    }[path[0]];
    parts.push(typeof id === 'string' ? `${what} ${id}` : `${what} ${path[1] + 1}`);
  }
  return parts.length > 0 ? `${parts.join(', ')}: ` : '';
}

/** The name of the field a path ends in: `tags` for `[…, 'tags', 2]`. */
function fieldName(path: Path): string | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i];
    if (typeof seg === 'string') return seg;
  }
  return undefined;
}

function entryWord(path: Path): string {
  const last = path[path.length - 1];
  const field = fieldName(path);
  if (typeof last === 'number') return `entry ${last + 1} of "${field}"`;
  return field ? `"${field}"` : 'the file';
}

const DEF_WORDS: Record<string, string> = {
  source: 'the source',
  evidenceRating: 'an evidence rating',
  keyPrinciple: 'a key principle',
  recommendation: 'a recommendation',
  item: 'an item',
  section: 'a section',
  stage: 'a stage',
  priority: 'a priority',
  answer: 'an answer',
  action: 'an action',
  historyEntry: 'an action history entry',
};

/** What kind of thing the value at `path` is, from where it sits: `item` for `…/items/3`. */
function containerKind(path: Path): string | undefined {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (typeof last === 'string') {
    if (parent === 'answers') return 'answer';
    return last === 'source' ? 'source' : undefined;
  }
  const byList: Record<string, string> = {
    items: 'item',
    children: 'item',
    sections: 'section',
    stages: 'stage',
    keyPrinciples: 'keyPrinciple',
    recommendations: 'recommendation',
    evidenceRatings: 'evidenceRating',
    priorities: 'priority',
    actions: 'action',
    history: 'historyEntry',
  };
  return typeof parent === 'string' ? byList[parent] : undefined;
}

/** Which shared definition a failed `pattern` belongs to, recognised by the pattern itself. */
function patternKind(pattern: string, path: Path): string | undefined {
  if (pattern === '\\S') return 'text';
  if (pattern.startsWith('^[a-z0-9]+(?:-[a-z0-9]+)*(?:\\.')) return 'itemId';
  if (pattern === '^[a-z0-9]+(?:-[a-z0-9]+)*$') return 'slug';
  if (pattern === '^[A-Z0-9]+(?:-[A-Z0-9]+)*$') return 'tagId';
  if (pattern.startsWith('^[0-9]{4}-')) return 'date';
  return containerKind(path.slice(0, -1));
}

function patternMessage(def: string | undefined, field: string, v: unknown, where: string): string {
  switch (def) {
    case 'itemId':
      return `${where} is ${quote(v)}, which is not a valid item id: use lower-case words and numbers joined by "-", in at least two parts separated by "." (e.g. "assess.carers.demographics")`;
    case 'slug':
      return `${where} is ${quote(v)}, which is not a valid id: use lower-case letters, numbers and "-" (e.g. "carers")`;
    case 'tagId':
      return `${where} is ${quote(v)}, which is not a valid tag: use capital letters and numbers (e.g. "KP1", "R4")`;
    case 'text':
    case 'tag':
      return `${where} is blank; write some text or remove the line`;
    case 'date':
      return `${where} is ${quote(v)}, which is not a date: write it as YYYY-MM-DD (e.g. 2026-03-31)`;
    default:
      if (field === 'url')
        return `${where} is ${quote(v)}, which is not a web address: it must start with https://`;
      if (field === 'id' && def === 'action')
        return `${where} is ${quote(v)}; it must be A followed by a number, e.g. "A3"`;
      if (field === 'cycle')
        return `${where} is ${quote(v)}, which is not a valid cycle id: use letters, numbers, ".", "_" and "-", e.g. "2026-27"`;
      return `${where} is ${quote(v)}, which is not in the expected form`;
  }
}

/** What one schema error says, in words, and where to point: at a value, or at a key (`key`). */
function schemaErrorMessage(
  e: ErrorObject,
  value: unknown,
  path: Path,
  missingAt: Map<string, string[]>,
): { message: string; at: Path; key: boolean } {
  const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
  const field = fieldName(path) ?? 'file';
  const where = entryWord(path);
  let message: string;
  let locPath: Path = path;
  let locKey = false;
  const data = getAt(value, path);
  if (propertyName !== undefined) {
    // A key of a keyed block (renamed, answers) is not a valid id.
    message = `${field === 'renamed' || field === 'answers' ? `in "${field}", the key` : 'the key'} ${quote(propertyName)} is not a valid item id: use lower-case words and numbers joined by "-", in at least two parts separated by "." (e.g. "assess.carers.demographics")`;
    locPath = [...path, propertyName];
    locKey = true;
  } else {
    switch (e.keyword) {
      case 'required': {
        const missing = (missingAt.get(e.instancePath) ?? []).map((m) => `"${m}"`);
        const required = ((e.parentSchema as { required?: string[] } | undefined)?.required ?? []).join(', ');
        const what = path.length === 0 ? 'the file' : (DEF_WORDS[containerKind(path) ?? ''] ?? where);
        const names =
          missing.length > 1
            ? `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)} are`
            : `${missing[0]} is`;
        message = `${names} missing (${what} needs ${required})`;
        break;
      }
      case 'additionalProperties': {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys(
          (e.parentSchema as { properties?: object } | undefined)?.properties ?? {},
        );
        const guess = likelySpelling(extra, allowed);
        message = `unknown field "${extra}"${guess ? ` (did you mean "${guess}"?)` : ''}; allowed here: ${allowed.join(', ')}`;
        locPath = [...path, extra];
        locKey = true;
        break;
      }
      case 'type': {
        const expected = String((e.params as { type: string | string[] }).type);
        const words = TYPE_WORDS[expected] ?? expected;
        if (path.length === 0) {
          message =
            data === null
              ? 'the file is empty; a question bank starts with "id:", "title:", "version:" and so on'
              : `the whole file must be ${words}, not ${describeValue(data)}`;
        } else if (data === null) {
          message = `${where} is empty; it must be ${words}`;
        } else {
          const hint =
            expected === 'string' && (typeof data === 'number' || typeof data === 'boolean')
              ? '; put the value in quotes so it is read as text'
              : '';
          message = `${where} must be ${words}, not ${describeValue(data)}${hint}`;
        }
        break;
      }
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
        const guess = typeof data === 'string' ? likelySpelling(data, allowed) : undefined;
        message = `${where} is ${quote(data)}, which is not allowed${guess ? ` (did you mean "${guess}"?)` : ''}; use one of: ${allowed.join(', ')}`;
        break;
      }
      case 'const':
        message = `${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}, not ${quote(data)}`;
        break;
      case 'pattern':
        message = patternMessage(
          patternKind(String((e.params as { pattern: string }).pattern), path),
          field,
          data,
          where,
        );
        break;
      case 'minItems': {
        const limit = (e.params as { limit: number }).limit;
        message =
          field === 'children'
            ? `"children" is empty; add at least one item or remove "children:"`
            : `${where} needs at least ${limit} ${limit === 1 ? 'entry' : 'entries'}`;
        break;
      }
      default:
        message = `${where} ${e.message ?? 'is not valid'}`;
    }
  }
  return { message, at: locPath, key: locKey };
}

/**
 * Turn ajv errors (from a validator compiled with `allErrors` and `verbose`) into problems, one per
 * error, located with `locate` and named by the enclosing item. Used for banks and cycle files.
 */
export function schemaProblems(
  errors: readonly ErrorObject[],
  value: unknown,
  file: string,
  locate: Locate,
): Problem[] {
  const problems: Problem[] = [];
  // Several missing fields of one object make one problem.
  const missingAt = new Map<string, string[]>();
  for (const e of errors) {
    if (e.keyword !== 'required') continue;
    const list = missingAt.get(e.instancePath) ?? [];
    list.push((e.params as { missingProperty: string }).missingProperty);
    missingAt.set(e.instancePath, list);
  }
  for (const e of errors) {
    if (
      e.keyword === 'required' &&
      missingAt.get(e.instancePath)?.[0] !== (e.params as { missingProperty: string }).missingProperty
    )
      continue;
    if (e.keyword === 'propertyNames' || e.keyword === 'if' || e.keyword === '$ref') continue;
    const path = pointerToPath(e.instancePath, value);
    const { message, at: locPath, key: locKey } = schemaErrorMessage(e, value, path, missingAt);
    const pos = locate(locPath, { key: locKey });
    const item = enclosingItem(value, path);
    const problem: Problem = { file, message: item ? message : `${context(value, path)}${message}` };
    if (pos) {
      problem.line = pos.line;
      problem.column = pos.column;
    }
    if (item) problem.item = item;
    problems.push(problem);
  }
  return problems;
}

/** `KP1, KP2, KP3, R1–R6, ALL`: runs of four or more consecutive numbered tags are shortened. */
export function listTags(tags: readonly string[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < tags.length) {
    const m = /^(.*?)(\d+)$/.exec(tags[i]!);
    let j = i;
    if (m) {
      while (j + 1 < tags.length) {
        const n = /^(.*?)(\d+)$/.exec(tags[j + 1]!);
        if (!n || n[1] !== m[1] || Number(n[2]) !== Number(m[2]) + (j + 1 - i)) break;
        j++;
      }
    }
    if (j - i >= 3) {
      out.push(`${tags[i]}–${tags[j]}`);
      i = j + 1;
    } else {
      out.push(tags[i]!);
      i++;
    }
  }
  return out.join(', ');
}

type Rec = Record<string, unknown>;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const rec = (v: unknown): Rec | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Where the integrity checks report: the file, and how to place a path of the bank in it. */
interface CheckContext {
  file: string;
  locate: Locate;
}

/** A problem at `path` (at its key instead of its value with `key`). */
function problemAt(ctx: CheckContext, path: Path, message: string, item?: string, key = false): Problem {
  const pos = ctx.locate(path, { key });
  const p: Problem = { file: ctx.file, message };
  if (pos) {
    p.line = pos.line;
    p.column = pos.column;
  }
  if (item) p.item = item;
  return p;
}

/** Where a path is, in words, for "already used at …". */
function whereIs(ctx: CheckContext, path: Path): string {
  const pos = ctx.locate(path);
  return pos ? `line ${pos.line}, column ${pos.column}` : 'elsewhere in the file';
}

/**
 * The ids of `entries` (their `id` fields), each the first time it appears, and a problem for each
 * repeat: `repeated(id, first)` words it. `accept(id, path)` may refuse an id with a problem of its own.
 */
function uniqueIds(
  ctx: CheckContext,
  entries: unknown,
  pathOf: (index: number) => Path,
  repeated: (id: string, first: Path) => string,
  accept: (id: string, path: Path) => Problem | undefined = () => undefined,
  seen = new Map<string, Path>(),
): { ids: string[]; problems: Problem[] } {
  const ids: string[] = [];
  const problems: Problem[] = [];
  list(entries).forEach((entry, i) => {
    const id = str(rec(entry)?.id);
    if (id === undefined) return;
    const path = pathOf(i);
    const first = seen.get(id);
    const refused = first ? undefined : accept(id, path);
    if (first) problems.push(problemAt(ctx, path, repeated(id, first)));
    else if (refused) problems.push(refused);
    else {
      seen.set(id, path);
      ids.push(id);
    }
  });
  return { ids, problems };
}

/** The tags a bank defines: its key principles, its recommendations, and ALL when it explains it. */
interface DefinedTags {
  kpIds: string[];
  rIds: string[];
  known: string[];
}

/** Key principle and recommendation ids: unique across both lists, and never "ALL". */
function tagIdProblems(root: Rec, ctx: CheckContext): { tags: DefinedTags; problems: Problem[] } {
  const seen = new Map<string, Path>();
  const defined = (field: 'keyPrinciples' | 'recommendations', what: string) =>
    uniqueIds(
      ctx,
      root[field],
      (i) => [field, i, 'id'],
      (id, first) => `${what} id "${id}" is already used at ${whereIs(ctx, first)}; each tag must be unique`,
      (id, path) =>
        id === 'ALL'
          ? problemAt(
              ctx,
              path,
              `"ALL" is reserved for items that concern every principle and recommendation`,
            )
          : undefined,
      seen,
    );
  const kp = defined('keyPrinciples', 'key principle');
  const r = defined('recommendations', 'recommendation');
  const hasAll = str(root.allTag) !== undefined;
  const known = [...kp.ids, ...r.ids, ...(hasAll ? ['ALL'] : [])];
  return { tags: { kpIds: kp.ids, rIds: r.ids, known }, problems: [...kp.problems, ...r.problems] };
}

/** Evidence ratings: unique ids, and every recommendation's rating one of them. */
function evidenceRatingProblems(root: Rec, ctx: CheckContext): Problem[] {
  const { ids, problems } = uniqueIds(
    ctx,
    root.evidenceRatings,
    (i) => ['evidenceRatings', i, 'id'],
    (id, first) => `evidence rating id "${id}" is already used at ${whereIs(ctx, first)}`,
  );
  list(root.recommendations).forEach((entry, i) => {
    const r = rec(entry);
    const evidence = str(r?.evidence);
    if (evidence === undefined || ids.includes(evidence)) return;
    const guess = likelySpelling(evidence, ids);
    problems.push(
      problemAt(
        ctx,
        ['recommendations', i, 'evidence'],
        `recommendation ${str(r?.id) ?? i + 1}: evidence rating "${evidence}" is not defined in "evidenceRatings"${guess ? ` (did you mean "${guess}"?)` : ''} (known: ${ids.join(', ') || 'none'})`,
      ),
    );
  });
  return problems;
}

/** A tag used by an item or section that the bank does not define; undefined when it is fine. */
function undefinedTagProblem(
  ctx: CheckContext,
  tags: DefinedTags,
  tag: unknown,
  path: Path,
  item: string | undefined,
  prefix: string,
): Problem | undefined {
  if (typeof tag !== 'string' || tags.known.includes(tag)) return undefined;
  if (tag === 'ALL') {
    return problemAt(
      ctx,
      path,
      `${prefix}tag "ALL" is used but this bank does not say what it means; add "allTag:" with an explanation`,
      item,
    );
  }
  const kind = /^KP\d/i.test(tag)
    ? 'a key principle of this bank'
    : /^R\d/i.test(tag)
      ? 'a recommendation of this bank'
      : 'defined by this bank';
  const guess = tags.known.find((k) => k.toLowerCase() === tag.toLowerCase());
  const knownText = tags.known.length > 0 ? `known: ${listTags(tags.known)}` : 'this bank defines no tags';
  return problemAt(
    ctx,
    path,
    `${prefix}tag "${tag}" is not ${kind}${guess ? ` (did you mean "${guess}"?)` : ''} (${knownText})`,
    item,
  );
}

/** Every item of the bank (children included, to a depth of 64) with its path, in bank order. */
function itemsOf(root: Rec): { item: Rec; path: Path }[] {
  const out: { item: Rec; path: Path }[] = [];
  const visit = (value: unknown, path: Path, depth: number) => {
    const item = rec(value);
    if (!item || depth > 64) return;
    out.push({ item, path });
    list(item.children).forEach((child, k) => {
      visit(child, [...path, 'children', k], depth + 1);
    });
  };
  list(root.stages).forEach((stage, s) => {
    list(rec(stage)?.sections).forEach((section, c) => {
      list(rec(section)?.items).forEach((item, k) => {
        visit(item, ['stages', s, 'sections', c, 'items', k], 0);
      });
    });
  });
  return out;
}

/** Items: unique ids across the bank, and tags the bank defines. */
function itemProblems(root: Rec, ctx: CheckContext, tags: DefinedTags): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, Path>();
  for (const { item, path } of itemsOf(root)) {
    const id = str(item.id);
    if (id !== undefined) {
      const first = seen.get(id);
      if (first) {
        problems.push(
          problemAt(
            ctx,
            [...path, 'id'],
            `item id "${id}" is already used at ${whereIs(ctx, first)}; every item needs its own id`,
            id,
          ),
        );
      } else seen.set(id, [...path, 'id']);
    }
    list(item.tags).forEach((tag, k) => {
      const problem = undefinedTagProblem(ctx, tags, tag, [...path, 'tags', k], id, '');
      if (problem) problems.push(problem);
    });
  }
  return problems;
}

/** One section: a unique id within its stage, defined tags, and a recommendation of the bank. */
function sectionProblems(
  ctx: CheckContext,
  tags: DefinedTags,
  section: Rec,
  base: Path,
  stageName: string,
  seen: Map<string, Path>,
): Problem[] {
  const problems: Problem[] = [];
  const cid = str(section.id);
  if (cid !== undefined) {
    const first = seen.get(cid);
    if (first)
      problems.push(
        problemAt(
          ctx,
          [...base, 'id'],
          `${stageName}: section id "${cid}" is already used at ${whereIs(ctx, first)}`,
        ),
      );
    else seen.set(cid, [...base, 'id']);
  }
  const sectionName = `${stageName}, section "${cid ?? Number(base[base.length - 1]) + 1}": `;
  list(section.tags).forEach((tag, k) => {
    const problem = undefinedTagProblem(ctx, tags, tag, [...base, 'tags', k], undefined, sectionName);
    if (problem) problems.push(problem);
  });
  const recommendation = str(section.recommendation);
  if (recommendation !== undefined && !tags.rIds.includes(recommendation)) {
    const guess = tags.rIds.find((r) => r.toLowerCase() === recommendation.toLowerCase());
    problems.push(
      problemAt(
        ctx,
        [...base, 'recommendation'],
        `${sectionName}recommendation "${recommendation}" is not a recommendation of this bank${guess ? ` (did you mean "${guess}"?)` : ''} (known: ${tags.rIds.length > 0 ? listTags(tags.rIds) : 'none'})`,
      ),
    );
  }
  return problems;
}

/** Stages and their sections: unique ids, defined tags, recommendations of the bank. */
function stageProblems(root: Rec, ctx: CheckContext, tags: DefinedTags): Problem[] {
  const problems: Problem[] = [];
  const seenStage = new Map<string, Path>();
  list(root.stages).forEach((stage, s) => {
    const st = rec(stage);
    if (!st) return;
    const sid = str(st.id);
    if (sid !== undefined) {
      const first = seenStage.get(sid);
      if (first)
        problems.push(
          problemAt(ctx, ['stages', s, 'id'], `stage id "${sid}" is already used at ${whereIs(ctx, first)}`),
        );
      else seenStage.set(sid, ['stages', s, 'id']);
    }
    const stageName = sid !== undefined ? `stage "${sid}"` : `stage ${s + 1}`;
    const seenSection = new Map<string, Path>();
    list(st.sections).forEach((section, c) => {
      const sec = rec(section);
      if (sec)
        problems.push(
          ...sectionProblems(ctx, tags, sec, ['stages', s, 'sections', c], stageName, seenSection),
        );
    });
  });
  return problems;
}

/** Glossary: each term or alias names one entry (compared as the glossary matches: ignoring case). */
function glossaryProblems(root: Rec, ctx: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const seenTerm = new Map<string, Path>();
  list(root.glossary).forEach((entry, i) => {
    const e = rec(entry);
    const forms: [string | undefined, Path][] = [[str(e?.term), ['glossary', i, 'term']]];
    list(e?.aliases).forEach((alias, k) => {
      forms.push([str(alias), ['glossary', i, 'aliases', k]]);
    });
    for (const [form, path] of forms) {
      if (form === undefined) continue;
      const key = form.toLowerCase();
      const first = seenTerm.get(key);
      if (first)
        problems.push(
          problemAt(
            ctx,
            path,
            `glossary: "${form}" is already explained at ${whereIs(ctx, first)}; each term or alias may appear once`,
          ),
        );
      else seenTerm.set(key, path);
    }
  });
  return problems;
}

/** Renamed ids: old → new, where new is a live id and old is not. */
function renamedProblems(root: Rec, ctx: CheckContext): Problem[] {
  const renamed = rec(root.renamed);
  if (!renamed) return [];
  const liveIds = new Set(itemsOf(root).flatMap(({ item }) => str(item.id) ?? []));
  const problems: Problem[] = [];
  for (const [from, to] of Object.entries(renamed)) {
    if (liveIds.has(from)) {
      problems.push(
        problemAt(
          ctx,
          ['renamed', from],
          `renamed: "${from}" is still the id of an item, so it cannot also be an old id; remove this line or the item`,
          from,
          true,
        ),
      );
    }
    if (typeof to === 'string' && !liveIds.has(to)) {
      const target = renamed[to];
      problems.push(
        problemAt(
          ctx,
          ['renamed', from],
          `renamed: "${from}" points to "${to}", which is not an item of this bank${typeof target === 'string' ? ` (it is itself renamed to "${target}"; point straight to that)` : ''}`,
          from,
        ),
      );
    }
  }
  return problems;
}

/**
 * The checks the schema cannot make, one checker per concern, each returning its problems. Written
 * defensively so they run, and report, even when the schema has found the structure broken
 * somewhere else.
 */
function integrityProblems(value: unknown, file: string, locate: Locate): Problem[] {
  const root = rec(value);
  if (!root) return [];
  const ctx: CheckContext = { file, locate };
  const { tags, problems } = tagIdProblems(root, ctx);
  return [
    ...problems,
    ...evidenceRatingProblems(root, ctx),
    ...stageProblems(root, ctx, tags),
    ...itemProblems(root, ctx, tags),
    ...glossaryProblems(root, ctx),
    ...renamedProblems(root, ctx),
  ];
}

function byPosition(a: Problem, b: Problem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/**
 * Check a parsed bank: the compiled schema, then the integrity checks. Returns the bank only when
 * there are no problems at all.
 */
export function validateBank(
  value: unknown,
  file: string,
  locate: Locate,
): { bank?: Bank; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!validateBankSchema(value)) {
    problems.push(...schemaProblems(validateBankSchema.errors ?? [], value, file, locate));
  }
  problems.push(...integrityProblems(value, file, locate));
  problems.sort(byPosition);
  return problems.length === 0 ? { bank: value as Bank, problems } : { problems };
}

/** Strict YAML, then `validateBank`: everything wrong with a bank file's text, or the bank. */
export function parseBank(text: string, file: string): { bank?: Bank; problems: Problem[] } {
  const parsed = parseYamlStrict(text, file);
  if (parsed.value === undefined) return { problems: parsed.problems };
  const checked = validateBank(parsed.value, file, parsed.locate);
  // A value the YAML check refused (an alias, a tag) reaches the schema as empty; one problem there is enough.
  const yamlLines = new Set(parsed.problems.map((p) => p.line));
  const rest = checked.problems.filter((p) => p.line === undefined || !yamlLines.has(p.line));
  // Bank text reaches every screen and document: no control characters in it (control-chars.ts).
  const controls = findControlCharactersInSource(text, 'yaml', 25).map((at) => ({
    file,
    line: at.line,
    column: at.column,
    message: controlCharacterInFileMessage(at),
  }));
  const problems = [...parsed.problems, ...rest, ...controls].sort(byPosition);
  return problems.length === 0 && checked.bank ? { bank: checked.bank, problems } : { problems };
}
