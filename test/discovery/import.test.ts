import path from 'node:path';
import { classifyPlan, draftToPlan, type DraftPlan, untaggedWorkloadIds } from '../../domain';
import { type DiscoveryImport, DiscoveryImportError, importDiscoveryExports, type ImportProblem } from '../../discovery';
import {
  AZURE_MIGRATE_HEADERS,
  azureMigrateCsv,
  dependencyCsv,
  hospitalEstate,
  toCsv,
  VINFO_HEADERS,
  writeEstateExports,
  writeRvtoolsWorkbook,
  writeWorkbook,
  type EstateExportFiles,
} from '../../scripts/lib/discovery-exports';
import { csvFile, readImportFiles, temporaryDirectory } from './support/imports';

const customer = { id: 'ght-rhone-nord', name: 'GHT Rhône Nord', type: 'HOSPITAL' as const };

let directory: string;
let removeDirectory: () => Promise<void>;
let hospital: EstateExportFiles;

beforeAll(async () => {
  ({ directory, remove: removeDirectory } = await temporaryDirectory());
  hospital = await writeEstateExports(directory, hospitalEstate(), { prefix: 'chu' });
});

afterAll(async () => {
  await removeDirectory();
});

async function importHospital(...files: string[]): Promise<DiscoveryImport> {
  return importDiscoveryExports(await readImportFiles(...files), { customer, planId: 'ght-lot-1' });
}

function workload(result: DiscoveryImport, id: string) {
  const found = result.draft.workloads.find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`no workload ${id} in the draft`);
  return found;
}

/** The problems of a refused import; fails the test if the import was accepted. */
async function problemsOf(promise: Promise<unknown>): Promise<readonly ImportProblem[]> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DiscoveryImportError) return error.problems;
    throw error;
  }
  throw new Error('the import was accepted');
}

function tagEverything(draft: DraftPlan): DraftPlan {
  return { ...draft, workloads: draft.workloads.map((item) => ({ ...item, dataCategories: ['HEALTH'] })) };
}

describe('importing a hospital estate from its three exports', () => {
  let result: DiscoveryImport;
  beforeAll(async () => {
    result = await importHospital(hospital.azureMigrateCsv, hospital.rvtoolsXlsx, hospital.dependenciesCsv);
  });

  it('makes one untagged workload per server, templates refused', () => {
    expect(result.draft.workloads.map((item) => item.id)).toEqual([
      'srv-ad01',
      'srv-dpi-app01',
      'srv-dpi-sql01',
      'srv-dpi-web01',
      'srv-labo-app01',
      'srv-old-fs01',
      'srv-pacs01',
      'srv-paie-app01',
      'srv-paie-db01',
      'srv-web-public',
    ]);
    expect(result.draft.workloads.every((item) => item.dataCategories.length === 0)).toBe(true);
    expect(result.draft.planId).toBe('ght-lot-1');
    expect(result.report.refused).toContainEqual(
      expect.objectContaining({ code: 'TEMPLATE', file: 'chu-rvtools.xlsx', sheet: 'vInfo', line: 12, column: 'Template' }),
    );
  });

  it('infers kinds from the ports and processes that answer, and says why', () => {
    expect(workload(result, 'srv-dpi-sql01').kind).toBe('database');
    expect(workload(result, 'srv-dpi-app01').kind).toBe('app');
    expect(workload(result, 'srv-ad01').kind).toBe('vm');
    expect(result.report.inferred).toContainEqual(
      expect.objectContaining({
        code: 'KIND_DATABASE',
        workloadId: 'srv-dpi-sql01',
        file: 'chu-dependencies.csv',
        column: 'Destination process',
        message: expect.stringContaining('sqlservr.exe') as unknown,
      }),
    );
  });

  it('sizes each workload from its storage in use (RVTools), not its provisioned disks', () => {
    // 1,800 GiB in use in the estate: 1,932.735 decimal GB.
    expect(workload(result, 'srv-dpi-sql01').sizeGb).toBeCloseTo(1932.735, 2);
  });

  it('turns observed connections into dependencies, once each, and refuses addresses outside the inventory', () => {
    expect(workload(result, 'srv-dpi-app01').dependsOn).toEqual(['srv-ad01', 'srv-dpi-sql01']);
    expect(workload(result, 'srv-paie-app01').dependsOn).toEqual(['srv-ad01', 'srv-paie-db01']);
    expect(result.report.summary.dependencies).toBe(7);
    expect(result.report.refused).toContainEqual(
      expect.objectContaining({ code: 'OUTSIDE_INVENTORY', file: 'chu-dependencies.csv', line: 10, column: 'Destination IP' }),
    );
  });

  it('excludes powered-off machines with the reason, and counts them apart', () => {
    expect(workload(result, 'srv-old-fs01').excluded?.reason).toMatch(/powered off in chu-rvtools\.xlsx, sheet vInfo, row 11/);
    expect(result.report.summary).toMatchObject({ servers: 10, workloads: 9, excluded: 1, untagged: 9 });
  });

  it('groups servers into the applications that the vSphere attribute names', () => {
    expect(result.applications).toContainEqual({ name: 'Dossier patient', workloadIds: ['srv-dpi-app01', 'srv-dpi-sql01', 'srv-dpi-web01'] });
    expect(workload(result, 'srv-paie-db01').application).toBe('Paie');
  });

  it('merges the CSV and RVTools descriptions of a server and keeps where each came from', () => {
    expect(result.report.counts.inferred.MERGED).toBe(10);
    expect(workload(result, 'srv-pacs01').source).toEqual({ file: 'chu-azure-migrate.csv', line: 6 });
    expect(workload(result, 'srv-pacs01').facts).toMatchObject({ cores: 2, memoryMb: 8192, powerState: 'poweredOn', ipAddresses: ['10.1.2.10'] });
  });

  it('reports the columns it does not read', () => {
    expect(result.report.refused).toContainEqual(
      expect.objectContaining({ code: 'UNUSED_COLUMNS', file: 'chu-azure-migrate.csv', message: expect.stringContaining('"CPU utilization percentage"') as unknown }),
    );
  });

  it('becomes a plan that the rules classify once every workload is tagged, and not before', () => {
    expect(untaggedWorkloadIds(result.draft)).toHaveLength(9);
    const untagged = draftToPlan(result.draft);
    expect(untagged.ok).toBe(false);
    if (!untagged.ok) expect(untagged.errors[0]).toEqual({ path: 'workloads[0].dataCategories', message: expect.stringMatching(/^srv-ad01: must list at least one data category/) as unknown });
    const tagged = draftToPlan(tagEverything(result.draft));
    expect(tagged.ok).toBe(true);
    if (!tagged.ok) return;
    expect(tagged.plan.workloads.map((item) => item.id)).not.toContain('srv-old-fs01');
    expect(classifyPlan(tagged.plan).approvals.map((approval) => approval.id)).toEqual(['rssi', 'dpo', 'dpia', 'homologation']);
  });
});

describe('importing one format alone', () => {
  it('sizes servers from their provisioned disks when only the Azure Migrate CSV is given, and says so', async () => {
    const result = await importHospital(hospital.azureMigrateCsv);
    expect(workload(result, 'srv-dpi-sql01').sizeGb).toBe(2600);
    expect(result.report.inferred).toContainEqual(
      expect.objectContaining({ code: 'SIZE_PROVISIONED', workloadId: 'srv-dpi-sql01', file: 'chu-azure-migrate.csv', line: 5, column: 'Disk 1 size (In GB)' }),
    );
    expect(result.report.missing).toContainEqual(expect.objectContaining({ code: 'NO_APPLICATION', file: 'chu-azure-migrate.csv' }));
    expect(workload(result, 'srv-dpi-sql01').kind).toBe('database');
  });

  it('reads an RVTools workbook alone, disks and adapters included', async () => {
    const result = await importHospital(hospital.rvtoolsXlsx);
    expect(result.report.files).toEqual([{ file: 'chu-rvtools.xlsx', format: 'RVTools export (xlsx)', rows: 11 }]);
    expect(workload(result, 'srv-labo-app01').facts.ipAddresses).toEqual(['10.1.3.10']);
    expect(workload(result, 'srv-labo-app01').source).toEqual({ file: 'chu-rvtools.xlsx', sheet: 'vInfo', line: 7 });
  });

  it('reads a French spreadsheet’s CSV: semicolons and decimal commas', async () => {
    const text = toCsv(
      [
        ['*Server Name', '*Cores', '*Memory (In MB)', '*OS name', 'Disk 1 size (In GB)'],
        ['SRV-GED01', '4', '16384', 'Windows Server 2019', '1 250,5'],
      ],
      ';',
    );
    const result = await importDiscoveryExports([csvFile('inventaire.csv', text)], { customer });
    expect(workload(result, 'srv-ged01').sizeGb).toBe(1250.5);
  });

  it('drops a dependency that closes a cycle and reports it', async () => {
    const inventory = toCsv([
      ['*Server Name', '*Cores', '*Memory (In MB)', '*OS name'],
      ['alpha', '2', '4096', 'Linux'],
      ['beta', '2', '4096', 'Linux'],
    ]);
    const connections = toCsv([
      ['Source server name', 'Destination server name', 'Destination port'],
      ['alpha', 'beta', '8080'],
      ['beta', 'alpha', '8080'],
    ]);
    const result = await importDiscoveryExports([csvFile('servers.csv', inventory), csvFile('flows.csv', connections)], { customer });
    expect(workload(result, 'alpha').dependsOn).toEqual(['beta']);
    expect(workload(result, 'beta').dependsOn).toEqual([]);
    expect(result.report.refused).toContainEqual(
      expect.objectContaining({ code: 'DEPENDENCY_CYCLE_BROKEN', file: 'flows.csv', line: 3, message: 'beta depends on alpha dropped: it closes the cycle alpha -> beta -> alpha' }),
    );
  });
});

describe('refusing malformed exports, importing nothing', () => {
  it('refuses a workbook without a vInfo sheet, naming the sheets it has', async () => {
    const file = path.join(directory, 'wrong-sheet.xlsx');
    await writeRvtoolsWorkbook(file, hospitalEstate(), { infoSheetName: 'Sheet1' });
    const problems = await problemsOf(importHospital(file));
    expect(problems).toEqual([
      expect.objectContaining({ file: 'wrong-sheet.xlsx', message: expect.stringMatching(/has no vInfo sheet.*"Sheet1", "vDisk", "vNetwork", "vHost"/) as unknown }),
    ]);
  });

  it('refuses an inventory without a required column', async () => {
    const text = azureMigrateCsv(hospitalEstate(), (rows) => rows.map((row) => row.filter((_, index) => AZURE_MIGRATE_HEADERS[index] !== '*Cores')));
    const problems = await problemsOf(importDiscoveryExports([csvFile('servers.csv', text)], { customer }));
    expect(problems).toEqual([{ file: 'servers.csv', line: 1, message: 'required column "*Cores" is missing' }]);
  });

  it('refuses an RVTools vInfo sheet without its in-use storage, naming both spellings', async () => {
    const file = path.join(directory, 'no-in-use.xlsx');
    const inUse = VINFO_HEADERS.indexOf('In Use MiB');
    await writeRvtoolsWorkbook(file, hospitalEstate(), { transformInfo: (rows) => rows.map((row) => row.filter((_, index) => index !== inUse)) });
    const problems = await problemsOf(importHospital(file));
    expect(problems).toEqual([{ file: 'no-in-use.xlsx', sheet: 'vInfo', line: 1, message: 'required column "In Use MiB" is missing (also accepted: "In Use MB")' }]);
  });

  it('refuses duplicate server names, naming both lines', async () => {
    const text = azureMigrateCsv(hospitalEstate(), (rows) => [...rows, rows[3] ?? []]);
    const problems = await problemsOf(importDiscoveryExports([csvFile('servers.csv', text)], { customer }));
    expect(problems).toEqual([
      { file: 'servers.csv', line: 12, column: '*Server Name', message: 'duplicate server name "SRV-DPI-APP01": servers.csv, line 4, column "*Server Name" already names it' },
    ]);
  });

  it('refuses a server named twice by two exports of the same kind', async () => {
    const text = azureMigrateCsv(hospitalEstate());
    const problems = await problemsOf(importDiscoveryExports([csvFile('lyon.csv', text), csvFile('vienne.csv', text)], { customer }));
    expect(problems[0]).toMatchObject({ file: 'vienne.csv', line: 2, message: expect.stringContaining('an export of the same kind, already names it') as unknown });
  });

  it('refuses dependencies on servers that no inventory holds', async () => {
    const connections = dependencyCsv(hospitalEstate(), { transform: (rows) => [...rows, ['', 'SRV-DPI-APP01', '', '', 'java', 'SRV-INCONNU', '10.9.9.9', '', 'oracle', '1521']] });
    const problems = await problemsOf(
      importDiscoveryExports([...(await readImportFiles(hospital.azureMigrateCsv)), csvFile('flows.csv', connections)], { customer }),
    );
    expect(problems).toEqual([{ file: 'flows.csv', line: 11, column: 'Destination server name', message: 'unknown server "SRV-INCONNU": no inventory of this import holds it' }]);
  });

  it('refuses disks of a VM that vInfo does not list', async () => {
    const file = path.join(directory, 'orphan-disk.xlsx');
    await writeRvtoolsWorkbook(file, hospitalEstate(), { extraDiskRows: [['SRV-FANTOME', 'poweredOn', 'False', 'Hard disk 1', 1024, 'True']] });
    const problems = await problemsOf(importHospital(file));
    expect(problems).toEqual([{ file: 'orphan-disk.xlsx', sheet: 'vDisk', line: 24, column: 'VM', message: 'unknown VM "SRV-FANTOME": the vInfo sheet has no such VM' }]);
  });

  it('refuses formulas in a workbook', async () => {
    const file = path.join(directory, 'formula.xlsx');
    const cpus = VINFO_HEADERS.indexOf('CPUs');
    await writeRvtoolsWorkbook(file, hospitalEstate(), {
      transformInfo: (rows) => rows.map((row, index) => (index === 2 ? row.map((cell, column) => (column === cpus ? { formula: 'G2*2', result: 4 } : cell)) : row)),
    });
    const problems = await problemsOf(importHospital(file));
    expect(problems).toEqual([
      { file: 'formula.xlsx', sheet: 'vInfo', line: 3, column: 'CPUs', message: 'holds a formula: the import reads values only (save the export with values)' },
    ]);
  });

  it('refuses a CSV cell that a spreadsheet would run as a formula', async () => {
    const text = azureMigrateCsv(hospitalEstate(), (rows) => rows.map((row, index) => (index === 2 ? ['=cmd|\' /C calc\'!A0', ...row.slice(1)] : row)));
    const problems = await problemsOf(importDiscoveryExports([csvFile('servers.csv', text)], { customer }));
    expect(problems[0]).toMatchObject({ file: 'servers.csv', line: 3, column: '*Server Name', message: expect.stringMatching(/^starts with "=", as a spreadsheet formula does/) as unknown });
  });

  it('refuses a huge cell', async () => {
    const text = azureMigrateCsv(hospitalEstate(), (rows) => rows.map((row, index) => (index === 4 ? row.map((cell, column) => (column === 4 ? 'Windows '.repeat(300) : cell)) : row)));
    const problems = await problemsOf(importDiscoveryExports([csvFile('servers.csv', text)], { customer }));
    expect(problems).toEqual([{ file: 'servers.csv', line: 5, column: '*OS name', message: 'holds 2399 characters; a cell may hold at most 1024' }]);
  });

  it('refuses a record larger than the parser accepts', async () => {
    const text = azureMigrateCsv(hospitalEstate(), (rows) => rows.map((row, index) => (index === 2 ? [...row, 'x'.repeat(70_000)] : row)));
    const problems = await problemsOf(importDiscoveryExports([csvFile('servers.csv', text)], { customer }));
    expect(problems[0]?.message).toBe('is not a readable CSV file: a record is larger than the import accepts (a huge cell?)');
  });

  it('refuses too many rows, too large a file, and too many files', async () => {
    const text = azureMigrateCsv(hospitalEstate());
    expect(await problemsOf(importDiscoveryExports([csvFile('servers.csv', text)], { customer, limits: { maxRows: 5 } }))).toEqual([
      { file: 'servers.csv', line: 7, message: 'the file holds more than 5 rows; split the export' },
    ]);
    expect((await problemsOf(importDiscoveryExports([csvFile('servers.csv', text)], { customer, limits: { maxFileBytes: 100 } })))[0]?.message).toMatch(/bytes; a file may hold at most 100$/);
    const files = Array.from({ length: 9 }, (_, index) => csvFile(`servers-${index}.csv`, text));
    expect((await problemsOf(importDiscoveryExports(files, { customer })))[0]?.message).toBe('9 files; an import takes at most 8');
  });

  it('refuses an xlsx part that would unpack past the bound, before parsing it', async () => {
    const problems = await problemsOf(importDiscoveryExports(await readImportFiles(hospital.rvtoolsXlsx), { customer, limits: { maxXlsxEntryBytes: 1024 } }));
    expect(problems[0]?.message).toMatch(/^its part "xl\/.*" unpacks to more than 0 MiB: refused$/);
  });

  it('refuses files it does not know, binary or not', async () => {
    const unknownCsv = await problemsOf(importDiscoveryExports([csvFile('notes.csv', 'Nom,Prénom\nDupont,Jean\n')], { customer }));
    expect(unknownCsv[0]?.message).toMatch(/^is not an export the import knows: expected the Azure Migrate import-based discovery CSV/);
    const binary = await problemsOf(importDiscoveryExports([{ name: 'old.xls', content: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]) }], { customer }));
    expect(binary[0]?.message).toBe('is neither a CSV file nor an xlsx workbook (older .xls workbooks must be saved as .xlsx)');
    const quote = await problemsOf(importDiscoveryExports([csvFile('servers.csv', '*Server Name,*Cores,*Memory (In MB),*OS name\n"SRV,2,4,Linux\n')], { customer }));
    expect(quote[0]?.message).toBe('is not a readable CSV file: a quoted cell is never closed');
  });

  it('refuses an empty vInfo sheet', async () => {
    const file = path.join(directory, 'empty.xlsx');
    await writeWorkbook(file, { vInfo: [] });
    expect(await problemsOf(importHospital(file))).toEqual([{ file: 'empty.xlsx', sheet: 'vInfo', message: 'is empty: it needs a header row and one row per VM' }]);
  });
});
