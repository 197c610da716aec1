/**
 * V8 tuning for runs that last a tenth of a second. Loaded by the entry, so it stays tiny.
 *
 * Node 20's V8 (11.x) has no fast mid-tier compiler: once a function has run a little, V8 compiles
 * it again with TurboFan on a background thread, and a process whose work is done still waits for
 * those compile jobs before it exits. On a fully changed cycle `diff` started ~15 ms of TurboFan work
 * (its diff loop) that it never used. A function must now run 8× longer before it is optimised: the
 * commands that finish in ~0.1 s never start that work, while `aggregate` (seconds over hundreds of
 * files) still gets its hot code optimised early on — bench/: diff 1.80× → 1.69× `node -e 0`,
 * aggregate 153 × 8 unchanged (925 → 878 ms).
 *
 * Node 22 and later have Maglev, a fast mid-tier compiler, and no such flag (V8 prints an error for a
 * flag it does not know), so this does nothing there.
 */
const BUDGET_FACTOR = 8;
const V8_DEFAULT_INTERRUPT_BUDGET = 67_584; // V8 11.3's default (`node --v8-options`)

export function tuneEngineForShortRuns(): void {
  if (!process.versions.v8.startsWith('11.')) return;
  try {
    process
      .getBuiltinModule('node:v8')
      .setFlagsFromString(`--interrupt-budget=${V8_DEFAULT_INTERRUPT_BUDGET * BUDGET_FACTOR}`);
  } catch {
    // an engine that refuses the flag runs as it would have anyway
  }
}
