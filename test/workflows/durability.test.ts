import { validatePlan, type Plan } from '../../domain';
import { statusQuery } from '../../workflows/messages';
import { CUSTOMER_ID, PHASE, RUN_STATUS } from '../../workflows/search-attributes';
import { smallPlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';
import { approveAll, runChain, startRun } from './support/runs';
import { waitUntil } from '../support/wait';
import { finalStatusOf } from '../support/statuses';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** A plan of `count` independent workloads at STANDARD level, for scale. */
function widePlan(planId: string, count: number, maxWaveSize: number): Plan {
  const result = validatePlan({
    planId,
    customer: { id: unique('scale'), name: 'Entreprise à grande échelle', type: 'PRIVATE' },
    workloads: Array.from({ length: count }, (_, index) => ({
      id: `w-${String(index).padStart(4, '0')}`,
      name: `Workload ${index}`,
      kind: 'vm',
      sizeGb: 1,
      dataCategories: ['INTERNAL'],
      dependsOn: [],
      criticality: 'LOW',
    })),
    settings: { maxWaveSize },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

describe('durability', () => {
  it('finishes a run that waited for approvals across a worker restart', async () => {
    const plan = smallPlan(unique('restart'), { customerId: unique('mairie') });
    const handle = await startRun(stack, plan);
    await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    await stack.restartWorker();

    await approveAll(stack, handle, plan);
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.audit.filter((entry) => entry.action === 'APPROVE')).toHaveLength(2);
  });

  it('caps waves at 100 workloads, continues as new between waves past the event threshold and carries a 120-workload run to COMPLETED with its status intact', async () => {
    const plan = widePlan(unique('wide'), 120, 500);
    const handle = await startRun(stack, plan, { continueAsNewAfterEvents: 40 });
    await approveAll(stack, handle, plan);

    // After the first continue-as-new, the new run answers with the status it was handed.
    // A loaded machine moves the first wave slowly: the wait is on the run's state, with room for it.
    await waitUntil('the run to continue as new', async () => (await handle.describe()).runId !== handle.firstExecutionRunId, { timeoutMs: 480_000, intervalMs: 200 });
    const midway = await handle.query(statusQuery);
    expect(midway.phase).toBe('CUTOVER');
    expect(midway.approvals.map((approval) => approval.state)).toEqual(['APPROVED']);
    expect(midway.waves.some((wave) => wave.state === 'SUCCEEDED')).toBe(true);

    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.percentComplete).toBe(100);
    expect(final.waves.map((wave) => wave.workloadIds.length)).toEqual([100, 20]);
    expect(final.timeline.find((entry) => entry.kind === 'WAVES_PLANNED')?.message).toBe('2 wave(s) over 120 workload(s) (at most 100 per wave)');
    expect(final.waves.every((wave) => wave.state === 'SUCCEEDED')).toBe(true);
    const cutover = final.steps.filter((step) => step.phase === 'CUTOVER');
    expect(cutover).toHaveLength(120 * 6);
    expect(cutover.every((step) => step.state === 'SUCCEEDED')).toBe(true);
    // Carried packed across continue-as-new, the steps come back whole: titles, times, workloads.
    expect(cutover.every((step) => /^Workload \d+: /.test(step.title) && step.startedAt! <= step.endedAt! && step.waveId !== undefined)).toBe(true);
    expect(final.timeline.filter((entry) => entry.kind === 'PHASE').map((entry) => entry.message)).toEqual([
      'Phase CLASSIFICATION',
      'Phase AWAITING_APPROVAL',
      'Phase AWAITING_QUALIFICATION',
      'Phase PROVISIONING',
      'Phase CUTOVER',
      'Phase DONE',
    ]);
    expect(final.audit.map((entry) => entry.action)).toEqual(['START', 'APPROVE']);

    const chain = await runChain(stack.client, handle.workflowId);
    expect(chain.map((run) => run.status)).toEqual(['CONTINUED_AS_NEW', 'COMPLETED']);
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect([attributes.get(CUSTOMER_ID), attributes.get(PHASE), attributes.get(RUN_STATUS)]).toEqual([plan.customer.id, 'DONE', 'COMPLETED']);

    const waveLengths = await Promise.all(final.waves.map(async (wave) => (await stack.client.workflow.getHandle(wave.workflowId!).fetchHistory()).events?.length ?? 0));
    const largest = Math.max(...chain.map((run) => run.events), ...waveLengths);
    console.info(`120 workloads in 2 waves: ${chain.length} runs of ${chain.map((run) => run.events).join(', ')} events; wave histories ${waveLengths.join(', ')} events; largest ${largest}; final status ${JSON.stringify(final).length} bytes of JSON`);
    expect(largest).toBeLessThan(10_240);
  }, 600_000);
});
