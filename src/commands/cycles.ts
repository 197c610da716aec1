import type { CommandOptions } from '../command-spec.ts';
import { toJsonText } from '../core/control-chars.ts';
import { formatProblem, ValidationError } from '../core/errors.ts';
import { cycleProgress, percent } from '../core/progress.ts';
import type { CommandContext } from '../shell/context.ts';
import { readCycle } from '../shell/cycle-store.ts';
import { countDrafts } from '../shell/draft-store.ts';
import { writeHuman } from '../shell/human-output.ts';
import { listCycleIds, openWorkspace } from '../shell/workspace.ts';
import { makeTheme } from '../ui/theme.ts';

/** The options of `cycles`, as src/command-spec.ts declares them. */
export type CyclesOptions = CommandOptions<'cycles'>;

interface CycleRow {
  cycle: string;
  ok: boolean;
  from?: string;
  total?: number;
  answered?: number;
  needsData?: number;
  skipped?: number;
  carried?: number;
  priorities?: string[];
  actions?: number;
  /** Text typed in the interview but not saved as answers. */
  drafts?: number;
  problem?: string;
}

/** `cycles`: every cycle of the workspace with its progress; a broken file is listed, not fatal. */
export async function cycles(opts: CyclesOptions, ctx: CommandContext): Promise<number | undefined> {
  const ws = await openWorkspace(ctx);
  const rows: CycleRow[] = [];
  const drafts = countDrafts(ws);
  for (const id of await listCycleIds(ws)) {
    try {
      const c = await readCycle(ws, id);
      const p = cycleProgress(ws.bank, c);
      rows.push({
        cycle: id,
        ok: true,
        ...(c.from ? { from: c.from } : {}),
        total: p.total,
        answered: p.answered,
        needsData: p.needsData,
        skipped: p.skipped,
        carried: p.carried,
        priorities: c.priorities.map((x) => x.recommendation),
        actions: c.actions.length,
        drafts: drafts.get(id) ?? 0,
      });
    } catch (error) {
      const problem =
        error instanceof ValidationError
          ? error.problems.map(formatProblem).join('; ')
          : (error as Error).message;
      rows.push({ cycle: id, ok: false, problem });
    }
  }
  if (opts.json) {
    ctx.stdout.write(
      `${toJsonText({ workspace: ws.dir, authority: ws.config.authority, cycles: rows }, 2)}\n`,
    );
  } else {
    const theme = await makeTheme(ctx, ctx.stdout);
    if (rows.length === 0) {
      writeHuman(ctx.stderr, 'No cycles yet. Start one with: kinship-reflect interview --cycle 2026-27\n');
      return undefined;
    }
    const lines = rows.map((r) => {
      if (!r.ok)
        return `${theme.safe(r.cycle)}  ${theme.error('CANNOT BE READ')}: ${theme.safe(r.problem ?? '')}`;
      const bits = [`${r.answered}/${r.total} answered (${percent(r.answered ?? 0, r.total ?? 0)}%)`];
      if (r.needsData) bits.push(`${r.needsData} ${r.needsData === 1 ? 'needs' : 'need'} data`);
      if (r.carried) bits.push(`${r.carried} carried forward`);
      if (r.priorities?.length) bits.push(`priorities ${r.priorities.join(', ')}`);
      if (r.actions) bits.push(`${r.actions} action${r.actions === 1 ? '' : 's'}`);
      if (r.drafts) bits.push(`${r.drafts} draft${r.drafts === 1 ? '' : 's'}`);
      if (r.from) bits.push(`from ${theme.safe(r.from)}`);
      return `${theme.safe(r.cycle)}  ${bits.join(' · ')}`;
    });
    writeHuman(ctx.stdout, `${lines.join('\n')}\n`);
  }
  return rows.some((r) => !r.ok) ? 3 : undefined;
}
