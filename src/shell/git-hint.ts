/**
 * The one-line hint for a clone that is not set up for per-item merges: `.gitattributes` names our
 * merge driver (so someone ran `git setup` and committed it), but this clone's config does not
 * register it (git never copies driver settings when cloning). Read from the files directly, without
 * starting git, so that `status` and `interview` stay fast.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { readSmallText } from './files.ts';

const DRIVER = 'kinship-reflect-cycle';

function readOrEmpty(file: string): string {
  try {
    return readSmallText(file) ?? '';
  } catch {
    return '';
  }
}

/** The repository's top folder and its git folder, found upwards from `dir`. */
function findRepository(dir: string): { top: string; gitDir: string } | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const dotGit = path.join(d, '.git');
    try {
      if (statSync(dotGit).isDirectory()) return { top: d, gitDir: dotGit };
      // a worktree or submodule: ".git" is a file naming the real folder
      const named = /^gitdir: (.+)$/m.exec(readOrEmpty(dotGit))?.[1];
      if (named) return { top: d, gitDir: path.resolve(d, named.trim()) };
    } catch {
      // no .git here; look further up
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/** The hint to print, or undefined when this clone is set up (or does not use our drivers). */
export function gitSetupHint(workspaceDir: string): string | undefined {
  const repo = findRepository(workspaceDir);
  if (!repo) return undefined;
  if (!readOrEmpty(path.join(repo.top, '.gitattributes')).includes(`merge=${DRIVER}`)) return undefined;
  // a linked worktree keeps its config in the main repository's folder ("commondir")
  const common = readOrEmpty(path.join(repo.gitDir, 'commondir')).trim();
  const configDir = common === '' ? repo.gitDir : path.resolve(repo.gitDir, common);
  if (readOrEmpty(path.join(configDir, 'config')).includes(`[merge "${DRIVER}"]`)) return undefined;
  return 'This clone is not set up for per-item merges of answers: run kinship-reflect git setup (once per clone).';
}
