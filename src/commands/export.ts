import path from 'node:path';
import type { CommandOptions } from '../command-spec.ts';
import { bankTags, normalizeTag } from '../core/bank.ts';
import { UsageError } from '../core/errors.ts';
import { findPersonalDataInCycle } from '../core/pii.ts';
import { renderReport } from '../core/report.ts';
import type { BankScope } from '../core/scope.ts';
import type { Bank, CycleFile } from '../core/types.ts';
import { commandLineQuote } from '../shell/command-line-quote.ts';
import type { CommandContext } from '../shell/context.ts';
import { readCycle } from '../shell/cycle-store.ts';
import { writeHuman } from '../shell/human-output.ts';
import { writeOutFile } from '../shell/out-file.ts';
import { displayPath, openWorkspace, resolveCycleId } from '../shell/workspace.ts';
import type { DocumentRequest } from './export-document.ts';

/** The options of `export`, as src/command-spec.ts declares them. */
export type ExportOptions = CommandOptions<'export'>;

export const EXPORT_FORMATS = ['md', 'json', 'csv', 'html', 'docx'] as const;

/** `--stage` and `--tag` checked against the bank. */
function checkScope(bank: Bank, opts: ExportOptions): BankScope {
  const scope: BankScope = {};
  if (opts.stage !== undefined) {
    const stage = bank.stages.find((s) => s.id === opts.stage?.trim().toLowerCase());
    if (!stage)
      throw new UsageError(
        `--stage "${opts.stage}" is not a stage of this question bank (stages: ${bank.stages.map((s) => s.id).join(', ')}).`,
      );
    scope.stage = stage.id;
  }
  if (opts.tag !== undefined) {
    const tag = normalizeTag(opts.tag);
    const known = bankTags(bank);
    if (!known.includes(tag))
      throw new UsageError(
        `--tag "${opts.tag}" is not a tag of this question bank (tags: ${known.join(', ')}).`,
      );
    scope.tag = tag;
  }
  return scope;
}

/**
 * `export`: a cycle as the working Markdown report (default), JSON or CSV, or as a document for
 * people (HTML, Word; `--summary` for the short committee paper, in Markdown too), on stdout or
 * atomically into `--out`. `--stage` and `--tag` restrict any of them to part of the bank. An
 * existing `--out` Markdown file edited by hand is not overwritten without `--force`.
 */
export async function exportReport(opts: ExportOptions, ctx: CommandContext): Promise<number | undefined> {
  const format = opts.format ?? 'md';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format must be ${EXPORT_FORMATS.join(', ')} (got "${String(format)}").`);
  if (opts.summary && (format === 'json' || format === 'csv'))
    throw new UsageError(
      `--summary is a paper for people: use it with --format md, html or docx (not ${format}).`,
    );
  if (
    opts.members !== undefined &&
    (format === 'json' || format === 'csv' || (format === 'md' && !opts.summary))
  )
    throw new UsageError(
      "--members adds the elected members' answers to a paper: use it with --format html or docx, or --summary.",
    );
  if (format === 'docx' && opts.out === undefined)
    throw new UsageError('a Word document is written to a file: add --out <file>.docx.');
  const ws = await openWorkspace(ctx);
  const scope = checkScope(ws.bank, opts);
  const scoped = scope.stage !== undefined || scope.tag !== undefined;
  const id = await resolveCycleId(ws, opts.cycle);
  const cycle = await readCycle(ws, id);
  let output: string | Uint8Array;
  if (format === 'html' || format === 'docx' || (format === 'md' && (opts.summary || scoped))) {
    const { renderDocument } = await import('./export-document.ts');
    const request: DocumentRequest = { format, summary: opts.summary === true, scope };
    if (opts.members !== undefined) request.members = opts.members;
    output = await renderDocument(ws, cycle, request, ctx);
  } else if (format === 'md') {
    output = renderReport(ws.bank, cycle);
  } else {
    const { scopeBank, scopeCycle } = await import('../core/scope.ts');
    const bank = scopeBank(ws.bank, scope);
    const part = scopeCycle(ws.bank, cycle, scope);
    const { renderCsv, renderJsonExport } = await import('../core/csv.ts');
    output = format === 'csv' ? renderCsv(bank, part) : renderJsonExport(bank, part);
  }

  if (opts.out !== undefined) {
    const target = path.resolve(ctx.cwd, opts.out);
    const shown = displayPath(ctx, target);
    const document =
      format === 'html' || format === 'docx' || opts.summary === true || typeof output !== 'string';
    await writeOutFile(target, shown, output, {
      kind: format === 'docx' ? 'binary' : document ? 'markdown' : format === 'md' ? 'report' : format,
      force: opts.force === true,
      handEdited:
        `${shown} was edited by hand, so it was not overwritten.\n` +
        `Bring the edits into the cycle with: kinship-reflect import ${commandLineQuote(shown)} --cycle ${id}\n` +
        'or overwrite it with --force.',
    });
    if (!ctx.global.quiet)
      writeHuman(
        ctx.stderr,
        `Wrote ${displayPath(ctx, target)} (${format}${opts.summary ? ' summary' : ''}, cycle ${id}).\n`,
      );
  } else if (typeof output === 'string') {
    ctx.stdout.write(output);
  }
  warnAboutPersonalData(cycle, ctx);
  return undefined;
}

/** A warning (never the values) when the exported answers look like they hold personal data. */
function warnAboutPersonalData(cycle: CycleFile, ctx: CommandContext): void {
  const findings = findPersonalDataInCycle(cycle);
  if (findings.length > 0) {
    writeHuman(
      ctx.stderr,
      `Warning: ${findings.length} possible item${findings.length === 1 ? '' : 's'} of personal data in the answers ` +
        `(run "kinship-reflect check" to see where). Reports must stay aggregated: never identify a child or a carer.\n`,
    );
  }
}
