import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CommandOptions } from '../command-spec.ts';
import { UsageError } from '../core/errors.ts';
import { findConflictMarkers, unresolvedMergeError } from '../core/merge-markers.ts';
import { findPersonalDataInCycle } from '../core/pii.ts';
import { isReportHandEdited, renderReport } from '../core/report.ts';
import type { CycleFile } from '../core/types.ts';
import type { CommandContext } from '../shell/context.ts';
import { readCycle, writeFileAtomic } from '../shell/cycle-store.ts';
import { displayPath, openWorkspace, resolveCycleId } from '../shell/workspace.ts';

/** The options of `export`, as src/command-spec.ts declares them. */
export type ExportOptions = CommandOptions<'export'>;

/**
 * `export`: the report of a cycle as Markdown (default), JSON or CSV, on stdout or atomically into
 * `--out`. An existing `--out` Markdown file edited by hand is not overwritten without `--force`.
 */
export async function exportReport(opts: ExportOptions, ctx: CommandContext): Promise<number | undefined> {
  const format = opts.format ?? 'md';
  const ws = await openWorkspace(ctx);
  const id = await resolveCycleId(ws, opts.cycle);
  const cycle = await readCycle(ws, id);
  let output: string;
  if (format === 'md') {
    output = renderReport(ws.bank, cycle);
  } else if (format === 'csv') {
    const { renderCsv } = await import('../core/csv.ts');
    output = renderCsv(ws.bank, cycle);
  } else if (format === 'json') {
    const { renderJsonExport } = await import('../core/csv.ts');
    output = renderJsonExport(ws.bank, cycle);
  } else {
    throw new UsageError(`--format must be md, json or csv (got "${String(format)}").`);
  }

  if (opts.out !== undefined) {
    const target = path.resolve(ctx.cwd, opts.out);
    const existing = await fs.readFile(target, 'utf8').catch(() => undefined);
    if (existing !== undefined && existing !== output && !opts.force && /\.(md|markdown)$/i.test(target)) {
      const conflictLine = findConflictMarkers(existing);
      if (conflictLine !== undefined) throw unresolvedMergeError(displayPath(ctx, target), conflictLine, id);
      if (isReportHandEdited(existing)) {
        throw new UsageError(
          `${displayPath(ctx, target)} was edited by hand (or not written by kinship-reflect), so it was not overwritten.\n` +
            `Bring the edits into the cycle with: kinship-reflect import ${JSON.stringify(displayPath(ctx, target))} --cycle ${id}\n` +
            'or overwrite it with --force.',
        );
      }
    }
    await writeFileAtomic(target, output);
    if (!ctx.global.quiet) ctx.stderr.write(`Wrote ${displayPath(ctx, target)} (${format}, cycle ${id}).\n`);
  } else {
    ctx.stdout.write(output);
  }
  warnAboutPersonalData(cycle, ctx);
  return undefined;
}

/** A warning (never the values) when the exported answers look like they hold personal data. */
function warnAboutPersonalData(cycle: CycleFile, ctx: CommandContext): void {
  const findings = findPersonalDataInCycle(cycle);
  if (findings.length > 0) {
    ctx.stderr.write(
      `Warning: ${findings.length} possible item${findings.length === 1 ? '' : 's'} of personal data in the answers ` +
        `(run "kinship-reflect check" to see where). Reports must stay aggregated: never identify a child or a carer.\n`,
    );
  }
}
