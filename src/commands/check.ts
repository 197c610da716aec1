/**
 * `check [paths…]`: scan cycle files, reports and folders for personal data. Exit 3 on findings.
 * Also installs and removes the git pre-commit hook that runs `check --staged`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CommandOptions } from '../command-spec.ts';
import { toJsonText } from '../core/control-chars.ts';
import { EXIT, FailureError, formatProblem, UsageError } from '../core/errors.ts';
import {
  describeFinding,
  type Finding,
  filterAllowed,
  findPersonalData,
  findPersonalDataInCycleText,
  isFingerprint,
  parseAllowList,
} from '../core/pii.ts';
import { sanitizeInline } from '../core/sanitize.ts';
import { ensureSalt, readSalt, SALT_FILE } from '../shell/allow-salt.ts';
import { explainWriteError } from '../shell/atomic-write.ts';
import { commandLineQuote } from '../shell/command-line-quote.ts';
import type { CommandContext } from '../shell/context.ts';
import { readFileCapped, readSmallText, walkFiles } from '../shell/files.ts';
import { gitTopLevel, installHook, runGit, uninstallHook } from '../shell/git-hook.ts';
import { writeHuman } from '../shell/human-output.ts';
import { displayPath, workspaceDir } from '../shell/workspace.ts';

/** The options of `check`, as src/command-spec.ts declares them. */
export type CheckOptions = CommandOptions<'check'>;

/** The allow list of reviewed false positives: fingerprints only, never the data. */
export const ALLOW_FILE = '.kinship-reflect-allow';

/** Files larger than this are not scanned (a cycle file is capped far below it). */
const MAX_SCAN_BYTES = 32 * 1024 * 1024;
const SCANNED_EXTENSIONS = new Set(['.json', '.md']);

export interface FileFinding extends Finding {
  file: string;
}

interface Source {
  /** As shown to the user. */
  shown: string;
  text: string;
}

/** Scan one file's text: a cycle file by its answers (with file positions), anything else as text. */
export function scanText(shown: string, text: string, salt?: string): FileFinding[] {
  const findings =
    (shown.endsWith('.json') ? findPersonalDataInCycleText(text, salt) : undefined) ??
    findPersonalData(text, salt === undefined ? {} : { salt });
  return findings.map((f) => ({ file: shown, ...f }));
}

const isScanned = (name: string) => SCANNED_EXTENSIONS.has(path.extname(name).toLowerCase());

/** A file that is not scanned, with the reason; the others are still scanned. */
class NotScanned extends Error {}

/** Read one file to scan (see shell/files.ts for the rules); undefined when it is not scanned. */
function readSource(ctx: CommandContext, file: string): Source | undefined {
  const shown = displayPath(ctx, file);
  try {
    const text = readFileCapped(file, {
      shown,
      maxBytes: MAX_SCAN_BYTES,
      links: 'refuse',
      tooLarge: (size) =>
        new NotScanned(
          `${(size / 1048576).toFixed(1)} MB is larger than the ${MAX_SCAN_BYTES / 1048576} MB limit`,
        ),
    });
    if (text === undefined) throw new UsageError(`no such file or folder: ${shown}`);
    return { shown, text };
  } catch (error) {
    if (!(error instanceof NotScanned)) throw error;
    writeHuman(ctx.stderr, `${sanitizeInline(shown)}: not scanned, ${error.message}\n`);
    return undefined;
  }
}

async function sourcesFromPaths(ctx: CommandContext, paths: string[], workspace: string): Promise<Source[]> {
  const files: string[] = [];
  // what a folder holds that cannot be scanned (a link, a FIFO…) is said, never skipped in silence
  const notScanned = (file: string, reason: string) =>
    writeHuman(ctx.stderr, `${sanitizeInline(displayPath(ctx, file))}: not scanned, ${reason}\n`);
  for (const p of paths) {
    const full = path.resolve(ctx.cwd, p);
    const stat = await fs.stat(full).catch(() => undefined);
    if (!stat) {
      if (paths.length === 1 && full === workspace) {
        throw new UsageError(
          `no workspace at ${displayPath(ctx, full)}; give the files or folders to check, or create a workspace with kinship-reflect init`,
        );
      }
      throw new UsageError(`no such file or folder: ${displayPath(ctx, full)}`);
    }
    for await (const file of walkFiles(full, isScanned, notScanned)) files.push(file);
  }
  const sources: Source[] = [];
  for (const f of files) {
    const s = readSource(ctx, f);
    if (s) sources.push(s);
  }
  return sources;
}

/** The staged contents (from the index, not the working tree) of workspace files. */
async function stagedSources(ctx: CommandContext, workspace: string): Promise<Source[]> {
  const top = await gitTopLevel(workspace, ctx.env);
  const listed = await runGit(['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR'], top, ctx.env);
  if (listed.code !== 0) throw new UsageError(`git could not list the staged files: ${listed.stderr.trim()}`);
  const realTop = await fs.realpath(top);
  const realWs = await fs.realpath(workspace).catch(() => workspace);
  const sources: Source[] = [];
  for (const name of listed.stdout.toString('utf8').split('\0')) {
    if (!name || !SCANNED_EXTENSIONS.has(path.extname(name).toLowerCase())) continue;
    const full = path.join(realTop, name);
    const rel = path.relative(realWs, full);
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    const blob = await runGit(['cat-file', 'blob', `:${name}`], top, ctx.env);
    if (blob.code !== 0) continue;
    if (blob.stdout.length > MAX_SCAN_BYTES) continue;
    sources.push({ shown: displayPath(ctx, path.join(top, name)), text: blob.stdout.toString('utf8') });
  }
  return sources;
}

async function readAllowList(workspace: string): Promise<Set<string>> {
  const file = path.join(workspace, ALLOW_FILE);
  try {
    return parseAllowList(readSmallText(file) ?? '');
  } catch (error) {
    // a folder, FIFO or device in its place: the reader refused it without opening it
    if (error instanceof UsageError && error.message.startsWith(`${file} `))
      throw new FailureError(
        `could not read the allow list ${file}: it ${error.message.slice(file.length + 1)}.`,
        'Move it away; the allow list is a text file of fingerprints.',
      );
    const code = (error as NodeJS.ErrnoException).code;
    throw new FailureError(
      `could not read the allow list ${file}: ${code === 'EISDIR' ? 'it is a folder' : (code ?? (error as Error).message)}.`,
      `Move it away; the allow list is a text file of fingerprints.`,
    );
  }
}

async function appendAllowed(ctx: CommandContext, workspace: string, fingerprints: string[]): Promise<void> {
  const wanted = fingerprints.map((f) => f.trim().toLowerCase());
  const bad = wanted.filter((f) => !isFingerprint(f));
  if (bad.length > 0) {
    throw new UsageError(
      `not a fingerprint: ${bad.map((b) => JSON.stringify(sanitizeInline(b))).join(', ')}; ` +
        'give the 16 hexadecimal characters printed after "fingerprint" by kinship-reflect check',
    );
  }
  const stat = await fs.stat(workspace).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new UsageError(
      `no workspace at ${displayPath(ctx, workspace)}; the allow list lives in the workspace folder`,
    );
  }
  const file = path.join(workspace, ALLOW_FILE);
  const already = await readAllowList(workspace);
  // readAllowList above has read it (or thrown): a file that cannot be read is never taken as empty
  const existing = readSmallText(file) ?? '';
  let add =
    existing === ''
      ? '# Fingerprints of findings reviewed as false positives (never the data itself), salted with\n' +
        `# ${SALT_FILE}, which stays out of git.\n`
      : '';
  if (existing !== '' && !existing.endsWith('\n')) add += '\n';
  const added: string[] = [];
  for (const fp of new Set(wanted)) {
    if (already.has(fp)) {
      writeHuman(ctx.stderr, `${fp} is already allowed\n`);
      continue;
    }
    add += `${fp} # allowed ${ctx.today()}\n`;
    added.push(fp);
  }
  if (add === '') return;
  try {
    await fs.appendFile(file, add, 'utf8');
  } catch (error) {
    throw explainWriteError(error, displayPath(ctx, file));
  }
  // Said only once the list is written: a read-only workspace must not claim a finding was allowed.
  for (const fp of added) writeHuman(ctx.stderr, `allowed ${fp} in ${displayPath(ctx, file)}\n`);
}

/**
 * The salt for this run's fingerprints. A workspace gets one the first time a finding is shown (so
 * that the fingerprint the user copies to --allow is already salted); when it cannot be written (a
 * read-only disk) the fingerprints are unsalted and the user is told.
 */
async function makeSalt(ctx: CommandContext, workspace: string): Promise<string | undefined> {
  const stat = await fs.stat(workspace).catch(() => undefined);
  if (!stat?.isDirectory()) return undefined;
  try {
    const salt = await ensureSalt(workspace);
    writeHuman(
      ctx.stderr,
      `Made ${displayPath(ctx, path.join(workspace, SALT_FILE))}, the salt of the allow list's fingerprints ` +
        '(kept out of git by .gitignore; see SECURITY.md).\n',
    );
    return salt;
  } catch (error) {
    writeHuman(
      ctx.stderr,
      `Fingerprints are unsalted: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return undefined;
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export async function check(opts: CheckOptions, ctx: CommandContext): Promise<number> {
  const workspace = workspaceDir(ctx);
  const quiet = ctx.global.quiet === true;
  if (opts.installHook && opts.uninstallHook) {
    throw new UsageError('--install-hook and --uninstall-hook cannot be used together');
  }
  if (opts.installHook) {
    const { hookPath, replaced } = await installHook(workspace, { env: ctx.env });
    writeHuman(
      ctx.stderr,
      `${replaced ? 'Updated' : 'Installed'} the pre-commit hook at ${sanitizeInline(displayPath(ctx, hookPath))}.\n` +
        `Commits that add personal data to ${sanitizeInline(displayPath(ctx, workspace))} will now be stopped.\n` +
        'Remove it with: kinship-reflect check --uninstall-hook\n',
    );
    return EXIT.ok;
  }
  if (opts.uninstallHook) {
    const { hookPath, removed } = await uninstallHook(workspace, { env: ctx.env });
    writeHuman(
      ctx.stderr,
      removed
        ? `Removed the pre-commit hook at ${sanitizeInline(displayPath(ctx, hookPath))}.\n`
        : `There is no pre-commit hook at ${sanitizeInline(displayPath(ctx, hookPath))}; nothing to remove.\n`,
    );
    return EXIT.ok;
  }
  if (opts.allow && opts.allow.length > 0) await appendAllowed(ctx, workspace, opts.allow);

  const paths = opts.paths && opts.paths.length > 0 ? opts.paths : undefined;
  if (opts.staged && paths) throw new UsageError('--staged checks the staged files; do not also give paths');
  const sources = opts.staged
    ? await stagedSources(ctx, workspace)
    : await sourcesFromPaths(ctx, paths ?? [workspace], workspace);
  const allowed = await readAllowList(workspace);
  let salt = await readSalt(workspace);
  let all = sources.flatMap((s) => scanText(s.shown, s.text, salt));
  if (all.length > 0 && salt === undefined) {
    salt = await makeSalt(ctx, workspace);
    if (salt !== undefined) all = sources.flatMap((s) => scanText(s.shown, s.text, salt));
  }
  const findings = filterAllowed(all, allowed) as FileFinding[];
  const allowedCount = all.length - findings.length;

  if (opts.json) {
    ctx.stdout.write(
      `${toJsonText(
        {
          findings: findings.map((f) => ({
            file: f.file,
            line: f.line,
            column: f.column,
            item: f.item,
            field: f.field,
            kind: f.kind,
            excerpt: f.excerpt,
            fingerprint: f.fingerprint,
          })),
          files: sources.length,
          allowed: allowedCount,
        },
        2,
      )}\n`,
    );
    return findings.length > 0 ? EXIT.validation : EXIT.ok;
  }

  for (const f of findings) {
    const line = formatProblem({
      file: f.file,
      line: f.line,
      column: f.column,
      item: f.item,
      message: `${describeFinding(f)} (fingerprint ${f.fingerprint})`,
    });
    writeHuman(ctx.stdout, `${sanitizeInline(line)}\n`);
  }
  const suppressed = allowedCount > 0 ? ` (${plural(allowedCount, 'allowed finding')} not shown)` : '';
  if (findings.length === 0) {
    if (!quiet)
      writeHuman(ctx.stderr, `No personal data found in ${plural(sources.length, 'file')}${suppressed}.\n`);
    return EXIT.ok;
  }
  const filesWith = new Set(findings.map((f) => f.file)).size;
  const dirArg = ctx.global.dir !== undefined ? ` --dir ${commandLineQuote(workspace)}` : '';
  writeHuman(
    ctx.stderr,
    `\nkinship-reflect: ${plural(findings.length, 'possible item')} of personal data in ${plural(filesWith, 'file')}` +
      ` of ${sources.length}${suppressed}.\n` +
      'Reflections should hold aggregated information only. Edit the data out of the answer ' +
      '(kinship-reflect answer, the interview, or your editor), then check again.\n' +
      `If a finding is a false positive, allow it: kinship-reflect check${dirArg} --allow <fingerprint>\n` +
      `(the allow list, ${ALLOW_FILE} in the workspace, keeps fingerprints only, never the data).\n`,
  );
  return EXIT.validation;
}
