import path from 'node:path';
import type { CommandOptions } from '../command-spec.ts';
import { answerableItems } from '../core/bank.ts';
import { newCycle, sameAnswer } from '../core/cycle.ts';
import { MAX_CYCLE_BYTES, parseCycleText } from '../core/cycle-validate.ts';
import { type Problem, UsageError, ValidationError } from '../core/errors.ts';
import { parseJsonSafely } from '../core/json-text.ts';
import type { Answer, Bank, CycleFile } from '../core/types.ts';
import type { CommandContext } from '../shell/context.ts';
import { cycleExists, readCycle, reportPath, updateCycle } from '../shell/cycle-store.ts';
import { readFileCapped } from '../shell/files.ts';
import { displayPath, openWorkspace, resolveCycleId } from '../shell/workspace.ts';
import type { Prompter } from '../ui/prompter.ts';
import { makeTheme } from '../ui/theme.ts';

/** The options of `import`, as src/command-spec.ts declares them. */
export type ImportOptions = CommandOptions<'import'>;

/** What a file brings in: the data, and which parts of the cycle it speaks for. */
export interface ImportedData {
  cycle: Partial<CycleFile> & Pick<CycleFile, 'answers' | 'priorities' | 'actions'>;
  /** Item ids the file covers: answers of other items are left alone. */
  items: Set<string>;
  priorities: boolean;
  actions: boolean;
  problems: Problem[];
}

/**
 * The cycle after applying `data` to `current`: covered items take the file's answer (or lose theirs
 * when the file says "not answered"); an answer that did not change keeps its date, one that did gets
 * `today`. Priorities and actions are replaced when the file has them.
 */
export function mergeImported(current: CycleFile, data: ImportedData, today: string): CycleFile {
  const next = structuredClone(current);
  for (const id of data.items) {
    const incoming = Object.hasOwn(data.cycle.answers, id) ? data.cycle.answers[id] : undefined;
    const before = Object.hasOwn(current.answers, id) ? current.answers[id] : undefined;
    if (!incoming) {
      delete next.answers[id];
      continue;
    }
    const changed = before && sameAnswer(before, incoming) ? before.changed : today;
    next.answers[id] = { ...incoming, changed } as Answer;
  }
  if (data.priorities) next.priorities = structuredClone(data.cycle.priorities);
  if (data.actions) next.actions = structuredClone(data.cycle.actions);
  return next;
}

async function readImportFile(file: string, shown: string, bank: Bank): Promise<ImportedData> {
  let text: string | undefined;
  try {
    text = readFileCapped(file, {
      shown,
      maxBytes: MAX_CYCLE_BYTES,
      links: 'follow',
      tooLarge: () =>
        new UsageError(`${shown} is over ${MAX_CYCLE_BYTES / 1048576} MB; that is not a report.`),
    });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${shown}: ${(error as Error).message}`);
  }
  if (text === undefined) throw new UsageError(`cannot read ${shown}: there is no such file`);
  if (/\.json$/i.test(file)) {
    const { value, problems: jsonProblems } = parseJsonSafely(text, shown);
    if (jsonProblems.length > 0 || value === null || typeof value !== 'object') {
      return {
        cycle: { answers: {}, priorities: [], actions: [] },
        items: new Set(),
        priorities: false,
        actions: false,
        problems: jsonProblems.length ? jsonProblems : [{ file: shown, message: 'expected a JSON object' }],
      };
    }
    const { JSON_EXPORT_FORMAT, cycleFromJsonExport } = await import('../core/csv.ts');
    let cycleText = text;
    const doc = value as { format?: unknown; items?: unknown };
    if (doc.format === JSON_EXPORT_FORMAT) {
      if (!Array.isArray(doc.items)) {
        return {
          cycle: { answers: {}, priorities: [], actions: [] },
          items: new Set(),
          priorities: false,
          actions: false,
          problems: [{ file: shown, message: 'a JSON export needs an "items" list' }],
        };
      }
      cycleText = JSON.stringify(cycleFromJsonExport(value as Parameters<typeof cycleFromJsonExport>[0]));
    }
    const { cycle, problems: cycleProblems } = parseCycleText(cycleText, shown, bank);
    if (!cycle)
      return {
        cycle: { answers: {}, priorities: [], actions: [] },
        items: new Set(),
        priorities: false,
        actions: false,
        problems: cycleProblems,
      };
    const unknown = Object.keys(cycle.answers).filter(
      (id) => !answerableItems(bank).some((i) => i.id === id),
    );
    const problems = [...cycleProblems];
    for (const id of unknown)
      problems.push({
        file: shown,
        item: id,
        message: 'unknown item id: this question bank has no such item',
      });
    // a JSON file speaks for every item: what it does not answer is unanswered
    const items = new Set([...answerableItems(bank).map((i) => i.id), ...Object.keys(cycle.answers)]);
    return { cycle, items, priorities: true, actions: true, problems };
  }
  const { parseReport } = await import('../core/report-parse.ts');
  const parsed = parseReport(text, bank, { file: shown });
  return {
    cycle: parsed.cycle,
    items: new Set(parsed.itemsSeen),
    priorities: parsed.sectionsSeen.includes('priorities'),
    actions: parsed.sectionsSeen.includes('actions'),
    problems: parsed.problems,
  };
}

/**
 * `import <file>`: read an edited Markdown report (or a JSON export or cycle file) back into a cycle.
 * Shows the changes first; saves them with --yes or after confirmation at a terminal. Without a
 * terminal and without --yes it only shows them and exits 2. Any problem in the file: nothing saved,
 * exit 3.
 */
export async function importReport(
  opts: ImportOptions,
  ctx: CommandContext,
  /** Tests pass a scripted prompter. */
  deps: { prompter?: Prompter } = {},
): Promise<number | undefined> {
  if (!opts.file) throw new UsageError('import needs a file: kinship-reflect import report.md');
  const ws = await openWorkspace(ctx);
  const file = path.resolve(ctx.cwd, opts.file);
  const shown = displayPath(ctx, file);
  const data = await readImportFile(file, shown, ws.bank);
  if (data.problems.length > 0) {
    throw new ValidationError(
      data.problems,
      `${shown} has ${data.problems.length} problem${data.problems.length === 1 ? '' : 's'}; nothing was saved. Fix them and run import again.`,
    );
  }
  const requested = opts.cycle ?? data.cycle.cycle;
  if (requested === undefined || requested === '') {
    throw new UsageError(`${shown} does not say which cycle it belongs to: add --cycle <cycle>.`);
  }
  const id = await resolveCycleId(ws, requested);
  const exists = await cycleExists(ws, id);
  const current = exists ? await readCycle(ws, id) : newCycle(id, ws.config.authority, ws.bank);
  const today = ctx.today();
  const next = mergeImported(current, data, today);

  const { diffCycles } = await import('../core/diff.ts');
  const out = ctx.stdout;
  const t = await makeTheme(ctx, out);
  // changed words are shown only in colour
  const changes = diffCycles(ws.bank, current, next, { today, words: t.color });
  if (!changes.hasDifferences && exists) {
    out.write(`No changes: cycle ${id} already matches ${shown}.\n`);
    return undefined;
  }
  const { renderDiffText } = await import('../core/render-diff.ts');
  out.write(renderDiffText({ ...changes, from: `${id} (saved)`, to: shown }, t));
  const notCovered = answerableItems(ws.bank).filter((i) => !data.items.has(i.id)).length;
  if (notCovered > 0) {
    ctx.stderr.write(
      `${notCovered} item${notCovered === 1 ? ' is' : 's are'} not in ${shown}; ${notCovered === 1 ? 'its answer is' : 'their answers are'} left as ${notCovered === 1 ? 'it is' : 'they are'}.\n`,
    );
  }

  if (!opts.yes) {
    if (!ctx.stdin.isTTY) {
      ctx.stderr.write(
        `Nothing was saved: there is no terminal to confirm. Re-run with --yes to save these changes to cycle ${id}.\n`,
      );
      return 2;
    }
    const prompter = deps.prompter ?? (await import('../ui/make-prompter.ts')).makePrompter(ctx);
    let ok: boolean;
    try {
      ok = await prompter.confirm(`Save these changes to cycle ${id}?`, { default: false });
    } finally {
      prompter.close();
    }
    if (!ok) {
      ctx.stderr.write('Nothing was saved.\n');
      return undefined;
    }
  }

  const importedOwnReport = path.resolve(file) === path.resolve(reportPath(ws, id));
  await updateCycle(
    ws,
    id,
    (cycle) => {
      // merge again against the cycle as it is on disk now (under the lock)
      const merged = mergeImported(cycle, data, today);
      cycle.answers = merged.answers;
      cycle.priorities = merged.priorities;
      cycle.actions = merged.actions;
    },
    { create: !exists, force: importedOwnReport, warn: (m) => ctx.stderr.write(`${m}\n`) },
  );
  if (!ctx.global.quiet) ctx.stderr.write(`Saved the changes to cycle ${id}.\n`);
  return undefined;
}
