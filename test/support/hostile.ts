import fc from 'fast-check'

// Hostile and random values for the bad-input tests (test/bad-input.test.ts): what a careless
// paste, a broken client or an attacker sends. Each family below is a kind of trouble the service
// must turn away clearly, or store harmlessly.

export const SCRIPTS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</textarea><script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  'javascript:alert(1)',
  '{{ range.constructor("return 1")() }}{% raw %}',
]

/** Raw markup that must never come back unescaped in a page. */
export const SCRIPT_MARKERS = ['<script>alert(', '<img src=x onerror', '<svg onload', 'href="javascript:']

const controls = [
  '\u0000',
  'a\u0000b',
  '\u0007bell',
  '\u001b[31mred',
  '\u202egnp.exe',
  '\ud800',
  'x\udfffy',
  '\u2028\u2029',
  '\ufeff',
  '\r\n\r\n',
  '\u0008\u007f',
]
const formulas = [
  '=HYPERLINK("http://evil.example","x")',
  "+cmd|' /C calc'!A0",
  '-1+1',
  '@SUM(A1:A9)',
  '\t=1+1',
]
const dates = [
  '2025-02-30',
  '0000-00-00',
  '99999-01-01',
  '2025-13-01',
  '2025-00-10',
  '1900-02-29',
  '2026-02-29T25:61:00Z',
  'NaN',
  '31/02/2025',
]
const dateParts = ['30', '31', '0', '00', '-1', '13', '99999', '1e3', '٣', ' 2 ', '2.5', '0x1A', '']
const paths = ['../../etc/passwd', '..\\..\\x.jpg', 'a\u0000.jpg', '%2e%2e%2f', '/dev/zero', 'CON', '.', '~']
const keys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']
const numbers = ['-1', '0', '1e309', '9007199254740993', 'Infinity', '-0', '   ', '']
const long = ['x'.repeat(100_000), 'é'.repeat(20_000), '\n'.repeat(10_000), ' '.repeat(5_000)]

/** One string of trouble: from the families above, or random (any code unit, lone surrogates too). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SCRIPTS),
  fc.constantFrom(...controls),
  fc.constantFrom(...formulas),
  fc.constantFrom(...dates),
  fc.constantFrom(...dateParts),
  fc.constantFrom(...paths),
  fc.constantFrom(...keys),
  fc.constantFrom(...numbers),
  fc.constantFrom(...long),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.tuple(fc.constantFrom(...SCRIPTS, ...formulas), fc.constantFrom(...controls)).map(([a, b]) => a + b),
)

/** A value of the wrong type, for JSON bodies. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2),
  fc.array(hostileString, { maxLength: 3 }),
  fc.constantFrom({}, { __proto__: { admin: true } }, JSON.parse('{"__proto__":{"polluted":1}}'), {
    constructor: { prototype: { polluted: 1 } },
  }),
)

export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(hostileString, wrongType)

/** Path parameters that are not what the route expects: not ids, tricks, overlong. */
export const hostileParam: fc.Arbitrary<string> = fc.constantFrom(
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '%E2%80%AE',
  '%ED%A0%80',
  '%FF%FE',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  '-1',
  '1e309',
  '99999999999999999999',
  '__proto__',
  'constructor',
  'x'.repeat(2_000),
)

/**
 * application/x-www-form-urlencoded by hand, so that what URLSearchParams would mend is sent as is:
 * a lone surrogate goes as the bytes of one (invalid UTF-8), and a field may repeat (an array).
 */
export function encodeForm(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([name, value]) => `${encodeLoosely(name)}=${encodeLoosely(value)}`).join('&')
}

export function encodeLoosely(value: string): string {
  if (value.isWellFormed()) return encodeURIComponent(value)
  let out = ''
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0
    out += code >= 0xd800 && code <= 0xdfff ? '%ED%A0%80' : encodeURIComponent(char)
  }
  return out
}
