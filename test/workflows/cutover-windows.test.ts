import { type MigrationStatus, type Plan, validatePlan } from '../../domain';
import { openCutoverWindowUpdate } from '../../workflows/messages';
import { approver, ops, smallPlan, unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { approveAll, refusalOf, type SimCloudForTests, startRun, useWorkflowStack } from './support/runs';
import { finalStatusOf } from '../support/statuses';

let stack: TestStack;
let simCloud: SimCloudForTests;
useWorkflowStack((started, admin) => {
  stack = started;
  simCloud = admin;
});

/** The small plan (wave-1 moves `db`, wave-2 moves `web`) with a cutover window and a five-second switchover. */
function planWithWindow(prefix: string, cutoverWindow: Record<string, unknown>): Plan {
  const base = smallPlan(unique(prefix), { customerId: unique('mairie') });
  const result = validatePlan({ ...base, cutoverWindow: { switchoverDuration: 'PT5S', ...cutoverWindow } });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

const cutoverSteps = (status: MigrationStatus, names: string[]) =>
  status.steps.filter((step) => step.phase === 'CUTOVER' && names.some((name) => step.id.endsWith(`.${name}`)));

describe('cutover windows', () => {
  it('replicates at once but freezes and switches no workload before its window opens, then completes inside it', async () => {
    const opensAt = new Date(Date.now() + 25_000).toISOString();
    const closesAt = new Date(Date.now() + 15 * 60_000).toISOString();
    const plan = planWithWindow('window', { start: opensAt, end: closesAt });
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);

    const waiting = await stack.waitForStatus(handle, (status) => status.waves[0]?.window?.state === 'WAITING_FOR_WINDOW');
    expect(Date.now()).toBeLessThan(Date.parse(opensAt));
    expect(waiting.status).toBe('WAITING');
    expect(waiting.waves[0]?.window).toMatchObject({ opensAt: new Date(opensAt).toISOString(), closesAt: new Date(closesAt).toISOString(), switchoverDuration: 'PT5S' });
    expect(waiting.steps.find((step) => step.id === 'cutover.wave-1.db.replicate')?.state).toBe('SUCCEEDED');
    expect(cutoverSteps(waiting, ['freeze', 'switch']).map((step) => step.state)).toEqual(['PENDING', 'PENDING']);

    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    const moved = cutoverSteps(final, ['freeze', 'final-sync', 'validate', 'switch', 'smoke-test']);
    expect(moved).toHaveLength(10);
    for (const step of moved) {
      expect(step.state).toBe('SUCCEEDED');
      expect(Date.parse(step.startedAt!)).toBeGreaterThanOrEqual(Date.parse(opensAt));
      expect(Date.parse(step.endedAt!)).toBeLessThan(Date.parse(closesAt));
    }
    expect(final.waves.map((wave) => wave.window?.state)).toEqual(['IN_WINDOW', 'IN_WINDOW']);
  }, 120_000);

  it('waits for an operator when no window is left, and switches in the exceptional window ops open', async () => {
    const plan = planWithWindow('no-window-left', { start: '2026-01-10T22:00:00Z', end: '2026-01-11T04:00:00Z' });
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);

    const stuck = await stack.waitForStatus(handle, (status) => status.attention.some((item) => item.reason === 'NO_CUTOVER_WINDOW'));
    expect(stuck.status).toBe('NEEDS_ATTENTION');
    expect(stuck.waves[0]?.window?.state).toBe('NO_WINDOW_LEFT');
    const tenantId = stuck.resources['provisioning.tenant']!;
    expect((await simCloud.workload(tenantId, 'db')).source.state).toBe('LIVE');

    const closesAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const request = { closesAt, reason: 'the mayor moved the switch to today' };
    expect(await refusalOf(handle.executeUpdate(openCutoverWindowUpdate, { args: [{ ...request, actor: approver(plan.customer.id, ['RSSI']) }] }))).toBe('Forbidden');
    expect(await refusalOf(handle.executeUpdate(openCutoverWindowUpdate, { args: [{ ...request, reason: ' ', actor: ops }] }))).toBe('Invalid');
    expect(await refusalOf(handle.executeUpdate(openCutoverWindowUpdate, { args: [{ ...request, waveId: 'wave-9', actor: ops }] }))).toBe('NotFound');
    const openedAt = Date.now();
    await handle.executeUpdate(openCutoverWindowUpdate, { args: [{ ...request, actor: ops }] });

    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    for (const step of cutoverSteps(final, ['freeze', 'switch'])) expect(Date.parse(step.startedAt!)).toBeGreaterThanOrEqual(openedAt - 1000);
    expect(final.audit).toContainEqual(expect.objectContaining({ actor: 'ops-1', action: 'OPEN_CUTOVER_WINDOW', target: 'every wave', comment: expect.stringContaining('the mayor moved the switch to today') as unknown }));
    expect(final.exceptionalWindows).toEqual([expect.objectContaining({ closesAt, by: 'ops-1', reason: 'the mayor moved the switch to today' })]);
    expect(final.waves.map((wave) => wave.window)).toEqual([
      expect.objectContaining({ state: 'IN_WINDOW', exceptional: true }),
      expect.objectContaining({ state: 'IN_WINDOW', exceptional: true }),
    ]);
    expect((await simCloud.workload(tenantId, 'db')).dnsRecord?.target).toBe('cloud');
  }, 120_000);
});
