import { crc32, deflateRawSync } from 'node:zlib'

// A zip file, as a Word file is one (issue 6): the parts in the order given, every entry dated with
// the version's date so that the same version gives the same bytes, text compressed by Node's own
// zlib (native, several times faster than the JavaScript deflate the `docx` package packs with), and
// photos stored as they are: a JPEG or PNG is compressed already, and deflating it again took a
// sixth of a large plan's time for a few per cent. No zip64, no comments, no extra fields: a Word
// file is far below 4 GiB and 65,535 parts.

export type ZipEntry = { path: string; data: string | Uint8Array }

// Level 6 is zlib's default: on a plan's XML, lower levels save a millisecond or two for a larger
// file, and higher ones cost time for almost nothing.
const DEFLATE_LEVEL = 6
const STORED = 0
const DEFLATED = 8
// The version of the zip format needed to read the file: 2.0, for deflate.
const VERSION = 20

/** Whether a part is already compressed (a photo), so that deflating it again would be wasted. */
const compressedAlready = (path: string) => /\.(?:jpe?g|png|gif)$/i.test(path)

/** The entries as a zip file, each dated `when` (UTC, to the two seconds the format holds). */
export function zipFile(entries: ZipEntry[], when: Date): Buffer {
  const year = Math.min(2107, Math.max(1980, when.getUTCFullYear()))
  const date = ((year - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate()
  const time = (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | (when.getUTCSeconds() >> 1)
  const locals: Buffer[] = []
  const directory: Buffer[] = []
  let offset = 0
  for (const entry of entries) {
    const name = Buffer.from(entry.path, 'utf8')
    const data =
      typeof entry.data === 'string'
        ? Buffer.from(entry.data, 'utf8')
        : Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength)
    const method = compressedAlready(entry.path) ? STORED : DEFLATED
    const stored = method === STORED ? data : deflateRawSync(data, { level: DEFLATE_LEVEL })
    // Bit 11: the name is UTF-8 (only when it is not plain ASCII, as other zip writers do).
    const flags = name.length === entry.path.length ? 0 : 0x800
    const checksum = crc32(data)

    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(VERSION, 4)
    local.writeUInt16LE(flags, 6)
    local.writeUInt16LE(method, 8)
    local.writeUInt16LE(time, 10)
    local.writeUInt16LE(date, 12)
    local.writeUInt32LE(checksum, 14)
    local.writeUInt32LE(stored.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(name.length, 26)
    local.writeUInt16LE(0, 28)
    locals.push(local, name, stored)

    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(VERSION, 4)
    central.writeUInt16LE(VERSION, 6)
    central.writeUInt16LE(flags, 8)
    central.writeUInt16LE(method, 10)
    central.writeUInt16LE(time, 12)
    central.writeUInt16LE(date, 14)
    central.writeUInt32LE(checksum, 16)
    central.writeUInt32LE(stored.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(name.length, 28)
    // Extra field and comment lengths, disk number and attributes: all 0.
    central.writeUInt32LE(offset, 42)
    directory.push(central, name)

    offset += local.length + name.length + stored.length
  }
  const directorySize = directory.reduce((sum, part) => sum + part.length, 0)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directorySize, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, ...directory, end])
}
