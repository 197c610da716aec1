/**
 * Hashing and random names without loading node:crypto up front: it takes ~2.5 ms to load, a sixth
 * of what `diff` and `export` may spend on their own work (bench/), and most runs never need it.
 */
type Crypto = typeof import('node:crypto');

function crypto(): Crypto {
  return process.getBuiltinModule('node:crypto');
}

/** The SHA-256 of a text (UTF-8), as 64 hex digits. */
export function sha256Hex(text: string): string {
  return crypto().createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `bytes` random bytes as hex: a unique part for temporary and lock file contents. */
export function randomHex(bytes: number): string {
  return crypto().randomBytes(bytes).toString('hex');
}

/**
 * The CRC-32 of a text (UTF-8), as 8 hex digits: a checksum that catches any accidental change,
 * from node:zlib, which loads in a fraction of node:crypto's time. Not a defence against someone
 * forging a change on purpose; nothing it guards needs one.
 */
export function crc32Hex(text: string): string {
  return process.getBuiltinModule('node:zlib').crc32(text).toString(16).padStart(8, '0');
}
