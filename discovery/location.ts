/** Where a fact of an import comes from: file, worksheet (xlsx only), line and column. */
export interface ImportLocation {
  file: string;
  /** The worksheet of an xlsx file (`vInfo`, `vDisk`, `vNetwork`); absent for CSV. */
  sheet?: string;
  /** 1-based line of the CSV file or row of the worksheet (the header is line 1). */
  line?: number;
  /** The column's header as the export spells it. */
  column?: string;
}

/** `servers.csv line 12, column "*Cores"` or `rvtools.xlsx, sheet vInfo, row 4, column "CPUs"`. */
export function describeLocation(location: ImportLocation): string {
  const parts = [location.file];
  if (location.sheet !== undefined) parts.push(`sheet ${location.sheet}`);
  if (location.line !== undefined) parts.push(`${location.sheet === undefined ? 'line' : 'row'} ${location.line}`);
  if (location.column !== undefined) parts.push(`column ${JSON.stringify(location.column)}`);
  return parts.join(', ');
}
