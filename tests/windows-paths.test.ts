/**
 * Paths in what the tool tells Windows users: a command to run names its path so that Command
 * Prompt and PowerShell both take it (never POSIX single quotes, never doubled backslashes).
 */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportReport } from '../src/commands/export.ts';
import { newWorkspaceHint } from '../src/commands/init.ts';
import { answerableItems } from '../src/core/bank.ts';
import { commandLineQuote, shellQuote } from '../src/shell/command-line-quote.ts';
import { updateCycle } from '../src/shell/cycle-store.ts';
import { findWorkspaceAbove, openWorkspace } from '../src/shell/workspace.ts';
import { makeWorkspace, type TestWorkspace } from './helpers/workspace.ts';

describe('commandLineQuote', () => {
  it('on Windows, leaves a plain path as it is, drive letter and backslashes included', () => {
    expect(commandLineQuote('C:\\Users\\jo\\reflections', 'win32')).toBe('C:\\Users\\jo\\reflections');
    expect(commandLineQuote('\\\\fileserver\\team\\reflections', 'win32')).toBe(
      '\\\\fileserver\\team\\reflections',
    );
    expect(commandLineQuote('D:/work/ws-2026_27', 'win32')).toBe('D:/work/ws-2026_27');
  });

  it('on Windows, puts a path with spaces or special characters in double quotes', () => {
    expect(commandLineQuote('C:\\Users\\Jo Bloggs\\OneDrive - Exampleshire\\ws', 'win32')).toBe(
      '"C:\\Users\\Jo Bloggs\\OneDrive - Exampleshire\\ws"',
    );
    expect(commandLineQuote("C:\\Team's work\\ws", 'win32')).toBe('"C:\\Team\'s work\\ws"');
    expect(commandLineQuote('C:\\a&b\\ws', 'win32')).toBe('"C:\\a&b\\ws"');
  });

  it('on Windows, never doubles a backslash but the last ones inside quotes (\\" would be a quote)', () => {
    const p = path.win32.join('C:\\Users', 'Jo Bloggs', 'reflections');
    expect(commandLineQuote(p, 'win32')).toBe('"C:\\Users\\Jo Bloggs\\reflections"');
    expect(commandLineQuote('D:\\My folder\\', 'win32')).toBe('"D:\\My folder\\\\"');
    expect(commandLineQuote('C:\\', 'win32')).toBe('C:\\');
    // not JSON, which is what the hints used to show
    expect(commandLineQuote(p, 'win32')).not.toBe(JSON.stringify(p));
  });

  it('on Windows, quotes what Command Prompt or PowerShell would split or expand', () => {
    for (const p of ['C:\\a,b', 'C:\\a;b', 'C:\\a=b', 'C:\\(x86)', 'C:\\a^b', 'C:\\$ws', 'C:\\@ws', ''])
      expect(commandLineQuote(p, 'win32'), p).toBe(`"${p}"`);
  });

  it('elsewhere, quotes for a POSIX shell', () => {
    expect(commandLineQuote('/home/jo/my reflections', 'linux')).toBe("'/home/jo/my reflections'");
    expect(commandLineQuote("/tmp/it's", 'darwin')).toBe(shellQuote("/tmp/it's"));
    expect(commandLineQuote('/home/jo/$HOME `x` "y"', 'linux')).toBe(`'/home/jo/$HOME \`x\` "y"'`);
    expect(commandLineQuote('reflections/2026-27.md', 'linux')).toBe('reflections/2026-27.md');
    // a backslash is an escape there: a Windows-looking name is quoted
    expect(commandLineQuote('a\\b', 'linux')).toBe("'a\\b'");
    expect(commandLineQuote('~/ws', 'linux')).toBe("'~/ws'");
    expect(commandLineQuote('', 'linux')).toBe("''");
  });

  it('survives a real POSIX shell: the quoted word comes back as it was', () => {
    for (const word of ["it's $HOME", 'a\\b c', '`date`', '"q"', '*', 'new\nline', '-']) {
      const r = spawnSync('sh', ['-c', `printf '%s' ${commandLineQuote(word, 'linux')}`], {
        encoding: 'utf8',
      });
      expect(r.stdout).toBe(word);
    }
  });
});

describe('finding the workspace above the current folder, on Windows', () => {
  /** A Windows file system holding `files`; records every path looked at. */
  function windows(files: string[]) {
    const looked: string[] = [];
    const have = new Set(files.map((f) => f.toLowerCase()));
    const exists = (f: string) => {
      looked.push(f);
      return have.has(f.toLowerCase());
    };
    return { looked, find: (start: string) => findWorkspaceAbove(start, path.win32, exists) };
  }

  it('finds the folder holding kinship-reflect.yaml from a sub-folder', () => {
    const fs = windows(['C:\\Users\\jo\\reflections\\kinship-reflect.yaml']);
    expect(fs.find('C:\\Users\\jo\\reflections\\notes\\2026')).toBe('C:\\Users\\jo\\reflections');
  });

  it('stops at the drive root, never looking beyond it or on another drive', () => {
    const fs = windows(['D:\\kinship-reflect.yaml']);
    expect(fs.find('C:\\Users\\jo\\Documents')).toBeUndefined();
    expect(fs.looked).toEqual([
      'C:\\Users\\jo\\Documents\\kinship-reflect.yaml',
      'C:\\Users\\jo\\kinship-reflect.yaml',
      'C:\\Users\\kinship-reflect.yaml',
      'C:\\kinship-reflect.yaml',
    ]);
  });

  it('a workspace at the drive root is found', () => {
    expect(windows(['E:\\kinship-reflect.yaml']).find('E:\\team\\2026')).toBe('E:\\');
  });

  it('stops at the root of a network share', () => {
    const fs = windows([]);
    expect(fs.find('\\\\fileserver\\team\\reflections')).toBeUndefined();
    expect(fs.looked).toEqual([
      '\\\\fileserver\\team\\reflections\\kinship-reflect.yaml',
      '\\\\fileserver\\team\\kinship-reflect.yaml',
    ]);
  });
});

describe('the commands the tool suggests, with a path that needs quoting', () => {
  let t: TestWorkspace | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });
  // (the Windows forms are run by the Windows executable under Wine: tests/exe-smoke.test.ts)
  const awkward = "Team's $work";

  it('no workspace: init --dir, quoted for the shell, not as JSON', async () => {
    t = await makeWorkspace();
    const ctx = { ...t.ctx, global: { ...t.ctx.global, dir: path.join(t.dir, awkward) } };
    await expect(openWorkspace(ctx)).rejects.toThrow(
      `kinship-reflect init --dir ${commandLineQuote(path.join(t.dir, awkward))} --authority`,
    );
  });

  it("init's cd to the new workspace", async () => {
    t = await makeWorkspace();
    const hint = newWorkspaceHint(t.ctx, path.join(t.dir, awkward));
    expect(hint).toContain(`cd ${commandLineQuote(awkward)} && git init`);
    expect(hint).toContain("cd 'Team'\\''s $work' && git init");
  });

  it("export's import of a hand-edited paper", async () => {
    t = await makeWorkspace();
    const id = answerableItems(t.ws.bank)[0]!.id;
    await updateCycle(
      t.ws,
      '2025-26',
      (c) => {
        c.answers[id] = { status: 'answered', text: ['Line one.'], changed: '2025-06-01' };
      },
      { create: true },
    );
    const out = `${awkward}.md`;
    await exportReport({ cycle: '2025-26', out }, t.ctx);
    const file = path.join(t.dir, out);
    await writeFile(file, (await readFile(file, 'utf8')).replace('Line one.', 'Line one, edited.'));
    await expect(exportReport({ cycle: '2025-26', out }, t.ctx)).rejects.toThrow(
      "kinship-reflect import 'Team'\\''s $work.md' --cycle 2025-26",
    );
  });
});
