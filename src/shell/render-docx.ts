/**
 * A cycle document as a Word file (.docx), with the `docx` library, as council papers are drafted:
 * Arial 12, Word's own heading styles (so the navigation pane and the accessibility checker see the
 * structure), the title and language in the document's properties, table header rows that repeat on
 * every page, charts as PNG images (rendered from our SVG with resvg; the SVG itself goes in too, for
 * Word versions that show it) with alternative text and the data table after them, and page numbers.
 *
 * Reproducible: the zip entries carry a fixed date, and the core properties the cycle's date, so the
 * same cycle gives the same bytes (on a machine with the same fonts for the chart images).
 *
 * Loaded only by `export --format docx` (the docx and resvg packages are big; the start-up tests
 * check that nothing else loads them).
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import JSZip from 'jszip';
import { renderChartSvg } from '../core/charts.ts';
import type { Block, CycleDocument, DocTable } from '../core/document.ts';
import { cleanText } from '../core/document-text.ts';
import { loadChartRasterizer, type RasterizeSvg } from './chart-raster.ts';

const FONT = 'Arial';
/** Half-points: Arial 12. */
const SIZE = 24;
/** A4 in twentieths of a point, with 2 cm margins. */
const PAGE = { width: 11906, height: 16838, margin: 1134 };
/** The text width in pixels at 96 dpi (what docx's image sizes are in). */
const TEXT_WIDTH_PX = Math.floor(((PAGE.width - 2 * PAGE.margin) / 1440) * 96);
/** The date of every zip entry: the format's epoch (1980) would do, a fixed readable date is nicer. */
const ZIP_DATE = new Date(Date.UTC(2000, 0, 1, 0, 0, 0));

function t(text: string): string {
  return cleanText(text);
}

function run(text: string, opts: { bold?: boolean; italics?: boolean } = {}): TextRun {
  return new TextRun({ text: t(text), ...opts });
}

function cellParagraph(text: string, bold: boolean, right: boolean): Paragraph {
  return new Paragraph({
    children: [run(text, { bold })],
    alignment: right ? AlignmentType.RIGHT : AlignmentType.LEFT,
    // single-spaced rows: a long list of red and amber items must not push the summary past 4 pages
    spacing: { before: 20, after: 20, line: 240 },
  });
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '8A8A8A' };

/** Column widths in twips: the table's own, or from the longest text of each column (bounded). */
function columnWidths(tb: DocTable): number[] {
  const total = PAGE.width - 2 * PAGE.margin;
  const weights =
    tb.widths ??
    tb.head.map((h, i) => {
      const longest = Math.max(
        ...h.split(/\s+/).map((w) => w.length),
        ...tb.rows.map((r) => Math.min((r[i] ?? '').length, 60)),
      );
      return Math.max(6, longest);
    });
  const sum = weights.reduce((a, w) => a + w, 0);
  return weights.map((w) => Math.floor((w / sum) * total));
}

function table(tb: DocTable): (Paragraph | Table)[] {
  const widths = columnWidths(tb);
  const numeric = new Set(
    tb.numeric ??
      tb.head
        .map((_, i) => i)
        .filter((i) => i > 0 && tb.rows.every((r) => /^[+-]?\d+%?$|^no change$/.test(r[i] ?? ''))),
  );
  const header = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: tb.head.map(
      (h, i) =>
        new TableCell({
          width: { size: widths[i] ?? 0, type: WidthType.DXA },
          children: [cellParagraph(h, true, numeric.has(i))],
          shading: { type: ShadingType.CLEAR, fill: 'EDEDED', color: 'auto' },
        }),
    ),
  });
  const rows = tb.rows.map(
    (r) =>
      new TableRow({
        cantSplit: true,
        children: r.map(
          (cell, i) => new TableCell({ children: [cellParagraph(cell, i === 0, numeric.has(i))] }),
        ),
      }),
  );
  return [
    new Paragraph({
      children: [run(tb.caption, { bold: true })],
      keepNext: true,
      spacing: { before: 160, after: 80 },
    }),
    new Table({
      rows: [header, ...rows],
      columnWidths: widths,
      width: { size: widths.reduce((a, w) => a + w, 0), type: WidthType.DXA },
      layout: TableLayoutType.FIXED,
      borders: {
        top: BORDER,
        bottom: BORDER,
        left: BORDER,
        right: BORDER,
        insideHorizontal: BORDER,
        insideVertical: BORDER,
      },
    }),
    new Paragraph({ children: [], spacing: { after: 0, line: 120, lineRule: LineRuleType.EXACT } }),
  ];
}

const HEADINGS = {
  2: HeadingLevel.HEADING_2,
  3: HeadingLevel.HEADING_3,
  4: HeadingLevel.HEADING_4,
} as const;

interface Context {
  rasterize: RasterizeSvg;
  lists: number;
  /** Word wants each drawing's id unique within the document. */
  images: number;
}

function blocks(b: Block, ctx: Context): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'heading':
      return [new Paragraph({ heading: HEADINGS[b.level], children: [run(b.text)], keepNext: true })];
    case 'paragraph':
      return [
        new Paragraph({
          children:
            b.number === undefined ? [run(b.text)] : [run(`${b.number}  `, { bold: true }), run(b.text)],
        }),
      ];
    case 'list': {
      ctx.lists++;
      const instance = ctx.lists;
      return b.items.map(
        (item) =>
          new Paragraph({
            children: [run(item)],
            numbering: b.ordered
              ? { reference: 'ordered', level: 0, instance }
              : { reference: 'bullets', level: 0 },
          }),
      );
    }
    case 'table':
      return table(b.table);
    case 'chart': {
      const svg = renderChartSvg(b.chart);
      const [, w, h] = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg) ?? [];
      // a little narrower than the text: a summary has four pages
      const width = Math.min(Math.round(TEXT_WIDTH_PX * 0.82), Number(w));
      const height = Math.round((Number(h) / Number(w)) * width);
      // 1.5 times the drawn size: sharp when printed, and a third of the time of twice the size
      const png = ctx.rasterize(svg, Math.round(Number(w) * 1.5));
      ctx.images++;
      // the numbers first, then the picture of them: the table can start at the foot of a page
      // where the image would leave a gap
      return [
        ...table(b.chart.table),
        new Paragraph({
          // an explicit "auto" line: LibreOffice otherwise clips a tall inline image at a page end
          spacing: { line: 240, lineRule: LineRuleType.AUTO, before: 120 },
          children: [
            new ImageRun({
              type: 'svg',
              data: Buffer.from(svg, 'utf8'),
              fallback: { type: 'png', data: png },
              transformation: { width, height },
              altText: {
                id: String(ctx.images),
                name: b.chart.id,
                title: t(b.chart.title),
                description: t(b.chart.summary),
              },
            }),
          ],
        }),
      ];
    }
    case 'answer':
      return [
        new Paragraph({
          children: [run(b.question, { bold: true })],
          keepNext: true,
          spacing: { before: 200 },
        }),
        ...(b.meta.length > 0
          ? [new Paragraph({ children: [run(b.meta.join(' '), { italics: true })] })]
          : []),
        ...b.paragraphs.map((p) => new Paragraph({ children: [run(p)] })),
      ];
    case 'terms':
      return table({
        caption: 'Abbreviations and terms used in this document',
        head: ['Term', 'Meaning'],
        widths: [30, 70],
        rows: b.entries.map((e) => [
          e.expansion === undefined ? e.term : `${e.term} (${e.expansion})`,
          e.definition.replace(/\s+/g, ' ').trim(),
        ]),
      });
  }
}

function xml(text: string): string {
  return cleanText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** docProps/core.xml: title, subject, language, and the document's date instead of the clock's. */
function coreProperties(doc: CycleDocument, isoDate: string): string {
  const when = `${isoDate}T00:00:00Z`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xml(doc.title)}</dc:title>` +
    `<dc:subject>${xml(doc.summary ? 'Committee summary of a kinship care reflection' : 'Kinship care reflection')}</dc:subject>` +
    '<dc:creator>kinship-reflect</dc:creator>' +
    '<dc:language>en-GB</dc:language>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/**
 * The same zip with every entry dated `ZIP_DATE`, in a fixed order: the same input, the same bytes.
 * Each entry is copied still deflated; inflating and deflating the whole document again took 110–160 ms
 * of each Word export (bench/README.md). Exported for tests.
 */
export async function normalizeZip(buffer: Buffer): Promise<Buffer> {
  const source = await JSZip.loadAsync(buffer);
  const out = new JSZip();
  const names = Object.keys(source.files)
    .filter((name) => !source.files[name]?.dir)
    .sort((a, b) =>
      a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : a.localeCompare(b),
    );
  for (const name of names) {
    // the entry as read, still deflated: jszip writes such an entry's bytes as they are when the new
    // zip deflates too, so nothing is inflated and deflated again (tests/docx-zip.test.ts)
    const data = (source.files[name] as JSZip.JSZipObject & { _data: unknown })._data;
    out.file(name, data as Uint8Array, { date: ZIP_DATE, createFolders: false });
  }
  return out.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
    mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  });
}

/** The paragraph styles: Word's own heading styles in our font, so its navigation pane finds them. */
function headingStyle(id: string, name: string, size: number, before: number) {
  return {
    id,
    name,
    basedOn: 'Normal',
    next: 'Normal',
    quickFormat: true,
    run: { font: FONT, size, bold: true, color: '000000' },
    paragraph: { spacing: { before, after: 120 }, keepNext: true },
  };
}

const STYLES = {
  default: {
    document: {
      run: { font: FONT, size: SIZE, language: { value: 'en-GB' } },
      paragraph: { spacing: { after: 120, line: 264 } },
    },
  },
  paragraphStyles: [
    headingStyle('Heading1', 'Heading 1', 36, 0),
    headingStyle('Heading2', 'Heading 2', 32, 280),
    headingStyle('Heading3', 'Heading 3', 28, 200),
    headingStyle('Heading4', 'Heading 4', 24, 200),
  ],
};

/** A list level: numbered (`1.`) or bulleted, with a hanging indent. */
const listLevel = (format: (typeof LevelFormat)[keyof typeof LevelFormat], text: string) => ({
  level: 0,
  format,
  text,
  alignment: AlignmentType.LEFT,
  style: { paragraph: { indent: { left: 567, hanging: 397 } } },
});

const NUMBERING = {
  config: [
    { reference: 'ordered', levels: [listLevel(LevelFormat.DECIMAL, '%1.')] },
    { reference: 'bullets', levels: [listLevel(LevelFormat.BULLET, '\u2022')] },
  ],
};

/** The document's body: title, facts, scope note, blocks, credit. */
function body(doc: CycleDocument, ctx: Context): (Paragraph | Table)[] {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [run(doc.title)] }),
    ...doc.facts.map(
      (f) =>
        new Paragraph({
          children: [run(`${f.label}: `, { bold: true }), run(f.value)],
          spacing: { after: 40 },
        }),
    ),
  ];
  if (doc.scopeNote !== undefined) {
    children.push(
      new Paragraph({
        spacing: { before: 200 },
        border: { left: { style: BorderStyle.SINGLE, size: 24, color: 'B35C00', space: 8 } },
        children: [run('Part of the question bank only. ', { bold: true }), run(doc.scopeNote)],
      }),
    );
  }
  for (const b of doc.blocks) children.push(...blocks(b, ctx));
  children.push(new Paragraph({ spacing: { before: 400 }, children: [run(doc.credit, { italics: true })] }));
  return children;
}

/** One A4 section holding `children`, with "Page N of M" in its footer. */
function section(children: (Paragraph | Table)[]) {
  return {
    properties: {
      page: {
        size: { width: PAGE.width, height: PAGE.height },
        margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin },
      },
    },
    footers: {
      default: new Footer({
        children: [
          new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [
              new TextRun({ children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] }),
            ],
          }),
        ],
      }),
    },
    children,
  };
}

/** The document as a .docx file. `isoDate` dates its properties (the cycle's export date). */
export async function renderDocumentDocx(
  doc: CycleDocument,
  isoDate: string,
  rasterize?: RasterizeSvg,
): Promise<Buffer> {
  const ctx: Context = {
    rasterize:
      rasterize ??
      (doc.blocks.some((b) => b.kind === 'chart') ? await loadChartRasterizer() : () => new Uint8Array()),
    lists: 0,
    images: 0,
  };
  const document = new Document({
    title: t(doc.title),
    subject: doc.summary ? 'Committee summary of a kinship care reflection' : 'Kinship care reflection',
    creator: 'kinship-reflect',
    description: t(doc.facts.map((f) => `${f.label}: ${f.value}`).join('; ')),
    styles: STYLES,
    numbering: NUMBERING,
    sections: [section(body(doc, ctx))],
  });
  const packed = await Packer.toBuffer(document, false, [
    { path: 'docProps/core.xml', data: coreProperties(doc, isoDate) },
  ]);
  return normalizeZip(packed);
}
