import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/worker';
import { createDataConverter } from '../../codec/data-converter';
import { buildIdOf, promoteToCurrent } from '../../worker/versioning';
import { smallPlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';
import { approveAll, startRun } from './support/runs';

const { VersioningBehavior } = temporal.api.enums.v1;

/**
 * A roll-out as ops do it (README, "Upgrades"): a run waits for its approvals on build N, the
 * workers of build N+1 start beside N's and their version becomes current, and the run goes
 * on and finishes on N+1, whose change (behind patched()) shows in the result.
 */
let stack: TestStack;
let nextBundle: string;
const deploymentName = `upgrade-test-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  const building = bundleWorkflowCode({
    ...WORKFLOW_BUNDLE_OPTIONS,
    workflowsPath: require.resolve('./support/next-release'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (message) => process.stderr.write(`${message}\n`) },
  });
  stack = await startStack({ versioning: { deploymentName } });
  nextBundle = path.join(os.tmpdir(), `passerelle-next-release-${process.pid}.js`);
  writeFileSync(nextBundle, (await building).code);
});

afterAll(async () => {
  await stack?.stop();
  if (nextBundle) rmSync(nextBundle, { force: true });
});

async function versioningOf(handle: WorkflowHandle) {
  const { raw } = await handle.describe();
  const info = raw.workflowExecutionInfo?.versioningInfo;
  return { buildId: info?.deploymentVersion?.buildId, behavior: info?.behavior };
}

describe('upgrading the workers while runs are in flight (Worker Versioning)', () => {
  it('names each build by its workflow code: the bundle of build N and the next release have build ids of their own', () => {
    const current = readFileSync(process.env.PASSERELLE_TEST_WORKFLOW_BUNDLE!, 'utf8');
    expect(stack.version).toEqual({ deploymentName, buildId: buildIdOf(current) });
    expect(buildIdOf(readFileSync(nextBundle, 'utf8'))).not.toBe(stack.version!.buildId);
    expect(buildIdOf(current)).toBe(buildIdOf(current));
  });

  it('moves a run waiting for its approvals on build N to build N+1 once N+1 is current, where it finishes with N+1 code', async () => {
    const plan = smallPlan(unique('upgrade'), { customerId: unique('mairie') });
    const handle = await startRun(stack, plan);
    await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    const buildN = stack.version!.buildId;
    expect(await versioningOf(handle)).toEqual({ buildId: buildN, behavior: VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE });

    // N+1 starts beside N (a rolling update) and makes itself current once it polls.
    const next = await stack.startWorker({ workflowBundlePath: nextBundle, versioning: { deploymentName } });
    const buildNext = next.version!.buildId;
    expect(next.promotion).toEqual({ outcome: 'PROMOTED', previous: buildN });

    // N's workers still poll; the run goes to the current version all the same.
    expect(stack.worker.getState()).toBe('RUNNING');
    await approveAll(stack, handle, plan);
    const final = (await handle.result()) as Awaited<ReturnType<typeof handle.result>> & { finishedBy?: string };
    expect(final.status).toBe('COMPLETED');
    expect(final.finishedBy).toBe('next-release');
    expect(await versioningOf(handle)).toEqual({ buildId: buildNext, behavior: VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE });

    // Every workflow task before the upgrade completed on N, every one after it on N+1.
    const history = await handle.fetchHistory();
    const builds = (history.events ?? []).flatMap((event) => {
      const completed = event.workflowTaskCompletedEventAttributes;
      return completed ? [completed.deploymentVersion?.buildId] : [];
    });
    expect(builds[0]).toBe(buildN);
    expect(builds.at(-1)).toBe(buildNext);
    const firstNext = builds.indexOf(buildNext);
    expect(builds.slice(0, firstNext).every((build) => build === buildN)).toBe(true);
    expect(builds.slice(firstNext).every((build) => build === buildNext)).toBe(true);

    // The history written by both builds replays on N+1's code.
    await Worker.runReplayHistory({ workflowBundle: { codePath: nextBundle }, dataConverter: createDataConverter(stack.codec) }, history, handle.workflowId);
  });

  it('keeps the newer version current when a worker of the older build restarts during the roll-out', async () => {
    // The stack's first worker is build N; N+1 became current in the test above.
    // It promotes itself at start as every worker does (its pollers are the stack's worker's).
    const promotion = await promoteToCurrent(stack.client.workflowService, stack.version!, { namespace: 'default', taskQueue: stack.taskQueue, identity: 'restarted-worker' });
    expect(promotion).toEqual({ outcome: 'NEWER_IS_CURRENT', current: buildIdOf(readFileSync(nextBundle, 'utf8')) });
    // A deliberate roll-back (force, as `temporal worker deployment set-current-version` does) sets it.
    const rollBack = await promoteToCurrent(stack.client.workflowService, stack.version!, { namespace: 'default', taskQueue: stack.taskQueue, identity: 'ops', force: true });
    expect(rollBack).toEqual({ outcome: 'PROMOTED', previous: buildIdOf(readFileSync(nextBundle, 'utf8')) });
  });
});

describe('the first release with Worker Versioning', () => {
  let unversioned: TestStack | undefined;
  afterAll(async () => {
    await unversioned?.stop();
  });

  it('moves a run started by an unversioned worker to the first versioned build once that build is current', async () => {
    unversioned = await startStack();
    expect(unversioned.version).toBeUndefined();
    const plan = smallPlan(unique('first-versioned'), { customerId: unique('mairie') });
    const handle = await startRun(unversioned, plan);
    await unversioned.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    expect((await versioningOf(handle)).buildId).toBeUndefined();

    const versioned = await unversioned.startWorker({ workflowBundlePath: nextBundle, versioning: { deploymentName: `${deploymentName}-first` } });
    expect(versioned.promotion).toEqual({ outcome: 'PROMOTED' });
    await approveAll(unversioned, handle, plan);
    const final = (await handle.result()) as Awaited<ReturnType<typeof handle.result>> & { finishedBy?: string };
    expect(final.status).toBe('COMPLETED');
    expect(final.finishedBy).toBe('next-release');
    expect(await versioningOf(handle)).toEqual({ buildId: versioned.version!.buildId, behavior: VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE });
  });
});
