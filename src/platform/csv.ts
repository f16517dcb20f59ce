// CSV files people open in a spreadsheet (RFC 4180: quoted cells, CRLF lines).

// A cell that begins with one of these is a formula to Excel, LibreOffice and Google Sheets: a name
// typed as `=HYPERLINK(...)` would run when an administrator opens the file. A leading apostrophe
// makes the spreadsheet show it as text (OWASP, "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/

export type CsvValue = string | number | null | undefined

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '""'
  const text = typeof value === 'number' ? String(value) : value.replace(FORMULA_START, "'$&")
  return `"${text.replaceAll('"', '""')}"`
}

/** The whole file. It starts with a byte order mark, without which Excel misreads "Zoë" as UTF-8. */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`
}
