/**
 * Names no one can squat, when someone does anyway: a workflow already running under the id of
 * a run's wave (started by someone with access to Temporal itself, since no caller of the API
 * can name it) is an incident the run waits on in NEEDS_ATTENTION, never a failed run with its
 * provisioning left behind. The squatter is left alone; ops retry once it is gone, or cancel
 * and the provider holds nothing of the run.
 */
import { randomUUID } from 'node:crypto';
import { waveWorkflowId } from '../../domain';
import { cancelUpdate, retryStepUpdate, skipStepUpdate } from '../../workflows/messages';
import { ops, smallPlan, unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { approveAll, type MigrationHandle, resourceCountsOf, type SimCloudForTests, startRun, useWorkflowStack } from './support/runs';
import { finalStatusOf } from '../support/statuses';

let stack: TestStack;
let simCloud: SimCloudForTests;
useWorkflowStack((started, admin) => {
  stack = started;
  simCloud = admin;
});

/** Starts a run of the small plan whose first wave's id is already taken by a workflow no worker runs, and waits for the incident. */
async function squattedRun(): Promise<{ handle: MigrationHandle; squatter: string; tenantId: string }> {
  const plan = smallPlan(unique('squatted'), { customerId: unique('mairie') });
  const handle = await startRun(stack, plan);
  const firstRunId = (await handle.describe()).runId;
  const squatter = waveWorkflowId(handle.workflowId, 'wave-1', firstRunId);
  await stack.client.workflow.start('cutoverWaveWorkflow', { workflowId: squatter, taskQueue: `nobody-${randomUUID()}`, args: [] });
  await approveAll(stack, handle, plan);
  const stuck = await stack.waitForStatus(handle, (status) => status.status === 'NEEDS_ATTENTION');
  expect(stuck.phase).toBe('CUTOVER');
  expect(stuck.attention).toEqual([
    expect.objectContaining({ stepId: 'cutover.wave-1.start', reason: 'STEP_FAILED', message: expect.stringContaining(`The workflow id ${squatter} of wave-1 is already taken`) as unknown }),
  ]);
  expect(stuck.steps.find((step) => step.id === 'cutover.wave-1.start')).toMatchObject({ state: 'FAILED', error: { type: 'WorkflowExecutionAlreadyStarted' } });
  // Nothing of the wave moved, and the wave's view names the id it needs.
  expect(stuck.steps.filter((step) => step.id.startsWith('cutover.wave-1.db'))).toEqual([]);
  expect(stuck.waves[0]).toMatchObject({ id: 'wave-1', state: 'RUNNING', workflowId: squatter });
  return { handle, squatter, tenantId: stuck.resources['provisioning.tenant']! };
}

describe('a wave whose workflow id is taken', () => {
  it('waits for an operator, and leaves nothing at the provider once the run is cancelled', async () => {
    const { handle, squatter, tenantId } = await squattedRun();
    expect(await resourceCountsOf(simCloud, tenantId)).toEqual({ tenant: 1, 'landing-zone': 1, 'key-vault': 1, 'policy-assignment': 1, 'log-forwarding': 1 });

    await handle.executeUpdate(cancelUpdate, { args: [{ actor: ops, reason: 'wave id taken' }] });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('CANCELLED');
    expect(final.timeline.filter((entry) => entry.kind === 'COMPENSATION_FAILED')).toEqual([]);
    expect(await resourceCountsOf(simCloud, tenantId)).toEqual({});
    // The squatter is not the run's: it was neither signalled nor stopped.
    const description = await stack.client.workflow.getHandle(squatter).describe();
    expect(description.status.name).toBe('RUNNING');
    expect((await stack.client.workflow.getHandle(squatter).fetchHistory()).events?.filter((event) => event.workflowExecutionSignaledEventAttributes)).toEqual([]);
    await stack.client.workflow.getHandle(squatter).terminate('test over');
  });

  it('skips the wave on an operator skip with a reason: its workloads stay on their sources and the run goes on', async () => {
    const { handle, squatter } = await squattedRun();
    await handle.executeUpdate(skipStepUpdate, { args: [{ stepId: 'cutover.wave-1.start', actor: ops, reason: 'db moves in the next lot' }] });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.steps.find((step) => step.id === 'cutover.wave-1.start')).toMatchObject({ state: 'SKIPPED', skippedReason: 'db moves in the next lot' });
    expect(final.waves.map((wave) => wave.state)).toEqual(['SKIPPED', 'SUCCEEDED']);
    expect(final.steps.filter((step) => step.id.startsWith('cutover.wave-1.db'))).toEqual([]);
    expect(final.timeline.some((entry) => entry.kind === 'WAVE_SKIPPED')).toBe(true);
    await stack.client.workflow.getHandle(squatter).terminate('test over');
  });

  it('starts the wave on an operator retry once the squatter is gone, and completes', async () => {
    const { handle, squatter } = await squattedRun();
    await stack.client.workflow.getHandle(squatter).terminate('squatter removed by ops');
    await handle.executeUpdate(retryStepUpdate, { args: [{ stepId: 'cutover.wave-1.start', actor: ops }] });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.steps.find((step) => step.id === 'cutover.wave-1.start')?.state).toBe('SUCCEEDED');
    expect(final.waves.map((wave) => wave.state)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });
});
