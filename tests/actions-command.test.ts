import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { actionsAdd, actionsList, actionsUpdate } from '../src/commands/actions.ts';
import { carryForwardActions } from '../src/core/actions.ts';
import { UsageError } from '../src/core/errors.ts';
import type { Action } from '../src/core/types.ts';
import { readCycle, updateCycle } from '../src/shell/cycle-store.ts';
import { makeWorkspace, type TestWorkspace } from './helpers/workspace.ts';

let t: TestWorkspace | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

async function workspaceWithCycle(id = '2026-27'): Promise<TestWorkspace> {
  t = await makeWorkspace({ report: false });
  await updateCycle(t.ws, id, () => {}, { create: true });
  return t;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the command to fail');
}

describe('actions add', () => {
  it('never reuses the id of an action from another cycle, even one not carried forward', async () => {
    const w = await workspaceWithCycle('2025-26');
    for (const title of ['First', 'Second', 'Third']) {
      await actionsAdd({ cycle: '2025-26', title, tag: ['R1'] }, w.ctx);
    }
    await actionsUpdate({ id: 'A3', cycle: '2025-26', status: 'done' }, w.ctx);
    const earlier = await readCycle(w.ws, '2025-26');
    await updateCycle(w.ws, '2026-27', (c) => carryForwardActions(earlier, c), { create: true });
    await actionsAdd({ cycle: '2026-27', title: 'Fourth', tag: ['R3'] }, w.ctx);
    const later = await readCycle(w.ws, '2026-27');
    expect(later.actions.map((a) => a.id)).toEqual(['A1', 'A2', 'A4']);
  });

  it('saves the action with a validated UK date and prints it', async () => {
    const w = await workspaceWithCycle();
    await actionsAdd(
      {
        cycle: '2026-27',
        title: 'Publish the local offer',
        owner: 'Kinship team',
        due: '31/03/2027',
        tag: ['r1'],
      },
      w.ctx,
    );
    const cycle = await readCycle(w.ws, '2026-27');
    expect(cycle.actions).toEqual([
      {
        id: 'A1',
        title: 'Publish the local offer',
        owner: 'Kinship team',
        due: '2027-03-31',
        status: 'planned',
        tags: ['R1'],
        history: [{ date: '2026-01-15', status: 'planned' }],
        opened: '2026-27',
      },
    ]);
    expect(w.out()).toContain('Added A1 to cycle 2026-27');
    expect(w.out()).toContain('due 31/03/2027');
    expect(w.out()).toContain('[R1]');
  });

  it('prints the new action as JSON with --json, and uses the latest cycle by default', async () => {
    const w = await workspaceWithCycle('2025-26');
    await updateCycle(w.ws, '2026-27', () => {}, { create: true });
    await actionsAdd({ title: 'Train staff', tag: [], json: true }, w.ctx);
    const printed = JSON.parse(w.out()) as Action & { overdue: boolean };
    expect(printed).toMatchObject({ id: 'A1', opened: '2026-27', overdue: false });
    expect((await readCycle(w.ws, '2025-26')).actions).toEqual([]);
  });

  it('refuses an impossible date, saying the accepted forms, and writes nothing', async () => {
    const w = await workspaceWithCycle();
    const before = await readFile(path.join(w.dir, '2026-27.json'), 'utf8');
    const error = await rejection(actionsAdd({ cycle: '2026-27', title: 'X', due: '30/02/2027' }, w.ctx));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/"30\/02\/2027" is not a date\. Use DD\/MM\/YYYY/);
    expect(await readFile(path.join(w.dir, '2026-27.json'), 'utf8')).toBe(before);
  });

  it('refuses an unknown tag, listing the known ones', async () => {
    const w = await workspaceWithCycle();
    const error = await rejection(actionsAdd({ cycle: '2026-27', title: 'X', tag: ['R7'] }, w.ctx));
    expect(error.message).toMatch(/"R7".*R1, R2, R3, R4, R5, R6/);
  });
});

describe('actions update and list', () => {
  async function withActions(): Promise<TestWorkspace> {
    const w = await workspaceWithCycle();
    await actionsAdd(
      {
        cycle: '2026-27',
        title: 'Publish the local offer',
        due: '2026-01-10',
        tag: ['R1'],
        owner: 'Kinship team',
      },
      w.ctx,
    );
    await actionsAdd(
      { cycle: '2026-27', title: 'Set up a peer group', due: '2026-06-30', tag: ['R4'] },
      w.ctx,
    );
    await actionsAdd({ cycle: '2026-27', title: 'Map support', tag: ['R4'] }, w.ctx);
    return w;
  }

  it('records a status change with its note in the history', async () => {
    const w = await withActions();
    await actionsUpdate({ id: 'a2', cycle: '2026-27', status: 'in progress', note: 'Venue booked' }, w.ctx);
    const a2 = (await readCycle(w.ws, '2026-27')).actions[1]!;
    expect(a2.status).toBe('in-progress');
    expect(a2.history).toEqual([
      { date: '2026-01-15', status: 'planned' },
      { date: '2026-01-15', status: 'in-progress', note: 'Venue booked' },
    ]);
    expect(w.out()).toContain('Updated A2 in cycle 2026-27 (status planned → in progress)');
  });

  it('reports an unknown id with the known ones, and an unknown status with the valid ones', async () => {
    const w = await withActions();
    expect(
      (await rejection(actionsUpdate({ id: 'A9', cycle: '2026-27', status: 'done' }, w.ctx))).message,
    ).toMatch(/no action "A9".*A1, A2, A3/);
    expect(
      (await rejection(actionsUpdate({ id: 'A1', cycle: '2026-27', status: 'finished' }, w.ctx))).message,
    ).toMatch(/planned, in-progress, done, dropped/);
    expect((await rejection(actionsUpdate({ id: 'A1', cycle: '2026-27' }, w.ctx))).message).toMatch(
      /Say what to change/,
    );
  });

  it('lists actions with UK dates, OVERDUE in words and tags as badges', async () => {
    const w = await withActions();
    await actionsList({ cycle: '2026-27' }, w.ctx);
    const out = w.out();
    expect(out).toContain('Cycle 2026-27: 3 actions (3 planned; 1 OVERDUE).');
    expect(out).toMatch(/A1 +planned +due 10\/01\/2026 +OVERDUE +Publish the local offer/);
    expect(out).toMatch(/owner: Kinship team · \[R1\] · opened in 2026-27/);
    expect(out).toMatch(/A2 +planned +due 30\/06\/2026 +Set up a peer group/);
    expect(out).toMatch(/A3 +planned +no due date +Map support/);
    expect(out).not.toContain('\x1b[');
  });

  it('filters by overdue, tag, status and owner; --json gives the filtered list with overdue flags', async () => {
    const w = await withActions();
    const overdue = await listJson(w, { overdue: true });
    expect(overdue.actions.map((a) => a.id)).toEqual(['A1']);
    expect(overdue.actions[0]?.overdue).toBe(true);
    expect(overdue.summary).toMatchObject({ total: 3, overdue: 1 });
    expect(ids(await listJson(w, { tag: 'r4', status: 'planned' }))).toEqual(['A2', 'A3']);
    expect(ids(await listJson(w, { owner: 'kinship TEAM' }))).toEqual(['A1']);
    expect(ids(await listJson(w, { status: 'done' }))).toEqual([]);
  });

  it('refuses an unknown status or tag filter', async () => {
    const w = await withActions();
    expect(await rejection(actionsList({ cycle: '2026-27', status: 'closed' }, w.ctx))).toBeInstanceOf(
      UsageError,
    );
    expect(await rejection(actionsList({ cycle: '2026-27', tag: 'R42' }, w.ctx))).toBeInstanceOf(UsageError);
  });

  it('says how to add one when a cycle has no actions', async () => {
    const w = await workspaceWithCycle();
    await actionsList({ cycle: '2026-27' }, w.ctx);
    expect(w.out()).toContain('No actions yet. Add one: kinship-reflect actions add --cycle 2026-27');
  });
});

interface ListJson {
  summary: { total: number; overdue: number };
  actions: (Action & { overdue: boolean })[];
}

/** Run `actions list --json` with these filters and parse what it printed (only this run's output). */
async function listJson(
  w: TestWorkspace,
  filter: { tag?: string; status?: string; owner?: string; overdue?: boolean },
): Promise<ListJson> {
  const start = w.out().length;
  await actionsList({ cycle: '2026-27', ...filter, json: true }, w.ctx);
  return JSON.parse(w.out().slice(start)) as ListJson;
}

function ids(list: ListJson): string[] {
  return list.actions.map((a) => a.id);
}

describe('actions across a cycle boundary', () => {
  it('carries unfinished actions into the next cycle with their ids, and new ones continue the numbering', async () => {
    const w = await workspaceWithCycle('2025-26');
    await actionsAdd({ cycle: '2025-26', title: 'Finished', tag: [] }, w.ctx);
    await actionsAdd({ cycle: '2025-26', title: 'Carried on', tag: ['R2'], due: '2025-12-31' }, w.ctx);
    await actionsUpdate({ id: 'A1', cycle: '2025-26', status: 'done' }, w.ctx);
    const from = await readCycle(w.ws, '2025-26');
    await updateCycle(w.ws, '2026-27', (to) => void carryForwardActions(from, to), { create: true });
    await updateCycle(w.ws, '2026-27', (to) => void carryForwardActions(from, to)); // twice: no duplicate
    await actionsAdd({ cycle: '2026-27', title: 'New this year', tag: [] }, w.ctx);
    const next = await readCycle(w.ws, '2026-27');
    expect(next.actions.map((a) => [a.id, a.title, a.opened])).toEqual([
      ['A2', 'Carried on', '2025-26'],
      ['A3', 'New this year', '2026-27'],
    ]);
    await actionsList({ cycle: '2026-27', overdue: true }, w.ctx);
    expect(w.out()).toMatch(/A2 +planned +due 31\/12\/2025 +OVERDUE +Carried on/);
    expect(w.out()).toContain('opened in 2025-26');
  });
});
