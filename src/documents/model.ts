// A document made from a plan version (issue 6, ADR 0019): what it says, in order, with no layout.
// One model, built once by `build.ts` from a version and a variant, is drawn three ways: an HTML print
// page (`html.ts`), a tagged PDF (`pdf.ts`) and a Word file (`docx.ts`). A renderer may choose how a
// block looks, never what it says: every renderer writes every block's text, in this order, so that
// the three files read the same and a test can find each answer in each of them.

/** Plain text only. Line breaks (\n) inside a value are kept as line breaks; nothing is markup. */
export type Text = string

export type Block =
  /** Level 1 is the document's title (once); 2 a section; 3 an item or part within a section. */
  | { kind: 'heading'; level: 1 | 2 | 3; text: Text }
  | { kind: 'paragraph'; text: Text; tone?: 'normal' | 'hint' }
  /**
   * Questions and their answers, one row each, as a two-column layout (label, answer). An empty
   * answer is already written as "Not provided" by the builder: renderers show `value` as it is.
   */
  | { kind: 'fields'; rows: { label: Text; value: Text }[] }
  | { kind: 'list'; items: Text[] }
  /** A real table: a caption, one header row, and rows with as many cells as the header. */
  | { kind: 'table'; caption: Text; header: Text[]; rows: Text[][] }
  /** A photo, already stripped and re-encoded (JPEG or PNG); `alt` is always given. */
  | {
      kind: 'image'
      alt: Text
      caption: Text
      mediaType: 'image/jpeg' | 'image/png'
      bytes: Uint8Array
      width: number
      height: number
    }
  /**
   * Lines to sign on: each a label ("Signed", "Name", "Date") followed by space to write by hand.
   * Drawn on a page of its own.
   */
  | { kind: 'signature'; intro: Text; lines: Text[] }
  /** The next block starts a new page (the print page and Word honour it too). */
  | { kind: 'pageBreak' }

export type DocumentModel = {
  /** The document's title: PDF metadata, Word's core title, the print page's <title>. */
  title: Text
  /** BCP 47: always British English here. */
  language: 'en-GB'
  /** The protective marking, at the top and bottom of every page. */
  marking: 'OFFICIAL-SENSITIVE'
  /**
   * Printed on every page (PDF page footer, Word footer, print page's running footer): which
   * version this is, its status and its dates, e.g. "Version 4 · Agreed · taken 3 March 2026".
   * Renderers add "Page N of M" where they can.
   */
  furniture: Text
  /** The version's SHA-256 content hash (hex): written on the first page and in the metadata. */
  contentHash: string
  /** When the version was taken: the document's creation date, so the same version gives the same file. */
  createdAt: Date
  /** Who the document is for, as the variant names it: "full", "birth-family" or "review". */
  variant: DocumentVariant
  blocks: Block[]
}

export type DocumentVariant = 'full' | 'birth-family' | 'review'
export const DOCUMENT_VARIANTS: DocumentVariant[] = ['full', 'birth-family', 'review']

/**
 * Every piece of text a reader should find, in reading order: what a test extracts from a PDF or a
 * Word file is compared with this. Images give their caption (the alt text is in the file, not its text); a page break gives nothing.
 */
export function textsOf(model: DocumentModel): Text[] {
  // biome-ignore lint/suspicious/useIterableCallbackReturn: the switch covers every kind of block
  return model.blocks.flatMap((block): Text[] => {
    switch (block.kind) {
      case 'heading':
      case 'paragraph':
        return [block.text]
      case 'fields':
        return block.rows.flatMap((row) => [row.label, row.value])
      case 'list':
        return block.items
      case 'table':
        return [block.caption, ...block.header, ...block.rows.flat()]
      case 'image':
        return [block.caption]
      case 'signature':
        return [block.intro, ...block.lines]
      case 'pageBreak':
        return []
    }
  })
}
