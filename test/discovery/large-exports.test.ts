import { importDiscoveryExports } from '../../discovery';
import { largeEstate, writeEstateExports, type EstateExportFiles } from '../../scripts/lib/discovery-exports';
import { readImportFiles, temporaryDirectory } from './support/imports';

// Reading 20,000-row exports takes seconds of CPU (bench/discovery-import.ts has the figures).
jest.setTimeout(120_000);

const customer = { id: 'cd-rhone', name: 'Conseil départemental du Rhône', type: 'LOCAL_AUTHORITY' as const };
const SERVERS = 20_000;

let files: EstateExportFiles;
let removeDirectory: () => Promise<void>;

beforeAll(async () => {
  const { directory, remove } = await temporaryDirectory();
  removeDirectory = remove;
  files = await writeEstateExports(directory, largeEstate(SERVERS), { prefix: 'large', dependencyRows: SERVERS });
});

afterAll(async () => {
  await removeDirectory();
});

it('imports a 20,000-row Azure Migrate CSV with its 20,000-row dependency export', async () => {
  const result = await importDiscoveryExports(await readImportFiles(files.azureMigrateCsv, files.dependenciesCsv), { customer });
  expect(result.report.files.map((file) => file.rows)).toEqual([SERVERS, SERVERS]);
  expect(result.report.summary).toMatchObject({ servers: SERVERS, workloads: SERVERS, excluded: 0, dependencies: 19_999 });
  expect(result.draft.workloads.filter((workload) => workload.kind === 'database')).toHaveLength(6_666);
  // More than one run takes: the report says so rather than failing the import.
  expect(result.report.missing).toContainEqual(expect.objectContaining({ code: 'PLAN_TOO_LARGE' }));
  // The report's lists are bounded; its counts are not.
  expect(result.report.inferred.length).toBeLessThanOrEqual(500);
  expect(result.report.counts.inferred.DEPENDENCY).toBe(19_999);
  expect(result.report.omitted.inferred).toBeGreaterThan(0);
});

it('imports a 20,000-VM RVTools workbook, powered-off machines excluded', async () => {
  const result = await importDiscoveryExports(await readImportFiles(files.rvtoolsXlsx), { customer });
  expect(result.report.files).toEqual([{ file: 'large-rvtools.xlsx', format: 'RVTools export (xlsx)', rows: SERVERS }]);
  expect(result.report.summary).toMatchObject({ servers: SERVERS, workloads: 19_000, excluded: 1_000, applications: 6_668 });
  expect(result.report.counts.refused.POWERED_OFF).toBe(1_000);
});
