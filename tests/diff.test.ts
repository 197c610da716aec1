import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DiffRow, diffCycles, diffText, wordDiff } from '../src/core/diff.ts';
import { diffSequences } from '../src/core/myers.ts';
import { renderDiffMarkdown, renderDiffText } from '../src/core/render-diff.ts';
import type { CycleFile } from '../src/core/types.ts';
import { fixtureBank, fixtureCycle } from './helpers/fixture-bank.ts';

const bank = fixtureBank();
const today = '2026-04-15';

function pair(): { from: CycleFile; to: CycleFile } {
  const from = fixtureCycle(bank, '2025-26');
  const to = structuredClone(from);
  to.cycle = '2026-27';
  return { from, to };
}

describe('diffCycles', () => {
  it('finds nothing between identical cycles (overdue actions are not differences)', () => {
    const { from, to } = pair();
    const d = diffCycles(bank, from, to, { today });
    expect(d.hasDifferences).toBe(false);
    expect(d.stages).toEqual([]);
    // A1 is due 31/03/2026 and still in progress
    expect(d.actions.overdue.map((a) => a.id)).toEqual(['A1']);
    expect(renderDiffText(d)).toContain('no differences');
  });

  it('reports added, changed and removed answers with status and rating moves, grouped by stage', () => {
    const { from, to } = pair();
    to.answers['assess.carers.count.informal'] = { status: 'answered', text: ['About 100.'], changed: today };
    to.answers['assess.carers.count'] = {
      status: 'answered',
      text: ['Around 250 households.', '64% of carers are grandparents.'],
      rating: 'green',
      changed: today,
    };
    delete to.answers['assess.offer.published'];
    to.answers['plan.r2.timescales'] = {
      status: 'in-place',
      text: ['Agreed with the courts team.'],
      changed: today,
    };
    const d = diffCycles(bank, from, to, { today });
    expect(d.counts).toMatchObject({ added: 1, changed: 1, removed: 1, statusMoves: 1, ratingMoves: 1 });
    expect(d.stages.map((s) => [s.stage, s.items.map((i) => `${i.change}:${i.id}`)])).toEqual([
      [
        'assess',
        [
          'changed:assess.carers.count',
          'added:assess.carers.count.informal',
          'removed:assess.offer.published',
        ],
      ],
      ['plan', ['changed:plan.r2.timescales']],
    ]);
    const count = d.stages[0]?.items[0];
    expect(count?.rating).toEqual({ from: 'amber', to: 'green' });
    const rows = count?.fields[0]?.rows ?? [];
    expect(rows).toEqual([
      {
        op: '-',
        line: 'Around 240 households.',
        words: [
          { op: '=', text: 'Around ' },
          { op: '-', text: '240' },
          { op: '=', text: ' households.' },
        ],
      },
      {
        op: '+',
        line: 'Around 250 households.',
        words: [
          { op: '=', text: 'Around ' },
          { op: '+', text: '250' },
          { op: '=', text: ' households.' },
        ],
      },
      { op: ' ', line: '64% of carers are grandparents.' },
    ]);
    const text = renderDiffText(d);
    expect(text).toContain('changed: assess.carers.count');
    expect(text).toContain('added: assess.carers.count.informal');
    expect(text).toContain('removed: assess.offer.published');
    expect(text).toContain('rating: amber → green');
    expect(text).toContain('status: planned → in-place');
    expect(text).toContain('- Around 240 households.');
    expect(text).toContain('+ Around 250 households.');
  });

  it('colours changed words when given colour functions, and the words stay', () => {
    const { from, to } = pair();
    to.answers['assess.carers.count']!.text = ['Around 250 households.'];
    const d = diffCycles(bank, from, to, { today });
    const text = renderDiffText(d, {
      added: (s) => `<G>${s}</G>`,
      removed: (s) => `<R>${s}</R>`,
      addedWord: (s) => `[${s}]`,
      removedWord: (s) => `{${s}}`,
      heading: (s) => s,
      dim: (s) => s,
      safe: (s) => s,
    });
    expect(text).toContain('<R>    - Around {240} households.</R>');
    expect(text).toContain('<G>    + Around [250] households.</G>');
  });

  it('tracks priorities added, removed, reordered and actions opened, closed, overdue', () => {
    const { from, to } = pair();
    from.priorities = [{ recommendation: 'R1' }, { recommendation: 'R2' }, { recommendation: 'R3' }];
    to.priorities = [{ recommendation: 'R2' }, { recommendation: 'R1' }, { recommendation: 'R4' }];
    to.actions[0]!.status = 'done';
    to.actions.push({
      id: 'A2',
      title: 'Train assessors',
      due: '2026-02-01',
      status: 'planned',
      tags: ['R2'],
      history: [],
      opened: '2026-27',
    });
    const d = diffCycles(bank, from, to, { today });
    expect(d.priorities).toMatchObject({ added: ['R4'], removed: ['R3'], reordered: true });
    expect(d.actions.opened.map((a) => a.id)).toEqual(['A2']);
    expect(d.actions.closed).toEqual([
      expect.objectContaining({ id: 'A1', was: 'in-progress', status: 'done' }),
    ]);
    expect(d.actions.overdue.map((a) => a.id)).toEqual(['A2']);
    expect(d.hasDifferences).toBe(true);
    const md = renderDiffMarkdown(d);
    expect(md).toContain('- reordered: R1, R2, R3 → R2, R1, R4');
    expect(md).toContain('- opened: A2 Train assessors (planned)');
    expect(md).toContain('- overdue: A2 Train assessors (due 01/02/2026, planned)');
  });

  it('tells finished actions not carried forward from open ones dropped, and same ids of different actions apart', () => {
    const { from, to } = pair();
    from.actions[0]!.status = 'done';
    from.actions.push({
      id: 'A2',
      title: 'Survey carers',
      status: 'planned',
      tags: ['R1'],
      history: [],
      opened: '2025-26',
    });
    // the later cycle has neither; an older file reused A1 for a new action opened in 2026-27
    to.actions = [
      {
        id: 'A1',
        title: 'A different action',
        status: 'planned',
        tags: ['R2'],
        history: [],
        opened: '2026-27',
      },
    ];
    const d = diffCycles(bank, from, to, { today });
    expect(d.actions.finishedBefore.map((a) => a.id)).toEqual(['A1']);
    expect(d.actions.removed.map((a) => a.title)).toEqual(['Survey carers']);
    expect(d.actions.opened.map((a) => a.title)).toEqual(['A different action']);
    expect(d.actions.updated).toEqual([]);
    const text = renderDiffText(d);
    expect(text).toContain('finished earlier, not carried forward: A1');
    expect(text).toContain('removed (was still open): A2 Survey carers (planned)');
  });

  it('filters by tag through effective tags', () => {
    const { from, to } = pair();
    to.answers['assess.carers.count.informal'] = { status: 'answered', text: ['x'], changed: today }; // inherits KP1, R1
    to.answers['plan.r2.training'] = { status: 'planned', changed: today }; // R2, KP2
    const r2 = diffCycles(bank, from, to, { today, tag: 'R2' });
    expect(r2.stages.flatMap((s) => s.items.map((i) => i.id))).toEqual(['plan.r2.training']);
    const r1 = diffCycles(bank, from, to, { today, tag: 'R1' });
    expect(r1.stages.flatMap((s) => s.items.map((i) => i.id))).toEqual(['assess.carers.count.informal']);
    expect(r1.tag).toBe('R1');
  });

  it('does not count a carried-forward, unchanged answer as a change', () => {
    const { from, to } = pair();
    to.answers['assess.carers.count'] = {
      ...from.answers['assess.carers.count']!,
      carried: '2025-26',
      changed: '2026-01-10',
    };
    expect(diffCycles(bank, from, to, { today }).hasDifferences).toBe(false);
  });

  it('gives what the version written with callbacks gave, on any two texts', () => {
    // diffText as it was before its loops were made indexed (src/core/diff.ts says why)
    const reference = (from: string[], to: string[], context: number, words: boolean): DiffRow[] => {
      type Line = Exclude<DiffRow, { op: '…' }>;
      const lines: Line[] = [];
      const parts = diffSequences(from, to);
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i];
        if (!part) continue;
        const next = parts[i + 1];
        if (part.removed && next?.added) {
          const old = part.value;
          const neu = next.value;
          const pairs = Math.min(old.length, neu.length);
          const removedRows: Line[] = [];
          const addedRows: Line[] = [];
          old.forEach((line, k) => {
            if (k < pairs && words) {
              const w = wordDiff(line, neu[k] as string);
              removedRows.push({ op: '-', line, words: w.removed });
              addedRows.push({ op: '+', line: neu[k] as string, words: w.added });
            } else {
              removedRows.push({ op: '-', line });
              if (k < pairs) addedRows.push({ op: '+', line: neu[k] as string });
            }
          });
          for (let k = pairs; k < neu.length; k++) addedRows.push({ op: '+', line: neu[k] as string });
          lines.push(...removedRows, ...addedRows);
          i++;
          continue;
        }
        const op = part.added ? '+' : part.removed ? '-' : ' ';
        for (const line of part.value) lines.push({ op, line });
      }
      const keep = lines.map(() => false);
      lines.forEach((l, i) => {
        if (l.op === ' ') return;
        for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++)
          keep[k] = true;
      });
      const rows: DiffRow[] = [];
      let skipped = 0;
      lines.forEach((l, i) => {
        if (keep[i]) {
          if (skipped > 0) rows.push({ op: '…', skipped });
          skipped = 0;
          rows.push(l);
        } else skipped++;
      });
      if (skipped > 0) rows.push({ op: '…', skipped });
      return rows;
    };
    // few distinct lines, so that texts share some and differ in others
    const line = fc.constantFrom(
      'a',
      'b',
      'c',
      'd e',
      'd f',
      'about 40% of households',
      'about 45% of households',
      '',
    );
    const text = fc.array(line, { maxLength: 14 });
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 3 }), fc.boolean(), (a, b, context, words) => {
        expect(diffText(a, b, context, words)).toEqual(reference(a, b, context, words));
      }),
      { numRuns: 2000 },
    );
  });

  it('elides long unchanged stretches', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    const b = [...a];
    b[10] = 'changed';
    const rows = diffText(a, b, 2);
    expect(rows[0]).toEqual({ op: '…', skipped: 8 });
    expect(rows.filter((r) => r.op === ' ')).toHaveLength(4);
    expect(rows[rows.length - 1]).toEqual({ op: '…', skipped: 7 });
  });

  it('without word marks (text without colour, Markdown) gives the same lines, and the same text', () => {
    const a = ['In 2025-26, about 40% of households.', 'Kept.', 'Old last line.', 'Only before.'];
    const b = ['In 2026-27, about 45% of households.', 'Kept.', 'New last line.'];
    const withWords = diffText(a, b);
    const without = diffText(a, b, 2, false);
    expect(withWords.some((r) => 'words' in r)).toBe(true);
    expect(without.some((r) => 'words' in r)).toBe(false);
    const strip = (rows: ReturnType<typeof diffText>) =>
      rows.map((r) => ('words' in r ? { op: r.op, line: r.line } : r));
    expect(without).toEqual(strip(withWords));
    // the text a terminal without colour shows is the same either way
    const from = fixtureCycle(bank);
    const to = fixtureCycle(bank);
    to.answers['assess.carers.count'] = {
      ...from.answers['assess.carers.count']!,
      text: ['Around 250 kinship households.', 'A second line.'],
    };
    const full = diffCycles(bank, from, to, { today });
    const plain = diffCycles(bank, from, to, { today, words: false });
    expect(renderDiffText(plain)).toBe(renderDiffText(full));
    expect(renderDiffMarkdown(plain)).toBe(renderDiffMarkdown(full));
  });
});
