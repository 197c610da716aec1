import { existsSync, promises as fs, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandOptions } from '../command-spec.ts';
import { flattenBank } from '../core/bank.ts';
import {
  controlCharacterInFileMessage,
  findControlCharactersInSource,
  toJsonText,
} from '../core/control-chars.ts';
import { formatProblem, type Problem, UsageError, ValidationError } from '../core/errors.ts';
import { findConflictMarkers, unresolvedMergeProblem } from '../core/merge-markers.ts';
import { sanitizeInline } from '../core/sanitize.ts';
import type { Bank } from '../core/types.ts';
import { BUILTIN_BANK_IDS, BUILTIN_BANK_SOURCES } from '../generated/banks.ts';
import { builtinBankWithText, loadBank, readBankText } from '../shell/bank-loader.ts';
import type { CommandContext } from '../shell/context.ts';
import { readCycleFile, readCycleText, readReportText } from '../shell/cycle-store.ts';
import { notRegularMessage } from '../shell/files.ts';
import { writeHuman } from '../shell/human-output.ts';
import { displayPath, listCycleIds, readWorkspaceConfig, workspaceDir } from '../shell/workspace.ts';
import { makeTheme } from '../ui/theme.ts';

/** The options of `validate`, as src/command-spec.ts declares them. */
export type ValidateOptions = CommandOptions<'validate'>;

type FileKind = 'bank' | 'cycle' | 'drafts' | 'report';

interface FileResult {
  file: string;
  kind: FileKind;
  ok: boolean;
  problems: Problem[];
  /** For the "ok" line: what was found in the file. */
  summary?: string;
}

/**
 * The package root (where questions/ lives), found by walking up from this module: it runs from
 * src/commands/ in tests and from a chunk under dist/ when built.
 */
function packageRoot(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'questions'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/**
 * How the first bytes of a file are read to tell what it is: non-blocking, so that a file swapped for
 * a FIFO after the loop checked it is not waited on (`validate` refuses anything but regular files
 * before it sniffs them).
 */
const SNIFF_FLAGS = fsConstants.O_RDONLY | fsConstants.O_NONBLOCK;

/** A cycle file is JSON whose top level has "format"; reports are Markdown; everything else is treated as a YAML bank. */
async function looksLikeCycle(file: string): Promise<boolean> {
  if (/\.json$/i.test(file)) return true;
  if (/\.ya?ml$/i.test(file)) return false;
  // never open what is not a regular file (a FIFO would wait for a writer): the bank reader says why
  const info = await fs.stat(file).catch(() => undefined);
  if (!info?.isFile()) return false;
  const handle = await fs.open(file, SNIFF_FLAGS);
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8').trimStart();
    return head.startsWith('{') && /"format"\s*:/.test(head);
  } finally {
    await handle.close();
  }
}

/**
 * The YAML source of a built-in bank (`rel`, e.g. questions/reflective-tool.yaml) inside the single
 * executable, which carries them as assets under the same names (scripts/build-exe.mjs); undefined
 * outside it.
 */
function embeddedBankSource(rel: string): string | undefined {
  const sea = process.getBuiltinModule('node:sea');
  return sea?.isSea() ? sea.getAsset(rel, 'utf8') : undefined;
}

/** A report is Markdown opening with our front matter (or any .md file: it can only be a report). */
async function looksLikeReport(file: string): Promise<boolean> {
  if (/\.(md|markdown)$/i.test(file)) return true;
  const handle = await fs.open(file, SNIFF_FLAGS);
  try {
    const buffer = Buffer.alloc(256);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return /^\uFEFF?---\r?\nformat: kinship-reflect-report\//.test(
      buffer.subarray(0, bytesRead).toString('utf8'),
    );
  } finally {
    await handle.close();
  }
}

/** The bank a report is checked against: --bank, else the one its front matter names, else the workspace's. */
async function bankForReport(text: string, ctx: CommandContext): Promise<Bank | undefined> {
  if (ctx.global.bank) return loadBank(ctx.global.bank, ctx.cwd);
  const named = /^bank: "?([^"\r\n]*)"?\r?$/m.exec(text.slice(0, 2000))?.[1];
  if (named !== undefined && BUILTIN_BANK_IDS.includes(named)) return loadBank(named, ctx.cwd);
  const dir = workspaceDir(ctx);
  const config = await readWorkspaceConfig(ctx, dir);
  return config ? loadBank(config.bank, dir) : undefined;
}

/**
 * A report checked as `import` would read it: merge conflict markers, front matter, markers, fences,
 * fingerprints; and, when it is as the tool wrote it, that every fingerprint matches what it shows.
 */
async function checkReportFile(file: string, shown: string, ctx: CommandContext): Promise<FileResult> {
  const text = readReportText(file, shown);
  const conflictLine = findConflictMarkers(text);
  if (conflictLine !== undefined)
    return {
      file: shown,
      kind: 'report',
      ok: false,
      problems: [unresolvedMergeProblem(shown, conflictLine)],
    };
  const bank = await bankForReport(text, ctx);
  if (!bank) {
    const message = 'cannot check this report: its question bank is not a built-in one; name it with --bank';
    return { file: shown, kind: 'report', ok: false, problems: [{ file: shown, message }] };
  }
  const { parseReport } = await import('../core/report-parse.ts');
  const { isReportHandEdited } = await import('../core/report.ts');
  const parsed = parseReport(text, bank, { file: shown });
  const problems = [...parsed.problems];
  const edited = isReportHandEdited(text);
  if (problems.length === 0 && !edited) problems.push(...(await fingerprintMismatches(parsed, shown)));
  const summary = `${parsed.itemsSeen.length} items, ${edited ? 'edited since it was written' : 'as the tool wrote it'}`;
  return { file: shown, kind: 'report', ok: problems.length === 0, problems, summary };
}

async function fingerprintMismatches(
  parsed: import('../core/report-parse.ts').ParsedReport,
  shown: string,
): Promise<Problem[]> {
  const { answerFingerprint } = await import('../core/fingerprint.ts');
  const out: Problem[] = [];
  for (const id of parsed.itemsSeen) {
    const recorded = parsed.fingerprints.answers[id];
    const answer = Object.hasOwn(parsed.cycle.answers, id) ? parsed.cycle.answers[id] : undefined;
    if (recorded !== undefined && recorded !== answerFingerprint(answer))
      out.push({
        file: shown,
        item: id,
        message: 'the fingerprint does not match the answer shown; export the report again',
      });
  }
  return out;
}

async function checkBankFile(file: string, shown: string, embedded?: string): Promise<FileResult> {
  try {
    const text = embedded ?? (await readBankText(file, shown));
    // an unchanged built-in bank was parsed and checked by the build: the YAML parser need not load
    const { bank, problems } = await parseBankText(text, shown);
    const summary = bank ? `${flattenBank(bank).length} items` : undefined;
    return {
      file: shown,
      kind: 'bank',
      ok: problems.length === 0,
      problems,
      ...(summary ? { summary } : {}),
    };
  } catch (error) {
    if (error instanceof ValidationError)
      return { file: shown, kind: 'bank', ok: false, problems: error.problems };
    throw error;
  }
}

async function parseBankText(text: string, shown: string): Promise<{ bank?: Bank; problems: Problem[] }> {
  const builtin = await builtinBankWithText(text);
  if (builtin) return { bank: builtin, problems: [] };
  const { parseBank } = await import('../core/bank-validate.ts');
  return parseBank(text, shown);
}

/** The bank a cycle file names, when it is a built-in one, so statuses can be checked against item kinds. */
async function bankForCycle(file: string, ctx: CommandContext, fallback?: Bank): Promise<Bank | undefined> {
  if (ctx.global.bank) return loadBank(ctx.global.bank, ctx.cwd);
  if (fallback) return fallback;
  try {
    const head = JSON.parse(readCycleText(file) ?? '') as { bank?: { id?: unknown } };
    const id = head?.bank?.id;
    if (typeof id === 'string' && BUILTIN_BANK_IDS.includes(id)) return await loadBank(id, ctx.cwd);
  } catch {
    // unreadable or not JSON: readCycleFile reports it
  }
  return undefined;
}

/** A drafts file (`drafts/<cycle>.json`): JSON whose top level has "drafts". */
async function isDraftsFile(file: string): Promise<boolean> {
  if (!/\.json$/i.test(file)) return false;
  try {
    const { readDraftsText } = await import('../shell/draft-store.ts');
    const doc = JSON.parse(readDraftsText(file, file) ?? '') as Record<string, unknown> | null;
    return typeof doc === 'object' && doc !== null && 'drafts' in doc && !('answers' in doc);
  } catch {
    return false;
  }
}

/**
 * A cycle or drafts file that failed its checks, as one result in the list; rethrows anything else. A
 * file that cannot be read at all (a FIFO, a link, unreadable) is one problem in the list too, not
 * the end of the check.
 */
function failedFile(error: unknown, shown: string, kind: 'cycle' | 'drafts'): FileResult {
  if (error instanceof ValidationError) return { file: shown, kind, ok: false, problems: error.problems };
  if (error instanceof UsageError && error.message.startsWith(`${shown} `))
    return {
      file: shown,
      kind,
      ok: false,
      problems: [{ file: shown, message: error.message.slice(shown.length + 1) }],
    };
  throw error;
}

async function checkDraftsFile(file: string, shown: string): Promise<FileResult> {
  const { parseDrafts } = await import('../core/drafts.ts');
  const { readDraftsText } = await import('../shell/draft-store.ts');
  let text: string;
  try {
    // capped and checked as a cycle file is: a huge, linked or non-UTF-8 drafts file is a problem here
    text = readDraftsText(file, shown) ?? '';
  } catch (error) {
    return failedFile(error, shown, 'drafts');
  }
  const { drafts, problems } = parseDrafts(text, shown);
  const n = drafts ? Object.keys(drafts.drafts).length : 0;
  return {
    file: shown,
    kind: 'drafts',
    ok: problems.length === 0,
    problems,
    ...(drafts ? { summary: `${n} draft${n === 1 ? '' : 's'} not yet saved as answers` } : {}),
  };
}

async function checkCycleFile(
  file: string,
  shown: string,
  ctx: CommandContext,
  bank?: Bank,
  expectId?: string,
): Promise<FileResult> {
  try {
    const cycle = await readCycleFile(file, await bankForCycle(file, ctx, bank), shown, expectId);
    // The file checks out, but a hand edit may have put control characters in its texts: the tool
    // shows them escaped, and validate says where they are so they can be removed.
    const controls = findControlCharactersInSource(readCycleText(file, shown) ?? '', 'json', 25).map(
      (at): Problem => ({
        file: shown,
        line: at.line,
        column: at.column,
        message: controlCharacterInFileMessage(at),
      }),
    );
    return {
      file: shown,
      kind: 'cycle',
      ok: controls.length === 0,
      problems: controls,
      summary: `${plural(Object.keys(cycle.answers).length, 'answer')}, ${plural(cycle.actions.length, 'action')}`,
    };
  } catch (error) {
    return failedFile(error, shown, 'cycle');
  }
}

/**
 * `validate [files…]`: check question banks and cycle files and list every problem. Without files:
 * the built-in banks (from their YAML source, when it is installed) and the workspace's cycles.
 */
export async function validate(opts: ValidateOptions, ctx: CommandContext): Promise<number> {
  const results: FileResult[] = [];
  const files = opts.files ?? [];
  if (files.length > 0) {
    const missing = files.filter((f) => !existsSync(path.resolve(ctx.cwd, f)));
    if (missing.length > 0) {
      throw new UsageError(`no such file: ${missing.join(', ')}`);
    }
    for (const f of files) {
      const abs = path.resolve(ctx.cwd, f);
      const shown = displayPath(ctx, abs);
      const info = await fs.stat(abs);
      if (info.isDirectory()) throw new UsageError(`${shown} is a folder; name the files to check`);
      // a FIFO would wait for a writer, a device never ends: neither is opened
      if (!info.isFile()) throw new UsageError(`${notRegularMessage(shown, info)}; name the files to check`);
      if (await isDraftsFile(abs)) results.push(await checkDraftsFile(abs, shown));
      else if (await looksLikeCycle(abs)) results.push(await checkCycleFile(abs, shown, ctx));
      else if (await looksLikeReport(abs)) results.push(await checkReportFile(abs, shown, ctx));
      else results.push(await checkBankFile(abs, shown));
    }
  } else {
    const root = packageRoot();
    for (const id of BUILTIN_BANK_IDS) {
      const rel = BUILTIN_BANK_SOURCES[id];
      if (!rel) continue;
      const embedded = embeddedBankSource(rel);
      if (embedded !== undefined) results.push(await checkBankFile(rel, rel, embedded));
      else if (root && existsSync(path.join(root, rel)))
        results.push(await checkBankFile(path.join(root, rel), rel));
    }
    const dir = workspaceDir(ctx);
    const config = await readWorkspaceConfig(ctx, dir);
    if (config) {
      const bank = await loadBank(ctx.global.bank ?? config.bank, ctx.global.bank ? ctx.cwd : dir);
      for (const id of await listCycleIds({ dir })) {
        const abs = path.join(dir, `${id}.json`);
        results.push(await checkCycleFile(abs, displayPath(ctx, abs), ctx, bank, id));
      }
      const { DRAFTS_FOLDER } = await import('../core/drafts.ts');
      const draftsDir = path.join(dir, DRAFTS_FOLDER);
      const names = existsSync(draftsDir)
        ? (await fs.readdir(draftsDir)).filter((n) => n.endsWith('.json'))
        : [];
      for (const name of names.sort()) {
        const abs = path.join(draftsDir, name);
        results.push(await checkDraftsFile(abs, displayPath(ctx, abs)));
      }
    }
    if (results.length === 0) {
      throw new UsageError(
        'nothing to check: no workspace here and no built-in bank sources; name the files, e.g. kinship-reflect validate my-bank.yaml',
      );
    }
  }

  const problemCount = results.reduce((n, r) => n + r.problems.length, 0);
  if (opts.json) {
    // Problems in a fixed key order, so the JSON reads like the text output.
    const tidy = (p: Problem) => ({
      file: p.file,
      line: p.line,
      column: p.column,
      item: p.item,
      message: p.message,
    });
    const doc = {
      files: results.map(({ file, kind, ok, problems }) => ({
        file,
        kind,
        ok,
        problems: problems.map(tidy),
      })),
    };
    ctx.stdout.write(`${toJsonText(doc, 2)}\n`);
    return problemCount > 0 ? 3 : 0;
  }
  const out = await makeTheme(ctx, ctx.stdout);
  const err = await makeTheme(ctx, ctx.stderr);
  for (const r of results) {
    if (r.ok) {
      if (!ctx.global.quiet) {
        writeHuman(
          ctx.stdout,
          `${out.ok('ok')}  ${out.safe(r.file)} (${r.kind}${r.summary ? `, ${r.summary}` : ''})\n`,
        );
      }
      continue;
    }
    for (const p of r.problems) writeHuman(ctx.stdout, `${sanitizeInline(formatProblem(p))}\n`);
  }
  const bad = results.filter((r) => !r.ok).length;
  if (bad > 0) {
    writeHuman(
      ctx.stderr,
      `${err.error('kinship-reflect:')} ${problemCount} problem${problemCount === 1 ? '' : 's'} in ${bad} of ${results.length} file${results.length === 1 ? '' : 's'}\n`,
    );
    return 3;
  }
  return 0;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
