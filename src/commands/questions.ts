import type { CommandOptions } from '../command-spec.ts';
import { bankTags, findStage, flattenBank, itemHasTag, normalizeTag } from '../core/bank.ts';
import { toJsonText } from '../core/control-chars.ts';
import { UsageError } from '../core/errors.ts';
import type { Bank, FlatItem } from '../core/types.ts';
import type { CommandContext } from '../shell/context.ts';
import { writeHuman } from '../shell/human-output.ts';
import { resolveBank } from '../shell/workspace.ts';
import { makeTheme, type Theme } from '../ui/theme.ts';

/** The options of `questions`, as src/command-spec.ts declares them. */
export type QuestionsOptions = CommandOptions<'questions'>;

/** One entry of `questions --json`: a flat array in bank order. */
export interface QuestionJson {
  id: string;
  stage: string;
  stageTitle: string;
  section: string;
  sectionId: string;
  kind: FlatItem['kind'];
  text: string;
  tags: string[];
  effectiveTags: string[];
  parent: string | null;
  lead?: string;
}

function toJson(i: FlatItem): QuestionJson {
  const out: QuestionJson = {
    id: i.id,
    stage: i.stage,
    stageTitle: i.stageTitle,
    section: i.section,
    sectionId: i.sectionId,
    kind: i.kind,
    text: i.text,
    tags: i.tags,
    effectiveTags: i.effectiveTags,
    parent: i.parent,
  };
  if (i.lead !== undefined) out.lead = i.lead;
  return out;
}

/** Check `--stage` and `--tag` against the bank; a mistake lists what is valid. */
export function resolveFilters(bank: Bank, opts: QuestionsOptions): { stage?: string; tag?: string } {
  const out: { stage?: string; tag?: string } = {};
  if (opts.stage !== undefined) {
    const wanted = opts.stage.trim().toLowerCase();
    const stage = findStage(bank, wanted) ?? bank.stages.find((s) => s.title.toLowerCase() === wanted);
    if (!stage) {
      throw new UsageError(
        `unknown stage "${opts.stage}"; the stages of ${bank.id} are: ${bank.stages.map((s) => s.id).join(', ')}`,
      );
    }
    out.stage = stage.id;
  }
  if (opts.tag !== undefined) {
    const tag = normalizeTag(opts.tag);
    const tags = bankTags(bank);
    if (!tags.includes(tag)) {
      throw new UsageError(
        tags.length > 0
          ? `unknown tag "${opts.tag}"; the tags of ${bank.id} are: ${tags.join(', ')} (see: kinship-reflect guide)`
          : `unknown tag "${opts.tag}"; the bank ${bank.id} defines no tags`,
      );
    }
    out.tag = tag;
  }
  return out;
}

function kindLabel(item: FlatItem): string {
  if (item.kind === 'checklist') return ' (checklist)';
  if (item.kind === 'prompt') return ' (lead-in)';
  return '';
}

function renderHuman(bank: Bank, items: FlatItem[], shown: Set<string>, t: Theme): string {
  const out: string[] = [];
  const write = (line = '') => out.push(`${line}\n`);
  write(t.heading(t.safe(bank.title)));
  let stageId: string | undefined;
  let sectionKey: string | undefined;
  for (const item of items) {
    if (item.stage !== stageId) {
      stageId = item.stage;
      sectionKey = undefined;
      write();
      write(t.heading(`${t.safe(item.stageTitle)}`) + t.dim(` (stage: ${t.safe(item.stage)})`));
    }
    const key = `${item.stage}/${item.sectionId}`;
    if (key !== sectionKey) {
      sectionKey = key;
      const stage = findStage(bank, item.stage);
      const section = stage?.sections.find((s) => s.id === item.sectionId);
      const sectionTags = section?.tags ?? (section?.recommendation ? [section.recommendation] : []);
      const badges = sectionTags.length > 0 ? `  ${t.badges(sectionTags.map(t.safe))}` : '';
      write();
      write(`  ${t.heading(t.safe(item.section))}${badges}`);
    }
    const indent = '  '.repeat(item.depth + 2);
    const badges = item.tags.length > 0 ? `  ${t.badges(item.tags.map(t.safe))}` : '';
    const context = shown.has(item.id) ? '' : t.dim(' (context)');
    const text = t.safe(item.text).replace(/\n/g, `\n${indent}  `);
    write(`${indent}- ${text}${badges}${t.dim(kindLabel(item))}${context}`);
    write(`${indent}  ${t.dim(t.safe(item.id))}`);
    if (item.lead !== undefined) write(`${indent}  ${t.dim(t.safe(item.lead))}`);
  }
  return out.join('');
}

/** `questions`: browse the bank by stage and section, or print it as a flat JSON array. */
export async function questions(opts: QuestionsOptions, ctx: CommandContext): Promise<void> {
  const bank = await resolveBank(ctx);
  const filters = resolveFilters(bank, opts);
  const all = flattenBank(bank).filter((i) => filters.stage === undefined || i.stage === filters.stage);
  const matches = all.filter((i) => filters.tag === undefined || itemHasTag(i, filters.tag));
  if (opts.json) {
    ctx.stdout.write(`${toJsonText(matches.map(toJson), 2)}\n`);
    return;
  }
  if (matches.length === 0) {
    writeHuman(
      ctx.stderr,
      `no items match${filters.tag ? ` tag ${filters.tag}` : ''}${filters.stage ? ` in stage ${filters.stage}` : ''}\n`,
    );
    return;
  }
  // In the human view a matching child keeps its parents, marked as context, so it reads in place.
  const matched = new Set(matches.map((i) => i.id));
  const keep = new Set(matched);
  const byId = new Map(all.map((i) => [i.id, i]));
  for (const i of matches) {
    for (let p = i.parent; p !== null; p = byId.get(p)?.parent ?? null) keep.add(p);
  }
  const items = all.filter((i) => keep.has(i.id));
  const { writePaged } = await import('../shell/pager.ts');
  await writePaged(ctx, renderHuman(bank, items, matched, await makeTheme(ctx, ctx.stdout)));
}
