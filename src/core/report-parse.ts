/**
 * Read a Markdown report (as written by `renderReport`, possibly edited by hand) back into cycle data.
 *
 * The parser is line-based and follows the report's markers (`<!-- item: id -->` and friends), never
 * its headings. It tracks fenced blocks exactly as CommonMark does, so marker look-alikes, headings or
 * fences typed inside an answer are just answer text. Whatever it cannot place is reported with its
 * line, never dropped silently: text outside a fenced block where an answer is expected, unknown item
 * ids, duplicate items, unknown statuses or ratings, unclosed fences, malformed action rows.
 *
 * Line ends: CRLF and lone CR are read as LF (answers are stored as lines; see `markdown.ts`).
 */

import { findItem, findRecommendation } from './bank.ts';
import { controlCharacterInFileMessage, findControlCharactersInSource } from './control-chars.ts';
import { sameAnswer, statusesFor } from './cycle.ts';
import { parseUserDate } from './dates.ts';
import type { Problem } from './errors.ts';
import { isFenceClose, matchFenceOpen, splitTableRow, unescapeInline } from './markdown.ts';
import { LABELS, NONE_CELL, NOT_ANSWERED, REPORT_FORMAT } from './report.ts';
import {
  ACTION_STATUSES,
  type Action,
  type ActionStatus,
  type Answer,
  type AnswerStatus,
  type Bank,
  CHECKLIST_STATUSES,
  CYCLE_FORMAT,
  type CycleFile,
  type FlatItem,
  type Priority,
  QUESTION_STATUSES,
  RATINGS,
  type Rating,
} from './types.ts';

export interface ParseReportOptions {
  /** The file name used in problems (default `report.md`). */
  file?: string;
  /**
   * The cycle as it is now: an answer the report leaves unchanged keeps its `changed` date from here.
   * Answers that differ (or are new) get `today`.
   */
  base?: CycleFile;
  /** Date for answers that changed (default: the base's date, else an empty string). */
  today?: string;
}

export interface ParsedCycle extends Partial<CycleFile> {
  answers: Record<string, Answer>;
  priorities: Priority[];
  actions: Action[];
}

export interface ParsedReport {
  cycle: ParsedCycle;
  problems: Problem[];
  /**
   * Every item id that has a block in the report, answered or not. An item whose block is missing
   * was not in the report (it is left alone by `import`); an item present as "not answered" has no
   * answer.
   */
  itemsSeen: string[];
  /** The `<!-- section: … -->` markers found (`priorities`, `actions`…): a missing section is left alone by `import`. */
  sectionsSeen: string[];
}

type FieldName = 'text' | 'needs' | 'evidence' | 'rationale' | 'notes' | 'history';

interface ItemCtx {
  kind: 'item';
  id: string;
  line: number;
  item: FlatItem | undefined;
  kept: boolean;
  status?: string;
  statusLine?: number;
  rating?: string;
  ratingLine?: number;
  carried?: string;
  fields: Partial<Record<'text' | 'needs' | 'evidence', string[]>>;
}

interface PriorityCtx {
  kind: 'priority';
  priority: Priority;
  line: number;
}

interface ActionCtx {
  kind: 'action';
  action: Action | undefined;
  id: string;
  line: number;
  sawNotes: boolean;
}

type Ctx = { kind: 'display' } | { kind: 'actions-table' } | ItemCtx | PriorityCtx | ActionCtx;

const ITEM_LABELS: Record<string, 'text' | 'needs' | 'evidence'> = {
  [LABELS.text]: 'text',
  [LABELS.note]: 'text',
  [LABELS.needs]: 'needs',
  [LABELS.evidence]: 'evidence',
};

const ALL_STATUSES: readonly string[] = [...QUESTION_STATUSES, ...CHECKLIST_STATUSES];

const FORBIDDEN_IDS = new Set(['__proto__', 'constructor', 'prototype']);

const MARKER = /^<!-- (item|prompt|priority|action|section|stage): (.*) -->$/;

/** `31/03/2027` → `2027-03-31` (the exact inverse of `formatUkDate`), else a date in any accepted form. */
function ukToIso(text: string): string | undefined {
  // parseUserDate checks the calendar: 31/02/2027 is no date at all
  return parseUserDate(text);
}

/** Split on commas not escaped with a backslash; escapes are kept for `unescapeInline`. */
function splitEscapedList(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\' && i + 1 < text.length) {
      cur += ch + (text[i + 1] as string);
      i++;
    } else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

function parseFrontMatter(
  lines: string[],
  file: string,
  problems: Problem[],
): { values: Record<string, string>; end: number } {
  const values: Record<string, string> = {};
  if (lines[0] !== '---') return { values, end: 0 };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line === '---') return { values, end: i + 1 };
    const m = /^([A-Za-z][\w-]*):\s*(.*)$/.exec(line);
    if (!m) {
      if (line.trim() !== '')
        problems.push({
          file,
          line: i + 1,
          message: `front matter line not understood: expected "key: value"`,
        });
      continue;
    }
    const raw = (m[2] as string).trim();
    let value = raw;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        problems.push({ file, line: i + 1, message: `the value of "${m[1]}" is not a valid quoted string` });
      }
    }
    values[m[1] as string] = value;
  }
  problems.push({
    file,
    line: 1,
    message: 'the front matter opened on line 1 is never closed with a "---" line',
  });
  return { values, end: lines.length };
}

/**
 * The cycle data in a report, and every problem found. `cycle` holds what could be read even when
 * there are problems; callers decide (import refuses to save anything when there are problems).
 */
export function parseReport(markdown: string, bank: Bank, opts: ParseReportOptions = {}): ParsedReport {
  const file = opts.file ?? 'report.md';
  const problems: Problem[] = [];
  const lines = markdown
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  // A report the tool wrote shows control characters escaped; raw ones were typed in by hand and are
  // refused like any other input (control-chars.ts).
  for (const at of findControlCharactersInSource(lines.join('\n'), 'text', 25)) {
    problems.push({ file, line: at.line, column: at.column, message: controlCharacterInFileMessage(at) });
  }

  const { values, end } = parseFrontMatter(lines, file, problems);
  const cycle: ParsedCycle = { answers: {}, priorities: [], actions: [] };
  if (values.format === undefined) {
    problems.push({
      file,
      line: 1,
      message: `this does not look like a kinship-reflect report: it has no front matter with "format: ${REPORT_FORMAT}". Export one with: kinship-reflect export --out report.md`,
    });
  } else if (values.format !== REPORT_FORMAT) {
    problems.push({
      file,
      line: 2,
      message: `unknown report format "${values.format}" (this version reads ${REPORT_FORMAT})`,
    });
  }
  cycle.format = CYCLE_FORMAT;
  if (values.cycle !== undefined) cycle.cycle = values.cycle;
  if (values.authority !== undefined) cycle.authority = values.authority;
  if (values.bank !== undefined) {
    cycle.bank = { id: values.bank, version: values.bankVersion ?? '' };
    if (values.bank !== bank.id) {
      problems.push({
        file,
        line: 1,
        message: `this report is for the question bank "${values.bank}", but the workspace uses "${bank.id}": import it into a workspace with that bank (or use --bank)`,
      });
    }
  }
  if (values.from !== undefined) cycle.from = values.from;

  const itemsSeen = new Set<string>();
  const sectionsSeen = new Set<string>();
  const prioritiesSeen = new Set<string>();
  const actionsById = new Map<string, Action>();
  const actionBlocksSeen = new Set<string>();
  let section = '';
  let ctx = { kind: 'display' } as Ctx;
  let pending: { field: FieldName; line: number } | undefined;

  const problem = (line: number, message: string, item?: string): void => {
    problems.push(item === undefined ? { file, line, message } : { file, line, item, message });
  };

  const finishItem = (c: ItemCtx): void => {
    const { id, item } = c;
    const text = c.fields.text;
    const hasContent =
      text?.some((l) => l.trim() !== '') ||
      c.fields.needs !== undefined ||
      c.fields.evidence !== undefined ||
      c.rating !== undefined;
    let status = c.status;
    if (status === undefined) {
      problem(c.line, 'no "- Status: …" line for this item; add one (e.g. "- Status: answered")', id);
      return;
    }
    if (status === NOT_ANSWERED) {
      if (!hasContent) return;
      if (item?.kind === 'checklist') {
        problem(
          c.statusLine ?? c.line,
          `this item has a note but its status is "${NOT_ANSWERED}": give it one of ${CHECKLIST_STATUSES.join(', ')}`,
          id,
        );
        return;
      }
      status = 'answered';
    }
    const allowed: readonly string[] = item ? statusesFor(item) : ALL_STATUSES;
    if (!allowed.includes(status)) {
      problem(
        c.statusLine ?? c.line,
        `unknown status "${status}": use one of ${allowed.join(', ')} or "${NOT_ANSWERED}"`,
        id,
      );
      return;
    }
    const answer: Partial<Answer> = { status: status as AnswerStatus };
    if (text !== undefined) answer.text = text;
    if (c.fields.needs !== undefined) answer.needs = c.fields.needs;
    if (c.rating !== undefined) answer.rating = c.rating as Rating;
    if (c.fields.evidence !== undefined) answer.evidence = c.fields.evidence;
    if (c.carried !== undefined) answer.carried = c.carried;
    const before = opts.base && Object.hasOwn(opts.base.answers, id) ? opts.base.answers[id] : undefined;
    const candidate = { ...answer, changed: before?.changed ?? '' } as Answer;
    answer.changed =
      before && sameAnswer(before, candidate) ? before.changed : (opts.today ?? before?.changed ?? '');
    cycle.answers[id] = answer as Answer;
  };

  const finish = (): void => {
    if (pending) {
      problem(
        pending.line,
        `"${labelOf(pending.field)}" is not followed by a fenced block (\`\`\`); nothing was read for it`,
      );
      pending = undefined;
    }
    if (ctx.kind === 'item') finishItem(ctx);
    ctx = section === 'actions' ? { kind: 'actions-table' } : { kind: 'display' };
  };

  const startMarker = (kind: string, rawValue: string, lineNo: number): void => {
    finish();
    const value = unescapeInline(rawValue.trim());
    if (kind === 'section') {
      section = value;
      sectionsSeen.add(value);
      ctx = value === 'actions' ? { kind: 'actions-table' } : { kind: 'display' };
    } else if (kind === 'stage') {
      section = 'answers';
      ctx = { kind: 'display' };
    } else if (kind === 'prompt') {
      ctx = { kind: 'display' };
    } else if (kind === 'item') {
      const item = findItem(bank, value);
      const kept = section === 'kept';
      if (FORBIDDEN_IDS.has(value)) problem(lineNo, 'this cannot be an item id', value);
      else if (itemsSeen.has(value))
        problem(lineNo, 'this item appears twice in the report; only the first is read', value);
      else if (!item && !kept) {
        problem(
          lineNo,
          'unknown item id: this question bank has no such item (was the marker line edited?)',
          value,
        );
      } else if (item && item.kind === 'prompt' && !kept) {
        problem(lineNo, 'this item is a lead-in and takes no answer', value);
      } else {
        itemsSeen.add(value);
        ctx = {
          kind: 'item',
          id: value,
          line: lineNo,
          item: item && item.kind !== 'prompt' ? item : undefined,
          kept,
          fields: {},
        };
        return;
      }
      ctx = { kind: 'display' };
    } else if (kind === 'priority') {
      if (!findRecommendation(bank, value)) {
        const known = bank.recommendations.map((r) => r.id).join(', ');
        problem(lineNo, `"${value}" is not a Recommendation of this question bank (known: ${known})`);
        ctx = { kind: 'display' };
      } else if (prioritiesSeen.has(value)) {
        problem(lineNo, `${value} is listed as a priority twice; only the first is read`);
        ctx = { kind: 'display' };
      } else {
        prioritiesSeen.add(value);
        const priority: Priority = { recommendation: value };
        cycle.priorities.push(priority);
        ctx = { kind: 'priority', priority, line: lineNo };
      }
    } else if (kind === 'action') {
      let action = actionsById.get(value);
      if (!action)
        problem(lineNo, `action ${value} has notes or history here but no row in the actions table`);
      else if (actionBlocksSeen.has(value)) {
        problem(lineNo, `action ${value} has two blocks of notes and history; only the first is read`);
        action = undefined;
      } else actionBlocksSeen.add(value);
      ctx = { kind: 'action', action, id: value, line: lineNo, sawNotes: false };
    }
  };

  const assignFence = (content: string[], openLine: number): void => {
    if (!pending) {
      if (ctx.kind === 'item' || ctx.kind === 'priority' || ctx.kind === 'action') {
        problem(
          openLine,
          'a fenced block without a label ("Answer:", "Data needed:", "Evidence:", "Rationale:", "Notes:") above it was not read',
        );
      }
      // fences elsewhere (charts, examples) are the report's own display
      return;
    }
    const field = pending.field;
    pending = undefined;
    if (ctx.kind === 'item' && (field === 'text' || field === 'needs' || field === 'evidence')) {
      if (ctx.fields[field] !== undefined)
        problem(openLine, `a second "${labelOf(field)}" block for this item was not read`, ctx.id);
      else ctx.fields[field] = content;
    } else if (ctx.kind === 'priority' && field === 'rationale') {
      if (ctx.priority.rationale !== undefined) problem(openLine, 'a second "Rationale:" block was not read');
      else ctx.priority.rationale = content;
    } else if (ctx.kind === 'action' && field === 'notes') {
      if (ctx.sawNotes) problem(openLine, `a second "Notes:" block for action ${ctx.id} was not read`);
      else if (ctx.action) ctx.action.notes = content;
      ctx.sawNotes = true;
    }
  };

  let historyMode = false;
  let tableHeaderSeen = false;
  let i = end;
  while (i < lines.length) {
    const line = lines[i] as string;
    const lineNo = i + 1;
    i++;
    const fence = matchFenceOpen(line);
    if (fence) {
      const content: string[] = [];
      let closed = false;
      while (i < lines.length) {
        const inner = lines[i] as string;
        i++;
        if (isFenceClose(inner, fence.char, fence.length)) {
          closed = true;
          break;
        }
        // CommonMark removes up to the opening fence's indentation from each content line
        content.push(fence.indent > 0 ? inner.replace(new RegExp(`^ {0,${fence.indent}}`), '') : inner);
      }
      if (!closed) {
        problem(
          lineNo,
          `the fenced block opened here is never closed: add a line of ${fence.char.repeat(fence.length)} after its text`,
        );
        pending = undefined;
        break;
      }
      historyMode = false;
      assignFence(content, lineNo);
      continue;
    }
    const marker = MARKER.exec(line.trim());
    if (marker) {
      historyMode = false;
      startMarker(marker[1] as string, marker[2] as string, lineNo);
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (ctx.kind === 'display') continue;
    if (ctx.kind === 'actions-table') {
      readTableRow(line, lineNo);
      continue;
    }
    if (/^<!--.*-->$/.test(trimmed)) continue;
    if (/^#{1,6}(\s|$)/.test(trimmed)) {
      if (ctx.kind === 'item') finish();
      continue;
    }
    if (trimmed.startsWith('>') || trimmed.startsWith('**')) continue;
    if (ctx.kind === 'item') {
      const label = ITEM_LABELS[trimmed];
      if (label) {
        if (pending)
          problem(
            pending.line,
            `"${labelOf(pending.field)}" is not followed by a fenced block (\`\`\`); nothing was read for it`,
            ctx.id,
          );
        pending = { field: label, line: lineNo };
        continue;
      }
      const carried = /^- Carried forward from: ?(.*?)(?: \(not yet confirmed\))?$/.exec(trimmed);
      if (carried) {
        ctx.carried = unescapeInline(carried[1] as string);
        continue;
      }
      const field = /^- (Status|Rating):[ \t]*(.*)$/.exec(trimmed);
      if (field) {
        const value = unescapeInline((field[2] as string).trim());
        if (field[1] === 'Status') {
          ctx.status = value;
          ctx.statusLine = lineNo;
        } else {
          if (value === '' || value === 'not rated') ctx.rating = undefined;
          else if ((RATINGS as readonly string[]).includes(value)) ctx.rating = value;
          else
            problem(
              lineNo,
              `unknown rating "${value}": use red, amber or green (or delete the line)`,
              ctx.id,
            );
        }
        continue;
      }
      problem(
        lineNo,
        'this text is outside a fenced block, so it would be lost: put it between the ``` lines under "Answer:"',
        ctx.id,
      );
      continue;
    }
    if (ctx.kind === 'priority') {
      if (trimmed === LABELS.rationale) {
        pending = { field: 'rationale', line: lineNo };
        continue;
      }
      problem(
        lineNo,
        'this text is outside a fenced block, so it would be lost: put it between the ``` lines under "Rationale:"',
      );
      continue;
    }
    if (ctx.kind === 'action') {
      if (trimmed === LABELS.notes) {
        pending = { field: 'notes', line: lineNo };
        historyMode = false;
        continue;
      }
      if (trimmed === LABELS.history) {
        historyMode = true;
        continue;
      }
      if (historyMode && trimmed.startsWith('- ')) {
        readHistory(trimmed, lineNo, ctx);
        continue;
      }
      problem(
        lineNo,
        `this text is outside a fenced block, so it would be lost: put it between the \`\`\` lines under "Notes:"`,
      );
    }
  }
  finish();

  function readTableRow(line: string, lineNo: number): void {
    const cells = splitTableRow(line);
    if (!cells) return; // the "No actions" sentence and other prose
    if (!tableHeaderSeen) {
      if (cells[0] === 'ID') tableHeaderSeen = true;
      else
        problem(
          lineNo,
          'expected the actions table header (| ID | Title | Owner | Due | Status | Tags | Opened in |)',
        );
      return;
    }
    if (cells.every((c) => /^:?-+:?$/.test(c))) return;
    if (cells.length !== 7) {
      problem(
        lineNo,
        `an action row needs 7 cells (ID, Title, Owner, Due, Status, Tags, Opened in); this one has ${cells.length}`,
      );
      return;
    }
    const [id, title, owner, due, status, tags, opened] = cells as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const actionId = unescapeInline(id);
    if (actionsById.has(actionId) || FORBIDDEN_IDS.has(actionId)) {
      problem(lineNo, `action ${actionId} is listed twice; only the first row is read`);
      return;
    }
    const statusValue = unescapeInline(status);
    if (!(ACTION_STATUSES as readonly string[]).includes(statusValue)) {
      problem(
        lineNo,
        `action ${actionId}: unknown status "${statusValue}": use one of ${ACTION_STATUSES.join(', ')}`,
      );
      return;
    }
    const action: Action = {
      id: actionId,
      title: unescapeInline(title),
      status: statusValue as ActionStatus,
      tags: tags === NONE_CELL ? [] : splitEscapedList(tags).map(unescapeInline),
      history: [],
      opened: unescapeInline(opened),
    };
    if (owner !== NONE_CELL) action.owner = unescapeInline(owner);
    if (due !== NONE_CELL) {
      const iso = ukToIso(unescapeInline(due));
      if (iso === undefined) {
        problem(
          lineNo,
          `action ${actionId}: due date "${unescapeInline(due)}" is not a day of the calendar: use DD/MM/YYYY with a day that exists, or ${NONE_CELL} for none`,
        );
        return;
      }
      action.due = iso;
    }
    // canonical key order: id, title, owner, due, status, tags, notes, history, opened
    actionsById.set(actionId, action);
    cycle.actions.push(action);
  }

  function readHistory(trimmed: string, lineNo: number, c: ActionCtx): void {
    const m = /^- (.+?): (\S+)( —(?: (.*))?)?$/.exec(trimmed);
    if (!m) {
      problem(lineNo, `action ${c.id}: history lines look like "- 31/03/2027: done — a note"`);
      return;
    }
    const date = ukToIso(unescapeInline(m[1] as string));
    const status = unescapeInline(m[2] as string);
    if (date === undefined || !(ACTION_STATUSES as readonly string[]).includes(status)) {
      problem(
        lineNo,
        `action ${c.id}: history lines look like "- 31/03/2027: done — a note" (status one of ${ACTION_STATUSES.join(', ')})`,
      );
      return;
    }
    const entry: Action['history'][number] = { date, status: status as ActionStatus };
    if (m[3] !== undefined) entry.note = m[4] === undefined ? '' : unescapeInline(m[4]);
    c.action?.history.push(entry);
  }

  // put action keys in canonical order now that notes and history are in
  cycle.actions = cycle.actions.map((a) => {
    const o: Record<string, unknown> = { id: a.id, title: a.title };
    if (a.owner !== undefined) o.owner = a.owner;
    if (a.due !== undefined) o.due = a.due;
    o.status = a.status;
    o.tags = a.tags;
    if (a.notes !== undefined) o.notes = a.notes;
    o.history = a.history;
    o.opened = a.opened;
    return o as unknown as Action;
  });
  return { cycle, problems, itemsSeen: [...itemsSeen], sectionsSeen: [...sectionsSeen] };
}

function labelOf(field: FieldName): string {
  switch (field) {
    case 'text':
      return LABELS.text;
    case 'needs':
      return LABELS.needs;
    case 'evidence':
      return LABELS.evidence;
    case 'rationale':
      return LABELS.rationale;
    case 'notes':
      return LABELS.notes;
    default:
      return LABELS.history;
  }
}
