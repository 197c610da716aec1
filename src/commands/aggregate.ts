/**
 * `kinship-reflect aggregate <paths…>`: one summary across many authorities' workspaces or cycle files.
 *
 * Files are read one at a time and each is reduced to a small summary at once, so thousands of files
 * need no more memory than a few. A file that cannot be used is listed with the reason and skipped.
 */
import { relative, resolve } from 'node:path';
import type { CommandOptions } from '../command-spec.ts';
import { createAggregator } from '../core/aggregate.ts';
import { parseCycleText } from '../core/cycle-validate.ts';
import { formatProblem, UsageError, ValidationError } from '../core/errors.ts';
import {
  renderAggregateCsv,
  renderAggregateJson,
  renderAggregateMarkdown,
} from '../core/render-aggregate.ts';
import { sanitizeInline } from '../core/sanitize.ts';
import type { CycleFile } from '../core/types.ts';
import { loadBank } from '../shell/bank-loader.ts';
import type { CommandContext } from '../shell/context.ts';
import { readCycleText } from '../shell/cycle-store.ts';
import { walkFiles } from '../shell/files.ts';
import { writeHuman } from '../shell/human-output.ts';
import { writeOutFile } from '../shell/out-file.ts';

/** The options of `aggregate`, as src/command-spec.ts declares them. */
export type AggregateOptions = CommandOptions<'aggregate'>;

/** Is this file name one a cycle could live in (not a temp, lock or hidden file)? */
function isCandidateFile(name: string): boolean {
  return name.endsWith('.json') && !name.startsWith('.') && !name.startsWith('~');
}

/**
 * Read and check one cycle file. Synchronous on purpose: files are taken strictly one at a time, and
 * for thousands of small files a blocking read is several times faster than four thread-pool round
 * trips (open, stat, read, close) each. The size cap is checked before reading.
 */
function readCycleFileSync(file: string, source: string): CycleFile {
  const text = readCycleText(file, source);
  if (text === undefined) throw new UsageError('no such file or folder');
  // no bank here: a file of another bank is reported as such by the aggregator, not as invalid
  const { cycle, problems } = parseCycleText(text, source);
  if (!cycle) throw new ValidationError(problems, `${source} is not a valid cycle file`);
  return cycle;
}

function reasonOf(error: unknown): string {
  if (error instanceof ValidationError) {
    const first = error.problems[0];
    const more = error.problems.length > 1 ? ` (and ${error.problems.length - 1} more problems)` : '';
    // the source is printed beside the reason: drop the file name from the problem text
    return first ? `${formatProblem({ ...first, file: '' }).replace(/^:?\s*/, '')}${more}` : error.message;
  }
  if (error instanceof UsageError) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code) return `cannot be read (${code})`;
  return (error as Error).message ?? String(error);
}

export async function aggregate(opts: AggregateOptions, ctx: CommandContext): Promise<number> {
  const format = opts.json ? 'json' : (opts.format ?? 'md');
  const paths = opts.paths ?? [];
  if (paths.length === 0) {
    throw new UsageError('Name at least one workspace, folder of cycle files or cycle file to aggregate.');
  }
  const bank = await loadBank(ctx.global.bank, ctx.cwd);
  const aggregator = createAggregator(bank, ctx.today());
  const display = (p: string) => {
    const rel = relative(ctx.cwd, p);
    return rel === '' ? '.' : rel.startsWith('..') ? p : rel;
  };
  const outPath = opts.out === undefined ? undefined : resolve(ctx.cwd, opts.out);

  for (const raw of paths) {
    const start = resolve(ctx.cwd, raw);
    // a workspace folder is just a folder whose `.json` files are cycles
    for await (const file of walkFiles(start, isCandidateFile, (source, reason) =>
      aggregator.addSkipped(display(source), reason),
    )) {
      if (outPath !== undefined && file === outPath) continue;
      const source = display(file);
      try {
        // one file at a time on purpose: memory stays flat however many files there are
        aggregator.addCycle(readCycleFileSync(file, source), source);
      } catch (error) {
        aggregator.addSkipped(source, reasonOf(error));
      }
    }
  }

  const result = aggregator.result();
  if (result.authorities.length === 0) {
    const why = result.skipped
      .slice(0, 5)
      .map((s) => `\n  ${sanitizeInline(s.source)}: ${sanitizeInline(s.reason)}`)
      .join('');
    const more = result.skipped.length > 5 ? `\n  … and ${result.skipped.length - 5} more` : '';
    throw new UsageError(
      `No readable cycle file of the question bank "${bank.id}" version ${bank.version} was found in ${paths.join(', ')}.` +
        (result.skipped.length > 0
          ? `${why}${more}`
          : ' Point at workspace folders, folders of cycle files or cycle files.'),
    );
  }

  const text =
    format === 'json'
      ? renderAggregateJson(result)
      : format === 'csv'
        ? renderAggregateCsv(result)
        : renderAggregateMarkdown(result);
  if (outPath !== undefined) {
    await writeOutFile(outPath, sanitizeInline(display(outPath)), text, {
      kind: format === 'md' ? 'markdown' : format,
      force: opts.force === true,
    });
  } else ctx.stdout.write(text);

  if (format !== 'json' || outPath !== undefined) {
    for (const s of result.skipped) {
      writeHuman(ctx.stderr, `skipped ${sanitizeInline(s.source)}: ${sanitizeInline(s.reason)}\n`);
    }
  }
  if (!ctx.global.quiet) {
    const n = result.authorities.length;
    const skipped = result.skipped.length;
    writeHuman(
      ctx.stderr,
      `Summarised ${n} ${n === 1 ? 'authority' : 'authorities'} from ${result.filesRead} cycle file${result.filesRead === 1 ? '' : 's'}` +
        (skipped > 0
          ? `; ${skipped} skipped (${format === 'json' && outPath === undefined ? 'listed under "skipped"' : 'listed above'}).`
          : '.') +
        (outPath !== undefined ? ` Written to ${sanitizeInline(display(outPath))}.` : '') +
        '\n',
    );
  }
  return 0;
}
