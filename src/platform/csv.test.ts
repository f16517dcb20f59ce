import assert from 'node:assert/strict'
import { test } from 'node:test'
import { csvCell, toCsv } from './csv.ts'

test('cells are quoted, and quotes inside them doubled', () => {
  assert.equal(csvCell('Ada "Addie" Hartley, 4'), '"Ada ""Addie"" Hartley, 4"')
  assert.equal(csvCell(null), '""')
  assert.equal(csvCell(12), '"12"')
})

test('a cell a spreadsheet would run as a formula is kept as text', () => {
  for (const start of ['=', '+', '-', '@', '\t', '\r'])
    assert.equal(csvCell(`${start}HYPERLINK("x")`), `"'${start}HYPERLINK(""x"")"`)
  assert.equal(csvCell('Ada = Addie'), '"Ada = Addie"', 'only the first character matters')
})

test('a file has a byte order mark and CRLF lines', () => {
  assert.equal(toCsv([['Name'], ['Zoë']]), '\uFEFF"Name"\r\n"Zoë"\r\n')
})
