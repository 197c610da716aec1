import path from 'node:path';
import type { CommandOptions } from '../command-spec.ts';
import { answerableItems } from '../core/bank.ts';
import { answerSizeProblem, newCycle } from '../core/cycle.ts';
import { parseCycleText } from '../core/cycle-validate.ts';
import { FailureError, type Problem, UsageError, ValidationError } from '../core/errors.ts';
import { parseJsonSafely } from '../core/json-text.ts';
import { findConflictMarkers, unresolvedMergeError } from '../core/merge-markers.ts';
import { renderConflict } from '../core/render-conflict.ts';
import {
  type Choice,
  type Conflict,
  type IncomingData,
  mergeThreeWay,
  preferAll,
} from '../core/three-way.ts';
import type { Bank, CycleFile } from '../core/types.ts';
import { wrapText } from '../core/wrap.ts';
import { type CommandContext, isPlain } from '../shell/context.ts';
import { cycleExists, readCycle, readReportText, reportPath, updateCycle } from '../shell/cycle-store.ts';
import { writeHuman } from '../shell/human-output.ts';
import { displayPath, openWorkspace, resolveCycleId, type Workspace } from '../shell/workspace.ts';
import type { Prompter } from '../ui/prompter.ts';
import { makeTheme } from '../ui/theme.ts';

/** The options of `import`, as src/command-spec.ts declares them. */
export type ImportOptions = CommandOptions<'import'>;

/** What a file brings in, for the three-way merge, and what it says about itself. */
export interface ImportedData {
  incoming: IncomingData;
  /** The cycle the file names. */
  cycle: string | undefined;
  /** No fingerprints: written before they existed (or a JSON file), so nothing is removed. */
  legacy: boolean;
  problems: Problem[];
}

const NO_BASE = { answers: {}, priorities: {}, actions: {} };

function refused(problems: Problem[]): ImportedData {
  return {
    incoming: {
      answers: {},
      priorities: [],
      actions: [],
      items: new Set(),
      hasPriorities: false,
      hasActions: false,
      base: NO_BASE,
    },
    cycle: undefined,
    legacy: true,
    problems,
  };
}

/** A JSON export or cycle file: it speaks for every item, with no record of a base. */
async function readJsonImport(text: string, shown: string, bank: Bank): Promise<ImportedData> {
  const { value, problems: jsonProblems } = parseJsonSafely(text, shown);
  if (jsonProblems.length > 0 || value === null || typeof value !== 'object')
    return refused(jsonProblems.length ? jsonProblems : [{ file: shown, message: 'expected a JSON object' }]);
  const { JSON_EXPORT_FORMAT, cycleFromJsonExport } = await import('../core/csv.ts');
  let cycleText = text;
  const doc = value as { format?: unknown; items?: unknown };
  if (doc.format === JSON_EXPORT_FORMAT) {
    if (!Array.isArray(doc.items))
      return refused([{ file: shown, message: 'a JSON export needs an "items" list' }]);
    cycleText = JSON.stringify(cycleFromJsonExport(value as Parameters<typeof cycleFromJsonExport>[0]));
  }
  const { cycle, problems: cycleProblems } = parseCycleText(cycleText, shown, bank);
  if (!cycle) return refused(cycleProblems);
  const answerable = new Set(answerableItems(bank).map((i) => i.id));
  const problems = [...cycleProblems];
  for (const id of Object.keys(cycle.answers).filter((id) => !answerable.has(id)))
    problems.push({ file: shown, item: id, message: 'unknown item id: this question bank has no such item' });
  return {
    incoming: {
      answers: cycle.answers,
      priorities: cycle.priorities,
      actions: cycle.actions,
      items: new Set([...answerable, ...Object.keys(cycle.answers)]),
      hasPriorities: true,
      hasActions: true,
      base: NO_BASE,
    },
    cycle: cycle.cycle,
    legacy: true,
    problems,
  };
}

async function readImportFile(file: string, shown: string, bank: Bank): Promise<ImportedData> {
  const text = readReportText(file, shown);
  const conflictAt = findConflictMarkers(text);
  if (conflictAt !== undefined) throw unresolvedMergeError(shown, conflictAt);
  if (/\.json$/i.test(file)) return readJsonImport(text, shown, bank);
  const { parseReport } = await import('../core/report-parse.ts');
  const parsed = parseReport(text, bank, { file: shown });
  const f = parsed.fingerprints;
  const legacy =
    f.priorityOrder === undefined &&
    Object.keys(f.answers).length === 0 &&
    Object.keys(f.priorities).length === 0 &&
    Object.keys(f.actions).length === 0;
  return {
    incoming: {
      answers: parsed.cycle.answers,
      priorities: parsed.cycle.priorities,
      actions: parsed.cycle.actions,
      items: new Set(parsed.itemsSeen),
      hasPriorities: parsed.sectionsSeen.includes('priorities'),
      hasActions: parsed.sectionsSeen.includes('actions'),
      base: f,
    },
    cycle: parsed.cycle.cycle,
    legacy,
    problems: parsed.problems,
  };
}

const sideLabels = (shown: string) => ({ ours: 'In the cycle now', theirs: `In ${shown}` });

function terminalWidth(ctx: CommandContext): number {
  return Math.max(40, Math.min(ctx.stderr.columns ?? ctx.stdout.columns ?? 80, 160));
}

/** Settle the conflicts: by --prefer, or by asking at a terminal; undefined when neither can. */
async function settleConflicts(
  run: ImportRun,
  conflicts: readonly Conflict[],
): Promise<Map<string, Choice> | undefined> {
  const { opts, ctx, ws, shown } = run;
  if (conflicts.length === 0) return new Map();
  if (opts.prefer !== undefined) return preferAll(conflicts, opts.prefer === 'cycle' ? 'ours' : 'theirs');
  if (!ctx.stdin.isTTY) return undefined;
  const { pickConflicts } = await import('../ui/conflict-picker.ts');
  return pickConflicts(await run.getPrompter(), ws.bank, conflicts, {
    labels: sideLabels(shown),
    names: { ours: "the cycle's", theirs: "the report's" },
    width: terminalWidth(ctx),
  });
}

function showConflicts(run: ImportRun, conflicts: readonly Conflict[]): void {
  const { ctx, ws, shown } = run;
  const n = conflicts.length;
  const heading = `${n} item${n === 1 ? ' was' : 's were'} changed both in ${shown} and in the cycle since it was written:`;
  ctx.stdout.write(`\n${wrapText(heading, terminalWidth(ctx))}\n`);
  const opts = { labels: sideLabels(shown), width: terminalWidth(ctx), linear: isPlain(ctx) };
  for (const c of conflicts) ctx.stdout.write(`\n${renderConflict(ws.bank, c, opts)}`);
}

/**
 * `import <file>`: bring edits back from a Markdown report (or a JSON export or cycle file), three-way
 * and item by item (see `core/three-way.ts`): what the report did not change is left as the cycle
 * has it now, what it changed is applied, and what both changed is a conflict — chosen per item at a
 * terminal, settled by `--prefer cycle|report`, or else nothing is saved (exit 1). Shows the changes
 * first; saves them with --yes or after confirmation at a terminal (without either: exit 2). Any
 * problem in the file: nothing saved, exit 3.
 */
export async function importReport(
  opts: ImportOptions,
  ctx: CommandContext,
  /** Tests pass a scripted prompter. */
  deps: { prompter?: Prompter } = {},
): Promise<number | undefined> {
  if (!opts.file) throw new UsageError('import needs a file: kinship-reflect import report.md');
  if (opts.prefer !== undefined && opts.prefer !== 'cycle' && opts.prefer !== 'report')
    throw new UsageError(`--prefer takes "cycle" or "report", not "${opts.prefer}"`);
  const ws = await openWorkspace(ctx);
  const file = path.resolve(ctx.cwd, opts.file);
  const shown = displayPath(ctx, file);
  const data = await readImportFile(file, shown, ws.bank);
  for (const [id, answer] of Object.entries(data.incoming.answers)) {
    for (const [field, lines] of [
      ['text', answer.text],
      ['needs', answer.needs],
      ['evidence', answer.evidence],
    ] as const) {
      const tooLong = lines
        ? answerSizeProblem(lines, `the ${field === 'text' ? 'answer' : field}`)
        : undefined;
      if (tooLong) data.problems.push({ file: shown, item: id, message: tooLong });
    }
  }
  if (data.problems.length > 0) {
    throw new ValidationError(
      data.problems,
      `${shown} has ${data.problems.length} problem${data.problems.length === 1 ? '' : 's'}; nothing was saved. Fix them and run import again.`,
    );
  }
  const requested = opts.cycle ?? data.cycle;
  if (requested === undefined || requested === '') {
    throw new UsageError(`${shown} does not say which cycle it belongs to: add --cycle <cycle>.`);
  }
  const id = await resolveCycleId(ws, requested);
  const exists = await cycleExists(ws, id);
  const current = exists ? await readCycle(ws, id) : newCycle(id, ws.config.authority, ws.bank);
  let prompter = deps.prompter;
  const getPrompter = async (): Promise<Prompter> => {
    prompter ??= (await import('../ui/make-prompter.ts')).makePrompter(ctx);
    return prompter;
  };
  try {
    return await runImport({
      opts,
      ctx,
      ws,
      id,
      exists,
      current,
      today: ctx.today(),
      data,
      shown,
      file,
      getPrompter,
    });
  } finally {
    prompter?.close();
  }
}

interface ImportRun {
  opts: ImportOptions;
  ctx: CommandContext;
  ws: Workspace;
  id: string;
  exists: boolean;
  current: CycleFile;
  today: string;
  data: ImportedData;
  shown: string;
  file: string;
  getPrompter: () => Promise<Prompter>;
}

async function runImport(run: ImportRun): Promise<number | undefined> {
  const { opts, ctx, ws, id, exists, current, today, data, shown } = run;
  if (data.legacy) {
    writeHuman(
      ctx.stderr,
      `${shown} has no fingerprints (it was written by an earlier version, or is a JSON file): it is imported item by item against the cycle as it is now; nothing is removed, and an answer that differs from the cycle's is a conflict.\n`,
    );
  }
  const first = mergeThreeWay(current, data.incoming, today);
  // at a terminal the picker shows each conflict as it asks; otherwise list them all here
  const picking = opts.prefer === undefined && ctx.stdin.isTTY;
  if (first.conflicts.length > 0 && !picking) showConflicts(run, first.conflicts);
  const choices = await settleConflicts(run, first.conflicts);
  if (choices === undefined) {
    const n = first.conflicts.length;
    writeHuman(
      ctx.stderr,
      `Nothing was saved: ${n} conflict${n === 1 ? '' : 's'} to decide and no terminal to ask in. Run import in a terminal to choose item by item, or add --prefer cycle (keep the cycle's versions) or --prefer report (take the report's).\n`,
    );
    return 1;
  }
  const { cycle: next } = mergeThreeWay(current, data.incoming, today, choices);
  const { diffCycles } = await import('../core/diff.ts');
  const out = ctx.stdout;
  const t = await makeTheme(ctx, out);
  // changed words are shown only in colour
  const changes = diffCycles(ws.bank, current, next, { today, words: t.color });
  if (!changes.hasDifferences && exists) {
    out.write(
      `No changes: cycle ${id} already matches ${shown}${first.conflicts.length > 0 ? ' as you chose' : ''}.\n`,
    );
    return undefined;
  }
  const { renderDiffText } = await import('../core/render-diff.ts');
  out.write(renderDiffText({ ...changes, from: `${id} (saved)`, to: shown }, t));
  reportLeftAlone(run);
  if (!opts.yes) {
    if (!ctx.stdin.isTTY) {
      writeHuman(
        ctx.stderr,
        `Nothing was saved: there is no terminal to confirm. Re-run with --yes to save these changes to cycle ${id}.\n`,
      );
      return 2;
    }
    const ok = await (await run.getPrompter()).confirm(`Save these changes to cycle ${id}?`, {
      default: false,
    });
    if (!ok) {
      writeHuman(ctx.stderr, 'Nothing was saved.\n');
      return undefined;
    }
  }
  await save(run, choices);
  if (!ctx.global.quiet) writeHuman(ctx.stderr, `Saved the changes to cycle ${id}.\n`);
  return undefined;
}

function reportLeftAlone(run: ImportRun): void {
  const { ctx, ws, data, shown } = run;
  const notCovered = answerableItems(ws.bank).filter((i) => !data.incoming.items.has(i.id)).length;
  if (notCovered > 0) {
    writeHuman(
      ctx.stderr,
      `${notCovered} item${notCovered === 1 ? ' is' : 's are'} not in ${shown}; ${notCovered === 1 ? 'its answer is' : 'their answers are'} left as ${notCovered === 1 ? 'it is' : 'they are'}.\n`,
    );
  }
}

async function save(run: ImportRun, choices: Map<string, Choice>): Promise<void> {
  const { ctx, ws, id, exists, today, data, file, shown } = run;
  const importedOwnReport = path.resolve(file) === path.resolve(reportPath(ws, id));
  await updateCycle(
    ws,
    id,
    (cycle) => {
      // merge again against the cycle as it is on disk now (under the lock): a save made while the
      // person was choosing either merges cleanly or stops the import
      const merged = mergeThreeWay(cycle, data.incoming, today, choices);
      if (merged.conflicts.length > 0) {
        const n = merged.conflicts.length;
        throw new FailureError(
          `cycle ${id} changed while you were deciding (${n} more item${n === 1 ? '' : 's'} now differ from ${shown}); nothing was saved.`,
          `Run kinship-reflect import ${shown} again.`,
        );
      }
      cycle.answers = merged.cycle.answers;
      cycle.priorities = merged.cycle.priorities;
      cycle.actions = merged.cycle.actions;
    },
    { create: !exists, force: importedOwnReport, warn: (m) => writeHuman(ctx.stderr, `${m}\n`) },
  );
}
