/**
 * Words of a command shown to the user to copy and run (`Create one with: kinship-reflect init --dir
 * …`), quoted for the shell they type it into. Never JSON: `"C:\\Users\\jo"` is another path in every
 * shell.
 */

/**
 * Characters that mean nothing to any of the shells (not `,` `;` `=`, which separate a batch file's
 * arguments, nor `@`, PowerShell's splatting): a word of only these is shown as it is.
 */
const PLAIN_WORD = /^[\w.:/\\+-]+$/;

/**
 * One word for the user's shell. POSIX shells: as it is when plain, else in single quotes, inside
 * which `$`, `` ` ``, `\` and spaces are literal (`shellQuote`). Windows, for Command Prompt and
 * PowerShell alike: as it is when plain (`C:\Users\jo\reflections`), else in double quotes, with
 * backslashes as they are (neither shell escapes with them); single quotes would be taken literally
 * by Command Prompt. Trailing backslashes are doubled inside the quotes, since a program reads `\"`
 * in its command line as a quote character (`"D:\My folder\\"`). A `%NAME%` (Command Prompt) or
 * `$name` (PowerShell) inside a Windows path is left as it is: no one quoting serves both shells.
 */
export function commandLineQuote(s: string, platform: NodeJS.Platform = process.platform): string {
  // (a backslash is plain to Windows's shells only)
  if (s !== '' && PLAIN_WORD.test(s) && (platform === 'win32' || !s.includes('\\'))) return s;
  if (platform !== 'win32') return shellQuote(s);
  return `"${s.replace(/(\\+)$/, '$1$1')}"`;
}

/** Quote for a POSIX shell: everything inside single quotes is literal (a `'` is closed and reopened). */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
