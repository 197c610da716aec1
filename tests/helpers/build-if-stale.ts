/**
 * Vitest global setup: build when `dist/` (or `src/generated/`) is older than what it is built from,
 * so that a test never runs an edited source against a stale build. `npm test` builds first anyway;
 * this makes `npx vitest run tests/x.test.ts` and `npm run test:unit` as safe.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** What the build reads. src/generated is written by the build itself, so it is not a source. */
const SOURCES = ['src', 'questions', 'schemas', 'scripts', 'package.json', 'bin'];
/** What the build writes; the oldest of them must be newer than every source. */
const OUTPUTS = ['dist/cli.cjs', 'src/generated/banks.ts'];

function newest(file: string): number {
  const info = statSync(file);
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = 0;
  for (const name of readdirSync(file)) {
    if (name === 'generated' && path.basename(file) === 'src') continue;
    latest = Math.max(latest, newest(path.join(file, name)));
  }
  return latest;
}

/** Why a build is needed, or undefined when the build is up to date. */
export function staleReason(): string | undefined {
  const missing = OUTPUTS.find((f) => !existsSync(path.join(root, f)));
  if (missing) return `${missing} is missing`;
  const built = Math.min(...OUTPUTS.map((f) => statSync(path.join(root, f)).mtimeMs));
  const source = SOURCES.map((f) => path.join(root, f)).filter((f) => existsSync(f));
  return source.some((f) => newest(f) > built) ? 'a source is newer than dist/' : undefined;
}

export default function setup(): void {
  const reason = staleReason();
  if (reason === undefined) return;
  console.log(`vitest: ${reason}; building first (npm run build)`);
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}
