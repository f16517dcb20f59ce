import assert from 'node:assert/strict'
import { test } from 'node:test'
import JSZip from 'jszip'
import { zipFile } from './zip.ts'

// The Word file's zip: every part back as it went in, in order, dated with the version's date;
// text deflated and photos stored as they are (compressing a JPEG again gains nothing).

const WHEN = new Date('2026-03-03T10:15:00Z')
const photo = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff)

/** Each entry's name and compression method (0 stored, 8 deflated), read from its local header. */
function methods(zip: Buffer): [string, number][] {
  const found: [string, number][] = []
  for (let at = 0; zip.readUInt32LE(at) === 0x04034b50; ) {
    const nameLength = zip.readUInt16LE(at + 26)
    found.push([zip.toString('utf8', at + 30, at + 30 + nameLength), zip.readUInt16LE(at + 8)])
    at += 30 + nameLength + zip.readUInt16LE(at + 28) + zip.readUInt32LE(at + 18)
  }
  return found
}

test('every part comes back as it went in, in order, dated with the given date', async () => {
  const xml = `<?xml version="1.0"?><w:document>${'<w:p>Zoë Ó Briain-Łukasiewicz</w:p>'.repeat(200)}</w:document>`
  const zip = zipFile(
    [
      { path: '[Content_Types].xml', data: '<Types/>' },
      { path: 'word/document.xml', data: xml },
      { path: 'word/media/photo.jpg', data: photo },
    ],
    WHEN,
  )
  const read = await JSZip.loadAsync(zip)
  assert.deepEqual(Object.keys(read.files), [
    '[Content_Types].xml',
    'word/document.xml',
    'word/media/photo.jpg',
  ])
  assert.equal(await read.file('word/document.xml')?.async('string'), xml)
  assert.ok(Buffer.from((await read.file('word/media/photo.jpg')?.async('uint8array')) ?? []).equals(photo))
  assert.deepEqual(
    [...new Set(Object.values(read.files).map((entry) => entry.date.toISOString()))],
    ['2026-03-03T10:15:00.000Z'],
  )
  assert.deepEqual(methods(zip), [
    ['[Content_Types].xml', 8],
    ['word/document.xml', 8],
    ['word/media/photo.jpg', 0],
  ])
  assert.ok(zipFile([{ path: 'a.xml', data: xml }], WHEN).length < xml.length / 10, 'text is compressed')
})

test('the same parts and date give the same bytes', () => {
  const parts = [
    { path: 'a.xml', data: '<a/>' },
    { path: 'b.png', data: photo },
  ]
  assert.ok(zipFile(parts, WHEN).equals(zipFile(parts, WHEN)))
  assert.ok(!zipFile(parts, WHEN).equals(zipFile(parts, new Date('2026-04-01T09:00:00Z'))))
})
