import { CUTOVER_STEPS, type MigrationStatus, type Plan, stepIds, validatePlan } from '../../domain';
import { amendPlanUpdate, cancelUpdate, qualificationChangedSignal, statusQuery } from '../../workflows/messages';
import { consultant, fixturePlan, ops, unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { approveAll, refusalOf, resourceCountsOf, type SimCloudForTests, startRun, useWorkflowStack } from './support/runs';
import { finalStatusOf } from '../support/statuses';

let stack: TestStack;
let simCloud: SimCloudForTests;
useWorkflowStack((started, admin) => {
  stack = started;
  simCloud = admin;
});

/** The hospital fixture for a customer of its own, so that tests never share a tenant. */
function hospitalPlan(customerId = unique('ght')): Plan {
  const plan = fixturePlan('hospital-group', { planId: unique('hospital-j2'), settings: { qualificationCheckInterval: 'PT1H' } });
  return { ...plan, customer: { ...plan.customer, id: customerId } };
}

/** A second lot of the hospital: a kiosk (STANDARD) and a laboratory system (SecNumCloud, HDS), on workloads of its own. */
function secondLot(customerId: string): Plan {
  const result = validatePlan({
    planId: unique('hospital-lot-2'),
    customer: { id: customerId, name: 'GHT Rhône Nord', type: 'HOSPITAL' },
    workloads: [
      { id: 'kiosk', name: 'Borne d\'accueil', kind: 'app', sizeGb: 5, dataCategories: ['PUBLIC'], dependsOn: [], criticality: 'LOW' },
      { id: 'labs', name: 'Laboratoire', kind: 'app', sizeGb: 50, dataCategories: ['HEALTH'], dependsOn: [], criticality: 'HIGH' },
    ],
    settings: { qualificationCheckInterval: 'PT1H' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

/** Waits until the run waits at the gate with every cutover step of `workloadId` succeeded. */
async function movedWhileWaiting(handle: Parameters<TestStack['waitForStatus']>[0], workloadId: string): Promise<MigrationStatus> {
  return await stack.waitForStatus(handle, (status) => {
    const states = cutoverStates(status, workloadId);
    return status.status === 'WAITING' && states.length === CUTOVER_STEPS.length && states.every((state) => state === 'SUCCEEDED');
  });
}

/** The states of a workload's cutover steps, whatever its wave. */
function cutoverStates(status: MigrationStatus, workloadId: string): string[] {
  return status.steps.filter((step) => step.phase === 'CUTOVER' && step.workloadId === workloadId).map((step) => step.state);
}

describe('the regulatory gate per landing zone (R9)', () => {
  it('migrates the hospital\'s STANDARD workloads at milestone J2 while its SecNumCloud/HDS zone waits, then finishes once qualified', async () => {
    await simCloud.setCredentials({ secnumcloud: 'J2', hds: true });
    const plan = hospitalPlan();
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);

    // The website relies on nothing and sits in the STANDARD zone: it moves now.
    const waiting = await movedWhileWaiting(handle, 'website');
    expect(waiting.phase).toBe('AWAITING_QUALIFICATION');
    expect(waiting.gate?.zones?.map(({ zoneId, state, waitingFor, provisioned }) => ({ zoneId, state, waitingFor, provisioned }))).toEqual([
      { zoneId: 'standard', state: 'CLEAR', waitingFor: [], provisioned: true },
      { zoneId: 'secnumcloud-hds', state: 'WAITING', waitingFor: ['SECNUMCLOUD_QUALIFICATION'], provisioned: false },
      { zoneId: 'm365-tenant', state: 'WAITING', waitingFor: ['SECNUMCLOUD_QUALIFICATION'], provisioned: false },
    ]);
    expect(waiting.gate?.waitingFor).toEqual([expect.stringMatching(/SecNumCloud.*J2.*secnumcloud-hds, m365-tenant/)]);
    // Payroll sits in the STANDARD zone but relies on the directory, which waits: it waits with it.
    for (const id of ['payroll', 'dpi', 'dpi-db', 'ad', 'mail']) expect(cutoverStates(waiting, id)).toEqual([]);
    expect(waiting.gate?.zones?.find((zone) => zone.zoneId === 'standard')?.heldWorkloads).toBeGreaterThan(0);
    // The tenant waits for nothing; only the STANDARD zone is provisioned.
    const stepState = (id: string) => waiting.steps.find((step) => step.id === id)?.state;
    expect([stepState(stepIds.tenant), stepState(stepIds.landingZone('standard')), stepState(stepIds.landingZone('secnumcloud-hds')), stepState(stepIds.m365Tenant)]).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'PENDING',
      'PENDING',
    ]);
    expect(stepState(stepIds.qualification)).toBe('WAITING');
    expect((await resourceCountsOf(simCloud, waiting.resources[stepIds.tenant]!))['landing-zone']).toBe(1);
    // Something has been provisioned: the plan can no longer change.
    expect(await refusalOf(handle.executeUpdate(amendPlanUpdate, { args: [{ plan, actor: consultant }] }))).toBe('Conflict');

    await simCloud.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
    await handle.signal(qualificationChangedSignal);
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.steps.find((step) => step.id === stepIds.qualification)?.state).toBe('SUCCEEDED');
    expect(final.gate?.waitingFor).toEqual([]);
    expect(final.gate?.zones?.every((zone) => zone.state === 'CLEAR' && zone.provisioned && zone.heldWorkloads === 0)).toBe(true);
    const migrating = final.report!.workloads.filter((workload) => workload.migrates).map((workload) => workload.id);
    for (const id of migrating) expect(cutoverStates(final, id)).toEqual(CUTOVER_STEPS.map(() => 'SUCCEEDED'));
    // The website moved in the first wave; what waited moved in the waves planned after the qualification.
    expect(final.waves[0]?.workloadIds).toEqual(['website']);
    expect(final.waves.flatMap((wave) => wave.workloadIds).sort()).toEqual([...migrating].sort());
    expect(final.percentComplete).toBe(100);
    expect(await handle.query(statusQuery)).toMatchObject({ status: 'COMPLETED' });
  }, 180_000);

  it("shares the customer's tenant and zones between two plans at the gate, and cancelling one leaves what the other uses", async () => {
    await simCloud.setCredentials({ secnumcloud: 'J2', hds: true });
    const customerId = unique('ght');
    const first = hospitalPlan(customerId);
    const firstHandle = await startRun(stack, first);
    await approveAll(stack, firstHandle, first);
    const firstWaiting = await movedWhileWaiting(firstHandle, 'website');
    const tenantId = firstWaiting.resources[stepIds.tenant]!;

    const second = secondLot(customerId);
    const secondHandle = await startRun(stack, second);
    await approveAll(stack, secondHandle, second);
    const secondWaiting = await movedWhileWaiting(secondHandle, 'kiosk');
    // One tenant per customer: the second plan found the tenant and the STANDARD zone with its vault, policies and log forwarding.
    const standard = [stepIds.tenant, stepIds.landingZone('standard'), stepIds.keyVault('standard'), stepIds.policies('standard'), stepIds.logForwarding('standard')];
    for (const step of standard) expect(secondWaiting.resources[step]).toBe(firstWaiting.resources[step]);
    expect(secondWaiting.gate?.zones?.map(({ zoneId, state }) => [zoneId, state])).toEqual([
      ['standard', 'CLEAR'],
      ['secnumcloud-hds', 'WAITING'],
    ]);
    const shared = await resourceCountsOf(simCloud, tenantId);
    expect([shared.tenant, shared['landing-zone'], shared['key-vault'], shared['policy-assignment'], shared['log-forwarding']]).toEqual([1, 1, 1, 1, 1]);

    await secondHandle.executeUpdate(cancelUpdate, { args: [{ actor: ops, reason: 'lot 2 postponed' }] });
    const cancelled = await finalStatusOf(secondHandle);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.timeline.filter((entry) => entry.kind === 'COMPENSATION_FAILED')).toEqual([]);
    expect(cutoverStates(cancelled, 'kiosk')).toContain('COMPENSATED');
    // What the first plan uses is still there.
    expect(await resourceCountsOf(simCloud, tenantId)).toEqual(shared);

    await simCloud.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
    await firstHandle.signal(qualificationChangedSignal);
    const final = await finalStatusOf(firstHandle);
    expect(final.status).toBe('COMPLETED');
    expect(final.resources[stepIds.tenant]).toBe(tenantId);
    const after = await resourceCountsOf(simCloud, tenantId);
    expect([after.tenant, after['landing-zone'], after['key-vault']]).toEqual([1, 2, 2]);
  }, 240_000);
});
