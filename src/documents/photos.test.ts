import assert from 'node:assert/strict'
import { test } from 'node:test'
import sharp from 'sharp'
import { imageMetadataSegments } from '../platform/photos.ts'
import type { DocumentPhoto } from './build.ts'
import { photoForPrint, printSize } from './photos.ts'

// A document's photos at the size it prints them: 300 dpi at the larger of the PDF's and the Word
// file's printed sizes, never larger than stored, the same bytes every time.

async function photoOf(width: number, height: number, type: 'jpeg' | 'png' = 'jpeg'): Promise<DocumentPhoto> {
  const image = sharp({ create: { width, height, channels: 3, background: '#3a7d44' } })
  const bytes = await (type === 'png' ? image.png() : image.jpeg({ quality: 85 })).toBuffer()
  return {
    subject: 'child',
    name: 'Maya Okafor',
    description: 'Maya in the garden',
    mediaType: type === 'png' ? 'image/png' : 'image/jpeg',
    bytes,
    width,
    height,
  }
}

test('a photo needs no more pixels than 300 dpi at the size it is printed', () => {
  // An ordinary photo prints largest in the Word file, 9 cm across: 1063 pixels at 300 dpi.
  assert.deepEqual(printSize(1600, 1200), { width: 1063, height: 797 })
  assert.deepEqual(printSize(1200, 1600), { width: 797, height: 1063 })
  // A panorama prints across the PDF's page, 17 cm.
  assert.deepEqual(printSize(3000, 1000), { width: 2008, height: 669 })
  // Small enough already: kept as it is, never enlarged.
  assert.equal(printSize(1000, 750), null)
  assert.equal(printSize(300, 225), null)
})

test('a large photo is scaled to print size, as a plain JPEG, the same bytes each time', async () => {
  const photo = await photoOf(1600, 1200)
  const printed = await photoForPrint(photo, 'test-large-jpeg')
  assert.equal(printed.width, 1063)
  assert.equal(printed.height, 797)
  assert.equal(printed.mediaType, 'image/jpeg')
  assert.equal(printed.name, photo.name)
  assert.equal(printed.description, photo.description)
  const { width, height, format } = await sharp(printed.bytes).metadata()
  assert.deepEqual({ width, height, format }, { width: 1063, height: 797, format: 'jpeg' })
  assert.deepEqual(imageMetadataSegments(printed.bytes), [])
  // Kept: the same bytes again, and made afresh they are the same too.
  assert.equal((await photoForPrint(photo, 'test-large-jpeg')).bytes, printed.bytes)
  assert.ok(Buffer.from((await photoForPrint(photo, 'test-large-jpeg-again')).bytes).equals(printed.bytes))
})

test('a PNG stays a PNG; a small photo is left as it is', async () => {
  const png = await photoForPrint(await photoOf(2000, 1500, 'png'), 'test-large-png')
  assert.equal(png.mediaType, 'image/png')
  assert.equal((await sharp(png.bytes).metadata()).format, 'png')
  assert.deepEqual([png.width, png.height], [1063, 797])
  const small = await photoOf(640, 480)
  assert.equal(await photoForPrint(small, 'test-small'), small)
})

test('a photo that cannot be scaled is used as it is', async () => {
  const broken: DocumentPhoto = { ...(await photoOf(1600, 1200)), bytes: Buffer.from('not a photo') }
  assert.equal((await photoForPrint(broken, 'test-broken')).bytes, broken.bytes)
})
