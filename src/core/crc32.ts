/**
 * The CRC-32 of a text's UTF-8 bytes (IEEE 802.3, the checksum zlib's `crc32` computes), by a
 * 118-byte WebAssembly function.
 *
 * Why not node:zlib: loading it (and the streams it brings) cost 2.5–3.5 ms of every `export` on Node
 * 22–26, where the whole command may add 16 ms to Node's start-up (bench/README.md); a loop in
 * JavaScript over a 60 KB report costs about as much on its first run, in V8's interpreter. This
 * module compiles, encodes and checksums the same report in ~1 ms. tests/crc32.test.ts checks it
 * against node:zlib on thousands of texts.
 *
 * The function, in WebAssembly's text format (assembled with wabt 1.0.37's wat2wasm): the table of
 * 256 entries is at address 0, the text's bytes at `ptr`.
 *
 *   (module
 *     (memory (export "memory") 1)
 *     (func (export "crc32") (param $ptr i32) (param $len i32) (result i32)
 *       (local $c i32) (local $end i32)
 *       (local.set $c (i32.const -1))
 *       (local.set $end (i32.add (local.get $ptr) (local.get $len)))
 *       (block $done
 *         (loop $next
 *           (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
 *           (local.set $c
 *             (i32.xor
 *               (i32.load (i32.shl (i32.and (i32.xor (local.get $c) (i32.load8_u (local.get $ptr)))
 *                                           (i32.const 255))
 *                                  (i32.const 2)))
 *               (i32.shr_u (local.get $c) (i32.const 8))))
 *           (local.set $ptr (i32.add (local.get $ptr) (i32.const 1)))
 *           (br $next)))
 *       (i32.xor (local.get $c) (i32.const -1))))
 */
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03,
  0x02, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x12, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79,
  0x02, 0x00, 0x05, 0x63, 0x72, 0x63, 0x33, 0x32, 0x00, 0x00, 0x0a, 0x46, 0x01, 0x44, 0x01, 0x02, 0x7f, 0x41,
  0x7f, 0x21, 0x02, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x21, 0x03, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x20, 0x03,
  0x4f, 0x0d, 0x01, 0x20, 0x02, 0x20, 0x00, 0x2d, 0x00, 0x00, 0x73, 0x41, 0xff, 0x01, 0x71, 0x41, 0x02, 0x74,
  0x28, 0x02, 0x00, 0x20, 0x02, 0x41, 0x08, 0x76, 0x73, 0x21, 0x02, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00,
  0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x02, 0x41, 0x7f, 0x73, 0x0b,
]);

/** Where the text's bytes start: after the table (256 four-byte entries). */
const DATA = 1024;
const PAGE = 65536;

interface Crc32Module {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  crc32: (ptr: number, len: number) => number;
}

/** The part of the WebAssembly API used here (the project's TypeScript libraries do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

let instance: Crc32Module | undefined;

function load(): Crc32Module {
  if (instance) return instance;
  const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
  const exports = new wasm.Instance(new wasm.Module(MODULE)).exports as Crc32Module;
  const table = new Int32Array(exports.memory.buffer, 0, 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  instance = exports;
  return exports;
}

/** The CRC-32 of `text` encoded as UTF-8 (a lone surrogate as U+FFFD, as Buffer and zlib encode it). */
export function crc32(text: string): number {
  const m = load();
  // UTF-8 takes at most three bytes for each UTF-16 unit
  const need = DATA + text.length * 3;
  const have = m.memory.buffer.byteLength;
  if (need > have) m.memory.grow(Math.ceil((need - have) / PAGE));
  const { written } = new TextEncoder().encodeInto(text, new Uint8Array(m.memory.buffer, DATA));
  return m.crc32(DATA, written) >>> 0;
}
