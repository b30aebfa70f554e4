/**
 * Reads an xlsx workbook as a stream of worksheets with exceljs' streaming reader, so that a
 * large RVTools export is never held as a whole workbook model. Before any XML is parsed, the
 * zip's central directory is checked against the bounds, so a decompression bomb is refused
 * unread.
 */
import { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { ProblemCollector } from './errors';
import type { DiscoveryLimits } from './limits';
import type { TableCell, TableRow } from './table';

/** Whether the content is a zip archive (an xlsx file is one). */
export function isZipArchive(content: Buffer): boolean {
  return content.length >= 4 && content.readUInt32LE(0) === 0x04034b50;
}

/** One worksheet as the stream reaches it: its name and its rows, to be read before the next sheet. */
export interface XlsxSheet {
  name: string;
  rows: AsyncIterable<TableRow>;
}

/**
 * The worksheets of a workbook, in the archive's order. Rows of a sheet must be read (or the
 * sheet skipped) before asking for the next one: the reader streams.
 */
export async function* readXlsxSheets(
  file: string,
  content: Buffer,
  limits: DiscoveryLimits,
  problems: ProblemCollector,
): AsyncGenerator<XlsxSheet> {
  const oversized = findOversizedZipEntry(content, limits.maxXlsxEntryBytes);
  if (oversized !== undefined) {
    problems.add({ file, message: oversized });
    return;
  }
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([content]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'emit',
  });
  const sheetNames = readWorkbookSheetNames(content);
  // The reader announces each worksheet part (its number) just before it emits the sheet.
  let part: string | undefined;
  (reader as unknown as NodeJS.EventEmitter).on('entry', (entry: { type?: unknown; id?: unknown }) => {
    if (entry.type === 'worksheet') part = String(entry.id);
  });
  try {
    for await (const worksheet of reader) {
      const { name } = worksheet as unknown as { name?: unknown };
      const sheet = (part === undefined ? undefined : sheetNames.get(part)) ?? (typeof name === 'string' ? name : '');
      yield { name: sheet, rows: readWorksheetRows(file, sheet, worksheet, limits, problems) };
    }
  } catch (error) {
    problems.add({ file, message: `is not a readable xlsx workbook: ${error instanceof Error ? error.message.split('\n', 1)[0] : String(error)}` });
  }
}

async function* readWorksheetRows(
  file: string,
  sheet: string,
  worksheet: AsyncIterable<ExcelJS.Row>,
  limits: DiscoveryLimits,
  problems: ProblemCollector,
): AsyncGenerator<TableRow> {
  let rows = 0;
  for await (const row of worksheet) {
    const values = row.values as unknown[];
    if (values.length - 1 > limits.maxColumns) {
      problems.add({ file, sheet, line: row.number, message: `holds ${values.length - 1} columns; a row may hold at most ${limits.maxColumns}` });
      return;
    }
    rows += 1;
    if (rows - 1 > limits.maxRows) {
      problems.add({ file, sheet, line: row.number, message: `the sheet holds more than ${limits.maxRows} rows; split the export` });
      return;
    }
    // exceljs' values are 1-based: index 0 is always empty.
    const cells: TableCell[] = [];
    for (let index = 1; index < values.length; index += 1) cells.push(toTableCell(values[index]));
    yield { line: row.number, cells };
  }
}

/** A cell's value as text; formulas are marked, whatever their cached result. */
function toTableCell(value: unknown): TableCell {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number' || typeof value === 'boolean') return { text: String(value) };
  if (value instanceof Date) return { text: value.toISOString() };
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value) return { text: '', formula: true };
    if ('richText' in value && Array.isArray(value.richText)) {
      return { text: value.richText.map((part: unknown) => (typeof part === 'object' && part !== null && 'text' in part ? String(part.text) : '')).join('') };
    }
    if ('text' in value) return { text: String(value.text) };
    if ('error' in value) return { text: String(value.error) };
    return { text: JSON.stringify(value) };
  }
  // bigint and symbol: no spreadsheet writes them, but a hostile file must not throw.
  return { text: typeof value === 'bigint' ? value.toString() : '' };
}

/**
 * Reads the zip's central directory and names the first entry whose declared uncompressed size
 * exceeds the bound, or that the directory cannot describe. `undefined` when every entry fits.
 */
export function findOversizedZipEntry(content: Buffer, maxEntryBytes: number): string | undefined {
  const entries = listZipEntries(content);
  if (typeof entries === 'string') return entries;
  for (const { name, compressed, uncompressed } of entries) {
    // 0xFFFFFFFF means a zip64 size: larger than any bound this import sets.
    if (uncompressed === 0xffffffff || compressed === 0xffffffff || uncompressed > maxEntryBytes) {
      return `its part ${JSON.stringify(name)} unpacks to more than ${Math.round(maxEntryBytes / 1024 / 1024)} MiB: refused`;
    }
  }
  return undefined;
}

interface ZipEntry {
  name: string;
  method: number;
  compressed: number;
  uncompressed: number;
  localHeader: number;
}

/** The entries the zip's central directory declares, or why it cannot be read. */
function listZipEntries(content: Buffer): ZipEntry[] | string {
  const endOfDirectory = findEndOfCentralDirectory(content);
  if (endOfDirectory === undefined) return 'is not a readable xlsx workbook: the zip archive has no central directory';
  const count = content.readUInt16LE(endOfDirectory + 10);
  let offset = content.readUInt32LE(endOfDirectory + 16);
  const entries: ZipEntry[] = [];
  for (let entry = 0; entry < count; entry += 1) {
    if (offset + 46 > content.length || content.readUInt32LE(offset) !== 0x02014b50) {
      return 'is not a readable xlsx workbook: the zip archive is damaged';
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

/** One zip entry's bytes (stored or deflated), or undefined when it is absent or unreadable. */
function readZipEntry(content: Buffer, entries: ZipEntry[], name: string): Buffer | undefined {
  const entry = entries.find((candidate) => candidate.name === name);
  if (!entry || entry.localHeader + 30 > content.length || content.readUInt32LE(entry.localHeader) !== 0x04034b50) return undefined;
  const start = entry.localHeader + 30 + content.readUInt16LE(entry.localHeader + 26) + content.readUInt16LE(entry.localHeader + 28);
  const data = content.subarray(start, start + entry.compressed);
  try {
    if (entry.method === 0) return data;
    if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: Math.max(entry.uncompressed, 1) });
  } catch {
    return undefined;
  }
  return undefined;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlAttributes(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [, name, value] of tag.matchAll(/([\w:]+)\s*=\s*"([^"]*)"/g)) {
    attributes.set(name!, value!.replace(/&(amp|lt|gt|quot|apos);/g, (_, entity: string) => XML_ENTITIES[entity]!));
  }
  return attributes;
}

/**
 * The workbook's sheet names by worksheet part number (`xl/worksheets/sheet3.xml` → 3), read
 * from `xl/workbook.xml` and its relationships. exceljs' streaming reader falls back to `Sheet<n>`
 * when it cannot match a sheet to its relationship (a relationship target written as an absolute
 * path, or parts stored in an order it does not expect), so the names are read here.
 */
export function readWorkbookSheetNames(content: Buffer): Map<string, string> {
  const names = new Map<string, string>();
  const entries = listZipEntries(content);
  if (typeof entries === 'string') return names;
  const workbook = readZipEntry(content, entries, 'xl/workbook.xml')?.toString('utf8');
  const relationships = readZipEntry(content, entries, 'xl/_rels/workbook.xml.rels')?.toString('utf8');
  if (!workbook || !relationships) return names;
  const targets = new Map<string, string>();
  for (const [tag] of relationships.matchAll(/<Relationship\b[^>]*>/g)) {
    const attributes = xmlAttributes(tag);
    const id = attributes.get('Id');
    const target = attributes.get('Target');
    if (id && target) targets.set(id, target);
  }
  for (const [tag] of workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const attributes = xmlAttributes(tag);
    const name = attributes.get('name');
    const relationship = [...attributes].find(([key]) => key.endsWith(':id'))?.[1];
    const part = relationship ? /worksheets\/sheet(\d+)\.xml$/.exec(targets.get(relationship) ?? '')?.[1] : undefined;
    if (name !== undefined && part !== undefined) names.set(part, name);
  }
  return names;
}

function findEndOfCentralDirectory(content: Buffer): number | undefined {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the end of the archive.
  const earliest = Math.max(0, content.length - 22 - 0xffff);
  for (let offset = content.length - 22; offset >= earliest; offset -= 1) {
    if (content.readUInt32LE(offset) === 0x06054b50) return offset;
  }
  return undefined;
}
