/**
 * Whatever users type, the report's structure stays the same: the outline of headings (as an
 * independent CommonMark parser, markdown-it, sees them) and the number of item blocks do not change
 * compared with the same cycle with every piece of typed text blanked.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerableItems } from '../src/core/bank.ts';
import { textToLines } from '../src/core/cycle.ts';
import { renderReport } from '../src/core/report.ts';
import type { CycleFile } from '../src/core/types.ts';
import { arbitraryCycle, arbitraryTypedText } from './helpers/arbitrary-cycle.ts';
import { fixtureBank } from './helpers/fixture-bank.ts';

interface MdToken {
  type: string;
  tag: string;
  content: string;
}
const require = createRequire(import.meta.url);
const MarkdownIt = require('markdown-it') as new (
  preset?: string,
) => { parse(src: string, env: object): MdToken[] };
const md = new MarkdownIt('commonmark');

const bank = fixtureBank();
// thousands of cases: allow for a slow, busy CI machine (and for KR_FC_RUNS=20000 runs by hand)
const TIMEOUT = process.env.KR_FC_RUNS ? 1_800_000 : 120_000;

function structure(markdown: string): { outline: string[]; items: string[] } {
  const tokens = md.parse(markdown, {});
  const outline: string[] = [];
  const items: string[] = [];
  tokens.forEach((t, i) => {
    if (t.type === 'heading_open') outline.push(`${t.tag} ${tokens[i + 1]?.content ?? ''}`);
    if (t.type === 'html_block' && t.content.startsWith('<!-- item: ')) items.push(t.content.trim());
  });
  return { outline, items };
}

/** The same cycle with every piece of typed text emptied (ids, statuses and structure kept). */
function blanked(cycle: CycleFile): CycleFile {
  const c = structuredClone(cycle);
  for (const a of Object.values(c.answers)) {
    if (a.text) a.text = [];
    if (a.needs) a.needs = [];
    if (a.evidence) a.evidence = [];
    if (a.carried !== undefined) a.carried = 'x';
  }
  for (const p of c.priorities) if (p.rationale) p.rationale = [];
  for (const a of c.actions) {
    a.title = '';
    if (a.owner !== undefined) a.owner = '';
    if (a.notes) a.notes = [];
    a.tags = [];
    a.opened = '';
    for (const h of a.history) if (h.note !== undefined) h.note = '';
  }
  return c;
}

describe('report structure under hostile answers', () => {
  it(
    'keeps the heading outline and the item count',
    () => {
      fc.assert(
        fc.property(arbitraryCycle(bank), (cycle) => {
          const hostile = structure(renderReport(bank, cycle));
          const blank = structure(renderReport(bank, blanked(cycle)));
          expect(hostile.outline).toEqual(blank.outline);
          expect(hostile.items).toEqual(blank.items);
          const orphans = Object.keys(cycle.answers).filter((id) => id.startsWith('zz.')).length;
          expect(hostile.items.length).toBe(answerableItems(bank).length + orphans);
        }),
        { numRuns: Number(process.env.KR_FC_RUNS ?? 2000) },
      );
    },
    TIMEOUT,
  );

  it(
    'keeps it for typed text with CR, CRLF and LF line ends (normalised at input)',
    () => {
      const ids = answerableItems(bank).map((i) => i.id);
      fc.assert(
        fc.property(
          fc.array(arbitraryTypedText, { minLength: ids.length, maxLength: ids.length }),
          (texts) => {
            const cycle: CycleFile = {
              format: 1,
              cycle: '2026-27',
              authority: 'Exampleshire County Council',
              bank: { id: bank.id, version: bank.version },
              priorities: [],
              answers: {},
              actions: [],
            };
            ids.forEach((id, i) => {
              const item = answerableItems(bank)[i];
              cycle.answers[id] = {
                status: item?.kind === 'checklist' ? 'planned' : 'answered',
                text: textToLines(texts[i] ?? ''),
                changed: '2026-01-15',
              };
            });
            const hostile = structure(renderReport(bank, cycle));
            const blank = structure(renderReport(bank, blanked(cycle)));
            expect(hostile).toEqual(blank);
          },
        ),
        { numRuns: 1000 },
      );
    },
    TIMEOUT,
  );

  it('stays safe even when a stored line still holds a CR (split defensively)', () => {
    const cycle: CycleFile = {
      format: 1,
      cycle: '2026-27',
      authority: 'Exampleshire County Council',
      bank: { id: bank.id, version: bank.version },
      priorities: [],
      answers: {
        'assess.carers.count': {
          status: 'answered',
          text: ['before\r```\r# Not a heading\r\n<!-- item: x -->'],
          changed: '2026-01-15',
        },
      },
      actions: [],
    };
    expect(structure(renderReport(bank, cycle))).toEqual(structure(renderReport(bank, blanked(cycle))));
  });
});
