/**
 * The interview flow through the Prompter interface, with scripted answers, in a temp workspace.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interview } from '../src/commands/interview.ts';
import { InterruptedError } from '../src/core/errors.ts';
import type { CycleFile } from '../src/core/types.ts';
import { setFsOpsForTesting } from '../src/shell/atomic-write.ts';
import type { CommandContext } from '../src/shell/context.ts';
import { ScriptPrompter, type ScriptStep } from './helpers/script-prompter.ts';

let root: string;

/** A made-up NHS number with a valid modulus-11 check digit (generated, never a real record). */
function validNhsNumber(): string {
  for (let seed = 9_000_000_01; ; seed++) {
    const digits = String(seed).padStart(9, '0').split('').map(Number);
    const sum = digits.reduce((acc, d, i) => acc + d * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return [...digits, check === 11 ? 0 : check].join('');
  }
}
let dir: string;

function makeCtx(): CommandContext & { errText: () => string } {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d) => {
    err += String(d);
  });
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  return {
    stdout: new PassThrough(),
    stderr,
    stdin,
    env: {},
    cwd: root,
    today: () => '2026-01-15',
    global: { dir },
    errText: () => err,
  };
}

async function readCycle(id: string): Promise<CycleFile> {
  return JSON.parse(await fs.readFile(path.join(dir, `${id}.json`), 'utf8')) as CycleFile;
}

async function writeWorkspace(extra = ''): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(
    path.join(dir, 'kinship-reflect.yaml'),
    `authority: Exampleshire County Council\nbank: reflective-tool\nratings: true\nreport: false\n${extra}`,
  );
}

async function run(steps: ScriptStep[], opts: Parameters<typeof interview>[0] = {}) {
  const prompter = new ScriptPrompter(steps);
  const ctx = makeCtx();
  await interview(opts, ctx, { prompter });
  return { prompter, ctx };
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'kr-flow-'));
  dir = path.join(root, 'reflections');
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('interview flow', () => {
  it('creates a workspace and a cycle, saves each answer, and quits', async () => {
    const { prompter } = await run([
      { kind: 'input', message: 'Which local authority', answer: 'Exampleshire County Council' },
      { kind: 'input', message: 'Name the new cycle', answer: '' },
      { kind: 'select', message: 'Which stage', answer: 'assess' },
      { kind: 'select', message: 'What would you like to do', pick: 'Write an answer' },
      { kind: 'multiline', answer: ['Around 240 households.', '64% of carers are grandparents.'] },
      { kind: 'select', message: 'How well', answer: 'amber' },
      { kind: 'select', message: 'What would you like to do', pick: 'needs data' },
      { kind: 'multiline', answer: ['Relationship breakdown from the case system'] },
      { kind: 'select', message: 'What would you like to do', pick: 'Skip' },
      { kind: 'select', message: 'What would you like to do', pick: 'Save and quit' },
    ]);
    expect(prompter.remaining).toBe(0);
    // the suggested cycle id is the financial year of "today" (2026-01-15 → 2025-26)
    const cycle = await readCycle('2025-26');
    expect(cycle.authority).toBe('Exampleshire County Council');
    expect(cycle.answers['assess.carers.demographics']).toEqual({
      status: 'answered',
      text: ['Around 240 households.', '64% of carers are grandparents.'],
      rating: 'amber',
      changed: '2026-01-15',
    });
    expect(cycle.answers['assess.carers.connection']).toEqual({
      status: 'needs-data',
      needs: ['Relationship breakdown from the case system'],
      changed: '2026-01-15',
    });
    expect(cycle.answers['assess.carers.connection.relationships']?.status).toBe('skipped');
    expect(prompter.transcript.join('\n')).toContain('Question 1 of 52');
  });

  it('resumes where the last session stopped, with the first unanswered one key away', async () => {
    await writeWorkspace();
    await run(
      [
        { kind: 'select', pick: 'Jump' },
        { kind: 'select', message: 'Which section', pick: 'Kinship carers' },
        { kind: 'select', message: 'Which question', pick: 'connected to the children' },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: 'r1', stage: 'assess' },
    );
    const { prompter } = await run(
      [
        { kind: 'select', pick: 'first unanswered' },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: 'r1', stage: 'assess' },
    );
    const text = prompter.transcript.join('\n');
    expect(text).toContain(
      'Resuming where you left off: question 2 of 52. (The first unanswered is question 1: press u to go there.)',
    );
    expect(text).toMatch(/Question 2 of 52[\s\S]*Question 1 of 52/);
  });

  it('resumes at the question shown when interrupted, and shows the tags explained on ?', async () => {
    await writeWorkspace();
    await run(
      [
        { kind: 'select', pick: 'Write an answer' },
        { kind: 'multiline', answer: ['First.'] },
        { kind: 'select', message: 'How well', answer: 'none' },
        { kind: 'select', pick: 'Write an answer' },
        { kind: 'multiline', answer: ['Second.'] },
        { kind: 'select', message: 'How well', answer: 'green' },
        { interrupt: true },
      ],
      { cycle: '2026-27', stage: 'assess' },
    ).catch((e: unknown) => {
      expect(e).toBeInstanceOf(InterruptedError);
      expect((e as Error).message).toMatch(/saved in .*2026-27\.json/);
    });
    const { prompter } = await run([{ kind: 'select', askHelp: true, pick: 'Save and quit' }], {
      cycle: '2026-27',
      stage: 'assess',
    });
    const text = prompter.transcript.join('\n');
    expect(text).toContain('Resuming where you left off: question 3 of 52.');
    expect(text).toContain('Question 3 of 52');
    expect(prompter.helpShown.join('\n')).toMatch(/ALL/);
    const cycle = await readCycle('2026-27');
    expect(Object.keys(cycle.answers)).toEqual(['assess.carers.demographics', 'assess.carers.connection']);
  });

  it('goes back, keeps an answer unchanged without rewriting the file', async () => {
    await writeWorkspace();
    await run(
      [
        { kind: 'select', pick: 'Write an answer' },
        { kind: 'multiline', answer: ['Kept text.'] },
        { kind: 'select', message: 'How well', answer: 'red' },
        { kind: 'select', pick: 'Go back' },
        { kind: 'select', pick: 'Keep the current answer' },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: 'demo', stage: 'assess' },
    );
    const before = await fs.stat(path.join(dir, 'demo.json'));
    const cycle = await readCycle('demo');
    expect(cycle.answers['assess.carers.demographics']?.rating).toBe('red');
    const bytes = await fs.readFile(path.join(dir, 'demo.json'), 'utf8');
    await run(
      [
        { kind: 'select', pick: 'Jump' },
        { kind: 'select', message: 'Which section', pick: 'Kinship carers' },
        { kind: 'select', message: 'Which question', pick: 'basic demographics' },
        { kind: 'select', pick: 'Keep the current answer' },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: 'demo', stage: 'assess' },
    );
    expect(await fs.readFile(path.join(dir, 'demo.json'), 'utf8')).toBe(bytes);
    expect((await fs.stat(path.join(dir, 'demo.json'))).mtimeMs).toBe(before.mtimeMs);
  });

  it('carries answers forward, marks them until confirmed, and shows last cycle', async () => {
    await writeWorkspace();
    await run(
      [
        { kind: 'select', pick: 'Write an answer' },
        { kind: 'multiline', answer: ['Last year text.'] },
        { kind: 'select', message: 'How well', answer: 'amber' },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: '2025-26', stage: 'assess' },
    );
    const { prompter } = await run(
      [
        { kind: 'select', pick: 'last cycle' },
        { kind: 'select', pick: 'Keep the carried-forward answer' },
        { kind: 'select', message: 'Does the rating still hold', answer: 'amber' },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: '2026-27', stage: 'assess', from: '2025-26' },
    );
    const text = prompter.transcript.join('\n');
    expect(text).toContain('Carried forward 1 answer');
    expect(text).toContain('Last cycle (2025-26)');
    const cycle = await readCycle('2026-27');
    expect(cycle.from).toBe('2025-26');
    expect(cycle.answers['assess.carers.demographics']).toEqual({
      status: 'answered',
      text: ['Last year text.'],
      rating: 'amber',
      changed: '2026-01-15',
    });
  });

  it('offers to carry forward when a previous cycle exists', async () => {
    await writeWorkspace();
    await run(
      [
        { kind: 'select', pick: 'Write an answer' },
        { kind: 'multiline', answer: ['Old.'] },
        { kind: 'select', message: 'How well', answer: 'none' },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: '2025-26', stage: 'do' },
    );
    await run(
      [
        { kind: 'confirm', message: "Start 2026-27 from cycle 2025-26's answers", answer: true },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: '2026-27', stage: 'do' },
    );
    const cycle = await readCycle('2026-27');
    const carried = Object.values(cycle.answers);
    expect(carried).toHaveLength(1);
    expect(carried[0]?.carried).toBe('2025-26');
  });

  it('Plan: suggests priorities from Assess ratings, saves order and rationale, walks only their sections', async () => {
    await writeWorkspace();
    // rate two R1-tagged Assess items red
    const base: CycleFile = {
      format: 1,
      cycle: 'p1',
      authority: 'Exampleshire County Council',
      bank: { id: 'reflective-tool', version: '1.0.0' },
      priorities: [],
      answers: {
        'assess.offer.knowledge-of-services': {
          status: 'answered',
          text: ['Patchy.'],
          rating: 'red',
          changed: '2026-01-01',
        },
        'assess.offer.local-offer': { status: 'needs-data', needs: ['Take-up'], changed: '2026-01-01' },
      },
      actions: [],
    };
    await fs.writeFile(path.join(dir, 'p1.json'), `${JSON.stringify(base, null, 2)}\n`);
    const { prompter } = await run(
      [
        { kind: 'checkbox', message: 'Which Recommendations', answer: ['R1', 'R3'] },
        { kind: 'multiline', message: 'Why prioritise R1', answer: ['Carers say they cannot find support.'] },
        { kind: 'multiline', message: 'Why prioritise R3', answer: [] },
        { kind: 'confirm', message: 'Add an action for R1', answer: true },
        { kind: 'input', message: 'What will be done', answer: 'Publish the kinship local offer' },
        { kind: 'input', message: 'Who owns it', answer: 'Kinship service manager' },
        { kind: 'input', message: 'Due date', answer: '31/02/2027' },
        { kind: 'input', message: 'Due date', answer: '31/03/2027' },
        { kind: 'confirm', message: 'Add another action for R1', answer: false },
        { kind: 'confirm', message: 'Add an action for R3', answer: false },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: 'p1', stage: 'plan' },
    );
    const asked = prompter.asked.find((a) => a.kind === 'checkbox');
    expect(asked?.checked).toEqual(['R1']);
    const text = prompter.transcript.join('\n');
    expect(text).toMatch(
      /R1 \(Good evidence\): suggested — 1 of the \d+ Assess items linked to R1 is red or amber \(1 red\); 1 needs data/,
    );
    expect(text).toMatch(/R6 \([^)]*\): none of the \d+ Assess items linked to R6 are answered yet/);
    // each Recommendation's text once on the screen: in the list to choose from, not in the suggestion
    const r1 = 'Offer kinship carers specialist support';
    expect(text.split(r1).length - 1).toBeLessThanOrEqual(1);
    expect(prompter.asked.filter((a) => a.kind === 'select' && /priority/.test(a.message))).toEqual([]);
    expect(text).toContain('is not a date I can read');
    const cycle = await readCycle('p1');
    expect(cycle.priorities).toEqual([
      { recommendation: 'R1', rationale: ['Carers say they cannot find support.'] },
      { recommendation: 'R3' },
    ]);
    expect(cycle.actions).toHaveLength(1);
    expect(cycle.actions[0]).toMatchObject({
      id: 'A1',
      due: '2027-03-31',
      tags: ['R1'],
      owner: 'Kinship service manager',
    });
    // R1 + R3 + the cross-cutting section: no R2 item asked
    const first = text.match(/Question 1 of (\d+)/);
    expect(first).not.toBeNull();
    expect(text).not.toContain('(plan.r2.');
    expect(text).toContain('(plan.r1.');
  });

  it('Plan says plainly when red and amber Assess answers carry only ALL or KP tags', async () => {
    await writeWorkspace();
    const base: CycleFile = {
      format: 1,
      cycle: 'p2',
      authority: 'Exampleshire County Council',
      bank: { id: 'reflective-tool', version: '1.0.0' },
      priorities: [],
      answers: {
        'assess.carers.demographics': {
          status: 'answered',
          text: ['x'],
          rating: 'red',
          changed: '2026-01-01',
        },
        'assess.carers.connection': {
          status: 'answered',
          text: ['x'],
          rating: 'amber',
          changed: '2026-01-01',
        },
      },
      actions: [],
    };
    await fs.writeFile(path.join(dir, 'p2.json'), `${JSON.stringify(base, null, 2)}\n`);
    const { prompter } = await run(
      [
        { kind: 'checkbox', message: 'Which Recommendations', answer: [] },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: 'p2', stage: 'plan' },
    );
    expect(prompter.transcript.join('\n')).toMatch(
      /2 more Assess answers \(1 red, 1 amber\) are tagged only ALL, so they point to no Recommendation in particular and are not counted above/,
    );
  });

  it("Plan with --from: last cycle's priorities, order and rationale come forward to confirm", async () => {
    await writeWorkspace();
    const earlier: CycleFile = {
      format: 1,
      cycle: 'y1',
      authority: 'Exampleshire County Council',
      bank: { id: 'reflective-tool', version: '1.0.0' },
      priorities: [
        { recommendation: 'R3', rationale: ['Peer support first.'] },
        { recommendation: 'R1', rationale: ['Then the local offer.'] },
      ],
      answers: {},
      actions: [],
    };
    await fs.writeFile(path.join(dir, 'y1.json'), `${JSON.stringify(earlier, null, 2)}\n`);
    const { prompter } = await run(
      [
        { kind: 'select', message: 'Keep them for this cycle', pick: 'Keep them' },
        { kind: 'multiline', message: 'Why prioritise R3', answer: ['Peer support first.'] },
        { kind: 'multiline', message: 'Why prioritise R1', answer: ['Then the local offer, now with data.'] },
        { kind: 'confirm', message: 'Add an action for R3', answer: false },
        { kind: 'confirm', message: 'Add an action for R1', answer: false },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: 'y2', stage: 'plan', from: 'y1' },
    );
    const asked = prompter.asked.filter((a) => a.kind === 'multiline');
    expect(asked.map((a) => a.initial)).toEqual([['Peer support first.'], ['Then the local offer.']]);
    expect(prompter.transcript.join('\n')).toContain(
      "Last cycle's priorities (y1), in order: R3, R1, each with its rationale.",
    );
    expect((await readCycle('y2')).priorities).toEqual([
      { recommendation: 'R3', rationale: ['Peer support first.'] },
      { recommendation: 'R1', rationale: ['Then the local offer, now with data.'] },
    ]);
  });

  it('Do: asks for progress on open actions before the questions', async () => {
    await writeWorkspace();
    const base: CycleFile = {
      format: 1,
      cycle: 'd1',
      authority: 'Exampleshire County Council',
      bank: { id: 'reflective-tool', version: '1.0.0' },
      priorities: [{ recommendation: 'R1' }],
      answers: {},
      actions: [
        {
          id: 'A1',
          title: 'Publish the kinship local offer',
          status: 'planned',
          tags: ['R1'],
          history: [{ date: '2025-11-01', status: 'planned' }],
          opened: 'd1',
        },
      ],
    };
    await fs.writeFile(path.join(dir, 'd1.json'), `${JSON.stringify(base, null, 2)}\n`);
    await run(
      [
        { kind: 'select', message: 'How is A1 going', answer: 'done' },
        { kind: 'input', message: 'note', answer: 'Published on the council website' },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: 'd1', stage: 'do' },
    );
    const cycle = await readCycle('d1');
    expect(cycle.actions[0]?.status).toBe('done');
    expect(cycle.actions[0]?.history.at(-1)).toEqual({
      date: '2026-01-15',
      status: 'done',
      note: 'Published on the council website',
    });
  });

  it('a failed save keeps what was typed and never damages the file', async () => {
    await writeWorkspace();
    await run(
      [
        { kind: 'select', pick: 'Write an answer' },
        { kind: 'multiline', answer: ['Saved first.'] },
        { kind: 'select', message: 'How well', answer: 'none' },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: 'f1', stage: 'assess' },
    );
    const before = await fs.readFile(path.join(dir, 'f1.json'), 'utf8');
    const restore = setFsOpsForTesting({
      rename: async () => {
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    });
    try {
      const { prompter } = await run(
        [
          { kind: 'select', pick: 'Write an answer' },
          { kind: 'multiline', answer: ['Typed while the disk was full.'] },
          { kind: 'select', message: 'What would you like to do', pick: 'Try again' },
          { kind: 'select', message: 'What would you like to do', pick: 'keep what I typed as a draft' },
          { kind: 'select', pick: 'Save and quit' },
        ],
        { cycle: 'f1', stage: 'assess' },
      );
      const text = prompter.transcript.join('\n');
      expect(text).toContain('the disk is full');
      expect(text).toContain('Free some space');
      expect(text).toMatch(/Not saved — assess\.carers\.connection:\nTyped while the disk was full\./);
    } finally {
      restore();
    }
    expect(await fs.readFile(path.join(dir, 'f1.json'), 'utf8')).toBe(before);
    const leftovers = (await fs.readdir(dir)).filter((n) => n.endsWith('.tmp'));
    expect(leftovers).toEqual([]);
  });

  it('warns about personal data before saving, and lets the user edit what they typed', async () => {
    await writeWorkspace();
    const nhs = validNhsNumber();
    const { prompter } = await run(
      [
        { kind: 'select', pick: 'Write an answer' },
        { kind: 'multiline', answer: ['12 SGO households.', `Case ${nhs} needs a review.`] },
        { kind: 'select', message: 'What would you like to do', pick: 'Edit the answer' },
        { kind: 'multiline', answer: ['12 SGO households.', 'One case needs a review.'] },
        { kind: 'select', message: 'How well', answer: 'none' },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: 'p2', stage: 'assess' },
    );
    const text = prompter.transcript.join('\n');
    expect(text).toContain('may contain personal data');
    expect(text).not.toContain(nhs);
    expect(text).toMatch(/line 2: possible NHS number/);
    const menu = prompter.asked.find(
      (a) => a.message === 'What would you like to do?' && a.choices?.length === 3,
    );
    expect(menu?.choices?.[0]?.label).toBe('Edit the answer (what you typed, line 2 marked)');
    // what was typed is offered again for editing, the finding's line marked, the cursor at the number
    const retyped = prompter.asked.filter((a) => a.kind === 'multiline')[1];
    expect(retyped?.initial).toEqual(['12 SGO households.', `Case ${nhs} needs a review.`]);
    expect(retyped?.marks).toEqual([
      { line: 2, column: 6, note: expect.stringMatching(/^may hold personal data: possible NHS number "/) },
    ]);
    expect(JSON.stringify(retyped?.marks)).not.toContain(nhs);
    const cycle = await readCycle('p2');
    expect(cycle.answers['assess.carers.demographics']?.text).toEqual([
      '12 SGO households.',
      'One case needs a review.',
    ]);
  });

  it('the personal-data warning can send the text to the editor with the finding marked', async () => {
    await writeWorkspace();
    const nhs = validNhsNumber();
    const { prompter } = await run(
      [
        { kind: 'select', pick: 'Write an answer' },
        { kind: 'multiline', answer: [`NHS ${nhs}.`, 'Two lines.', `Also ${nhs}.`] },
        { kind: 'select', message: 'What would you like to do', pick: 'Edit it in my editor' },
        { kind: 'editor', answer: 'Counts only.\nTwo lines.\n' },
        { kind: 'select', message: 'How well', answer: 'none' },
        { kind: 'select', pick: 'Save and quit' },
      ],
      { cycle: 'p3', stage: 'assess' },
    );
    const menu = prompter.asked.find(
      (a) => a.message === 'What would you like to do?' && a.choices?.length === 3,
    );
    expect(menu?.choices?.[1]?.label).toBe('Edit it in my editor (lines 1 and 3 marked)');
    const editor = prompter.asked.find((a) => a.kind === 'editor');
    expect(editor?.marks?.map((m) => m.line)).toEqual([1, 3]);
    expect((await readCycle('p3')).answers['assess.carers.demographics']?.text).toEqual([
      'Counts only.',
      'Two lines.',
    ]);
  });

  it('refuses to run without a terminal unless plain', async () => {
    await writeWorkspace();
    const ctx = makeCtx();
    (ctx.stdin as { isTTY?: boolean }).isTTY = false;
    await expect(interview({}, ctx)).rejects.toThrow(/--plain[\s\S]*answer/);
  });
});
