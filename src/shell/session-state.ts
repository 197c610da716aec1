/**
 * Where each interview stopped (the question on screen when the session ended), so the next one
 * resumes there. Kept per person, not shared: it lives in `.kinship-reflect/state.json` inside the
 * workspace, a folder that ignores itself in git (its own `.gitignore` holds `*`), so a session never
 * changes a committed file just by being opened.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';
import { readSmallText } from './files.ts';

export const STATE_FOLDER = '.kinship-reflect';

interface StateFile {
  format: 1;
  /** cycle → stage → item id */
  at: Record<string, Record<string, string>>;
}

function statePath(ws: { dir: string }): string {
  return path.join(ws.dir, STATE_FOLDER, 'state.json');
}

function readState(ws: { dir: string }): StateFile {
  try {
    const doc = JSON.parse(readSmallText(statePath(ws)) ?? '') as Partial<StateFile>;
    if (doc && typeof doc.at === 'object' && doc.at !== null) return { format: 1, at: doc.at };
  } catch {
    /* none yet, or unreadable: it only saves a few key presses, so start afresh */
  }
  return { format: 1, at: {} };
}

/** The item the last session of `cycle` showed in `stage`, if any. */
export function readResumeItem(ws: { dir: string }, cycle: string, stage: string): string | undefined {
  const item = readState(ws).at[cycle]?.[stage];
  return typeof item === 'string' ? item : undefined;
}

/** Remember (or with `undefined`, forget) where `stage` of `cycle` stopped. Best effort: never throws. */
export async function saveResumeItem(
  ws: { dir: string },
  cycle: string,
  stage: string,
  item: string | undefined,
): Promise<void> {
  try {
    const state = readState(ws);
    const stages = { ...(state.at[cycle] ?? {}) };
    if (item === undefined) delete stages[stage];
    else stages[stage] = item;
    if ((state.at[cycle]?.[stage] ?? undefined) === item) return;
    if (Object.keys(stages).length === 0) delete state.at[cycle];
    else state.at[cycle] = stages;
    const folder = path.join(ws.dir, STATE_FOLDER);
    await fs.mkdir(folder, { recursive: true });
    await fs
      .writeFile(
        path.join(folder, '.gitignore'),
        '# where your interviews stopped: yours alone, never committed\n*\n',
        { flag: 'wx' },
      )
      .catch(() => {});
    await writeFileAtomic(statePath(ws), `${JSON.stringify(state, null, 2)}\n`);
  } catch {
    /* a read-only workspace: the next session starts at the first unanswered question instead */
  }
}
