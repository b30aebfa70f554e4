import { setTimeout as delay } from 'node:timers/promises';
import { deflateRawSync } from 'node:zlib';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { type MigrationOverview, type MigrationStatus, packSteps, validatePlan } from '../domain';
import { buildDashboard } from '../scripts/lib/dashboard-build';
import { dryRunPlan } from '../use-cases/plans';
import { pageRequestOf } from '../use-cases/run-pages';
import { overviewQuery, pageQuery, statusQuery } from '../workflows/messages';
import type { Benchmark, Measurement } from './support/benchmark';
import { launchBenchBrowser } from './support/browser';
import { startLab } from './support/lab';
import { approveEverything, historyLengths, startBenchRun, waitForOverview } from './support/runs';
import { median, round } from './support/stats';
import { buildBenchmarkPlan } from './validate-plan';

/** Temporal's default limit: a workflow history longer than this is terminated. */
const HISTORY_EVENT_LIMIT = 51_200;
/** The limit the product sets itself (the issue's): every history must stay below it. */
const HISTORY_EVENT_BUDGET = 10_240;
/** Temporal's payload limits: a warning past 512 KiB, an error past 2 MiB per payload; 4 MiB per gRPC message. */
const BLOB_SIZE_ERROR_BYTES = 2 * 1024 ** 2;
const GRPC_MESSAGE_BYTES = 4 * 1024 ** 2;
const WORKLOADS = Number(process.env.BENCH_SCALE_WORKLOADS ?? 10_000);
const RUN_TIMEOUT_MS = 90 * 60_000;
const STUCK_WORKFLOW_TASK_ATTEMPTS = 5;
const VALIDATION_SAMPLES = 3;
/** Pairs of reads (the API's, then the raw query's), alternated so that the machine's drift lands on both sides. */
const READ_PAIRS = 10;
const DASHBOARD_OPENINGS = 3;
/** The steps page read deep in the estate, to show a page costs the same wherever it sits. */
const DEEP_STEP_POSITION = 50_000;

interface Api {
  url: string;
  token(claims: { roles: ('consultant' | 'customer' | 'ops')[] }): Promise<string>;
}

/** GET with a bearer token: the answer's JSON, its size and the time it took. */
async function timedGet(api: Api, token: string, url: string): Promise<{ ms: number; bytes: number; body: unknown }> {
  const started = performance.now();
  const response = await fetch(`${api.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return { ms, bytes: Buffer.byteLength(text), body: JSON.parse(text) as unknown };
}

async function timed(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

interface ReadPairs {
  overview: { api: number[]; raw: number[]; bytes: number };
  deepPage: { api: number[]; raw: number[]; bytes: number };
  firstPage: { api: number[]; raw: number[] };
}

/** Reads of the run through the API, each followed by the same raw workflow query, so that the machine's drift lands on both sides. */
async function readPairs(api: Api, token: string, handle: WorkflowHandle): Promise<ReadPairs> {
  const reads: ReadPairs = { overview: { api: [], raw: [], bytes: 0 }, deepPage: { api: [], raw: [], bytes: 0 }, firstPage: { api: [], raw: [] } };
  const id = handle.workflowId;
  const deepCursor = Buffer.from(`steps.${DEEP_STEP_POSITION}`, 'utf8').toString('base64url');
  for (let pair = 0; pair < READ_PAIRS; pair += 1) {
    const overview = await timedGet(api, token, `/v1/migrations/${id}`);
    reads.overview.api.push(overview.ms);
    reads.overview.bytes = overview.bytes;
    reads.overview.raw.push(await timed(() => handle.query(overviewQuery)));
    const deep = await timedGet(api, token, `/v1/migrations/${id}/steps?limit=100&cursor=${deepCursor}`);
    reads.deepPage.api.push(deep.ms);
    reads.deepPage.bytes = deep.bytes;
    reads.deepPage.raw.push(await timed(() => handle.query(pageQuery, 'steps', pageRequestOf('steps', { limit: 100, cursor: deepCursor }))));
    reads.firstPage.api.push((await timedGet(api, token, `/v1/migrations/${id}/steps?limit=100`)).ms);
    reads.firstPage.raw.push(await timed(() => handle.query(pageQuery, 'steps', pageRequestOf('steps', { limit: 100 }))));
  }
  return reads;
}

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
  largestOverviewBytes: number;
  /** Failed steps the benchmark retried as an operator would (a provider call that timed out on the loaded machine), with why they failed. */
  operatorRetries: { stepId: string; message: string }[];
}

/** Gives up on a step that keeps failing after this many operator retries: the run is then reported as it stands. */
const MAX_OPERATOR_RETRIES = 20;

/** Retries, as ops, every step the run waits on after it failed; answers what was retried. */
async function retryFailedSteps(api: Api, token: string, id: string, overview: MigrationOverview): Promise<{ stepId: string; message: string }[]> {
  const retried: { stepId: string; message: string }[] = [];
  for (const item of overview.attention.filter((candidate) => candidate.reason === 'STEP_FAILED')) {
    const response = await fetch(`${api.url}/v1/migrations/${id}/steps/${encodeURIComponent(item.stepId)}/retry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'benchmark: retried as an operator would' }),
    });
    await response.arrayBuffer();
    if (response.ok) retried.push({ stepId: item.stepId, message: item.message });
  }
  return retried;
}

/** Follows the run through the API's overview until it ends; gives up, with the reason, when its workflow task keeps failing. */
async function followRun(client: Client, api: Api, token: string, handle: WorkflowHandle, started: number): Promise<RunOutcome> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  let last: MigrationOverview | undefined;
  let largestOverviewBytes = 0;
  let lastReport = 0;
  const operatorRetries: { stepId: string; message: string }[] = [];
  while (Date.now() < deadline) {
    const description = await client.workflow.getHandle(handle.workflowId).describe();
    const attempt = description.raw.pendingWorkflowTask?.attempt ?? 0;
    if (attempt >= STUCK_WORKFLOW_TASK_ATTEMPTS) {
      const failure = await lastWorkflowTaskFailure(client, handle.workflowId);
      return { status: 'STUCK', phase: last?.phase ?? 'unknown', seconds: round((performance.now() - started) / 1000), failure, largestOverviewBytes, operatorRetries };
    }
    try {
      const read = await timedGet(api, token, `/v1/migrations/${handle.workflowId}`);
      last = read.body as MigrationOverview;
      largestOverviewBytes = Math.max(largestOverviewBytes, read.bytes);
    } catch {
      // a read may time out while the worker replays a long history; the next poll will tell
    }
    if (description.status.name !== 'RUNNING') break;
    if (last?.status === 'NEEDS_ATTENTION' && operatorRetries.length < MAX_OPERATOR_RETRIES) {
      const retried = await retryFailedSteps(api, token, handle.workflowId, last);
      for (const retry of retried) process.stdout.write(`  scale: retried ${retry.stepId} as ops (${retry.message})\n`);
      operatorRetries.push(...retried);
    }
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      process.stdout.write(`  scale: ${last?.phase ?? '…'} ${last?.status ?? ''} ${last?.percentComplete ?? 0} % (${round((performance.now() - started) / 1000, 0)} s)\n`);
    }
    await delay(5_000);
  }
  const seconds = round((performance.now() - started) / 1000);
  return { status: last?.status ?? 'UNKNOWN', phase: last?.phase ?? 'unknown', seconds, largestOverviewBytes, operatorRetries, ...(last?.outcome?.reason ? { failure: last.outcome.reason } : {}) };
}

/** The bytes of every payload an event carries (inputs, results, markers), encoded as Temporal stores them. */
function payloadBytesOf(value: unknown): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + payloadBytesOf(item), 0);
  if (value && typeof value === 'object') return Object.values(value).reduce((sum: number, item) => sum + payloadBytesOf(item), 0);
  return 0;
}

interface HistoryFigures {
  workflows: number;
  runsInChain: number;
  waves: number;
  largestRunEvents: number;
  largestWaveEvents: number;
  largestEventPayloadBytes: number;
  largestEventType: string;
  resultPayloadBytes: number;
  inputPayloadBytes: number;
}

/** Every history of the run (its chain and its waves): events, and the largest payload any event carries. */
async function readHistories(client: Client, workflowId: string): Promise<HistoryFigures> {
  const lengths = await historyLengths(client, workflowId);
  const chain = lengths.filter((entry) => entry.workflowId === workflowId);
  const waves = lengths.filter((entry) => entry.workflowId !== workflowId);
  let largestEventPayloadBytes = 0;
  let largestEventType = '';
  let resultPayloadBytes = 0;
  let inputPayloadBytes = 0;
  for (const entry of lengths) {
    const history = await client.workflow.getHandle(entry.workflowId, entry.runId || undefined).fetchHistory();
    for (const event of history.events ?? []) {
      const bytes = payloadBytesOf(event);
      if (bytes > largestEventPayloadBytes) {
        largestEventPayloadBytes = bytes;
        largestEventType = Object.keys(event).find((key) => key.endsWith('EventAttributes')) ?? 'event';
      }
      if (entry.workflowId !== workflowId) continue;
      if (event.workflowExecutionCompletedEventAttributes) resultPayloadBytes = bytes;
      if (event.workflowExecutionStartedEventAttributes) inputPayloadBytes = Math.max(inputPayloadBytes, bytes);
    }
  }
  return {
    workflows: lengths.length,
    runsInChain: chain.length,
    waves: waves.length,
    largestRunEvents: Math.max(...chain.map((entry) => entry.events)),
    largestWaveEvents: Math.max(0, ...waves.map((entry) => entry.events)),
    largestEventPayloadBytes,
    largestEventType,
    resultPayloadBytes,
    inputPayloadBytes,
  };
}

/** What continue-as-new would carry for this status, whole (before compact snapshots) and compact: JSON and deflated bytes. */
function snapshotSizes(status: MigrationStatus): { wholeJson: number; wholeDeflated: number; compactJson: number; compactDeflated: number } {
  const whole = JSON.stringify({ plan: status.plan, carried: { status } });
  const { plan, steps, ...rest } = status;
  const compact = JSON.stringify({ plan, carried: { status: rest, packedSteps: packSteps(steps, { plan, waves: rest.waves, startedAt: rest.startedAt }) } });
  return {
    wholeJson: Buffer.byteLength(whole),
    wholeDeflated: deflateRawSync(whole).byteLength,
    compactJson: Buffer.byteLength(compact),
    compactDeflated: deflateRawSync(compact).byteLength,
  };
}

/** Opens the run's page in chromium, signed in as ops, until its summary and the first page of its workloads show. */
async function dashboardOpenings(apiUrl: string, token: string, runId: string, customerName: string): Promise<number[]> {
  const browser = await launchBenchBrowser();
  try {
    await browser.context.addInitScript({ content: `sessionStorage.setItem('passerelle.token', ${JSON.stringify(token)});` });
    const samples: number[] = [];
    for (let opening = 0; opening < DASHBOARD_OPENINGS; opening += 1) {
      const page = await browser.context.newPage();
      page.setDefaultTimeout(60_000);
      const started = performance.now();
      await page.goto(`${apiUrl}/#/migrations/${encodeURIComponent(runId)}`);
      await page.locator('#page-title', { hasText: customerName }).waitFor();
      await page.locator('#classification-table-rows tr').first().waitFor();
      await page.locator('#timeline-list-rows li').first().waitFor();
      samples.push(performance.now() - started);
      await page.close();
    }
    return samples;
  } finally {
    await browser.close();
  }
}

const mib = (bytes: number) => round(bytes / 1024 ** 2, 2);
const kib = (bytes: number) => round(bytes / 1024, 1);

/**
 * A plan of 10,000 workloads through the API, the worker and the dashboard: its validation
 * (against the same work in process), the run from start to COMPLETED (approvals given at
 * once, sim-cloud fast), followed through the overview; the overview's and a deep steps page's
 * reads through the API against the raw workflow query and the dashboard's opening in chromium,
 * both while the run waits for its approvals and once it has completed; every history of the
 * run (events, largest payload) and what continue-as-new carries for a status of this size.
 */
export const scaleBenchmark: Benchmark = {
  name: 'scale',
  title: `A plan of ${WORKLOADS.toLocaleString('en')} workloads`,
  async measure(): Promise<Measurement> {
    const lab = await startLab();
    const dashboardDir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-bench-dashboard-'));
    try {
      const taskQueue = 'bench-scale';
      await buildDashboard({ outDir: dashboardDir, minify: true });
      const simCloud = await lab.startSimCloud({ speedup: 10_000_000 });
      const workerEnv = { ...lab.baseEnv(), TEMPORAL_TASK_QUEUE: taskQueue, ...simCloud.env, WORKFLOW_BUNDLE_PATH: await lab.passerelleBundle() };
      await lab.startEntry('worker', 'worker/main.ts', workerEnv);
      const api = await lab.startApi({ taskQueue, env: { DASHBOARD_DIR: dashboardDir } });
      const consultant = await api.token({ roles: ['consultant'] });
      const ops = await api.token({ roles: ['ops'] });

      const planInput = { ...buildBenchmarkPlan(WORKLOADS), planId: `bench-scale-${WORKLOADS}-${Date.now().toString(36)}` };
      const body = JSON.stringify(planInput);
      const apiValidationMs: number[] = [];
      const inProcessValidationMs: number[] = [];
      for (let sample = 0; sample < VALIDATION_SAMPLES; sample += 1) {
        apiValidationMs.push(
          await timed(async () => {
            const response = await fetch(`${api.url}/v1/plans/validate`, { method: 'POST', headers: { authorization: `Bearer ${consultant}`, 'content-type': 'application/json' }, body });
            await response.arrayBuffer();
            if (!response.ok) throw new Error(`POST /v1/plans/validate answered ${response.status}`);
          }),
        );
        inProcessValidationMs.push(
          await timed(async () => {
            const validated = validatePlan(JSON.parse(body));
            if (!validated.ok) throw new Error('the benchmark plan is invalid');
            JSON.stringify(dryRunPlan(validated.plan));
          }),
        );
      }

      const validated = validatePlan(planInput);
      if (!validated.ok) throw new Error('the benchmark plan is invalid');
      const started = performance.now();
      // The product's default run tuning: what a real plan of this size would run with.
      const handle = await startBenchRun(lab.client, taskQueue, validated.plan);
      const id = handle.workflowId;
      const customerName = validated.plan.customer.name;
      // While the run waits for its approvals, its whole estate classified: what a user opens most.
      await waitForOverview(handle, (overview) => overview.phase === 'AWAITING_APPROVAL', 10 * 60_000, 500);
      const measuringStarted = performance.now();
      const openReads = await readPairs(api, ops, handle);
      const openDashboardMs = await dashboardOpenings(api.url, ops, id, customerName);
      const openWholeStatus = await timed(() => handle.query(statusQuery));
      await approveEverything(handle, 10 * 60_000);
      // The run's time leaves out the reads above, which kept the run waiting.
      const outcome = await followRun(lab.client, api, ops, handle, started + (performance.now() - measuringStarted));
      process.stdout.write(`  scale: ${outcome.status} after ${outcome.seconds} s; reading what the run left\n`);

      // A closed run is out of the worker's cache: every raw query replays its history, and the
      // API answers again what it answered once (use-cases/closed-run-answers.ts).
      const closedDashboardMs = await dashboardOpenings(api.url, ops, id, customerName);
      const closedReads = await readPairs(api, ops, handle);

      const histories = await readHistories(lab.client, id);
      const wholeStatusStarted = performance.now();
      const whole = await handle.query(statusQuery);
      const wholeStatusMs = performance.now() - wholeStatusStarted;
      const wholeStatusBytes = Buffer.byteLength(JSON.stringify(whole));
      const snapshot = snapshotSizes(whole);

      const ratio = (ours: number[], raw: number[]) => round(median(ours.map((value, index) => value / (raw[index] ?? Number.NaN))), 2);
      const ms = (samples: number[]) => round(median(samples), 1);
      const withinBudget = histories.largestRunEvents <= HISTORY_EVENT_BUDGET && histories.largestWaveEvents <= HISTORY_EVENT_BUDGET;
      const load = os.loadavg()[0] ?? 0;
      return {
        parameters: {
          workloads: WORKLOADS,
          maxWaveSize: planInput.settings?.maxWaveSize ?? 0,
          simCloudSpeedup: 10_000_000,
          runTuning: 'defaults',
          readPairs: READ_PAIRS,
          dashboardOpenings: DASHBOARD_OPENINGS,
          loadAverageAtTheEnd: round(load, 2),
        },
        table: {
          columns: ['measure', 'Passerelle', 'raw Temporal / in process', 'ratio'],
          rows: [
            [`POST /v1/plans/validate, median of ${VALIDATION_SAMPLES} (ms)`, Math.round(median(apiValidationMs)), Math.round(median(inProcessValidationMs)), round(median(apiValidationMs) / median(inProcessValidationMs), 2)],
            ['run outcome', `${outcome.status} (${outcome.phase})`, '', ''],
            ['run time, start to end (s)', outcome.seconds, '', ''],
            ['failed steps retried as an operator would', outcome.operatorRetries.length, '', ''],
            ['workflows (run chain + waves)', `${histories.runsInChain} + ${histories.waves}`, '', ''],
            ['longest history of the run chain (events)', histories.largestRunEvents, '', ''],
            ['longest history of a wave (events)', histories.largestWaveEvents, '', ''],
            ['largest payload of any event (KiB, encoded)', kib(histories.largestEventPayloadBytes), '', ''],
            ["run's result payload (KiB, encoded)", kib(histories.resultPayloadBytes), '', ''],
            ["run's start input payload (KiB, encoded)", kib(histories.inputPayloadBytes), '', ''],
            ['GET /v1/migrations/{id}: overview (KiB of JSON)', kib(openReads.overview.bytes), '', ''],
            ['largest overview while the run ran (KiB of JSON)', kib(outcome.largestOverviewBytes), '', ''],
            ['whole status query, for comparison (MiB of JSON)', mib(wholeStatusBytes), '', ''],
            [`open run: overview read, median of ${READ_PAIRS} (ms): API / raw overview query`, ms(openReads.overview.api), ms(openReads.overview.raw), ratio(openReads.overview.api, openReads.overview.raw)],
            [`open run: steps page of 100 at step ${DEEP_STEP_POSITION.toLocaleString('en')} (ms): API / raw page query`, ms(openReads.deepPage.api), ms(openReads.deepPage.raw), ratio(openReads.deepPage.api, openReads.deepPage.raw)],
            ['open run: first steps page of 100 (ms): API / raw page query', ms(openReads.firstPage.api), ms(openReads.firstPage.raw), ratio(openReads.firstPage.api, openReads.firstPage.raw)],
            ['open run: whole status query (ms), for comparison', '', Math.round(openWholeStatus), ''],
            [`open run: dashboard opens it in chromium, median of ${DASHBOARD_OPENINGS} (ms)`, Math.round(median(openDashboardMs)), '', ''],
            ['closed run: dashboard opens it in chromium, first opening (ms)', Math.round(closedDashboardMs[0] ?? Number.NaN), '', ''],
            [`closed run: dashboard opens it again, median of ${DASHBOARD_OPENINGS - 1} (ms)`, Math.round(median(closedDashboardMs.slice(1))), '', ''],
            [`closed run: overview read, median of ${READ_PAIRS} (ms): API / raw overview query`, ms(closedReads.overview.api), ms(closedReads.overview.raw), ratio(closedReads.overview.api, closedReads.overview.raw)],
            [`closed run: steps page of 100 at step ${DEEP_STEP_POSITION.toLocaleString('en')} (ms): API / raw page query`, ms(closedReads.deepPage.api), ms(closedReads.deepPage.raw), ratio(closedReads.deepPage.api, closedReads.deepPage.raw)],
            ['closed run: whole status query (ms), for comparison', '', Math.round(wholeStatusMs), ''],
            ['continue-as-new input for this status, compact (KiB JSON / deflated)', `${kib(snapshot.compactJson)} / ${kib(snapshot.compactDeflated)}`, '', ''],
            ['continue-as-new input for this status, whole as before (KiB JSON / deflated)', `${kib(snapshot.wholeJson)} / ${kib(snapshot.wholeDeflated)}`, '', ''],
          ],
        },
        findings: [
          `The API validates the ${WORKLOADS.toLocaleString('en')}-workload plan in ${Math.round(median(apiValidationMs))} ms against ${Math.round(median(inProcessValidationMs))} ms in process (medians, HTTP included).`,
          outcome.status === 'COMPLETED'
            ? `The run completes in ${outcome.seconds} s over ${histories.waves} waves and ${histories.runsInChain} run(s) of its chain; the longest history holds ${Math.max(histories.largestRunEvents, histories.largestWaveEvents)} events, ${withinBudget ? 'within' : 'ABOVE'} the budget of ${HISTORY_EVENT_BUDGET.toLocaleString('en')} (Temporal's limit is ${HISTORY_EVENT_LIMIT.toLocaleString('en')}).`
            : `The run does NOT complete: ${outcome.status} in ${outcome.phase} after ${outcome.seconds} s (${outcome.failure ?? 'no reason given'}).`,
          `The largest payload of any event is ${kib(histories.largestEventPayloadBytes)} KiB encoded (${histories.largestEventType}), ${histories.largestEventPayloadBytes < BLOB_SIZE_ERROR_BYTES ? 'under' : 'OVER'} Temporal's 2 MiB payload limit and its 4 MiB gRPC message (${round(histories.largestEventPayloadBytes / GRPC_MESSAGE_BYTES * 100, 1)} % of it); the run's result is ${kib(histories.resultPayloadBytes)} KiB.`,
          `While the run waits for its approvals, GET /v1/migrations/{id} answers ${kib(openReads.overview.bytes)} KiB (the whole status is ${mib(wholeStatusBytes)} MiB) in ${ms(openReads.overview.api)} ms, ${ratio(openReads.overview.api, openReads.overview.raw)}x the raw overview query; a steps page deep in the estate answers in ${ms(openReads.deepPage.api)} ms, the first in ${ms(openReads.firstPage.api)} ms.`,
          `The dashboard opens the waiting run (summary, first page of workloads and timeline) in ${Math.round(median(openDashboardMs))} ms in chromium (median of ${DASHBOARD_OPENINGS}).`,
          `Once the run has completed, the worker replays its history for every raw query (${ms(closedReads.overview.raw)} ms for the overview): the dashboard's first opening takes ${Math.round(closedDashboardMs[0] ?? Number.NaN)} ms, the later ones ${Math.round(median(closedDashboardMs.slice(1)))} ms, as the API answers a closed run's reads again without the worker.`,
          `Continue-as-new would carry ${kib(snapshot.compactJson)} KiB of JSON for this status (${kib(snapshot.compactDeflated)} KiB deflated, as the codec stores it) against ${kib(snapshot.wholeJson)} KiB (${kib(snapshot.wholeDeflated)} KiB) before compact snapshots.`,
        ],
        data: { apiValidationMs, inProcessValidationMs, outcome, histories, openReads, openDashboardMs, openWholeStatus, closedReads, closedDashboardMs, wholeStatusBytes, wholeStatusMs, snapshot },
      };
    } finally {
      await lab.stop();
      rmSync(dashboardDir, { recursive: true, force: true });
    }
  },
};
