/**
 * The bank's glossary: which of its terms a text uses. The interview's `?` explains the terms found in
 * the current question; documents list the terms they use in their abbreviations section.
 *
 * A term or alias matches as a whole word, with an optional plural `s` (`FGCs`) or number (`KP1`,
 * `R6`) after it. A form with no lower-case letter (an abbreviation: `SGO`, `R`, `ALL`) matches only
 * in capitals, so the word "all" or a stray "r" is not the abbreviation; any other form (`Section 17`,
 * `special guardianship order`) matches whatever its case. Spaces in a form match any run of spaces.
 */
import type { Bank, GlossaryEntry } from './types.ts';

interface CompiledEntry {
  entry: GlossaryEntry;
  /**
   * The first word of each form, in lower case: a text that holds none of them (case folded) cannot
   * match, so the pattern is neither built nor run. Undefined for an entry with a form outside ASCII,
   * whose case folding `toLowerCase` might not mirror: that one always runs its pattern.
   */
  needles: string[] | undefined;
  /** Built when first needed (patternOf): word boundaries of ASCII only, then of any script. */
  ascii: RegExp | undefined;
  unicode: RegExp | undefined;
}

const compiledCache = new WeakMap<readonly GlossaryEntry[], CompiledEntry[]>();

function formPattern(form: string): string {
  return form
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
}

const formsOf = (entry: GlossaryEntry): string[] => [entry.term, ...(entry.aliases ?? [])];

function compile(glossary: readonly GlossaryEntry[]): CompiledEntry[] {
  const cached = compiledCache.get(glossary);
  if (cached) return cached;
  const compiled = glossary.map((entry) => {
    const forms = formsOf(entry);
    const ascii = forms.every((f) => /^[\x20-\x7e\s]*$/.test(f));
    const needles = ascii ? forms.map((f) => (f.trim().split(/\s+/)[0] ?? '').toLowerCase()) : undefined;
    return {
      entry,
      needles: needles?.includes('') ? undefined : needles,
      ascii: undefined,
      unicode: undefined,
    };
  });
  compiledCache.set(glossary, compiled);
  return compiled;
}

/**
 * The entry's pattern: any of its forms as a whole word, with an optional plural `s` or number after
 * it. `unicode`: "a whole word" in any script (not after or before a letter, digit or `_` of any
 * script); otherwise in ASCII only. The first is the definition; the second is ~15 times cheaper to
 * build (V8 expands `\p{L}` for every pattern, ~0.3 ms each) and finds a superset of its matches, the
 * same set when no letter or digit outside ASCII is in the text (findGlossaryTerms).
 */
function patternOf(compiled: CompiledEntry, unicode: boolean): RegExp {
  const built = unicode ? compiled.unicode : compiled.ascii;
  if (built) return built;
  const forms = formsOf(compiled.entry);
  const exact = forms.filter((f) => !/\p{Ll}/u.test(f)).map(formPattern);
  const loose = forms.filter((f) => /\p{Ll}/u.test(f)).map(formPattern);
  // (?i:…) is not available on Node 20, so the two kinds of form are two alternations with the
  // case folded by hand for the loose ones
  const foldCase = (p: string) =>
    p.replace(/\\.|\p{L}/gu, (c) =>
      c.length === 1 && c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c,
    );
  const alternatives = [...exact, ...loose.map(foldCase)].join('|');
  const word = unicode ? '\\p{L}\\p{N}_' : 'A-Za-z0-9_';
  const pattern = new RegExp(`(?<![${word}])(?:${alternatives})(?:s|\\d+)?(?![${word}])`, 'u');
  if (unicode) compiled.unicode = pattern;
  else compiled.ascii = pattern;
  return pattern;
}

/**
 * The glossary entries whose term or an alias occurs in any of `texts`, in glossary order. The texts
 * are searched as one, joined by NUL: no form (nor the space, plural or number a pattern allows)
 * matches NUL, and to the patterns' word boundaries it is as good as the end of a text.
 */
export function findGlossaryTerms(
  glossary: readonly GlossaryEntry[] | undefined,
  texts: readonly string[],
): GlossaryEntry[] {
  if (glossary === undefined || glossary.length === 0) return [];
  const joined = texts.join('\u0000');
  let lower: string | undefined;
  let otherScripts: boolean | undefined;
  const found: GlossaryEntry[] = [];
  for (const compiled of compile(glossary)) {
    if (compiled.needles) {
      lower ??= joined.toLowerCase();
      const text = lower;
      if (!compiled.needles.some((n) => text.includes(n))) continue;
    }
    if (!patternOf(compiled, false).test(joined)) continue;
    // a letter or digit outside ASCII beside a match ("SGOé") ends it being a whole word
    otherScripts ??= /[^\x00-\x7f]/.test(joined) && /(?![\x00-\x7f])[\p{L}\p{N}]/u.test(joined);
    if (!otherScripts || patternOf(compiled, true).test(joined)) found.push(compiled.entry);
  }
  return found;
}

/** One entry as a line of text: `SGO (special guardianship order): A court order …`. */
export function describeGlossaryEntry(entry: GlossaryEntry): string {
  return `${entry.term}${entry.expansion === undefined ? '' : ` (${entry.expansion})`}: ${entry.definition}`;
}

/** The bank's glossary entries found in a question's text (and its tags, for KP and R). */
export function glossaryForQuestion(bank: Bank, text: string, tags: readonly string[] = []): GlossaryEntry[] {
  return findGlossaryTerms(bank.glossary, [text, ...tags]);
}
