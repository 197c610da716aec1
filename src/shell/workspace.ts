import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { assertCycleId, compareCycleIds, isValidCycleId } from '../core/cycle.ts';
import { UsageError, ValidationError } from '../core/errors.ts';
import type { Bank, WorkspaceConfig } from '../core/types.ts';
import { parseWorkspaceConfigSubset } from '../core/workspace-config.ts';
import { loadBank } from './bank-loader.ts';
import type { CommandContext } from './context.ts';
import { readFileCapped } from './files.ts';

/** The workspace file is a few settings: anything larger is not one. */
const MAX_CONFIG_BYTES = 64 * 1024;

/** The workspace file's name. */
export const CONFIG_FILE = 'kinship-reflect.yaml';

export interface Workspace {
  dir: string;
  configPath: string;
  config: WorkspaceConfig;
  bank: Bank;
}

/** Where a new workspace goes when none is found: `reflections` in the current folder. */
export const DEFAULT_WORKSPACE = 'reflections';

/**
 * The workspace folder, found the way git finds a repository: `--dir`, else `$KINSHIP_REFLECT_DIR`,
 * else the nearest folder at or above the current one that holds `kinship-reflect.yaml`, else
 * `./reflections` (which may not exist yet). So every command works from inside the workspace and
 * its sub-folders as well as from the folder above it.
 */
export function workspaceDir(ctx: CommandContext): string {
  const chosen = ctx.global.dir || ctx.env.KINSHIP_REFLECT_DIR;
  if (chosen) return path.resolve(ctx.cwd, chosen);
  return findWorkspaceAbove(ctx.cwd) ?? path.resolve(ctx.cwd, DEFAULT_WORKSPACE);
}

/**
 * The nearest folder at or above `start` holding `kinship-reflect.yaml`, if any. The walk ends at the
 * root: `/`, a drive's root (`C:\`) or a network share's (`\\server\share\`), whose parent is itself.
 * `paths` and `exists` let tests walk Windows paths on any machine.
 */
export function findWorkspaceAbove(
  start: string,
  paths: Pick<typeof path, 'resolve' | 'join' | 'dirname'> = path,
  exists: (file: string) => boolean = existsSync,
): string | undefined {
  let dir = paths.resolve(start);
  for (;;) {
    if (exists(paths.join(dir, CONFIG_FILE))) return dir;
    const up = paths.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** A path shown to the user: relative to the current folder when inside it. */
export function displayPath(ctx: CommandContext, p: string): string {
  const rel = path.relative(ctx.cwd, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

export async function readWorkspaceConfig(
  ctx: CommandContext,
  dir: string,
): Promise<WorkspaceConfig | undefined> {
  const configPath = path.join(dir, CONFIG_FILE);
  const shown = displayPath(ctx, configPath);
  // a FIFO in its place is refused, not waited on; a file of a few settings is never large
  const text = readFileCapped(configPath, {
    shown,
    maxBytes: MAX_CONFIG_BYTES,
    links: 'follow',
    tooLarge: (size) =>
      new UsageError(
        `${shown} is ${Math.ceil(size / 1024)} KB; a workspace file holds a few settings (at most ${MAX_CONFIG_BYTES / 1024} KB). Restore it from git or a backup.`,
      ),
  });
  if (text === undefined) return undefined;
  const fast = parseWorkspaceConfigSubset(text);
  if (fast) return fast;
  // the YAML parser loads only for a file outside the simple form the tool writes (or a broken one)
  const { parseWorkspaceConfig } = await import('../core/workspace-config-yaml.ts');
  const { config, problems } = parseWorkspaceConfig(text, shown);
  if (!config) throw new ValidationError(problems, `the workspace file ${shown} is not valid`);
  return config;
}

/** Open the workspace: read its config and its bank (`--bank` overrides the configured one). */
export async function openWorkspace(ctx: CommandContext): Promise<Workspace> {
  const dir = workspaceDir(ctx);
  const config = await readWorkspaceConfig(ctx, dir);
  if (!config) {
    const hint = ctx.global.dir ? ` --dir ${JSON.stringify(ctx.global.dir)}` : '';
    throw new UsageError(
      `no workspace at ${displayPath(ctx, dir)} (there is no ${CONFIG_FILE}).\n` +
        `Create one with: kinship-reflect init${hint} --authority "Your council"`,
    );
  }
  const bank = await loadBank(ctx.global.bank ?? config.bank, ctx.global.bank ? ctx.cwd : dir);
  return { dir, configPath: path.join(dir, CONFIG_FILE), config, bank };
}

/**
 * The bank a command should use: `--bank`, else the workspace's, else the default built-in bank.
 * A missing workspace is fine here (browsing the bank needs none).
 */
export async function resolveBank(ctx: CommandContext): Promise<Bank> {
  if (ctx.global.bank) return loadBank(ctx.global.bank, ctx.cwd);
  const dir = workspaceDir(ctx);
  const config = await readWorkspaceConfig(ctx, dir);
  return loadBank(config?.bank, dir);
}

/** The cycles of the workspace in natural order: `<id>.json` files with a valid id (never temp or lock files). */
export async function listCycleIds(ws: Pick<Workspace, 'dir'>): Promise<string[]> {
  let names: string[];
  try {
    // synchronous, like the other small reads of a command's start: one folder of a few files, and
    // node:fs/promises alone takes ~1 ms to load
    names = readdirSync(ws.dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.slice(0, -'.json'.length))
    .filter(isValidCycleId)
    .sort(compareCycleIds);
}

/** The cycle asked for (checked to be path-safe), or else the latest one. */
export async function resolveCycleId(ws: Workspace, requested?: string): Promise<string> {
  if (requested !== undefined) {
    assertCycleId(requested);
    return requested;
  }
  const ids = await listCycleIds(ws);
  const latest = ids[ids.length - 1];
  if (!latest) {
    throw new UsageError(
      'there are no cycles in this workspace yet. Start one with: kinship-reflect interview --cycle 2026-27',
    );
  }
  return latest;
}
