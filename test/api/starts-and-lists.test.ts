/**
 * Idempotent starts and lists over the real stack: the same plan or key gives one run, lists
 * are visibility queries on search attributes with a cursor, in a stable order, and a
 * customer's list holds only its own runs whatever it asks.
 */
import type { StartMigrationResponse } from '../../api/validation';
import type { MigrationListResponse, MigrationSummary } from '../../use-cases/migration-list';
import type { Plan } from '../../domain';
import { smallPlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait';

let stack: TestStack;
let consultant: string;
let ops: string;
const customerId = unique('liste');
const otherCustomerId = unique('autre');

async function api(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, location: response.headers.get('location'), body: await response.json() };
}

async function start(plan: Omit<Plan, 'planId'> & { planId?: string }, headers: Record<string, string> = {}) {
  const response = await api('POST', '/v1/migrations', consultant, plan, headers);
  expect(response.status).toBe(202);
  return { ...(response.body as StartMigrationResponse), location: response.location };
}

/** Lists until visibility shows `count` runs (it lags the starts by a moment). */
async function listAll(query: string, token = ops, count?: number): Promise<MigrationSummary[]> {
  let seen = 0;
  return await waitFor(
    `the list ${query} to show ${count ?? 'its'} runs`,
    async () => {
      const items: MigrationSummary[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: unknown } = await api('GET', `/v1/migrations?${query}${cursor ? `&cursor=${cursor}` : ''}`, token);
        expect(page.status).toBe(200);
        const body = page.body as MigrationListResponse;
        items.push(...body.items);
        cursor = body.nextCursor;
      } while (cursor);
      seen = items.length;
      return count === undefined || items.length >= count ? items : undefined;
    },
    { timeoutMs: 20_000, intervalMs: 200, lastSeen: () => `${seen} runs` },
  );
}

const started: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  consultant = await stack.token({ roles: ['consultant'] });
  ops = await stack.token({ roles: ['ops'] });
});

afterAll(async () => {
  for (const id of started) await stack.client.workflow.getHandle(id).terminate('test over').catch(() => undefined);
  await stack?.stop();
});

describe('starting a run', () => {
  it('gives the same run for the same plan, and says the second start created nothing', async () => {
    const plan = smallPlan(unique('same'), { customerId });
    const first = await start(plan);
    const second = await start(plan);
    started.push(first.id);
    expect(first).toMatchObject({ created: true, location: `/v1/migrations/${first.id}` });
    expect(second).toEqual({ ...first, created: false });
  });

  it('gives one run to ten concurrent starts with the same Idempotency-Key', async () => {
    const { planId: _planId, ...withoutPlanId } = smallPlan('unused', { customerId });
    const key = unique('batch');
    const answers = await Promise.all(Array.from({ length: 10 }, () => start(withoutPlanId, { 'Idempotency-Key': key })));
    started.push(answers[0]!.id);
    expect(new Set(answers.map(({ id }) => id))).toEqual(new Set([`migration-${key}`]));
    expect(answers.filter(({ created }) => created)).toHaveLength(1);
    let runs = 0;
    for await (const _run of stack.client.workflow.list({ query: `WorkflowId = 'migration-${key}'` })) runs += 1;
    expect(runs).toBe(1);
  });

  it('answers 409 when the same key comes with another plan', async () => {
    const plan = smallPlan(unique('changed'), { customerId });
    const { id } = await start(plan);
    started.push(id);
    const changed = await api('POST', '/v1/migrations', consultant, { ...plan, settings: { ...plan.settings, maxWaveSize: 1 } });
    expect(changed.status).toBe(409);
    expect((changed.body as { detail: string }).detail).toContain(id);
  });

  it('takes a plan that only differs by key order or by values its defaults give as the same plan', async () => {
    const plan = smallPlan(unique('reordered'), { customerId });
    const first = await start(plan);
    started.push(first.id);
    const reordered = Object.fromEntries(Object.entries({ ...plan, settings: { ...plan.settings, qualificationCheckInterval: 'PT1H' } }).reverse());
    expect(await start(reordered as unknown as Plan)).toEqual({ ...first, created: false });
  });

  it('answers the ended run again when its plan is started once more, and starts no second run', async () => {
    const plan = smallPlan(unique('ended'), { customerId });
    const first = await start(plan);
    const handle = stack.client.workflow.getHandle(first.id);
    await handle.terminate('ended for the test');
    expect(await start(plan)).toEqual({ ...first, created: false });
    expect((await handle.describe()).status.name).toBe('TERMINATED');
    const sameKey = await api('POST', '/v1/migrations', consultant, { ...plan, settings: { ...plan.settings, maxWaveSize: 1 } });
    expect(sameKey.status).toBe(409);
  });
});

describe('listing runs', () => {
  const listed: string[] = [];

  beforeAll(async () => {
    for (let index = 0; index < 5; index += 1) {
      const { id } = await start(smallPlan(unique(`list-${index}`), { customerId: otherCustomerId }));
      listed.push(id);
      started.push(id);
    }
    await Promise.all(listed.map((id) => stack.waitForStatus(stack.client.workflow.getHandle(id), (status) => status.phase === 'AWAITING_APPROVAL')));
  });

  it('pages with a cursor through every run of a filter, in a stable order with none twice', async () => {
    const pages: string[][] = [];
    let cursor: string | null = null;
    await listAll(`customer=${otherCustomerId}&phase=AWAITING_APPROVAL`, ops, 5);
    do {
      const response: { status: number; body: unknown } = await api('GET', `/v1/migrations?customer=${otherCustomerId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, ops);
      const page = response.body as MigrationListResponse;
      pages.push(page.items.map(({ id }) => id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().sort()).toEqual([...listed].sort());
    const again = (await listAll(`customer=${otherCustomerId}`)).map(({ id }) => id);
    expect(again).toEqual(pages.flat());
  });

  it('filters on phase, status and needsAttention as visibility queries', async () => {
    const waiting = await listAll(`customer=${otherCustomerId}&phase=AWAITING_APPROVAL&status=WAITING&needsAttention=false`, ops, 5);
    expect(waiting.map(({ id }) => id).sort()).toEqual([...listed].sort());
    expect(waiting.every((run) => run.customerId === otherCustomerId && run.phase === 'AWAITING_APPROVAL' && run.status === 'WAITING')).toBe(true);
    expect(await listAll(`customer=${otherCustomerId}&phase=CUTOVER`)).toEqual([]);
    expect(await listAll(`customer=${otherCustomerId}&needsAttention=true`)).toEqual([]);
  });

  it('shows a customer its own runs only, even when it asks for another customer', async () => {
    const customer = await stack.token({ roles: ['customer'], customerId });
    const own = await listAll('', customer);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((run) => run.customerId === customerId)).toBe(true);
    expect(await listAll(`customer=${otherCustomerId}`, customer)).toEqual([]);
  });
});
