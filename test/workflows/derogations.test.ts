import { type Plan, validatePlan } from '../../domain';
import {
  acceptRisksUpdate,
  acknowledgeDerogationLapseUpdate,
  grantDerogationUpdate,
  qualificationChangedSignal,
  refuseDerogationUpdate,
  renewDerogationUpdate,
  requestDerogationUpdate,
  revokeDerogationUpdate,
} from '../../workflows/messages';
import { approver, consultant, ops, unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { approveAll, chainHistoryLengths, type MigrationHandle, refusalOf, type SimCloudForTests, startRun, useWorkflowStack } from './support/runs';
import { finalStatusOf } from '../support/statuses';

let stack: TestStack;
let simCloud: SimCloudForTests;
useWorkflowStack((started, admin) => {
  stack = started;
  simCloud = admin;
});

const MONTH_MS = 30 * 24 * 3600 * 1000;

/**
 * A ministry's plan: a SECNUMCLOUD zone (business secrets of the State, R4) that a derogation
 * may let through, and, with `dedicated`, a SECNUMCLOUD_DEDICATED zone (Diffusion Restreinte,
 * R2) that no derogation covers, so that the run keeps waiting at the gate.
 */
function ministryPlan(dedicated: boolean): Plan {
  const customerId = unique('ministere');
  const result = validatePlan({
    planId: unique('derogation'),
    customer: { id: customerId, name: 'Ministère de Test', type: 'STATE' },
    workloads: [
      { id: 'portail', name: 'Portail', kind: 'app', sizeGb: 5, dataCategories: ['BUSINESS_SECRET'], dependsOn: [], criticality: 'MEDIUM' },
      ...(dedicated ? [{ id: 'notes', name: 'Notes DR', kind: 'storage', sizeGb: 5, dataCategories: ['DIFFUSION_RESTREINTE'], dependsOn: [], criticality: 'HIGH' }] : []),
    ],
    settings: { approvalDeadline: 'P30D', maxWaveSize: 2, bandwidthMbps: 1000, qualificationCheckInterval: 'PT1H' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

const authorityOf = (plan: Plan) => approver(plan.customer.id, ['HOMOLOGATION_AUTHORITY'], 'ha-1');

/** Approves the plan, waits at the gate, and asks a derogation for the SECNUMCLOUD zone. */
async function requestedAtTheGate(plan: Plan, tuning: Parameters<typeof startRun>[2] = {}): Promise<MigrationHandle> {
  await simCloud.setCredentials({ secnumcloud: 'J2', hds: true });
  const handle = await startRun(stack, plan, tuning);
  await approveAll(stack, handle, plan);
  await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_QUALIFICATION' && (status.gate?.checks ?? 0) > 0);
  await handle.executeUpdate(requestDerogationUpdate, { args: [{ zoneId: 'secnumcloud', reason: 'the portal must leave the old data centre', actor: consultant }] });
  return handle;
}

/** The homologation authority accepts the derogation's residual risk, which holds the zone's waves until then. */
async function acceptDerogationRisk(handle: MigrationHandle, plan: Plan): Promise<void> {
  await handle.executeUpdate(acceptRisksUpdate, { args: [{ riskIds: ['derogation.secnumcloud'], actor: authorityOf(plan) }] });
}

function grant(plan: Plan, expiresAt: string) {
  return {
    zoneId: 'secnumcloud',
    justification: 'continuity of the public service while the provider completes its qualification',
    compensatingMeasures: ['customer-held keys', 'monthly access review'],
    expiresAt,
    actor: authorityOf(plan),
  };
}

describe('derogations (R10) in a run', () => {
  it('lets the zone past the gate once the homologation authority grants it, recorded in the status, the audit trail and the timeline', async () => {
    const plan = ministryPlan(false);
    const handle = await requestedAtTheGate(plan);
    const waiting = await stack.waitForStatus(handle, (status) => status.derogations?.[0]?.state === 'REQUESTED');
    expect(waiting.phase).toBe('AWAITING_QUALIFICATION');

    // Only the customer's homologation authority grants, within 18 months, with measures.
    expect(await refusalOf(handle.executeUpdate(grantDerogationUpdate, { args: [{ ...grant(plan, new Date(Date.now() + MONTH_MS).toISOString()), actor: approver(plan.customer.id, ['RSSI']) }] }))).toBe('Forbidden');
    expect(await refusalOf(handle.executeUpdate(grantDerogationUpdate, { args: [{ ...grant(plan, new Date(Date.now() + 19 * MONTH_MS).toISOString()) }] }))).toBe('Invalid');
    expect(await refusalOf(handle.executeUpdate(grantDerogationUpdate, { args: [{ ...grant(plan, new Date(Date.now() + MONTH_MS).toISOString()), compensatingMeasures: [] }] }))).toBe('Invalid');
    expect(await refusalOf(handle.executeUpdate(grantDerogationUpdate, { args: [{ ...grant(plan, new Date(Date.now() + MONTH_MS).toISOString()), actor: ops }] }))).toBe('Forbidden');

    const expiresAt = new Date(Date.now() + 6 * MONTH_MS).toISOString();
    const granted = await handle.executeUpdate(grantDerogationUpdate, { args: [grant(plan, expiresAt)] });
    expect(granted).toMatchObject({ id: 'derogation.secnumcloud', state: 'GRANTED', grantedBy: 'ha-1', expiresAt, workloadIds: ['portail'] });
    await acceptDerogationRisk(handle, plan);

    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.derogations).toEqual([expect.objectContaining({ state: 'GRANTED', renewals: 0 })]);
    expect(final.audit.map((entry) => [entry.action, entry.actor])).toEqual(
      expect.arrayContaining([
        ['REQUEST_DEROGATION', 'consultant-1'],
        ['GRANT_DEROGATION', 'ha-1'],
      ]),
    );
    expect(final.timeline.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['DEROGATION_REQUESTED', 'DEROGATION_GRANTED']));
    expect(final.steps.find((step) => step.id === 'qualification')?.state).toBe('SUCCEEDED');
  });

  it('refuses a derogation for a dedicated zone, and a second request while one is pending', async () => {
    const plan = ministryPlan(true);
    const handle = await requestedAtTheGate(plan);
    expect(await refusalOf(handle.executeUpdate(requestDerogationUpdate, { args: [{ zoneId: 'secnumcloud-dedicated', reason: 'r', actor: consultant }] }))).toBe('Conflict');
    expect(await refusalOf(handle.executeUpdate(requestDerogationUpdate, { args: [{ zoneId: 'secnumcloud', reason: 'again', actor: consultant }] }))).toBe('Conflict');
    expect(await refusalOf(handle.executeUpdate(requestDerogationUpdate, { args: [{ zoneId: 'nowhere', reason: 'r', actor: consultant }] }))).toBe('NotFound');
    // A refused request may be asked again.
    await handle.executeUpdate(refuseDerogationUpdate, { args: [{ zoneId: 'secnumcloud', comment: 'not without an exit plan', actor: authorityOf(plan) }] });
    const again = await handle.executeUpdate(requestDerogationUpdate, { args: [{ zoneId: 'secnumcloud', reason: 'with an exit plan now', actor: consultant }] });
    expect(again.state).toBe('REQUESTED');
    await handle.cancel();
  });

  it('expires by a durable timer carried across continue-as-new, needs attention until renewed once, and ends when the qualification comes', async () => {
    const plan = ministryPlan(true);
    // Checks every 50 ms over a small budget: the run continues as new while the derogation runs.
    plan.settings.qualificationCheckInterval = 'PT0.05S';
    const handle = await requestedAtTheGate(plan, { continueAsNewAfterEvents: 200 });
    const expiresAt = new Date(Date.now() + 8_000).toISOString();
    await handle.executeUpdate(grantDerogationUpdate, { args: [grant(plan, expiresAt)] });
    await acceptDerogationRisk(handle, plan);

    // The gate per zone lets the derogated zone through (its portal moves) while the dedicated zone waits; on a loaded
    // machine that cutover may outlast the derogation, so the wait is on the run being back at the gate, needing attention.
    const lapsed = await stack.waitForStatus(handle, (status) => status.status === 'NEEDS_ATTENTION' && status.phase === 'AWAITING_QUALIFICATION', 60_000);
    expect(lapsed.derogations?.[0]).toMatchObject({ state: 'EXPIRED', closedAt: expiresAt });
    expect(lapsed.attention).toEqual([expect.objectContaining({ stepId: 'derogation.secnumcloud', reason: 'DEROGATION_EXPIRED', since: expiresAt })]);
    expect(lapsed.attention[0]?.message).toMatch(/expired/);
    expect((await chainHistoryLengths(stack.client, handle.workflowId)).length).toBeGreaterThan(1);

    const renewed = await handle.executeUpdate(renewDerogationUpdate, {
      args: [{ zoneId: 'secnumcloud', justification: 'the qualification slipped by a quarter', expiresAt: new Date(Date.now() + 3 * MONTH_MS).toISOString(), actor: authorityOf(plan) }],
    });
    expect(renewed).toMatchObject({ state: 'GRANTED', renewals: 1 });
    const waiting = await stack.waitForStatus(handle, (status) => status.status === 'WAITING');
    expect(waiting.attention).toEqual([]);
    // R10: one renewal only.
    expect(
      await refusalOf(
        handle.executeUpdate(renewDerogationUpdate, {
          args: [{ zoneId: 'secnumcloud', justification: 'again', expiresAt: new Date(Date.now() + 4 * MONTH_MS).toISOString(), actor: authorityOf(plan) }],
        }),
      ),
    ).toBe('Conflict');

    await simCloud.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
    await handle.signal(qualificationChangedSignal);
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.derogations?.[0]?.state).toBe('ENDED');
    expect(final.timeline.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['DEROGATION_EXPIRED', 'DEROGATION_RENEWED', 'DEROGATION_ENDED']));
  }, 120_000);

  it('puts the run in NEEDS_ATTENTION when revoked, until an operator decides; a revoked derogation is not renewed', async () => {
    const plan = ministryPlan(true);
    const handle = await requestedAtTheGate(plan);
    await handle.executeUpdate(grantDerogationUpdate, { args: [grant(plan, new Date(Date.now() + 6 * MONTH_MS).toISOString())] });
    await handle.executeUpdate(revokeDerogationUpdate, { args: [{ zoneId: 'secnumcloud', comment: 'the compensating measures were not applied', actor: authorityOf(plan) }] });

    const revoked = await stack.waitForStatus(handle, (status) => status.status === 'NEEDS_ATTENTION');
    expect(revoked.derogations?.[0]?.state).toBe('REVOKED');
    expect(revoked.attention[0]).toMatchObject({ stepId: 'derogation.secnumcloud', reason: 'DEROGATION_EXPIRED' });
    expect(revoked.attention[0]?.message).toMatch(/revoked/);
    expect(
      await refusalOf(
        handle.executeUpdate(renewDerogationUpdate, {
          args: [{ zoneId: 'secnumcloud', justification: 'j', expiresAt: new Date(Date.now() + MONTH_MS).toISOString(), actor: authorityOf(plan) }],
        }),
      ),
    ).toBe('Conflict');
    expect(await refusalOf(handle.executeUpdate(acknowledgeDerogationLapseUpdate, { args: [{ zoneId: 'secnumcloud', comment: 'wait', actor: consultant }] }))).toBe('Forbidden');

    await handle.executeUpdate(acknowledgeDerogationLapseUpdate, { args: [{ zoneId: 'secnumcloud', comment: 'the zone waits for the qualification', actor: ops }] });
    // The clear zones may still be provisioning when the lapse is acknowledged: the run then waits at the gate.
    const acknowledged = await stack.waitForStatus(handle, (status) => status.status === 'WAITING' && status.phase === 'AWAITING_QUALIFICATION');
    expect(acknowledged.attention).toEqual([]);
    expect(acknowledged.audit.map((entry) => entry.action)).toEqual(expect.arrayContaining(['REVOKE_DEROGATION', 'ACKNOWLEDGE_DEROGATION_LAPSE']));
    await handle.cancel();
  });
});
