/**
 * Bounds of a discovery import. An export comes from outside (a customer's tooling, a
 * consultant's laptop), so every dimension that could grow without limit has one, and going
 * past it answers a clear error rather than a slow or partial import.
 */
export const DISCOVERY_LIMITS = {
  /** Files in one import: the inventories and the dependency exports of one estate. */
  maxFiles: 8,
  /** Bytes of one file; a 20,000-server RVTools workbook is about 3 MB. */
  maxFileBytes: 32 * 1024 * 1024,
  /** Data rows of one CSV file or one worksheet. */
  maxRows: 100_000,
  /** Characters of one cell that the import reads (names, OS, process names). */
  maxCellChars: 1_024,
  /** Characters of one CSV record, every cell included (csv-parse's max_record_size). */
  maxRecordChars: 64 * 1024,
  /** Columns of one CSV header or worksheet header. */
  maxColumns: 1_000,
  /** Uncompressed bytes of one entry of an xlsx (zip) file: stops decompression bombs. */
  maxXlsxEntryBytes: 512 * 1024 * 1024,
  /**
   * Shared strings of one xlsx workbook, and their characters: the reader holds them all while
   * it reads the sheets. A 20,000-VM RVTools export of the synthetic estate has 104,732 of them,
   * 3.6 MB of XML.
   */
  maxSharedStrings: 4_000_000,
  maxSharedStringChars: 128 * 1024 * 1024,
  /** Problems an error lists before it stops counting. */
  maxProblems: 50,
  /** Items each list of the import report holds; the counts by code cover the rest. */
  maxReportItemsPerList: 500,
} as const;

/** The bounds in force; tests and callers may lower them. */
export type DiscoveryLimits = { readonly [K in keyof typeof DISCOVERY_LIMITS]: number };
