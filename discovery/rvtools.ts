/**
 * An RVTools export (xlsx): `vInfo` has one row per VM (power state, CPUs, memory, provisioned
 * and in-use storage, OS as the configuration file and VMware Tools see it); `vDisk` one row
 * per virtual disk; `vNetwork` one row per network adapter, with its IPv4 addresses. Column
 * names follow RVTools 4.x (`MiB`); older exports' `MB` spellings are accepted too. A vSphere
 * custom attribute named `Application` (RVTools adds custom attributes as vInfo columns)
 * groups VMs into applications.
 */
import type { ProblemCollector } from './errors';
import type { DiscoveryLimits } from './limits';
import { type InventoryServer, mebibytesToGb, type ParsedExport } from './records';
import { splitList } from './azure-migrate-inventory';
import { type BoundColumns, type ColumnSpec, readTable, type TableRow } from './table';
import { readXlsxSheets } from './xlsx-table';

/** The sheet every RVTools export has, and the import requires. */
export const RVTOOLS_INFO_SHEET = 'vInfo';
const DISK_SHEET = 'vDisk';
const NETWORK_SHEET = 'vNetwork';

type InfoColumn = 'vm' | 'powerState' | 'template' | 'cpus' | 'memory' | 'provisioned' | 'inUse' | 'osConfig' | 'osTools' | 'dnsName' | 'primaryIp' | 'disks' | 'application';
const INFO_COLUMNS: readonly ColumnSpec<InfoColumn>[] = [
  { key: 'vm', header: 'VM', required: true },
  { key: 'powerState', header: 'Powerstate', required: true },
  { key: 'template', header: 'Template', required: false },
  { key: 'cpus', header: 'CPUs', required: true },
  { key: 'memory', header: 'Memory', required: true },
  { key: 'provisioned', header: 'Provisioned MiB', aliases: ['Provisioned MB'], required: false },
  { key: 'inUse', header: 'In Use MiB', aliases: ['In Use MB'], required: true },
  { key: 'osConfig', header: 'OS according to the configuration file', required: false },
  { key: 'osTools', header: 'OS according to the VMware Tools', required: false },
  { key: 'dnsName', header: 'DNS Name', required: false },
  { key: 'primaryIp', header: 'Primary IP Address', required: false },
  { key: 'disks', header: 'Disks', required: false },
  { key: 'application', header: 'Application', required: false },
];

type DiskColumn = 'vm' | 'capacity';
const DISK_COLUMNS: readonly ColumnSpec<DiskColumn>[] = [
  { key: 'vm', header: 'VM', required: true },
  { key: 'capacity', header: 'Capacity MiB', aliases: ['Capacity MB'], required: true },
];

type NetworkColumn = 'vm' | 'ipv4';
const NETWORK_COLUMNS: readonly ColumnSpec<NetworkColumn>[] = [
  { key: 'vm', header: 'VM', required: true },
  { key: 'ipv4', header: 'IPv4 Address', aliases: ['IP Address'], required: true },
];

/** Reads an RVTools workbook; every problem is collected, none thrown. */
export async function parseRvtoolsWorkbook(file: string, content: Buffer, limits: DiscoveryLimits, problems: ProblemCollector): Promise<ParsedExport> {
  const servers: InventoryServer[] = [];
  const byName = new Map<string, InventoryServer>();
  const sheetNames: string[] = [];
  const unusedColumns: ParsedExport['unusedColumns'] = [];
  let infoRows = 0;
  let sawInfo = false;
  // Disks and adapters may come before vInfo in the archive: kept until every VM is known.
  const diskRows: { vm: string; row: TableRow; capacityGb: number; columns: BoundColumns<DiskColumn> }[] = [];
  const networkRows: { vm: string; row: TableRow; ips: string[]; columns: BoundColumns<NetworkColumn> }[] = [];

  for await (const sheet of readXlsxSheets(file, content, limits, problems)) {
    sheetNames.push(sheet.name);
    const kind = [RVTOOLS_INFO_SHEET, DISK_SHEET, NETWORK_SHEET].find((name) => name.toLowerCase() === sheet.name.toLowerCase());
    if (kind === undefined || problems.full) continue;
    const iterator = sheet.rows[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done === true) {
      if (kind === RVTOOLS_INFO_SHEET) problems.add({ file, sheet: sheet.name, message: 'is empty: it needs a header row and one row per VM' });
      continue;
    }
    const header = first.value;
    const rest: AsyncIterable<TableRow> = { [Symbol.asyncIterator]: () => iterator };
    const origin = { file, sheet: sheet.name };
    if (kind === RVTOOLS_INFO_SHEET) {
      sawInfo = true;
      const read = await readTable(origin, header, rest, INFO_COLUMNS, limits, problems, (columns) => (row) => {
        const server = readInfoRow(row, columns, problems);
        if (server === undefined) return;
        const key = server.name.toLowerCase();
        const earlier = byName.get(key);
        if (earlier !== undefined) {
          problems.add({ ...server.at, message: `duplicate VM name ${JSON.stringify(server.name)}: row ${earlier.at.line} already names it` });
          return;
        }
        byName.set(key, server);
        servers.push(server);
      });
      infoRows += read.rows;
      unusedColumns.push(...read.unusedColumns);
    } else if (kind === DISK_SHEET) {
      await readTable(origin, header, rest, DISK_COLUMNS, limits, problems, (columns) => (row) => {
        const vm = columns.text(row, 'vm');
        const capacity = columns.number(row, 'capacity');
        if (vm === undefined) problems.add({ ...columns.locate(row, 'vm'), message: 'is empty: every disk belongs to a VM' });
        else if (capacity !== undefined) diskRows.push({ vm, row, capacityGb: mebibytesToGb(capacity), columns });
      });
    } else {
      await readTable(origin, header, rest, NETWORK_COLUMNS, limits, problems, (columns) => (row) => {
        const vm = columns.text(row, 'vm');
        if (vm === undefined) problems.add({ ...columns.locate(row, 'vm'), message: 'is empty: every adapter belongs to a VM' });
        else networkRows.push({ vm, row, ips: splitList(columns.text(row, 'ipv4')), columns });
      });
    }
  }

  if (!sawInfo) {
    if (problems.count === 0) {
      problems.add({
        file,
        message: `has no ${RVTOOLS_INFO_SHEET} sheet, so it is not an RVTools export (its sheets: ${sheetNames.map((name) => JSON.stringify(name)).join(', ') || 'none'})`,
      });
    }
    return { file, format: 'rvtools-xlsx', rows: 0, servers, connections: [], unusedColumns };
  }
  applyDisks(diskRows, byName, problems);
  applyAdapters(networkRows, byName, problems);
  return { file, format: 'rvtools-xlsx', rows: infoRows, servers, connections: [], unusedColumns };
}

function readInfoRow(row: TableRow, columns: BoundColumns<InfoColumn>, problems: ProblemCollector): InventoryServer | undefined {
  const name = columns.text(row, 'vm');
  if (name === undefined) {
    problems.add({ ...columns.locate(row, 'vm'), message: 'is empty: every VM needs a name' });
    return undefined;
  }
  const server: InventoryServer = { name, at: columns.locate(row, 'vm'), format: 'rvtools-xlsx', ipAddresses: [] };
  const powerState = columns.text(row, 'powerState');
  if (powerState !== undefined) server.powerState = { value: powerState, at: columns.locate(row, 'powerState') };
  const template = columns.text(row, 'template');
  if (template !== undefined) server.template = { value: /^(true|1|yes|vrai|oui)$/i.test(template), at: columns.locate(row, 'template') };
  const cpus = columns.number(row, 'cpus');
  if (cpus !== undefined) server.cores = cpus;
  const memory = columns.number(row, 'memory');
  if (memory !== undefined) server.memoryMb = memory;
  const inUse = columns.number(row, 'inUse');
  if (inUse !== undefined) server.inUseGb = { value: mebibytesToGb(inUse), at: columns.locate(row, 'inUse') };
  const provisioned = columns.number(row, 'provisioned');
  if (provisioned !== undefined) server.provisionedGb = { value: mebibytesToGb(provisioned), at: columns.locate(row, 'provisioned') };
  // VMware Tools see the running guest; the configuration file only what was declared.
  const osTools = columns.text(row, 'osTools');
  const osConfig = columns.text(row, 'osConfig');
  if (osTools !== undefined) server.os = { value: osTools, at: columns.locate(row, 'osTools') };
  else if (osConfig !== undefined) server.os = { value: osConfig, at: columns.locate(row, 'osConfig') };
  const dnsName = columns.text(row, 'dnsName');
  if (dnsName !== undefined) server.dnsName = dnsName;
  server.ipAddresses = splitList(columns.text(row, 'primaryIp'));
  const disks = columns.number(row, 'disks');
  if (disks !== undefined) server.declaredDisks = disks;
  const application = columns.text(row, 'application');
  if (application !== undefined) server.application = { value: application, at: columns.locate(row, 'application') };
  return server;
}

function applyDisks(
  rows: readonly { vm: string; row: TableRow; capacityGb: number; columns: BoundColumns<DiskColumn> }[],
  byName: ReadonlyMap<string, InventoryServer>,
  problems: ProblemCollector,
): void {
  const provisionedByServer = new Map<InventoryServer, number>();
  for (const { vm, row, capacityGb, columns } of rows) {
    const server = byName.get(vm.toLowerCase());
    if (server === undefined) {
      problems.add({ ...columns.locate(row, 'vm'), message: `unknown VM ${JSON.stringify(vm)}: the vInfo sheet has no such VM` });
      continue;
    }
    server.sizedDisks = (server.sizedDisks ?? 0) + 1;
    provisionedByServer.set(server, (provisionedByServer.get(server) ?? 0) + capacityGb);
    if (server.provisionedGb === undefined) server.provisionedGb = { value: 0, at: columns.locate(row, 'capacity') };
  }
  for (const [server, total] of provisionedByServer) {
    // vInfo's own provisioned figure (disks, snapshots, swap) wins over the sum of capacities.
    if (server.provisionedGb !== undefined && server.provisionedGb.at.sheet === DISK_SHEET) server.provisionedGb.value = total;
  }
}

function applyAdapters(
  rows: readonly { vm: string; row: TableRow; ips: string[]; columns: BoundColumns<NetworkColumn> }[],
  byName: ReadonlyMap<string, InventoryServer>,
  problems: ProblemCollector,
): void {
  for (const { vm, row, ips, columns } of rows) {
    const server = byName.get(vm.toLowerCase());
    if (server === undefined) {
      problems.add({ ...columns.locate(row, 'vm'), message: `unknown VM ${JSON.stringify(vm)}: the vInfo sheet has no such VM` });
      continue;
    }
    for (const ip of ips) if (!server.ipAddresses.includes(ip)) server.ipAddresses.push(ip);
  }
}
