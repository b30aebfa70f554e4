/**
 * The import's entry point: recognises each file's format, parses it, and merges everything
 * into a draft plan. All or nothing: any problem in any file refuses the whole import, with
 * every problem found, each naming file, sheet, line and column.
 */
import { looksLikeAzureMigrateInventory, parseAzureMigrateInventory } from './azure-migrate-inventory';
import { looksLikeDependencyExport, parseDependencyExport } from './azure-migrate-dependencies';
import { buildDraft, type DiscoveryImport, type DraftIdentity } from './build-draft';
import { readCsvRows } from './csv-table';
import { ProblemCollector } from './errors';
import { DISCOVERY_LIMITS, type DiscoveryLimits } from './limits';
import { EXPORT_FORMAT_NAMES, type ParsedExport } from './records';
import { parseRvtoolsWorkbook } from './rvtools';
import { normalizeHeader, type TableRow } from './table';
import { isZipArchive } from './zip-archive';

/** One file of an import: its name (as the report will cite it) and its bytes. */
export interface DiscoveryFile {
  name: string;
  content: Buffer;
}

/** Options of {@link importDiscoveryExports}. */
export interface DiscoveryImportOptions extends DraftIdentity {
  /** Lower bounds than {@link DISCOVERY_LIMITS}, for tests and constrained callers. */
  limits?: Partial<DiscoveryLimits>;
}

/**
 * Reads discovery exports (Azure Migrate CSV, RVTools xlsx, Azure Migrate dependency CSV, in
 * any number and order) into a draft plan and its report. Throws `DiscoveryImportError` when
 * anything is malformed; nothing is kept then.
 */
export async function importDiscoveryExports(files: readonly DiscoveryFile[], options: DiscoveryImportOptions): Promise<DiscoveryImport> {
  const limits: DiscoveryLimits = { ...DISCOVERY_LIMITS, ...options.limits };
  const problems = new ProblemCollector(limits.maxProblems);
  if (files.length === 0) problems.add({ file: '', message: 'no file: give at least one inventory export' });
  if (files.length > limits.maxFiles) problems.add({ file: '', message: `${files.length} files; an import takes at most ${limits.maxFiles}` });
  const names = new Set<string>();
  for (const file of files) {
    if (names.has(file.name)) problems.add({ file: file.name, message: 'is given twice: every file of an import needs its own name' });
    names.add(file.name);
    if (file.content.length > limits.maxFileBytes) {
      problems.add({ file: file.name, message: `is ${file.content.length} bytes; a file may hold at most ${limits.maxFileBytes}` });
    }
  }
  problems.throwIfAny();

  const parsed: ParsedExport[] = [];
  for (const file of files) {
    const result = await parseExport(file, limits, problems);
    if (result !== undefined) parsed.push(result);
    if (problems.full) break;
  }
  problems.throwIfAny();
  return buildDraft(parsed, { customer: options.customer, ...(options.planId === undefined ? {} : { planId: options.planId }) }, limits);
}

async function parseExport(file: DiscoveryFile, limits: DiscoveryLimits, problems: ProblemCollector): Promise<ParsedExport | undefined> {
  if (isZipArchive(file.content)) return parseRvtoolsWorkbook(file.name, file.content, limits, problems);
  if (looksBinary(file.content)) {
    problems.add({ file: file.name, message: 'is neither a CSV file nor an xlsx workbook (older .xls workbooks must be saved as .xlsx)' });
    return undefined;
  }
  const rows = readCsvRows(file.name, file.content, limits, problems);
  const iterator = rows[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) {
    if (problems.count === 0) problems.add({ file: file.name, message: 'is empty: it needs a header row' });
    return undefined;
  }
  const header: TableRow = first.value;
  const rest: AsyncIterable<TableRow> = { [Symbol.asyncIterator]: () => iterator };
  const headers = new Set(header.cells.map((cell) => normalizeHeader(cell.text)));
  if (looksLikeAzureMigrateInventory(headers)) return parseAzureMigrateInventory(file.name, rest, header, limits, problems);
  if (looksLikeDependencyExport(headers)) return parseDependencyExport(file.name, rest, header, limits, problems);
  await iterator.return?.(undefined);
  problems.add({
    file: file.name,
    line: header.line,
    message:
      `is not an export the import knows: expected the ${EXPORT_FORMAT_NAMES['azure-migrate-csv']} (*Server Name, *Cores, *Memory (In MB), *OS name…), ` +
      `the ${EXPORT_FORMAT_NAMES['azure-migrate-dependencies-csv']} (Source server name, Destination server name, Destination port…) or an ${EXPORT_FORMAT_NAMES['rvtools-xlsx']}`,
  });
  return undefined;
}

/** NUL bytes in the first kilobytes: a binary file, not text. */
function looksBinary(content: Buffer): boolean {
  return content.subarray(0, 8192).includes(0);
}
