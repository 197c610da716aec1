/**
 * The pages of `kinship-reflect help <topic>`: plain text, no colour. A paragraph (and a list item, a
 * table row's note) is one line, wrapped to the reader's width when printed; commands are never broken.
 * Keep `plain` in step with the header comment of src/ui/plain-prompter.ts and the README.
 */

import { renderKeyTable } from './keys.ts';

export interface HelpTopic {
  name: string;
  summary: string;
  text: string;
}

const workspaces = `WORKSPACES

A workspace is an ordinary folder that holds one authority's reflections:

  reflections/
    kinship-reflect.yaml   the authority's name, the question bank and options
    2025-26.json           one cycle: the answers, priorities and actions (the source of truth)
    2025-26.md             the same cycle as a readable report, rewritten on every save
    2026-27.json
    2026-27.md

Which folder is used, first match wins (the way git finds a repository):
  1. --dir <folder>  (any command)
  2. the KINSHIP_REFLECT_DIR environment variable
  3. the nearest folder at or above the current one that holds kinship-reflect.yaml, so every command works from inside the workspace and its sub-folders
  4. ./reflections in the current folder (where init creates it)

Create one with:
  kinship-reflect init --authority "Exampleshire County Council"
  kinship-reflect init --dir ~/reflections --bank elected-members --authority "Exampleshire"

kinship-reflect.yaml can be edited by hand:
  authority: Exampleshire County Council
  bank: reflective-tool      # or elected-members, or a path to your own YAML bank
  ratings: true              # ask for a red/amber/green self-rating after each answer
  report: true               # write <cycle>.md beside every <cycle>.json

Everything stays on your computer: kinship-reflect never uses the network. Answers are about services for vulnerable children, so keep them aggregated ("64% of carers are grandparents") and never name or identify a child, a carer or a member of staff. \`kinship-reflect check\` looks for personal data.

A workspace is meant to be kept in git: see \`kinship-reflect help git\`.
`;

const cycles = `CYCLES

The Reflective Tool is used in cycles: Assess, Plan, Do, Review, then again a quarter or a year later. Each cycle is one file in the workspace, named by a short id such as 2025-26 or 2026-q1: 1 to 64 letters, digits, dashes and underscores, starting with a letter or digit (no dots, spaces or slashes), and not a name Windows keeps for a device (CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9).

  kinship-reflect interview --cycle 2026-27       start a new cycle, or carry on with it
  kinship-reflect interview --cycle 2026-27 --from 2025-26
                                                  pre-fill it from last cycle's answers
  kinship-reflect cycles                          every cycle with its progress
  kinship-reflect status --cycle 2026-27          progress by stage and by KP1-KP3, R1-R6, ALL
  kinship-reflect diff 2025-26 2026-27            what changed between two cycles
  kinship-reflect export --cycle 2026-27 --out committee-report.md

Commands that take --cycle use the latest cycle when it is left out (the last id in sort order).

Carried-forward answers are marked "carried forward" until you confirm or change them, and status counts them separately, so a new cycle never looks finished before anyone has looked at it. Unfinished actions carry forward with their ids (A1, A2, ...).

Answer statuses: answered, needs-data (say what data is needed), skipped; checklist items ("plan how you will...") take not-started, planned, in-place or not-applicable, with a note. Each answer can have a red/amber/green self-rating: how well is this in place locally?

<cycle>.json is the source of truth; <cycle>.md is rendered from it on every save. Edit the report and read it back with \`kinship-reflect import <cycle>.md\`, or edit answers one at a time with \`kinship-reflect answer <item-id> --cycle <cycle>\`. \`kinship-reflect validate\` checks the files.
`;

const plain = `PLAIN MODE

--plain (or the environment variable ACCESSIBLE=1) turns the interview into a linear dialogue that works with screen readers, braille displays, simple terminals and piped input:

- Nothing moves: no cursor movement, no redraws, no spinners, no colour needed. Every line is printed once, in order. Meaning is in words ("Question 3 of 12", "[KP1] [R4]"), never in colour or symbols.
- Prompts, questions and read-backs go to stderr, one line at a time.
- Choices are numbered 1, 2, 3...; answer with the number, the shortcut letter shown as "or type b" (b for back), or the choice's exact words in any case. An empty line takes the default, when one is offered. Yes/no questions take y, yes, n or no. Where several choices may be picked (such as priority Recommendations), type their numbers in the order you want, separated by spaces or commas.
- Text answers may have several lines: type them, then an empty line to finish. The current text is shown for reference; typing nothing keeps it.
- A line with only ? explains the tags of the current question: the Key Principle or Recommendation text and its evidence rating.
- Each answer is read back in words after it is saved.
- End of input (Ctrl-D, or the end of a piped file) ends the session: everything confirmed so far is already saved, and text typed but not yet ended with an empty line is kept as a draft of that question, offered (restore or discard) the next time it is shown. Ctrl-C stops the same way and exits with code 130.
- With piped input, 20 answers in a row that are not understood stop the session with exit code 2 (what was confirmed before stays saved), so a wrong script cannot loop for ever or pass for done.

Because it reads ordinary lines, a whole stage can be answered from a file:
  kinship-reflect interview --plain --cycle demo --stage do < answers.txt

For one answer at a time from a script, \`kinship-reflect answer\` needs no prompts at all.

KEYS (the same letters in the plain mode and in a terminal, where typing one picks it at once)

${renderKeyTable(Number.POSITIVE_INFINITY)}
`;

const git = `GIT

A workspace is designed to live in git: <cycle>.json keeps answers in bank order, one line of text per array entry and no timestamps that change when nothing changed, so a one-line edit is a one-line diff.

Start:
  cd reflections && git init
  kinship-reflect git setup                  merge drivers, and refuse commits of personal data
  git add . && git commit -m "Assess stage, first pass"

Review what changed before committing:
  git diff                                   line by line, in <cycle>.json and <cycle>.md
  git diff --word-diff 2026-27.md            the report, word by word
  kinship-reflect diff 2025-26 2026-27       what changed between two cycles, item by item
  kinship-reflect check --staged             what the pre-commit hook runs

Once per clone (git does not copy this when you clone, so each colleague runs it once):
  kinship-reflect git setup                  merges answer by answer, and the personal-data hook
  git add .gitattributes && git commit -m "Merge reflections answer by answer"
  kinship-reflect git setup --check          is this clone set up?

Merge a colleague's changes: just merge.
  git pull                                   (or: git merge, git rebase, git cherry-pick)
  Answers that only one of you changed are merged for you, in <cycle>.json and in its report; so are changes to different lines of one answer.

When git says "run kinship-reflect git resolve 2026-27" (you both changed the same lines):
  kinship-reflect git resolve 2026-27        shows both versions; for each, keep yours, take theirs, keep both, or edit the text
  then run the git add / git commit (or --continue) command it prints.
  Never edit <<<<<<< lines by hand: git resolve repairs those too, even from a clone without setup.

An edited report, brought back with kinship-reflect import, changes only what you edited in it: answers saved since the report was written are kept, and what both changed is asked about.

Do not commit answers that identify a child, a carer or a member of staff; if one slips in, remove it from the history as well (ask whoever looks after your repository), not just from the latest commit.
`;

export const HELP_TOPICS: readonly HelpTopic[] = [
  { name: 'workspaces', summary: 'where answers are kept and how to create a workspace', text: workspaces },
  { name: 'cycles', summary: 'cycles of Assess, Plan, Do, Review; carrying answers forward', text: cycles },
  { name: 'plain', summary: 'the screen-reader friendly, line-by-line interview (--plain)', text: plain },
  { name: 'git', summary: "set a clone up once, commit, review, merge a colleague's changes", text: git },
];

/** The topic with this name (case-insensitive), if any. */
export function findHelpTopic(name: string): HelpTopic | undefined {
  const wanted = name.trim().toLowerCase();
  return HELP_TOPICS.find((t) => t.name === wanted);
}
