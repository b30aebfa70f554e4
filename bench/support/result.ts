import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MachineDescription } from './machine';

/** A before/after pair that a tuning decision rests on. */
export interface TuningComparison {
  setting: string;
  before: string;
  after: string;
  metric: string;
  beforeValue: number;
  afterValue: number;
}

/** What every benchmark writes to bench/results/<benchmark>.json and RESULTS.md shows. */
export interface BenchmarkResult {
  benchmark: string;
  title: string;
  measuredAt: string;
  durationSeconds: number;
  machine: MachineDescription;
  parameters: Record<string, string | number | boolean>;
  /** The figures as a table, first column the label of each row. */
  table: { columns: string[]; rows: (string | number)[][] };
  /** What the figures say, in sentences. */
  findings: string[];
  tuning?: TuningComparison[];
  /** Everything measured, for whoever wants more than the table. */
  data: unknown;
}

export const RESULTS_DIRECTORY = path.join(__dirname, '..', 'results');

/** Writes the result as bench/results/<name>.json, the benchmark's name by default. */
export function writeResult(result: BenchmarkResult, name = result.benchmark): string {
  mkdirSync(RESULTS_DIRECTORY, { recursive: true });
  const file = path.join(RESULTS_DIRECTORY, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
