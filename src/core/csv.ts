/**
 * Spreadsheet and machine exports of a cycle: CSV (one row per item) and JSON (the cycle with the
 * bank's text).
 *
 * CSV follows RFC 4180: fields are comma-separated, records end with CRLF, a field holding a comma,
 * a quote, CR or LF is wrapped in double quotes with quotes doubled. Multi-line answers are joined
 * with LF inside their quoted field.
 *
 * Formula injection guard: a spreadsheet treats a cell starting with `=`, `+`, `-`, `@`, tab or CR as
 * a formula (OWASP "CSV injection"). Such a cell is written with a leading apostrophe (`'=SUM(A1)`),
 * which spreadsheets show as text. The apostrophe is visible to tools that read the CSV as data;
 * use the JSON export for exact values.
 */

import { flattenBank } from './bank.ts';
import { escapeControlCharacters, toJsonText } from './control-chars.ts';
import type { Answer, Bank, CycleFile } from './types.ts';

export const CSV_COLUMNS = [
  'id',
  'stage',
  'section',
  'kind',
  'tags',
  'text',
  'status',
  'rating',
  'answer',
  'needs',
  'evidence',
  'carried',
  'changed',
] as const;

/** Neutralise a cell a spreadsheet would run as a formula. */
export function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One RFC 4180 field: guarded, and quoted when it must be. */
export function csvField(value: string): string {
  // control characters from a hand-edited file are shown escaped, never raw
  const guarded = guardFormula(escapeControlCharacters(value));
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

function csvRecord(values: readonly string[]): string {
  return values.map(csvField).join(',');
}

/** One row per item of the bank in bank order (prompts too, without an answer), then kept answers. */
export function renderCsv(bank: Bank, cycle: CycleFile): string {
  const records = [csvRecord(CSV_COLUMNS)];
  const get = (id: string): Answer | undefined =>
    Object.hasOwn(cycle.answers, id) ? cycle.answers[id] : undefined;
  const row = (
    id: string,
    place: { stage: string; section: string; kind: string; tags: readonly string[]; text: string },
    a: Answer | undefined,
  ) =>
    csvRecord([
      id,
      place.stage,
      place.section,
      place.kind,
      place.tags.join(' '),
      place.text,
      a?.status ?? '',
      a?.rating ?? '',
      (a?.text ?? []).join('\n'),
      (a?.needs ?? []).join('\n'),
      (a?.evidence ?? []).join('\n'),
      a?.carried ?? '',
      a?.changed ?? '',
    ]);
  const seen = new Set<string>();
  for (const item of flattenBank(bank)) {
    if (item.kind !== 'prompt') seen.add(item.id);
    const answer = item.kind === 'prompt' ? undefined : get(item.id);
    records.push(
      row(
        item.id,
        {
          stage: item.stage,
          section: item.section,
          kind: item.kind,
          tags: item.effectiveTags,
          text: item.text,
        },
        answer,
      ),
    );
  }
  for (const id of Object.keys(cycle.answers)) {
    if (seen.has(id)) continue;
    records.push(row(id, { stage: '', section: '', kind: '', tags: [], text: '' }, get(id)));
  }
  return `${records.join('\r\n')}\r\n`;
}

export const JSON_EXPORT_FORMAT = 'kinship-reflect-export/1';

export interface JsonExportItem {
  id: string;
  stage: string;
  section: string;
  kind: string;
  tags: string[];
  /** The bank's text of the item; null for an answer to an item the bank does not have. */
  text: string | null;
  answer: Answer | null;
}

export interface JsonExport {
  format: typeof JSON_EXPORT_FORMAT;
  cycle: string;
  authority: string;
  bank: { id: string; version: string; title: string };
  from?: string;
  priorities: {
    recommendation: string;
    title: string | null;
    text: string | null;
    evidence: string | null;
    rationale?: string[];
  }[];
  items: JsonExportItem[];
  actions: CycleFile['actions'];
}

/**
 * The cycle with the bank's text beside every answer, for other tools: every answerable item in bank
 * order (with `answer: null` when unanswered), then answers to items the bank does not have. Keys
 * are in a fixed order; two-space JSON, LF, final newline.
 */
export function buildJsonExport(bank: Bank, cycle: CycleFile): JsonExport {
  const items: JsonExportItem[] = [];
  const seen = new Set<string>();
  for (const item of flattenBank(bank)) {
    if (item.kind === 'prompt') continue;
    seen.add(item.id);
    const a = Object.hasOwn(cycle.answers, item.id) ? cycle.answers[item.id] : undefined;
    items.push({
      id: item.id,
      stage: item.stage,
      section: item.section,
      kind: item.kind,
      tags: [...item.effectiveTags],
      text: item.text,
      answer: a ?? null,
    });
  }
  for (const [id, a] of Object.entries(cycle.answers)) {
    if (!seen.has(id)) items.push({ id, stage: '', section: '', kind: '', tags: [], text: null, answer: a });
  }
  const doc: JsonExport = {
    format: JSON_EXPORT_FORMAT,
    cycle: cycle.cycle,
    authority: cycle.authority,
    bank: { id: cycle.bank.id, version: cycle.bank.version, title: bank.title },
    priorities: cycle.priorities.map((p) => {
      const rec = bank.recommendations.find((r) => r.id === p.recommendation);
      const out: JsonExport['priorities'][number] = {
        recommendation: p.recommendation,
        title: rec?.title ?? null,
        text: rec?.text ?? null,
        evidence: rec?.evidence ?? null,
      };
      if (p.rationale !== undefined) out.rationale = p.rationale;
      return out;
    }),
    items,
    actions: cycle.actions,
  };
  if (cycle.from !== undefined) {
    // keep `from` right after `bank` for readers
    const { priorities, items: its, actions, ...head } = doc;
    return { ...head, from: cycle.from, priorities, items: its, actions };
  }
  return doc;
}

export function renderJsonExport(bank: Bank, cycle: CycleFile): string {
  return `${toJsonText(buildJsonExport(bank, cycle), 2)}\n`;
}

/** The cycle data in a JSON export (the inverse of `buildJsonExport`). */
export function cycleFromJsonExport(doc: JsonExport): CycleFile {
  const answers: Record<string, Answer> = {};
  for (const item of doc.items) if (item.answer) answers[item.id] = item.answer;
  const cycle: CycleFile = {
    format: 1,
    cycle: doc.cycle,
    authority: doc.authority,
    bank: { id: doc.bank.id, version: doc.bank.version },
    priorities: doc.priorities.map((p) =>
      p.rationale === undefined
        ? { recommendation: p.recommendation }
        : { recommendation: p.recommendation, rationale: p.rationale },
    ),
    answers,
    actions: doc.actions,
  };
  if (doc.from !== undefined) cycle.from = doc.from;
  return cycle;
}
