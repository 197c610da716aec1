/**
 * Git's conflict markers (`<<<<<<<`, `|||||||`, `=======`, `>>>>>>>`) left in a cycle file or a
 * report by a merge that was not resolved. Every command that reads such a file says so, with the
 * line, and points to `kinship-reflect git resolve` instead of a JSON or report syntax error.
 */
import { type Problem, ValidationError } from './errors.ts';

/** The 1-based line of the first conflict marker, or undefined when there is none. */
export function findConflictMarkers(text: string): number | undefined {
  const m = /^<{7}(?: |\r?$)/m.exec(text);
  if (!m) return undefined;
  // the opening marker must be followed by a separator: `<<<<<<<` alone in an answer is just text
  const rest = text.slice(m.index);
  if (!/^={7}\r?$/m.test(rest) || !/^>{7}(?: |\r?$)/m.test(rest)) return undefined;
  return text.slice(0, m.index).split('\n').length;
}

/** The cycle id a cycle file or report path names (`reflections/2026-27.json` → `2026-27`). */
export function cycleIdOfPath(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.(json|md)$/i, '');
}

/** The message every command gives for conflict markers in a cycle file or report. */
export function unresolvedMergeMessage(file: string, line: number, cycle = cycleIdOfPath(file)): string {
  return `unresolved merge conflict at ${file}:${line} — run kinship-reflect git resolve ${cycle}`;
}

export function unresolvedMergeProblem(file: string, line: number, cycle = cycleIdOfPath(file)): Problem {
  return { file, line, message: unresolvedMergeMessage(file, line, cycle) };
}

/** `unresolved merge conflict at FILE:LINE — run kinship-reflect git resolve CYCLE` (exit 3). */
export function unresolvedMergeError(
  file: string,
  line: number,
  cycle = cycleIdOfPath(file),
): ValidationError {
  const problem = unresolvedMergeProblem(file, line, cycle);
  return new ValidationError([problem], problem.message);
}

/** The two sides (and, from diff3-style markers, the base) of a file holding git's raw markers. */
export interface SplitConflict {
  ours: string;
  theirs: string;
  /** Only when every conflict carried its base section (`|||||||`, merge.conflictStyle diff3). */
  base: string | undefined;
}

/**
 * Split a file holding git's conflict markers into our version and theirs (the approach of npm's
 * parse-conflict-json, which does this for package-lock.json): lines outside the conflicts belong to
 * both, each conflict's first part to ours and its last part to theirs.
 */
export function splitConflictText(text: string): SplitConflict {
  const ours: string[] = [];
  const theirs: string[] = [];
  const base: string[] = [];
  let state: 'both' | 'ours' | 'base' | 'theirs' = 'both';
  let baseComplete = true;
  let sawBase = false;
  for (const line of text.split('\n')) {
    if (/^<{7}(?: |\r?$)/.test(line) && state === 'both') {
      state = 'ours';
      sawBase = false;
    } else if (/^\|{7}(?: |\r?$)/.test(line) && state === 'ours') {
      state = 'base';
      sawBase = true;
    } else if (/^={7}\r?$/.test(line) && (state === 'ours' || state === 'base')) {
      if (!sawBase) baseComplete = false;
      state = 'theirs';
    } else if (/^>{7}(?: |\r?$)/.test(line) && state === 'theirs') state = 'both';
    else {
      if (state === 'both' || state === 'ours') ours.push(line);
      if (state === 'both' || state === 'theirs') theirs.push(line);
      if (state === 'both' || state === 'base') base.push(line);
    }
  }
  return {
    ours: ours.join('\n'),
    theirs: theirs.join('\n'),
    base: baseComplete ? base.join('\n') : undefined,
  };
}
