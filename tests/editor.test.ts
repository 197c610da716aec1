import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editorCommand, NO_EDITOR_MESSAGE, openEditor, splitCommandLine } from '../src/ui/editor.ts';

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
    await expect(openEditor('text', {}, { tell, tmpDir: spool })).resolves.toBeUndefined();
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
      `First line.\nAdded line. mode=${process.platform === 'win32' ? '666' : '600'} ext=.md\n`,
    );
    expect(told).toEqual([]);
    expect(await readdir(spool)).toEqual([]);
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
