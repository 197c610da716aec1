/**
 * A fully answered cycle of a bank, fictional and aggregated: every question answered (two or three
 * lines), every checklist item given a status and a note, every answer rated (a realistic spread,
 * most green or amber), six priorities with a rationale, and actions open, overdue and done. What a
 * committee summary must fit in four sides of A4.
 */
import { answerableItems } from '../../src/core/bank.ts';
import type { Answer, Bank, CycleFile, Rating } from '../../src/core/types.ts';

const SPREAD: Rating[] = [
  'green',
  'amber',
  'green',
  'red',
  'amber',
  'green',
  'amber',
  'green',
  'amber',
  'green',
];

export function fullCycle(
  bank: Bank,
  cycle = '2026-27',
  authority = 'Exampleshire County Council',
): CycleFile {
  const answers: Record<string, Answer> = {};
  answerableItems(bank).forEach((item, i) => {
    const rating = SPREAD[i % SPREAD.length] as Rating;
    answers[item.id] =
      item.kind === 'checklist'
        ? {
            status: i % 2 === 0 ? 'in-place' : 'planned',
            text: ['Agreed with the kinship team and partners; reviewed at the quarterly board.'],
            rating,
            changed: '2026-05-11',
          }
        : {
            status: 'answered',
            text: [
              `About ${30 + ((i * 7) % 60)}% of the kinship households we support report this (fictional figure).`,
              'Based on the 2026 data return and the carers forum; no individual is identified.',
            ],
            rating,
            changed: '2026-05-11',
          };
  });
  const recs = bank.recommendations.map((r) => r.id).slice(0, 6);
  return {
    format: 1,
    cycle,
    authority,
    bank: { id: bank.id, version: bank.version },
    priorities: recs.map((r, i) => ({
      recommendation: r,
      rationale: [
        `Our Assess answers for ${r} are mostly amber; carers at the forum ranked it ${i + 1} of 6.`,
        'It builds on what the service already does well.',
      ],
    })),
    answers,
    actions: [
      ['A1', 'Publish the local offer with carers', 'Kinship service lead', '2026-03-31', 'done'],
      [
        'A2',
        'Start peer support groups in every locality',
        'Family support team',
        '2026-06-30',
        'in-progress',
      ],
      [
        'A3',
        'Commission self-care training for kinship carers',
        'Commissioning team',
        '2026-09-30',
        'planned',
      ],
      ['A4', 'Agree one count of kinship households', 'Performance and data team', '2026-04-30', 'planned'],
      [
        'A5',
        'Review allowance rates against fostering rates',
        'Finance business partner',
        '2026-12-31',
        'planned',
      ],
      ['A6', 'Train staff in the named-worker model', 'Principal social worker', '2026-10-31', 'in-progress'],
    ].map(([id, title, owner, due, status], i) => ({
      id: id as string,
      title: title as string,
      owner: owner as string,
      due: due as string,
      status: status as CycleFile['actions'][number]['status'],
      tags: [recs[i % recs.length] as string],
      history: [{ date: '2026-05-11', status: status as CycleFile['actions'][number]['status'] }],
      opened: cycle,
    })),
  };
}
