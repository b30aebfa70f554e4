import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { loadConfig } from '../config/env';
import type { MigrationStatus } from '../domain';
import type { RunTuning } from '../workflows/tuning';
import type { BaselineShape } from './baseline/workflows';
import type { Benchmark, Measurement } from './support/benchmark';
import { type Lab, type LabProcess, type LabSimCloud, startLab } from './support/lab';
import type { TuningComparison } from './support/result';
import { approveEverything, historyLengths, standardBenchPlan, startBenchRun, waitForStatus } from './support/runs';
import { median, round } from './support/stats';
import { overviewQuery } from '../workflows/messages';

const WORKLOADS = 10;
const MAX_WAVE_SIZE = 5;
const WARM_UP_RUNS = 2;
const STEPS_PER_WORKLOAD = 6;
const RUN_TIMEOUT_MS = 15 * 60_000;
/** A sim-cloud speed-up this large makes every replication complete as soon as it starts: zero latency. */
export const ZERO_LATENCY_SPEEDUP = 1_000_000_000;

/** A positive whole number from the environment variable `name`, or `fallback` when it is unset. */
function countFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1, not "${raw}".`);
  return value;
}

/** Runs started together in one batch of ours or of the baseline. */
const RUNS = countFromEnv('BENCH_THROUGHPUT_RUNS', 20);
/** Batches of ours and of the baseline, alternated (ours, baseline, ours, baseline…): one ratio per pair. */
const PAIRS = countFromEnv('BENCH_THROUGHPUT_PAIRS', 3);

/** Worker and run settings under test; the baseline's worker gets the same WORKER_* variables. */
export interface Variant {
  label: string;
  env: Record<string, string>;
}

export const DEFAULT_VARIANT: Variant = { label: 'defaults', env: {} };

const ALL_VARIANTS: Variant[] = [
  DEFAULT_VARIANT,
  // Chattier: waves report every 250 ms, replications are read every 100 ms.
  { label: 'frequent progress', env: { PASSERELLE_PROGRESS_INTERVAL: '250ms', WORKER_REPLICATION_POLL_INTERVAL: '100ms' } },
  // Quieter: waves report every 5 s, so the run handles fewer signals.
  { label: 'sparse progress', env: { PASSERELLE_PROGRESS_INTERVAL: '5s' } },
  // As before quick reads of long-running ARM operations: the Azure SDK's fixed 2 s between polls.
  { label: 'ARM polls every 2 s', env: { PROVIDER_ARM_POLL_INTERVAL: '2s' } },
];

/** The variants named in BENCH_THROUGHPUT_VARIANTS (labels, comma-separated), or all of them. */
function selectedVariants(): Variant[] {
  const raw = process.env.BENCH_THROUGHPUT_VARIANTS;
  if (!raw) return ALL_VARIANTS;
  const labels = raw.split(',').map((label) => label.trim());
  const unknown = labels.filter((label) => !ALL_VARIANTS.some((variant) => variant.label === label));
  if (unknown.length > 0) throw new Error(`BENCH_THROUGHPUT_VARIANTS names no variant "${unknown.join('", "')}"; choose among ${ALL_VARIANTS.map((variant) => `"${variant.label}"`).join(', ')}.`);
  return ALL_VARIANTS.filter((variant) => labels.includes(variant.label));
}

function describeVariant(variant: { label: string; env: Record<string, string> }): string {
  const settings = Object.entries(variant.env).map(([key, value]) => `${key}=${value}`);
  return settings.length > 0 ? `${variant.label} (${settings.join(', ')})` : `${variant.label} (PASSERELLE_PROGRESS_INTERVAL=2s, WORKER_REPLICATION_POLL_INTERVAL=1s)`;
}

/** Runs per batch and alternated pairs of batches. */
export interface ThroughputSize {
  runs: number;
  pairs: number;
  /** How long one run may take before the benchmark fails, naming it (15 minutes unless given). */
  runTimeoutMs?: number;
}

export interface VariantFigures {
  label: string;
  env: Record<string, string>;
  /** Median time of a batch of ours, and of the baseline, over the pairs. */
  oursMs: number;
  baselineMs: number;
  /** Median of the per-pair ratios ours / baseline, and their smallest and largest. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  pairs: { oursMs: number; baselineMs: number; ratio: number }[];
  activitiesPerRun: number;
  childWorkflowsPerRun: number;
  oursActivitiesPerSecond: number;
  baselineActivitiesPerSecond: number;
  largestHistoryEvents: number;
}

/** Run tuning from the PASSERELLE_* variables of a variant, read as api/main.ts reads them. */
function runTuningOf(env: Record<string, string>): Partial<RunTuning> {
  return loadConfig(env).runTuning;
}

/** The result of a run, or an error naming where it stands when it has not ended within `timeoutMs` (a run waiting for an operator never ends by itself). */
async function resultWithin(handle: WorkflowHandle, timeoutMs: number): Promise<Pick<MigrationStatus, 'status'>> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void handle.query(overviewQuery).then(
        (status) => reject(new Error(`${handle.workflowId} has not ended after ${timeoutMs / 1000} s: ${status.phase}/${status.status}${status.attention.length > 0 ? `, waiting for an operator on ${status.attention.map((item) => item.stepId).join(', ')}` : ''}`)),
        (error: unknown) => reject(new Error(`${handle.workflowId} has not ended after ${timeoutMs / 1000} s (status unreadable: ${String(error)})`)),
      );
    }, timeoutMs);
  });
  try {
    // The run's result: its overview (the whole status in runs recorded before compact results).
    return (await Promise.race([handle.result(), timedOut])) as Pick<MigrationStatus, 'status'>;
  } finally {
    clearTimeout(timer);
  }
}

/** How often the harness reads a run's overview until it waits for its approvals. */
const APPROVAL_POLL_MS = 50;

async function runOurs(client: Client, taskQueue: string, count: number, prefix: string, env: Record<string, string>, timeoutMs = RUN_TIMEOUT_MS): Promise<string[]> {
  return await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      // A customer per run: a customer's runs share its tenant and their workloads' ids, and the
      // runs here would freeze and switch each other's workloads.
      const plan = standardBenchPlan({ planId: `${prefix}-${index}`, customerId: `${prefix}-${index}`, workloads: WORKLOADS, maxWaveSize: MAX_WAVE_SIZE });
      const handle = await startBenchRun(client, taskQueue, plan, runTuningOf(env));
      // The baseline has no approval: the harness answers within 50 ms (a 500-ms poll cost each
      // run some 0.45 s of its own latency, about 13 % of the ratio), so that what is measured is the product.
      await approveEverything(handle, timeoutMs, APPROVAL_POLL_MS);
      const final = await resultWithin(handle, timeoutMs);
      if (final.status !== 'COMPLETED') throw new Error(`${handle.workflowId} ended ${final.status}`);
      return handle.workflowId;
    }),
  );
}

async function runBaseline(client: Client, taskQueue: string, count: number, shape: BaselineShape): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async () => {
      await client.workflow.execute('baselineWorkflow', { workflowId: `baseline-${randomUUID()}`, taskQueue, args: [shape] });
    }),
  );
}

/** What one run of ours executed, read from its histories: the baseline repeats exactly that. */
async function shapeOf(client: Client, workflowId: string): Promise<{ shape: BaselineShape; activities: number; children: number; largestHistoryEvents: number }> {
  const status = await waitForStatus(client.workflow.getHandle(workflowId), (candidate) => candidate.status === 'COMPLETED', 10_000);
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const sequential = (history.events ?? []).filter((event) => event.activityTaskScheduledEventAttributes).length;
  const waves = status.waves.map((wave) => wave.workloadIds.length);
  const lengths = await historyLengths(client, workflowId);
  return {
    shape: { sequential, waves, stepsPerWorkload: STEPS_PER_WORKLOAD },
    activities: sequential + waves.reduce((sum, size) => sum + size, 0) * STEPS_PER_WORKLOAD,
    children: lengths.length - 1,
    largestHistoryEvents: Math.max(...lengths.map((entry) => entry.events)),
  };
}

/** `size.pairs` alternated batches of `size.runs` runs of ours and of the baseline, with `variant`'s settings. */
export async function measureVariant(lab: Lab, simCloud: LabSimCloud, variant: Variant, size: ThroughputSize = { runs: RUNS, pairs: PAIRS }): Promise<VariantFigures> {
  const { runs, pairs: pairCount } = size;
  const slug = `${variant.label.replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 8)}`;
  const oursQueue = `bench-throughput-${slug}`;
  const baselineQueue = `bench-baseline-${slug}`;
  const env = { ...lab.baseEnv(), ...variant.env, ...simCloud.env, WORKFLOW_BUNDLE_PATH: await lab.passerelleBundle() };
  const workers: LabProcess[] = [];
  try {
    workers.push(await lab.startEntry(`worker-${slug}`, 'worker/main.ts', { ...env, TEMPORAL_TASK_QUEUE: oursQueue }));
    workers.push(await lab.startEntry(`baseline-${slug}`, 'bench/baseline/worker.ts', { ...env, TEMPORAL_TASK_QUEUE: baselineQueue }));

    const [warmUp] = await runOurs(lab.client, oursQueue, WARM_UP_RUNS, `warm-${slug}`, variant.env, size.runTimeoutMs);
    const measured = await shapeOf(lab.client, warmUp!);
    await runBaseline(lab.client, baselineQueue, WARM_UP_RUNS, measured.shape);

    // Ours and the baseline alternate, so that the machine's drift (other processes, a warmer
    // server) lands on both sides of each pair rather than in the ratio.
    const pairs: VariantFigures['pairs'] = [];
    for (let pair = 0; pair < pairCount; pair += 1) {
      const oursStarted = performance.now();
      await runOurs(lab.client, oursQueue, runs, `throughput-${slug}-${pair}`, variant.env, size.runTimeoutMs);
      const oursMs = performance.now() - oursStarted;
      const baselineStarted = performance.now();
      await runBaseline(lab.client, baselineQueue, runs, measured.shape);
      const baselineMs = performance.now() - baselineStarted;
      pairs.push({ oursMs: Math.round(oursMs), baselineMs: Math.round(baselineMs), ratio: round(oursMs / baselineMs, 2) });
      process.stdout.write(`  throughput ${variant.label}, pair ${pair + 1}/${pairCount}: Passerelle ${Math.round(oursMs)} ms, baseline ${Math.round(baselineMs)} ms\n`);
    }
    const oursMs = median(pairs.map((entry) => entry.oursMs));
    const baselineMs = median(pairs.map((entry) => entry.baselineMs));
    const ratios = pairs.map((entry) => entry.ratio);
    const totalActivities = measured.activities * runs;
    return {
      label: variant.label,
      env: variant.env,
      oursMs,
      baselineMs,
      ratio: median(ratios),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      pairs,
      activitiesPerRun: measured.activities,
      childWorkflowsPerRun: measured.children,
      oursActivitiesPerSecond: round(totalActivities / (oursMs / 1000)),
      baselineActivitiesPerSecond: round(totalActivities / (baselineMs / 1000)),
      largestHistoryEvents: measured.largestHistoryEvents,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.stop(15_000)));
  }
}

/**
 * N runs of W workloads against sim-cloud at zero latency, then the same number of runs of a
 * raw-Temporal baseline with as many no-op activities in the same shape, on the same server and
 * with the same worker options, alternated PAIRS times; once with the defaults and once per tuned
 * variant. BENCH_THROUGHPUT_RUNS, BENCH_THROUGHPUT_PAIRS and BENCH_THROUGHPUT_VARIANTS make it smaller.
 */
export const throughputBenchmark: Benchmark = {
  name: 'throughput',
  title: 'Throughput against raw Temporal',
  async measure(): Promise<Measurement> {
    const lab = await startLab();
    try {
      const simCloud = await lab.startSimCloud({ speedup: ZERO_LATENCY_SPEEDUP });
      const figures: VariantFigures[] = [];
      for (const variant of selectedVariants()) figures.push(await measureVariant(lab, simCloud, variant));
      const before = figures[0]!;
      const best = figures.reduce((fastest, entry) => (entry.oursMs < fastest.oursMs ? entry : fastest));
      const tuning: TuningComparison[] = figures.slice(1).map((entry) => ({
        setting: Object.keys(entry.env).join(', '),
        before: 'defaults',
        after: Object.values(entry.env).join(', '),
        metric: `time for ${RUNS} runs of ${WORKLOADS} workloads (ms)`,
        beforeValue: before.oursMs,
        afterValue: entry.oursMs,
      }));
      const change = (entry: VariantFigures) => `${round(Math.abs(1 - entry.oursMs / before.oursMs) * 100)} % ${entry.oursMs <= before.oursMs ? 'less' : 'more'} time`;
      return {
        parameters: { runs: RUNS, pairs: PAIRS, workloadsPerRun: WORKLOADS, maxWaveSize: MAX_WAVE_SIZE, warmUpRuns: WARM_UP_RUNS, simCloudSpeedup: ZERO_LATENCY_SPEEDUP },
        table: {
          columns: ['settings', 'activities per run', 'Passerelle, median (ms)', 'baseline, median (ms)', 'ratio, median of pairs', 'ratio, min–max', 'Passerelle activities/s', 'baseline activities/s', 'largest history (events)'],
          rows: figures.map((entry) => [
            describeVariant(entry),
            entry.activitiesPerRun,
            entry.oursMs,
            entry.baselineMs,
            entry.ratio,
            `${entry.ratioMin}–${entry.ratioMax}`,
            entry.oursActivitiesPerSecond,
            entry.baselineActivitiesPerSecond,
            entry.largestHistoryEvents,
          ]),
        },
        findings: [
          `With ${describeVariant(before)}, ${RUNS} runs take ${before.ratio}× (median of ${PAIRS} alternated pairs, ${before.ratioMin}–${before.ratioMax}) the time of the raw-Temporal baseline that executes the same ${before.activitiesPerRun} activities per run in the same shape (${before.childWorkflowsPerRun} wave child workflows per run).`,
          ...figures.slice(1).map((entry) => `${describeVariant(entry)}: ratio ${entry.ratio}×, ${change(entry)} than the defaults.`),
          // Repeated runs on this machine vary by about 10 %: a smaller difference decides nothing.
          (before.oursMs - best.oursMs) / before.oursMs > 0.1
            ? `Fastest: ${best.label}, beyond the run-to-run variation of about 10 %.`
            : 'No variant changes the time by more than the run-to-run variation of about 10 %: the defaults stay.',
        ],
        tuning,
        data: figures,
      };
    } finally {
      await lab.stop();
    }
  },
};
