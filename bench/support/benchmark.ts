import type { BenchmarkResult } from './result';

/** What a benchmark measures and returns; bench/run.ts adds the name, the time and the machine. */
export type Measurement = Pick<BenchmarkResult, 'parameters' | 'table' | 'findings' | 'tuning' | 'data'>;

/** One benchmark of `npm run bench`. */
export interface Benchmark {
  name: string;
  title: string;
  /** The results file's name (bench/results/<it>.json) when not the benchmark's: a parameter set kept beside the default one. */
  resultName?: string;
  measure(): Promise<Measurement>;
}
