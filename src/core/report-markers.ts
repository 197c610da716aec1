/**
 * The report's marker lines, and the lines that only look like them.
 *
 * `import` follows markers, never headings, so a marker it does not recognise would silently detach
 * an answer from its item. Markers are therefore read exactly as the tool writes them, and any line
 * that looks like a damaged, misspelt, re-cased or look-alike-spelt marker is refused with what to
 * write instead.
 */
import { FINGERPRINT_LINE } from './fingerprint.ts';
import { editDistance } from './suggest.ts';

export type MarkerKind = 'item' | 'prompt' | 'priority' | 'action' | 'section' | 'stage';

/** A marker exactly as `renderReport` writes it. */
export const MARKER = /^<!-- (item|prompt|priority|action|section|stage): (.*) -->$/;

/** The generated-report checksum line (see `report.ts`); any form of it is the checksum's business. */
const GENERATED = /^<!--\s*kinship-reflect\b/i;

const KEYWORDS = ['item', 'prompt', 'priority', 'action', 'section', 'stage', 'fingerprint'] as const;

/** Letters from other alphabets that look like Latin ones (the ones seen in pasted or "smart" text). */
const LOOKALIKES: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ɡ: 'g',
  α: 'a',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ı: 'i',
};

/**
 * Text folded for comparison: compatibility forms (full-width letters, ligatures) to their plain
 * letters, accents dropped, look-alike letters of other alphabets to Latin ones, lower case.
 */
export function foldLookalikes(text: string): string {
  return [...text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()]
    .map((ch) => LOOKALIKES[ch] ?? ch)
    .join('');
}

/** The keyword a marker-like line seems to name, if any (`<!--Item: x-->` → `item`). */
function nearKeyword(folded: string): string | undefined {
  const word = /^[<!\-–—\s]*([a-z]+)/.exec(folded)?.[1];
  if (word === undefined || word.length < 4) return undefined;
  let best: { k: string; d: number } | undefined;
  for (const k of KEYWORDS) {
    const d = editDistance(word, k);
    if (d <= (k.length <= 5 ? 1 : 2) && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

/**
 * Why this line (trimmed, outside any fenced block) is a damaged marker, or undefined when it is a
 * marker, a fingerprint line, or not marker-like at all (an ordinary comment such as `<!-- TODO -->`
 * is left alone).
 */
export function damagedMarker(trimmed: string): string | undefined {
  if (MARKER.test(trimmed) || FINGERPRINT_LINE.test(trimmed) || GENERATED.test(trimmed)) return undefined;
  const commentLike = /^<\s*!|^&lt;!|-{1,3}\s*>$/.test(trimmed);
  if (!commentLike) return undefined;
  const keyword = nearKeyword(foldLookalikes(trimmed));
  if (keyword === undefined) return undefined;
  const example =
    keyword === 'fingerprint'
      ? '<!-- fingerprint: 0123abcd -->'
      : `<!-- ${keyword}: ${keyword === 'item' ? 'assess.some.item' : '…'} -->`;
  return `this line looks like ${/^[aeiou]/.test(keyword) ? 'an' : 'a'} ${keyword} marker but is not written exactly as the tool writes it (${JSON.stringify(trimmed)}): write it as "${example}" — lower case, plain letters, one space inside each end — or export the report again; nothing was imported`;
}

/** Is `wanted` one of `known` once look-alike letters and case are folded? Returns the known one. */
export function lookalikeOf(wanted: string, known: Iterable<string>): string | undefined {
  const folded = foldLookalikes(wanted);
  for (const k of known) if (k !== wanted && foldLookalikes(k) === folded) return k;
  return undefined;
}
