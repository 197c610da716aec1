import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  editorCommand,
  editorHeader,
  fileArguments,
  NO_EDITOR_MESSAGE,
  openEditor,
  splitCommandLine,
  stripEditorHeader,
} from '../src/ui/editor.ts';

let work: string;
let spool: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kr-editor-test-'));
  spool = join(work, 'spool');
  await mkdir(spool);
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A fake editor: a Node script given the file to edit; `body` is the script's code using `file`. */
async function fakeEditor(name: string, body: string): Promise<string> {
  const script = join(work, `${name}.mjs`);
  await writeFile(
    script,
    `import fs from 'node:fs';\nconst file = process.argv[process.argv.length - 1];\n${body}\n`,
  );
  return `"${process.execPath}" "${script}"`;
}

function collect() {
  const told: string[] = [];
  return { told, tell: (m: string) => told.push(m) };
}

describe('splitCommandLine and editorCommand', () => {
  it('splits words and honours quotes and backslashes', () => {
    expect(splitCommandLine('code --wait')).toEqual(['code', '--wait']);
    expect(splitCommandLine('  nano  ')).toEqual(['nano']);
    expect(splitCommandLine('"/opt/My Editor/ed" -w')).toEqual(['/opt/My Editor/ed', '-w']);
    expect(splitCommandLine("'a b'c d\\ e")).toEqual(['a bc', 'd e']);
    expect(splitCommandLine('vim ""')).toEqual(['vim', '']);
  });

  it('prefers $VISUAL, then $EDITOR, ignoring blank values', () => {
    expect(editorCommand({ VISUAL: 'vim', EDITOR: 'nano' })).toBe('vim');
    expect(editorCommand({ VISUAL: ' ', EDITOR: 'nano' })).toBe('nano');
    expect(editorCommand({})).toBeUndefined();
  });
});

describe('openEditor', () => {
  it('says how to set an editor when none is set', async () => {
    const { told, tell } = collect();
    await expect(openEditor('text', {}, { tell, tmpDir: spool, fallbacks: [] })).resolves.toBeUndefined();
    expect(told).toEqual([NO_EDITOR_MESSAGE]);
  });

  it('waits for the editor, returns the edited text and removes the private temp file', async () => {
    const editor = await fakeEditor(
      'append',
      `const mode = fs.statSync(file).mode & 0o777;
       setTimeout(() => fs.appendFileSync(file, 'Added line. mode=' + mode.toString(8) + ' ext=' + file.slice(-3) + '\\n'), 150);
       setTimeout(() => {}, 300);`,
    );
    const { told, tell } = collect();
    const text = await openEditor(
      'First line.\n',
      { EDITOR: editor },
      { tell, tmpDir: spool, stdio: 'ignore' },
    );
    expect(text).toBe(
      `First line.\nAdded line. mode=${process.platform === 'win32' ? '666' : '600'} ext=.md`,
    );
    expect(told).toEqual([]);
    expect(await readdir(spool)).toEqual([]);
  });

  it('starts the file with the question as comment lines, ends it with a newline, and strips the comments on return', async () => {
    const editor = await fakeEditor(
      'copy',
      `fs.writeFileSync(process.env.SEEN, fs.readFileSync(file));
       fs.appendFileSync(file, '# my own heading stays\\n');
       setTimeout(() => {}, 50);`,
    );
    const { tell } = collect();
    const seen = join(spool, 'seen.txt');
    const text = await openEditor(
      'Line one.',
      { EDITOR: editor, SEEN: seen },
      { tell, tmpDir: spool, stdio: 'ignore', question: 'How many carers?\nTags: KP1', minimumWaitMs: 0 },
    );
    expect(text).toBe('Line one.\n# my own heading stays');
    const shown = await readFile(seen, 'utf8');
    expect(shown).toMatch(/^# How many carers\?\n# Tags: KP1\n# Write your answer below\./);
    expect(shown.endsWith('\n\nLine one.\n')).toBe(true);
  });

  it('shows the header a fallback editor needs, and strips only our own lines', () => {
    const header = editorHeader('Why prioritise R4?', 'vi');
    expect(header[0]).toBe('# Why prioritise R4?');
    expect(header.join('\n')).toMatch(/press i to type, then Esc and type :wq/);
    const file = `${header.join('\n')}\n\n# kept\nText.\n`;
    expect(stripEditorHeader(file, header)).toBe('# kept\nText.');
  });

  it('uses $VISUAL before $EDITOR', async () => {
    const visual = await fakeEditor('visual', `fs.writeFileSync(file, 'from visual');`);
    const { tell } = collect();
    const text = await openEditor(
      'x',
      { VISUAL: visual, EDITOR: 'no-such-editor-kr' },
      {
        tell,
        tmpDir: spool,
        stdio: 'ignore',
      },
    );
    expect(text).toBe('from visual');
  });

  it('explains a missing editor program', async () => {
    const { told, tell } = collect();
    await expect(
      openEditor('x', { EDITOR: 'no-such-editor-kr --wait' }, { tell, tmpDir: spool, stdio: 'ignore' }),
    ).resolves.toBeUndefined();
    expect(told[0]).toContain('The editor "no-such-editor-kr --wait" was not found');
    expect(told.join(' ').split('here instead').length - 1).toBe(1);
    expect(await readdir(spool)).toEqual([]);
  });

  it('keeps changed text and gives its path when the editor fails', async () => {
    const editor = await fakeEditor('fail', `fs.writeFileSync(file, 'precious words'); process.exit(3);`);
    const { told, tell } = collect();
    await expect(
      openEditor('old', { EDITOR: editor }, { tell, tmpDir: spool, stdio: 'ignore' }),
    ).resolves.toBeUndefined();
    expect(told[0]).toContain('exited with code 3');
    const kept = /kept in (.+answer\.md)\./.exec(told[0]!)?.[1];
    expect(kept).toBeDefined();
    expect(await readFile(kept!, 'utf8')).toBe('precious words');
  });

  it('warns about editors that do not wait', async () => {
    const editor = await fakeEditor('nowait', '// returns at once without touching the file');
    const { told, tell } = collect();
    await expect(
      openEditor('same', { EDITOR: editor }, { tell, tmpDir: spool, stdio: 'ignore' }),
    ).resolves.toBeUndefined();
    expect(told[0]).toContain('closed at once and the text is unchanged');
    expect(told[0]).toContain('code --wait');
  });

  it('accepts an unchanged file when the editor was open for a while', async () => {
    const editor = await fakeEditor('slow', '// the user looked and closed');
    let clock = 0;
    const now = () => (clock += 5000);
    const { told, tell } = collect();
    await expect(
      openEditor('same', { EDITOR: editor }, { tell, now, tmpDir: spool, stdio: 'ignore' }),
    ).resolves.toBe('same');
    expect(told).toEqual([]);
  });
});

describe('marked lines (the personal-data warning) in the editor', () => {
  const marks = [{ line: 2, column: 6, note: 'may hold personal data: possible NHS number "943 *** 5919"' }];

  it('names each mark in a comment line with its line in the file, stripped on return', () => {
    const header = editorHeader('Who are your carers?', undefined, 'linux', marks);
    expect(header.at(-1)).toBe(
      '# >>> Line 2 of your answer (line 6 of this file) may hold personal data: possible NHS number "943 *** 5919".',
    );
    const file = `${[...header, ''].join('\n')}\nfirst\nCase 9434765919.\n`;
    expect(file.split('\n')[5]).toBe('Case 9434765919.');
    expect(stripEditorHeader(file, header)).toBe('first\nCase 9434765919.');
  });

  it('opens editors that take a line on the first mark (+N, --goto), others on the file', () => {
    expect(fileArguments('vim', '/t/a.md', 6)).toEqual(['+6', '/t/a.md']);
    expect(fileArguments('/usr/bin/nano', '/t/a.md', 6)).toEqual(['+6', '/t/a.md']);
    expect(fileArguments('code', '/t/a.md', 6, 3)).toEqual(['--goto', '/t/a.md:6:3']);
    expect(fileArguments('gedit', '/t/a.md', 6)).toEqual(['/t/a.md']);
    expect(fileArguments('vim', '/t/a.md')).toEqual(['/t/a.md']);
  });

  it.skipIf(process.platform === 'win32')(
    'a real run: the editor is started at the marked line of the file',
    async () => {
      const bin = join(work, 'bin');
      await mkdir(bin);
      const argsFile = join(work, 'args.json');
      // an editor called vi: records its arguments, and replaces the line it was opened at
      await writeFile(
        join(bin, 'vi'),
        `#!${process.execPath}\nconst fs = require('node:fs');\nconst [at, file] = process.argv.slice(2);\n` +
          `fs.writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify([at, fs.readFileSync(file, 'utf8').split('\\n')[Number(at.slice(1)) - 1]]));\n` +
          `const lines = fs.readFileSync(file, 'utf8').split('\\n'); lines[Number(at.slice(1)) - 1] = 'One case.'; fs.writeFileSync(file, lines.join('\\n'));\n`,
      );
      await chmod(join(bin, 'vi'), 0o755);
      const { told, tell } = collect();
      const text = await openEditor(
        '12 SGO households.\nCase 9434765919.',
        { EDITOR: join(bin, 'vi') },
        {
          stdio: 'ignore',
          tell,
          tmpDir: spool,
          question: 'Who are your carers?',
          marks,
          minimumWaitMs: 0,
        },
      );
      expect(told).toEqual([]);
      expect(JSON.parse(await readFile(argsFile, 'utf8'))).toEqual(['+6', 'Case 9434765919.']);
      expect(text).toBe('12 SGO households.\nOne case.');
    },
  );
});
