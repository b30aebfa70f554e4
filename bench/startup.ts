import { existsSync } from 'node:fs';
import path from 'node:path';
import { waitUntil } from '../scripts/lib/processes';
import type { Benchmark, Measurement } from './support/benchmark';
import { type Lab, PRODUCTION_ENV, startLab } from './support/lab';
import { median, round } from './support/stats';

const ROOT = path.resolve(__dirname, '..');
const SAMPLES = 3;

interface StartupVariant {
  label: string;
  entry: string;
  env: (lab: Lab) => Promise<NodeJS.ProcessEnv>;
  samples: number;
}

const VARIANTS: StartupVariant[] = [
  { label: 'production: node dist/worker/main.js, prebuilt bundle', entry: 'dist/worker/main.js', env: async () => PRODUCTION_ENV, samples: SAMPLES },
  { label: 'tsx worker/main.ts, prebuilt bundle (WORKFLOW_BUNDLE_PATH)', entry: 'worker/main.ts', env: async (lab) => ({ WORKFLOW_BUNDLE_PATH: await lab.passerelleBundle() }), samples: SAMPLES },
  { label: 'tsx worker/main.ts, bundling at start', entry: 'worker/main.ts', env: async () => ({}), samples: 2 },
];

/** The worker's own log line says how long Worker.create took, bundle loading included. */
function createdInMs(lines: string[]): number | undefined {
  for (const line of lines) {
    try {
      const entry = JSON.parse(line) as { msg?: string; readyInMs?: number };
      if (entry.msg === 'worker polling') return entry.readyInMs;
    } catch {
      // not a JSON log line
    }
  }
  return undefined;
}

/**
 * How long a worker takes from spawn to polling (its IPC `ready`): in production with the
 * prebuilt bundle, from sources with the prebuilt bundle, and from sources bundling at start.
 */
export const startupBenchmark: Benchmark = {
  name: 'startup',
  title: 'Worker start-up',
  async measure(): Promise<Measurement> {
    const lab = await startLab();
    try {
      const productionBuilt = existsSync(path.join(ROOT, 'dist', 'worker', 'main.js')) && existsSync(path.join(ROOT, 'dist', 'workflow-bundle.js'));
      const variants = VARIANTS.filter((variant) => productionBuilt || !variant.entry.startsWith('dist/'));
      const figures: { label: string; readyMs: number[]; workerCreateMs: number[] }[] = [];
      for (const variant of variants) {
        const readyMs: number[] = [];
        const workerCreateMs: number[] = [];
        for (let sample = 0; sample < variant.samples; sample += 1) {
          const env = { ...lab.baseEnv(), LOG_LEVEL: 'info', TEMPORAL_TASK_QUEUE: `bench-startup-${sample}`, ...(await variant.env(lab)) };
          const worker = await lab.startEntry('worker', variant.entry, env);
          readyMs.push(worker.readyMs);
          // The log line may arrive on stdout just after the IPC message.
          await waitUntil('the worker polling log line', async () => createdInMs(worker.output()) !== undefined, 5_000).catch(() => undefined);
          const created = createdInMs(worker.output());
          if (created !== undefined) workerCreateMs.push(created);
          await worker.stop(15_000);
        }
        figures.push({ label: variant.label, readyMs, workerCreateMs });
      }
      const [production] = figures;
      return {
        parameters: { samples: SAMPLES, productionBuildPresent: productionBuilt },
        table: {
          columns: ['worker', 'spawn to polling, median (ms)', 'Worker.create, median (ms)', 'samples'],
          rows: figures.map((entry) => [entry.label, Math.round(median(entry.readyMs)), Math.round(median(entry.workerCreateMs)), entry.readyMs.length]),
        },
        findings: [
          productionBuilt
            ? `A production worker (prebuilt bundle) polls ${round(median(production!.readyMs) / 1000, 1)} s after it is spawned.`
            : 'dist/ is missing: run `npm run build` first to measure the production worker.',
        ],
        data: figures,
      };
    } finally {
      await lab.stop();
    }
  },
};
