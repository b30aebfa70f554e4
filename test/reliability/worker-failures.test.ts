import { waitUntil } from '../../scripts/lib/processes';
import { killHard, type ProcessStack, useProcessStack } from './support/process-stack';
import { activityExecutions, decideRssiApproval, freshPlanId, expectedResourceCounts, resourceCounts, standardPlan, startRunThroughApi } from './support/runs';

const CUSTOMER = 'worker-failures';
let stack: ProcessStack;
let runCount = 0;

useProcessStack({ speedup: 1_000, resetBetweenTests: true }, (started) => {
  stack = started;
});

/** Starts and approves a run; the customer id is fresh so that each test counts its own resources. */
async function approvedRun(options: { workloads: number; sizeGb?: number }): Promise<string> {
  runCount += 1;
  const customerId = `${CUSTOMER}-${runCount}`;
  const id = await startRunThroughApi(stack, standardPlan({ planId: freshPlanId(customerId), customerId, workloads: options.workloads, sizeGb: options.sizeGb }));
  await stack.waitForRun(id, (status) => status.phase === 'AWAITING_APPROVAL');
  await decideRssiApproval(stack, id, customerId);
  return id;
}

/** Waits until sim-cloud has spent every armed fault, that is until the faulty call is in flight. */
async function waitForFaultsSpent(): Promise<void> {
  await waitUntil('the armed fault to be reached', async () => (await stack.admin.listFaults()).length === 0, 60_000);
}

function liveWorkers() {
  return stack.workers.filter((worker) => worker.isAlive());
}

describe('a worker that dies', () => {
  it('is replaced by a new worker that completes the run, without creating any resource twice, after a kill -9 in the middle of a provider call', async () => {
    await stack.admin.armFault({ operation: 'arm.vaults.put', mode: 'latency', latencyMs: 2_500 });
    const id = await approvedRun({ workloads: 2 });
    await waitForFaultsSpent();
    const [worker] = liveWorkers();
    await killHard(worker!);

    await stack.startWorker();
    const final = await stack.waitForRun(id, (status) => status.status === 'COMPLETED', 90_000);

    expect(final.phase).toBe('DONE');
    // The killed attempt's call still created the vault; the retry got the same vault back by its deterministic name.
    expect(await activityExecutions(stack, id, 'createKeyVault')).toEqual([{ attempt: 2, outcome: 'completed' }]);
    expect(await resourceCounts(stack.admin)).toEqual(expectedResourceCounts(1, 2));
  }, 120_000);

  it('leaves its replications to the other worker, which finishes every run, when one of two workers is killed', async () => {
    // 500 GB at 1 Gbit/s is 4,000 simulated seconds: 4 s at this speed-up, long enough to kill a worker during it.
    const ids = await Promise.all([1, 2, 3].map(() => approvedRun({ workloads: 2, sizeGb: 500 })));
    const replicating = (status: { steps: { id: string; state: string }[] }) =>
      status.steps.some((step) => step.id.endsWith('.replicate') && step.state === 'RUNNING');
    await Promise.all(ids.map((id) => stack.waitForRun(id, replicating)));
    const [doomed] = liveWorkers();
    await stack.startWorker();
    await killHard(doomed!);

    const finals = await Promise.all(ids.map((id) => stack.waitForRun(id, (status) => status.status === 'COMPLETED', 120_000)));

    expect(finals.map((status) => status.phase)).toEqual(['DONE', 'DONE', 'DONE']);
    expect(liveWorkers()).toHaveLength(1);
    expect(await resourceCounts(stack.admin)).toEqual(expectedResourceCounts(3, 2));
  }, 150_000);

  it('finishes the activity it is running when it receives SIGTERM, exits with status 0, and a new worker carries the run on', async () => {
    await stack.admin.armFault({ operation: 'arm.vaults.put', mode: 'latency', latencyMs: 1_500 });
    const id = await approvedRun({ workloads: 1 });
    await waitForFaultsSpent();
    const [worker] = liveWorkers();

    await worker!.stop(15_000);

    expect(await worker!.exited).toBe(0);
    // Completed by the stopping worker on its first attempt: the grace time let it finish.
    expect(await activityExecutions(stack, id, 'createKeyVault')).toEqual([{ attempt: 1, outcome: 'completed' }]);
    await stack.startWorker();
    await stack.waitForRun(id, (status) => status.status === 'COMPLETED', 60_000);
    expect(await resourceCounts(stack.admin)).toEqual(expectedResourceCounts(1, 1));
  }, 120_000);
});

describe('the API and sim-cloud processes', () => {
  it('stop cleanly with status 0 on SIGTERM', async () => {
    await Promise.all([stack.api.stop(10_000), stack.simCloud.stop(10_000)]);

    expect(await stack.api.exited).toBe(0);
    expect(await stack.simCloud.exited).toBe(0);
  }, 30_000);
});
