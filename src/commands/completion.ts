import { longFlag } from '../command-flags.ts';
import type { CommandOptions } from '../command-spec.ts';
import {
  type CommandSpec,
  type Completes,
  type OptionSpec,
  PROGRAM,
  COMMANDS as SPEC_COMMANDS,
} from '../command-spec.ts';
import { UsageError } from '../core/errors.ts';
import { HELP_TOPICS } from '../core/help-topics.ts';
import { BUILTIN_BANK_IDS } from '../generated/banks.ts';
import type { CommandContext } from '../shell/context.ts';

/**
 * Shell completion scripts, generated from the command spec (src/command-spec.ts): the commands, their
 * options and what each value completes to. Nothing here lists a command or an option of its own.
 */

/** What an option's value (or a positional argument) completes to; 'none': it takes no value. */
type ValueKind = Completes | 'none';

export interface CompletionOption {
  long: string;
  short?: string;
  description: string;
  value: ValueKind;
}

export interface CompletionCommand {
  name: string;
  description: string;
  options: CompletionOption[];
  /** What positional arguments complete to. */
  args?: ValueKind;
  subcommands?: CompletionCommand[];
}

function completionOption(key: string, spec: OptionSpec): CompletionOption {
  const value: ValueKind = !spec.value ? 'none' : (spec.choices ?? spec.completes ?? 'text');
  const option = { long: longFlag(key, spec), description: spec.description, value };
  return spec.short ? { ...option, short: spec.short } : option;
}

function completionCommand(name: string, spec: CommandSpec): CompletionCommand {
  const command: CompletionCommand = {
    name,
    description: spec.description,
    options: Object.entries(spec.options ?? {}).map(([key, o]) => completionOption(key, o)),
  };
  // every positional argument of a command completes alike (diff: two cycles)
  const [arg] = spec.args ?? [];
  if (arg) command.args = arg.choices ?? arg.completes ?? 'text';
  if (spec.subcommands) {
    command.subcommands = Object.entries(spec.subcommands).map(([sub, s]) => completionCommand(sub, s));
  }
  return command;
}

/** Options every command accepts, and commander's `--help`. */
export const GLOBAL_OPTIONS: readonly CompletionOption[] = [
  ...Object.entries(PROGRAM.options).map(([key, o]) => completionOption(key, o)),
  flagsOption(PROGRAM.help),
];

/** Only the program itself takes these. */
export const PROGRAM_OPTIONS: readonly CompletionOption[] = [flagsOption(PROGRAM.version)];

/** commander's own options, declared by their flags: `-V, --version`. */
function flagsOption(spec: { flags: string; description: string }): CompletionOption {
  const [short, long] = spec.flags.split(', ');
  return long
    ? { long, short: short ?? '', description: spec.description, value: 'none' }
    : { long: short ?? '', description: spec.description, value: 'none' };
}

export const COMMANDS: readonly CompletionCommand[] = Object.entries(SPEC_COMMANDS).map(([name, spec]) =>
  completionCommand(name, spec),
);

// The `help` argument: every topic and command.
function helpWords(): string[] {
  // a topic may share its name with a command (git): offer it once
  return [...new Set([...HELP_TOPICS.map((t) => t.name), ...COMMANDS.map((c) => c.name)])];
}

function valueWords(kind: ValueKind): readonly string[] | undefined {
  if (kind === 'help') return helpWords();
  if (kind === 'bank') return BUILTIN_BANK_IDS;
  return typeof kind === 'string' ? undefined : kind;
}

const flagsOf = (opt: CompletionOption): string[] => (opt.short ? [opt.short, opt.long] : [opt.long]);

// ---------------------------------------------------------------------------------------------------
// bash

function bashValueCase(options: readonly CompletionOption[]): string[] {
  const lines: string[] = [];
  for (const opt of options) {
    if (opt.value === 'none') continue;
    const pattern = flagsOf(opt).join('|');
    lines.push(`      ${pattern}) _kinship_reflect_value ${bashKind(opt.value)}; return ;;`);
  }
  return lines;
}

function bashKind(kind: ValueKind): string {
  const words = valueWords(kind);
  if (kind === 'bank') return `bank '${words?.join(' ')}'`;
  if (words) return `words '${words.join(' ')}'`;
  return String(kind);
}

/** The start of the bash script: install notes and the helpers every command's case calls. */
const BASH_HELPERS = `# bash completion for kinship-reflect
# Install: kinship-reflect completion bash > ~/.local/share/bash-completion/completions/kinship-reflect
#      or: kinship-reflect completion bash >> ~/.bashrc

# The workspace, found as kinship-reflect finds it: --dir, else $KINSHIP_REFLECT_DIR, else the
# nearest folder at or above this one holding kinship-reflect.yaml, else ./reflections.
_kinship_reflect_workspace() {
  local dir="" i w
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ "$w" == -d || "$w" == --dir ]]; then
      dir="\${COMP_WORDS[i+1]}"
      # bash splits --dir=x into --dir, = and x
      [[ "$dir" == = ]] && dir="\${COMP_WORDS[i+2]}"
    fi
    if [[ "$w" == --dir=* ]]; then dir="\${w#--dir=}"; fi
  done
  dir="\${dir/#\\~/$HOME}"
  if [[ -n "$dir" ]]; then printf '%s\n' "$dir"; return; fi
  if [[ -n "\${KINSHIP_REFLECT_DIR:-}" ]]; then printf '%s\n' "$KINSHIP_REFLECT_DIR"; return; fi
  local d="$PWD"
  while [[ -n "$d" ]]; do
    if [[ -e "$d/kinship-reflect.yaml" ]]; then printf '%s\n' "$d"; return; fi
    [[ "$d" == / ]] && break
    d="\${d%/*}"
    [[ -z "$d" ]] && d=/
  done
  printf '%s\n' reflections
}

_kinship_reflect_cycles() {
  local dir
  dir="$(_kinship_reflect_workspace)"
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

`;

function bashScript(): string {
  const globalWords = [...GLOBAL_OPTIONS, ...PROGRAM_OPTIONS].flatMap(flagsOf).join(' ');
  const commandNames = COMMANDS.map((c) => c.name).join(' ');
  const cases: string[] = [];
  const commandCase = (spec: CompletionCommand, key: string) => {
    const opts = [...spec.options, ...GLOBAL_OPTIONS];
    cases.push(`    ${key})`);
    cases.push('      case "$prev" in');
    cases.push(...bashValueCase(opts));
    cases.push('      esac');
    const words = opts.flatMap(flagsOf).join(' ');
    const args = spec.subcommands
      ? `words '${spec.subcommands.map((s) => s.name).join(' ')}'`
      : spec.args
        ? bashKind(spec.args)
        : 'none';
    cases.push(`      _kinship_reflect_options '${words}' ${args}`);
    cases.push('      ;;');
  };
  for (const spec of COMMANDS) {
    commandCase(spec, spec.name);
    for (const sub of spec.subcommands ?? []) commandCase(sub, `${spec.name}/${sub.name}`);
  }
  return `${BASH_HELPERS}_kinship_reflect() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local cmd="" i w
  # the command is the first word that is neither an option nor the value of a global option
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in
      ${GLOBAL_OPTIONS.filter((o) => o.value !== 'none')
        .flatMap(flagsOf)
        .join('|')})
        # the option's value is the next word (bash splits --dir=x into --dir, = and x)
        ((i++))
        [[ "\${COMP_WORDS[i]}" == = ]] && ((i++))
        ;;
      -*) ;;
      *)
        if [[ -z "$cmd" ]]; then
          cmd="$w"
${COMMANDS.filter((c) => c.subcommands)
  .map(
    (
      c,
    ) => `        elif [[ "$cmd" == ${c.name} && "$w" =~ ^(${c.subcommands?.map((s) => s.name).join('|')})$ ]]; then
          cmd="${c.name}/$w"
          break`,
  )
  .join('\n')}
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

function zshAction(kind: ValueKind): string {
  const words = valueWords(kind);
  if (kind === 'bank') return `(${words?.join(' ')})`;
  if (kind === 'dir') return '_files -/';
  if (kind === 'file') return '_files';
  if (kind === 'cycle') return '_kinship_reflect_cycles';
  if (words) return `(${words.join(' ')})`;
  return ' ';
}

function zshSpecs(options: readonly CompletionOption[], indent: string): string {
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

function zshDescribe(specs: readonly CompletionCommand[], indent: string): string {
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
            sub) _describe -t commands '${spec.name} command' subcommands ;;
            subargs)
          case $words[1] in
${subBranches.join('\n')}
          esac
          ;;
          esac
          ;;`);
      continue;
    }
    const args = spec.args ? ` \\\n            '*:argument:${zshAction(spec.args)}'` : '';
    const specs = zshSpecs([...spec.options, ...GLOBAL_OPTIONS], '            ');
    branches.push(`        ${spec.name})\n          _arguments -s \\\n${specs}${args}\n          ;;`);
  }
  return `#compdef kinship-reflect
# zsh completion for kinship-reflect
# Install: kinship-reflect completion zsh > "\${fpath[1]}/_kinship-reflect"  (then restart zsh)
#      or: source <(kinship-reflect completion zsh)   in ~/.zshrc, after compinit

# The workspace, found as kinship-reflect finds it: --dir, else $KINSHIP_REFLECT_DIR, else the
# nearest folder at or above this one holding kinship-reflect.yaml, else ./reflections. The words
# are those of the whole line (_kinship_reflect keeps them before _arguments shifts $words).
_kinship_reflect_workspace() {
  local -a line_words
  line_words=("\${_kinship_reflect_words[@]:-\${words[@]}}")
  local dir="" i
  for (( i = 2; i < \${#line_words}; i++ )); do
    case "\${line_words[i]}" in
      -d|--dir) dir="\${line_words[i+1]}" ;;
      --dir=*) dir="\${line_words[i]#--dir=}" ;;
    esac
  done
  dir="\${dir/#\\~/$HOME}"
  if [[ -n "$dir" ]]; then print -r -- "$dir"; return; fi
  if [[ -n "\${KINSHIP_REFLECT_DIR:-}" ]]; then print -r -- "$KINSHIP_REFLECT_DIR"; return; fi
  local d="$PWD"
  while true; do
    if [[ -e "$d/kinship-reflect.yaml" ]]; then print -r -- "$d"; return; fi
    [[ "$d" == / || -z "$d" ]] && break
    d="\${d:h}"
  done
  print -r -- reflections
}

_kinship_reflect_cycle_ids() {
  local dir="$(_kinship_reflect_workspace)"
  print -rl -- \${dir}/*.json(N:t:r)
}

_kinship_reflect_cycles() {
  local -a cycles
  cycles=(\${(f)"$(_kinship_reflect_cycle_ids)"})
  _describe -t cycles 'cycle' cycles
}

_kinship_reflect() {
  local curcontext="$curcontext" state line
  local -a _kinship_reflect_words
  _kinship_reflect_words=("\${words[@]}")
  local -a commands
  commands=(
${zshDescribe(COMMANDS, '    ')}
  )
  # -A: options after the command belong to it (a global option there would shift $words and lose
  # the command for the branch below)
  _arguments -C -s -A '-*' \\
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

function fishOption(opt: CompletionOption, condition: string): string {
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
    '# The workspace, found as kinship-reflect finds it: --dir, else $KINSHIP_REFLECT_DIR, else the',
    '# nearest folder at or above this one holding kinship-reflect.yaml, else ./reflections.',
    'function __kinship_reflect_workspace',
    '    set -l tokens (commandline -opc)',
    '    set -l dir',
    '    for i in (seq (count $tokens))',
    '        switch $tokens[$i]',
    '            case -d --dir',
    '                set -l next (math $i + 1)',
    '                test $next -le (count $tokens); and set dir $tokens[$next]',
    "            case '--dir=*'",
    "                set dir (string replace -- '--dir=' '' $tokens[$i])",
    '        end',
    '    end',
    `    set dir (string replace -r -- '^~' $HOME "$dir")`,
    '    if test -n "$dir"',
    '        echo $dir',
    '    else if set -q KINSHIP_REFLECT_DIR; and test -n "$KINSHIP_REFLECT_DIR"',
    '        echo $KINSHIP_REFLECT_DIR',
    '    else',
    '        set -l d $PWD',
    '        while true',
    '            if test -e $d/kinship-reflect.yaml',
    '                echo $d',
    '                return',
    '            end',
    '            test "$d" = /; and break',
    "            set d (string replace -r -- '/[^/]*$' '' $d)",
    '            test -z "$d"; and set d /',
    '        end',
    '        echo reflections',
    '    end',
    'end',
    '',
    'function __kinship_reflect_cycles',
    '    set -l dir (__kinship_reflect_workspace)',
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
    const args = spec.args;
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

/** The options of `completion`, as src/command-spec.ts declares them. */
export type CompletionOptions = CommandOptions<'completion'>;

/** `kinship-reflect completion bash|zsh|fish`: print the script on stdout. */
export async function completion(opts: CompletionOptions, ctx: CommandContext): Promise<number | undefined> {
  const shell = opts.shell;
  if (shell !== 'bash' && shell !== 'zsh' && shell !== 'fish') {
    throw new UsageError(`unknown shell "${shell}": choose bash, zsh or fish.`);
  }
  ctx.stdout.write(completionScript(shell));
  return undefined;
}
