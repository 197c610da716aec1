import {
  DifferencesFound,
  EXIT,
  FailureError,
  FindingsError,
  formatProblem,
  InterruptedError,
  UsageError,
  ValidationError,
} from '../core/errors.ts';
import { sanitizeForTerminal } from '../core/sanitize.ts';
import { wrapText } from '../core/wrap.ts';
import type { CommandContext } from './context.ts';
import { humanWidth } from './human-output.ts';

/**
 * The single place where errors become messages and exit codes. Known errors print a plain message;
 * anything unexpected prints one line and, only with --verbose, the stack.
 */
export function reportError(error: unknown, ctx: CommandContext | undefined): number {
  const stderr = ctx?.stderr ?? process.stderr;
  // wrapped at word boundaries: to a terminal's width (it would cut words), else to 80 columns
  const width = humanWidth(stderr);
  const write = (s: string) => {
    stderr.write(`${wrapText(sanitizeForTerminal(s), width)}\n`);
  };
  if (error instanceof ValidationError) {
    for (const p of error.problems) write(formatProblem(p));
    write(`kinship-reflect: ${error.message}`);
    return EXIT.validation;
  }
  if (error instanceof UsageError) {
    write(`kinship-reflect: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof FindingsError) {
    write(`kinship-reflect: ${error.message}`);
    return EXIT.validation;
  }
  if (error instanceof InterruptedError) {
    write(`kinship-reflect: ${error.message || 'interrupted'}`);
    return EXIT.interrupted;
  }
  if (error instanceof DifferencesFound) return EXIT.failure;
  if (error instanceof FailureError) {
    write(`kinship-reflect: ${error.message}`);
    if (error.hint) write(error.hint);
    return EXIT.failure;
  }
  const err = error as NodeJS.ErrnoException;
  const message = err?.message ?? String(error);
  write(`kinship-reflect: unexpected error: ${message}`);
  if (ctx?.global.verbose && err?.stack) write(err.stack);
  else write('Run again with --verbose for details, and please report this as a bug.');
  return EXIT.failure;
}
