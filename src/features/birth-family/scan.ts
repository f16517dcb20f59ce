import { PHOTO_ERRORS, PHOTO_MAX_BYTES, preparePhoto } from '../../platform/photos.ts'
import type { PaperScan } from './service.ts'

// The scan of a signature on paper, checked by its content, never its name or the browser's word:
// a PDF is kept as it came, once its first bytes say it is one; a photo of the page goes through the
// same re-encoding as every photo (src/platform/photos.ts), which leaves pixels and nothing else.

export const SCAN_MAX_BYTES = PHOTO_MAX_BYTES

export const SCAN_ERRORS = {
  missing: 'Select the scan of the signed page',
  type: 'The selected file must be a PDF, JPG, PNG or HEIC',
} as const

const PDF_SIGNATURE = Buffer.from('%PDF-', 'latin1')

export function isPdf(bytes: Uint8Array): boolean {
  return bytes.length > PDF_SIGNATURE.length && PDF_SIGNATURE.equals(bytes.subarray(0, PDF_SIGNATURE.length))
}

export async function prepareScan(
  bytes: Buffer,
  tooBig: boolean,
): Promise<{ ok: true; scan: PaperScan } | { ok: false; error: string }> {
  if (bytes.length === 0) return { ok: false, error: PHOTO_ERRORS.empty }
  if (tooBig || bytes.length > SCAN_MAX_BYTES) return { ok: false, error: PHOTO_ERRORS.tooBig }
  if (isPdf(bytes)) return { ok: true, scan: { bytes, mediaType: 'application/pdf' } }
  const photo = await preparePhoto(bytes)
  if (photo.ok) return { ok: true, scan: { bytes: photo.photo.bytes, mediaType: photo.photo.mediaType } }
  return { ok: false, error: photo.error === PHOTO_ERRORS.type ? SCAN_ERRORS.type : photo.error }
}
