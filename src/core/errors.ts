/**
 * Typed errors. Handlers throw these; only `src/main.ts` turns them into messages and exit codes.
 */

/** One thing wrong with a file, located as precisely as we can. */
export interface Problem {
  file: string;
  line?: number;
  column?: number;
  /** The item (or answer, action…) the problem concerns, when known. */
  item?: string;
  message: string;
}

/** `file:line:column item "x": message` — the one format every problem is printed in. */
export function formatProblem(p: Problem): string {
  let where = p.file;
  if (p.line !== undefined) {
    where += `:${p.line}`;
    if (p.column !== undefined) where += `:${p.column}`;
  }
  const item = p.item ? ` item "${p.item}"` : '';
  return `${where}${item}: ${p.message}`;
}

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  validation: 3,
  interrupted: 130,
} as const;

/** The user asked for something that cannot be done as asked (bad flag, unknown id, no terminal). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A file failed its checks; every problem is listed. Exit code 3. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    readonly problems: Problem[],
    summary?: string,
  ) {
    super(summary ?? `${problems.length} problem${problems.length === 1 ? '' : 's'} found`);
  }
}

/** Something went wrong that is not the user's input (disk full, permission denied…). Exit code 1. */
export class FailureError extends Error {
  override readonly name = 'FailureError';
  constructor(
    message: string,
    /** What the user can do about it. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Personal data found (exit 3), reported separately from validation. */
export class FindingsError extends Error {
  override readonly name = 'FindingsError';
}

/** The user pressed Ctrl-C. Exit code 130. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

/** The command found differences and was asked to say so through its exit code (`diff --exit-code`). */
export class DifferencesFound extends Error {
  override readonly name = 'DifferencesFound';
}
