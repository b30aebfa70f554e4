/**
 * Azure Migrate's import-based discovery CSV: one row per server, with the template's
 * required fields (`*Server Name`, `*Cores`, `*Memory (In MB)`, `*OS name`) and optional ones
 * (`IP addresses`, `OS version`, `Number of disks`, `Disk N size (In GB)` …). The template has
 * no in-use storage: a server's size is the sum of its disks, which the report says.
 */
import type { InventoryServer } from './records';
import { type ColumnSpec, type CsvExportParser, readTable } from './table';

/** Disks the template describes, `Disk 1 size (In GB)` to `Disk 64 size (In GB)`. */
const MAX_TEMPLATE_DISKS = 64;

type InventoryColumn = 'serverName' | 'ipAddresses' | 'cores' | 'memoryMb' | 'osName' | 'osVersion' | 'numberOfDisks' | 'application' | `disk${number}`;

const INVENTORY_COLUMNS: readonly ColumnSpec<InventoryColumn>[] = [
  { key: 'serverName', header: '*Server Name', required: true },
  { key: 'ipAddresses', header: 'IP addresses', required: false },
  { key: 'cores', header: '*Cores', required: true },
  { key: 'memoryMb', header: '*Memory (In MB)', required: true },
  { key: 'osName', header: '*OS name', required: true },
  { key: 'osVersion', header: 'OS version', required: false },
  { key: 'numberOfDisks', header: 'Number of disks', required: false },
  { key: 'application', header: 'Application', required: false },
  ...Array.from({ length: MAX_TEMPLATE_DISKS }, (_, index) => ({
    key: `disk${index + 1}` as const,
    header: `Disk ${index + 1} size (In GB)`,
    required: false,
  })),
];

/** Whether a header row is the import template's: it names servers (its other columns are then checked). */
export function looksLikeAzureMigrateInventory(normalizedHeaders: ReadonlySet<string>): boolean {
  return normalizedHeaders.has('server name');
}

/** Reads the template's rows into servers; every problem is collected, none thrown. */
export const parseAzureMigrateInventory: CsvExportParser = async (file, rows, header, limits, problems) => {
  const servers: InventoryServer[] = [];
  const read = await readTable({ file }, header, rows, INVENTORY_COLUMNS, limits, problems, (columns) => {
    const diskKeys = INVENTORY_COLUMNS.filter((spec) => spec.key.startsWith('disk') && columns.has(spec.key)).map((spec) => spec.key);
    return (row) => {
      const name = columns.text(row, 'serverName');
      if (name === undefined) {
        problems.add({ ...columns.locate(row, 'serverName'), message: 'is empty: every server needs a name' });
        return;
      }
      const server: InventoryServer = { name, at: columns.locate(row, 'serverName'), format: 'azure-migrate-csv', ipAddresses: [] };
      const cores = columns.number(row, 'cores');
      if (cores !== undefined) server.cores = cores;
      const memoryMb = columns.number(row, 'memoryMb');
      if (memoryMb !== undefined) server.memoryMb = memoryMb;
      const osName = columns.text(row, 'osName');
      const osVersion = columns.text(row, 'osVersion');
      if (osName !== undefined) server.os = { value: osVersion === undefined ? osName : `${osName} ${osVersion}`, at: columns.locate(row, 'osName') };
      server.ipAddresses = splitList(columns.text(row, 'ipAddresses'));
      const application = columns.text(row, 'application');
      if (application !== undefined) server.application = { value: application, at: columns.locate(row, 'application') };

      const declaredDisks = columns.number(row, 'numberOfDisks');
      let disks = 0;
      let provisionedGb = 0;
      for (const key of diskKeys) {
        const size = columns.number(row, key);
        if (size === undefined) continue;
        disks += 1;
        provisionedGb += size;
      }
      if (declaredDisks !== undefined) server.declaredDisks = declaredDisks;
      server.sizedDisks = disks;
      if (disks > 0) server.provisionedGb = { value: provisionedGb, at: columns.locate(row, diskKeys[0]) };
      servers.push(server);
    };
  });
  return { file, format: 'azure-migrate-csv', rows: read.rows, servers, connections: [], unusedColumns: read.unusedColumns };
};

/** `10.0.0.1, 10.0.0.2` or `10.0.0.1;10.0.0.2` as a list. */
export function splitList(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(/[,;\s]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
