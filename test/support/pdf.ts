import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { promisify } from 'node:util'
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs'
import sharp from 'sharp'

// Reading a PDF back in tests: its text with pdf.js (as a screen reader or a search would get it),
// its pages as pictures and its syntax with poppler (as a printer or a viewer would).

const run = promisify(execFile)

export type PdfFile = Awaited<ReturnType<typeof getDocument>['promise']>

/** Opens the bytes with pdf.js; the caller destroys what it gets. */
export async function openPdf(bytes: Uint8Array): Promise<PdfFile> {
  return getDocument({
    // pdf.js takes ownership of the array it is given: hand it a copy.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    verbosity: VerbosityLevel.ERRORS,
  }).promise
}

/** A piece of text as drawn, with the marked-content tags it lies in (outermost first). */
export type TextRun = { text: string; endOfLine: boolean; marks: string[] }

/** The text of each page as pdf.js reads it, run by run, with the marked content around each. */
export async function pdfTextRuns(bytes: Uint8Array): Promise<TextRun[][]> {
  const pdf = await openPdf(bytes)
  try {
    const pages: TextRun[][] = []
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number)
      const content = await page.getTextContent({ includeMarkedContent: true })
      const open: string[] = []
      const runs: TextRun[] = []
      for (const item of content.items) {
        if ('str' in item) runs.push({ text: item.str, endOfLine: item.hasEOL, marks: [...open] })
        else if (item.type === 'endMarkedContent') open.pop()
        // pdf.js names the tag of a marked-content sequence; its types do not say so.
        else open.push((item as { tag?: string }).tag ?? '')
      }
      pages.push(runs)
    }
    return pages
  } finally {
    await pdf.destroy()
  }
}

/**
 * The text of each page, in the order it is drawn: one string per page, lines ending in \n.
 * By default only the document's own text, as a screen reader reads it: page furniture (the marking,
 * the footer, page numbers, a table header repeated on a new page) is marked as an artifact and left
 * out, so that an answer running over a page break reads as one. `furniture: true` keeps it all, as
 * printed.
 */
export async function pdfText(bytes: Uint8Array, { furniture = false } = {}): Promise<string[]> {
  return (await pdfTextRuns(bytes)).map((runs) =>
    runs
      .filter((run) => furniture || !run.marks.includes('Artifact'))
      .map((run) => run.text + (run.endOfLine ? '\n' : ''))
      .join(''),
  )
}

/**
 * Whether poppler's tools can be run here. Where they cannot, the test fails on CI (which installs
 * them) and is skipped, saying why, anywhere else.
 */
export async function needsPoppler(t: TestContext): Promise<boolean> {
  const missing: string[] = []
  for (const tool of ['pdftoppm', 'pdfinfo']) {
    try {
      await run(tool, ['-v'])
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') missing.push(tool)
    }
  }
  if (missing.length === 0) return true
  const message = `${missing.join(' and ')} not found: install poppler-utils to check PDFs as a viewer reads them`
  if (process.env.CI) assert.fail(message)
  t.skip(message)
  return false
}

async function withFile<T>(bytes: Uint8Array, use: (dir: string, file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'pdf-test-'))
  try {
    const file = join(dir, 'document.pdf')
    await writeFile(file, bytes)
    return await use(dir, file)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Each page drawn by poppler's pdftoppm as a PNG, in page order. */
export async function pdfPagesAsPng(
  bytes: Uint8Array,
  { dpi = 50 }: { dpi?: number } = {},
): Promise<Buffer[]> {
  return withFile(bytes, async (dir, file) => {
    await run('pdftoppm', ['-r', String(dpi), '-png', file, join(dir, 'page')])
    // pdftoppm pads the page number to the width of the last one: page-01.png … page-12.png.
    const pages = (await readdir(dir)).filter((name) => /^page-\d+\.png$/.test(name))
    pages.sort((a, b) => Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, '')))
    return Promise.all(pages.map((name) => readFile(join(dir, name))))
  })
}

/** What poppler's pdfinfo says of the file: its fields, and anything it complained of on stderr. */
export async function pdfInfo(
  bytes: Uint8Array,
): Promise<{ fields: Record<string, string>; stderr: string }> {
  return withFile(bytes, async (_dir, file) => {
    const { stdout, stderr } = await run('pdfinfo', ['-enc', 'UTF-8', file])
    const fields = Object.fromEntries(
      stdout
        .split('\n')
        .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
        .filter((match) => match !== null)
        .map((match) => [match[1] ?? '', match[2] ?? '']),
    )
    return { fields, stderr }
  })
}

/** Fails when a page drawn as PNG has no dark pixel: nothing, or only the faintest grey, on it. */
export async function assertNotBlank(png: Buffer, what: string): Promise<void> {
  const { channels } = await sharp(png).stats()
  const darkest = Math.min(...channels.slice(0, 3).map((channel) => channel.min))
  assert.ok(darkest < 100, `${what} looks blank (darkest value ${darkest})`)
}
