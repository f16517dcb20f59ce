import assert from 'node:assert/strict'
import { mock, test } from 'node:test'
import JSZip from 'jszip'
import { sampleDocument } from '../../test/support/documents.ts'
import {
  convertWithLibreOffice,
  docxParagraphs,
  docxPart,
  docxPartNames,
  docxText,
  libreOffice,
  NO_LIBREOFFICE,
} from '../../test/support/docx.ts'
import { assertInOrder } from '../../test/support/text.ts'
import { renderDocx } from './docx.ts'
import { type Block, type DocumentModel, textsOf } from './model.ts'

const count = (text: string, part: string) => text.split(part).length - 1
/** Whether the paragraph holding `text` is marked to start a new page. */
const startsPage = (xml: string, text: string) =>
  new RegExp(`<w:p><w:pPr>(?:(?!</w:p>).)*<w:pageBreakBefore/>(?:(?!</w:p>).)*${text}`).test(xml)

test('every text of the document is in the Word file, in reading order, line breaks kept', async () => {
  const model = await sampleDocument()
  const docx = await renderDocx(model)
  assertInOrder(await docxText(docx), textsOf(model), 'the Word file')
  // A value's line break is a line break inside its paragraph, not a new paragraph.
  const paragraphs = await docxParagraphs(docx)
  assert.ok(
    paragraphs.some(
      (p) => p.text === 'First paragraph of a long answer.\nSecond paragraph, after a line break: “quoted”.',
    ),
  )
})

test('headings are Word headings; tables, lists and photos are real ones', async () => {
  const model = await sampleDocument()
  const docx = await renderDocx(model)
  const headings = model.blocks.flatMap((block) =>
    block.kind === 'heading' ? [{ style: `Heading${block.level}`, text: block.text }] : [],
  )
  const styled = (await docxParagraphs(docx)).filter((p) => p.style?.startsWith('Heading'))
  assert.deepEqual(styled, headings)

  const xml = await docxPart(docx, 'word/document.xml')
  const styles = await docxPart(docx, 'word/styles.xml')
  // The heading styles have outline levels: what Word's navigation pane lists.
  assert.match(styles, /w:styleId="Heading2">.*?<w:outlineLvl w:val="1"\/>.*?<\/w:style>/)
  const tables = model.blocks.filter((block) => block.kind === 'table')
  const fields = model.blocks.filter((block) => block.kind === 'fields')
  assert.equal(count(xml, '<w:tbl>'), tables.length + fields.length)
  // Only the data tables have a header row, repeated on each page, and it is their first row.
  assert.equal(count(xml, '<w:tblHeader/>'), tables.length)
  assert.match(
    xml,
    /<w:tblGrid>(<w:gridCol [^>]*\/>)+<\/w:tblGrid><w:tr><w:trPr><w:cantSplit\/><w:tblHeader\/>/,
  )
  // A table's caption is the paragraph just before it.
  const caption = tables[0]?.kind === 'table' ? tables[0].caption : ''
  assert.match(xml, new RegExp(`${caption}</w:t></w:r></w:p><w:tbl>`))

  const items = model.blocks.flatMap((block) => (block.kind === 'list' ? block.items : []))
  assert.equal(count(xml, '<w:numPr>'), items.length)
  assert.match(await docxPart(docx, 'word/numbering.xml'), /<w:numFmt w:val="bullet"\/>/)

  const photo = model.blocks.find((block) => block.kind === 'image')
  assert.ok(photo?.kind === 'image')
  assert.match(xml, new RegExp(`<wp:docPr id="1" name="Photo 1" descr="${photo.alt}" title="${photo.alt}"/>`))
  const media = (await docxPartNames(docx)).filter((name) => name.startsWith('word/media/'))
  assert.equal(media.length, 1)
  assert.match(media[0] ?? '', /\.jpg$/)

  // The hint is grey; the signature's intro starts a page, and each line is ruled to write on.
  assert.match(xml, /<w:color w:val="505A5F"\/><\/w:rPr><w:t xml:space="preserve">Version 4, agreed/)
  assert.ok(startsPage(xml, 'I have read the support'))
  assert.equal(count(xml, '<w:pBdr><w:bottom'), 3)
})

test('the core properties carry the title, the hash and the version’s date; the language is British English', async () => {
  const model = await sampleDocument()
  const docx = await renderDocx(model)
  const core = await docxPart(docx, 'docProps/core.xml')
  assert.match(core, /<dc:title>Adoption support plan for Zoë Ó Briain-Łukasiewicz, version 4<\/dc:title>/)
  assert.match(core, /<dc:creator>Adoption Support<\/dc:creator>/)
  assert.ok(count(core, model.contentHash) >= 2, 'the hash is in the keywords and the description')
  assert.match(core, /<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-03T10:15:00Z<\/dcterms:created>/)
  assert.match(core, /<dcterms:modified xsi:type="dcterms:W3CDTF">2026-03-03T10:15:00Z<\/dcterms:modified>/)
  assert.match(core, /<dc:language>en-GB<\/dc:language>/)
  const styles = await docxPart(docx, 'word/styles.xml')
  assert.match(styles, /<w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial"[^>]*\/>.*?<w:lang w:val="en-GB"\/>/)
  assert.match(styles, /<w:rPrDefault><w:rPr>.*?<w:sz w:val="24"\/>/, 'body text is 12 pt')
})

test('markup characters are kept as text; control characters, which XML cannot hold, are left out', async () => {
  const model: DocumentModel = {
    ...(await sampleDocument()),
    title: 'Plan for <Ann> & "Bo"\u0001',
    blocks: [{ kind: 'paragraph', text: 'Tom & Jerry <script>\u000b' }],
  }
  const docx = await renderDocx(model)
  const core = await docxPart(docx, 'docProps/core.xml')
  assert.match(core, /<dc:title>Plan for &#60;Ann&#62; &#38; &#34;Bo&#34;<\/dc:title>/)
  assert.deepEqual(await docxParagraphs(docx), [{ style: null, text: 'Tom & Jerry <script>' }])
})

test('every page has the marking at the top and bottom, the furniture and "Page N of M"', async () => {
  const model = await sampleDocument()
  const docx = await renderDocx(model)
  const xml = await docxPart(docx, 'word/document.xml')
  // One section, A4, whose default header and footer are on every page.
  assert.equal(count(xml, '<w:sectPr>'), 1)
  assert.match(xml, /<w:headerReference w:type="default" r:id="(\w+)"\/><w:footerReference w:type="default"/)
  assert.match(xml, /<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/)
  const header = await docxPart(docx, 'word/header1.xml')
  const footer = await docxPart(docx, 'word/footer1.xml')
  assert.match(header, /<w:jc w:val="center"\/>.*OFFICIAL-SENSITIVE/)
  assert.ok(footer.includes('OFFICIAL-SENSITIVE'))
  assert.ok(footer.includes(model.furniture))
  assert.match(footer, /Page <\/w:t>.*<w:instrText xml:space="preserve">PAGE<\/w:instrText>.* of <\/w:t>/)
  assert.match(footer, /<w:instrText xml:space="preserve">NUMPAGES<\/w:instrText>/)
})

test('the same document gives the same bytes, whenever it is made; its zip entries carry the version’s date', async () => {
  const model = await sampleDocument()
  mock.timers.enable({ apis: ['Date'], now: new Date('2021-01-01T00:00:00Z') })
  let first: Buffer
  let second: Buffer
  try {
    first = await renderDocx(model)
    mock.timers.setTime(new Date('2031-07-15T18:45:31Z').getTime())
    second = await renderDocx(model)
  } finally {
    mock.timers.reset()
  }
  assert.ok(first.equals(second), 'two renderings of one model differ')
  assert.ok(first.equals(await renderDocx(model)), 'a rendering at the real time differs')

  const zip = await JSZip.loadAsync(first)
  const dates = new Set(Object.values(zip.files).map((entry) => entry.date.toISOString()))
  assert.deepEqual([...dates], ['2026-03-03T10:15:00.000Z'])

  // The dates follow the model, so another version's file is another file.
  const later = await renderDocx({ ...model, createdAt: new Date('2026-04-01T09:00:00Z') })
  assert.ok(!later.equals(first))
  assert.match(await docxPart(later, 'docProps/core.xml'), /2026-04-01T09:00:00Z/)
})

test('page breaks start new pages without empty paragraphs; tables one after another stay apart', async () => {
  const fields: Block = { kind: 'fields', rows: [{ label: 'Question', value: 'Answer' }] }
  const model: DocumentModel = {
    ...(await sampleDocument()),
    blocks: [
      { kind: 'heading', level: 1, text: 'Title' },
      fields,
      fields,
      { kind: 'table', caption: 'Caption', header: ['A', 'B'], rows: [['1', '2']] },
      fields,
      { kind: 'pageBreak' },
      fields,
      { kind: 'pageBreak' },
      { kind: 'heading', level: 2, text: 'On a new page' },
      { kind: 'paragraph', text: 'Then the signature, on a page of its own with no break asked for.' },
      { kind: 'signature', intro: 'Sign here.', lines: ['Signed'] },
      { kind: 'paragraph', text: 'After the signature, a new page again.' },
    ],
  }
  const docx = await renderDocx(model)
  const xml = await docxPart(docx, 'word/document.xml')
  assert.equal(count(xml, '<w:tbl>'), 5)
  assert.ok(!xml.includes('</w:tbl><w:tbl>'), 'two tables touch, and Word would join them')
  // A break before a table needs a paragraph to carry it; every other one is on the next paragraph.
  assert.equal(count(xml, '<w:br w:type="page"/>'), 0)
  assert.equal(count(xml, '<w:pageBreakBefore/>'), 4)
  for (const text of ['On a new page', 'Sign here', 'After the signature'])
    assert.ok(startsPage(xml, text), text)
  assertInOrder(await docxText(docx), textsOf(model), 'the Word file')
})

test('Word files open in LibreOffice, which makes a PDF of them with their text', {
  timeout: 120_000,
}, async (t) => {
  const program = libreOffice()
  if (!program) {
    t.skip(NO_LIBREOFFICE)
    return
  }
  const model = await sampleDocument()
  const { pdf, text, pages, title } = await convertWithLibreOffice(program, await renderDocx(model))
  assert.ok(pdf.length > 0)
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
  // The long table and the signature page run the document onto several pages.
  if (pages !== null) assert.ok(pages >= 4, `only ${pages} pages`)
  // LibreOffice carries Word's core title into the PDF's.
  if (title !== null) assert.equal(title, model.title)
  if (text !== null) {
    // pdftotext joins a word hyphenated at a line's end, so spaces and hyphens are left out here.
    const squash = (s: string) => s.replace(/[\s-]+/g, '')
    const heading = model.blocks[0]?.kind === 'heading' ? model.blocks[0].text : ''
    for (const expected of [heading, 'OFFICIAL-SENSITIVE', model.furniture, 'Person 20 Nguyễn', 'Signed'])
      assert.ok(squash(text).includes(squash(expected)), `the PDF has no ${JSON.stringify(expected)}`)
    assert.match(text, /Page 1 of \d+/)
    if (pages !== null)
      assert.ok(text.includes(`Page ${pages} of ${pages}`), 'the last page is not numbered N of N')
  }
})
