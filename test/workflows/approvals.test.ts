import { NEEDS_ATTENTION } from '../../workflows/search-attributes';
import {
  amendPlanUpdate,
  cancelUpdate,
  decideApprovalUpdate,
  extendDeadlineUpdate,
  qualificationChangedSignal,
  statusQuery,
} from '../../workflows/messages';
import { approver, consultant, fixtureExpected, fixturePlan, ops, smallPlan, unique } from '../support/plans';
import { tenantsOfCustomer } from '../support/provisioned';
import { ARM_CALL_ATTEMPTS, type TestStack } from '../support/stack';
import { approveAll, currentApprovals, refusalOf, resourceCountsOf, type SimCloudForTests, startRun, useWorkflowStack } from './support/runs';
import { waitUntil } from '../support/wait';
import { finalStatusOf } from '../support/statuses';

let stack: TestStack;
let simCloud: SimCloudForTests;
useWorkflowStack((started, admin) => {
  stack = started;
  simCloud = admin;
});

async function tenantsOf(customerId: string): Promise<number> {
  return await tenantsOfCustomer(simCloud, customerId);
}

describe('classification and approvals', () => {
  it.each(['hospital-group', 'regional-council'] as const)('classifies the %s fixture as its expected report says, then asks for the expected approvals', async (name) => {
    const plan = fixturePlan(name, { planId: unique(name) });
    const handle = await startRun(stack, plan);
    const waiting = await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    const expected = fixtureExpected(name);

    const levels = Object.fromEntries(waiting.report!.workloads.map((workload) => [workload.id, { level: workload.level, hds: workload.hds }]));
    expect(levels).toEqual(Object.fromEntries(Object.entries(expected.workloads).map(([id, workload]) => [id, { level: workload.level, hds: workload.hds }])));
    expect(waiting.report!.approvals.map((approval) => approval.id)).toEqual(expected.approvals);
    expect(currentApprovals(waiting).map((approval) => [approval.id, approval.state])).toEqual(expected.approvals.map((id) => [id, 'PENDING']));
    expect(waiting.status).toBe('WAITING');

    await handle.executeUpdate(cancelUpdate, { args: [{ actor: ops, reason: 'classification checked' }] });
    expect((await handle.result()).status).toBe('CANCELLED');
  });

  it('ends REJECTED when an approver rejects, with the reason, and provisions nothing at the provider', async () => {
    const plan = smallPlan(unique('reject'), { customerId: unique('mairie') });
    const handle = await startRun(stack, plan);
    await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    await handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId: 'rssi', decision: 'APPROVE', actor: approver(plan.customer.id, ['RSSI']) }] });
    await handle.executeUpdate(decideApprovalUpdate, {
      args: [{ approvalId: 'homologation', decision: 'REJECT', comment: 'the risk analysis is missing', actor: approver(plan.customer.id, ['HOMOLOGATION_AUTHORITY'], 'authority-1') }],
    });

    const final = await finalStatusOf(handle);
    expect(final.status).toBe('REJECTED');
    expect(final.outcome?.reason).toContain('the risk analysis is missing');
    expect(final.outcome?.reason).toContain('authority-1');
    expect(final.steps.some((step) => step.phase === 'PROVISIONING')).toBe(false);
    expect(await tenantsOf(plan.customer.id)).toBe(0);
  });

  it('waits for an amended plan after changes are requested, classifies it again in a new round and completes once every approval is given again', async () => {
    const plan = smallPlan(unique('amend'), { customerId: unique('mairie') });
    const handle = await startRun(stack, plan);
    await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    const rssi = approver(plan.customer.id, ['RSSI'], 'rssi-1');
    await handle.executeUpdate(decideApprovalUpdate, {
      args: [{ approvalId: 'rssi', decision: 'REQUEST_CHANGES', comment: 'the site holds personal data', actor: rssi }],
    });
    const held = await stack.waitForStatus(handle, (status) => status.approvals.some((approval) => approval.state === 'CHANGES_REQUESTED'));
    expect(held.phase).toBe('AWAITING_APPROVAL');
    expect(held.status).toBe('WAITING');
    expect(held.round).toBe(1);

    const amended = smallPlan(plan.planId!, { customerId: plan.customer.id, categories: ['PERSONAL'] });
    const afterAmendment = await handle.executeUpdate(amendPlanUpdate, { args: [{ plan: amended, actor: consultant, comment: 'the site holds personal data' }] });
    expect(afterAmendment.round).toBe(2);
    // The update answers the run's overview; the amended plan is in its whole status.
    expect((await handle.query(statusQuery)).plan.workloads.find((workload) => workload.id === 'web')?.dataCategories).toEqual(['PERSONAL']);
    expect(currentApprovals(afterAmendment).map((approval) => [approval.id, approval.state])).toEqual([
      ['rssi', 'PENDING'],
      ['dpo', 'PENDING'],
      ['homologation', 'PENDING'],
    ]);
    const firstRound = afterAmendment.approvals.filter((approval) => approval.round === 1);
    expect(firstRound.map((approval) => approval.state)).toEqual(['SUPERSEDED', 'SUPERSEDED']);
    expect(firstRound.find((approval) => approval.id === 'rssi')?.decision).toMatchObject({ decision: 'REQUEST_CHANGES', by: 'rssi-1' });

    await approveAll(stack, handle, amended);
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.audit.map((entry) => [entry.actor, entry.action, entry.target ?? ''])).toEqual([
      ['consultant-1', 'START', ''],
      ['rssi-1', 'REQUEST_CHANGES', 'approval rssi'],
      ['consultant-1', 'AMEND_PLAN', ''],
      ['approver-rssi', 'APPROVE', 'approval rssi'],
      ['approver-dpo', 'APPROVE', 'approval dpo'],
      ['approver-homologation_authority', 'APPROVE', 'approval homologation'],
    ]);
    expect(final.audit.find((entry) => entry.action === 'REQUEST_CHANGES')).toMatchObject({ roles: ['customer', 'RSSI'], comment: 'the site holds personal data' });
  });

  it('refuses decisions that the Update validators forbid, each with its failure type, and changes nothing', async () => {
    const plan = smallPlan(unique('refuse'), { customerId: unique('mairie') });
    const handle = await startRun(stack, plan);
    await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    const decision = (approvalId: string, actorRoles: string[], customerId = plan.customer.id, extra: { decision?: 'APPROVE' | 'REJECT'; comment?: string } = {}) =>
      handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId, decision: extra.decision ?? 'APPROVE', comment: extra.comment, actor: approver(customerId, actorRoles) }] });

    expect(await refusalOf(decision('rssi', ['DPO']))).toBe('Forbidden');
    expect(await refusalOf(decision('rssi', ['RSSI'], 'another-customer'))).toBe('NotFound');
    expect(await refusalOf(decision('dpia', ['DPO']))).toBe('NotFound');
    expect(await refusalOf(decision('rssi', ['RSSI'], plan.customer.id, { decision: 'REJECT', comment: '  ' }))).toBe('Invalid');
    await decision('rssi', ['RSSI']);
    expect(await refusalOf(decision('rssi', ['RSSI']))).toBe('Conflict');
    expect(await refusalOf(handle.executeUpdate(amendPlanUpdate, { args: [{ plan, actor: ops }] }))).toBe('Forbidden');
    const dangling = { ...plan, workloads: [{ ...plan.workloads[0]!, dependsOn: ['nowhere'] }] };
    expect(await refusalOf(handle.executeUpdate(amendPlanUpdate, { args: [{ plan: dangling, actor: consultant }] }))).toBe('Invalid');
    const unchanged = await stack.waitForStatus(handle, () => true);
    expect([unchanged.phase, unchanged.round, unchanged.steps.find((step) => step.id === 'assessment')?.state]).toEqual(['AWAITING_APPROVAL', 1, 'SUCCEEDED']);

    // Hold the run in provisioning: the tenant's creation fails as many times as it is tried.
    await simCloud.armFault({ operation: 'arm.managementGroups.put', mode: 'error', times: 2 * ARM_CALL_ATTEMPTS });
    await decision('homologation', ['HOMOLOGATION_AUTHORITY']);
    const stuck = await stack.waitForStatus(handle, (status) => status.status === 'NEEDS_ATTENTION');
    expect(stuck.phase).toBe('PROVISIONING');
    expect(await refusalOf(handle.executeUpdate(amendPlanUpdate, { args: [{ plan, actor: consultant }] }))).toBe('Conflict');

    const status = await handle.executeUpdate(cancelUpdate, { args: [{ actor: consultant }] });
    expect(status.audit.map((entry) => entry.action)).toEqual(['START', 'APPROVE', 'APPROVE', 'CANCEL']);
    expect((await handle.result()).status).toBe('CANCELLED');
  });

  it('reminds before an approval deadline, escalates at it, and goes back to waiting when ops extend it', async () => {
    const plan = smallPlan(unique('deadline'), { customerId: unique('mairie') });
    plan.settings.approvalDeadline = 'PT4S';
    plan.settings.reminderBefore = 'PT2S';
    const handle = await startRun(stack, plan);

    const reminded = await stack.waitForStatus(handle, (status) => status.timeline.some((entry) => entry.kind === 'APPROVAL_REMINDER'), 20_000);
    expect(reminded.status).toBe('WAITING');
    const overdue = await stack.waitForStatus(handle, (status) => status.status === 'NEEDS_ATTENTION', 20_000);
    expect(overdue.attention.map((item) => [item.stepId, item.reason])).toEqual([
      ['approval.rssi', 'APPROVAL_OVERDUE'],
      ['approval.homologation', 'APPROVAL_OVERDUE'],
    ]);
    expect(overdue.timeline.filter((entry) => entry.kind === 'APPROVAL_OVERDUE')).toHaveLength(2);
    await searchAttributeEventually(() => handle.describe().then((description) => description.typedSearchAttributes.get(NEEDS_ATTENTION)), true);

    expect(await refusalOf(handle.executeUpdate(extendDeadlineUpdate, { args: [{ extendBy: 'P7D', actor: consultant }] }))).toBe('Forbidden');
    expect(await refusalOf(handle.executeUpdate(extendDeadlineUpdate, { args: [{ extendBy: 'soon', actor: ops }] }))).toBe('Invalid');
    const extended = await handle.executeUpdate(extendDeadlineUpdate, { args: [{ extendBy: 'P7D', actor: ops }] });
    expect(extended.map((approval) => approval.id)).toEqual(['rssi', 'homologation']);
    const waiting = await stack.waitForStatus(handle, (status) => status.status === 'WAITING');
    expect(waiting.attention).toEqual([]);
    await searchAttributeEventually(() => handle.describe().then((description) => description.typedSearchAttributes.get(NEEDS_ATTENTION)), false);

    await handle.executeUpdate(cancelUpdate, { args: [{ actor: ops, reason: 'the customer withdrew' }] });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('CANCELLED');
    expect(final.outcome?.reason).toBe('cancelled by ops-1: the customer withdrew');
  });

  it('waits at the regulatory gate naming SecNumCloud, and proceeds as soon as it is told that the qualification is in force', async () => {
    await simCloud.setCredentials({ secnumcloud: 'J2', hds: true });
    const plan = smallPlan(unique('gate'), { customerId: unique('mairie'), categories: ['DIFFUSION_RESTREINTE'] });
    plan.settings.qualificationCheckInterval = 'PT1H';
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);

    const gated = await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_QUALIFICATION' && (status.gate?.checks ?? 0) > 0);
    expect(gated.status).toBe('WAITING');
    expect(gated.gate?.waitingFor).toHaveLength(1);
    expect(gated.gate?.waitingFor[0]).toMatch(/SecNumCloud/);
    expect(gated.gate?.credentials).toEqual({ secnumcloud: 'J2', hds: true });
    // The gate applies per zone (R9): the tenant waits for nothing, the dedicated zone waits.
    expect(await tenantsOf(plan.customer.id)).toBe(1);
    expect(gated.gate?.zones?.map(({ zoneId, state, provisioned }) => [zoneId, state, provisioned])).toEqual([['secnumcloud-dedicated', 'WAITING', false]]);

    await simCloud.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
    await handle.signal(qualificationChangedSignal);
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.gate?.checks).toBe(2);
    expect(final.gate?.waitingFor).toEqual([]);
    expect(final.steps.find((step) => step.id === 'qualification')?.state).toBe('SUCCEEDED');
    const tenantId = final.resources['provisioning.tenant']!;
    expect((await resourceCountsOf(simCloud, tenantId))['landing-zone']).toBe(1);
  });
});

/** Visibility is eventually consistent: reads a search attribute until it holds `expected` (10 s at most), or fails naming what it last held. */
async function searchAttributeEventually<T>(read: () => Promise<T>, expected: T): Promise<void> {
  let value: T | undefined;
  await waitUntil(
    `the search attribute to hold ${String(expected)}`,
    async () => {
      value = await read();
      return value === expected;
    },
    { intervalMs: 100, lastSeen: () => String(value) },
  );
}
