/**
 * Reads a CSV export as a stream of rows with csv-parse: the delimiter is the header's (`,`
 * from English tooling, `;` from a French spreadsheet), a byte-order mark is dropped, and
 * records past the bounds stop the read with a problem.
 */
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import type { ProblemCollector } from './errors';
import type { DiscoveryLimits } from './limits';
import type { TableRow } from './table';

/** The delimiter of a CSV file: the most frequent of `,`, `;` and tab in its first line. */
export function detectCsvDelimiter(content: Buffer): string {
  const firstLine = content.subarray(0, Math.min(content.length, 64 * 1024)).toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  const counts = [',', ';', '\t'].map((delimiter) => ({ delimiter, count: firstLine.split(delimiter).length - 1 }));
  counts.sort((left, right) => right.count - left.count);
  return counts[0] !== undefined && counts[0].count > 0 ? counts[0].delimiter : ',';
}

/**
 * The rows of a CSV file, header first. Stops at the row bound or at a malformed record
 * (unclosed quote, oversized record), adding the problem; the caller then refuses the import.
 */
export async function* readCsvRows(
  file: string,
  content: Buffer,
  limits: DiscoveryLimits,
  problems: ProblemCollector,
): AsyncGenerator<TableRow> {
  const parser = Readable.from([content]).pipe(
    parse({
      bom: true,
      delimiter: detectCsvDelimiter(content),
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: limits.maxRecordChars,
      info: true,
    }),
  );
  let records = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (record.length > limits.maxColumns) {
        problems.add({ file, line: info.lines, message: `holds ${record.length} columns; a row may hold at most ${limits.maxColumns}` });
        return;
      }
      records += 1;
      // The first record is the header; the bound counts data rows.
      if (records - 1 > limits.maxRows) {
        problems.add({ file, line: info.lines, message: `the file holds more than ${limits.maxRows} rows; split the export` });
        return;
      }
      yield { line: info.lines, cells: record.map((text) => ({ text })) };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const lines: unknown = (error as unknown as { lines?: unknown }).lines;
      const line = typeof lines === 'number' ? lines : undefined;
      problems.add({ file, ...(line === undefined ? {} : { line }), message: `is not a readable CSV file: ${describeCsvError(error)}` });
      return;
    }
    throw error;
  } finally {
    parser.destroy();
  }
}

function describeCsvError(error: CsvError): string {
  switch (error.code) {
    case 'CSV_MAX_RECORD_SIZE':
      return 'a record is larger than the import accepts (a huge cell?)';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed';
    default:
      return error.message.split('\n', 1)[0] ?? error.code;
  }
}
