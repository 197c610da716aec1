/**
 * Checksums, pure functions of their text. Node's node:crypto and node:zlib are loaded when first
 * used (through `process.getBuiltinModule`, the one use of `process` in the core: it reads nothing
 * and changes nothing) because node:crypto takes ~2.5 ms to load, a sixth of what `diff` and
 * `export` may spend on their own work (bench/), and most runs never hash anything.
 */

/** The SHA-256 of a text (UTF-8), as 64 hex digits. */
export function sha256Hex(text: string): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The CRC-32 of a text (UTF-8), as 8 hex digits: a checksum that catches any accidental change,
 * from node:zlib, which loads in about half node:crypto's time. Not a defence against someone
 * forging a change on purpose; nothing it guards needs one.
 */
export function crc32Hex(text: string): string {
  return process.getBuiltinModule('node:zlib').crc32(text).toString(16).padStart(8, '0');
}
