import { existsSync } from 'node:fs';
import path from 'node:path';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createHttpCloudProvider } from '../activities/provider';

export interface PasserelleWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  simCloudUrl: string;
  /** A prebuilt bundle (`npm run build`); without one the workflows are bundled from source. */
  workflowBundlePath?: string;
  notifyWebhookUrl?: string;
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /** Identity shown in Temporal's UI and histories. */
  identity?: string;
  replicationPollMs?: number;
}

/** Where `npm run build` writes the workflow bundle. */
export const DEFAULT_WORKFLOW_BUNDLE = path.resolve(__dirname, '..', 'dist', 'workflow-bundle.js');

/** Creates the worker that runs every workflow and activity of Passerelle on one task queue. */
export async function createPasserelleWorker(options: PasserelleWorkerOptions): Promise<Worker> {
  const provider = createHttpCloudProvider({ baseUrl: options.simCloudUrl, timeoutMs: 30_000 });
  const bundle = options.workflowBundlePath;
  if (bundle && !existsSync(bundle)) {
    throw new Error(`WORKFLOW_BUNDLE_PATH=${bundle} does not exist: run \`npm run build\` first.`);
  }
  return await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.identity ? { identity: options.identity } : {}),
    ...(bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({ provider, notifyWebhookUrl: options.notifyWebhookUrl, replicationPollMs: options.replicationPollMs }),
    shutdownGraceTime: options.shutdownGraceTime ?? '10s',
  });
}
