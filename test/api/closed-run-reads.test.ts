/**
 * A closed run read again: what it answered is served without the worker (a closed run never
 * changes), after the same check of who may see it, so a finished 10,000-workload run is not
 * replayed for every poll of its page.
 */
import type { MigrationOverview, RunPage, StepView } from '../../domain';
import { smallPlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';
import { waitUntil } from '../support/wait';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
});

async function get(path: string, token: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

describe('a closed run read again', () => {
  it('answers its overview, pages and graph as it did, with no worker running, and still only to those who may see it', async () => {
    const plan = smallPlan(unique('closed'), { customerId: unique('mairie') });
    const consultant = await stack.token({ roles: ['consultant'] });
    const customer = await stack.token({ roles: ['customer'], customerId: plan.customer.id, approverRoles: ['RSSI'] });
    const stranger = await stack.token({ roles: ['customer'], customerId: unique('voisine') });
    const started = await fetch(`${stack.apiUrl}/v1/migrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${consultant}`, 'content-type': 'application/json' },
      body: JSON.stringify(plan),
    });
    const id = ((await started.json()) as { id: string }).id;
    await stack.waitForStatus(stack.client.workflow.getHandle(id), (status) => status.phase === 'AWAITING_APPROVAL');
    const cancelled = await fetch(`${stack.apiUrl}/v1/migrations/${id}/cancel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${consultant}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'lot postponed' }),
    });
    expect(cancelled.status).toBe(200);
    await waitUntil('the run is closed', async () => (await stack.client.workflow.getHandle(id).describe()).status.name === 'COMPLETED');

    const reads = [`/v1/migrations/${id}`, `/v1/migrations/${id}/steps?limit=5`, `/v1/migrations/${id}/graph`];
    const first = await Promise.all(reads.map((path) => get(path, customer)));
    expect(first.map((read) => read.status)).toEqual([200, 200, 200]);
    expect((first[0]!.body as MigrationOverview).status).toBe('CANCELLED');
    expect((first[1]!.body as RunPage<StepView>).items.length).toBeGreaterThan(0);

    // No worker: a query to the closed run could not be answered any more.
    stack.worker.shutdown();
    await waitUntil('the worker has stopped', async () => stack.worker.getState() === 'STOPPED');
    const again = await Promise.all(reads.map((path) => get(path, customer)));
    expect(again).toEqual(first);
    expect((await Promise.all(reads.map((path) => get(path, stranger)))).map((read) => read.status)).toEqual([404, 404, 404]);
  });
});
