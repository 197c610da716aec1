/**
 * Walking the items of a stage: one item at a time, every confirmed answer saved before the next
 * item appears.
 */
import { findItem } from '../core/bank.ts';
import { controlCharacterProblem, escapeControlCharacters } from '../core/control-chars.ts';
import {
  type AnswerInput,
  answerSizeProblem,
  confirmCarried,
  linesToText,
  setAnswer,
  textToLines,
} from '../core/cycle.ts';
import { type DraftField, draftKey } from '../core/drafts.ts';
import { InterruptedError } from '../core/errors.ts';
import { resumeIndex } from '../core/interview-plan.ts';
import { MOVE_KEYS, RATING_KEYS, STAY_KEY } from '../core/keys.ts';
import type { Answer, ChecklistStatus, FlatItem, Rating, Stage } from '../core/types.ts';
import { type Choice, EndOfInputError, type TextMark } from '../ui/prompter.ts';
import type { Session } from './session.ts';

export type WalkOutcome = 'finished' | 'quit';

const CHECKLIST_LABELS: Record<ChecklistStatus, string> = {
  'not-started': 'Not started',
  planned: 'Planned',
  'in-place': 'In place',
  'not-applicable': 'Not applicable',
};

const STATUS_WORDS: Record<string, string> = {
  answered: 'answered',
  'needs-data': 'needs data',
  skipped: 'skipped',
  ...Object.fromEntries(Object.entries(CHECKLIST_LABELS).map(([k, v]) => [k, v.toLowerCase()])),
};

/** Words for an answer's status, e.g. "needs data". */
export function statusWords(status: string): string {
  return STATUS_WORDS[status] ?? status;
}

function indent(lines: readonly string[], prefix = '  | '): string {
  return lines.map((l) => `${prefix}${l}`).join('\n');
}

/** Show an answer in words: status, rating, text, what data is needed, where it came from. */
export function describeAnswer(session: Session, a: Answer): string {
  const parts = [`Status: ${statusWords(a.status)}`];
  if (a.rating) parts.push(`Rating: ${a.rating.toUpperCase()}`);
  if (a.carried !== undefined)
    parts.push(`carried forward from ${session.safe(a.carried)}, not yet confirmed`);
  const out = [parts.join(' · ')];
  if (a.text && a.text.length > 0) out.push(indent(a.text.map((l) => session.safe(l))));
  if (a.needs && a.needs.length > 0) out.push('Data needed:', indent(a.needs.map((l) => session.safe(l))));
  if (a.evidence && a.evidence.length > 0)
    out.push('Evidence:', indent(a.evidence.map((l) => session.safe(l))));
  return out.join('\n');
}

function showSection(session: Session, stage: Stage, item: FlatItem): void {
  const section = stage.sections.find((s) => s.id === item.sectionId);
  if (!section) return;
  const { theme } = session;
  const lines = ['', theme.heading(`== ${session.safe(section.title)} ==`)];
  if (section.tags && section.tags.length > 0) lines.push(`Tags: ${theme.badges(section.tags)}`);
  if (section.intro) lines.push(session.safe(section.intro));
  for (const tip of section.tips ?? []) lines.push(`TIP: ${session.safe(tip)}`);
  session.say(lines.join('\n'));
}

function showItem(session: Session, items: readonly FlatItem[], index: number): void {
  const item = items[index] as FlatItem;
  const { theme } = session;
  const lines = [
    '',
    theme.heading(`Question ${index + 1} of ${items.length}`) +
      theme.dim(` — ${session.safe(item.stageTitle)} › ${session.safe(item.section)} (${item.id})`),
  ];
  if (item.parent) {
    const parent = findItem(session.ws.bank, item.parent);
    if (parent) {
      lines.push(theme.dim(`Part of: ${session.safe(parent.text)}`));
      if (parent.lead) lines.push(theme.dim(session.safe(parent.lead)));
    }
  }
  lines.push(session.safe(item.text));
  if (item.tags.length > 0) lines.push(`Tags: ${theme.badges(item.tags)} (type ? to explain)`);
  else if (item.effectiveTags.length > 0)
    lines.push(`Tags (from its heading): ${theme.badges(item.effectiveTags)}`);
  if (item.kind === 'checklist')
    lines.push(theme.dim('A consideration to plan for: give it a status and, if you like, a note.'));
  if (item.lead) lines.push(session.safe(item.lead));
  const current = session.cycle.answers[item.id];
  if (current) lines.push('Current answer:', describeAnswer(session, current));
  else lines.push(theme.dim('Not answered yet.'));
  for (const field of ['text', 'needs'] as const) {
    const draft = session.drafts[draftKey(item.id, field)];
    if (!draft) continue;
    lines.push(
      theme.warn(
        `A draft you typed on ${draft.saved} and did not save${field === 'needs' ? ' (the data needed)' : ''}:`,
      ),
      indent(draft.text.map((l) => session.safe(l))),
    );
  }
  session.say(lines.join('\n'));
}

type Move =
  | 'restore'
  | 'discard'
  | 'rating'
  | 'write'
  | 'editor'
  | 'status'
  | 'keep'
  | 'needs'
  | 'skip'
  | 'last'
  | 'back'
  | 'jump'
  | 'first'
  | 'next'
  | 'quit';

async function chooseMove(
  session: Session,
  item: FlatItem,
  index: number,
  firstGap: number | undefined,
): Promise<Move> {
  const current = session.cycle.answers[item.id];
  const last = session.previous?.answers[item.id];
  const choices: Choice<Move>[] = [];
  const draft = session.drafts[draftKey(item.id)] ?? session.drafts[draftKey(item.id, 'needs')];
  if (draft) {
    choices.push({
      value: 'restore',
      label: 'Restore my draft and carry on editing it',
      key: MOVE_KEYS.restore,
    });
    choices.push({ value: 'discard', label: 'Discard the draft', key: MOVE_KEYS.discard });
  }
  if (item.kind === 'checklist') {
    choices.push({
      value: 'status',
      label: current ? 'Change the status and note' : 'Set the status and a note',
      key: MOVE_KEYS.write,
    });
  } else {
    choices.push({
      value: 'write',
      label: current?.text?.length ? 'Edit the answer' : 'Write an answer',
      key: MOVE_KEYS.write,
    });
    choices.push({
      value: 'editor',
      label: 'Write it in my editor ($VISUAL / $EDITOR)',
      key: MOVE_KEYS.editor,
    });
    if (current?.text?.length && session.ws.config.ratings)
      choices.push({ value: 'rating', label: 'Change the rating only', key: MOVE_KEYS.rating });
  }
  if (current) {
    choices.push({
      value: 'keep',
      label:
        current.carried !== undefined
          ? 'Keep the carried-forward answer (confirm it)'
          : 'Keep the current answer',
      key: MOVE_KEYS.keep,
    });
  }
  if (item.kind !== 'checklist')
    choices.push({ value: 'needs', label: 'Mark as "needs data" (say what data)', key: MOVE_KEYS.needs });
  choices.push({ value: 'skip', label: 'Skip this question', key: MOVE_KEYS.skip });
  if (last)
    choices.push({
      value: 'last',
      label: `See my answer from last cycle (${session.safe(session.previous?.cycle ?? '')})`,
      key: MOVE_KEYS.last,
    });
  if (index > 0)
    choices.push({ value: 'back', label: 'Go back to the previous question', key: MOVE_KEYS.back });
  if (firstGap !== undefined && firstGap !== index)
    choices.push({
      value: 'first',
      label: `Go to the first unanswered question (question ${firstGap + 1})`,
      key: MOVE_KEYS.first,
    });
  choices.push({ value: 'jump', label: 'Jump to another question or section', key: MOVE_KEYS.jump });
  choices.push({ value: 'quit', label: 'Save and quit', key: MOVE_KEYS.quit });
  return session.prompter.select('What would you like to do?', choices, {
    help: () => session.tagHelp(item.effectiveTags, item.text),
    ...(index > 0 ? { cancel: 'back' as const } : {}),
  });
}

async function askRating(
  session: Session,
  current: Rating | undefined,
  message = 'How well is this in place locally?',
): Promise<Rating | undefined> {
  if (!session.ws.config.ratings) return current;
  const choice = await session.prompter.select<Rating | 'none'>(
    message,
    [
      { value: 'red', label: 'Red — not in place, or a real concern', key: RATING_KEYS.red },
      { value: 'amber', label: 'Amber — partly in place', key: RATING_KEYS.amber },
      { value: 'green', label: 'Green — well in place', key: RATING_KEYS.green },
      { value: 'none', label: 'No rating', key: RATING_KEYS.none },
    ],
    { default: current ?? 'none', cancel: current ?? 'none', help: () => session.tagHelp() },
  );
  return choice === 'none' ? undefined : choice;
}

/** Ask for text, pre-filled with `initial`. `undefined`: backed out (Esc); empty: nothing typed. */
async function askText(
  session: Session,
  message: string,
  initial: string[] | undefined,
  item: FlatItem,
  keep: { current?: readonly string[] },
  marks?: readonly TextMark[],
): Promise<string[] | undefined> {
  return session.prompter.multiline(message, {
    initial,
    keep,
    ...(marks && marks.length > 0 ? { marks } : {}),
    question: item.text,
    help: () => session.tagHelp(item.effectiveTags, item.text),
  });
}

/** Ctrl-C, the end of input or a signal: the session stops, and typed text must be kept. */
function isStop(error: unknown): boolean {
  return error instanceof InterruptedError || error instanceof EndOfInputError;
}

function sameLines(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((l, i) => l === y[i]);
}

/**
 * Warn about personal data in what was typed. 'save': no findings, or the user says it is not
 * personal data; 'edit' / 'editor': the user wants to change it — what they typed is offered again
 * with `marks` on the lines where something was found (first the first).
 */
async function personalDataCheck(
  session: Session,
  item: FlatItem,
  lines: string[],
): Promise<{ verdict: 'save' } | { verdict: 'edit' | 'editor'; marks: TextMark[] }> {
  const { findPersonalData, describeFinding } = await import('../core/pii.ts');
  const findings = findPersonalData(lines.join('\n'), { item: item.id });
  if (findings.length === 0) return { verdict: 'save' };
  session.say(
    `${session.theme.warn('This answer may contain personal data:')}\n${findings
      .map((f) => `  line ${f.line}: ${describeFinding(f)}`)
      .join('\n')}\nAnswers should stay aggregated and never identify a child or a carer.`,
  );
  // one mark a line, in the order of the text: the cursor goes to the first finding
  const byLine = new Map<number, TextMark>();
  for (const f of [...findings].sort((a, b) => a.line - b.line || a.column - b.column)) {
    const seen = byLine.get(f.line);
    const what = describeFinding(f);
    if (seen) seen.note = `${seen.note}; ${what}`;
    else byLine.set(f.line, { line: f.line, column: f.column, note: `may hold personal data: ${what}` });
  }
  const marks = [...byLine.values()];
  const where =
    marks.length === 1
      ? `line ${marks[0]?.line}`
      : `lines ${marks
          .slice(0, -1)
          .map((m) => m.line)
          .join(', ')} and ${marks.at(-1)?.line}`;
  const verdict = await session.prompter.select<'save' | 'edit' | 'editor'>('What would you like to do?', [
    { value: 'edit', label: `Edit the answer (what you typed, ${where} marked)`, key: 'e' },
    { value: 'editor', label: `Edit it in my editor (${where} marked)`, key: 'd' },
    { value: 'save', label: 'Save it as it is (it is not personal data)', key: 's' },
  ]);
  return verdict === 'save' ? { verdict } : { verdict, marks };
}

/**
 * Get text from the user — in the text box, or in their editor when asked (falling back to the text
 * box) — and check it for personal data, going round again while they choose to edit. Returns the
 * lines (empty: nothing typed), or `undefined` when they backed out (Esc), keeping what they typed, if
 * anything, as a draft of `key`. Whatever stops the session on the way (Ctrl-C, end of input, a
 * signal) keeps the text typed so far as a draft of `key` too.
 */
async function composeText(
  session: Session,
  item: FlatItem,
  message: string,
  initial: string[] | undefined,
  draft: { key: string; field: DraftField },
  inEditor = false,
): Promise<string[] | undefined> {
  let start = initial;
  let useEditor = inEditor;
  let marks: TextMark[] | undefined;
  for (;;) {
    let lines: string[] | undefined;
    const keep: { current?: readonly string[] } = {};
    try {
      if (useEditor) {
        const edited = await session.prompter.editor(linesToText(start), item.text, marks);
        if (edited !== undefined) lines = textToLines(edited);
      }
      if (lines === undefined) {
        lines = await askText(session, message, start, item, keep, marks);
        if (lines === undefined) {
          // Esc: the answer stays as it was, and what was typed is kept as a draft, offered in the
          // menu (nothing typed is lost, pasted lines least of all)
          const typed = keep.current;
          if (typed && !sameLines(typed, initial) && typed.some((l) => l.trim() !== '')) {
            const before = session.drafts[draft.key];
            await session.keepDraft(draft.key, draft.field, typed);
            session.say(
              session.drafts[draft.key] !== before
                ? 'What you typed is kept as a draft: restore it or discard it from the menu.'
                : 'What you typed could not be kept as a draft; it is shown when the interview ends.',
            );
          }
          return undefined;
        }
      }
      marks = undefined;
      if (lines.length === 0) return [];
      const problem =
        controlCharacterProblem(lines.join('\n'), 'This answer') ?? answerSizeProblem(lines, 'This answer');
      if (problem) {
        // Offered again with the characters made visible (\x1B), so nothing typed is lost and the
        // user can see what to delete.
        session.say(session.theme.warn(`${problem}.`));
        start = lines.map(escapeControlCharacters);
        useEditor = false;
        continue;
      }
      const check = await personalDataCheck(session, item, lines);
      if (check.verdict === 'save') return lines;
      start = lines;
      marks = check.marks;
      useEditor = check.verdict === 'editor';
    } catch (error) {
      const typed = lines ?? keep.current;
      if (isStop(error) && typed && !sameLines(typed, initial)) {
        await session.keepDraft(draft.key, draft.field, typed);
      }
      throw error;
    }
  }
}

/**
 * Save the answer as soon as its text is confirmed, then ask for the rating and save that too: a
 * Ctrl-C or the end of piped input at the rating prompt never loses the text just typed.
 */
async function saveThenRate(
  session: Session,
  item: FlatItem,
  input: AnswerInput,
  field: DraftField = 'text',
): Promise<void> {
  if (!(await saveAnswer(session, item, input, field))) return;
  if (!session.ws.config.ratings) return;
  const rating = await askRating(session, input.rating);
  if (rating !== input.rating) {
    await saveAnswer(session, item, { ...input, rating });
  }
}

async function saveAnswer(
  session: Session,
  item: FlatItem,
  input: AnswerInput,
  field?: DraftField,
): Promise<boolean> {
  const today = session.ctx.today();
  const typed = field === 'needs' ? input.needs : input.text;
  const ok = await session.save((cycle) => setAnswer(cycle, item.id, input, today), {
    label: item.id,
    lines: [...(input.text ?? []), ...(input.needs ?? [])],
    ...(field && typed?.length
      ? { lines: typed, draft: { key: draftKey(item.id, field === 'needs' ? 'needs' : 'text'), field } }
      : {}),
  });
  if (ok && field) await session.dropDraft(draftKey(item.id, field === 'needs' ? 'needs' : 'text'));
  if (ok) {
    const words = [statusWords(input.status)];
    if (input.rating) words.push(`rated ${input.rating}`);
    if (input.text?.length) words.push(`${input.text.length} line${input.text.length === 1 ? '' : 's'}`);
    session.say(session.theme.ok(`Saved ${item.id}: ${words.join(', ')}.`));
  }
  return ok;
}

/** Handle one move on an item. Returns the next index, or 'quit'. */
async function applyMove(
  session: Session,
  items: readonly FlatItem[],
  index: number,
  move: Move,
  stage: Stage,
): Promise<number | 'quit'> {
  const item = items[index] as FlatItem;
  const current = session.cycle.answers[item.id];
  const base = current ? { rating: current.rating, evidence: current.evidence } : {};
  switch (move) {
    case 'quit':
      return 'quit';
    case 'back':
      return Math.max(0, index - 1);
    case 'jump':
      return jump(session, items, index, stage);
    case 'last': {
      const last = session.previous?.answers[item.id];
      session.say(
        last
          ? `Last cycle (${session.safe(session.previous?.cycle ?? '')}):\n${describeAnswer(session, last)}`
          : 'No answer last cycle.',
      );
      return index;
    }
    case 'keep': {
      if (current?.carried !== undefined) {
        const today = session.ctx.today();
        const ok = await session.save((cycle) => confirmCarried(cycle, item.id, today), { label: item.id });
        if (ok) session.say(session.theme.ok(`Confirmed the carried-forward answer to ${item.id}.`));
        // a year on, the words may hold while the rating moved: ask, Enter keeps it
        if (ok && current.rating && session.ws.config.ratings) {
          const rating = await askRating(
            session,
            current.rating,
            'Does the rating still hold? (Enter keeps it)',
          );
          if (rating !== current.rating) {
            const {
              carried: _carried,
              changed: _changed,
              ...rest
            } = session.cycle.answers[item.id] ?? current;
            await saveAnswer(session, item, { ...rest, rating });
          }
        }
      }
      return index + 1;
    }
    case 'rating': {
      if (!current) return index;
      const rating = await askRating(session, current.rating);
      if (rating !== current.rating) {
        const { changed: _changed, carried: _carried, ...rest } = current;
        await saveAnswer(session, item, { ...rest, rating });
      }
      return index + 1;
    }
    case 'discard': {
      await session.dropDraft(draftKey(item.id));
      await session.dropDraft(draftKey(item.id, 'needs'));
      session.say('The draft is discarded.');
      return index;
    }
    case 'restore': {
      const text = session.drafts[draftKey(item.id)];
      const needs = session.drafts[draftKey(item.id, 'needs')];
      if (needs && !text) return applyNeeds(session, item, index, needs.text);
      if (item.kind === 'checklist') return applyStatus(session, item, index, text?.text);
      return applyWrite(session, item, index, text?.text ?? [], false);
    }
    case 'skip': {
      if (current?.status === 'skipped' && current.carried === undefined) return index + 1;
      await saveAnswer(session, item, { status: 'skipped', text: current?.text, ...base });
      return index + 1;
    }
    case 'needs':
      return applyNeeds(session, item, index, current?.needs);
    case 'status':
      return applyStatus(session, item, index, current?.text);
    case 'write':
    case 'editor':
      return applyWrite(session, item, index, current?.text, move === 'editor');
    default:
      return index + 1;
  }
}

async function applyNeeds(
  session: Session,
  item: FlatItem,
  index: number,
  start: string[] | undefined,
): Promise<number> {
  const current = session.cycle.answers[item.id];
  const base = current ? { rating: current.rating, evidence: current.evidence } : {};
  const needs = await composeText(
    session,
    item,
    'What data do you need to answer this? (typing nothing cancels)',
    start,
    { key: draftKey(item.id, 'needs'), field: 'needs' },
  );
  if (needs === undefined || needs.length === 0) return index;
  await saveAnswer(session, item, { status: 'needs-data', text: current?.text, needs, ...base }, 'needs');
  return index + 1;
}

async function applyStatus(
  session: Session,
  item: FlatItem,
  index: number,
  start: string[] | undefined,
): Promise<number> {
  const current = session.cycle.answers[item.id];
  const base = current ? { rating: current.rating, evidence: current.evidence } : {};
  const status = await session.prompter.select<ChecklistStatus>(
    'Where is this?',
    (Object.keys(CHECKLIST_LABELS) as ChecklistStatus[]).map((s, i) => ({
      value: s,
      label: CHECKLIST_LABELS[s],
      key: String(i + 1),
    })),
    {
      default: (current?.status as ChecklistStatus | undefined) ?? 'not-started',
      help: () => session.tagHelp(item.effectiveTags, item.text),
    },
  );
  let note = await composeText(
    session,
    item,
    current?.text?.length ? 'A note (typing nothing keeps the current note).' : 'A note, if you like.',
    start,
    { key: draftKey(item.id), field: 'text' },
  );
  if (note === undefined) return index;
  if (note.length === 0 && current?.text) note = current.text;
  // "in place" and "not applicable" say how well it is in place already: no rating asked after them
  if (status === 'in-place' || status === 'not-applicable') {
    await saveAnswer(session, item, { status, text: note, ...base }, 'text');
    return index + 1;
  }
  await saveThenRate(session, item, { status, text: note, ...base });
  return index + 1;
}

async function applyWrite(
  session: Session,
  item: FlatItem,
  index: number,
  start: string[] | undefined,
  inEditor: boolean,
): Promise<number> {
  const current = session.cycle.answers[item.id];
  const base = current ? { rating: current.rating, evidence: current.evidence } : {};
  const lines = await composeText(
    session,
    item,
    'Your answer (typing nothing leaves the question as it was).',
    start,
    { key: draftKey(item.id), field: 'text' },
    inEditor,
  );
  if (lines === undefined) {
    session.say('Back: nothing changed.');
    return index;
  }
  if (lines.length === 0) {
    session.say('Nothing typed, nothing changed.');
    return index;
  }
  await saveThenRate(session, item, { status: 'answered', text: lines, ...base });
  return index + 1;
}

async function jump(
  session: Session,
  items: readonly FlatItem[],
  index: number,
  stage: Stage,
): Promise<number> {
  const sections = stage.sections.filter((s) => items.some((i) => i.sectionId === s.id));
  const sectionId = await session.prompter.select(
    'Which section?',
    [
      ...sections.map((s) => {
        const inSection = items.filter((i) => i.sectionId === s.id);
        const confirmed = inSection
          .map((i) => session.cycle.answers[i.id])
          .filter((a) => a && a.carried === undefined);
        const skipped = confirmed.filter((a) => a?.status === 'skipped').length;
        const answered = confirmed.length - skipped;
        return {
          value: s.id,
          label: session.safe(s.title),
          hint: `${answered} of ${inSection.length} answered${skipped ? `, ${skipped} skipped` : ''}`,
        };
      }),
      { value: '', label: 'Stay where I was', key: STAY_KEY },
    ],
    { cancel: '' },
  );
  if (sectionId === '') return index;
  const choices = items
    .map((item, i) => ({ item, i }))
    .filter(({ item }) => item.sectionId === sectionId)
    .map(({ item, i }) => {
      const a = session.cycle.answers[item.id];
      const state = !a ? 'not answered' : a.carried !== undefined ? 'carried forward' : statusWords(a.status);
      const text = item.text.length > 90 ? `${item.text.slice(0, 87)}…` : item.text;
      return { value: i, label: `${item.depth > 0 ? '  » ' : ''}${session.safe(text)}`, hint: state };
    });
  return session.prompter.select('Which question?', choices, { cancel: index, default: index });
}

/**
 * Walk `items` (all from `stage`), starting where the last session of this stage stopped (the
 * question then on screen), else at the first one not yet confirmed. Every confirmed answer is on
 * disk before the next item is shown.
 */
export async function walkItems(
  session: Session,
  stage: Stage,
  items: readonly FlatItem[],
  start?: number,
): Promise<WalkOutcome> {
  if (items.length === 0) {
    session.say('There are no questions here with the filters you chose.');
    return 'finished';
  }
  const gap = resumeIndex(items, session.cycle);
  const stoppedAt = session.resumeItem(stage.id);
  const stopped = stoppedAt === undefined ? -1 : items.findIndex((i) => i.id === stoppedAt);
  let index = start ?? (stopped >= 0 ? stopped : gap);
  if (start === undefined && stopped >= 0 && stopped > 0) {
    session.say(
      `Resuming where you left off: question ${stopped + 1} of ${items.length}.` +
        (gap < items.length && gap !== stopped
          ? ` (The first unanswered is question ${gap + 1}: press ${MOVE_KEYS.first} to go there.)`
          : ''),
    );
  } else if (index >= items.length) {
    session.say('Every question here has an answer. Starting from the first so you can review them.');
    index = 0;
  } else if (index > 0) {
    session.say(
      `Resuming at question ${index + 1} of ${items.length} (the first without a confirmed answer).`,
    );
  }
  let lastSection: string | undefined;
  while (index < items.length) {
    const item = items[index] as FlatItem;
    if (item.sectionId !== lastSection) {
      showSection(session, stage, item);
      lastSection = item.sectionId;
    }
    showItem(session, items, index);
    session.at = { stage: stage.id, item: item.id };
    const firstGap = resumeIndex(items, session.cycle);
    const move = await chooseMove(session, item, index, firstGap < items.length ? firstGap : undefined);
    if (move === 'first') {
      index = firstGap;
      continue;
    }
    const next = await applyMove(session, items, index, move, stage);
    if (next === 'quit') return 'quit';
    index = next;
  }
  session.at = { stage: stage.id, item: undefined };
  return 'finished';
}

/** Count of answerable items of the stage that are confirmed, for the end-of-stage summary. */
export function stageSummary(session: Session, items: readonly FlatItem[]): string {
  const counts: Record<string, number> = {};
  let carried = 0;
  let open = 0;
  for (const i of items) {
    const a = session.cycle.answers[i.id];
    if (!a) open++;
    else if (a.carried !== undefined) carried++;
    else counts[a.status] = (counts[a.status] ?? 0) + 1;
  }
  const parts = Object.entries(counts).map(([s, n]) => `${n} ${statusWords(s)}`);
  if (carried) parts.push(`${carried} carried forward and not yet confirmed`);
  if (open) parts.push(`${open} not answered`);
  return parts.join(', ') || 'nothing yet';
}
