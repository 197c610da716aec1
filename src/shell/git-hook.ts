/**
 * The git pre-commit hook that runs `kinship-reflect check --staged` on the workspace, and the small
 * git helpers `check --staged` needs. Git is run as a child process with arguments, never via a shell.
 */
import { execFile } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FailureError, UsageError } from '../core/errors.ts';
import { shellQuote } from './command-line-quote.ts';
import { readSmallText } from './files.ts';

/** The line that marks a hook as ours: only a hook carrying it is ever overwritten or removed. */
export const HOOK_MARKER = '# kinship-reflect pre-commit hook';

const NOT_A_REPO = 'not inside a git repository; run git init first';

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** Run git with arguments in a folder. Rejects only when git itself cannot be started. */
export function runGit(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      // a context whose environment lacks PATH (tests) still finds git
      {
        cwd,
        env: { ...env, PATH: env.PATH ?? process.env.PATH },
        encoding: 'buffer',
        maxBuffer: 256 * 1024 * 1024,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { code?: string | number }) | null;
        if (err && typeof err.code === 'string') {
          if (err.code === 'ENOENT' && !existsSync(cwd)) {
            reject(new UsageError(`the folder ${cwd} does not exist`));
          } else if (err.code === 'ENOENT') {
            reject(
              new FailureError('git is not installed or not on the PATH', 'Install git, then try again.'),
            );
          } else reject(err);
          return;
        }
        resolve({
          stdout: stdout as Buffer,
          stderr: (stderr as Buffer).toString('utf8'),
          code: err ? Number(err.code ?? 1) : 0,
        });
      },
    );
  });
}

/** The top folder of the git repository holding `dir`; UsageError when there is none. */
export async function gitTopLevel(dir: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await runGit(['rev-parse', '--show-toplevel'], dir, env);
  if (r.code !== 0) throw new UsageError(NOT_A_REPO);
  return r.stdout.toString('utf8').trim();
}

/** Where git looks for hooks for the repository holding `dir` (honours core.hooksPath). */
export async function gitHooksDir(dir: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await runGit(['rev-parse', '--git-path', 'hooks'], dir, env);
  if (r.code !== 0) throw new UsageError(NOT_A_REPO);
  return path.resolve(dir, r.stdout.toString('utf8').trim());
}

/**
 * How the hook starts kinship-reflect: this Node and this package's bin script, or (no `bin`) the
 * single executable, which is the whole program.
 */
export interface HookInvocation {
  node: string;
  bin?: string;
}

/** The running Node and the `bin/kinship-reflect.js` of the package this module belongs to. */
export function defaultInvocation(): HookInvocation | undefined {
  // the single executable (scripts/build-exe.mjs) has no package around it: it runs itself
  // (in Git for Windows' sh, which runs hooks, a path with forward slashes is the one that works)
  if (process.getBuiltinModule('node:sea')?.isSea())
    return { node: process.platform === 'win32' ? process.execPath.replace(/\\/g, '/') : process.execPath };
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const name = (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name;
        const bin = path.join(dir, 'bin', 'kinship-reflect.js');
        if (name === 'kinship-reflect' && existsSync(bin)) return { node: process.execPath, bin };
      } catch {
        // not our package.json; keep looking upwards
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** The command words that start kinship-reflect, quoted for a POSIX shell. */
export function invocationWords(invocation: HookInvocation): string {
  const words = [invocation.node, ...(invocation.bin === undefined ? [] : [invocation.bin])];
  return words.map(shellQuote).join(' ');
}

/** The hook script. Paths appear only inside quotes, never in comments. */
export function hookScript(
  workspace: string,
  invocation: HookInvocation | undefined,
  hookPath: string,
): string {
  const args = `check --staged --dir ${shellQuote(workspace)}`;
  const lines = [
    '#!/bin/sh',
    HOOK_MARKER,
    '# Blocks a commit that would add personal data (NHS numbers, postcodes, names…) to the',
    '# reflections workspace. Installed by `kinship-reflect check --install-hook`; remove it with',
    '# `kinship-reflect check --uninstall-hook`. A finding reviewed as a false positive can be allowed',
    '# with `kinship-reflect check --allow <fingerprint>`.',
  ];
  if (invocation) {
    const tests = [`[ -x ${shellQuote(invocation.node)} ]`];
    if (invocation.bin !== undefined) tests.push(`[ -f ${shellQuote(invocation.bin)} ]`);
    lines.push(`if ${tests.join(' && ')}; then`, `  exec ${invocationWords(invocation)} ${args}`, 'fi');
  }
  lines.push(
    'if command -v npx >/dev/null 2>&1; then',
    `  exec npx --no-install kinship-reflect ${args}`,
    'fi',
    `echo "kinship-reflect pre-commit hook: cannot find kinship-reflect. Reinstall it, or remove the hook: rm "${shellQuote(hookPath)} >&2`,
    'exit 1',
    '',
  );
  return lines.join('\n');
}

async function readIfExists(file: string): Promise<string | undefined> {
  return readSmallText(file);
}

async function assertFolder(workspace: string): Promise<void> {
  const stat = await fs.stat(workspace).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new UsageError(
      `there is no workspace folder at ${workspace}; create it with kinship-reflect init, or point at it with --dir`,
    );
  }
}

export interface InstallResult {
  hookPath: string;
  /** True when an earlier kinship-reflect hook was replaced. */
  replaced: boolean;
}

/**
 * Install the pre-commit hook in the repository holding the workspace. Replaces an earlier hook of
 * ours; refuses (UsageError) to touch anyone else's, and says how to chain it instead.
 */
export async function installHook(
  workspace: string,
  opts: { env?: NodeJS.ProcessEnv; invocation?: HookInvocation | null } = {},
): Promise<InstallResult> {
  await assertFolder(workspace);
  const hooks = await gitHooksDir(workspace, opts.env);
  const hookPath = path.join(hooks, 'pre-commit');
  const existing = await readIfExists(hookPath);
  const invocation = opts.invocation === null ? undefined : (opts.invocation ?? defaultInvocation());
  if (existing !== undefined && !existing.includes(HOOK_MARKER)) {
    const command = invocation ? invocationWords(invocation) : 'npx --no-install kinship-reflect';
    throw new UsageError(
      `a pre-commit hook already exists at ${hookPath} and was not installed by kinship-reflect, so it was left as it is.\n` +
        `To run the check as well, add this line to that hook (before any exec or exit):\n` +
        `  ${command} check --staged --dir ${shellQuote(workspace)} || exit 1`,
    );
  }
  await fs.mkdir(hooks, { recursive: true });
  await fs.writeFile(hookPath, hookScript(workspace, invocation, hookPath), { mode: 0o755 });
  await fs.chmod(hookPath, 0o755);
  return { hookPath, replaced: existing !== undefined };
}

/** Remove our pre-commit hook; a hook that is not ours is left alone (UsageError). */
export async function uninstallHook(
  workspace: string,
  opts: { env?: NodeJS.ProcessEnv } = {},
): Promise<{ hookPath: string; removed: boolean }> {
  await assertFolder(workspace);
  const hooks = await gitHooksDir(workspace, opts.env);
  const hookPath = path.join(hooks, 'pre-commit');
  const existing = await readIfExists(hookPath);
  if (existing === undefined) return { hookPath, removed: false };
  if (!existing.includes(HOOK_MARKER)) {
    throw new UsageError(
      `the pre-commit hook at ${hookPath} was not installed by kinship-reflect, so it was left as it is`,
    );
  }
  await fs.unlink(hookPath);
  return { hookPath, removed: true };
}
