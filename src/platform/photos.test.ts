import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { assertNoMetadata, BLUE, GPS_EXIF, quartered, RED, XMP } from '../../test/support/photos.ts'
import {
  detectPhotoType,
  imageMetadataSegments,
  imageSegments,
  PHOTO_ERRORS,
  PHOTO_MAX_BYTES,
  PHOTO_MAX_SIDE,
  type PhotoResult,
  type PreparedPhoto,
  preparePhoto,
} from './photos.ts'

// Every fixture is made here, except one HEIC: sharp cannot write HEVC, so test/fixtures/photos/gps.heic
// was made once with Debian's heif-enc (libheif 1.15.1 with x265) from a 64x48 JPEG whose top-left
// quarter is red and the rest blue, carrying GPS EXIF tags (51°30'N 0°7'W).

function jpegSegment(marker: number, body: Buffer): Buffer {
  const length = Buffer.alloc(2)
  length.writeUInt16BE(body.length + 2)
  return Buffer.concat([Buffer.from([0xff, marker]), length, body])
}

// Puts segments straight after a JPEG's SOI marker.
function withSegments(jpeg: Buffer, ...segments: Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)])
}

function pngChunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])))
  return Buffer.concat([head, body, crc])
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

// Puts chunks straight after a PNG's IHDR chunk (8 bytes of signature, 25 of IHDR).
function withChunks(png: Buffer, ...chunks: Buffer[]): Buffer {
  return Buffer.concat([png.subarray(0, 33), ...chunks, png.subarray(33)])
}

function accepted(result: PhotoResult): PreparedPhoto {
  assert.ok(result.ok, `refused: ${result.ok ? '' : result.error}`)
  return result.photo
}

async function pixel(bytes: Buffer, x: number, y: number) {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true })
  const at = (y * info.width + x) * info.channels
  return { r: data[at] as number, g: data[at + 1] as number, b: data[at + 2] as number }
}

function near(actual: { r: number; g: number; b: number }, expected: { r: number; g: number; b: number }) {
  const off = Math.max(
    Math.abs(actual.r - expected.r),
    Math.abs(actual.g - expected.g),
    Math.abs(actual.b - expected.b),
  )
  assert.ok(off < 40, `${JSON.stringify(actual)} is not near ${JSON.stringify(expected)}`)
}

test('a JPEG with GPS tags comes back the right way up with no EXIF, XMP, ICC, IPTC or comment', async () => {
  const { data, raw } = quartered(60, 40)
  const made = await sharp(data, { raw })
    .jpeg()
    .withMetadata({ orientation: 6 }) // turn 90° clockwise to show; adds an sRGB ICC profile too
    .withExif(GPS_EXIF)
    .withXmp(XMP)
    .toBuffer()
  const uploaded = withSegments(
    made,
    jpegSegment(0xed, Buffer.from('Photoshop 3.0\0 8BIM IPTC caption: the Hartleys at home', 'latin1')),
    jpegSegment(0xfe, Buffer.from('GPS 51.5, -0.12', 'latin1')),
  )
  const before = imageMetadataSegments(uploaded)
  for (const segment of ['APP1 Exif', 'APP1 http://ns.adobe.com/xap/1.0/', 'APP2 ICC_PROFILE', 'COM'])
    assert.ok(before.includes(segment), `the upload has ${segment}: ${before}`)
  assert.ok(before.includes('APP13 Photoshop 3.0'))
  const header = await sharp(uploaded).metadata()
  assert.equal(header.orientation, 6)
  assert.ok((header.exif?.length ?? 0) > 0)

  const photo = accepted(await preparePhoto(uploaded))

  assert.equal(photo.mediaType, 'image/jpeg')
  assert.deepEqual(imageSegments(photo.bytes).slice(0, 1), ['SOI'])
  await assertNoMetadata(photo.bytes)
  // Turned: 40 wide and 60 high, the red quarter now top right.
  assert.deepEqual([photo.width, photo.height], [40, 60])
  const info = await sharp(photo.bytes).metadata()
  assert.deepEqual([info.format, info.width, info.height], ['jpeg', 40, 60])
  near(await pixel(photo.bytes, 35, 5), RED)
  near(await pixel(photo.bytes, 5, 5), BLUE)
  near(await pixel(photo.bytes, 35, 55), BLUE)
})

test('a PNG keeps its transparency and loses its text, EXIF, XMP and ICC chunks', async () => {
  const made = await sharp({
    create: { width: 30, height: 20, channels: 4, background: { ...BLUE, alpha: 0.5 } },
  })
    .png()
    .withExif(GPS_EXIF)
    .withXmp(XMP)
    .withIccProfile('p3')
    .toBuffer()
  const uploaded = withChunks(
    made,
    pngChunk('tEXt', Buffer.from('Comment\0Taken at 12 Acacia Avenue', 'latin1')),
    pngChunk('tIME', Buffer.from([0x07, 0xea, 11, 23, 10, 0, 0])),
  )
  const before = imageSegments(uploaded)
  for (const chunk of ['tEXt', 'tIME', 'eXIf', 'iCCP'])
    assert.ok(before.includes(chunk), `${chunk} in ${before}`)
  assert.ok(before.includes('zTXt') || before.includes('iTXt'), 'the XMP is in a text chunk')

  const photo = accepted(await preparePhoto(uploaded))

  assert.equal(photo.mediaType, 'image/png')
  assert.deepEqual([photo.width, photo.height], [30, 20])
  await assertNoMetadata(photo.bytes)
  assert.deepEqual(
    imageSegments(photo.bytes).filter((chunk) => chunk !== 'IDAT'),
    ['IHDR', 'pHYs', 'IEND'],
  )
  const info = await sharp(photo.bytes).metadata()
  assert.deepEqual([info.format, info.hasAlpha], ['png', true])
})

test('a HEIC becomes a JPEG with no metadata, its pixels decoded off the main thread', async () => {
  const uploaded = readFileSync(new URL('../../test/fixtures/photos/gps.heic', import.meta.url))
  assert.equal(detectPhotoType(uploaded), 'heic')
  assert.ok(uploaded.includes('Exif'), 'the fixture carries EXIF')

  const photo = accepted(await preparePhoto(uploaded))

  assert.equal(photo.mediaType, 'image/jpeg')
  assert.deepEqual([photo.width, photo.height], [64, 48])
  await assertNoMetadata(photo.bytes)
  near(await pixel(photo.bytes, 5, 5), RED)
  near(await pixel(photo.bytes, 60, 5), BLUE)
  near(await pixel(photo.bytes, 5, 44), BLUE)
})

test('a large photo is scaled down to fit, and a small one is never scaled up', async () => {
  const wide = await sharp({ create: { width: 3000, height: 1000, channels: 3, background: RED } })
    .jpeg()
    .toBuffer()
  const photo = accepted(await preparePhoto(wide))
  assert.deepEqual([photo.width, photo.height], [PHOTO_MAX_SIDE, 667])
  const small = await sharp({ create: { width: 10, height: 8, channels: 3, background: RED } })
    .png()
    .toBuffer()
  assert.deepEqual(
    [accepted(await preparePhoto(small)).width, accepted(await preparePhoto(small)).height],
    [10, 8],
  )
})

test('the same upload gives the same bytes, named by their SHA-256', async () => {
  const { data, raw } = quartered(16, 16)
  const uploaded = await sharp(data, { raw }).jpeg().toBuffer()
  const first = accepted(await preparePhoto(uploaded))
  const second = accepted(await preparePhoto(uploaded))
  assert.equal(first.sha256, second.sha256)
  assert.match(first.sha256, /^[0-9a-f]{64}$/)
  assert.deepEqual(first.bytes, second.bytes)
})

test('the type is told by the content, never the name: a text file, GIF, AVIF or SVG is refused', async () => {
  const text = Buffer.from('Dear Ada,\nHere is the photo of the garden.\n') // "garden.jpg"
  assert.deepEqual(await preparePhoto(text), { ok: false, error: PHOTO_ERRORS.type })
  const gif = await sharp({ create: { width: 4, height: 4, channels: 3, background: RED } })
    .gif()
    .toBuffer()
  assert.deepEqual(await preparePhoto(gif), { ok: false, error: PHOTO_ERRORS.type })
  const avif = await sharp({ create: { width: 8, height: 8, channels: 3, background: RED } })
    .avif({ effort: 0 })
    .toBuffer()
  assert.deepEqual(await preparePhoto(avif), { ok: false, error: PHOTO_ERRORS.type })
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
  assert.deepEqual(await preparePhoto(svg), { ok: false, error: PHOTO_ERRORS.type })
})

function ftyp(major: string, ...compatible: string[]): Buffer {
  const box = Buffer.alloc(16 + 4 * compatible.length)
  box.writeUInt32BE(box.length)
  box.write(`ftyp${major}`, 4, 'latin1')
  compatible.forEach((brand, i) => {
    box.write(brand, 16 + 4 * i, 'latin1')
  })
  return Buffer.concat([box, Buffer.alloc(32)])
}

test('HEIC is known by its ftyp box: HEVC brands and plain HEIF, not AVIF or video', () => {
  assert.equal(detectPhotoType(ftyp('heic', 'mif1', 'heic')), 'heic')
  assert.equal(detectPhotoType(ftyp('mif1', 'heic')), 'heic')
  assert.equal(detectPhotoType(ftyp('mif1', 'miaf')), 'heic')
  for (const brand of ['heix', 'hevc', 'heim', 'heis', 'hevm', 'hevs', 'msf1'])
    assert.equal(detectPhotoType(ftyp(brand)), 'heic', brand)
  assert.equal(detectPhotoType(ftyp('avif', 'mif1', 'miaf')), undefined)
  assert.equal(detectPhotoType(ftyp('mif1', 'avif')), undefined)
  assert.equal(detectPhotoType(ftyp('isom', 'mp42')), undefined, 'an MP4 video')
  const wrongSize = ftyp('heic')
  wrongSize.writeUInt32BE(9999)
  assert.equal(detectPhotoType(wrongSize), undefined)
  assert.equal(detectPhotoType(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), 'jpeg')
  assert.equal(detectPhotoType(PNG_SIGNATURE), 'png')
})

test('a file over 10MB is refused before it is decoded, and one of 10MB is not', async () => {
  // JPEG's first bytes and then nothing a decoder could read: only the size can refuse it.
  const twentyMegabytes = Buffer.alloc(20 * 1024 * 1024)
  twentyMegabytes.set([0xff, 0xd8, 0xff, 0xe0])
  assert.deepEqual(await preparePhoto(twentyMegabytes), { ok: false, error: PHOTO_ERRORS.tooBig })
  assert.deepEqual(await preparePhoto(twentyMegabytes.subarray(0, PHOTO_MAX_BYTES + 1)), {
    ok: false,
    error: PHOTO_ERRORS.tooBig,
  })
  assert.deepEqual(await preparePhoto(twentyMegabytes.subarray(0, PHOTO_MAX_BYTES)), {
    ok: false,
    error: PHOTO_ERRORS.unreadable,
  })
})

test('an empty file is refused', async () => {
  assert.deepEqual(await preparePhoto(Buffer.alloc(0)), { ok: false, error: PHOTO_ERRORS.empty })
})

test('a truncated or corrupt JPEG, PNG or HEIC is refused with a message, not a crash', async () => {
  const noise = await sharp({
    create: {
      width: 64,
      height: 64,
      channels: 3,
      background: RED,
      noise: { type: 'gaussian', mean: 128, sigma: 50 },
    },
  })
  const jpeg = await noise.clone().jpeg().toBuffer()
  const png = await noise.clone().png().toBuffer()
  const heic = readFileSync(new URL('../../test/fixtures/photos/gps.heic', import.meta.url))
  const broken = [
    jpeg.subarray(0, Math.floor(jpeg.length / 2)),
    png.subarray(0, Math.floor(png.length / 2)),
    heic.subarray(0, Math.floor(heic.length / 2)),
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]),
    Buffer.concat([PNG_SIGNATURE, Buffer.from('not really a png')]),
    ftyp('heic', 'mif1'),
  ]
  for (const bytes of broken)
    assert.deepEqual(await preparePhoto(bytes), { ok: false, error: PHOTO_ERRORS.unreadable })
})

test('a decompression bomb is refused from its header, before its pixels are decoded', async () => {
  // A PNG of a few dozen bytes that claims to be 30000 by 30000 (900 megapixels).
  const header = Buffer.alloc(13)
  header.writeUInt32BE(30_000, 0)
  header.writeUInt32BE(30_000, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB
  const png = Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(1024))),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
  assert.deepEqual(await preparePhoto(png), { ok: false, error: PHOTO_ERRORS.tooManyPixels })

  // A real JPEG whose frame header is changed to claim 10000 by 10000 (100 megapixels).
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: RED } })
    .jpeg()
    .toBuffer()
  const frame = jpeg.indexOf(Buffer.from([0xff, 0xc0]))
  assert.ok(frame > 0)
  jpeg.writeUInt16BE(10_000, frame + 5)
  jpeg.writeUInt16BE(10_000, frame + 7)
  assert.deepEqual(await preparePhoto(jpeg), { ok: false, error: PHOTO_ERRORS.tooManyPixels })
})

test('the segment lister names JPEG segments and PNG chunks, and what follows the end', async () => {
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: RED } })
    .jpeg()
    .toBuffer()
  const segments = imageSegments(jpeg)
  assert.equal(segments[0], 'SOI')
  assert.equal(segments.at(-1), 'EOI')
  for (const segment of ['DQT', 'SOF0', 'DHT', 'SOS']) assert.ok(segments.includes(segment), segment)
  assert.deepEqual(imageMetadataSegments(jpeg), [])
  // A second image hidden after the end (as some phones append a depth map or a thumbnail).
  assert.deepEqual(imageMetadataSegments(Buffer.concat([jpeg, jpeg])), ['trailing data'])
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: RED } })
    .png()
    .toBuffer()
  assert.deepEqual(imageMetadataSegments(Buffer.concat([png, Buffer.from('x')])), ['trailing data'])
  assert.throws(() => imageSegments(Buffer.from('hello')), /Not a JPEG or PNG/)
  assert.throws(() => imageSegments(jpeg.subarray(0, 20)), /ends/)
})
