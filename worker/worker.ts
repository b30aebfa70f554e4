import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { type BundleOptions, bundleWorkflowCode, type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createHttpCloudProvider } from '../activities/provider';
import { createBatchActivities } from './batch-activities';
import { FAILURE_CONVERTER_PATH } from '../codec/data-converter';
import { CLIENT_INTERCEPTORS } from '../config/temporal';
import type { LandingZoneProvider } from '../provider';
import { buildIdOf, deploymentOptionsOf, type WorkerVersion } from './versioning';

export interface PasserelleWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The migration service (replication, cutover, qualifications): sim-cloud's provider API. */
  simCloudUrl: string;
  /** The landing zones' control plane: the ARM adapter (worker/landing-zones.ts builds it from configuration). */
  landingZones: LandingZoneProvider;
  /** A prebuilt bundle (`npm run build`); without one the workflows are bundled from source. */
  workflowBundlePath?: string;
  notifyWebhookUrl?: string;
  shutdownGraceTime?: WorkerOptions['shutdownGraceTime'];
  /** Identity shown in Temporal's UI and histories. */
  identity?: string;
  replicationPollMs?: number;
  /** Payload encryption (codec/data-converter.ts); the API's client must use the same keys. */
  dataConverter?: DataConverter;
  /** Sticky cache size and concurrency slots (WORKER_* variables); undefined keeps the SDK's defaults. */
  tuning?: Pick<WorkerOptions, 'maxCachedWorkflows' | 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions'>;
  /**
   * Worker Versioning (worker/versioning.ts): the deployment this worker polls as a version of,
   * and its build id (by default derived from the workflow bundle's content). Absent: an
   * unversioned worker.
   */
  versioning?: { deploymentName: string; buildId?: string };
}

/** A worker and the deployment version it polls as (absent when unversioned). */
export interface PasserelleWorker {
  worker: Worker;
  version?: WorkerVersion;
}

/** The project's root, whether this file runs from the sources (tsx) or compiled into dist/worker. */
const PROJECT_ROOT = path.resolve(__dirname, ...(path.extname(__filename) === '.js' ? ['..', '..'] : ['..']));

/** Where `npm run build` writes the workflow bundle. */
export const DEFAULT_WORKFLOW_BUNDLE = path.join(PROJECT_ROOT, 'dist', 'workflow-bundle.js');

/**
 * What every workflow bundle is built from (`npm run build`, the tests' global setup): the
 * workflows and the failure converter that moves failure messages into encrypted payloads.
 */
export const WORKFLOW_BUNDLE_OPTIONS: Pick<BundleOptions, 'workflowsPath' | 'failureConverterPath'> = {
  workflowsPath: require.resolve('../workflows'),
  failureConverterPath: FAILURE_CONVERTER_PATH,
};

/** Creates the worker that runs every workflow and activity of Passerelle on one task queue. */
export async function createPasserelleWorker(options: PasserelleWorkerOptions): Promise<Worker> {
  return (await createVersionedWorker(options)).worker;
}

/**
 * Creates the worker and says which deployment version it polls as. A versioned worker needs
 * the workflow code in hand to name its build: it reads the prebuilt bundle, or bundles the
 * sources itself (as the SDK would) and hashes the result.
 */
export async function createVersionedWorker(options: PasserelleWorkerOptions): Promise<PasserelleWorker> {
  const provider = createHttpCloudProvider({ baseUrl: options.simCloudUrl, timeoutMs: 30_000 });
  const bundle = options.workflowBundlePath;
  if (bundle && !existsSync(bundle)) {
    throw new Error(`WORKFLOW_BUNDLE_PATH=${bundle} does not exist: run \`npm run build\` first.`);
  }
  let workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = bundle ? { workflowBundle: { codePath: bundle } } : { workflowsPath: require.resolve('../workflows') };
  let version: WorkerVersion | undefined;
  if (options.versioning) {
    let buildId = options.versioning.buildId;
    if (!buildId) {
      const code = bundle ? readFileSync(bundle, 'utf8') : (await bundleWorkflowCode(WORKFLOW_BUNDLE_OPTIONS)).code;
      if (!bundle) workflows = { workflowBundle: { code } };
      buildId = buildIdOf(code);
    }
    version = { deploymentName: options.versioning.deploymentName, buildId };
  }
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.identity ? { identity: options.identity } : {}),
    ...workflows,
    ...(version ? { workerDeploymentOptions: deploymentOptionsOf(version) } : {}),
    activities: {
      ...createActivities({ provider, landingZones: options.landingZones, notifyWebhookUrl: options.notifyWebhookUrl, replicationPollMs: options.replicationPollMs }),
      // Fleet operations send the runs' Updates through a client over the worker's own connection and codec.
      ...createBatchActivities({ client: new Client({ connection: options.connection, namespace: options.namespace, interceptors: CLIENT_INTERCEPTORS, ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}) }) }),
    },
    shutdownGraceTime: options.shutdownGraceTime ?? '10s',
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    ...definedOnly(options.tuning ?? {}),
  });
  return { worker, ...(version ? { version } : {}) };
}

/** Drops undefined options, which the SDK would otherwise take for explicit values. */
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
