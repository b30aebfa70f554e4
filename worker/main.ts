import { Runtime } from '@temporalio/worker';
import { createDataConverter, loadCodecKeyRing } from '../codec/data-converter';
import { AesGcmPayloadCodec } from '../codec/payload-codec';
import { loadConfig } from '../config/env';
import { createLogger } from '../config/logger';
import { connectWorker } from '../config/temporal';
import { createLandingZonesFromConfig } from './landing-zones';
import { createPasserelleWorker, DEFAULT_WORKFLOW_BUNDLE } from './worker';

/**
 * The worker process. SIGINT and SIGTERM start a graceful shutdown: polling stops, running
 * activities see cancellation and get the grace time to finish, then the process exits.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('worker', config.env.LOG_LEVEL);
  // The SDK's own metrics (task latencies, slots, polls) in Prometheus format, at WORKER_METRICS_HOST:WORKER_METRICS_PORT/metrics.
  const { bindAddress } = config.workerMetrics;
  Runtime.install({
    shutdownSignals: ['SIGINT', 'SIGTERM'],
    ...(bindAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress } } } } : {}),
  });
  const codec = new AesGcmPayloadCodec(await loadCodecKeyRing(config));
  const connection = await connectWorker(config);
  const bundle = config.env.WORKFLOW_BUNDLE_PATH ?? (config.nodeEnv === 'production' ? DEFAULT_WORKFLOW_BUNDLE : undefined);
  const { replicationPollMs, ...workerTuning } = config.worker;
  const started = Date.now();
  const worker = await createPasserelleWorker({
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
  });
  const running = worker.run();
  logger.info(
    { taskQueue: config.temporal.taskQueue, armEndpoint: config.provider.endpoint, subscription: config.provider.subscriptionId, bundle: bundle ?? 'source', codecKey: codec.currentKeyId, metrics: bindAddress ?? 'off', readyInMs: Date.now() - started },
    'worker polling',
  );
  process.send?.({ type: 'ready' });
  await running;
  await connection.close();
  logger.info('worker stopped');
}

main().catch((error: unknown) => {
  process.stderr.write(`Worker failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
