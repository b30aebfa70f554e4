/**
 * `npm run bench` runs every benchmark; `npm run bench -- throughput memory` runs those named.
 * Each writes bench/results/<name>.json; bench/RESULTS.md is then rewritten from all results.
 * Benchmarks start their own Temporal dev server and processes, on loopback, and stop them.
 */
import { apiBenchmark } from './api';
import { discoveryImportBenchmark } from './discovery-import';
import { memoryBenchmark } from './memory';
import { writeResultsFile } from './report';
import { scaleBenchmark } from './scale';
import { startupBenchmark } from './startup';
import type { Benchmark } from './support/benchmark';
import { describeMachine } from './support/machine';
import { writeResult } from './support/result';
import { throughputBenchmark } from './throughput';
import { validatePlanBenchmark } from './validate-plan';
import { ensureTemporalCli } from '../scripts/lib/temporal-cli';

const BENCHMARKS: Benchmark[] = [
  validatePlanBenchmark,
  discoveryImportBenchmark,
  startupBenchmark,
  throughputBenchmark,
  apiBenchmark,
  memoryBenchmark,
  scaleBenchmark,
];

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) {
    throw new Error(`Unknown benchmark ${unknown.join(', ')}; choose among ${BENCHMARKS.map((benchmark) => benchmark.name).join(', ')}.`);
  }
  const selected = names.length > 0 ? BENCHMARKS.filter((benchmark) => names.includes(benchmark.name)) : BENCHMARKS;
  const cli = await ensureTemporalCli();
  for (const benchmark of selected) {
    process.stdout.write(`${benchmark.name}: running…\n`);
    const machine = describeMachine(cli);
    const measuredAt = new Date().toISOString();
    const started = performance.now();
    const measurement = await benchmark.measure();
    const file = writeResult({
      benchmark: benchmark.name,
      title: benchmark.title,
      measuredAt,
      durationSeconds: Math.round((performance.now() - started) / 1000),
      machine,
      ...measurement,
    });
    process.stdout.write(`${benchmark.name}: ${measurement.findings.join(' ')}\n  → ${file}\n`);
    writeResultsFile();
  }
  process.stdout.write('bench/RESULTS.md rewritten.\n');
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`Benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
