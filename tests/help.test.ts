import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELP_TOPICS } from '../src/core/help-topics.ts';
import { wrapText } from '../src/core/wrap.ts';
import { repoRoot, runCli } from './helpers/run-cli.ts';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'kinship-reflect-help-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(args, { cwd });

describe('help topics', () => {
  it('lists the topics the issue asks for, each fitting 80 columns as printed (commands left whole)', () => {
    expect(HELP_TOPICS.map((t) => t.name)).toEqual(['workspaces', 'cycles', 'plain', 'git']);
    for (const topic of HELP_TOPICS) {
      for (const line of wrapText(topic.text, 80).split('\n')) {
        // a command is never broken (it would not paste back into a shell); nothing else is wider
        if (/^ {2}(kinship-reflect|git|cd) \S/.test(line) && !/\S {2,}\S/.test(line.trim())) continue;
        expect(line.length, `${topic.name}: ${line}`).toBeLessThanOrEqual(80);
      }
      // plain text: no ANSI, no tabs
      expect(topic.text).not.toMatch(/[\x1b\t]/);
    }
  });

  it.each([
    ['workspaces', ['kinship-reflect.yaml', 'KINSHIP_REFLECT_DIR', '--dir', './reflections', 'init']],
    ['cycles', ['--from', 'carried forward', 'diff', 'status', 'needs-data']],
    ['plain', ['ACCESSIBLE=1', 'numbered', 'empty line', '?', 'Ctrl-D', '130', '< answers.txt']],
    [
      'git',
      [
        'git diff',
        'kinship-reflect diff',
        'kinship-reflect git setup',
        'Once per clone',
        'kinship-reflect git resolve 2026-27',
        'keep both',
        'Never edit <<<<<<< lines by hand',
        'kinship-reflect import',
      ],
    ],
  ])('help %s prints its page on stdout', async (topic, words) => {
    const r = await cli(['help', topic]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const word of words) expect(r.stdout).toContain(word);
  });

  it('topic names are case-insensitive', async () => {
    const r = await cli(['help', 'GIT']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^GIT\n/);
  });

  it('the plain page follows the protocol in the header of src/ui/plain-prompter.ts', async () => {
    const source = await readFile(join(repoRoot, 'src/ui/plain-prompter.ts'), 'utf8');
    const header = source.slice(0, source.indexOf('*/'));
    const page = HELP_TOPICS.find((t) => t.name === 'plain')?.text ?? '';
    // each rule of the protocol, as the prompter states it, and the words the page uses for it
    const rules: [RegExp, RegExp][] = [
      [/numbered/i, /numbered/],
      [/shortcut letter/i, /shortcut letter/],
      [/empty line takes the default/i, /empty line takes the default/],
      [/y, yes, n or no/, /y, yes, n or no/],
      [/separated by spaces or commas/, /separated by spaces or\s+commas/],
      [/empty line ends the text/i, /empty line to finish/],
      [/only \? explains/, /only \? explains/],
      [/input ends/i, /End of input/],
      [/20 answers in a row/, /20 answers in a row/],
    ];
    for (const [inPrompter, inPage] of rules) {
      expect(header, `plain-prompter.ts no longer says ${inPrompter}: update the plain help page`).toMatch(
        inPrompter,
      );
      expect(page).toMatch(inPage);
    }
  });
});

describe('help on commands', () => {
  it('help with no topic prints the program help on stdout', async () => {
    const [viaHelp, viaFlag] = await Promise.all([cli(['help']), cli(['--help'])]);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toContain('Usage: kinship-reflect');
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
  });

  it.each([
    { words: ['diff'] },
    { words: ['init'] },
    { words: ['actions', 'add'] },
    { words: ['completion'] },
  ])('help $words equals $words --help', async ({ words }) => {
    const [viaHelp, viaFlag] = await Promise.all([cli(['help', ...words]), cli([...words, '--help'])]);
    expect(viaHelp.code).toBe(0);
    expect(viaFlag.code).toBe(0);
    expect(viaHelp.stdout).toContain(`Usage: kinship-reflect ${words.join(' ')}`);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stderr).toBe('');
  });

  it('an unknown topic is a usage error that lists the topics and the commands', async () => {
    const r = await cli(['help', 'gti']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no help topic or command called "gti"');
    expect(r.stderr).toContain('Topics: workspaces, cycles, plain, git.');
    expect(r.stderr).toMatch(/Commands: init, interview, .*completion, help\./);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('every command teaches by example', () => {
  it('each command listed in --help has examples in its own --help', async () => {
    const main = await runCli(['--help']);
    const section = main.stdout.split('Commands:')[1]?.split('\n\n')[0] ?? '';
    const commands = [...section.matchAll(/^ {2}([a-z]+)\b/gm)]
      .map((m) => m[1] as string)
      .filter((c) => c !== 'help');
    expect(commands.length).toBe(16);
    const missing: string[] = [];
    for (const command of commands) {
      const r = await runCli([command, '--help']);
      if (r.code !== 0 || !/Examples?:\n {2}kinship-reflect /.test(r.stdout)) missing.push(command);
    }
    expect(missing).toEqual([]);
  });
});

describe('kinship-reflect with no command', () => {
  it('without a terminal prints the help to stderr and exits 2 at once, even with stdin left open', async () => {
    const r = await runCli([], { cwd, timeoutMs: 10_000, keepStdinOpen: true });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no terminal');
    expect(r.stderr).toContain('Usage: kinship-reflect');
  });
});
