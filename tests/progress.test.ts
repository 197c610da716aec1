import { describe, expect, it } from 'vitest';
import { cycleProgress, percent, progressBucket } from '../src/core/progress.ts';
import type { CycleFile } from '../src/core/types.ts';
import { fixtureBank, fixtureCycle } from './helpers/fixture-bank.ts';

const bank = fixtureBank();

describe('cycleProgress', () => {
  it('counts the fixture cycle by stage, by tag and overall', () => {
    const p = cycleProgress(bank, fixtureCycle(bank));
    // 8 answerable items: the prompt takes no answer
    expect(p.total).toBe(8);
    expect([p.answered, p.needsData, p.skipped, p.carried, p.unanswered]).toEqual([3, 1, 0, 0, 4]);
    expect(p.byStage.map((s) => [s.stage, s.total, s.answered, s.unanswered])).toEqual([
      ['assess', 6, 2, 3],
      ['plan', 2, 1, 1],
    ]);
    expect(p.ratings).toEqual({ red: 0, amber: 1, green: 1 });
    const r1 = p.byTag.find((t) => t.tag === 'R1');
    // R1: the count question, its untagged child (inherits), and the offer section item
    expect(r1).toMatchObject({ total: 3, answered: 2, ratings: { red: 0, amber: 1, green: 1 } });
    expect(p.byTag.map((t) => t.tag)).toEqual([
      'KP1',
      'KP2',
      'KP3',
      'R1',
      'R2',
      'R3',
      'R4',
      'R5',
      'R6',
      'ALL',
    ]);
    expect(p.byTag.find((t) => t.tag === 'ALL')?.total).toBe(1);
  });

  it('puts every item in exactly one bucket', () => {
    const p = cycleProgress(bank, fixtureCycle(bank));
    for (const c of [p, ...p.byStage, ...p.byTag]) {
      expect(c.answered + c.needsData + c.skipped + c.carried + c.unanswered).toBe(c.total);
    }
  });

  it('counts carried answers apart, without their ratings, and any checklist status as answered', () => {
    const cycle: CycleFile = {
      ...fixtureCycle(bank),
      answers: {
        'assess.carers.count': {
          status: 'answered',
          rating: 'red',
          carried: '2025-26',
          changed: '2025-06-01',
        },
        'plan.r2.timescales': { status: 'not-started', changed: '2026-01-01' },
        'plan.r2.training': { status: 'not-applicable', rating: 'green', changed: '2026-01-01' },
        'assess.offer.published': { status: 'skipped', changed: '2026-01-01' },
        'zz.unknown': { status: 'answered', changed: '2026-01-01' },
      },
    };
    const p = cycleProgress(bank, cycle);
    expect([p.answered, p.needsData, p.skipped, p.carried, p.unanswered]).toEqual([2, 0, 1, 1, 4]);
    expect(p.ratings).toEqual({ red: 0, amber: 0, green: 1 });
    expect(p.total).toBe(8);
  });

  it('buckets and percentages', () => {
    expect(progressBucket({ kind: 'question' }, undefined)).toBe('unanswered');
    expect(progressBucket({ kind: 'question' }, { status: 'needs-data', changed: '2026-01-01' })).toBe(
      'needsData',
    );
    expect(progressBucket({ kind: 'checklist' }, { status: 'not-started', changed: '2026-01-01' })).toBe(
      'answered',
    );
    expect(percent(1, 3)).toBe(33);
    expect(percent(2, 3)).toBe(67);
    expect(percent(199, 200)).toBe(99);
    expect(percent(200, 200)).toBe(100);
    expect(percent(0, 0)).toBe(0);
  });
});
