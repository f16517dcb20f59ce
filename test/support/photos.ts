import assert from 'node:assert/strict'
import sharp, { type CreateRaw } from 'sharp'
import { imageMetadataSegments } from '../../src/platform/photos.ts'

// Photos for tests, made here rather than kept as files: a phone photo's metadata, and the check
// that none of it is left in what the service stores.

export const RED = { r: 220, g: 20, b: 20 }
export const BLUE = { r: 20, g: 20, b: 220 }

// Raw RGB pixels, blue with a red top-left quarter: shows which way up a photo came out.
export function quartered(width: number, height: number): { data: Buffer; raw: CreateRaw } {
  const data = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const { r, g, b } = x < width / 2 && y < height / 2 ? RED : BLUE
      data.set([r, g, b], (y * width + x) * 3)
    }
  return { data, raw: { width, height, channels: 3 } }
}

export const GPS_EXIF = {
  IFD0: { Make: 'Phone maker', Model: 'Phone', ImageDescription: 'At home' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '51/1 30/1 0/1',
    GPSLongitudeRef: 'W',
    GPSLongitude: '0/1 7/1 0/1',
  },
}
export const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="51,30.0N"/></rdf:RDF></x:xmpmeta>'

/** A JPEG as a phone writes it: GPS position, maker and model in its EXIF. */
export function gpsJpeg(width = 60, height = 40): Promise<Buffer> {
  const { data, raw } = quartered(width, height)
  return sharp(data, { raw }).jpeg().withExif(GPS_EXIF).toBuffer()
}

// What an acceptance test checks on the stored bytes: not a trace of the metadata.
export async function assertNoMetadata(bytes: Buffer): Promise<void> {
  assert.deepEqual(imageMetadataSegments(bytes), [])
  const text = bytes.toString('latin1')
  for (const trace of ['Exif', 'http://ns.adobe.com', 'ICC_PROFILE', 'Photoshop', 'GPS', 'At home', 'Phone'])
    assert.ok(!text.includes(trace), `the bytes contain ${trace}`)
  const metadata = await sharp(bytes).metadata()
  assert.equal(metadata.exif, undefined)
  assert.equal(metadata.xmp, undefined)
  assert.equal(metadata.icc, undefined)
  assert.equal(metadata.iptc, undefined)
  assert.equal(metadata.comments, undefined)
  assert.equal(metadata.orientation, undefined)
}
