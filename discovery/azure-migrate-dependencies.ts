/**
 * Azure Migrate's dependency-analysis export: one row per observed connection, from a source
 * server and process to a destination server (or only an IP address, when the destination was
 * not discovered), process and port.
 */
import type { Connection } from './records';
import { type ColumnSpec, type CsvExportParser, readTable } from './table';

type DependencyColumn =
  | 'sourceServer'
  | 'sourceIp'
  | 'sourceProcess'
  | 'destinationServer'
  | 'destinationIp'
  | 'destinationApplication'
  | 'destinationProcess'
  | 'destinationPort';

const DEPENDENCY_COLUMNS: readonly ColumnSpec<DependencyColumn>[] = [
  { key: 'sourceServer', header: 'Source server name', required: true },
  { key: 'sourceIp', header: 'Source IP', required: false },
  { key: 'sourceProcess', header: 'Source process', required: false },
  { key: 'destinationServer', header: 'Destination server name', required: true },
  { key: 'destinationIp', header: 'Destination IP', required: false },
  { key: 'destinationApplication', header: 'Destination application', required: false },
  { key: 'destinationProcess', header: 'Destination process', required: false },
  { key: 'destinationPort', header: 'Destination port', required: true },
];

/** Whether a header row is the dependency export's. */
export function looksLikeDependencyExport(normalizedHeaders: ReadonlySet<string>): boolean {
  return normalizedHeaders.has('source server name') && normalizedHeaders.has('destination server name');
}

/** Reads the export's rows into connections; every problem is collected, none thrown. */
export const parseDependencyExport: CsvExportParser = async (file, rows, header, limits, problems) => {
  const connections: Connection[] = [];
  const read = await readTable({ file }, header, rows, DEPENDENCY_COLUMNS, limits, problems, (columns) => (row) => {
    const connection: Connection = { at: columns.locate(row) };
    const sourceName = columns.text(row, 'sourceServer');
    if (sourceName === undefined) {
      problems.add({ ...columns.locate(row, 'sourceServer'), message: 'is empty: a connection needs the server it starts from' });
      return;
    }
    connection.sourceName = { value: sourceName, at: columns.locate(row, 'sourceServer') };
    const sourceIp = columns.text(row, 'sourceIp');
    if (sourceIp !== undefined) connection.sourceIp = sourceIp;
    const sourceProcess = columns.text(row, 'sourceProcess');
    if (sourceProcess !== undefined) connection.sourceProcess = sourceProcess;
    const destinationName = columns.text(row, 'destinationServer');
    if (destinationName !== undefined) connection.destinationName = { value: destinationName, at: columns.locate(row, 'destinationServer') };
    const destinationIp = columns.text(row, 'destinationIp');
    if (destinationIp !== undefined) connection.destinationIp = { value: destinationIp, at: columns.locate(row, 'destinationIp') };
    if (destinationName === undefined && destinationIp === undefined) {
      problems.add({ ...columns.locate(row, 'destinationServer'), message: 'is empty, and so is the destination IP: the connection goes nowhere' });
      return;
    }
    const destinationApplication = columns.text(row, 'destinationApplication');
    if (destinationApplication !== undefined) connection.destinationApplication = destinationApplication;
    const destinationProcess = columns.text(row, 'destinationProcess');
    if (destinationProcess !== undefined) connection.destinationProcess = { value: destinationProcess, at: columns.locate(row, 'destinationProcess') };
    const port = columns.number(row, 'destinationPort');
    if (port !== undefined) {
      if (!Number.isInteger(port) || port > 65_535) {
        problems.add({ ...columns.locate(row, 'destinationPort'), message: `must be a TCP port from 0 to 65535, not ${port}` });
        return;
      }
      connection.port = { value: port, at: columns.locate(row, 'destinationPort') };
    }
    connections.push(connection);
  });
  return { file, format: 'azure-migrate-dependencies-csv', rows: read.rows, servers: [], connections, unusedColumns: read.unusedColumns };
};
