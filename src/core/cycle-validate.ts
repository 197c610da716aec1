/**
 * Checking a cycle file: JSON syntax, the compiled schema, then what a schema cannot say (format
 * version, statuses that fit the item's kind, duplicate action ids, unknown recommendations).
 */

import validateCycleSchema from '../generated/validate-cycle.js';
import { findItem } from './bank.ts';
import { statusesFor } from './cycle.ts';
import { isValidIsoDate } from './dates.ts';
import type { Problem } from './errors.ts';
import { locateJsonPath, locateJsonPaths, parseJsonSafely } from './json-text.ts';
import { findConflictMarkers, unresolvedMergeProblem } from './merge-markers.ts';
import { type Bank, CYCLE_FORMAT, type CycleFile } from './types.ts';

/** Cycle files larger than this are refused before parsing. */
export const MAX_CYCLE_BYTES = 16 * 1024 * 1024;

/** At most this many schema problems are listed (each is located by scanning the text). */
export const MAX_LISTED_PROBLEMS = 20;

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function pathOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describeAjvError(e: AjvError): string {
  const where = e.instancePath === '' ? 'the file' : `"${pathOf(e.instancePath).join('.')}"`;
  switch (e.keyword) {
    case 'required':
      return `${where} is missing "${String(e.params.missingProperty)}"`;
    case 'additionalProperties':
      return `${where} has an unexpected field "${String(e.params.additionalProperty)}" (check its spelling)`;
    case 'enum':
      return `${where} must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`;
    case 'type':
      return `${where} must be ${String(e.params.type)}`;
    case 'pattern':
      return `${where} ${e.message ?? 'has the wrong form'}`;
    case 'const':
      return `${where} must be ${JSON.stringify(e.params.allowedValue)}`;
    default:
      return `${where} ${e.message ?? 'is not valid'}`;
  }
}

/** The item id a JSON pointer is about, when it points into `answers`. */
function itemOf(path: string[]): string | undefined {
  if (path[0] === 'answers' && path[1] !== undefined) return path[1];
  return undefined;
}

/**
 * Parse and check the text of a cycle file. With a bank, also checks statuses against item kinds and
 * priorities against the bank's recommendations. Answers to items the bank does not have are not
 * problems: they are kept and reported separately (`orphanAnswerIds`).
 */
export function parseCycleText(
  text: string,
  file: string,
  bank?: Bank,
  /** `git resolve` reads a cycle holding a merge's structured conflicts; everything else refuses it. */
  opts: { allowConflicts?: boolean } = {},
): { cycle?: CycleFile; problems: Problem[] } {
  const shaped = parseCycleShape(text, file);
  if (!shaped.cycle) return { problems: shaped.problems };
  const cycle = shaped.cycle;
  if (!opts.allowConflicts && cycle.conflicts !== undefined && cycle.conflicts.length > 0) {
    const at = locateJsonPath(text, ['conflicts']);
    return { problems: [unresolvedMergeProblem(file, at?.line ?? 1)] };
  }
  // each problem is located in the text when it is found
  const problem = (path: Array<string | number>, message: string, item?: string): Problem => ({
    file,
    ...(locateJsonPath(text, path) ?? {}),
    ...(item ? { item } : {}),
    message,
  });
  const problems = [
    ...repeatedActionIds(cycle, problem),
    ...impossibleDates(cycle, problem),
    ...(bank ? misfitsOfBank(cycle, bank, problem) : []),
  ];
  return problems.length > 0 ? { problems } : { cycle, problems };
}

type LocatedProblem = (path: Array<string | number>, message: string, item?: string) => Problem;

/**
 * The checks of the file's form: its size, merge-conflict markers, JSON, a format this version reads,
 * and the schema. A cycle only when all of them pass.
 */
function parseCycleShape(text: string, file: string): { cycle?: CycleFile; problems: Problem[] } {
  if (text.length > MAX_CYCLE_BYTES) {
    return {
      problems: [
        {
          file,
          message: `the file is ${(text.length / 1048576).toFixed(1)} MB; cycle files are limited to 16 MB`,
        },
      ],
    };
  }
  // a merge left unresolved is not a syntax error to fix by hand: say so and how to settle it
  const conflictLine = findConflictMarkers(text);
  if (conflictLine !== undefined) return { problems: [unresolvedMergeProblem(file, conflictLine)] };
  const { value, problems } = parseJsonSafely(text, file);
  if (problems.length > 0) return { problems };
  const doc = value as Record<string, unknown> | null;
  if (doc && typeof doc === 'object' && typeof doc.format === 'number' && doc.format > CYCLE_FORMAT) {
    return {
      problems: [
        {
          file,
          ...(locateJsonPath(text, ['format']) ?? {}),
          message: `written by a newer version of kinship-reflect (cycle format ${doc.format}; this version reads format ${CYCLE_FORMAT}). Upgrade kinship-reflect to open it.`,
        },
      ],
    };
  }
  if (validateCycleSchema(value)) return { cycle: value as CycleFile, problems };
  const errors = (validateCycleSchema.errors ?? []) as AjvError[];
  // a file with thousands of bad values would bury the first ones: list a few and count the rest
  const listed = errors.slice(0, MAX_LISTED_PROBLEMS);
  const paths = listed.map((e) => pathOf(e.instancePath));
  const positions = locateJsonPaths(text, paths);
  listed.forEach((e, i) => {
    const item = itemOf(paths[i] ?? []);
    problems.push({ file, ...(positions[i] ?? {}), ...(item ? { item } : {}), message: describeAjvError(e) });
  });
  const more = errors.length - MAX_LISTED_PROBLEMS;
  if (more > 0)
    problems.push({ file, message: `… and ${more} more problem${more === 1 ? '' : 's'} of the same kind` });
  return { problems };
}

function repeatedActionIds(cycle: CycleFile, problem: LocatedProblem): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  cycle.actions.forEach((a, i) => {
    if (seen.has(a.id))
      out.push(problem(['actions', i, 'id'], `action id "${a.id}" is used twice; give one of them a new id`));
    seen.add(a.id);
  });
  return out;
}

/**
 * The schema checks a date's shape; the calendar decides whether the day exists (2026-02-31 does not).
 * A cycle's answers share a few dates (the days they were written), so each date is checked once: on
 * every answer, the check and its path cost ~0.1 ms of each read, and made V8 optimise
 * `isValidIsoDate` on a background thread while the command ran (on a 2-core machine, CPU taken
 * from the command and the garbage collector).
 */
function impossibleDates(cycle: CycleFile, problem: LocatedProblem): Problem[] {
  const out: Problem[] = [];
  const valid = new Set<string>();
  const exists = (date: string | undefined): boolean => {
    if (date === undefined || valid.has(date)) return true;
    if (!isValidIsoDate(date)) return false;
    valid.add(date);
    return true;
  };
  const report = (date: string, path: Array<string | number>, item?: string) =>
    out.push(
      problem(path, `"${date}" is not a day of the calendar; write a date that exists, as YYYY-MM-DD`, item),
    );
  const answers = cycle.answers;
  for (const id in answers) {
    if (!Object.hasOwn(answers, id)) continue;
    const date = answers[id]?.changed;
    if (!exists(date)) report(date as string, ['answers', id, 'changed'], id);
  }
  cycle.actions.forEach((a, i) => {
    if (!exists(a.due)) report(a.due as string, ['actions', i, 'due']);
    a.history.forEach((h, j) => {
      if (!exists(h.date)) report(h.date, ['actions', i, 'history', j, 'date']);
    });
  });
  return out;
}

/** Statuses that do not fit their item's kind, and priorities that are not the bank's Recommendations. */
function misfitsOfBank(cycle: CycleFile, bank: Bank, problem: LocatedProblem): Problem[] {
  const out: Problem[] = [];
  for (const [id, answer] of Object.entries(cycle.answers)) {
    const item = findItem(bank, id);
    if (!item) continue;
    const allowed = statusesFor(item);
    if (!allowed.includes(answer.status))
      out.push(
        problem(
          ['answers', id, 'status'],
          `status "${answer.status}" does not fit a ${item.kind} item (allowed: ${allowed.join(', ')})`,
          id,
        ),
      );
  }
  const recs = new Set(bank.recommendations.map((r) => r.id));
  cycle.priorities.forEach((p, i) => {
    if (!recs.has(p.recommendation))
      out.push(
        problem(
          ['priorities', i, 'recommendation'],
          `priority "${p.recommendation}" is not a recommendation of bank "${bank.id}" (known: ${[...recs].join(', ')})`,
        ),
      );
  });
  return out;
}
