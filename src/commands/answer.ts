import type { CommandOptions } from '../command-spec.ts';
import {
  answerFromFlags,
  answerStatusFromFlags,
  answerTakesText,
  withPrevious,
} from '../core/answer-flags.ts';
import { findItem, flattenBank } from '../core/bank.ts';
import { refuseControlCharacters } from '../core/control-chars.ts';
import { answerSizeProblem, setAnswer, textToLines } from '../core/cycle.ts';
import { UsageError } from '../core/errors.ts';
import { describeFinding, findPersonalData } from '../core/pii.ts';
import { closest } from '../core/suggest.ts';
import type { CommandContext } from '../shell/context.ts';
import { assertCycleId, updateCycle } from '../shell/cycle-store.ts';
import { writeHuman } from '../shell/human-output.ts';
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
  const decided = answerStatusFromFlags(item, opts);
  if (!decided.ok) throw new UsageError(decided.problems.join('\n'));
  const status = decided.value;
  let text = opts.text;
  if (text === undefined && !ctx.stdin.isTTY && answerTakesText(item, status)) {
    text = await readAll(ctx.stdin);
  }
  refuseControlCharacters(text ?? '', 'the answer');
  refuseControlCharacters(opts.needs ?? '', '--needs');
  for (const e of opts.evidence ?? []) refuseControlCharacters(e, '--evidence');
  const tooLong =
    answerSizeProblem(textToLines(text ?? ''), 'the answer') ??
    answerSizeProblem(textToLines(opts.needs ?? ''), '--needs');
  if (tooLong) throw new UsageError(`${tooLong}.`);
  const drafted = answerFromFlags(status, opts, text);
  if (!drafted.ok) throw new UsageError(drafted.problems.join('\n'));
  const draft = drafted.value;

  let changed = false;
  await updateCycle(
    ws,
    opts.cycle,
    (cycle) => {
      changed = setAnswer(cycle, item.id, withPrevious(draft, cycle.answers[item.id]), ctx.today());
    },
    { create: true, warn: (m) => writeHuman(ctx.stderr, `warning: ${m}\n`) },
  );
  // the same warning the interview gives, without a question to ask: scripts see it on stderr
  const findings = findPersonalData([...draft.text, ...draft.needs].join('\n'), { item: item.id });
  for (const f of findings) writeHuman(ctx.stderr, `warning: line ${f.line}: ${describeFinding(f)}\n`);
  if (findings.length > 0) {
    writeHuman(
      ctx.stderr,
      'warning: answers should stay aggregated and never identify a child or a carer; see: kinship-reflect check\n',
    );
  }
  if (!ctx.global.quiet) {
    const what = changed ? 'Saved' : 'Unchanged:';
    const lines = draft.text.length;
    writeHuman(
      ctx.stderr,
      `${what} ${item.id} in cycle ${opts.cycle} (${status}${lines ? `, ${lines} line${lines === 1 ? '' : 's'}` : ''}).\n`,
    );
  }
}
