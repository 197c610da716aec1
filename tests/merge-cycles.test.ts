/**
 * The three-way merge of cycle files (the git merge driver's core): unit cases and a property test
 * over random base/ours/theirs cycles.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerableIds } from '../src/core/cycle.ts';
import { actionFingerprint, answerFingerprint } from '../src/core/fingerprint.ts';
import { mergeCycles, mergeLines } from '../src/core/merge-cycles.ts';
import type { Answer, CycleFile } from '../src/core/types.ts';
import { arbitraryAnswer, arbitraryCycle, arbitraryLines } from './helpers/arbitrary-cycle.ts';
import { fixtureBank, fixtureCycle } from './helpers/fixture-bank.ts';

const bank = fixtureBank();
const ids = answerableIds(bank);
const RUNS = Number(process.env.KR_FC_RUNS ?? 1000);
const TIMEOUT = process.env.KR_FC_RUNS ? 1_800_000 : 120_000;

describe('mergeLines (diff3)', () => {
  const base = ['one', 'two', 'three', 'four', 'five'];
  it('merges changes to different lines of one text', () => {
    expect(
      mergeLines(base, ['ONE', 'two', 'three', 'four', 'five'], ['one', 'two', 'three', 'four', 'FIVE']),
    ).toEqual(['ONE', 'two', 'three', 'four', 'FIVE']);
  });
  it('a change to the same line on both sides is a conflict; the same change is not', () => {
    expect(typeof mergeLines(base, ['one', 'TWO'], ['one', 'Two'])).toBe('symbol');
    expect(mergeLines(base, ['x', ...base], ['x', ...base])).toEqual(['x', ...base]);
  });
});

describe('mergeCycles', () => {
  const base = fixtureCycle(bank);
  const [a, b] = Object.keys(base.answers) as [string, string];

  it('different items on each side merge cleanly', () => {
    const ours = structuredClone(base);
    const theirs = structuredClone(base);
    (ours.answers[a] as Answer).text = ['Ours.'];
    (theirs.answers[b] as Answer).rating = 'red';
    const { cycle, conflicts } = mergeCycles(base, ours, theirs);
    expect(conflicts).toEqual([]);
    expect(cycle.answers[a]?.text).toEqual(['Ours.']);
    expect(cycle.answers[b]?.rating).toBe('red');
  });

  it('the same answer: a status on one side and a text on the other merge field by field', () => {
    const ours = structuredClone(base);
    const theirs = structuredClone(base);
    (ours.answers[a] as Answer).rating = 'green';
    (theirs.answers[a] as Answer).text = [
      ...((base.answers[a] as Answer).text ?? []),
      'Added by a colleague.',
    ];
    const { cycle, conflicts } = mergeCycles(base, ours, theirs);
    expect(conflicts).toEqual([]);
    expect(cycle.answers[a]).toMatchObject({
      rating: 'green',
      text: expect.arrayContaining(['Added by a colleague.']),
    });
  });

  it('the same line changed differently is a conflict with both versions and the base; ours stays in place', () => {
    const ours = structuredClone(base);
    const theirs = structuredClone(base);
    (ours.answers[a] as Answer).text = ['Ours.'];
    (theirs.answers[a] as Answer).text = ['Theirs.'];
    const { cycle, conflicts } = mergeCycles(base, ours, theirs);
    expect(conflicts).toEqual([
      {
        kind: 'answer',
        key: `answer:${a}`,
        id: a,
        ours: ours.answers[a],
        theirs: theirs.answers[a],
        base: base.answers[a],
      },
    ]);
    expect(cycle.answers[a]).toEqual(ours.answers[a]);
  });

  it('actions: history added on both sides is kept, in date order', () => {
    const ours = structuredClone(base);
    const theirs = structuredClone(base);
    ours.actions[0]?.history.push({ date: '2026-03-01', status: 'in-progress' });
    theirs.actions[0]?.history.push({ date: '2026-02-01', status: 'in-progress', note: 'started' });
    const { cycle, conflicts } = mergeCycles(base, ours, theirs);
    expect(conflicts).toEqual([]);
    expect(cycle.actions[0]?.history.slice(-2).map((h) => h.date)).toEqual(['2026-02-01', '2026-03-01']);
  });
});

type Change = 'none' | 'ours' | 'theirs' | 'both';

/** A base cycle, and for each answerable item who changes it and to what. */
const scenario = fc.record({
  base: arbitraryCycle(bank),
  changes: fc.array(fc.constantFrom<Change>('none', 'ours', 'theirs', 'both'), {
    minLength: ids.length,
    maxLength: ids.length,
  }),
  oursAnswers: fc.array(fc.option(arbitraryAnswer('any'), { nil: undefined }), {
    minLength: ids.length,
    maxLength: ids.length,
  }),
  theirsAnswers: fc.array(fc.option(arbitraryAnswer('any'), { nil: undefined }), {
    minLength: ids.length,
    maxLength: ids.length,
  }),
  oursRationale: arbitraryLines,
  theirsTitle: fc.string({ maxLength: 20 }),
});

function sides(
  s: fc.Arbitrary<unknown> extends never ? never : typeof scenario extends fc.Arbitrary<infer T> ? T : never,
) {
  const ours: CycleFile = structuredClone(s.base);
  const theirs: CycleFile = structuredClone(s.base);
  const setAnswer = (c: CycleFile, id: string, v: Answer | undefined) => {
    if (v === undefined) delete c.answers[id];
    else c.answers[id] = v;
  };
  ids.forEach((id, i) => {
    const change = s.changes[i] as Change;
    if (change === 'ours' || change === 'both') setAnswer(ours, id, s.oursAnswers[i]);
    if (change === 'theirs' || change === 'both') setAnswer(theirs, id, s.theirsAnswers[i]);
  });
  if (ours.priorities[0]) ours.priorities[0].rationale = s.oursRationale;
  if (theirs.actions[0]) theirs.actions[0].title = s.theirsTitle;
  return { ours, theirs };
}

describe('merge properties', () => {
  it(
    'keeps every item changed on one side only, and is symmetric up to the ours/theirs labels',
    () => {
      let runs = 0;
      fc.assert(
        fc.property(scenario, (s) => {
          runs++;
          const { ours, theirs } = sides(s);
          const forward = mergeCycles(s.base, ours, theirs);
          const backward = mergeCycles(s.base, theirs, ours);
          ids.forEach((id, i) => {
            const change = s.changes[i] as Change;
            const merged = forward.cycle.answers[id];
            if (change === 'ours')
              expect(answerFingerprint(merged)).toBe(answerFingerprint(ours.answers[id]));
            if (change === 'theirs')
              expect(answerFingerprint(merged)).toBe(answerFingerprint(theirs.answers[id]));
            if (change === 'none')
              expect(answerFingerprint(merged)).toBe(answerFingerprint(s.base.answers[id]));
          });
          if (ours.priorities[0]) expect(forward.cycle.priorities[0]?.rationale).toEqual(s.oursRationale);
          if (theirs.actions[0])
            expect(actionFingerprint(forward.cycle.actions[0])).toBe(actionFingerprint(theirs.actions[0]));
          // symmetric: the same conflicts with the sides swapped, the same merged items elsewhere
          expect(backward.conflicts.map((c) => c.key)).toEqual(forward.conflicts.map((c) => c.key));
          forward.conflicts.forEach((c, i) => {
            const d = backward.conflicts[i];
            expect(d?.ours).toEqual(c.theirs);
            expect(d?.theirs).toEqual(c.ours);
          });
          const conflicted = new Set(forward.conflicts.map((c) => c.id));
          const settled = (c: CycleFile) =>
            Object.fromEntries(Object.entries(c.answers).filter(([id]) => !conflicted.has(id)));
          expect(settled(backward.cycle)).toEqual(settled(forward.cycle));
          if (!conflicted.has('order'))
            expect(backward.cycle.priorities.map((p) => p.recommendation)).toEqual(
              forward.cycle.priorities.map((p) => p.recommendation),
            );
        }),
        { numRuns: RUNS },
      );
      expect(runs).toBeGreaterThanOrEqual(RUNS);
    },
    TIMEOUT,
  );
});
