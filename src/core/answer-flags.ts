/**
 * The rules that turn the flags of `kinship-reflect answer` into an answer: which status the flags
 * mean for an item, whether the text comes from stdin, and what a complete answer needs. Pure: the
 * command reads stdin and saves; this decides.
 */
import { type AnswerInput, statusesFor, textToLines } from './cycle.ts';
import type { Answer, AnswerStatus, FlatItem, Rating } from './types.ts';
import { RATINGS } from './types.ts';

/** The flags of `answer` that shape the answer. */
export interface AnswerFlags {
  status?: string;
  text?: string;
  needs?: string;
  rating?: string;
  evidence?: string[];
}

/** What the rules decided: a value, or the problems (in words for the user) that stop it. */
export type Decision<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/**
 * The status the flags give an item: `--status` if it fits the item's kind; else `needs-data` with
 * `--needs`, `answered` without (a checklist item has no default: it must be told).
 */
export function answerStatusFromFlags(
  item: Pick<FlatItem, 'id' | 'kind'>,
  flags: AnswerFlags,
): Decision<AnswerStatus> {
  const allowed = statusesFor(item);
  let status: AnswerStatus;
  if (flags.status !== undefined) {
    if (!(allowed as readonly string[]).includes(flags.status)) {
      return fail(
        `--status "${flags.status}" does not fit this ${item.kind} item. Valid statuses: ${allowed.join(', ')}.`,
      );
    }
    status = flags.status as AnswerStatus;
  } else if (item.kind === 'checklist') {
    return fail(`"${item.id}" is a checklist item: give --status (${allowed.join(', ')}).`);
  } else {
    status = flags.needs !== undefined ? 'needs-data' : 'answered';
  }
  const problems: string[] = [];
  if (flags.needs !== undefined && status !== 'needs-data') {
    problems.push('--needs goes with --status needs-data.');
  }
  if (flags.rating !== undefined && !(RATINGS as readonly string[]).includes(flags.rating)) {
    problems.push(`--rating must be one of: ${RATINGS.join(', ')}.`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: status };
}

/** Does an answer with this status take text (so that, without `--text`, it is read from stdin)? */
export function answerTakesText(item: Pick<FlatItem, 'kind'>, status: AnswerStatus): boolean {
  return status === 'answered' || item.kind === 'checklist';
}

/** An answer as the flags give it, checked; `withPrevious` completes it from the saved answer. */
export interface AnswerDraft {
  status: AnswerStatus;
  /** The answer's text, one entry per line (empty when none was given). */
  text: string[];
  /** What data is needed, one entry per line (empty unless needs-data). */
  needs: string[];
  rating?: Rating;
  evidence?: string[];
}

/** The answer the flags make, given the status they decided and the text (`--text` or stdin). */
export function answerFromFlags(
  status: AnswerStatus,
  flags: AnswerFlags,
  text: string | undefined,
): Decision<AnswerDraft> {
  const lines = textToLines(text ?? '');
  if (status === 'answered' && lines.length === 0) {
    return fail(
      'an answer needs some text: give --text "…" or pipe it on stdin (or use --status skipped / needs-data).',
    );
  }
  const needs = textToLines(flags.needs ?? '');
  if (status === 'needs-data' && needs.length === 0) {
    return fail('say what data is needed: --needs "…".');
  }
  const draft: AnswerDraft = { status, text: lines, needs };
  if (flags.rating !== undefined) draft.rating = flags.rating as Rating;
  if (flags.evidence !== undefined) draft.evidence = flags.evidence;
  return { ok: true, value: draft };
}

/**
 * The answer to save: what the flags left out is kept from the previous answer — its rating and
 * evidence, and its text when the new status is needs-data.
 */
export function withPrevious(draft: AnswerDraft, previous: Answer | undefined): AnswerInput {
  const { status } = draft;
  return {
    status,
    text: draft.text.length > 0 ? draft.text : status === 'needs-data' ? previous?.text : undefined,
    needs: status === 'needs-data' ? draft.needs : undefined,
    rating: draft.rating ?? previous?.rating,
    evidence: draft.evidence ?? previous?.evidence,
  };
}

function fail<T>(problem: string): Decision<T> {
  return { ok: false, problems: [problem] };
}
