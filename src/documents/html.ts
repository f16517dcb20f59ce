import type { Block, DocumentModel } from './model.ts'

// The document as HTML, for the print page (issue 6): an <article> the page puts inside its layout.
// Print CSS (assets/scss/_document.scss) lays it out on A4 and repeats the marking and the version
// on every printed page; no JavaScript. Every text is escaped: nothing in a plan is markup.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character)

/** Line breaks in an answer stay line breaks (CSS keeps them: white-space: pre-line). */
const text = (value: string) => escapeHtml(value)

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `<h${block.level} class="app-document__h${block.level}">${text(block.text)}</h${block.level}>`
    case 'paragraph':
      return `<p class="app-document__p${block.tone === 'hint' ? ' app-document__hint' : ''}">${text(block.text)}</p>`
    case 'fields':
      return `<dl class="app-document__fields">${block.rows
        .map((row) => `<div><dt>${text(row.label)}</dt><dd>${text(row.value)}</dd></div>`)
        .join('')}</dl>`
    case 'list':
      return `<ul class="app-document__list">${block.items.map((item) => `<li>${text(item)}</li>`).join('')}</ul>`
    case 'table':
      return (
        `<table class="app-document__table"><caption>${text(block.caption)}</caption>` +
        `<thead><tr>${block.header.map((cell) => `<th scope="col">${text(cell)}</th>`).join('')}</tr></thead>` +
        `<tbody>${block.rows.map((row) => `<tr>${row.map((cell) => `<td>${text(cell)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
      )
    case 'image':
      return (
        `<figure class="app-document__figure"><img src="data:${block.mediaType};base64,${Buffer.from(block.bytes).toString('base64')}"` +
        ` alt="${text(block.alt)}" width="${block.width}" height="${block.height}">` +
        `<figcaption>${text(block.caption)}</figcaption></figure>`
      )
    case 'signature':
      return `<div class="app-document__signature"><p class="app-document__p">${text(block.intro)}</p>${block.lines
        .map((line) => `<p class="app-document__sign-line">${text(line)}</p>`)
        .join('')}</div>`
    case 'pageBreak':
      return '<hr class="app-document__page-break">'
  }
}

/** The document's body: the marking, every block in order, then the marking and version again. */
export function renderDocumentHtml(model: DocumentModel): string {
  const marking = `<p class="app-document__marking">${text(model.marking)}</p>`
  return (
    `<article class="app-document" lang="${model.language}">${marking}` +
    model.blocks.map(blockHtml).join('\n') +
    `<footer class="app-document__footer">${marking}<p class="app-document__p app-document__hint">${text(model.furniture)}</p></footer></article>`
  )
}
