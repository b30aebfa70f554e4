/**
 * What the parsers of every format share: a header row, data rows of text cells, the columns a
 * format reads bound to their positions, and the checks every cell read goes through (size,
 * formulas, numbers).
 */
import type { ProblemCollector } from './errors';
import type { DiscoveryLimits } from './limits';
import type { ImportLocation } from './location';
import type { ParsedExport } from './records';

/** One row of a CSV file or worksheet: its 1-based line and its cells as text. */
export interface TableRow {
  line: number;
  cells: readonly TableCell[];
}

/** A cell as the parser found it: its text, and whether it held a formula (xlsx). */
export interface TableCell {
  text: string;
  formula?: boolean;
}

/** A column that a format reads. */
export interface ColumnSpec<Key extends string> {
  key: Key;
  /** The header as the export's documentation spells it (a leading `*` marks a required field). */
  header: string;
  /** Other spellings seen in the field (older tool versions, MB instead of MiB). */
  aliases?: readonly string[];
  required: boolean;
}

/**
 * Header text compared without case, surrounding spaces, repeated spaces or the leading `*`
 * that Azure Migrate's template puts on required fields.
 */
export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/^\*\s*/, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** Where a table comes from, to locate each problem. */
export interface TableOrigin {
  file: string;
  sheet?: string;
}

/** The columns of one table bound to their positions; reads checked cells. */
export class BoundColumns<Key extends string> {
  constructor(
    private readonly origin: TableOrigin,
    private readonly positions: ReadonlyMap<Key, { index: number; header: string }>,
    private readonly limits: DiscoveryLimits,
    private readonly problems: ProblemCollector,
  ) {}

  /** Whether the export has this column at all. */
  has(key: Key): boolean {
    return this.positions.has(key);
  }

  /** The column's header as the export spells it, for the report. */
  headerOf(key: Key): string | undefined {
    return this.positions.get(key)?.header;
  }

  /** Location of a cell, for the report and for errors. */
  locate(row: TableRow, key?: Key): ImportLocation {
    const column = key === undefined ? undefined : this.headerOf(key);
    return { ...this.origin, line: row.line, ...(column === undefined ? {} : { column }) };
  }

  /**
   * The cell's trimmed text, `undefined` when empty or absent. A formula or an oversized cell
   * is a problem: exports carry values, and a formula would be evaluated by whoever opens the
   * draft's CSV export in a spreadsheet.
   */
  text(row: TableRow, key: Key): string | undefined {
    const position = this.positions.get(key);
    if (position === undefined) return undefined;
    const cell = row.cells[position.index];
    if (cell === undefined) return undefined;
    if (cell.formula === true) {
      this.problems.add({ ...this.locate(row, key), message: 'holds a formula: the import reads values only (save the export with values)' });
      return undefined;
    }
    const text = cell.text.trim();
    if (text.length > this.limits.maxCellChars) {
      this.problems.add({
        ...this.locate(row, key),
        message: `holds ${text.length} characters; a cell may hold at most ${this.limits.maxCellChars}`,
      });
      return undefined;
    }
    if (text === '') return undefined;
    if (/^[=+@]/.test(text)) {
      this.problems.add({
        ...this.locate(row, key),
        message: `starts with ${JSON.stringify(text[0])}, as a spreadsheet formula does: the import refuses it (${quote(text)})`,
      });
      return undefined;
    }
    return text;
  }

  /** The cell as a non-negative number; text that is not one is a problem. */
  number(row: TableRow, key: Key): number | undefined {
    const text = this.text(row, key);
    if (text === undefined) return undefined;
    const value = parseExportNumber(text);
    if (value === undefined || value < 0) {
      this.problems.add({ ...this.locate(row, key), message: `must be a non-negative number, not ${quote(text)}` });
      return undefined;
    }
    return value;
  }
}

/**
 * Binds a format's columns to a header row. A required column that is missing, or a column
 * that the header holds twice, is a problem; columns the format does not read are returned so
 * that the report can say they were not used.
 */
export function bindColumns<Key extends string>(
  origin: TableOrigin,
  header: TableRow,
  specs: readonly ColumnSpec<Key>[],
  limits: DiscoveryLimits,
  problems: ProblemCollector,
): { columns: BoundColumns<Key>; unused: string[] } {
  const positionsByName = new Map<string, number[]>();
  header.cells.forEach((cell, index) => {
    const name = normalizeHeader(cell.text);
    if (name === '') return;
    positionsByName.set(name, [...(positionsByName.get(name) ?? []), index]);
  });
  const positions = new Map<Key, { index: number; header: string }>();
  const used = new Set<number>();
  for (const spec of specs) {
    const candidates = [spec.header, ...(spec.aliases ?? [])];
    const found = candidates.map((name) => ({ name, at: positionsByName.get(normalizeHeader(name)) })).find((match) => match.at !== undefined);
    if (found?.at === undefined) {
      if (spec.required) {
        problems.add({
          ...origin,
          line: header.line,
          message: `required column ${quote(spec.header)} is missing${spec.aliases?.length ? ` (also accepted: ${spec.aliases.map(quote).join(', ')})` : ''}`,
        });
      }
      continue;
    }
    const [index, ...others] = found.at;
    if (index === undefined) continue;
    if (others.length > 0) {
      problems.add({
        ...origin,
        line: header.line,
        column: spec.header,
        message: `the header holds this column ${found.at.length} times (columns ${found.at.map((position) => position + 1).join(', ')}): which one to read is ambiguous`,
      });
      continue;
    }
    positions.set(spec.key, { index, header: header.cells[index]?.text.trim() ?? spec.header });
    used.add(index);
  }
  const unused = header.cells
    .map((cell, index) => ({ text: cell.text.trim(), index }))
    .filter(({ text, index }) => text !== '' && !used.has(index))
    .map(({ text }) => text);
  return { columns: new BoundColumns(origin, positions, limits, problems), unused };
}

/** A single-table (CSV) format's parser: its rows after the header, every problem collected, none thrown. */
export type CsvExportParser = (file: string, rows: AsyncIterable<TableRow>, header: TableRow, limits: DiscoveryLimits, problems: ProblemCollector) => Promise<ParsedExport>;

/** What {@link readTable} read: how many data rows, and the header's columns no spec names (none when the header had problems). */
export interface TableRead {
  rows: number;
  unusedColumns: { sheet?: string; columns: string[] }[];
}

/**
 * Reads one table of an export: binds its header to `specs`, then, unless the header has
 * problems, hands every data row to the reader that `readerFor` makes from the bound columns,
 * until the problem collector is full. Every format's parser reads its tables through it.
 */
export async function readTable<Key extends string>(
  origin: TableOrigin,
  header: TableRow,
  rows: AsyncIterable<TableRow>,
  specs: readonly ColumnSpec<Key>[],
  limits: DiscoveryLimits,
  problems: ProblemCollector,
  readerFor: (columns: BoundColumns<Key>) => (row: TableRow) => void,
): Promise<TableRead> {
  const { columns, unused } = bindColumns(origin, header, specs, limits, problems);
  if (problems.count > 0) return { rows: 0, unusedColumns: [] };
  const read = readerFor(columns);
  let count = 0;
  for await (const row of rows) {
    count += 1;
    if (problems.full) break;
    read(row);
  }
  return { rows: count, unusedColumns: unused.length > 0 ? [{ ...(origin.sheet === undefined ? {} : { sheet: origin.sheet }), columns: unused }] : [] };
}

/**
 * Reads a number as exports write it: `1234`, `1234.5`, `1 234,5` (a French spreadsheet's
 * decimal comma and thousands space). `undefined` when the text is not a finite number.
 */
export function parseExportNumber(text: string): number | undefined {
  let compact = text.replace(/[\s\u00a0\u202f]/g, '');
  if (/^-?\d+(,\d+)$/.test(compact)) compact = compact.replace(',', '.');
  if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(compact)) return undefined;
  const value = Number(compact);
  return Number.isFinite(value) ? value : undefined;
}

/** Quotes a value for a message, shortened so that a hostile cell cannot flood the answer. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}
