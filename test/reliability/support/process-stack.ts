import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { ApproverRole, MigrationStatus, UserRole } from '../../../domain';
import { issueDevToken } from '../../../config/dev-tokens';
import { CLIENT_INTERCEPTORS } from '../../../config/temporal';
import { createDataConverter } from '../../../codec/data-converter';
import { AesGcmPayloadCodec, generateCodecKey, parseCodecKeys } from '../../../codec/payload-codec';
import { findFreePort, httpOk, type ManagedProcess, startProcess, waitUntil } from '../../../scripts/lib/processes';
import { createSimCloudAdminClient, type SimCloudAdminClient } from '../../../sim-cloud/admin-client';
import { statusQuery } from '../../../workflows/messages';
import { TEST_CONNECT_TIMEOUT, waitFor } from '../../support/wait';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const LOG_LINES_KEPT = 60;

/** Step retries and timeouts short enough that a fault plays out in seconds (PASSERELLE_* variables). */
export const FAST_RUN_TUNING_ENV: Readonly<Record<string, string>> = {
  PASSERELLE_STEP_MAX_ATTEMPTS: '3',
  PASSERELLE_RETRY_INITIAL_INTERVAL: '100ms',
  PASSERELLE_RETRY_MAXIMUM_INTERVAL: '300ms',
  PASSERELLE_STEP_TIMEOUT: '4s',
  PASSERELLE_HEARTBEAT_TIMEOUT: '2s',
  PASSERELLE_PROGRESS_INTERVAL: '200ms',
};

/** A child process of the stack, with the last lines it printed (for failure messages). */
export interface StackProcess extends ManagedProcess {
  recentOutput(): string[];
}

function startTypeScriptEntry(name: string, entry: string, env: NodeJS.ProcessEnv): StackProcess {
  const lines: string[] = [];
  const child = startProcess(name, process.execPath, ['--import', 'tsx', path.join(ROOT, entry)], {
    env,
    cwd: ROOT,
    ipc: true,
    output: (line) => {
      lines.push(line);
      if (lines.length > LOG_LINES_KEPT) lines.shift();
    },
  });
  return { ...child, recentOutput: () => [...lines] };
}

/** Resolves on the IPC `{type: 'ready'}` message that the worker sends once it polls. */
async function waitForReadyMessage(child: StackProcess, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.name} not ready after ${timeoutMs / 1000} s:\n${child.recentOutput().join('\n')}`)), timeoutMs);
    child.child.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    void child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${child.name} exited with code ${code} before it was ready:\n${child.recentOutput().join('\n')}`));
    });
  });
}

/** kill -9 of the process and its group: no shutdown hook, no goodbye to Temporal. */
export async function killHard(child: ManagedProcess): Promise<void> {
  if (child.child.pid !== undefined && child.isAlive()) {
    try {
      process.kill(-child.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await child.exited;
}

export interface ProcessStackOptions {
  /** The Temporal server; the run's shared one (global setup) by default. */
  temporalAddress?: string;
  /** Simulated time speed of sim-cloud; replication of 10 GB at 1 Gbit/s takes 80 / speedup seconds. */
  speedup?: number;
}

export interface TokenClaims {
  sub?: string;
  roles: UserRole[];
  customerId?: string;
  approverRoles?: ApproverRole[];
}

/** sim-cloud, one worker (more on demand) and the API as real processes on loopback, on a task queue of their own. */
export interface ProcessStack {
  apiUrl: string;
  simCloudUrl: string;
  taskQueue: string;
  client: Client;
  admin: SimCloudAdminClient;
  simCloud: StackProcess;
  api: StackProcess;
  workers: StackProcess[];
  /** Starts one more worker process and waits until it polls. */
  startWorker(): Promise<StackProcess>;
  token(claims: TokenClaims): Promise<string>;
  /** Polls the run's status query until `predicate` holds; the error names the last status and the processes' last lines. */
  waitForRun(workflowId: string, predicate: (status: MigrationStatus) => boolean, timeoutMs?: number): Promise<MigrationStatus>;
  /** Stops every process the stack started (SIGTERM, then SIGKILL), also those already killed. */
  stop(): Promise<void>;
}

/** Starts the stack; on any failure, stops whatever had started before rethrowing. */
export async function startProcessStack(options: ProcessStackOptions = {}): Promise<ProcessStack> {
  const temporalAddress = options.temporalAddress ?? process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) throw new Error('TEMPORAL_ADDRESS is not set: run reliability tests through jest (global setup starts a server).');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-reliability-'));
  const secret = randomBytes(32).toString('hex');
  // One key for every process and the test's client: each must read what the others encrypt.
  const codecKeys = generateCodecKey('reliability');
  const taskQueue = `reliability-${randomUUID()}`;
  const [simCloudPort, armPort, apiPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
  const simCloudUrl = `http://127.0.0.1:${simCloudPort}`;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  // Global setup bundles the workflows once per test run; every worker process loads that bundle, as a production worker would.
  const bundle = process.env.PASSERELLE_TEST_WORKFLOW_BUNDLE;
  if (!bundle) throw new Error('PASSERELLE_TEST_WORKFLOW_BUNDLE is not set: run reliability tests through jest (global setup bundles the workflows).');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    SIM_CLOUD_LOG_LEVEL: 'warn',
    PASSERELLE_DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SIM_CLOUD_URL: simCloudUrl,
    // sim-cloud's ARM endpoint, which the worker provisions through (its certificate lands in PASSERELLE_DATA_DIR).
    SIM_CLOUD_ARM_PORT: String(armPort),
    PROVIDER_ARM_POLL_INTERVAL: '50ms',
    PROVIDER_ARM_MAX_RETRIES: '1',
    AUTH_DEV_SECRET: secret,
    PASSERELLE_CODEC_KEYS: codecKeys,
    WORKER_METRICS_PORT: '0',
    WORKFLOW_BUNDLE_PATH: bundle,
    WORKER_SHUTDOWN_GRACE: '5s',
    WORKER_REPLICATION_POLL_INTERVAL: '100ms',
    ...FAST_RUN_TUNING_ENV,
  };
  const started: StackProcess[] = [];
  const workers: StackProcess[] = [];
  const connection = await Connection.connect({ address: temporalAddress, connectTimeout: TEST_CONNECT_TIMEOUT });
  const client = new Client({ connection, dataConverter: createDataConverter(new AesGcmPayloadCodec(parseCodecKeys(codecKeys))), interceptors: CLIENT_INTERCEPTORS });

  async function startWorker(): Promise<StackProcess> {
    const worker = startTypeScriptEntry(`worker-${workers.length + 1}`, 'worker/main.ts', env);
    started.push(worker);
    workers.push(worker);
    await waitForReadyMessage(worker, 90_000);
    return worker;
  }

  async function stop(): Promise<void> {
    await Promise.all([...started].reverse().map((child) => child.stop(5_000)));
    await connection.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  try {
    const simCloud = startTypeScriptEntry('sim-cloud', 'sim-cloud/main.ts', {
      ...env,
      SIM_CLOUD_PORT: String(simCloudPort),
      SIM_CLOUD_DATA: path.join(dataDir, 'sim-cloud.db'),
      SIM_CLOUD_SPEEDUP: String(options.speedup ?? 1_000),
      SIM_CLOUD_CREDENTIALS: 'QUALIFIED,hds',
    });
    started.push(simCloud);
    const api = startTypeScriptEntry('api', 'api/main.ts', { ...env, API_PORT: String(apiPort) });
    started.push(api);
    await Promise.all([
      waitUntil('sim-cloud', () => httpOk(`${simCloudUrl}/healthz`), 60_000, () => simCloud.isAlive()),
      waitUntil('API', () => httpOk(`${apiUrl}/healthz`), 60_000, () => api.isAlive()),
      startWorker(),
    ]);
    const everyProcess = () => started.map((child) => `--- ${child.name} (${child.isAlive() ? 'alive' : 'exited'})\n${child.recentOutput().join('\n')}`).join('\n');
    return {
      apiUrl,
      simCloudUrl,
      taskQueue,
      client,
      admin: createSimCloudAdminClient({ baseUrl: simCloudUrl }),
      simCloud,
      api,
      workers,
      startWorker,
      token: (claims) => issueDevToken(new TextEncoder().encode(secret), { sub: claims.sub ?? `${claims.roles[0]}-tester`, ...claims }),
      async waitForRun(workflowId, predicate, timeoutMs = 60_000) {
        let last: MigrationStatus | undefined;
        // No worker may be polling right now (a test killed it): a failed query is "not yet".
        return await waitFor(
          `${workflowId}: the awaited status`,
          async () => {
            last = await client.workflow.getHandle(workflowId).query(statusQuery);
            return predicate(last) ? last : undefined;
          },
          {
            timeoutMs,
            intervalMs: 200,
            retryErrors: true,
            lastSeen: () => `${JSON.stringify(last && { phase: last.phase, status: last.status, attention: last.attention, timeline: last.timeline.slice(-6) })}\n${everyProcess()}`,
          },
        );
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Registers the hooks of a reliability test file: one process stack for the file, handed to
 * `bind` once started and stopped at the end; with `resetBetweenTests`, sim-cloud is reset
 * before each test so that no test sees another's resources or faults.
 */
export function useProcessStack(options: ProcessStackOptions & { resetBetweenTests?: boolean }, bind: (stack: ProcessStack) => void): void {
  const { resetBetweenTests = false, ...stackOptions } = options;
  let started: ProcessStack | undefined;
  beforeAll(async () => {
    started = await startProcessStack(stackOptions);
    bind(started);
  }, 120_000);
  afterAll(async () => {
    await started?.stop();
  }, 60_000);
  if (resetBetweenTests) {
    beforeEach(async () => {
      await started?.admin.reset();
    });
  }
}
