import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createDataConverter, loadCodecKeyRing } from '../../codec/data-converter';
import { AesGcmPayloadCodec } from '../../codec/payload-codec';
import { loadConfig } from '../../config/env';
import { baselineActivities } from './activities';

/**
 * The baseline's worker process: the same connection, payload codec and worker options
 * (WORKER_* variables) as Passerelle's worker, on its own task queue, running `baselineWorkflow`.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const { maxCachedWorkflows, maxConcurrentActivityTaskExecutions, maxConcurrentWorkflowTaskExecutions } = config.worker;
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: path.join(__dirname, 'workflows.ts'),
    activities: baselineActivities,
    // Payloads are encrypted as Passerelle's are, so that the comparison leaves the codec out.
    dataConverter: createDataConverter(new AesGcmPayloadCodec(await loadCodecKeyRing(config))),
    ...(maxCachedWorkflows !== undefined ? { maxCachedWorkflows } : {}),
    ...(maxConcurrentActivityTaskExecutions !== undefined ? { maxConcurrentActivityTaskExecutions } : {}),
    ...(maxConcurrentWorkflowTaskExecutions !== undefined ? { maxConcurrentWorkflowTaskExecutions } : {}),
  });
  const running = worker.run();
  process.send?.({ type: 'ready' });
  await running;
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`Baseline worker failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
