import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { issueDevToken } from '../../config/dev-tokens';
import { CLIENT_INTERCEPTORS } from '../../config/temporal';
import { createDataConverter } from '../../codec/data-converter';
import { loadOrCreateDevCodecKeys } from '../../codec/dev-keys';
import { AesGcmPayloadCodec, parseCodecKeys } from '../../codec/payload-codec';
import { loadOrCreateDevSecret } from '../../config/dev-secret';
import { type Cluster, startCluster } from '../../scripts/lib/cluster';
import { createSimCloudAdminClient } from '../../sim-cloud/admin-client';
import type { ApproverRole, MigrationOverview, MigrationOverviewChange, MigrationStatus, UserRole } from '../../domain';
import { applyOverviewChange } from '../../domain/run-overview';
import { statusQuery } from '../../workflows/messages';
import { CUSTOMER_ID, RUN_STATUS } from '../../workflows/search-attributes';
import { provisionedCounts } from '../support/provisioned';
import { openEventStream, type SseFrame } from '../support/sse';
import { TEST_CONNECT_TIMEOUT, waitFor, waitUntil } from '../support/wait';
import { fixturePlan } from '../support/plans';
import { expectedResourceCounts, freshPlanId, standardPlan } from '../reliability/support/runs';

/**
 * The production-shaped topology of `npm run cluster`, for real: PostgreSQL, each Temporal
 * service its own process, two workers, two API replicas behind the gateway. One cluster for
 * the file; each test puts back what it broke.
 */
let cluster: Cluster;
let dataDir: string;
let client: Client;
let secret: Uint8Array;

// Retries patient enough to ride out a history process or PostgreSQL being away for a while.
const PATIENT_TUNING = {
  PASSERELLE_STEP_MAX_ATTEMPTS: '20',
  PASSERELLE_RETRY_INITIAL_INTERVAL: '200ms',
  PASSERELLE_RETRY_MAXIMUM_INTERVAL: '2s',
  PASSERELLE_STEP_TIMEOUT: '20s',
  PASSERELLE_HEARTBEAT_TIMEOUT: '5s',
  PASSERELLE_PROGRESS_INTERVAL: '200ms',
};

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-cluster-'));
  // PostgreSQL runs as its own unprivileged user, which must reach its folder inside.
  chmodSync(dataDir, 0o755);
  cluster = await startCluster({
    dataDir,
    apiPort: 0,
    temporalPort: 0,
    uiPort: 0,
    simCloudPort: 0,
    postgresPort: 0,
    passerelleEnv: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      SIM_CLOUD_LOG_LEVEL: 'warn',
      SIM_CLOUD_CREDENTIALS: 'QUALIFIED,hds',
      SIM_CLOUD_SPEEDUP: '1000',
      WORKER_SHUTDOWN_GRACE: '5s',
      WORKER_REPLICATION_POLL_INTERVAL: '100ms',
      API_EVENTS_POLL_INTERVAL: '200ms',
      ...PATIENT_TUNING,
    },
    output: (name, line) => {
      if (/"level":(50|60)|Error/.test(line)) process.stderr.write(`[${name}] ${line}\n`);
    },
  });
  secret = await loadOrCreateDevSecret(dataDir);
  const connection = await Connection.connect({ address: cluster.temporalAddress, connectTimeout: TEST_CONNECT_TIMEOUT });
  client = new Client({ connection, namespace: cluster.namespace, interceptors: CLIENT_INTERCEPTORS, dataConverter: createDataConverter(new AesGcmPayloadCodec(parseCodecKeys(await loadOrCreateDevCodecKeys(dataDir)))) });
}, 300_000);

afterAll(async () => {
  await client?.connection.close();
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 120_000);

function token(claims: { sub?: string; roles: UserRole[]; customerId?: string; approverRoles?: ApproverRole[] }): Promise<string> {
  return issueDevToken(secret, { sub: claims.sub ?? `${claims.roles[0]}-cluster`, ...claims });
}

async function call(method: string, route: string, bearer: string, body?: unknown): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(`${cluster.apiUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/**
 * Starts a run as a client would: a 503 (Temporal's services still finding each other after a
 * test killed one of them, say) is asked again after its Retry-After (5 s), the start being
 * idempotent on the plan's id.
 */
async function startRun(plan: unknown): Promise<string> {
  const consultant = await token({ roles: ['consultant'] });
  let answer = await call('POST', '/v1/migrations', consultant, plan);
  await waitUntil(
    'the start to be answered other than 503',
    async () => {
      if (answer.status !== 503) return true;
      answer = await call('POST', '/v1/migrations', consultant, plan);
      return answer.status !== 503;
    },
    { timeoutMs: 60_000, intervalMs: 5_000 },
  );
  if (answer.status !== 202) throw new Error(`start answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return (answer.body as { id: string }).id;
}

/** Polls the run's status through Temporal until `predicate` holds. */
async function waitForRun(id: string, predicate: (status: MigrationStatus) => boolean, timeoutMs = 120_000): Promise<MigrationStatus> {
  let last: MigrationStatus | undefined;
  // A killed process or a restarting database fails a query: that is "not yet".
  return await waitFor(
    `run ${id} to reach the awaited state`,
    async () => {
      last = await client.workflow.getHandle(id).query(statusQuery);
      return predicate(last) ? last : undefined;
    },
    { timeoutMs, intervalMs: 250, retryErrors: true, lastSeen: () => (last ? `${last.phase} ${last.status} ${last.percentComplete}%` : 'no status') },
  );
}

async function approveAll(id: string, customerId: string): Promise<void> {
  const status = await waitForRun(id, (current) => current.phase === 'AWAITING_APPROVAL');
  for (const approval of status.approvals) {
    const approver = await token({ sub: `${approval.role.toLowerCase()}-${customerId}`, roles: ['customer'], customerId, approverRoles: [approval.role as ApproverRole] });
    const answer = await call('POST', `/v1/migrations/${id}/approvals/${approval.id}`, approver, { decision: 'APPROVE' });
    expect(answer.status).toBe(200);
  }
}

/** What sim-cloud holds, counted as the provider's ARM resources (one tenant per customer). */
async function resourceCounts(): Promise<Record<string, number>> {
  return provisionedCounts(createSimCloudAdminClient({ baseUrl: cluster.simCloudUrl }));
}

function added(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const difference: Record<string, number> = {};
  for (const [type, count] of Object.entries(after)) if (count !== (before[type] ?? 0)) difference[type] = count - (before[type] ?? 0);
  return difference;
}

const replicating = (status: MigrationStatus) => status.steps.some((step) => step.id.endsWith('.replicate') && step.state === 'RUNNING');

describe('Passerelle on a Temporal cluster on PostgreSQL', () => {
  it('runs the hospital plan from POST to COMPLETED through the gateway, and lists it by its search attributes on SQL visibility', async () => {
    // Its 45 TB PACS at 100 Gbit/s: replication takes seconds at this speed-up, not minutes.
    const plan = fixturePlan('hospital-group', { planId: freshPlanId('cluster-ght'), settings: { bandwidthMbps: 100_000 } });
    const id = await startRun(plan);
    await approveAll(id, plan.customer.id);
    const final = await waitForRun(id, (status) => status.status === 'COMPLETED', 240_000);
    expect(final.phase).toBe('DONE');
    expect(final.steps.filter((step) => step.phase === 'CUTOVER').every((step) => step.state === 'SUCCEEDED')).toBe(true);

    const consultant = await token({ roles: ['consultant'] });
    const listed = async (query: string) => (await call('GET', `/v1/migrations?${query}`, consultant)).body as { items: { id: string; status: string }[] };
    await waitUntil('the completed run in the filtered list', async () => (await listed(`customer=${plan.customer.id}&status=COMPLETED`)).items.some((item) => item.id === id), { timeoutMs: 60_000, intervalMs: 250, retryErrors: true });
    expect((await listed(`customer=${plan.customer.id}&status=RUNNING`)).items.map((item) => item.id)).not.toContain(id);
    expect((await listed('customer=nobody-else')).items).toEqual([]);
    // The same filter straight on the cluster's SQL visibility store.
    const direct: string[] = [];
    for await (const execution of client.workflow.list({ query: `${CUSTOMER_ID.name} = '${plan.customer.id}' AND ${RUN_STATUS.name} = 'COMPLETED'` })) direct.push(execution.workflowId);
    expect(direct).toContain(id);
  }, 360_000);

  it('finishes a run whose history process and one worker are killed with SIGKILL mid-cutover, creating no resource twice', async () => {
    const customerId = 'cluster-kill';
    const before = await resourceCounts();
    // 4 workloads of 500 GB at 1 Gbit/s: about 4 s of replication each at this speed-up.
    const id = await startRun(standardPlan({ planId: freshPlanId(customerId), customerId, workloads: 4, sizeGb: 500, maxWaveSize: 2 }));
    await approveAll(id, customerId);
    await waitForRun(id, replicating);
    const [history] = cluster.temporal.history;
    const [worker] = cluster.workers;
    await Promise.all([history!.kill(), worker!.kill()]);

    const final = await waitForRun(id, (status) => status.status === 'COMPLETED', 300_000);
    expect(final.steps.filter((step) => step.phase === 'CUTOVER').every((step) => step.state === 'SUCCEEDED')).toBe(true);
    expect(added(before, await resourceCounts())).toEqual(expectedResourceCounts(1, 4));
    await Promise.all([history!.restart(), worker!.restart()]);
  }, 420_000);

  it('answers 503 with Retry-After while PostgreSQL restarts, then recovers, and the run resumes', async () => {
    const customerId = 'cluster-postgres';
    // 2 TB each: some 16 s of replication, so that the run is still replicating when the test sees it
    // (with 500 GB it once completed while the cluster was still slow from the test before).
    const id = await startRun(standardPlan({ planId: freshPlanId(customerId), customerId, workloads: 2, sizeGb: 2000 }));
    await approveAll(id, customerId);
    await waitForRun(id, replicating);
    const consultant = await token({ roles: ['consultant'] });

    await cluster.postgres.process.stop();
    const whileDown = await Promise.all([
      call('GET', `/v1/migrations?customer=${customerId}`, consultant),
      call('POST', '/v1/migrations', consultant, standardPlan({ planId: freshPlanId(customerId), customerId, workloads: 1 })),
    ]);
    await cluster.postgres.restart();

    for (const answer of whileDown) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    await waitUntil('the API to answer again', async () => (await call('GET', `/v1/migrations?customer=${customerId}`, consultant)).status === 200, { timeoutMs: 60_000, intervalMs: 250, retryErrors: true });
    const final = await waitForRun(id, (status) => status.status === 'COMPLETED', 300_000);
    expect(final.phase).toBe('DONE');
  }, 420_000);

  it('resumes event streams on the other API replica with Last-Event-ID when the one they were on is killed', async () => {
    const customerId = 'cluster-sse';
    const id = await startRun(standardPlan({ planId: freshPlanId(customerId), customerId, workloads: 4, sizeGb: 1000, maxWaveSize: 1 }));
    await approveAll(id, customerId);
    await waitForRun(id, replicating);
    const reader = await token({ roles: ['ops'] });

    // Four followers: the gateway spreads them over both replicas in turn.
    const followers = await Promise.all(Array.from({ length: 4 }, () => followRun(id, reader)));
    await Promise.all(followers.map((follower) => follower.waitForEvents(1)));
    const [victim] = cluster.apis;
    await victim!.kill();

    const outcomes = await Promise.all(followers.map((follower) => follower.done));
    expect(outcomes.filter((outcome) => outcome.reconnections > 0).length).toBeGreaterThan(0);
    for (const outcome of outcomes) {
      // Ids only grow across a reconnection: nothing is repeated, and the last state arrives.
      const ids = outcome.events.map((event) => Number(event.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      expect(foldedOverview(outcome.events)).toMatchObject({ status: 'COMPLETED', percentComplete: 100 });
      expect(outcome.end).toMatchObject({ status: 'COMPLETED' });
    }
    await victim!.restart();
  }, 420_000);

  it('serves the Temporal Web UI pointed at the cluster', async () => {
    const answer = await fetch(`${cluster.uiUrl}/api/v1/namespaces/${cluster.namespace}/workflows?query=${encodeURIComponent(`${CUSTOMER_ID.name} = 'cluster-kill'`)}`);
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { executions?: { execution?: { workflowId?: string } }[] };
    expect(body.executions?.some((execution) => execution.execution?.workflowId?.includes('cluster-kill'))).toBe(true);
  });
});

interface FollowOutcome {
  events: SseFrame[];
  end?: unknown;
  reconnections: number;
}

/** The overview that a stream's frames add up to: each `overview` replaces it, each `change` applies to it. */
function foldedOverview(frames: SseFrame[]): MigrationOverview | undefined {
  let overview: MigrationOverview | undefined;
  for (const frame of frames) {
    const data = JSON.parse(frame.data!) as unknown;
    if (frame.event === 'overview') overview = data as MigrationOverview;
    else if (overview) overview = applyOverviewChange(overview, data as MigrationOverviewChange);
  }
  return overview;
}

/** Follows a run's events as a browser's EventSource would: reconnects with Last-Event-ID until the `end` event. */
async function followRun(id: string, bearer: string): Promise<{ waitForEvents(count: number): Promise<void>; done: Promise<FollowOutcome> }> {
  const events: SseFrame[] = [];
  let reconnections = 0;
  let notify: () => void = () => undefined;
  const done = (async (): Promise<FollowOutcome> => {
    const deadline = Date.now() + 300_000;
    while (Date.now() < deadline) {
      const lastId = events.at(-1)?.id;
      let stream;
      try {
        stream = await openEventStream(`${cluster.apiUrl}/v1/migrations/${id}/events`, { authorization: `Bearer ${bearer}`, ...(lastId ? { 'last-event-id': lastId } : {}) });
      } catch {
        reconnections++;
        // The reconnection delay an EventSource observes (its `retry`), not a wait for some state.
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      let seen = 0;
      const frames = await stream.until((received) => {
        for (const frame of received.slice(seen)) if (frame.event === 'overview' || frame.event === 'change') events.push(frame);
        seen = received.length;
        notify();
        return received.some((frame) => frame.event === 'end');
      }, 300_000);
      const end = frames.find((frame) => frame.event === 'end');
      stream.close();
      if (end) return { events, end: JSON.parse(end.data!), reconnections };
      reconnections++;
    }
    return { events, reconnections };
  })();
  return {
    done,
    waitForEvents: (count) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (events.length >= count) resolve();
        };
        notify = check;
        check();
      }),
  };
}
