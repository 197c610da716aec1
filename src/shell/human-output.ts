/**
 * Text for people, wrapped at word boundaries: a terminal would cut words, and a pipe or a log reads
 * best at 80 columns (`humanWidth`). Kept apart from `context.ts`, which the entry point loads before
 * any command: the wrapping is only loaded by the commands that print.
 */
import { wrapText } from '../core/wrap.ts';
import { humanWidth, type Output } from './context.ts';

export { humanWidth };

/**
 * Write text for people (messages, tables, help) to `out`, wrapped at word boundaries to
 * `humanWidth`. Data (JSON, CSV, documents, completion scripts) is written with `out.write`, never
 * through this.
 */
export function writeHuman(out: Output, text: string): boolean {
  return out.write(wrapText(text, humanWidth(out)));
}
