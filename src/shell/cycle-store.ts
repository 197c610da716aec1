import { promises as fs } from 'node:fs';
import path from 'node:path';
import { applyRenames, assertCycleId, isValidCycleId, newCycle, serializeCycle } from '../core/cycle.ts';
import { MAX_CYCLE_BYTES, parseCycleText } from '../core/cycle-validate.ts';
import { CycleNotFoundError, type Problem, UsageError, ValidationError } from '../core/errors.ts';
import { locateJsonPath } from '../core/json-text.ts';
import { findConflictMarkers, unresolvedMergeMessage } from '../core/merge-markers.ts';
import { isReportHandEdited, renderReport } from '../core/report.ts';
import { sanitizeInline } from '../core/sanitize.ts';
import type { Bank, CycleFile } from '../core/types.ts';
import { BUILTIN_BANK_IDS, isBuiltinBankId } from '../generated/banks.ts';
import { cleanStrayTempFiles, writeFileAtomic } from './atomic-write.ts';
import { readFileCapped, readSmallText } from './files.ts';
import { withLock } from './lock.ts';
import type { Workspace } from './workspace.ts';

export { assertCycleId, writeFileAtomic };

export function cyclePath(ws: Pick<Workspace, 'dir'>, id: string): string {
  assertCycleId(id);
  return path.join(ws.dir, `${id}.json`);
}

export function reportPath(ws: Pick<Workspace, 'dir'>, id: string): string {
  return path.join(ws.dir, `${id}.md`);
}

/**
 * A report the user names (to import or to check): links followed, as for any file the user names;
 * no larger than a cycle file may be; a FIFO or device refused without being opened.
 */
export function readReportText(file: string, shown: string): string {
  const text = readFileCapped(file, {
    shown,
    maxBytes: MAX_CYCLE_BYTES,
    links: 'follow',
    tooLarge: () => new UsageError(`${shown} is over ${MAX_CYCLE_BYTES / 1048576} MB; that is not a report.`),
  });
  if (text === undefined) throw new UsageError(`cannot read ${shown}: there is no such file`);
  return text;
}

/**
 * The text of a cycle file, read under the rules of `shell/files.ts` (a regular file, not a link, at
 * most 16 MB); undefined when there is none.
 */
export function readCycleText(file: string, shownAs = file): string | undefined {
  return readFileCapped(file, {
    shown: shownAs,
    maxBytes: MAX_CYCLE_BYTES,
    links: 'refuse',
    tooLarge: (size) =>
      new ValidationError([
        {
          file,
          message: `the file is ${(size / 1048576).toFixed(1)} MB; cycle files are limited to ${MAX_CYCLE_BYTES / 1048576} MB`,
        },
      ]),
  });
}

/**
 * What a cycle file must agree with beyond its own content: the id its file name gives it (a file in
 * a workspace is listed under its name, so `z9.json` saying `"cycle": "2026-27"` would be shown as
 * the wrong cycle), and the bank: a built-in one or the one given.
 */
function checkIdentity(
  cycle: CycleFile,
  text: string,
  shownAs: string,
  expectId?: string,
  bank?: Bank,
): void {
  const problems: Problem[] = [];
  if (expectId !== undefined && cycle.cycle !== expectId) {
    problems.push({
      file: shownAs,
      ...(locateJsonPath(text, ['cycle']) ?? {}),
      message:
        `the file is named ${expectId}.json but its "cycle" field says "${sanitizeInline(cycle.cycle)}"; ` +
        `rename the file to ${isValidCycleId(cycle.cycle) ? `${cycle.cycle}.json` : 'match the field'} or correct the field to "${expectId}"`,
    });
  }
  const id = cycle.bank.id;
  if (!isBuiltinBankId(id) && id !== bank?.id) {
    problems.push({
      file: shownAs,
      ...(locateJsonPath(text, ['bank', 'id']) ?? {}),
      message:
        `the question bank "${sanitizeInline(id)}" is neither built in (${BUILTIN_BANK_IDS.join(', ')}) nor the bank given; ` +
        'give its YAML file with --bank <file>, or correct "bank.id"',
    });
  }
  if (problems.length > 0) {
    throw new ValidationError(problems, `${shownAs} does not check out; it was left untouched`);
  }
}

/** Read and check any cycle file. Throws UsageError when missing, ValidationError when it does not check out. */
export async function readCycleFile(
  file: string,
  bank?: Bank,
  shownAs = file,
  expectId?: string,
): Promise<CycleFile> {
  const text = readCycleText(file, shownAs);
  if (text === undefined) throw new CycleNotFoundError(`there is no cycle file ${shownAs}`, shownAs);
  const { cycle, problems } = parseCycleText(text, shownAs, bank);
  if (!cycle) {
    throw new ValidationError(problems, `${shownAs} is not a valid cycle file; it was left untouched`);
  }
  checkIdentity(cycle, text, shownAs, expectId, bank);
  if (bank) applyRenames(cycle, bank);
  return cycle;
}

async function readCycleOrUndefined(ws: Workspace, id: string): Promise<CycleFile | undefined> {
  try {
    return await readCycleFile(
      cyclePath(ws, id),
      ws.bank,
      path.join(path.basename(ws.dir), `${id}.json`),
      id,
    );
  } catch (error) {
    if (error instanceof CycleNotFoundError) return undefined;
    throw error;
  }
}

/** Read a cycle of the workspace. */
export async function readCycle(ws: Workspace, id: string): Promise<CycleFile> {
  const cycle = await readCycleOrUndefined(ws, id);
  if (!cycle) {
    const { listCycleIds } = await import('./workspace.ts');
    const ids = await listCycleIds(ws);
    throw new CycleNotFoundError(
      `there is no cycle "${id}" in this workspace${ids.length ? ` (cycles: ${ids.join(', ')})` : ''}.`,
      cyclePath(ws, id),
    );
  }
  return cycle;
}

export async function cycleExists(ws: Workspace, id: string): Promise<boolean> {
  try {
    await fs.access(cyclePath(ws, id));
    return true;
  } catch {
    return false;
  }
}

export interface UpdateOptions {
  /** Create the cycle when it does not exist. */
  create?: boolean;
  /** Overwrite a hand-edited report. */
  force?: boolean;
  /** Told about things the user should know (a report left alone, stray files removed). */
  warn?: (message: string) => void;
}

/**
 * Change a cycle safely: under a lock, read the file as it is now on disk, apply `mutate`, and write
 * it back atomically — only if it changed — together with its report. Two processes saving the same
 * cycle each see the other's answers. A corrupt file is never written over.
 */
export async function updateCycle(
  ws: Workspace,
  id: string,
  mutate: (cycle: CycleFile) => void,
  opts: UpdateOptions = {},
): Promise<CycleFile> {
  const file = cyclePath(ws, id);
  const lock = path.join(ws.dir, `.${id}.lock`);
  return withLock(
    lock,
    async () => {
      let cycle = await readCycleOrUndefined(ws, id);
      let before: string | undefined;
      if (!cycle) {
        if (!opts.create) throw new CycleNotFoundError(`there is no cycle "${id}" in this workspace.`, file);
        cycle = newCycle(id, ws.config.authority, ws.bank);
      } else {
        before = serializeCycle(cycle, ws.bank);
      }
      mutate(cycle);
      const after = serializeCycle(cycle, ws.bank);
      if (after !== before) {
        const onDisk = readOrUndefined(() => readCycleText(file));
        if (onDisk !== after) await writeFileAtomic(file, after);
      }
      if (ws.config.report) await writeReport(ws, cycle, opts);
      return cycle;
    },
    { guards: file },
  );
}

/**
 * Write `<cycle>.md` beside the data unless it was edited by hand since the tool wrote it (then say so
 * and point to `import`, or `--force`).
 */
export async function writeReport(ws: Workspace, cycle: CycleFile, opts: UpdateOptions = {}): Promise<void> {
  const target = reportPath(ws, cycle.cycle);
  const report = renderReport(ws.bank, cycle);
  // a report that cannot be read (a FIFO in its place, a broken encoding) is written over
  const existing = readOrUndefined(() => readSmallText(target, target, MAX_CYCLE_BYTES));
  if (existing === report) return;
  const conflictLine = existing === undefined ? undefined : findConflictMarkers(existing);
  if (conflictLine !== undefined && !opts.force) {
    opts.warn?.(
      `${cycle.cycle}.md was not updated: ${unresolvedMergeMessage(`${cycle.cycle}.md`, conflictLine, cycle.cycle)}.`,
    );
    return;
  }
  if (existing !== undefined && !opts.force && isReportHandEdited(existing)) {
    opts.warn?.(
      `${cycle.cycle}.md was edited by hand, so it was not updated. Bring your edits in with ` +
        `"kinship-reflect import ${cycle.cycle}.md --cycle ${cycle.cycle}", or overwrite it with --force.`,
    );
    return;
  }
  await writeFileAtomic(target, report);
}

/** What `read` gives, or undefined when it throws. */
function readOrUndefined(read: () => string | undefined): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Tidy the workspace folder: remove temp files left by a killed process. */
export async function tidyWorkspace(ws: Pick<Workspace, 'dir'>): Promise<string[]> {
  return cleanStrayTempFiles(ws.dir);
}

/**
 * Action ids used by any cycle of the workspace (other than `except`), so a new action never takes
 * the id of an earlier one. Files that cannot be read are passed over: they are reported elsewhere.
 */
export async function actionIdsInWorkspace(ws: Workspace, except?: string): Promise<string[]> {
  const { listCycleIds } = await import('./workspace.ts');
  const ids: string[] = [];
  for (const id of await listCycleIds(ws)) {
    if (id === except) continue;
    try {
      const doc = JSON.parse(readCycleText(cyclePath(ws, id)) ?? '') as {
        actions?: { id?: unknown }[];
      };
      for (const a of doc.actions ?? []) if (typeof a?.id === 'string') ids.push(a.id);
    } catch {
      /* unreadable: reported by the commands that read it */
    }
  }
  return ids;
}
