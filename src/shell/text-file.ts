import { ValidationError } from '../core/errors.ts';
import { decodeUtf8, describeUtf8Problem } from '../core/utf8.ts';

/**
 * The text of a file the tool read, as strict UTF-8 (a byte-order mark dropped). Bytes that are not
 * UTF-8 are a ValidationError naming the byte offset, never silently replaced: a replaced character
 * would be saved back and the original lost.
 */
export function decodeTextFile(bytes: Uint8Array, shown: string): string {
  const decoded = decodeUtf8(bytes);
  if ('text' in decoded) return decoded.text;
  const p = decoded.problem;
  throw new ValidationError(
    [{ file: shown, line: p.line, column: p.column, message: describeUtf8Problem(p) }],
    `${shown} is not UTF-8 text; it was left untouched`,
  );
}
