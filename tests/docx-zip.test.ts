/**
 * `normalizeZip` (src/shell/render-docx.ts) makes a Word export reproducible: entries in a fixed order,
 * every one dated 2000-01-01, folders left out. It copies each entry still deflated instead of
 * inflating and deflating it again; these check that the copy is exact and really is a copy.
 */
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { normalizeZip } from '../src/shell/render-docx.ts';

/** Each entry's name, modification date field (DOS) and compressed size, from the central directory. */
function centralDirectory(zip: Buffer): { name: string; dosDate: number; compressedSize: number }[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const nameLength = zip.readUInt16LE(at + 28);
    out.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      dosDate: zip.readUInt16LE(at + 14),
      compressedSize: zip.readUInt32LE(at + 20),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

async function sourceZip(): Promise<Buffer> {
  const zip = new JSZip();
  // words in a pseudo-random order: text that level 1 and level 6 compress differently
  const words = ['kinship', 'care', 'reflection', 'carers', 'support', 'plan', 'review', 'assess', 'data'];
  let seed = 7;
  const text = (n: number) =>
    `<w:t>${Array.from({ length: n }, () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return words[seed % words.length];
    }).join(' ')}</w:t>`;
  // as docx writes them: folders, an order of its own, today's date
  zip.file('word/document.xml', text(400));
  zip.file(
    'word/media/chart.png',
    Uint8Array.from({ length: 3000 }, (_, i) => (i * 31) % 251),
  );
  zip.file('[Content_Types].xml', text(20));
  zip.file('_rels/.rels', text(5));
  zip.folder('docProps');
  // level 1: a copy keeps these bytes, deflating again (at level 6) would not
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 1 } });
}

describe('normalizeZip', () => {
  it('orders and dates the entries, drops the folders, and keeps every file’s content', async () => {
    const input = await sourceZip();
    const output = await normalizeZip(input);
    const entries = centralDirectory(output);
    expect(entries.map((e) => e.name)).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'word/document.xml',
      'word/media/chart.png',
    ]);
    // DOS date of 2000-01-01: (2000 - 1980) << 9 | 1 << 5 | 1
    expect(new Set(entries.map((e) => e.dosDate))).toEqual(new Set([(20 << 9) | (1 << 5) | 1]));
    const before = await JSZip.loadAsync(input);
    const after = await JSZip.loadAsync(output);
    for (const e of entries) {
      const a = await before.files[e.name]?.async('uint8array');
      const b = await after.files[e.name]?.async('uint8array');
      expect(b, e.name).toEqual(a);
    }
    // the same input, the same bytes
    expect((await normalizeZip(input)).equals(output)).toBe(true);
  });

  it('copies each entry still deflated, not inflated and deflated again', async () => {
    const input = await sourceZip();
    const sizes = new Map(centralDirectory(input).map((e) => [e.name, e.compressedSize]));
    // what inflating and deflating again would give
    const loaded = await JSZip.loadAsync(input);
    const fresh = new JSZip();
    for (const name of Object.keys(loaded.files))
      if (!loaded.files[name]?.dir)
        fresh.file(name, (await loaded.files[name]?.async('uint8array')) as Uint8Array);
    const reDeflated = new Map(
      centralDirectory(
        await fresh.generateAsync({
          type: 'nodebuffer',
          compression: 'DEFLATE',
          compressionOptions: { level: 6 },
        }),
      ).map((e) => [e.name, e.compressedSize]),
    );
    // the check can tell the two apart
    expect(reDeflated.get('word/document.xml')).not.toBe(sizes.get('word/document.xml'));
    for (const e of centralDirectory(await normalizeZip(input)))
      expect(e.compressedSize, e.name).toBe(sizes.get(e.name));
  });
});
