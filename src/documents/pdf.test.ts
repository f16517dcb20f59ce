import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import PDFDocument from 'pdfkit'
import sharp from 'sharp'
import { sampleDocument } from '../../test/support/documents.ts'
import {
  assertNotBlank,
  needsPoppler,
  openPdf,
  pdfInfo,
  pdfPagesAsPng,
  pdfText,
  pdfTextRuns,
} from '../../test/support/pdf.ts'
import { assertInOrder, squeezed } from '../../test/support/text.ts'
import type { DocumentModel } from './model.ts'
import { textsOf } from './model.ts'
import { drawText, FONT_FILES, quickerText, renderPdf } from './pdf.ts'

let model: DocumentModel
let pdf: Buffer
let pages: string[]
let printed: string[]

before(async () => {
  model = await sampleDocument()
  pdf = await renderPdf(model)
  pages = await pdfText(pdf)
  printed = await pdfText(pdf, { furniture: true })
})

// What the layout finds hard: an answer longer than a page, a word wider than its column, empty
// answers and cells, a table with no rows, page breaks where there is nothing to break, and a title
// with characters that mean something in XML, a PNG with transparency.
async function awkwardDocument(): Promise<DocumentModel> {
  const translucent = await sharp({
    create: { width: 40, height: 80, channels: 4, background: { r: 20, g: 120, b: 20, alpha: 0.5 } },
  })
    .png()
    .toBuffer()
  const longAnswer = Array.from(
    { length: 90 },
    (_, i) => `Line ${i + 1} of a long answer that goes on well past the foot of the page.`,
  ).join('\n')
  return {
    title: 'Plan for Zoë & <Łukasz> “Nguyễn”',
    language: 'en-GB',
    marking: 'OFFICIAL-SENSITIVE',
    furniture: `Version 12 · Agreed · taken 3 March 2026 · ${'a very long status note '.repeat(6)}`,
    contentHash: 'ab'.repeat(32),
    createdAt: new Date('2026-03-03T10:15:00Z'),
    variant: 'review',
    blocks: [
      { kind: 'pageBreak' },
      { kind: 'heading', level: 1, text: 'Plan for Zoë & <Łukasz>' },
      { kind: 'fields', rows: [{ label: 'Long answer', value: longAnswer }] },
      { kind: 'fields', rows: [{ label: 'Empty', value: '' }] },
      { kind: 'paragraph', text: `A reference: ${'x'.repeat(200)}, then words.` },
      { kind: 'table', caption: 'Nobody yet', header: ['Name', 'Role'], rows: [] },
      {
        kind: 'table',
        caption: 'Gaps',
        header: ['Name', 'Notes'],
        rows: [
          ['', 'No name given'],
          ['Łukasz', ''],
        ],
      },
      {
        kind: 'image',
        alt: 'A green square',
        caption: 'Green, see-through',
        mediaType: 'image/png',
        bytes: translucent,
        width: 40,
        height: 80,
      },
      { kind: 'pageBreak' },
      { kind: 'pageBreak' },
      { kind: 'list', items: [] },
      { kind: 'heading', level: 2, text: 'After two page breaks' },
      { kind: 'signature', intro: 'Signed by the adopters.', lines: ['Signed', 'Date'] },
      { kind: 'pageBreak' },
    ],
  }
}

test('every piece of the model’s text is in the PDF, in reading order, across several pages', () => {
  assert.ok(pages.length >= 4, `${pages.length} pages`)
  assertInOrder(pages, textsOf(model), 'the sample PDF')
  // Names and signs beyond ASCII come back as they went in.
  const text = squeezed(pages.join('\n'))
  for (const word of ['Zoë Ó Briain-Łukasiewicz', 'Nguyễn', '“quoted”', '£1,250.00', 'child’s'])
    assert.ok(text.includes(squeezed(word)), word)
  // The page furniture is not part of the document's own text.
  assert.ok(!text.includes('OFFICIAL-SENSITIVE'))
})

test('a table that runs onto another page has its header row again there', () => {
  const continued = printed.findIndex((page) =>
    page.includes('People in the professional network (continued)'),
  )
  assert.ok(continued > 0, 'no page says the table is continued')
  assertInOrder(printed[continued] ?? '', ['Name', 'Role', 'Organisation', 'Telephone', 'E-mail', 'Person'])
  // Read out once only: on the later page it is an artifact.
  assert.ok(!pages[continued]?.includes('Organisation'))
})

test('tagged for screen readers: marked, structured, titled, in British English', async () => {
  const file = await openPdf(pdf)
  try {
    assert.deepEqual(await file.getMarkInfo(), { Marked: true, UserProperties: false, Suspects: false })
    assert.deepEqual(await file.getViewerPreferences(), { DisplayDocTitle: true })
    const { info, metadata } = await file.getMetadata()
    const fields = info as Record<string, unknown>
    assert.equal(fields.Title, model.title)
    assert.equal(fields.Language, 'en-GB')
    assert.equal(fields.PDFFormatVersion, '1.7')
    assert.equal(fields.CreationDate, 'D:20260303101500Z')
    assert.ok(String(fields.Keywords).includes(model.contentHash))
    assert.equal(metadata?.get('dc:title'), model.title)

    type Node = { role?: string; alt?: string; children?: Node[] }
    const roles: string[] = []
    const alts: string[] = []
    const walk = (node: Node) => {
      if (node.role) roles.push(node.role)
      if (node.alt) alts.push(node.alt)
      for (const child of node.children ?? []) walk(child)
    }
    for (let number = 1; number <= file.numPages; number++) {
      const tree = (await (await file.getPage(number)).getStructTree()) as Node | null
      assert.ok(tree, `page ${number} has no structure`)
      walk(tree)
    }
    const first = roles.indexOf('Document')
    assert.equal(first, 1, 'the Document element sits at the root')
    for (const role of [
      'H1',
      'H2',
      'H3',
      'P',
      'Figure',
      'Table',
      'Caption',
      'THead',
      'TBody',
      'TR',
      'TH',
      'TD',
    ])
      assert.ok(roles.includes(role), `no ${role} element`)
    for (const role of ['L', 'LI', 'Lbl', 'LBody']) assert.ok(roles.includes(role), `no ${role} element`)
    assert.deepEqual(alts, ['Photo of Zoë, smiling in a red coat'])
    // Headings in the tree in the model's order.
    const headings = model.blocks
      .filter((block) => block.kind === 'heading')
      .map((block) => `H${block.level}`)
    assert.deepEqual(
      roles.filter((role) => /^H\d$/.test(role)),
      headings,
    )
  } finally {
    await file.destroy()
  }
  // Questions head their rows; a table's header cells head their columns.
  const raw = pdf.toString('latin1')
  assert.ok(raw.includes('/Scope /Row'))
  assert.ok(raw.includes('/Scope /Column'))
})

test('the marking, version and page numbers are page furniture, which a screen reader skips', async () => {
  const runs = await pdfTextRuns(pdf)
  runs.forEach((page, index) => {
    const drawn = page.filter((run) => run.text.trim())
    for (const run of drawn)
      assert.ok(
        run.marks.length > 0,
        `page ${index + 1}: ${JSON.stringify(run.text)} is neither tagged nor an artifact`,
      )
    const furniture = drawn.filter((run) => run.marks.includes('Artifact')).map((run) => run.text)
    assert.ok(furniture.includes('OFFICIAL-SENSITIVE'))
    assert.ok(furniture.includes(`Page ${index + 1} of ${runs.length}`))
    assert.ok(furniture.includes(model.furniture))
  })
})

test('every page has the marking at top and bottom, the version and “Page N of M”', () => {
  printed.forEach((page, index) => {
    const text = squeezed(page)
    assert.equal(text.split('OFFICIAL-SENSITIVE').length - 1, 2, `page ${index + 1}: the marking twice`)
    assert.ok(text.includes(squeezed(model.furniture)), `page ${index + 1}: the furniture`)
    assert.ok(
      text.includes(squeezed(`Page ${index + 1} of ${pages.length}`)),
      `page ${index + 1}: its number`,
    )
  })
  assert.ok(printed[0]?.includes(model.contentHash), 'the content hash on the first page')
  assert.ok(!printed[1]?.includes(model.contentHash), 'and only there')
})

test('the same model gives the same bytes, whatever was drawn in between', async () => {
  const again = await renderPdf(model)
  await renderPdf(await awkwardDocument())
  const third = await renderPdf(await sampleDocument())
  assert.ok(again.equals(pdf), 'a second drawing differs')
  assert.ok(third.equals(pdf), 'a drawing after another document differs')
})

test('a changed model gives different bytes', async () => {
  const other = await renderPdf({ ...model, contentHash: 'cd'.repeat(32) })
  assert.ok(!other.equals(pdf))
})

test('poppler draws every page, and none is blank', async (t) => {
  if (!(await needsPoppler(t))) return
  const images = await pdfPagesAsPng(pdf, { dpi: 40 })
  assert.equal(images.length, pages.length)
  for (const [index, image] of images.entries()) await assertNotBlank(image, `page ${index + 1}`)
})

test('poppler reads the file without a complaint', async (t) => {
  if (!(await needsPoppler(t))) return
  const { fields, stderr } = await pdfInfo(pdf)
  assert.equal(stderr, '')
  assert.equal(fields.Title, model.title)
  assert.equal(fields.Tagged, 'yes')
  assert.equal(fields.Pages, String(pages.length))
  assert.match(fields['Page size'] ?? '', /\(A4\)/)
  assert.equal(fields['PDF version'], '1.7')
  const awkward = await pdfInfo(await renderPdf(await awkwardDocument()))
  assert.equal(awkward.stderr, '')
})

test('awkward content: an answer longer than a page, long words, empty answers and tables', async () => {
  const awkward = await awkwardDocument()
  const bytes = await renderPdf(awkward)
  const text = await pdfText(bytes)
  assertInOrder(text, textsOf(awkward), 'the awkward PDF')
  // The long answer runs over pages; page breaks never leave a page empty, nor one at the end.
  assert.ok(text.length >= 4, `${text.length} pages`)
  for (const [index, page] of text.entries()) assert.ok(page.trim(), `page ${index + 1} is empty`)
  assert.ok(text[0]?.includes('Line 1 of'))
  assert.ok(!text[0]?.includes('Line 90 of'))
  assert.ok(text.at(-1)?.includes('After two page breaks'))
  const file = await openPdf(bytes)
  try {
    const { info, metadata } = await file.getMetadata()
    assert.equal((info as Record<string, unknown>).Title, awkward.title)
    assert.equal(metadata?.get('dc:title'), awkward.title)
  } finally {
    await file.destroy()
  }
})

test('the quicker way to draw a line writes what pdfkit’s own does, byte for byte', async () => {
  // Kerning (AV, Ta), a ligature, accents as marks placed off their glyph's spot, a tab, spaces
  // at either end, and words repeated so that kept layouts are used.
  const lines = [
    'Adoption support plan for Zoë Ó Briain-Łukasiewicz',
    'AVATAR Ta To ﬁne office e\u0301te\u0301 Ẽ́ q\u0323\u0307 tab\there',
    '  leading and trailing  ',
    'Adoption support plan for Zoë Ó Briain-Łukasiewicz',
  ]
  const draw = (quick: boolean) =>
    new Promise<Buffer>((resolve) => {
      const when = new Date('2026-03-03T10:15:00Z')
      const doc = new PDFDocument({ compress: false, info: { CreationDate: when, ModDate: when } })
      const chunks: Buffer[] = []
      doc.on('data', (chunk: Buffer) => chunks.push(chunk))
      doc.on('end', () => resolve(Buffer.concat(chunks)))
      doc.registerFont('regular', FONT_FILES.regular)
      doc.registerFont('bold', FONT_FILES.bold)
      doc.font('regular').font('bold')
      if (quick) quickerText(doc)
      for (const [i, line] of lines.entries()) {
        doc.font(i % 2 ? 'bold' : 'regular').fontSize(9 + i)
        if (quick) drawText(doc, line, 40 + i, 60 + 20 * i)
        else doc.text(line, 40 + i, 60 + 20 * i, { lineBreak: false })
      }
      doc.end()
    })
  const [quick, own] = [await draw(true), await draw(false)]
  assert.ok(quick.includes('] TJ'), 'no text was drawn')
  assert.ok(quick.equals(own), 'drawn differently from pdfkit')
})
