// Decodes one HEIC photo to raw RGBA pixels, in a worker thread of its own (see photos.ts).
// libheif-js is libheif and libde265 compiled to WebAssembly: it runs on the thread that calls it,
// for seconds on a 12-megapixel photo, so it must not run on the thread that serves requests.
// The worker is started for one photo and ends with it, which also gives back the WebAssembly memory.
import { createRequire } from 'node:module'
import { parentPort, workerData } from 'node:worker_threads'

export type HeicRequest = { bytes: Uint8Array; maxPixels: number }
export type HeicReply =
  | { kind: 'decoded'; width: number; height: number; rgba: Uint8Array }
  | { kind: 'too-many-pixels' }
  | { kind: 'unreadable' }

// The part of libheif-js's JavaScript interface used here (its README); the package ships no types for it.
type HeifImage = {
  get_width(): number
  get_height(): number
  is_primary(): boolean
  display(
    target: { data: Uint8ClampedArray; width: number; height: number },
    done: (result: { data: Uint8ClampedArray } | null) => void,
  ): void
  free(): void
}
type LibHeif = { HeifDecoder: new () => { decode(bytes: Uint8Array): HeifImage[]; decoder: unknown } }

async function decode({ bytes, maxPixels }: HeicRequest): Promise<HeicReply> {
  // libheif-js reports every failure on console.log as well as in its result; the result is enough.
  console.log = () => {}
  const libheif: LibHeif = createRequire(import.meta.url)('libheif-js/wasm-bundle')
  const images = new libheif.HeifDecoder().decode(bytes)
  // A HEIC holds one primary image (thumbnails and depth maps are not top-level images).
  const image = images.find((candidate) => candidate.is_primary()) ?? images[0]
  if (!image) return { kind: 'unreadable' }
  // The size after libheif's rotation and mirroring, which display() applies.
  const width = image.get_width()
  const height = image.get_height()
  if (!(width > 0 && height > 0)) return { kind: 'unreadable' }
  // Checked before the pixels are decoded or any memory for them is taken.
  if (width * height > maxPixels) return { kind: 'too-many-pixels' }
  const data = new Uint8ClampedArray(width * height * 4)
  const shown = await new Promise<{ data: Uint8ClampedArray } | null>((resolve) =>
    image.display({ data, width, height }, resolve),
  )
  if (!shown) return { kind: 'unreadable' }
  return { kind: 'decoded', width, height, rgba: new Uint8Array(data.buffer) }
}

if (parentPort) {
  const port = parentPort
  decode(workerData as HeicRequest).then(
    (reply) => port.postMessage(reply, reply.kind === 'decoded' ? [reply.rgba.buffer as ArrayBuffer] : []),
    () => port.postMessage({ kind: 'unreadable' } satisfies HeicReply),
  )
}
