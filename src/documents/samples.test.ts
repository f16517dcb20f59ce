import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { assertNotBlank, needsPoppler, pdfPagesAsPng, pdfText } from '../../test/support/pdf.ts'
import { SAMPLE_SNAPSHOT, SAMPLE_VERSION, samplePhotos } from '../../test/support/sample-plan.ts'
import { buildDocument } from './build.ts'
import { renderPdf } from './pdf.ts'

// Issue 6, acceptance 4: the sample plan's pages, drawn from the PDF as pictures, are none of them
// blank; and the samples in docs/samples (`npm run samples`) are there and still say what the sample
// plan's documents say today, so a reader of the docs sees what agencies get.

const samples = fileURLToPath(new URL('../../docs/samples/', import.meta.url))
const PICTURES = ['full-page-1', 'full-page-2', 'full-page-3', 'birth-family-page-1', 'birth-family-page-2']

for (const variant of ['full', 'birth-family'] as const) {
  test(`every page of the sample plan’s ${variant} PDF has something on it, and docs/samples says the same`, async (t) => {
    if (!(await needsPoppler(t))) return
    const built = buildDocument({
      variant,
      version: SAMPLE_VERSION,
      snapshot: SAMPLE_SNAPSHOT,
      photos: await samplePhotos(),
    })
    assert.ok(built.ok)
    const pdf = await renderPdf(built.model)
    const pages = await pdfPagesAsPng(pdf, { dpi: 40 })
    assert.ok(pages.length >= 2, `${variant}: ${pages.length} pages`)
    for (const [index, page] of pages.entries()) await assertNotBlank(page, `${variant}, page ${index + 1}`)

    const committed = readFileSync(`${samples}${variant}.pdf`)
    assert.deepEqual(
      await pdfText(committed),
      await pdfText(pdf),
      `docs/samples/${variant}.pdf is out of date: npm run samples`,
    )
  })
}

test('the sample pictures in docs/samples are there and none is blank', async () => {
  for (const name of PICTURES) {
    const file = `${samples}${name}.png`
    assert.ok(existsSync(file), `${file} is missing: npm run samples`)
    await assertNotBlank(readFileSync(file), name)
  }
})
