/**
 * Windows conventions of the interview, played on Linux: Notepad as the editor when %VISUAL% and
 * %EDITOR% name none, what Notepad saves (CRLF, a byte-order mark, UTF-16) read back as the text the
 * user wrote, and the linear dialogue by default in the old console.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

  it('is %VISUAL%, then %EDITOR%, then Notepad, told how to save and close', async () => {
    // a fake Notepad on PATH: records what it was given, then saves CRLF with a byte-order mark
    const bin = join(work, 'bin');
    await mkdir(bin);
    const seen = join(work, 'seen.bin');
    await writeFile(
      join(bin, 'notepad'),
      `#!${process.execPath}
const fs = require('node:fs');
const file = process.argv[process.argv.length - 1];
fs.copyFileSync(file, ${JSON.stringify(seen)});
fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('First line\\r\\nsecond line\\r\\n')]));
`,
      { mode: 0o755 },
    );
    const told: string[] = [];
    const text = await openEditor(
      'First line\n',
      { PATH: bin },
      { platform: 'win32', stdio: 'ignore', tmpDir: work, tell: (m) => told.push(m), question: 'How many?' },
    );
    expect(told).toEqual([]);
    expect(text).toBe('First line\nsecond line');
    const given = await readFile(seen);
    expect([...given.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(given.subarray(3).toString('utf8')).toBe(
      `${[
        '# How many?',
        '# Write your answer below. Lines starting with # are removed. Save and close the editor to use it.',
        '# This is Notepad: type your answer, then save it (Ctrl-S) and close the window.',
        '# (To use another editor, set %EDITOR%, for example: setx EDITOR "code --wait", then open a new window)',
        '',
        'First line',
      ].join('\n')}\n`,
    );
    // %VISUAL% and %EDITOR% come first; elsewhere Notepad is not tried
    expect(editorCommand({ VISUAL: 'code --wait', EDITOR: 'vim' })).toBe('code --wait');
    const elsewhere: string[] = [];
    await openEditor(
      'x',
      { PATH: bin },
      {
        platform: 'linux',
        fallbacks: undefined,
        stdio: 'ignore',
        tmpDir: work,
        tell: (m) => elsewhere.push(m),
      },
    );
    expect(elsewhere.join('\n')).not.toMatch(/notepad/i);
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
    expect(told.join('\n')).toMatch(/setx EDITOR "code --wait"/);
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
