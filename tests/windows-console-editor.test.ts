/**
 * Windows conventions of the interview, played on Linux: Notepad as the editor when %VISUAL% and
 * %EDITOR% name none, what Notepad saves (CRLF, a byte-order mark, UTF-16) read back as the text the
 * user wrote, and the linear dialogue by default in the old console.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CommandContext, isLimitedWindowsConsole, isPlain } from '../src/shell/context.ts';
import { decodeEditedText, editorCommand, openEditor } from '../src/ui/editor.ts';

describe('the editor on Windows', () => {
  let work: string;
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'kr-windows-editor-'));
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('is %VISUAL%, then %EDITOR%, then Notepad; elsewhere nothing is guessed', () => {
    expect(editorCommand({ VISUAL: 'code --wait', EDITOR: 'vim' }, 'win32')).toBe('code --wait');
    expect(editorCommand({ EDITOR: 'notepad++ -multiInst -nosession' }, 'win32')).toBe(
      'notepad++ -multiInst -nosession',
    );
    expect(editorCommand({ VISUAL: ' ' }, 'win32')).toBe('notepad');
    expect(editorCommand({}, 'win32')).toBe('notepad');
    expect(editorCommand({}, 'linux')).toBeUndefined();
    expect(editorCommand({}, 'darwin')).toBeUndefined();
  });

  it('reads back what Notepad saves as the text typed: CRLF, a byte-order mark, UTF-16', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(decodeEditedText(Buffer.concat([bom, Buffer.from('Two lines\r\nof text£\r\n')]))).toBe(
      'Two lines\nof text£\n',
    );
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Unicode £\r\nline\r\n', 'utf16le')]);
    expect(decodeEditedText(utf16)).toBe('Unicode £\nline\n');
    // a lone CR (old Mac files) is a line end too; a BOM later in the text is kept as it is
    expect(decodeEditedText(Buffer.from('a\rb\n\uFEFFc'))).toBe('a\nb\n\uFEFFc');
    expect(decodeEditedText(Buffer.from('plain\n'))).toBe('plain\n');
  });

  it('writes the file with a byte-order mark on Windows and returns the edit without CR or mark', async () => {
    // a fake Notepad: records what it was given, then saves CRLF with a byte-order mark
    const script = join(work, 'notepad.mjs');
    const seen = join(work, 'seen.bin');
    await writeFile(
      script,
      `import fs from 'node:fs';
const file = process.argv[process.argv.length - 1];
fs.copyFileSync(file, ${JSON.stringify(seen)});
fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('First line\\r\\nsecond line\\r\\n')]));
`,
    );
    const told: string[] = [];
    const text = await openEditor(
      'First line\n',
      { EDITOR: `"${process.execPath}" "${script}"` },
      { platform: 'win32', stdio: 'ignore', tmpDir: work, tell: (m) => told.push(m) },
    );
    expect(told).toEqual([]);
    expect(text).toBe('First line\nsecond line\n');
    const given = await readFile(seen);
    expect([...given.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(given.subarray(3).toString('utf8')).toBe('First line\n');
  });

  it('an unchanged file that Notepad saved with CRLF still counts as unchanged', async () => {
    const script = join(work, 'resave.mjs');
    await writeFile(
      script,
      `import fs from 'node:fs';
const file = process.argv[process.argv.length - 1];
fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\\n/g, '\\r\\n'));
`,
    );
    const told: string[] = [];
    const text = await openEditor(
      'Same\ntext\n',
      { EDITOR: `"${process.execPath}" "${script}"` },
      { platform: 'win32', stdio: 'ignore', tmpDir: work, tell: (m) => told.push(m), minimumWaitMs: 60_000 },
    );
    // returned at once with the text unchanged: the editor did not wait, which the user is told
    expect(text).toBeUndefined();
    expect(told.join('\n')).toMatch(/closed at once and the text is unchanged/);
  });
});

describe('the old Windows console', () => {
  const ctx = (env: NodeJS.ProcessEnv, tty: boolean, plain?: boolean): CommandContext => {
    const stdin = Object.assign(new PassThrough(), { isTTY: tty });
    return {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdin,
      env,
      cwd: '/',
      today: () => '2026-06-30',
      global: plain === undefined ? {} : { plain },
    };
  };

  it('is conhost: no terminal says what it is', () => {
    expect(isLimitedWindowsConsole({})).toBe(true);
    expect(isLimitedWindowsConsole({ WT_SESSION: '8c6b7c52-0000-0000-0000-000000000000' })).toBe(false);
    expect(isLimitedWindowsConsole({ TERM_PROGRAM: 'vscode' })).toBe(false);
    expect(isLimitedWindowsConsole({ ConEmuANSI: 'ON' })).toBe(false);
    expect(isLimitedWindowsConsole({ ConEmuANSI: 'OFF' })).toBe(true);
    expect(isLimitedWindowsConsole({ TERM: 'xterm-256color' })).toBe(false);
    expect(isLimitedWindowsConsole({ WT_SESSION: '' })).toBe(true);
  });

  it('gets the linear dialogue by default, at a console only, and ACCESSIBLE=0 overrides it', () => {
    expect(isPlain(ctx({}, true), 'win32')).toBe(true);
    expect(isPlain(ctx({ WT_SESSION: 'x' }, true), 'win32')).toBe(false);
    expect(isPlain(ctx({ ACCESSIBLE: '0' }, true), 'win32')).toBe(false);
    expect(isPlain(ctx({ ACCESSIBLE: 'false' }, true), 'win32')).toBe(false);
    // piped input: the interview decides as everywhere (it needs --plain or a terminal)
    expect(isPlain(ctx({}, false), 'win32')).toBe(false);
    // elsewhere nothing changes
    expect(isPlain(ctx({}, true), 'linux')).toBe(false);
    expect(isPlain(ctx({ ACCESSIBLE: '1' }, true), 'linux')).toBe(true);
    expect(isPlain(ctx({ WT_SESSION: 'x' }, true, true), 'win32')).toBe(true);
  });
});
