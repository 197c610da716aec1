import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenBank } from '../src/core/bank.ts';
import {
  assertCycleId,
  carryForwardAnswers,
  compareCycleIds,
  confirmCarried,
  isValidCycleId,
  newCycle,
  orphanAnswerIds,
  serializeCycle,
  setAnswer,
  textToLines,
} from '../src/core/cycle.ts';
import { parseCycleText } from '../src/core/cycle-validate.ts';
import { findHelpTopic } from '../src/core/help-topics.ts';
import { planItems, resumeIndex, suggestCycleId, suggestPriorities } from '../src/core/interview-plan.ts';
import { locateJsonPath } from '../src/core/json-text.ts';
import type { Bank } from '../src/core/types.ts';
import { loadBuiltinBank } from '../src/generated/banks.ts';

const bank = (await loadBuiltinBank('reflective-tool')) as Bank;

describe('cycle ids', () => {
  it('sort naturally: numbers by value, as the ICU collator does for the ids people use', () => {
    const year = fc.integer({ min: 1990, max: 2099 });
    const realistic = fc.oneof(
      year.map((y) => `${y}-${String((y + 1) % 100).padStart(2, '0')}`),
      fc.tuple(year, fc.integer({ min: 1, max: 12 })).map(([y, q]) => `${y}-q${q}`),
      fc.tuple(fc.constantFrom('cycle', 'Cycle', 'review'), fc.nat(200)).map(([w, n]) => `${w}${n}`),
    );
    const icu = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    fc.assert(
      fc.property(realistic, realistic, (a, b) => {
        const theirs = Math.sign(icu.compare(a, b));
        if (theirs !== 0) expect(Math.sign(compareCycleIds(a, b))).toBe(theirs);
      }),
      { numRuns: 3000 },
    );
    const any = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,12}$/);
    fc.assert(
      fc.property(any, any, (a, b) => {
        // `+ 0` turns -0 into 0: equal ids compare as 0 both ways
        expect(Math.sign(compareCycleIds(b, a)) + 0).toBe(-Math.sign(compareCycleIds(a, b)) + 0);
        if (a !== b) expect(compareCycleIds(a, b)).not.toBe(0);
      }),
      { numRuns: 3000 },
    );
    expect(['2026-q10', '2025-26', '2026-q2', '2026-27'].sort(compareCycleIds)).toEqual([
      '2025-26',
      '2026-27',
      '2026-q2',
      '2026-q10',
    ]);
  });

  it.each(['CON', 'con', 'Prn', 'aux', 'NUL', 'COM0', 'com9', 'COM1', 'LPT0', 'lpt9', 'LPT1'])(
    'refuses the Windows device name %s, saying so',
    (id) => {
      expect(isValidCycleId(id)).toBe(false);
      expect(() => assertCycleId(id)).toThrow(
        /is the name of a Windows device .*Windows cannot store a file/,
      );
    },
  );

  it('the rule in help cycles is the rule the code applies (no dots)', () => {
    const cyclesHelp = findHelpTopic('cycles')?.text ?? '';
    expect(isValidCycleId('2026.27')).toBe(false);
    expect(() => assertCycleId('2026.27')).toThrow(/no dots/);
    expect(cyclesHelp).toMatch(/no dots/);
    expect(cyclesHelp).not.toMatch(/digits, dots/);
    expect(cyclesHelp).toMatch(/COM0-COM9, LPT0-LPT9/);
  });

  it('accepts short path-safe ids and refuses everything else', () => {
    for (const ok of ['2025-26', '2026-q1', 'demo', 'A_1']) expect(isValidCycleId(ok), ok).toBe(true);
    for (const bad of ['', '../x', 'a b', '.hidden', 'x.json', 'con', 'a/b', 'a\\b', '-x', 'x'.repeat(65)]) {
      expect(isValidCycleId(bad), bad).toBe(false);
    }
  });
  it('suggests the financial year of today', () => {
    expect(suggestCycleId('2026-01-15', [])).toBe('2025-26');
    expect(suggestCycleId('2026-04-01', [])).toBe('2026-27');
    expect(suggestCycleId('2026-04-01', ['2026-27'])).toBe('2026-27-q1');
    expect(suggestCycleId('2026-12-06', ['2026-27'])).toBe('2026-27-q3');
    expect(suggestCycleId('2027-02-01', ['2026-27'])).toBe('2026-27-q4');
    expect(suggestCycleId('2027-02-01', ['2026-27', '2026-27-q4'])).toBe('2027-28');
  });
});

describe('answers', () => {
  it('stores text as lines without CRs, trailing spaces or blank edges', () => {
    expect(textToLines('\r\n a  \r\nb\rc\n\n')).toEqual([' a', 'b', 'c']);
    expect(textToLines('   \n')).toEqual([]);
  });

  it('moves the changed date only when the answer changes', () => {
    const c = newCycle('c1', 'Exampleshire County Council', bank);
    expect(
      setAnswer(c, 'assess.carers.couples', { status: 'answered', text: ['Mostly couples.'] }, '2026-01-01'),
    ).toBe(true);
    expect(
      setAnswer(c, 'assess.carers.couples', { status: 'answered', text: ['Mostly couples.'] }, '2026-02-01'),
    ).toBe(false);
    expect(c.answers['assess.carers.couples']?.changed).toBe('2026-01-01');
    expect(
      setAnswer(
        c,
        'assess.carers.couples',
        { status: 'answered', text: ['Mostly couples.'], rating: 'green' },
        '2026-03-01',
      ),
    ).toBe(true);
    expect(c.answers['assess.carers.couples']?.changed).toBe('2026-03-01');
  });

  it('carries forward unconfirmed answers and confirms them', () => {
    const a = newCycle('2025-26', 'Exampleshire County Council', bank);
    setAnswer(a, 'assess.carers.couples', { status: 'answered', text: ['x'], rating: 'red' }, '2025-06-01');
    a.answers['retired.item'] = { status: 'answered', text: ['kept'], changed: '2025-06-01' };
    const b = newCycle('2026-27', 'Exampleshire County Council', bank);
    expect(carryForwardAnswers(a, b, bank)).toBe(1);
    expect(b.answers['assess.carers.couples']).toEqual({
      status: 'answered',
      text: ['x'],
      rating: 'red',
      carried: '2025-26',
      changed: '2025-06-01',
    });
    expect(confirmCarried(b, 'assess.carers.couples', '2026-05-01')).toBe(true);
    expect(b.answers['assess.carers.couples']).toEqual({
      status: 'answered',
      text: ['x'],
      rating: 'red',
      changed: '2026-05-01',
    });
    expect(orphanAnswerIds(a, bank)).toEqual(['retired.item']);
  });
});

describe('serializeCycle', () => {
  it('writes answers in bank order with unknown ones kept at the end, LF and a final newline', () => {
    const c = newCycle('c1', 'Exampleshire County Council', bank);
    c.answers.zzz = { status: 'answered', text: ['orphan'], changed: '2026-01-01' };
    setAnswer(c, 'review.reflect.theory-of-change', { status: 'skipped' }, '2026-01-01');
    setAnswer(c, 'assess.carers.demographics', { status: 'answered', text: ['a', 'b'] }, '2026-01-01');
    const text = serializeCycle(c, bank);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).not.toContain('\r');
    const keys = Object.keys((JSON.parse(text) as { answers: object }).answers);
    expect(keys[0]).toBe('assess.carers.demographics');
    expect(keys.at(-1)).toBe('zzz');
    expect(serializeCycle(JSON.parse(text), bank)).toBe(text);
  });

  it('changing one line of a five-line answer changes one line of the file', () => {
    const c = newCycle('c1', 'Exampleshire County Council', bank);
    const lines = ['one', 'two', 'three', 'four', 'five'];
    setAnswer(c, 'assess.carers.demographics', { status: 'answered', text: lines }, '2026-01-01');
    const before = serializeCycle(c, bank).split('\n');
    setAnswer(
      c,
      'assess.carers.demographics',
      { status: 'answered', text: ['one', 'two', 'THREE', 'four', 'five'] },
      '2026-01-01',
    );
    const after = serializeCycle(c, bank).split('\n');
    expect(after.length).toBe(before.length);
    expect(after.filter((l, i) => l !== before[i])).toEqual(['        "THREE",']);
  });
});

describe('parseCycleText', () => {
  const good = () => {
    const c = newCycle('c1', 'Exampleshire County Council', bank);
    setAnswer(c, 'assess.carers.demographics', { status: 'answered', text: ['a'] }, '2026-01-01');
    return serializeCycle(c, bank);
  };
  it('accepts a valid file', () => {
    expect(parseCycleText(good(), 'c1.json', bank).problems).toEqual([]);
  });
  it('places a syntax error at its line and column', () => {
    const text = good().replace('"answered"', '"answered",,');
    const { problems } = parseCycleText(text, 'c1.json', bank);
    expect(problems[0]?.line).toBeGreaterThan(1);
    expect(problems[0]?.message).toContain('not valid JSON');
  });
  it('says a truncated file ends too early', () => {
    const text = good().slice(0, 100);
    expect(parseCycleText(text, 'c1.json').problems[0]?.message).toContain('ends too early');
  });
  it('names the item and the allowed statuses', () => {
    const text = good().replace('"status": "answered"', '"status": "in-place"');
    const { problems } = parseCycleText(text, 'c1.json', bank);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ item: 'assess.carers.demographics', line: 12, column: 17 });
    expect(problems[0]?.message).toContain('allowed: answered, needs-data, skipped');
  });
  it('refuses a newer format with advice to upgrade', () => {
    const text = good().replace('"format": 1', '"format": 2');
    expect(parseCycleText(text, 'c1.json').problems[0]?.message).toMatch(/newer version.*Upgrade/);
  });
  it('refuses __proto__ keys without polluting prototypes', () => {
    const text = good().replace('"answers": {', '"answers": {\n "__proto__": {"polluted": true},');
    const { problems } = parseCycleText(text, 'c1.json');
    expect(problems.length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('locates JSON paths', () => {
    expect(locateJsonPath('{\n  "a": [1, {"b": 2}]\n}', ['a', 1, 'b'])).toEqual({ line: 2, column: 18 });
  });
});

describe('interview plan', () => {
  it('walks only the chosen Recommendations plus the cross-cutting section in Plan', () => {
    const items = planItems(bank, { stage: 'plan', recommendations: ['R2'] });
    const sections = new Set(items.map((i) => i.sectionId));
    expect([...sections]).toEqual(['r2', 'all']);
    expect(items.every((i) => i.kind !== 'prompt')).toBe(true);
  });
  it('filters by effective tag', () => {
    const items = planItems(bank, { stage: 'assess', tag: 'R6' });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.effectiveTags.includes('R6'))).toBe(true);
  });
  it('resumes at the first unconfirmed item', () => {
    const c = newCycle('c1', 'Exampleshire County Council', bank);
    const items = planItems(bank, { stage: 'assess' });
    setAnswer(c, items[0]!.id, { status: 'skipped' }, '2026-01-01');
    c.answers[items[1]!.id] = { status: 'answered', text: ['x'], carried: 'c0', changed: '2025-01-01' };
    expect(resumeIndex(items, c)).toBe(1);
  });
  it('suggests Recommendations whose Assess items are red, amber or need data', () => {
    const c = newCycle('c1', 'Exampleshire County Council', bank);
    const r6 = flattenBank(bank).filter((i) => i.stage === 'assess' && i.effectiveTags.includes('R6'));
    setAnswer(c, r6[0]!.id, { status: 'answered', text: ['x'], rating: 'red' }, '2026-01-01');
    setAnswer(c, r6[1]!.id, { status: 'answered', text: ['x'], rating: 'green' }, '2026-01-01');
    const s = suggestPriorities(bank, c);
    expect(s[0]).toMatchObject({ recommendation: 'R6', red: 1, score: 2 });
    expect(s[1]?.score).toBe(0);
    expect(s[1]?.recommendation).toBe('R1');
  });
});
