import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CommandOptions } from '../command-spec.ts';
import { refuseControlCharacters } from '../core/control-chars.ts';
import { UsageError } from '../core/errors.ts';
import { sanitizeInline } from '../core/sanitize.ts';
import type { WorkspaceConfig } from '../core/types.ts';
import { renderWorkspaceConfig } from '../core/workspace-config.ts';
import { writeFileAtomic } from '../shell/atomic-write.ts';
import { loadBank } from '../shell/bank-loader.ts';
import { commandLineQuote } from '../shell/command-line-quote.ts';
import { type CommandContext, isPlain } from '../shell/context.ts';
import { writeHuman } from '../shell/human-output.ts';
import { CONFIG_FILE, displayPath, readWorkspaceConfig, workspaceDir } from '../shell/workspace.ts';

/** The options of `init`, as src/command-spec.ts declares them. */
export type InitOptions = CommandOptions<'init'>;

/** Create the workspace folder and its kinship-reflect.yaml. Returns the config written. */
export async function createWorkspace(
  ctx: CommandContext,
  opts: InitOptions & { authority: string },
): Promise<{ dir: string; config: WorkspaceConfig }> {
  const dir = workspaceDir(ctx);
  const bankRef = ctx.global.bank ?? 'reflective-tool';
  // check the bank before writing anything, so a typo does not leave a broken workspace
  await loadBank(bankRef, ctx.cwd);
  const authority = opts.authority.trim();
  if (authority === '') throw new UsageError('the authority name cannot be empty.');
  refuseControlCharacters(authority, 'the authority name');
  const config: WorkspaceConfig = {
    authority,
    bank: bankRef,
    ratings: opts.ratings !== false,
    report: opts.report !== false,
  };
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create the folder ${displayPath(ctx, dir)}: ${(error as Error).message}`);
  }
  await writeFileAtomic(path.join(dir, CONFIG_FILE), renderWorkspaceConfig(config));
  return { dir, config };
}

/**
 * What a new workspace's owner should know: where it is (in full, since later commands find it from
 * inside it too) and how to put it under its own git repository.
 */
export function newWorkspaceHint(ctx: CommandContext, dir: string): string {
  const shown = displayPath(ctx, dir);
  return (
    `The workspace is ${dir}; commands find it from there, from any folder inside it, or from here.
` +
    `To keep its history in its own git repository: cd ${commandLineQuote(shown)} && git init && kinship-reflect check --install-hook
` +
    '(more in: kinship-reflect help git)'
  );
}

/** `init`: never prompts when --authority is given or there is no terminal. */
export async function init(opts: InitOptions, ctx: CommandContext): Promise<void> {
  const dir = workspaceDir(ctx);
  const existing = await readWorkspaceConfig(ctx, dir).catch(() => undefined);
  const configExists = await fs
    .access(path.join(dir, CONFIG_FILE))
    .then(() => true)
    .catch(() => false);
  if (configExists && !opts.force) {
    throw new UsageError(
      `${displayPath(ctx, path.join(dir, CONFIG_FILE))} already exists${existing ? ` (authority: ${sanitizeInline(existing.authority)})` : ''}. ` +
        'Use --force to replace it (your cycles are kept).',
    );
  }
  let authority = opts.authority;
  if (authority === undefined) {
    const interactive = ctx.stdin.isTTY === true || isPlain(ctx);
    if (!interactive) {
      throw new UsageError(
        'init needs --authority "<name of your local authority>" when there is no terminal to ask in.',
      );
    }
    const { makePrompter } = await import('../ui/make-prompter.ts');
    const prompter = makePrompter(ctx);
    try {
      authority = await prompter.input(
        'Which local authority are these reflections for? (e.g. Exampleshire County Council)',
      );
    } finally {
      prompter.close();
    }
  }
  const { dir: made, config } = await createWorkspace(ctx, { ...opts, authority });
  if (!ctx.global.quiet) {
    writeHuman(
      ctx.stderr,
      `Created workspace ${displayPath(ctx, made)} for ${sanitizeInline(config.authority)} (bank: ${sanitizeInline(config.bank)}).\n` +
        `${newWorkspaceHint(ctx, made)}\n` +
        'Next: kinship-reflect interview\n',
    );
  }
}
