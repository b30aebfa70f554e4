/** Zip archives written byte by byte, so that a test sets what a zip library would not: entry order, method, declared sizes. */
import { crc32, deflateRawSync } from 'node:zlib';

/** One entry: its name and text, deflated unless `stored`; `declaredSize` overrides the size its directory declares. */
export interface TestZipEntry {
  name: string;
  text: string;
  stored?: boolean;
  method?: number;
  declaredSize?: number;
}

/** A zip archive of the entries, in exactly the order given. */
export function zipArchive(entries: ReadonlyArray<TestZipEntry | [string, string]>): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const given of entries) {
    const entry: TestZipEntry = Array.isArray(given) ? { name: given[0], text: given[1], stored: true } : given;
    const raw = Buffer.from(entry.text, 'utf8');
    const method = entry.method ?? (entry.stored ? 0 : 8);
    const data = method === 8 ? deflateRawSync(raw) : raw;
    const fileName = Buffer.from(entry.name, 'utf8');
    const checksum = crc32(raw);
    const declared = entry.declaredSize ?? raw.length;
    const fields = { method, checksum, compressed: data.length, declared, nameLength: fileName.length };
    // The local header and the central record share their fields, in the same order: from byte 8 in one, 10 in the other.
    const local = header(30, 0x04034b50, 8, fields);
    const central = header(46, 0x02014b50, 10, fields);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    directory.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directorySize = directory.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...directory, end]);
}

/** A zip header of `size` bytes: its signature, version 20, and the fields it shares with its other kind from byte `at`. */
function header(size: number, signature: number, at: number, fields: { method: number; checksum: number; compressed: number; declared: number; nameLength: number }): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.writeUInt32LE(signature, 0);
  bytes.writeUInt16LE(20, 4);
  bytes.writeUInt16LE(fields.method, at);
  bytes.writeUInt32LE(fields.checksum, at + 6);
  bytes.writeUInt32LE(fields.compressed, at + 10);
  bytes.writeUInt32LE(fields.declared, at + 14);
  bytes.writeUInt16LE(fields.nameLength, at + 18);
  return bytes;
}
