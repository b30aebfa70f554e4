import { randomUUID } from 'node:crypto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { readWorkerReadiness, startWorkerHealthServer, type WorkerHealthServer } from '../../worker/health';
import { createLandingZonesForSimCloud } from '../../worker/landing-zones';
import { createPasserelleWorker } from '../../worker/worker';
import { startStack, type TestStack } from '../support/stack';

let stack: TestStack;
let connection: NativeConnection;

beforeAll(async () => {
  stack = await startStack();
  connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
});
afterAll(async () => {
  await connection.close();
  await stack.stop();
});

/** A Passerelle worker of its own task queue over the test server, not yet running. */
async function newWorker(): Promise<Worker> {
  return await createPasserelleWorker({
    connection,
    namespace: 'default',
    taskQueue: `health-${randomUUID()}`,
    simCloudUrl: stack.simCloud.url,
    landingZones: createLandingZonesForSimCloud(stack.simCloud),
    workflowBundlePath: process.env.PASSERELLE_TEST_WORKFLOW_BUNDLE,
    shutdownGraceTime: '1s',
  });
}

async function probe(server: WorkerHealthServer, path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://${server.address}${path}`);
  return { status: response.status, body: await response.json() };
}

describe("the worker's probes", () => {
  it('answer live from the start, ready only while the worker runs and reaches Temporal, and not ready from the moment it drains', async () => {
    const worker = await newWorker();
    const server = await startWorkerHealthServer({ state: () => worker.getState(), connection: () => connection }, { host: '127.0.0.1', port: 0 });
    try {
      expect(await probe(server, '/healthz')).toEqual({ status: 200, body: { status: 'ok', worker: 'INITIALIZED' } });
      expect(await probe(server, '/readyz')).toEqual({ status: 503, body: { status: 'not-ready', worker: 'INITIALIZED', temporal: 'reachable' } });

      const running = worker.run();
      expect(await probe(server, '/readyz')).toEqual({ status: 200, body: { status: 'ready', worker: 'RUNNING', temporal: 'reachable' } });

      // What SIGTERM does (Runtime's shutdown signals): the worker drains, and readiness says so at once.
      worker.shutdown();
      const draining = await probe(server, '/readyz');
      expect(draining.status).toBe(503);
      expect(draining.body).toMatchObject({ status: 'not-ready', temporal: 'reachable' });
      expect(['STOPPING', 'DRAINING', 'DRAINED', 'STOPPED']).toContain((draining.body as { worker: string }).worker);
      expect((await probe(server, '/healthz')).status).toBe(200);

      await running;
      expect(await probe(server, '/readyz')).toEqual({ status: 503, body: { status: 'not-ready', worker: 'STOPPED', temporal: 'reachable' } });
    } finally {
      await server.close();
    }
  });

  it('say not ready, naming Temporal, when the connection does not answer, and before there is one', async () => {
    const unreachable = {
      withDeadline: <T>(_deadline: number | Date, call: () => Promise<T>) => call(),
      workflowService: { getSystemInfo: () => Promise.reject(new Error('14 UNAVAILABLE: connection refused')) },
    } as unknown as NativeConnection;
    expect(await readWorkerReadiness({ state: () => 'RUNNING', connection: () => unreachable })).toEqual({ status: 'not-ready', worker: 'RUNNING', temporal: 'unreachable' });
    expect(await readWorkerReadiness({ state: () => 'INITIALIZED', connection: () => undefined })).toEqual({ status: 'not-ready', worker: 'INITIALIZED', temporal: 'unreachable' });
  });

  it('answer 404 naming the paths it serves, and /metrics only when an exporter is behind it', async () => {
    const server = await startWorkerHealthServer({ state: () => 'RUNNING', connection: () => connection }, { host: '127.0.0.1', port: 0 });
    try {
      expect(await probe(server, '/metrics')).toEqual({ status: 404, body: { status: 'not-found', paths: ['/healthz', '/readyz'] } });
    } finally {
      await server.close();
    }
  });
});
