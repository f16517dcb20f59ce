// The PDF drawing of a document model (issue 6, ADR 0019): an A4, tagged PDF that a screen reader can
// follow (headings, paragraphs, lists, real tables, photos with their alt text, in reading order) and
// that prints cleanly, with the protective marking at the top and bottom of every page.
//
// Layout is done here rather than by pdfkit's own text flow and tables: every line is wrapped and
// placed by this file, so that a page break never falls inside a marked-content sequence unseen, a
// table's header row is drawn again on each page it runs onto, and a question and its answer stay
// side by side when a long answer runs over a page. Page furniture (marking, footer, page numbers,
// the content hash) is marked as an artifact, which screen readers skip.
//
// The same model always gives the same bytes: the dates are the version's, pdfkit's file /ID is a
// hash of the document info (so of the title, hash and dates), and font subset tags come from the
// order fonts are first used, which is fixed here.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { deflateSync } from 'node:zlib'
import PDFDocument from 'pdfkit'
import sharp from 'sharp'
import type { Block, DocumentModel } from './model.ts'

type Doc = PDFKit.PDFDocument
type ImageBlock = Extract<Block, { kind: 'image' }>
type Struct = PDFKit.PDFStructureElement
// pdfkit takes these options on a structure element; its type declarations lag behind.
type StructOptions = PDFKit.Mixins.StructureElementOptions & {
  scope?: 'Row' | 'Column' | 'Both'
  bbox?: [number, number, number, number]
}

const require = createRequire(import.meta.url)
export const FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
}
// Read once per process. pdfkit parses a font file for each document and fontkit then decodes its
// layout tables again, which was most of a document's drawing time; so the parsed fonts are kept from
// the first document and handed to the next (pdfkit takes a parsed fontkit font in place of bytes).
// Sharing is safe: each document makes its own subset, and a render never waits between its steps.
type FontSource = Buffer | object
let fonts: Promise<{ regular: FontSource; bold: FontSource }> | undefined
let parsedFonts: { regular: object; bold: object } | undefined
function loadFonts() {
  fonts ??= Promise.all([readFile(FONT_FILES.regular), readFile(FONT_FILES.bold)]).then(
    ([regular, bold]) => ({ regular, bold }),
  )
  return parsedFonts ?? fonts
}
function keepParsedFonts(doc: Doc): void {
  if (parsedFonts) return
  const parsed = (name: string) =>
    (doc.font(name) as Doc & { _font?: { font?: { layout?: unknown } } })._font?.font
  const regular = parsed('regular')
  const bold = parsed('bold')
  // Only if pdfkit still keeps them where it did; otherwise each document parses its own, more slowly.
  if (typeof regular?.layout === 'function' && typeof bold?.layout === 'function')
    parsedFonts = { regular, bold }
}

// Each word's shaped glyphs, kept across documents for each font. pdfkit shapes every word it measures
// or draws with fontkit's OpenType lookups, and keeps the result for one document only; for a large
// plan that shaping was most of the time. A shaped word depends on the word and the font alone (the
// parsed fonts are shared, above), and pdfkit never changes a run it has shaped. Bounded: emptied when
// full, as the words of many plans come and go.
const SHAPED_WORDS_KEPT = 20_000
type ShapingFont = { layoutRun?: (text: string) => unknown; layoutCached?: (text: string) => unknown }
const shapedWords = { regular: new Map<string, unknown>(), bold: new Map<string, unknown>() }
function shareShapedWords(doc: Doc): void {
  if (!parsedFonts) return
  for (const name of ['regular', 'bold'] as const) {
    const font = (doc.font(name) as Doc & { _font?: ShapingFont })._font
    const layoutRun = font?.layoutRun
    if (!font || typeof layoutRun !== 'function' || typeof font.layoutCached !== 'function') continue
    const kept = shapedWords[name]
    font.layoutCached = (text: string) => {
      let run = kept.get(text)
      if (run === undefined) {
        const shaped = layoutRun.call(font, text) as { advanceWidth: number }
        // fontkit adds up a run's width each time it is asked, and it is asked for every word of
        // every line drawn or measured; the run never changes, so neither does its width.
        Object.defineProperty(shaped, 'advanceWidth', { value: shaped.advanceWidth })
        run = shaped
        if (kept.size >= SHAPED_WORDS_KEPT) kept.clear()
        kept.set(text, run)
      }
      return run
    }
  }
}

// pdfkit's own way from a line of text to the bytes that draw it, made quicker without changing a
// byte of what it writes (ADR 0023; each replacement does what the method it replaces does, more
// directly):
//   - `layout` joins a line's shaped words: pdfkit tests each character against a new array and
//     copies the glyphs so far at every word; this looks for spaces and appends;
//     and since pdfkit lays out each line it draws three times over (to measure it twice and to
//     encode it), the last line laid out is kept;
//   - `encode` numbers each glyph in the font subset and writes it as hex: pdfkit does so for every
//     glyph of every line; this does it once for each glyph of the document.
// Only if the font still has the methods and fields they stand in for.
type Glyph = { id: number; advanceWidth: number; codePoints: number[] }
type Run = { glyphs: Glyph[]; positions: object[]; advanceWidth: number }
type TextFont = {
  layout?: (text: string, features?: unknown, onlyWidth?: boolean) => unknown
  layoutRun?: (text: string, features?: unknown) => Run
  layoutCached?: (text: string) => Run
  encode?: (text: string, features?: unknown) => unknown
  subset?: { includeGlyph?: (glyph: number) => number }
  widths?: number[]
  unicode?: number[][]
  scale?: number
}
/** Exported for its test, which compares what it draws with what pdfkit draws without it. */
export function quickerText(doc: Doc): void {
  for (const name of ['regular', 'bold'] as const) {
    const font = (doc.font(name) as Doc & { _font?: TextFont })._font
    if (!font || typeof font.layout !== 'function' || typeof font.encode !== 'function') continue
    const { layoutRun, layoutCached, subset, widths, unicode, scale } = font
    if (typeof layoutRun !== 'function' || typeof layoutCached !== 'function') continue
    if (typeof subset?.includeGlyph !== 'function' || !widths || !unicode || typeof scale !== 'number')
      continue
    const includeGlyph = subset.includeGlyph.bind(subset)
    // Each word with the space or tab after it, as pdfkit cuts them (and keeps them shaped).
    let last: { text: string; run: Run } | undefined
    const layout = (text: string, features?: unknown, onlyWidth?: boolean) => {
      if (features) return layoutRun.call(font, text, features)
      if (last?.text === text)
        return onlyWidth ? { glyphs: null, positions: null, advanceWidth: last.run.advanceWidth } : last.run
      const run = layoutWords(text)
      last = { text, run }
      return onlyWidth ? { glyphs: null, positions: null, advanceWidth: run.advanceWidth } : run
    }
    const layoutWords = (text: string): Run => {
      const glyphs: Glyph[] = []
      const positions: object[] = []
      let advanceWidth = 0
      const add = (end: number) => {
        const run = layoutCached.call(font, text.slice(start, end))
        for (const glyph of run.glyphs) glyphs.push(glyph)
        for (const position of run.positions) positions.push(position)
        advanceWidth += run.advanceWidth
        start = end
      }
      let start = 0
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i)
        if (code === 32 || code === 9) add(i + 1)
      }
      if (start < text.length) add(text.length)
      return { glyphs, positions, advanceWidth }
    }
    const hexes = new Map<number, string>()
    font.layout = layout
    font.encode = (text: string, features?: unknown) => {
      const { glyphs, positions } = layout(text, features) as Run
      const encoded: string[] = []
      for (const glyph of glyphs) {
        let hex = hexes.get(glyph.id)
        if (hex === undefined) {
          const gid = includeGlyph(glyph.id)
          hex = `0000${gid.toString(16)}`.slice(-4)
          if (widths[gid] == null) widths[gid] = glyph.advanceWidth * scale
          if (unicode[gid] == null) unicode[gid] = glyph.codePoints
          hexes.set(glyph.id, hex)
        }
        encoded.push(hex)
      }
      return [encoded, positions]
    }
  }
}

// And from drawing operators to the file's bytes. pdfkit turns every operator it writes into bytes,
// a character at a time, and passes each piece on through a stream: several thousand pieces for a
// large plan. Here a page's operators are kept as text until the page is written, then converted
// at once and compressed at zlib's fastest level (a page's operators are short and repetitive:
// that level takes under half the time of pdfkit's default, for a fifth more bytes in the page
// streams and about 5 % more file); and the file's own pieces (objects, the cross-reference table)
// are gathered in order, then joined once. The bytes are what pdfkit would write, but for the
// pages' compression.
const PAGE_DEFLATE_LEVEL = 1
type ContentStream = {
  write?: (chunk: unknown) => unknown
  end?: (chunk?: unknown) => unknown
  compress?: boolean
  data?: { Filter?: string }
  buffer?: Uint8Array[]
}
function quickerPages(doc: Doc): void {
  const keepAsText = () => {
    const content = (doc as Doc & { page?: { content?: ContentStream } }).page?.content
    const { write, end } = content ?? {}
    if (
      !content?.data ||
      !Array.isArray(content.buffer) ||
      typeof write !== 'function' ||
      typeof end !== 'function'
    )
      return
    const data = content.data
    // pdfkit has written the page's first operator (turning its coordinates upside down) already.
    let lines: string[] = content.buffer.map((bytes) =>
      Buffer.from(bytes).toString('latin1').replace(/\n$/, ''),
    )
    content.buffer = []
    content.write = (chunk: unknown) => {
      if (typeof chunk === 'string') lines.push(chunk)
      else {
        // Not expected on a page: written as pdfkit would, after the text before it.
        flush(false)
        content.write = write
        write.call(content, chunk)
      }
    }
    const flush = (compress: boolean) => {
      if (lines.length === 0) return
      const bytes = Buffer.from(`${lines.join('\n')}\n`, 'latin1')
      lines = []
      if (compress && content.compress) {
        content.compress = false
        data.Filter = 'FlateDecode'
        write.call(content, deflateSync(bytes, { level: PAGE_DEFLATE_LEVEL }))
      } else write.call(content, bytes)
    }
    content.end = (chunk?: unknown) => {
      if (chunk !== undefined) content.write?.(chunk)
      flush(true)
      return end.call(content)
    }
  }
  keepAsText()
  doc.on('pageAdded', keepAsText)
}

// One line of text, left-aligned at (x, y) in the current font, size and colour: what pdfkit's
// `doc.text(line, x, y, { lineBreak: false })` writes, operator for operator, without the option
// handling, measuring and line-wrapping machinery it goes through first for each line (a third of
// a large plan's time). Falls back on doc.text if pdfkit no longer has what it needs.
type Position = { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number; advanceWidth: number }
type DrawingDoc = {
  _font?: {
    id?: string
    ascender?: number
    ref?: () => unknown
    encode?: (text: string) => [string[], Position[]]
  }
  _fontSize?: number
  page?: { height: number; fonts?: Record<string, unknown> }
  addContent?: (data: string) => unknown
}
const pdfNumber = (n: number) => {
  if (!(n > -1e21 && n < 1e21)) throw new Error(`unsupported number: ${n}`)
  return Math.round(n * 1e6) / 1e6
}
/** Exported for its test, which compares what it draws with what pdfkit's doc.text draws. */
export function drawText(doc: Doc, text: string, x: number, y: number): void {
  const { _font: font, _fontSize: size, page } = doc as Doc & DrawingDoc
  const write = (doc as Doc & DrawingDoc).addContent
  if (
    !font?.id ||
    typeof font.ascender !== 'number' ||
    typeof font.ref !== 'function' ||
    typeof font.encode !== 'function' ||
    typeof size !== 'number' ||
    !page?.fonts ||
    typeof write !== 'function'
  ) {
    doc.text(text, x, y, { lineBreak: false })
    return
  }
  const add = (data: string) => write.call(doc, data)
  // pdfkit puts the top of the ascender at y, in coordinates turned upside down for the text.
  const baseline = page.height - y - (font.ascender / 1000) * size
  page.fonts[font.id] ??= font.ref()
  add('q')
  add(`1 0 0 -1 0 ${pdfNumber(page.height)} cm`)
  add('BT')
  add(`1 0 0 1 ${pdfNumber(x)} ${pdfNumber(baseline)} Tm`)
  add(`/${font.id} ${pdfNumber(size)} Tf`)
  const [encoded, positions] = font.encode(text)
  const scale = size / 1000
  // Runs of glyphs, each followed by its kerning; a glyph moved off its place is set on its own.
  const commands: string[] = []
  let last = 0
  let moved = false
  let at = x
  const segment = (end: number) => {
    if (last < end) {
      const position = positions[end - 1] as Position
      commands.push(
        `<${encoded.slice(last, end).join('')}> ${pdfNumber(-(position.xAdvance - position.advanceWidth))}`,
      )
    }
    last = end
  }
  const flush = (end: number) => {
    segment(end)
    if (commands.length > 0) {
      add(`[${commands.join(' ')}] TJ`)
      commands.length = 0
    }
  }
  let i = 0
  for (; i < positions.length; i++) {
    const position = positions[i] as Position
    if (position.xOffset || position.yOffset) {
      flush(i)
      add(
        `1 0 0 1 ${pdfNumber(at + position.xOffset * scale)} ${pdfNumber(baseline + position.yOffset * scale)} Tm`,
      )
      flush(i + 1)
      moved = true
    } else {
      if (moved) {
        add(`1 0 0 1 ${pdfNumber(at)} ${pdfNumber(baseline)} Tm`)
        moved = false
      }
      if (position.xAdvance - position.advanceWidth !== 0) segment(i + 1)
    }
    at += position.xAdvance * scale
  }
  flush(i)
  add('ET')
  add('Q')
}

/** The file's pieces from here on, in order, for `Buffer.concat` once pdfkit has ended. */
function gatherOutput(doc: Doc): () => Uint8Array[] {
  const target = doc as Doc & { _write?: (data: unknown) => void; _offset?: number }
  if (typeof target._write !== 'function' || typeof target._offset !== 'number') return () => []
  const parts: Uint8Array[] = []
  let text: string[] = []
  const flush = () => {
    if (text.length === 0) return
    parts.push(Buffer.from(text.join(''), 'latin1'))
    text = []
  }
  // As pdfkit's own: bytes as they are, anything else as text and a line break, one byte a character.
  target._write = (data: unknown) => {
    const bytes = data instanceof Uint8Array ? data : undefined
    const line = bytes ? '' : `${data}\n`
    if (bytes) {
      flush()
      parts.push(bytes)
    } else text.push(line)
    target._offset = (target._offset as number) + (bytes ? bytes.length : line.length)
  }
  return () => {
    flush()
    return parts
  }
}

const MM = 72 / 25.4
const PAGE = { width: 595.28, height: 841.89 }
const MARGIN = { left: 20 * MM, right: 20 * MM, top: 24 * MM, bottom: 26 * MM }
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right
const CONTENT_BOTTOM = PAGE.height - MARGIN.bottom

// GOV.UK's text, secondary text and border colours.
const BLACK = '#0b0c0c'
const GREY = '#505a5f'
const RULE = '#b1b4b6'

type Style = { font: 'regular' | 'bold'; size: number; leading: number; color: string }
const BODY: Style = { font: 'regular', size: 10.5, leading: 15, color: BLACK }
const HINT: Style = { ...BODY, color: GREY }
const LABEL: Style = { ...BODY, font: 'bold' }
const CELL: Style = { font: 'regular', size: 9, leading: 12.5, color: BLACK }
const HEADER_CELL: Style = { ...CELL, font: 'bold' }
const CAPTION: Style = { font: 'bold', size: 11.5, leading: 16, color: BLACK }
const CONTINUED: Style = { font: 'regular', size: 9, leading: 13, color: GREY }
const CONTINUED_LABEL: Style = { ...LABEL, color: GREY }
const PHOTO_CAPTION: Style = { font: 'regular', size: 9.5, leading: 13, color: GREY }
const HEADINGS: Record<1 | 2 | 3, Style & { before: number; after: number }> = {
  1: { font: 'bold', size: 20, leading: 25, color: BLACK, before: 0, after: 10 },
  2: { font: 'bold', size: 15, leading: 20, color: BLACK, before: 18, after: 8 },
  3: { font: 'bold', size: 12, leading: 16, color: BLACK, before: 12, after: 4 },
}
const FURNITURE = { font: 'regular', size: 8, color: GREY } as const
const MARKING = { font: 'bold', size: 9, color: BLACK } as const

const BLOCK_GAP = 10
const FIELD_LABEL_WIDTH = CONTENT_WIDTH * 0.34
const FIELD_GAP = 14
const ROW_PADDING = 5
const CELL_PADDING = 4
const PHOTO_MAX_HEIGHT = 60 * MM
const SIGNATURE_LINE_HEIGHT = 46
// A row of up to this many lines moves to the next page whole rather than being split.
const KEEP_TOGETHER_LINES = 6

/** The model as a tagged A4 PDF: the same model always gives the same bytes. */
export async function renderPdf(model: DocumentModel): Promise<Buffer> {
  const fonts = await loadFonts()
  const images = new Map<ImageBlock, Buffer>()
  for (const block of model.blocks) if (block.kind === 'image') images.set(block, await imageForPdf(block))
  const doc = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margins: MARGIN,
    bufferPages: true,
    tagged: true,
    lang: model.language,
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: model.title,
      Subject: `${model.furniture}. Content hash (SHA-256): ${model.contentHash}`,
      Keywords: `sha256:${model.contentHash}`,
      Creator: 'Adoption Support',
      CreationDate: model.createdAt,
      ModDate: model.createdAt,
    },
  })
  escapeXmpInfo(doc)
  // What pdfkit wrote as it was made (the file's header); the rest is gathered by gatherOutput.
  const chunks: Uint8Array[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const gathered = gatherOutput(doc)
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat([...chunks, ...gathered()])))
    doc.on('error', reject)
  })
  doc.registerFont('regular', fonts.regular as Buffer)
  doc.registerFont('bold', fonts.bold as Buffer)
  // Opened in a fixed order, so that their resource names and subset tags are always the same.
  doc.font('regular').font('bold')
  keepParsedFonts(doc)
  shareShapedWords(doc)
  quickerText(doc)
  quickerPages(doc)

  const writer = new Writer(doc, images)
  for (const block of model.blocks) writer.block(block)
  writer.finish()
  drawFurniture(doc, model)
  doc.end()
  return finished
}

class Writer {
  private y = MARGIN.top
  private readonly root: Struct
  private section: PDFKit.PDFOutline | undefined
  private breakPending = false
  private readonly doc: Doc
  private readonly images: Map<ImageBlock, Buffer>

  constructor(doc: Doc, images: Map<ImageBlock, Buffer>) {
    this.doc = doc
    this.images = images
    this.root = doc.struct('Document')
    doc.addStructure(this.root)
  }

  block(block: Block): void {
    // A page break waits for something to go on the next page: none at the end, none twice.
    if (block.kind === 'pageBreak') {
      this.breakPending = true
      return
    }
    if (this.breakPending && !this.atTop) this.newPage()
    this.breakPending = false
    switch (block.kind) {
      case 'heading':
        this.heading(block.level, block.text)
        break
      case 'paragraph':
        this.paragraph(block.text, block.tone === 'hint' ? HINT : BODY)
        break
      case 'fields':
        this.fields(block.rows)
        break
      case 'list':
        this.list(block.items)
        break
      case 'table':
        this.table(block.caption, block.header, block.rows)
        break
      case 'image':
        this.image(block)
        break
      case 'signature':
        this.signature(block.intro, block.lines)
        break
    }
  }

  finish(): void {
    this.root.end()
  }

  private get atTop(): boolean {
    return this.y <= MARGIN.top + 0.01
  }

  private room(): number {
    return CONTENT_BOTTOM - this.y
  }

  private newPage(): void {
    this.doc.addPage()
    this.y = MARGIN.top
  }

  /** Space between blocks, dropped at the top of a page. */
  private gap(points: number): void {
    if (!this.atTop) this.y += points
  }

  private struct(role: string, options: StructOptions = {}, parent: Struct = this.root): Struct {
    const element = this.doc.struct(role, options as PDFKit.Mixins.StructureElementOptions)
    parent.add(element)
    return element
  }

  /** Draws into the element's content on the current page. */
  private tagged(element: Struct, role: string, draw: () => void): void {
    const content = this.doc.markStructureContent(role)
    draw()
    this.doc.endMarkedContent()
    element.add(content)
  }

  /** Drawn but not part of the text: a rule, a repeated header. Never nested. */
  private artifact(draw: () => void, type: 'Layout' | 'Pagination' = 'Layout'): void {
    this.doc.markContent('Artifact', { type })
    draw()
    this.doc.endMarkedContent()
  }

  private use(style: Style): void {
    this.doc.font(style.font).fontSize(style.size).fillColor(style.color)
  }

  private wrap(text: string, style: Style, width: number): string[] {
    return wrapText(this.doc, text, style, width)
  }

  private drawLines(lines: string[], style: Style, x: number, y: number): void {
    this.use(style)
    // pdfkit puts the top of the font's ascender at y: centre the glyphs in the line's height.
    const offset = (style.leading - this.doc.currentLineHeight()) / 2
    lines.forEach((line, i) => {
      if (line) drawText(this.doc, line, x, y + offset + i * style.leading)
    })
  }

  /**
   * Lines of one element from here on, over as many pages as they need; never one line alone at the
   * foot of a page when more follow.
   */
  private flow(element: Struct, role: string, lines: string[], style: Style, x: number): void {
    let start = 0
    while (start < lines.length) {
      let fits = Math.floor(this.room() / style.leading)
      const left = lines.length - start
      if (fits < 1 || (start === 0 && fits < Math.min(2, left))) {
        this.newPage()
        continue
      }
      if (fits < left && left - fits === 1 && fits > 2) fits--
      const slice = lines.slice(start, start + fits)
      this.tagged(element, role, () => this.drawLines(slice, style, x, this.y))
      this.y += slice.length * style.leading
      start += slice.length
      if (start < lines.length) this.newPage()
    }
  }

  private heading(level: 1 | 2 | 3, text: string): void {
    const style = HEADINGS[level]
    const lines = this.wrap(text, style, CONTENT_WIDTH)
    this.gap(style.before)
    // A heading keeps the first lines of what follows it on its page.
    if (lines.length * style.leading + style.after + 3 * BODY.leading > this.room()) this.newPage()
    if (level === 2) this.section = this.doc.outline.addItem(text, { fit: true } as object)
    if (level === 3) (this.section ?? this.doc.outline).addItem(text, { fit: true } as object)
    const element = this.struct(`H${level}`)
    this.flow(element, `H${level}`, lines, style, MARGIN.left)
    element.end()
    this.y += style.after
  }

  private paragraph(text: string, style: Style): void {
    const element = this.struct('P')
    this.flow(element, 'P', this.wrap(text, style, CONTENT_WIDTH), style, MARGIN.left)
    element.end()
    this.y += BLOCK_GAP
  }

  private list(items: string[]): void {
    if (items.length === 0) return
    const list = this.struct('L')
    const indent = 16
    for (const item of items) {
      const lines = this.wrap(item, BODY, CONTENT_WIDTH - indent)
      if (this.room() < Math.min(2, lines.length) * BODY.leading) this.newPage()
      const listItem = this.struct('LI', {}, list)
      const label = this.struct('Lbl', {}, listItem)
      this.tagged(label, 'Lbl', () => this.drawLines(['•'], BODY, MARGIN.left + 3, this.y))
      label.end()
      const body = this.struct('LBody', {}, listItem)
      this.flow(body, 'LBody', lines, BODY, MARGIN.left + indent)
      body.end()
      listItem.end()
      this.y += 3
    }
    list.end()
    this.y += BLOCK_GAP - 3
  }

  /** Questions and answers, as a table of rows each headed by its question. */
  private fields(rows: { label: string; value: string }[]): void {
    if (rows.length === 0) return
    const table = this.struct('Table')
    const body = this.struct('TBody', {}, table)
    const valueX = MARGIN.left + FIELD_LABEL_WIDTH + FIELD_GAP
    const valueWidth = CONTENT_WIDTH - FIELD_LABEL_WIDTH - FIELD_GAP
    for (const row of rows) {
      const tr = this.struct('TR', {}, body)
      this.row(
        [
          {
            element: this.struct('TH', { scope: 'Row' }, tr),
            role: 'TH',
            lines: this.wrap(row.label, LABEL, FIELD_LABEL_WIDTH),
            style: LABEL,
            x: MARGIN.left,
            continued: this.wrap(`${row.label} (continued)`, CONTINUED_LABEL, FIELD_LABEL_WIDTH),
          },
          {
            element: this.struct('TD', {}, tr),
            role: 'TD',
            lines: this.wrap(row.value, BODY, valueWidth),
            style: BODY,
            x: valueX,
          },
        ],
        ROW_PADDING,
        BODY.leading,
      )
      tr.end()
    }
    body.end()
    table.end()
    this.y += BLOCK_GAP + 4
  }

  private table(caption: string, header: string[], rows: string[][]): void {
    const widths = columnWidths(this.doc, header, rows)
    const xs = widths.map((_, i) => MARGIN.left + widths.slice(0, i).reduce((a, b) => a + b, 0))
    const cells = (texts: string[], style: Style) =>
      widths.map((width, i) => ({
        lines: this.wrap(texts[i] ?? '', style, width - 2 * CELL_PADDING),
        style,
        x: (xs[i] ?? 0) + CELL_PADDING,
      }))
    const headerCells = cells(header, HEADER_CELL)
    const headerHeight = rowHeight(headerCells, CELL_PADDING, CELL.leading)
    const captionLines = this.wrap(caption, CAPTION, CONTENT_WIDTH)
    const firstRowHeight = rows[0] ? rowHeight(cells(rows[0], CELL), CELL_PADDING, CELL.leading) : 0
    // The caption, the header and the first row start on the same page.
    if (captionLines.length * CAPTION.leading + 4 + headerHeight + firstRowHeight > this.room())
      this.newPage()

    const table = this.struct('Table')
    const captionElement = this.struct('Caption', {}, table)
    this.flow(captionElement, 'Caption', captionLines, CAPTION, MARGIN.left)
    captionElement.end()
    this.y += 4

    // On a page the table runs onto, the header is drawn again as an artifact: it was read out once.
    const drawHeader = (tr?: Struct) => {
      const top = this.y
      for (const cell of headerCells) {
        const draw = () => this.drawLines(cell.lines, cell.style, cell.x, top + CELL_PADDING)
        if (tr) {
          const th = this.struct('TH', { scope: 'Column' }, tr)
          this.tagged(th, 'TH', draw)
          th.end()
        } else this.artifact(draw, 'Pagination')
      }
      this.y = top + headerHeight
      this.rule(this.y, BLACK, 1)
    }
    const head = this.struct('THead', {}, table)
    const headerRow = this.struct('TR', {}, head)
    drawHeader(headerRow)
    headerRow.end()
    head.end()

    // A table with no rows yet is its caption and header alone.
    if (rows.length > 0) {
      const body = this.struct('TBody', {}, table)
      // Named again on each page the table runs onto, for whoever reads the printed page.
      const continued = this.wrap(`${caption} (continued)`, CONTINUED, CONTENT_WIDTH)
      const repeatHeader = () => {
        const top = this.y
        this.artifact(() => this.drawLines(continued, CONTINUED, MARGIN.left, top), 'Pagination')
        this.y = top + continued.length * CONTINUED.leading + 2
        drawHeader()
      }
      const repeatHeight = continued.length * CONTINUED.leading + 2 + headerHeight
      for (const row of rows) {
        const tr = this.struct('TR', {}, body)
        this.row(
          cells(row, CELL).map((cell) => ({ ...cell, element: this.struct('TD', {}, tr), role: 'TD' })),
          CELL_PADDING,
          CELL.leading,
          { height: repeatHeight, draw: repeatHeader },
        )
        tr.end()
      }
      body.end()
    }
    table.end()
    this.y += BLOCK_GAP + 4
  }

  /**
   * One row of cells side by side, with a thin rule under it. A short row that does not fit moves to
   * the next page whole; a long one is split between lines, the cells continuing side by side.
   */
  private row(
    cells: {
      element: Struct
      role: string
      lines: string[]
      style: Style
      x: number
      /** Drawn, as an artifact, beside the rest of a row that runs onto another page. */
      continued?: string[]
    }[],
    padding: number,
    leading: number,
    header?: { height: number; draw: () => void },
  ): void {
    const total = Math.max(1, ...cells.map((cell) => cell.lines.length))
    const pageTop = () => {
      this.newPage()
      header?.draw()
    }
    const freshRoom = CONTENT_BOTTOM - MARGIN.top - (header?.height ?? 0)
    const height = 2 * padding + total * leading
    if (height > this.room() && total <= KEEP_TOGETHER_LINES && height <= freshRoom) pageTop()
    let start = 0
    while (start < total) {
      let fits = Math.floor((this.room() - 2 * padding) / leading)
      const left = total - start
      if (fits < 1 || (start === 0 && fits < Math.min(3, left))) {
        pageTop()
        continue
      }
      if (fits < left && left - fits === 1 && fits > 2) fits--
      const end = Math.min(total, start + fits)
      const top = this.y + padding
      for (const cell of cells) {
        const slice = cell.lines.slice(start, end)
        if (slice.some(Boolean))
          this.tagged(cell.element, cell.role, () => this.drawLines(slice, cell.style, cell.x, top))
        else if (start > 0 && cell.continued) {
          const lines = cell.continued
          this.artifact(() => this.drawLines(lines, CONTINUED_LABEL, cell.x, top), 'Pagination')
        }
      }
      this.y = top + (end - start) * leading + padding
      start = end
      if (start < total) pageTop()
    }
    for (const cell of cells) cell.element.end()
    this.rule(this.y, RULE, 0.75)
  }

  private rule(y: number, color: string, width: number): void {
    this.artifact(() => {
      this.doc
        .save()
        .lineWidth(width)
        .strokeColor(color)
        .moveTo(MARGIN.left, y)
        .lineTo(MARGIN.left + CONTENT_WIDTH, y)
        .stroke()
        .restore()
    })
  }

  private image(block: ImageBlock): void {
    const { width, height } = drawnSize(block)
    const captionLines = this.wrap(block.caption, PHOTO_CAPTION, CONTENT_WIDTH)
    // The photo and its caption stay together.
    if (height + 6 + captionLines.length * PHOTO_CAPTION.leading > this.room()) this.newPage()
    const x = MARGIN.left
    const y = this.y
    const figure = this.struct('Figure', { alt: block.alt, bbox: [x, y, x + width, y + height] })
    const bytes = this.images.get(block) ?? bufferOf(block.bytes)
    this.tagged(figure, 'Figure', () => this.doc.image(bytes, x, y, { width, height }))
    figure.end()
    this.y += height + 6
    this.paragraph(block.caption, PHOTO_CAPTION)
  }

  /** The intro, then a line to sign on for each label: all on the page it starts on. */
  private signature(intro: string, labels: string[]): void {
    const introLines = this.wrap(intro, BODY, CONTENT_WIDTH)
    // Labels in a column as wide as the longest needs, up to nearly half the page; the lines to sign
    // on run from there to the margin.
    this.use(LABEL)
    const widest = Math.max(0, ...labels.map((label) => this.doc.widthOfString(label)))
    const column = Math.min(Math.max(60, widest + 12), CONTENT_WIDTH * 0.45)
    const rows = labels.map((label) => {
      const lines = this.wrap(label, LABEL, column - 12)
      return { lines, height: SIGNATURE_LINE_HEIGHT + (lines.length - 1) * LABEL.leading }
    })
    const height = rows.reduce((sum, row) => sum + row.height, 0)
    if (introLines.length * BODY.leading + BLOCK_GAP + height > this.room()) this.newPage()
    const part = this.struct('Div')
    const introElement = this.struct('P', {}, part)
    this.flow(introElement, 'P', introLines, BODY, MARGIN.left)
    introElement.end()
    this.y += BLOCK_GAP
    for (const { lines, height } of rows) {
      // Only a signature block longer than a page ever gets here without room.
      if (this.room() < height) this.newPage()
      // The label sits on the line, with room above it to write by hand.
      const baseline = this.y + height - 6
      const element = this.struct('P', {}, part)
      const top = baseline - lines.length * LABEL.leading + 3
      this.tagged(element, 'P', () => this.drawLines(lines, LABEL, MARGIN.left, top))
      element.end()
      this.artifact(() => {
        this.doc
          .save()
          .lineWidth(0.75)
          .strokeColor(BLACK)
          .moveTo(MARGIN.left + column, baseline)
          .lineTo(MARGIN.left + CONTENT_WIDTH, baseline)
          .stroke()
          .restore()
      })
      this.y += height
    }
    part.end()
    this.y += BLOCK_GAP
  }
}

// The photo's pixel size gives its shape; it is drawn as large as the width and height allowed.
function drawnSize(block: ImageBlock): { width: number; height: number } {
  const shape = { width: Math.max(1, block.width), height: Math.max(1, block.height) }
  const scale = Math.min(CONTENT_WIDTH / shape.width, PHOTO_MAX_HEIGHT / shape.height)
  return { width: shape.width * scale, height: shape.height * scale }
}

/**
 * The photo's bytes as pdfkit should have them. It embeds a JPEG as it is, and an opaque PNG's
 * compressed pixels as they are, but decodes a PNG with transparency or interlacing pixel by pixel in
 * JavaScript: 300 ms for one phone-sized photo. Those are flattened onto the white page by sharp
 * first, at no more pixels than printing at 300 dpi needs.
 */
async function imageForPdf(block: ImageBlock): Promise<Buffer> {
  const bytes = bufferOf(block.bytes)
  if (block.mediaType !== 'image/png') return bytes
  const { hasAlpha, isProgressive } = await sharp(bytes).metadata()
  if (!hasAlpha && !isProgressive) return bytes
  const { width, height } = drawnSize(block)
  const pixels = (points: number) => Math.ceil((points / 72) * 300)
  return sharp(bytes)
    .resize({ width: pixels(width), height: pixels(height), fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer()
}

function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

// Each word's width in each font and size, kept across documents (bounded like the shaped words):
// wrapping measures every word of every answer, and asking pdfkit lays the word out each time. A
// map for each font and size, of each word's width with the space after it less a space's width.
const WORD_WIDTHS_KEPT = 50_000
type Widths = { space: number; words: Map<string, number> }
const wordWidths = new Map<string, Widths>()
let wordWidthsKept = 0
function widthsOf(doc: Doc, style: { font: string; size: number }): Widths {
  const key = `${style.font} ${style.size}`
  let widths = wordWidths.get(key)
  if (!widths) {
    widths = { space: doc.widthOfString(' '), words: new Map() }
    wordWidths.set(key, widths)
  }
  return widths
}
function wordWidth(doc: Doc, widths: Widths, word: string): number {
  let width = widths.words.get(word)
  if (width === undefined) {
    width = doc.widthOfString(`${word} `) - widths.space
    if (wordWidthsKept >= WORD_WIDTHS_KEPT) {
      for (const kept of wordWidths.values()) kept.words.clear()
      wordWidthsKept = 0
    }
    widths.words.set(word, width)
    wordWidthsKept++
  }
  return width
}

/** The text broken into lines that fit the width: at its own line breaks, then between words. */
function wrapText(doc: Doc, text: string, style: { font: string; size: number }, width: number): string[] {
  doc.font(style.font).fontSize(style.size)
  const widths = widthsOf(doc, style)
  const space = widths.space
  const lines: string[] = []
  for (const hardLine of text.split(/\r?\n/)) {
    let line = ''
    let lineWidth = 0
    for (const word of hardLine.split(/[ \t]+/)) {
      if (!word) continue
      // Measured with its trailing space, as pdfkit lays out (and caches) a line's words to draw it.
      const measured = wordWidth(doc, widths, word)
      if (line && lineWidth + space + measured <= width) {
        line += ` ${word}`
        lineWidth += space + measured
        continue
      }
      if (line) lines.push(line)
      if (measured <= width) {
        line = word
        lineWidth = measured
        continue
      }
      // A word wider than the column (an e-mail address, a long reference) is broken anywhere.
      const pieces = breakWord(doc, word, width)
      line = pieces.pop() ?? ''
      lineWidth = doc.widthOfString(line)
      lines.push(...pieces)
    }
    lines.push(line)
  }
  return lines
}

// A word too wide for the column, in pieces that fit.
function breakWord(doc: Doc, word: string, width: number): string[] {
  const pieces: string[] = []
  let piece = ''
  for (const char of word) {
    if (piece && doc.widthOfString(piece + char) > width) {
      pieces.push(piece)
      piece = ''
    }
    piece += char
  }
  pieces.push(piece)
  return pieces
}

function rowHeight(cells: { lines: string[] }[], padding: number, leading: number): number {
  return 2 * padding + Math.max(1, ...cells.map((cell) => cell.lines.length)) * leading
}

/**
 * Column widths that fill the page: each column gets its longest word, then what is left is shared in
 * proportion to how much more each needs to hold its longest cell on one line.
 */
function columnWidths(doc: Doc, header: string[], rows: string[][]): number[] {
  const measure = (style: Style, text: string) => {
    doc.font(style.font).fontSize(style.size)
    const words = text.split(/\s+/).filter(Boolean)
    return {
      longest: doc.widthOfString(text),
      word: Math.max(0, ...words.map((word) => doc.widthOfString(word))),
    }
  }
  const pad = 2 * CELL_PADDING
  const columns = header.map((text, i) => {
    const sizes = [measure(HEADER_CELL, text), ...rows.map((row) => measure(CELL, row[i] ?? ''))]
    // A very long word (an e-mail address) may still be broken rather than take the whole width.
    const min = Math.min(Math.max(...sizes.map((size) => size.word)), CONTENT_WIDTH / 3) + pad
    const max = Math.max(...sizes.map((size) => size.longest)) + pad
    return { min, max: Math.max(min, max) }
  })
  const sumMin = columns.reduce((sum, column) => sum + column.min, 0)
  const sumMax = columns.reduce((sum, column) => sum + column.max, 0)
  if (sumMax <= CONTENT_WIDTH) return columns.map((column) => (column.max / sumMax) * CONTENT_WIDTH)
  if (sumMin >= CONTENT_WIDTH) return columns.map((column) => (column.min / sumMin) * CONTENT_WIDTH)
  const spare = CONTENT_WIDTH - sumMin
  return columns.map((column) => column.min + ((column.max - column.min) / (sumMax - sumMin)) * spare)
}

/**
 * On every page: the marking at the top and bottom, and a footer with the version and "Page N of M";
 * on the first, the content hash. All artifacts: a screen reader has the title and the hash from
 * the document's metadata and does not need them read out on every page.
 */
function drawFurniture(doc: Doc, model: DocumentModel): void {
  const { start, count } = doc.bufferedPageRange()
  const right = PAGE.width - MARGIN.right
  const footerY = PAGE.height - 18 * MM
  const text = (
    value: string,
    style: { font: string; size: number; color: string },
    x: number,
    y: number,
  ) => {
    doc.font(style.font).fontSize(style.size).fillColor(style.color)
    drawText(doc, value, x, y)
  }
  const centred = (value: string, style: typeof MARKING, y: number) => {
    doc.font(style.font).fontSize(style.size)
    text(value, style, (PAGE.width - doc.widthOfString(value)) / 2, y)
  }
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index)
    doc.markContent('Artifact', { type: 'Pagination' })
    centred(model.marking, MARKING, 9 * MM)
    if (index === start) {
      const hash = `Content hash (SHA-256): ${model.contentHash}`
      text(hash, { ...FURNITURE, size: 7 }, MARGIN.left, 15 * MM)
    }
    // The footer's last line sits at footerY; a long one wraps upwards, never cut short, since every
    // page must say which version it belongs to.
    const pageNumber = `Page ${index - start + 1} of ${count}`
    doc.font(FURNITURE.font).fontSize(FURNITURE.size)
    const numberWidth = doc.widthOfString(pageNumber)
    const lines = wrapText(doc, model.furniture, FURNITURE, right - MARGIN.left - numberWidth - 12)
    const leading = FURNITURE.size * 1.3
    const firstY = footerY - (lines.length - 1) * leading
    doc.save().lineWidth(0.5).strokeColor(RULE)
    doc
      .moveTo(MARGIN.left, firstY - 2 * MM)
      .lineTo(right, firstY - 2 * MM)
      .stroke()
      .restore()
    for (const [i, line] of lines.entries()) text(line, FURNITURE, MARGIN.left, firstY + i * leading)
    text(pageNumber, FURNITURE, right - numberWidth, footerY)
    centred(model.marking, MARKING, PAGE.height - 11 * MM)
    doc.endMarkedContent()
  }
}

// pdfkit copies the title and subject into the XMP metadata without escaping them: a title with an
// ampersand or an angle bracket would make that XML unreadable. Escape them there, and only there.
function escapeXmpInfo(doc: Doc): void {
  const target = doc as Doc & { _addInfo: () => void; info: Record<string, unknown> }
  const addInfo = target._addInfo
  target._addInfo = function (this: typeof target) {
    const info = this.info
    this.info = Object.fromEntries(
      Object.entries(info).map(([key, value]) => [key, typeof value === 'string' ? escapeXml(value) : value]),
    )
    try {
      addInfo.call(this)
    } finally {
      this.info = info
    }
  }
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}
