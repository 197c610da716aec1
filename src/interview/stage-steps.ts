/**
 * What a stage does before its questions: Plan chooses priorities and actions, Do asks for progress
 * on the open actions, Review looks back at what was done.
 */
import { addAction, nextCyclePlanSeed, reviewSummary, updateAction } from '../core/actions.ts';
import { DATE_FORMS, formatUkDate, isOverdue, parseUserDate } from '../core/dates.ts';
import { rationaleDraftKey } from '../core/drafts.ts';
import { InterruptedError } from '../core/errors.ts';
import { suggestPriorities, unlinkedConcerns } from '../core/interview-plan.ts';
import type { Action, ActionStatus, Priority, Tag } from '../core/types.ts';
import { actionIdsInWorkspace } from '../shell/cycle-store.ts';
import { EndOfInputError } from '../ui/prompter.ts';
import type { Session } from './session.ts';

function evidenceLabel(session: Session, rec: Tag): string {
  const bank = session.ws.bank;
  const r = bank.recommendations.find((x) => x.id === rec);
  return bank.evidenceRatings.find((e) => e.id === r?.evidence)?.label ?? r?.evidence ?? '';
}

function describeAction(session: Session, a: Action, today: string): string {
  const bits = [`${a.id}: ${session.safe(a.title)}`];
  if (a.tags.length) bits.push(session.theme.badges(a.tags));
  if (a.owner) bits.push(`owner: ${session.safe(a.owner)}`);
  if (a.due) bits.push(`due ${formatUkDate(a.due)}`);
  bits.push(`status: ${a.status.replace('-', ' ')}`);
  if (isOverdue(a, today)) bits.push('OVERDUE');
  return bits.join(' · ');
}

/**
 * Plan, first part: choose and order the priority Recommendations once, with a suggestion computed
 * from the Assess answers (and how), and in a carried-forward cycle last cycle's priorities, order
 * and rationale to confirm or change, or what last Review said to focus on next. Each choice is saved
 * as it is made. Returns the chosen Recommendation ids.
 */
export async function choosePriorities(session: Session): Promise<Tag[]> {
  const bank = session.ws.bank;
  const existing = session.cycle.priorities.map((p) => p.recommendation);
  const carried = existing.length === 0 ? (session.previous?.priorities ?? []) : [];
  if (existing.length > 0 || carried.length > 0) {
    const kept = await offerToKeep(session, existing, carried);
    if (kept) return kept;
  }

  const suggestions = suggestPriorities(bank, session.cycle);
  const seed = session.previous ? nextCyclePlanSeed(session.previous, bank) : undefined;
  session.say(suggestionLines(session, suggestions, seed).join('\n'));

  // what the last Review said to focus on next comes before last cycle's own priorities
  const preselected =
    existing.length > 0
      ? existing
      : seed && seed.focus.length > 0
        ? seed.focus
        : carried.length > 0
          ? carried.map((p) => p.recommendation)
          : suggestions
              .filter((s) => s.score > 0)
              .slice(0, 2)
              .map((s) => s.recommendation);
  // the checkbox returns them in the order wanted (the terminal asks once whether the order is right;
  // the plain mode takes the numbers in order): no second round of ordering
  const ordered = await session.prompter.checkbox(
    'Which Recommendations will you prioritise this cycle, in order?',
    bank.recommendations.map((r) => ({
      value: r.id,
      label: `${r.id} — ${session.safe(r.text.length > 80 ? `${r.text.slice(0, 77)}…` : r.text)}`,
      short: r.id,
      hint: evidenceLabel(session, r.id),
    })),
    { checked: preselected, help: () => session.tagHelp(bank.recommendations.map((r) => r.id)) },
  );
  if (ordered.length === 0) {
    session.say('No Recommendation chosen: the Plan questions of every Recommendation will be shown.');
    await session.save(
      (c) => {
        c.priorities = [];
      },
      { label: 'priorities' },
    );
    return bank.recommendations.map((r) => r.id);
  }

  const previousRationale = new Map(
    [...carried, ...session.cycle.priorities].map((p) => [p.recommendation, p.rationale]),
  );
  const priorities: Priority[] = ordered.map((recommendation) => {
    const rationale = previousRationale.get(recommendation);
    return rationale ? { recommendation, rationale } : { recommendation };
  });
  await session.save(
    (c) => {
      c.priorities = priorities;
    },
    { label: 'priorities' },
  );
  session.say(session.theme.ok(`Saved priorities: ${ordered.join(', ')}.`));
  return askRationales(session, ordered);
}

/**
 * This cycle's priorities, or last cycle's carried forward: keep them (and, when carried, save them
 * and go through their rationales) or choose again. The priorities kept, or undefined to choose again.
 */
async function offerToKeep(
  session: Session,
  existing: Tag[],
  carried: readonly Priority[],
): Promise<Tag[] | undefined> {
  const shown = existing.length > 0 ? existing : carried.map((p) => p.recommendation);
  session.say(
    existing.length > 0
      ? `Your priority Recommendations for this cycle, in order: ${shown.join(', ')}.`
      : `Last cycle's priorities (${session.safe(session.previous?.cycle ?? '')}), in order: ${shown.join(', ')}${carried.some((p) => p.rationale?.length) ? ', each with its rationale' : ''}. They are carried forward until you confirm or change them.`,
  );
  const keep = await session.prompter.select(
    existing.length > 0 ? 'Keep these priorities?' : 'Keep them for this cycle?',
    [
      {
        value: 'keep',
        label: existing.length > 0 ? 'Keep them and go on' : 'Keep them (you can edit each rationale next)',
        key: 'k',
      },
      { value: 'change', label: 'Choose again', key: 'c' },
    ],
    { help: () => session.tagHelp(shown) },
  );
  if (keep !== 'keep') return undefined;
  if (existing.length > 0) return existing;
  const copied: Priority[] = carried.map((p) => ({
    ...p,
    ...(p.rationale ? { rationale: [...p.rationale] } : {}),
  }));
  await session.save(
    (c) => {
      c.priorities = copied;
    },
    { label: 'priorities' },
  );
  session.say(session.theme.ok(`Saved priorities: ${shown.join(', ')}.`));
  return askRationales(session, shown);
}

/**
 * The suggestion and how it was made: each Recommendation's score from the Assess answers, the
 * red and amber answers that point to none in particular, and what last cycle left to do.
 */
function suggestionLines(
  session: Session,
  suggestions: ReturnType<typeof suggestPriorities>,
  seed: ReturnType<typeof nextCyclePlanSeed> | undefined,
): string[] {
  const lines = [
    '',
    session.theme.heading('Choose your priority Recommendations'),
    'Suggested from your Assess answers (each red answer counts twice, amber and "needs data" once):',
  ];
  for (const s of suggestions) {
    lines.push(
      `  ${s.recommendation} (${evidenceLabel(session, s.recommendation)}): ${s.score > 0 ? 'suggested — ' : ''}${s.reason}`,
    );
  }
  const unlinked = unlinkedConcerns(session.ws.bank, session.cycle);
  const concerns = unlinked.red + unlinked.amber + unlinked.needsData;
  if (concerns > 0) {
    const what = [
      unlinked.red ? `${unlinked.red} red` : '',
      unlinked.amber ? `${unlinked.amber} amber` : '',
      unlinked.needsData ? `${unlinked.needsData} needing data` : '',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `${concerns} more Assess answer${concerns === 1 ? '' : 's'} (${what}) ${concerns === 1 ? 'is' : 'are'} tagged only ${unlinked.tags.join(', ')}, so ${concerns === 1 ? 'it points' : 'they point'} to no Recommendation in particular and ${concerns === 1 ? 'is' : 'are'} not counted above: weigh ${concerns === 1 ? 'it' : 'them'} yourself.`,
    );
  }
  if (seed && seed.focus.length > 0) {
    lines.push(`Last cycle's Review said to focus next on: ${seed.focus.join(', ')}.`);
  }
  if (seed && seed.openActions.length > 0) {
    lines.push(
      `Unfinished actions from last cycle: ${seed.openActions.map((a) => a.id).join(', ')} (carried into this cycle).`,
    );
  }
  return lines;
}

/** Ask why each priority was chosen, pre-filled with its rationale (or its draft); saved one by one. */
async function askRationales(session: Session, ordered: Tag[]): Promise<Tag[]> {
  const { prompter } = session;
  for (const rec of ordered) {
    const current = session.cycle.priorities.find((p) => p.recommendation === rec)?.rationale;
    const key = rationaleDraftKey(rec);
    const draft = session.drafts[key];
    if (draft)
      session.say(
        `Your draft of the rationale for ${rec} (typed on ${draft.saved}, not saved) is filled in below.`,
      );
    const keep: { current?: readonly string[] } = {};
    let rationale: string[] | undefined;
    try {
      rationale = await prompter.multiline(
        `Why prioritise ${rec}?${current ? ' (typing nothing keeps the current rationale)' : ''}`,
        { initial: draft?.text ?? current, keep, help: () => session.tagHelp([rec]) },
      );
    } catch (error) {
      if ((error instanceof InterruptedError || error instanceof EndOfInputError) && keep.current?.length) {
        const typed = keep.current;
        const before = draft?.text ?? current ?? [];
        if (typed.length !== before.length || typed.some((l, i) => l !== before[i]))
          await session.keepDraft(key, 'rationale', typed);
      }
      throw error;
    }
    if (rationale === undefined || rationale.length === 0) continue;
    const ok = await session.save(
      (c) => {
        const p = c.priorities.find((x) => x.recommendation === rec);
        if (p) p.rationale = rationale;
      },
      { label: `rationale-${rec}`, lines: rationale, draft: { key, field: 'rationale' } },
    );
    if (ok) await session.dropDraft(key);
  }
  return ordered;
}

/** Plan, second part: offer to add actions for each priority Recommendation. */
export async function offerActions(session: Session, priorities: readonly Tag[]): Promise<void> {
  const { prompter } = session;
  for (const rec of priorities) {
    const have = session.cycle.actions.filter(
      (a) => a.tags.includes(rec) && (a.status === 'planned' || a.status === 'in-progress'),
    );
    const question = have.length
      ? `${rec} has ${have.length} open action${have.length === 1 ? '' : 's'} (${have.map((a) => a.id).join(', ')}). Add another?`
      : `Add an action for ${rec}?`;
    while (
      await prompter.confirm(question, { default: have.length === 0, help: () => session.tagHelp([rec]) })
    ) {
      const title = (await prompter.input('What will be done? (the action, in a line)')).trim();
      if (title === '') {
        session.say('No title given, so no action was added.');
        break;
      }
      const owner = (
        await prompter.input('Who owns it? (a role or team, not a named person; empty for none)')
      ).trim();
      let due: string | undefined;
      for (;;) {
        const raw = (await prompter.input(`Due date? (${DATE_FORMS}; empty for none)`)).trim();
        if (raw === '') break;
        due = parseUserDate(raw);
        if (due) break;
        session.say(`"${session.safe(raw)}" is not a date I can read. Use ${DATE_FORMS}.`);
      }
      const today = session.ctx.today();
      const usedIds = await actionIdsInWorkspace(session.ws, session.cycleId);
      let added: Action | undefined;
      await session.save(
        (c) => {
          added = addAction(
            c,
            { title, owner: owner || undefined, due, tags: [rec] },
            today,
            session.ws.bank,
            usedIds,
          );
        },
        { label: `action-${rec}`, lines: [title] },
      );
      if (added) session.say(session.theme.ok(`Added ${describeAction(session, added, today)}.`));
      if (!(await prompter.confirm(`Add another action for ${rec}?`, { default: false }))) break;
    }
  }
}

/** Do: walk the open actions and ask for progress, before the questions. */
export async function reviewActionProgress(session: Session): Promise<void> {
  const today = session.ctx.today();
  const open = session.cycle.actions.filter((a) => a.status === 'planned' || a.status === 'in-progress');
  if (open.length === 0) {
    session.say(
      'There are no open actions in this cycle. (Add them in Plan, or with: kinship-reflect actions add)',
    );
    return;
  }
  session.say(
    `\n${session.theme.heading('Progress on your actions')}\n${open.length} open action${open.length === 1 ? '' : 's'}.`,
  );
  for (const action of open) {
    session.say(describeAction(session, action, today));
    const status = await session.prompter.select<ActionStatus | 'same'>(
      `How is ${action.id} going?`,
      [
        // the status it has now is "No change", never offered a second time under its own name
        ...(
          [
            { value: 'same', label: `No change (still ${action.status.replace('-', ' ')})`, key: 'u' },
            { value: 'in-progress', label: 'In progress', key: 'i' },
            { value: 'done', label: 'Done', key: 'd' },
            { value: 'dropped', label: 'Dropped', key: 'x' },
            { value: 'planned', label: 'Planned (not started)', key: 'p' },
          ] as const
        ).filter((c) => c.value !== action.status),
      ],
      { default: 'same', help: () => session.tagHelp(action.tags) },
    );
    const note = (await session.prompter.input('A short note on progress (empty for none)')).trim();
    if (status === 'same' && note === '') continue;
    const patch = {
      ...(status !== 'same' && status !== action.status ? { status } : {}),
      ...(note ? { note } : {}),
    };
    if (Object.keys(patch).length === 0) continue;
    await session.save(
      (c) => {
        updateAction(c, action.id, patch, today);
      },
      { label: `action-${action.id}`, lines: note ? [note] : [] },
    );
    session.say(session.theme.ok(`Saved progress on ${action.id}.`));
  }
}

/** Review: what was done, dropped and overdue, before the questions. */
export function showReviewSummary(session: Session): void {
  const today = session.ctx.today();
  const s = reviewSummary(session.cycle, today);
  const lines = ['', session.theme.heading('Your actions this cycle')];
  const list = (label: string, actions: Action[]) => {
    lines.push(`${label}: ${actions.length}`);
    for (const a of actions) lines.push(`  ${describeAction(session, a, today)}`);
  };
  list('Done', s.done);
  list('Dropped', s.dropped);
  list('Overdue', s.overdue);
  list('Still open', s.open);
  session.say(lines.join('\n'));
}
