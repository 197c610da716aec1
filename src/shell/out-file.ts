/**
 * Files named with `--out`. The tool overwrites such a file only when it wrote it itself (it holds
 * output of the same kind: a report with its intact checksum, a CSV with the same header row, JSON of
 * the same format) or when `--force` is given: `--out budget.csv` must not destroy someone's
 * spreadsheet. A folder, a link or a device in the way is refused with a message, not a system error.
 */
import { promises as fs } from 'node:fs';
import { UsageError } from '../core/errors.ts';
import { findConflictMarkers, unresolvedMergeError } from '../core/merge-markers.ts';
import { isReportHandEdited } from '../core/report.ts';
import { writeFileAtomic } from './atomic-write.ts';

/** What kind of output is about to be written, to recognise an earlier copy of it. */
export type OutKind = 'report' | 'markdown' | 'csv' | 'json' | 'binary';

/** Larger files are never taken for earlier output (every output of the tool is far smaller). */
const MAX_RECOGNISED_BYTES = 64 * 1024 * 1024;

function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

function jsonShape(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const format = (value as { format?: unknown }).format;
    return format === undefined ? Object.keys(value).sort().join(',') : `format:${String(format)}`;
  } catch {
    return undefined;
  }
}

/** True when `existing` is output the tool wrote, of the kind `output` is. */
export function isEarlierOutput(kind: OutKind, existing: string, output: string): boolean {
  if (existing === output) return true;
  switch (kind) {
    case 'report':
      return !isReportHandEdited(existing);
    case 'binary':
      return false;
    case 'markdown':
    case 'csv':
      return firstLine(existing) !== '' && firstLine(existing) === firstLine(output);
    case 'json': {
      const shape = jsonShape(existing);
      return shape !== undefined && shape === jsonShape(output);
    }
  }
}

/**
 * Write `output` to `target` (shown as `shown`) atomically, unless something the tool did not write
 * is there and `force` is not set. `handEdited` words the refusal for a hand-edited report.
 */
export async function writeOutFile(
  target: string,
  shown: string,
  output: string | Uint8Array,
  opts: {
    kind: OutKind;
    force?: boolean;
    handEdited?: string;
  },
): Promise<void> {
  const st = await fs.lstat(target).catch(() => undefined);
  if (st?.isDirectory()) {
    throw new UsageError(`${shown} is a folder; give --out the name of a file (such as ${shown}/report.md).`);
  }
  if (st && !opts.force) {
    if (!st.isFile()) {
      throw new UsageError(
        `${shown} is ${st.isSymbolicLink() ? 'a link' : 'not a regular file'}, so it was not overwritten; give --out the name of a file, or add --force to replace it.`,
      );
    }
    const bytes =
      st.size > MAX_RECOGNISED_BYTES ? undefined : await fs.readFile(target).catch(() => undefined);
    // a binary document (Word) is recognised only as the very same bytes; text by its kind
    const same = bytes !== undefined && typeof output !== 'string' && Buffer.compare(bytes, output) === 0;
    const existing = bytes?.toString('utf8');
    const ours =
      same ||
      (existing !== undefined && typeof output === 'string' && isEarlierOutput(opts.kind, existing, output));
    if (!ours) {
      const conflictLine = existing === undefined ? undefined : findConflictMarkers(existing);
      if (opts.kind === 'report' && conflictLine !== undefined)
        throw unresolvedMergeError(shown, conflictLine);
      if (
        opts.kind === 'report' &&
        opts.handEdited &&
        existing !== undefined &&
        /<!-- kinship-reflect:/.test(existing)
      ) {
        throw new UsageError(opts.handEdited);
      }
      throw new UsageError(
        `${shown} already exists and was not written by kinship-reflect, so it was not overwritten; ` +
          'choose another name, or add --force to replace it.',
      );
    }
  }
  await writeFileAtomic(target, output);
}
