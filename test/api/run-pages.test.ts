/**
 * A run's overview and pages over the real stack: the overview the workflow's query computes,
 * steps, workloads and timeline page by page with opaque cursors and filters, and another
 * customer refused exactly as for the status.
 */
import type { MigrationOverview, Plan, RunPage, StepView, TimelineEntry, WorkloadView } from '../../domain';
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

/** Every item of a collection, following the cursors with `limit` per page. */
async function walk<T>(collection: string, query: string, limit: number): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { status: number; body: RunPage<T> } = await get<RunPage<T>>(`/v1/migrations/${runId}/${collection}?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
    pages += 1;
  } while (cursor);
  return { items, pages };
}

beforeAll(async () => {
  stack = await startStack();
  plan = smallPlan(unique('pages'), { customerId: unique('mairie') });
  const consultant = await stack.token({ roles: ['consultant'] });
  customer = await stack.token({ roles: ['customer'], customerId: plan.customer.id, approverRoles: ['RSSI', 'HOMOLOGATION_AUTHORITY'] });
  stranger = await stack.token({ roles: ['customer'], customerId: unique('voisine') });
  const started = await fetch(`${stack.apiUrl}/v1/migrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${consultant}`, 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
  runId = ((await started.json()) as { id: string }).id;
  await stack.waitForStatus(stack.client.workflow.getHandle(runId), (status) => status.phase === 'AWAITING_APPROVAL' && status.approvals.length === 2);
});

afterAll(async () => {
  await stack.client.workflow.getHandle(runId).terminate('test over').catch(() => undefined);
  await stack?.stop();
});

describe('a run read through its overview and its pages', () => {
  it('answers the overview: counts, approvals and the newest entries, no plan and no step list', async () => {
    const { status, body } = await get<MigrationOverview & { plan?: unknown; steps: unknown }>(`/v1/migrations/${runId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ workflowId: runId, phase: 'AWAITING_APPROVAL', status: 'WAITING', workloads: { total: plan.workloads.length } });
    expect(body.plan).toBeUndefined();
    expect(body.steps).toMatchObject({ total: expect.any(Number) as number, byState: { SUCCEEDED: expect.any(Number) as number } });
    expect(body.approvals.map((approval) => approval.id)).toEqual(['rssi', 'homologation']);
  });

  it('walks the steps page by page with cursors, and filters them', async () => {
    const all = await walk<StepView>('steps', '', 1);
    expect(all.items.length).toBeGreaterThanOrEqual(2);
    expect(all.pages).toBe(all.items.length);
    expect(new Set(all.items.map((step) => step.id)).size).toBe(all.items.length);
    const succeeded = await walk<StepView>('steps', '&state=SUCCEEDED&phase=ASSESSMENT', 50);
    expect(succeeded.items.map((step) => step.id)).toEqual(all.items.filter((step) => step.state === 'SUCCEEDED' && step.phase === 'ASSESSMENT').map((step) => step.id));
  });

  it('pages the workloads with their level and outcome, and the timeline newest first', async () => {
    const workloads = await walk<WorkloadView>('workloads', '', 2);
    expect(workloads.items.map((workload) => workload.id)).toEqual(plan.workloads.map((workload) => workload.id));
    expect(workloads.items.every((workload) => workload.outcome === 'PENDING' || workload.outcome === 'LEFT_OUT')).toBe(true);
    const timeline = await walk<TimelineEntry>('timeline', '', 3);
    const ats = timeline.items.map((entry) => entry.at);
    expect(ats).toEqual([...ats].sort().reverse());
    expect(timeline.items.at(-1)?.kind).toBe('STARTED');
  });

  it('refuses a cursor of another collection, naming it', async () => {
    const first = await get<RunPage<TimelineEntry>>(`/v1/migrations/${runId}/timeline?limit=1`);
    const misused = await get<{ errors: { path: string }[] }>(`/v1/migrations/${runId}/steps?cursor=${first.body.nextCursor}`);
    expect(misused.status).toBe(400);
    expect(misused.body.errors.map((error) => error.path)).toEqual(['cursor']);
  });

  it('answers another customer’s pages exactly like a missing run’s', async () => {
    for (const collection of ['steps', 'workloads', 'waves', 'timeline', 'audit']) {
      const hidden = await get<{ title: string; detail: string }>(`/v1/migrations/${runId}/${collection}`, stranger);
      const missing = await get<{ title: string; detail: string }>(`/v1/migrations/migration-nowhere/${collection}`, stranger);
      expect([hidden.status, missing.status]).toEqual([404, 404]);
      expect([hidden.body.title, hidden.body.detail]).toEqual([missing.body.title, missing.body.detail]);
    }
  });
});
