import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import pino from 'pino';
import { type AppDependencies, createApp } from '../../api/app';
import { startServer, stopServer } from '../../api/server';
import type { ApproverRole, MigrationStatus, UserRole } from '../../domain';
import { createDevAuthenticator } from '../../api/auth';
import { issueDevToken } from '../../config/dev-tokens';
import { CLIENT_INTERCEPTORS } from '../../config/temporal';
import { createBatchUseCases } from '../../use-cases/batches';
import { createDraftUseCases } from '../../use-cases/drafts';
import { createMigrationUseCases } from '../../use-cases/migrations';
import { createDataConverter } from '../../codec/data-converter';
import { AesGcmPayloadCodec, generateCodecKey, parseCodecKeys } from '../../codec/payload-codec';
import { startSimCloud, type RunningSimCloud } from '../../sim-cloud/server';
import type { RunTuning } from '../../workflows/tuning';
import { statusQuery } from '../../workflows/messages';
import { createLandingZonesForSimCloud } from '../../worker/landing-zones';
import { createVersionedWorker, type PasserelleWorkerOptions } from '../../worker/worker';
import { promoteToCurrent, type PromotionOutcome, type WorkerVersion } from '../../worker/versioning';
import { drainingRetries } from './draining-retries';
import { TEST_CONNECT_TIMEOUT, waitFor } from './wait';

let runtimeInstalled = false;

/**
 * How many times the Azure SDK clients send one ARM call in the test stack (the first try and
 * one retry of their own): a fault must break this many calls to fail one activity attempt.
 */
export const ARM_CALL_ATTEMPTS = 2;

/** Short timeouts and retries so that failures reach an operator in seconds. */
export const FAST_TUNING: Partial<RunTuning> = {
  stepMaxAttempts: 2,
  retryInitialInterval: '100ms',
  retryMaximumInterval: '200ms',
  stepTimeout: '10s',
  heartbeatTimeout: '5s',
  progressInterval: '200ms',
};

export interface TestStack {
  client: Client;
  taskQueue: string;
  simCloud: RunningSimCloud;
  apiUrl: string;
  worker: Worker;
  /** The deployment version the stack's worker polls as, when started with `versioning`. */
  version?: WorkerVersion;
  /**
   * Starts one more worker on the stack's task queue (another build, as during a roll-out) and,
   * when it is versioned, makes its version current as the worker process does at start; the
   * stack stops it with the rest.
   */
  startWorker(options: Pick<PasserelleWorkerOptions, 'workflowBundlePath' | 'versioning'>): Promise<{ worker: Worker; version?: WorkerVersion; promotion?: PromotionOutcome }>;
  /** The payload keys of this stack's client and worker (PASSERELLE_CODEC_KEYS format). */
  codecKeys: string;
  codec: AesGcmPayloadCodec;
  token(claims: { sub?: string; roles: UserRole[]; customerId?: string; approverRoles?: ApproverRole[] }, expiresIn?: string): Promise<string>;
  /** The HS256 secret of this stack's dev tokens, to sign tokens a test shapes by hand. */
  devSecret: Uint8Array;
  /** Polls the status query until `predicate` holds; fails after `timeoutMs` with the last status. */
  waitForStatus(handle: WorkflowHandle, predicate: (status: MigrationStatus) => boolean, timeoutMs?: number): Promise<MigrationStatus>;
  /** Shuts the worker down (as a crash or a deployment would) and starts a new one on the same task queue; `worker` is then the new one. */
  restartWorker(): Promise<Worker>;
  stop(): Promise<void>;
}

/**
 * A worker, sim-cloud and the API over the run's shared Temporal dev server, on a task queue
 * of their own, so that test files run in parallel without seeing each other's work.
 */
export async function startStack(
  options: {
    credentials?: { secnumcloud: 'J0' | 'J1' | 'J2' | 'QUALIFIED'; hds: boolean };
    speedup?: number;
    tuning?: Partial<RunTuning>;
    codecKeys?: string;
    dashboardDir?: string;
    /** Passed to the API as they are (events, rate limits). */
    app?: Pick<AppDependencies, 'events' | 'rateLimits'>;
    /** A versioned worker (Worker Versioning), its version made current; unversioned without. */
    versioning?: PasserelleWorkerOptions['versioning'];
  } = {},
): Promise<TestStack> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: run integration tests through jest (global setup starts a server).');
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
    runtimeInstalled = true;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-test-'));
  const simCloud = await startSimCloud({
    port: 0,
    dataFile: path.join(dir, 'sim-cloud.db'),
    speedup: options.speedup ?? 1_000_000,
    credentials: options.credentials ?? { secnumcloud: 'QUALIFIED', hds: true },
  });
  const nativeConnection = await NativeConnection.connect({ address });
  const retries = drainingRetries();
  const connection = await Connection.connect({ address, connectTimeout: TEST_CONNECT_TIMEOUT, interceptors: [retries.interceptor] });
  // Payloads are encrypted as in production, under a random key of this stack's own.
  const codecKeys = options.codecKeys ?? generateCodecKey(`test-${randomUUID().slice(0, 8)}`);
  const codec = new AesGcmPayloadCodec(parseCodecKeys(codecKeys));
  const dataConverter = createDataConverter(codec);
  const client = new Client({ connection, dataConverter, interceptors: CLIENT_INTERCEPTORS });
  const taskQueue = `test-${randomUUID()}`;
  const workerOptions: PasserelleWorkerOptions = {
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    simCloudUrl: simCloud.url,
    landingZones: createLandingZonesForSimCloud(simCloud, { maxRetries: ARM_CALL_ATTEMPTS - 1 }),
    replicationPollMs: 50,
    shutdownGraceTime: '2s',
    dataConverter,
    // Bundled once per test run by global setup; bundling per file would cost seconds each.
    workflowBundlePath: process.env.PASSERELLE_TEST_WORKFLOW_BUNDLE,
  };
  const startVersioned = async (overrides: Pick<PasserelleWorkerOptions, 'workflowBundlePath' | 'versioning'>) => {
    const started = await createVersionedWorker({ ...workerOptions, ...overrides });
    const running = started.worker.run();
    try {
      const promotion = started.version ? await promoteToCurrent(connection.workflowService, started.version, { namespace: 'default', taskQueue, identity: 'test-stack' }) : undefined;
      return { ...started, running, ...(promotion ? { promotion } : {}) };
    } catch (error) {
      started.worker.shutdown();
      await running;
      throw error;
    }
  };
  const first = await startVersioned({ versioning: options.versioning });
  let worker = first.worker;
  let running = first.running;
  const extraWorkers: Array<{ worker: Worker; running: Promise<void> }> = [];
  const secret = randomBytes(32);
  const tuning = { ...FAST_TUNING, ...options.tuning };
  const app = createApp({
    migrations: createMigrationUseCases({ client, taskQueue, tuning }),
    drafts: createDraftUseCases({ client, taskQueue, tuning }),
    batches: createBatchUseCases({ client, taskQueue }),
    authenticator: createDevAuthenticator(secret),
    devTokenSecret: secret,
    logger: pino({ level: 'silent' }),
    codecEndpoint: { codec, uiOrigins: [], loopbackOnly: false },
    dashboardDir: options.dashboardDir,
    ...options.app,
  });
  const { server, url: apiUrl } = await startServer(app);

  return {
    client,
    taskQueue,
    simCloud,
    apiUrl,
    get worker() {
      return worker;
    },
    ...(first.version ? { version: first.version } : {}),
    async startWorker(overrides) {
      const { running: extraRunning, ...started } = await startVersioned(overrides);
      extraWorkers.push({ worker: started.worker, running: extraRunning });
      return started;
    },
    codecKeys,
    codec,
    token: (claims, expiresIn) => issueDevToken(secret, { sub: claims.sub ?? `${claims.roles[0]}-tester`, ...claims }, expiresIn),
    devSecret: secret,
    async waitForStatus(handle, predicate, timeoutMs = 60_000) {
      let last: MigrationStatus | undefined;
      // A query fails until the first workflow task has run: that is "not yet".
      return await waitFor(
        `${handle.workflowId}: the awaited status`,
        async () => {
          last = await handle.query(statusQuery);
          return predicate(last) ? last : undefined;
        },
        {
          timeoutMs,
          intervalMs: 100,
          retryErrors: true,
          lastSeen: () => JSON.stringify(last && { phase: last.phase, status: last.status, attention: last.attention, gate: last.gate, timeline: last.timeline.slice(-5) }),
        },
      );
    },
    async restartWorker() {
      worker.shutdown();
      await running;
      ({ worker, running } = await startVersioned({ versioning: options.versioning }));
      return worker;
    },
    async stop() {
      await stopServer(server);
      for (const extra of extraWorkers) if (extra.worker.getState() === 'RUNNING') extra.worker.shutdown();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await Promise.all([running, ...extraWorkers.map((extra) => extra.running)]);
      await nativeConnection.close();
      await retries.drain();
      await connection.close();
      await simCloud.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
