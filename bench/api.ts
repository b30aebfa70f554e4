import autocannon from 'autocannon';
import { buildVisibilityQuery } from '../use-cases/migration-list';
import type { Benchmark, Measurement } from './support/benchmark';
import { startLab, VISIBILITY_RPS } from './support/lab';
import { standardBenchPlan, startBenchRun, waitForStatus } from './support/runs';
import { percentile, round } from './support/stats';
import { statusQuery } from '../workflows/messages';

const WAITING_RUNS = 20;
const CONNECTIONS = 16;
/** Requests per measurement: a fixed count, so that no request is cut off when the measurement ends. */
const REQUESTS = 1_000;

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

async function loadApi(url: string, token: string): Promise<LoadFigures> {
  // A fixed amount, not a duration: requests cut off at the end would reach the API as aborted ones.
  const result = await autocannon({ url, connections: CONNECTIONS, amount: REQUESTS, headers: { authorization: `Bearer ${token}` } });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]));
  return { p50: result.latency.p50, p99: result.latency.p99, requestsPerSecond: round(result.requests.average), failures: result.non2xx + result.errors + result.timeouts, statusCodes };
}

/**
 * Status reads and lists through the API under concurrent load (autocannon), against the raw
 * Temporal client call that each wraps, with as many concurrent callers.
 */
export const apiBenchmark: Benchmark = {
  name: 'api',
  title: 'API reads under load against the raw client',
  async measure(): Promise<Measurement> {
    const lab = await startLab();
    try {
      const taskQueue = 'bench-api';
      const simCloud = await lab.startSimCloud({ speedup: 1_000_000 });
      await lab.startEntry('worker', 'worker/main.ts', { ...lab.baseEnv(), TEMPORAL_TASK_QUEUE: taskQueue, SIM_CLOUD_URL: simCloud.url, WORKFLOW_BUNDLE_PATH: await lab.passerelleBundle() });
      const api = await lab.startApi({ taskQueue });
      const handles = await Promise.all(
        Array.from({ length: WAITING_RUNS }, (_, index) =>
          startBenchRun(lab.client, taskQueue, standardBenchPlan({ planId: `bench-api-${index}`, customerId: 'bench-api', workloads: 5, maxWaveSize: 5 })),
        ),
      );
      await Promise.all(handles.map((handle) => waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL', 120_000)));
      const consultant = await api.token({ roles: ['consultant'] });
      const target = handles[0]!;

      const statusThroughApi = await loadApi(`${api.url}/v1/migrations/${target.workflowId}`, consultant);
      const statusRaw = await loadRawClient(CONNECTIONS, REQUESTS, () => target.query(statusQuery));
      const listThroughApi = await loadApi(`${api.url}/v1/migrations?limit=20`, consultant);
      const listQuery = buildVisibilityQuery({}, undefined);
      const listRaw = await loadRawClient(CONNECTIONS, REQUESTS, () =>
        lab.client.workflowService.listWorkflowExecutions({ namespace: 'default', query: listQuery, pageSize: 20 }),
      );

      const rows = [
        ['GET /v1/migrations/{id}', statusThroughApi, 'status query', statusRaw] as const,
        ['GET /v1/migrations?limit=20', listThroughApi, 'listWorkflowExecutions', listRaw] as const,
      ];
      return {
        parameters: { connections: CONNECTIONS, requestsPerMeasurement: REQUESTS, waitingRuns: WAITING_RUNS, workloadsPerRun: 5, temporalVisibilityRps: VISIBILITY_RPS },
        table: {
          columns: ['read', 'API p50 (ms)', 'API p99 (ms)', 'API req/s', 'raw call', 'raw p50 (ms)', 'raw p99 (ms)', 'raw calls/s', 'p50 ratio', 'p99 ratio', 'failures'],
          rows: rows.map(([route, throughApi, raw, direct]) => [
            route,
            throughApi.p50,
            throughApi.p99,
            throughApi.requestsPerSecond,
            raw,
            direct.p50,
            direct.p99,
            direct.requestsPerSecond,
            round(throughApi.p50 / direct.p50, 2),
            round(throughApi.p99 / direct.p99, 2),
            throughApi.failures + direct.failures,
          ]),
        },
        findings: [
          `A status read through the API answers in ${statusThroughApi.p50} ms at the median (${round(statusThroughApi.p50 / statusRaw.p50, 2)}× the raw query), ${statusThroughApi.p99} ms at p99, with ${CONNECTIONS} concurrent clients.`,
          `A list page answers in ${listThroughApi.p50} ms at the median (${round(listThroughApi.p50 / listRaw.p50, 2)}× the raw visibility call).`,
          ...(statusThroughApi.failures + listThroughApi.failures > 0
            ? [`The API answered ${statusThroughApi.failures + listThroughApi.failures} requests with an error (status ${JSON.stringify(statusThroughApi.statusCodes)}, list ${JSON.stringify(listThroughApi.statusCodes)}): latencies of failed requests are in its percentiles.`]
            : []),
        ],
        data: { statusThroughApi, statusRaw, listThroughApi, listRaw },
      };
    } finally {
      await lab.stop();
    }
  },
};
