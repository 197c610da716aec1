/**
 * A throw-away workspace for in-process tests: a temp folder holding `kinship-reflect.yaml`, a fake
 * CommandContext whose streams capture what a command prints, and the opened Workspace.
 *
 *   const t = await makeWorkspace({ report: false });
 *   try { await someCommand({ … }, t.ctx); expect(t.out()).toContain('…'); } finally { await t.cleanup(); }
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { CommandContext, GlobalOptions } from '../../src/shell/context.ts';
import { openWorkspace, type Workspace } from '../../src/shell/workspace.ts';

export const TEST_AUTHORITY = 'Exampleshire County Council';
export const TEST_TODAY = '2026-01-15';

export interface WorkspaceOptions {
  authority?: string;
  /** Built-in bank id or a path (default `reflective-tool`). */
  bank?: string;
  ratings?: boolean;
  report?: boolean;
  /** Text written to the command's stdin (which then ends). Without it stdin ends at once. */
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  /** Date returned by ctx.today() (default 2026-01-15). */
  today?: string;
  /** Extra global options (dir is always the temp folder). */
  global?: Omit<GlobalOptions, 'dir'>;
  /** Make the streams claim to be terminals. */
  tty?: boolean;
}

export interface TestWorkspace {
  dir: string;
  ctx: CommandContext;
  ws: Workspace;
  /** Everything written to stdout / stderr so far. */
  out: () => string;
  err: () => string;
  /** Re-open the workspace (after a command changed its config). */
  reopen: () => Promise<Workspace>;
  cleanup: () => Promise<void>;
}

function capture(tty: boolean): {
  stream: PassThrough & { isTTY?: boolean; columns?: number };
  text: () => string;
} {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  if (tty) {
    stream.isTTY = true;
    stream.columns = 80;
  }
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

/** Make a temp folder with a workspace file, and a context pointing at it. */
export async function makeWorkspace(options: WorkspaceOptions = {}): Promise<TestWorkspace> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kinship-reflect-test-'));
  const config = [
    `authority: ${JSON.stringify(options.authority ?? TEST_AUTHORITY)}`,
    `bank: ${JSON.stringify(options.bank ?? 'reflective-tool')}`,
    `ratings: ${options.ratings ?? true}`,
    `report: ${options.report ?? true}`,
    '',
  ].join('\n');
  await writeFile(path.join(dir, 'kinship-reflect.yaml'), config);
  const stdout = capture(options.tty ?? false);
  const stderr = capture(options.tty ?? false);
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (options.tty) stdin.isTTY = true;
  if (options.stdin !== undefined) stdin.end(options.stdin);
  else stdin.end();
  const today = options.today ?? TEST_TODAY;
  const ctx: CommandContext = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin,
    env: options.env ?? {},
    cwd: dir,
    today: () => today,
    global: { ...options.global, dir },
  };
  let ws: Workspace;
  try {
    ws = await openWorkspace(ctx);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    ctx,
    ws,
    out: stdout.text,
    err: stderr.text,
    reopen: () => openWorkspace(ctx),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Bundle tests/helpers/save-worker.ts (and the sources it imports) into `<outDir>/save-worker.mjs`,
 * so crash and concurrency tests can run the real storage layer in separate node processes.
 */
export async function buildSaveWorker(outDir: string): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = path.join(outDir, 'save-worker.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./save-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    // bundled code that still calls require() (CommonJS dependencies) needs one in an ES module
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  return outfile;
}
