/** Suggestions for mistyped words and ids: the closest known ones by edit distance. */

/** The Levenshtein distance: how many insertions, deletions and substitutions turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] as number;
      prev[j] = Math.min(
        (prev[j] as number) + 1,
        (prev[j - 1] as number) + 1,
        diag + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diag = tmp;
    }
  }
  return prev[b.length] as number;
}

/** Up to `max` known values closest to `wanted`, best first. */
export function closest(wanted: string, known: readonly string[], max = 5): string[] {
  return known
    .map((k) => ({ k, d: k.startsWith(wanted) || k.includes(wanted) ? 0 : editDistance(wanted, k) }))
    .sort((x, y) => x.d - y.d || x.k.localeCompare(y.k))
    .slice(0, max)
    .map((x) => x.k);
}

/**
 * The known word a mistyped one most likely meant: the same word in another case, else the nearest
 * within two edits (case ignored); undefined when nothing is that near.
 */
export function likelySpelling(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const exact = known.find((o) => o.toLowerCase() === lower);
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = 3;
  for (const o of known) {
    // the distance is at least the difference in length: skip what cannot be near
    if (Math.abs(o.length - lower.length) >= bestDistance) continue;
    const d = editDistance(lower, o.toLowerCase());
    if (d < bestDistance) {
      best = o;
      bestDistance = d;
    }
  }
  return best;
}
