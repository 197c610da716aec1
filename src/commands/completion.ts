import { UsageError } from '../core/errors.ts';
import { HELP_TOPICS } from '../core/help-topics.ts';
import type { CommandContext } from '../shell/context.ts';

/**
 * Shell completion scripts, generated from a static table of the commands and their options.
 * The table is kept in step with src/cli.ts by tests/completion.test.ts, which compares it with the
 * `--help` of every command; a static table keeps this module free of commander and the program.
 */

/** What an option's value (or a positional argument) completes to. */
type ValueKind = 'none' | 'text' | 'file' | 'dir' | 'cycle' | 'bank' | 'help' | readonly string[];
// 'help': every help topic and command name

export interface OptionSpec {
  long: string;
  short?: string;
  description: string;
  value: ValueKind;
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** What positional arguments complete to. */
  args?: ValueKind;
  subcommands?: CommandSpec[];
}

const STAGES = ['assess', 'plan', 'do', 'review'] as const;
const TAGS = ['KP1', 'KP2', 'KP3', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'ALL'] as const;
const ANSWER_STATUSES = [
  'answered',
  'needs-data',
  'skipped',
  'not-started',
  'planned',
  'in-place',
  'not-applicable',
] as const;
const ACTION_STATUSES = ['planned', 'in-progress', 'done', 'dropped'] as const;

const o = (long: string, description: string, value: ValueKind = 'none', short?: string): OptionSpec =>
  short ? { long, short, description, value } : { long, description, value };

const cycle = (description = 'the cycle (default: the latest)') => o('--cycle', description, 'cycle', '-c');
const json = (description = 'print one JSON document') => o('--json', description);
const tag = (description = 'only items linked to this tag') => o('--tag', description, TAGS, '-t');

export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  o('--dir', 'workspace folder', 'dir', '-d'),
  o('--bank', 'question bank id or YAML file', 'bank', '-b'),
  o('--no-color', 'never use colour'),
  o('--plain', 'screen-reader friendly dialogue'),
  o('--quiet', 'print only data and errors', 'none', '-q'),
  o('--verbose', 'print more detail', 'none', '-v'),
  o('--help', 'display help', 'none', '-h'),
];

/** Only the program itself takes these. */
export const PROGRAM_OPTIONS: readonly OptionSpec[] = [o('--version', 'print the version', 'none', '-V')];

const listActionOptions = [
  cycle(),
  o('--status', 'only actions with this status', ACTION_STATUSES),
  tag('only actions linked to this tag'),
  o('--owner', 'only actions owned by this person or team', 'text'),
  o('--overdue', 'only overdue actions'),
  json(),
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'init',
    description: 'create a workspace',
    options: [
      o('--authority', 'the local authority', 'text', '-a'),
      o('--no-ratings', 'do not ask for self-ratings'),
      o('--no-report', 'do not write <cycle>.md'),
      o('--force', 'overwrite an existing kinship-reflect.yaml'),
    ],
  },
  {
    name: 'interview',
    description: 'the interactive walk through a stage',
    options: [
      cycle('the cycle to work on (created if new)'),
      o('--stage', 'go straight to a stage', STAGES, '-s'),
      tag(),
      o('--from', 'pre-fill answers from an earlier cycle', 'cycle'),
    ],
  },
  {
    name: 'answer',
    description: 'set one answer without prompts',
    args: 'text',
    options: [
      cycle('the cycle to write to'),
      o('--text', 'the answer text', 'text'),
      o('--status', 'the answer status', ANSWER_STATUSES),
      o('--rating', 'red, amber or green self-rating', ['red', 'amber', 'green']),
      o('--needs', 'what data is needed', 'text'),
      o('--evidence', 'a link or reference to evidence', 'text'),
    ],
  },
  { name: 'status', description: 'progress of a cycle', options: [cycle(), json()] },
  { name: 'cycles', description: 'list the cycles', options: [json()] },
  {
    name: 'actions',
    description: 'list, add and update actions',
    options: [],
    subcommands: [
      { name: 'list', description: 'list actions', options: listActionOptions },
      {
        name: 'add',
        description: 'add an action',
        options: [
          cycle(),
          o('--title', 'what will be done', 'text'),
          o('--owner', 'who is responsible', 'text'),
          o('--due', 'due date', 'text'),
          tag('a linked Key Principle or Recommendation'),
          o('--note', 'a note', 'text'),
          json('print the new action as JSON'),
        ],
      },
      {
        name: 'update',
        description: 'update an action',
        args: 'text',
        options: [
          cycle(),
          o('--status', 'the new status', ACTION_STATUSES),
          o('--title', 'new title', 'text'),
          o('--owner', 'new owner', 'text'),
          o('--due', 'new due date', 'text'),
          tag('replace the linked tags'),
          o('--note', 'add a note', 'text'),
          json('print the updated action as JSON'),
        ],
      },
    ],
  },
  {
    name: 'export',
    description: 'the report of a cycle',
    options: [
      cycle(),
      o('--format', 'output format', ['md', 'json', 'csv'], '-f'),
      o('--out', 'write to this file', 'file', '-o'),
      o('--force', 'overwrite --out even if edited by hand'),
    ],
  },
  {
    name: 'import',
    description: 'read answers back from a report',
    args: 'file',
    options: [
      cycle('the cycle to update'),
      o('--yes', 'save without asking', 'none', '-y'),
      o('--prefer', 'settle items changed on both sides', ['cycle', 'report']),
    ],
  },
  {
    name: 'diff',
    description: 'what changed between two cycles',
    args: 'cycle',
    options: [
      o('--format', 'output format', ['text', 'md', 'json'], '-f'),
      tag(),
      o('--exit-code', 'exit 1 when there are differences'),
      json('same as --format json'),
    ],
  },
  { name: 'validate', description: 'check banks and cycle files', args: 'file', options: [json()] },
  {
    name: 'questions',
    description: 'browse the question bank',
    options: [o('--stage', 'only this stage', STAGES, '-s'), tag(), json('print a flat JSON array of items')],
  },
  { name: 'guide', description: 'principles, recommendations, evidence ratings', options: [json()] },
  {
    name: 'check',
    description: 'scan answers for personal data',
    args: 'file',
    options: [
      o('--install-hook', 'install a git pre-commit hook'),
      o('--uninstall-hook', 'remove the pre-commit hook'),
      o('--allow', 'mark a finding as a false positive', 'text'),
      o('--staged', 'check the files staged in git'),
      json(),
    ],
  },
  {
    name: 'aggregate',
    description: 'one summary across many authorities',
    args: 'file',
    options: [
      o('--format', 'output format', ['md', 'csv', 'json'], '-f'),
      o('--out', 'write to this file', 'file', '-o'),
      json('same as --format json'),
    ],
  },
  {
    name: 'completion',
    description: 'print a shell completion script',
    args: ['bash', 'zsh', 'fish'],
    options: [],
  },
  { name: 'help', description: 'help on a command or a topic', args: 'help', options: [] },
];

// The `help` argument: every topic and command.
function helpWords(): string[] {
  return [...HELP_TOPICS.map((t) => t.name), ...COMMANDS.map((c) => c.name)];
}

function valueWords(kind: ValueKind | 'help'): readonly string[] | undefined {
  if (kind === 'help') return helpWords();
  if (kind === 'bank') return ['reflective-tool', 'elected-members'];
  return typeof kind === 'string' ? undefined : kind;
}

const flagsOf = (opt: OptionSpec): string[] => (opt.short ? [opt.short, opt.long] : [opt.long]);

// ---------------------------------------------------------------------------------------------------
// bash

function bashValueCase(options: readonly OptionSpec[]): string[] {
  const lines: string[] = [];
  for (const opt of options) {
    if (opt.value === 'none') continue;
    const pattern = flagsOf(opt).join('|');
    lines.push(`      ${pattern}) _kinship_reflect_value ${bashKind(opt.value)}; return ;;`);
  }
  return lines;
}

function bashKind(kind: ValueKind | 'help'): string {
  const words = valueWords(kind);
  if (kind === 'bank') return `bank '${words?.join(' ')}'`;
  if (words) return `words '${words.join(' ')}'`;
  return String(kind);
}

function bashScript(): string {
  const globalWords = [...GLOBAL_OPTIONS, ...PROGRAM_OPTIONS].flatMap(flagsOf).join(' ');
  const commandNames = COMMANDS.map((c) => c.name).join(' ');
  const cases: string[] = [];
  const commandCase = (spec: CommandSpec, key: string) => {
    const opts = [...spec.options, ...GLOBAL_OPTIONS];
    cases.push(`    ${key})`);
    cases.push('      case "$prev" in');
    cases.push(...bashValueCase(opts));
    cases.push('      esac');
    const words = opts.flatMap(flagsOf).join(' ');
    const args = spec.subcommands
      ? `words '${spec.subcommands.map((s) => s.name).join(' ')}'`
      : spec.args
        ? bashKind(spec.name === 'help' ? 'help' : spec.args)
        : 'none';
    cases.push(`      _kinship_reflect_options '${words}' ${args}`);
    cases.push('      ;;');
  };
  for (const spec of COMMANDS) {
    commandCase(spec, spec.name);
    for (const sub of spec.subcommands ?? []) commandCase(sub, `${spec.name}/${sub.name}`);
  }
  return `# bash completion for kinship-reflect
# Install: kinship-reflect completion bash > ~/.local/share/bash-completion/completions/kinship-reflect
#      or: kinship-reflect completion bash >> ~/.bashrc

_kinship_reflect_cycles() {
  local dir="\${KINSHIP_REFLECT_DIR:-reflections}" i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ "$w" == -d || "$w" == --dir ]]; then dir="\${COMP_WORDS[i+1]}"; fi
    if [[ "$w" == --dir=* ]]; then dir="\${w#--dir=}"; fi
  done
  local f
  for f in "$dir"/*.json; do
    [[ -e "$f" ]] || continue
    f="\${f##*/}"
    printf '%s\\n' "\${f%.json}"
  done
}

_kinship_reflect_value() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  case "$1" in
    words) COMPREPLY=($(compgen -W "$2" -- "$cur")) ;;
    bank) COMPREPLY=($(compgen -W "$2" -- "$cur") $(compgen -f -X '!*.y*ml' -- "$cur") $(compgen -d -- "$cur")) ;;
    cycle) COMPREPLY=($(compgen -W "$(_kinship_reflect_cycles)" -- "$cur")) ;;
    file) COMPREPLY=($(compgen -f -- "$cur")) ;;
    dir) COMPREPLY=($(compgen -d -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}

_kinship_reflect_options() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$1" -- "$cur"))
  else
    _kinship_reflect_value "\${@:2}"
  fi
}

_kinship_reflect() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local cmd="" i w
  # the command is the first word that is neither an option nor the value of a global option
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      -d|--dir|-b|--bank) ((i++)) ;;
      -*) ;;
      *)
        if [[ -z "$cmd" ]]; then
          cmd="$w"
        elif [[ "$cmd" == actions && "$w" =~ ^(list|add|update)$ ]]; then
          cmd="actions/$w"
          break
        else
          break
        fi
        ;;
    esac
  done
  case "$cmd" in
    "")
      case "$prev" in
${bashValueCase(GLOBAL_OPTIONS)
  .map((l) => `    ${l}`)
  .join('\n')}
      esac
      _kinship_reflect_options '${globalWords}' words '${commandNames}'
      ;;
${cases.join('\n')}
    *) COMPREPLY=($(compgen -f -- "$cur")) ;;
  esac
}

complete -o default -F _kinship_reflect kinship-reflect
`;
}

// ---------------------------------------------------------------------------------------------------
// zsh

const zq = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, `'\\''`)
    .replace(/([[\]:])/g, '\\$1');

function zshAction(kind: ValueKind | 'help'): string {
  const words = valueWords(kind);
  if (kind === 'bank') return `(${words?.join(' ')})`;
  if (kind === 'dir') return '_files -/';
  if (kind === 'file') return '_files';
  if (kind === 'cycle') return '_kinship_reflect_cycles';
  if (words) return `(${words.join(' ')})`;
  return ' ';
}

function zshSpecs(options: readonly OptionSpec[], indent: string): string {
  return options
    .map((opt) => {
      const desc = zq(opt.description);
      const value = opt.value === 'none' ? '' : `:${opt.long.slice(2)}:${zshAction(opt.value)}`;
      if (opt.short) {
        return `${indent}'(${opt.short} ${opt.long})'{${opt.short},${opt.long}}'[${desc}]${value}'`;
      }
      return `${indent}'${opt.long}[${desc}]${value}'`;
    })
    .join(' \\\n');
}

function zshDescribe(specs: readonly CommandSpec[], indent: string): string {
  return specs.map((c) => `${indent}'${c.name}:${zq(c.description)}'`).join('\n');
}

function zshScript(): string {
  const branches: string[] = [];
  for (const spec of COMMANDS) {
    if (spec.subcommands) {
      const subBranches = spec.subcommands.map(
        (sub) =>
          `            ${sub.name})\n              _arguments -s \\\n${zshSpecs([...sub.options, ...GLOBAL_OPTIONS], '                ')}${
            sub.args ? ` \\\n                '*:argument:${zshAction(sub.args)}'` : ''
          }\n              ;;`,
      );
      branches.push(`        ${spec.name})
          local -a subcommands
          subcommands=(
${zshDescribe(spec.subcommands, '            ')}
          )
          _arguments -C '1: :->sub' '*:: :->subargs' && return
          case $state in
            sub) _describe -t commands 'actions command' subcommands ;;
            subargs)
          case $words[1] in
${subBranches.join('\n')}
          esac
          ;;
          esac
          ;;`);
      continue;
    }
    const args = spec.args
      ? ` \\\n            '*:argument:${zshAction(spec.name === 'help' ? 'help' : spec.args)}'`
      : '';
    const specs = zshSpecs([...spec.options, ...GLOBAL_OPTIONS], '            ');
    branches.push(`        ${spec.name})\n          _arguments -s \\\n${specs}${args}\n          ;;`);
  }
  return `#compdef kinship-reflect
# zsh completion for kinship-reflect
# Install: kinship-reflect completion zsh > "\${fpath[1]}/_kinship-reflect"  (then restart zsh)
#      or: source <(kinship-reflect completion zsh)   in ~/.zshrc, after compinit

_kinship_reflect_cycles() {
  local dir="\${KINSHIP_REFLECT_DIR:-reflections}"
  local -a cycles
  cycles=(\${dir}/*.json(N:t:r))
  _describe -t cycles 'cycle' cycles
}

_kinship_reflect() {
  local curcontext="$curcontext" state line
  local -a commands
  commands=(
${zshDescribe(COMMANDS, '    ')}
  )
  _arguments -C -s \\
${zshSpecs([...GLOBAL_OPTIONS, ...PROGRAM_OPTIONS], '    ')} \\
    '1: :->command' \\
    '*:: :->args' && return
  case $state in
    command) _describe -t commands 'kinship-reflect command' commands ;;
    args)
      case $words[1] in
${branches.join('\n')}
      esac
      ;;
  esac
}

if [[ "\${funcstack[1]}" == _kinship_reflect || "\${funcstack[1]}" == _kinship-reflect ]]; then
  _kinship_reflect "$@"
else
  compdef _kinship_reflect kinship-reflect
fi
`;
}

// ---------------------------------------------------------------------------------------------------
// fish

const fq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function fishOption(opt: OptionSpec, condition: string): string {
  const parts = ['complete -c kinship-reflect'];
  if (condition) parts.push(`-n ${fq(condition)}`);
  if (opt.short) parts.push(`-s ${opt.short.slice(1)}`);
  parts.push(`-l ${opt.long.slice(2)}`);
  if (opt.value !== 'none') {
    // -r: takes a value (fish also offers files); -x: takes a value, only what -a lists
    const files = opt.value === 'file' || opt.value === 'bank';
    parts.push(files ? '-r' : '-x');
    const words = valueWords(opt.value);
    if (opt.value === 'dir') parts.push("-a '(__fish_complete_directories)'");
    else if (opt.value === 'cycle') parts.push("-a '(__kinship_reflect_cycles)'");
    else if (words) parts.push(`-a ${fq(words.join(' '))}`);
  }
  parts.push(`-d ${fq(opt.description)}`);
  return parts.join(' ');
}

function fishScript(): string {
  const lines: string[] = [
    '# fish completion for kinship-reflect',
    '# Install: kinship-reflect completion fish > ~/.config/fish/completions/kinship-reflect.fish',
    '',
    'function __kinship_reflect_cycles',
    '    set -l dir reflections',
    '    set -q KINSHIP_REFLECT_DIR; and set dir $KINSHIP_REFLECT_DIR',
    '    for f in $dir/*.json',
    "        string replace -r '.*/(.*)\\.json$' '$1' -- $f",
    '    end',
    'end',
    '',
    'complete -c kinship-reflect -f',
  ];
  for (const opt of [...GLOBAL_OPTIONS, ...PROGRAM_OPTIONS]) {
    lines.push(fishOption(opt, PROGRAM_OPTIONS.includes(opt) ? '__fish_use_subcommand' : ''));
  }
  for (const spec of COMMANDS) {
    lines.push(
      `complete -c kinship-reflect -n __fish_use_subcommand -a ${spec.name} -d ${fq(spec.description)}`,
    );
  }
  for (const spec of COMMANDS) {
    const cond = `__fish_seen_subcommand_from ${spec.name}`;
    for (const opt of spec.options) lines.push(fishOption(opt, cond));
    if (spec.subcommands) {
      const subNames = spec.subcommands.map((s) => s.name).join(' ');
      for (const sub of spec.subcommands) {
        lines.push(
          `complete -c kinship-reflect -n ${fq(`${cond}; and not __fish_seen_subcommand_from ${subNames}`)} -a ${sub.name} -d ${fq(sub.description)}`,
        );
        const subCond = `${cond}; and __fish_seen_subcommand_from ${sub.name}`;
        for (const opt of sub.options) lines.push(fishOption(opt, subCond));
      }
    }
    const args = spec.name === 'help' ? 'help' : spec.args;
    if (args === 'file') lines.push(`complete -c kinship-reflect -n ${fq(cond)} -F`);
    else if (args === 'cycle')
      lines.push(`complete -c kinship-reflect -n ${fq(cond)} -a '(__kinship_reflect_cycles)'`);
    else if (args) {
      const words = valueWords(args);
      if (words) lines.push(`complete -c kinship-reflect -n ${fq(cond)} -a ${fq(words.join(' '))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export type CompletionShell = 'bash' | 'zsh' | 'fish';

/** The completion script for a shell. */
export function completionScript(shell: CompletionShell): string {
  if (shell === 'bash') return bashScript();
  if (shell === 'zsh') return zshScript();
  return fishScript();
}

export interface CompletionOptions {
  shell: string;
}

/** `kinship-reflect completion bash|zsh|fish`: print the script on stdout. */
export async function completion(opts: CompletionOptions, ctx: CommandContext): Promise<number | undefined> {
  const shell = opts.shell;
  if (shell !== 'bash' && shell !== 'zsh' && shell !== 'fish') {
    throw new UsageError(`unknown shell "${shell}": choose bash, zsh or fish.`);
  }
  ctx.stdout.write(completionScript(shell));
  return undefined;
}
