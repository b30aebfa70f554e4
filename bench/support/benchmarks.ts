/** Every benchmark `npm run bench` knows, in the order it runs them all (bench/run.ts). */
import { apiBenchmark } from '../api';
import { discoveryImportBenchmark } from '../discovery-import';
import { memoryBenchmark } from '../memory';
import { scaleBenchmark } from '../scale';
import { startupBenchmark } from '../startup';
import { throughputBenchmark } from '../throughput';
import { validatePlanBenchmark } from '../validate-plan';
import type { Benchmark } from './benchmark';

export const BENCHMARKS: readonly Benchmark[] = [
  validatePlanBenchmark,
  discoveryImportBenchmark,
  startupBenchmark,
  throughputBenchmark,
  apiBenchmark,
  memoryBenchmark,
  scaleBenchmark,
];
