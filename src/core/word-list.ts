/**
 * Membership in a long word list kept as one string: words separated by single spaces, sorted in
 * code-unit order (JavaScript's default sort), each once — as scripts/build-first-names.mjs writes
 * the given-name lists. A binary search over the string itself: nothing is built, so the first
 * lookup costs what every other does (~1 µs). Turning the 8,600 given names into Sets took 1–3 ms of
 * every `export` and `check` on Node 22–26 (bench/README.md), more than all the scanning after it.
 */
export function inSortedWordList(list: string, word: string): boolean {
  if (word === '' || word.includes(' ')) return false;
  // `lo` is the start of a word; every word starting before `lo` is less than `word`, every word
  // starting at or after `hi` greater.
  let lo = 0;
  let hi = list.length + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const start = mid === 0 ? 0 : list.lastIndexOf(' ', mid - 1) + 1;
    let end = list.indexOf(' ', start);
    if (end === -1) end = list.length;
    const here = list.slice(start, end);
    if (here === word) return true;
    if (here < word) lo = end + 1;
    else hi = start;
  }
  return false;
}
