import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { createDevAuthenticator } from '../api/auth';
import { MigrationParamsSchema, parseParams } from '../api/validation';
import { issueDevToken } from '../config/dev-tokens';
import { buildVisibilityQuery } from '../use-cases/migration-list';
import type { Benchmark, Measurement } from './support/benchmark';
import { type Lab, type LabSimCloud, startLab, VISIBILITY_RPS } from './support/lab';
import { standardBenchPlan, startBenchRun, waitForStatus } from './support/runs';
import { median, percentile, round } from './support/stats';
import { overviewQuery } from '../workflows/messages';

const WAITING_RUNS = 20;
const CONNECTIONS = 16;
/** Pairs of measurements (ours, then raw, alternating): machine drift lands in both sides of a pair. */
const PAIRS = 8;
/** Requests per measurement: a fixed count, so that no request is cut off when the measurement ends. */
const REQUESTS = 400;
/** In-process repetitions of each part of the API's own work. */
const MICRO_REPETITIONS = 2_000;

interface LoadFigures {
  p50: number;
  p99: number;
  requestsPerSecond: number;
  failures: number;
  /** Answers by HTTP status (API only). */
  statusCodes?: Record<string, number>;
}

/** `concurrency` callers making `total` calls between them: the raw client's side of the comparison. */
async function loadRawClient(concurrency: number, total: number, call: () => Promise<unknown>): Promise<LoadFigures> {
  const latencies: number[] = [];
  let failures = 0;
  let remaining = total;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (remaining > 0) {
        remaining -= 1;
        const callStarted = performance.now();
        try {
          await call();
          latencies.push(performance.now() - callStarted);
        } catch {
          failures += 1;
        }
      }
    }),
  );
  return {
    p50: round(percentile(latencies, 0.5), 2),
    p99: round(percentile(latencies, 0.99), 2),
    requestsPerSecond: round(latencies.length / ((performance.now() - started) / 1000)),
    failures,
  };
}

async function loadApi(url: string, token: string, requests: number): Promise<LoadFigures> {
  // A fixed amount, not a duration: requests cut off at the end would reach the API as aborted ones.
  const result = await autocannon({ url, connections: CONNECTIONS, amount: requests, headers: { authorization: `Bearer ${token}` } });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]));
  return { p50: result.latency.p50, p99: result.latency.p99, requestsPerSecond: round(result.requests.average), failures: result.non2xx + result.errors + result.timeouts, statusCodes };
}

/** Ours and raw, alternated `pairCount` times; per-pair ratios, their median and spread, and the absolute medians. */
async function alternate(pairCount: number, ours: () => Promise<LoadFigures>, raw: () => Promise<LoadFigures>) {
  const pairs: { ours: LoadFigures; raw: LoadFigures }[] = [];
  for (let pair = 0; pair < pairCount; pair += 1) pairs.push({ ours: await ours(), raw: await raw() });
  const ratios = (pick: (figures: LoadFigures) => number) => pairs.map((pair) => pick(pair.ours) / pick(pair.raw));
  const p50Ratios = ratios((figures) => figures.p50);
  const p99Ratios = ratios((figures) => figures.p99);
  const spread = (values: number[]) => `${round(Math.min(...values), 2)}–${round(Math.max(...values), 2)}`;
  return {
    pairs,
    ours: { p50: round(median(pairs.map((pair) => pair.ours.p50)), 2), p99: round(median(pairs.map((pair) => pair.ours.p99)), 2), rps: round(median(pairs.map((pair) => pair.ours.requestsPerSecond))) },
    raw: { p50: round(median(pairs.map((pair) => pair.raw.p50)), 2), p99: round(median(pairs.map((pair) => pair.raw.p99)), 2), rps: round(median(pairs.map((pair) => pair.raw.requestsPerSecond))) },
    p50Ratio: round(median(p50Ratios), 2),
    p50Spread: spread(p50Ratios),
    p99Ratio: round(median(p99Ratios), 2),
    p99Spread: spread(p99Ratios),
    failures: pairs.reduce((sum, pair) => sum + pair.ours.failures + pair.raw.failures, 0),
  };
}

/** Microseconds per call of `work`, over MICRO_REPETITIONS calls after a warm-up. */
async function microseconds(work: () => unknown): Promise<number> {
  for (let index = 0; index < 100; index += 1) await work();
  const started = performance.now();
  for (let index = 0; index < MICRO_REPETITIONS; index += 1) await work();
  return round(((performance.now() - started) * 1000) / MICRO_REPETITIONS, 1);
}

/** Pairs, requests per measurement and runs waiting for approval (the status read targets the first). */
export interface ReadsSize {
  pairs: number;
  requests: number;
  waitingRuns: number;
}

/**
 * A worker and the API on the lab, `size.waitingRuns` runs waiting for approval, then the status
 * read and the list page through the API alternated with the raw calls they wrap.
 */
export async function measureReads(lab: Lab, simCloud: LabSimCloud, size: ReadsSize) {
  const taskQueue = `bench-api-${randomUUID().slice(0, 8)}`;
  await lab.startEntry(`worker-${taskQueue}`, 'worker/main.ts', { ...lab.baseEnv(), TEMPORAL_TASK_QUEUE: taskQueue, ...simCloud.env, WORKFLOW_BUNDLE_PATH: await lab.passerelleBundle() });
  const api = await lab.startApi({ taskQueue });
  const handles = await Promise.all(
    Array.from({ length: size.waitingRuns }, (_, index) =>
      startBenchRun(lab.client, taskQueue, standardBenchPlan({ planId: `${taskQueue}-${index}`, customerId: 'bench-api', workloads: 5, maxWaveSize: 5 })),
    ),
  );
  await Promise.all(handles.map((handle) => waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL', 120_000)));
  const consultant = await api.token({ roles: ['consultant'] });
  const target = handles[0]!;

  const status = await alternate(
    size.pairs,
    () => loadApi(`${api.url}/v1/migrations/${target.workflowId}`, consultant, size.requests),
    () => loadRawClient(CONNECTIONS, size.requests, () => target.query(overviewQuery)),
  );
  const listQuery = buildVisibilityQuery({}, undefined);
  const list = await alternate(
    size.pairs,
    () => loadApi(`${api.url}/v1/migrations?limit=20`, consultant, size.requests),
    () => loadRawClient(CONNECTIONS, size.requests, () => lab.client.workflowService.listWorkflowExecutions({ namespace: 'default', query: listQuery, pageSize: 20 })),
  );
  return { status, list, target };
}

/**
 * Status reads and lists through the API under concurrent load (autocannon), against the raw
 * Temporal client call that each wraps (the run's overview query, `listWorkflowExecutions`),
 * with as many concurrent callers, alternating ours and raw; and the API's own work per read
 * (token verification, path validation, serialisation), measured in process.
 */
export const apiBenchmark: Benchmark = {
  name: 'api',
  title: 'API reads under load against the raw client',
  async measure(): Promise<Measurement> {
    const lab = await startLab();
    try {
      const simCloud = await lab.startSimCloud({ speedup: 1_000_000 });
      const { status, list, target } = await measureReads(lab, simCloud, { pairs: PAIRS, requests: REQUESTS, waitingRuns: WAITING_RUNS });
      const describe = await loadRawClient(CONNECTIONS, REQUESTS, () => target.describe());

      // The API's own work per status read, in process: what it adds to the query besides the network.
      const secret = new TextEncoder().encode('a-bench-secret-of-at-least-32-characters!!');
      const token = await issueDevToken(secret, { sub: 'consultant-bench', roles: ['consultant'] });
      const authenticator = createDevAuthenticator(secret);
      const overview = await target.query(overviewQuery);
      const overheadUs = {
        tokenVerification: await microseconds(() => authenticator.verify(token)),
        pathValidation: await microseconds(() => parseParams(MigrationParamsSchema, { id: target.workflowId })),
        serialisation: await microseconds(() => JSON.stringify(overview)),
      };
      const overviewBytes = Buffer.byteLength(JSON.stringify(overview));

      const rows = [
        ['GET /v1/migrations/{id}', 'overview query', status] as const,
        ['GET /v1/migrations?limit=20', 'listWorkflowExecutions', list] as const,
      ];
      return {
        parameters: { connections: CONNECTIONS, requestsPerMeasurement: REQUESTS, pairs: PAIRS, waitingRuns: WAITING_RUNS, workloadsPerRun: 5, temporalVisibilityRps: VISIBILITY_RPS },
        table: {
          columns: ['read', 'API p50 (ms)', 'API p99 (ms)', 'API req/s', 'raw call', 'raw p50 (ms)', 'raw p99 (ms)', 'raw calls/s', 'p50 ratio (median of pairs)', 'p50 ratio spread', 'p99 ratio (median of pairs)', 'p99 ratio spread', 'failures'],
          rows: rows.map(([route, raw, figures]) => [
            route,
            figures.ours.p50,
            figures.ours.p99,
            figures.ours.rps,
            raw,
            figures.raw.p50,
            figures.raw.p99,
            figures.raw.rps,
            figures.p50Ratio,
            figures.p50Spread,
            figures.p99Ratio,
            figures.p99Spread,
            figures.failures,
          ]),
        },
        findings: [
          `A status read through the API answers in ${status.ours.p50} ms at the median against ${status.raw.p50} ms for the raw overview query (median of ${PAIRS} alternated pairs: ${status.p50Ratio}×, spread ${status.p50Spread}; p99 ${status.p99Ratio}×, spread ${status.p99Spread}), with ${CONNECTIONS} concurrent clients.`,
          `A list page answers at ${list.p50Ratio}× the raw visibility call at the median (spread ${list.p50Spread}), ${list.p99Ratio}× at p99 (spread ${list.p99Spread}).`,
          `The API's own work per status read, in process: ${overheadUs.tokenVerification} µs to verify the token, ${overheadUs.pathValidation} µs to validate the path, ${overheadUs.serialisation} µs to serialise the ${overviewBytes}-byte overview; the describe that checks the caller's right runs beside the query (raw describe p50 ${describe.p50} ms under the same load).`,
          ...(status.failures + list.failures > 0 ? [`${status.failures + list.failures} requests failed: their latencies are in the percentiles.`] : []),
        ],
        data: { status, list, describe, overheadUs, overviewBytes },
      };
    } finally {
      await lab.stop();
    }
  },
};
