import { readLiveProgress } from '../../use-cases/live-progress';
import { buildMigrationReport } from '../../use-cases/migration-report';
import { cancelUpdate, retryStepUpdate, skipStepUpdate, statusQuery } from '../../workflows/messages';
import type { MigrationStatus } from '../../domain';
import { ops, smallPlan, unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { approveAll, type MigrationHandle, resourceCountsOf, type SimCloudForTests, startRun, useWorkflowStack } from './support/runs';
import { waitFor } from '../support/wait';
import { finalStatusOf } from '../support/statuses';

let stack: TestStack;
let simCloud: SimCloudForTests;
useWorkflowStack((started, admin) => {
  stack = started;
  simCloud = admin;
});

/** Starts the small plan (wave-1 moves `db`, wave-2 moves `web`) with a fault armed, and waits for the step it breaks. */
async function runUntilStuck(operation: string, stepId: string): Promise<{ handle: MigrationHandle; stuck: MigrationStatus; tenantId: string }> {
  const plan = smallPlan(unique(operation.toLowerCase()), { customerId: unique('mairie') });
  await simCloud.armFault({ operation, mode: 'error', times: 2 });
  const handle = await startRun(stack, plan);
  await approveAll(stack, handle, plan);
  const stuck = await stack.waitForStatus(handle, (status) => status.attention.some((item) => item.stepId === stepId));
  return { handle, stuck, tenantId: stuck.resources['provisioning.tenant']! };
}

const stateOf = (status: MigrationStatus, stepId: string) => status.steps.find((step) => step.id === stepId)?.state;

describe('cutover', () => {
  it('leaves the source live with traffic on it when switching traffic fails, waits on that step, and completes after a retry', async () => {
    const { handle, stuck, tenantId } = await runUntilStuck('switchTraffic', 'cutover.wave-1.db.switch');
    expect(stuck.status).toBe('NEEDS_ATTENTION');
    expect(stuck.phase).toBe('CUTOVER');
    expect(stuck.attention).toEqual([expect.objectContaining({ stepId: 'cutover.wave-1.db.switch', reason: 'STEP_FAILED', message: expect.stringContaining('Switch traffic failed') as unknown })]);
    expect(stuck.steps.find((step) => step.id === 'cutover.wave-1.db.switch')?.error).toMatchObject({ type: 'ProviderUnavailableError', attempts: 2 });
    expect(stateOf(stuck, 'cutover.wave-1.db.freeze')).toBe('COMPENSATED');
    const workload = await simCloud.workload(tenantId, 'db');
    expect(workload.source.state).toBe('LIVE');
    expect(workload.dnsRecord?.target ?? 'source').toBe('source');

    await handle.executeUpdate(retryStepUpdate, { args: [{ stepId: 'cutover.wave-1.db.switch', actor: ops }] });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.steps.filter((step) => step.phase === 'CUTOVER').every((step) => step.state === 'SUCCEEDED')).toBe(true);
    expect((await simCloud.workload(tenantId, 'db')).dnsRecord?.target).toBe('cloud');
    expect((await simCloud.workload(tenantId, 'db')).source.state).toBe('FROZEN');
  });

  it('switches traffic back to the live source when the smoke test fails, and completes after a retry', async () => {
    const { handle, stuck, tenantId } = await runUntilStuck('smokeTest', 'cutover.wave-1.db.smoke-test');
    expect(['freeze', 'switch', 'smoke-test'].map((name) => stateOf(stuck, `cutover.wave-1.db.${name}`))).toEqual(['COMPENSATED', 'COMPENSATED', 'FAILED']);
    const workload = await simCloud.workload(tenantId, 'db');
    expect([workload.source.state, workload.dnsRecord?.target]).toEqual(['LIVE', 'source']);
    expect(stateOf(stuck, 'cutover.wave-2.web.replicate')).toBeUndefined();

    await handle.executeUpdate(retryStepUpdate, { args: [{ stepId: 'cutover.wave-1.db.smoke-test', actor: ops }] });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(stateOf(final, 'cutover.wave-1.db.switch')).toBe('SUCCEEDED');
    expect((await simCloud.workload(tenantId, 'db')).dnsRecord?.target).toBe('cloud');
  });

  it('keeps a skipped workload on its live source while the run completes without it', async () => {
    const { handle, tenantId } = await runUntilStuck('smokeTest', 'cutover.wave-1.db.smoke-test');
    await handle.executeUpdate(skipStepUpdate, { args: [{ stepId: 'cutover.wave-1.db.smoke-test', actor: ops, reason: 'the database moves next quarter' }] });

    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(stateOf(final, 'cutover.wave-1.db.smoke-test')).toBe('SKIPPED');
    expect(final.steps.find((step) => step.id === 'cutover.wave-1.db.smoke-test')?.skippedReason).toBe('the database moves next quarter');
    expect(final.steps.filter((step) => step.workloadId === 'web').every((step) => step.state === 'SUCCEEDED')).toBe(true);
    const db = await simCloud.workload(tenantId, 'db');
    expect([db.source.state, db.dnsRecord?.target]).toEqual(['LIVE', 'source']);
    expect((await simCloud.workload(tenantId, 'web')).dnsRecord?.target).toBe('cloud');
    expect(buildMigrationReport(final).steps.skipped.map((step) => step.id)).toEqual(['cutover.wave-1.db.smoke-test']);
    expect(final.timeline.some((entry) => entry.kind === 'WAVE_DONE' && entry.message === 'wave-1: 0 migrated, 1 skipped')).toBe(true);
  });

  it('moves every workload back and deletes what was provisioned when the run is aborted during a later wave', async () => {
    // Faults are spent oldest first: wave-1's validation spends the harmless one, wave-2's the failing one.
    await simCloud.armFault({ operation: 'validateWorkload', mode: 'latency', latencyMs: 1, times: 1 });
    const { handle, tenantId } = await runUntilStuck('validateWorkload', 'cutover.wave-2.web.validate');
    expect((await simCloud.workload(tenantId, 'db')).dnsRecord?.target).toBe('cloud');

    await handle.executeUpdate(cancelUpdate, { args: [{ actor: ops, reason: 'the customer stops the project' }] });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('CANCELLED');
    expect(['freeze', 'switch'].map((name) => stateOf(final, `cutover.wave-1.db.${name}`))).toEqual(['COMPENSATED', 'COMPENSATED']);
    expect(stateOf(final, 'provisioning.tenant')).toBe('COMPENSATED');
    expect(final.timeline.filter((entry) => entry.kind === 'COMPENSATION_FAILED')).toEqual([]);
    expect(await resourceCountsOf(simCloud, tenantId)).toEqual({});
  });

  it('shows the live progress of a running replication, which only the wave heartbeats', async () => {
    // 20 GB at 1000 Mb/s is 160 simulated seconds: about 5 real seconds at this speed.
    await simCloud.writeSettings({ replicationSpeedFactor: 0.00003 });
    const plan = smallPlan(unique('progress'), { customerId: unique('mairie') });
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);
    const replicating = await stack.waitForStatus(handle, (status) => stateOf(status, 'cutover.wave-1.db.replicate') === 'RUNNING');
    expect(replicating.steps.find((step) => step.id === 'cutover.wave-1.db.replicate')?.progress).toBeUndefined();

    let latest = replicating;
    const live = await waitFor(
      'the replication to report progress',
      async () => {
        const read = await readLiveProgress(stack.client, latest);
        if ((read.steps.find((step) => step.id === 'cutover.wave-1.db.replicate')?.progress ?? 0) > 0) return read;
        latest = await handle.query(statusQuery);
        return undefined;
      },
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    const step = live.steps.find((candidate) => candidate.id === 'cutover.wave-1.db.replicate')!;
    expect(step.state).toBe('RUNNING');
    expect(step.progress).toBeGreaterThan(0);
    expect(step.progress).toBeLessThan(1);
    expect(live.percentComplete).toBeGreaterThanOrEqual(replicating.percentComplete);

    await simCloud.writeSettings({ replicationSpeedFactor: 1 });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(await readLiveProgress(stack.client, final)).toBe(final);
  });
});
