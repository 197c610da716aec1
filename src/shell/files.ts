/**
 * Reading the user's files and folders, with one set of rules everywhere:
 *
 * - Only regular files are read. A FIFO, socket or device is refused at once with a clear message and
 *   never opened: opening a FIFO waits for a writer, so a stray one would hang the command. The kind
 *   is checked with `lstat` before opening, and again with `fstat` on what was opened (opened
 *   non-blocking, so a file swapped for a FIFO in between cannot hang it either).
 * - A symbolic link is not followed where the file is a cycle file (`links: 'refuse'`): the message
 *   names the file and says to copy it in. Where the user names a file they mean to read (a bank, a
 *   report to import) links are followed (`links: 'follow'`), with the same checks on the target.
 * - Every read is capped: a file larger than the cap is refused by its size before it is read, and
 *   never more than the cap (plus one byte, to notice growth) is read.
 * - Folders are walked by `walkFiles`: hidden folders (`.git`, `.cache` …) and `node_modules` are not
 *   entered; links inside a folder are never followed; a link or a non-regular file that the caller
 *   would have read is reported, not skipped in silence. Files come in name order, a folder's files
 *   before its subfolders.
 *
 * Synchronous on purpose: commands read a handful of small files one after another, and each
 * asynchronous step would cost a trip through the thread pool (measured: about 10 ms per `diff`).
 */
// node:fs/promises (a heavier module) loads on first use of `promises`: only walks need it
import {
  closeSync,
  constants,
  promises as fsp,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { decodeTextFile } from './text-file.ts';

/** What the file is, in words, when it is not a regular file. */
function kindInWords(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** Why a file is not read: it is a folder, a FIFO, a socket or a device (`what`: what was expected). */
export function notRegularMessage(shown: string, info: Stats, what = 'a file'): string {
  return `${shown} is ${kindInWords(info)}, not ${what}`;
}

/** Why a cycle file that is a symbolic link is not read. */
export function symlinkMessage(shown: string): string {
  return `${shown} is a symbolic link; kinship-reflect does not follow links to cycle files. Copy the file in instead (e.g. cp -L).`;
}

export interface ReadCappedOptions {
  /** The file as shown to the user. */
  shown: string;
  /** Refuse a larger file, before reading it. */
  maxBytes: number;
  /** The error for a file over `maxBytes` (each caller words it, and chooses its kind). */
  tooLarge: (size: number) => Error;
  /** 'refuse' a symbolic link (cycle files), or 'follow' it (files the user names to read). */
  links: 'refuse' | 'follow';
  /** What the file should be, for messages: "a bank file" (default "a file"). */
  what?: string;
}

// O_NOFOLLOW and O_NONBLOCK are POSIX; where they do not exist the lstat/fstat checks still apply
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
const NON_BLOCK = constants.O_NONBLOCK ?? 0;

/**
 * Read a regular file whole as UTF-8, under the rules above; undefined when there is nothing at
 * `file`. Throws a UsageError for a link (when refused), a folder, a FIFO, a socket or a device, or a
 * file the system will not let us read (`cannot read <file>: EACCES: permission denied, …`), a
 * ValidationError for bytes that are not UTF-8, and `tooLarge(size)` for a file over the cap.
 */
export function readFileCapped(file: string, opts: ReadCappedOptions): string | undefined {
  try {
    return readCapped(file, opts);
  } catch (error) {
    // an error of the system (permission denied, an I/O error) in the words every caller would use
    if (typeof (error as NodeJS.ErrnoException).syscall === 'string')
      throw new UsageError(`cannot read ${opts.shown}: ${(error as Error).message}`);
    throw error;
  }
}

function readCapped(file: string, opts: ReadCappedOptions): string | undefined {
  let info: Stats;
  try {
    info = lstatSync(file);
    if (info.isSymbolicLink()) {
      if (opts.links === 'refuse') throw new UsageError(symlinkMessage(opts.shown));
      info = statSync(file);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (!info.isFile()) throw new UsageError(notRegularMessage(opts.shown, info, opts.what));
  if (info.size > opts.maxBytes) throw opts.tooLarge(info.size);
  const fd = openSync(file, constants.O_RDONLY | NON_BLOCK | (opts.links === 'refuse' ? NO_FOLLOW : 0));
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw new UsageError(notRegularMessage(opts.shown, opened, opts.what));
    if (opened.size > opts.maxBytes) throw opts.tooLarge(opened.size);
    // at most one byte past the cap, in case the file grew since fstat
    const buffer = Buffer.alloc(Math.min(opened.size, opts.maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > opts.maxBytes) throw opts.tooLarge(length);
    // strict UTF-8: bytes that are not UTF-8 are refused with their offset, never replaced; a BOM is dropped
    return decodeTextFile(buffer.subarray(0, length), opts.shown);
  } finally {
    closeSync(fd);
  }
}

/** The default cap of `readSmallText`: the tool's own small files are a few KB. */
const SMALL_TEXT_BYTES = 1024 * 1024;

/**
 * A small text file kept beside the user's data (the resume state, the allow list, a .gitignore, a
 * .gitattributes, a git hook): read under the rules above, links followed; undefined when there is
 * none. Throws a UsageError for a FIFO, socket, device or folder, or a file over `maxBytes`, so a
 * caller that would rewrite the file never mistakes an unreadable one for an empty one.
 */
export function readSmallText(file: string, shown = file, maxBytes = SMALL_TEXT_BYTES): string | undefined {
  return readFileCapped(file, {
    shown,
    maxBytes,
    links: 'follow',
    tooLarge: (size) =>
      new UsageError(
        `${shown} is ${Math.ceil(size / 1024)} KB, more than such a file ever holds (${Math.ceil(maxBytes / 1024)} KB); move it away and try again`,
      ),
  });
}

/** Folders `walkFiles` never enters, besides hidden ones. */
const SKIPPED_FOLDERS = new Set(['node_modules']);

/** What `walkFiles` reports about what it could not use. */
export type WalkProblem = (file: string, reason: string) => void;

/**
 * The files under `start` that `wanted(name)` accepts, one at a time, under the rules above: `start`
 * itself when it is a file; else its files by name, then each subfolder the same way. `start` must
 * exist (a missing path is reported). A link or a non-regular entry whose name is wanted is reported,
 * as is a folder that cannot be read.
 */
export async function* walkFiles(
  start: string,
  wanted: (name: string) => boolean,
  report: WalkProblem,
): AsyncGenerator<string> {
  let info: Stats;
  try {
    // the path the user gave may be a link to a folder (a workspace kept elsewhere): that one is
    // followed; a link to a file is yielded, for the reader to refuse or follow
    info = statSync(start);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    report(start, code === 'ENOENT' ? 'no such file or folder' : `cannot be read (${code ?? 'error'})`);
    return;
  }
  if (!info.isDirectory()) {
    yield start;
    return;
  }
  yield* walkFolder(start, wanted, report);
}

async function* walkFolder(
  dir: string,
  wanted: (name: string) => boolean,
  report: WalkProblem,
): AsyncGenerator<string> {
  const files: string[] = [];
  const folders: string[] = [];
  try {
    // opendir streams the entries instead of building one big array of Dirent objects
    for await (const entry of await fsp.opendir(dir)) {
      const name = entry.name;
      if (entry.isDirectory()) {
        if (!name.startsWith('.') && !SKIPPED_FOLDERS.has(name)) folders.push(name);
      } else if (wanted(name)) {
        if (entry.isFile()) files.push(name);
        else if (entry.isSymbolicLink()) report(path.join(dir, name), symlinkReason);
        else report(path.join(dir, name), `is ${kindInWords(lstatSync(path.join(dir, name)))}, not a file`);
      }
    }
  } catch (error) {
    report(dir, `folder cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return;
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  for (const name of files.sort(byName)) yield path.join(dir, name);
  for (const name of folders.sort(byName)) yield* walkFolder(path.join(dir, name), wanted, report);
}

const symlinkReason = 'is a symbolic link, which is not followed; copy the file in instead';
