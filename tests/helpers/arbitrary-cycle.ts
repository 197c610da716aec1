/**
 * fast-check arbitraries for cycle files over a given bank, biased towards text that tries to break a
 * Markdown report: headings, `---`, HTML, fences of every length, tables, item-marker forgeries, long
 * lines, emoji, right-to-left text, control characters.
 *
 *   fc.assert(fc.property(arbitraryCycle(bank), (cycle) => { … }), { numRuns: 2000 });
 *
 * Lines never contain CR or LF: answers are stored as lines, split at input by `textToLines` (which
 * turns CRLF and CR into LF). `arbitraryTypedText` gives raw typed text with CR/CRLF for tests that
 * go through that normalisation.
 */

import fc from 'fast-check';
import { answerableItems, bankTags } from '../../src/core/bank.ts';
import { escapeControlCharacters } from '../../src/core/control-chars.ts';
import { statusesFor } from '../../src/core/cycle.ts';
import {
  ACTION_STATUSES,
  type Action,
  type Answer,
  type Bank,
  type CycleFile,
  type Priority,
  RATINGS,
} from '../../src/core/types.ts';

/** Fragments that mean something to Markdown, to our markers or to a terminal. */
export const HOSTILE_FRAGMENTS: readonly string[] = [
  '```',
  '````',
  '`````````',
  '~~~',
  '~~~~',
  '`',
  '``',
  '# Heading',
  '## Stage',
  '### Section',
  '#',
  '---',
  '***',
  '===',
  '- Status: skipped',
  '- Rating: red',
  'Answer:',
  'Evidence:',
  'Rationale:',
  'History:',
  '> quoted',
  '    indented code',
  '\t',
  ' ',
  '  ',
  '<!-- item: assess.carers.count -->',
  '<!-- item: zz.forged -->',
  '<!-- section: actions -->',
  '<!-- section: kept -->',
  '<!-- priority: R1 -->',
  '<!-- action: A1 -->',
  '<!-- stage: plan -->',
  `<!-- kinship-reflect: generated, sha256 ${'0'.repeat(64)} -->`,
  '<!--',
  '-->',
  '<div>',
  '</pre>',
  '<script>alert(1)</script>',
  '| a | b |',
  '|---|---|',
  '|',
  '\\',
  '\\|',
  '&#10;',
  '&amp;',
  '&#32;',
  '*',
  '_',
  '[link](http://example.org)',
  'http://example.org',
  'www.example.org',
  'someone@example.org',
  '1. ',
  '2) ',
  '+ ',
  '—',
  ', ',
  '👩‍👧‍👦',
  '🇬🇧',
  'مرحبا بالعالم',
  'שלום',
  '\u202E',
  '\u200F',
  '\u0000',
  '\u0007',
  '\u001B[31m',
  '\u007F',
  '\u0085',
  '\u2028',
  '\uFEFF',
  '$x$',
  'x'.repeat(300),
];

/** One fragment or a short random string (any valid Unicode). */
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_FRAGMENTS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** A single line of text, without CR or LF. */
export const arbitraryLine: fc.Arbitrary<string> = fc
  .array(piece, { maxLength: 4 })
  .map((parts) => parts.join('').replace(/[\r\n]/g, ' '));

/** Stored lines: possibly empty, possibly with blank lines. */
export const arbitraryLines: fc.Arbitrary<string[]> = fc.array(arbitraryLine, { maxLength: 5 });

/** Any single-line-or-not short string (for titles, owners, ids): may contain CR and LF too. */
export const arbitraryString: fc.Arbitrary<string> = fc.oneof(
  arbitraryLine,
  fc.array(piece, { maxLength: 3 }).map((p) => p.join('\n')),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

/** Raw typed text with any line ends (LF, CRLF, CR), as a user might paste it. */
export const arbitraryTypedText: fc.Arbitrary<string> = fc
  .tuple(fc.array(arbitraryLine, { minLength: 1, maxLength: 5 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, eol]) => lines.join(eol));

export const arbitraryIsoDate: fc.Arbitrary<string> = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

function optional<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(arb, { nil: undefined });
}

/** An answer for an item of this kind; optional fields are left out rather than set to undefined. */
export function arbitraryAnswer(kind: 'question' | 'checklist' | 'any'): fc.Arbitrary<Answer> {
  const statuses =
    kind === 'any'
      ? [...statusesFor({ kind: 'question' }), ...statusesFor({ kind: 'checklist' })]
      : [...statusesFor({ kind })];
  return fc
    .record({
      status: fc.constantFrom(...statuses),
      text: optional(arbitraryLines),
      needs: optional(arbitraryLines),
      rating: optional(fc.constantFrom(...RATINGS)),
      evidence: optional(arbitraryLines),
      carried: optional(fc.oneof(fc.constant('2025-26'), arbitraryString)),
      changed: arbitraryIsoDate,
    })
    .map((r) => {
      const a: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) if (v !== undefined) a[k] = v;
      return a as unknown as Answer;
    });
}

function arbitraryPriorities(bank: Bank): fc.Arbitrary<Priority[]> {
  const ids = bank.recommendations.map((r) => r.id);
  return fc
    .shuffledSubarray(ids)
    .chain((chosen) =>
      fc.tuple(...chosen.map((id) => optional(arbitraryLines).map((rationale) => ({ id, rationale })))),
    )
    .map((list) =>
      list.map(({ id, rationale }) =>
        rationale === undefined ? { recommendation: id } : { recommendation: id, rationale },
      ),
    );
}

function arbitraryAction(bank: Bank, id: string): fc.Arbitrary<Action> {
  const tag = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...bankTags(bank)) },
    { weight: 1, arbitrary: arbitraryString },
  );
  return fc
    .record({
      title: arbitraryString,
      owner: optional(arbitraryString),
      due: optional(arbitraryIsoDate),
      status: fc.constantFrom(...ACTION_STATUSES),
      tags: fc.array(tag, { maxLength: 3 }),
      notes: optional(arbitraryLines),
      history: fc.array(
        fc.record({
          date: arbitraryIsoDate,
          status: fc.constantFrom(...ACTION_STATUSES),
          note: optional(arbitraryString),
        }),
        { maxLength: 3 },
      ),
      opened: fc.oneof(fc.constant('2026-27'), arbitraryString),
    })
    .map((r) => {
      const a: Record<string, unknown> = { id, title: r.title };
      if (r.owner !== undefined) a.owner = r.owner;
      if (r.due !== undefined) a.due = r.due;
      a.status = r.status;
      a.tags = r.tags;
      if (r.notes !== undefined) a.notes = r.notes;
      a.history = r.history.map((h) => (h.note === undefined ? { date: h.date, status: h.status } : h));
      a.opened = r.opened;
      return a as unknown as Action;
    });
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function arbitraryActions(bank: Bank): fc.Arbitrary<Action[]> {
  const id = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('A1', 'A2', 'A3', 'A4', 'A10') },
    { weight: 1, arbitrary: arbitraryString },
  );
  return fc
    .uniqueArray(
      id.filter((x) => !FORBIDDEN.has(x)),
      { maxLength: 4 },
    )
    .chain((ids) => fc.tuple(...ids.map((i) => arbitraryAction(bank, i))));
}

export interface ArbitraryCycleOptions {
  /** Also generate answers to ids the bank does not have (kept at the end of the report). Default true. */
  orphans?: boolean;
}

/** A cycle over `bank`: any subset of items answered, priorities, actions, and odd metadata. */
export function arbitraryCycle(bank: Bank, opts: ArbitraryCycleOptions = {}): fc.Arbitrary<CycleFile> {
  const items = answerableItems(bank);
  const answers = fc
    .tuple(
      ...items.map((item) =>
        optional(arbitraryAnswer(item.kind === 'checklist' ? 'checklist' : 'question')).map(
          (a) => [item.id, a] as const,
        ),
      ),
    )
    .map((pairs) => pairs.filter((p): p is readonly [string, Answer] => p[1] !== undefined));
  const orphanIds =
    opts.orphans === false
      ? fc.constant([])
      : fc.uniqueArray(
          fc.oneof(
            fc.constant('zz.old'),
            arbitraryString.map((s) => `zz.${s}`),
          ),
          { maxLength: 2 },
        );
  const orphans = orphanIds.chain((ids) =>
    fc.tuple(...ids.map((id) => arbitraryAnswer('any').map((a) => [id, a] as const))),
  );
  return fc
    .record({
      cycle: fc.oneof(fc.constant('2026-27'), arbitraryString),
      authority: fc.oneof(fc.constant('Exampleshire County Council'), arbitraryString),
      from: optional(fc.oneof(fc.constant('2025-26'), arbitraryString)),
      answers,
      orphans,
      priorities: arbitraryPriorities(bank),
      actions: arbitraryActions(bank),
    })
    .map((r) => {
      const cycle: CycleFile = {
        format: 1,
        cycle: r.cycle,
        authority: r.authority,
        bank: { id: bank.id, version: bank.version },
        priorities: r.priorities,
        answers: Object.fromEntries([...r.answers, ...r.orphans]),
        actions: r.actions,
      };
      if (r.from !== undefined) cycle.from = r.from;
      return cycle;
    });
}

/**
 * The cycle with every unsafe control character shown as its visible escape, as the tool would
 * accept it from a user (input refuses them; only a hand-edited file holds them raw).
 */
export function withoutControlCharacters<T>(value: T): T {
  if (typeof value === 'string') return escapeControlCharacters(value) as T;
  if (Array.isArray(value)) return value.map(withoutControlCharacters) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[escapeControlCharacters(k)] = withoutControlCharacters(v);
    return out as T;
  }
  return value;
}
