import { Runtime } from '@temporalio/worker';
import { loadConfig } from '../config/env';
import { createLogger } from '../config/logger';
import { connectWorker } from '../config/temporal';
import { createPasserelleWorker, DEFAULT_WORKFLOW_BUNDLE } from './worker';

/**
 * The worker process. SIGINT and SIGTERM start a graceful shutdown: polling stops, running
 * activities see cancellation and get the grace time to finish, then the process exits.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('worker', config.env.LOG_LEVEL);
  Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const connection = await connectWorker(config);
  const bundle = config.env.WORKFLOW_BUNDLE_PATH ?? (config.nodeEnv === 'production' ? DEFAULT_WORKFLOW_BUNDLE : undefined);
  const started = Date.now();
  const worker = await createPasserelleWorker({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    simCloudUrl: config.simCloud.url,
    workflowBundlePath: bundle,
    notifyWebhookUrl: config.env.NOTIFY_WEBHOOK_URL,
    shutdownGraceTime: config.env.WORKER_SHUTDOWN_GRACE as '10s',
  });
  const running = worker.run();
  logger.info({ taskQueue: config.temporal.taskQueue, bundle: bundle ?? 'source', readyInMs: Date.now() - started }, 'worker polling');
  process.send?.({ type: 'ready' });
  await running;
  await connection.close();
  logger.info('worker stopped');
}

main().catch((error: unknown) => {
  process.stderr.write(`Worker failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
