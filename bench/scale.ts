import { setTimeout as delay } from 'node:timers/promises';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { type MigrationStatus, validatePlan } from '../domain';
import { statusQuery } from '../workflows/messages';
import type { Benchmark, Measurement } from './support/benchmark';
import { startLab } from './support/lab';
import { approveEverything, historyLengths, startBenchRun } from './support/runs';
import { median, round } from './support/stats';
import { buildBenchmarkPlan } from './validate-plan';

/** Temporal's default limit: a workflow history longer than this is terminated. */
const HISTORY_EVENT_LIMIT = 51_200;
/** The limit the product sets itself (the issue's): every history must stay below it. */
const HISTORY_EVENT_BUDGET = 10_240;
const RUN_TIMEOUT_MS = 45 * 60_000;
const STUCK_WORKFLOW_TASK_ATTEMPTS = 5;
const FULL_PLAN_WORKLOADS = 5_000;
const FALLBACK_PLAN_WORKLOADS = 1_000;

/** The last reason a workflow task of this run failed, from its history. */
async function lastWorkflowTaskFailure(client: Client, workflowId: string): Promise<string | undefined> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const failed = [...(history.events ?? [])].reverse().find((event) => event.workflowTaskFailedEventAttributes);
  return failed?.workflowTaskFailedEventAttributes?.failure?.message ?? undefined;
}

interface RunOutcome {
  status: string;
  phase: string;
  seconds: number;
  failure?: string;
  statusJsonBytes?: number;
}

/** Waits for the run to end; gives up, with the reason, when its workflow task keeps failing. */
async function followRun(client: Client, handle: WorkflowHandle, started: number): Promise<RunOutcome> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  let last: MigrationStatus | undefined;
  let lastReport = 0;
  while (Date.now() < deadline) {
    const description = await client.workflow.getHandle(handle.workflowId).describe();
    if (description.status.name !== 'RUNNING') break;
    const attempt = description.raw.pendingWorkflowTask?.attempt ?? 0;
    if (attempt >= STUCK_WORKFLOW_TASK_ATTEMPTS) {
      return { status: 'STUCK', phase: last?.phase ?? 'unknown', seconds: round((performance.now() - started) / 1000), failure: await lastWorkflowTaskFailure(client, handle.workflowId) };
    }
    try {
      last = await handle.query(statusQuery);
    } catch {
      // a query may time out while the worker replays a long history; the next poll will tell
    }
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      process.stdout.write(`  scale: ${last?.phase ?? '…'} ${last?.percentComplete ?? 0} %\n`);
    }
    await delay(2_000);
  }
  const seconds = round((performance.now() - started) / 1000);
  try {
    const final = await handle.query(statusQuery);
    return { status: final.status, phase: final.phase, seconds, statusJsonBytes: JSON.stringify(final).length };
  } catch (error) {
    return { status: 'UNKNOWN', phase: last?.phase ?? 'unknown', seconds, failure: error instanceof Error ? error.message : String(error) };
  }
}

interface PlanRun {
  workloads: number;
  outcome: RunOutcome;
  waves: number;
  runsInChain: number;
  largest: { workflowId: string; events: number; bytes: number; isRun: boolean };
}

/** Starts a run of the generated plan with `workloads` workloads, approves it, follows it, and reads its histories. */
async function runGeneratedPlan(client: Client, taskQueue: string, workloads: number): Promise<PlanRun> {
  const validated = validatePlan({ ...buildBenchmarkPlan(workloads), planId: `bench-scale-${workloads}-${Date.now().toString(36)}` });
  if (!validated.ok) throw new Error('the benchmark plan is invalid');
  const started = performance.now();
  // The product's default run tuning: what a real plan of this size would run with.
  const handle = await startBenchRun(client, taskQueue, validated.plan);
  let outcome: RunOutcome;
  try {
    await approveEverything(handle, 10 * 60_000);
    outcome = await followRun(client, handle, started);
  } catch (error) {
    const seconds = round((performance.now() - started) / 1000);
    const final = await handle.query(statusQuery).catch(() => undefined);
    outcome = { status: final?.status ?? 'ERROR', phase: final?.phase ?? 'unknown', seconds, failure: final?.outcome?.reason ?? (error instanceof Error ? error.message : String(error)) };
  }
  const lengths = await historyLengths(client, handle.workflowId);
  const largest = lengths.reduce((best, entry) => (entry.events > best.events ? entry : best));
  const runsInChain = lengths.filter((entry) => entry.workflowId === handle.workflowId).length;
  return {
    workloads,
    outcome,
    waves: lengths.length - runsInChain,
    runsInChain,
    largest: { workflowId: largest.workflowId, events: largest.events, bytes: largest.bytes, isRun: largest.workflowId === handle.workflowId },
  };
}

function describeOutcome(run: PlanRun): string {
  const size = `${run.workloads.toLocaleString('en')} workloads`;
  const history =
    run.largest.events < HISTORY_EVENT_BUDGET
      ? `its largest history holds ${run.largest.events} events, below the budget of ${HISTORY_EVENT_BUDGET.toLocaleString('en')} (Temporal's hard limit is ${HISTORY_EVENT_LIMIT.toLocaleString('en')})`
      : `its largest history holds ${run.largest.events} events: ABOVE the budget of ${HISTORY_EVENT_BUDGET.toLocaleString('en')}`;
  return run.outcome.status === 'COMPLETED'
    ? `${size}: the run completes in ${run.outcome.seconds} s over ${run.waves} waves; ${history}.`
    : `${size}: the run does NOT complete: ${run.outcome.status} in ${run.outcome.phase} after ${run.outcome.seconds} s (${run.outcome.failure ?? 'no reason given'}); ${history}.`;
}

/**
 * A plan of 5,000 workloads: its validation through the API, the run from start to completion
 * (approvals given at once, sim-cloud fast), and the longest history of any workflow in it.
 * Should that run not complete, a plan of 1,000 workloads from the same generator shows how far
 * the run scales meanwhile.
 */
export const scaleBenchmark: Benchmark = {
  name: 'scale',
  title: 'A plan of 5,000 workloads',
  async measure(): Promise<Measurement> {
    const lab = await startLab();
    try {
      const taskQueue = 'bench-scale';
      const simCloud = await lab.startSimCloud({ speedup: 10_000_000 });
      const workerEnv = { ...lab.baseEnv(), TEMPORAL_TASK_QUEUE: taskQueue, ...simCloud.env, WORKFLOW_BUNDLE_PATH: await lab.passerelleBundle() };
      await lab.startEntry('worker', 'worker/main.ts', workerEnv);
      const api = await lab.startApi({ taskQueue });

      const body = JSON.stringify(buildBenchmarkPlan(FULL_PLAN_WORKLOADS));
      const consultant = await api.token({ roles: ['consultant'] });
      const validationMs: number[] = [];
      for (let sample = 0; sample < 3; sample += 1) {
        const started = performance.now();
        const response = await fetch(`${api.url}/v1/plans/validate`, { method: 'POST', headers: { authorization: `Bearer ${consultant}`, 'content-type': 'application/json' }, body });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`POST /v1/plans/validate answered ${response.status}`);
        validationMs.push(performance.now() - started);
      }

      const runs = [await runGeneratedPlan(lab.client, taskQueue, FULL_PLAN_WORKLOADS)];
      if (runs[0]!.outcome.status !== 'COMPLETED') runs.push(await runGeneratedPlan(lab.client, taskQueue, FALLBACK_PLAN_WORKLOADS));
      const cells = (row: (run: PlanRun) => string | number) => runs.map(row);
      return {
        parameters: {
          workloads: FULL_PLAN_WORKLOADS,
          maxWaveSize: buildBenchmarkPlan(1).settings?.maxWaveSize ?? 0,
          simCloudSpeedup: 10_000_000,
          runTuning: 'defaults',
        },
        table: {
          columns: ['measure', ...runs.map((run) => `${run.workloads.toLocaleString('en')} workloads`)],
          rows: [
            ['POST /v1/plans/validate, median of 3 (ms)', Math.round(median(validationMs)), ...runs.slice(1).map(() => '')],
            ['run outcome', ...cells((run) => `${run.outcome.status} (${run.outcome.phase})`)],
            ['run time, start to end (s)', ...cells((run) => run.outcome.seconds)],
            ['wave child workflows', ...cells((run) => run.waves)],
            ['runs in the continue-as-new chain', ...cells((run) => run.runsInChain)],
            ['largest history (events)', ...cells((run) => `${run.largest.events} (${run.largest.isRun ? 'the run' : 'a wave'})`)],
            ['largest history (MiB of JSON)', ...cells((run) => round(run.largest.bytes / 1024 ** 2, 2))],
            ['final status query answer (MiB of JSON)', ...cells((run) => (run.outcome.statusJsonBytes ? round(run.outcome.statusJsonBytes / 1024 ** 2, 2) : 'n/a'))],
          ],
        },
        findings: [`The API validates the 5,000-workload plan in ${Math.round(median(validationMs))} ms (median, HTTP included).`, ...runs.map(describeOutcome)],
        data: { validationMs, runs },
      };
    } finally {
      await lab.stop();
    }
  },
};
