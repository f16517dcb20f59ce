// Photos people upload (issue 4): checked by their content, never by their name or the browser's
// content type, and always re-encoded into a fresh file that carries pixels and nothing else. A phone
// photo's EXIF holds where it was taken, to a few metres, and the photo of a child at home would tell
// whoever sees the file where an adoptive family lives; XMP, IPTC, comments, ICC profiles and
// embedded thumbnails are dropped with it (docs/adr/0008-photos.md).
// No feature and no database here: bytes in, a photo or a message for the person out.
import { createHash } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import sharp, { type OutputInfo, type Sharp } from 'sharp'
import type { HeicReply, HeicRequest } from './photos-heic-worker.ts'

export const PHOTO_MAX_BYTES = 10 * 1024 * 1024
// Refused before any pixel is decoded (a decompression bomb is a small file that claims a huge
// image). 50 megapixels holds a 48-megapixel phone photo and needs about 200 MB to decode.
export const PHOTO_MAX_PIXELS = 50_000_000
// Stored photos are scaled down to fit this square, never up: more than enough for a page or a printed
// plan, and it keeps a stored photo to a few hundred kilobytes.
export const PHOTO_MAX_SIDE = 2000
const JPEG_QUALITY = 85
// A pathological file that keeps libvips busy longer than this is refused.
const ENCODE_TIMEOUT_SECONDS = 30
// A HEIC that takes longer than this to decode is refused rather than waited for.
const HEIC_DECODE_TIMEOUT_MS = 60_000
// Each HEIC decode holds up to about 400 MB (the WebAssembly heap and the pixels); at most this many at once.
const HEIC_DECODES_AT_ONCE = 2

// Shown under the file input, in the words of the GOV.UK Design System's file upload pattern.
export const PHOTO_ERRORS = {
  empty: 'The selected file is empty',
  type: 'The selected file must be a JPG, PNG or HEIC',
  tooBig: 'The selected file must be smaller than 10MB',
  tooManyPixels: 'The selected file must be smaller than 50 megapixels',
  unreadable: 'The selected file could not be read as a photo',
} as const

export type PhotoMediaType = 'image/jpeg' | 'image/png'
export type PreparedPhoto = {
  bytes: Buffer
  mediaType: PhotoMediaType
  width: number
  height: number
  /** Of the stored bytes, in hex. */
  sha256: string
}
export type PhotoResult = { ok: true; photo: PreparedPhoto } | { ok: false; error: string }
export type PhotoType = 'jpeg' | 'png' | 'heic'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
// HEIF brands whose images are HEVC-coded, and the general HEIF brands, which an AVIF may also carry.
const HEVC_BRANDS = new Set(['heic', 'heix', 'hevc', 'heim', 'heis', 'hevm', 'hevs'])
const HEIF_BRANDS = new Set(['mif1', 'msf1'])
const AVIF_BRANDS = new Set(['avif', 'avis'])

/** What the bytes are, by their first bytes alone. */
export function detectPhotoType(bytes: Uint8Array): PhotoType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (bytes.length >= 8 && PNG_SIGNATURE.equals(bytes.subarray(0, 8))) return 'png'
  const brands = ftypBrands(bytes)
  if (brands.some((brand) => HEVC_BRANDS.has(brand))) return 'heic'
  // An AVIF (AV1, not HEVC) names mif1 too; it is not among the accepted types.
  if (brands.some((brand) => HEIF_BRANDS.has(brand)) && !brands.some((brand) => AVIF_BRANDS.has(brand)))
    return 'heic'
  return undefined
}

// The major and compatible brands of an ISO base media file's leading `ftyp` box, or none.
function ftypBrands(bytes: Uint8Array): string[] {
  if (bytes.length < 16) return []
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const size = view.readUInt32BE(0)
  if (view.toString('latin1', 4, 8) !== 'ftyp' || size < 16 || size > bytes.length || size % 4 !== 0)
    return []
  const brands = [view.toString('latin1', 8, 12)]
  for (let at = 16; at < size; at += 4) brands.push(view.toString('latin1', at, at + 4))
  return brands
}

/**
 * Checks an uploaded file and re-encodes it for storing: the right way up, scaled to fit
 * PHOTO_MAX_SIDE, in sRGB, and with no metadata at all. JPEG stays JPEG, PNG stays PNG and
 * HEIC becomes JPEG, which every browser shows.
 */
export async function preparePhoto(bytes: Buffer): Promise<PhotoResult> {
  if (bytes.length === 0) return refuse('empty')
  // Before anything is decoded or even looked at.
  if (bytes.length > PHOTO_MAX_BYTES) return refuse('tooBig')
  const type = detectPhotoType(bytes)
  if (!type) return refuse('type')
  let encoded: { data: Buffer; info: OutputInfo }
  try {
    if (type === 'heic') {
      const decoded = await decodeHeic(bytes)
      if (decoded.kind === 'too-many-pixels') return refuse('tooManyPixels')
      if (decoded.kind === 'unreadable') return refuse('unreadable')
      const { width, height, rgba } = decoded
      encoded = await asJpeg(
        sharp(rgba, { raw: { width, height, channels: 4 }, limitInputPixels: PHOTO_MAX_PIXELS }).flatten({
          background: '#ffffff',
        }),
      )
    } else {
      const image = sharp(bytes, {
        // Refuses truncated and corrupt files; mere warnings (stray bytes some cameras write) are let by.
        failOn: 'error',
        limitInputPixels: PHOTO_MAX_PIXELS,
        // EXIF orientation is applied to the pixels before the EXIF is dropped.
        autoOrient: true,
      })
      // The header alone: the decoder must agree with the first bytes, and the size is checked here,
      // before decoding, so that the message can say why (sharp's own limit stands behind it).
      const header = await image.metadata()
      if (header.format !== type) return refuse('unreadable')
      if (header.width * header.height > PHOTO_MAX_PIXELS) return refuse('tooManyPixels')
      encoded = type === 'jpeg' ? await asJpeg(image) : await asPng(image)
    }
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) return refuse('tooManyPixels')
    return refuse('unreadable')
  }
  const { data, info } = encoded
  // Belt and braces: what is stored must carry no metadata whatever the encoder did.
  const leftover = imageMetadataSegments(data)
  if (leftover.length > 0) throw new Error(`A re-encoded photo still carries ${leftover.join(', ')}`)
  return {
    ok: true,
    photo: {
      bytes: data,
      mediaType: type === 'png' ? 'image/png' : 'image/jpeg',
      width: info.width,
      height: info.height,
      sha256: createHash('sha256').update(data).digest('hex'),
    },
  }
}

function refuse(reason: keyof typeof PHOTO_ERRORS): PhotoResult {
  return { ok: false, error: PHOTO_ERRORS[reason] }
}

// sharp writes no EXIF, XMP, IPTC or ICC profile unless told to keep or add them (keepMetadata,
// withMetadata, withExif and the like, none of which is used here), and converts to sRGB first.
function fit(image: Sharp): Sharp {
  return image
    .resize({
      width: PHOTO_MAX_SIDE,
      height: PHOTO_MAX_SIDE,
      fit: 'inside',
      withoutEnlargement: true,
    })
    .timeout({ seconds: ENCODE_TIMEOUT_SECONDS })
}

function asJpeg(image: Sharp) {
  return fit(image).jpeg({ quality: JPEG_QUALITY, mozjpeg: true }).toBuffer({ resolveWithObject: true })
}

function asPng(image: Sharp) {
  return fit(image).png().toBuffer({ resolveWithObject: true })
}

// HEIC: the prebuilt libvips that sharp ships reads a HEIC's header but cannot decode its pixels
// (it has no HEVC decoder), so libheif-js decodes them, in a worker thread (photos-heic-worker.ts),
// and sharp encodes the raw pixels. The pixels carry no metadata, and libheif has applied the
// HEIF rotation and mirroring (a HEIC's own way of recording orientation).
let heicDecodesRunning = 0
const heicDecodesWaiting: (() => void)[] = []

async function decodeHeic(bytes: Buffer): Promise<HeicReply> {
  if (heicDecodesRunning >= HEIC_DECODES_AT_ONCE)
    await new Promise<void>((resolve) => heicDecodesWaiting.push(resolve))
  heicDecodesRunning++
  try {
    return await decodeHeicInWorker({ bytes: new Uint8Array(bytes), maxPixels: PHOTO_MAX_PIXELS })
  } finally {
    heicDecodesRunning--
    heicDecodesWaiting.shift()?.()
  }
}

function decodeHeicInWorker(request: HeicRequest): Promise<HeicReply> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./photos-heic-worker.ts', import.meta.url), { workerData: request })
    let settled = false
    const settle = (reply: HeicReply) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(reply)
      void worker.terminate()
    }
    const timer = setTimeout(() => settle({ kind: 'unreadable' }), HEIC_DECODE_TIMEOUT_MS)
    worker.once('message', (reply: HeicReply) => settle(reply))
    worker.once('error', () => settle({ kind: 'unreadable' }))
    worker.once('exit', () => settle({ kind: 'unreadable' }))
  })
}

// ---------------------------------------------------------------------------------------------------
// Reading what a JPEG or PNG file carries besides its pixels: the segments (JPEG) or chunks (PNG) in
// file order. Used above on every photo before it is stored, and by tests on the stored bytes.

/**
 * The JPEG segments (`SOI`, `APP0 JFIF`, `APP1 Exif`, `DQT`, `SOS`, `COM`, `EOI`…; an APPn segment is
 * named with its identifier) or PNG chunk types (`IHDR`, `tEXt`, `IDAT`…) of a file, in order, with
 * `trailing data` for bytes after the end. Throws for anything else or a file cut short.
 */
export function imageSegments(bytes: Uint8Array): string[] {
  const type = detectPhotoType(bytes)
  if (type === 'jpeg') return jpegSegments(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  if (type === 'png') return pngChunks(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  throw new Error('Not a JPEG or PNG file')
}

// In a PNG every ancillary chunk (text, EXIF, ICC profile, time, gamma…) is metadata of some kind
// except tRNS, which is part of the pixels, and pHYs, the pixel density that libvips always writes
// (as a JPEG's JFIF header holds it).
const PNG_PLAIN_CHUNKS = new Set(['IHDR', 'PLTE', 'tRNS', 'pHYs', 'IDAT', 'IEND'])
// A bare JFIF header: version, density and no thumbnail, 14 bytes.
const BARE_JFIF = 'APP0 JFIF (14 bytes)'

/**
 * The segments or chunks of imageSegments that carry anything but pixels: in a JPEG every APP1 to
 * APP15 segment (EXIF, XMP, ICC profile, IPTC, MPF, Adobe), a comment, an APP0 that is more than a
 * bare JFIF header and any marker not named here; in a PNG every chunk but IHDR, PLTE, tRNS, pHYs,
 * IDAT and IEND; in both, anything after the end.
 * A photo fit to store has none.
 */
export function imageMetadataSegments(bytes: Uint8Array): string[] {
  const png = detectPhotoType(bytes) === 'png'
  return imageSegments(bytes).filter((name) =>
    png
      ? !PNG_PLAIN_CHUNKS.has(name)
      : (name.startsWith('APP') && name !== BARE_JFIF) ||
        name === 'COM' ||
        name.startsWith('marker ') ||
        name === 'trailing data',
  )
}

const JPEG_MARKERS: Record<number, string> = {
  196: 'DHT',
  204: 'DAC',
  217: 'EOI',
  218: 'SOS',
  219: 'DQT',
  220: 'DNL',
  221: 'DRI',
  222: 'DHP',
  223: 'EXP',
  254: 'COM',
}

function jpegMarkerName(marker: number, body: Buffer): string {
  if (marker >= 0xe0 && marker <= 0xef) {
    const end = body.indexOf(0)
    const identifier = body.toString('latin1', 0, end >= 0 && end <= 40 ? end : Math.min(body.length, 40))
    const name = `APP${marker - 0xe0}${/^[\x20-\x7e]+$/.test(identifier) ? ` ${identifier}` : ''}`
    return name === 'APP0 JFIF' ? `${name} (${body.length} bytes)` : name
  }
  if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
    return `SOF${marker - 0xc0}`
  return JPEG_MARKERS[marker] ?? `marker ${marker.toString(16).toUpperCase()}`
}

function jpegSegments(bytes: Buffer): string[] {
  const names = ['SOI']
  let at = 2
  for (;;) {
    if (at >= bytes.length) throw new Error('The JPEG ends before its EOI marker')
    if (bytes[at] !== 0xff) throw new Error(`No JPEG marker at byte ${at}`)
    while (bytes[at + 1] === 0xff) at++ // fill bytes
    const marker = bytes[at + 1]
    if (marker === undefined) throw new Error('The JPEG ends before its EOI marker')
    at += 2
    if (marker === 0xd9) {
      names.push('EOI')
      if (at < bytes.length) names.push('trailing data')
      return names
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue // RSTn and TEM stand alone
    if (at + 2 > bytes.length) throw new Error('The JPEG ends inside a segment')
    const length = bytes.readUInt16BE(at)
    if (length < 2 || at + length > bytes.length) throw new Error('The JPEG ends inside a segment')
    names.push(jpegMarkerName(marker, bytes.subarray(at + 2, at + length)))
    at += length
    // After a scan's header come its entropy-coded data, which end at the first marker other than
    // a stuffed 0xFF00 or a restart marker.
    if (marker === 0xda) {
      while (at + 1 < bytes.length) {
        const next = bytes[at + 1] as number
        if (bytes[at] === 0xff && next !== 0x00 && next !== 0xff && !(next >= 0xd0 && next <= 0xd7)) break
        at++
      }
    }
  }
}

function pngChunks(bytes: Buffer): string[] {
  const names: string[] = []
  let at = PNG_SIGNATURE.length
  for (;;) {
    if (at + 12 > bytes.length) throw new Error('The PNG ends before its IEND chunk')
    const length = bytes.readUInt32BE(at)
    const type = bytes.toString('latin1', at + 4, at + 8)
    if (at + 12 + length > bytes.length) throw new Error(`The PNG ends inside its ${type} chunk`)
    names.push(type)
    at += 12 + length
    if (type === 'IEND') {
      if (at < bytes.length) names.push('trailing data')
      return names
    }
  }
}
