/**
 * Reading and writing a cycle's drafts (`drafts/<cycle>.json` in the workspace) with the same atomic
 * save as the cycle files. A missing file means no drafts; the file is removed when its last draft is.
 */
import { promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { isValidCycleId } from '../core/cycle.ts';
import { MAX_CYCLE_BYTES } from '../core/cycle-validate.ts';
import {
  DRAFTS_FOLDER,
  DRAFTS_FORMAT,
  type Draft,
  type DraftsFile,
  parseDrafts,
  serializeDrafts,
} from '../core/drafts.ts';
import { ValidationError } from '../core/errors.ts';
import { explainWriteError, writeFileAtomic } from './atomic-write.ts';
import { readFileCapped } from './files.ts';
import { withLock } from './lock.ts';

export function draftsPath(ws: { dir: string }, cycle: string): string {
  return path.join(ws.dir, DRAFTS_FOLDER, `${cycle}.json`);
}

/**
 * The text of a drafts file, read under the rules of `shell/files.ts` as a cycle file is (a regular
 * file, not a link, valid UTF-8, at most the size of a cycle file: a cycle's drafts never hold more
 * than its answers could); undefined when there is none.
 */
export function readDraftsText(file: string, shownAs: string): string | undefined {
  return readFileCapped(file, {
    shown: shownAs,
    maxBytes: MAX_CYCLE_BYTES,
    links: 'refuse',
    what: 'a drafts file',
    tooLarge: (size) =>
      new ValidationError(
        [
          {
            file: shownAs,
            message: `the file is ${(size / 1048576).toFixed(1)} MB; drafts files are limited to ${MAX_CYCLE_BYTES / 1048576} MB. Move it out of the workspace to start without these drafts`,
          },
        ],
        `the drafts file ${shownAs} is not valid`,
      ),
  });
}

/** The drafts of a cycle (empty when there are none). A broken drafts file is a ValidationError. */
export async function readDrafts(ws: { dir: string }, cycle: string): Promise<Record<string, Draft>> {
  const shownAs = path.join(DRAFTS_FOLDER, `${cycle}.json`);
  const text = readDraftsText(draftsPath(ws, cycle), shownAs);
  if (text === undefined) return {};
  const { drafts, problems } = parseDrafts(text, shownAs);
  if (!drafts) throw new ValidationError(problems, `the drafts file ${shownAs} is not valid`);
  return drafts.drafts;
}

/** Change a cycle's drafts under a lock: add or replace (`draft`), or remove (`undefined`). */
export async function setDraft(
  ws: { dir: string },
  cycle: string,
  key: string,
  draft: Draft | undefined,
): Promise<void> {
  const file = draftsPath(ws, cycle);
  const folder = path.dirname(file);
  if (draft !== undefined) {
    try {
      await fs.mkdir(folder, { recursive: true });
    } catch (error) {
      throw explainWriteError(error, file);
    }
  }
  await withLock(
    path.join(ws.dir, `.${cycle}.drafts.lock`),
    async () => {
      // a broken drafts file throws here and is never written over
      const drafts = await readDrafts(ws, cycle);
      if (draft === undefined) {
        if (!(key in drafts)) return;
        delete drafts[key];
      } else {
        drafts[key] = draft;
      }
      if (Object.keys(drafts).length === 0) {
        await fs.rm(file, { force: true });
        await fs.rmdir(folder).catch(() => {}); // only when empty
        return;
      }
      const doc: DraftsFile = { format: DRAFTS_FORMAT, cycle, drafts };
      await writeFileAtomic(file, serializeDrafts(doc), 0o600);
    },
    { guards: file },
  );
}

/** How many drafts each cycle of the workspace has (cycles without drafts are left out). */
export function countDrafts(ws: { dir: string }): Map<string, number> {
  const counts = new Map<string, number>();
  let names: string[];
  try {
    names = readdirSync(path.join(ws.dir, DRAFTS_FOLDER));
  } catch {
    return counts;
  }
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const cycle = name.slice(0, -'.json'.length);
    if (!isValidCycleId(cycle)) continue;
    try {
      const text = readDraftsText(path.join(ws.dir, DRAFTS_FOLDER, name), name);
      if (text === undefined) continue;
      const { drafts } = parseDrafts(text, name);
      if (drafts) counts.set(cycle, Object.keys(drafts.drafts).length);
    } catch {
      /* unreadable, too large, a link or not a file: reported by validate */
    }
  }
  return counts;
}
