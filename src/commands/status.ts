import type { CommandOptions } from '../command-spec.ts';
import { toJsonText } from '../core/control-chars.ts';
import { orphanAnswerIds } from '../core/cycle.ts';
import { type CycleProgress, cycleProgress, type ProgressCounts, percent } from '../core/progress.ts';
import type { CommandContext } from '../shell/context.ts';
import { readCycle } from '../shell/cycle-store.ts';
import { countDrafts } from '../shell/draft-store.ts';
import { gitSetupHint } from '../shell/git-hint.ts';
import { writeHuman } from '../shell/human-output.ts';
import { openWorkspace, resolveCycleId } from '../shell/workspace.ts';
import { makeTheme, type Theme } from '../ui/theme.ts';

/** The options of `status`, as src/command-spec.ts declares them. */
export type StatusOptions = CommandOptions<'status'>;

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** One row of the progress table: counts in words, so nothing depends on colour. */
export function progressRow(theme: Theme, label: string, p: ProgressCounts, width: number): string {
  const parts = [`${p.answered}/${p.total} answered (${percent(p.answered, p.total)}%)`];
  if (p.needsData) parts.push(`${p.needsData} ${p.needsData === 1 ? 'needs' : 'need'} data`);
  if (p.skipped) parts.push(`${p.skipped} skipped`);
  if (p.carried) parts.push(theme.warn(`${p.carried} carried forward, unconfirmed`));
  const r = p.ratings;
  if (r.red + r.amber + r.green > 0)
    parts.push(
      `ratings: ${theme.rating('red')} ${r.red}, ${theme.rating('amber')} ${r.amber}, ${theme.rating('green')} ${r.green}`,
    );
  return `  ${pad(label, width)}  ${parts.join(' · ')}`;
}

export function renderStatusText(theme: Theme, progress: CycleProgress): string[] {
  const width = Math.max(...progress.byStage.map((s) => s.title.length), 6);
  const lines = [theme.heading('By stage')];
  for (const s of progress.byStage) lines.push(progressRow(theme, theme.safe(s.title), s, width));
  lines.push('', theme.heading('By Key Principle and Recommendation'));
  for (const t of progress.byTag) lines.push(progressRow(theme, t.tag, t, width));
  return lines;
}

/** `status`: progress of a cycle by stage and by KP1–KP3, R1–R6 and ALL. */
export async function status(opts: StatusOptions, ctx: CommandContext): Promise<void> {
  const ws = await openWorkspace(ctx);
  const id = await resolveCycleId(ws, opts.cycle);
  const cycle = await readCycle(ws, id);
  const progress = cycleProgress(ws.bank, cycle);
  const orphans = orphanAnswerIds(cycle, ws.bank);
  const drafts = countDrafts(ws).get(id) ?? 0;
  const hint = gitSetupHint(ws.dir);
  if (hint !== undefined) writeHuman(ctx.stderr, `${hint}\n`);
  if (opts.json) {
    ctx.stdout.write(
      `${toJsonText(
        {
          cycle: cycle.cycle,
          authority: cycle.authority,
          bank: cycle.bank,
          priorities: cycle.priorities.map((p) => p.recommendation),
          progress,
          unknownItems: orphans,
          drafts,
        },
        2,
      )}\n`,
    );
    return;
  }
  const theme = await makeTheme(ctx, ctx.stdout);
  const lines = [
    theme.heading(`Cycle ${theme.safe(cycle.cycle)} — ${theme.safe(cycle.authority)}`) +
      ` (bank ${theme.safe(cycle.bank.id)} ${theme.safe(cycle.bank.version)})`,
    progressRow(theme, 'Overall', progress, 7).trimStart(),
  ];
  if (cycle.priorities.length)
    lines.push(`Priorities: ${cycle.priorities.map((p) => p.recommendation).join(', ')}`);
  if (drafts > 0)
    lines.push(
      `Drafts: ${drafts} (text typed but not saved; offered when the interview reaches ${drafts === 1 ? 'its question' : 'their questions'})`,
    );
  lines.push('');
  for (const line of renderStatusText(theme, progress)) lines.push(line);
  if (orphans.length) {
    lines.push(
      '',
      theme.warn(
        `${orphans.length} answer(s) to items this bank no longer has (kept): ${orphans.map((o) => theme.safe(o)).join(', ')}`,
      ),
    );
  }
  writeHuman(ctx.stdout, `${lines.join('\n')}\n`);
}
