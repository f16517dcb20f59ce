import { createHash } from 'node:crypto'

// HTML rendered from what never changes (a plan's numbered versions: the database refuses to alter
// them), or kept under a digest of what it was rendered from (renderKept), kept as the bytes that
// are sent, so that it is rendered and encoded once rather than on every request. Only the
// rendering is kept: who may see it is still decided, and the view audited, on every request.
// Bounded by the bytes it holds; the least recently used goes first (ADR 0017, ADR 0024).

export class RenderedCache {
  readonly #entries = new Map<string, Buffer>()
  #size = 0
  readonly maxBytes: number

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes
  }

  get(key: string): Buffer | undefined {
    const html = this.#entries.get(key)
    if (html === undefined) return undefined
    // A Map keeps insertion order: taking it out and putting it back makes it the most recent.
    this.#entries.delete(key)
    this.#entries.set(key, html)
    return html
  }

  set(key: string, html: Buffer): void {
    if (html.byteLength > this.maxBytes) return
    const old = this.#entries.get(key)
    if (old !== undefined) {
      this.#entries.delete(key)
      this.#size -= old.byteLength
    }
    this.#entries.set(key, html)
    this.#size += html.byteLength
    for (const [oldest, value] of this.#entries) {
      if (this.#size <= this.maxBytes) break
      this.#entries.delete(oldest)
      this.#size -= value.byteLength
    }
  }

  get size(): number {
    return this.#size
  }
}

/**
 * A part of a page rendered from `data()` alone (no request, no person, no clock), kept under a
 * digest of the template's name and of `from`: everything the data is made of, as text (a section's
 * content as the database wrote it, the agency's hints as JSON). Whatever the part shows that
 * changes gives another digest, so what is kept is never out of date, and instances need not tell
 * each other anything; the old part is left to age out. The data is made only when the part is not
 * kept. For the parts that are most of a page's work and change far less often than they are read:
 * who may see the page is still decided, and the view audited, before this is asked for.
 */
export function renderKept(
  cache: RenderedCache,
  views: { render(template: string, data: object): string },
  template: string,
  from: readonly string[],
  data: () => Record<string, unknown>,
): Buffer {
  const digest = createHash('sha256').update(template)
  // Each part's length first, so that no two lists of parts read as the same text.
  for (const part of from) digest.update(`\0${part.length}:`).update(part)
  const key = digest.digest('base64url')
  const kept = cache.get(key)
  if (kept) return kept
  const html = Buffer.from(views.render(template, data()))
  cache.set(key, html)
  return html
}
