import net from 'node:net';
import { type NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { createDataConverter, loadCodecKeyRing } from '../codec/data-converter';
import { AesGcmPayloadCodec } from '../codec/payload-codec';
import { loadConfig } from '../config/env';
import { expectedPeakMiB, MIN_CACHED_WORKFLOWS } from '../config/worker-cache';
import { createLogger } from '../config/logger';
import { connectWorker } from '../config/temporal';
import { createLandingZonesFromConfig } from './landing-zones';
import { startWorkerHealthServer } from './health';
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from './heap';
import { promoteToCurrent } from './versioning';
import { createVersionedWorker, DEFAULT_WORKFLOW_BUNDLE } from './worker';

/**
 * The worker process. SIGINT and SIGTERM start a graceful shutdown: polling stops, /readyz
 * answers 503, running activities see cancellation and get the grace time to finish, then the
 * process exits.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('worker', config.env.LOG_LEVEL);
  // WORKER_METRICS_HOST:WORKER_METRICS_PORT serves the probes and the SDK's own metrics (task
  // latencies, slots, polls), which its Prometheus exporter answers on an internal loopback port.
  const healthPort = config.env.WORKER_METRICS_PORT;
  const metricsAddress = healthPort === 0 ? undefined : `127.0.0.1:${await freeLoopbackPort()}`;
  Runtime.install({
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } } : {}),
  });
  // Liveness answers from the start; readiness once the worker runs (INITIALIZED until then).
  const made: { connection?: NativeConnection; worker?: Worker } = {};
  const health =
    healthPort === 0
      ? undefined
      : await startWorkerHealthServer(
          { state: () => made.worker?.getState() ?? 'INITIALIZED', connection: () => made.connection, metricsAddress },
          { host: config.env.WORKER_METRICS_HOST, port: healthPort },
        );
  const codec = new AesGcmPayloadCodec(await loadCodecKeyRing(config));
  const connection = await connectWorker(config);
  made.connection = connection;
  const bundle = config.env.WORKFLOW_BUNDLE_PATH ?? (config.nodeEnv === 'production' ? DEFAULT_WORKFLOW_BUNDLE : undefined);
  const { replicationPollMs, memoryBudgetMiB, versioning, ...workerTuning } = config.worker;
  // Before Worker.create starts the workflow thread, so that its isolate too collects its garbage early.
  limitHeapGrowth();
  const started = Date.now();
  const { worker, version } = await createVersionedWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    simCloudUrl: config.simCloud.url,
    landingZones: createLandingZonesFromConfig(config.provider),
    workflowBundlePath: bundle,
    notifyWebhookUrl: config.env.NOTIFY_WEBHOOK_URL,
    shutdownGraceTime: config.env.WORKER_SHUTDOWN_GRACE as '10s',
    replicationPollMs,
    tuning: workerTuning,
    dataConverter: createDataConverter(codec),
    ...(versioning ? { versioning: { deploymentName: versioning.deploymentName, ...(versioning.buildId ? { buildId: versioning.buildId } : {}) } } : {}),
  });
  made.worker = worker;
  const running = worker.run();
  // The new build takes over (new runs and every AUTO_UPGRADE run) once its workers poll.
  if (version && versioning?.promoteOnStart) {
    try {
      const promotion = await promoteToCurrent(connection.workflowService, version, { namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, identity: worker.options.identity });
      logger.info({ ...version, ...promotion }, 'worker deployment version');
    } catch (error) {
      worker.shutdown();
      await running.catch(() => undefined);
      throw error;
    }
  }
  logger.info(
    { taskQueue: config.temporal.taskQueue, deployment: version ? `${version.deploymentName}/${version.buildId}` : 'unversioned', armEndpoint: config.provider.endpoint, subscription: config.provider.subscriptionId, bundle: bundle ?? 'source', codecKey: codec.currentKeyId, memoryBudgetMiB, heapGrowingPercent: HEAP_GROWING_PERCENT, maxCachedWorkflows: workerTuning.maxCachedWorkflows, health: health?.address ?? 'off', readyInMs: Date.now() - started },
    'worker polling',
  );
  const { maxCachedWorkflows } = workerTuning;
  if (expectedPeakMiB(maxCachedWorkflows) > memoryBudgetMiB) {
    logger.warn({ memoryBudgetMiB, maxCachedWorkflows, expectedPeakMiB: expectedPeakMiB(maxCachedWorkflows) }, 'the worker cache needs more memory than WORKER_MEMORY_BUDGET: expect the worker to hold up to expectedPeakMiB');
  }
  if (maxCachedWorkflows < MIN_CACHED_WORKFLOWS) {
    logger.warn({ maxCachedWorkflows, minCachedWorkflows: MIN_CACHED_WORKFLOWS }, 'a worker cache smaller than the runs in flight can stall a run until the worker restarts (README, Operations)');
  }
  process.send?.({ type: 'ready' });
  await running;
  await health?.close();
  await connection.close();
  logger.info('worker stopped');
}

/** A free TCP port on the loopback interface, for the SDK's metrics exporter behind the health server. */
async function freeLoopbackPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

main().catch((error: unknown) => {
  process.stderr.write(`Worker failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
