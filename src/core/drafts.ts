/**
 * Drafts: text typed in the interview but not saved as an answer when the session ended (Ctrl-C, end
 * of input, a signal, a save that failed). They live beside the cycles, in `drafts/<cycle>.json`,
 * never in the cycle file and never in a report, until the user restores or discards them.
 *
 * The file (format 1):
 *
 * ```json
 * { "format": 1, "cycle": "2026-27",
 *   "drafts": { "assess.carers.demographics": { "field": "text", "text": ["…"], "saved": "2026-12-06" } } }
 * ```
 *
 * A draft's key is the item id for an answer's text, `<item>#needs` for the data an answer needs, and
 * `priority:<R>` for a priority's rationale.
 */
import type { Problem } from './errors.ts';

export const DRAFTS_FORMAT = 1;
export const DRAFTS_FOLDER = 'drafts';

export type DraftField = 'text' | 'needs' | 'rationale';

export interface Draft {
  field: DraftField;
  text: string[];
  /** The day it was kept (YYYY-MM-DD). */
  saved: string;
}

export interface DraftsFile {
  format: typeof DRAFTS_FORMAT;
  cycle: string;
  drafts: Record<string, Draft>;
}

/** The key of a draft of an item's text or needed data. */
export function draftKey(itemId: string, field: 'text' | 'needs' = 'text'): string {
  return field === 'needs' ? `${itemId}#needs` : itemId;
}

/** The key of a draft of a priority's rationale. */
export function rationaleDraftKey(recommendation: string): string {
  return `priority:${recommendation}`;
}

/** The item a draft key belongs to (undefined for a rationale). */
export function draftItemId(key: string): string | undefined {
  if (key.startsWith('priority:')) return undefined;
  return key.replace(/#needs$/, '');
}

/** Words for where a draft belongs: "assess.x", "the data needed for assess.x", "the rationale for R4". */
export function describeDraftKey(key: string): string {
  if (key.startsWith('priority:')) return `the rationale for ${key.slice('priority:'.length)}`;
  if (key.endsWith('#needs')) return `the data needed for ${key.slice(0, -'#needs'.length)}`;
  return key;
}

/** The file's text: keys sorted, two-space indent, final newline (so git diffs stay small). */
export function serializeDrafts(file: DraftsFile): string {
  const drafts: Record<string, Draft> = {};
  for (const key of Object.keys(file.drafts).sort()) {
    const d = file.drafts[key] as Draft;
    drafts[key] = { field: d.field, text: d.text, saved: d.saved };
  }
  return `${JSON.stringify({ format: DRAFTS_FORMAT, cycle: file.cycle, drafts }, null, 2)}\n`;
}

const FIELDS: readonly string[] = ['text', 'needs', 'rationale'];

/**
 * Check a drafts file's text. Returns the file, or the problems found (with where they are), never
 * throwing.
 */
export function parseDrafts(text: string, shownAs: string): { drafts?: DraftsFile; problems: Problem[] } {
  const problem = (message: string, item?: string): { problems: Problem[] } => ({
    problems: [{ file: shownAs, message, ...(item ? { item } : {}) }],
  });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return problem(
      `not valid JSON (${(error as Error).message}). Fix it or delete the file to discard its drafts.`,
    );
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return problem('a drafts file holds one JSON object.');
  const o = doc as Record<string, unknown>;
  if (o.format !== DRAFTS_FORMAT) return problem(`"format" must be ${DRAFTS_FORMAT}.`);
  if (typeof o.cycle !== 'string' || o.cycle === '') return problem('"cycle" must name the cycle.');
  if (typeof o.drafts !== 'object' || o.drafts === null || Array.isArray(o.drafts))
    return problem('"drafts" must be an object of drafts by key.');
  const drafts: Record<string, Draft> = {};
  for (const [key, value] of Object.entries(o.drafts as Record<string, unknown>)) {
    const d = value as Partial<Draft> | null;
    if (
      typeof d !== 'object' ||
      d === null ||
      !FIELDS.includes(d.field as string) ||
      !Array.isArray(d.text) ||
      !d.text.every((l) => typeof l === 'string') ||
      typeof d.saved !== 'string'
    ) {
      return problem(
        `draft "${key}" must have a "field" (text, needs or rationale), "text" (lines) and "saved" (a date).`,
        draftItemId(key),
      );
    }
    drafts[key] = { field: d.field as DraftField, text: d.text as string[], saved: d.saved };
  }
  return { drafts: { format: DRAFTS_FORMAT, cycle: o.cycle, drafts }, problems: [] };
}
