import { type MigrationStatus, type Plan, validatePlan } from '../../domain';
import { decideRehearsalUpdate, retryStepUpdate, skipStepUpdate } from '../../workflows/messages';
import { approver, ops, smallPlan, unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { approveAll, type MigrationHandle, refusalOf, type SimCloudForTests, startRun, useWorkflowStack } from './support/runs';
import { finalStatusOf } from '../support/statuses';

let stack: TestStack;
let simCloud: SimCloudForTests;
useWorkflowStack((started, admin) => {
  stack = started;
  simCloud = admin;
});

/** The small plan (wave-1 moves `db`, wave-2 moves `web`) in which wave-1 rehearses. */
function planWithRehearsal(prefix: string): Plan {
  const base = smallPlan(unique(prefix), { customerId: unique('mairie') });
  const result = validatePlan({ ...base, settings: { ...base.settings, rehearsal: 'OPTIONAL', rehearsalWaves: ['wave-1'] } });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

const REHEARSAL_STEP = 'cutover.wave-1.rehearsal';

/** What sim-cloud holds of `db`: its source, its DNS record, and the test launches left of the tenant. */
async function dbAtProvider(status: MigrationStatus) {
  const tenantId = status.resources['provisioning.tenant']!;
  const workload = await simCloud.workload(tenantId, 'db');
  const launches = (await simCloud.listResources()).types['test-launch'].items.filter((item) => 'tenantId' in item && item.tenantId === tenantId);
  return { source: workload.source.state, dns: workload.dnsRecord, launches: launches.length };
}

async function awaitingDecision(handle: MigrationHandle, attempt: number): Promise<MigrationStatus> {
  return await stack.waitForStatus(handle, (status) => status.waves[0]?.rehearsal?.state === 'AWAITING_DECISION' && status.waves[0].rehearsal.attempt === attempt);
}

describe('rehearsals', () => {
  it('rehearses in an isolated network and reverts with the source untouched; a reported problem waits for an operator, whose retry and a confirmation reach cutover', async () => {
    const plan = planWithRehearsal('rehearsal');
    const rssi = approver(plan.customer.id, ['RSSI']);
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);

    const first = await awaitingDecision(handle, 1);
    expect(first.status).toBe('WAITING');
    expect(first.waves[0]?.rehearsal).toMatchObject({
      approvalId: 'rehearsal.wave-1',
      role: 'RSSI',
      deadline: expect.any(String) as unknown,
      launches: [{ workloadId: 'db', launchId: expect.stringMatching(/^tl-/) as unknown, network: expect.stringMatching(/^isolated-/) as unknown, smokeTest: { outcome: 'PASSED' } }],
    });
    expect(first.steps.filter((step) => step.id.startsWith('cutover.wave-1.db.')).map((step) => [step.id.split('.')[3], step.state])).toEqual([
      ['replicate', 'SUCCEEDED'],
      ['freeze', 'PENDING'],
      ['final-sync', 'PENDING'],
      ['validate', 'PENDING'],
      ['switch', 'PENDING'],
      ['smoke-test', 'PENDING'],
      ['rehearse-launch', 'SUCCEEDED'],
      ['rehearse-smoke-test', 'SUCCEEDED'],
      ['rehearse-teardown', 'PENDING'],
    ]);
    expect(await dbAtProvider(first)).toEqual({ source: 'LIVE', dns: null, launches: 1 });

    const decide = (decision: 'CONFIRM' | 'REPORT_PROBLEM', actor = rssi, comment?: string) =>
      handle.executeUpdate(decideRehearsalUpdate, { args: [{ waveId: 'wave-1', decision, actor, ...(comment === undefined ? {} : { comment }) }] });
    expect(await refusalOf(decide('CONFIRM', approver(unique('other'), ['RSSI'])))).toBe('NotFound');
    expect(await refusalOf(decide('CONFIRM', approver(plan.customer.id, ['DPO'])))).toBe('Forbidden');
    expect(await refusalOf(decide('REPORT_PROBLEM', rssi, ' '))).toBe('Invalid');
    expect(await refusalOf(handle.executeUpdate(decideRehearsalUpdate, { args: [{ waveId: 'wave-9', decision: 'CONFIRM', actor: rssi }] }))).toBe('NotFound');
    await decide('REPORT_PROBLEM', rssi, 'the billing export does not open');

    const failed = await stack.waitForStatus(handle, (status) => status.attention.some((item) => item.reason === 'REHEARSAL_FAILED'));
    expect(failed.status).toBe('NEEDS_ATTENTION');
    expect(failed.attention).toContainEqual(expect.objectContaining({ stepId: REHEARSAL_STEP, reason: 'REHEARSAL_FAILED', message: expect.stringContaining('the billing export does not open') as unknown }));
    expect(await dbAtProvider(failed)).toEqual({ source: 'LIVE', dns: null, launches: 0 });
    expect(await refusalOf(decide('CONFIRM'))).toBe('Conflict');

    await handle.executeUpdate(retryStepUpdate, { args: [{ stepId: REHEARSAL_STEP, actor: ops }] });
    await awaitingDecision(handle, 2);
    const confirmedAt = Date.now();
    await decide('CONFIRM', rssi, 'the billing export opens');

    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.waves[0]?.rehearsal).toMatchObject({ state: 'PASSED', attempt: 2, decision: { decision: 'CONFIRM', by: rssi.subject } });
    expect(final.waves[1]?.rehearsal).toBeUndefined();
    const freeze = final.steps.find((step) => step.id === 'cutover.wave-1.db.freeze')!;
    expect(Date.parse(freeze.startedAt!)).toBeGreaterThanOrEqual(confirmedAt - 1000);
    expect(final.audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: rssi.subject, action: 'REPORT_REHEARSAL_PROBLEM', target: 'rehearsal.wave-1', comment: 'the billing export does not open' }),
        expect.objectContaining({ actor: 'ops-1', action: 'RETRY_STEP', target: REHEARSAL_STEP }),
        expect.objectContaining({ actor: rssi.subject, action: 'CONFIRM_REHEARSAL', target: 'rehearsal.wave-1' }),
      ]),
    );
    const after = await dbAtProvider(final);
    expect(after.launches).toBe(0);
    expect(after.dns?.target).toBe('cloud');
  }, 180_000);

  it('fails a rehearsal whose smoke test fails, leaves the source live and launches nothing more, and an operator skips it with a reason', async () => {
    const plan = planWithRehearsal('rehearsal-smoke');
    await simCloud.writeSettings({ brokenTestWorkloads: ['db'] });
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);

    const failed = await stack.waitForStatus(handle, (status) => status.waves[0]?.rehearsal?.state === 'FAILED');
    expect(failed.status).toBe('NEEDS_ATTENTION');
    expect(failed.waves[0]?.rehearsal?.failure).toContain('application-answers');
    expect(failed.waves[0]?.rehearsal?.launches[0]).toMatchObject({ smokeTest: { outcome: 'FAILED' }, tornDown: true });
    expect(failed.steps.find((step) => step.id === 'cutover.wave-1.db.rehearse-smoke-test')?.state).toBe('FAILED');
    expect(await dbAtProvider(failed)).toEqual({ source: 'LIVE', dns: null, launches: 0 });
    expect(await refusalOf(handle.executeUpdate(skipStepUpdate, { args: [{ stepId: REHEARSAL_STEP, actor: ops }] }))).toBe('Invalid');

    await handle.executeUpdate(skipStepUpdate, { args: [{ stepId: REHEARSAL_STEP, actor: ops, reason: 'the application is checked by hand after the switch' }] });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.waves[0]?.rehearsal).toMatchObject({ state: 'SKIPPED', skippedReason: 'the application is checked by hand after the switch' });
  }, 180_000);

  it('fails a rehearsal whose deadline passes without a decision, saying so, with the source live and the launches torn down; a late decision conflicts', async () => {
    const base = planWithRehearsal('rehearsal-deadline');
    const validated = validatePlan({ ...base, settings: { ...base.settings, rehearsalApprovalDeadline: 'PT3S' } });
    if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
    const plan = validated.plan;
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);

    const failed = await stack.waitForStatus(handle, (status) => status.attention.some((item) => item.reason === 'REHEARSAL_FAILED'));
    expect(failed.status).toBe('NEEDS_ATTENTION');
    expect(failed.waves[0]?.rehearsal).toMatchObject({ state: 'FAILED', attempt: 1, failure: "no decision from the customer's RSSI within PT3S" });
    expect(failed.waves[0]?.rehearsal?.decision).toBeUndefined();
    expect(failed.waves[0]?.rehearsal?.launches[0]).toMatchObject({ smokeTest: { outcome: 'PASSED' }, tornDown: true });
    expect(failed.attention).toContainEqual(
      expect.objectContaining({ stepId: REHEARSAL_STEP, reason: 'REHEARSAL_FAILED', text: { code: 'ATTENTION_REHEARSAL_FAILED', params: { waveId: 'wave-1', error: "no decision from the customer's RSSI within PT3S" } } }),
    );
    expect(await dbAtProvider(failed)).toEqual({ source: 'LIVE', dns: null, launches: 0 });
    const late = handle.executeUpdate(decideRehearsalUpdate, { args: [{ waveId: 'wave-1', decision: 'CONFIRM', actor: approver(plan.customer.id, ['RSSI']) }] });
    expect(await refusalOf(late)).toBe('Conflict');

    await handle.executeUpdate(skipStepUpdate, { args: [{ stepId: REHEARSAL_STEP, actor: ops, reason: 'the RSSI tests after the switch' }] });
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.audit.filter((entry) => entry.target === 'rehearsal.wave-1')).toEqual([]);
  }, 180_000);
});
