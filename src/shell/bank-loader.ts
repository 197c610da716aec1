/**
 * Find the question bank a command should use: a built-in one (compiled and validated at build
 * time, so nothing is parsed here) or a custom YAML file, which is parsed and validated now.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { DEFAULT_MAX_BYTES, sizeLimitMessage } from '../core/bank-limits.ts';
import { UsageError, ValidationError } from '../core/errors.ts';
import { sha256Hex } from '../core/hash.ts';
import type { Bank } from '../core/types.ts';
import { BUILTIN_BANK_IDS, BUILTIN_BANK_SHA256, loadBuiltinBank } from '../generated/banks.ts';
import { readFileCapped } from './files.ts';

export const DEFAULT_BANK = 'reflective-tool';

/** True when `ref` names a file rather than a built-in bank. */
export function isBankPath(ref: string): boolean {
  return /[/\\]/.test(ref) || /\.ya?ml$/i.test(ref);
}

function builtinList(): string {
  return BUILTIN_BANK_IDS.join(', ');
}

/** How a bank file is named in problems: relative to `baseDir` when inside it, else as given. */
function displayPath(path: string, baseDir: string, ref: string): string {
  if (!isAbsolute(ref)) return ref;
  const rel = relative(baseDir, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/**
 * Read a bank file, refusing it before reading it all when it is over `maxBytes` (default 1 MB), and
 * refusing what is not a regular file (shell/files.ts); a link to a bank is followed.
 */
export async function readBankText(path: string, shown: string, maxBytes?: number): Promise<string> {
  const cap = maxBytes ?? DEFAULT_MAX_BYTES;
  const text = readFileCapped(path, {
    shown,
    maxBytes: cap,
    links: 'follow',
    what: 'a bank file',
    tooLarge: (size) => new ValidationError([{ file: shown, message: sizeLimitMessage(size, cap) }]),
  });
  if (text === undefined) throw new UsageError(`no bank file at ${shown}; built-in banks: ${builtinList()}`);
  return text;
}

/**
 * The built-in bank compiled from exactly this text, if there is one. The build parsed and validated
 * that text with `parseBank` and failed on any problem, and `parseBank` depends on nothing but its
 * text (the file name appears only in problems), so the same text is the same bank with no problems.
 * A SHA-256 proves the text is the same; one changed byte, and the caller parses it.
 */
export async function builtinBankWithText(text: string): Promise<Bank | undefined> {
  const hash = sha256Hex(text);
  const id = Object.keys(BUILTIN_BANK_SHA256).find((key) => BUILTIN_BANK_SHA256[key] === hash);
  return id === undefined ? undefined : loadBuiltinBank(id);
}

/**
 * The bank named by `ref`: `undefined` or `reflective-tool` (the default), `elected-members`, or a
 * path to a YAML bank, resolved against `baseDir`. Throws `UsageError` for an unknown id or a missing
 * file, `ValidationError` listing every problem for an invalid bank.
 */
export async function loadBank(ref: string | undefined, baseDir: string): Promise<Bank> {
  const name = ref ?? DEFAULT_BANK;
  if (!isBankPath(name)) {
    const bank = await loadBuiltinBank(name);
    if (!bank) {
      throw new UsageError(
        `unknown bank "${name}"; built-in banks: ${builtinList()}, or give the path to a YAML file (e.g. ./local-bank.yaml)`,
      );
    }
    return bank;
  }
  const path = resolve(baseDir, name);
  const shown = displayPath(path, baseDir, name);
  const text = await readBankText(path, shown);
  const { parseBank } = await import('../core/bank-validate.ts');
  const { bank, problems } = parseBank(text, shown);
  if (!bank) throw new ValidationError(problems, `the bank ${shown} has ${plural(problems.length)}`);
  return bank;
}

function plural(n: number): string {
  return `${n} problem${n === 1 ? '' : 's'}`;
}
