import { Chalk, type ChalkInstance } from 'chalk';
import { sanitizeForTerminal } from '../core/sanitize.ts';
import type { CommandContext } from '../shell/context.ts';

/**
 * Decide whether a stream gets colour. Order of precedence: `--no-color`, `NO_COLOR` (any non-empty
 * value, https://no-color.org — chalk alone ignores it), `FORCE_COLOR`, `TERM=dumb`, then whether the
 * stream is a terminal.
 */
export function colorLevel(ctx: CommandContext, stream: { isTTY?: boolean }): 0 | 1 | 2 | 3 {
  if (ctx.global.color === false) return 0;
  const env = ctx.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    if (force === '2') return 2;
    if (force === '3') return 3;
    return 1;
  }
  if (env.TERM === 'dumb') return 0;
  return stream.isTTY ? 1 : 0;
}

/** Colours and badges for one output stream. Meaning is always in the words; colour only helps. */
export interface Theme {
  color: boolean;
  c: ChalkInstance;
  /** `[KP1] [R4]`: tags as bracketed words. */
  badges(tags: readonly string[]): string;
  heading(text: string): string;
  dim(text: string): string;
  ok(text: string): string;
  warn(text: string): string;
  error(text: string): string;
  rating(rating: string | undefined): string;
  /** Untrusted text made safe to print (control characters shown as escapes). */
  safe(text: string): string;
}

export function makeTheme(ctx: CommandContext, stream: { isTTY?: boolean }): Theme {
  const level = colorLevel(ctx, stream);
  const c = new Chalk({ level });
  const color = level > 0;
  return {
    color,
    c,
    badges: (tags) => tags.map((t) => c.cyan(`[${t}]`)).join(' '),
    heading: (text) => c.bold(text),
    dim: (text) => c.dim(text),
    ok: (text) => c.green(text),
    warn: (text) => c.yellow(text),
    error: (text) => c.red(text),
    rating: (r) => {
      if (r === 'red') return c.red('RED');
      if (r === 'amber') return c.yellow('AMBER');
      if (r === 'green') return c.green('GREEN');
      return 'not rated';
    },
    safe: (text) => sanitizeForTerminal(text),
  };
}
