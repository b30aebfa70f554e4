/**
 * Fleet operations after a provider outage: switching traffic fails for several runs, the
 * outage ends, and one batch selected by query (customer, phase, failed step's operation)
 * retries them all, through the API on the real stack, touching no run outside its selection.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { type BatchDryRun, type BatchOrder, type BatchView, batchWorkflowId, type MigrationStatus, type Plan, type StartBatchResponse } from '../../domain';
import type { batchWorkflow } from '../../workflows';
import { retryStepUpdate } from '../../workflows/messages';
import { ops, smallPlan, unique } from '../support/plans';
import { finalStatusOf } from '../support/statuses';
import type { TestStack } from '../support/stack';
import { waitFor } from '../support/wait';
import { approveAll, type MigrationHandle, runChain, type SimCloudForTests, startRun, useWorkflowStack } from './support/runs';

let stack: TestStack;
let simCloud: SimCloudForTests;
useWorkflowStack((started, admin) => {
  stack = started;
  simCloud = admin;
});

const SWITCH = (status: MigrationStatus) => status.attention.some((item) => item.reason === 'STEP_FAILED' && item.stepId.endsWith('.switch'));

async function callApi<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const token = await stack.token({ sub: 'ops-on-call', roles: ['ops'] });
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** The names of the Updates a run's history accepted, in order. */
async function acceptedUpdates(client: Client, workflowId: string): Promise<string[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const name = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;
    return name ? [name] : [];
  });
}

async function startApproved(plan: Plan): Promise<MigrationHandle> {
  const handle = await startRun(stack, plan);
  await approveAll(stack, handle, plan);
  return handle;
}

describe('a batch retry after a provider outage', () => {
  it('completes every run the selection matched and touches no other; its dry run touches none', async () => {
    const customer = unique('ght-batch');
    const otherCustomer = unique('mairie-batch');
    // The outage: every switch of traffic fails until it is over.
    await simCloud.armFault({ operation: 'switchTraffic', mode: 'error', times: 1_000 });
    // The customer's three runs cut over at once: each migrates its own workloads.
    const affected = await Promise.all([1, 2, 3].map((index) => startApproved(smallPlan(unique(`outage-${index}`), { customerId: customer, workloadSuffix: String(index) }))));
    const switchStepOf = new Map(affected.map((handle, index) => [handle.workflowId, `cutover.wave-1.db-${index + 1}.switch`]));
    const otherCustomersRun = await startApproved(smallPlan(unique('outage-other'), { customerId: otherCustomer }));
    // A run of the same customer that the outage did not reach: it waits for its approvals.
    const waitingRun = await startRun(stack, smallPlan(unique('outage-waiting'), { customerId: customer }));
    for (const handle of [...affected, otherCustomersRun]) await stack.waitForStatus(handle, SWITCH, 120_000);
    await stack.waitForStatus(waitingRun, (status) => status.phase === 'AWAITING_APPROVAL');
    await simCloud.clearFaults();

    const selection = { customer, phase: 'CUTOVER', operation: 'switch' };
    const request = { action: 'retry-failed-steps', selection, reason: 'switchTraffic outage over (INC-4711)' };
    const affectedIds = affected.map((handle) => handle.workflowId).sort();
    // Visibility catches up with the runs' search attributes shortly after they change.
    const preview = await waitFor(
      'the dry run to list every affected run',
      async () => {
        const answer = await callApi<BatchDryRun>('POST', '/v1/batches', { ...request, dryRun: true });
        expect(answer.status).toBe(202);
        return answer.body.runs.length === affectedIds.length ? answer.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(preview.runs.map((run) => run.id)).toEqual(affectedIds);
    expect(preview.runs.every((run) => run.customerId === customer && run.status === 'NEEDS_ATTENTION')).toBe(true);
    for (const handle of affected) expect(await acceptedUpdates(stack.client, handle.workflowId)).not.toContain('retryStep');

    // The runs the preview listed, and one more outside the selection: it is left out.
    const started = await callApi<StartBatchResponse>('POST', '/v1/batches', { ...request, runIds: [...preview.runs.map((run) => run.id), otherCustomersRun.workflowId] });
    expect(started.status).toBe(202);
    expect(started.body.id).toMatch(/^batch:[0-9a-f-]{36}$/);
    expect(started.body.batch).toMatchObject({ state: 'RUNNING', total: 3, requestedBy: 'ops-on-call', action: 'retry-failed-steps' });

    const done = await waitFor(
      'the batch to complete',
      async () => {
        const { body } = await callApi<BatchView>('GET', `/v1/batches/${started.body.id}`);
        return body.state === 'COMPLETED' ? body : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    expect(done.counts).toMatchObject({ DONE: 3, REFUSED: 0, NOT_FOUND: 0, FAILED: 0, PENDING: 0 });
    expect(done.runs.map((run) => run.id).sort()).toEqual(affectedIds);
    for (const run of done.runs) expect(run.steps).toEqual([switchStepOf.get(run.id)]);

    for (const handle of affected) {
      const final = await finalStatusOf(handle);
      expect(final.status).toBe('COMPLETED');
      expect(final.audit).toContainEqual(expect.objectContaining({ actor: 'ops-on-call', action: 'RETRY_STEP', target: switchStepOf.get(handle.workflowId), comment: `${started.body.id}: switchTraffic outage over (INC-4711)` }));
    }
    // Outside the selection: the other customer's run still waits for an operator, and neither it nor the waiting run saw a retry.
    expect((await stack.waitForStatus(otherCustomersRun, SWITCH)).status).toBe('NEEDS_ATTENTION');
    expect(await acceptedUpdates(stack.client, otherCustomersRun.workflowId)).not.toContain('retryStep');
    expect(await acceptedUpdates(stack.client, waitingRun.workflowId)).toEqual([]);

    const list = await callApi<{ items: { id: string; action: string; total: number; requestedBy: string }[] }>('GET', '/v1/batches?limit=100');
    expect(list.body.items).toContainEqual(expect.objectContaining({ id: started.body.id, action: 'retry-failed-steps', total: 3, requestedBy: 'ops-on-call' }));

    await otherCustomersRun.executeUpdate(retryStepUpdate, { args: [{ stepId: 'cutover.wave-1.db.switch', actor: ops }] });
    expect((await otherCustomersRun.result()).status).toBe('COMPLETED');
    await waitingRun.terminate('test over');
    // Five runs through cutover on a shared 2-core machine: minutes when it is busy.
  }, 300_000);
});

describe('a batch over many runs', () => {
  it('continues as new while it works, keeping every outcome, and each run’s audit trail names the batch', async () => {
    const customer = unique('region-batch');
    const handles = await Promise.all([1, 2, 3, 4, 5].map((index) => startRun(stack, smallPlan(unique(`pause-${index}`), { customerId: customer }))));
    for (const handle of handles) await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    const id = batchWorkflowId(randomUUID());
    const order: BatchOrder = { id, action: 'pause', selection: { customer }, reason: 'freeze window', requestedBy: ops.subject, requestedAt: new Date().toISOString() };
    const batch = await stack.client.workflow.start<typeof batchWorkflow>('batchWorkflow', {
      workflowId: id,
      taskQueue: stack.taskQueue,
      args: [{ order, runIds: handles.map((handle) => handle.workflowId), actor: ops, runsPerChainRun: 2 }],
    });
    const result = await batch.result();
    expect(result).toMatchObject({ state: 'COMPLETED', total: 5, processed: 5, counts: { DONE: 5 } });
    expect((await runChain(stack.client, id)).map((run) => run.status)).toEqual(['CONTINUED_AS_NEW', 'CONTINUED_AS_NEW', 'COMPLETED']);
    for (const handle of handles) {
      const status = await stack.waitForStatus(handle, (candidate) => candidate.paused);
      expect(status.audit.at(-1)).toMatchObject({ actor: ops.subject, action: 'PAUSE', comment: `${id}: freeze window` });
    }

    // A resume selects paused runs only: the dry run lists these five once visibility has them.
    const preview = await waitFor(
      'the paused runs in a resume’s dry run',
      async () => {
        const { body } = await callApi<BatchDryRun>('POST', '/v1/batches', { action: 'resume', selection: { customer }, reason: 'freeze over', dryRun: true });
        return body.runs.length === handles.length ? body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(preview.runs.every((run) => run.status === 'PAUSED')).toBe(true);
    for (const handle of handles) await handle.terminate('test over');
  }, 180_000);
});
