/** Suggestions for mistyped words and ids: the closest known ones by edit distance. */

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two neighbouring
 * characters as one edit each (optimal string alignment), so "itme" is one edit from "item".
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const prev = rows[i - 1] as number[];
      let d = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return (rows[a.length] as number[])[b.length] as number;
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
