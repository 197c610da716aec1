/**
 * What git's merge driver writes for a cycle file or a report, from the three versions git hands it.
 * Pure: `commands/git.ts` reads and writes the files.
 *
 * Cycle files are merged item by item (`merge-cycles.ts`); conflicts are kept in the file as
 * structured conflicts. Reports are never merged as text: each version is read back into its answers
 * (a report shows everything a cycle holds except dates), those are merged the same way, and the
 * result is rendered, so the merged report is exactly what `export` would write for the merged
 * cycle. A report edited by hand on one side is a pending import: that side's file is kept whole
 * (its fingerprints let `import` bring the edits in later). Edited on both sides, or unreadable:
 * undefined, and git's line merge is used instead.
 */
import { newCycle, serializeCycle } from './cycle.ts';
import { parseCycleText } from './cycle-validate.ts';
import { mergeCycles } from './merge-cycles.ts';
import { isReportHandEdited, renderReport } from './report.ts';
import { parseReport } from './report-parse.ts';
import { storedConflict } from './three-way.ts';
import type { Bank, CycleFile } from './types.ts';

export interface DriverResult {
  text: string;
  /** Items left for `git resolve` (the driver then exits 1). */
  conflicts: number;
  /** Said on stderr. */
  note?: string;
}

type Versions = [base: string, ours: string, theirs: string];

function cycleOf(text: string, bank: Bank): CycleFile | undefined {
  return parseCycleText(text, 'merge', bank, { allowConflicts: true }).cycle;
}

function mergeCycleTexts(bank: Bank, path: string, [base, ours, theirs]: Versions): DriverResult | undefined {
  const o = cycleOf(ours, bank);
  const t = cycleOf(theirs, bank);
  if (!o || !t) return undefined;
  const b = base.trim() === '' ? newCycle(o.cycle, o.authority, bank) : cycleOf(base, bank);
  if (!b) return undefined;
  const { cycle, conflicts } = mergeCycles(b, o, t);
  const carried = [...(o.conflicts ?? []), ...(t.conflicts ?? [])];
  const all = [...carried, ...conflicts.map(storedConflict)];
  if (all.length > 0) cycle.conflicts = all;
  else delete cycle.conflicts;
  const cycleId = (path.split(/[\\/]/).pop() ?? path).replace(/\.json$/i, '');
  return {
    text: serializeCycle(cycle, bank),
    conflicts: all.length,
    ...(all.length > 0
      ? {
          note: `${all.length} item${all.length === 1 ? '' : 's'} changed on both sides: run kinship-reflect git resolve ${cycleId}`,
        }
      : {}),
  };
}

/** The cycle a report shows (dates aside, which reports do not show). */
function reportCycle(text: string, bank: Bank): CycleFile | undefined {
  const { cycle, problems } = parseReport(text, bank);
  if (problems.length > 0 || cycle.cycle === undefined || cycle.bank === undefined) return undefined;
  return { ...newCycle(cycle.cycle, cycle.authority ?? '', bank), ...cycle, bank: cycle.bank } as CycleFile;
}

function mergeReportTexts(bank: Bank, [base, ours, theirs]: Versions): DriverResult | undefined {
  const oursEdited = isReportHandEdited(ours);
  const theirsEdited = isReportHandEdited(theirs);
  const pending = 'holds edits made by hand; bring them in with kinship-reflect import';
  if (oursEdited && theirsEdited) return undefined;
  if (oursEdited) return { text: ours, conflicts: 0, note: `our report ${pending}` };
  if (theirsEdited) return { text: theirs, conflicts: 0, note: `their report ${pending}` };
  const o = reportCycle(ours, bank);
  const t = reportCycle(theirs, bank);
  if (!o || !t) return undefined;
  const b = base.trim() === '' ? newCycle(o.cycle, o.authority, bank) : reportCycle(base, bank);
  if (!b) return undefined;
  // items both sides changed show our version until git resolve renders the report again
  return { text: renderReport(bank, mergeCycles(b, o, t).cycle), conflicts: 0 };
}

/** The merged file for `path`, or undefined when git's own line merge should be used. */
export function mergeDriverResult(bank: Bank, path: string, versions: Versions): DriverResult | undefined {
  if (/\.json$/i.test(path)) return mergeCycleTexts(bank, path, versions);
  if (/\.(md|markdown)$/i.test(path)) return mergeReportTexts(bank, versions);
  return undefined;
}
