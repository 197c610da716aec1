/**
 * Text on its way into a document (HTML, Word, SVG): characters a reader would act on or that XML
 * cannot hold are made visible instead (`\x1B`, `\u202E`, as the terminal shows them), and a lone
 * surrogate becomes U+FFFD. Markup is escaped by each writer; this only keeps the characters honest.
 */
import { sanitizeForTerminal } from './sanitize.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Control and bidirectional-override characters made visible; lone surrogates replaced. */
export function cleanText(text: string): string {
  return sanitizeForTerminal(text)
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/[\uFFFE\uFFFF]/g, '\uFFFD');
}

/**
 * Text for XML or HTML content and quoted attributes: cleaned (`cleanText`), markup characters
 * escaped. The HTML document and its SVG charts both use it.
 */
export function escapeMarkup(text: string): string {
  return cleanText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
