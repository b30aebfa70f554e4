import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type MigrationStatus, type Plan, type RiskCode, validatePlan } from '../../domain';
import {
  acceptRisksUpdate,
  amendPlanUpdate,
  cancelUpdate,
  decideApprovalUpdate,
  grantDerogationUpdate,
  qualificationChangedSignal,
  requestDerogationUpdate,
  riskRegisterQuery,
} from '../../workflows/messages';
import { approver, consultant, fixtureExpected, fixturePlan, ops, unique } from '../support/plans';
import { finalStatusOf } from '../support/statuses';
import type { TestStack } from '../support/stack';
import { approveAll, currentApprovals, refusalOf, type SimCloudForTests, startRun, useWorkflowStack } from './support/runs';

let stack: TestStack;
let simCloud: SimCloudForTests;
useWorkflowStack((started, admin) => {
  stack = started;
  simCloud = admin;
});

const MONTH_MS = 30 * 24 * 3600 * 1000;

type FixtureName = 'hospital-group' | 'regional-council';

/** The register docs/rules.md gives each fixture, from its expected classification (test/fixtures/estates/*.risks.expected.json). */
function expectedRisks(name: FixtureName): { id: string; code: RiskCode; ownerRole: string; workloadIds: string[] }[] {
  const file = path.join(__dirname, '..', 'fixtures', 'estates', `${name}.risks.expected.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { risks: ReturnType<typeof expectedRisks> }).risks;
}

/**
 * A ministry's plan: a portal holding the State's business secrets (R4: SECNUMCLOUD, which a
 * derogation may let through) and a Diffusion Restreinte store (R2: dedicated, never derogated),
 * so that the run keeps waiting at the gate for the qualification after the portal moved.
 */
function ministryPlan(): Plan {
  const result = validatePlan({
    planId: unique('risks'),
    customer: { id: unique('ministere'), name: 'Ministère de Test', type: 'STATE' },
    workloads: [
      { id: 'portail', name: 'Portail', kind: 'app', sizeGb: 5, dataCategories: ['BUSINESS_SECRET'], dependsOn: [], criticality: 'MEDIUM' },
      { id: 'notes', name: 'Notes DR', kind: 'storage', sizeGb: 5, dataCategories: ['DIFFUSION_RESTREINTE'], dependsOn: [], criticality: 'HIGH' },
    ],
    settings: { approvalDeadline: 'P30D', maxWaveSize: 2, bandwidthMbps: 1000, qualificationCheckInterval: 'PT1H' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

function cutoverStepsOf(status: MigrationStatus, workloadId: string) {
  return status.steps.filter((step) => step.phase === 'CUTOVER' && step.workloadId === workloadId);
}

describe('the residual-risk register a run keeps', () => {
  it.each(['hospital-group', 'regional-council'] as const)(
    'derives the register of the %s fixture from its classification, and the homologation decision accepts and records every open risk',
    async (name) => {
      const plan = fixturePlan(name, { planId: unique(name) });
      const handle = await startRun(stack, plan);
      const waiting = await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL' && currentApprovals(status).length > 0);
      const expected = expectedRisks(name);

      // Each exposure is a migrating STANDARD workload of the expected classification.
      const levels = fixtureExpected(name).workloads;
      for (const risk of expected.filter((candidate) => candidate.code === 'EXTRATERRITORIAL_EXPOSURE')) expect(levels[risk.workloadIds[0]!]?.level).toBe('STANDARD');

      const register = await handle.query(riskRegisterQuery);
      expect(register.derived).toBe(true);
      expect(register.risks.map(({ id, code, ownerRole, workloadIds }) => ({ id, code, ownerRole, workloadIds }))).toEqual(expected);
      expect(register.risks.every((risk) => risk.state === 'OPEN' && risk.description.code === `RISK_${risk.code}`)).toBe(true);
      expect(waiting.risks?.risks.map((risk) => risk.id)).toEqual(expected.map((risk) => risk.id));
      expect(waiting.timeline.find((entry) => entry.kind === 'RISKS_OPENED')?.text).toEqual({
        code: 'RISKS_OPENED',
        params: { riskIds: expected.map((risk) => risk.id).slice(0, 5), riskCount: expected.length },
      });

      // Approving the other sign-offs accepts nothing; the homologation accepts every open risk and its decision says which.
      for (const approval of currentApprovals(waiting).filter((candidate) => candidate.id !== 'homologation')) {
        await handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId: approval.id, decision: 'APPROVE', actor: approver(plan.customer.id, [approval.role]) }] });
      }
      expect((await handle.query(riskRegisterQuery)).risks.map((risk) => risk.state)).toEqual(expected.map(() => 'OPEN'));
      const authority = approver(plan.customer.id, ['HOMOLOGATION_AUTHORITY'], 'authority-1');
      const homologation = await handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId: 'homologation', decision: 'APPROVE', actor: authority }] });
      expect(homologation.decision?.acceptedRiskIds).toEqual(expected.map((risk) => risk.id));

      const accepted = await handle.query(riskRegisterQuery);
      expect(accepted.acceptedOnHomologation).toEqual({ by: 'authority-1', at: homologation.decision?.at, riskIds: expected.map((risk) => risk.id) });
      expect(accepted.risks.map((risk) => [risk.state, risk.acceptance])).toEqual(
        expected.map(() => ['ACCEPTED', { by: 'authority-1', at: homologation.decision?.at, onHomologation: true }]),
      );
      // An accepted risk is not accepted again.
      expect(await refusalOf(handle.executeUpdate(acceptRisksUpdate, { args: [{ riskIds: [expected[0]!.id], actor: approver(plan.customer.id, ['DPO']) }] }))).toBe('Conflict');

      await handle.executeUpdate(cancelUpdate, { args: [{ actor: ops, reason: 'register checked' }] });
      const final = await finalStatusOf(handle);
      expect(final.approvals.find((approval) => approval.id === 'homologation')?.decision?.acceptedRiskIds).toEqual(expected.map((risk) => risk.id));
    },
  );

  it('keeps acceptances across an amendment, opens the risks the amended plan adds, and the next homologation accepts only those', async () => {
    const hospital = fixturePlan('hospital-group', { planId: unique('amended') });
    const handle = await startRun(stack, hospital);
    const waiting = await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL' && currentApprovals(status).length > 0);
    await handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId: 'homologation', decision: 'APPROVE', actor: approver(hospital.customer.id, ['HOMOLOGATION_AUTHORITY'], 'authority-1') }] });
    await handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId: 'rssi', decision: 'REQUEST_CHANGES', comment: 'the kiosk moves too', actor: approver(hospital.customer.id, ['RSSI']) }] });

    // The kiosk's visitors' data sit on a standard offer: a new exposure, OPEN while the others stay accepted.
    const kiosk = { id: 'kiosk', name: 'Borne', kind: 'app' as const, sizeGb: 1, dataCategories: ['PERSONAL' as const], dependsOn: [], criticality: 'LOW' as const };
    await handle.executeUpdate(amendPlanUpdate, { args: [{ plan: { ...waiting.plan, workloads: [...waiting.plan.workloads, kiosk] }, actor: consultant }] });
    const amended = await handle.query(riskRegisterQuery);
    const states = Object.fromEntries(amended.risks.map((risk) => [risk.id, risk.state]));
    expect(states).toEqual({ 'extraterritorial-exposure.collab': 'ACCEPTED', 'extraterritorial-exposure.kiosk': 'OPEN', 'extraterritorial-exposure.payroll': 'ACCEPTED' });
    expect(amended.acceptedOnHomologation).toBeUndefined();

    const round2 = await stack.waitForStatus(handle, (status) => status.round === 2 && currentApprovals(status).length > 0);
    expect(round2.timeline.filter((entry) => entry.kind === 'RISKS_OPENED').at(-1)?.text).toEqual({ code: 'RISKS_OPENED', params: { riskIds: ['extraterritorial-exposure.kiosk'], riskCount: 1 } });
    const decision = await handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId: 'homologation', decision: 'APPROVE', actor: approver(hospital.customer.id, ['HOMOLOGATION_AUTHORITY'], 'authority-2') }] });
    expect(decision.decision?.acceptedRiskIds).toEqual(['extraterritorial-exposure.kiosk']);
    const register = await handle.query(riskRegisterQuery);
    expect(register.risks.map((risk) => [risk.id, risk.acceptance?.by])).toEqual([
      ['extraterritorial-exposure.collab', 'authority-1'],
      ['extraterritorial-exposure.kiosk', 'authority-2'],
      ['extraterritorial-exposure.payroll', 'authority-1'],
    ]);
    await handle.executeUpdate(cancelUpdate, { args: [{ actor: ops, reason: 'register checked' }] });
    await handle.result();
  });

  it('holds the wave of a derogated zone until the homologation authority accepts the derogation’s risk, and closes the risk when the qualification ends the derogation', async () => {
    await simCloud.setCredentials({ secnumcloud: 'J2', hds: true });
    const plan = ministryPlan();
    const authority = approver(plan.customer.id, ['HOMOLOGATION_AUTHORITY'], 'ha-1');
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);
    const atGate = await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_QUALIFICATION' && (status.gate?.checks ?? 0) > 0);
    // Nothing in the plan is a residual risk: the homologation accepted none.
    expect(atGate.approvals.find((approval) => approval.id === 'homologation')?.decision?.acceptedRiskIds).toEqual([]);
    expect((await handle.query(riskRegisterQuery)).risks).toEqual([]);

    await handle.executeUpdate(requestDerogationUpdate, { args: [{ zoneId: 'secnumcloud', reason: 'the portal must leave the old data centre', actor: consultant }] });
    const grant = {
      zoneId: 'secnumcloud',
      justification: 'continuity of the public service while the provider completes its qualification',
      compensatingMeasures: ['customer-held keys'],
      expiresAt: new Date(Date.now() + 6 * MONTH_MS).toISOString(),
      actor: authority,
    };
    await handle.executeUpdate(grantDerogationUpdate, { args: [grant] });

    // The derogation appears in the register, OPEN, and the portal's wave waits for its acceptance.
    const held = await stack.waitForStatus(handle, (status) => status.waves.some((wave) => wave.heldBy !== undefined));
    const wave = held.waves.find((candidate) => candidate.heldBy !== undefined)!;
    expect(wave).toMatchObject({ state: 'WAITING', workloadIds: ['portail'], heldBy: { reason: 'OPEN_RISKS', riskIds: ['derogation.secnumcloud'] } });
    expect(wave.heldBy?.text).toEqual({ code: 'WAVE_HELD_BY_RISKS', params: { waveId: wave.id, riskIds: ['derogation.secnumcloud'], riskCount: 1 } });
    expect(held.status).toBe('WAITING');
    expect(cutoverStepsOf(held, 'portail')).toEqual([]);
    const opened = await handle.query(riskRegisterQuery);
    expect(opened.risks).toEqual([
      expect.objectContaining({ id: 'derogation.secnumcloud', code: 'DEROGATION', state: 'OPEN', ownerRole: 'HOMOLOGATION_AUTHORITY', workloadIds: ['portail'], expiresAt: grant.expiresAt }),
    ]);

    // Only an approver of the run's customer holding the owner role accepts it.
    const accept = (actor: typeof authority, riskIds = ['derogation.secnumcloud']) => handle.executeUpdate(acceptRisksUpdate, { args: [{ riskIds, comment: 'measures in place', actor }] });
    expect(await refusalOf(accept(approver(plan.customer.id, ['RSSI'])))).toBe('Forbidden');
    expect(await refusalOf(accept(approver('another-customer', ['HOMOLOGATION_AUTHORITY'])))).toBe('NotFound');
    expect(await refusalOf(accept({ ...consultant, approverRoles: ['HOMOLOGATION_AUTHORITY'] }))).toBe('Forbidden');
    expect(await refusalOf(accept(authority, ['derogation.nowhere']))).toBe('NotFound');
    expect(await refusalOf(accept(authority, []))).toBe('Invalid');
    const still = await handle.query(riskRegisterQuery);
    expect(still.risks[0]?.state).toBe('OPEN');

    const accepted = await accept(authority);
    expect(accepted.map(({ id, state, acceptance }) => ({ id, state, by: acceptance?.by, onHomologation: acceptance?.onHomologation }))).toEqual([
      { id: 'derogation.secnumcloud', state: 'ACCEPTED', by: 'ha-1', onHomologation: false },
    ]);

    // Released: the portal moves while the dedicated zone waits for the qualification.
    const moved = await stack.waitForStatus(handle, (status) => {
      const steps = cutoverStepsOf(status, 'portail');
      return status.phase === 'AWAITING_QUALIFICATION' && steps.length > 0 && steps.every((step) => step.state === 'SUCCEEDED');
    });
    expect(moved.waves.find((candidate) => candidate.id === wave.id)).toMatchObject({ state: 'SUCCEEDED' });
    expect(moved.waves.find((candidate) => candidate.id === wave.id)?.heldBy).toBeUndefined();
    expect(moved.audit.find((entry) => entry.action === 'ACCEPT_RISKS')).toMatchObject({ actor: 'ha-1', target: 'risks derogation.secnumcloud', comment: 'measures in place' });

    // The qualification ends the derogation (R10): its risk closes, its acceptance stays on record.
    await simCloud.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
    await handle.signal(qualificationChangedSignal);
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.derogations?.[0]?.state).toBe('ENDED');
    expect(final.risks?.risks.map(({ id, state, acceptance }) => ({ id, state, by: acceptance?.by }))).toEqual([{ id: 'derogation.secnumcloud', state: 'CLOSED', by: 'ha-1' }]);
    expect(final.timeline.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['RISKS_OPENED', 'WAVE_HELD_BY_RISKS', 'RISKS_ACCEPTED', 'RISKS_CLOSED']));
  }, 120_000);
});
