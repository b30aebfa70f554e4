/**
 * Benchmark of discovery imports: 20,000-row exports in each format (Azure Migrate CSV, its
 * dependency export, an RVTools workbook of 20,000 VMs with their disks and adapters), read
 * and merged into a draft plan by `importDiscoveryExports`, as `POST /v1/plans/drafts` does.
 *
 * `npm run bench -- discovery-import` writes bench/results/discovery-import.json; `npx tsx
 * bench/discovery-import.ts` only prints the figures. The exports come from the project's
 * deterministic generator (scripts/lib/discovery-exports.ts), written to a temporary directory.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importDiscoveryExports } from '../discovery';
import { largeEstate, writeEstateExports } from '../scripts/lib/discovery-exports';
import type { Benchmark, Measurement } from './support/benchmark';
import { median, round } from './support/stats';

const SERVERS = 20_000;
const MEASURED_RUNS = 3;
const customer = { id: 'bench', name: 'Benchmark', type: 'LOCAL_AUTHORITY' as const };

export async function measureDiscoveryImport(): Promise<Measurement> {
  const directory = await mkdtemp(path.join(tmpdir(), 'passerelle-bench-discovery-'));
  try {
    const files = await writeEstateExports(directory, largeEstate(SERVERS), { prefix: 'bench', dependencyRows: SERVERS });
    const read = async (...names: string[]) => Promise.all(names.map(async (file) => ({ name: path.basename(file), content: await readFile(file) })));
    const cases = [
      { label: 'Azure Migrate CSV', files: await read(files.azureMigrateCsv) },
      { label: 'Azure Migrate CSV + dependency CSV', files: await read(files.azureMigrateCsv, files.dependenciesCsv) },
      { label: 'RVTools xlsx', files: await read(files.rvtoolsXlsx) },
      { label: 'all three', files: await read(files.azureMigrateCsv, files.rvtoolsXlsx, files.dependenciesCsv) },
    ];
    // One unmeasured pass warms the JIT, as a long-running API process would be.
    await importDiscoveryExports(cases[0]?.files ?? [], { customer });
    const rows: (string | number)[][] = [];
    const data: Record<string, { bytes: number; medianMs: number; medianCpuMs: number; runsMs: number[]; runsCpuMs: number[] }> = {};
    for (const entry of cases) {
      const runsMs: number[] = [];
      const runsCpuMs: number[] = [];
      for (let run = 0; run < MEASURED_RUNS; run += 1) {
        const started = performance.now();
        const cpuBefore = process.cpuUsage();
        await importDiscoveryExports(entry.files, { customer });
        const cpu = process.cpuUsage(cpuBefore);
        runsMs.push(performance.now() - started);
        runsCpuMs.push((cpu.user + cpu.system) / 1000);
      }
      const bytes = entry.files.reduce((total, file) => total + file.content.length, 0);
      data[entry.label] = {
        bytes,
        medianMs: round(median(runsMs)),
        medianCpuMs: round(median(runsCpuMs)),
        runsMs: runsMs.map((value) => round(value)),
        runsCpuMs: runsCpuMs.map((value) => round(value)),
      };
      rows.push([entry.label, round(bytes / 1024 / 1024, 1), round(median(runsCpuMs) / 1000, 2), round(median(runsMs) / 1000, 2)]);
    }
    // On a shared machine the wall-clock time depends on the neighbours; the CPU time does not.
    const csv = data['Azure Migrate CSV + dependency CSV']?.medianCpuMs ?? Number.NaN;
    const workbook = data['RVTools xlsx']?.medianCpuMs ?? Number.NaN;
    const all = data['all three']?.medianCpuMs ?? Number.NaN;
    return {
      parameters: { servers: SERVERS, dependencyRows: SERVERS, measuredRuns: MEASURED_RUNS },
      table: { columns: ['exports (20,000 rows each)', 'size (MiB)', 'CPU, median (s)', 'wall clock, median (s)'], rows },
      findings: [
        `20,000 servers and 20,000 connection rows import from CSV in ${round(csv / 1000, 1)} s of CPU; a 20,000-VM RVTools workbook in ${round(workbook / 1000, 1)} s; all three together in ${round(all / 1000, 1)} s (medians of ${MEASURED_RUNS}; the wall clock also counts the machine's other load).`,
      ],
      data,
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export const discoveryImportBenchmark: Benchmark = {
  name: 'discovery-import',
  title: 'Discovery imports of 20,000-row exports',
  measure: measureDiscoveryImport,
};

if (require.main === module) {
  measureDiscoveryImport().then(
    (measurement) => console.log(JSON.stringify(measurement, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
