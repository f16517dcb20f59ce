import {
  AlignmentType,
  Document,
  Footer,
  Header,
  LevelFormat,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Tab,
  TabStopType,
  TextRun,
} from 'docx'
import type { Block, DocumentModel, Text } from './model.ts'
import { type ZipEntry, zipFile } from './zip.ts'

// The Word file of a document (issue 6, ADRs 0019 and 0023): the model drawn as an editable .docx
// with real headings (Word's navigation pane and screen readers see them), real tables with
// repeating header rows, bulleted lists, photos with alt text, and the marking, the furniture and
// "Page N of M" on every page. The docx package writes the package around the body (styles,
// numbering, page header and footer, settings); the body, a large plan's twenty thousand elements,
// is written here as the same XML docx wrote for it, at a tenth of the time. The same model gives
// the same bytes: see `coreProperties` below, and `zip.ts`, which dates every part with the
// version's date.

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
const BULLETS = 'bullets'
const TABLE_TEXT = 'TableText'
const TABLE_LABEL = 'TableLabel'

export async function renderDocx(model: DocumentModel): Promise<Buffer> {
  const lists = model.blocks.some((block) => block.kind === 'list' && block.items.length > 0)
  const parts = packageParts(wordPackage(model, lists), [
    { path: 'docProps/core.xml', data: coreProperties(model) },
  ])
  const photos = photoParts(model.blocks)
  return zipFile(
    [
      ...parts.map((part) => {
        switch (part.path) {
          case 'word/document.xml':
            return { ...part, data: withBody(textOf(part), model.blocks, lists, photos) }
          case 'word/_rels/document.xml.rels': {
            const relationships = photos.map((photo) => photo.relationship).join('')
            return { ...part, data: insertBefore(textOf(part), '</Relationships>', relationships) }
          }
          default:
            return part
        }
      }),
      ...photos.map((photo) => photo.part),
    ],
    model.createdAt,
  )
}

/** Everything but the body, by docx: its styles, numbering, page header and footer, settings. */
function wordPackage(model: DocumentModel, lists: boolean): Document {
  // No title or creator here: the core properties are written whole by `coreProperties`.
  return new Document({
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
        // docx writes the bullets' numbering only if a paragraph uses it: this one, which withBody
        // reads the number from and then replaces with the model's blocks.
        children: lists ? [new Paragraph({ numbering: { reference: BULLETS, level: 0 } })] : [],
      },
    ],
  })
}

type PhotoPart = { id: string; part: ZipEntry; relationship: string }

/** Each photo's part in the package (as docx named them) and the document's relationship to it. */
function photoParts(blocks: Block[]): PhotoPart[] {
  return blocks
    .filter((block) => block.kind === 'image')
    .map((photo, i) => {
      const name = `image${i + 1}.${photo.mediaType === 'image/png' ? 'png' : 'jpg'}`
      const id = `rIdPhoto${i + 1}`
      return {
        id,
        part: { path: `word/media/${name}`, data: photo.bytes },
        relationship: `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/${name}"/>`,
      }
    })
}

/** docx's document.xml with the model's blocks for its body, before its section's properties. */
function withBody(documentXml: string, blocks: Block[], lists: boolean, photos: PhotoPart[]): string {
  const open = documentXml.indexOf('<w:body>')
  const section = documentXml.indexOf('<w:sectPr', open)
  const bulletsNumId = lists ? /<w:numId w:val="(\d+)"\/>/.exec(documentXml)?.[1] : ''
  if (open < 0 || section < 0 || bulletsNumId === undefined) throw unexpected('word/document.xml')
  const body = bodyXml(blocks, { bulletsNumId, photoIds: photos.map((photo) => photo.id) })
  return documentXml.slice(0, open + '<w:body>'.length) + body + documentXml.slice(section)
}

const unexpected = (path: string) =>
  new Error(`Unexpected ${path} from docx: see renderDocx in src/documents/docx.ts`)

function textOf(part: ZipEntry): string {
  if (typeof part.data !== 'string') throw unexpected(part.path)
  return part.data
}

function insertBefore(text: string, marker: string, inserted: string): string {
  const at = text.lastIndexOf(marker)
  if (at < 0) throw unexpected(marker)
  return text.slice(0, at) + inserted + text.slice(at)
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

// The body, as WordprocessingML: the XML docx wrote for these paragraphs and tables, element for
// element and in the schema's order (docx built an object for each element, then an object tree of
// each, then the text: nine tenths of a large plan's time).

// Level 1 is the title but is written as Heading 1, not Word's Title style: Title is not a heading
// to Word's navigation pane or to screen readers, and Heading 1 to 3 match the print page's h1 to h3
// and the PDF's H1 to H3 tags.
const HEADING_STYLES = { 1: 'Heading1', 2: 'Heading2', 3: 'Heading3' }

/**
 * What the block before asks of the next block's first paragraph: to start a new page (a page break
 * carried as Word's "page break before", so the new page does not open with an empty line), or to
 * keep some space from a table that ends just above it (a paragraph after a table has none).
 */
type Lead = { newPage: boolean; afterTable: boolean }

/** What the body refers to elsewhere in the package: the bullets' numbering and each photo's part. */
type References = { bulletsNumId: string; photoIds: string[] }

function bodyXml(blocks: Block[], references: References): string {
  const out: string[] = []
  let lead: Lead = { newPage: false, afterTable: false }
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
    const elements = blockXml(block, lead, photos, references)
    out.push(...elements)
    lead = { newPage: false, afterTable: elements.at(-1)?.startsWith('<w:tbl>') ?? false }
  })
  // A break at the very end has no block to carry it.
  if (lead.newPage) out.push('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
  return out.join('')
}

type Spacing = { before?: number; after?: number }
type ParagraphOptions = {
  style?: string
  keepNext?: boolean
  pageBreakBefore?: boolean
  bullet?: string
  ruled?: boolean
  spacing?: Spacing
}

/** The first paragraph's options that carry the lead, merged with the paragraph's own spacing. */
function opening(lead: Lead, spacing: Spacing = {}): ParagraphOptions {
  return {
    pageBreakBefore: lead.newPage,
    spacing: lead.afterTable ? { ...spacing, before: Math.max(spacing.before ?? 0, 240) } : spacing,
  }
}

// In the order WordprocessingML requires them.
function paragraph(options: ParagraphOptions, runs: string): string {
  let properties = ''
  // Word's own style for a paragraph of a list, as docx gives one.
  const style = options.style ?? (options.bullet ? 'ListParagraph' : undefined)
  if (style) properties += `<w:pStyle w:val="${style}"/>`
  if (options.keepNext !== undefined)
    properties += options.keepNext ? '<w:keepNext/>' : '<w:keepNext w:val="false"/>'
  if (options.pageBreakBefore) properties += '<w:pageBreakBefore/>'
  if (options.bullet)
    properties += `<w:numPr><w:ilvl w:val="0"/><w:numId w:val="${options.bullet}"/></w:numPr>`
  if (options.ruled)
    properties += `<w:pBdr><w:bottom w:val="single" w:color="${TEXT}" w:sz="6" w:space="1"/></w:pBdr>`
  if (options.spacing) {
    const { after, before } = options.spacing
    properties += `<w:spacing${after === undefined ? '' : ` w:after="${after}"`}${before === undefined ? '' : ` w:before="${before}"`}/>`
  }
  return `<w:p>${properties ? `<w:pPr>${properties}</w:pPr>` : ''}${runs}</w:p>`
}

function blockXml(
  block: Exclude<Block, { kind: 'pageBreak' }>,
  lead: Lead,
  photo: number,
  references: References,
): string[] {
  switch (block.kind) {
    case 'heading':
      // The heading styles have space above them already.
      return [
        paragraph({ style: HEADING_STYLES[block.level], pageBreakBefore: lead.newPage }, lines(block.text)),
      ]
    case 'paragraph':
      return [paragraph(opening(lead), lines(block.text, block.tone === 'hint' ? { color: HINT } : {}))]
    case 'list':
      return block.items.map((item, i) =>
        paragraph({ ...(i === 0 ? opening(lead) : {}), bullet: references.bulletsNumId }, lines(item)),
      )
    case 'fields':
      // Two tables with nothing between them are one table to Word, so a table just above, or a page
      // break, is kept apart by an empty paragraph.
      return [
        ...(lead.newPage || lead.afterTable
          ? [paragraph({ pageBreakBefore: lead.newPage, spacing: { after: 0 } }, '')]
          : []),
        fieldsTable(block.rows),
      ]
    case 'table':
      return [
        // The caption is a paragraph kept with the table, as Word's own "Insert Caption" places it.
        paragraph({ ...opening(lead), keepNext: true }, lines(block.caption, { bold: true })),
        dataTable(block.header, block.rows),
      ]
    case 'image':
      return image(block, lead, photo, references.photoIds[photo - 1] ?? '')
    case 'signature':
      return signature(block, lead)
  }
}

/** A run for each line of the text, with a line break (not a new paragraph) between them. */
function lines(text: Text, run: { bold?: boolean; color?: string } = {}): string {
  const properties = `${run.bold ? '<w:b/><w:bCs/>' : ''}${run.color ? `<w:color w:val="${run.color}"/>` : ''}`
  const start = `<w:r>${properties ? `<w:rPr>${properties}</w:rPr>` : ''}`
  return text
    .split(/\r?\n/)
    .map(
      (line, i) => `${start}${i > 0 ? '<w:br/>' : ''}<w:t xml:space="preserve">${escaped(line)}</w:t></w:r>`,
    )
    .join('')
}

const thin = (color = RULE) => `w:val="single" w:color="${color}" w:sz="4"`
const none = 'w:val="none" w:color="auto" w:sz="0"'
const cellMargins = { top: 80, bottom: 80, left: 115, right: 115 }
const CELL_MARGINS =
  `<w:tblCellMar><w:top w:type="dxa" w:w="${cellMargins.top}"/><w:left w:type="dxa" w:w="${cellMargins.left}"/>` +
  `<w:bottom w:type="dxa" w:w="${cellMargins.bottom}"/><w:right w:type="dxa" w:w="${cellMargins.right}"/></w:tblCellMar>`

function table(
  borders: { top: string; left: string; bottom: string; right: string; insideH: string; insideV: string },
  widths: number[],
  rows: string[],
): string {
  const edges = (['top', 'left', 'bottom', 'right', 'insideH', 'insideV'] as const)
    .map((edge) => `<w:${edge} ${borders[edge]}/>`)
    .join('')
  return (
    `<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="${TEXT_WIDTH}"/><w:tblBorders>${edges}</w:tblBorders>${CELL_MARGINS}</w:tblPr>` +
    `<w:tblGrid>${widths.map((width) => `<w:gridCol w:w="${width}"/>`).join('')}</w:tblGrid>${rows.join('')}</w:tbl>`
  )
}

// A cell's spacing and its text's size and weight come from its table and the TableText and
// TableLabel styles, not from each cell or run.
function cell(text: Text, width: number, options: { bold?: boolean; fill?: string } = {}): string {
  const fill = options.fill ? `<w:shd w:fill="${options.fill}" w:color="auto" w:val="clear"/>` : ''
  return (
    `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${width}"/>${fill}</w:tcPr>` +
    `${paragraph({ style: options.bold ? TABLE_LABEL : TABLE_TEXT }, lines(text))}</w:tc>`
  )
}

/** Questions and answers as Word shows a summary: the question in bold on the left, rules between rows. */
function fieldsTable(rows: { label: Text; value: Text }[]): string {
  const labelWidth = Math.round(TEXT_WIDTH * 0.35)
  const valueWidth = TEXT_WIDTH - labelWidth
  return table(
    { top: thin(), left: none, bottom: thin(), right: none, insideH: thin(), insideV: none },
    [labelWidth, valueWidth],
    // A long answer may run onto the next page (Word's default: no cantSplit written).
    rows.map(
      (row) => `<w:tr>${cell(row.label, labelWidth, { bold: true })}${cell(row.value, valueWidth)}</w:tr>`,
    ),
  )
}

/** A table whose header row repeats at the top of each page it runs onto. */
function dataTable(header: Text[], rows: Text[][]): string {
  const widths = columnWidths([header, ...rows])
  return table(
    { top: thin(), left: thin(), bottom: thin(), right: thin(), insideH: thin(), insideV: thin() },
    widths,
    [
      `<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>${header
        .map((text, i) => cell(text, widths[i] ?? 0, { bold: true, fill: HEADER_FILL }))
        .join('')}</w:tr>`,
      ...rows.map(
        (row) =>
          `<w:tr><w:trPr><w:cantSplit/></w:trPr>${row.map((text, i) => cell(text, widths[i] ?? 0)).join('')}</w:tr>`,
      ),
    ],
  )
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

// English Metric Units: 914,400 to the inch, so 9,525 to a pixel at 96 to the inch.
const EMU_PER_PIXEL = 9525

function image(block: Extract<Block, { kind: 'image' }>, lead: Lead, number: number, id: string): string[] {
  const scale = Math.min(1, PHOTO_MAX / Math.max(block.width, block.height))
  const cx = Math.round(Math.round(block.width * scale) * EMU_PER_PIXEL)
  const cy = Math.round(Math.round(block.height * scale) * EMU_PER_PIXEL)
  const alt = escaped(block.alt)
  const a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
  const drawing =
    `<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="${cx}" cy="${cy}"/>` +
    '<wp:effectExtent t="0" r="0" b="0" l="0"/>' +
    `<wp:docPr id="${number}" name="Photo ${number}" descr="${alt}" title="${alt}"/>` +
    `<wp:cNvGraphicFramePr><a:graphicFrameLocks ${a} noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
    `<a:graphic ${a}><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">' +
    '<pic:nvPicPr><pic:cNvPr id="0" name="" descr=""/><pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr></pic:nvPicPr>' +
    `<pic:blipFill><a:blip r:embed="${id}" cstate="none"/><a:srcRect/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
    `<pic:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm>` +
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>' +
    '</wp:inline></w:drawing></w:r>'
  return [
    paragraph({ ...opening(lead, { after: 80 }), keepNext: true }, drawing),
    paragraph({}, lines(block.caption, { color: HINT })),
  ]
}

/** Each line's label, then an empty paragraph ruled underneath to write on. */
function signature(block: Extract<Block, { kind: 'signature' }>, lead: Lead): string[] {
  return [
    paragraph({ ...opening(lead, { after: 360 }), keepNext: true }, lines(block.intro)),
    ...block.lines.flatMap((label, i) => [
      paragraph({ keepNext: true, spacing: { before: 360, after: 0 } }, lines(label, { bold: true })),
      paragraph(
        { keepNext: i < block.lines.length - 1, ruled: true, spacing: { before: 480, after: 0 } },
        '',
      ),
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

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
  '<': '&lt;',
  '>': '&gt;',
}
/** Text for the body's XML, escaped as docx escaped it; control characters XML cannot hold left out. */
function escaped(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to remove
  return text.replace(/[&"'<>]|[\x00-\x08\x0B\x0C\x0E-\x1F]/g, (c) => ENTITIES[c] ?? '')
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
