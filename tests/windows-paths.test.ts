/**
 * Paths in what the tool tells Windows users: a command to run names its path so that Command
 * Prompt and PowerShell both take it (never POSIX single quotes, never doubled backslashes).
 */
import { describe, expect, it } from 'vitest';
import { commandLineQuote, shellQuote } from '../src/shell/git-hook.ts';

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

  it('elsewhere, quotes for a POSIX shell', () => {
    expect(commandLineQuote('/home/jo/my reflections', 'linux')).toBe("'/home/jo/my reflections'");
    expect(commandLineQuote("/tmp/it's", 'darwin')).toBe(shellQuote("/tmp/it's"));
  });
});
