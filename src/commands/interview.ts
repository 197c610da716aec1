import path from 'node:path';
import type { CommandOptions } from '../command-spec.ts';
import { carryForwardActions } from '../core/actions.ts';
import { findStage, normalizeTag } from '../core/bank.ts';
import {
  assertCycleId,
  CYCLE_ID_RULE,
  carryForwardAnswers,
  cycleIdProblem,
  isValidCycleId,
} from '../core/cycle.ts';
import { InterruptedError, UsageError } from '../core/errors.ts';
import {
  hasRecommendationSections,
  planItems,
  stageProgress,
  suggestCycleId,
} from '../core/interview-plan.ts';
import { MOVE_KEYS } from '../core/keys.ts';
import type { CycleFile, Stage } from '../core/types.ts';
import { Session } from '../interview/session.ts';
import {
  choosePriorities,
  offerActions,
  reviewActionProgress,
  showReviewSummary,
} from '../interview/stage-steps.ts';
import { stageSummary, walkItems } from '../interview/walk.ts';
import { type CommandContext, isPlain } from '../shell/context.ts';
import { cycleExists, readCycle, tidyWorkspace, updateCycle } from '../shell/cycle-store.ts';
import { gitSetupHint } from '../shell/git-hint.ts';
import {
  displayPath,
  listCycleIds,
  openWorkspace,
  readWorkspaceConfig,
  type Workspace,
  workspaceDir,
} from '../shell/workspace.ts';
import { makePrompter } from '../ui/make-prompter.ts';
import { EndOfInputError, type Prompter } from '../ui/prompter.ts';
import { makeTheme } from '../ui/theme.ts';
import { createWorkspace, newWorkspaceHint } from './init.ts';

/** The options of `interview`, as src/command-spec.ts declares them. */
export type InterviewOptions = CommandOptions<'interview'>;

/** Open the workspace, offering to create it when there is none. */
async function workspaceFor(ctx: CommandContext, prompter: Prompter): Promise<Workspace> {
  const dir = workspaceDir(ctx);
  if (!(await readWorkspaceConfig(ctx, dir))) {
    prompter.say(`There is no workspace in ${displayPath(ctx, dir)} yet. Let's create one.`);
    let authority = '';
    while (authority === '') {
      authority = (
        await prompter.input(
          'Which local authority are these reflections for? (e.g. Exampleshire County Council)',
        )
      ).trim();
    }
    await createWorkspace(ctx, { authority });
    prompter.say(`Created ${displayPath(ctx, path.join(dir, 'kinship-reflect.yaml'))}.`);
    prompter.say(newWorkspaceHint(ctx, dir));
  }
  return openWorkspace(ctx);
}

async function chooseCycle(
  ctx: CommandContext,
  ws: Workspace,
  prompter: Prompter,
  requested?: string,
): Promise<string> {
  if (requested !== undefined) {
    assertCycleId(requested);
    return requested;
  }
  const ids = await listCycleIds(ws);
  const suggestion = suggestCycleId(ctx.today(), ids);
  if (ids.length > 0) {
    const choice = await prompter.select('Which cycle?', [
      ...[...ids].reverse().map((id) => ({ value: id, label: `Continue cycle ${id}` })),
      { value: '', label: 'Start a new cycle', key: 'n' },
    ]);
    if (choice !== '') return choice;
  }
  for (;;) {
    const id =
      (
        await prompter.input('Name the new cycle (letters, digits and -, such as 2026-27 or 2026-q1)', {
          default: suggestion,
        })
      ).trim() || suggestion;
    if (isValidCycleId(id) && !ids.includes(id)) return id;
    prompter.say(
      ids.includes(id) ? `Cycle ${id} already exists.` : `${cycleIdProblem(id) ?? CYCLE_ID_RULE}.`,
    );
  }
}

/** The cycle this one follows: its `from`, or else the cycle listed just before it. */
async function previousCycle(ws: Workspace, cycle: CycleFile): Promise<CycleFile | undefined> {
  const ids = await listCycleIds(ws);
  const before =
    cycle.from ?? ids.filter((id) => id !== cycle.cycle && ids.indexOf(id) < ids.indexOf(cycle.cycle)).pop();
  if (!before || before === cycle.cycle || !ids.includes(before)) return undefined;
  return readCycle(ws, before).catch(() => undefined);
}

/** Create the cycle, carrying forward from an earlier one when asked (or offered and accepted). */
async function openCycle(
  ws: Workspace,
  prompter: Prompter,
  id: string,
  from: string | undefined,
): Promise<CycleFile> {
  const exists = await cycleExists(ws, id);
  const ids = (await listCycleIds(ws)).filter((x) => x !== id);
  let source = from;
  if (source !== undefined) {
    if (source === id) throw new UsageError('--from must name another cycle than --cycle.');
    if (!ids.includes(source))
      throw new UsageError(`--from: there is no cycle "${source}" (cycles: ${ids.join(', ') || 'none'}).`);
  } else if (!exists && ids.length > 0) {
    const last = ids[ids.length - 1] as string;
    const carry = await prompter.confirm(
      `Start ${id} from cycle ${last}'s answers? They are marked "carried forward" until you confirm or change each one.`,
      { default: true },
    );
    if (carry) source = last;
  }
  if (source === undefined) {
    return exists ? readCycle(ws, id) : updateCycle(ws, id, () => {}, { create: true });
  }
  const earlier = await readCycle(ws, source);
  let carried = 0;
  let actions = 0;
  const cycle = await updateCycle(
    ws,
    id,
    (c) => {
      c.from = source;
      carried = carryForwardAnswers(earlier, c, ws.bank);
      actions = carryForwardActions(earlier, c).carried.length;
    },
    { create: true },
  );
  prompter.say(
    `Carried forward ${carried} answer${carried === 1 ? '' : 's'} and ${actions} open action${actions === 1 ? '' : 's'} from ${source}.`,
  );
  return cycle;
}

/** "4 of 12 answered, 3 skipped, 2 carried forward": skipped questions are never counted as done. */
export function progressHint(answered: number, skipped: number, total: number, carried = 0): string {
  const parts = [`${answered} of ${total} answered`];
  if (skipped) parts.push(`${skipped} skipped`);
  if (carried) parts.push(`${carried} carried forward`);
  return parts.join(', ');
}

async function chooseStage(session: Session): Promise<Stage | undefined> {
  const progress = stageProgress(session.ws.bank, session.cycle);
  const choice = await session.prompter.select(
    'Which stage would you like to work on?',
    [
      ...progress.map((p, i) => ({
        value: p.stage,
        label: session.safe(p.title),
        hint: progressHint(p.done, p.skipped, p.total, p.carried),
        key: String(i + 1),
      })),
      { value: '', label: 'Save and quit', key: MOVE_KEYS.quit },
    ],
    { help: () => session.tagHelp(), cancel: '' },
  );
  return choice === '' ? undefined : findStage(session.ws.bank, choice);
}

async function runStage(
  session: Session,
  stage: Stage,
  tag: string | undefined,
): Promise<'finished' | 'quit'> {
  const bank = session.ws.bank;
  // the bank keeps the source's bold markup (**…**) for documents; a terminal shows the words
  const intro = stage.introduction.replace(/\*\*(.+?)\*\*/g, '$1');
  session.say(`\n${session.theme.heading(session.safe(stage.title))}\n${session.safe(intro)}`);
  for (const tip of stage.tips ?? []) session.say(`TIP: ${session.safe(tip)}`);
  let recommendations: string[] | undefined;
  if (hasRecommendationSections(stage)) {
    recommendations = await choosePriorities(session);
    await offerActions(
      session,
      session.cycle.priorities.map((p) => p.recommendation),
    );
  } else if (stage.id === 'do') {
    await reviewActionProgress(session);
  } else if (stage.id === 'review') {
    showReviewSummary(session);
  }
  const items = planItems(bank, { stage: stage.id, tag, recommendations });
  const outcome = await walkItems(session, stage, items);
  if (outcome === 'finished') {
    session.say(`\nEnd of ${session.safe(stage.title)}: ${stageSummary(session, items)}.`);
  }
  return outcome;
}

/** `interview`: the interactive walk through a stage, saving after every answer. */
export async function interview(
  opts: InterviewOptions,
  ctx: CommandContext,
  /** Tests pass a scripted prompter. */
  deps: { prompter?: Prompter } = {},
): Promise<void> {
  if (!deps.prompter && !ctx.stdin.isTTY && !isPlain(ctx)) {
    throw new UsageError(
      'the interview needs a terminal, and standard input is not one.\n' +
        'For a screen reader or a script, use the plain mode: kinship-reflect interview --plain --cycle <id> --stage <stage> < answers.txt\n' +
        'To set one answer from a script: kinship-reflect answer <item-id> --cycle <id> --text "…"',
    );
  }
  const theme = await makeTheme(
    isPlain(ctx) ? { ...ctx, global: { ...ctx.global, color: false } } : ctx,
    ctx.stderr,
  );
  const prompter = deps.prompter ?? makePrompter(ctx);
  let session: Session | undefined;
  try {
    const ws = await workspaceFor(ctx, prompter);
    await tidyWorkspace(ws);
    const hint = gitSetupHint(ws.dir);
    if (hint !== undefined) prompter.say(hint);
    const tag = opts.tag === undefined ? undefined : normalizeTag(opts.tag);
    if (tag !== undefined) {
      const { bankTags } = await import('../core/bank.ts');
      const known = bankTags(ws.bank);
      if (!known.includes(tag))
        throw new UsageError(`--tag "${opts.tag}" is not a tag of this bank (known: ${known.join(', ')}).`);
    }
    let stage: Stage | undefined;
    if (opts.stage !== undefined) {
      stage = findStage(ws.bank, opts.stage.toLowerCase());
      if (!stage)
        throw new UsageError(
          `--stage "${opts.stage}" is not a stage of this bank (stages: ${ws.bank.stages.map((s) => s.id).join(', ')}).`,
        );
    }
    const cycleId = await chooseCycle(ctx, ws, prompter, opts.cycle);
    const cycle = await openCycle(ws, prompter, cycleId, opts.from);
    session = new Session(ctx, ws, prompter, theme, cycle, await previousCycle(ws, cycle));
    await session.loadDrafts();
    const waiting = Object.keys(session.drafts).length;
    if (waiting > 0)
      prompter.say(
        `You have ${waiting} draft${waiting === 1 ? '' : 's'} in this cycle (text typed but not saved); each is offered when you reach its question.`,
      );
    prompter.say(
      `Cycle ${cycleId} for ${session.safe(ws.config.authority)} — answers are saved as you go in ${session.location}.`,
    );
    if (stage) {
      await runStage(session, stage, tag);
    } else {
      for (;;) {
        const chosen = await chooseStage(session);
        if (!chosen) break;
        if ((await runStage(session, chosen, tag)) === 'quit') break;
      }
    }
    prompter.say(
      `Saved. Your answers are in ${session.location}. Carry on any time with: kinship-reflect interview --cycle ${cycleId}`,
    );
    const drafts = session.draftReport();
    if (drafts) prompter.say(drafts);
  } catch (error) {
    const drafts = session?.draftReport() ?? '';
    if (error instanceof EndOfInputError && error.notUnderstood) {
      // a script that fed answers nothing understood did not do what it meant to: a usage error
      throw new UsageError(
        `${error.message}${session ? ` Everything confirmed before is saved in ${session.location}.` : ''} ` +
          'Check the answers the script gives: kinship-reflect help plain lists what each question takes.',
      );
    }
    if (error instanceof EndOfInputError) {
      prompter.say(
        session
          ? `Input ended. Everything you confirmed is saved in ${session.location}.${drafts ? `\n${drafts}` : ''}`
          : 'Input ended before the interview started.',
      );
      return;
    }
    if (error instanceof InterruptedError) {
      throw new InterruptedError(
        session
          ? `interrupted. Everything you confirmed is saved in ${session.location}.${drafts ? `\n${drafts}` : ''}\nCarry on with: kinship-reflect interview --cycle ${session.cycleId}`
          : 'interrupted before anything was saved.',
      );
    }
    throw error;
  } finally {
    await session?.rememberPosition();
    session?.flushUnsaved();
    prompter.close();
  }
}
