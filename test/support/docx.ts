import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import JSZip from 'jszip'

// Reading a Word file back in tests: its parts, its paragraphs and their text, and (where
// LibreOffice is installed) the PDF LibreOffice makes of it, to show that another program opens it.

const exec = promisify(execFile)

/** One part of the package as text, such as "word/document.xml"; fails when the part is missing. */
export async function docxPart(docx: Buffer, path: string): Promise<string> {
  const part = (await JSZip.loadAsync(docx)).file(path)
  assert.ok(part, `the Word file has no ${path}`)
  return part.async('string')
}

/** The paths of the package's parts, in the zip's order. */
export async function docxPartNames(docx: Buffer): Promise<string[]> {
  return Object.keys((await JSZip.loadAsync(docx)).files)
}

export type DocxParagraph = { style: string | null; text: string }

/**
 * Every paragraph of the body in document order, tables' cell paragraphs included: its style id
 * (w:pStyle) and its text (w:t joined, a line break w:br as "\n", a tab as "\t"; field codes and
 * page breaks give nothing).
 */
export async function docxParagraphs(docx: Buffer): Promise<DocxParagraph[]> {
  return paragraphsOf(await docxPart(docx, 'word/document.xml'))
}

/** Every paragraph's text, one paragraph a line. */
export async function docxText(docx: Buffer): Promise<string> {
  return (await docxParagraphs(docx)).map((paragraph) => paragraph.text).join('\n')
}

export function paragraphsOf(xml: string): DocxParagraph[] {
  const paragraphs: DocxParagraph[] = []
  let paragraph: DocxParagraph | undefined
  let inText = false
  let inRun = false
  // Tags and the text between them; the documents read here have no comments or CDATA.
  for (const [token] of xml.matchAll(/<[^>]*>|[^<]+/g)) {
    if (!token.startsWith('<')) {
      if (paragraph && inText) paragraph.text += decodeXml(token)
      continue
    }
    const [, closing, name = '', rest = ''] = /^<(\/?)([\w:]+)(.*?)(\/?)>$/s.exec(token) ?? []
    const selfClosing = token.endsWith('/>')
    if (name === 'w:p') {
      if (closing) {
        if (paragraph) paragraphs.push(paragraph)
        paragraph = undefined
      } else {
        paragraph = { style: null, text: '' }
        if (selfClosing) {
          paragraphs.push(paragraph)
          paragraph = undefined
        }
      }
    } else if (name === 'w:r') inRun = !closing && !selfClosing
    else if (name === 'w:t') inText = !closing && !selfClosing
    else if (!paragraph) continue
    else if (name === 'w:pStyle') paragraph.style = attribute(rest, 'w:val')
    else if (name === 'w:br' && inRun) {
      const type = attribute(rest, 'w:type')
      if (type === null || type === 'textWrapping') paragraph.text += '\n'
    } else if (name === 'w:tab' && inRun) paragraph.text += '\t'
  }
  return paragraphs
}

function attribute(attributes: string, name: string): string | null {
  const match = new RegExp(`${name}="([^"]*)"`).exec(attributes)
  return match?.[1] === undefined ? null : decodeXml(match[1])
}

export function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16))
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10))
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity.toLowerCase()] ?? ''
  })
}

/** LibreOffice's program on PATH (Debian's libreoffice-writer-nogui gives both names), or null. */
export function libreOffice(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter))
    for (const name of ['soffice', 'libreoffice'])
      if (dir && existsSync(join(dir, name))) return join(dir, name)
  return null
}

export const NO_LIBREOFFICE =
  'LibreOffice is not installed (no soffice or libreoffice on PATH): the Word file was not opened'

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)))
}

/**
 * The Word file converted to PDF by LibreOffice, headless, with a profile of its own so that runs
 * at the same time do not clash, and the PDF's text and page count where poppler's pdftotext and
 * pdfinfo are installed (null where not), and its title as pdfinfo reads it from the metadata. Throws if LibreOffice fails or makes no PDF.
 */
export async function convertWithLibreOffice(
  program: string,
  docx: Buffer,
): Promise<{ pdf: Buffer; text: string | null; pages: number | null; title: string | null }> {
  const dir = await mkdtemp(join(tmpdir(), 'docx-to-pdf-'))
  try {
    const input = join(dir, 'document.docx')
    await writeFile(input, docx)
    const profile = `file://${join(dir, 'profile')}`
    await exec(
      program,
      [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, input],
      { timeout: 90_000 },
    )
    const output = join(dir, 'document.pdf')
    assert.ok(existsSync(output), 'LibreOffice made no PDF of the Word file')
    const pdf = await readFile(output)
    const text = onPath('pdftotext') ? (await exec('pdftotext', ['-enc', 'UTF-8', output, '-'])).stdout : null
    const info = onPath('pdfinfo') ? (await exec('pdfinfo', [output])).stdout : null
    const pages = info === null ? null : Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? Number.NaN)
    const title = info === null ? null : (/^Title:\s+(.*)$/m.exec(info)?.[1] ?? '')
    return { pdf, text, pages, title }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
