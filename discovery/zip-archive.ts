/**
 * Reads a zip archive held in memory (an xlsx workbook is one) through its central directory:
 * the entries it declares, each one's declared size checked against a bound before a byte of it
 * is unpacked, and each entry's bytes as a stream of chunks, never more than it declared. Nothing
 * goes through a temporary file.
 */
import { createInflateRaw } from 'node:zlib';

/** One entry as the central directory declares it. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated: the two methods an xlsx file uses. */
  method: number;
  compressed: number;
  uncompressed: number;
  localHeader: number;
}

/** Why an archive or one of its entries cannot be read; the message completes "<file> …". */
export class ZipArchiveError extends Error {
  override readonly name = 'ZipArchiveError';
}

/** Chunks of at most this many bytes, so that a large part is parsed a piece at a time. */
const CHUNK_BYTES = 64 * 1024;

/** Whether the content is a zip archive (an xlsx file is one). */
export function isZipArchive(content: Buffer): boolean {
  return content.length >= 4 && content.readUInt32LE(0) === 0x04034b50;
}

/** The entries the zip's central directory declares; throws {@link ZipArchiveError} when it cannot be read. */
export function listZipEntries(content: Buffer): ZipEntry[] {
  const endOfDirectory = findEndOfCentralDirectory(content);
  if (endOfDirectory === undefined) throw new ZipArchiveError('is not a readable xlsx workbook: the zip archive has no central directory');
  const count = content.readUInt16LE(endOfDirectory + 10);
  let offset = content.readUInt32LE(endOfDirectory + 16);
  const entries: ZipEntry[] = [];
  for (let entry = 0; entry < count; entry += 1) {
    if (offset + 46 > content.length || content.readUInt32LE(offset) !== 0x02014b50) {
      throw new ZipArchiveError('is not a readable xlsx workbook: the zip archive is damaged');
    }
    const nameLength = content.readUInt16LE(offset + 28);
    entries.push({
      name: content.subarray(offset + 46, offset + 46 + nameLength).toString('utf8'),
      method: content.readUInt16LE(offset + 10),
      compressed: content.readUInt32LE(offset + 20),
      uncompressed: content.readUInt32LE(offset + 24),
      localHeader: content.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + content.readUInt16LE(offset + 30) + content.readUInt16LE(offset + 32);
  }
  return entries;
}

/**
 * Names the first entry whose declared uncompressed size exceeds the bound, or that the directory
 * cannot describe. `undefined` when every entry fits.
 */
export function findOversizedZipEntry(entries: readonly ZipEntry[], maxEntryBytes: number): string | undefined {
  for (const { name, compressed, uncompressed } of entries) {
    // 0xFFFFFFFF means a zip64 size: larger than any bound this import sets.
    if (uncompressed === 0xffffffff || compressed === 0xffffffff || uncompressed > maxEntryBytes) {
      return `its part ${JSON.stringify(name)} unpacks to more than ${Math.round(maxEntryBytes / 1024 / 1024)} MiB: refused`;
    }
  }
  return undefined;
}

/**
 * An entry's bytes, unpacked a chunk at a time. Throws {@link ZipArchiveError} when its local
 * header is damaged, its method is neither stored nor deflated, its data is corrupt, or it
 * unpacks to more than its central directory declared (which the caller has bounded).
 */
export async function* zipEntryChunks(content: Buffer, entry: ZipEntry): AsyncGenerator<Buffer> {
  const data = entryData(content, entry);
  if (entry.method === 0) {
    if (data.length !== entry.uncompressed) throw damaged(entry, 'its stored size differs from the size its directory declares');
    for (let start = 0; start < data.length; start += CHUNK_BYTES) yield data.subarray(start, start + CHUNK_BYTES);
    return;
  }
  if (entry.method !== 8) throw damaged(entry, `it is packed with method ${entry.method}, which the import does not read (xlsx parts are stored or deflated)`);
  const inflater = createInflateRaw({ chunkSize: CHUNK_BYTES });
  inflater.end(data);
  let unpacked = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      unpacked += chunk.length;
      if (unpacked > entry.uncompressed) throw damaged(entry, 'it unpacks to more than its directory declares');
      yield chunk;
    }
  } catch (error) {
    if (error instanceof ZipArchiveError) throw error;
    throw damaged(entry, `its data is corrupt (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    inflater.destroy();
  }
}

function entryData(content: Buffer, entry: ZipEntry): Buffer {
  const header = entry.localHeader;
  if (header + 30 > content.length || content.readUInt32LE(header) !== 0x04034b50) throw damaged(entry, 'its local header is missing');
  const start = header + 30 + content.readUInt16LE(header + 26) + content.readUInt16LE(header + 28);
  if (start + entry.compressed > content.length) throw damaged(entry, 'its data runs past the end of the archive');
  return content.subarray(start, start + entry.compressed);
}

function damaged(entry: ZipEntry, why: string): ZipArchiveError {
  return new ZipArchiveError(`is not a readable xlsx workbook: its part ${JSON.stringify(entry.name)} cannot be read: ${why}`);
}

function findEndOfCentralDirectory(content: Buffer): number | undefined {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the end of the archive.
  const earliest = Math.max(0, content.length - 22 - 0xffff);
  for (let offset = content.length - 22; offset >= earliest; offset -= 1) {
    if (content.readUInt32LE(offset) === 0x06054b50) return offset;
  }
  return undefined;
}
