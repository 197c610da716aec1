import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addAction, updateAction } from '../src/core/actions.ts';
import { compareCycleIds, createAggregator } from '../src/core/aggregate.ts';
import { newCycle } from '../src/core/cycle.ts';
import {
  csvField,
  renderAggregateCsv,
  renderAggregateJson,
  renderAggregateMarkdown,
} from '../src/core/render-aggregate.ts';
import type { Answer, Bank, CycleFile, Rating } from '../src/core/types.ts';

const TODAY = '2026-01-15';

function fixtureBank(version = '1.0.0'): Bank {
  return {
    id: 'fixture',
    title: 'Fixture bank',
    version,
    source: { title: 'Fixture', publisher: 'Tests', url: 'https://example.org', credit: 'Tests' },
    evidenceRatings: [{ id: 'good', label: 'Good evidence', definition: 'Good.' }],
    keyPrinciples: [{ id: 'KP1', title: 'Key Principle 1', text: 'Principle one.' }],
    recommendations: [1, 2, 3].map((n) => ({
      id: `R${n}`,
      title: `Recommendation ${n}`,
      text: `Recommendation ${n} text.`,
      evidence: 'good',
    })),
    stages: [
      {
        id: 'assess',
        title: 'Assess',
        introduction: 'Look.',
        sections: [
          {
            id: 'data',
            title: 'Data',
            tags: ['R3'],
            items: [
              { id: 'a.one', kind: 'question', text: 'How many kinship households are there?', tags: ['R1'] },
              { id: 'a.two', kind: 'question', text: 'What do carers say?', tags: ['R1', 'R2'] },
              {
                id: 'a.lead',
                kind: 'prompt',
                text: 'Think about:',
                tags: [],
                children: [
                  { id: 'a.lead.child', kind: 'question', text: 'Which data do you hold?', tags: [] },
                ],
              },
              { id: 'a.kp', kind: 'question', text: 'How is casework organised?', tags: ['KP1'] },
            ],
          },
        ],
      },
      {
        id: 'plan',
        title: 'Plan',
        introduction: 'Plan.',
        sections: [
          {
            id: 'r2',
            title: 'Recommendation 2',
            recommendation: 'R2',
            items: [{ id: 'p.check', kind: 'checklist', text: 'Plan how you will train staff.', tags: [] }],
          },
        ],
      },
    ],
  };
}

function answer(status: Answer['status'], rating?: Rating): Answer {
  return { status, ...(rating ? { rating } : {}), changed: '2025-06-01' };
}

function cycle(
  authority: string,
  id: string,
  opts: Partial<CycleFile> = {},
  bank = fixtureBank(),
): CycleFile {
  return { ...newCycle(id, authority, bank), ...opts };
}

describe('compareCycleIds', () => {
  it('sorts cycle ids naturally', () => {
    expect(['2026-q10', '2026-27', '2026-q2', '2025-26', '2026-q1'].sort(compareCycleIds)).toEqual([
      '2025-26',
      '2026-27',
      '2026-q1',
      '2026-q2',
      '2026-q10',
    ]);
  });
});

describe('createAggregator', () => {
  it('summarises each authority by its latest cycle, whatever the order files come in', () => {
    const bank = fixtureBank();
    const agg = createAggregator(bank, TODAY);
    agg.addCycle(
      cycle('Exampleshire County Council', '2026-27', {
        priorities: [{ recommendation: 'R2' }, { recommendation: 'R1' }],
        answers: {
          'a.one': answer('answered', 'green'),
          'a.two': answer('answered', 'amber'),
          'a.lead.child': answer('needs-data', 'red'),
          'p.check': answer('planned'),
          'a.kp': { ...answer('answered', 'red'), carried: '2025-26' }, // unconfirmed: not counted
          'gone.item': answer('answered', 'red'), // no longer in the bank: not counted
        },
      }),
      'ex/2026-27.json',
    );
    agg.addCycle(cycle('Exampleshire County Council', '2024-25'), 'ex/2024-25.json');
    const r = agg.result();
    expect(r.filesRead).toBe(2);
    expect(r.authorities).toHaveLength(1);
    const a = r.authorities[0]!;
    expect(a).toMatchObject({
      authority: 'Exampleshire County Council',
      cycles: 2,
      previous: { cycle: '2024-25' },
    });
    expect(a.latest).toMatchObject({
      cycle: '2026-27',
      source: 'ex/2026-27.json',
      answered: 4,
      total: 5, // the prompt takes no answer
      needsData: 1,
      priorities: ['R2', 'R1'],
    });
    expect(a.latest.ratings).toEqual({
      R1: { red: 0, amber: 1, green: 1 },
      R2: { red: 0, amber: 1, green: 0 }, // p.check has no rating
      R3: { red: 1, amber: 0, green: 0 }, // the child inherits the section's R3
    });
    expect(r.needsData).toEqual([{ item: 'a.lead.child', text: 'Which data do you hold?', count: 1 }]);
  });

  it('counts how often and at which rank each Recommendation is prioritised', () => {
    const agg = createAggregator(fixtureBank(), TODAY);
    const p = (...ids: string[]) => ({ priorities: ids.map((recommendation) => ({ recommendation })) });
    agg.addCycle(cycle('Northmoor Borough Council', '2025-26', p('R1', 'R2')), 'n1');
    agg.addCycle(cycle('Northmoor Borough Council', '2026-27', p('R3')), 'n2'); // latest wins
    agg.addCycle(cycle('Southvale District Council', '2026-27', p('R2', 'R3')), 's');
    agg.addCycle(cycle('Westford City Council', '2026-27', p('R3', 'R1', 'R9')), 'w'); // R9 ignored
    const r = agg.result();
    expect(r.prioritised).toEqual([
      { recommendation: 'R1', title: 'Recommendation 1', count: 1, byRank: [0, 1] },
      { recommendation: 'R2', title: 'Recommendation 2', count: 1, byRank: [1] },
      { recommendation: 'R3', title: 'Recommendation 3', count: 3, byRank: [2, 1] },
    ]);
    expect(r.authorities.map((a) => a.authority)).toEqual([
      'Northmoor Borough Council',
      'Southvale District Council',
      'Westford City Council',
    ]);
  });

  it("compares each authority's last two cycles by mean rating per Recommendation", () => {
    const agg = createAggregator(fixtureBank(), TODAY);
    const rated = (one: Rating, two: Rating, child?: Rating) => ({
      answers: {
        'a.one': answer('answered', one),
        'a.two': answer('answered', two),
        ...(child ? { 'a.lead.child': answer('answered', child) } : {}),
      },
    });
    // A: R1 mean (red, red)=0 → (green, amber)=1.5 improved; R2 red=0 → amber=1 improved; R3 n/a → green
    agg.addCycle(cycle('Authority A', '2024-25', rated('green', 'green')), 'a0'); // oldest: ignored
    agg.addCycle(cycle('Authority A', '2025-26', rated('red', 'red')), 'a1');
    agg.addCycle(cycle('Authority A', '2026-27', rated('green', 'amber', 'green')), 'a2');
    // B: R1 (amber, amber)=1 → (green, red)=1 same; R2 amber → red worse; R3 red → red same
    agg.addCycle(cycle('Authority B', '2026-q2', rated('green', 'red', 'red')), 'b2');
    agg.addCycle(cycle('Authority B', '2026-q1', rated('amber', 'amber', 'red')), 'b1');
    // C: one cycle only, not compared
    agg.addCycle(cycle('Authority C', '2026-27', rated('green', 'green')), 'c');
    const r = agg.result();
    expect(r.compared).toBe(2);
    expect(r.movement).toEqual([
      { recommendation: 'R1', improved: 1, same: 1, worse: 0, notComparable: 0 },
      { recommendation: 'R2', improved: 1, same: 0, worse: 1, notComparable: 0 },
      { recommendation: 'R3', improved: 0, same: 1, worse: 0, notComparable: 1 },
    ]);
    const a = r.authorities.find((x) => x.authority === 'Authority A')!;
    expect(a.previous?.cycle).toBe('2025-26');
    expect(a.cycles).toBe(3);
    expect(a.movement).toEqual({ R1: 'improved', R2: 'improved', R3: null });
    expect(r.authorities.find((x) => x.authority === 'Authority C')!.movement).toBeUndefined();
  });

  it('takes carried-forward ratings as still standing when judging movement, but does not count them', () => {
    const agg = createAggregator(fixtureBank(), TODAY);
    agg.addCycle(
      cycle('Authority D', '2025-26', {
        answers: { 'a.one': answer('answered', 'red'), 'a.two': answer('answered', 'green') },
      }),
      'd1',
    );
    // a.two carried (still green), a.one reassessed red → red: no movement, although only one is confirmed
    agg.addCycle(
      cycle('Authority D', '2026-27', {
        answers: {
          'a.one': answer('answered', 'red'),
          'a.two': { ...answer('answered', 'green'), carried: '2025-26' },
        },
      }),
      'd2',
    );
    const r = agg.result();
    const d = r.authorities[0]!;
    expect(d.movement?.R1).toBe('same');
    expect(d.latest.ratings.R1).toEqual({ red: 1, amber: 0, green: 0 });
    expect(d.latest.answered).toBe(1);
  });

  it('skips other banks, other versions, duplicates and nameless files, with reasons', () => {
    const bank = fixtureBank('2.0.0');
    const agg = createAggregator(bank, TODAY);
    agg.addCycle(cycle('Exampleshire County Council', '2026-27', {}, bank), 'good.json');
    agg.addCycle(cycle('Exampleshire County Council', '2025-26', {}, fixtureBank('1.0.0')), 'old.json');
    agg.addCycle(
      {
        ...cycle('Exampleshire County Council', '2024-25', {}, bank),
        bank: { id: 'elected-members', version: '2.0.0' },
      },
      'members.json',
    );
    agg.addCycle(cycle('  exampleshire   county council ', '2026-27', {}, bank), 'copy.json');
    agg.addCycle(cycle(' ', '2026-27', {}, bank), 'nameless.json');
    agg.addSkipped('broken.json', 'not valid JSON');
    const r = agg.result();
    expect(r.filesRead).toBe(1);
    expect(r.authorities[0]?.cycles).toBe(1);
    expect(r.skipped).toEqual([
      { source: 'old.json', reason: expect.stringMatching(/version 1\.0\.0 .*version 2\.0\.0/) },
      { source: 'members.json', reason: expect.stringMatching(/"elected-members", not "fixture"/) },
      {
        source: 'copy.json',
        reason: 'cycle 2026-27 of exampleshire county council was already read from good.json',
      },
      { source: 'nameless.json', reason: 'names no authority' },
      { source: 'broken.json', reason: 'not valid JSON' },
    ]);
  });

  it('counts actions of the latest cycle, overdue as of today', () => {
    const bank = fixtureBank();
    const c = cycle('Exampleshire County Council', '2026-27');
    addAction(c, { title: 'Late', tags: ['R1'], due: '2026-01-01' }, '2025-12-01', bank);
    addAction(c, { title: 'Done', tags: [] }, '2025-12-01', bank);
    updateAction(c, 'A2', { status: 'done' }, '2026-01-02', bank);
    const agg = createAggregator(bank, TODAY);
    agg.addCycle(c, 'ex.json');
    expect(agg.result().authorities[0]?.latest.actions).toEqual({
      total: 2,
      byStatus: { planned: 1, 'in-progress': 0, done: 1, dropped: 0 },
      open: 1,
      overdue: 1,
    });
  });

  it('ranks the items that most often need data, ten at most', () => {
    const agg = createAggregator(fixtureBank(), TODAY);
    for (let i = 0; i < 4; i++) {
      const answers: Record<string, Answer> = { 'a.two': answer('needs-data') };
      if (i < 2) answers['a.one'] = answer('needs-data');
      if (i === 0) answers['a.kp'] = answer('needs-data');
      agg.addCycle(cycle(`Authority ${i}`, '2026-27', { answers }), `f${i}`);
    }
    expect(agg.result().needsData.map((d) => [d.item, d.count])).toEqual([
      ['a.two', 4],
      ['a.one', 2],
      ['a.kp', 1],
    ]);
  });
});

describe('rendering', () => {
  function sample() {
    const agg = createAggregator(fixtureBank(), TODAY);
    agg.addCycle(
      cycle('Exampleshire County Council', '2025-26', { answers: { 'a.one': answer('answered', 'red') } }),
      'ex/2025-26.json',
    );
    agg.addCycle(
      cycle('Exampleshire County Council', '2026-27', {
        priorities: [{ recommendation: 'R1' }],
        answers: { 'a.one': answer('answered', 'green'), 'a.two': answer('needs-data') },
      }),
      'ex/2026-27.json',
    );
    agg.addCycle(
      cycle('=Formula | <b>Council</b>', '2026-27', { priorities: [{ recommendation: 'R3' }] }),
      'odd.json',
    );
    agg.addSkipped('bad.json', 'not valid JSON: the file ends too early');
    return agg.result();
  }

  it('writes Markdown with a Mermaid chart and the same figures in a table', () => {
    const md = renderAggregateMarkdown(sample());
    expect(md).toContain(
      '```mermaid\nxychart-beta\n  accTitle: How often each Recommendation is prioritised\n  accDescr:',
    );
    expect(md).toContain('  x-axis ["R1", "R2", "R3"]');
    expect(md).toContain('  bar [1, 0, 1]');
    expect(md).toMatch(/\| R1 \(Recommendation 1\) \| 1 \| 50% \| 1 \|/);
    expect(md).toMatch(/\| R1 \| 1 \| 0 \| 0 \| 0 \|/); // movement: improved
    expect(md).toContain('`bad.json`: not valid JSON');
    // untrusted names cannot break the table or inject HTML
    expect(md).toContain('=Formula \\| &lt;b&gt;Council&lt;/b&gt;');
    expect(md.endsWith('\n')).toBe(true);
    expect(md).not.toMatch(/\n\n\n/);
  });

  it('writes one CSV row per authority, guarding against spreadsheet formulas', () => {
    const csv = renderAggregateCsv(sample());
    const lines = csv.split('\r\n');
    expect(lines[0]).toMatch(
      /^authority,latest_cycle,previous_cycle,cycles,answered,total,percent_answered,needs_data,priorities,R1_red,/,
    );
    expect(lines).toHaveLength(4); // header, two authorities, final empty string
    expect(lines[1]).toBe(
      `'=Formula | <b>Council</b>,2026-27,,1,0,5,0,0,R3,0,0,0,,0,0,0,,0,0,0,,0,0,0,0,0,0,odd.json`,
    );
    expect(lines[2]).toMatch(/^Exampleshire County Council,2026-27,2025-26,2,2,5,40,1,R1,0,0,1,improved,/);
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(-1)).toBe('-1');
  });

  it('writes the whole result as JSON', () => {
    const json = JSON.parse(renderAggregateJson(sample()));
    expect(json.skipped).toEqual([{ source: 'bad.json', reason: 'not valid JSON: the file ends too early' }]);
    expect(json.authorities).toHaveLength(2);
  });

  it('writes Markdown that passes markdownlint with the repository settings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kr-agg-lint-'));
    try {
      const empty = createAggregator(fixtureBank(), TODAY);
      empty.addCycle(cycle('Lonely Council', '2026-27'), 'lonely.json');
      await writeFile(join(dir, 'sample.md'), renderAggregateMarkdown(sample()));
      await writeFile(join(dir, 'empty.md'), renderAggregateMarkdown(empty.result()));
      const config = fileURLToPath(new URL('../.markdownlint-cli2.jsonc', import.meta.url));
      const messages: string[] = [];
      // markdownlint-cli2 ships no type declarations: import it by a non-literal name, typed here
      const name: string = 'markdownlint-cli2';
      const { main: markdownlint } = (await import(name)) as {
        main: (params: {
          directory: string;
          argv: string[];
          logMessage: (m: string) => void;
          logError: (m: string) => void;
        }) => Promise<number>;
      };
      const code = await markdownlint({
        directory: dir,
        argv: ['sample.md', 'empty.md', '--config', config],
        logMessage: () => {},
        logError: (m: string) => messages.push(m),
      });
      expect(messages).toEqual([]);
      expect(code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
