/**
 * Settling conflicts one by one in the prompters (both modes): each conflict is shown with both
 * versions (side by side, or one after the other in plain mode), then the person keeps one, takes
 * the other, keeps both texts or edits a text of their own. Used by `import` and `git resolve`.
 */
import { renderConflict, type SideLabels } from '../core/render-conflict.ts';
import type { Choice, Conflict } from '../core/three-way.ts';
import type { Bank } from '../core/types.ts';
import type { Choice as PromptChoice, Prompter } from './prompter.ts';

export interface PickConflictsOptions {
  labels: SideLabels;
  /** Short names of the sides for the choices: `{ ours: "the cycle's", theirs: "the report's" }`. */
  names: SideLabels;
  /** Terminal width for side-by-side display. */
  width: number;
}

type Pick = 'ours' | 'theirs' | 'both' | 'edit';

/** The text a person edits, starting from both versions. */
function startingText(conflict: Conflict): string[] {
  if (conflict.kind === 'answer') {
    const a = conflict.ours?.text ?? [];
    const b = conflict.theirs?.text ?? [];
    return a.length > 0 && b.length > 0 ? [...a, '', ...b] : a.length > 0 ? a : b;
  }
  if (conflict.kind === 'priority') {
    const a = conflict.ours.rationale ?? [];
    const b = conflict.theirs.rationale ?? [];
    return a.length > 0 && b.length > 0 ? [...a, '', ...b] : a.length > 0 ? a : b;
  }
  return [];
}

function choicesFor(conflict: Conflict, names: SideLabels): PromptChoice<Pick>[] {
  const out: PromptChoice<Pick>[] = [
    { value: 'ours', label: `Keep ${names.ours} version`, key: 'k' },
    { value: 'theirs', label: `Take ${names.theirs} version`, key: 't' },
  ];
  const bothSidesExist =
    conflict.kind === 'priority' ||
    conflict.kind === 'priorities' ||
    (conflict.kind === 'answer' && conflict.ours !== undefined && conflict.theirs !== undefined);
  if (bothSidesExist && conflict.kind !== 'priorities')
    out.push({ value: 'both', label: 'Keep both texts, one after the other', key: 'b' });
  if (conflict.kind === 'priorities')
    out.push({ value: 'both', label: 'Keep every priority of either list', key: 'b' });
  if (conflict.kind === 'answer' || conflict.kind === 'priority')
    out.push({ value: 'edit', label: 'Edit: write the text yourself, starting from both', key: 'e' });
  return out;
}

/** The text a person writes, starting from both versions; undefined when they back out (Esc). */
async function editText(prompter: Prompter, conflict: Conflict): Promise<string[] | undefined> {
  return prompter.multiline('The text to keep (both versions are filled in; change them as you wish):', {
    initial: startingText(conflict),
  });
}

/**
 * Ask about each conflict in turn; returns the choices by conflict key. Ctrl-C rejects with
 * `InterruptedError` (nothing is saved by the callers then).
 */
export async function pickConflicts(
  prompter: Prompter,
  bank: Bank,
  conflicts: readonly Conflict[],
  opts: PickConflictsOptions,
): Promise<Map<string, Choice>> {
  const choices = new Map<string, Choice>();
  for (const [i, conflict] of conflicts.entries()) {
    prompter.say(
      `\nConflict ${i + 1} of ${conflicts.length}\n${renderConflict(bank, conflict, {
        labels: opts.labels,
        width: opts.width,
        linear: prompter.plain,
      })}`,
    );
    for (;;) {
      const pick = await prompter.select('Which version do you keep?', choicesFor(conflict, opts.names), {
        default: 'ours',
      });
      if (pick !== 'edit') {
        choices.set(conflict.key, { take: pick } as Choice);
        break;
      }
      const text = await editText(prompter, conflict);
      // Esc in the text box: back to the choice
      if (text === undefined) continue;
      choices.set(conflict.key, { take: 'edited', text });
      break;
    }
  }
  return choices;
}
