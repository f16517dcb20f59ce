import assert from 'node:assert/strict'

// Finding what a document says, in order, in the text read back from it (PDF, Word or HTML).

/**
 * Text compared without any whitespace, and in Unicode's compatibility form: a renderer wraps lines
 * where it likes (with no hyphen, and inside a long word), and pdf.js gives "..." for "…" and "fi"
 * for a ligature.
 */
export function squeezed(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '')
}

/**
 * Each needle is found in the haystack after the one before it. Whitespace is ignored (see
 * `squeezed`), so a wrapped line or a line break inside an answer still matches; empty needles match
 * anywhere. A haystack given as pages is read as one text.
 */
export function assertInOrder(haystack: string | string[], needles: string[], what = 'the text'): void {
  const text = squeezed(Array.isArray(haystack) ? haystack.join('\n') : haystack)
  let from = 0
  needles.forEach((needle, index) => {
    const wanted = squeezed(needle)
    if (!wanted) return
    const at = text.indexOf(wanted, from)
    if (at === -1) {
      const earlier = text.indexOf(wanted)
      assert.fail(
        `${what}: needle ${index + 1} of ${needles.length}, ${JSON.stringify(needle)}, ` +
          (earlier === -1 ? 'is missing' : 'appears only before the needle ahead of it') +
          `; the text from there reads: ${JSON.stringify(text.slice(from, from + 300))}`,
      )
    }
    from = at + wanted.length
  })
}
