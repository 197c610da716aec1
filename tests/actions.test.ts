import { describe, expect, it } from 'vitest';
import {
  actionsSummary,
  addAction,
  carryForwardActions,
  filterActions,
  nextActionId,
  nextCyclePlanSeed,
  parseActionStatus,
  recommendationsMentioned,
  reviewSummary,
  updateAction,
} from '../src/core/actions.ts';
import { newCycle } from '../src/core/cycle.ts';
import { UsageError } from '../src/core/errors.ts';
import type { Bank, CycleFile } from '../src/core/types.ts';
import { bank as builtinBank } from '../src/generated/bank-reflective-tool.ts';

const TODAY = '2026-01-15';

function fixtureBank(): Bank {
  return {
    id: 'fixture',
    title: 'Fixture bank',
    version: '1.0.0',
    source: { title: 'Fixture', publisher: 'Tests', url: 'https://example.org', credit: 'Tests' },
    evidenceRatings: [{ id: 'good', label: 'Good evidence', definition: 'Good.' }],
    keyPrinciples: [{ id: 'KP1', title: 'Key Principle 1', text: 'Principle one.' }],
    recommendations: [1, 2, 3, 4, 5, 6].map((n) => ({
      id: `R${n}`,
      title: `Recommendation ${n}`,
      text: `Recommendation ${n} text.`,
      evidence: 'good',
    })),
    allTag: 'Everything.',
    stages: [
      {
        id: 'review',
        title: 'Review',
        introduction: 'Look back.',
        sections: [
          {
            id: 'reflect',
            title: 'Reflect',
            items: [
              {
                id: 'review.next',
                kind: 'question',
                text: 'Which Recommendation are you going to focus on next?',
                tags: ['ALL'],
              },
            ],
          },
        ],
      },
    ],
  };
}

function cycleWith(id: string, bank = fixtureBank()): CycleFile {
  return newCycle(id, 'Exampleshire County Council', bank);
}

function expectUsage(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected a UsageError');
}

describe('addAction', () => {
  it('adds a planned action opened in this cycle, with a history entry for today', () => {
    const bank = fixtureBank();
    const cycle = cycleWith('2026-27', bank);
    const a = addAction(
      cycle,
      {
        title: '  Publish the   local offer ',
        owner: 'Kinship team',
        due: '31/03/2027',
        tags: ['r1', 'KP1', 'R1'],
        note: 'Agreed at board',
      },
      TODAY,
      bank,
    );
    expect(a).toEqual({
      id: 'A1',
      title: 'Publish the local offer',
      owner: 'Kinship team',
      due: '2027-03-31',
      status: 'planned',
      tags: ['R1', 'KP1'],
      notes: ['Agreed at board'],
      history: [{ date: TODAY, status: 'planned' }],
      opened: '2026-27',
    });
    expect(cycle.actions).toEqual([a]);
  });

  it('gives ids one more than the highest, counting carried actions', () => {
    const bank = fixtureBank();
    const cycle = cycleWith('2026-27', bank);
    cycle.actions.push({
      id: 'A7',
      title: 'Carried',
      status: 'planned',
      tags: [],
      history: [],
      opened: '2025-26',
    });
    expect(addAction(cycle, { title: 'New', tags: [] }, TODAY, bank).id).toBe('A8');
    expect(addAction(cycle, { title: 'Newer', tags: [] }, TODAY, bank).id).toBe('A9');
    expect(new Set(cycle.actions.map((a) => a.id)).size).toBe(cycle.actions.length);
  });

  it('refuses an unknown tag, listing the known ones', () => {
    const bank = fixtureBank();
    expectUsage(
      () => addAction(cycleWith('c1', bank), { title: 'X', tags: ['R9'] }, TODAY, bank),
      /"R9".*KP1, R1, R2, R3, R4, R5, R6, ALL/,
    );
  });

  it('refuses an impossible due date, naming the accepted forms', () => {
    const bank = fixtureBank();
    const cycle = cycleWith('c1', bank);
    expectUsage(
      () => addAction(cycle, { title: 'X', tags: [], due: '31/02/2027' }, TODAY, bank),
      /DD\/MM\/YYYY/,
    );
    expect(cycle.actions).toEqual([]);
  });

  it('refuses an empty title', () => {
    const bank = fixtureBank();
    expectUsage(() => addAction(cycleWith('c1', bank), { title: '   ', tags: [] }, TODAY, bank), /title/);
  });
});

describe('updateAction', () => {
  function setup() {
    const bank = fixtureBank();
    const cycle = cycleWith('2026-27', bank);
    addAction(
      cycle,
      { title: 'Publish the local offer', tags: ['R1'], due: '2026-01-10' },
      '2026-01-01',
      bank,
    );
    addAction(cycle, { title: 'Set up a peer support group', tags: ['R4'] }, '2026-01-01', bank);
    return { bank, cycle };
  }

  it('appends status changes to the history with their note', () => {
    const { bank, cycle } = setup();
    updateAction(cycle, 'a1', { status: 'In progress' }, '2026-01-05', bank);
    const a = updateAction(cycle, 'A1', { status: 'done', note: 'Published on the website' }, TODAY, bank);
    expect(a.status).toBe('done');
    expect(a.history).toEqual([
      { date: '2026-01-01', status: 'planned' },
      { date: '2026-01-05', status: 'in-progress' },
      { date: TODAY, status: 'done', note: 'Published on the website' },
    ]);
    expect(a.notes).toBeUndefined();
  });

  it('adds a note without a status change to the notes, and the same status adds no history', () => {
    const { bank, cycle } = setup();
    const a = updateAction(cycle, 'A2', { status: 'planned', note: 'Waiting for a venue' }, TODAY, bank);
    expect(a.history).toHaveLength(1);
    expect(a.notes).toEqual(['Waiting for a venue']);
  });

  it('changes title, owner, due and tags; empty owner and due remove them', () => {
    const { bank, cycle } = setup();
    updateAction(
      cycle,
      'A2',
      { title: 'Run a peer group', owner: 'Family support team', due: '1 June 2026', tags: ['r4', 'kp1'] },
      TODAY,
      bank,
    );
    expect(cycle.actions[1]).toMatchObject({
      title: 'Run a peer group',
      owner: 'Family support team',
      due: '2026-06-01',
      tags: ['R4', 'KP1'],
    });
    const a = updateAction(cycle, 'A2', { owner: '', due: '' }, TODAY, bank);
    expect(a.owner).toBeUndefined();
    expect(a.due).toBeUndefined();
  });

  it('reports an unknown id with the known ones', () => {
    const { bank, cycle } = setup();
    expectUsage(() => updateAction(cycle, 'A9', { status: 'done' }, TODAY, bank), /no action "A9".*A1, A2/);
  });

  it('reports an invalid status with the valid ones, and changes nothing', () => {
    const { bank, cycle } = setup();
    const before = structuredClone(cycle.actions);
    expectUsage(
      () => updateAction(cycle, 'A1', { status: 'finished', title: 'Changed' }, TODAY, bank),
      /planned, in-progress, done, dropped/,
    );
    expect(cycle.actions).toEqual(before);
  });
});

describe('filterActions and summaries', () => {
  function setup(): CycleFile {
    const bank = fixtureBank();
    const cycle = cycleWith('2026-27', bank);
    addAction(
      cycle,
      { title: 'One', owner: 'Kinship team', due: '2026-01-10', tags: ['R1'] },
      '2026-01-01',
      bank,
    );
    addAction(
      cycle,
      { title: 'Two', owner: 'Virtual school', due: '2026-03-01', tags: ['R2'] },
      '2026-01-01',
      bank,
    );
    addAction(
      cycle,
      { title: 'Three', owner: 'kinship TEAM', due: '2025-12-01', tags: ['R1', 'KP1'] },
      '2026-01-01',
      bank,
    );
    addAction(cycle, { title: 'Four', tags: [] }, '2026-01-01', bank);
    updateAction(cycle, 'A3', { status: 'done' }, '2026-01-02', bank);
    updateAction(cycle, 'A4', { status: 'dropped' }, '2026-01-02', bank);
    updateAction(cycle, 'A2', { status: 'in-progress' }, '2026-01-02', bank);
    return cycle;
  }
  const ids = (list: { id: string }[]) => list.map((a) => a.id);

  it('filters by status, tag, owner and overdue, combined', () => {
    const cycle = setup();
    expect(ids(filterActions(cycle.actions, { status: 'in progress' }, TODAY))).toEqual(['A2']);
    expect(ids(filterActions(cycle.actions, { tag: 'r1' }, TODAY))).toEqual(['A1', 'A3']);
    expect(ids(filterActions(cycle.actions, { owner: 'Kinship Team' }, TODAY))).toEqual(['A1', 'A3']);
    expect(ids(filterActions(cycle.actions, { overdue: true }, TODAY))).toEqual(['A1']);
    expect(ids(filterActions(cycle.actions, { tag: 'R1', status: 'done' }, TODAY))).toEqual(['A3']);
    expect(ids(filterActions(cycle.actions, {}, TODAY))).toEqual(['A1', 'A2', 'A3', 'A4']);
    // the same actions a day before A1 fell due are not overdue
    expect(ids(filterActions(cycle.actions, { overdue: true }, '2026-01-09'))).toEqual([]);
  });

  it('counts by status and overdue', () => {
    expect(actionsSummary(setup().actions, TODAY)).toEqual({
      total: 4,
      byStatus: { planned: 1, 'in-progress': 1, done: 1, dropped: 1 },
      open: 2,
      overdue: 1,
    });
  });

  it('splits actions for the Review stage without listing any twice', () => {
    const r = reviewSummary(setup(), TODAY);
    expect({
      done: ids(r.done),
      dropped: ids(r.dropped),
      overdue: ids(r.overdue),
      open: ids(r.open),
    }).toEqual({
      done: ['A3'],
      dropped: ['A4'],
      overdue: ['A1'],
      open: ['A2'],
    });
  });

  it('parses status words', () => {
    expect(parseActionStatus('In Progress')).toBe('in-progress');
    expect(() => parseActionStatus('complete')).toThrow(UsageError);
  });
});

describe('carryForwardActions', () => {
  function previous(): { bank: Bank; from: CycleFile } {
    const bank = fixtureBank();
    const from = cycleWith('2025-26', bank);
    addAction(from, { title: 'Done one', tags: [] }, '2025-05-01', bank);
    addAction(from, { title: 'Still planned', tags: ['R1'], due: '2026-03-31' }, '2025-05-01', bank);
    addAction(from, { title: 'Under way', tags: ['R2'] }, '2025-05-01', bank);
    addAction(from, { title: 'Dropped one', tags: [] }, '2025-05-01', bank);
    updateAction(from, 'A1', { status: 'done' }, '2025-09-01', bank);
    updateAction(from, 'A3', { status: 'in-progress', note: 'Started' }, '2025-09-01', bank);
    updateAction(from, 'A4', { status: 'dropped' }, '2025-09-01', bank);
    return { bank, from };
  }

  it('copies unfinished actions with their ids, opened cycle and history', () => {
    const { from } = previous();
    const to = cycleWith('2026-27');
    const result = carryForwardActions(from, to);
    expect(result).toEqual({ carried: ['A2', 'A3'], alreadyThere: [], renumbered: [] });
    expect(to.actions.map((a) => [a.id, a.opened, a.status])).toEqual([
      ['A2', '2025-26', 'planned'],
      ['A3', '2025-26', 'in-progress'],
    ]);
    expect(to.actions[1]?.history).toEqual(from.actions[2]?.history);
    // a copy, not the same object: changing the new cycle leaves the old one alone
    to.actions[0]!.title = 'Changed';
    expect(from.actions[1]?.title).toBe('Still planned');
  });

  it('does not duplicate when carried twice, and new ids in the later cycle stay unique', () => {
    const { bank, from } = previous();
    const to = cycleWith('2026-27', bank);
    carryForwardActions(from, to);
    const again = carryForwardActions(from, to);
    expect(again).toEqual({ carried: [], alreadyThere: ['A2', 'A3'], renumbered: [] });
    expect(to.actions).toHaveLength(2);
    const added = addAction(to, { title: 'New this year', tags: [] }, TODAY, bank);
    expect(added.id).toBe('A4');
    expect(added.opened).toBe('2026-27');
  });

  it("keeps carried ids and moves the later cycle's own clashing action to a free id", () => {
    const { bank, from } = previous();
    const to = cycleWith('2026-27', bank);
    addAction(to, { title: 'Added before carrying', tags: [] }, TODAY, bank);
    addAction(to, { title: 'Also before', tags: [] }, TODAY, bank);
    const result = carryForwardActions(from, to);
    expect(result.carried).toEqual(['A2', 'A3']);
    expect(result.renumbered).toEqual([{ from: 'A2', to: 'A5' }]);
    expect(to.actions.map((a) => [a.id, a.title])).toEqual([
      ['A1', 'Added before carrying'],
      ['A2', 'Still planned'],
      ['A3', 'Under way'],
      ['A5', 'Also before'],
    ]);
    // carrying again changes nothing
    expect(carryForwardActions(from, to)).toEqual({
      carried: [],
      alreadyThere: ['A2', 'A3'],
      renumbered: [],
    });
    expect(to.actions).toHaveLength(4);
  });

  it('carries across two boundaries keeping the first opened cycle', () => {
    const { bank, from } = previous();
    const middle = cycleWith('2026-27', bank);
    carryForwardActions(from, middle);
    updateAction(middle, 'A2', { status: 'done' }, TODAY, bank);
    const last = cycleWith('2027-28', bank);
    carryForwardActions(middle, last);
    expect(last.actions.map((a) => [a.id, a.opened])).toEqual([['A3', '2025-26']]);
    expect(nextActionId(last)).toBe('A4');
  });
});

describe('recommendationsMentioned', () => {
  const known = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6'];
  it.each([
    ['We will focus on R3.', ['R3']],
    ['Recommendation 4, then R1', ['R4', 'R1']],
    ['Recommendations 2, 3 and 6', ['R2', 'R3', 'R6']],
    ['R1–R3 this year', ['R1', 'R2', 'R3']],
    ['r5 and R2 and R5 again', ['R5', 'R2']],
    ['R9 and Recommendation 12 are not in the guide', []],
    ['Our budget for 2026 is fixed; no Recommendation chosen yet', []],
    ['FR1 forms and PR2 are not recommendations', []],
  ])('%j → %j', (text, expected) => {
    expect(recommendationsMentioned(text, known)).toEqual(expected);
  });
});

describe('nextCyclePlanSeed', () => {
  it('reads the focus from the built-in Review question and offers the open actions', () => {
    const bank = builtinBank;
    const prev = newCycle('2025-26', 'Exampleshire County Council', bank);
    prev.answers['review.reflect.next-recommendation'] = {
      status: 'answered',
      text: ['Recommendation 3 first: family group conferences.', 'Then R5, if the budget allows.'],
      changed: '2026-03-01',
    };
    addAction(prev, { title: 'Open', tags: ['R3'] }, '2025-06-01', bank);
    addAction(prev, { title: 'Finished', tags: [] }, '2025-06-01', bank);
    updateAction(prev, 'A2', { status: 'done' }, '2025-09-01', bank);
    const seed = nextCyclePlanSeed(prev, bank);
    expect(seed.focus).toEqual(['R3', 'R5']);
    expect(seed.openActions.map((a) => a.id)).toEqual(['A1']);
  });

  it('gives an empty focus when the question was not answered', () => {
    const bank = fixtureBank();
    expect(nextCyclePlanSeed(cycleWith('c1', bank), bank)).toEqual({ focus: [], openActions: [] });
  });

  it('finds the answer under an id the bank has since renamed', () => {
    const bank = { ...fixtureBank(), renamed: { 'review.old-next': 'review.next' } };
    const prev = cycleWith('c1', bank);
    prev.answers['review.old-next'] = { status: 'answered', text: ['R6'], changed: '2026-01-01' };
    expect(nextCyclePlanSeed(prev, bank).focus).toEqual(['R6']);
  });
});
