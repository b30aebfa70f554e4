import type { BenchmarkResult } from './result';

/** What a benchmark measures and returns; bench/run.ts adds the name, the time and the machine. */
export type Measurement = Pick<BenchmarkResult, 'parameters' | 'table' | 'findings' | 'tuning' | 'data'>;

/** One benchmark of `npm run bench`. */
export interface Benchmark {
  name: string;
  title: string;
  measure(): Promise<Measurement>;
}
