/**
 * The HTTP layer alone: authentication, authorization before the body, validation of paths,
 * queries, headers and bodies, what each route passes to its use case and how it answers, and
 * how a use case's refusal becomes a problem. The use cases are a fake: their own rules are
 * tested in test/unit/use-cases.test.ts and against the real server in test/api/.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import request, { type Response } from 'supertest';
import { createApp } from '../../api/app';
import { createDevAuthenticator, type Identity } from '../../api/auth';
import { issueDevToken } from '../../config/dev-tokens';
import type { FieldError } from '../../api/problem';
import { SMALL_BODY_LIMITS } from '../../api/validation';
import { type ApprovalView, type ApproverRole, type Derogation, type MigrationOverview, type Plan, type StepView, type UserRole, validatePlan } from '../../domain';
import { refusals } from '../../use-cases/application-error';
import type { PlanDryRun } from '../../use-cases/plans';
import { type FakeMigrationUseCases, fakeMigrationUseCases } from '../support/fake-use-cases';

interface ProblemBody {
  status: number;
  title: string;
  detail?: string;
  errors?: FieldError[];
}

function problemOf(response: Response): ProblemBody {
  return response.body as ProblemBody;
}

function errorPathsOf(response: Response): string[] {
  return (problemOf(response).errors ?? []).map(({ path }) => path);
}

const estatesDirectory = join(__dirname, '..', 'fixtures', 'estates');
const estates = readdirSync(estatesDirectory)
  .filter((file) => file.endsWith('.plan.json'))
  .map((file) => file.replace(/\.plan\.json$/, ''))
  .sort();

function readEstate(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(estatesDirectory, file), 'utf8')) as Record<string, unknown>;
}

const hospitalPlan = readEstate('hospital-group.plan.json');
const HOSPITAL_RUN = 'migration-ght-rhone-nord-2027';

function validated(input: unknown): Plan {
  const result = validatePlan(input);
  if (!result.ok) throw new Error(`fixture plan is invalid: ${JSON.stringify(result.errors)}`);
  return result.plan;
}

function withoutPlanId(): Record<string, unknown> {
  const { planId: _planId, ...rest } = hospitalPlan;
  return rest;
}

/** What a use case answers in these tests: only its shape matters to the HTTP layer. */
const someStatus = { workflowId: HOSPITAL_RUN, status: 'WAITING' } as MigrationOverview;
const someStep = { id: 'provisioning.tenant', state: 'RUNNING' } as StepView;

const secret = randomBytes(32);

async function tokenFor(roles: UserRole[], extra: { customerId?: string; approverRoles?: ApproverRole[] } = {}): Promise<string> {
  const sub = `${roles.join('+')}@${extra.customerId ?? 'passerelle'}`;
  return `Bearer ${await issueDevToken(secret, { sub, roles, ...extra })}`;
}

/** The verified caller a use case receives: what the token says, and when it expires. */
function caller(identity: Omit<Identity, 'expiresAt'>): unknown {
  return { customerId: undefined, ...identity, expiresAt: expect.any(Number) as unknown };
}

const opsIdentity = caller({ subject: 'ops@passerelle', roles: ['ops'], approverRoles: [] });
const consultantIdentity = caller({ subject: 'consultant@passerelle', roles: ['consultant'], approverRoles: [] });
const rssiIdentity = caller({ subject: 'customer@ght-rhone-nord', roles: ['customer'], customerId: 'ght-rhone-nord', approverRoles: ['RSSI'] });

let consultant: string;
let ops: string;
let hospitalRssi: string;

beforeAll(async () => {
  consultant = await tokenFor(['consultant']);
  ops = await tokenFor(['ops']);
  hospitalRssi = await tokenFor(['customer'], { customerId: 'ght-rhone-nord', approverRoles: ['RSSI'] });
});

let fake: FakeMigrationUseCases;
let app: ReturnType<typeof createApp>;

beforeEach(() => {
  fake = fakeMigrationUseCases();
  app = createApp({ migrations: fake.useCases, authenticator: createDevAuthenticator(secret), logger: pino({ level: 'silent' }) });
});

describe('authentication', () => {
  it('answers 401 problem+json without a bearer token', async () => {
    const response = await request(app).get('/v1/migrations');
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    expect(fake.calls).toEqual([]);
  });

  it('answers 401 to a token signed with another secret', async () => {
    const forged = await issueDevToken(randomBytes(32), { sub: 'mallory', roles: ['ops'] });
    const response = await request(app).get('/v1/migrations').set('Authorization', `Bearer ${forged}`);
    expect(response.status).toBe(401);
    expect(fake.calls).toEqual([]);
  });
});

describe('authorization by role', () => {
  it.each([
    ['a customer', () => hospitalRssi, 'post', '/v1/plans/validate', 'plan.validate'],
    ['ops', () => ops, 'post', '/v1/migrations', 'migration.start'],
    ['a customer', () => hospitalRssi, 'post', `/v1/migrations/${HOSPITAL_RUN}/steps/provisioning.tenant/retry`, 'step.retry'],
    ['a consultant', () => consultant, 'post', `/v1/migrations/${HOSPITAL_RUN}/steps/provisioning.tenant/skip`, 'step.skip'],
    ['a consultant', () => consultant, 'post', `/v1/migrations/${HOSPITAL_RUN}/pause`, 'run.pause'],
    ['a customer', () => hospitalRssi, 'post', `/v1/migrations/${HOSPITAL_RUN}/cancel`, 'run.cancel'],
    ['ops', () => ops, 'put', `/v1/migrations/${HOSPITAL_RUN}/plan`, 'plan.amend'],
    ['ops', () => ops, 'post', `/v1/migrations/${HOSPITAL_RUN}/approvals/rssi`, 'approval.decide'],
    ['a consultant', () => consultant, 'post', `/v1/migrations/${HOSPITAL_RUN}/deadline`, 'deadline.extend'],
    ['a customer', () => hospitalRssi, 'post', `/v1/migrations/${HOSPITAL_RUN}/cutover-window`, 'cutover-window.open'],
    ['a consultant', () => consultant, 'post', `/v1/migrations/${HOSPITAL_RUN}/cutover-window`, 'cutover-window.open'],
    ['a customer', () => hospitalRssi, 'post', '/v1/provider/qualification-changed', 'qualification.notify'],
  ] as const)('refuses %s with 403 on %s %s, calling no use case', async (_who, token, method, path, action) => {
    const response = await request(app)[method](path).set('Authorization', token()).send({});
    expect(response.status).toBe(403);
    expect(problemOf(response).detail).toContain(action);
    expect(fake.calls).toEqual([]);
  });

  it('refuses before reading the body, so a wrong content type still answers 403', async () => {
    const response = await request(app).post('/v1/plans/validate').set('Authorization', hospitalRssi).type('text/plain').send('plan');
    expect(response.status).toBe(403);
  });

  it('refuses before reading the body, so a body over the route’s limit still answers 403', async () => {
    const response = await request(app)
      .post(`/v1/migrations/${HOSPITAL_RUN}/pause`)
      .set('Authorization', hospitalRssi)
      .send({ reason: 'x'.repeat(SMALL_BODY_LIMITS.maxBytes * 4) });
    expect(response.status).toBe(403);
  });

  it('lets a consultant cancel a run, as the verified caller', async () => {
    fake.answer('controlRun', () => someStatus);
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/cancel`).set('Authorization', consultant).send({ reason: 'customer withdrew' });
    expect(response.status).toBe(200);
    expect(fake.calls).toEqual([{ name: 'controlRun', args: [consultantIdentity, HOSPITAL_RUN, 'cancel', { reason: 'customer withdrew' }] }]);
  });
});

describe('a use case’s refusal', () => {
  it.each([
    ['not-found', refusals.notFound('No such migration.'), 404, 'Not Found'],
    ['forbidden', refusals.forbidden('Approval dpo is for the DPO role, which your token does not hold.'), 403, 'Forbidden'],
    ['conflict', refusals.conflict('Migration x: the run has ended and takes no more decisions.'), 409, 'Conflict'],
    ['unprocessable', refusals.unprocessable('refused: Invalid', [{ path: 'customer.id', message: 'must stay "a"' }]), 422, 'Unprocessable Content'],
    ['invalid', refusals.invalid('The cursor is not valid.', [{ path: 'cursor', message: 'has expired' }]), 400, 'Bad Request'],
  ])('answers a %s refusal as an RFC 9457 problem with its message and fields', async (_kind, refusal, status, title) => {
    fake.answer('readMigrationReport', () => {
      throw refusal;
    });
    const response = await request(app).get(`/v1/migrations/${HOSPITAL_RUN}/report`).set('Authorization', ops);
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toEqual({
      type: `https://passerelle.dev/problems/${title.toLowerCase().replace(/ /g, '-')}`,
      title,
      status,
      detail: refusal.message,
      instance: `/v1/migrations/${HOSPITAL_RUN}/report`,
      ...(refusal.details.errors ? { errors: refusal.details.errors } : {}),
    });
  });

  it('answers unavailable as 503 with Retry-After', async () => {
    fake.answer('listMigrations', () => {
      throw refusals.unavailable('Temporal is not reachable; try again shortly.', 5);
    });
    const response = await request(app).get('/v1/migrations').set('Authorization', ops);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
  });

  it('answers any other error as an opaque 500', async () => {
    fake.answer('readMigrationOverview', () => {
      throw new Error('connection to 10.0.0.7 reset');
    });
    const response = await request(app).get(`/v1/migrations/${HOSPITAL_RUN}`).set('Authorization', ops);
    expect(response.status).toBe(500);
    expect(response.text).not.toContain('10.0.0.7');
  });
});

describe('POST /v1/plans/validate', () => {
  it.each(estates)('returns the classification report of the %s estate', async (estate) => {
    const expected = readEstate(`${estate}.expected.json`) as {
      workloads: Record<string, { level: string; hds: boolean }>;
      approvals: string[];
    };
    const response = await request(app).post('/v1/plans/validate').set('Authorization', consultant).send(readEstate(`${estate}.plan.json`));
    expect(response.status).toBe(200);
    const dryRun = response.body as PlanDryRun;
    expect(dryRun.valid).toBe(true);
    const levels = Object.fromEntries(dryRun.report.workloads.map(({ id, level, hds }) => [id, { level, hds }]));
    const wanted = Object.fromEntries(Object.entries(expected.workloads).map(([id, { level, hds }]) => [id, { level, hds }]));
    expect(levels).toEqual(wanted);
    expect(dryRun.report.approvals.map(({ id }) => id)).toEqual(expected.approvals);
    expect(dryRun.assessment.workloads).toHaveLength(Object.keys(expected.workloads).length);
    expect(fake.calls).toEqual([]);
  });

  it('answers 400 problem+json naming every offending field', async () => {
    const plan = structuredClone(hospitalPlan) as { customer: Record<string, unknown>; workloads: Record<string, unknown>[] };
    plan.customer.nickname = 'GHT';
    plan.workloads[0] = { ...plan.workloads[0], dataCategories: [] };
    plan.workloads[1] = { ...plan.workloads[1], dependsOn: ['nowhere'] };
    const response = await request(app).post('/v1/plans/validate').set('Authorization', consultant).send(plan);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(errorPathsOf(response)).toEqual(expect.arrayContaining(['customer.nickname', 'workloads[0].dataCategories', 'workloads[1].dependsOn[0]']));
    for (const error of problemOf(response).errors ?? []) expect(error.message).not.toBe('');
  });

  it('answers 400 to a request without a body', async () => {
    const response = await request(app).post('/v1/plans/validate').set('Authorization', consultant);
    expect(response.status).toBe(400);
    expect(problemOf(response).errors).toEqual([{ path: '', message: 'is required' }]);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const response = await request(app).post('/v1/plans/validate').set('Authorization', consultant).type('application/json').send('{"customer":');
    expect(response.status).toBe(400);
    expect(problemOf(response).detail).toMatch(/not valid JSON/);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])('answers 415 to a %s body', async (type) => {
    const response = await request(app).post('/v1/plans/validate').set('Authorization', consultant).type(type).send('planId=x');
    expect(response.status).toBe(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('POST /v1/migrations', () => {
  it('starts the run with the validated plan and the verified caller, and answers 202 with Location', async () => {
    fake.answer('startMigration', () => ({ id: HOSPITAL_RUN, created: true }));
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).send(hospitalPlan);
    expect(response.status).toBe(202);
    expect(response.headers.location).toBe(`/v1/migrations/${HOSPITAL_RUN}`);
    expect(response.body).toEqual({ id: HOSPITAL_RUN, created: true, statusUrl: `/v1/migrations/${HOSPITAL_RUN}` });
    expect(fake.calls).toEqual([{ name: 'startMigration', args: [consultantIdentity, validated(hospitalPlan), undefined] }]);
  });

  it('says when the run already existed', async () => {
    fake.answer('startMigration', () => ({ id: HOSPITAL_RUN, created: false }));
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).send(hospitalPlan);
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ id: HOSPITAL_RUN, created: false });
  });

  it('passes the Idempotency-Key of a plan without planId', async () => {
    fake.answer('startMigration', () => ({ id: 'migration-batch_2027-01-a', created: true }));
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).set('Idempotency-Key', 'batch_2027-01-a').send(withoutPlanId());
    expect(response.status).toBe(202);
    expect(response.headers.location).toBe('/v1/migrations/migration-batch_2027-01-a');
    expect(fake.calls[0]?.args[2]).toBe('batch_2027-01-a');
  });

  it('answers the use case’s conflict with 409 and its message', async () => {
    fake.answer('startMigration', () => {
      throw refusals.conflict('Migration migration-k-1 already exists with a different plan; send the same plan, or another planId or Idempotency-Key.');
    });
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).set('Idempotency-Key', 'k-1').send(withoutPlanId());
    expect(response.status).toBe(409);
    expect(problemOf(response).detail).toContain('migration-k-1');
  });

  it('answers 400 naming both planId and Idempotency-Key when neither is given', async () => {
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).send(withoutPlanId());
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)).toEqual(['planId', 'Idempotency-Key']);
    expect(fake.calls).toEqual([]);
  });

  it.each(['', 'has space', 'x'.repeat(129), 'é', 'victim.wave-1', 'batch:1', 'a/b'])('answers 400 to the Idempotency-Key %j', async (key) => {
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).set('Idempotency-Key', key).send(withoutPlanId());
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)[0]).toBe('Idempotency-Key');
    expect(fake.calls).toEqual([]);
  });

  it('answers 400 to an invalid plan and starts nothing', async () => {
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).send({ ...hospitalPlan, customer: { id: 'Bad Id' } });
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)).toEqual(expect.arrayContaining(['customer.id', 'customer.name', 'customer.type']));
    expect(fake.calls).toEqual([]);
  });
});

describe('GET /v1/migrations', () => {
  it('passes the parsed filters and answers the page', async () => {
    const page = { items: [], nextCursor: 'AQL6_w' };
    fake.answer('listMigrations', () => page);
    const response = await request(app).get('/v1/migrations?limit=2&status=NEEDS_ATTENTION&needsAttention=true&cursor=AAAA').set('Authorization', ops);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(page);
    expect(fake.calls).toEqual([{ name: 'listMigrations', args: [opsIdentity, { limit: 2, status: 'NEEDS_ATTENTION', needsAttention: true, cursor: 'AAAA' }] }]);
  });

  it('asks for pages of 20 by default', async () => {
    fake.answer('listMigrations', () => ({ items: [], nextCursor: null }));
    const response = await request(app).get('/v1/migrations').set('Authorization', consultant);
    expect(response.body).toEqual({ items: [], nextCursor: null });
    expect(fake.calls[0]?.args[1]).toEqual({ limit: 20 });
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['status=DONE', 'status'],
    ['phase=LAUNCH', 'phase'],
    ['needsAttention=yes', 'needsAttention'],
    ['customer=Not%20A%20Slug', 'customer'],
    ["customer=x'%20OR%20'1'='1", 'customer'],
    ['cursor=not%20base64!', 'cursor'],
    ['status=RUNNING&status=WAITING', 'status'],
    ['sort=name', 'sort'],
  ])('answers 400 to ?%s naming %s', async (query, path) => {
    const response = await request(app).get(`/v1/migrations?${query}`).set('Authorization', ops);
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)).toContain(path);
    expect(fake.calls).toEqual([]);
  });
});

describe('GET /v1/migrations/{id} and /report', () => {
  it('answers the overview the use case reads, for the caller', async () => {
    fake.answer('readMigrationOverview', () => someStatus);
    const response = await request(app).get(`/v1/migrations/${HOSPITAL_RUN}`).set('Authorization', hospitalRssi);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(someStatus);
    expect(fake.calls).toEqual([{ name: 'readMigrationOverview', args: [rssiIdentity, HOSPITAL_RUN] }]);
  });

  it('answers a page of a collection with the filters parsed, for the caller', async () => {
    fake.answer('readRunPage', () => ({ items: [], nextCursor: null }));
    const response = await request(app).get(`/v1/migrations/${HOSPITAL_RUN}/steps?state=FAILED&wave=wave-2&zone=standard&limit=20`).set('Authorization', hospitalRssi);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [], nextCursor: null });
    expect(fake.calls).toEqual([{ name: 'readRunPage', args: [rssiIdentity, HOSPITAL_RUN, 'steps', { state: 'FAILED', wave: 'wave-2', zone: 'standard', limit: 20 }] }]);
  });

  it.each([
    ['steps', 'state=MIGRATED', 'state'],
    ['workloads', 'state=RUNNING', 'state'],
    ['workloads', 'phase=CUTOVER', 'phase'],
    ['timeline', 'zone=standard', 'zone'],
    ['audit', 'state=FAILED', 'state'],
    ['waves', 'limit=501', 'limit'],
    ['steps', 'cursor=not%20a%20cursor', 'cursor'],
    ['steps', 'colour=blue', 'colour'],
  ])('refuses on /%s a filter it does not have, or a bad value (%s), naming it', async (collection, query, path) => {
    const response = await request(app).get(`/v1/migrations/${HOSPITAL_RUN}/${collection}?${query}`).set('Authorization', ops);
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)).toContain(path);
    expect(fake.calls).toEqual([]);
  });

  it('streams the report the use case writes, piece by piece, as one JSON document', async () => {
    fake.answer('readMigrationReport', async () =>
      (async function* () {
        yield `{"id":${JSON.stringify(HOSPITAL_RUN)}`;
        yield ',"final":false,"workloads":[';
        yield '{"id":"dpi"},{"id":"pacs"}';
        yield ']}';
      })(),
    );
    const response = await request(app).get(`/v1/migrations/${HOSPITAL_RUN}/report`).set('Authorization', hospitalRssi);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toEqual({ id: HOSPITAL_RUN, final: false, workloads: [{ id: 'dpi' }, { id: 'pacs' }] });
  });

  it('breaks the connection, rather than sending a document that looks complete, when the report fails midway', async () => {
    fake.answer('readMigrationReport', async () =>
      (async function* () {
        yield `{"id":${JSON.stringify(HOSPITAL_RUN)},"workloads":[`;
        throw new Error('the worker went away');
      })(),
    );
    await expect(request(app).get(`/v1/migrations/${HOSPITAL_RUN}/report`).set('Authorization', hospitalRssi)).rejects.toThrow();
  });

  it('answers 400 to a malformed run id', async () => {
    const response = await request(app).get('/v1/migrations/bad%20id').set('Authorization', ops);
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)[0]).toBe('id');
    expect(fake.calls).toEqual([]);
  });

  it('answers 400 to a malformed Last-Event-ID before reading the run', async () => {
    const response = await request(app).get(`/v1/migrations/${HOSPITAL_RUN}/events`).set('Authorization', ops).set('Last-Event-ID', 'abc');
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)).toEqual(['Last-Event-ID']);
    expect(fake.calls).toEqual([]);
  });
});

describe('POST /v1/migrations/{id}/approvals/{approvalId}', () => {
  const decide = (approvalId: string, token: string, body: unknown) =>
    request(app).post(`/v1/migrations/${HOSPITAL_RUN}/approvals/${approvalId}`).set('Authorization', token).send(body as object);

  it('passes the decision with the verified caller', async () => {
    fake.answer('decideApproval', () => ({ id: 'rssi', state: 'APPROVED' }) as ApprovalView);
    const response = await decide('rssi', hospitalRssi, { decision: 'APPROVE', comment: 'Vu avec la DSI' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 'rssi', state: 'APPROVED' });
    expect(fake.calls).toEqual([{ name: 'decideApproval', args: [rssiIdentity, HOSPITAL_RUN, 'rssi', { decision: 'APPROVE', comment: 'Vu avec la DSI' }] }]);
  });

  it('refuses an actor smuggled in the body', async () => {
    const response = await decide('rssi', hospitalRssi, { decision: 'APPROVE', actor: { subject: 'boss', approverRoles: ['DPO'] } });
    expect(response.status).toBe(400);
    expect(problemOf(response).errors).toEqual([{ path: 'actor', message: 'unknown field "actor"' }]);
    expect(fake.calls).toEqual([]);
  });

  it.each(['REJECT', 'REQUEST_CHANGES'])('requires a comment with %s', async (decision) => {
    const response = await decide('rssi', hospitalRssi, { decision });
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)[0]).toBe('comment');
  });

  it('answers 400 to an unknown decision', async () => {
    const response = await decide('rssi', hospitalRssi, { decision: 'MAYBE' });
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)[0]).toBe('decision');
  });

  it('answers 413 to a decision body over its few kilobytes, calling no use case', async () => {
    const response = await decide('rssi', hospitalRssi, { decision: 'APPROVE', comment: 'x'.repeat(SMALL_BODY_LIMITS.maxBytes) });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ status: 413, title: 'Content Too Large' });
    expect(fake.calls).toEqual([]);
  });
});

describe('derogations (R10)', () => {
  const someDerogation = { id: 'derogation.secnumcloud', state: 'GRANTED' } as Derogation;
  const authorityIdentity = caller({ subject: 'customer@ght-rhone-nord', roles: ['customer'], customerId: 'ght-rhone-nord', approverRoles: ['HOMOLOGATION_AUTHORITY'] });
  let authority: string;
  beforeAll(async () => {
    authority = await tokenFor(['customer'], { customerId: 'ght-rhone-nord', approverRoles: ['HOMOLOGATION_AUTHORITY'] });
  });
  const grant = { justification: 'continuity', compensatingMeasures: ['customer-held keys'], expiresAt: '2027-12-31T00:00:00Z' };

  it('passes a request with the consultant caller', async () => {
    fake.answer('requestDerogation', () => ({ ...someDerogation, state: 'REQUESTED' }));
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/derogations`).set('Authorization', consultant).send({ zoneId: 'secnumcloud', reason: 'old site closes' });
    expect(response.status).toBe(200);
    expect(fake.calls).toEqual([{ name: 'requestDerogation', args: [consultantIdentity, HOSPITAL_RUN, { zoneId: 'secnumcloud', reason: 'old site closes' }] }]);
  });

  it('passes a grant with the authority caller, and each decision with its body', async () => {
    fake.answer('decideDerogation', () => someDerogation);
    const granted = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/derogations/secnumcloud/grant`).set('Authorization', authority).send(grant);
    const revoked = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/derogations/secnumcloud/revoke`).set('Authorization', authority).send({ comment: 'measures not applied' });
    const acknowledged = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/derogations/secnumcloud/acknowledge`).set('Authorization', ops).send({ comment: 'waits' });
    expect([granted.status, revoked.status, acknowledged.status]).toEqual([200, 200, 200]);
    expect(fake.calls).toEqual([
      { name: 'decideDerogation', args: [authorityIdentity, HOSPITAL_RUN, 'secnumcloud', { decision: 'grant', request: grant }] },
      { name: 'decideDerogation', args: [authorityIdentity, HOSPITAL_RUN, 'secnumcloud', { decision: 'revoke', request: { comment: 'measures not applied' } }] },
      { name: 'decideDerogation', args: [opsIdentity, HOSPITAL_RUN, 'secnumcloud', { decision: 'acknowledge', request: { comment: 'waits' } }] },
    ]);
  });

  it.each([
    [{ ...grant, compensatingMeasures: [] }, 'compensatingMeasures'],
    [{ ...grant, expiresAt: 'next year' }, 'expiresAt'],
    [{ ...grant, justification: ' ' }, 'justification'],
    [{ ...grant, actor: { subject: 'boss' } }, 'actor'],
  ])('answers 400 to the grant %j, naming %s', async (body, path) => {
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/derogations/secnumcloud/grant`).set('Authorization', authority).send(body);
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)[0]).toBe(path);
    expect(fake.calls).toEqual([]);
  });

  it('keeps grants for customers and acknowledgements for ops', async () => {
    const byOps = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/derogations/secnumcloud/grant`).set('Authorization', ops).send(grant);
    const byCustomer = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/derogations/secnumcloud/acknowledge`).set('Authorization', authority).send({ comment: 'c' });
    expect([byOps.status, byCustomer.status]).toEqual([403, 403]);
    expect(fake.calls).toEqual([]);
  });
});

describe('operator actions', () => {
  it('retries a step with an optional reason, and without any body', async () => {
    fake.answer('retryStep', () => someStep);
    const withReason = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/steps/provisioning.key-vault.secnumcloud/retry`).set('Authorization', ops).send({ reason: 'quota raised' });
    const bare = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/steps/provisioning.key-vault.secnumcloud/retry`).set('Authorization', ops);
    expect([withReason.status, bare.status]).toEqual([200, 200]);
    expect(fake.calls.map(({ args }) => args.slice(1))).toEqual([
      [HOSPITAL_RUN, 'provisioning.key-vault.secnumcloud', { reason: 'quota raised' }],
      [HOSPITAL_RUN, 'provisioning.key-vault.secnumcloud', {}],
    ]);
  });

  it('requires a reason to skip a step', async () => {
    fake.answer('skipStep', () => someStep);
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/steps/cutover.wave-2.dpi.switch/skip`).set('Authorization', ops).send({});
    expect(response.status).toBe(400);
    expect(problemOf(response).errors).toEqual([{ path: 'reason', message: expect.any(String) as unknown }]);
    const skipped = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/steps/cutover.wave-2.dpi.switch/skip`).set('Authorization', ops).send({ reason: 'done by hand' });
    expect(skipped.status).toBe(200);
    expect(fake.calls).toEqual([{ name: 'skipStep', args: [opsIdentity, HOSPITAL_RUN, 'cutover.wave-2.dpi.switch', 'done by hand'] }]);
  });

  it.each(['pause', 'resume', 'cancel'])('sends %s for the ops caller', async (control) => {
    fake.answer('controlRun', () => someStatus);
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/${control}`).set('Authorization', ops).send({});
    expect(response.status).toBe(200);
    expect(fake.calls).toEqual([{ name: 'controlRun', args: [opsIdentity, HOSPITAL_RUN, control, {}] }]);
  });

  it('extends a deadline by an ISO 8601 duration', async () => {
    fake.answer('extendDeadline', () => ({ approvals: [{ id: 'rssi', dueAt: '2027-02-10T09:00:00.000Z' } as ApprovalView] }));
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/deadline`).set('Authorization', ops).send({ approvalId: 'rssi', extendBy: 'P7D' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ approvals: [{ id: 'rssi', dueAt: '2027-02-10T09:00:00.000Z' }] });
    expect(fake.calls).toEqual([{ name: 'extendDeadline', args: [opsIdentity, HOSPITAL_RUN, { approvalId: 'rssi', extendBy: 'P7D' }] }]);
  });

  it.each(['7 days', 'PT0S', '', 'P'])('refuses the deadline extension %j', async (extendBy) => {
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/deadline`).set('Authorization', ops).send({ extendBy });
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)[0]).toBe('extendBy');
    expect(fake.calls).toEqual([]);
  });

  it('opens an exceptional cutover window for ops, with the verified actor and the request', async () => {
    fake.answer('openCutoverWindow', () => someStatus);
    const body = { waveId: 'wave-2', closesAt: '2027-03-07T06:00:00+01:00', reason: 'the hospital moved its night' };
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/cutover-window`).set('Authorization', ops).send(body);
    expect(response.status).toBe(200);
    expect(fake.calls).toEqual([{ name: 'openCutoverWindow', args: [opsIdentity, HOSPITAL_RUN, body] }]);
  });

  it('refuses an exceptional cutover window without a reason or with a wave that is no wave id, naming the field', async () => {
    const noReason = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/cutover-window`).set('Authorization', ops).send({ closesAt: '2027-03-07T06:00:00Z' });
    expect(errorPathsOf(noReason)).toEqual(['reason']);
    const badWave = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/cutover-window`).set('Authorization', ops).send({ waveId: 'second', closesAt: '2027-03-07T06:00:00Z', reason: 'r' });
    expect(errorPathsOf(badWave)).toEqual(['waveId']);
    expect(fake.calls).toEqual([]);
  });

  it('answers 415 to an operator body that is not JSON', async () => {
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/pause`).set('Authorization', ops).type('text/plain').send('now');
    expect(response.status).toBe(415);
  });

  it('tells the runs at the gate that the qualification changed', async () => {
    fake.answer('notifyQualificationChanged', () => ({ signalled: [HOSPITAL_RUN] }));
    const response = await request(app).post('/v1/provider/qualification-changed').set('Authorization', ops);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ signalled: [HOSPITAL_RUN] });
  });
});

describe('PUT /v1/migrations/{id}/plan', () => {
  it('sends the amended plan, validated and defaulted, with the consultant caller', async () => {
    fake.answer('amendPlan', () => someStatus);
    const amended = { ...hospitalPlan, workloads: (hospitalPlan.workloads as { id: string }[]).filter(({ id }) => id !== 'website') };
    const response = await request(app).put(`/v1/migrations/${HOSPITAL_RUN}/plan`).set('Authorization', consultant).send(amended);
    expect(response.status).toBe(200);
    expect(fake.calls).toEqual([{ name: 'amendPlan', args: [consultantIdentity, HOSPITAL_RUN, validated(amended)] }]);
  });

  it('answers 400 to an invalid amended plan', async () => {
    const response = await request(app).put(`/v1/migrations/${HOSPITAL_RUN}/plan`).set('Authorization', consultant).send({ ...hospitalPlan, workloads: [] });
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)[0]).toBe('workloads');
    expect(fake.calls).toEqual([]);
  });
});
