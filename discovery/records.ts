/** What the parsers make of each format's rows, before the inventories are merged. */
import type { ImportLocation } from './location';

/** The inventory formats a server can come from. */
export type InventoryFormat = 'azure-migrate-csv' | 'rvtools-xlsx';
/** Every format the import reads. */
export type ExportFormat = InventoryFormat | 'azure-migrate-dependencies-csv';

/** Human names of the formats, for the report and for errors. */
export const EXPORT_FORMAT_NAMES: Readonly<Record<ExportFormat, string>> = {
  'azure-migrate-csv': "Azure Migrate import-based discovery CSV",
  'rvtools-xlsx': 'RVTools export (xlsx)',
  'azure-migrate-dependencies-csv': "Azure Migrate dependency-analysis export (CSV)",
};

/** A value of an export and where it was read. */
export interface Located<Value> {
  value: Value;
  at: ImportLocation;
}

/** One server as one inventory row describes it. */
export interface InventoryServer {
  /** The name as the export spells it. */
  name: string;
  /** The row that describes it (the name's cell). */
  at: ImportLocation;
  format: InventoryFormat;
  cores?: number;
  memoryMb?: number;
  os?: Located<string>;
  /** `poweredOn`, `poweredOff`, `suspended` as RVTools writes them; absent when the export has none. */
  powerState?: Located<string>;
  template?: Located<boolean>;
  ipAddresses: string[];
  dnsName?: string;
  /** Storage in use (RVTools `In Use MiB`), decimal GB. */
  inUseGb?: Located<number>;
  /** Provisioned storage (disk sizes, RVTools `Provisioned MiB`), decimal GB. */
  provisionedGb?: Located<number>;
  /** Disks the export declares (`Number of disks`, RVTools' `Disks`). */
  declaredDisks?: number;
  /** Disks whose size the export gives (`Disk N size (In GB)` cells, rows of RVTools' vDisk). */
  sizedDisks?: number;
  /** An application the export assigns the server to (an `Application` column or custom attribute). */
  application?: Located<string>;
}

/** One observed connection of the dependency export. */
export interface Connection {
  at: ImportLocation;
  sourceName?: Located<string>;
  sourceIp?: string;
  sourceProcess?: string;
  destinationName?: Located<string>;
  destinationIp?: Located<string>;
  destinationProcess?: Located<string>;
  destinationApplication?: string;
  port?: Located<number>;
}

/** One file as read: its format, rows and the columns it holds that the import does not use. */
export interface ParsedExport {
  file: string;
  format: ExportFormat;
  rows: number;
  servers: InventoryServer[];
  connections: Connection[];
  unusedColumns: { sheet?: string; columns: string[] }[];
}

/** Decimal gigabytes from mebibytes (RVTools counts MiB; plans count 10^9 bytes). */
export function mebibytesToGb(mebibytes: number): number {
  return (mebibytes * 1024 * 1024) / 1e9;
}
