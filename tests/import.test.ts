import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { diff } from '../src/commands/diff.ts';
import { exportReport } from '../src/commands/export.ts';
import { importReport } from '../src/commands/import.ts';
import { answerableItems } from '../src/core/bank.ts';
import { UsageError, ValidationError } from '../src/core/errors.ts';
import { isReportHandEdited, renderReport } from '../src/core/report.ts';
import type { CycleFile } from '../src/core/types.ts';
import { readCycle, updateCycle } from '../src/shell/cycle-store.ts';
import { ScriptPrompter } from './helpers/script-prompter.ts';
import { makeWorkspace, TEST_TODAY, type TestWorkspace } from './helpers/workspace.ts';

let t: TestWorkspace | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

/** A workspace (built-in bank) with cycle 2025-26 holding two answers, a priority and an action. */
async function setup(opts: { tty?: boolean } = {}): Promise<{ t: TestWorkspace; q: string[] }> {
  t = await makeWorkspace(opts);
  const questions = answerableItems(t.ws.bank)
    .filter((i) => i.kind === 'question')
    .map((i) => i.id);
  const q = questions.slice(0, 3);
  await updateCycle(
    t.ws,
    '2025-26',
    (c) => {
      c.answers[q[0] as string] = {
        status: 'answered',
        text: ['Line one.', 'Line two.', 'Line three.', 'Line four.', 'Line five.'],
        rating: 'amber',
        changed: '2025-06-01',
      };
      c.answers[q[1] as string] = { status: 'needs-data', needs: ['Court figures.'], changed: '2025-06-02' };
      c.priorities = [
        { recommendation: t!.ws.bank.recommendations[0]!.id, rationale: ['Carers asked for it.'] },
      ];
      c.actions = [
        {
          id: 'A1',
          title: 'Publish the local offer',
          owner: 'Kinship team',
          due: '2025-09-30',
          status: 'planned',
          tags: ['R1'],
          history: [],
          opened: '2025-26',
        },
      ];
    },
    { create: true },
  );
  return { t, q };
}

describe('export', () => {
  it('prints the Markdown report on stdout, and CSV and JSON on request', async () => {
    const { t } = await setup();
    await exportReport({ cycle: '2025-26' }, t.ctx);
    const cycle = await readCycle(t.ws, '2025-26');
    expect(t.out()).toBe(renderReport(t.ws.bank, cycle));
    await exportReport({ cycle: '2025-26', format: 'csv' }, t.ctx);
    expect(t.out()).toContain('id,stage,section,kind,tags,text,status,rating,answer');
    await exportReport({ cycle: '2025-26', format: 'json' }, t.ctx);
    expect(t.out()).toContain('"format": "kinship-reflect-export/1"');
  });

  it('warns on stderr, without the values, when the answers look like personal data', async () => {
    const { t, q } = await setup();
    await updateCycle(t.ws, '2025-26', (c) => {
      c.answers[q[2] as string] = {
        status: 'answered',
        text: ['Ask Mrs Testington on 07700 900123.'],
        changed: TEST_TODAY,
      };
    });
    await exportReport({ cycle: '2025-26', format: 'md' }, t.ctx);
    expect(t.err()).toMatch(/Warning: 2 possible items of personal data/);
    expect(t.err()).not.toContain('900123');
    expect(t.out()).toContain('# Reflection 2025-26');
  });

  it('writes --out, and will not overwrite a hand-edited report without --force', async () => {
    const { t } = await setup();
    const out = path.join(t.dir, 'committee.md');
    await exportReport({ cycle: '2025-26', out: 'committee.md' }, t.ctx);
    const written = await readFile(out, 'utf8');
    expect(isReportHandEdited(written)).toBe(false);
    await writeFile(out, written.replace('Line two.', 'Line two, edited.'));
    await expect(exportReport({ cycle: '2025-26', out: 'committee.md' }, t.ctx)).rejects.toThrow(
      /edited by hand[\s\S]*import/,
    );
    await expect(exportReport({ cycle: '2025-26', out: 'committee.md' }, t.ctx)).rejects.toBeInstanceOf(
      UsageError,
    );
    await exportReport({ cycle: '2025-26', out: 'committee.md', force: true }, t.ctx);
    expect(await readFile(out, 'utf8')).toBe(written);
  });
});

describe('import', () => {
  it('shows the changes and saves nothing without a terminal and without --yes (exit 2)', async () => {
    const { t, q } = await setup();
    const file = path.join(t.dir, '2025-26.md');
    const report = await readFile(file, 'utf8');
    await writeFile(file, report.replace('Line three.', 'Line three, now with figures.'));
    const before = await readFile(path.join(t.dir, '2025-26.json'), 'utf8');
    const code = await importReport({ file: '2025-26.md' }, t.ctx);
    expect(code).toBe(2);
    expect(t.out()).toContain(`changed: ${q[0]}`);
    expect(t.out()).toContain('+ Line three, now with figures.');
    expect(t.err()).toMatch(/re-run with --yes/i);
    expect(await readFile(path.join(t.dir, '2025-26.json'), 'utf8')).toBe(before);
  });

  it('at a terminal, asks before saving: no saves nothing, yes saves', async () => {
    const { t, q } = await setup({ tty: true });
    const file = path.join(t.dir, '2025-26.md');
    const report = await readFile(file, 'utf8');
    await writeFile(file, report.replace('Line three.', 'Line three, confirmed at a terminal.'));
    const before = await readFile(path.join(t.dir, '2025-26.json'), 'utf8');
    const no = new ScriptPrompter([
      { kind: 'confirm', message: 'Save these changes to cycle 2025-26?', answer: false },
    ]);
    expect(await importReport({ file: '2025-26.md' }, t.ctx, { prompter: no })).toBeUndefined();
    expect(await readFile(path.join(t.dir, '2025-26.json'), 'utf8')).toBe(before);
    expect(t.err()).toContain('Nothing was saved.');
    const yes = new ScriptPrompter([{ kind: 'confirm', message: 'Save these changes', answer: true }]);
    await importReport({ file: '2025-26.md' }, t.ctx, { prompter: yes });
    const saved = await readCycle(t.ws, '2025-26');
    expect(saved.answers[q[0] as string]?.text?.[2]).toBe('Line three, confirmed at a terminal.');
    expect(no.remaining + yes.remaining).toBe(0);
  });

  it('saves with --yes: the edited answer gets today, the others keep their dates; the report is rewritten', async () => {
    const { t, q } = await setup();
    const file = path.join(t.dir, '2025-26.md');
    const report = await readFile(file, 'utf8');
    const edited = report
      .replace('Line three.', 'Line three, now with figures.')
      .replace('- Status: needs-data', '- Status: needs-data\n- Rating: red');
    await writeFile(file, edited);
    expect(await importReport({ file: '2025-26.md', yes: true }, t.ctx)).toBeUndefined();
    const cycle = await readCycle(t.ws, '2025-26');
    expect(cycle.answers[q[0] as string]).toEqual({
      status: 'answered',
      text: ['Line one.', 'Line two.', 'Line three, now with figures.', 'Line four.', 'Line five.'],
      rating: 'amber',
      changed: TEST_TODAY,
    });
    expect(cycle.answers[q[1] as string]).toMatchObject({ rating: 'red', changed: TEST_TODAY });
    expect(cycle.priorities).toHaveLength(1);
    expect(cycle.actions.map((a) => a.id)).toEqual(['A1']);
    // importing the cycle's own report brings it back in line with the data
    const rewritten = await readFile(file, 'utf8');
    expect(isReportHandEdited(rewritten)).toBe(false);
    expect(rewritten).toBe(renderReport(t.ws.bank, cycle));
  });

  it('answers an unanswered item typed into its empty block, and clears one marked not answered', async () => {
    const { t, q } = await setup();
    await exportReport({ cycle: '2025-26', out: 'edit.md' }, t.ctx);
    const file = path.join(t.dir, 'edit.md');
    let text = await readFile(file, 'utf8');
    // fill the empty block of the third question
    const marker = `<!-- item: ${q[2]} -->`;
    const at = text.indexOf(marker);
    const fence = text.indexOf('```text\n```', at);
    text = `${text.slice(0, fence)}\`\`\`text\nNewly typed in my editor.\n\`\`\`${text.slice(fence + '```text\n```'.length)}`;
    // clear the second question
    text = text
      .replace('- Status: needs-data', '- Status: not answered')
      .replace('Data needed:\n\n```text\nCourt figures.\n```', '');
    await writeFile(file, text);
    await importReport({ file: 'edit.md', yes: true, cycle: '2025-26' }, t.ctx);
    const cycle = await readCycle(t.ws, '2025-26');
    expect(cycle.answers[q[2] as string]).toEqual({
      status: 'answered',
      text: ['Newly typed in my editor.'],
      changed: TEST_TODAY,
    });
    expect(cycle.answers[q[1] as string]).toBeUndefined();
  });

  it('refuses a report with unknown item ids or stray text, naming the line, and saves nothing (exit 3)', async () => {
    const { t } = await setup();
    await exportReport({ cycle: '2025-26', out: 'edit.md' }, t.ctx);
    const file = path.join(t.dir, 'edit.md');
    const lines = (await readFile(file, 'utf8')).split('\n');
    const statusLine = lines.indexOf('- Status: answered');
    lines.splice(statusLine + 1, 0, 'I typed this outside the block.');
    lines.push('', '<!-- item: assess.no-such-item -->', '', '- Status: answered');
    await writeFile(file, lines.join('\n'));
    const before = await readFile(path.join(t.dir, '2025-26.json'), 'utf8');
    const error = await importReport({ file: 'edit.md', yes: true }, t.ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const problems = (error as ValidationError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'edit.md',
          line: statusLine + 2,
          message: expect.stringMatching(/outside a fenced block/),
        }),
        expect.objectContaining({
          item: 'assess.no-such-item',
          message: expect.stringMatching(/unknown item id/),
        }),
      ]),
    );
    expect(await readFile(path.join(t.dir, '2025-26.json'), 'utf8')).toBe(before);
  });

  it('says there is nothing to do for an unchanged report or JSON export', async () => {
    const { t } = await setup();
    await exportReport({ cycle: '2025-26', out: 'same.md' }, t.ctx);
    await exportReport({ cycle: '2025-26', out: 'same.json', format: 'json' }, t.ctx);
    expect(await importReport({ file: 'same.md' }, t.ctx)).toBeUndefined();
    expect(await importReport({ file: 'same.json' }, t.ctx)).toBeUndefined();
    expect(t.out()).toMatch(
      /No changes: cycle 2025-26 already matches same\.md[\s\S]*No changes: cycle 2025-26 already matches same\.json/,
    );
  });

  it('imports a JSON export into another cycle', async () => {
    const { t, q } = await setup();
    await exportReport({ cycle: '2025-26', out: 'export.json', format: 'json' }, t.ctx);
    await importReport({ file: 'export.json', cycle: '2026-27', yes: true }, t.ctx);
    const copy: CycleFile = await readCycle(t.ws, '2026-27');
    expect(copy.answers[q[0] as string]?.text).toHaveLength(5);
    expect(copy.actions).toHaveLength(1);
  });
});

describe('diff command', () => {
  it('returns 1 with --exit-code only when the cycles differ, in text, md and json', async () => {
    const { t, q } = await setup();
    await importReport({ file: '2025-26.json', cycle: '2026-27', yes: true }, t.ctx);
    expect(await diff({ from: '2025-26', to: '2026-27', exitCode: true }, t.ctx)).toBeUndefined();
    expect(t.out()).toContain('no differences');
    await updateCycle(t.ws, '2026-27', (c) => {
      c.answers[q[0] as string]!.text = ['Line one.', 'Line 2.', 'Line three.', 'Line four.', 'Line five.'];
    });
    expect(await diff({ from: '2025-26', to: '2026-27', exitCode: true }, t.ctx)).toBe(1);
    expect(await diff({ from: '2025-26', to: '2026-27' }, t.ctx)).toBeUndefined();
    await diff({ from: '2025-26', to: '2026-27', format: 'md' }, t.ctx);
    expect(t.out()).toContain('# Changes from 2025-26 to 2026-27');
    const before = t.out().length;
    await diff({ from: '2025-26', to: '2026-27', json: true }, t.ctx);
    const json = JSON.parse(t.out().slice(before)) as { counts: { changed: number } };
    expect(json.counts.changed).toBe(1);
    await expect(diff({ from: '2025-26', to: '2026-27', tag: 'R9' }, t.ctx)).rejects.toBeInstanceOf(
      UsageError,
    );
  });
});
