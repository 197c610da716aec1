#!/usr/bin/env node
// Builds examples/exampleshire/: a small, FICTIONAL workspace of two cycles for an invented council,
// entirely through the built CLI (run `npm run build` first), so the examples are what the tool writes.
// Every figure is aggregated and invented; nothing names or describes an individual.
//
// Each step pins KINSHIP_REFLECT_TODAY, so re-running reproduces the files byte for byte:
//
//   node scripts/make-examples.mjs                 # rewrite examples/exampleshire/ and examples/documents/
//   node scripts/make-examples.mjs --out /tmp/ex   # build them elsewhere (the tests compare the two;
//                                                  # the documents go beside it: /tmp/documents)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'kinship-reflect.js');

export const EXAMPLE_FILES = [
  '2025-26.json',
  '2025-26.md',
  '2026-27.json',
  '2026-27.md',
  'kinship-reflect.yaml',
];
export const AUTHORITY = 'Exampleshire County Council (fictional)';

/** The papers for people made from the example's latest cycle (examples/documents/). */
export const DOCUMENT_FILES = [
  ['exampleshire-2026-27.html', ['--format', 'html']],
  ['exampleshire-2026-27-summary.html', ['--format', 'html', '--summary']],
  ['exampleshire-2026-27.docx', ['--format', 'docx']],
  ['exampleshire-2026-27-summary.docx', ['--format', 'docx', '--summary']],
];
/** The date the example papers are dated. */
export const DOCUMENTS_DATE = '2026-07-10';

function parseArgs(argv) {
  let out = path.join(root, 'examples', 'exampleshire');
  let documents;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out' && argv[i + 1]) {
      out = path.resolve(argv[++i]);
      documents = path.join(path.dirname(out), 'documents');
    } else if (arg.startsWith('--out=')) {
      out = path.resolve(arg.slice('--out='.length));
      documents = path.join(path.dirname(out), 'documents');
    } else {
      console.error(
        `make-examples: unknown argument "${arg}". Usage: node scripts/make-examples.mjs [--out <folder>]`,
      );
      process.exit(2);
    }
  }
  return { out, documents: documents ?? path.join(root, 'examples', 'documents') };
}

/** A clean environment: nothing from the caller's shell may change what the CLI writes. */
export function cliEnv(today) {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NO_COLOR: '1',
    TERM: 'dumb',
    TZ: 'UTC',
    LANG: 'C.UTF-8',
    KINSHIP_REFLECT_TODAY: today,
  };
}

/** Runs the CLI in `dir` on `today`; throws with its stderr unless it exits 0. */
function makeRunner(dir) {
  return (today, args, input) => {
    try {
      return execFileSync(process.execPath, [bin, '--dir', dir, ...args], {
        env: cliEnv(today),
        input: input ?? '',
        encoding: 'utf8',
        stdio: ['pipe', 'pipe', 'pipe'],
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      const stderr = error.stderr ? String(error.stderr) : '';
      throw new Error(
        `kinship-reflect ${args.join(' ')} failed (exit ${error.status}):\n${stderr.slice(-3000)}`,
      );
    }
  };
}

/** Lines typed into a plain-mode interview, one answer per line (see the README's protocol). */
export function script(...lines) {
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------
// Cycle 2025-26: the first pass through the tool.

/** Assess: [item, text | {needs}, rating?] — aggregated, invented figures only. */
const ASSESS_2025 = [
  [
    'assess.carers.demographics',
    [
      'Around 310 children live in kinship households we know of (fictional figure).',
      'About a fifth are under 5 and a third are 11 or older; 38% are in sibling groups.',
    ],
    'amber',
  ],
  [
    'assess.carers.connection.relationships',
    ['64% of carers are grandparents, 19% aunts or uncles, 8% older siblings and 9% family friends.'],
    'green',
  ],
  ['assess.carers.couples', ['About 55% care as couples and 45% as single carers.']],
  [
    'assess.carers.children-in-household',
    ['Most households care for one child; around 1 in 4 care for a sibling group of two or more.'],
  ],
  [
    'assess.carers.number-supported',
    [
      'Around 240 kinship households supported (fictional figure):',
      '150 under a special guardianship order, 60 connected-person foster carers,',
      '30 under a child arrangements order.',
    ],
    'amber',
  ],
  [
    'assess.carers.unplanned-endings',
    [
      '12 SGO households had an unplanned ending since 2023.',
      'Endings are recorded in the case system, but the reason is free text.',
    ],
    'red',
  ],
  [
    'assess.carers.unplanned-endings.analysed',
    { needs: ['Unplanned endings by legal order and by year since 2023, with the reason coded.'] },
  ],
  [
    'assess.carers.support-needs',
    ['Needs are recorded in SGO support plans at assessment, but rarely reviewed once the order is made.'],
    'amber',
  ],
  [
    'assess.carers.collective-view',
    { needs: ['A yearly summary of the needs recorded in support plans, across all kinship households.'] },
  ],
  [
    'assess.carers.gaps',
    [
      'Peer support outside the two largest towns.',
      'Help with family time (contact) arrangements.',
      'Support for teenagers preparing for independence.',
    ],
    'red',
  ],
  [
    'assess.lived-experience.carer-views',
    [
      'The 2025 carer survey (52 responses) says carers value the duty line',
      'but find out about the support available too late.',
    ],
    'amber',
  ],
  [
    'assess.lived-experience.carer-views.collection',
    ["A yearly online survey and a termly carers' forum co-facilitated with a special guardian."],
  ],
  [
    'assess.lived-experience.carer-views.accessible',
    ['Half of the survey respondents did not know the local offer existed.'],
    'red',
  ],
  [
    'assess.service.staff-training',
    ['A two-day kinship induction for new staff; no specialist training on trauma since 2023.'],
    'amber',
  ],
  ['assess.service.team-support', ['Monthly group supervision; staff say caseloads are the main pressure.']],
  [
    'assess.service.consistency.points-of-contact',
    [
      'Carers have 3 to 5 points of contact in their first year, from the assessing team to the support team.',
    ],
    'red',
  ],
  [
    'assess.service.stability',
    ['Yes: 1 vacancy in a team of 9 social workers and 2 family support workers.'],
    'green',
  ],
  [
    'assess.offer.tailored',
    [
      'A kinship therapeutic parenting group runs twice a year; other parenting support is the universal offer.',
    ],
    'amber',
  ],
  [
    'assess.offer.local-offer',
    ['Published on the council website, but hard to find and last updated in 2023.'],
    'red',
  ],
  [
    'assess.offer.good-practice',
    ['Peer support groups in two of the four localities; a dedicated SGO support team since 2023.'],
    'green',
  ],
  [
    'assess.offer.co-design',
    ["Not yet; the carers' forum reviewed the new information pack in 2024."],
    'red',
  ],
  [
    'assess.offer.financial-support',
    [
      'Allowances are means-tested against the national fostering minimum;',
      'Section 17 payments are decided case by case.',
    ],
    'amber',
  ],
  [
    'assess.offer.legal-status',
    ['Yes: connected-person foster carers receive the fostering allowance; SGO allowances are means-tested.'],
  ],
  [
    'assess.offer.outcomes.theory-of-change',
    { needs: ['Outcome measures for the support offer; none are collected at present.'] },
  ],
  [
    'assess.strategy.alignment',
    [
      'Partly: the 2024 strategy covers KP1 and KP3 but says little about peer support (R3) or self-care training (R5).',
    ],
    'amber',
  ],
];

/** `answer` arguments for a checklist item: status, note, and a rating when there is one. */
function checklistArgs(cycle, [id, status, note, rating]) {
  const args = ['answer', id, '--cycle', cycle, '--status', status, '--text', note];
  if (rating) args.push('--rating', rating);
  return args;
}

function answerArgs(cycle, [id, text, rating]) {
  const args = ['answer', id, '--cycle', cycle];
  if (Array.isArray(text)) args.push('--text', text.join('\n'));
  else args.push('--status', 'needs-data', '--needs', text.needs.join('\n'));
  if (rating) args.push('--rating', rating);
  return args;
}

/**
 * The Plan interview in plain mode: choose R1 then R3 (the checkbox lists R1–R6 in order), give a
 * rationale for each, add one action for each, set the first Plan checklist item, then save and quit.
 */
const PLAN_2025 = script(
  '1 3', // Which Recommendations will you prioritise, in order? R1, then R3
  'Half of the carers in our survey did not know the local offer existed.',
  'Our Assess answers on the local offer and points of contact are red.',
  '', // end of the R1 rationale
  'Peer support runs in only two of our four localities.',
  '', // end of the R3 rationale
  'y', // Add an action for R1?
  'Rewrite and publish the kinship local offer with carers',
  'Kinship support team manager',
  '31/12/2025',
  'n', // Add another action for R1?
  'y', // Add an action for R3?
  'Start peer support groups in the two localities without one',
  'Kinship support team',
  '31/03/2026',
  'n', // Add another action for R3?
  'a', // first Plan question (a checklist): set the status and a note
  '2', // Planned
  'Practical, financial and emotional support will each have a page in the new local offer.',
  '', // end of the note
  'a', // rated amber
  'q', // save and quit
);

/** Checklist items set with the `answer` command: [item, status, note, rating?]. */
const CHECKLIST_2025 = [
  [
    'plan.r1.knowledge.financial',
    'planned',
    'Allowance rates and Section 17 criteria to be published together.',
    'red',
  ],
  [
    'plan.r1.knowledge.emotional',
    'not-started',
    'Depends on the therapeutic offer being agreed with health partners.',
  ],
  [
    'plan.r1.referral-pathways',
    'in-place',
    'One referral route through the kinship duty line since April 2025.',
    'green',
  ],
  [
    'plan.r1.coordination',
    'planned',
    'A named worker for each household from assessment to first review.',
    'amber',
  ],
  [
    'plan.r3.elements.volunteer-training',
    'planned',
    'Four half-day sessions for new peer volunteers each year.',
  ],
  [
    'plan.r3.elements.volunteer-pay',
    'in-place',
    'Volunteers are reimbursed for travel and childcare costs.',
    'green',
  ],
  [
    'plan.r3.elements.volunteer-diversity',
    'not-applicable',
    'Covered by the volunteer recruitment plan for the whole service.',
  ],
  ['plan.all.measure-effect.family-views', 'planned', "Carers' forum feedback summarised each quarter."],
];

const DO_2025 = [
  [
    'do.prompts.progress',
    ['The local offer was rewritten with 14 carers from the forum and published in December 2025.'],
    'green',
  ],
  [
    'do.prompts.barriers',
    ['Finding venues for peer support in rural areas; we are talking to two family hubs.'],
    'amber',
  ],
  [
    'do.prompts.capturing-impact',
    { needs: ['Visits to the local offer page each month, and where carers heard about it.'] },
  ],
  [
    'do.prompts.feedback',
    ['Carers say the new offer is clearer; staff say they now know where to point families.'],
    'green',
  ],
];

const REVIEW_2025 = [
  [
    'review.reflect.learning',
    [
      'Page visits to the local offer doubled after it was relaunched.',
      'Peer support took longer to set up than planned.',
    ],
    'amber',
  ],
  [
    'review.reflect.demographics',
    ['The share of carers who are grandparents fell slightly, from 64% to 61%.'],
  ],
  [
    'review.reflect.unmet-needs',
    ['Support for older children in kinship households, especially teenagers preparing for independence.'],
    'red',
  ],
  [
    'review.reflect.data-quality',
    ['Code the reason for every unplanned ending; agree one count of kinship households with the data team.'],
  ],
  [
    'review.reflect.next-recommendation',
    ['R3 first, then R5: finish the peer support rollout, then offer self-care training to carers.'],
  ],
];

// ---------------------------------------------------------------------------------------------------
// Cycle 2026-27: carried forward from 2025-26, some answers confirmed, some changed.

/**
 * The Review interview in plain mode on a new cycle started from 2025-26: the first answer is
 * confirmed as it was, the second rewritten with a new rating, then save and quit.
 */
const REVIEW_2026_START = script(
  'k', // keep the carried-forward answer to the first Review question (confirm it)
  '', // its rating still holds (Enter keeps it)
  'a', // rewrite the next one
  'The peer support groups now meet in all four localities.',
  'Carers at the forum say the groups helped them most in the first year.',
  '', // end of the answer
  'g', // rated green
  'q', // save and quit
);

/** Plan 2026-27: keep the focus suggested by last cycle's Review (R3, R5), in that order. */
const PLAN_2026 = script(
  'c', // last cycle's priorities (R1, R3) come forward: choose again
  '', // keep the pre-selected Recommendations, in order (R3 and R5, from last Review)
  'Peer support now runs everywhere; next it needs trained volunteers who reflect our carers.',
  '', // end of the R3 rationale
  'Carers asked for help with their own wellbeing at three forums this year.',
  '', // end of the R5 rationale
  'n', // R3 already has an open action carried forward: add another? no
  'y', // Add an action for R5?
  'Commission self-care training for kinship carers',
  'Commissioning team',
  '30/09/2026',
  'n', // Add another action for R5?
  'q', // save and quit
);

/** Answers changed or confirmed in 2026-27 with the `answer` command. */
const ASSESS_2026 = [
  // the same text as last cycle, now confirmed: only the carried-forward mark goes
  ['assess.carers.couples', ['About 55% care as couples and 45% as single carers.']],
  [
    'assess.carers.connection.relationships',
    ['61% of carers are grandparents, 20% aunts or uncles, 9% older siblings and 10% family friends.'],
    'green',
  ],
  [
    'assess.carers.number-supported',
    [
      'Around 265 kinship households supported (fictional figure):',
      '170 under a special guardianship order, 62 connected-person foster carers,',
      '33 under a child arrangements order.',
    ],
    'amber',
  ],
  [
    'assess.carers.unplanned-endings.analysed',
    ['Yes, since April 2026: endings are counted by legal order each quarter and the reason is coded.'],
    'amber',
  ],
  [
    'assess.lived-experience.carer-views.accessible',
    ['In the 2026 survey (61 responses), 4 in 5 carers knew the local offer existed, up from half.'],
    'green',
  ],
  [
    'assess.service.consistency.points-of-contact',
    [
      'Carers now have a named worker from assessment to first review: usually 2 points of contact in year one.',
    ],
    'amber',
  ],
  [
    'assess.offer.local-offer',
    ['Relaunched in December 2025 with carers; linked from every SGO support plan.'],
    'green',
  ],
  [
    'assess.offer.co-design',
    ['The local offer was co-designed with 14 carers from the forum in 2025.'],
    'amber',
  ],
];

/** Carried-forward answers reviewed in 2026-27 and confirmed as they were. */
const CONFIRMED_2026 = [
  'assess.carers.demographics',
  'assess.carers.children-in-household',
  'assess.carers.support-needs',
  'assess.carers.collective-view',
  'assess.carers.gaps',
  'assess.lived-experience.carer-views',
  'assess.service.staff-training',
  'assess.service.stability',
  'assess.offer.tailored',
  'assess.offer.financial-support',
  'assess.offer.outcomes.theory-of-change',
];

/**
 * Confirm carried-forward answers unchanged with the `answer` command (what "Keep the carried-forward
 * answer" does in the interview): the same status, text, needs and rating as the cycle they came from.
 */
function confirmAsBefore(cli, out, today, ids) {
  const to = JSON.parse(readFileSync(path.join(out, '2026-27.json'), 'utf8'));
  for (const id of ids) {
    const a = to.answers[id];
    if (!a || a.carried === undefined)
      throw new Error(`make-examples: ${id} is not carried forward in 2026-27`);
    const args = ['answer', id, '--cycle', '2026-27', '--status', a.status];
    if (a.text) args.push('--text', a.text.join('\n'));
    if (a.needs) args.push('--needs', a.needs.join('\n'));
    if (a.rating) args.push('--rating', a.rating);
    cli(today, args);
  }
}

const CHECKLIST_2026 = [
  [
    'plan.r1.knowledge.financial',
    'in-place',
    'Allowance rates and Section 17 criteria published together in the local offer.',
    'green',
  ],
  [
    'plan.r1.coordination',
    'in-place',
    'A named worker for each household from assessment to first review.',
    'green',
  ],
  [
    'plan.r3.elements.volunteer-training',
    'in-place',
    'Four half-day sessions a year; 11 volunteers trained so far.',
    'amber',
  ],
];

export function makeExamples(out) {
  rmSync(out, { recursive: true, force: true });
  const cli = makeRunner(out);

  // 2025-26
  cli('2025-04-01', ['init', '--authority', AUTHORITY]);
  ASSESS_2025.forEach((entry, i) => {
    cli(`2025-05-${String(6 + Math.floor(i / 5)).padStart(2, '0')}`, answerArgs('2025-26', entry));
  });
  cli('2025-05-14', [
    'answer',
    'assess.offer.outcomes.theory-understood',
    '--cycle',
    '2025-26',
    '--status',
    'skipped',
  ]);
  cli('2025-06-10', ['interview', '--plain', '--cycle', '2025-26', '--stage', 'plan'], PLAN_2025);
  for (const entry of CHECKLIST_2025) cli('2025-06-12', checklistArgs('2025-26', entry));
  cli('2025-06-12', [
    'actions',
    'add',
    '--cycle',
    '2025-26',
    '--title',
    'Agree one count of kinship households with the data team',
    '--owner',
    'Performance and data team',
    '--tag',
    'KP1',
    '--due',
    '30/09/2025',
  ]);
  cli('2025-06-12', [
    'actions',
    'add',
    '--cycle',
    '2025-26',
    '--title',
    'Map the points of contact carers have in their first year',
    '--owner',
    'Kinship support team manager',
    '--tag',
    'KP2',
    '--tag',
    'R1',
    '--due',
    '31/10/2025',
  ]);
  cli('2025-10-20', [
    'actions',
    'update',
    'A1',
    '--cycle',
    '2025-26',
    '--status',
    'in-progress',
    '--note',
    "Draft reviewed by the carers' forum.",
  ]);
  cli('2025-10-20', ['actions', 'update', 'A3', '--cycle', '2025-26', '--status', 'done']);
  cli('2025-10-21', [
    'actions',
    'update',
    'A2',
    '--cycle',
    '2025-26',
    '--status',
    'in-progress',
    '--note',
    'Groups running in one of the two localities.',
  ]);
  for (const entry of DO_2025) cli('2026-01-15', answerArgs('2025-26', entry));
  cli('2026-01-15', [
    'actions',
    'update',
    'A1',
    '--cycle',
    '2025-26',
    '--status',
    'done',
    '--note',
    'Published in December 2025.',
  ]);
  cli('2026-03-02', [
    'actions',
    'update',
    'A4',
    '--cycle',
    '2025-26',
    '--status',
    'dropped',
    '--note',
    'Replaced by the named-worker model.',
  ]);
  for (const entry of REVIEW_2025) cli('2026-03-16', answerArgs('2025-26', entry));

  // 2026-27, carried forward from 2025-26
  cli(
    '2026-04-13',
    ['interview', '--plain', '--cycle', '2026-27', '--from', '2025-26', '--stage', 'review'],
    REVIEW_2026_START,
  );
  cli('2026-04-20', ['interview', '--plain', '--cycle', '2026-27', '--stage', 'plan'], PLAN_2026);
  for (const entry of ASSESS_2026) cli('2026-05-11', answerArgs('2026-27', entry));
  confirmAsBefore(cli, out, '2026-05-11', CONFIRMED_2026);
  for (const entry of CHECKLIST_2026) cli('2026-05-12', checklistArgs('2026-27', entry));
  cli('2026-06-30', [
    'actions',
    'update',
    'A2',
    '--cycle',
    '2026-27',
    '--status',
    'done',
    '--note',
    'Groups now meet in all four localities.',
  ]);
  cli('2026-06-30', [
    'actions',
    'add',
    '--cycle',
    '2026-27',
    '--title',
    'Recruit peer volunteers from under-represented groups of carers',
    '--owner',
    'Kinship support team',
    '--tag',
    'R3',
    '--due',
    '31/01/2027',
  ]);
  cli('2026-07-06', [
    'answer',
    'do.prompts.progress',
    '--cycle',
    '2026-27',
    '--rating',
    'green',
    '--text',
    'Peer support groups meet in all four localities; the self-care training is out to tender.',
  ]);

  // where each interview stopped is one person's state, ignored by git: not part of the example
  rmSync(path.join(out, '.kinship-reflect'), { recursive: true, force: true });
  const files = readdirSync(out).sort();
  if (files.join('\n') !== [...EXAMPLE_FILES].sort().join('\n')) {
    throw new Error(
      `make-examples: expected exactly ${EXAMPLE_FILES.join(', ')} in ${out}, found: ${files.join(', ')}`,
    );
  }
  return files.map((f) => path.join(out, f));
}

/**
 * The example's papers for people (HTML and Word, full and summary) of its latest cycle, written by
 * `export` into `documents`. The workspace must be complete (run makeExamples first).
 */
export function makeDocuments(workspace, documents) {
  // the folder also holds the README's screenshot (scripts/screenshot-example.mjs): keep it
  mkdirSync(documents, { recursive: true });
  const cli = makeRunner(workspace);
  return DOCUMENT_FILES.map(([name, args]) => {
    const file = path.join(documents, name);
    cli(DOCUMENTS_DATE, ['export', '--cycle', '2026-27', ...args, '--out', file, '--quiet']);
    return file;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { out, documents } = parseArgs(process.argv.slice(2));
  if (!existsSync(path.join(root, 'dist', 'cli.cjs'))) {
    console.error('make-examples: dist/ is missing; run `npm run build` first.');
    process.exit(1);
  }
  try {
    const written = [...makeExamples(out), ...makeDocuments(out, documents)];
    for (const file of written) console.log(path.relative(process.cwd(), file) || file);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
