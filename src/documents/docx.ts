import {
  AlignmentType,
  BorderStyle,
  Document,
  type FileChild,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  LineRuleType,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Tab,
  Table,
  TableCell,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
} from 'docx'
import type { Block, DocumentModel, Text } from './model.ts'
import { type ZipEntry, zipFile } from './zip.ts'

// The Word file of a document (issue 6, ADR 0019): the model drawn as an editable .docx with real
// headings (Word's navigation pane and screen readers see them), real tables with repeating header
// rows, bulleted lists, photos with alt text, and the marking, the furniture and "Page N of M" on
// every page. The same model gives the same bytes: see `coreProperties` below, and `zip.ts`, which
// dates every part with the version's date.

// Sizes in twentieths of a point (twips) unless said otherwise. A4, with 2 cm side margins.
const A4 = { width: 11906, height: 16838 }
const MARGIN = { top: 1418, bottom: 1418, left: 1134, right: 1134, header: 567, footer: 567 }
const TEXT_WIDTH = A4.width - MARGIN.left - MARGIN.right
const FONT = 'Arial'
// Half-points: 12 pt body, 11 pt in tables.
const BODY_SIZE = 24
const TABLE_SIZE = 22
// GOV.UK's text and secondary text colours (both well above 4.5:1 on white) and its border grey.
const TEXT = '0B0C0C'
const HINT = '505A5F'
const RULE = 'B1B4B6'
const HEADER_FILL = 'F3F2F1'
// The largest a photo is drawn, in pixels at 96 to the inch: about 9 by 9 cm.
const PHOTO_MAX = 340
/** The box a photo is drawn to fit, in inches (photos.ts gives photos the pixels it needs). */
export const DOCX_PHOTO_BOX = { width: PHOTO_MAX / 96, height: PHOTO_MAX / 96 }
const BULLETS = 'bullets'
const TABLE_TEXT = 'TableText'
const TABLE_LABEL = 'TableLabel'

export async function renderDocx(model: DocumentModel): Promise<Buffer> {
  // No title or creator here: the core properties are written whole by `coreProperties`.
  const document = new Document({
    styles: styles(model),
    numbering: {
      config: [
        {
          reference: BULLETS,
          levels: [
            {
              level: 0,
              format: LevelFormat.BULLET,
              text: '•',
              alignment: AlignmentType.LEFT,
              style: { paragraph: { indent: { left: 567, hanging: 283 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        properties: { page: { size: A4, margin: MARGIN } },
        headers: { default: pageHeader(model) },
        footers: { default: pageFooter(model) },
        children: body(model.blocks),
      },
    ],
  })
  const parts = packageParts(document, [{ path: 'docProps/core.xml', data: coreProperties(model) }])
  return zipFile(parts, model.createdAt)
}

// docx's Packer zips the parts itself, with a JavaScript deflate at its default level, photos
// included, and dates each entry with the moment of packing. Its compiler, which the Packer calls
// for the parts, is used instead and the parts zipped by `zip.ts`. The compiler is not in docx's
// published types: if an upgrade moves it, every Word test fails here rather than files quietly
// changing.
type Compiler = { compile(file: Document, prettify: undefined, overrides: ZipEntry[]): Map<string, unknown> }

function packageParts(document: Document, overrides: ZipEntry[]): ZipEntry[] {
  const compiler = (Packer as unknown as { compiler?: Partial<Compiler> }).compiler
  if (typeof compiler?.compile !== 'function')
    throw new Error('docx no longer has Packer.compiler: see packageParts in src/documents/docx.ts')
  return [...compiler.compile(document, undefined, overrides)].map(([path, data]) => {
    if (typeof data !== 'string' && !(data instanceof Uint8Array))
      throw new Error(`docx gave the part ${path} as neither text nor bytes`)
    return { path, data }
  })
}

function styles(model: DocumentModel) {
  // The outline level is what puts a heading in Word's navigation pane and LibreOffice's PDF outline.
  const heading = (outlineLevel: number, size: number, before: number) => ({
    run: { font: FONT, size, bold: true, color: TEXT },
    paragraph: { outlineLevel, spacing: { before, after: 160 }, keepNext: true, keepLines: true },
  })
  return {
    default: {
      document: {
        run: { font: FONT, size: BODY_SIZE, color: TEXT, language: { value: model.language } },
        // The line rule is written out: LibreOffice takes a line height without one as exact.
        paragraph: { spacing: { after: 160, line: 276, lineRule: LineRuleType.AUTO } },
      },
      heading1: heading(0, 40, 0),
      heading2: heading(1, 32, 480),
      heading3: heading(2, 26, 320),
      listParagraph: { paragraph: { spacing: { after: 80 } } },
    },
    paragraphStyles: [
      {
        id: TABLE_TEXT,
        name: 'Table text',
        basedOn: 'Normal',
        quickFormat: true,
        run: { size: TABLE_SIZE },
        paragraph: { spacing: { after: 0 } },
      },
      // A question and a column heading: bold by their style rather than each run's own property.
      {
        id: TABLE_LABEL,
        name: 'Table label',
        basedOn: TABLE_TEXT,
        quickFormat: true,
        run: { bold: true },
      },
    ],
  }
}

// Level 1 is the title but is written as Heading 1, not Word's Title style: Title is not a heading
// to Word's navigation pane or to screen readers, and Heading 1 to 3 match the print page's h1 to h3
// and the PDF's H1 to H3 tags.
const HEADINGS = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 }

/**
 * What the block before asks of the next block's first paragraph: to start a new page (a page break
 * carried as Word's "page break before", so the new page does not open with an empty line), or to
 * keep some space from a table that ends just above it (a paragraph after a table has none).
 */
type Lead = { newPage: boolean; afterTable: boolean }

function body(blocks: Block[]): FileChild[] {
  const children: FileChild[] = []
  let lead: Lead = { newPage: false, afterTable: false }
  // Photos are numbered here, not by docx's counter, which runs on across documents.
  let photos = 0
  blocks.forEach((block, i) => {
    if (block.kind === 'pageBreak') {
      lead = { ...lead, newPage: true }
      return
    }
    // A signature is drawn on a page of its own, whether or not the builder asked for a break.
    if ((block.kind === 'signature' || blocks[i - 1]?.kind === 'signature') && i > 0)
      lead = { ...lead, newPage: true }
    if (block.kind === 'image') photos++
    const elements = blockElements(block, lead, photos)
    children.push(...elements)
    lead = { newPage: false, afterTable: elements.at(-1) instanceof Table }
  })
  // A break at the very end has no block to carry it.
  if (lead.newPage) children.push(new Paragraph({ children: [new PageBreak()] }))
  return children
}

/** The first paragraph's options that carry the lead, merged with the paragraph's own spacing. */
function opening(lead: Lead, spacing: { before?: number; after?: number } = {}) {
  return {
    pageBreakBefore: lead.newPage,
    spacing: lead.afterTable ? { ...spacing, before: Math.max(spacing.before ?? 0, 240) } : spacing,
  }
}

function blockElements(block: Exclude<Block, { kind: 'pageBreak' }>, lead: Lead, photo: number): FileChild[] {
  switch (block.kind) {
    case 'heading':
      // The heading styles have space above them already.
      return [
        new Paragraph({
          heading: HEADINGS[block.level],
          pageBreakBefore: lead.newPage,
          children: lines(block.text),
        }),
      ]
    case 'paragraph':
      return [
        new Paragraph({
          ...opening(lead),
          children: lines(block.text, block.tone === 'hint' ? { color: HINT } : {}),
        }),
      ]
    case 'list':
      return block.items.map(
        (item, i) =>
          new Paragraph({
            ...(i === 0 ? opening(lead) : {}),
            numbering: { reference: BULLETS, level: 0 },
            children: lines(item),
          }),
      )
    case 'fields':
      // Two tables with nothing between them are one table to Word, so a table just above, or a page
      // break, is kept apart by an empty paragraph.
      return [
        ...(lead.newPage || lead.afterTable
          ? [new Paragraph({ pageBreakBefore: lead.newPage, spacing: { after: 0 }, children: [] })]
          : []),
        fieldsTable(block.rows),
      ]
    case 'table':
      return [
        // The caption is a paragraph kept with the table, as Word's own "Insert Caption" places it.
        new Paragraph({ ...opening(lead), keepNext: true, children: lines(block.caption, { bold: true }) }),
        dataTable(block.header, block.rows),
      ]
    case 'image':
      return image(block, lead, photo)
    case 'signature':
      return signature(block, lead)
  }
}

/** A run for each line of the text, with a line break (not a new paragraph) between them. */
function lines(text: Text, run: { bold?: boolean; color?: string } = {}): TextRun[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => new TextRun({ ...run, text: line, break: i > 0 ? 1 : undefined }))
}

const thin = (color = RULE) => ({ style: BorderStyle.SINGLE, size: 4, color })
const none = { style: BorderStyle.NONE, size: 0, color: 'auto' }
const cellMargins = { top: 80, bottom: 80, left: 115, right: 115 }

// A cell's spacing and its text's size and weight come from its table and the TableText and
// TableLabel styles, not from each cell or run: a long plan has a thousand cells, and docx's time
// grows with every element it writes.
function cell(text: Text, width: number, options: { bold?: boolean; fill?: string } = {}): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    shading: options.fill ? { type: ShadingType.CLEAR, fill: options.fill, color: 'auto' } : undefined,
    children: [new Paragraph({ style: options.bold ? TABLE_LABEL : TABLE_TEXT, children: lines(text) })],
  })
}

/** Questions and answers as Word shows a summary: the question in bold on the left, rules between rows. */
function fieldsTable(rows: { label: Text; value: Text }[]): Table {
  const labelWidth = Math.round(TEXT_WIDTH * 0.35)
  const valueWidth = TEXT_WIDTH - labelWidth
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    margins: cellMargins,
    columnWidths: [labelWidth, valueWidth],
    borders: {
      top: thin(),
      bottom: thin(),
      insideHorizontal: thin(),
      left: none,
      right: none,
      insideVertical: none,
    },
    rows: rows.map(
      (row) =>
        // A long answer may run onto the next page (Word's default: no cantSplit written).
        new TableRow({
          children: [cell(row.label, labelWidth, { bold: true }), cell(row.value, valueWidth)],
        }),
    ),
  })
}

/** A table whose header row repeats at the top of each page it runs onto. */
function dataTable(header: Text[], rows: Text[][]): Table {
  const widths = columnWidths([header, ...rows])
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    margins: cellMargins,
    columnWidths: widths,
    borders: {
      top: thin(),
      bottom: thin(),
      left: thin(),
      right: thin(),
      insideHorizontal: thin(),
      insideVertical: thin(),
    },
    rows: [
      new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: header.map((text, i) => cell(text, widths[i] ?? 0, { bold: true, fill: HEADER_FILL })),
      }),
      ...rows.map(
        (row) =>
          new TableRow({ cantSplit: true, children: row.map((text, i) => cell(text, widths[i] ?? 0)) }),
      ),
    ],
  })
}

// Roughly the width of a character of 11 pt Arial, in twips, and a cell's two side margins.
const CHARACTER = 130
const CELL_SIDES = cellMargins.left + cellMargins.right

/**
 * Each column gets room for its longest word first, so that "Telephone" is not split, as far as one
 * and a half equal shares allow (a long e-mail address may break); then the rest of the width goes
 * to the columns by how much more their longest lines would like. The widths are estimates: Word
 * wraps whatever does not fit.
 */
function columnWidths(rows: Text[][]): number[] {
  const columns = rows[0]?.length ?? 0
  const longest = (i: number, separator: RegExp) =>
    Math.max(1, ...rows.flatMap((row) => (row[i] ?? '').split(separator).map((part) => part.length)))
  const share = (TEXT_WIDTH / columns) * 1.5
  const needs = Array.from({ length: columns }, (_, i) => {
    const least = Math.min(share, longest(i, /\s+/) * CHARACTER + CELL_SIDES)
    return { least, more: Math.max(0, longest(i, /\n/) * CHARACTER + CELL_SIDES - least) }
  })
  const least = needs.reduce((sum, need) => sum + need.least, 0)
  const more = needs.reduce((sum, need) => sum + need.more, 0)
  // When even the words do not fit, every column gives up the same part of its room.
  const shrink = Math.min(1, TEXT_WIDTH / least)
  const spare = TEXT_WIDTH - least * shrink
  const widths = needs.map((need) =>
    Math.floor(need.least * shrink + (more > 0 ? (spare * need.more) / more : spare / columns)),
  )
  // Rounded down, with what is left over given to the last column so that they add up exactly.
  const left = TEXT_WIDTH - widths.reduce((sum, width) => sum + width, 0)
  return widths.map((width, i) => (i === columns - 1 ? width + left : width))
}

function image(block: Extract<Block, { kind: 'image' }>, lead: Lead, number: number): FileChild[] {
  const scale = Math.min(1, PHOTO_MAX / Math.max(block.width, block.height))
  return [
    new Paragraph({
      ...opening(lead, { after: 80 }),
      keepNext: true,
      children: [
        new ImageRun({
          type: block.mediaType === 'image/png' ? 'png' : 'jpg',
          data: block.bytes,
          transformation: {
            width: Math.round(block.width * scale),
            height: Math.round(block.height * scale),
          },
          altText: { id: String(number), name: `Photo ${number}`, title: block.alt, description: block.alt },
        }),
      ],
    }),
    new Paragraph({ children: lines(block.caption, { color: HINT }) }),
  ]
}

/** Each line's label, then an empty paragraph ruled underneath to write on. */
function signature(block: Extract<Block, { kind: 'signature' }>, lead: Lead): FileChild[] {
  return [
    new Paragraph({ ...opening(lead, { after: 360 }), keepNext: true, children: lines(block.intro) }),
    ...block.lines.flatMap((label, i) => [
      new Paragraph({
        keepNext: true,
        spacing: { before: 360, after: 0 },
        children: lines(label, { bold: true }),
      }),
      new Paragraph({
        keepNext: i < block.lines.length - 1,
        spacing: { before: 480, after: 0 },
        border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: TEXT, space: 1 } },
        children: [],
      }),
    ]),
  ]
}

function pageHeader(model: DocumentModel): Header {
  return new Header({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ text: model.marking, bold: true })],
      }),
    ],
  })
}

/** The furniture on the left and "Page N of M" on the right, then the marking, centred. */
function pageFooter(model: DocumentModel): Footer {
  return new Footer({
    children: [
      new Paragraph({
        tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
        spacing: { after: 80 },
        children: [
          new TextRun({ text: model.furniture, size: 20, color: HINT }),
          new TextRun({
            children: [new Tab(), 'Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES],
            size: 20,
            color: HINT,
          }),
        ],
      }),
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { after: 0 },
        children: [new TextRun({ text: model.marking, bold: true })],
      }),
    ],
  })
}

/** Text for XML: markup characters escaped, and control characters XML cannot hold left out (as docx does). */
function xml(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to remove
  return text.replace(/[<>&"]|[\x00-\x08\x0B\x0C\x0E-\x1F]/g, (c) => (c < ' ' ? '' : `&#${c.charCodeAt(0)};`))
}

/**
 * The package's core properties, written here rather than by docx, which stamps them with the time
 * of packing: a version's document carries the time the version was taken, so it is the same file
 * however often it is made.
 */
function coreProperties(model: DocumentModel): string {
  const when = model.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z')
  return [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"',
    ' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    `<dc:title>${xml(model.title)}</dc:title>`,
    '<dc:creator>Adoption Support</dc:creator>',
    `<cp:keywords>${xml(`sha256:${model.contentHash}`)}</cp:keywords>`,
    `<dc:description>${xml(`${model.furniture}. Content hash (SHA-256): ${model.contentHash}`)}</dc:description>`,
    '<cp:lastModifiedBy>Adoption Support</cp:lastModifiedBy>',
    `<dc:language>${xml(model.language)}</dc:language>`,
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>`,
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>`,
    '</cp:coreProperties>',
  ].join('')
}
