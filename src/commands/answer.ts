import type { CommandOptions } from '../command-spec.ts';
import { findItem, flattenBank } from '../core/bank.ts';
import { setAnswer, statusesFor, textToLines } from '../core/cycle.ts';
import { UsageError } from '../core/errors.ts';
import { describeFinding, findPersonalData } from '../core/pii.ts';
import { closest } from '../core/suggest.ts';
import { type AnswerStatus, RATINGS, type Rating } from '../core/types.ts';
import type { CommandContext } from '../shell/context.ts';
import { assertCycleId, updateCycle } from '../shell/cycle-store.ts';
import { readAll } from '../shell/read-stream.ts';
import { openWorkspace } from '../shell/workspace.ts';

/** The options of `answer`, as src/command-spec.ts declares them. */
export type AnswerOptions = CommandOptions<'answer'>;

/** `answer <item-id>`: the interview's write path without prompts, for scripts. */
export async function answer(opts: AnswerOptions, ctx: CommandContext): Promise<void> {
  assertCycleId(opts.cycle);
  const ws = await openWorkspace(ctx);
  const id = opts['item-id'];
  const item = findItem(ws.bank, id);
  if (!item) {
    const ids = flattenBank(ws.bank)
      .filter((i) => i.kind !== 'prompt')
      .map((i) => i.id);
    throw new UsageError(
      `"${id}" is not an item of the ${ws.bank.id} bank. Did you mean: ${closest(id, ids).join(', ')}?\n` +
        'All item ids: kinship-reflect questions --json',
    );
  }
  if (item.kind === 'prompt') {
    const children = flattenBank(ws.bank).filter((i) => i.parent === item.id);
    throw new UsageError(
      `"${item.id}" is a lead-in ("${item.text}"); answer its parts instead: ${children.map((c) => c.id).join(', ')}`,
    );
  }
  const allowed = statusesFor(item);
  let status: AnswerStatus;
  if (opts.status !== undefined) {
    if (!(allowed as readonly string[]).includes(opts.status)) {
      throw new UsageError(
        `--status "${opts.status}" does not fit this ${item.kind} item. Valid statuses: ${allowed.join(', ')}.`,
      );
    }
    status = opts.status as AnswerStatus;
  } else if (item.kind === 'checklist') {
    throw new UsageError(`"${item.id}" is a checklist item: give --status (${allowed.join(', ')}).`);
  } else {
    status = opts.needs !== undefined ? 'needs-data' : 'answered';
  }
  if (opts.needs !== undefined && status !== 'needs-data') {
    throw new UsageError('--needs goes with --status needs-data.');
  }
  if (opts.rating !== undefined && !(RATINGS as readonly string[]).includes(opts.rating)) {
    throw new UsageError(`--rating must be one of: ${RATINGS.join(', ')}.`);
  }

  let text = opts.text;
  if (text === undefined && !ctx.stdin.isTTY && (status === 'answered' || item.kind === 'checklist')) {
    text = await readAll(ctx.stdin);
  }
  const lines = textToLines(text ?? '');
  if (status === 'answered' && lines.length === 0) {
    throw new UsageError(
      'an answer needs some text: give --text "…" or pipe it on stdin (or use --status skipped / needs-data).',
    );
  }
  const needs = textToLines(opts.needs ?? '');
  if (status === 'needs-data' && needs.length === 0) {
    throw new UsageError('say what data is needed: --needs "…".');
  }

  let changed = false;
  await updateCycle(
    ws,
    opts.cycle,
    (cycle) => {
      const previous = cycle.answers[item.id];
      changed = setAnswer(
        cycle,
        item.id,
        {
          status,
          text: lines.length > 0 ? lines : status === 'needs-data' ? previous?.text : undefined,
          needs: status === 'needs-data' ? needs : undefined,
          rating: (opts.rating as Rating | undefined) ?? previous?.rating,
          evidence: opts.evidence ?? previous?.evidence,
        },
        ctx.today(),
      );
    },
    { create: true, warn: (m) => ctx.stderr.write(`warning: ${m}\n`) },
  );
  // the same warning the interview gives, without a question to ask: scripts see it on stderr
  const findings = findPersonalData([...lines, ...needs].join('\n'), { item: item.id });
  for (const f of findings) ctx.stderr.write(`warning: line ${f.line}: ${describeFinding(f)}\n`);
  if (findings.length > 0) {
    ctx.stderr.write(
      'warning: answers should stay aggregated and never identify a child or a carer; see: kinship-reflect check\n',
    );
  }
  if (!ctx.global.quiet) {
    const what = changed ? 'Saved' : 'Unchanged:';
    ctx.stderr.write(
      `${what} ${item.id} in cycle ${opts.cycle} (${status}${lines.length ? `, ${lines.length} line${lines.length === 1 ? '' : 's'}` : ''}).\n`,
    );
  }
}
