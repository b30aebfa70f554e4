/**
 * Reads an xlsx workbook as worksheets of rows, a chunk of XML at a time, so that a large RVTools
 * export is never held as a whole workbook model. The workbook is already in memory: its parts
 * are found through the zip's central directory, whose declared sizes are checked against the
 * bounds before any XML is parsed (a decompression bomb is refused unread), and read in whatever
 * order the archive stores them. No part goes through a temporary file.
 */
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import type { ProblemCollector } from './errors';
import type { DiscoveryLimits } from './limits';
import type { TableCell, TableRow } from './table';
import { findOversizedZipEntry, listZipEntries, ZipArchiveError, zipEntryChunks, type ZipEntry } from './zip-archive';

/** One worksheet: its name as its tab shows it, and its rows, read as they are asked for. */
export interface XlsxSheet {
  name: string;
  rows: AsyncIterable<TableRow>;
}

/** One worksheet as the workbook part lists it: its name and the archive entry of its part. */
export interface WorkbookSheet {
  name: string;
  part: string;
}

/** Excel's own bound on a cell's text; a longer one does not come from a spreadsheet application. */
const EXCEL_MAX_CELL_CHARS = 32_767;

const WORKBOOK_PART = 'xl/workbook.xml';
const WORKBOOK_RELATIONSHIPS_PART = 'xl/_rels/workbook.xml.rels';
const RELATIONSHIP_TYPES = {
  worksheet: '/worksheet',
  sharedStrings: '/sharedStrings',
} as const;

/**
 * The worksheets of a workbook, in the workbook's tab order. A workbook that cannot be read, or
 * whose parts are too large, adds its problem and yields no sheet; a sheet whose rows cannot be
 * read adds its problem and ends its rows.
 */
export async function* readXlsxSheets(file: string, content: Buffer, limits: DiscoveryLimits, problems: ProblemCollector): AsyncGenerator<XlsxSheet> {
  let sheets: Array<WorkbookSheet & { entry: ZipEntry }>;
  let sharedStrings: readonly string[];
  try {
    const entries = listZipEntries(content);
    const oversized = findOversizedZipEntry(entries, limits.maxXlsxEntryBytes);
    if (oversized !== undefined) {
      problems.add({ file, message: oversized });
      return;
    }
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    const workbook = await readWorkbook(content, byName);
    sheets = workbook.sheets.map((sheet) => {
      const entry = byName.get(sheet.part);
      if (entry === undefined) throw new ZipArchiveError(`is not a readable xlsx workbook: its sheet ${JSON.stringify(sheet.name)} is stored in ${JSON.stringify(sheet.part)}, which the archive does not hold`);
      return { ...sheet, entry };
    });
    const sharedStringsEntry = byName.get(workbook.sharedStringsPart);
    sharedStrings = sharedStringsEntry === undefined ? [] : await readSharedStrings(content, sharedStringsEntry, limits);
  } catch (error) {
    problems.add({ file, message: unreadable(error) });
    return;
  }
  for (const sheet of sheets) {
    yield { name: sheet.name, rows: readWorksheetRows(file, sheet.name, content, sheet.entry, sharedStrings, limits, problems) };
  }
}

/** The workbook's sheets in tab order, as `xl/workbook.xml` and its relationships name them. */
export async function readWorkbookSheets(content: Buffer): Promise<WorkbookSheet[]> {
  const entries = listZipEntries(content);
  return (await readWorkbook(content, new Map(entries.map((entry) => [entry.name, entry])))).sheets;
}

async function readWorkbook(content: Buffer, byName: ReadonlyMap<string, ZipEntry>): Promise<{ sheets: WorkbookSheet[]; sharedStringsPart: string }> {
  const workbookEntry = byName.get(WORKBOOK_PART);
  const relationshipsEntry = byName.get(WORKBOOK_RELATIONSHIPS_PART);
  if (workbookEntry === undefined || relationshipsEntry === undefined) {
    throw new ZipArchiveError(`is not a readable xlsx workbook: the archive holds no ${workbookEntry === undefined ? WORKBOOK_PART : WORKBOOK_RELATIONSHIPS_PART}`);
  }
  const targets = new Map<string, { type: string; part: string }>();
  await parsePart(content, relationshipsEntry, {
    open(name, { Id: id, Target: target, Type: type = '' }) {
      if (name === 'Relationship' && id !== undefined && target !== undefined) targets.set(id, { type, part: partOfTarget(target) });
    },
  });
  const sheets: WorkbookSheet[] = [];
  await parsePart(content, workbookEntry, {
    open(element, attributes) {
      if (element !== 'sheet') return;
      const relationship = Object.entries(attributes).find(([key]) => key.endsWith(':id'))?.[1];
      const target = relationship === undefined ? undefined : targets.get(relationship);
      if (attributes.name !== undefined && target?.type.endsWith(RELATIONSHIP_TYPES.worksheet)) sheets.push({ name: attributes.name, part: target.part });
    },
  });
  const sharedStringsPart = [...targets.values()].find((target) => target.type.endsWith(RELATIONSHIP_TYPES.sharedStrings))?.part ?? 'xl/sharedStrings.xml';
  return { sheets, sharedStringsPart };
}

/** A relationship's target as an archive entry: relative to `xl/`, or absolute from the archive's root. */
function partOfTarget(target: string): string {
  return target.startsWith('/') ? path.posix.normalize(target.slice(1)) : path.posix.join('xl', target);
}

/** The workbook's shared strings, in order; a string of rich text is its runs' text joined. Refused past the bounds. */
async function readSharedStrings(content: Buffer, entry: ZipEntry, limits: DiscoveryLimits): Promise<string[]> {
  const strings: string[] = [];
  let characters = 0;
  let current: string | undefined;
  let inText = false;
  let inPhonetic = false;
  await parsePart(content, entry, {
    open(name) {
      if (name === 'si') current = '';
      else if (name === 'rPh') inPhonetic = true;
      else if (name === 't' && current !== undefined && !inPhonetic) inText = true;
    },
    text(text) {
      if (!inText || current === undefined) return;
      current += text;
      if (current.length > EXCEL_MAX_CELL_CHARS) throw new ZipArchiveError(`is not a readable xlsx workbook: shared string ${strings.length} holds more than ${EXCEL_MAX_CELL_CHARS} characters, more than a cell of Excel can`);
    },
    close(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'si' && current !== undefined) {
        characters += current.length;
        if (strings.length >= limits.maxSharedStrings || characters > limits.maxSharedStringChars) {
          throw new ZipArchiveError(
            strings.length >= limits.maxSharedStrings
              ? `holds more than ${limits.maxSharedStrings} shared strings, more than the import holds while it reads; split the export`
              : `its shared strings hold more than ${limits.maxSharedStringChars} characters, more than the import holds while it reads; split the export`,
          );
        }
        strings.push(current);
        current = undefined;
      }
    },
  });
  return strings;
}

/** A row as parsed: its cells up to the bound on columns, and its rightmost cell that holds something. */
interface ParsedRow {
  line: number;
  cells: TableCell[];
  widest: number;
}

/** A cell as its XML has been read so far. */
interface CellInProgress {
  column: number;
  type: string;
  value: string;
  inline: string;
  formula: boolean;
}

/**
 * A worksheet's rows, parsed as they are asked for: one `<row>` each, its line the row's number
 * and its cells placed by their references (`C7` is the third cell), up to its last cell that
 * holds something, the empty ones before it filled in.
 */
async function* readWorksheetRows(
  file: string,
  sheet: string,
  content: Buffer,
  entry: ZipEntry,
  sharedStrings: readonly string[],
  limits: DiscoveryLimits,
  problems: ProblemCollector,
): AsyncGenerator<TableRow> {
  const ready: ParsedRow[] = [];
  let row: ParsedRow | undefined;
  let cell: CellInProgress | undefined;
  let capturing: 'value' | 'inline' | undefined;
  let inInline = false;
  let inPhonetic = false;
  let lastLine = 0;
  let lastColumn = 0;
  const parser = xmlParser({
    open(name, attributes) {
      if (name === 'row') {
        const line = Number(attributes.r);
        row = { line: Number.isSafeInteger(line) && line > 0 ? line : lastLine + 1, cells: [], widest: 0 };
        lastColumn = 0;
      } else if (name === 'c' && row !== undefined) {
        const column = columnOfReference(attributes.r) ?? lastColumn + 1;
        lastColumn = column;
        cell = { column, type: attributes.t ?? 'n', value: '', inline: '', formula: false };
      } else if (cell !== undefined) {
        if (name === 'v') capturing = 'value';
        else if (name === 'f') cell.formula = true;
        else if (name === 'is') inInline = true;
        else if (name === 'rPh') inPhonetic = true;
        else if (name === 't' && inInline && !inPhonetic) capturing = 'inline';
      }
    },
    text(text) {
      if (cell === undefined || capturing === undefined) return;
      cell[capturing] += text;
      if (cell[capturing].length > EXCEL_MAX_CELL_CHARS) {
        throw new RowProblem(row?.line ?? lastLine + 1, `holds a cell of more than ${EXCEL_MAX_CELL_CHARS} characters, more than Excel allows in a cell`);
      }
    },
    close(name) {
      if (name === 'v' || name === 't') capturing = undefined;
      else if (name === 'is') inInline = false;
      else if (name === 'rPh') inPhonetic = false;
      else if (name === 'c' && cell !== undefined && row !== undefined) {
        // An empty cell (a style without a value) counts for nothing, as in Excel's own used range.
        const value = cellOf(cell, sharedStrings);
        if (value.text !== '' || value.formula === true) {
          row.widest = Math.max(row.widest, cell.column);
          if (cell.column <= limits.maxColumns) row.cells[cell.column - 1] = value;
        }
        cell = undefined;
      } else if (name === 'row' && row !== undefined) {
        for (let index = 0; index < row.cells.length; index += 1) row.cells[index] ??= { text: '' };
        ready.push(row);
        lastLine = row.line;
        row = undefined;
      }
    },
  });
  let rows = 0;
  try {
    for await (const _ of parsedChunks(entry.name, parser, zipEntryChunks(content, entry))) {
      for (const parsed of ready.splice(0)) {
        if (parsed.widest > limits.maxColumns) {
          problems.add({ file, sheet, line: parsed.line, message: `holds ${parsed.widest} columns; a row may hold at most ${limits.maxColumns}` });
          return;
        }
        rows += 1;
        if (rows - 1 > limits.maxRows) {
          problems.add({ file, sheet, line: parsed.line, message: `the sheet holds more than ${limits.maxRows} rows; split the export` });
          return;
        }
        yield { line: parsed.line, cells: parsed.cells };
      }
    }
  } catch (error) {
    problems.add(error instanceof RowProblem ? { file, sheet, line: error.line, message: error.message } : { file, sheet, message: unreadable(error) });
  }
}

/** A cell's value as text, as Excel shows it; a formula is marked, whatever its cached result. */
function cellOf(cell: CellInProgress, sharedStrings: readonly string[]): TableCell {
  if (cell.formula) return { text: '', formula: true };
  switch (cell.type) {
    case 's':
      return { text: sharedStrings[Number.parseInt(cell.value, 10)] ?? '' };
    case 'inlineStr':
      return { text: cell.inline };
    case 'b':
      return { text: cell.value === '' ? '' : String(Number.parseInt(cell.value, 10) !== 0) };
    case 'str':
    case 'e':
    case 'd':
      return { text: cell.value };
    default: {
      if (cell.value.trim() === '') return { text: '' };
      const number = Number(cell.value);
      return { text: Number.isNaN(number) ? cell.value : String(number) };
    }
  }
}

/** The 1-based column of a cell reference (`AB12` → 28), or `undefined` without a readable one. */
function columnOfReference(reference: string | undefined): number | undefined {
  const letters = reference === undefined ? undefined : /^\$?([A-Za-z]{1,3})\$?\d*$/.exec(reference)?.[1];
  if (letters === undefined) return undefined;
  let column = 0;
  for (const letter of letters.toUpperCase()) column = column * 26 + (letter.charCodeAt(0) - 64);
  return column;
}

/** What one row of a sheet breaks (a cell too long): the sheet's rows end there, the problem at that row. */
class RowProblem extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

interface XmlHandlers {
  open(this: void, name: string, attributes: Record<string, string | undefined>): void;
  text?(this: void, text: string): void;
  close?(this: void, name: string): void;
}

/** A non-validating XML parser (no DTD, no external entity) that calls the handlers with local names. */
function xmlParser(handlers: XmlHandlers): SaxesParser {
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => handlers.open(localName(tag.name), tag.attributes as Record<string, string | undefined>));
  const { text, close } = handlers;
  if (text) {
    parser.on('text', text);
    parser.on('cdata', text);
  }
  if (close) parser.on('closetag', (tag) => close(localName(tag.name)));
  return parser;
}

/** Feeds a part's chunks to the parser, yielding after each one so that its caller takes what it collected. */
async function* parsedChunks(part: string, parser: SaxesParser, chunks: AsyncIterable<Buffer>): AsyncGenerator<void> {
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of chunks) {
      parser.write(decoder.write(chunk));
      yield;
    }
    parser.write(decoder.end());
    parser.close();
    yield;
  } catch (error) {
    if (error instanceof ZipArchiveError || error instanceof RowProblem) throw error;
    throw new ZipArchiveError(`is not a readable xlsx workbook: its part ${JSON.stringify(part)} is not well-formed XML (${firstLine(error)})`);
  }
}

/** Parses a whole part, a chunk at a time, calling the handlers. */
async function parsePart(content: Buffer, entry: ZipEntry, handlers: XmlHandlers): Promise<void> {
  for await (const _ of parsedChunks(entry.name, xmlParser(handlers), zipEntryChunks(content, entry))) continue;
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function unreadable(error: unknown): string {
  return error instanceof ZipArchiveError ? error.message : `is not a readable xlsx workbook: ${firstLine(error)}`;
}

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n', 1)[0]! : String(error);
}
