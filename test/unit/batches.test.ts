/**
 * Fleet operations at the edges: the selection's vocabulary and validation, the visibility
 * query a batch runs (a customer's own id always ANDed), and the routes' authorization and
 * errors over a fake of the batch use cases.
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createDevAuthenticator } from '../../api/auth';
import { issueDevToken } from '../../config/dev-tokens';
import { type Actor, BatchRequestSchema, type BatchRequest, type BatchView, batchView, stepIds, STEP_OPERATIONS, stepOperationOf, type UserRole } from '../../domain';
import { type BatchUseCases, buildBatchQuery } from '../../use-cases/batches';
import { enforcedCustomerOf } from '../../use-cases/migrations';
import { fakeMigrationUseCases } from '../support/fake-use-cases';

const VIEW: BatchView = batchView(
  { id: 'batch:0b5c1e8e-8f53-4c8e-9a53-3c1a9d0c2f11', action: 'pause', selection: {}, reason: 'maintenance', requestedBy: 'ops-1', requestedAt: '2026-11-30T20:00:00.000Z' },
  [{ id: 'migration-a', outcome: 'PENDING' }],
);

describe('the operation of a step', () => {
  it('names what every kind of step does, whatever its zone, wave or workload', () => {
    expect(stepOperationOf(stepIds.cutover('wave-2', 'dpi', 'switch'))).toBe('switch');
    expect(stepOperationOf(stepIds.cutover('wave-1', 'db', 'smoke-test'))).toBe('smoke-test');
    expect(stepOperationOf(stepIds.waveStart('wave-3'))).toBe('wave-start');
    expect(stepOperationOf(stepIds.keyVault('secnumcloud'))).toBe('key-vault');
    expect(stepOperationOf(stepIds.tenant)).toBe('tenant');
    expect(stepOperationOf(stepIds.m365Tenant)).toBe('m365-tenant');
    expect(stepOperationOf(stepIds.driftCheck('hds'))).toBe('drift-check');
    expect(stepOperationOf(stepIds.qualification)).toBe('qualification');
    expect(stepOperationOf(stepIds.approval('rssi'))).toBeUndefined();
    expect(stepOperationOf('derogation-secnumcloud')).toBeUndefined();
  });

  it('has one name per operation', () => {
    expect(new Set(STEP_OPERATIONS).size).toBe(STEP_OPERATIONS.length);
  });
});

describe('a batch request', () => {
  const parse = (body: unknown) => BatchRequestSchema.safeParse(body);
  const paths = (body: unknown) => parse(body).error?.issues.map((issue) => issue.path.join('.')) ?? [];

  it('names the field that is wrong', () => {
    expect(paths({ action: 'reboot', selection: {}, reason: 'x' })).toEqual(['action']);
    expect(paths({ action: 'pause', selection: { phase: 'LAUNCH' }, reason: 'x' })).toEqual(['selection.phase']);
    expect(paths({ action: 'pause', selection: { query: "PasserelleCustomerId != ''" }, reason: 'x' })).toEqual(['selection']);
    expect(paths({ action: 'pause', selection: {} })).toEqual(['reason']);
    expect(paths({ action: 'extend-deadlines', selection: {}, reason: 'x' })).toEqual(['extendBy']);
    expect(paths({ action: 'extend-deadlines', selection: {}, reason: 'x', extendBy: 'three days' })).toEqual(['extendBy']);
    expect(paths({ action: 'pause', selection: {}, reason: 'x', extendBy: 'P1D' })).toEqual(['extendBy']);
    expect(paths({ action: 'pause', selection: { operation: 'switch' }, reason: 'x' })).toEqual(['selection.operation']);
    expect(paths({ action: 'pause', selection: {}, reason: 'x', runIds: [] })).toEqual(['runIds']);
    expect(paths({ action: 'pause', selection: {}, reason: 'x', runIds: ['migration-a', 'a b'] })).toEqual(['runIds.1']);
  });

  it('is a real run unless it says dry run', () => {
    expect(parse({ action: 'retry-failed-steps', selection: { operation: 'switch' }, reason: 'outage over' }).data?.dryRun).toBe(false);
  });
});

describe('the visibility query of a batch', () => {
  const customer: Actor = { subject: 'rssi@a', roles: ['customer'], customerId: 'customer-a', approverRoles: [] };

  it('selects open runs by every filter, the failed step’s operation and what the action needs', () => {
    expect(buildBatchQuery('retry-failed-steps', { customer: 'ght-rhone-nord', phase: 'CUTOVER', operation: 'switch' }, undefined)).toBe(
      "WorkflowType = 'migrationWorkflow' AND ExecutionStatus != 'ContinuedAsNew' AND PasserelleCustomerId = 'ght-rhone-nord' AND PasserellePhase = 'CUTOVER' AND ExecutionStatus = 'Running' AND PasserelleNeedsAttention = true AND PasserelleFailedOperations = 'switch'",
    );
    expect(buildBatchQuery('resume', {}, undefined)).toContain("PasserelleStatus = 'PAUSED'");
    expect(buildBatchQuery('pause', {}, undefined)).toContain("PasserelleStatus != 'PAUSED'");
    expect(buildBatchQuery('extend-deadlines', {}, undefined)).toContain("PasserellePhase = 'AWAITING_APPROVAL'");
  });

  it('keeps a customer-scoped caller inside its own runs, whatever customer its selection names', () => {
    const query = buildBatchQuery('pause', { customer: 'customer-b' }, enforcedCustomerOf(customer));
    expect(query).toContain("PasserelleCustomerId = 'customer-a' AND PasserelleCustomerId = 'customer-b'");
    expect(buildBatchQuery('pause', {}, enforcedCustomerOf(customer))).toContain("PasserelleCustomerId = 'customer-a'");
  });
});

describe('the batch routes', () => {
  const secret = randomBytes(32);
  const calls: { method: string; caller: string; input: unknown }[] = [];
  const batches: BatchUseCases = {
    startBatch: async (caller, input: BatchRequest) => {
      calls.push({ method: 'startBatch', caller: caller.subject, input });
      return input.dryRun ? { dryRun: true, action: input.action, selection: input.selection, runs: [] } : { id: VIEW.id, statusUrl: `/v1/batches/${VIEW.id}`, batch: VIEW };
    },
    readBatch: async () => VIEW,
    listBatches: async () => ({ items: [], nextCursor: null }),
  };
  const app = createApp({ migrations: fakeMigrationUseCases().useCases, batches, authenticator: createDevAuthenticator(secret), logger: pino({ level: 'silent' }) });
  const token = (roles: UserRole[], customerId?: string) => issueDevToken(secret, { sub: `${roles[0]}-1`, roles, ...(customerId ? { customerId } : {}) });
  const body = { action: 'retry-failed-steps', selection: { operation: 'switch' }, reason: 'outage over' };

  beforeEach(() => (calls.length = 0));

  it.each([['customer' as const, 'customer-a'], ['consultant' as const, undefined]])('refuse a %s: batches are for ops', async (role, customerId) => {
    const bearer = `Bearer ${await token([role], customerId)}`;
    for (const call of [request(app).post('/v1/batches').set('authorization', bearer).send(body), request(app).get('/v1/batches').set('authorization', bearer), request(app).get(`/v1/batches/${VIEW.id}`).set('authorization', bearer)]) {
      const response = await call;
      expect(response.status).toBe(403);
      expect((response.body as { detail: string }).detail).toMatch(/batch\.(start|read)/);
    }
    expect(calls).toEqual([]);
  });

  it('start a batch for ops, with the actor from the token and Location, or a dry run without', async () => {
    const bearer = `Bearer ${await token(['ops'])}`;
    const started = await request(app).post('/v1/batches').set('authorization', bearer).send(body);
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`/v1/batches/${VIEW.id}`);
    const dry = await request(app).post('/v1/batches').set('authorization', bearer).send({ ...body, dryRun: true });
    expect(dry.status).toBe(202);
    expect(dry.headers.location).toBeUndefined();
    expect(calls.map((call) => call.caller)).toEqual(['ops-1', 'ops-1']);
  });

  it('answer 400 naming the bad field of a body, an id or a query', async () => {
    const bearer = `Bearer ${await token(['ops'])}`;
    const bad = await request(app).post('/v1/batches').set('authorization', bearer).send({ ...body, selection: { operation: 'reboot' } });
    expect(bad.status).toBe(400);
    expect((bad.body as { errors: { path: string }[] }).errors.map((error) => error.path)).toEqual(['selection.operation']);
    const badId = await request(app).get('/v1/batches/migration-a').set('authorization', bearer);
    expect(badId.status).toBe(400);
    expect(JSON.stringify(badId.body)).toContain('batch id');
    const badQuery = await request(app).get('/v1/batches?limit=0&status=RUNNING').set('authorization', bearer);
    expect(badQuery.status).toBe(400);
    expect(JSON.stringify(badQuery.body)).toMatch(/limit/);
    expect(calls).toEqual([]);
  });
});
