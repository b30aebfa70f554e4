/**
 * No run left in a state the product cannot act on: a run that Temporal closed (terminated here,
 * as an operator, a history limit or a bug would) left its provisioning, and its cutover, at
 * the provider. Ops clean it up through the API (`POST /v1/migrations/{id}/cleanup`, or
 * `passerelle cleanup`); the clean-up undoes exactly what that run left, keeps what another
 * plan of the customer uses, and its progress and outcome show in the run's status, report and
 * audit trail. Customers and consultants may not ask for it, an open run is cancelled instead,
 * and asking twice gives the same clean-up.
 */
import { EXIT_CODES, runCli } from '../../../cli/main';
import type { MigrationOverview, MigrationReport, Plan, StartCleanupResponse, StepView } from '../../../domain';
import { createHttpCloudProvider } from '../../../activities/provider';
import { createSimCloudAdminClient } from '../../../sim-cloud/admin-client';
import { smallPlan, unique } from '../../support/plans';
import { provisionedCounts } from '../../support/provisioned';
import { ARM_CALL_ATTEMPTS, startStack, type TestStack } from '../../support/stack';
import { waitFor } from '../../support/wait';
import type { migrationWorkflow } from '../../../workflows';
import { approveAll } from '../../workflows/support/runs';
import { finalStatusOf } from '../../support/statuses';

let stack: TestStack;
let admin: ReturnType<typeof createSimCloudAdminClient>;
let tokens: { ops: string; consultant: string; customer: string };

beforeAll(async () => {
  stack = await startStack();
  admin = createSimCloudAdminClient({ baseUrl: stack.simCloud.url });
  tokens = {
    ops: await stack.token({ roles: ['ops'], sub: 'ops-cleaner' }),
    consultant: await stack.token({ roles: ['consultant'] }),
    customer: await stack.token({ roles: ['customer'], customerId: 'nobody' }),
  };
});

afterEach(async () => {
  await admin.clearFaults();
});

afterAll(async () => {
  await stack?.stop();
});

async function call<T>(method: string, route: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${stack.apiUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Starts `plan` through the API and approves it. */
async function startApproved(plan: Plan) {
  const started = await call<{ id: string }>('POST', '/v1/migrations', tokens.consultant, plan);
  expect(started.status).toBe(202);
  const workflow = stack.client.workflow.getHandle<typeof migrationWorkflow>(started.body.id);
  const handle = Object.assign(workflow, { firstExecutionRunId: (await workflow.describe()).runId });
  await approveAll(stack, handle, plan);
  return handle;
}

/** Asks for the clean-up as ops and waits until the run's status shows it ended. */
async function cleanUp(id: string): Promise<MigrationOverview> {
  const asked = await call<StartCleanupResponse>('POST', `/v1/migrations/${id}/cleanup`, tokens.ops, { reason: 'closed by Temporal' });
  expect(asked.status).toBe(202);
  expect(asked.body).toMatchObject({ id, created: true, statusUrl: `/v1/migrations/${id}`, cleanup: { requestedBy: 'ops-cleaner', reason: 'closed by Temporal' } });
  return await waitFor(
    `the clean-up of ${id}`,
    async () => {
      const { body } = await call<MigrationOverview>('GET', `/v1/migrations/${id}`, tokens.ops);
      return body.cleanup && body.cleanup.state !== 'RUNNING' ? body : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 200 },
  );
}

describe('the clean-up of a run that Temporal closed', () => {
  it('undoes what the run provisioned, keeps what another plan of the customer uses, and answers the same clean-up when asked again', async () => {
    const customerId = unique('ght');
    const first = smallPlan(unique('lot-1'), { customerId });
    const firstHandle = await startApproved(first);
    const firstFinal = await finalStatusOf(firstHandle);
    const tenantId = firstFinal.resources['provisioning.tenant']!;
    const before = await provisionedCounts(admin, tenantId);

    // The second plan stops at its log forwarding, after finding the first one's tenant, zone, vault and policies, and making its own tenant reference.
    await admin.armFault({ operation: 'arm.diagnosticSettings.put', mode: 'error', times: 2 * ARM_CALL_ATTEMPTS });
    const second = smallPlan(unique('lot-2'), { customerId });
    const handle = await startApproved(second);
    await stack.waitForStatus(handle, (status) => status.status === 'NEEDS_ATTENTION');
    const id = handle.workflowId;

    // An open run is cancelled, not cleaned up; only ops may ask.
    expect((await call<{ detail: string }>('POST', `/v1/migrations/${id}/cleanup`, tokens.ops, {})).status).toBe(409);
    await handle.terminate('terminated by a hostile test');
    expect((await call('POST', `/v1/migrations/${id}/cleanup`, tokens.consultant, {})).status).toBe(403);
    expect((await call('POST', `/v1/migrations/${id}/cleanup`, tokens.customer, {})).status).toBe(403);
    expect((await call('POST', `/v1/migrations/${firstHandle.workflowId}/cleanup`, tokens.ops, {})).status).toBe(409);

    const status = await cleanUp(id);
    expect(status.status).toBe('FAILED');
    expect(status.cleanup).toMatchObject({ state: 'SUCCEEDED', requestedBy: 'ops-cleaner' });
    expect(status.cleanup!.actions.map((action) => [action.stepId, action.state, action.detail ?? ''])).toEqual([
      ['provisioning.policies.standard', 'SUCCEEDED', `kept: still used by ${firstHandle.workflowId}`],
      ['provisioning.key-vault.standard', 'SUCCEEDED', `kept: still used by ${firstHandle.workflowId}`],
      ['provisioning.landing-zone.standard', 'SUCCEEDED', `kept: still used by ${firstHandle.workflowId}`],
      ['provisioning.tenant', 'SUCCEEDED', `kept: still used by ${firstHandle.workflowId}`],
    ]);
    expect(status.audit.at(-1)).toMatchObject({ actor: 'ops-cleaner', roles: ['ops'], action: 'CLEANUP', comment: 'closed by Temporal' });
    const steps = await call<{ items: StepView[] }>('GET', `/v1/migrations/${id}/steps?limit=500`, tokens.ops);
    expect(steps.body.items.find((step) => step.id === 'provisioning.tenant')?.state).toBe('COMPENSATED');
    // The first plan's resources are all still there, and used by it alone.
    expect(await provisionedCounts(admin, tenantId)).toEqual(before);

    const again = await call<StartCleanupResponse>('POST', `/v1/migrations/${id}/cleanup`, tokens.ops, {});
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ created: false, cleanup: { workflowId: status.cleanup!.workflowId, state: 'SUCCEEDED', requestedBy: 'ops-cleaner' } });
    const report = await call<MigrationReport>('GET', `/v1/migrations/${id}/report`, tokens.ops);
    expect(report.body).toMatchObject({ status: 'FAILED', cleanup: { state: 'SUCCEEDED' } });
  });

  it('moves the workloads of a terminated cutover back to their sources and leaves nothing of the run at the provider, from the command line', async () => {
    // wave-1 moves db; wave-2's validation of web hangs, its source frozen: the run is terminated meanwhile.
    await admin.armFault({ operation: 'validateWorkload', mode: 'latency', latencyMs: 1, times: 1 });
    await admin.armFault({ operation: 'validateWorkload', mode: 'latency', latencyMs: 20_000, times: 1 });
    const plan = smallPlan(unique('cutover'), { customerId: unique('mairie') });
    const handle = await startApproved(plan);
    const stuck = await stack.waitForStatus(handle, (status) => status.steps.some((step) => step.id === 'cutover.wave-2.web.validate' && step.state === 'RUNNING'));
    const tenantId = stuck.resources['provisioning.tenant']!;
    const workload = (workloadId: string) => createHttpCloudProvider({ baseUrl: stack.simCloud.url, timeoutMs: 5_000 }).getWorkload({ tenantId, workloadId });
    expect((await workload('web')).source.state).toBe('FROZEN');
    expect((await workload('db')).dnsRecord?.target).toBe('cloud');
    await handle.terminate('terminated by a hostile test');

    const output: string[] = [];
    const io = { stdout: { write: (text: string) => output.push(text) }, stderr: { write: (text: string) => output.push(text) }, env: { PASSERELLE_API_URL: stack.apiUrl, PASSERELLE_TOKEN: tokens.ops }, cwd: process.cwd() };
    expect(await runCli(['cleanup', handle.workflowId, '--wait', '--interval', '100', '--reason', 'terminated mid-cutover'], io)).toBe(EXIT_CODES.ok);
    expect(output.join('')).toMatch(/Clean-up SUCCEEDED, asked by ops-cleaner/);

    const status = (await call<MigrationOverview>('GET', `/v1/migrations/${handle.workflowId}`, tokens.ops)).body;
    const undone = status.cleanup!.actions.map((action) => `${action.kind} ${action.stepId}`);
    // The running wave's own undo (web's frozen source) comes first, then the run's, newest first.
    expect(undone[0]).toBe('unfreeze cutover.wave-2.web.freeze');
    expect(undone).toEqual(expect.arrayContaining(['switch-back cutover.wave-1.db.switch', 'unfreeze cutover.wave-1.db.freeze', 'delete provisioning.tenant']));
    expect(status.cleanup!.actions.every((action) => action.state === 'SUCCEEDED')).toBe(true);
    // Nothing of the run is left: its tenant went last, with the workloads' state under it.
    expect(await provisionedCounts(admin, tenantId)).toEqual({});
  });
});
