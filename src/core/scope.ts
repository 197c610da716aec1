/**
 * Part of a bank, for sharing with a partner: `export --stage` and `--tag`. An item is kept when it
 * is in the stage and its effective tags include the tag; a lead-in (`prompt`) is kept with any of its
 * children that are. Answers, priorities and actions follow the items and the tag.
 */
import { flattenBank } from './bank.ts';
import type { Bank, CycleFile, Item, Tag } from './types.ts';

export interface BankScope {
  stage?: string;
  tag?: Tag;
}

/** Is anything restricted? */
export function isScoped(scope: BankScope): boolean {
  return scope.stage !== undefined || scope.tag !== undefined;
}

/** The bank with only the items in `scope` (stages and sections left empty are dropped). */
export function scopeBank(bank: Bank, scope: BankScope): Bank {
  if (!isScoped(scope)) return bank;
  const kept = new Set(
    flattenBank(bank)
      .filter(
        (i) =>
          i.kind !== 'prompt' &&
          (scope.stage === undefined || i.stage === scope.stage) &&
          (scope.tag === undefined || i.effectiveTags.includes(scope.tag)),
      )
      .map((i) => i.id),
  );
  const keepItem = (item: Item): Item | undefined => {
    const children = (item.children ?? []).map(keepItem).filter((c): c is Item => c !== undefined);
    if (!kept.has(item.id) && children.length === 0) return undefined;
    const copy: Item = { ...item };
    if (item.children !== undefined) copy.children = children;
    return copy;
  };
  const stages = bank.stages
    .map((stage) => ({
      ...stage,
      sections: stage.sections
        .map((section) => ({
          ...section,
          items: section.items.map(keepItem).filter((i): i is Item => i !== undefined),
        }))
        .filter((section) => section.items.length > 0),
    }))
    .filter((stage) => stage.sections.length > 0);
  return { ...bank, stages };
}

/** The cycle with only the answers, priorities and actions in `scope`. */
export function scopeCycle(bank: Bank, cycle: CycleFile, scope: BankScope): CycleFile {
  if (!isScoped(scope)) return cycle;
  const ids = new Set(flattenBank(scopeBank(bank, scope)).map((i) => i.id));
  const answers: CycleFile['answers'] = {};
  for (const [id, answer] of Object.entries(cycle.answers)) if (ids.has(id)) answers[id] = answer;
  const tag = scope.tag;
  return {
    ...cycle,
    answers,
    priorities:
      tag === undefined ? cycle.priorities : cycle.priorities.filter((p) => p.recommendation === tag),
    actions: tag === undefined ? cycle.actions : cycle.actions.filter((a) => a.tags.includes(tag)),
  };
}
