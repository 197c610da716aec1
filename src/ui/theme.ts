import type { ChalkInstance } from 'chalk';
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
  /** `[KP1] [R4]`: tags as bracketed words. */
  badges(tags: readonly string[]): string;
  heading(text: string): string;
  dim(text: string): string;
  ok(text: string): string;
  warn(text: string): string;
  error(text: string): string;
  /** Added and removed lines and words in a diff (the words "added:"/"removed:" carry the meaning). */
  added(text: string): string;
  removed(text: string): string;
  /** The changed words inside a changed line (a Theme is a `DiffTheme` of the core's diff renderer). */
  addedWord(text: string): string;
  removedWord(text: string): string;
  rating(rating: string | undefined): string;
  /** Untrusted text made safe to print (control characters shown as escapes). */
  safe(text: string): string;
}

const same = (text: string) => text;

function themeWith(c: ChalkInstance | undefined): Theme {
  const style = (f: ((t: string) => string) | undefined) => f ?? same;
  return {
    color: c !== undefined,
    badges: (tags) => tags.map((t) => style(c?.cyan)(`[${t}]`)).join(' '),
    heading: style(c?.bold),
    dim: style(c?.dim),
    ok: style(c?.green),
    warn: style(c?.yellow),
    error: style(c?.red),
    added: style(c?.green),
    removed: style(c?.red),
    addedWord: style(c?.inverse),
    removedWord: style(c?.inverse),
    rating: (r) => {
      if (r === 'red') return style(c?.red)('RED');
      if (r === 'amber') return style(c?.yellow)('AMBER');
      if (r === 'green') return style(c?.green)('GREEN');
      return 'not rated';
    },
    safe: (text) => sanitizeForTerminal(text),
  };
}

/** The theme without colour: every style is the identity. */
export const PLAIN_THEME: Theme = themeWith(undefined);

/**
 * The theme for a stream. chalk is loaded only when the stream gets colour, so output to a pipe,
 * `--json` and `NO_COLOR` runs never pay for importing it.
 */
export async function makeTheme(ctx: CommandContext, stream: { isTTY?: boolean }): Promise<Theme> {
  const level = colorLevel(ctx, stream);
  if (level === 0) return PLAIN_THEME;
  const { Chalk } = await import('chalk');
  return themeWith(new Chalk({ level }));
}
