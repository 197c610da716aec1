/**
 * Read a Markdown report (as written by `renderReport`, possibly edited by hand) back into cycle data.
 *
 * The reader is a small state machine over lines. It follows the report's markers (`<!-- item: id -->`
 * and friends), never its headings, and tracks fenced blocks exactly as CommonMark does, so marker
 * look-alikes, headings or fences typed inside an answer are just answer text. Each kind of line has
 * one handler: fence, marker, fingerprint, item line, priority line, action line, table row. The
 * state is explicit (`ReaderState`): the section, the block being read (an item, a priority, an
 * action, the actions table, or display text) and the label waiting for its fenced block.
 *
 * Whatever it cannot place is reported with its line, never dropped silently: text outside a fenced
 * block where an answer is expected, unknown item ids, duplicate items, unknown statuses or ratings,
 * unclosed fences, damaged or look-alike markers, Status lines that belong to no item, malformed
 * action rows.
 *
 * Line ends: CRLF and lone CR are read as LF (answers are stored as lines; see `markdown.ts`).
 */
import { findItem, findRecommendation, flattenBank } from './bank.ts';
import { controlCharacterInFileMessage, findControlCharactersInSource } from './control-chars.ts';
import { sameAnswer, statusesFor } from './cycle.ts';
import { parseUserDate } from './dates.ts';
import type { Problem } from './errors.ts';
import { FINGERPRINT_LINE } from './fingerprint.ts';
import { isFenceClose, matchFenceOpen, splitTableRow, unescapeInline } from './markdown.ts';
import { LABELS, NONE_CELL, NOT_ANSWERED, REPORT_FORMAT } from './report.ts';
import { damagedMarker, lookalikeOf, MARKER, type MarkerKind } from './report-markers.ts';
import { closest } from './suggest.ts';
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

/**
 * What the report showed when it was written (see `fingerprint.ts`), per item, priority and action.
 * Reports written before fingerprints existed have none; a fingerprint line deleted by hand leaves
 * its item without one.
 */
export interface ReportFingerprints {
  answers: Record<string, string>;
  priorities: Record<string, string>;
  /** The list of priorities, in order. */
  priorityOrder?: string;
  actions: Record<string, string>;
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
  fingerprints: ReportFingerprints;
}

type FieldName = 'text' | 'needs' | 'evidence' | 'rationale' | 'notes';
type ItemField = 'text' | 'needs' | 'evidence';

interface ItemBlock {
  kind: 'item';
  id: string;
  line: number;
  item: FlatItem | undefined;
  status?: string;
  statusLine?: number;
  rating?: string;
  ratingLine?: number;
  carried?: string;
  fields: Partial<Record<ItemField, string[]>>;
}

interface PriorityBlock {
  kind: 'priority';
  priority: Priority;
  line: number;
}

interface ActionBlock {
  kind: 'action';
  action: Action | undefined;
  id: string;
  line: number;
  sawNotes: boolean;
  /** After a "History:" label, until the next label, fence or marker. */
  inHistory: boolean;
}

/** The block of the report being read: where the next line belongs. */
type Block = { kind: 'display' } | { kind: 'actions-table' } | ItemBlock | PriorityBlock | ActionBlock;

/** What a fingerprint line directly under a marker belongs to. */
type FingerprintTarget =
  | { kind: 'answer' | 'priority' | 'action'; key: string }
  | { kind: 'order' }
  /** A marker already refused: its fingerprint line adds nothing to report. */
  | { kind: 'refused' };

/** The reader's whole state, in one place. */
interface ReaderState {
  /** The current `<!-- section: … -->` (`answers` inside a stage). */
  section: string;
  block: Block;
  /** A label ("Answer:", "Notes:"…) waiting for its fenced block. */
  pending: { field: FieldName; line: number } | undefined;
  tableHeaderSeen: boolean;
  /** The marker on the line just read, which a fingerprint line may follow. */
  fingerprintTarget: FingerprintTarget | undefined;
}

const ITEM_LABELS: Record<string, ItemField> = {
  [LABELS.text]: 'text',
  [LABELS.note]: 'text',
  [LABELS.needs]: 'needs',
  [LABELS.evidence]: 'evidence',
};

const FIELD_LABELS: Record<FieldName, string> = {
  text: LABELS.text,
  needs: LABELS.needs,
  evidence: LABELS.evidence,
  rationale: LABELS.rationale,
  notes: LABELS.notes,
};

const ALL_STATUSES: readonly string[] = [...QUESTION_STATUSES, ...CHECKLIST_STATUSES];

const FORBIDDEN_IDS = new Set(['__proto__', 'constructor', 'prototype']);

/** Lines that belong inside an item block: met anywhere else, they mean its marker is gone. */
const ITEM_ONLY_LINE = /^- (Status|Rating|Carried forward from):/;

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

/** The report's lines: BOM dropped, CRLF and CR read as LF, no empty last line. */
export function reportLines(markdown: string): string[] {
  const lines = markdown
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Canonical key order of an action: id, title, owner, due, status, tags, notes, history, opened. */
function canonicalAction(a: Action): Action {
  const o: Record<string, unknown> = { id: a.id, title: a.title };
  if (a.owner !== undefined) o.owner = a.owner;
  if (a.due !== undefined) o.due = a.due;
  o.status = a.status;
  o.tags = a.tags;
  if (a.notes !== undefined) o.notes = a.notes;
  o.history = a.history;
  o.opened = a.opened;
  return o as unknown as Action;
}

/** One pass over a report's lines; see the module comment. */
class ReportReader {
  readonly problems: Problem[] = [];
  readonly cycle: ParsedCycle = { answers: {}, priorities: [], actions: [] };
  readonly fingerprints: ReportFingerprints = { answers: {}, priorities: {}, actions: {} };
  readonly itemsSeen = new Set<string>();
  readonly sectionsSeen = new Set<string>();
  private readonly prioritiesSeen = new Set<string>();
  private readonly actionsById = new Map<string, Action>();
  private readonly actionBlocksSeen = new Set<string>();
  private readonly state: ReaderState = {
    section: '',
    block: { kind: 'display' },
    pending: undefined,
    tableHeaderSeen: false,
    fingerprintTarget: undefined,
  };
  private pos: number;

  constructor(
    private readonly bank: Bank,
    private readonly opts: ParseReportOptions,
    private readonly file: string,
    private readonly lines: string[],
    start: number,
  ) {
    this.pos = start;
  }

  problem(line: number | undefined, message: string, item?: string): undefined {
    const p: Problem = { file: this.file, message };
    if (line !== undefined) p.line = line;
    if (item !== undefined) p.item = item;
    this.problems.push(p);
  }

  read(): undefined {
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos] as string;
      this.pos++;
      this.onLine(line, this.pos);
    }
    this.finishBlock();
    this.cycle.actions = this.cycle.actions.map(canonicalAction);
  }

  /** Dispatch one line to the handler for its kind. */
  private onLine(line: string, lineNo: number): undefined {
    const target = this.state.fingerprintTarget;
    this.state.fingerprintTarget = undefined;
    const fence = matchFenceOpen(line);
    if (fence) return this.onFence(fence, lineNo);
    const trimmed = line.trim();
    const fingerprint = FINGERPRINT_LINE.exec(trimmed);
    if (fingerprint) return this.onFingerprint(fingerprint[1] as string, target, lineNo);
    const marker = MARKER.exec(trimmed);
    if (marker) return this.onMarker(marker[1] as MarkerKind, marker[2] as string, lineNo);
    if (trimmed === '') return;
    const damaged = damagedMarker(trimmed);
    if (damaged !== undefined) {
      this.state.fingerprintTarget = { kind: 'refused' };
      return this.problem(lineNo, damaged);
    }
    const block = this.state.block;
    switch (block.kind) {
      case 'display':
        return this.onDisplayLine(trimmed, lineNo);
      case 'actions-table':
        return this.onTableRow(line, lineNo);
      case 'item':
        return this.onItemLine(block, trimmed, lineNo);
      case 'priority':
        return this.onPriorityLine(trimmed, lineNo);
      case 'action':
        return this.onActionLine(block, trimmed, lineNo);
    }
  }

  // ---- fences ----------------------------------------------------------------------------------

  /** A fenced block: read to its closing line, then hand its lines to the label waiting for them. */
  private onFence(fence: NonNullable<ReturnType<typeof matchFenceOpen>>, lineNo: number): undefined {
    const content: string[] = [];
    let closed = false;
    let nested: number | undefined;
    while (this.pos < this.lines.length) {
      const inner = this.lines[this.pos] as string;
      this.pos++;
      if (isFenceClose(inner, fence.char, fence.length)) {
        closed = true;
        break;
      }
      // the tool fences with more backticks than any run inside, so it never writes this
      const opener = matchFenceOpen(inner);
      if (nested === undefined && opener && opener.char === fence.char && opener.length >= fence.length)
        nested = this.pos;
      // CommonMark removes up to the opening fence's indentation from each content line
      content.push(fence.indent > 0 ? inner.replace(new RegExp(`^ {0,${fence.indent}}`), '') : inner);
    }
    const run = fence.char.repeat(fence.length);
    if (!closed) {
      this.problem(
        lineNo,
        `the fenced block opened here is never closed: add a line of ${run} after its text`,
      );
      this.state.pending = undefined;
      this.pos = this.lines.length;
      return;
    }
    if (nested !== undefined) {
      this.problem(
        nested,
        `a fence line inside the block opened on line ${lineNo}: the block above has probably lost its closing ${run} line, so it swallowed what follows. Add the closing line after its text (if this fence is part of the answer, fence the answer with one more ${fence.char})`,
      );
    }
    if (this.state.block.kind === 'action') this.state.block.inHistory = false;
    this.assignFence(content, lineNo);
  }

  private assignFence(content: string[], openLine: number): undefined {
    const { pending, block } = this.state;
    if (!pending) {
      if (block.kind === 'item' || block.kind === 'priority' || block.kind === 'action') {
        this.problem(
          openLine,
          'a fenced block without a label ("Answer:", "Data needed:", "Evidence:", "Rationale:", "Notes:") above it was not read',
        );
      }
      // fences elsewhere (charts, examples) are the report's own display
      return;
    }
    const field = pending.field;
    this.state.pending = undefined;
    if (block.kind === 'item' && (field === 'text' || field === 'needs' || field === 'evidence')) {
      if (block.fields[field] !== undefined)
        this.problem(
          openLine,
          `a second "${FIELD_LABELS[field]}" block for this item was not read`,
          block.id,
        );
      else block.fields[field] = content;
    } else if (block.kind === 'priority' && field === 'rationale') {
      if (block.priority.rationale !== undefined)
        this.problem(openLine, 'a second "Rationale:" block was not read');
      else block.priority.rationale = content;
    } else if (block.kind === 'action' && field === 'notes') {
      if (block.sawNotes)
        this.problem(openLine, `a second "Notes:" block for action ${block.id} was not read`);
      else if (block.action) block.action.notes = content;
      block.sawNotes = true;
    }
  }

  /** A label's fenced block is its next non-blank line; anything else leaves the label unread. */
  private setPending(field: FieldName, lineNo: number, item?: string): undefined {
    this.reportUnfilledLabel(item);
    this.state.pending = { field, line: lineNo };
  }

  private reportUnfilledLabel(item?: string): undefined {
    const pending = this.state.pending;
    if (!pending) return;
    this.problem(
      pending.line,
      `"${FIELD_LABELS[pending.field]}" is not followed by a fenced block (\`\`\`); nothing was read for it`,
      item,
    );
    this.state.pending = undefined;
  }

  // ---- markers and fingerprints ----------------------------------------------------------------

  private onMarker(kind: MarkerKind, rawValue: string, lineNo: number): undefined {
    this.finishBlock();
    const value = unescapeInline(rawValue.trim());
    // an item, priority or action marker refused below has already said what is wrong with it
    this.state.fingerprintTarget =
      kind === 'item' || kind === 'priority' || kind === 'action' ? { kind: 'refused' } : undefined;
    switch (kind) {
      case 'section':
        this.state.section = value;
        this.sectionsSeen.add(value);
        this.state.block = value === 'actions' ? { kind: 'actions-table' } : { kind: 'display' };
        if (value === 'priorities') this.state.fingerprintTarget = { kind: 'order' };
        return;
      case 'stage':
        this.state.section = 'answers';
        this.state.block = { kind: 'display' };
        return;
      case 'prompt':
        this.state.block = { kind: 'display' };
        return;
      case 'item':
        return this.onItemMarker(value, lineNo);
      case 'priority':
        return this.onPriorityMarker(value, lineNo);
      case 'action':
        return this.onActionMarker(value, lineNo);
    }
  }

  private onItemMarker(id: string, lineNo: number): undefined {
    const item = findItem(this.bank, id);
    const kept = this.state.section === 'kept';
    this.state.block = { kind: 'display' };
    if (FORBIDDEN_IDS.has(id)) return this.problem(lineNo, 'this cannot be an item id', id);
    if (this.itemsSeen.has(id))
      return this.problem(lineNo, 'this item appears twice in the report; only the first is read', id);
    if (!item && !kept) return this.problem(lineNo, this.unknownItemMessage(id), id);
    if (item && item.kind === 'prompt' && !kept)
      return this.problem(lineNo, 'this item is a lead-in and takes no answer', id);
    this.itemsSeen.add(id);
    this.state.block = {
      kind: 'item',
      id,
      line: lineNo,
      item: item && item.kind !== 'prompt' ? item : undefined,
      fields: {},
    };
    this.state.fingerprintTarget = { kind: 'answer', key: id };
  }

  private unknownItemMessage(id: string): string {
    const ids = flattenBank(this.bank).map((i) => i.id);
    const message = 'unknown item id: this question bank has no such item';
    const lookalike = lookalikeOf(id, ids);
    if (lookalike !== undefined)
      return `${message}, but "${lookalike}" differs from it only in letter case or in letters from another alphabet that look alike: write "${lookalike}"`;
    const near = closest(id, ids, 1)[0];
    const hint = near !== undefined && near.length > 0 ? ` (did you mean "${near}"?)` : '';
    return `${message}${hint}: was the marker line edited, or is this a report of another question bank?`;
  }

  private onPriorityMarker(value: string, lineNo: number): undefined {
    this.state.block = { kind: 'display' };
    if (!findRecommendation(this.bank, value)) {
      const known = this.bank.recommendations.map((r) => r.id).join(', ');
      return this.problem(
        lineNo,
        `"${value}" is not a Recommendation of this question bank (known: ${known})`,
      );
    }
    if (this.prioritiesSeen.has(value))
      return this.problem(lineNo, `${value} is listed as a priority twice; only the first is read`);
    this.prioritiesSeen.add(value);
    const priority: Priority = { recommendation: value };
    this.cycle.priorities.push(priority);
    this.state.block = { kind: 'priority', priority, line: lineNo };
    this.state.fingerprintTarget = { kind: 'priority', key: value };
  }

  private onActionMarker(id: string, lineNo: number): undefined {
    let action = this.actionsById.get(id);
    if (!action)
      this.problem(lineNo, `action ${id} has notes or history here but no row in the actions table`);
    else if (this.actionBlocksSeen.has(id)) {
      this.problem(lineNo, `action ${id} has two blocks of notes and history; only the first is read`);
      action = undefined;
    } else {
      this.actionBlocksSeen.add(id);
      this.state.fingerprintTarget = { kind: 'action', key: id };
    }
    this.state.block = { kind: 'action', action, id, line: lineNo, sawNotes: false, inHistory: false };
  }

  private onFingerprint(value: string, target: FingerprintTarget | undefined, lineNo: number): undefined {
    if (target === undefined) {
      return this.problem(
        lineNo,
        'a fingerprint line belongs directly under the item, priority or action marker the tool wrote it under: move it back there (or delete it; that item is then compared with the cycle as it is now)',
      );
    }
    if (target.kind === 'refused') return;
    if (target.kind === 'order') this.fingerprints.priorityOrder = value;
    else if (target.kind === 'answer') this.fingerprints.answers[target.key] = value;
    else if (target.kind === 'priority') this.fingerprints.priorities[target.key] = value;
    else this.fingerprints.actions[target.key] = value;
  }

  // ---- lines inside blocks ---------------------------------------------------------------------

  /** Display text is the report's own; item lines here mean an item's marker is missing. */
  private onDisplayLine(trimmed: string, lineNo: number): undefined {
    if (ITEM_ONLY_LINE.test(trimmed) || ITEM_LABELS[trimmed] !== undefined) {
      this.problem(
        lineNo,
        'this line belongs to an item, but there is no item marker above it (was "<!-- item: … -->" deleted or damaged?): put the marker back as the tool wrote it, or export the report again; nothing was imported',
      );
    }
  }

  private onItemLine(block: ItemBlock, trimmed: string, lineNo: number): undefined {
    if (/^<!--.*-->$/.test(trimmed) || trimmed.startsWith('>') || trimmed.startsWith('**')) return;
    if (/^#{1,6}(\s|$)/.test(trimmed)) return this.finishBlock();
    const label = ITEM_LABELS[trimmed];
    if (label) return this.setPending(label, lineNo, block.id);
    const carried = /^- Carried forward from: ?(.*?)(?: \(not yet confirmed\))?$/.exec(trimmed);
    if (carried) {
      block.carried = unescapeInline(carried[1] as string);
      return;
    }
    const field = /^- (Status|Rating):[ \t]*(.*)$/.exec(trimmed);
    if (!field) {
      return this.problem(
        lineNo,
        'this text is outside a fenced block, so it would be lost: put it between the ``` lines under "Answer:"',
        block.id,
      );
    }
    const value = unescapeInline((field[2] as string).trim());
    if (field[1] === 'Status') {
      if (block.statusLine !== undefined)
        return this.problem(
          lineNo,
          `a second "- Status:" line for this item (the first is on line ${block.statusLine}): keep one`,
          block.id,
        );
      block.status = value;
      block.statusLine = lineNo;
    } else if (value === '' || value === 'not rated') block.rating = undefined;
    else if ((RATINGS as readonly string[]).includes(value)) block.rating = value;
    else
      this.problem(
        lineNo,
        `unknown rating "${value}": use red, amber or green (or delete the line)`,
        block.id,
      );
  }

  private onPriorityLine(trimmed: string, lineNo: number): undefined {
    if (/^<!--.*-->$/.test(trimmed) || /^#{1,6}(\s|$)/.test(trimmed)) return;
    if (trimmed.startsWith('>') || trimmed.startsWith('**')) return;
    if (trimmed === LABELS.rationale) return this.setPending('rationale', lineNo);
    this.problem(
      lineNo,
      'this text is outside a fenced block, so it would be lost: put it between the ``` lines under "Rationale:"',
    );
  }

  private onActionLine(block: ActionBlock, trimmed: string, lineNo: number): undefined {
    if (/^<!--.*-->$/.test(trimmed) || /^#{1,6}(\s|$)/.test(trimmed)) return;
    if (trimmed.startsWith('>') || trimmed.startsWith('**')) return;
    if (trimmed === LABELS.notes) {
      block.inHistory = false;
      return this.setPending('notes', lineNo);
    }
    if (trimmed === LABELS.history) {
      block.inHistory = true;
      return;
    }
    if (block.inHistory && trimmed.startsWith('- ')) return this.readHistory(block, trimmed, lineNo);
    this.problem(
      lineNo,
      `this text is outside a fenced block, so it would be lost: put it between the \`\`\` lines under "Notes:"`,
    );
  }

  private readHistory(block: ActionBlock, trimmed: string, lineNo: number): undefined {
    const m = /^- (.+?): (\S+)( —(?: (.*))?)?$/.exec(trimmed);
    const date = m ? ukToIso(unescapeInline(m[1] as string)) : undefined;
    const status = m ? unescapeInline(m[2] as string) : '';
    if (!m)
      return this.problem(
        lineNo,
        `action ${block.id}: history lines look like "- 31/03/2027: done — a note"`,
      );
    if (date === undefined || !(ACTION_STATUSES as readonly string[]).includes(status)) {
      return this.problem(
        lineNo,
        `action ${block.id}: history lines look like "- 31/03/2027: done — a note" (status one of ${ACTION_STATUSES.join(', ')})`,
      );
    }
    const entry: Action['history'][number] = { date, status: status as ActionStatus };
    if (m[3] !== undefined) entry.note = m[4] === undefined ? '' : unescapeInline(m[4]);
    block.action?.history.push(entry);
  }

  /** A row of the actions table (prose such as "No actions have been planned yet." is passed over). */
  private onTableRow(line: string, lineNo: number): undefined {
    const cells = splitTableRow(line);
    if (!cells) return;
    if (!this.state.tableHeaderSeen) {
      if (cells[0] === 'ID') this.state.tableHeaderSeen = true;
      else
        this.problem(
          lineNo,
          'expected the actions table header (| ID | Title | Owner | Due | Status | Tags | Opened in |)',
        );
      return;
    }
    if (cells.every((c) => /^:?-+:?$/.test(c))) return;
    if (cells.length !== 7) {
      return this.problem(
        lineNo,
        `an action row needs 7 cells (ID, Title, Owner, Due, Status, Tags, Opened in); this one has ${cells.length}`,
      );
    }
    const action = this.actionFromRow(cells as Row, lineNo);
    if (!action) return;
    this.actionsById.set(action.id, action);
    this.cycle.actions.push(action);
  }

  private actionFromRow(cells: Row, lineNo: number): Action | undefined {
    const [id, title, owner, due, status, tags, opened] = cells;
    const actionId = unescapeInline(id);
    if (this.actionsById.has(actionId) || FORBIDDEN_IDS.has(actionId)) {
      this.problem(lineNo, `action ${actionId} is listed twice; only the first row is read`);
      return undefined;
    }
    const statusValue = unescapeInline(status);
    if (!(ACTION_STATUSES as readonly string[]).includes(statusValue)) {
      this.problem(
        lineNo,
        `action ${actionId}: unknown status "${statusValue}": use one of ${ACTION_STATUSES.join(', ')}`,
      );
      return undefined;
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
        this.problem(
          lineNo,
          `action ${actionId}: due date "${unescapeInline(due)}" is not a day of the calendar: use DD/MM/YYYY with a day that exists, or ${NONE_CELL} for none`,
        );
        return undefined;
      }
      action.due = iso;
    }
    return action;
  }

  // ---- ends of blocks --------------------------------------------------------------------------

  private finishBlock(): undefined {
    this.reportUnfilledLabel();
    const block = this.state.block;
    if (block.kind === 'item') this.finishItem(block);
    this.state.block = this.state.section === 'actions' ? { kind: 'actions-table' } : { kind: 'display' };
  }

  private finishItem(block: ItemBlock): undefined {
    const { id } = block;
    if (block.status === undefined) {
      return this.problem(
        block.line,
        'no "- Status: …" line for this item; add one (e.g. "- Status: answered")',
        id,
      );
    }
    const status = this.effectiveStatus(block, block.status);
    if (status === undefined) return;
    const answer: Partial<Answer> = { status };
    const { text, needs, evidence } = block.fields;
    if (text !== undefined) answer.text = text;
    if (needs !== undefined) answer.needs = needs;
    if (block.rating !== undefined) answer.rating = block.rating as Rating;
    if (evidence !== undefined) answer.evidence = evidence;
    if (block.carried !== undefined) answer.carried = block.carried;
    const base = this.opts.base;
    const before = base && Object.hasOwn(base.answers, id) ? base.answers[id] : undefined;
    const candidate = { ...answer, changed: before?.changed ?? '' } as Answer;
    answer.changed =
      before && sameAnswer(before, candidate) ? before.changed : (this.opts.today ?? before?.changed ?? '');
    this.cycle.answers[id] = answer as Answer;
  }

  /**
   * The status an item's block gives it: `undefined` for no answer (or a problem, reported), and
   * "not answered" with text typed in becomes "answered" (a checklist needs a real status).
   */
  private effectiveStatus(block: ItemBlock, written: string): AnswerStatus | undefined {
    const { id, item, fields } = block;
    const line = block.statusLine ?? block.line;
    let status = written;
    if (status === NOT_ANSWERED) {
      const hasContent =
        fields.text?.some((l) => l.trim() !== '') ||
        fields.needs !== undefined ||
        fields.evidence !== undefined ||
        block.rating !== undefined;
      if (!hasContent) return undefined;
      if (item?.kind === 'checklist') {
        this.problem(
          line,
          `this item has a note but its status is "${NOT_ANSWERED}": give it one of ${CHECKLIST_STATUSES.join(', ')}`,
          id,
        );
        return undefined;
      }
      status = 'answered';
    }
    const allowed: readonly string[] = item ? statusesFor(item) : ALL_STATUSES;
    if (!allowed.includes(status)) {
      this.problem(
        line,
        `unknown status "${status}": use one of ${allowed.join(', ')} or "${NOT_ANSWERED}"`,
        id,
      );
      return undefined;
    }
    return status as AnswerStatus;
  }
}

type Row = [string, string, string, string, string, string, string];

/**
 * The cycle data in a report, and every problem found. `cycle` holds what could be read even when
 * there are problems; callers decide (import refuses to save anything when there are problems).
 */
export function parseReport(markdown: string, bank: Bank, opts: ParseReportOptions = {}): ParsedReport {
  const file = opts.file ?? 'report.md';
  const lines = reportLines(markdown);
  const frontProblems: Problem[] = [];
  const { values, end } = parseFrontMatter(lines, file, frontProblems);
  const reader = new ReportReader(bank, opts, file, lines, end);
  // A report the tool wrote shows control characters escaped; raw ones were typed in by hand and are
  // refused like any other input (control-chars.ts).
  for (const at of findControlCharactersInSource(lines.join('\n'), 'text', 25)) {
    reader.problems.push({
      file,
      line: at.line,
      column: at.column,
      message: controlCharacterInFileMessage(at),
    });
  }
  reader.problems.push(...frontProblems);
  applyFrontMatter(values, reader, bank);
  reader.read();
  return {
    cycle: reader.cycle,
    problems: reader.problems,
    itemsSeen: [...reader.itemsSeen],
    sectionsSeen: [...reader.sectionsSeen],
    fingerprints: reader.fingerprints,
  };
}

function applyFrontMatter(values: Record<string, string>, reader: ReportReader, bank: Bank): void {
  const cycle = reader.cycle;
  if (values.format === undefined) {
    reader.problem(
      1,
      `this does not look like a kinship-reflect report: it has no front matter with "format: ${REPORT_FORMAT}". Export one with: kinship-reflect export --out report.md`,
    );
  } else if (values.format !== REPORT_FORMAT) {
    reader.problem(2, `unknown report format "${values.format}" (this version reads ${REPORT_FORMAT})`);
  }
  cycle.format = CYCLE_FORMAT;
  if (values.cycle !== undefined) cycle.cycle = values.cycle;
  if (values.authority !== undefined) cycle.authority = values.authority;
  if (values.bank !== undefined) {
    cycle.bank = { id: values.bank, version: values.bankVersion ?? '' };
    if (values.bank !== bank.id) {
      reader.problem(
        1,
        `this report is for the question bank "${values.bank}", but the workspace uses "${bank.id}": import it into a workspace with that bank (or use --bank)`,
      );
    }
  }
  if (values.from !== undefined) cycle.from = values.from;
}
