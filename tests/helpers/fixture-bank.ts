/**
 * A small, fully fictional question bank built in TypeScript, for tests that need a bank but not the
 * real one: two stages, questions with "»" children, a prompt lead-in whose children carry the
 * answers, checklist items, an untagged item that inherits its section's tags, and the tags KP1, R1,
 * R2 and ALL in use (KP1–KP3 and R1–R6 all defined, so coverage tables have every row).
 *
 *   import { fixtureBank, fixtureCycle } from './helpers/fixture-bank.ts';
 *   const bank = fixtureBank();            // a fresh object each call (flattenBank caches per object)
 *   const cycle = fixtureCycle(bank);      // a cycle with a few answers, a priority and an action
 */
import type { Bank, CycleFile } from '../../src/core/types.ts';

export function fixtureBank(): Bank {
  return {
    id: 'fixture',
    title: 'Fixture Reflective Tool',
    version: '0.0.1',
    source: {
      title: 'An invented practice guide',
      publisher: 'Nobody in particular',
      url: 'https://example.org/guide',
      credit: 'Invented for tests.',
    },
    evidenceRatings: [
      { id: 'strong', label: 'Strong evidence', definition: 'Several good studies agree.' },
      { id: 'good', label: 'Good evidence', definition: 'Some good studies.' },
      { id: 'promising', label: 'Promising evidence', definition: 'Early signs.' },
    ],
    keyPrinciples: [
      { id: 'KP1', title: 'Key Principle 1', text: 'Children are best looked after within their families.' },
      { id: 'KP2', title: 'Key Principle 2', text: 'Kinship carers get the support they need.' },
      { id: 'KP3', title: 'Key Principle 3', text: 'Decisions are made with families.' },
    ],
    recommendations: [
      { id: 'R1', title: 'Recommendation 1', text: 'Publish a clear local offer.', evidence: 'strong' },
      { id: 'R2', title: 'Recommendation 2', text: 'Assess carers early.', evidence: 'good' },
      { id: 'R3', title: 'Recommendation 3', text: 'Offer peer support.', evidence: 'promising' },
      { id: 'R4', title: 'Recommendation 4', text: 'Train the workforce.', evidence: 'good' },
      { id: 'R5', title: 'Recommendation 5', text: 'Review support regularly.', evidence: 'promising' },
      { id: 'R6', title: 'Recommendation 6', text: 'Work with partners.', evidence: 'strong' },
    ],
    allTag: 'Relevant to every Key Principle and Recommendation.',
    stages: [
      {
        id: 'assess',
        title: 'Assess',
        introduction: 'Understand where you are now.',
        sections: [
          {
            id: 'carers',
            title: 'Kinship carers in your area',
            items: [
              {
                id: 'assess.carers.count',
                kind: 'question',
                text: 'How many kinship households do you know of?',
                tags: ['KP1', 'R1'],
                lead: 'You may want to think about:',
                children: [
                  {
                    id: 'assess.carers.count.informal',
                    kind: 'question',
                    text: 'How many are informal arrangements?',
                    tags: [],
                  },
                  {
                    id: 'assess.carers.count.sgo',
                    kind: 'question',
                    text: 'How many have a special guardianship order?',
                    tags: ['R2'],
                  },
                ],
              },
              {
                id: 'assess.carers.data',
                kind: 'prompt',
                text: 'This includes:',
                tags: ['ALL'],
                children: [
                  {
                    id: 'assess.carers.data.age',
                    kind: 'question',
                    text: 'The age profile of carers',
                    tags: [],
                  },
                  {
                    id: 'assess.carers.data.needs',
                    kind: 'question',
                    text: 'What support carers ask for',
                    tags: ['KP1'],
                  },
                ],
              },
            ],
          },
          {
            id: 'offer',
            title: 'Your local offer',
            tags: ['R1'],
            items: [
              {
                id: 'assess.offer.published',
                kind: 'question',
                text: 'Is the local offer published?',
                tags: [],
              },
            ],
          },
        ],
      },
      {
        id: 'plan',
        title: 'Plan',
        introduction: 'Decide what to do.',
        sections: [
          {
            id: 'r2',
            title: 'Recommendation 2: early assessment',
            recommendation: 'R2',
            items: [
              {
                id: 'plan.r2.timescales',
                kind: 'checklist',
                text: 'Plan how you will agree timescales.',
                tags: [],
              },
              {
                id: 'plan.r2.training',
                kind: 'checklist',
                text: 'Plan how you will train assessors.',
                tags: ['R2', 'KP2'],
              },
            ],
          },
        ],
      },
    ],
  };
}

/** A cycle over `fixtureBank()` with a few answers of each kind, a priority and an action. */
export function fixtureCycle(bank: Bank = fixtureBank(), id = '2026-27'): CycleFile {
  return {
    format: 1,
    cycle: id,
    authority: 'Exampleshire County Council',
    bank: { id: bank.id, version: bank.version },
    priorities: [{ recommendation: 'R1', rationale: ['Most carers told us they could not find the offer.'] }],
    answers: {
      'assess.carers.count': {
        status: 'answered',
        text: ['Around 240 households.', '64% of carers are grandparents.'],
        rating: 'amber',
        changed: '2026-01-10',
      },
      'assess.carers.count.sgo': {
        status: 'needs-data',
        needs: ['Court data for the last two years.'],
        changed: '2026-01-10',
      },
      'assess.offer.published': {
        status: 'answered',
        text: ['Yes, on the council website.'],
        rating: 'green',
        changed: '2026-01-11',
      },
      'plan.r2.timescales': {
        status: 'planned',
        text: ['Agreed with the courts team.'],
        changed: '2026-01-12',
      },
    },
    actions: [
      {
        id: 'A1',
        title: 'Publish the local offer',
        owner: 'Kinship team',
        due: '2026-03-31',
        status: 'in-progress',
        tags: ['R1'],
        history: [{ date: '2026-01-12', status: 'planned' }],
        opened: id,
      },
    ],
  };
}
