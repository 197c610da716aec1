/**
 * How big a question bank may be, and how that is said: shared by the file loader (which refuses a
 * file before reading it, without loading the YAML parser) and the strict YAML parser.
 */

/** Question banks over this many bytes are refused before they are parsed. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;

/** `1.2 MB`, `340 KB`: sizes as people read them (1 MB = 1024 × 1024 bytes). */
export function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  if (mb >= 0.95) return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The message for a bank over the size cap, shared by the parser and the file loader. */
export function sizeLimitMessage(bytes: number, maxBytes = DEFAULT_MAX_BYTES): string {
  return `file is ${formatSize(bytes)}; question banks are limited to ${formatSize(maxBytes)}`;
}
