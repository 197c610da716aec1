/**
 * The document for people: what a committee paper says about a cycle, as a format-free model that
 * the HTML, Word and Markdown writers render (`render-html.ts`, `render-docx.ts`,
 * `render-summary-md.ts`). The working report (`report.ts`) is a different thing: built for editing
 * and import, not for reading.
 *
 * Plain words throughout: no status codes (`in-place` is "in place", `needs-data` is "waiting for
 * data"), no item ids. Deterministic: `today` is passed in, nothing reads a clock.
 *
 * Contents (the summary document is parts 1 and 2 only, plus the abbreviations):
 *   1 Summary: where the cycle stands, priorities, red/amber/green by KP and R, the red and amber
 *     items, the data still needed
 *   2 Actions: overdue, due, done
 *   3 Change since the previous cycle (when there is one)
 *   4 Trend across the cycles (when there are three or more)
 *   5 Progress by stage, and the answers as prose by stage and section
 *   Abbreviations and terms (from the bank's glossary, only those the document uses)
 */
import { answerableItems, findRecommendation } from './bank.ts';
import type { ChartSpec } from './charts.ts';
import { formatLongUkDate, formatUkDate, isOverdue } from './dates.ts';
import { findGlossaryTerms } from './glossary.ts';
import { emptyCounts, type ProgressCounts, percent, progressBucket } from './progress.ts';
import type { Action, AnswerStatus, Bank, CycleFile, FlatItem, GlossaryEntry, Rating, Tag } from './types.ts';

export type Block =
  | { kind: 'heading'; level: 2 | 3 | 4; text: string; id: string }
  | { kind: 'paragraph'; text: string; number?: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'table'; table: DocTable }
  | { kind: 'chart'; chart: ChartSpec }
  | { kind: 'answer'; question: string; meta: string[]; paragraphs: string[] }
  | { kind: 'terms'; entries: GlossaryEntry[] };

export interface DocTable {
  caption: string;
  head: string[];
  /** The first cell of each row heads that row. */
  rows: string[][];
  /** Columns holding numbers (aligned right). */
  numeric?: number[];
  /** Relative column widths for paged formats (Word); by default from the longest text in each column. */
  widths?: number[];
}

export interface CycleDocument {
  /** `Kinship care reflection 2026-27: Exampleshire County Council` */
  title: string;
  /** Short lines under the title: authority, cycle, date, what the document covers. */
  facts: { label: string; value: string }[];
  /** Said prominently when the document covers part of the bank only. */
  scopeNote?: string;
  credit: string;
  summary: boolean;
  blocks: Block[];
}

export interface DocumentScope {
  stage?: string;
  tag?: Tag;
}

export interface DocumentInput {
  bank: Bank;
  cycle: CycleFile;
  /** Every cycle of the workspace in order (the current one included), for change and trend. */
  cycles: readonly CycleFile[];
  /** The date the document is produced, `YYYY-MM-DD`. */
  today: string;
  summary?: boolean;
  scope?: DocumentScope;
  /** An elected-members reflection to include: its answers to the key questions. */
  members?: { bank: Bank; cycle: CycleFile };
}

const STATUS_WORDS: Record<AnswerStatus, string> = {
  answered: 'answered',
  'needs-data': 'waiting for data',
  skipped: 'skipped',
  'not-started': 'not started',
  planned: 'planned',
  'in-place': 'in place',
  'not-applicable': 'does not apply here',
};

const ACTION_WORDS: Record<Action['status'], string> = {
  planned: 'planned',
  'in-progress': 'in progress',
  done: 'done',
  dropped: 'dropped',
};

const RATING_WORDS: Record<Rating, string> = { red: 'Red', amber: 'Amber', green: 'Green' };

/** The plain-words name of an answer status. */
export function statusWords(status: AnswerStatus): string {
  return STATUS_WORDS[status] ?? status;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `a, b and c`. */
function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'part'
  );
}

/** The items a scope keeps, in bank order. */
export function scopedItems(bank: Bank, scope: DocumentScope = {}): FlatItem[] {
  return answerableItems(bank).filter(
    (i) =>
      (scope.stage === undefined || i.stage === scope.stage) &&
      (scope.tag === undefined || i.effectiveTags.includes(scope.tag)),
  );
}

interface Counted extends ProgressCounts {
  ratedTotal: number;
}

function count(items: readonly FlatItem[], cycle: CycleFile): Counted {
  const c = emptyCounts();
  for (const item of items) {
    const answer = Object.hasOwn(cycle.answers, item.id) ? cycle.answers[item.id] : undefined;
    const bucket = progressBucket(item, answer);
    c.total++;
    c[bucket]++;
    if (answer?.rating && bucket !== 'carried' && bucket !== 'unanswered') c.ratings[answer.rating]++;
  }
  return { ...c, ratedTotal: c.ratings.red + c.ratings.amber + c.ratings.green };
}

function tagName(bank: Bank, tag: Tag): string {
  const kp = bank.keyPrinciples.find((k) => k.id === tag);
  if (kp) return `${kp.title} (${kp.id})`;
  const r = findRecommendation(bank, tag);
  if (r) return `${r.title} (${r.id})`;
  if (tag === 'ALL') return 'All Key Principles and Recommendations (ALL)';
  return tag;
}

/** The answer's lines as paragraphs: blank lines part paragraphs, single line ends join. */
function paragraphs(lines: readonly string[] | undefined): string[] {
  if (!lines) return [];
  const out: string[] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      if (current.length > 0) out.push(current.join(' '));
      current = [];
    } else current.push(line.trim());
  }
  if (current.length > 0) out.push(current.join(' '));
  return out;
}

/** `Assess`, from `Step 1: Assess`. */
function stageName(item: FlatItem): string {
  return item.stageTitle.replace(/^Step \d+:\s*/, '');
}

/** A question cut at a word boundary for one-line lists (the full text is in the full document). */
function shortQuestion(text: string, max = 110): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if ([...flat].length <= max) return flat;
  const cut = [...flat].slice(0, max).join('');
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 20)).replace(/[\s,;:]+$/, '')}…`;
}

class Builder {
  readonly blocks: Block[] = [];
  private section = 0;
  private paragraph = 0;

  heading(level: 2 | 3 | 4, text: string, id = slug(text)): void {
    if (level === 2) {
      this.section++;
      this.paragraph = 0;
    }
    this.blocks.push({ kind: 'heading', level, text, id: `${id}-${this.blocks.length}` });
  }

  /** A numbered paragraph (council papers number theirs: 1.1, 1.2 …). */
  para(text: string): void {
    this.paragraph++;
    this.blocks.push({ kind: 'paragraph', text, number: `${this.section}.${this.paragraph}` });
  }

  plain(text: string): void {
    this.blocks.push({ kind: 'paragraph', text });
  }

  push(block: Block): void {
    this.blocks.push(block);
  }
}

function answerOf(cycle: CycleFile, id: string) {
  return Object.hasOwn(cycle.answers, id) ? cycle.answers[id] : undefined;
}

function whereItStands(b: Builder, input: DocumentInput, c: Counted): void {
  const { cycle } = input;
  const parts = [`${c.answered} answered (${percent(c.answered, c.total)}%)`];
  if (c.needsData > 0) parts.push(`${c.needsData} waiting for data`);
  if (c.skipped > 0) parts.push(`${c.skipped} skipped`);
  if (c.carried > 0)
    parts.push(`${c.carried} carried forward from cycle ${cycle.from ?? 'before'} and not yet confirmed`);
  if (c.unanswered > 0) parts.push(`${c.unanswered} not answered yet`);
  b.para(
    `Of the ${plural(c.total, 'question and checklist item', 'questions and checklist items')} in this cycle, ${listWords(parts)}.`,
  );
  if (c.ratedTotal > 0) {
    b.para(
      `${plural(c.ratedTotal, 'answer has', 'answers have')} a self-rating of how well things are in place locally: ${c.ratings.red} red (not in place, or a real concern), ${c.ratings.amber} amber (partly in place) and ${c.ratings.green} green (well in place).`,
    );
  } else {
    b.para('No answer has a red, amber or green self-rating yet.');
  }
}

function priorities(b: Builder, input: DocumentInput): void {
  const { bank, cycle, scope } = input;
  b.heading(3, 'Priority Recommendations');
  const list = cycle.priorities.filter((p) => scope?.tag === undefined || p.recommendation === scope.tag);
  if (list.length === 0) {
    b.para(
      cycle.priorities.length === 0
        ? 'No Recommendations have been chosen as priorities for this cycle yet.'
        : 'None of the priority Recommendations falls within the part of the question bank this document covers.',
    );
    return;
  }
  b.para(`The Recommendations chosen as priorities for this cycle, in order of priority:`);
  b.push({
    kind: 'list',
    ordered: true,
    items: list.map((p) => {
      const rec = findRecommendation(bank, p.recommendation);
      const rating = rec ? bank.evidenceRatings.find((e) => e.id === rec.evidence) : undefined;
      const head = rec
        ? `${rec.title} (${rec.id}, ${(rating?.label ?? rec.evidence).toLowerCase()}): ${rec.text.replace(/\s+/g, ' ').trim()}`
        : `${p.recommendation} (not a Recommendation of this question bank)`;
      const why = paragraphs(p.rationale).join(' ');
      return why === '' ? `${head}. No rationale recorded.` : `${head.replace(/\.$/, '')}. Why: ${why}`;
    }),
  });
}

function ragByTag(b: Builder, input: DocumentInput, items: readonly FlatItem[]): void {
  const { bank, cycle } = input;
  const tags = [...bank.keyPrinciples.map((k) => k.id), ...bank.recommendations.map((r) => r.id)].filter(
    (t) => input.scope?.tag === undefined || t === input.scope.tag,
  );
  b.heading(3, 'Red, amber and green by Key Principle and Recommendation');
  if (tags.length === 0) {
    b.para('This question bank defines no Key Principles or Recommendations.');
    return;
  }
  const rows = tags.map((tag) => {
    const c = count(
      items.filter((i) => i.effectiveTags.includes(tag)),
      cycle,
    );
    return { tag, c };
  });
  const rated = rows.filter((r) => r.c.ratedTotal > 0);
  let finding: string;
  if (rated.length === 0) finding = 'No answers linked to a Key Principle or Recommendation are rated yet.';
  else {
    const mostRed = [...rated].sort((a, b2) => b2.c.ratings.red - a.c.ratings.red)[0];
    const bestGreen = [...rated].sort(
      (a, b2) => b2.c.ratings.green / b2.c.ratedTotal - a.c.ratings.green / a.c.ratedTotal,
    )[0];
    finding =
      mostRed && mostRed.c.ratings.red > 0
        ? `${tagName(bank, mostRed.tag)} has the most red ratings (${mostRed.c.ratings.red} of ${mostRed.c.ratedTotal} rated answers).`
        : 'No answer linked to a Key Principle or Recommendation is rated red.';
    if (bestGreen && bestGreen.c.ratings.green > 0)
      finding += ` ${tagName(bank, bestGreen.tag)} has the largest share rated green (${bestGreen.c.ratings.green} of ${bestGreen.c.ratedTotal}).`;
  }
  b.para(finding);
  b.push({
    kind: 'chart',
    chart: {
      id: 'chart-rag',
      kind: 'stacked',
      title: 'Self-ratings by Key Principle and Recommendation',
      summary: `${finding} Each bar shows the number of rated answers linked to a Key Principle (KP) or Recommendation (R), split into red, amber and green; the table gives the same figures.`,
      categories: rows.map((r) => r.tag),
      series: [
        { label: 'Red', style: 'red', values: rows.map((r) => r.c.ratings.red) },
        { label: 'Amber', style: 'amber', values: rows.map((r) => r.c.ratings.amber) },
        { label: 'Green', style: 'green', values: rows.map((r) => r.c.ratings.green) },
      ],
      table: {
        caption: 'Self-ratings by Key Principle and Recommendation (number of answers)',
        widths: [34, 10, 11, 11, 20, 14],
        head: ['Key Principle or Recommendation', 'Red', 'Amber', 'Green', 'Answered, not rated', 'Items'],
        rows: rows.map((r) => [
          tagName(bank, r.tag),
          String(r.c.ratings.red),
          String(r.c.ratings.amber),
          String(r.c.ratings.green),
          String(r.c.answered + r.c.needsData + r.c.skipped - r.c.ratedTotal),
          String(r.c.total),
        ]),
      },
    },
  });
}

function redAmber(b: Builder, input: DocumentInput, items: readonly FlatItem[]): void {
  b.heading(3, 'Red and amber items');
  const pick = (rating: Rating) =>
    items.filter((i) => {
      const a = answerOf(input.cycle, i.id);
      return a?.rating === rating && a.carried === undefined;
    });
  const red = pick('red');
  const amber = pick('amber');
  if (red.length + amber.length === 0) {
    b.para('No confirmed answer is rated red or amber.');
    return;
  }
  b.para(
    `${plural(red.length, 'item is', 'items are')} rated red and ${plural(amber.length, 'is', 'are')} rated amber. ${input.summary ? 'Questions are shortened here; the full document gives them in full with the answers.' : 'The answers are in the last part of this document.'}`,
  );
  // the summary keeps each row to one line of a page: the question shortened, the stage alone
  const row = (i: FlatItem, rating: Rating): string[] =>
    input.summary
      ? [shortQuestion(i.text, 56), stageName(i), RATING_WORDS[rating]]
      : [i.text.replace(/\s+/g, ' ').trim(), `${stageName(i)}: ${i.section}`, RATING_WORDS[rating]];
  b.push({
    kind: 'table',
    table: {
      caption: 'Items rated red or amber',
      head: ['Question', input.summary ? 'Stage' : 'Stage and section', 'Rating'],
      rows: [...red.map((i) => row(i, 'red')), ...amber.map((i) => row(i, 'amber'))],
      widths: input.summary ? [72, 15, 13] : [60, 28, 12],
    },
  });
}

function dataNeeded(b: Builder, input: DocumentInput, items: readonly FlatItem[]): void {
  b.heading(3, 'Data still needed');
  const waiting = items.filter((i) => answerOf(input.cycle, i.id)?.status === 'needs-data');
  if (waiting.length === 0) {
    b.para('No question is waiting for data.');
    return;
  }
  b.para(
    `${plural(waiting.length, 'question is', 'questions are')} waiting for data. A request list for the performance and data team:`,
  );
  b.push({
    kind: 'table',
    table: {
      caption: 'Data requests',
      head: ['Data needed', 'To answer', 'Stage and section'],
      rows: waiting.map((i) => {
        const needs = paragraphs(answerOf(input.cycle, i.id)?.needs).join(' ');
        return [
          needs === '' ? 'Not yet described.' : needs,
          input.summary ? shortQuestion(i.text, 90) : i.text.replace(/\s+/g, ' ').trim(),
          `${stageName(i)}: ${i.section}`,
        ];
      }),
      widths: [42, 38, 20],
    },
  });
}

function actions(b: Builder, input: DocumentInput): void {
  const { cycle, today, scope } = input;
  b.heading(2, 'Actions');
  const list = cycle.actions.filter((a) => scope?.tag === undefined || a.tags.includes(scope.tag));
  if (list.length === 0) {
    b.para(
      cycle.actions.length === 0
        ? 'No actions have been planned yet.'
        : 'No action is linked to this part of the question bank.',
    );
    return;
  }
  const overdue = list.filter((a) => isOverdue(a, today));
  const open = list
    .filter((a) => (a.status === 'planned' || a.status === 'in-progress') && !isOverdue(a, today))
    .sort((x, y) => (x.due ?? '9999').localeCompare(y.due ?? '9999'));
  const done = list.filter((a) => a.status === 'done');
  const dropped = list.filter((a) => a.status === 'dropped');
  b.para(
    `As at ${formatLongUkDate(today)}: ${plural(overdue.length, 'action is', 'actions are')} overdue, ${open.length} ${open.length === 1 ? 'is' : 'are'} open and not yet due, ${done.length} ${done.length === 1 ? 'is' : 'are'} done${dropped.length > 0 ? ` and ${dropped.length} ${dropped.length === 1 ? 'was' : 'were'} dropped` : ''}.`,
  );
  const stands = (a: Action): string =>
    isOverdue(a, today)
      ? `Overdue (${ACTION_WORDS[a.status]})`
      : a.status === 'done'
        ? 'Done'
        : `Due (${ACTION_WORDS[a.status]})`;
  b.push({
    kind: 'table',
    table: {
      caption: 'Actions: overdue first, then those due, then those done',
      head: ['Action', 'Owner', 'Due date', 'Where it stands', 'Linked to'],
      rows: [...overdue, ...open, ...done].map((a) => [
        a.title,
        a.owner ?? 'Not named',
        a.due === undefined ? 'No date' : formatUkDate(a.due),
        stands(a),
        a.tags.length === 0 ? 'None' : a.tags.join(', '),
      ]),
      widths: [31, 20, 16, 20, 13],
    },
  });
}

function changeSince(
  b: Builder,
  input: DocumentInput,
  items: readonly FlatItem[],
  previous: CycleFile,
): void {
  const { cycle } = input;
  b.heading(2, `Change since cycle ${previous.cycle}`);
  const before = count(items, previous);
  const now = count(items, cycle);
  let added = 0;
  let changed = 0;
  let better = 0;
  let worse = 0;
  const rank: Record<Rating, number> = { red: 0, amber: 1, green: 2 };
  for (const item of items) {
    const a = answerOf(previous, item.id);
    const c = answerOf(cycle, item.id);
    if (!c || c.carried !== undefined) continue;
    if (!a) added++;
    else if (
      JSON.stringify([a.status, a.text, a.needs, a.rating]) !==
      JSON.stringify([c.status, c.text, c.needs, c.rating])
    )
      changed++;
    if (a?.rating && c.rating && rank[c.rating] !== rank[a.rating]) {
      if (rank[c.rating] > rank[a.rating]) better++;
      else worse++;
    }
  }
  const prevPriorities = previous.priorities.map((p) => p.recommendation);
  const nowPriorities = cycle.priorities.map((p) => p.recommendation);
  const newP = nowPriorities.filter((p) => !prevPriorities.includes(p));
  const goneP = prevPriorities.filter((p) => !nowPriorities.includes(p));
  b.para(
    `Compared with cycle ${previous.cycle}: ${plural(added, 'question was', 'questions were')} answered for the first time and ${plural(changed, 'answer was', 'answers were')} changed. ${plural(better, 'self-rating', 'self-ratings')} improved (for example from red to amber) and ${plural(worse, 'fell', 'fell')}.`.replace(
      /(\d+) self-ratings? fell/,
      (_m, k) => `${k} fell`,
    ),
  );
  b.para(
    newP.length + goneP.length === 0
      ? `The priority Recommendations are the same as in ${previous.cycle}.`
      : `Priorities: ${newP.length > 0 ? `${listWords(newP)} ${newP.length === 1 ? 'is' : 'are'} new` : 'none added'}; ${goneP.length > 0 ? `${listWords(goneP)} ${goneP.length === 1 ? 'is' : 'are'} no longer a priority` : 'none dropped'}.`,
  );
  const categories = ['Answered', 'Waiting for data', 'Rated red', 'Rated amber', 'Rated green'];
  const values = (c: Counted) => [c.answered, c.needsData, c.ratings.red, c.ratings.amber, c.ratings.green];
  const v0 = values(before);
  const v1 = values(now);
  const delta = (i: number) => (v1[i] ?? 0) - (v0[i] ?? 0);
  const signed = (d: number) => (d > 0 ? `+${d}` : d === 0 ? 'no change' : String(d));
  const summary = `Answered items went from ${v0[0]} to ${v1[0]}; red ratings from ${v0[2]} to ${v1[2]}; green ratings from ${v0[4]} to ${v1[4]}.`;
  b.push({
    kind: 'chart',
    chart: {
      id: 'chart-change',
      kind: 'grouped',
      title: `Change since cycle ${previous.cycle}`,
      summary: `${summary} Each pair of bars compares cycle ${previous.cycle} with cycle ${cycle.cycle}; the table gives the same figures.`,
      categories,
      series: [
        { label: `Cycle ${previous.cycle}`, style: 'previous', values: v0 },
        { label: `Cycle ${cycle.cycle}`, style: 'current', values: v1 },
      ],
      table: {
        caption: `Change since cycle ${previous.cycle} (number of items)`,
        head: ['Measure', `Cycle ${previous.cycle}`, `Cycle ${cycle.cycle}`, 'Change'],
        rows: categories.map((c, i) => [c, String(v0[i]), String(v1[i]), signed(delta(i))]),
      },
    },
  });
}

function trend(b: Builder, input: DocumentInput, items: readonly FlatItem[]): void {
  const cycles = input.cycles;
  b.heading(2, `Trend across ${cycles.length} cycles`);
  const counts = cycles.map((c) => count(items, c));
  const answered = counts.map((c) => percent(c.answered, c.total));
  const green = counts.map((c) =>
    c.ratedTotal === 0 ? 0 : Math.round((c.ratings.green * 100) / c.ratedTotal),
  );
  const red = counts.map((c) => (c.ratedTotal === 0 ? 0 : Math.round((c.ratings.red * 100) / c.ratedTotal)));
  const first = cycles[0]?.cycle ?? '';
  const last = cycles[cycles.length - 1]?.cycle ?? '';
  const finding = `From cycle ${first} to cycle ${last}, the share of items answered went from ${answered[0]}% to ${answered[answered.length - 1]}%, the share of rated answers rated green from ${green[0]}% to ${green[green.length - 1]}%, and rated red from ${red[0]}% to ${red[red.length - 1]}%.`;
  b.para(finding);
  b.push({
    kind: 'chart',
    chart: {
      id: 'chart-trend',
      kind: 'line',
      percent: true,
      title: 'Trend across cycles',
      summary: `${finding} The table gives the figures for every cycle.`,
      categories: cycles.map((c) => c.cycle),
      series: [
        { label: 'Items answered', style: 'answered', values: answered },
        { label: 'Rated green', style: 'green', values: green },
        { label: 'Rated red', style: 'red', values: red },
      ],
      table: {
        caption: 'Trend across cycles (percentages)',
        head: ['Cycle', 'Items answered', 'Rated green (of rated)', 'Rated red (of rated)'],
        rows: cycles.map((c, i) => [c.cycle, `${answered[i]}%`, `${green[i]}%`, `${red[i]}%`]),
      },
    },
  });
}

function progressByStage(b: Builder, input: DocumentInput, items: readonly FlatItem[]): void {
  const stages = input.bank.stages.filter((s) => items.some((i) => i.stage === s.id));
  const rows = stages.map((s) => ({
    title: s.title,
    c: count(
      items.filter((i) => i.stage === s.id),
      input.cycle,
    ),
  }));
  const total = count(items, input.cycle);
  const least = [...rows].sort((a, b2) => a.c.answered / a.c.total - b2.c.answered / b2.c.total)[0];
  const finding = `${total.answered} of ${total.total} items are answered (${percent(total.answered, total.total)}%)${least && rows.length > 1 ? `; ${least.title} has the smallest share answered (${least.c.answered} of ${least.c.total})` : ''}.`;
  b.heading(3, 'Progress by stage');
  b.para(finding);
  const series: {
    label: string;
    style: 'answered' | 'needsData' | 'skipped' | 'carried' | 'unanswered';
    key: keyof ProgressCounts;
  }[] = [
    { label: 'Answered', style: 'answered', key: 'answered' },
    { label: 'Waiting for data', style: 'needsData', key: 'needsData' },
    { label: 'Skipped', style: 'skipped', key: 'skipped' },
    { label: 'Carried forward', style: 'carried', key: 'carried' },
    { label: 'Not answered', style: 'unanswered', key: 'unanswered' },
  ];
  b.push({
    kind: 'chart',
    chart: {
      id: 'chart-stages',
      kind: 'stacked',
      title: 'Progress by stage',
      summary: `${finding} Each bar splits a stage's items by where they stand; the table gives the same figures.`,
      categories: rows.map((r) => r.title.replace(/^Step \d+:\s*/, '')),
      series: series.map((s) => ({
        label: s.label,
        style: s.style,
        values: rows.map((r) => r.c[s.key] as number),
      })),
      table: {
        caption: 'Progress by stage (number of items)',
        head: ['Stage', ...series.map((s) => s.label), 'Items'],
        rows: rows.map((r) => [r.title, ...series.map((s) => String(r.c[s.key])), String(r.c.total)]),
      },
    },
  });
}

function answers(b: Builder, input: DocumentInput, items: readonly FlatItem[]): void {
  const { cycle } = input;
  b.heading(2, 'The answers');
  const left = items.filter((i) => {
    const a = answerOf(cycle, i.id);
    return a === undefined || a.status === 'skipped';
  });
  const unanswered = left.filter((i) => answerOf(cycle, i.id) === undefined).length;
  const skipped = left.length - unanswered;
  b.para(
    `The answers given, by stage and section. ${left.length === 0 ? 'Every item has an answer.' : `Left out: ${listWords([...(unanswered > 0 ? [`${plural(unanswered, 'item')} not answered yet`] : []), ...(skipped > 0 ? [`${plural(skipped, 'item')} skipped`] : [])])}.`} Answers marked "carried forward" come from an earlier cycle and have not been confirmed for this one.`,
  );
  progressByStage(b, input, items);
  let stage = '';
  let section = '';
  for (const item of items) {
    const a = answerOf(cycle, item.id);
    if (!a || a.status === 'skipped') continue;
    if (item.stage !== stage) {
      stage = item.stage;
      section = '';
      b.heading(3, item.stageTitle);
    }
    if (item.sectionId !== section) {
      section = item.sectionId;
      b.heading(4, item.section);
    }
    const meta: string[] = [];
    if (item.kind === 'checklist') meta.push(`Status: ${statusWords(a.status)}.`);
    if (a.status === 'needs-data') meta.push('Waiting for data.');
    if (a.rating) meta.push(`Rating: ${RATING_WORDS[a.rating]}.`);
    if (a.carried !== undefined) meta.push(`Carried forward from cycle ${a.carried}, not yet confirmed.`);
    const paras = paragraphs(a.text);
    const needs = paragraphs(a.needs);
    if (needs.length > 0) paras.push(`Data needed: ${needs.join(' ')}`);
    const evidence = (a.evidence ?? []).filter((e) => e.trim() !== '');
    if (evidence.length > 0) paras.push(`Evidence: ${evidence.join('; ')}`);
    b.push({ kind: 'answer', question: item.text.replace(/\s+/g, ' ').trim(), meta, paragraphs: paras });
  }
}

/** The elected members' answers to their key questions, as prose (unanswered ones counted). */
function membersAnswers(b: Builder, members: { bank: Bank; cycle: CycleFile }): void {
  const { bank, cycle } = members;
  b.heading(2, "Elected members' key questions");
  const items = answerableItems(bank);
  const answered = items.filter((i) => {
    const a = answerOf(cycle, i.id);
    return a !== undefined && a.status !== 'skipped';
  });
  b.para(
    `From the elected members' reflection (${bank.title}), cycle ${cycle.cycle}: ${answered.length} of the ${plural(items.length, 'question')} answered.`,
  );
  for (const item of answered) {
    const a = answerOf(cycle, item.id);
    if (!a) continue;
    const meta: string[] = [];
    if (a.status === 'needs-data') meta.push('Waiting for data.');
    if (a.rating) meta.push(`Rating: ${RATING_WORDS[a.rating]}.`);
    if (a.carried !== undefined) meta.push(`Carried forward from cycle ${a.carried}, not yet confirmed.`);
    const paras = paragraphs(a.text);
    const needs = paragraphs(a.needs);
    if (needs.length > 0) paras.push(`Data needed: ${needs.join(' ')}`);
    b.push({ kind: 'answer', question: item.text.replace(/\s+/g, ' ').trim(), meta, paragraphs: paras });
  }
}

/** All the text of the blocks, for finding the glossary terms a document uses. */
function blockTexts(blocks: readonly Block[]): string[] {
  const out: string[] = [];
  for (const block of blocks) {
    switch (block.kind) {
      case 'heading':
      case 'paragraph':
        out.push(block.text);
        break;
      case 'list':
        out.push(...block.items);
        break;
      case 'table':
        out.push(block.table.caption, ...block.table.head, ...block.table.rows.flat());
        break;
      case 'chart':
        out.push(block.chart.title, block.chart.summary, ...block.chart.table.rows.flat());
        break;
      case 'answer':
        out.push(block.question, ...block.meta, ...block.paragraphs);
        break;
      case 'terms':
        break;
    }
  }
  return out;
}

/** The document for `input.cycle`: the full paper, or (with `summary`) the committee summary. */
export function buildCycleDocument(input: DocumentInput): CycleDocument {
  const { bank, cycle, scope = {} } = input;
  const items = scopedItems(bank, scope);
  const b = new Builder();
  const c = count(items, cycle);
  const scopeParts: string[] = [];
  if (scope.stage !== undefined)
    scopeParts.push(`the ${bank.stages.find((s) => s.id === scope.stage)?.title ?? scope.stage} stage`);
  if (scope.tag !== undefined) scopeParts.push(`the questions linked to ${tagName(bank, scope.tag)}`);
  const scopeNote =
    scopeParts.length > 0
      ? `This document covers only ${listWords(scopeParts)}: ${plural(items.length, 'item')} of the ${answerableItems(bank).length} in the question bank. Figures, priorities and actions are for that part only.`
      : undefined;

  b.heading(2, 'Summary');
  whereItStands(b, input, c);
  priorities(b, input);
  ragByTag(b, input, items);
  redAmber(b, input, items);
  dataNeeded(b, input, items);
  actions(b, input);
  if (input.members) membersAnswers(b, input.members);
  if (!input.summary) {
    const index = input.cycles.findIndex((x) => x.cycle === cycle.cycle);
    const previous =
      (cycle.from !== undefined ? input.cycles.find((x) => x.cycle === cycle.from) : undefined) ??
      (index > 0 ? input.cycles[index - 1] : undefined);
    if (previous) changeSince(b, input, items, previous);
    if (input.cycles.length >= 3) trend(b, input, items);
    answers(b, input, items);
  }
  const terms = findGlossaryTerms(bank.glossary, blockTexts(b.blocks));
  if (terms.length > 0) {
    b.heading(2, 'Abbreviations and terms');
    b.push({ kind: 'terms', entries: terms });
  }
  const title = `${input.summary ? 'Summary of the kinship care reflection' : 'Kinship care reflection'} ${cycle.cycle}${cycle.authority.trim() === '' ? '' : `: ${cycle.authority}`}`;
  const facts = [
    ...(cycle.authority.trim() === '' ? [] : [{ label: 'Authority', value: cycle.authority }]),
    {
      label: 'Cycle',
      value: cycle.from === undefined ? cycle.cycle : `${cycle.cycle} (following ${cycle.from})`,
    },
    { label: 'Date', value: formatLongUkDate(input.today) },
    { label: 'Based on', value: `${bank.title}, version ${bank.version}` },
  ];
  const doc: CycleDocument = {
    title,
    facts,
    credit: `${bank.source.credit.replace(/\s+/g, ' ').trim()} Source: ${bank.source.url}`,
    summary: input.summary === true,
    blocks: b.blocks,
  };
  if (scopeNote !== undefined) doc.scopeNote = scopeNote;
  return doc;
}
