import { runOverview } from '../../domain';
import { decideApprovalUpdate, statusQuery } from '../../workflows/messages';
import { startMigrationRun } from '../../use-cases/start-migration-run';
import { approver, consultant, fixtureExpected, fixturePlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';
import { finalStatusOf } from '../support/statuses';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('a migration run', () => {
  it('takes the hospital group from classification through approvals, provisioning and cutover to COMPLETED', async () => {
    const plan = fixturePlan('hospital-group', { planId: unique('ght') });
    const { handle } = await startMigrationRun(stack.client, {
      plan,
      startedBy: consultant,
      taskQueue: stack.taskQueue,
      tuning: { stepMaxAttempts: 2, retryInitialInterval: '100ms', progressInterval: '200ms' },
    });
    const waiting = await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    const expected = fixtureExpected('hospital-group');
    expect(waiting.status).toBe('WAITING');
    expect(waiting.approvals.map((approval) => approval.id)).toEqual(expected.approvals);
    for (const workload of waiting.report!.workloads) {
      expect({ level: workload.level, hds: workload.hds }).toEqual({ level: expected.workloads[workload.id]!.level, hds: expected.workloads[workload.id]!.hds });
    }

    for (const approval of waiting.approvals) {
      await handle.executeUpdate(decideApprovalUpdate, {
        args: [{ approvalId: approval.id, decision: 'APPROVE', actor: approver(plan.customer.id, [approval.role]) }],
      });
    }
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.phase).toBe('DONE');
    expect(final.percentComplete).toBe(100);
    const cutover = final.steps.filter((step) => step.phase === 'CUTOVER');
    expect(cutover.length).toBe(9 * 6);
    expect(cutover.every((step) => step.state === 'SUCCEEDED')).toBe(true);
    expect(final.steps.some((step) => step.workloadId === 'gtc')).toBe(false);
    expect(final.audit.filter((entry) => entry.action === 'APPROVE').map((entry) => entry.actor).length).toBe(4);
    // The run's result is its overview, a few KiB whatever the estate.
    expect(await handle.result()).toEqual(runOverview(await handle.query(statusQuery)));
  });
});
