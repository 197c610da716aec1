/**
 * The Markdown report of a cycle: what committees read, and what `import` reads back.
 *
 * Deterministic (no clock, no locale): the same cycle and bank always give the same bytes, LF line
 * ends and a final newline, so `<cycle>.md` only changes in git when the cycle does. Per-answer dates
 * are deliberately left out: a one-line edit of an answer changes one line of the report plus the
 * hash marker, nothing else.
 *
 * Structure (each part is introduced by an HTML comment marker that `report-parse.ts` reads; the
 * headings are for people):
 *
 *   front matter (format, cycle, authority, bank, bankVersion, from)
 *   # title, how to edit
 *   <!-- section: summary -->     per-stage table + Mermaid pie of statuses
 *   <!-- section: coverage -->    KP/R table + Mermaid bar charts of coverage and of the ratings
 *   <!-- section: priorities -->  <!-- priority: R1 --> … with the rationale in a fenced block
 *   (each item, priority and action marker, and the priorities section's, is followed by a
 *   `<!-- fingerprint: … -->` line: what the report showed, for import's three-way merge)
 *   <!-- section: actions -->     the actions table, then <!-- action: A1 --> notes and history
 *   <!-- stage: assess -->        ### section, <!-- item: id --> per item: status, rating, answer…
 *   <!-- section: kept -->        answers to items the bank no longer has (never dropped)
 *   <!-- kinship-reflect: generated, sha256 … -->
 *
 * All user text goes through `markdown.ts`: fenced blocks with a fence longer than any backtick run
 * inside, or reversible inline escaping. See that module for why this cannot break the structure.
 */

import { findRecommendation, flattenBank } from './bank.ts';
import { escapeControlCharacters } from './control-chars.ts';
import { formatUkDate } from './dates.ts';
import {
  actionFingerprint,
  answerFingerprint,
  fingerprintLine,
  priorityFingerprint,
  priorityOrderFingerprint,
} from './fingerprint.ts';
import { crc32Hex, sha256Hex } from './hash.ts';
import { escapeDisplay, escapeInline, fencedBlock, pushFencedBlock, table, yamlString } from './markdown.ts';
import { type CycleProgress, cycleProgress, percent } from './progress.ts';
import type { Action, Answer, Bank, CycleFile, FlatItem, Priority, Tag } from './types.ts';

export const REPORT_FORMAT = 'kinship-reflect-report/1';

/**
 * The line that marks a report as generated, with a checksum of everything else in it: a CRC-32
 * (loading node:crypto for a SHA-256 took longer than rendering the whole report); the SHA-256
 * markers that earlier versions wrote are still checked.
 */
const MARKER_RE = /^<!-- kinship-reflect: generated, (crc32|sha256) ([0-9a-f]{8}|[0-9a-f]{64}) -->$/m;
const MARKER_LINE_RE = /^<!-- kinship-reflect: generated, (?:crc32 [0-9a-f]{8}|sha256 [0-9a-f]{64}) -->\n?/gm;

type MarkerChecksum = 'crc32' | 'sha256';

export interface RenderReportOptions {
  /** Add the `generated, crc32 …` marker at the end (default true). */
  generatedMarker?: boolean;
}

/** Labels used both by the renderer and the parser. */
export const LABELS = {
  text: 'Answer:',
  note: 'Note:',
  needs: 'Data needed:',
  evidence: 'Evidence:',
  rationale: 'Rationale:',
  notes: 'Notes:',
  history: 'History:',
} as const;

export const NOT_ANSWERED = 'not answered';
export const NONE_CELL = '—';

/**
 * The checksum (hex) of the report without its marker line, line ends normalised to LF (so a
 * checkout with CRLF line ends does not count as an edit).
 */
export function reportBodyHash(markdown: string, kind: MarkerChecksum = 'crc32'): string {
  const body = markdown.replace(/\r\n/g, '\n').replace(MARKER_LINE_RE, '');
  return kind === 'crc32' ? crc32Hex(body) : sha256Hex(body);
}

/**
 * Was this report changed since the tool wrote it? A file without the marker is treated as edited
 * (it was written by a person or another tool), so it is never overwritten silently.
 */
export function isReportHandEdited(markdown: string): boolean {
  const m = MARKER_RE.exec(markdown.replace(/\r\n/g, '\n'));
  if (!m) return true;
  const kind = m[1] as MarkerChecksum;
  if ((m[2] as string).length !== (kind === 'crc32' ? 8 : 64)) return true;
  return m[2] !== reportBodyHash(markdown, kind);
}

/** A tag as a code span when it is a plain word, else escaped text. */
function tagBadge(tag: Tag): string {
  return /^[A-Za-z0-9._-]+$/.test(tag) ? `\`${tag}\`` : escapeInline(tag);
}

function badges(tags: readonly Tag[]): string {
  return tags.length === 0 ? '' : ` ${tags.map(tagBadge).join(' ')}`;
}

/** Escape a value that is a list element separated by commas (tags in a table cell). */
export function escapeListItem(text: string): string {
  if (text === NONE_CELL) return '&#8212;';
  return escapeInline(text).replace(/,/g, '\\,');
}

/** A cell value: `—` for absent; a literal `—` is written as a character reference. */
function cell(value: string | undefined): string {
  if (value === undefined) return NONE_CELL;
  if (value === NONE_CELL) return '&#8212;';
  return escapeInline(value);
}

function frontMatter(bank: Bank, cycle: CycleFile): string[] {
  const out = ['---', `format: ${REPORT_FORMAT}`, `cycle: ${yamlString(cycle.cycle)}`];
  out.push(`authority: ${yamlString(cycle.authority)}`);
  out.push(`bank: ${yamlString(cycle.bank.id)}`, `bankVersion: ${yamlString(cycle.bank.version)}`);
  if (cycle.from !== undefined) out.push(`from: ${yamlString(cycle.from)}`);
  out.push(`bankTitle: ${yamlString(bank.title)}`, '---');
  return out;
}

function mermaidLabel(text: string): string {
  // mermaid quoted strings cannot hold quotes; labels come from the bank, keep them plain
  return text
    .replace(/["\\`<>#;]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function summarySection(cycle: CycleFile, p: CycleProgress): string[] {
  const rows = p.byStage.map((s) => [
    escapeDisplay(s.title),
    String(s.total),
    String(s.answered),
    String(s.needsData),
    String(s.skipped),
    String(s.carried),
    String(s.unanswered),
  ]);
  rows.push([
    '**Total**',
    String(p.total),
    String(p.answered),
    String(p.needsData),
    String(p.skipped),
    String(p.carried),
    String(p.unanswered),
  ]);
  const out = [
    '<!-- section: summary -->',
    '',
    '## Summary',
    '',
    'Where the cycle stands, stage by stage. Checklist items count as answered once they have a status;',
    '"carried forward" answers come from an earlier cycle and have not been confirmed yet.',
    '',
    ...table(['Stage', 'Items', 'Answered', 'Needs data', 'Skipped', 'Carried forward', 'Unanswered'], rows, [
      'l',
      'r',
      'r',
      'r',
      'r',
      'r',
      'r',
    ]),
  ];
  const slices: [string, number][] = [
    ['Answered', p.answered],
    ['Needs data', p.needsData],
    ['Skipped', p.skipped],
    ['Carried forward', p.carried],
    ['Unanswered', p.unanswered],
  ];
  if (p.total > 0) {
    out.push(
      '',
      'The same totals as a chart:',
      '',
      '```mermaid',
      'pie showData',
      `    accTitle: Status of the ${p.total} items of cycle ${mermaidLabel(cycle.cycle)}`,
      `    accDescr: ${slices.map(([k, v]) => `${k} ${v}`).join(', ')}. The table above gives the same figures by stage.`,
      ...slices.filter(([, v]) => v > 0).map(([k, v]) => `    "${k}" : ${v}`),
      '```',
    );
  }
  return out;
}

function coverageSection(p: CycleProgress): string[] {
  const out = ['<!-- section: coverage -->', '', '## Coverage by Key Principle and Recommendation', ''];
  if (p.byTag.length === 0) {
    out.push('This question bank defines no Key Principles or Recommendations.');
    return out;
  }
  out.push(
    'Items answered of the items linked to each Key Principle (KP) and Recommendation (R), with the',
    'red/amber/green self-ratings given.',
    '',
    ...table(
      ['Tag', 'Answered', 'Items', 'Coverage', 'Red', 'Amber', 'Green'],
      p.byTag.map((t) => [
        tagBadge(t.tag),
        String(t.answered),
        String(t.total),
        `${percent(t.answered, t.total)}%`,
        String(t.ratings.red),
        String(t.ratings.amber),
        String(t.ratings.green),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  const chartTags = p.byTag.filter((t) => t.tag !== 'ALL' && /^[A-Za-z0-9_-]+$/.test(t.tag));
  if (chartTags.length >= 2) {
    const values = chartTags.map((t) => percent(t.answered, t.total));
    out.push(
      '',
      'Coverage as a chart (percentage of items answered):',
      '',
      '```mermaid',
      'xychart-beta',
      '    accTitle: Coverage by Key Principle and Recommendation',
      `    accDescr: Percentage of items answered for each tag: ${chartTags.map((t, i) => `${t.tag} ${values[i]}%`).join(', ')}. The table above gives the same figures.`,
      '    title "Items answered (%)"',
      `    x-axis [${chartTags.map((t) => t.tag).join(', ')}]`,
      '    y-axis "Answered (%)" 0 --> 100',
      `    bar [${values.join(', ')}]`,
      '```',
    );
  }
  const rated = chartTags.filter((t) => t.ratings.red + t.ratings.amber + t.ratings.green > 0);
  if (chartTags.length >= 2 && rated.length > 0) {
    // xychart has no stacked bars: the totals are drawn first, then red + amber over them, then red,
    // so each bar shows green, amber and red from the top (the palette colours them in that order)
    const r = chartTags.map((t) => t.ratings);
    const max = Math.max(...r.map((x) => x.red + x.amber + x.green));
    out.push(
      '',
      'Self-ratings as a chart (each bar: red at the bottom, then amber, then green on top):',
      '',
      '```mermaid',
      '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#1E7B34, #A85A00, #B3261E"}}}}%%',
      'xychart-beta',
      '    accTitle: Red, amber and green self-ratings by Key Principle and Recommendation',
      `    accDescr: Answers rated red, amber and green for each tag: ${chartTags.map((t, i) => `${t.tag} ${r[i]?.red} red, ${r[i]?.amber} amber, ${r[i]?.green} green`).join('; ')}. The table above gives the same figures.`,
      '    title "Self-ratings: red, amber, green"',
      `    x-axis [${chartTags.map((t) => t.tag).join(', ')}]`,
      `    y-axis "Rated answers" 0 --> ${max}`,
      `    bar [${r.map((x) => x.red + x.amber + x.green).join(', ')}]`,
      `    bar [${r.map((x) => x.red + x.amber).join(', ')}]`,
      `    bar [${r.map((x) => x.red).join(', ')}]`,
      '```',
    );
  }
  return out;
}

function prioritySection(bank: Bank, priorities: readonly Priority[]): string[] {
  const out = [
    '<!-- section: priorities -->',
    fingerprintLine(priorityOrderFingerprint(priorities)),
    '',
    '## Priority recommendations',
    '',
  ];
  if (priorities.length === 0) {
    out.push('No Recommendations have been chosen as priorities yet.');
    return out;
  }
  out.push('The Recommendations chosen as priorities for this cycle, in order.');
  priorities.forEach((p, i) => {
    const rec = findRecommendation(bank, p.recommendation);
    out.push(
      '',
      `<!-- priority: ${escapeInline(p.recommendation)} -->`,
      fingerprintLine(priorityFingerprint(p)),
      '',
    );
    out.push(`### Priority ${i + 1}: ${escapeInline(p.recommendation)}`, '');
    if (rec) {
      const rating = bank.evidenceRatings.find((e) => e.id === rec.evidence);
      out.push(
        `> **${escapeDisplay(rec.title)}** (${escapeDisplay(rating?.label ?? rec.evidence)}): ${escapeDisplay(rec.text)}`,
      );
    } else {
      out.push('> **This Recommendation is not in the question bank.**');
    }
    if (p.rationale !== undefined) pushAll(out, ['', LABELS.rationale, ''], fencedBlock(p.rationale));
  });
  return out;
}

function historyLine(h: Action['history'][number]): string {
  let line = `- ${escapeInline(formatUkDate(h.date))}: ${escapeInline(h.status)}`;
  if (h.note !== undefined) line += h.note === '' ? ' —' : ` — ${escapeInline(h.note)}`;
  return line;
}

function actionsSection(actions: readonly Action[]): string[] {
  const out = ['<!-- section: actions -->', '', '## Actions', ''];
  if (actions.length === 0) {
    out.push('No actions have been planned yet.');
    return out;
  }
  out.push(
    ...table(
      ['ID', 'Title', 'Owner', 'Due', 'Status', 'Tags', 'Opened in'],
      actions.map((a) => [
        cell(a.id),
        cell(a.title),
        cell(a.owner),
        a.due === undefined ? NONE_CELL : cell(formatUkDate(a.due)),
        cell(a.status),
        // an empty last tag would leave a trailing space: the separator is then a bare comma
        a.tags.length === 0 ? NONE_CELL : a.tags.map(escapeListItem).join(', ').replace(/ $/, ''),
        cell(a.opened),
      ]),
    ),
  );
  for (const a of actions) {
    out.push(
      '',
      `<!-- action: ${escapeInline(a.id)} -->`,
      fingerprintLine(actionFingerprint(a)),
      '',
      `### Action ${escapeInline(a.id)}`.trimEnd(),
      '',
    );
    out.push(`**Title:** ${escapeInline(a.title)}`.trimEnd());
    if (a.notes !== undefined) pushAll(out, ['', LABELS.notes, ''], fencedBlock(a.notes));
    if (a.history.length > 0) pushAll(out, ['', LABELS.history, ''], a.history.map(historyLine));
  }
  return out;
}

function kindLabel(item: FlatItem): string {
  const base = item.kind === 'checklist' ? 'Checklist' : 'Question';
  return item.depth > 0 ? `» ${base}` : base;
}

/** The lines of one answerable item (or a kept answer, when `item` is undefined). */
export function itemBlock(id: string, item: FlatItem | undefined, answer: Answer | undefined): string[] {
  const out: string[] = [];
  pushItemBlock(out, id, item, answer);
  return out;
}

/** `itemBlock`, appended to `out` (no copy: see `pushFencedBlock`). */
function pushItemBlock(
  out: string[],
  id: string,
  item: FlatItem | undefined,
  answer: Answer | undefined,
): void {
  out.push(`<!-- item: ${escapeInline(id)} -->`, fingerprintLine(answerFingerprint(answer)), '');
  if (item) out.push(`**${kindLabel(item)}:** ${escapeDisplay(item.text)}${badges(item.effectiveTags)}`);
  else out.push(`**No longer in the question bank:** ${escapeInline(id)}`);
  out.push('');
  const isChecklist = item?.kind === 'checklist';
  if (!answer) {
    out.push(`- Status: ${NOT_ANSWERED}`, '', isChecklist ? LABELS.note : LABELS.text, '');
    pushFencedBlock(out, []);
  } else {
    out.push(`- Status: ${escapeInline(answer.status)}`);
    if (answer.rating !== undefined) out.push(`- Rating: ${escapeInline(answer.rating)}`);
    if (answer.carried !== undefined) {
      out.push(`- Carried forward from: ${escapeInline(answer.carried)} (not yet confirmed)`);
    }
    if (answer.text !== undefined) {
      out.push('', isChecklist ? LABELS.note : LABELS.text, '');
      pushFencedBlock(out, answer.text);
    }
    if (answer.needs !== undefined) {
      out.push('', LABELS.needs, '');
      pushFencedBlock(out, answer.needs);
    }
    if (answer.evidence !== undefined) {
      out.push('', LABELS.evidence, '');
      pushFencedBlock(out, answer.evidence);
    }
  }
  if (item?.lead !== undefined) out.push('', `> ${escapeDisplay(item.lead)}`);
}

/** The answers, stage by stage, appended to `out` (a full cycle's are some 2,500 lines: not copied). */
function pushAnswersSections(out: string[], bank: Bank, cycle: CycleFile): void {
  const answers = cycle.answers;
  const get = (id: string) => (Object.hasOwn(answers, id) ? answers[id] : undefined);
  const flat = flattenBank(bank);
  const shown = new Set<string>();
  let stage = '';
  let section = '';
  for (let i = 0; i < flat.length; i++) {
    const item = flat[i] as FlatItem;
    if (item.stage !== stage) {
      stage = item.stage;
      section = '';
      out.push('', `<!-- stage: ${escapeInline(item.stage)} -->`, '', `## ${escapeDisplay(item.stageTitle)}`);
    }
    if (item.sectionId !== section) {
      section = item.sectionId;
      out.push('', `### ${escapeDisplay(item.section)}`);
    }
    out.push('');
    if (item.kind === 'prompt') {
      // a lead-in takes no answer; one found in the file anyway is listed with the kept answers
      out.push(
        `<!-- prompt: ${escapeInline(item.id)} -->`,
        '',
        `${escapeDisplay(item.text)}${badges(item.effectiveTags)}`,
      );
      continue;
    }
    shown.add(item.id);
    pushItemBlock(out, item.id, item, get(item.id));
  }
  const kept = Object.keys(answers).filter((id) => !shown.has(id));
  if (kept.length > 0) {
    out.push(
      '',
      '<!-- section: kept -->',
      '',
      '## Answers to items no longer in the question bank',
      '',
      'These answers were given to items that this version of the question bank does not have (or that',
      'take no answer). They are kept so that nothing is lost.',
    );
    for (const id of kept) {
      out.push('');
      pushItemBlock(out, id, undefined, answers[id]);
    }
  }
}

/**
 * Append the lines of each group to `out`, one by one: `out.push(...lines)` passes every line as an
 * argument, and an answer of 100,000 lines overflows the stack that way.
 */
function pushAll(out: string[], ...groups: ReadonlyArray<readonly string[]>): void {
  for (const group of groups) for (let i = 0; i < group.length; i++) out.push(group[i] as string);
}

/**
 * The Markdown report of `cycle`. Deterministic; passes markdownlint with the committed config;
 * `parseReport` reads it back exactly.
 */
export function renderReport(bank: Bank, cycle: CycleFile, opts: RenderReportOptions = {}): string {
  const progress = cycleProgress(bank, cycle);
  const lines: string[] = [
    ...frontMatter(bank, cycle),
    '',
    `# Reflection ${escapeInline(cycle.cycle)}${cycle.authority === '' ? '' : `: ${escapeInline(cycle.authority)}`}`.trimEnd(),
    '',
    `Answers to the ${escapeDisplay(bank.title)} (question bank ${escapeInline(bank.id)}, version ${escapeInline(bank.version)})${
      cycle.from !== undefined ? `, carried forward from cycle ${escapeInline(cycle.from)}` : ''
    }. ${escapeDisplay(bank.source.credit)} Source: <${bank.source.url}>.`,
    '',
    'To change answers in your own editor, edit the text between the fence lines (```), the Status and',
    'Rating lines, then run `kinship-reflect import <this file>`. Keep the `<!-- … -->` lines: they tell',
    'the tool which answer is which, and what this report showed, so that import changes only what you',
    'edited here and keeps answers saved in the cycle since. To remove an answer, write',
    '`- Status: not answered` and empty its block; leaving an item out removes nothing.',
    '',
    ...summarySection(cycle, progress),
    '',
    ...coverageSection(progress),
    '',
    ...prioritySection(bank, cycle.priorities),
    '',
    ...actionsSection(cycle.actions),
  ];
  pushAnswersSections(lines, bank, cycle);
  // A hand-edited cycle can hold control characters; a report shows them escaped, never raw.
  // The marker goes last, after a blank line; the checksum covers everything but the marker line.
  // The two line ends are joined in rather than appended, so the checksum reads the text as joined
  // (appending makes a string V8 copies whole, 100 KB for a full cycle, before it can be read).
  lines.push('', '');
  const checked = escapeControlCharacters(lines.join('\n'));
  if (opts.generatedMarker === false) return checked.slice(0, -1);
  return `${checked}<!-- kinship-reflect: generated, crc32 ${crc32Hex(checked)} -->\n`;
}
