/**
 * Generates discovery exports of a synthetic estate, as the customer's tools would write them:
 * Azure Migrate's import-based discovery CSV, an RVTools workbook (vInfo, vDisk, vNetwork,
 * plus a sheet the import does not read) and Azure Migrate's dependency-analysis CSV. Small
 * estates are a hospital's named servers; large ones repeat applications of a web, an
 * application and a database server until the requested count. Deterministic: the same
 * options always write the same bytes (but for the xlsx archive's timestamps).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';

/** One server of the synthetic estate. */
export interface EstateServer {
  name: string;
  application?: string;
  role: 'database' | 'app' | 'web' | 'infra' | 'file';
  cores: number;
  memoryMb: number;
  os: string;
  ip: string;
  /** Disk capacities, MiB. */
  disksMiB: number[];
  inUseMiB: number;
  powerState: 'poweredOn' | 'poweredOff' | 'suspended';
  template?: boolean;
}

/** One observed connection. */
export interface EstateConnection {
  source: string;
  sourceProcess: string;
  /** Absent for a destination outside the estate (only its IP is known). */
  destination?: string;
  destinationIp: string;
  destinationProcess: string;
  port: number;
}

/** A synthetic estate. */
export interface Estate {
  servers: EstateServer[];
  connections: EstateConnection[];
}

const ROLE_PROFILE = {
  web: { port: 443, process: 'w3wp.exe', os: 'Microsoft Windows Server 2019 (64-bit)', cores: 2, memoryMb: 4096 },
  app: { port: 8080, process: 'java', os: 'Red Hat Enterprise Linux 8 (64-bit)', cores: 4, memoryMb: 16384 },
  database: { port: 1433, process: 'sqlservr.exe', os: 'Microsoft Windows Server 2022 (64-bit)', cores: 8, memoryMb: 65536 },
  infra: { port: 389, process: 'lsass.exe', os: 'Microsoft Windows Server 2022 (64-bit)', cores: 2, memoryMb: 8192 },
  file: { port: 445, process: 'System', os: 'Microsoft Windows Server 2016 (64-bit)', cores: 2, memoryMb: 8192 },
} as const;

/** A server's name, role and application, with the cores, memory and OS of its role. */
function profiled(name: string, role: EstateServer['role'], application: string | undefined): Pick<EstateServer, 'name' | 'role' | 'application' | 'cores' | 'memoryMb' | 'os'> {
  const { cores, memoryMb, os } = ROLE_PROFILE[role];
  return { name, role, ...(application === undefined ? {} : { application }), cores, memoryMb, os };
}

/** The small estate: a hospital group's servers, with one VM powered off and one template. */
export function hospitalEstate(): Estate {
  const server = (name: string, role: EstateServer['role'], application: string | undefined, ip: string, inUseGiB: number, extra: Partial<EstateServer> = {}): EstateServer => ({
    ...profiled(name, role, application),
    ip,
    disksMiB: [81_920, Math.max(10_240, Math.round(inUseGiB * 1024 * 1.4))],
    inUseMiB: Math.round(inUseGiB * 1024),
    powerState: 'poweredOn',
    ...extra,
  });
  const servers: EstateServer[] = [
    server('SRV-AD01', 'infra', 'Annuaire', '10.1.0.10', 60),
    server('SRV-DPI-WEB01', 'web', 'Dossier patient', '10.1.1.10', 40),
    server('SRV-DPI-APP01', 'app', 'Dossier patient', '10.1.1.11', 300),
    server('SRV-DPI-SQL01', 'database', 'Dossier patient', '10.1.1.12', 1800),
    server('SRV-PACS01', 'file', 'Imagerie', '10.1.2.10', 4500),
    server('SRV-LABO-APP01', 'app', 'Laboratoire', '10.1.3.10', 120),
    server('SRV-PAIE-APP01', 'app', 'Paie', '10.1.4.10', 80),
    server('SRV-PAIE-DB01', 'database', 'Paie', '10.1.4.11', 150),
    server('SRV-WEB-PUBLIC', 'web', 'Site public', '10.1.5.10', 20),
    server('SRV-OLD-FS01', 'file', undefined, '10.1.6.10', 900, { powerState: 'poweredOff' }),
    server('TPL-W2022', 'infra', undefined, '10.1.9.99', 30, { powerState: 'poweredOff', template: true }),
  ];
  const link = (source: string, destination: string): EstateConnection => {
    const from = servers.find((candidate) => candidate.name === source);
    const to = servers.find((candidate) => candidate.name === destination);
    if (from === undefined || to === undefined) throw new Error(`no server ${source} or ${destination}`);
    return {
      source,
      sourceProcess: ROLE_PROFILE[from.role].process,
      destination,
      destinationIp: to.ip,
      destinationProcess: ROLE_PROFILE[to.role].process,
      port: ROLE_PROFILE[to.role].port,
    };
  };
  const connections = [
    link('SRV-DPI-WEB01', 'SRV-DPI-APP01'),
    link('SRV-DPI-APP01', 'SRV-DPI-SQL01'),
    link('SRV-DPI-APP01', 'SRV-AD01'),
    link('SRV-LABO-APP01', 'SRV-DPI-SQL01'),
    link('SRV-PACS01', 'SRV-DPI-APP01'),
    link('SRV-PAIE-APP01', 'SRV-PAIE-DB01'),
    link('SRV-PAIE-APP01', 'SRV-AD01'),
    // The same connection observed in another time slot: one dependency, not two.
    link('SRV-PAIE-APP01', 'SRV-PAIE-DB01'),
    // Outside the inventory: an internet address, reported and not imported.
    { source: 'SRV-WEB-PUBLIC', sourceProcess: 'w3wp.exe', destinationIp: '203.0.113.7', destinationProcess: '', port: 443 },
  ];
  return { servers, connections };
}

/**
 * A large estate of `servers` servers: one directory server, then applications of a web, an
 * application and a database server (the web calls the application, the application the
 * database and the directory); one server in twenty is powered off.
 */
export function largeEstate(serverCount: number): Estate {
  const servers: EstateServer[] = [];
  const connections: EstateConnection[] = [];
  const ipOf = (index: number): string => `10.${Math.floor(index / 65_536) % 256}.${Math.floor(index / 256) % 256}.${index % 256}`;
  const add = (name: string, role: EstateServer['role'], application: string | undefined): EstateServer => {
    const index = servers.length;
    const inUseMiB = 10_240 + ((index * 7919) % 200) * 1024;
    const server: EstateServer = {
      ...profiled(name, role, application),
      ip: ipOf(index + 1),
      disksMiB: [81_920, inUseMiB * 2],
      inUseMiB,
      powerState: index % 20 === 19 ? 'poweredOff' : 'poweredOn',
    };
    servers.push(server);
    return server;
  };
  const directory = add('dc01', 'infra', 'Directory');
  const roles = ['web', 'app', 'database'] as const;
  for (let index = 1; servers.length < serverCount; index += 1) {
    const application = `App ${String(index).padStart(5, '0')}`;
    const members = roles.slice(0, Math.min(roles.length, serverCount - servers.length)).map((role) => add(`${role}-${String(index).padStart(5, '0')}`, role, application));
    for (let position = 0; position + 1 < members.length; position += 1) {
      const from = members[position];
      const to = members[position + 1];
      if (from === undefined || to === undefined) continue;
      connections.push({ source: from.name, sourceProcess: ROLE_PROFILE[from.role].process, destination: to.name, destinationIp: to.ip, destinationProcess: ROLE_PROFILE[to.role].process, port: ROLE_PROFILE[to.role].port });
    }
    const caller = members[1] ?? members[0];
    if (caller !== undefined) {
      connections.push({ source: caller.name, sourceProcess: ROLE_PROFILE[caller.role].process, destination: directory.name, destinationIp: directory.ip, destinationProcess: 'lsass.exe', port: 389 });
    }
  }
  return { servers, connections };
}

/** Headers of Azure Migrate's import template, in its order (required fields start with `*`). */
export const AZURE_MIGRATE_HEADERS = [
  '*Server Name',
  'IP addresses',
  '*Cores',
  '*Memory (In MB)',
  '*OS name',
  'OS version',
  'OS architecture',
  'CPU utilization percentage',
  'Memory utilization percentage',
  'Network adapters',
  'Network In throughput',
  'Network Out throughput',
  'Boot type',
  'Number of disks',
  'Disk 1 size (In GB)',
  'Disk 1 read throughput (MB per second)',
  'Disk 1 write throughput (MB per second)',
  'Disk 1 read ops (operations per second)',
  'Disk 1 write ops (operations per second)',
  'Disk 2 size (In GB)',
  'Disk 2 read throughput (MB per second)',
  'Disk 2 write throughput (MB per second)',
  'Disk 2 read ops (operations per second)',
  'Disk 2 write ops (operations per second)',
] as const;

/** Cells of one server in the import template (which has no power state). */
function azureMigrateRow(server: EstateServer): string[] {
  const [disk1, disk2] = server.disksMiB.map((mebibytes) => String(Math.round(mebibytes / 1024)));
  const cells: Record<(typeof AZURE_MIGRATE_HEADERS)[number], string> = {
    '*Server Name': server.name,
    'IP addresses': server.ip,
    '*Cores': String(server.cores),
    '*Memory (In MB)': String(server.memoryMb),
    '*OS name': server.os.replace(/ \(64-bit\)$/, ''),
    'OS version': '',
    'OS architecture': 'x64',
    'CPU utilization percentage': '35',
    'Memory utilization percentage': '60',
    'Network adapters': '1',
    'Network In throughput': '',
    'Network Out throughput': '',
    'Boot type': 'UEFI',
    'Number of disks': String(server.disksMiB.length),
    'Disk 1 size (In GB)': disk1 ?? '',
    'Disk 1 read throughput (MB per second)': '',
    'Disk 1 write throughput (MB per second)': '',
    'Disk 1 read ops (operations per second)': '',
    'Disk 1 write ops (operations per second)': '',
    'Disk 2 size (In GB)': disk2 ?? '',
    'Disk 2 read throughput (MB per second)': '',
    'Disk 2 write throughput (MB per second)': '',
    'Disk 2 read ops (operations per second)': '',
    'Disk 2 write ops (operations per second)': '',
  };
  return AZURE_MIGRATE_HEADERS.map((header) => cells[header]);
}

/** Azure Migrate's import CSV of the estate's servers (templates are not servers, so not in it). */
export function azureMigrateCsv(estate: Estate, transform: (rows: string[][]) => string[][] = (rows) => rows): string {
  const rows = [[...AZURE_MIGRATE_HEADERS], ...estate.servers.filter((server) => server.template !== true).map(azureMigrateRow)];
  return toCsv(transform(rows));
}

/** Headers of the dependency-analysis export. */
export const DEPENDENCY_HEADERS = [
  'Timeslot',
  'Source server name',
  'Source IP',
  'Source application',
  'Source process',
  'Destination server name',
  'Destination IP',
  'Destination application',
  'Destination process',
  'Destination port',
] as const;

/** The dependency-analysis export; `rowCount` repeats the connections over time slots until it is reached. */
export function dependencyCsv(estate: Estate, options: { rowCount?: number; transform?: (rows: string[][]) => string[][] } = {}): string {
  const byName = new Map(estate.servers.map((server) => [server.name, server]));
  const rows: string[][] = [[...DEPENDENCY_HEADERS]];
  const total = options.rowCount ?? estate.connections.length;
  for (let index = 0; index < total && estate.connections.length > 0; index += 1) {
    const connection = estate.connections[index % estate.connections.length];
    if (connection === undefined) continue;
    const slot = Math.floor(index / estate.connections.length);
    rows.push([
      `2026-11-${String(1 + (slot % 28)).padStart(2, '0')} ${String(slot % 24).padStart(2, '0')}:00`,
      connection.source,
      byName.get(connection.source)?.ip ?? '',
      '',
      connection.sourceProcess,
      connection.destination ?? '',
      connection.destinationIp,
      '',
      connection.destinationProcess,
      String(connection.port),
    ]);
  }
  return toCsv((options.transform ?? ((same) => same))(rows));
}

/** Headers of RVTools' vInfo sheet that the generator writes (a real export has about ninety). */
export const VINFO_HEADERS = [
  'VM',
  'Powerstate',
  'Template',
  'SRM Placeholder',
  'Config status',
  'DNS Name',
  'CPUs',
  'Memory',
  'NICs',
  'Disks',
  'Provisioned MiB',
  'In Use MiB',
  'Unshared MiB',
  'Primary IP Address',
  'Datacenter',
  'Cluster',
  'Host',
  'OS according to the configuration file',
  'OS according to the VMware Tools',
  'VM UUID',
  'Application',
] as const;

/** Options of {@link writeRvtoolsWorkbook}: what a broken variant changes. */
export interface RvtoolsOptions {
  /** Name of the VM sheet (`vInfo` in every real export). */
  infoSheetName?: string;
  /** Changes vInfo's rows (header first) before they are written. */
  transformInfo?: (rows: unknown[][]) => unknown[][];
  /** Extra rows of vDisk. */
  extraDiskRows?: unknown[][];
}

/** Writes an RVTools workbook of the estate with exceljs' streaming writer. */
export async function writeRvtoolsWorkbook(file: string, estate: Estate, options: RvtoolsOptions = {}): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: false });
  const info = workbook.addWorksheet(options.infoSheetName ?? 'vInfo');
  const infoRows: unknown[][] = [
    [...VINFO_HEADERS],
    ...estate.servers.map((server, index) => [
      server.name,
      server.powerState,
      server.template === true ? 'True' : 'False',
      'False',
      'green',
      server.powerState === 'poweredOn' ? `${server.name.toLowerCase()}.chu.local` : '',
      server.cores,
      server.memoryMb,
      1,
      server.disksMiB.length,
      server.disksMiB.reduce((total, size) => total + size, 0),
      server.inUseMiB,
      server.inUseMiB,
      server.powerState === 'poweredOn' ? server.ip : '',
      'DC-LYON',
      'CL-PROD-01',
      `esx-${String(1 + (index % 16)).padStart(2, '0')}.chu.local`,
      server.os,
      server.powerState === 'poweredOn' ? server.os : '',
      `4210${String(index).padStart(4, '0')}-7a1b-4c2d-9e8f-${String(index).padStart(12, '0')}`,
      server.application ?? '',
    ]),
  ];
  for (const row of (options.transformInfo ?? ((same) => same))(infoRows)) info.addRow(row).commit();
  info.commit();

  const disk = workbook.addWorksheet('vDisk');
  disk.addRow(['VM', 'Powerstate', 'Template', 'Disk', 'Capacity MiB', 'Thin']).commit();
  for (const server of estate.servers) {
    server.disksMiB.forEach((size, index) => disk.addRow([server.name, server.powerState, server.template === true ? 'True' : 'False', `Hard disk ${index + 1}`, size, 'True']).commit());
  }
  for (const row of options.extraDiskRows ?? []) disk.addRow(row).commit();
  disk.commit();

  const network = workbook.addWorksheet('vNetwork');
  network.addRow(['VM', 'Powerstate', 'NIC label', 'Adapter', 'Network', 'Connected', 'Mac Address', 'IPv4 Address']).commit();
  estate.servers.forEach((server, index) => {
    network.addRow([server.name, server.powerState, 'Network adapter 1', 'VMXNET3', 'VLAN-PROD', 'True', `00:50:56:${hex(index >> 16)}:${hex(index >> 8)}:${hex(index)}`, server.powerState === 'poweredOn' ? server.ip : '']).commit();
  });
  network.commit();

  const hosts = workbook.addWorksheet('vHost');
  hosts.addRow(['Host', 'Datacenter', 'Cluster', '# CPU', '# Cores']).commit();
  hosts.addRow(['esx-01.chu.local', 'DC-LYON', 'CL-PROD-01', 2, 48]).commit();
  hosts.commit();
  await workbook.commit();
}

/** Writes a workbook whose cells a test chooses entirely (one sheet per entry). */
export async function writeWorkbook(file: string, sheets: Record<string, unknown[][]>): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = workbook.addWorksheet(name);
    for (const row of rows) sheet.addRow(row);
  }
  await workbook.xlsx.writeFile(file);
}

function hex(value: number): string {
  return (value & 0xff).toString(16).padStart(2, '0');
}

/** RFC 4180 CSV: cells quoted when they hold a delimiter, a quote or a line break. */
export function toCsv(rows: readonly (readonly string[])[], delimiter = ','): string {
  return `${rows.map((row) => row.map((cell) => (/[",;\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(delimiter)).join('\r\n')}\r\n`;
}

/** The files of an estate in every format, written into `directory`. */
export interface EstateExportFiles {
  azureMigrateCsv: string;
  rvtoolsXlsx: string;
  dependenciesCsv: string;
}

/** Writes the estate's three exports into a directory. */
export async function writeEstateExports(directory: string, estate: Estate, options: { prefix?: string; dependencyRows?: number } = {}): Promise<EstateExportFiles> {
  await mkdir(directory, { recursive: true });
  const prefix = options.prefix ?? 'estate';
  const files: EstateExportFiles = {
    azureMigrateCsv: path.join(directory, `${prefix}-azure-migrate.csv`),
    rvtoolsXlsx: path.join(directory, `${prefix}-rvtools.xlsx`),
    dependenciesCsv: path.join(directory, `${prefix}-dependencies.csv`),
  };
  await writeFile(files.azureMigrateCsv, azureMigrateCsv(estate));
  await writeRvtoolsWorkbook(files.rvtoolsXlsx, estate);
  await writeFile(files.dependenciesCsv, dependencyCsv(estate, options.dependencyRows === undefined ? {} : { rowCount: options.dependencyRows }));
  return files;
}
