/**
 * Checksums, pure functions of their text. node:crypto is loaded when first used (through
 * `process.getBuiltinModule`, the one use of `process` in the core: it reads nothing and changes
 * nothing) because it takes ~2.5 ms to load, and most runs never need a SHA-256.
 */

/** The SHA-256 of a text (UTF-8), as 64 hex digits. */
export function sha256Hex(text: string): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(text, 'utf8').digest('hex');
}

let crcTable: Int32Array | undefined;

/** The 256 entries of the CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) lookup table. */
function table(): Int32Array {
  if (crcTable) return crcTable;
  crcTable = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c;
  }
  return crcTable;
}

/**
 * The CRC-32 of a text (UTF-8), as 8 hex digits: the same value as zlib's `crc32` (tested against
 * node:zlib). Computed here rather than by node:zlib because loading node:zlib (and the streams it
 * pulls in) cost ~5 ms of `export`'s start-up on Node 22–26, against ~0.2 ms for this loop over a
 * 60 KB report (bench/README.md). A checksum that catches any accidental change; not a defence
 * against someone forging a change on purpose, which nothing it guards needs.
 */
export function crc32Hex(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const t = table();
  let crc = -1;
  for (let i = 0; i < bytes.length; i++)
    crc = (t[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return ((crc ^ -1) >>> 0).toString(16).padStart(8, '0');
}
