import { describe, expect, it } from 'vitest';
import {
  answerFromFlags,
  answerStatusFromFlags,
  answerTakesText,
  withPrevious,
} from '../src/core/answer-flags.ts';
import type { Answer } from '../src/core/types.ts';

const question = { id: 'assess.q', kind: 'question' as const };
const checklist = { id: 'plan.c', kind: 'checklist' as const };

describe('answerStatusFromFlags', () => {
  it('answered by default, needs-data with --needs, as told with --status', () => {
    expect(answerStatusFromFlags(question, {})).toEqual({ ok: true, value: 'answered' });
    expect(answerStatusFromFlags(question, { needs: 'x' })).toEqual({ ok: true, value: 'needs-data' });
    expect(answerStatusFromFlags(checklist, { status: 'in-place' })).toEqual({ ok: true, value: 'in-place' });
  });

  it('says what is wrong: a status of the other kind, a checklist without one, --needs or --rating misused', () => {
    expect(answerStatusFromFlags(question, { status: 'planned' })).toEqual({
      ok: false,
      problems: [
        '--status "planned" does not fit this question item. Valid statuses: answered, needs-data, skipped.',
      ],
    });
    expect(answerStatusFromFlags(checklist, {})).toEqual({
      ok: false,
      problems: [
        '"plan.c" is a checklist item: give --status (not-started, planned, in-place, not-applicable).',
      ],
    });
    expect(answerStatusFromFlags(question, { status: 'skipped', needs: 'x', rating: 'pink' })).toEqual({
      ok: false,
      problems: ['--needs goes with --status needs-data.', '--rating must be one of: red, amber, green.'],
    });
  });
});

describe('answerTakesText', () => {
  it('an answer or any checklist item takes text; a skip or a needs-data does not', () => {
    expect(answerTakesText(question, 'answered')).toBe(true);
    expect(answerTakesText(checklist, 'planned')).toBe(true);
    expect(answerTakesText(question, 'skipped')).toBe(false);
    expect(answerTakesText(question, 'needs-data')).toBe(false);
  });
});

describe('answerFromFlags and withPrevious', () => {
  const previous: Answer = {
    status: 'answered',
    text: ['old'],
    rating: 'amber',
    evidence: ['report.pdf'],
    changed: '2026-01-01',
  };

  it('an answer needs text, and needs-data says what is needed', () => {
    expect(answerFromFlags('answered', {}, '  \n')).toMatchObject({ ok: false });
    expect(answerFromFlags('needs-data', { needs: '' }, undefined)).toEqual({
      ok: false,
      problems: ['say what data is needed: --needs "…".'],
    });
  });

  it('keeps from the previous answer what the flags leave out', () => {
    const draft = answerFromFlags('needs-data', { needs: 'Ask finance' }, undefined);
    if (!draft.ok) throw new Error('refused');
    expect(withPrevious(draft.value, previous)).toEqual({
      status: 'needs-data',
      text: ['old'],
      needs: ['Ask finance'],
      rating: 'amber',
      evidence: ['report.pdf'],
    });
    const fresh = answerFromFlags('answered', { rating: 'green' }, 'new\ntext');
    if (!fresh.ok) throw new Error('refused');
    expect(withPrevious(fresh.value, previous)).toEqual({
      status: 'answered',
      text: ['new', 'text'],
      needs: undefined,
      rating: 'green',
      evidence: ['report.pdf'],
    });
  });
});
