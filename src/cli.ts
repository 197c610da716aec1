/**
 * The command line, declared in one place. Only commander is imported up front; each command's
 * handler is loaded with `await import()` when it runs, so `--help` stays fast.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { CommandContext, GlobalOptions, Output } from './shell/context.ts';

function parseChoice(name: string, choices: readonly string[]) {
  return (value: string): string => {
    if (!choices.includes(value)) {
      throw new InvalidArgumentError(`${name} must be one of: ${choices.join(', ')}.`);
    }
    return value;
  };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export interface RunIo {
  /** Build the command context once the global options are known. */
  context: (global: GlobalOptions) => CommandContext;
  version: string;
  /** Where commander's own help, version and errors go (default: the process's streams). */
  outputs?: { stdout: Output; stderr: Output };
}

/** Runs the CLI and resolves to the exit code; never calls `process.exit`. */
export async function run(argv: string[], io: RunIo): Promise<number> {
  let exitCode = 0;
  let ctxRef: CommandContext | undefined;
  const ctxFor = (cmd: Command): CommandContext => {
    const g = cmd.optsWithGlobals() as GlobalOptions;
    ctxRef = io.context({
      dir: g.dir,
      bank: g.bank,
      color: g.color,
      plain: g.plain,
      quiet: g.quiet,
      verbose: g.verbose,
    });
    return ctxRef;
  };
  // A handler resolves to nothing (exit 0) or an exit code of its own choosing.
  // biome-ignore lint/suspicious/noExplicitAny: each handler has its own option type, checked in its module
  const act = (load: () => Promise<(opts: any, ctx: CommandContext) => Promise<unknown>>) => {
    return async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const opts = { ...(args[args.length - 2] as object) } as Record<string, unknown>;
      const positional = args.slice(0, -2);
      cmd.registeredArguments.forEach((arg, i) => {
        opts[arg.name()] = positional[i];
      });
      const handler = await load();
      const code = await handler(opts, ctxFor(cmd));
      if (typeof code === 'number') exitCode = code;
    };
  };

  const program = new Command('kinship-reflect');
  const out = io.outputs?.stdout ?? process.stdout;
  const err = io.outputs?.stderr ?? process.stderr;
  const width = (o: Output) => (o.isTTY && o.columns ? o.columns : 80);
  program
    .description(
      'Work through the Reflective Tool for actioning the Kinship Care Practice Guide:\n' +
        'answer its questions stage by stage (Assess, Plan, Do, Review), save every answer as you go,\n' +
        'export reports and compare cycles.',
    )
    .version(io.version, '-V, --version', 'print the version')
    .option('-d, --dir <folder>', 'workspace folder (default: $KINSHIP_REFLECT_DIR or ./reflections)')
    .option('-b, --bank <id|path>', 'question bank: reflective-tool, elected-members, or a YAML file')
    .option('--no-color', 'never use colour (also NO_COLOR=1 or TERM=dumb)')
    .option(
      '--plain',
      'screen-reader friendly: linear text, numbered choices, no redraws (also ACCESSIBLE=1)',
    )
    .option('-q, --quiet', 'print only data and errors')
    .option('-v, --verbose', 'print more detail about what is happening')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    .configureOutput({
      writeOut: (str) => out.write(str),
      writeErr: (str) => err.write(str),
      outputError: (str, write) => write(str),
      // commander's defaults, but asked of our outputs (which may never need a stream); the help text
      // carries no styling, so there are no colours to keep
      getOutHelpWidth: () => width(out),
      getErrHelpWidth: () => width(err),
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Quick start:
  kinship-reflect init --authority "Exampleshire County Council"
  kinship-reflect interview --cycle 2026-27          answer the questions, saved as you go
  kinship-reflect status --cycle 2026-27             progress by stage and by KP/R
  kinship-reflect export --cycle 2026-27 --out report.md
  kinship-reflect diff 2025-26 2026-27               what changed since last cycle

Exit codes: 0 ok, 1 failure, 2 usage error or no terminal, 3 validation failed or
personal data found, 130 interrupted.
More: kinship-reflect help <workspaces|cycles|plain|git>`,
    );

  program
    .command('init')
    .description('create a workspace: a folder holding kinship-reflect.yaml and one file per cycle')
    .option('-a, --authority <name>', 'the local authority the reflections are for')
    .option('--no-ratings', 'do not ask for a red/amber/green self-rating after each answer')
    .option('--no-report', 'do not write <cycle>.md beside each <cycle>.json')
    .option('--force', 'overwrite an existing kinship-reflect.yaml')
    .addHelpText(
      'after',
      '\nExamples:\n  kinship-reflect init --authority "Exampleshire County Council"\n  kinship-reflect init --dir ~/reflections --bank elected-members --authority "Exampleshire"',
    )
    .action(act(async () => (await import('./commands/init.ts')).init));

  program
    .command('interview')
    .description('the interactive walk through a stage, saving after every answer')
    .option('-c, --cycle <cycle>', 'the cycle to work on, e.g. 2026-27 (created if new)')
    .option('-s, --stage <stage>', 'go straight to a stage: assess, plan, do or review')
    .option('-t, --tag <tag>', 'only items tagged with this Key Principle or Recommendation (e.g. KP1, R4)')
    .option('--from <cycle>', 'pre-fill answers from an earlier cycle (marked "carried forward")')
    .addHelpText(
      'after',
      '\nExamples:\n  kinship-reflect interview\n  kinship-reflect interview --cycle 2026-27 --stage assess --tag R1\n  kinship-reflect interview --plain --cycle demo --stage do < answers.txt\n\nAt any prompt, type ? to explain the tags.',
    )
    .action(act(async () => (await import('./commands/interview.ts')).interview));

  program
    .command('answer')
    .description('set one answer without prompts, for scripts (text from --text or stdin)')
    .argument('<item-id>', 'the item, e.g. assess.carers.demographics (see: kinship-reflect questions)')
    .requiredOption('-c, --cycle <cycle>', 'the cycle to write to')
    .option('--text <text>', 'the answer text (otherwise read from stdin)')
    .option(
      '--status <status>',
      'answered, needs-data, skipped; for checklists not-started, planned, in-place, not-applicable',
    )
    .option(
      '--rating <rating>',
      'red, amber or green self-rating',
      parseChoice('--rating', ['red', 'amber', 'green']),
    )
    .option('--needs <text>', 'with --status needs-data: what data is needed')
    .option('--evidence <link>', 'a link or reference to evidence (repeatable)', collect)
    .addHelpText(
      'after',
      '\nExamples:\n  kinship-reflect answer assess.carers.count --cycle 2026-27 --text "Around 240 households"\n  echo "See the data report" | kinship-reflect answer review.learned --cycle 2026-27 --rating amber',
    )
    .action(act(async () => (await import('./commands/answer.ts')).answer));

  program
    .command('status')
    .description('progress of a cycle by stage and by Key Principle / Recommendation')
    .option('-c, --cycle <cycle>', 'the cycle (default: the latest)')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  kinship-reflect status\n  kinship-reflect status --cycle 2026-27 --json',
    )
    .action(act(async () => (await import('./commands/status.ts')).status));

  program
    .command('cycles')
    .description('list the cycles in the workspace with their progress')
    .option('--json', 'print one JSON document')
    .addHelpText('after', '\nExamples:\n  kinship-reflect cycles\n  kinship-reflect cycles --json')
    .action(act(async () => (await import('./commands/cycles.ts')).cycles));

  const actions = program
    .command('actions')
    .description('list, add and update the actions of a cycle')
    .addHelpText(
      'after',
      '\nExamples:\n  kinship-reflect actions list --cycle 2026-27 --overdue\n  kinship-reflect actions add --cycle 2026-27 --title "Publish the local offer" --tag R1 --due 31/03/2027\n  kinship-reflect actions update A2 --cycle 2026-27 --status done',
    );
  const listActions = (cmd: Command) =>
    cmd
      .option('-c, --cycle <cycle>', 'the cycle (default: the latest)')
      .option('--status <status>', 'only actions with this status: planned, in-progress, done, dropped')
      .option('-t, --tag <tag>', 'only actions linked to this tag')
      .option('--owner <owner>', 'only actions owned by this role or team')
      .option('--overdue', 'only actions past their due date and not done or dropped')
      .option('--json', 'print one JSON document');
  listActions(actions.command('list', { isDefault: true }).description('list actions')).action(
    act(async () => (await import('./commands/actions.ts')).actionsList),
  );
  actions
    .command('add')
    .description('add an action')
    .option('-c, --cycle <cycle>', 'the cycle (default: the latest)')
    .requiredOption('--title <title>', 'what will be done')
    .option('--owner <owner>', 'who is responsible (a role or team, not a named individual)')
    .option('--due <date>', 'due date, DD/MM/YYYY or YYYY-MM-DD')
    .option('-t, --tag <tag>', 'a linked Key Principle or Recommendation (repeatable)', collect)
    .option('--note <note>', 'a note')
    .option('--json', 'print the new action as JSON')
    .action(act(async () => (await import('./commands/actions.ts')).actionsAdd));
  actions
    .command('update')
    .description('update an action')
    .argument('<id>', 'the action id, e.g. A2')
    .option('-c, --cycle <cycle>', 'the cycle (default: the latest)')
    .option('--status <status>', 'planned, in-progress, done or dropped')
    .option('--title <title>', 'new title')
    .option('--owner <owner>', 'new owner (a role or team, not a named individual; "" to clear)')
    .option('--due <date>', 'new due date, DD/MM/YYYY or YYYY-MM-DD')
    .option('-t, --tag <tag>', 'replace the linked tags (repeatable)', collect)
    .option('--note <note>', 'add a note')
    .option('--json', 'print the updated action as JSON')
    .action(act(async () => (await import('./commands/actions.ts')).actionsUpdate));

  program
    .command('export')
    .description('the report of a cycle as Markdown, JSON or CSV (stdout unless --out)')
    .option('-c, --cycle <cycle>', 'the cycle (default: the latest)')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['md', 'json', 'csv']).default('md'),
    )
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .option('--force', 'overwrite --out even if it was edited by hand')
    .addHelpText(
      'after',
      '\nExamples:\n  kinship-reflect export --cycle 2026-27 --out committee-report.md\n  kinship-reflect export --format csv > answers.csv',
    )
    .action(act(async () => (await import('./commands/export.ts')).exportReport));

  program
    .command('import')
    .description('bring edits back from a Markdown report or a JSON export, item by item')
    .argument('<file>', 'the edited report (.md) or export (.json)')
    .option('-c, --cycle <cycle>', 'the cycle to update (default: the one named in the file)')
    .option('-y, --yes', 'save the changes without asking')
    .addOption(
      new Option(
        '--prefer <side>',
        "settle items changed both in the file and in the cycle: keep the cycle's or take the report's",
      ).choices(['cycle', 'report']),
    )
    .addHelpText(
      'after',
      '\nOnly what the report changed is applied; an answer saved since it was written is kept. Items\nchanged in both are asked about at a terminal (without one, nothing is saved unless --prefer).\n\nExamples:\n  kinship-reflect import reflections/2026-27.md\n  kinship-reflect import edited-report.md --cycle 2026-27 --yes\n  kinship-reflect import edited-report.md --yes --prefer cycle',
    )
    .action(act(async () => (await import('./commands/import.ts')).importReport));

  program
    .command('diff')
    .description('what changed between two cycles')
    .argument('<from>', 'the earlier cycle')
    .argument('<to>', 'the later cycle')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['text', 'md', 'json']).default('text'),
    )
    .option('-t, --tag <tag>', 'only items linked to this Key Principle or Recommendation')
    .option('--exit-code', 'exit 1 when there are differences, 0 when there are none')
    .option('--json', 'same as --format json')
    .addHelpText(
      'after',
      '\nExamples:\n  kinship-reflect diff 2025-26 2026-27\n  kinship-reflect diff 2025-26 2026-27 --format md > what-changed.md\n  kinship-reflect diff 2025-26 2026-27 --tag R3 --exit-code',
    )
    .action(act(async () => (await import('./commands/diff.ts')).diff));

  program
    .command('validate')
    .description('check question banks and cycle files; lists every problem with file:line:column')
    .argument('[files...]', 'YAML banks or cycle JSON files (default: the built-in banks and the workspace)')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  kinship-reflect validate\n  kinship-reflect validate questions/local.yaml reflections/2026-27.json',
    )
    .action(act(async () => (await import('./commands/validate.ts')).validate));

  program
    .command('questions')
    .description('browse the question bank by stage and section')
    .option('-s, --stage <stage>', 'only this stage: assess, plan, do or review')
    .option('-t, --tag <tag>', 'only items linked to this tag (KP1–KP3, R1–R6, ALL)')
    .option('--json', 'print a flat JSON array of items in bank order')
    .addHelpText(
      'after',
      '\nExamples:\n  kinship-reflect questions --stage plan --tag R3\n  kinship-reflect questions --json',
    )
    .action(act(async () => (await import('./commands/questions.ts')).questions));

  program
    .command('guide')
    .description(
      'the Key Principles, the Recommendations with their evidence ratings, and what the ratings mean',
    )
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  kinship-reflect guide\n  kinship-reflect guide --bank elected-members --json',
    )
    .action(act(async () => (await import('./commands/guide.ts')).guide));

  program
    .command('check')
    .description(
      'scan answers for personal data (NHS numbers, postcodes, names…); usable as a git pre-commit hook',
    )
    .argument('[paths...]', 'cycle files, reports or folders (default: the workspace)')
    .option('--install-hook', "install a git pre-commit hook in the workspace's repository")
    .option('--uninstall-hook', 'remove the pre-commit hook installed by --install-hook')
    .option('--allow <fingerprint>', 'mark a reviewed finding as a false positive (repeatable)', collect)
    .option('--staged', 'check the files staged in git (what the hook runs)')
    .option('--json', 'print one JSON document')
    .addHelpText(
      'after',
      '\nExamples:\n  kinship-reflect check\n  kinship-reflect check --install-hook\n  kinship-reflect check --allow 3f2a9c0d1e4b5a67',
    )
    .action(act(async () => (await import('./commands/check.ts')).check));

  program
    .command('aggregate')
    .description("one summary across many authorities' workspaces or cycle files")
    .argument('<paths...>', 'workspaces, folders of cycle files, or cycle files')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['md', 'csv', 'json']).default('md'),
    )
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .option('--json', 'same as --format json')
    .addHelpText(
      'after',
      '\nExamples:\n  kinship-reflect aggregate regional/*/reflections\n  kinship-reflect aggregate regional --format csv --out summary.csv',
    )
    .action(act(async () => (await import('./commands/aggregate.ts')).aggregate));

  program
    .command('completion')
    .description('print a shell completion script')
    .argument('<shell>', 'bash, zsh or fish', parseChoice('shell', ['bash', 'zsh', 'fish']))
    .addHelpText('after', '\nExample:\n  kinship-reflect completion bash >> ~/.bashrc')
    .action(act(async () => (await import('./commands/completion.ts')).completion));

  program.helpCommand(false);
  program
    .command('help')
    .description('help on a command or a topic: workspaces, cycles, plain, git')
    .argument('[topic...]', 'a command name (e.g. diff, actions add) or a topic')
    .action(
      act(async () => async (opts: { topic?: string[] }, ctx: CommandContext) => {
        const { help } = await import('./commands/help.ts');
        return help({ topic: opts.topic?.join(' '), program }, ctx);
      }),
    );

  // Words that are not a command reach the default action (commander would only say "too many
  // arguments"): say which command was meant instead.
  program.allowExcessArguments(true);
  program.action(
    act(async () => async (_opts: unknown, ctx: CommandContext) => {
      const unknown = program.args[0];
      if (unknown !== undefined) {
        const { UsageError } = await import('./core/errors.ts');
        const { closest } = await import('./core/suggest.ts');
        const names = program.commands.map((c) => c.name());
        throw new UsageError(
          `"${unknown}" is not a command. Did you mean ${closest(unknown, names, 2).join(' or ')}? See: kinship-reflect --help`,
        );
      }
      const { defaultAction } = await import('./commands/default.ts');
      return defaultAction({ program }, ctx);
    }),
  );

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') return 0;
      // commander has already printed its message
      return 2;
    }
    const { reportError } = await import('./shell/report-error.ts');
    return reportError(error, ctxRef);
  }
}
