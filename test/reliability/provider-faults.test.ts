import { type ProcessStack, useProcessStack } from './support/process-stack';
import {
  activityExecutions,
  callApi,
  decideRssiApproval,
  expectedResourceCounts,
  freshPlanId,
  resourceCounts,
  standardPlan,
  startRunThroughApi,
} from './support/runs';

// The stack runs with 3 attempts per step, a 4 s step timeout and a 2 s heartbeat timeout (FAST_RUN_TUNING_ENV).
let stack: ProcessStack;

useProcessStack({ speedup: 1_000, resetBetweenTests: true }, (started) => {
  stack = started;
});

async function approvedRun(customerId: string, workloads: number): Promise<string> {
  const id = await startRunThroughApi(stack, standardPlan({ planId: freshPlanId(customerId), customerId, workloads }));
  await stack.waitForRun(id, (status) => status.phase === 'AWAITING_APPROVAL');
  await decideRssiApproval(stack, id, customerId);
  return id;
}

describe('a provider that misbehaves', () => {
  it('is retried through 503 answers, a call slower than the step timeout and hung calls, and the run completes without duplicates', async () => {
    // Each ARM call is sent twice by the SDK (PROVIDER_ARM_MAX_RETRIES=1): four 503s fail two attempts of the step.
    await stack.admin.armFault({ operation: 'arm.managementGroups.put', mode: 'error', status: 503, times: 4 });
    await stack.admin.armFault({ operation: 'arm.vaults.put', mode: 'latency', latencyMs: 5_000 });
    await stack.admin.armFault({ operation: 'arm.diagnosticSettings.put', mode: 'hang' });
    await stack.admin.armFault({ operation: 'getReplication', mode: 'hang' });

    const id = await approvedRun('provider-faults-through', 2);
    const final = await stack.waitForRun(id, (status) => status.status === 'COMPLETED', 90_000);

    expect(final.attention).toEqual([]);
    expect(await activityExecutions(stack, id, 'createTenant')).toEqual([{ attempt: 3, outcome: 'completed' }]);
    // The slow call ran on after its attempt timed out; the vault's deterministic name made both one vault.
    expect(await activityExecutions(stack, id, 'createKeyVault')).toEqual([{ attempt: 2, outcome: 'completed' }]);
    expect(await activityExecutions(stack, id, 'configureLogForwarding')).toEqual([{ attempt: 2, outcome: 'completed' }]);
    // A replication whose progress read hangs stops heartbeating: the heartbeat timeout retries it.
    const waveWorkflowId = final.waves[0]?.workflowId;
    expect(waveWorkflowId).toBeDefined();
    const replications = await activityExecutions(stack, waveWorkflowId!, 'replicateWorkload');
    expect(replications.map((execution) => execution.attempt).sort()).toEqual([1, 2]);
    expect(await resourceCounts(stack.admin)).toEqual(expectedResourceCounts(1, 2));
  }, 120_000);

  it('puts the run in NEEDS_ATTENTION once a step exhausts its retries, and an operator retry completes it', async () => {
    await stack.admin.armFault({ operation: 'freezeSource', mode: 'error', status: 500, times: 3 });
    const id = await approvedRun('provider-faults-attention', 1);

    const waiting = await stack.waitForRun(id, (status) => status.status === 'NEEDS_ATTENTION', 60_000);
    const [attention] = waiting.attention;
    expect(waiting.attention).toHaveLength(1);
    expect(attention?.reason).toBe('STEP_FAILED');
    expect(attention?.stepId).toMatch(/\.freeze$/);
    const opsToken = await stack.token({ roles: ['ops'] });
    const retry = await callApi(stack, 'POST', `/v1/migrations/${id}/steps/${attention!.stepId}/retry`, opsToken, {});
    expect(retry.status).toBe(200);

    const final = await stack.waitForRun(id, (status) => status.status === 'COMPLETED', 60_000);
    expect(final.audit.map((entry) => entry.action)).toContain('RETRY_STEP');
    expect(await resourceCounts(stack.admin)).toEqual(expectedResourceCounts(1, 1));
  }, 120_000);
});
