import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NativeConnection, State as WorkerState } from '@temporalio/worker';

/** What the health endpoints read: the worker's state and its connection to Temporal. */
export interface WorkerHealthSources {
  /** The worker's state (`Worker.getState()`): ready only while RUNNING. */
  state(): WorkerState;
  /** The worker's connection once made; readiness asks Temporal's frontend for its system info through it. */
  connection(): Pick<NativeConnection, 'workflowService' | 'withDeadline'> | undefined;
  /** Where the SDK's Prometheus exporter listens (an internal loopback address), proxied at /metrics; none when metrics are off. */
  metricsAddress?: string;
  /** How long readiness waits for Temporal's answer; 2 s unless set. */
  temporalTimeoutMs?: number;
}

/** The worker's health server, listening. */
export interface WorkerHealthServer {
  /** host:port it listens on (port 0 picks a free one). */
  readonly address: string;
  close(): Promise<void>;
}

/** A readiness answer: why the worker may take tasks, or why not. */
export interface WorkerReadiness {
  status: 'ready' | 'not-ready';
  worker: WorkerState;
  temporal: 'reachable' | 'unreachable';
}

/**
 * Reads readiness: the worker is RUNNING (not yet polling, draining after SIGTERM, stopped or
 * failed are all "not ready") and Temporal's frontend answers through the worker's connection.
 */
export async function readWorkerReadiness(sources: WorkerHealthSources): Promise<WorkerReadiness> {
  const worker = sources.state();
  const connection = sources.connection();
  let temporal: WorkerReadiness['temporal'] = 'unreachable';
  if (connection) {
    try {
      const deadline = Date.now() + (sources.temporalTimeoutMs ?? 2_000);
      await connection.withDeadline(deadline, () => connection.workflowService.getSystemInfo({}));
      temporal = 'reachable';
    } catch {
      // Named in the answer: an operator reads `temporal: unreachable`.
    }
  }
  return { status: worker === 'RUNNING' && temporal === 'reachable' ? 'ready' : 'not-ready', worker, temporal };
}

/**
 * Serves the worker's probes and metrics on one port (WORKER_METRICS_PORT): /healthz answers
 * while the event loop turns (liveness), /readyz 200 only while the worker runs and reaches
 * Temporal, 503 otherwise (so a draining worker leaves its Service at once), and /metrics
 * passes the SDK's Prometheus exporter through.
 */
export async function startWorkerHealthServer(sources: WorkerHealthSources, listen: { host: string; port: number }): Promise<WorkerHealthServer> {
  const server: Server = createServer((request, response) => {
    void answer(sources, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    address: `${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(sources: WorkerHealthSources, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://worker').pathname;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendJson(response, 405, { status: 'method-not-allowed' }, { allow: 'GET, HEAD' });
    return;
  }
  if (path === '/healthz') {
    sendJson(response, 200, { status: 'ok', worker: sources.state() });
    return;
  }
  if (path === '/readyz') {
    const readiness = await readWorkerReadiness(sources);
    sendJson(response, readiness.status === 'ready' ? 200 : 503, readiness);
    return;
  }
  if (path === '/metrics' && sources.metricsAddress) {
    try {
      const upstream = await fetch(`http://${sources.metricsAddress}/metrics`, { signal: AbortSignal.timeout(5_000) });
      response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/plain; version=0.0.4' });
      response.end(await upstream.text());
    } catch (error) {
      sendJson(response, 503, { status: 'metrics-unavailable', detail: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  sendJson(response, 404, { status: 'not-found', paths: ['/healthz', '/readyz', ...(sources.metricsAddress ? ['/metrics'] : [])] });
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}
