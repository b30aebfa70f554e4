import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { cachedWorkflowsForBudget, DEFAULT_MEMORY_BUDGET_MIB } from '../config/worker-cache';
import { decideApprovalUpdate, overviewQuery } from '../workflows/messages';
import { RUN_STATUS } from '../workflows/search-attributes';
import type { Benchmark, Measurement } from './support/benchmark';
import { compileForProduction, imageEnv, type Lab, type LabProcess, type LabSimCloud, PRODUCTION_ENV, startLab } from './support/lab';
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
/** Time for every run to reach WAITING: 15 minutes, or 150 ms a run (1,000 take 76 s on 2 idle cores, 10,000 some 15 minutes). */
const ALL_WAITING_WITHIN_MS = Math.max(15 * 60_000, WAITING_RUNS * 150);
const EVERY_RUN_CACHED = 1_000;
const PROBE = path.join(__dirname, 'support', 'memory-probe.mjs');

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

/** Where the worker's memory is: its V8 heaps (main thread, workflow thread), the rest is native (Rust core, code, stacks, allocator). */
interface MemoryBreakdown {
  rssMiB: number;
  mainHeap: { totalMiB: number; usedMiB: number };
  workflowHeap: { totalMiB: number; usedMiB: number };
  /** RSS less both heaps' committed size. */
  nativeMiB: number;
  modulesLoaded: number;
}

interface ProbeAnswer {
  type: 'memory-probe';
  main: { heapTotalMiB: number; heapUsedMiB: number };
  threads: { heapTotalMiB: number; heapUsedMiB: number }[];
  modules: number;
}

/** Asks the worker's memory probe (bench/support/memory-probe.mjs) for its heaps. */
async function breakdownOf(worker: LabProcess): Promise<MemoryBreakdown> {
  const answer = await new Promise<ProbeAnswer>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the worker did not answer its memory probe within 10 s')), 10_000);
    const listener = (message: ProbeAnswer) => {
      if (message?.type !== 'memory-probe') return;
      clearTimeout(timer);
      worker.child.off('message', listener);
      resolve(message);
    };
    worker.child.on('message', listener);
    worker.child.send({ type: 'memory-probe' });
  });
  const { rssMiB } = worker.memory();
  const sum = (key: 'heapTotalMiB' | 'heapUsedMiB') => answer.threads.reduce((total, thread) => total + thread[key], 0);
  return {
    rssMiB,
    mainHeap: { totalMiB: round(answer.main.heapTotalMiB), usedMiB: round(answer.main.heapUsedMiB) },
    workflowHeap: { totalMiB: round(sum('heapTotalMiB')), usedMiB: round(sum('heapUsedMiB')) },
    nativeMiB: round(rssMiB - answer.main.heapTotalMiB - sum('heapTotalMiB')),
    modulesLoaded: answer.modules,
  };
}

const heaps = (breakdown: MemoryBreakdown) =>
  `main ${Math.round(breakdown.mainHeap.totalMiB)} (${Math.round(breakdown.mainHeap.usedMiB)} used), workflow ${Math.round(breakdown.workflowHeap.totalMiB)} (${Math.round(breakdown.workflowHeap.usedMiB)} used), native ${Math.round(breakdown.nativeMiB)}`;

interface CacheFigures {
  label: string;
  secondsToAllWaiting: number;
  idle: MemoryBreakdown;
  waiting: MemoryBreakdown;
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

/**
 * Approves each run in turn (its RSSI; its DPO has not, so it keeps waiting and no migration
 * runs beside the approvals measured), timing each Update from the call to the workflow's
 * answer. A run `warm` is read first (a query, untimed), so that the worker holds it in its
 * cache when the approval comes: with fewer cache slots than runs, the runs that reached WAITING
 * last are not all in the cache.
 */
async function timeApprovals(handles: WorkflowHandle[], warm: boolean): Promise<number[]> {
  const times: number[] = [];
  for (const handle of handles) {
    if (warm) await handle.query(overviewQuery);
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
  // The worker runs as the image runs it: compiled, on plain Node, in production mode, with its malloc arenas.
  const worker = await lab.startEntry(`worker-${index}`, 'dist/worker/main.js', {
    ...lab.baseEnv(),
    ...PRODUCTION_ENV,
    MALLOC_ARENA_MAX: imageEnv('MALLOC_ARENA_MAX'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    ...simCloud.env,
    WORKFLOW_BUNDLE_PATH: await lab.passerelleBundle(),
    NODE_OPTIONS: `--import ${pathToFileURL(PROBE).href}`,
    MEMORY_PROBE_FILE: path.join(lab.dataDir, `memory-probe-${index}`),
    ...(variant.maxCachedWorkflows !== undefined ? { WORKER_MAX_CACHED_WORKFLOWS: String(variant.maxCachedWorkflows) } : {}),
  });
  try {
    // Idle: connected and polling, no run yet.
    await delay(5_000);
    const idle = await breakdownOf(worker);
    const started = performance.now();
    const handles: WorkflowHandle[] = [];
    for (let batch = 0; batch < WAITING_RUNS; batch += START_CONCURRENCY) {
      const size = Math.min(START_CONCURRENCY, WAITING_RUNS - batch);
      handles.push(
        ...(await Promise.all(
          Array.from({ length: size }, (_, offset) =>
            startBenchRun(lab.client, taskQueue, standardBenchPlan({ planId: `bench-memory-${index}-${batch + offset}`, customerId: 'bench-memory', workloads: 2, maxWaveSize: 2, personalData: true })),
          ),
        )),
      );
    }
    const deadline = Date.now() + ALL_WAITING_WITHIN_MS;
    while ((await countWaiting(lab.client, taskQueue)) < WAITING_RUNS) {
      if (Date.now() > deadline) throw new Error(`not every run of ${taskQueue} reached WAITING within ${ALL_WAITING_WITHIN_MS / 60_000} minutes`);
      await delay(1_000);
    }
    const secondsToAllWaiting = round((performance.now() - started) / 1000);
    // Let the worker settle (garbage collection, cache trimming) before reading its memory.
    await delay(5_000);
    const memory = worker.memory();
    const waiting = await breakdownOf(worker);
    // The first runs were evicted long ago when the cache is small; each of the last ones is read just before its approval.
    const cached = await timeApprovals(handles.slice(-APPROVALS_MEASURED), true);
    const evicted = await timeApprovals(handles.slice(0, APPROVALS_MEASURED), false);
    return {
      label: variant.label,
      secondsToAllWaiting,
      idle,
      waiting,
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
 * The worker is the production one (`node dist/worker/main.js`, compiled first from the sources):
 * through tsx it holds some 60-75 MiB more (the transpiler and its source maps).
 */
export const memoryBenchmark: Benchmark = {
  name: 'memory',
  title: `${WAITING_RUNS.toLocaleString('en')} runs waiting for approval`,
  // Another number of runs keeps its own section in RESULTS.md beside the 1,000 of the goal.
  ...(WAITING_RUNS === 1_000 ? {} : { resultName: `memory-${WAITING_RUNS}` }),
  async measure(): Promise<Measurement> {
    await compileForProduction();
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
        parameters: { waitingRuns: WAITING_RUNS, workloadsPerRun: 2, approvalsMeasured: APPROVALS_MEASURED, worker: `node dist/worker/main.js (NODE_ENV=production, MALLOC_ARENA_MAX=${imageEnv('MALLOC_ARENA_MAX')} as in the image)` },
        table: {
          columns: ['worker cache', 'all waiting after (s)', 'idle RSS (MiB)', 'worker RSS (MiB)', 'peak RSS (MiB)', 'approval, cached run: p50 / max (ms)', 'approval, evicted run: p50 / max (ms)'],
          rows: figures.map((entry) => [
            entry.label,
            entry.secondsToAllWaiting,
            entry.idle.rssMiB,
            entry.rssMiB,
            entry.peakRssMiB,
            `${entry.cachedApprovalMs.p50} / ${entry.cachedApprovalMs.max}`,
            `${entry.evictedApprovalMs.p50} / ${entry.evictedApprovalMs.max}`,
          ]),
        },
        findings: [
          `With ${WAITING_RUNS} runs waiting, the worker holds ${defaults.rssMiB} MiB (peak ${defaults.peakRssMiB}) with the defaults${everyRun ? ` and ${everyRun.rssMiB} MiB with every run cached` : ''}; the goal is 400 MiB for 1,000.`,
          `Where the defaults' memory is (MiB; V8 heaps committed, native = RSS less the heaps: the SDK's Rust core, code, stacks, allocator): idle ${defaults.idle.rssMiB} RSS = ${heaps(defaults.idle)}; with the runs waiting ${defaults.waiting.rssMiB} RSS = ${heaps(defaults.waiting)}; ${defaults.waiting.modulesLoaded} modules loaded.`,
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
