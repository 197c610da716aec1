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

/** Marks an error as one of ours, with the names of its class and of the classes it extends. */
const KIND = Symbol.for('kinship-reflect.error-kind');

/**
 * Our errors are recognised by name, not by which copy of the class made them: each command is
 * bundled into a file of its own (scripts/build.mjs), so a class such as UsageError can exist twice
 * in one process, and `instanceof` must still hold across the copies (and for a subclass, such as
 * CycleNotFoundError, be a UsageError too).
 */
export class KnownError extends Error {
  /** The class's name; each subclass sets its own. */
  static readonly kind: string = 'KnownError';
  readonly [KIND]: readonly string[];

  constructor(message?: string) {
    super(message);
    const kinds: string[] = [];
    for (
      let c: unknown = new.target;
      c !== KnownError && typeof c === 'function';
      c = Object.getPrototypeOf(c)
    ) {
      if (Object.hasOwn(c, 'kind')) kinds.push((c as typeof KnownError).kind);
    }
    this[KIND] = kinds;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const kinds = (value as { [KIND]?: unknown })[KIND];
    if (!Array.isArray(kinds)) return false;
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class asked about (UsageError…), a subclass
    const wanted = this.kind;
    return wanted === 'KnownError' || kinds.includes(wanted);
  }
}

/** The user asked for something that cannot be done as asked (bad flag, unknown id, no terminal). */
export class UsageError extends KnownError {
  static override readonly kind: string = 'UsageError';
  override readonly name = 'UsageError';
}

/**
 * The cycle asked for has no file (a usage error: exit code 2). Thrown instead of a message to match,
 * so that callers can tell "not there yet" from every other reason a read fails.
 */
export class CycleNotFoundError extends UsageError {
  static override readonly kind = 'CycleNotFoundError';
  constructor(
    message: string,
    /** The cycle's file, as shown to the user. */
    readonly file: string,
  ) {
    super(message);
  }
}

/** A file failed its checks; every problem is listed. Exit code 3. */
export class ValidationError extends KnownError {
  static override readonly kind = 'ValidationError';
  override readonly name = 'ValidationError';
  constructor(
    readonly problems: Problem[],
    summary?: string,
  ) {
    super(summary ?? `${problems.length} problem${problems.length === 1 ? '' : 's'} found`);
  }
}

/** Something went wrong that is not the user's input (disk full, permission denied…). Exit code 1. */
export class FailureError extends KnownError {
  static override readonly kind = 'FailureError';
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
export class FindingsError extends KnownError {
  static override readonly kind = 'FindingsError';
  override readonly name = 'FindingsError';
}

/** The user pressed Ctrl-C. Exit code 130. */
export class InterruptedError extends KnownError {
  static override readonly kind = 'InterruptedError';
  override readonly name = 'InterruptedError';
}

/** The command found differences and was asked to say so through its exit code (`diff --exit-code`). */
export class DifferencesFound extends KnownError {
  static override readonly kind = 'DifferencesFound';
  override readonly name = 'DifferencesFound';
}
