/**
 * The command line, declared once, as data: every command, its arguments and options, their values
 * and choices, defaults, descriptions and examples. From this one spec
 * - `src/cli.ts` builds commander (and with it `--help` and the examples after it),
 * - `src/commands/completion.ts` generates the bash, zsh and fish completion scripts,
 * - each handler gets its option type, `CommandOptions<'diff'>`, so reading an option that is not
 *   declared here does not compile.
 * To add an option: one entry here, then use it in the handler (ARCHITECTURE.md shows an example).
 *
 * This module is bundled into the start-up entry (dist/cli.cjs): it may import only the core's
 * constants (src/core/types.ts), never a module with code of its own.
 */
import { ACTION_STATUSES, ANSWER_STATUSES, BUILT_IN_STAGES, BUILT_IN_TAGS, RATINGS } from './core/types.ts';

// ---------------------------------------------------------------------------------------------------
// The shape of the spec

/**
 * What the shell offers for a value: free text (nothing), files, folders, the workspace's cycle ids,
 * the built-in bank ids and YAML files, the help topics and commands, or a list of words.
 */
export type Completes = 'text' | 'file' | 'dir' | 'cycle' | 'bank' | 'help' | readonly string[];

/**
 * One option. Its key in `options` is the name the handler reads (`exitCode`); the long flag is that
 * name in kebab case (`--exit-code`), or `--no-<name>` for a `negate` flag.
 */
export interface OptionSpec {
  /** A one-letter alias: `-c`. */
  readonly short?: `-${string}`;
  /** The value's name in help (`--cycle <cycle>`); an option without one is a flag. */
  readonly value?: string;
  readonly description: string;
  /** `--no-<name>`: the setting is on unless this flag is given (the handler sees `false`). */
  readonly negate?: true;
  /** commander refuses to run without it. */
  readonly required?: true;
  /** May be given more than once; the handler sees an array. */
  readonly repeatable?: true;
  readonly default?: string;
  /** The only values allowed, checked when parsing; the handler's type is their union. */
  readonly choices?: readonly string[];
  /**
   * With `choices`: commander lists them in help (`choices: "md", "json"`) and words the error. Without
   * it the description must name them, and a wrong value gets our own "--rating must be one of: …".
   */
  readonly listChoices?: true;
  /** What the shell offers for the value when there are no `choices` (default: nothing). */
  readonly completes?: Completes;
}

/** A positional argument; the handler reads it under its `name`. */
export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
  /** `[name]` instead of `<name>`. */
  readonly optional?: true;
  /** `name...`: all the remaining words, as an array. */
  readonly variadic?: true;
  /** The only values allowed (the description names them). */
  readonly choices?: readonly string[];
  readonly completes?: Completes;
}

/** An example in help: the command line, and optionally what it does (shown to its right). */
export type Example = string | readonly [command: string, note: string];

export interface CommandSpec {
  readonly description: string;
  readonly args?: readonly ArgumentSpec[];
  readonly options?: { readonly [name: string]: OptionSpec };
  /** Shown under "Examples:" after the command's help. */
  readonly examples?: readonly Example[];
  /** A paragraph after the examples. */
  readonly footer?: string;
  readonly subcommands?: { readonly [name: string]: CommandSpec };
  /** For a subcommand: the one that runs when its parent is given alone (`actions` → `actions list`). */
  readonly isDefault?: true;
}

export interface ProgramSpec {
  readonly name: string;
  readonly description: string;
  /** Options every command accepts (the handlers get them through the command context). */
  readonly options: { readonly [name: string]: OptionSpec };
  /** commander's own options, listed here for completion and help. */
  readonly version: { readonly flags: string; readonly description: string };
  readonly help: { readonly flags: string; readonly description: string };
  readonly examples: readonly Example[];
  readonly footer: string;
}

// ---------------------------------------------------------------------------------------------------
// Options several commands share, with the description they usually have

const cycle = {
  short: '-c',
  value: 'cycle',
  description: 'the cycle (default: the latest)',
  completes: 'cycle',
} as const satisfies OptionSpec;
const json = { description: 'print one JSON document' } as const satisfies OptionSpec;
const tag = {
  short: '-t',
  value: 'tag',
  description: 'only items linked to this Key Principle or Recommendation',
  completes: BUILT_IN_TAGS,
} as const satisfies OptionSpec;
const stage = {
  short: '-s',
  value: 'stage',
  description: 'only this stage: assess, plan, do or review',
  completes: BUILT_IN_STAGES,
} as const satisfies OptionSpec;
const out = {
  short: '-o',
  value: 'file',
  description: 'write to this file instead of stdout',
  completes: 'file',
} as const satisfies OptionSpec;
const format = <const C extends readonly string[]>(choices: C, defaultValue: C[number]) =>
  ({
    short: '-f',
    value: 'format',
    description: 'output format',
    choices,
    listChoices: true,
    default: defaultValue,
  }) as const satisfies OptionSpec;

// ---------------------------------------------------------------------------------------------------
// The program

export const PROGRAM = {
  name: 'kinship-reflect',
  description:
    'Work through the Reflective Tool for actioning the Kinship Care Practice Guide:\n' +
    'answer its questions stage by stage (Assess, Plan, Do, Review), save every answer as you go,\n' +
    'export reports and compare cycles.',
  options: {
    dir: {
      short: '-d',
      value: 'folder',
      description:
        'workspace folder (default: $KINSHIP_REFLECT_DIR, else the nearest folder at or above this one holding kinship-reflect.yaml, else ./reflections)',
      completes: 'dir',
    },
    bank: {
      short: '-b',
      value: 'id|path',
      description: 'question bank: reflective-tool, elected-members, or a YAML file',
      completes: 'bank',
    },
    color: { negate: true, description: 'never use colour (also NO_COLOR=1 or TERM=dumb)' },
    plain: {
      description: 'screen-reader friendly: linear text, numbered choices, no redraws (also ACCESSIBLE=1)',
    },
    quiet: { short: '-q', description: 'print only data and errors' },
    verbose: { short: '-v', description: 'print more detail about what is happening' },
  },
  version: { flags: '-V, --version', description: 'print the version' },
  help: { flags: '-h, --help', description: 'display help for command' },
  examples: [
    'kinship-reflect init --authority "Exampleshire County Council"',
    ['kinship-reflect interview --cycle 2026-27', 'answer questions, saved as you go'],
    ['kinship-reflect status --cycle 2026-27', 'progress by stage and by KP/R'],
    'kinship-reflect export --cycle 2026-27 --out report.md',
    ['kinship-reflect diff 2025-26 2026-27', 'what changed since last cycle'],
  ],
  footer:
    // one line each: wrapped to the width when printed
    'Exit codes: 0 ok, 1 failure, 2 usage error or no terminal, 3 validation failed or personal data found, 130 interrupted.\n' +
    'More: kinship-reflect help <workspaces|cycles|plain|git>',
} as const satisfies ProgramSpec;

// ---------------------------------------------------------------------------------------------------
// The commands, in the order help lists them

const listActions = {
  description: 'list actions',
  isDefault: true,
  options: {
    cycle,
    status: {
      value: 'status',
      description: 'only actions with this status: planned, in-progress, done, dropped',
      completes: ACTION_STATUSES,
    },
    tag: { ...tag, description: 'only actions linked to this tag' },
    owner: { value: 'owner', description: 'only actions owned by this role or team' },
    overdue: { description: 'only actions past their due date and not done or dropped' },
    json,
  },
} as const satisfies CommandSpec;

export const COMMANDS = {
  init: {
    description: 'create a workspace: a folder holding kinship-reflect.yaml and one file per cycle',
    options: {
      authority: {
        short: '-a',
        value: 'name',
        description: 'the local authority the reflections are for',
      },
      ratings: {
        negate: true,
        description: 'do not ask for a red/amber/green self-rating after each answer',
      },
      report: { negate: true, description: 'do not write <cycle>.md beside each <cycle>.json' },
      force: { description: 'overwrite an existing kinship-reflect.yaml' },
    },
    examples: [
      'kinship-reflect init --authority "Exampleshire County Council"',
      'kinship-reflect init --dir ~/reflections --bank elected-members --authority "Exampleshire"',
    ],
  },
  interview: {
    description: 'the interactive walk through a stage, saving after every answer',
    options: {
      cycle: { ...cycle, description: 'the cycle to work on, e.g. 2026-27 (created if new)' },
      stage: { ...stage, description: 'go straight to a stage: assess, plan, do or review' },
      tag: {
        ...tag,
        description: 'only items tagged with this Key Principle or Recommendation (e.g. KP1, R4)',
      },
      from: {
        value: 'cycle',
        description: 'pre-fill answers from an earlier cycle (marked "carried forward")',
        completes: 'cycle',
      },
    },
    examples: [
      'kinship-reflect interview',
      'kinship-reflect interview --cycle 2026-27 --stage assess --tag R1',
      'kinship-reflect interview --plain --cycle demo --stage do < answers.txt',
    ],
    footer: 'At any prompt, type ? to explain the tags.',
  },
  answer: {
    description: 'set one answer without prompts, for scripts (text from --text or stdin)',
    args: [
      {
        name: 'item-id',
        description: 'the item, e.g. assess.carers.demographics (see: kinship-reflect questions)',
      },
    ],
    options: {
      cycle: { ...cycle, description: 'the cycle to write to', required: true },
      text: { value: 'text', description: 'the answer text (otherwise read from stdin)' },
      status: {
        value: 'status',
        description:
          'answered, needs-data, skipped; for checklists not-started, planned, in-place, not-applicable',
        completes: ANSWER_STATUSES,
      },
      rating: { value: 'rating', description: 'red, amber or green self-rating', choices: RATINGS },
      needs: { value: 'text', description: 'with --status needs-data: what data is needed' },
      evidence: {
        value: 'link',
        description: 'a link or reference to evidence (repeatable)',
        repeatable: true,
      },
    },
    examples: [
      'kinship-reflect answer assess.carers.demographics --cycle 2026-27 --text "Around 240 households"',
      'echo "See the data report" | kinship-reflect answer review.reflect.learning --cycle 2026-27 --rating amber',
    ],
  },
  status: {
    description: 'progress of a cycle by stage and by Key Principle / Recommendation',
    options: { cycle, json },
    examples: ['kinship-reflect status', 'kinship-reflect status --cycle 2026-27 --json'],
  },
  cycles: {
    description: 'list the cycles in the workspace with their progress',
    options: { json },
    examples: ['kinship-reflect cycles', 'kinship-reflect cycles --json'],
  },
  actions: {
    description: 'list, add and update the actions of a cycle',
    examples: [
      'kinship-reflect actions list --cycle 2026-27 --overdue',
      'kinship-reflect actions add --cycle 2026-27 --title "Publish the local offer" --tag R1 --due 31/03/2027',
      'kinship-reflect actions update A2 --cycle 2026-27 --status done',
    ],
    subcommands: {
      list: listActions,
      add: {
        description: 'add an action',
        options: {
          cycle,
          title: { value: 'title', description: 'what will be done', required: true },
          owner: {
            value: 'owner',
            description: 'who is responsible (a role or team, not a named individual)',
          },
          due: { value: 'date', description: 'due date, DD/MM/YYYY or YYYY-MM-DD' },
          tag: {
            ...tag,
            description: 'a linked Key Principle or Recommendation (repeatable)',
            repeatable: true,
          },
          note: { value: 'note', description: 'a note' },
          json: { description: 'print the new action as JSON' },
        },
      },
      update: {
        description: 'update an action',
        args: [{ name: 'id', description: 'the action id, e.g. A2' }],
        options: {
          cycle,
          status: {
            value: 'status',
            description: 'planned, in-progress, done or dropped',
            completes: ACTION_STATUSES,
          },
          title: { value: 'title', description: 'new title' },
          owner: {
            value: 'owner',
            description: 'new owner (a role or team, not a named individual; "" to clear)',
          },
          due: { value: 'date', description: 'new due date, DD/MM/YYYY or YYYY-MM-DD' },
          tag: { ...tag, description: 'replace the linked tags (repeatable)', repeatable: true },
          note: { value: 'note', description: 'add a note' },
          json: { description: 'print the updated action as JSON' },
        },
      },
    },
  },
  export: {
    description:
      'a cycle as the working Markdown report, JSON or CSV, or as a paper for people in HTML or Word (stdout unless --out)',
    options: {
      cycle,
      format: format(['md', 'json', 'csv', 'html', 'docx'], 'md'),
      summary: { description: 'the short committee paper: the summary and the actions (md, html, docx)' },
      stage: { ...stage, description: 'only this stage: assess, plan, do or review (the paper says so)' },
      tag: {
        ...tag,
        description: 'only items linked to this Key Principle or Recommendation (the paper says so)',
      },
      members: {
        value: 'file',
        description:
          'a cycle file of the elected-members bank: its answers to the four key questions go in the paper (html, docx, md summary)',
        completes: 'file',
      },
      out: { ...out, description: 'write to this file instead of stdout (required for docx)' },
      force: {
        description: 'overwrite --out even if kinship-reflect did not write it (or it was edited by hand)',
      },
    },
    examples: [
      'kinship-reflect export --cycle 2026-27 --out committee-report.md',
      ['kinship-reflect export --format html --out reflection.html', 'the full paper, accessible HTML'],
      ['kinship-reflect export --format docx --summary --out summary.docx', 'the committee summary in Word'],
      ['kinship-reflect export --format html --tag R3 --out r3.html', 'only what concerns R3, for a partner'],
      [
        'kinship-reflect export --format docx --summary --members ../members/2026-27.json --out board.docx',
        "with the elected members' answers",
      ],
      'kinship-reflect export --format csv > answers.csv',
    ],
  },
  import: {
    description: 'bring edits back from a Markdown report or a JSON export, item by item',
    args: [{ name: 'file', description: 'the edited report (.md) or export (.json)', completes: 'file' }],
    options: {
      cycle: { ...cycle, description: 'the cycle to update (default: the one named in the file)' },
      yes: { short: '-y', description: 'save the changes without asking' },
      prefer: {
        value: 'side',
        description:
          "settle items changed both in the file and in the cycle: keep the cycle's or take the report's",
        choices: ['cycle', 'report'],
        listChoices: true,
      },
    },
    examples: [
      'kinship-reflect import reflections/2026-27.md',
      'kinship-reflect import edited-report.md --cycle 2026-27 --yes',
      ['kinship-reflect import edited-report.md --yes --prefer cycle', 'keep the cycle where both changed'],
    ],
    footer:
      'Only what the report changed is applied: an answer saved since it was written is kept. Items changed in both are asked about at a terminal; without one nothing is saved unless --prefer is given.',
  },
  diff: {
    description: 'what changed between two cycles',
    args: [
      { name: 'from', description: 'the earlier cycle', completes: 'cycle' },
      { name: 'to', description: 'the later cycle', completes: 'cycle' },
    ],
    options: {
      format: format(['text', 'md', 'json'], 'text'),
      tag,
      exitCode: { description: 'exit 1 when there are differences, 0 when there are none' },
      json: { description: 'same as --format json' },
    },
    examples: [
      'kinship-reflect diff 2025-26 2026-27',
      'kinship-reflect diff 2025-26 2026-27 --format md > what-changed.md',
      'kinship-reflect diff 2025-26 2026-27 --tag R3 --exit-code',
    ],
  },
  validate: {
    description: 'check question banks and cycle files; lists every problem with file:line:column',
    args: [
      {
        name: 'files',
        description: 'YAML banks or cycle JSON files (default: the built-in banks and the workspace)',
        optional: true,
        variadic: true,
        completes: 'file',
      },
    ],
    options: { json },
    examples: [
      'kinship-reflect validate',
      'kinship-reflect validate questions/local.yaml reflections/2026-27.json',
    ],
  },
  questions: {
    description: 'browse the question bank by stage and section',
    options: {
      stage,
      tag: { ...tag, description: 'only items linked to this tag (KP1–KP3, R1–R6, ALL)' },
      json: { description: 'print a flat JSON array of items in bank order' },
    },
    examples: ['kinship-reflect questions --stage plan --tag R3', 'kinship-reflect questions --json'],
  },
  guide: {
    description:
      'the Key Principles, the Recommendations with their evidence ratings, and what the ratings mean',
    options: { json },
    examples: ['kinship-reflect guide', 'kinship-reflect guide --bank elected-members --json'],
  },
  check: {
    description:
      'scan answers for personal data (NHS numbers, postcodes, names…); usable as a git pre-commit hook',
    args: [
      {
        name: 'paths',
        description: 'cycle files, reports or folders (default: the workspace)',
        optional: true,
        variadic: true,
        completes: 'file',
      },
    ],
    options: {
      installHook: { description: "install a git pre-commit hook in the workspace's repository" },
      uninstallHook: { description: 'remove the pre-commit hook installed by --install-hook' },
      allow: {
        value: 'fingerprint',
        description: 'mark a reviewed finding as a false positive (repeatable)',
        repeatable: true,
      },
      staged: { description: 'check the files staged in git (what the hook runs)' },
      json,
    },
    examples: [
      'kinship-reflect check',
      'kinship-reflect check --install-hook',
      'kinship-reflect check --allow 3f2a9c0d1e4b5a67',
    ],
  },
  git: {
    description: "merges that keep everyone's answers: set a clone up once, settle conflicts item by item",
    examples: [
      ['kinship-reflect git setup', 'once per clone'],
      ['kinship-reflect git resolve 2026-27', 'when a merge says so'],
    ],
    subcommands: {
      setup: {
        description:
          'once per clone: .gitattributes lines, the merge drivers and the pre-commit personal-data hook',
        options: {
          check: { description: 'only say whether this clone is set up (exit 1 when it is not)' },
        },
      },
      resolve: {
        description: 'settle the merge conflicts of a cycle item by item, then write it and its report',
        args: [
          {
            name: 'cycle',
            description: 'the cycle (default: the one with conflicts)',
            optional: true,
            completes: 'cycle',
          },
        ],
        options: {
          take: {
            value: 'side',
            description: 'settle every conflict without asking: keep ours or take theirs',
            choices: ['ours', 'theirs'],
            listChoices: true,
          },
        },
      },
      'merge-file': {
        description: 'the merge driver git runs for cycle files and reports (registered by git setup)',
        args: [
          { name: 'base', description: 'the common version (%O)' },
          { name: 'ours', description: 'our version, where the result is written (%A)' },
          { name: 'theirs', description: 'their version (%B)' },
          { name: 'path', description: 'the path being merged (%P)' },
        ],
      },
    },
  },
  aggregate: {
    description: "one summary across many authorities' workspaces or cycle files",
    args: [
      {
        name: 'paths',
        description: 'workspaces, folders of cycle files, or cycle files',
        variadic: true,
        completes: 'file',
      },
    ],
    options: {
      format: format(['md', 'csv', 'json'], 'md'),
      out,
      force: { description: 'overwrite --out even if kinship-reflect did not write it' },
      json: { description: 'same as --format json' },
    },
    examples: [
      'kinship-reflect aggregate regional/*/reflections',
      'kinship-reflect aggregate regional --format csv --out summary.csv',
    ],
  },
  completion: {
    description: 'print a shell completion script',
    args: [{ name: 'shell', description: 'bash, zsh or fish', choices: ['bash', 'zsh', 'fish'] }],
    examples: ['kinship-reflect completion bash >> ~/.bashrc'],
  },
  help: {
    description: 'help on a command or a topic: workspaces, cycles, plain, git',
    args: [
      {
        name: 'topic',
        description: 'a command name (e.g. diff, actions add) or a topic',
        optional: true,
        variadic: true,
        completes: 'help',
      },
    ],
  },
} as const satisfies { readonly [name: string]: CommandSpec };

// ---------------------------------------------------------------------------------------------------
// The handlers' option types, derived from the spec

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ChoiceOf<S> = S extends { readonly choices: readonly (infer C)[] } ? C : string;
type OptionValue<O> = O extends { readonly value: string }
  ? O extends { readonly repeatable: true }
    ? ChoiceOf<O>[]
    : ChoiceOf<O>
  : boolean;
type ArgumentValue<A> = A extends { readonly variadic: true } ? ChoiceOf<A>[] : ChoiceOf<A>;
type OptionsIn<C> = C extends { readonly options: infer O } ? O : Record<never, never>;
type ArgumentsIn<C> = C extends { readonly args: readonly (infer A extends ArgumentSpec)[] } ? A : never;
type IsRequired<S> = S extends { readonly required: true } ? true : false;
type IsOptionalArgument<A> = A extends { readonly optional: true } ? true : false;

/**
 * What a handler receives for a command: each option under its key, each argument under its name.
 * Only `required` options and required arguments are certain to be there; the others (defaults
 * included, so that tests and other commands may call a handler with only what matters) are optional.
 */
export type OptionsOf<C> = Simplify<
  {
    -readonly [K in keyof OptionsIn<C> as IsRequired<OptionsIn<C>[K]> extends true ? K : never]: OptionValue<
      OptionsIn<C>[K]
    >;
  } & {
    -readonly [K in keyof OptionsIn<C> as IsRequired<OptionsIn<C>[K]> extends true ? never : K]?: OptionValue<
      OptionsIn<C>[K]
    >;
  } & {
    -readonly [A in ArgumentsIn<C> as IsOptionalArgument<A> extends true
      ? never
      : A['name']]: ArgumentValue<A>;
  } & {
    -readonly [A in ArgumentsIn<C> as IsOptionalArgument<A> extends true
      ? A['name']
      : never]?: ArgumentValue<A>;
  }
>;

type Commands = typeof COMMANDS;

/** A command that runs a handler: `diff`, `actions add` (not `actions`, which only groups). */
export type CommandPath = {
  [K in keyof Commands & string]: Commands[K] extends { readonly subcommands: infer S }
    ? `${K} ${keyof S & string}`
    : K;
}[keyof Commands & string];

/** The spec of a command, by its path. */
export type SpecOf<P extends CommandPath> = P extends `${infer Parent} ${infer Sub}`
  ? Parent extends keyof Commands
    ? Commands[Parent] extends { readonly subcommands: infer S }
      ? Sub extends keyof S
        ? S[Sub]
        : never
      : never
    : never
  : P extends keyof Commands
    ? Commands[P]
    : never;

/** A handler's options: `export type DiffOptions = CommandOptions<'diff'>`. */
export type CommandOptions<P extends CommandPath> = OptionsOf<SpecOf<P>>;

/** The options every command accepts (the command context carries them). */
export type ProgramOptions = OptionsOf<typeof PROGRAM>;
