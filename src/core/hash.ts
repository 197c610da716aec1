/**
 * Checksums, pure functions of their text. node:crypto is loaded when first
 * used (through `process.getBuiltinModule`, the one use of `process` in the core: it reads nothing
 * and changes nothing) because node:crypto takes ~2.5 ms to load, a sixth of what `diff` and
 * `export` may spend on their own work (bench/), and most runs never hash anything.
 */
import { crc32 } from './crc32.ts';

/** The SHA-256 of a text (UTF-8), as 64 hex digits. */
export function sha256Hex(text: string): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The CRC-32 of a text (UTF-8), as 8 hex digits: a checksum that catches any accidental change (see
 * ./crc32.ts for why it is not node:zlib's). Not a defence against someone forging a change on
 * purpose; nothing it guards needs one.
 */
export function crc32Hex(text: string): string {
  return crc32(text).toString(16).padStart(8, '0');
}
