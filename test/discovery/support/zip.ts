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
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(fileName.length, 28);
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
