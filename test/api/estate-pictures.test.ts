/**
 * The graph and the schedule of a run over the real stack: the grouped dependency graph by zone
 * and by wave with one group expanded, the schedule of the waves, bad queries refused naming
 * the field, and another customer refused exactly as for a missing run.
 */
import type { CutoverSchedule, EstateGraph, Plan } from '../../domain';
import { smallPlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';

let stack: TestStack;
let plan: Plan;
let runId: string;
let customer: string;
let stranger: string;

async function get<T>(path: string, token = customer): Promise<{ status: number; body: T }> {
  const response = await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as T };
}

beforeAll(async () => {
  stack = await startStack();
  plan = smallPlan(unique('pictures'), { customerId: unique('mairie') });
  const consultant = await stack.token({ roles: ['consultant'] });
  customer = await stack.token({ roles: ['customer'], customerId: plan.customer.id });
  stranger = await stack.token({ roles: ['customer'], customerId: unique('voisine') });
  const started = await fetch(`${stack.apiUrl}/v1/migrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${consultant}`, 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
  runId = ((await started.json()) as { id: string }).id;
  await stack.waitForStatus(stack.client.workflow.getHandle(runId), (status) => status.phase === 'AWAITING_APPROVAL');
});

afterAll(async () => {
  await stack.client.workflow.getHandle(runId).terminate('test over').catch(() => undefined);
  await stack?.stop();
});

describe('the pictures of a run through the API', () => {
  it('answers the graph by zone with every workload counted, and a zone expanded to its workloads', async () => {
    const { status, body } = await get<EstateGraph>(`/v1/migrations/${runId}/graph?groupBy=zone`);
    expect(status).toBe(200);
    expect(body.groupBy).toBe('zone');
    expect(body.groups.reduce((sum, group) => sum + group.workloads, 0)).toBe(plan.workloads.length);
    const zone = body.groups.find((group) => group.kind === 'zone')!;
    const expanded = await get<EstateGraph>(`/v1/migrations/${runId}/graph?groupBy=zone&expand=${zone.id}`);
    expect(expanded.body.expanded).toMatchObject({ groupId: zone.id, total: zone.workloads });
  });

  it('groups by wave by default: before cutover the migrating workloads wait apart, unplanned', async () => {
    const { body } = await get<EstateGraph>(`/v1/migrations/${runId}/graph`);
    expect(body.groupBy).toBe('wave');
    expect(body.groups.map((group) => group.id)).toContain('unplanned');
  });

  it('refuses an unknown group or grouping, naming the field', async () => {
    const group = await get<{ errors: { path: string; message: string }[] }>(`/v1/migrations/${runId}/graph?expand=wave-99`);
    expect(group.status).toBe(400);
    expect(group.body.errors[0]).toMatchObject({ path: 'expand', message: expect.stringContaining('names no group') as string });
    const grouping = await get<{ errors: { path: string }[] }>(`/v1/migrations/${runId}/graph?groupBy=level`);
    expect(grouping.status).toBe(400);
    expect(grouping.body.errors[0]?.path).toBe('groupBy');
  });

  it('answers the schedule around now', async () => {
    const before = Date.now();
    const { status, body } = await get<CutoverSchedule>(`/v1/migrations/${runId}/schedule`);
    expect(status).toBe(200);
    expect(Date.parse(body.now)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(body.from)).toBeLessThan(Date.parse(body.now));
    expect(body).toMatchObject({ hasWindows: false, bands: [], totalWaves: 0 });
  });

  it('answers another customer 404 on both, as for a missing run', async () => {
    expect((await get(`/v1/migrations/${runId}/graph`, stranger)).status).toBe(404);
    expect((await get(`/v1/migrations/${runId}/schedule`, stranger)).status).toBe(404);
    expect((await get(`/v1/migrations/${unique('absent')}/schedule`)).status).toBe(404);
  });
});
