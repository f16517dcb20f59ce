import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildDocument } from '../src/documents/build.ts'
import { renderDocx } from '../src/documents/docx.ts'
import type { DocumentVariant } from '../src/documents/model.ts'
import { renderPdf } from '../src/documents/pdf.ts'
import { pdfPagesAsPng } from '../test/support/pdf.ts'
import { SAMPLE_SNAPSHOT, SAMPLE_VERSION, samplePhotos } from '../test/support/sample-plan.ts'

// `npm run samples`: what an agency gets, from the invented plan of test/support/sample-plan.ts, into
// docs/samples: the whole plan and the birth family's part as PDF and Word, and their first pages as
// pictures (poppler's pdftoppm draws them). src/documents/samples.test.ts checks them.

const out = fileURLToPath(new URL('../docs/samples/', import.meta.url))
const SAMPLE_PAGES: Record<Exclude<DocumentVariant, 'review'>, number> = { full: 3, 'birth-family': 2 }

mkdirSync(out, { recursive: true })
const photos = await samplePhotos()
for (const variant of ['full', 'birth-family'] as const) {
  const built = buildDocument({ variant, version: SAMPLE_VERSION, snapshot: SAMPLE_SNAPSHOT, photos })
  if (!built.ok) throw new Error(`${variant}: ${built.reason}`)
  const pdf = await renderPdf(built.model)
  writeFileSync(join(out, `${variant}.pdf`), pdf)
  writeFileSync(join(out, `${variant}.docx`), await renderDocx(built.model))
  const pages = await pdfPagesAsPng(pdf, { dpi: 60 })
  for (const [index, page] of pages.slice(0, SAMPLE_PAGES[variant]).entries())
    writeFileSync(join(out, `${variant}-page-${index + 1}.png`), page)
  process.stdout.write(`${variant}: ${pages.length} pages, ${(pdf.length / 1024).toFixed(0)} KiB\n`)
}
