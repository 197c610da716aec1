/**
 * Fingerprints: a short checksum of what a report showed for one answer, priority or action when it
 * was written. `import` compares three versions of every item — as the report showed it (its
 * fingerprint), as the report has it now, as the cycle has it now — so that an answer the report did
 * not change is never reverted or removed, whatever happened to it in the cycle since.
 *
 * A fingerprint covers exactly what the report shows (never the `changed` date, which it does not
 * show), so an unedited report's items always match their fingerprints. CRC-32 (8 hex digits): it
 * tells an edit from no edit; nothing here needs a defence against a forged change.
 */
import { crc32Hex } from './hash.ts';
import type { Action, Answer, Priority } from './types.ts';

/** The line that carries a fingerprint, directly under the marker it belongs to. */
export const FINGERPRINT_LINE = /^<!-- fingerprint: ([0-9a-f]{8}) -->$/;

export function fingerprintLine(fingerprint: string): string {
  return `<!-- fingerprint: ${fingerprint} -->`;
}

function checksum(value: unknown): string {
  return crc32Hex(JSON.stringify(value ?? null));
}

/** What the report shows of an answer (no answer at all is a value too: "not answered"). */
export function answerFingerprint(answer: Answer | undefined): string {
  if (!answer) return checksum(null);
  return checksum([
    answer.status,
    answer.rating ?? null,
    answer.carried ?? null,
    answer.text ?? null,
    answer.needs ?? null,
    answer.evidence ?? null,
  ]);
}

/** A priority's rationale (the recommendation is its key). */
export function priorityFingerprint(priority: Priority | undefined): string {
  if (!priority) return checksum(null);
  return checksum(['priority', priority.rationale ?? null]);
}

/** Which recommendations are priorities, in order. */
export function priorityOrderFingerprint(priorities: readonly Priority[]): string {
  return checksum(['order', ...priorities.map((p) => p.recommendation)]);
}

/** Everything the report shows of an action: its table row, notes and history. */
export function actionFingerprint(action: Action | undefined): string {
  if (!action) return checksum(null);
  return checksum([
    action.id,
    action.title,
    action.owner ?? null,
    action.due ?? null,
    action.status,
    action.tags,
    action.notes ?? null,
    action.history.map((h) => [h.date, h.status, h.note ?? null]),
    action.opened,
  ]);
}
