/**
 * The workspace's salt for allow-list fingerprints: `.kinship-reflect-salt`, 32 random hex digits,
 * kept out of git by a line in the workspace's `.gitignore`. With the salt out of the repository, a
 * committed allow list cannot be reversed by hashing every postcode, date or phone number; the price
 * is that each clone has its own salt, so a teammate's fingerprints differ until the salt is shared
 * (SECURITY.md explains both ways).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { KnownError } from '../core/errors.ts';
import { explainWriteError, randomHex, writeFileAtomic } from './atomic-write.ts';
import { readSmallText } from './files.ts';

export const SALT_FILE = '.kinship-reflect-salt';
const SALT = /^[0-9a-f]{32}$/;

/** The salt of a workspace, or undefined when it has none (or it is not readable or well formed). */
export async function readSalt(workspace: string): Promise<string | undefined> {
  try {
    const file = path.join(workspace, SALT_FILE);
    const stat = await fs.lstat(file);
    // Only a small regular file: never follow a link out of the workspace or open a FIFO.
    if (!stat.isFile() || stat.size > 256) return undefined;
    const text = (await fs.readFile(file, 'utf8')).trim();
    return SALT.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Add the salt file to the workspace's .gitignore unless a line already names it. */
async function ignoreSalt(workspace: string): Promise<void> {
  const file = path.join(workspace, '.gitignore');
  const existing = readSmallText(file) ?? '';
  if (existing.split(/\r?\n/).some((l) => l.trim() === SALT_FILE || l.trim() === `/${SALT_FILE}`)) return;
  const sep = existing === '' || existing.endsWith('\n') ? '' : '\n';
  const note =
    "# The salt of the allow list's fingerprints: share it privately, never in git (SECURITY.md).\n";
  await writeFileAtomic(file, `${existing}${sep}${note}${SALT_FILE}\n`);
}

/**
 * The workspace's salt, made (with its .gitignore line) when there is none yet. A save that fails
 * throws a one-line FailureError (read-only disk, full disk…).
 */
export async function ensureSalt(workspace: string): Promise<string> {
  const existing = await readSalt(workspace);
  if (existing) return existing;
  const salt = randomHex(16);
  const file = path.join(workspace, SALT_FILE);
  try {
    await ignoreSalt(workspace);
    await writeFileAtomic(file, `${salt}\n`, 0o600);
  } catch (error) {
    throw error instanceof KnownError ? error : explainWriteError(error, file);
  }
  return salt;
}
