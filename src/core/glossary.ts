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
  pattern: RegExp;
}

const compiledCache = new WeakMap<readonly GlossaryEntry[], CompiledEntry[]>();

function formPattern(form: string): string {
  return form
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
}

function compile(glossary: readonly GlossaryEntry[]): CompiledEntry[] {
  const cached = compiledCache.get(glossary);
  if (cached) return cached;
  const compiled = glossary.map((entry) => {
    const forms = [entry.term, ...(entry.aliases ?? [])];
    const exact = forms.filter((f) => !/\p{Ll}/u.test(f)).map(formPattern);
    const loose = forms.filter((f) => /\p{Ll}/u.test(f)).map(formPattern);
    // (?i:…) is not available on Node 20, so the two kinds of form are two alternations with the
    // case folded by hand for the loose ones
    const foldCase = (p: string) =>
      p.replace(/\\.|\p{L}/gu, (c) =>
        c.length === 1 && c.toLowerCase() !== c.toUpperCase() ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c,
      );
    const alternatives = [...exact, ...loose.map(foldCase)].join('|');
    return {
      entry,
      pattern: new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?:s|\\d+)?(?![\\p{L}\\p{N}_])`, 'u'),
    };
  });
  compiledCache.set(glossary, compiled);
  return compiled;
}

/** The glossary entries whose term or an alias occurs in any of `texts`, in glossary order. */
export function findGlossaryTerms(
  glossary: readonly GlossaryEntry[] | undefined,
  texts: readonly string[],
): GlossaryEntry[] {
  if (glossary === undefined || glossary.length === 0) return [];
  const found: GlossaryEntry[] = [];
  for (const { entry, pattern } of compile(glossary)) {
    if (texts.some((t) => pattern.test(t))) found.push(entry);
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
