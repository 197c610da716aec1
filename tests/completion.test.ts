import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMMANDS,
  type CompletionCommand,
  type CompletionOption,
  completionScript,
  GLOBAL_OPTIONS,
  PROGRAM_OPTIONS,
} from '../src/commands/completion.ts';
import { runCli } from './helpers/run-cli.ts';

function which(program: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}
const zsh = which('zsh');
const fish = which('fish');
if (!zsh)
  console.warn('completion.test: zsh is not installed, so the zsh script is not syntax-checked (skipped)');
if (!fish)
  console.warn('completion.test: fish is not installed, so the fish script is not checked (skipped)');

let dir: string;
const scripts: Record<'bash' | 'zsh' | 'fish', string> = { bash: '', zsh: '', fish: '' };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kinship-reflect-completion-'));
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    const r = await runCli(['completion', shell], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    scripts[shell] = r.stdout;
    await writeFile(join(dir, `script.${shell}`), r.stdout);
  }
  // a workspace with two cycles, for cycle-id completion
  await mkdir(join(dir, 'reflections'));
  await writeFile(join(dir, 'reflections', '2025-26.json'), '{}');
  await writeFile(join(dir, 'reflections', '2026-27.json'), '{}');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The lines of one section ("Options:", "Commands:") of commander's help. */
function section(help: string, title: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf(title);
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '' || !line.startsWith(' ')) break;
    out.push(line);
  }
  return out;
}

/** Every flag (`-c`, `--cycle`) in the Options section of a command's help. */
function helpFlags(help: string): string[] {
  return section(help, 'Options:')
    .map((line) => /^ {2}((?:-\w, )?--[\w-]+)/.exec(line)?.[1])
    .filter((m): m is string => m !== undefined)
    .flatMap((m) => m.split(', '));
}

function helpCommands(help: string): string[] {
  return section(help, 'Commands:')
    .map((line) => /^ {2}([a-z][\w-]*)/.exec(line)?.[1])
    .filter((m): m is string => m !== undefined);
}

const tableFlags = (options: readonly CompletionOption[]) =>
  options.flatMap((o) => (o.short ? [o.short, o.long] : [o.long])).sort();

describe('the completion table matches the program', () => {
  it('lists exactly the commands of kinship-reflect --help', async () => {
    const r = await runCli(['--help'], { cwd: dir });
    expect(r.code).toBe(0);
    const commands = helpCommands(r.stdout);
    expect(commands.length).toBeGreaterThan(10);
    expect(COMMANDS.map((c) => c.name)).toEqual(commands);
  });

  it('has the global options of kinship-reflect --help', async () => {
    const r = await runCli(['--help'], { cwd: dir });
    expect(tableFlags([...GLOBAL_OPTIONS, ...PROGRAM_OPTIONS])).toEqual(helpFlags(r.stdout).sort());
  });

  const specs: { words: string[]; spec: CompletionCommand }[] = COMMANDS.flatMap((spec) => [
    { words: [spec.name], spec },
    ...(spec.subcommands ?? []).map((sub) => ({ words: [spec.name, sub.name], spec: sub })),
  ]);
  it.each(specs)('has the options of $words --help', async ({ words, spec }) => {
    const r = await runCli([...words, '--help'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(
      tableFlags([...spec.options, { long: '--help', short: '-h', description: '', value: 'none' }]),
    ).toEqual(helpFlags(r.stdout).sort());
    // commander adds an implicit `help` subcommand to `actions`; `kinship-reflect help` covers it
    if (spec.subcommands) {
      expect(spec.subcommands.map((s) => s.name)).toEqual(helpCommands(r.stdout).filter((c) => c !== 'help'));
    }
  });
});

describe('completion scripts', () => {
  it('the built binary prints the scripts this module generates', () => {
    for (const shell of ['bash', 'zsh', 'fish'] as const)
      expect(scripts[shell]).toBe(completionScript(shell));
  });

  it('every command appears in each script', () => {
    for (const shell of ['bash', 'zsh', 'fish'] as const) {
      for (const spec of COMMANDS)
        expect(scripts[shell], `${shell}: ${spec.name}`).toMatch(new RegExp(`\\b${spec.name}\\b`));
      for (const sub of ['list', 'add', 'update']) expect(scripts[shell]).toContain(sub);
    }
  });

  it('an unknown shell is a usage error naming the shells', async () => {
    const r = await runCli(['completion', 'tcsh'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/bash, zsh, fish/);
  });

  it('bash: the script passes bash -n', () => {
    const r = spawnSync('bash', ['--norc', '--noprofile', '-n', join(dir, 'script.bash')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('bash: completes commands, subcommands, option values and cycle ids', () => {
    const cases: [string[], string][] = [
      [['kinship-reflect', 'sta'], 'status'],
      [['kinship-reflect', 'interview', '--stage', ''], 'assess plan do review'],
      [['kinship-reflect', '--dir', 'x', 'interview', '--st'], '--stage'],
      [['kinship-reflect', 'actions', ''], 'list add update'],
      [['kinship-reflect', 'actions', 'update', 'A1', '--status', ''], 'planned in-progress done dropped'],
      [['kinship-reflect', 'completion', ''], 'bash zsh fish'],
      [['kinship-reflect', 'export', '-f', ''], 'md json csv html docx'],
      [['kinship-reflect', 'diff', ''], '2025-26 2026-27'],
      [['kinship-reflect', 'status', '--cycle', '2026'], '2026-27'],
      [['kinship-reflect', 'help', 'gi'], 'git'],
    ];
    const calls = cases.map(([words]) => `comp ${words.map((w) => `'${w}'`).join(' ')}`).join('\n');
    const program = `source ./script.bash
comp() { COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _kinship_reflect; echo "\${COMPREPLY[*]}"; }
${calls}
`;
    // --norc: bash reads ~/.bashrc when its stdin is a socket, as Node's pipes are
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', program], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').slice(0, cases.length)).toEqual(cases.map(([, want]) => want));
  });

  it.skipIf(!zsh)('zsh: the script passes zsh -n and registers with compdef', () => {
    const check = spawnSync('zsh', ['-n', join(dir, 'script.zsh')], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const load = spawnSync(
      'zsh',
      [
        '-f',
        '-c',
        'autoload -U compinit && compinit -u -D && source ./script.zsh && print -r -- $_comps[kinship-reflect]',
      ],
      { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } },
    );
    expect(load.stdout.trim()).toBe('_kinship_reflect');
  });

  it.skipIf(!fish)('fish: the script passes fish -n and completes', () => {
    const check = spawnSync('fish', ['-n', join(dir, 'script.fish')], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const r = spawnSync(
      'fish',
      [
        '--no-config',
        '-c',
        'source ./script.fish; complete -C "kinship-reflect interview --stage "; complete -C "kinship-reflect actions "; complete -C "kinship-reflect diff "',
      ],
      { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } },
    );
    const words = r.stdout
      .split('\n')
      .map((l) => l.split('\t')[0])
      .filter(Boolean);
    expect(words).toEqual(['assess', 'do', 'plan', 'review', 'add', 'list', 'update', '2025-26', '2026-27']);
  });
});

/**
 * The workspace is found as the CLI finds it: --dir, else $KINSHIP_REFLECT_DIR, else the nearest
 * folder at or above the current one holding kinship-reflect.yaml, else ./reflections. Layout:
 *   ws/team/reflections/ (kinship-reflect.yaml, 2025-26, 2026-27), ws/team/reflections/minutes/
 *   ws/other/ (kinship-reflect.yaml, o1), ws/nowhere/
 */
describe('cycle ids come from the workspace the CLI would use', () => {
  let ws: string;
  beforeAll(async () => {
    ws = join(dir, 'ws');
    await mkdir(join(ws, 'team', 'reflections', 'minutes'), { recursive: true });
    await mkdir(join(ws, 'other'), { recursive: true });
    await mkdir(join(ws, 'nowhere'), { recursive: true });
    for (const f of ['kinship-reflect.yaml', '2025-26.json', '2026-27.json'])
      await writeFile(join(ws, 'team', 'reflections', f), f.endsWith('yaml') ? 'authority: X\n' : '{}');
    for (const f of ['kinship-reflect.yaml', 'o1.json'])
      await writeFile(join(ws, 'other', f), f.endsWith('yaml') ? 'authority: X\n' : '{}');
  });

  /** [folder under ws, KINSHIP_REFLECT_DIR, words on the line before the cycle, ids expected]. */
  const cases: [string, string | undefined, string[], string][] = [
    ['team/reflections', undefined, ['diff'], '2025-26 2026-27'],
    ['team/reflections/minutes', undefined, ['diff'], '2025-26 2026-27'],
    ['team', undefined, ['status', '--cycle'], '2025-26 2026-27'], // ./reflections
    ['nowhere', undefined, ['diff'], ''],
    ['nowhere', '../other', ['diff'], 'o1'],
    ['team/reflections/minutes', '../../../other', ['diff'], 'o1'], // the variable before the walk up
    ['team/reflections/minutes', '../../../other', ['--dir', '..', 'diff'], '2025-26 2026-27'],
    ['team/reflections/minutes', undefined, ['status', '--dir', '../../../other', '--cycle'], 'o1'],
    ['team/reflections/minutes', undefined, ['-d', '~/other', 'export', '-c'], 'o1'],
  ];

  /** bash completing the word after `words` on `kinship-reflect …`, run in `folder` under ws. */
  const bashCompleting = (words: string[], folder: string, variable?: string) => {
    const line = ['kinship-reflect', ...words, ''].map((w) => `'${w}'`).join(' ');
    return spawnSync(
      'bash',
      [
        '--norc',
        '--noprofile',
        '-c',
        `source "${join(dir, 'script.bash')}"
comp() { COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _kinship_reflect; echo "\${COMPREPLY[*]}"; }
comp ${line}`,
      ],
      {
        cwd: join(ws, folder),
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: ws, ...(variable ? { KINSHIP_REFLECT_DIR: variable } : {}) },
      },
    );
  };

  it.each(cases)('bash in %s (KINSHIP_REFLECT_DIR=%s): %j', (folder, variable, words, want) => {
    const r = bashCompleting(words, folder, variable);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(want);
  });

  it('bash: --dir=x (split by bash into --dir, = and x) is read too', () => {
    const r = bashCompleting(['--dir', '=', '../other', 'diff'], 'nowhere');
    expect(r.stdout.trim()).toBe('o1');
  });

  it.skipIf(!zsh).each(cases)('zsh in %s (KINSHIP_REFLECT_DIR=%s): %j', (folder, variable, words, want) => {
    const line = ['kinship-reflect', ...words, ''].map((w) => `'${w}'`).join(' ');
    const r = spawnSync(
      'zsh',
      [
        '-f',
        '-c',
        `autoload -U compinit && compinit -u -D && source "${join(dir, 'script.zsh')}"
_kinship_reflect_words=(${line}); _kinship_reflect_cycle_ids`,
      ],
      {
        cwd: join(ws, folder),
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: ws, ...(variable ? { KINSHIP_REFLECT_DIR: variable } : {}) },
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n').join(' ')).toBe(want);
  });

  it.skipIf(!fish).each(cases)('fish in %s (KINSHIP_REFLECT_DIR=%s): %j', (folder, variable, words, want) => {
    const line = ['kinship-reflect', ...words, ''].join(' ');
    const r = spawnSync(
      'fish',
      ['--no-config', '-c', `source "${join(dir, 'script.fish')}"; complete -C "${line}"`],
      {
        cwd: join(ws, folder),
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: ws, ...(variable ? { KINSHIP_REFLECT_DIR: variable } : {}) },
      },
    );
    expect(r.stderr).toBe('');
    const ids = r.stdout
      .split('\n')
      .map((l) => l.split('\t')[0])
      .filter(Boolean);
    expect(ids.join(' ')).toBe(want);
  });

  it.skipIf(!zsh)(
    'zsh, typed in a real terminal: Tab completes a cycle id after a global option',
    async () => {
      const { spawn } = await import('@lydell/node-pty');
      const pty = spawn('zsh', ['-f', '-i'], {
        cwd: join(ws, 'team', 'reflections', 'minutes'),
        env: { PATH: process.env.PATH ?? '', HOME: ws, TERM: 'xterm-256color' },
        cols: 120,
        rows: 20,
      });
      let out = '';
      pty.onData((d) => {
        out += d;
      });
      const waitFor = async (pattern: RegExp) => {
        for (let i = 0; i < 200 && !pattern.test(out); i++) await new Promise((r) => setTimeout(r, 25));
        return pattern.test(out);
      };
      try {
        pty.write(
          `PS1='> '; autoload -U compinit && compinit -u -D && source "${join(dir, 'script.zsh')}"\r`,
        );
        // --plain after the command, then --dir: the branch still knows it is export, and reads --dir
        pty.write('kinship-reflect export --plain --dir ../../../other --cycle \t');
        expect(await waitFor(/--cycle o1/)).toBe(true);
        pty.write('\x15'); // Ctrl-U: a fresh line
        out = '';
        pty.write('kinship-reflect status -c 2026\t');
        expect(await waitFor(/-c 2026-27/)).toBe(true);
      } finally {
        pty.kill();
      }
    },
  );
});
