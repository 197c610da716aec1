/**
 * Hashing and random names without loading node:crypto up front: it takes ~2.5 ms to load, a sixth
 * of what `diff` and `status` may spend on their own work (bench/), and most runs never hash anything.
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
