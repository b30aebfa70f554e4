import type { MigrationListResponse } from '../../use-cases/migration-list';
import { waitUntil } from '../../scripts/lib/processes';
import { provisionedCounts } from '../support/provisioned';
import { type ProcessStack, useProcessStack } from './support/process-stack';
import {
  callApi,
  decideRssiApproval,
  expectedResourceCounts,
  freshPlanId,
  standardPlan,
  startRunThroughApi,
} from './support/runs';

let stack: ProcessStack;

useProcessStack({ speedup: 1_000_000 }, (started) => {
  stack = started;
});

/** Every run of one customer as the API lists them, page after page. */
async function listCustomerRuns(token: string, customerId: string): Promise<MigrationListResponse['items']> {
  const items: MigrationListResponse['items'] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ customer: customerId, limit: '20', ...(cursor ? { cursor } : {}) });
    const answer = await callApi(stack, 'GET', `/v1/migrations?${query.toString()}`, token);
    if (answer.status !== 200) throw new Error(`list answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const page = answer.body as MigrationListResponse;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

describe('a burst of requests', () => {
  it('starts exactly one run for 200 concurrent starts of the same plan', async () => {
    const plan = standardPlan({ planId: freshPlanId('same-plan'), customerId: 'burst-same-plan', workloads: 2 });
    const token = await stack.token({ roles: ['consultant'] });

    const answers = await Promise.all(Array.from({ length: 200 }, () => callApi(stack, 'POST', '/v1/migrations', token, plan)));

    expect(countBy(answers, (answer) => String(answer.status))).toEqual({ 202: 200 });
    const bodies = answers.map((answer) => answer.body as { id: string; created: boolean });
    const ids = new Set(bodies.map((body) => body.id));
    expect(ids.size).toBe(1);
    expect(bodies.filter((body) => body.created)).toHaveLength(1);
    const [id] = [...ids];
    const executions: string[] = [];
    for await (const execution of stack.client.workflow.list({ query: `WorkflowId = '${id}'` })) executions.push(execution.runId);
    expect(executions).toHaveLength(1);
  }, 60_000);

  it('leaves every run of a burst finished or waiting, each in the state its decisions call for', async () => {
    const customerId = freshPlanId('burst');
    const consultantToken = await stack.token({ roles: ['consultant'] });
    const ids = await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        startRunThroughApi(stack, standardPlan({ planId: `${customerId}-${index}`, customerId, workloads: 1, workloadPrefix: `app${index}` })),
      ),
    );
    await Promise.all(ids.map((id) => stack.waitForRun(id, (status) => status.phase === 'AWAITING_APPROVAL')));
    const [approved, rejected, cancelled] = [ids.slice(0, 10), ids.slice(10, 20), ids.slice(20, 25)];

    await Promise.all([
      ...approved.map((id) => decideRssiApproval(stack, id, customerId, 'APPROVE')),
      ...rejected.map((id) => decideRssiApproval(stack, id, customerId, 'REJECT')),
      ...cancelled.map(async (id) => {
        const answer = await callApi(stack, 'POST', `/v1/migrations/${id}/cancel`, consultantToken, { reason: 'customer withdrew' });
        if (answer.status !== 200) throw new Error(`cancel of ${id} answered ${answer.status}`);
      }),
    ]);
    const completed = await Promise.all(approved.map((id) => stack.waitForRun(id, (status) => status.status === 'COMPLETED', 90_000)));

    const expected = { COMPLETED: 10, REJECTED: 10, CANCELLED: 5, WAITING: 5 };
    let counts: Record<string, number> = {};
    // Visibility follows the runs a moment later: wait until the list shows where each run ended.
    await waitUntil(
      'the list to show every run in its final or waiting state',
      async () => {
        counts = countBy(await listCustomerRuns(consultantToken, customerId), (item) => String(item.status));
        return Object.keys(counts).length === 4 && Object.entries(expected).every(([status, count]) => counts[status] === count);
      },
      30_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; last counts: ${JSON.stringify(counts)}`);
    });
    expect(counts).toEqual(expected);
    // One customer owns one tenant: its plans share the tenant and the landing zone of their level.
    // Counted in this customer's tenant only, so that a second attempt of this test counts its own.
    const tenants = new Set(completed.map((status) => status.resources['provisioning.tenant']));
    expect(tenants.size).toBe(1);
    const [tenantId] = [...tenants];
    expect(tenantId).toEqual(expect.any(String));
    expect(await provisionedCounts(stack.admin, tenantId)).toEqual({ ...expectedResourceCounts(10, 1), tenant: 1, 'landing-zone': 1, 'key-vault': 1, 'policy-assignment': 1, 'log-forwarding': 1 });
  }, 120_000);
});
