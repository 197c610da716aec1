/**
 * The documents for people that `export` writes: HTML and Word (full or `--summary`), and Markdown
 * for `--summary` or a part of the bank. Built as a file of its own (dist/lazy/), so that `export` of
 * the working report does not parse it; Word's libraries load only for `--format docx`.
 */
import path from 'node:path';
import {
  buildCycleDocument,
  type CycleDocument,
  type DocumentInput,
  type DocumentScope,
} from '../core/document.ts';
import { formatProblem, UsageError, ValidationError } from '../core/errors.ts';
import type { Bank, CycleFile } from '../core/types.ts';
import { loadBuiltinBank } from '../generated/banks.ts';
import type { CommandContext } from '../shell/context.ts';
import { readCycle, readCycleFile } from '../shell/cycle-store.ts';
import { writeHuman } from '../shell/human-output.ts';
import { listCycleIds, type Workspace } from '../shell/workspace.ts';

export type DocumentFormat = 'md' | 'html' | 'docx';

export interface DocumentRequest {
  format: DocumentFormat;
  summary: boolean;
  scope: DocumentScope;
  /** `--members`: an elected-members cycle file whose answers go in the paper. */
  members?: string;
}

/** The elected-members cycle of `--members`, checked against that bank. */
async function readMembers(file: string, ctx: CommandContext): Promise<{ bank: Bank; cycle: CycleFile }> {
  const bank = await loadBuiltinBank('elected-members');
  if (!bank) throw new UsageError('the elected-members bank is missing from this build.');
  const full = path.resolve(ctx.cwd, file);
  const cycle = await readCycleFile(full, bank, file);
  if (cycle.bank.id !== 'elected-members') {
    throw new UsageError(
      `--members ${file} is a cycle of the "${cycle.bank.id}" bank; give a cycle file of the elected-members bank (a workspace made with: kinship-reflect init --bank elected-members).`,
    );
  }
  return { bank, cycle };
}

/**
 * The workspace's cycles up to and including `cycle` (natural order), for the change since the
 * previous cycle and the trend. A cycle file that cannot be read is left out with a warning: it must
 * not stop the paper for this one.
 */
async function cyclesUpTo(ws: Workspace, cycle: CycleFile, ctx: CommandContext): Promise<CycleFile[]> {
  const ids = await listCycleIds(ws);
  const upTo = ids.includes(cycle.cycle)
    ? ids.slice(0, ids.indexOf(cycle.cycle))
    : ids.filter((id) => id < cycle.cycle);
  const out: CycleFile[] = [];
  for (const id of upTo) {
    try {
      const other = await readCycle(ws, id);
      if (other.bank.id === cycle.bank.id) out.push(other);
    } catch (error) {
      const why =
        error instanceof ValidationError
          ? error.problems.map((p) => formatProblem(p)).join('; ')
          : error instanceof Error
            ? error.message
            : String(error);
      writeHuman(ctx.stderr, `Warning: cycle ${id} is left out of the comparison and trend: ${why}\n`);
    }
  }
  out.push(cycle);
  return out;
}

/** The document model for a request (exported for tests and the benchmarks). */
export async function buildDocument(
  ws: Workspace,
  cycle: CycleFile,
  request: DocumentRequest,
  ctx: CommandContext,
): Promise<CycleDocument> {
  const input: DocumentInput = {
    bank: ws.bank,
    cycle,
    cycles: request.summary ? [cycle] : await cyclesUpTo(ws, cycle, ctx),
    today: ctx.today(),
    summary: request.summary,
    scope: request.scope,
  };
  if (request.members !== undefined) input.members = await readMembers(request.members, ctx);
  return buildCycleDocument(input);
}

/** The document's bytes (Word) or text (HTML, Markdown). */
export async function renderDocument(
  ws: Workspace,
  cycle: CycleFile,
  request: DocumentRequest,
  ctx: CommandContext,
): Promise<string | Uint8Array> {
  const doc = await buildDocument(ws, cycle, request, ctx);
  switch (request.format) {
    case 'html': {
      const { renderDocumentHtml } = await import('../core/render-html.ts');
      return renderDocumentHtml(doc);
    }
    case 'md': {
      const { renderDocumentMarkdown } = await import('../core/render-md-document.ts');
      return renderDocumentMarkdown(doc);
    }
    case 'docx': {
      const { renderDocumentDocx } = await import('../shell/render-docx.ts');
      return renderDocumentDocx(doc, ctx.today());
    }
  }
}
