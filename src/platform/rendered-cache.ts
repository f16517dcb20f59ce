// HTML rendered from what never changes (a plan's numbered versions: the database refuses to alter
// them), kept as the bytes that are sent, so that it is rendered and encoded once rather than on
// every request. Only the rendering is kept: who may see it is still decided, and the view audited,
// on every request. Bounded by the bytes it holds; the least recently used goes first.

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
