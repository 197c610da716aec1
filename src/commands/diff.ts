import type { CommandOptions } from '../command-spec.ts';
import { bankTags, normalizeTag } from '../core/bank.ts';
import { toJsonText } from '../core/control-chars.ts';
import { diffCycles } from '../core/diff.ts';
import { UsageError } from '../core/errors.ts';
import { renderDiffMarkdown, renderDiffText } from '../core/render-diff.ts';
import type { CommandContext } from '../shell/context.ts';
import { readCycle } from '../shell/cycle-store.ts';
import { openWorkspace, resolveCycleId } from '../shell/workspace.ts';
import { makeTheme } from '../ui/theme.ts';

/** The options of `diff`, as src/command-spec.ts declares them. */
export type DiffCommandOptions = CommandOptions<'diff'>;

/** `diff <from> <to>`: what changed between two cycles. With --exit-code, 1 when anything differs. */
export async function diff(opts: DiffCommandOptions, ctx: CommandContext): Promise<number | undefined> {
  const format = opts.json ? 'json' : (opts.format ?? 'text');
  const ws = await openWorkspace(ctx);
  const [fromId, toId] = await Promise.all([resolveCycleId(ws, opts.from), resolveCycleId(ws, opts.to)]);
  const [from, to] = await Promise.all([readCycle(ws, fromId), readCycle(ws, toId)]);
  let tag: string | undefined;
  if (opts.tag !== undefined) {
    tag = normalizeTag(opts.tag);
    const known = bankTags(ws.bank);
    if (!known.includes(tag))
      throw new UsageError(
        `--tag ${opts.tag}: not a tag of this question bank (known: ${known.join(', ')}).`,
      );
  }
  const t = format === 'text' ? await makeTheme(ctx, ctx.stdout) : undefined;
  // changed words are shown only in colour and in JSON
  const words = format === 'json' || t?.color === true;
  const result = diffCycles(ws.bank, from, to, {
    today: ctx.today(),
    words,
    ...(tag === undefined ? {} : { tag }),
  });
  if (format === 'json') {
    ctx.stdout.write(`${toJsonText(result, 2)}\n`);
  } else if (format === 'md' || t === undefined) {
    ctx.stdout.write(renderDiffMarkdown(result));
  } else {
    const { writePaged } = await import('../shell/pager.ts');
    await writePaged(ctx, renderDiffText(result, t));
  }
  return opts.exitCode && result.hasDifferences ? 1 : undefined;
}
