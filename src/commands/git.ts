/**
 * `git setup`, `git resolve` and `git merge-file`: merges of cycle files and reports that never lose
 * a colleague's work.
 *
 * - `git setup` (once per clone: git never copies driver settings) writes `.gitattributes` lines for
 *   the workspace's `*.json` and `*.md`, registers the merge drivers in the clone's config and
 *   installs the pre-commit personal-data hook. `--check` only says whether this clone is set up.
 * - `git merge-file %O %A %B %P` is the driver git runs: cycle files are merged item by item
 *   (`core/merge-cycles.ts`); reports are never merged as text but rendered from the merged content.
 *   What still conflicts is written into the cycle file as structured conflicts (exit 1, so git marks
 *   the path unmerged).
 * - `git resolve [cycle]` settles those conflicts item by item in the prompters (or `--take`), and
 *   also repairs a cycle file holding git's raw conflict markers, taking the base from the index.
 */
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { CommandOptions } from '../command-spec.ts';
import { parseCycleText } from '../core/cycle-validate.ts';
import { FailureError, UsageError, ValidationError } from '../core/errors.ts';
import { mergeCycles, unknownBase } from '../core/merge-cycles.ts';
import { findConflictMarkers, splitConflictText } from '../core/merge-markers.ts';
import { renderConflict } from '../core/render-conflict.ts';
import { applyChoice, type Choice, type Conflict, conflictFromStored } from '../core/three-way.ts';
import type { Bank, CycleFile } from '../core/types.ts';
import { writeFileAtomic } from '../shell/atomic-write.ts';
import { commandLineQuote } from '../shell/command-line-quote.ts';
import { type CommandContext, isPlain } from '../shell/context.ts';
import { cyclePath, readCycleText, reportPath } from '../shell/cycle-store.ts';
import { readSmallText } from '../shell/files.ts';
import { defaultInvocation, gitTopLevel, installHook, invocationWords, runGit } from '../shell/git-hook.ts';
import { writeHuman } from '../shell/human-output.ts';
import {
  displayPath,
  listCycleIds,
  openWorkspace,
  resolveCycleId,
  type Workspace,
} from '../shell/workspace.ts';

export type GitSetupOptions = CommandOptions<'git setup'>;
export type GitResolveOptions = CommandOptions<'git resolve'>;
export type GitMergeFileOptions = CommandOptions<'git merge-file'>;

export const CYCLE_DRIVER = 'kinship-reflect-cycle';
export const REPORT_DRIVER = 'kinship-reflect-report';
const ATTRIBUTES_HEADER =
  '# kinship-reflect: merge cycle files and reports item by item (kinship-reflect git setup)';

// ---- setup -----------------------------------------------------------------------------------------

/** The command git runs for a driver: this Node and this package's bin, else kinship-reflect on the PATH. */
function driverCommand(): string {
  const inv = defaultInvocation();
  const prefix = inv ? invocationWords(inv) : 'kinship-reflect';
  return `${prefix} git merge-file %O %A %B %P`;
}

function attributeLines(top: string, dir: string): string[] {
  const rel = path.relative(top, dir).split(path.sep).join('/');
  const prefix = rel === '' ? '' : `${rel.replace(/([ #*?[\]\\!])/g, '\\$1')}/`;
  return [`${prefix}*.json merge=${CYCLE_DRIVER}`, `${prefix}*.md merge=${REPORT_DRIVER}`];
}

async function gitConfig(top: string, key: string, ctx: CommandContext): Promise<string | undefined> {
  const r = await runGit(['config', '--local', '--get', key], top, ctx.env);
  return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined;
}

interface SetupState {
  top: string;
  attributesFile: string;
  missingAttributes: string[];
  driversOk: boolean;
  hookOk: boolean;
}

async function setupState(ws: Workspace, ctx: CommandContext): Promise<SetupState> {
  const top = await gitTopLevel(ws.dir, ctx.env);
  const attributesFile = path.join(top, '.gitattributes');
  const attributes = readSmallText(attributesFile) ?? '';
  const present = new Set(attributes.split(/\r?\n/).map((l) => l.trim()));
  const missingAttributes = attributeLines(top, ws.dir).filter((l) => !present.has(l));
  const drivers = await Promise.all(
    [CYCLE_DRIVER, REPORT_DRIVER].map((d) => gitConfig(top, `merge.${d}.driver`, ctx)),
  );
  const driversOk = drivers.every((d) => d !== undefined && driverWorks(d));
  const hooks = await runGit(['rev-parse', '--git-path', 'hooks'], ws.dir, ctx.env);
  const hookFile = path.resolve(ws.dir, hooks.stdout.toString('utf8').trim(), 'pre-commit');
  const hook = readHookOrEmpty(hookFile);
  return { top, attributesFile, missingAttributes, driversOk, hookOk: hook.includes('kinship-reflect') };
}

/** The pre-commit hook's text, or nothing when there is none or it cannot be read (it is only looked at). */
function readHookOrEmpty(file: string): string {
  try {
    return readSmallText(file) ?? '';
  } catch {
    return '';
  }
}

/** A registered driver still points at a kinship-reflect that exists (a moved install does not). */
function driverWorks(command: string): boolean {
  const quoted = [...command.matchAll(/'((?:[^']|'\\'')*)'/g)].map((m) =>
    (m[1] as string).replace(/'\\''/g, "'"),
  );
  return quoted.length === 0 ? command.includes('git merge-file') : quoted.every((p) => existsSync(p));
}

/** `git setup`: idempotent; says what it did. `--check`: exit 1 when this clone is not set up. */
export async function gitSetup(opts: GitSetupOptions, ctx: CommandContext): Promise<number | undefined> {
  const ws = await openWorkspace(ctx);
  const state = await setupState(ws, ctx);
  const out = ctx.stdout;
  if (opts.check) {
    const ok = state.missingAttributes.length === 0 && state.driversOk && state.hookOk;
    out.write(
      `.gitattributes names the merge drivers: ${state.missingAttributes.length === 0 ? 'yes' : 'no'}\n`,
    );
    out.write(`merge drivers registered in this clone: ${state.driversOk ? 'yes' : 'no'}\n`);
    out.write(`pre-commit personal-data hook: ${state.hookOk ? 'yes' : 'no'}\n`);
    out.write(ok ? 'This clone is set up.\n' : 'This clone is not set up: run kinship-reflect git setup\n');
    return ok ? undefined : 1;
  }
  const did: string[] = [];
  if (state.missingAttributes.length > 0) {
    const existing = readSmallText(state.attributesFile) ?? '';
    const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
    const header = existing.includes(ATTRIBUTES_HEADER) ? [] : [ATTRIBUTES_HEADER];
    await writeFileAtomic(
      state.attributesFile,
      `${existing}${sep}${[...header, ...state.missingAttributes].join('\n')}\n`,
    );
    did.push(
      `Added to .gitattributes (commit it, so every clone merges item by item):\n  ${state.missingAttributes.join('\n  ')}`,
    );
  }
  if (!state.driversOk) {
    for (const [driver, name] of [
      [CYCLE_DRIVER, 'kinship-reflect: cycle files, item by item'],
      [REPORT_DRIVER, 'kinship-reflect: reports, rendered from the merged answers'],
    ] as const) {
      await runGit(['config', '--local', `merge.${driver}.name`, name], state.top, ctx.env);
      await runGit(['config', '--local', `merge.${driver}.driver`, driverCommand()], state.top, ctx.env);
    }
    did.push('Registered the merge drivers in this clone (.git/config).');
  }
  if (!state.hookOk) did.push(await setupHook(ws, ctx));
  out.write(did.length === 0 ? 'This clone is already set up; nothing to do.\n' : `${did.join('\n')}\n`);
  return undefined;
}

async function setupHook(ws: Workspace, ctx: CommandContext): Promise<string> {
  try {
    const { hookPath } = await installHook(ws.dir, { env: ctx.env });
    return `Installed the pre-commit personal-data hook (${displayPath(ctx, hookPath)}).`;
  } catch (error) {
    // someone else's hook is kept as it is; the message says how to add ours to it
    if (error instanceof UsageError) return `Left your own pre-commit hook as it is. ${error.message}`;
    throw error;
  }
}

// ---- merge driver ----------------------------------------------------------------------------------

async function readOrEmpty(file: string): Promise<string> {
  return fs.readFile(file, 'utf8').catch(() => '');
}

/** git's own line merge, for what we cannot read (an exit status of 1 or more marks the conflicts). */
async function textMerge(o: GitMergeFileOptions, ctx: CommandContext): Promise<number> {
  const r = await runGit(
    ['merge-file', '-L', 'ours', '-L', 'base', '-L', 'theirs', o.ours, o.base, o.theirs],
    ctx.cwd,
    ctx.env,
  );
  return r.code === 0 ? 0 : 1;
}

/** The bank of the workspace holding `file` (the path git is merging), if there is one. */
async function bankFor(file: string, ctx: CommandContext): Promise<Bank | undefined> {
  const dir = path.dirname(path.resolve(ctx.cwd, file));
  try {
    return (await openWorkspace({ ...ctx, global: { ...ctx.global, dir } })).bank;
  } catch {
    return undefined;
  }
}

/** `git merge-file BASE OURS THEIRS PATH`: the merge driver. Writes the result into OURS. */
export async function gitMergeFile(opts: GitMergeFileOptions, ctx: CommandContext): Promise<number> {
  const bank = await bankFor(opts.path, ctx);
  if (!bank) return textMerge(opts, ctx);
  const texts = await Promise.all([opts.base, opts.ours, opts.theirs].map(readOrEmpty));
  const { mergeDriverResult } = await import('../core/merge-driver.ts');
  const result = mergeDriverResult(bank, opts.path, texts as [string, string, string]);
  if (result === undefined) return textMerge(opts, ctx);
  await fs.writeFile(opts.ours, result.text);
  if (result.note) writeHuman(ctx.stderr, `kinship-reflect: ${opts.path}: ${result.note}\n`);
  return result.conflicts > 0 ? 1 : 0;
}

// ---- resolve ---------------------------------------------------------------------------------------

/** The cycles of the workspace whose file holds conflicts (raw markers or structured ones). */
async function conflictedCycles(ws: Workspace): Promise<string[]> {
  const out: string[] = [];
  for (const id of await listCycleIds(ws)) {
    const text = await readOrEmpty(cyclePath(ws, id));
    if (findConflictMarkers(text) !== undefined || /"conflicts"\s*:/.test(text)) out.push(id);
  }
  return out;
}

async function chooseCycle(ws: Workspace, requested: string | undefined): Promise<string> {
  if (requested !== undefined) return resolveCycleId(ws, requested);
  const found = await conflictedCycles(ws);
  if (found.length === 1) return found[0] as string;
  if (found.length === 0)
    throw new UsageError('no cycle of this workspace has merge conflicts; nothing to resolve');
  throw new UsageError(
    `several cycles have merge conflicts (${found.join(', ')}): name one, e.g. kinship-reflect git resolve ${found[0]}`,
  );
}

function parseSide(text: string, shown: string, bank: Bank, side: string): CycleFile {
  const { cycle, problems } = parseCycleText(text, `${shown} (${side})`, bank, { allowConflicts: true });
  if (!cycle)
    throw new ValidationError(problems, `${side} version of ${shown} cannot be read; nothing was changed`);
  return cycle;
}

/** The base of a file git left with raw markers: index stage 1, else the markers' own base sections. */
async function rawBase(
  file: string,
  split: { base: string | undefined },
  ctx: CommandContext,
): Promise<string | undefined> {
  const dir = path.dirname(file);
  const r = await runGit(['show', `:1:./${path.basename(file)}`], dir, ctx.env).catch(() => undefined);
  if (r && r.code === 0) return r.stdout.toString('utf8');
  return split.base;
}

/** The cycle to settle and its conflicts, from structured conflicts or from raw markers. */
async function conflictsOf(
  ws: Workspace,
  id: string,
  ctx: CommandContext,
): Promise<{ cycle: CycleFile; conflicts: Conflict[]; raw: boolean }> {
  const file = cyclePath(ws, id);
  const shown = displayPath(ctx, file);
  const text = readCycleText(file, shown);
  if (text === undefined) throw new UsageError(`there is no cycle file ${shown}`);
  if (findConflictMarkers(text) === undefined) {
    const cycle = parseSide(text, shown, ws.bank, 'the');
    const conflicts = (cycle.conflicts ?? []).map(conflictFromStored);
    delete cycle.conflicts;
    return { cycle, conflicts, raw: false };
  }
  const split = splitConflictText(text);
  const ours = parseSide(split.ours, shown, ws.bank, 'our');
  const theirs = parseSide(split.theirs, shown, ws.bank, 'their');
  const baseText = await rawBase(file, split, ctx);
  const base =
    baseText === undefined || baseText.trim() === ''
      ? unknownBase(ours, theirs)
      : parseSide(baseText, shown, ws.bank, 'the base');
  const merged = mergeCycles(base, ours, theirs);
  return { cycle: merged.cycle, conflicts: merged.conflicts, raw: true };
}

async function settle(
  conflicts: Conflict[],
  opts: GitResolveOptions,
  ctx: CommandContext,
  bank: Bank,
): Promise<Map<string, Choice> | undefined> {
  if (opts.take !== undefined)
    return new Map(conflicts.map((c) => [c.key, { take: opts.take as 'ours' | 'theirs' }]));
  if (!ctx.stdin.isTTY) return undefined;
  const { makePrompter } = await import('../ui/make-prompter.ts');
  const { pickConflicts } = await import('../ui/conflict-picker.ts');
  const prompter = makePrompter(ctx);
  try {
    return await pickConflicts(prompter, bank, conflicts, {
      labels: { ours: 'Ours (this branch)', theirs: 'Theirs (merged in)' },
      names: { ours: 'our', theirs: 'their' },
      width: Math.max(40, Math.min(ctx.stderr.columns ?? 80, 160)),
    });
  } finally {
    prompter.close();
  }
}

/** What git is in the middle of, for the command that finishes it. */
async function nextGitStep(dir: string, ctx: CommandContext): Promise<string> {
  const r = await runGit(['rev-parse', '--git-dir'], dir, ctx.env);
  const gitDir = path.resolve(dir, r.stdout.toString('utf8').trim());
  if (existsSync(path.join(gitDir, 'rebase-merge')) || existsSync(path.join(gitDir, 'rebase-apply')))
    return 'git rebase --continue';
  if (existsSync(path.join(gitDir, 'CHERRY_PICK_HEAD'))) return 'git cherry-pick --continue';
  if (existsSync(path.join(gitDir, 'REVERT_HEAD'))) return 'git revert --continue';
  return 'git commit';
}

/** `git resolve [cycle]`: settle a cycle's merge conflicts, write it and its report, say what git needs next. */
export async function gitResolve(opts: GitResolveOptions, ctx: CommandContext): Promise<number | undefined> {
  const ws = await openWorkspace(ctx);
  const id = await chooseCycle(ws, opts.cycle);
  const { cycle, conflicts } = await conflictsOf(ws, id, ctx);
  const shown = displayPath(ctx, cyclePath(ws, id));
  if (conflicts.length > 0) {
    const linear = isPlain(ctx) || !ctx.stdin.isTTY;
    if (opts.take === undefined && !ctx.stdin.isTTY) {
      for (const c of conflicts)
        ctx.stdout.write(
          `\n${renderConflict(ws.bank, c, { labels: { ours: 'Ours (this branch)', theirs: 'Theirs (merged in)' }, width: 80, linear })}`,
        );
      writeHuman(
        ctx.stderr,
        `Nothing was changed: ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'} in ${shown} to decide and no terminal to ask in. Run kinship-reflect git resolve ${id} in a terminal, or add --take ours or --take theirs.\n`,
      );
      return 1;
    }
    const choices = await settle(conflicts, opts, ctx, ws.bank);
    if (!choices) return 1;
    for (const c of conflicts) applyChoice(cycle, c, choices.get(c.key) ?? { take: 'ours' }, ctx.today());
  }
  await writeResolved(ws, cycle, ctx);
  const report = displayPath(ctx, reportPath(ws, id));
  const next = await nextGitStep(ws.dir, ctx);
  writeHuman(
    ctx.stderr,
    `${conflicts.length === 0 ? 'No item conflicts were left' : `Settled ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}`}; ${shown} and ${report} are written and valid.\nNow run: git add ${commandLineQuote(shown)} ${commandLineQuote(report)} && ${next}\n`,
  );
  return undefined;
}

async function writeResolved(ws: Workspace, cycle: CycleFile, ctx: CommandContext): Promise<void> {
  const { serializeCycle } = await import('../core/cycle.ts');
  const { renderReport } = await import('../core/report.ts');
  delete cycle.conflicts;
  const text = serializeCycle(cycle, ws.bank);
  const check = parseCycleText(text, displayPath(ctx, cyclePath(ws, cycle.cycle)), ws.bank);
  if (!check.cycle)
    throw new FailureError(
      'the resolved cycle did not check out; nothing was written',
      check.problems.map((p) => p.message).join('; '),
    );
  await writeFileAtomic(cyclePath(ws, cycle.cycle), text);
  const reportFile = reportPath(ws, cycle.cycle);
  const existing = await readOrEmpty(reportFile);
  const { isReportHandEdited } = await import('../core/report.ts');
  const sides = findConflictMarkers(existing) === undefined ? undefined : splitConflictText(existing);
  if (sides && (isReportHandEdited(sides.ours) || isReportHandEdited(sides.theirs))) {
    // whatever was typed into a conflicted report is kept beside it, never lost
    await writeFileAtomic(`${reportFile}.orig`, existing);
    writeHuman(
      ctx.stderr,
      `The conflicted report was kept as ${displayPath(ctx, `${reportFile}.orig`)}; import any edits in it with kinship-reflect import.\n`,
    );
  }
  if (ws.config.report || existing !== '') await writeFileAtomic(reportFile, renderReport(ws.bank, cycle));
}
