/**
 * `kinship-reflect actions [list|add|update]`: the actions of a cycle.
 */

import type { CommandOptions } from '../command-spec.ts';
import {
  actionsSummary,
  addAction,
  filterActions,
  findAction,
  parseActionStatus,
  parseDueDate,
  updateAction,
  validateActionTags,
} from '../core/actions.ts';
import { toJsonText } from '../core/control-chars.ts';
import { formatUkDate, isOverdue } from '../core/dates.ts';
import { UsageError } from '../core/errors.ts';
import type { Action, ActionStatus, IsoDate } from '../core/types.ts';
import type { CommandContext } from '../shell/context.ts';
import { actionIdsInWorkspace, readCycle, updateCycle } from '../shell/cycle-store.ts';
import { writeHuman } from '../shell/human-output.ts';
import { openWorkspace, resolveCycleId } from '../shell/workspace.ts';
import { makeTheme, type Theme } from '../ui/theme.ts';

/** The options of `actions list`, as src/command-spec.ts declares them. */
export type ActionsListOptions = CommandOptions<'actions list'>;

/** The options of `actions add`, as src/command-spec.ts declares them. */
export type ActionsAddOptions = CommandOptions<'actions add'>;

/** The options of `actions update`, as src/command-spec.ts declares them. */
export type ActionsUpdateOptions = CommandOptions<'actions update'>;

const STATUS_LABEL: Record<ActionStatus, string> = {
  planned: 'planned',
  'in-progress': 'in progress',
  done: 'done',
  dropped: 'dropped',
};

function statusLabel(status: ActionStatus): string {
  return STATUS_LABEL[status] ?? status;
}

/** An action for `--json`: as stored, plus whether it is overdue today. */
function actionJson(action: Action, today: IsoDate): Action & { overdue: boolean } {
  return { ...action, overdue: isOverdue(action, today) };
}

function writeJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout.write(`${toJsonText(value, 2)}\n`);
}

/** Two or three lines per action: id, status, due date and OVERDUE in words, title; then owner and tags. */
export function formatActionLines(action: Action, today: IsoDate, t: Theme): string[] {
  const overdue = isOverdue(action, today);
  const status = statusLabel(action.status).padEnd(12);
  const due = (action.due ? `due ${formatUkDate(action.due)}` : 'no due date').padEnd(16);
  // a fixed-width column, so titles line up whether or not the word is there
  const flag = overdue ? `${t.error('OVERDUE')}  ` : ' '.repeat(9);
  const lines = [`${t.heading(action.id.padEnd(4))} ${status} ${due}${flag}${t.safe(action.title)}`];
  const details: string[] = [];
  details.push(`owner: ${action.owner ? t.safe(action.owner) : 'not set'}`);
  if (action.tags.length > 0) details.push(t.badges(action.tags));
  details.push(`opened in ${t.safe(action.opened)}`);
  lines.push(`     ${details.join(' · ')}`);
  for (const note of action.notes ?? []) lines.push(`     note: ${t.safe(note)}`);
  const last = action.history[action.history.length - 1];
  if (last?.note)
    lines.push(`     ${formatUkDate(last.date)} ${statusLabel(last.status)}: ${t.safe(last.note)}`);
  return lines;
}

function summaryLine(actions: readonly Action[], today: IsoDate): string {
  const s = actionsSummary(actions, today);
  const parts = (Object.keys(s.byStatus) as ActionStatus[])
    .filter((k) => s.byStatus[k] > 0)
    .map((k) => `${s.byStatus[k]} ${statusLabel(k)}`);
  const overdue = s.overdue > 0 ? `; ${s.overdue} OVERDUE` : '';
  return `${s.total} action${s.total === 1 ? '' : 's'}${parts.length > 0 ? ` (${parts.join(', ')}${overdue})` : ''}`;
}

export async function actionsList(opts: ActionsListOptions, ctx: CommandContext): Promise<number> {
  const ws = await openWorkspace(ctx);
  // check the filters before reading anything, so a typo gets a clear message
  if (opts.status !== undefined) parseActionStatus(opts.status);
  if (opts.tag !== undefined) validateActionTags([opts.tag], ws.bank);
  const id = await resolveCycleId(ws, opts.cycle);
  const cycle = await readCycle(ws, id);
  const today = ctx.today();
  const shown = filterActions(
    cycle.actions,
    { status: opts.status, tag: opts.tag, owner: opts.owner, overdue: opts.overdue === true },
    today,
  );
  if (opts.json) {
    writeJson(ctx, {
      cycle: cycle.cycle,
      authority: cycle.authority,
      today,
      summary: actionsSummary(cycle.actions, today),
      actions: shown.map((a) => actionJson(a, today)),
    });
    return 0;
  }
  const t = await makeTheme(ctx, ctx.stdout);
  const out: string[] = [];
  const filtered = shown.length !== cycle.actions.length;
  if (!ctx.global.quiet) {
    out.push(
      `Cycle ${t.safe(cycle.cycle)}: ${summaryLine(cycle.actions, today)}` +
        (filtered ? `. Showing ${shown.length} that match.` : '.'),
    );
  }
  if (shown.length === 0) {
    if (!ctx.global.quiet) {
      out.push(
        cycle.actions.length === 0
          ? `No actions yet. Add one: kinship-reflect actions add --cycle ${cycle.cycle} --title "…" --tag R1 --due 31/03/2027`
          : 'No actions match these filters.',
      );
    }
  } else {
    if (!ctx.global.quiet) out.push('');
    for (const a of shown) out.push(...formatActionLines(a, today, t));
  }
  if (out.length > 0) writeHuman(ctx.stdout, `${out.join('\n')}\n`);
  return 0;
}

export async function actionsAdd(opts: ActionsAddOptions, ctx: CommandContext): Promise<number> {
  const ws = await openWorkspace(ctx);
  const today = ctx.today();
  // validate before taking the lock: the same checks run again inside addAction
  if (opts.due !== undefined) parseDueDate(opts.due);
  validateActionTags(opts.tag ?? [], ws.bank);
  const id = await resolveCycleId(ws, opts.cycle);
  const usedIds = await actionIdsInWorkspace(ws, id);
  let added: Action | undefined;
  await updateCycle(ws, id, (cycle) => {
    added = addAction(
      cycle,
      { title: opts.title ?? '', owner: opts.owner, due: opts.due, tags: opts.tag ?? [], note: opts.note },
      today,
      ws.bank,
      usedIds,
    );
  });
  const action = added as Action;
  if (opts.json) {
    writeJson(ctx, actionJson(action, today));
    return 0;
  }
  const t = await makeTheme(ctx, ctx.stdout);
  writeHuman(
    ctx.stdout,
    `Added ${action.id} to cycle ${t.safe(id)}:\n${formatActionLines(action, today, t).join('\n')}\n`,
  );
  return 0;
}

export async function actionsUpdate(opts: ActionsUpdateOptions, ctx: CommandContext): Promise<number> {
  const changes = [opts.status, opts.title, opts.owner, opts.due, opts.tag, opts.note];
  if (changes.every((c) => c === undefined)) {
    throw new UsageError(
      `Say what to change about ${opts.id}: --status, --title, --owner, --due, --tag or --note. ` +
        `For example: kinship-reflect actions update ${opts.id} --status done`,
    );
  }
  const ws = await openWorkspace(ctx);
  const today = ctx.today();
  if (opts.status !== undefined) parseActionStatus(opts.status);
  if (opts.due !== undefined && opts.due.trim() !== '') parseDueDate(opts.due);
  if (opts.tag !== undefined) validateActionTags(opts.tag, ws.bank);
  const id = await resolveCycleId(ws, opts.cycle);
  // an unknown action id is reported before taking the lock
  findAction(await readCycle(ws, id), opts.id);
  let before: Action | undefined;
  let after: Action | undefined;
  await updateCycle(ws, id, (cycle) => {
    before = structuredClone(findAction(cycle, opts.id));
    after = updateAction(
      cycle,
      opts.id,
      {
        status: opts.status,
        title: opts.title,
        owner: opts.owner,
        due: opts.due,
        tags: opts.tag,
        note: opts.note,
      },
      today,
      ws.bank,
    );
  });
  const action = after as Action;
  if (opts.json) {
    writeJson(ctx, actionJson(action, today));
    return 0;
  }
  const t = await makeTheme(ctx, ctx.stdout);
  const was = before as Action;
  const what: string[] = [];
  if (was.status !== action.status)
    what.push(`status ${statusLabel(was.status)} → ${statusLabel(action.status)}`);
  if (was.title !== action.title) what.push('title');
  if (was.owner !== action.owner) what.push('owner');
  if (was.due !== action.due)
    what.push(action.due ? `due date ${formatUkDate(action.due)}` : 'due date removed');
  if (was.tags.join(' ') !== action.tags.join(' ')) what.push('tags');
  if ((was.notes ?? []).length !== (action.notes ?? []).length) what.push('note added');
  const summary = what.length > 0 ? what.join(', ') : 'nothing changed';
  writeHuman(
    ctx.stdout,
    `Updated ${action.id} in cycle ${t.safe(id)} (${summary}):\n${formatActionLines(action, today, t).join('\n')}\n`,
  );
  return 0;
}
