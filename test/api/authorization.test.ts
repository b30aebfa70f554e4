/**
 * Every role against every route, over the real stack: the authorization table decides who
 * gets 403; the others get what the route answers for a run waiting for approvals. Then every
 * route that takes an id, as another customer: 404, exactly as for a run that does not exist.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { type Action, type ApproverRole, mayPerform, type Plan, type UserRole } from '../../domain';
import type { Identity } from '../../api/auth';
import type { StartMigrationResponse } from '../../api/validation';
import { smallPlan, unique } from '../support/plans';
import { openEventStream } from '../support/sse';
import { startStack, type TestStack } from '../support/stack';

let stack: TestStack;
const customerId = unique('mairie');
let plan: Plan;
let runId: string;
/** One run per role that may cancel, so that a cancel by one does not decide what the next one sees. */
const cancelRuns: Partial<Record<UserRole, string>> = {};
const tokens: Partial<Record<UserRole | 'otherCustomer', string>> = {};

const CLAIMS: Record<UserRole | 'otherCustomer', { roles: UserRole[]; customerId?: string; approverRoles?: ApproverRole[] }> = {
  consultant: { roles: ['consultant'] },
  customer: { roles: ['customer'], customerId, approverRoles: ['RSSI'] },
  ops: { roles: ['ops'] },
  otherCustomer: { roles: ['customer'], customerId: unique('voisin'), approverRoles: ['RSSI', 'DPO', 'HOMOLOGATION_AUTHORITY'] },
};

async function call(method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: Record<string, unknown>; contentType: string }> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, contentType: response.headers.get('content-type') ?? '' };
}

async function startAsConsultant(runPlan: Plan): Promise<string> {
  const started = await call('POST', '/v1/migrations', tokens.consultant, runPlan);
  expect(started.status).toBe(202);
  return (started.body as unknown as StartMigrationResponse).id;
}

async function waitForPhase(id: string, phase: string): Promise<void> {
  await stack.waitForStatus(stack.client.workflow.getHandle(id), (status) => status.phase === phase && status.approvals.length > 0);
}

beforeAll(async () => {
  stack = await startStack();
  for (const [name, claims] of Object.entries(CLAIMS)) tokens[name as UserRole] = await stack.token({ sub: `${name}@test`, ...claims });
  plan = smallPlan(unique('authz'), { customerId });
  runId = await startAsConsultant(plan);
  for (const role of ['consultant', 'ops'] as const) cancelRuns[role] = await startAsConsultant(smallPlan(unique(`cancel-${role}`), { customerId }));
  await Promise.all([runId, ...Object.values(cancelRuns)].map((id) => waitForPhase(id, 'AWAITING_APPROVAL')));
});

afterAll(async () => {
  await stack?.stop();
});

interface RouteCase {
  name: string;
  action: Action;
  method: string;
  path: (role: UserRole) => string;
  body?: () => unknown;
  /** What an allowed caller gets, the run waiting for approvals (404: the workflow's own refusal of a step it does not have yet). */
  allowed: number;
}

const encryptedPayload = async () => {
  const [payload] = await stack.codec.encode([defaultPayloadConverter.toPayload({ hello: 'ops' })]);
  return {
    payloads: [
      {
        metadata: Object.fromEntries(Object.entries(payload!.metadata!).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
        data: Buffer.from(payload!.data!).toString('base64'),
      },
    ],
  };
};
let codecBody: unknown;

/** Every route of the API, in an order that keeps the run waiting for approvals. */
const ROUTES: RouteCase[] = [
  { name: 'validate a plan', action: 'plan.validate', method: 'POST', path: () => '/v1/plans/validate', body: () => plan, allowed: 200 },
  { name: 'start a run (again: idempotent)', action: 'migration.start', method: 'POST', path: () => '/v1/migrations', body: () => plan, allowed: 202 },
  { name: 'list runs', action: 'migration.list', method: 'GET', path: () => '/v1/migrations', allowed: 200 },
  { name: 'read a run', action: 'migration.read', method: 'GET', path: () => `/v1/migrations/${runId}`, allowed: 200 },
  { name: 'follow a run', action: 'migration.events', method: 'GET', path: () => `/v1/migrations/${runId}/events`, allowed: 200 },
  { name: 'read a report', action: 'migration.report', method: 'GET', path: () => `/v1/migrations/${runId}/report`, allowed: 200 },
  { name: 'amend the plan', action: 'plan.amend', method: 'PUT', path: () => `/v1/migrations/${runId}/plan`, body: () => plan, allowed: 200 },
  {
    name: 'decide an approval',
    action: 'approval.decide',
    method: 'POST',
    path: () => `/v1/migrations/${runId}/approvals/rssi`,
    body: () => ({ decision: 'APPROVE', comment: 'vu' }),
    allowed: 200,
  },
  { name: 'retry a step', action: 'step.retry', method: 'POST', path: () => `/v1/migrations/${runId}/steps/provisioning.tenant/retry`, body: () => ({}), allowed: 404 },
  {
    name: 'skip a step',
    action: 'step.skip',
    method: 'POST',
    path: () => `/v1/migrations/${runId}/steps/provisioning.tenant/skip`,
    body: () => ({ reason: 'done by hand' }),
    allowed: 404,
  },
  { name: 'pause a run', action: 'run.pause', method: 'POST', path: () => `/v1/migrations/${runId}/pause`, body: () => ({ reason: 'audit' }), allowed: 200 },
  { name: 'resume a run', action: 'run.resume', method: 'POST', path: () => `/v1/migrations/${runId}/resume`, body: () => ({}), allowed: 200 },
  { name: 'extend a deadline', action: 'deadline.extend', method: 'POST', path: () => `/v1/migrations/${runId}/deadline`, body: () => ({ extendBy: 'P7D' }), allowed: 200 },
  { name: 'signal a qualification change', action: 'qualification.notify', method: 'POST', path: () => '/v1/provider/qualification-changed', allowed: 200 },
  { name: 'cancel a run', action: 'run.cancel', method: 'POST', path: (role) => `/v1/migrations/${cancelRuns[role] ?? runId}/cancel`, body: () => ({}), allowed: 200 },
  { name: 'encode payloads', action: 'payload.encode', method: 'POST', path: () => '/codec/encode', body: () => codecBody, allowed: 200 },
  { name: 'decode payloads', action: 'payload.decode', method: 'POST', path: () => '/codec/decode', body: () => codecBody, allowed: 200 },
];

const ROLES: UserRole[] = ['consultant', 'customer', 'ops'];

function identityOf(role: UserRole): Identity {
  const claims = CLAIMS[role];
  return { subject: role, roles: claims.roles, customerId: claims.customerId, approverRoles: claims.approverRoles ?? [] };
}

describe.each(ROUTES)('$method $name', (route) => {
  beforeAll(async () => {
    codecBody ??= await encryptedPayload();
  });

  it.each(ROLES)('answers %s as the authorization table says', async (role) => {
    const path = route.path(role);
    const expected = mayPerform(identityOf(role).roles, route.action) ? route.allowed : 403;
    if (route.action === 'migration.events') {
      const stream = await openEventStream(`${stack.apiUrl}${path}`, { authorization: `Bearer ${tokens[role]}` });
      stream.close();
      expect(stream.status).toBe(expected);
      return;
    }
    const response = await call(route.method, path, tokens[role], route.body?.());
    expect({ role, status: response.status }).toEqual({ role, status: expected });
    if (expected === 403) {
      expect(response.contentType).toMatch(/^application\/problem\+json/);
      expect(response.body.detail).toContain(route.action);
    }
  });

  it('answers 401 without a token', async () => {
    expect((await call(route.method, route.path('ops'), undefined, route.body?.())).status).toBe(401);
  });
});

describe('another customer', () => {
  const withoutInstance = (body: Record<string, unknown>) => {
    const { instance: _instance, ...rest } = body;
    return rest;
  };

  it.each([
    ['GET', '/v1/migrations/{id}', (id: string) => `/v1/migrations/${id}`, undefined],
    ['GET', '/v1/migrations/{id}/report', (id: string) => `/v1/migrations/${id}/report`, undefined],
    ['POST', '/v1/migrations/{id}/approvals/{approvalId}', (id: string) => `/v1/migrations/${id}/approvals/homologation`, { decision: 'APPROVE' }],
  ])('gets %s %s answered 404, exactly like a missing run', async (method, _template, path, body) => {
    const hidden = await call(method, path(runId), tokens.otherCustomer, body);
    const missing = await call(method, path('migration-does-not-exist'), tokens.otherCustomer, body);
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(withoutInstance(hidden.body)).toEqual(withoutInstance(missing.body));
  });

  it('gets the live progress of the run answered 404, exactly like a missing run', async () => {
    const hidden = await openEventStream(`${stack.apiUrl}/v1/migrations/${runId}/events`, { authorization: `Bearer ${tokens.otherCustomer}` });
    const missing = await openEventStream(`${stack.apiUrl}/v1/migrations/migration-does-not-exist/events`, { authorization: `Bearer ${tokens.otherCustomer}` });
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(withoutInstance(JSON.parse(hidden.body ?? '{}') as Record<string, unknown>)).toEqual(
      withoutInstance(JSON.parse(missing.body ?? '{}') as Record<string, unknown>),
    );
  });

  it('never sees the run in a list, whatever filter it sends', async () => {
    for (const query of ['', `?customer=${customerId}`, '?status=WAITING']) {
      const listed = await call('GET', `/v1/migrations${query}`, tokens.otherCustomer);
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).not.toContain(runId);
    }
  });

  it('leaves the run’s approvals as they were', async () => {
    const status = await call('GET', `/v1/migrations/${runId}`, tokens.ops);
    const current = (status.body.approvals as { id: string; round: number; state: string; decision?: { by: string } }[]).filter(
      (approval) => approval.round === status.body.round,
    );
    expect(current.find((approval) => approval.id === 'homologation')?.state).toBe('PENDING');
    expect(current.find((approval) => approval.id === 'rssi')?.decision?.by).toBe('customer@test');
  });
});

describe('an approver of the run’s own customer', () => {
  it('may not decide an approval bound to a role its token does not hold', async () => {
    const refused = await call('POST', `/v1/migrations/${runId}/approvals/homologation`, tokens.customer, { decision: 'APPROVE' });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('HOMOLOGATION_AUTHORITY');
  });

  it('gets 404 for an approval the run does not have', async () => {
    const missing = await call('POST', `/v1/migrations/${runId}/approvals/anssi-notification`, tokens.customer, { decision: 'APPROVE' });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain('anssi-notification');
  });
});
