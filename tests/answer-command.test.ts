import { afterEach, describe, expect, it } from 'vitest';
import { answer } from '../src/commands/answer.ts';
import { UsageError } from '../src/core/errors.ts';
import { readCycle } from '../src/shell/cycle-store.ts';
import { makeWorkspace, type TestWorkspace } from './helpers/workspace.ts';

let t: TestWorkspace | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

describe('answer', () => {
  it('writes one answer from --text, creating the cycle', async () => {
    t = await makeWorkspace({ report: false });
    await answer(
      { 'item-id': 'assess.carers.couples', cycle: '2026-27', text: 'Mostly couples.', rating: 'green' },
      t.ctx,
    );
    const c = await readCycle(t.ws, '2026-27');
    expect(c.answers['assess.carers.couples']).toEqual({
      status: 'answered',
      text: ['Mostly couples.'],
      rating: 'green',
      changed: '2026-01-15',
    });
    expect(t.err()).toContain('Saved assess.carers.couples in cycle 2026-27 (answered, 1 line)');
  });

  it('reads the text from stdin when it is not a terminal', async () => {
    t = await makeWorkspace({ report: false, stdin: 'Line one\r\nLine two\n' });
    await answer({ 'item-id': 'assess.carers.couples', cycle: 'c1' }, t.ctx);
    expect((await readCycle(t.ws, 'c1')).answers['assess.carers.couples']?.text).toEqual([
      'Line one',
      'Line two',
    ]);
  });

  it('unknown ids, prompts, and statuses that do not fit are usage errors that list what is valid', async () => {
    t = await makeWorkspace({ report: false });
    const unknown = await failure(
      answer({ 'item-id': 'assess.carers.coupels', cycle: 'c1', text: 'x' }, t.ctx),
    );
    expect(unknown).toBeInstanceOf(UsageError);
    expect(unknown.message).toContain('Did you mean: assess.carers.couples');
    const prompt = await failure(answer({ 'item-id': 'plan.r1.knowledge', cycle: 'c1', text: 'x' }, t.ctx));
    expect(prompt.message).toMatch(/lead-in.*plan\.r1\.knowledge\.practical/);
    const status = await failure(
      answer({ 'item-id': 'plan.r1.coordination', cycle: 'c1', status: 'answered' }, t.ctx),
    );
    expect(status.message).toContain('Valid statuses: not-started, planned, in-place, not-applicable');
    const noText = await failure(answer({ 'item-id': 'assess.carers.couples', cycle: 'c1' }, t.ctx));
    expect(noText.message).toContain('an answer needs some text');
    const badId = await failure(
      answer({ 'item-id': 'assess.carers.couples', cycle: '../x', text: 'x' }, t.ctx),
    );
    expect(badId.message).toContain('cannot be used as a cycle id');
  });

  it('marks needs-data and checklist statuses', async () => {
    t = await makeWorkspace({ report: false });
    await answer({ 'item-id': 'assess.carers.gaps', cycle: 'c1', needs: 'Waiting-list data' }, t.ctx);
    await answer(
      { 'item-id': 'plan.r1.coordination', cycle: 'c1', status: 'planned', text: 'Joint panel from April.' },
      t.ctx,
    );
    const c = await readCycle(t.ws, 'c1');
    expect(c.answers['assess.carers.gaps']).toMatchObject({
      status: 'needs-data',
      needs: ['Waiting-list data'],
    });
    expect(c.answers['plan.r1.coordination']).toMatchObject({
      status: 'planned',
      text: ['Joint panel from April.'],
    });
  });

  it('warns on stderr, never echoing the value, when the text looks like personal data', async () => {
    t = await makeWorkspace({ report: false });
    await answer(
      {
        'item-id': 'assess.carers.couples',
        cycle: 'c1',
        text: 'Contact carer@example.com about Mrs Testington.',
      },
      t.ctx,
    );
    expect(t.err()).toMatch(/warning: line 1: possible e-?mail/i);
    expect(t.err()).not.toContain('carer@example.com');
  });
});
