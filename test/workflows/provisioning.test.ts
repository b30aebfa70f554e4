import { createHttpCloudProvider } from '../../activities/provider/http-client';
import { type Plan, stepIds, validatePlan } from '../../domain';
import { buildMigrationReport } from '../../use-cases/migration-report';
import { cancelUpdate, pauseUpdate, resumeUpdate, retryStepUpdate, skipStepUpdate, statusQuery } from '../../workflows/messages';
import { consultant, fixtureExpected, fixturePlan, ops, smallPlan, unique } from '../support/plans';
import { ARM_CALL_ATTEMPTS, type TestStack } from '../support/stack';
import { createLandingZonesForSimCloud } from '../../worker/landing-zones';
import { approveAll, refusalOf, resourceCountsOf, type SimCloudForTests, startRun, useWorkflowStack } from './support/runs';
import { waitUntil } from '../support/wait';
import { finalStatusOf } from '../support/statuses';

/** A small plan that also moves the customer's mailboxes to its Microsoft 365 tenant. */
function planWithMailbox(planId: string, customerId: string): Plan {
  const plan = smallPlan(planId, { customerId });
  const mailbox = { id: 'mail', name: 'Messagerie', kind: 'm365' as const, sizeGb: 5, dataCategories: ['INTERNAL' as const], dependsOn: [], criticality: 'LOW' as const };
  const result = validatePlan({ ...plan, workloads: [...plan.workloads, mailbox] });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

let stack: TestStack;
let simCloud: SimCloudForTests;
useWorkflowStack((started, admin) => {
  stack = started;
  simCloud = admin;
});

describe('provisioning', () => {
  it.each(['hospital-group', 'regional-council'] as const)('takes the %s fixture to COMPLETED and leaves exactly one tenant, one landing zone per level and HDS pair, and one cutover per migrating workload', async (name) => {
    const plan = fixturePlan(name, { planId: unique(name) });
    const expected = fixtureExpected(name);
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');

    const migrating = plan.workloads.filter((workload) => expected.workloads[workload.id]!.level !== 'NOT_ELIGIBLE');
    const leftOut = plan.workloads.filter((workload) => !migrating.includes(workload)).map((workload) => workload.id);
    const zones = new Set(migrating.filter((workload) => workload.kind !== 'm365').map((workload) => `${expected.workloads[workload.id]!.level}/${expected.workloads[workload.id]!.hds}`));
    const perZone = zones.size;
    const perWorkload = migrating.length;
    const counts = await resourceCountsOf(simCloud, final.resources['provisioning.tenant']!);
    expect(counts).toEqual({
      tenant: 1,
      'landing-zone': perZone,
      'key-vault': perZone,
      'policy-assignment': perZone,
      'log-forwarding': perZone,
      ...(migrating.some((workload) => workload.kind === 'm365') ? { 'm365-tenant': 1 } : {}),
      replication: perWorkload,
      'final-sync': perWorkload,
      validation: perWorkload,
      'dns-record': perWorkload,
      'smoke-test': perWorkload,
    });
    expect(new Set(final.report!.landingZones.map((zone) => `${zone.level}/${zone.hds}`))).toEqual(zones);

    // NOT_ELIGIBLE workloads (R1) stay on site: no wave, no cutover step, no replication.
    const inWaves = final.waves.flatMap((wave) => wave.workloadIds);
    expect(inWaves.sort()).toEqual(migrating.map((workload) => workload.id).sort());
    for (const id of leftOut) expect(final.steps.filter((step) => step.workloadId === id)).toEqual([]);
  });

  it('waits for an operator when a step exhausts its retries, showing the step, the error and the attempts, and completes after a retry with one of each resource', async () => {
    const plan = smallPlan(unique('fault'), { customerId: unique('mairie') });
    // Two attempts of the step fail, each after the SDK's own retry; the operator's retry then succeeds.
    await simCloud.armFault({ operation: 'arm.vaults.put', mode: 'error', times: 2 * ARM_CALL_ATTEMPTS });
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);

    const stuck = await stack.waitForStatus(handle, (status) => status.status === 'NEEDS_ATTENTION');
    const stepId = 'provisioning.key-vault.standard';
    expect(stuck.phase).toBe('PROVISIONING');
    expect(stuck.attention).toEqual([expect.objectContaining({ stepId, reason: 'STEP_FAILED', message: expect.stringContaining('createKeyVault answered 503 (InjectedFault)') as unknown })]);
    const step = stuck.steps.find((candidate) => candidate.id === stepId)!;
    expect(step.state).toBe('FAILED');
    expect(step.error).toMatchObject({ type: 'ProviderUnavailableError', attempts: 2 });
    expect(stuck.steps.find((candidate) => candidate.id === 'provisioning.policies.standard')?.state).toBe('PENDING');

    expect(await refusalOf(handle.executeUpdate(retryStepUpdate, { args: [{ stepId, actor: consultant }] }))).toBe('Forbidden');
    expect(await refusalOf(handle.executeUpdate(retryStepUpdate, { args: [{ stepId: 'provisioning.tenant', actor: ops }] }))).toBe('Conflict');
    expect(await refusalOf(handle.executeUpdate(retryStepUpdate, { args: [{ stepId: 'provisioning.nothing', actor: ops }] }))).toBe('NotFound');
    await handle.executeUpdate(retryStepUpdate, { args: [{ stepId, actor: ops }] });

    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.steps.find((candidate) => candidate.id === stepId)?.state).toBe('SUCCEEDED');
    expect(final.audit.find((entry) => entry.action === 'RETRY_STEP')).toMatchObject({ actor: 'ops-1', target: stepId });
    const counts = await resourceCountsOf(simCloud, final.resources['provisioning.tenant']!);
    expect([counts.tenant, counts['landing-zone'], counts['key-vault'], counts['policy-assignment'], counts['log-forwarding']]).toEqual([1, 1, 1, 1, 1]);
  });

  it('creates nothing twice when a retried step had reached the provider after its call timed out', async () => {
    const plan = smallPlan(unique('ambiguous'), { customerId: unique('mairie') });
    // Each call waits past the step's time-out, then the provider carries it out anyway.
    await simCloud.armFault({ operation: 'arm.vaults.put', mode: 'latency', latencyMs: 3_500, times: 2 });
    const handle = await startRun(stack, plan, { stepTimeout: '3s' });
    await approveAll(stack, handle, plan);

    const stuck = await stack.waitForStatus(handle, (status) => status.status === 'NEEDS_ATTENTION');
    expect(stuck.attention.map((item) => item.stepId)).toEqual(['provisioning.key-vault.standard']);
    // Let the delayed calls land, so that a duplicate they made would be counted below.
    await waitUntil('the abandoned key-vault calls are carried out', async () => (await simCloud.heldCalls()) === 0, { timeoutMs: 15_000 });
    await handle.executeUpdate(retryStepUpdate, { args: [{ stepId: 'provisioning.key-vault.standard', actor: ops }] });

    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    const counts = await resourceCountsOf(simCloud, final.resources['provisioning.tenant']!);
    expect(counts['key-vault']).toBe(1);
  });

  it('skips a failed step only with a reason, and the run goes on and its report says so', async () => {
    const plan = smallPlan(unique('skip'), { customerId: unique('mairie') });
    await simCloud.armFault({ operation: 'arm.diagnosticSettings.put', mode: 'error', times: 2 * ARM_CALL_ATTEMPTS });
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);
    const stepId = 'provisioning.log-forwarding.standard';
    await stack.waitForStatus(handle, (status) => status.attention.some((item) => item.stepId === stepId));

    expect(await refusalOf(handle.executeUpdate(skipStepUpdate, { args: [{ stepId, actor: ops }] }))).toBe('Invalid');
    expect(await refusalOf(handle.executeUpdate(skipStepUpdate, { args: [{ stepId, actor: ops, reason: ' ' }] }))).toBe('Invalid');
    await handle.executeUpdate(skipStepUpdate, { args: [{ stepId, actor: ops, reason: 'the SIEM is connected by hand' }] });

    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.steps.find((step) => step.id === stepId)).toMatchObject({ state: 'SKIPPED', skippedReason: 'the SIEM is connected by hand' });
    expect(final.timeline.some((entry) => entry.kind === 'STEP_SKIPPED' && entry.stepId === stepId)).toBe(true);
    expect(final.audit.find((entry) => entry.action === 'SKIP_STEP')).toMatchObject({ actor: 'ops-1', target: stepId, comment: 'the SIEM is connected by hand' });
    expect(buildMigrationReport(final).steps.skipped).toEqual([expect.objectContaining({ id: stepId, skippedReason: 'the SIEM is connected by hand' })]);
    const counts = await resourceCountsOf(simCloud, final.resources['provisioning.tenant']!);
    expect(counts['log-forwarding']).toBeUndefined();
  });

  it('undoes what provisioning created when the run is aborted while a step waits for an operator', async () => {
    const plan = smallPlan(unique('abort'), { customerId: unique('mairie') });
    await simCloud.armFault({ operation: 'arm.vaults.put', mode: 'error', times: 2 * ARM_CALL_ATTEMPTS });
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);
    const stuck = await stack.waitForStatus(handle, (status) => status.status === 'NEEDS_ATTENTION');
    const tenantId = stuck.resources['provisioning.tenant']!;
    expect(await resourceCountsOf(simCloud, tenantId)).toEqual({ tenant: 1, 'landing-zone': 1 });

    await handle.executeUpdate(cancelUpdate, { args: [{ actor: ops, reason: 'wrong subscription' }] });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('CANCELLED');
    expect(final.attention).toEqual([]);
    expect(await resourceCountsOf(simCloud, tenantId)).toEqual({});
    expect(final.steps.filter((step) => step.phase === 'PROVISIONING').map((step) => [step.id, step.state])).toEqual([
      ['provisioning.tenant', 'COMPENSATED'],
      ['provisioning.landing-zone.standard', 'COMPENSATED'],
      ['provisioning.key-vault.standard', 'FAILED'],
      ['provisioning.policies.standard', 'PENDING'],
      ['provisioning.log-forwarding.standard', 'PENDING'],
    ]);
  });

  it('undoes what a provider call in flight creates when the run is cancelled during that call', async () => {
    const plan = smallPlan(unique('in-flight'), { customerId: unique('mairie') });
    // The key vault's creation is held at the provider, then carried out after the cancellation.
    await simCloud.armFault({ operation: 'arm.vaults.put', mode: 'latency', latencyMs: 2_000, times: 1 });
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);
    const creating = await stack.waitForStatus(handle, (status) => status.steps.some((step) => step.id === 'provisioning.key-vault.standard' && step.state === 'RUNNING'));
    const tenantId = creating.resources['provisioning.tenant']!;
    await waitUntil('the key-vault call is held at the provider', async () => (await simCloud.heldCalls()) === 1, { timeoutMs: 15_000 });

    await handle.executeUpdate(cancelUpdate, { args: [{ actor: ops, reason: 'wrong subscription' }] });
    const final = await finalStatusOf(handle);
    await waitUntil('the held key-vault call is carried out', async () => (await simCloud.heldCalls()) === 0, { timeoutMs: 15_000 });
    expect(final.status).toBe('CANCELLED');
    expect(await resourceCountsOf(simCloud, tenantId)).toEqual({});
    expect(final.steps.find((step) => step.id === 'provisioning.key-vault.standard')?.state).toBe('COMPENSATED');
  });

  it("lets a customer's second plan reuse its tenant and landing zone, stops before cutover naming each drift (key disabled, policy unassigned, location changed), and completes once it is repaired", async () => {
    const customerId = unique('ght');
    const first = smallPlan(unique('lot-1'), { customerId });
    const firstHandle = await startRun(stack, first);
    await approveAll(stack, firstHandle, first);
    const firstFinal = await finalStatusOf(firstHandle);
    expect(firstFinal.status).toBe('COMPLETED');
    expect(firstFinal.steps.find((step) => step.id === 'provisioning.drift-check.standard')?.state).toBe('SUCCEEDED');

    // The second plan finds the tenant, zone, vault and policies, then stops at its log forwarding.
    const second = smallPlan(unique('lot-2'), { customerId });
    await simCloud.armFault({ operation: 'arm.diagnosticSettings.put', mode: 'error', times: 2 * ARM_CALL_ATTEMPTS });
    const handle = await startRun(stack, second);
    await approveAll(stack, handle, second);
    const logForwarding = 'provisioning.log-forwarding.standard';
    await stack.waitForStatus(handle, (status) => status.attention.some((item) => item.stepId === logForwarding));

    // Meanwhile, behind Passerelle's back: the customer-managed key disabled, the allowed-locations policy unassigned, the zone's resource group moved out of France.
    const vaultId = firstFinal.resources['provisioning.key-vault.standard']!;
    const policyId = firstFinal.resources['provisioning.policies.standard']!;
    const resourceGroupId = vaultId.slice(0, vaultId.indexOf('/providers/'));
    const keyId = `${vaultId}/keys/data-encryption`;
    await simCloud.driftArmResource({ id: keyId, properties: { attributes: { enabled: false } } });
    await simCloud.removeArmResource(policyId);
    await simCloud.driftArmResource({ id: resourceGroupId, location: 'westeurope' });
    await handle.executeUpdate(retryStepUpdate, { args: [{ stepId: logForwarding, actor: ops }] });

    const stuck = await stack.waitForStatus(handle, (status) => status.attention.some((item) => item.stepId === 'provisioning.drift-check.standard'));
    const stepId = 'provisioning.drift-check.standard';
    expect(stuck.attention).toEqual([expect.objectContaining({ stepId, reason: 'STEP_FAILED' })]);
    const message = stuck.attention[0]!.message;
    expect(message).toContain(`Landing zone ${firstFinal.resources['provisioning.landing-zone.standard']} drifted from what was provisioned`);
    expect(message).toContain(`key-enabled of ${keyId}: expected enabled, found disabled`);
    expect(message).toContain(`policy-assigned of ${policyId}: expected assigned, found absent`);
    expect(message).toContain(`location of ${resourceGroupId}: expected francecentral, found westeurope`);
    expect(stuck.steps.find((step) => step.id === stepId)?.error).toMatchObject({ type: 'LandingZoneDriftError' });
    // One tenant per customer: the second plan found the first one's tenant, zone and vault.
    for (const step of ['provisioning.tenant', 'provisioning.landing-zone.standard', 'provisioning.key-vault.standard']) {
      expect(stuck.resources[step]).toBe(firstFinal.resources[step]);
    }
    expect(stuck.steps.filter((step) => step.phase === 'CUTOVER')).toEqual([]);

    // An operator repairs the zone (the key enabled, the group back in France, the policy assigned again), then retries the check.
    await simCloud.driftArmResource({ id: keyId, properties: { attributes: { enabled: true } } });
    await simCloud.driftArmResource({ id: resourceGroupId, location: 'francecentral' });
    await createLandingZonesForSimCloud(stack.simCloud).assignPolicies({ landingZoneId: firstFinal.resources['provisioning.landing-zone.standard']!, level: 'STANDARD', usedBy: 'ops-repair' });
    await handle.executeUpdate(retryStepUpdate, { args: [{ stepId, actor: ops }] });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    const counts = await resourceCountsOf(simCloud, final.resources['provisioning.tenant']!);
    expect([counts.tenant, counts['landing-zone'], counts['key-vault'], counts['policy-assignment'], counts['log-forwarding']]).toEqual([1, 1, 1, 1, 1]);
  });

  it("keeps what another plan of the customer uses when a plan is cancelled", async () => {
    const customerId = unique('ght');
    const first = smallPlan(unique('lot-1'), { customerId });
    const firstHandle = await startRun(stack, first);
    await approveAll(stack, firstHandle, first);
    const firstFinal = await finalStatusOf(firstHandle);
    const tenantId = firstFinal.resources['provisioning.tenant']!;
    const before = await resourceCountsOf(simCloud, tenantId);

    const second = smallPlan(unique('lot-2'), { customerId });
    // The second plan stops at its log forwarding, after finding the tenant, zone, vault and policies.
    await simCloud.armFault({ operation: 'arm.diagnosticSettings.put', mode: 'error', times: 2 * ARM_CALL_ATTEMPTS });
    const handle = await startRun(stack, second);
    await approveAll(stack, handle, second);
    await stack.waitForStatus(handle, (status) => status.status === 'NEEDS_ATTENTION');
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: ops, reason: 'lot 2 postponed' }] });
    const final = await finalStatusOf(handle);

    expect(final.status).toBe('CANCELLED');
    expect(final.timeline.filter((entry) => entry.kind === 'COMPENSATION_FAILED')).toEqual([]);
    expect(await resourceCountsOf(simCloud, tenantId)).toEqual(before);
  });

  it("shares the customer's Microsoft 365 tenant between its plans, and cancelling one keeps it for the other", async () => {
    const customerId = unique('mairie');
    const first = planWithMailbox(unique('lot-1'), customerId);
    const firstHandle = await startRun(stack, first);
    await approveAll(stack, firstHandle, first);
    const firstFinal = await finalStatusOf(firstHandle);
    expect(firstFinal.status).toBe('COMPLETED');
    const tenantId = firstFinal.resources[stepIds.tenant]!;
    const m365TenantId = firstFinal.resources[stepIds.m365Tenant]!;
    expect((await resourceCountsOf(simCloud, tenantId))['m365-tenant']).toBe(1);

    // The second plan finds the same Microsoft 365 tenant, then stops at a smoke test.
    await simCloud.armFault({ operation: 'smokeTest', mode: 'error', times: 1000 });
    const second = planWithMailbox(unique('lot-2'), customerId);
    const handle = await startRun(stack, second);
    await approveAll(stack, handle, second);
    const stuck = await stack.waitForStatus(handle, (status) => status.status === 'NEEDS_ATTENTION');
    expect(stuck.resources[stepIds.m365Tenant]).toBe(m365TenantId);
    expect(stuck.steps.find((step) => step.id === stepIds.m365Tenant)?.state).toBe('SUCCEEDED');

    await handle.executeUpdate(cancelUpdate, { args: [{ actor: ops, reason: 'lot 2 postponed' }] });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('CANCELLED');
    expect(final.timeline.filter((entry) => entry.kind === 'COMPENSATION_FAILED')).toEqual([]);
    expect(final.steps.find((step) => step.id === stepIds.m365Tenant)?.state).toBe('COMPENSATED');
    // The first plan's mailboxes still live in it.
    expect((await resourceCountsOf(simCloud, tenantId))['m365-tenant']).toBe(1);
    await expect(createHttpCloudProvider({ baseUrl: stack.simCloud.url }).getResource({ type: 'm365-tenant', id: m365TenantId })).resolves.toMatchObject({ usedBy: [firstHandle.workflowId] });
  });

  it('shows PAUSED while ops hold the run, starts no step meanwhile, and completes once resumed', async () => {
    const plan = smallPlan(unique('pause'), { customerId: unique('mairie') });
    const handle = await startRun(stack, plan);
    await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    expect(await refusalOf(handle.executeUpdate(pauseUpdate, { args: [{ actor: consultant }] }))).toBe('Forbidden');
    expect(await refusalOf(handle.executeUpdate(resumeUpdate, { args: [{ actor: ops }] }))).toBe('Conflict');
    const paused = await handle.executeUpdate(pauseUpdate, { args: [{ actor: ops, reason: 'change freeze' }] });
    expect(paused.status).toBe('PAUSED');
    expect(await refusalOf(handle.executeUpdate(pauseUpdate, { args: [{ actor: ops }] }))).toBe('Conflict');

    await approveAll(stack, handle, plan);
    const held = await stack.waitForStatus(handle, (status) => status.phase === 'PROVISIONING');
    // A decision the run handles after any step it could have started: still paused, nothing started.
    expect(await refusalOf(handle.executeUpdate(pauseUpdate, { args: [{ actor: ops }] }))).toBe('Conflict');
    const still = await handle.query(statusQuery);
    expect([held.status, still.status]).toEqual(['PAUSED', 'PAUSED']);
    expect(still.steps.find((step) => step.id === 'provisioning.tenant')?.state).toBe('PENDING');

    await handle.executeUpdate(resumeUpdate, { args: [{ actor: ops }] });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.audit.filter((entry) => entry.action === 'PAUSE' || entry.action === 'RESUME').map((entry) => [entry.actor, entry.action])).toEqual([
      ['ops-1', 'PAUSE'],
      ['ops-1', 'RESUME'],
    ]);
  });
});
