import { setTimeout as delay } from 'node:timers/promises';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { cachedWorkflowsForBudget, DEFAULT_MEMORY_BUDGET_MIB } from '../config/worker-cache';
import { decideApprovalUpdate } from '../workflows/messages';
import { RUN_STATUS } from '../workflows/search-attributes';
import type { Benchmark, Measurement } from './support/benchmark';
import { type Lab, type LabSimCloud, startLab } from './support/lab';
import type { TuningComparison } from './support/result';
import { standardBenchPlan, startBenchRun } from './support/runs';
import { median, percentile, round } from './support/stats';

const START_CONCURRENCY = 50;
const APPROVALS_MEASURED = 20;
/** Runs waiting for approval; BENCH_MEMORY_RUNS=10000 measures ten thousand. */
const WAITING_RUNS = Number(process.env.BENCH_MEMORY_RUNS ?? 1_000);
if (!Number.isInteger(WAITING_RUNS) || WAITING_RUNS < 2 * APPROVALS_MEASURED) {
  throw new Error(`BENCH_MEMORY_RUNS must be a whole number of at least ${2 * APPROVALS_MEASURED}, not "${process.env.BENCH_MEMORY_RUNS}".`);
}
const EVERY_RUN_CACHED = 1_000;

interface CacheVariant {
  label: string;
  maxCachedWorkflows?: number;
}

const ALL_VARIANTS: CacheVariant[] = [
  { label: `defaults (WORKER_MEMORY_BUDGET=${DEFAULT_MEMORY_BUDGET_MIB} MiB: a cache of ${cachedWorkflowsForBudget(DEFAULT_MEMORY_BUDGET_MIB)})` },
  { label: `WORKER_MAX_CACHED_WORKFLOWS=${EVERY_RUN_CACHED}`, maxCachedWorkflows: EVERY_RUN_CACHED },
];
/** BENCH_MEMORY_VARIANTS=defaults measures the defaults only. */
const VARIANTS = process.env.BENCH_MEMORY_VARIANTS === 'defaults' ? ALL_VARIANTS.slice(0, 1) : ALL_VARIANTS;

interface CacheFigures {
  label: string;
  secondsToAllWaiting: number;
  rssMiB: number;
  peakRssMiB: number;
  cachedApprovalMs: { p50: number; max: number };
  evictedApprovalMs: { p50: number; max: number };
}

async function countWaiting(client: Client, taskQueue: string): Promise<number> {
  const { count } = await client.workflowService.countWorkflowExecutions({
    namespace: 'default',
    query: `TaskQueue = '${taskQueue}' AND ${RUN_STATUS.name} = 'WAITING'`,
  });
  return Number(count ?? 0);
}

/** Approves each run in turn, timing each Update from the call to the workflow's answer. */
async function timeApprovals(handles: WorkflowHandle[]): Promise<number[]> {
  const times: number[] = [];
  for (const handle of handles) {
    const started = performance.now();
    await handle.executeUpdate(decideApprovalUpdate, {
      args: [{ approvalId: 'rssi', decision: 'APPROVE', actor: { subject: 'bench-rssi', roles: ['customer'], customerId: 'bench-memory', approverRoles: ['RSSI'] } }],
    });
    times.push(performance.now() - started);
  }
  return times;
}

async function measureVariant(lab: Lab, simCloud: LabSimCloud, variant: CacheVariant, index: number): Promise<CacheFigures> {
  const taskQueue = `bench-memory-${index}`;
  const worker = await lab.startEntry(`worker-${index}`, 'worker/main.ts', {
    ...lab.baseEnv(),
    TEMPORAL_TASK_QUEUE: taskQueue,
    ...simCloud.env,
    WORKFLOW_BUNDLE_PATH: await lab.passerelleBundle(),
    ...(variant.maxCachedWorkflows !== undefined ? { WORKER_MAX_CACHED_WORKFLOWS: String(variant.maxCachedWorkflows) } : {}),
  });
  try {
    const started = performance.now();
    const handles: WorkflowHandle[] = [];
    for (let batch = 0; batch < WAITING_RUNS; batch += START_CONCURRENCY) {
      const size = Math.min(START_CONCURRENCY, WAITING_RUNS - batch);
      handles.push(
        ...(await Promise.all(
          Array.from({ length: size }, (_, offset) =>
            startBenchRun(lab.client, taskQueue, standardBenchPlan({ planId: `bench-memory-${index}-${batch + offset}`, customerId: 'bench-memory', workloads: 2, maxWaveSize: 2 })),
          ),
        )),
      );
    }
    const deadline = Date.now() + 15 * 60_000;
    while ((await countWaiting(lab.client, taskQueue)) < WAITING_RUNS) {
      if (Date.now() > deadline) throw new Error(`not every run of ${taskQueue} reached WAITING within 15 minutes`);
      await delay(1_000);
    }
    const secondsToAllWaiting = round((performance.now() - started) / 1000);
    // Let the worker settle (garbage collection, cache trimming) before reading its memory.
    await delay(5_000);
    const memory = worker.memory();
    // The runs touched last are in the cache; the first ones were evicted when the cache is small.
    const cached = await timeApprovals(handles.slice(-APPROVALS_MEASURED).reverse());
    const evicted = await timeApprovals(handles.slice(0, APPROVALS_MEASURED));
    return {
      label: variant.label,
      secondsToAllWaiting,
      rssMiB: memory.rssMiB,
      peakRssMiB: memory.peakRssMiB,
      cachedApprovalMs: { p50: round(median(cached)), max: round(Math.max(...cached)) },
      evictedApprovalMs: { p50: round(median(evicted)), max: round(percentile(evicted, 1)) },
    };
  } finally {
    await worker.stop(15_000);
  }
}

/**
 * 1,000 runs waiting for their approval on one worker: the worker's resident memory, and how
 * long an approval takes for a run still in the worker's cache and for one evicted from it.
 */
export const memoryBenchmark: Benchmark = {
  name: 'memory',
  title: `${WAITING_RUNS.toLocaleString('en')} runs waiting for approval`,
  async measure(): Promise<Measurement> {
    const lab = await startLab();
    try {
      const simCloud = await lab.startSimCloud({ speedup: 1_000_000 });
      const figures: CacheFigures[] = [];
      for (const [index, variant] of VARIANTS.entries()) figures.push(await measureVariant(lab, simCloud, variant, index));
      const [defaults, everyRun] = figures as [CacheFigures, CacheFigures | undefined];
      const tuning: TuningComparison[] = everyRun
        ? [{ setting: 'WORKER_MEMORY_BUDGET', before: `cache ${EVERY_RUN_CACHED}`, after: `${DEFAULT_MEMORY_BUDGET_MIB} MiB`, metric: `worker RSS with ${WAITING_RUNS} waiting runs (MiB)`, beforeValue: everyRun.rssMiB, afterValue: defaults.rssMiB }]
        : [];
      return {
        parameters: { waitingRuns: WAITING_RUNS, workloadsPerRun: 2, approvalsMeasured: APPROVALS_MEASURED },
        table: {
          columns: ['worker cache', 'all waiting after (s)', 'worker RSS (MiB)', 'peak RSS (MiB)', 'approval, cached run: p50 / max (ms)', 'approval, evicted run: p50 / max (ms)'],
          rows: figures.map((entry) => [
            entry.label,
            entry.secondsToAllWaiting,
            entry.rssMiB,
            entry.peakRssMiB,
            `${entry.cachedApprovalMs.p50} / ${entry.cachedApprovalMs.max}`,
            `${entry.evictedApprovalMs.p50} / ${entry.evictedApprovalMs.max}`,
          ]),
        },
        findings: [
          `With ${WAITING_RUNS} runs waiting, the worker holds ${defaults.rssMiB} MiB (peak ${defaults.peakRssMiB}) with the defaults${everyRun ? ` and ${everyRun.rssMiB} MiB with every run cached` : ''}; the goal is 400 MiB for 1,000.`,
          `With the defaults, an approval of a run no longer in the cache takes ${defaults.evictedApprovalMs.p50} ms at the median (the worker replays its history), against ${defaults.cachedApprovalMs.p50} ms for a cached run: ${round(defaults.evictedApprovalMs.p50 / defaults.cachedApprovalMs.p50, 2)}× (goal ≤ 2×).`,
        ],
        tuning,
        data: figures,
      };
    } finally {
      await lab.stop();
    }
  },
};
