import sharp from 'sharp'
import type { DocumentPhoto } from './build.ts'
import { DOCX_PHOTO_BOX } from './docx.ts'
import { PDF_PHOTO_BOX } from './pdf.ts'

// Photos at the size a document prints them (issue 6, ADR 0023). A stored photo may be 2000 pixels
// a side (src/platform/photos.ts), but the PDF draws it within 17 × 6 cm and the Word file within
// 9 × 9 cm: an ordinary photo prints no more than 9 cm across, where 300 dots to the inch is about
// 1,060 pixels. Every pixel more only made each file larger. So a document's photo is scaled to
// what the larger of its two printed sizes needs at 300 dpi, once (a few tens of milliseconds a
// photo, on libvips's threads), and kept for the next document of that photo.

/** Dots to the inch a printed photo needs to look sharp on paper. */
const PRINT_DPI = 300
// About 200 KB each at print size: a few plans' photos.
const PHOTOS_KEPT = 64
const JPEG_QUALITY = 85

/**
 * The pixel size the photo needs for print, or null when it has no more than that already: the
 * larger of its sizes drawn in the PDF's and the Word file's photo boxes, at PRINT_DPI.
 */
export function printSize(width: number, height: number): { width: number; height: number } | null {
  if (width < 1 || height < 1) return null
  const inchesPerPixel = Math.max(
    ...[PDF_PHOTO_BOX, DOCX_PHOTO_BOX].map((box) => Math.min(box.width / width, box.height / height)),
  )
  const scale = inchesPerPixel * PRINT_DPI
  if (scale >= 1) return null
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

// By the stored photo's SHA-256: a stored photo never changes, so neither does its printed copy.
// Least recently used first; a promise, so that two documents asking at once scale it once.
type Pixels = Pick<DocumentPhoto, 'mediaType' | 'bytes' | 'width' | 'height'>
const kept = new Map<string, Promise<Pixels>>()

/**
 * The photo at print size (the same photo if it is no larger than that), made once per stored photo
 * and kept. `key` names the stored photo's bytes: its SHA-256.
 */
export async function photoForPrint(photo: DocumentPhoto, key: string): Promise<DocumentPhoto> {
  const size = printSize(photo.width, photo.height)
  if (!size) return photo
  let pixels = kept.get(key)
  if (pixels) kept.delete(key)
  else
    pixels = scaled(photo, size).catch(() => {
      // A stored photo has been decoded once already; should it fail now, the document still has
      // it, full size, and the next document tries again.
      if (kept.get(key) === pixels) kept.delete(key)
      return photo
    })
  kept.set(key, pixels)
  if (kept.size > PHOTOS_KEPT) kept.delete(kept.keys().next().value as string)
  return { ...photo, ...(await pixels) }
}

async function scaled(photo: DocumentPhoto, size: { width: number; height: number }): Promise<Pixels> {
  const image = sharp(photo.bytes).resize({ ...size, fit: 'fill' })
  // Re-encoded as it was stored, and like it with no metadata (sharp writes none unless asked).
  const { data, info } = await (photo.mediaType === 'image/png'
    ? image.png()
    : // libjpeg's own encoder: mozjpeg's files are a third smaller but take three times as long.
      image.jpeg({ quality: JPEG_QUALITY })
  ).toBuffer({ resolveWithObject: true })
  return { mediaType: photo.mediaType, bytes: data, width: info.width, height: info.height }
}
