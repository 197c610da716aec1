/**
 * import is three-way and per item: what the report did not change is never reverted or removed,
 * whatever happened to it in the cycle since the report was written (issue #13).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { actionsAdd } from '../src/commands/actions.ts';
import { answer } from '../src/commands/answer.ts';
import { exportReport } from '../src/commands/export.ts';
import { importReport } from '../src/commands/import.ts';
import { answerableItems } from '../src/core/bank.ts';
import { readCycle, updateCycle } from '../src/shell/cycle-store.ts';
import { ScriptPrompter } from './helpers/script-prompter.ts';
import { makeWorkspace, TEST_TODAY, type TestWorkspace } from './helpers/workspace.ts';

let t: TestWorkspace | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

const CYCLE = '2025-26';

async function setup(opts: { tty?: boolean } = {}): Promise<{ t: TestWorkspace; q: string[] }> {
  t = await makeWorkspace(opts);
  const q = answerableItems(t.ws.bank)
    .filter((i) => i.kind === 'question')
    .slice(0, 4)
    .map((i) => i.id);
  return { t, q };
}

function reportFile(t: TestWorkspace, name = `${CYCLE}.md`): string {
  return path.join(t.dir, name);
}

/** The report with one answer's text replaced (the fenced block under the item's marker). */
function editAnswer(report: string, id: string, from: string, to: string): string {
  const at = report.indexOf(`<!-- item: ${id} -->`);
  const end = report.indexOf('<!-- item: ', at + 1);
  const block = report.slice(at, end === -1 ? undefined : end);
  if (!block.includes(from)) throw new Error(`"${from}" is not in the block of ${id}`);
  return report.slice(0, at) + block.replace(from, to) + (end === -1 ? '' : report.slice(end));
}

/** Fill the empty block of an unanswered item. */
function fillAnswer(report: string, id: string, text: string): string {
  const at = report.indexOf(`<!-- item: ${id} -->`);
  const empty = report.indexOf('```text\n```', at);
  return `${report.slice(0, empty)}\`\`\`text\n${text}\n\`\`\`${report.slice(empty + '```text\n```'.length)}`;
}

describe('import of an out-of-date report (the data-loss bug)', () => {
  it('keeps an answer saved after the report was edited: answer A, edit the report, answer B, import', async () => {
    const { t, q } = await setup();
    const [a, b] = q as [string, string];
    await answer({ 'item-id': a, cycle: CYCLE, text: 'A as first written.' }, t.ctx);
    const file = reportFile(t);
    await writeFile(
      file,
      editAnswer(await readFile(file, 'utf8'), a, 'A as first written.', 'A, edited in the report.'),
    );
    await answer({ 'item-id': b, cycle: CYCLE, text: 'B, saved after the report was edited.' }, t.ctx);
    expect(t.err()).toMatch(/edited by hand[\s\S]*import/);
    expect(await importReport({ file: `${CYCLE}.md`, yes: true }, t.ctx)).toBeUndefined();
    const cycle = await readCycle(t.ws, CYCLE);
    expect(cycle.answers[a]?.text).toEqual(['A, edited in the report.']);
    expect(cycle.answers[b]).toEqual({
      status: 'answered',
      text: ['B, saved after the report was edited.'],
      changed: TEST_TODAY,
    });
    expect(t.out()).not.toMatch(/removed/);
  });

  it('an exported copy edited during the session brings in only its edit; answers saved meanwhile stay', async () => {
    const { t, q } = await setup();
    await answer({ 'item-id': q[0] as string, cycle: CYCLE, text: 'First.' }, t.ctx);
    await exportReport({ cycle: CYCLE, out: 'copy.md' }, t.ctx);
    for (const [i, id] of q.slice(1).entries())
      await answer({ 'item-id': id, cycle: CYCLE, text: `Saved later ${i}.` }, t.ctx);
    // and one answer changed after the export too, which the copy still shows as it was
    await answer({ 'item-id': q[0] as string, cycle: CYCLE, text: 'First, revised in the cycle.' }, t.ctx);
    const copy = reportFile(t, 'copy.md');
    await writeFile(
      copy,
      fillAnswer(await readFile(copy, 'utf8'), q[3] as string, 'typed in the copy').replace(
        'Saved later',
        'x',
      ),
    );
    const before = await readCycle(t.ws, CYCLE);
    // q[3] was answered in the cycle after the export AND typed into the copy: a conflict
    expect(await importReport({ file: 'copy.md', yes: true }, t.ctx)).toBe(1);
    expect(await readCycle(t.ws, CYCLE)).toEqual(before);
    expect(t.err()).toMatch(/Nothing was saved: 1 conflict[\s\S]*--prefer cycle/);
    expect(t.out()).toContain('In the cycle now');
    expect(t.out()).toContain('Saved later 2.');
    expect(t.out()).toContain('typed in the copy');
    await importReport({ file: 'copy.md', yes: true, prefer: 'report' }, t.ctx);
    const after = await readCycle(t.ws, CYCLE);
    expect(after.answers[q[0] as string]?.text).toEqual(['First, revised in the cycle.']);
    expect(after.answers[q[1] as string]?.text).toEqual(['Saved later 0.']);
    expect(after.answers[q[2] as string]?.text).toEqual(['Saved later 1.']);
    expect(after.answers[q[3] as string]?.text).toEqual(['typed in the copy']);
  });
});

describe('conflicts', () => {
  async function conflicted(opts: { tty?: boolean } = {}) {
    const { t, q } = await setup(opts);
    const a = q[0] as string;
    await answer({ 'item-id': a, cycle: CYCLE, text: 'Base text.', rating: 'amber' }, t.ctx);
    await exportReport({ cycle: CYCLE, out: 'copy.md' }, t.ctx);
    const copy = reportFile(t, 'copy.md');
    await writeFile(copy, editAnswer(await readFile(copy, 'utf8'), a, 'Base text.', 'The report says this.'));
    await answer({ 'item-id': a, cycle: CYCLE, text: 'The cycle says this.', rating: 'amber' }, t.ctx);
    return { t, a };
  }

  it('without a terminal: lists both versions side by side, saves nothing, exit 1', async () => {
    const { t, a } = await conflicted();
    const before = await readFile(path.join(t.dir, `${CYCLE}.json`), 'utf8');
    expect(await importReport({ file: 'copy.md', yes: true }, t.ctx)).toBe(1);
    expect(await readFile(path.join(t.dir, `${CYCLE}.json`), 'utf8')).toBe(before);
    const shown = t.out();
    expect(shown).toContain(`Answer to ${a}`);
    const row = shown.split('\n').find((l) => l.includes('The cycle says this.'));
    expect(row).toMatch(/The cycle says this\.\s+│\s+The report says this\./);
  });

  it('--prefer cycle keeps the cycle, --prefer report takes the report', async () => {
    const { t, a } = await conflicted();
    expect(await importReport({ file: 'copy.md', yes: true, prefer: 'cycle' }, t.ctx)).toBeUndefined();
    expect((await readCycle(t.ws, CYCLE)).answers[a]?.text).toEqual(['The cycle says this.']);
    expect(t.out()).toMatch(/No changes: cycle 2025-26 already matches copy\.md as you chose/);
    expect(await importReport({ file: 'copy.md', yes: true, prefer: 'report' }, t.ctx)).toBeUndefined();
    expect((await readCycle(t.ws, CYCLE)).answers[a]?.text).toEqual(['The report says this.']);
  });

  it('at a terminal: keep both texts, or edit one starting from both', async () => {
    const { t, a } = await conflicted({ tty: true });
    const both = new ScriptPrompter([
      { kind: 'select', message: 'Which version', pick: 'Keep both texts' },
      { kind: 'confirm', message: 'Save these changes', answer: true },
    ]);
    await importReport({ file: 'copy.md' }, t.ctx, { prompter: both });
    expect((await readCycle(t.ws, CYCLE)).answers[a]).toEqual({
      status: 'answered',
      text: ['The cycle says this.', '', 'The report says this.'],
      rating: 'amber',
      changed: TEST_TODAY,
    });
    expect(both.said.join('\n')).toMatch(/Conflict 1 of 1/);
    expect(both.remaining).toBe(0);
  });

  it('at a terminal: edit a text box filled with both texts', async () => {
    const { t, a } = await conflicted({ tty: true });
    const edit = new ScriptPrompter([
      { kind: 'select', message: 'Which version', pick: 'Edit' },
      { kind: 'multiline', answer: ['One text agreed by both.'] },
      { kind: 'confirm', message: 'Save these changes', answer: true },
    ]);
    await importReport({ file: 'copy.md' }, t.ctx, { prompter: edit });
    expect(edit.asked.find((p) => p.kind === 'multiline')?.initial).toEqual([
      'The cycle says this.',
      '',
      'The report says this.',
    ]);
    expect((await readCycle(t.ws, CYCLE)).answers[a]?.text).toEqual(['One text agreed by both.']);
  });

  it('at a terminal: Ctrl-C while choosing saves nothing', async () => {
    const { t } = await conflicted({ tty: true });
    const before = await readFile(path.join(t.dir, `${CYCLE}.json`), 'utf8');
    const p = new ScriptPrompter([{ interrupt: true }]);
    await expect(importReport({ file: 'copy.md' }, t.ctx, { prompter: p })).rejects.toThrow();
    expect(await readFile(path.join(t.dir, `${CYCLE}.json`), 'utf8')).toBe(before);
  });
});

describe('deletions', () => {
  it('"- Status: not answered" with an empty block removes an answer the cycle did not change since', async () => {
    const { t, q } = await setup();
    await answer({ 'item-id': q[0] as string, cycle: CYCLE, text: 'To be removed.' }, t.ctx);
    await answer({ 'item-id': q[1] as string, cycle: CYCLE, text: 'To stay.' }, t.ctx);
    const file = reportFile(t);
    const report = await readFile(file, 'utf8');
    const at = report.indexOf(`<!-- item: ${q[0]} -->`);
    const block = report.slice(at, report.indexOf('<!-- item: ', at + 1));
    const cleared = block
      .replace('- Status: answered', '- Status: not answered')
      .replace('To be removed.\n', '');
    await writeFile(file, report.replace(block, cleared));
    await importReport({ file: `${CYCLE}.md`, yes: true }, t.ctx);
    const cycle = await readCycle(t.ws, CYCLE);
    expect(cycle.answers[q[0] as string]).toBeUndefined();
    expect(cycle.answers[q[1] as string]?.text).toEqual(['To stay.']);
  });

  it('an item whose block is deleted from the report is left alone', async () => {
    const { t, q } = await setup();
    await answer({ 'item-id': q[0] as string, cycle: CYCLE, text: 'Still here.' }, t.ctx);
    const file = reportFile(t);
    const report = await readFile(file, 'utf8');
    const at = report.indexOf(`<!-- item: ${q[0]} -->`);
    const edited = report.slice(0, at) + report.slice(report.indexOf('<!-- item: ', at + 1));
    await writeFile(file, editAnswer(edited, q[1] as string, '```text\n```', '```text\nNew.\n```'));
    await importReport({ file: `${CYCLE}.md`, yes: true }, t.ctx);
    const cycle = await readCycle(t.ws, CYCLE);
    expect(cycle.answers[q[0] as string]?.text).toEqual(['Still here.']);
    expect(cycle.answers[q[1] as string]?.text).toEqual(['New.']);
  });

  it('a deletion in the report of an answer changed in the cycle since is a conflict', async () => {
    const { t, q } = await setup();
    await answer({ 'item-id': q[0] as string, cycle: CYCLE, text: 'Old.' }, t.ctx);
    await exportReport({ cycle: CYCLE, out: 'copy.md' }, t.ctx);
    await answer({ 'item-id': q[0] as string, cycle: CYCLE, text: 'Newer, in the cycle.' }, t.ctx);
    const copy = reportFile(t, 'copy.md');
    const report = await readFile(copy, 'utf8');
    await writeFile(
      copy,
      editAnswer(report, q[0] as string, '- Status: answered', '- Status: not answered').replace(
        'Old.\n',
        '',
      ),
    );
    expect(await importReport({ file: 'copy.md', yes: true }, t.ctx)).toBe(1);
    expect(t.out()).toContain('(no answer)');
    expect((await readCycle(t.ws, CYCLE)).answers[q[0] as string]?.text).toEqual(['Newer, in the cycle.']);
  });
});

describe('reports written before fingerprints', () => {
  async function legacyReport() {
    const { t, q } = await setup();
    await answer({ 'item-id': q[0] as string, cycle: CYCLE, text: 'Shown in the old report.' }, t.ctx);
    await exportReport({ cycle: CYCLE, out: 'old.md' }, t.ctx);
    const old = reportFile(t, 'old.md');
    await writeFile(old, (await readFile(old, 'utf8')).replace(/^<!-- fingerprint: [0-9a-f]{8} -->\n/gm, ''));
    return { t, q, old };
  }

  it('never removes and never silently reverts: a newer answer that differs is a conflict', async () => {
    const { t, q, old } = await legacyReport();
    await answer({ 'item-id': q[0] as string, cycle: CYCLE, text: 'Newer than the old report.' }, t.ctx);
    await answer({ 'item-id': q[1] as string, cycle: CYCLE, text: 'Not in the old report at all.' }, t.ctx);
    await writeFile(
      old,
      fillAnswer(await readFile(old, 'utf8'), q[2] as string, 'Typed into the old report.'),
    );
    expect(await importReport({ file: 'old.md', yes: true }, t.ctx)).toBe(1);
    expect(t.err()).toMatch(/no fingerprints[\s\S]*nothing is removed/);
    await importReport({ file: 'old.md', yes: true, prefer: 'cycle' }, t.ctx);
    const cycle = await readCycle(t.ws, CYCLE);
    expect(cycle.answers[q[0] as string]?.text).toEqual(['Newer than the old report.']);
    expect(cycle.answers[q[1] as string]?.text).toEqual(['Not in the old report at all.']);
    expect(cycle.answers[q[2] as string]?.text).toEqual(['Typed into the old report.']);
  });
});

describe('priorities and actions', () => {
  it('a rationale edited in the report and a priority and an action added in the cycle since all survive', async () => {
    const { t } = await setup();
    const [r1, r2] = t.ws.bank.recommendations.map((r) => r.id) as [string, string];
    await updateCycle(
      t.ws,
      CYCLE,
      (c) => {
        c.priorities = [{ recommendation: r1, rationale: ['Why R1.'] }];
      },
      { create: true },
    );
    await actionsAdd({ cycle: CYCLE, title: 'First action' }, t.ctx);
    await exportReport({ cycle: CYCLE, out: 'copy.md' }, t.ctx);
    await updateCycle(t.ws, CYCLE, (c) => {
      c.priorities.push({ recommendation: r2 });
    });
    await actionsAdd({ cycle: CYCLE, title: 'Second action' }, t.ctx);
    const copy = reportFile(t, 'copy.md');
    await writeFile(
      copy,
      (await readFile(copy, 'utf8'))
        .replace('Why R1.', 'Why R1, as the service lead put it.')
        .replace('| First action | — | — | planned |', '| First action | Service lead | — | in-progress |'),
    );
    expect(await importReport({ file: 'copy.md', yes: true }, t.ctx)).toBeUndefined();
    const cycle = await readCycle(t.ws, CYCLE);
    expect(cycle.priorities).toEqual([
      { recommendation: r1, rationale: ['Why R1, as the service lead put it.'] },
      { recommendation: r2 },
    ]);
    expect(cycle.actions.map((a) => [a.id, a.title, a.owner, a.status])).toEqual([
      ['A1', 'First action', 'Service lead', 'in-progress'],
      ['A2', 'Second action', undefined, 'planned'],
    ]);
  });

  it('a priority removed in the report is removed when the cycle kept the same list', async () => {
    const { t } = await setup();
    const [r1, r2] = t.ws.bank.recommendations.map((r) => r.id) as [string, string];
    await updateCycle(
      t.ws,
      CYCLE,
      (c) => {
        c.priorities = [{ recommendation: r1 }, { recommendation: r2, rationale: ['Later.'] }];
      },
      { create: true },
    );
    const file = reportFile(t);
    const report = await readFile(file, 'utf8');
    const at = report.indexOf(`<!-- priority: ${r2} -->`);
    await writeFile(file, report.slice(0, at) + report.slice(report.indexOf('<!-- section: actions -->')));
    await importReport({ file: `${CYCLE}.md`, yes: true }, t.ctx);
    expect((await readCycle(t.ws, CYCLE)).priorities).toEqual([{ recommendation: r1 }]);
  });
});
