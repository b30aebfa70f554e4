/**
 * Worker Versioning: every worker polls as one version of the `passerelle` worker deployment,
 * named by a build id derived from the workflow code it runs, and a version becomes current
 * (receives new runs and every AUTO_UPGRADE run) once its workers poll. README, "Upgrades".
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowService } from '@temporalio/client';
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { projectRoot } from '../config/paths';

export interface WorkerVersion {
  deploymentName: string;
  buildId: string;
}

/**
 * The build id of a workflow bundle: the package's version and the first 12 hex digits of the
 * bundle's SHA-256, e.g. `0_1_0-3f9a1c0d2b7e`. Two builds of the same workflow code share it;
 * any change to the code (or to what it imports) gives a new one.
 */
export function buildIdOf(bundleCode: string, version: string = packageVersion()): string {
  const digest = createHash('sha256').update(bundleCode).digest('hex').slice(0, 12);
  return `${version.replace(/[^A-Za-z0-9_-]/g, '_')}-${digest}`;
}

/** Passerelle's version, from its package.json. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The worker's deployment options: versioned, every workflow type AUTO_UPGRADE (README,
 * "Upgrades"): a run moves to the current version at its next workflow task, and a change that
 * alters what running workflows do goes behind patched(). PINNED would hold each run on the
 * build that started it, which only works while that build's workers stay up; Passerelle runs
 * one build at a time (npm start, compose, one Kubernetes Deployment rolled in place), so a
 * pinned run would stop at the first upgrade. The migration lives for months, a wave waits for
 * its window and its replication for days, a draft as long as it is edited, and a clean-up is
 * started around the very release that fixes what it cleans up.
 *
 * The behaviour is the worker's default rather than each type's `setWorkflowOptions`: the server
 * refuses the workflow tasks of a type annotated in code from an unversioned worker
 * ("versioning behavior cannot be specified without deployment options"), which
 * WORKER_VERSIONING=false and the tests' unversioned stacks run.
 */
export function deploymentOptionsOf(version: WorkerVersion): WorkerDeploymentOptions {
  return { version, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}

export type PromotionOutcome =
  | { outcome: 'PROMOTED'; previous?: string }
  | { outcome: 'ALREADY_CURRENT' }
  /** A version registered after this one is current: this worker is an old one (restarted during a roll-out) and leaves it be. */
  | { outcome: 'NEWER_IS_CURRENT'; current: string };

export interface PromoteOptions {
  namespace: string;
  taskQueue: string;
  /** Recorded by the server as the change's author. */
  identity: string;
  /** How long to wait for the server to see this version's pollers on the task queue. */
  timeoutMs?: number;
  /** Sets the version current even when a newer one is (an explicit roll-back). */
  force?: boolean;
}

/**
 * Makes `version` the deployment's current version once the server has seen its workers poll
 * `taskQueue`, unless it is current already or a version registered after it is current (a
 * worker of the previous build that restarts during a roll-out must not roll it back; `force`
 * does that on purpose).
 */
export async function promoteToCurrent(service: WorkflowService, version: WorkerVersion, options: PromoteOptions): Promise<PromotionOutcome> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const { namespace } = options;
  const late = (what: string) => new Error(`worker deployment version ${version.deploymentName}/${version.buildId}: ${what} within ${timeoutMs} ms`);
  while (!(await versionPollsTaskQueue(service, namespace, version, options.taskQueue))) {
    if (Date.now() > deadline) throw late(`no workflow and activity pollers of task queue ${options.taskQueue} registered`);
    await pause();
  }
  for (;;) {
    const described = await service.describeWorkerDeployment({ namespace, deploymentName: version.deploymentName });
    const info = described.workerDeploymentInfo;
    const current = info?.routingConfig?.currentDeploymentVersion;
    if (current?.buildId === version.buildId) return { outcome: 'ALREADY_CURRENT' };
    if (current?.buildId && !options.force) {
      const created = (buildId: string) => {
        const summary = info?.versionSummaries?.find((candidate) => candidate.deploymentVersion?.buildId === buildId);
        return summary?.createTime ? Number(summary.createTime.seconds ?? 0) * 1000 + Math.floor((summary.createTime.nanos ?? 0) / 1e6) : 0;
      };
      if (created(current.buildId) > created(version.buildId)) return { outcome: 'NEWER_IS_CURRENT', current: current.buildId };
    }
    try {
      await service.setWorkerDeploymentCurrentVersion({
        namespace,
        deploymentName: version.deploymentName,
        buildId: version.buildId,
        identity: options.identity,
        conflictToken: described.conflictToken,
      });
      return { outcome: 'PROMOTED', ...(current?.buildId ? { previous: current.buildId } : {}) };
    } catch (error) {
      // FAILED_PRECONDITION while the server has not yet seen every task queue of the current
      // version polled by this one; ABORTED when another worker changed the routing meanwhile.
      const code = (error as { code?: number }).code;
      if ((code !== 9 && code !== 10) || Date.now() > deadline) throw error;
      await pause();
    }
  }
}

/** The task queue types a Passerelle worker polls (TaskQueueType WORKFLOW and ACTIVITY). */
const POLLED_TYPES = [1, 2];

/** Whether the server has registered the version's workflow and activity pollers of `taskQueue`. */
async function versionPollsTaskQueue(service: WorkflowService, namespace: string, version: WorkerVersion, taskQueue: string): Promise<boolean> {
  try {
    const described = await service.describeWorkerDeploymentVersion({ namespace, deploymentVersion: version });
    const polled = (described.workerDeploymentVersionInfo?.taskQueueInfos ?? []).filter((queue) => queue.name === taskQueue).map((queue) => Number(queue.type));
    return POLLED_TYPES.every((type) => polled.includes(type));
  } catch (error) {
    // NOT_FOUND until the version's first poll registers it.
    if ((error as { code?: number }).code === 5) return false;
    throw error;
  }
}

async function pause(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 200));
}
