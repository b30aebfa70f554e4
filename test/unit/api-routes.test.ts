import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApplicationFailure,
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { type SearchAttributePair, TypedSearchAttributes } from '@temporalio/common';
import { encodeUnifiedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { msNumberToTs } from '@temporalio/common/lib/time';
import pino from 'pino';
import request, { type Response } from 'supertest';
import { createApp } from '../../api/app';
import { type ApproverRole, classifyPlan, type MigrationStatus, type Plan, type UserRole, validatePlan } from '../../domain';
import { createDevAuthenticator } from '../../api/auth';
import { issueDevToken } from '../../config/dev-tokens';
import { buildVisibilityQuery, MIGRATION_WORKFLOW_TYPE, type MigrationReport } from '../../api/migrations-router';
import type { PlanDryRun } from '../../api/plans-router';
import type { MigrationListResponse, StartMigrationResponse } from '../../api/validation';
import type { FieldError } from '../../api/problem';
import type { MigrationInput } from '../../workflows/messages';
import { CUSTOMER_ID, NEEDS_ATTENTION, PHASE, RUN_STATUS } from '../../workflows/search-attributes';

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

function bodyOf<T>(response: Response): T {
  return response.body as T;
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

/** A status as the workflow would answer it, waiting for approvals. */
function statusOf(workflowId: string, plan: Plan): MigrationStatus {
  const report = classifyPlan(plan);
  const at = '2027-01-04T09:00:00.000Z';
  return {
    workflowId,
    planId: plan.planId,
    customerId: plan.customer.id,
    customerName: plan.customer.name,
    phase: 'AWAITING_APPROVAL',
    status: 'WAITING',
    percentComplete: 20,
    startedAt: at,
    updatedAt: at,
    startedBy: 'consultant@passerelle',
    round: 1,
    plan,
    report,
    approvals: report.approvals.map((approval) => ({
      id: approval.id,
      role: approval.role,
      rules: approval.rules,
      state: 'PENDING',
      round: 1,
      requestedAt: at,
      dueAt: '2027-02-03T09:00:00.000Z',
    })),
    steps: [
      { id: 'assessment.inventory', phase: 'ASSESSMENT', title: 'Validate inventory', state: 'SUCCEEDED' },
      { id: 'cutover.wave-1.website.switch', phase: 'CUTOVER', title: 'Switch traffic', state: 'PENDING', workloadId: 'website' },
    ],
    waves: [],
    paused: false,
    timeline: [],
    audit: [],
    attention: [],
    resources: {},
  };
}

interface FakeRun {
  type: string;
  customerId: string;
  memo: Record<string, unknown>;
  open: boolean;
  status: MigrationStatus;
}

interface RecordedUpdate {
  workflowId: string;
  name: string;
  input: Record<string, unknown>;
}

/**
 * A stand-in for the few Temporal client calls the routers make, with Temporal's semantics
 * where the API relies on them: USE_EXISTING returns the open run, REJECT_DUPLICATE refuses a
 * closed one, a missing run throws WorkflowNotFoundError.
 */
class FakeTemporal {
  readonly runs = new Map<string, FakeRun>();
  readonly starts: { type: string; options: Record<string, unknown> }[] = [];
  readonly updates: RecordedUpdate[] = [];
  readonly listRequests: { query?: string | null; pageSize?: number | null; nextPageToken?: Uint8Array | null }[] = [];
  listAnswer: { executions: unknown[]; nextPageToken: Uint8Array } = { executions: [], nextPageToken: new Uint8Array() };
  updateAnswer: (name: string, input: Record<string, unknown>) => unknown = (name, input) => ({ name, input });

  addRun(workflowId: string, plan: Plan, extra: Partial<FakeRun> = {}): FakeRun {
    const run: FakeRun = {
      type: MIGRATION_WORKFLOW_TYPE,
      customerId: plan.customer.id,
      memo: {},
      open: true,
      status: statusOf(workflowId, plan),
      ...extra,
    };
    this.runs.set(workflowId, run);
    return run;
  }

  private runOrThrow(workflowId: string): FakeRun {
    const run = this.runs.get(workflowId);
    if (!run) throw new WorkflowNotFoundError(`workflow not found for ID: ${workflowId}`, workflowId, undefined);
    return run;
  }

  readonly client = {
    options: { namespace: 'default' },
    connection: { healthService: { check: async () => ({}) } },
    workflowService: {
      listWorkflowExecutions: async (req: { query?: string | null; pageSize?: number | null; nextPageToken?: Uint8Array | null }) => {
        this.listRequests.push(req);
        return this.listAnswer;
      },
    },
    workflow: {
      start: async (type: string, options: { workflowId: string; args: [MigrationInput]; memo: Record<string, unknown> }) => {
        this.starts.push({ type, options });
        // Yield once so that concurrent starts interleave as they would against a server.
        await new Promise((resolve) => setImmediate(resolve));
        const existing = this.runs.get(options.workflowId);
        if (existing && !existing.open) {
          throw new WorkflowExecutionAlreadyStartedError('Workflow execution already started', options.workflowId, type);
        }
        if (!existing) {
          const plan = options.args[0].plan;
          this.runs.set(options.workflowId, {
            type,
            customerId: plan.customer.id,
            memo: options.memo,
            open: true,
            status: statusOf(options.workflowId, plan),
          });
        }
        return { workflowId: options.workflowId };
      },
      getHandle: (workflowId: string) => ({
        workflowId,
        describe: async () => {
          const run = this.runOrThrow(workflowId);
          const attributes: SearchAttributePair[] = [{ key: CUSTOMER_ID, value: run.customerId }];
          return {
            type: run.type,
            workflowId,
            status: { name: run.open ? 'RUNNING' : 'COMPLETED' },
            memo: run.memo,
            typedSearchAttributes: new TypedSearchAttributes(attributes),
          };
        },
        query: async () => this.runOrThrow(workflowId).status,
        executeUpdate: async (definition: { name: string }, options: { args: [Record<string, unknown>] }) => {
          const run = this.runOrThrow(workflowId);
          if (!run.open) throw new WorkflowNotFoundError('workflow execution already completed', workflowId, undefined);
          this.updates.push({ workflowId, name: definition.name, input: options.args[0] });
          return this.updateAnswer(definition.name, options.args[0]);
        },
      }),
    },
  };
}

const secret = randomBytes(32);

async function tokenFor(roles: UserRole[], extra: { customerId?: string; approverRoles?: ApproverRole[] } = {}): Promise<string> {
  const sub = `${roles.join('+')}@${extra.customerId ?? 'passerelle'}`;
  return `Bearer ${await issueDevToken(secret, { sub, roles, ...extra })}`;
}

let consultant: string;
let ops: string;
let hospitalRssi: string;
let otherCustomer: string;

beforeAll(async () => {
  consultant = await tokenFor(['consultant']);
  ops = await tokenFor(['ops']);
  hospitalRssi = await tokenFor(['customer'], { customerId: 'ght-rhone-nord', approverRoles: ['RSSI'] });
  otherCustomer = await tokenFor(['customer'], { customerId: 'region-sud', approverRoles: ['RSSI', 'DPO'] });
});

let temporal: FakeTemporal;
let app: ReturnType<typeof createApp>;

beforeEach(() => {
  temporal = new FakeTemporal();
  const client = temporal.client as unknown as Client;
  app = createApp({
    client,
    authenticator: createDevAuthenticator(secret),
    logger: pino({ level: 'silent' }),
    taskQueue: 'passerelle-test',
  });
});

function withoutPlanId(): Record<string, unknown> {
  const { planId: _planId, ...rest } = hospitalPlan;
  return rest;
}

describe('authentication', () => {
  it('answers 401 problem+json without a bearer token', async () => {
    const response = await request(app).get('/v1/migrations');
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.body).toMatchObject({ status: 401, title: 'Unauthorized' });
  });

  it('answers 401 to a token signed with another secret', async () => {
    const forged = await issueDevToken(randomBytes(32), { sub: 'mallory', roles: ['ops'] });
    const response = await request(app).get('/v1/migrations').set('Authorization', `Bearer ${forged}`);
    expect(response.status).toBe(401);
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
  ] as const)('refuses %s with 403 on %s %s', async (_who, token, method, path, action) => {
    temporal.addRun(HOSPITAL_RUN, validated(hospitalPlan));
    const response = await request(app)[method](path).set('Authorization', token()).send({});
    expect(response.status).toBe(403);
    expect(problemOf(response).detail).toContain(action);
    expect(temporal.updates).toHaveLength(0);
    expect(temporal.starts).toHaveLength(0);
  });

  it('refuses before reading the body, so a wrong content type still answers 403', async () => {
    const response = await request(app).post('/v1/plans/validate').set('Authorization', hospitalRssi).type('text/plain').send('plan');
    expect(response.status).toBe(403);
  });

  it('lets a consultant cancel a run', async () => {
    temporal.addRun(HOSPITAL_RUN, validated(hospitalPlan));
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/cancel`).set('Authorization', consultant).send({ reason: 'customer withdrew' });
    expect(response.status).toBe(200);
    expect(temporal.updates).toEqual([
      expect.objectContaining({ name: 'cancel', input: expect.objectContaining({ reason: 'customer withdrew' }) as unknown }),
    ]);
  });
});

describe('another customer’s run', () => {
  beforeEach(() => {
    temporal.addRun(HOSPITAL_RUN, validated(hospitalPlan));
  });

  it.each([
    ['get', `/v1/migrations/${HOSPITAL_RUN}`],
    ['get', `/v1/migrations/${HOSPITAL_RUN}/report`],
    ['post', `/v1/migrations/${HOSPITAL_RUN}/approvals/rssi`],
  ] as const)('answers %s %s with the same 404 as a run that does not exist', async (method, path) => {
    const send = () => request(app)[method](path).set('Authorization', otherCustomer).send({ decision: 'APPROVE' });
    const hidden = await send();
    temporal.runs.delete(HOSPITAL_RUN);
    const missing = await send();
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(hidden.body).toEqual(missing.body);
    expect(hidden.headers['content-type']).toEqual(missing.headers['content-type']);
    expect(temporal.updates).toHaveLength(0);
  });

  it('is visible to its own customer', async () => {
    const response = await request(app).get(`/v1/migrations/${HOSPITAL_RUN}`).set('Authorization', hospitalRssi);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ workflowId: HOSPITAL_RUN, customerId: 'ght-rhone-nord', phase: 'AWAITING_APPROVAL' });
  });

  it('answers 404 for a workflow of another type, even to staff', async () => {
    temporal.runs.set('not-a-migration', { ...temporal.addRun('not-a-migration', validated(hospitalPlan)), type: 'somethingElse' });
    const response = await request(app).get('/v1/migrations/not-a-migration').set('Authorization', ops);
    expect(response.status).toBe(404);
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
    const dryRun = bodyOf<PlanDryRun>(response);
    expect(dryRun.valid).toBe(true);
    const levels = Object.fromEntries(dryRun.report.workloads.map(({ id, level, hds }) => [id, { level, hds }]));
    const wanted = Object.fromEntries(Object.entries(expected.workloads).map(([id, { level, hds }]) => [id, { level, hds }]));
    expect(levels).toEqual(wanted);
    expect(dryRun.report.approvals.map(({ id }) => id)).toEqual(expected.approvals);
    expect(dryRun.assessment.workloads).toHaveLength(Object.keys(expected.workloads).length);
    expect(temporal.starts).toHaveLength(0);
  });

  it('answers 400 problem+json naming every offending field', async () => {
    const plan = structuredClone(hospitalPlan) as { customer: Record<string, unknown>; workloads: Record<string, unknown>[] };
    plan.customer.nickname = 'GHT';
    plan.workloads[0] = { ...plan.workloads[0], dataCategories: [] };
    plan.workloads[1] = { ...plan.workloads[1], dependsOn: ['nowhere'] };
    const response = await request(app).post('/v1/plans/validate').set('Authorization', consultant).send(plan);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const paths = (problemOf(response).errors as { path: string; message: string }[]).map(({ path }) => path);
    expect(paths).toEqual(expect.arrayContaining(['customer.nickname', 'workloads[0].dataCategories', 'workloads[1].dependsOn[0]']));
    for (const error of problemOf(response).errors as { message: string }[]) expect(error.message).not.toBe('');
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
  it('starts the run under the plan id and answers 202 with Location', async () => {
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).send(hospitalPlan);
    expect(response.status).toBe(202);
    expect(response.headers.location).toBe(`/v1/migrations/${HOSPITAL_RUN}`);
    expect(response.body).toEqual({ id: HOSPITAL_RUN, created: true, statusUrl: `/v1/migrations/${HOSPITAL_RUN}` });

    expect(temporal.starts).toHaveLength(1);
    const { type, options } = temporal.starts[0] ?? { type: '', options: {} };
    expect(type).toBe('migrationWorkflow');
    expect(options).toMatchObject({
      workflowId: HOSPITAL_RUN,
      taskQueue: 'passerelle-test',
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { planHash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown },
    });
    const attributes = new TypedSearchAttributes(options.typedSearchAttributes as SearchAttributePair[]);
    expect(attributes.get(CUSTOMER_ID)).toBe('ght-rhone-nord');
    expect(attributes.get(PHASE)).toBe('ASSESSMENT');
    expect(attributes.get(RUN_STATUS)).toBe('RUNNING');
    expect(attributes.get(NEEDS_ATTENTION)).toBe(false);
    const [input] = options.args as [MigrationInput];
    expect(input.plan).toEqual(validated(hospitalPlan));
    expect(input.startedBy).toEqual({ subject: 'consultant@passerelle', roles: ['consultant'], approverRoles: [] });
  });

  it('answers the same run for the same plan twice, and says it was not created again', async () => {
    const first = await request(app).post('/v1/migrations').set('Authorization', consultant).send(hospitalPlan);
    const second = await request(app).post('/v1/migrations').set('Authorization', consultant).send(hospitalPlan);
    expect(second.status).toBe(202);
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.body).toMatchObject({ id: HOSPITAL_RUN, created: false });
    expect(temporal.runs.size).toBe(1);
  });

  it('treats a plan that only differs by defaults or key order as the same plan', async () => {
    await request(app).post('/v1/migrations').set('Authorization', consultant).send(hospitalPlan);
    const reordered = Object.fromEntries(Object.entries({ ...hospitalPlan, settings: { ...(hospitalPlan.settings as object), qualificationCheckInterval: 'PT1H' } }).reverse());
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).send(reordered);
    expect(response.status).toBe(202);
    expect(bodyOf<StartMigrationResponse>(response).created).toBe(false);
  });

  it('gives one run to twenty concurrent starts with the same Idempotency-Key', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        request(app).post('/v1/migrations').set('Authorization', consultant).set('Idempotency-Key', 'batch_2027-01-a').send(withoutPlanId()),
      ),
    );
    expect(responses.map(({ status }) => status)).toEqual(Array.from({ length: 20 }, () => 202));
    expect(new Set(responses.map(({ headers }) => headers.location))).toEqual(new Set(['/v1/migrations/migration-batch_2027-01-a']));
    expect(responses.filter(({ body }) => (body as { created: boolean }).created)).toHaveLength(1);
    expect(temporal.runs.size).toBe(1);
  });

  it('answers 409 naming the run when the same key comes with a different plan', async () => {
    await request(app).post('/v1/migrations').set('Authorization', consultant).set('Idempotency-Key', 'k-1').send(withoutPlanId());
    const changed = { ...withoutPlanId(), settings: { maxWaveSize: 2 } };
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).set('Idempotency-Key', 'k-1').send(changed);
    expect(response.status).toBe(409);
    expect(problemOf(response).detail).toContain('migration-k-1');
  });

  it('answers the ended run again when its plan id is started once more with the same plan', async () => {
    await request(app).post('/v1/migrations').set('Authorization', consultant).send(hospitalPlan);
    const run = temporal.runs.get(HOSPITAL_RUN);
    if (run) run.open = false;
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).send(hospitalPlan);
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ id: HOSPITAL_RUN, created: false });
  });

  it('answers 400 naming both planId and Idempotency-Key when neither is given', async () => {
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).send(withoutPlanId());
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)).toEqual(['planId', 'Idempotency-Key']);
    expect(temporal.starts).toHaveLength(0);
  });

  it.each(['', 'has space', 'x'.repeat(129), 'é', 'victim.wave-1', 'batch:1', 'a/b'])('answers 400 to the Idempotency-Key %j', async (key) => {
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).set('Idempotency-Key', key).send(withoutPlanId());
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)[0]).toBe('Idempotency-Key');
  });

  it('answers 400 to an invalid plan and starts nothing', async () => {
    const response = await request(app).post('/v1/migrations').set('Authorization', consultant).send({ ...hospitalPlan, customer: { id: 'Bad Id' } });
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)).toEqual(
      expect.arrayContaining(['customer.id', 'customer.name', 'customer.type']),
    );
    expect(temporal.starts).toHaveLength(0);
  });
});

describe('GET /v1/migrations', () => {
  function execution(id: string, customerId: string, closed = false) {
    const attributes: SearchAttributePair[] = [
      { key: CUSTOMER_ID, value: customerId },
      { key: PHASE, value: 'CUTOVER' },
      { key: RUN_STATUS, value: 'NEEDS_ATTENTION' },
      { key: NEEDS_ATTENTION, value: true },
    ];
    return {
      execution: { workflowId: id, runId: 'run' },
      startTime: msNumberToTs(Date.parse('2027-01-04T09:00:00Z')),
      closeTime: closed ? msNumberToTs(Date.parse('2027-01-05T09:00:00Z')) : undefined,
      searchAttributes: { indexedFields: encodeUnifiedSearchAttributes(undefined, attributes) },
    };
  }

  it('lists runs from their search attributes with an opaque cursor', async () => {
    temporal.listAnswer = { executions: [execution('migration-a', 'ght-rhone-nord'), execution('migration-b', 'region-sud', true)], nextPageToken: Uint8Array.from([1, 2, 250, 255]) };
    const response = await request(app).get('/v1/migrations?limit=2&status=NEEDS_ATTENTION').set('Authorization', ops);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [
        { id: 'migration-a', customerId: 'ght-rhone-nord', phase: 'CUTOVER', status: 'NEEDS_ATTENTION', needsAttention: true, startedAt: '2027-01-04T09:00:00.000Z', closedAt: null },
        // Closed without a final status (terminated, timed out): the list says it failed.
        { id: 'migration-b', customerId: 'region-sud', phase: 'CUTOVER', status: 'FAILED', needsAttention: true, startedAt: '2027-01-04T09:00:00.000Z', closedAt: '2027-01-05T09:00:00.000Z' },
      ],
      nextCursor: Buffer.from([1, 2, 250, 255]).toString('base64url'),
    });
    expect(temporal.listRequests[0]).toMatchObject({ pageSize: 2, namespace: 'default' });
    expect(temporal.listRequests[0]?.query).toBe(
      "WorkflowType = 'migrationWorkflow' AND ExecutionStatus != 'ContinuedAsNew' AND PasserelleStatus = 'NEEDS_ATTENTION'",
    );

    await request(app).get(`/v1/migrations?cursor=${bodyOf<MigrationListResponse>(response).nextCursor ?? ''}`).set('Authorization', ops);
    expect(Buffer.from(temporal.listRequests[1]?.nextPageToken ?? [])).toEqual(Buffer.from([1, 2, 250, 255]));
    expect(temporal.listRequests[1]?.pageSize).toBe(20);
  });

  it('answers nextCursor null on the last page', async () => {
    const response = await request(app).get('/v1/migrations').set('Authorization', consultant);
    expect(response.body).toEqual({ items: [], nextCursor: null });
  });

  it('always filters a customer’s list to its own customer, whatever it asks', async () => {
    await request(app).get('/v1/migrations').set('Authorization', otherCustomer);
    await request(app).get('/v1/migrations?customer=ght-rhone-nord').set('Authorization', otherCustomer);
    expect(temporal.listRequests[0]?.query).toContain("PasserelleCustomerId = 'region-sud'");
    expect(temporal.listRequests[1]?.query).toContain("PasserelleCustomerId = 'region-sud' AND PasserelleCustomerId = 'ght-rhone-nord'");
  });

  it('turns every filter into a clause on its search attribute', () => {
    expect(buildVisibilityQuery({ customer: 'ght-rhone-nord', phase: 'CUTOVER', status: 'RUNNING', needsAttention: false }, undefined)).toBe(
      "WorkflowType = 'migrationWorkflow' AND ExecutionStatus != 'ContinuedAsNew' AND PasserelleCustomerId = 'ght-rhone-nord' AND PasserellePhase = 'CUTOVER' AND PasserelleStatus = 'RUNNING' AND PasserelleNeedsAttention = false",
    );
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
    expect(temporal.listRequests).toHaveLength(0);
  });

  it.each([
    ['INVALID_ARGUMENT', 3],
    ['UNKNOWN', 2],
  ])('answers 400 to a cursor that Temporal refuses with %s', async (_name, code) => {
    temporal.client.workflowService.listWorkflowExecutions = async () => {
      throw Object.assign(new Error('invalid page token'), { code });
    };
    const response = await request(app).get('/v1/migrations?cursor=AAAA').set('Authorization', ops);
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)[0]).toBe('cursor');
  });

  it('answers 503 when Temporal is unreachable', async () => {
    temporal.client.workflowService.listWorkflowExecutions = async () => {
      throw Object.assign(new Error('14 UNAVAILABLE: connection refused'), { code: 14 });
    };
    const response = await request(app).get('/v1/migrations?cursor=AAAA').set('Authorization', ops);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
  });
});

describe('GET /v1/migrations/{id} and /report', () => {
  beforeEach(() => {
    temporal.addRun(HOSPITAL_RUN, validated(hospitalPlan));
  });

  it('answers the status query', async () => {
    const response = await request(app).get(`/v1/migrations/${HOSPITAL_RUN}`).set('Authorization', ops);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ workflowId: HOSPITAL_RUN, status: 'WAITING', approvals: expect.any(Array) as unknown });
  });

  it('answers a report with every workload’s level and outcome', async () => {
    const response = await request(app).get(`/v1/migrations/${HOSPITAL_RUN}/report`).set('Authorization', hospitalRssi);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: HOSPITAL_RUN, customer: { id: 'ght-rhone-nord' }, final: false, outcome: null });
    const report = bodyOf<MigrationReport>(response);
    const workloads = report.workloads;
    expect(workloads.find(({ id }) => id === 'gtc')).toMatchObject({ level: 'NOT_ELIGIBLE', outcome: 'LEFT_OUT', reason: expect.any(String) as unknown });
    expect(workloads.find(({ id }) => id === 'dpi')).toMatchObject({ level: 'SECNUMCLOUD', hds: true, outcome: 'PENDING' });
    expect(report.steps).toMatchObject({ total: 2, byState: { SUCCEEDED: 1, PENDING: 1 } });
    expect(report.classification?.approvals).toHaveLength(4);
  });

  it('answers 400 to a malformed run id', async () => {
    const response = await request(app).get('/v1/migrations/bad%20id').set('Authorization', ops);
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)[0]).toBe('id');
  });
});

describe('POST /v1/migrations/{id}/approvals/{approvalId}', () => {
  const decide = (approvalId: string, token: string, body: unknown) =>
    request(app).post(`/v1/migrations/${HOSPITAL_RUN}/approvals/${approvalId}`).set('Authorization', token).send(body as object);

  beforeEach(() => {
    temporal.addRun(HOSPITAL_RUN, validated(hospitalPlan));
  });

  it('passes the decision with the actor from the token', async () => {
    temporal.updateAnswer = () => ({ id: 'rssi', state: 'APPROVED' });
    const response = await decide('rssi', hospitalRssi, { decision: 'APPROVE', comment: 'Vu avec la DSI' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: 'rssi', state: 'APPROVED' });
    expect(temporal.updates).toEqual([
      {
        workflowId: HOSPITAL_RUN,
        name: 'decideApproval',
        input: {
          approvalId: 'rssi',
          decision: 'APPROVE',
          comment: 'Vu avec la DSI',
          actor: { subject: 'customer@ght-rhone-nord', roles: ['customer'], customerId: 'ght-rhone-nord', approverRoles: ['RSSI'] },
        },
      },
    ]);
  });

  it('refuses an actor smuggled in the body', async () => {
    const response = await decide('rssi', hospitalRssi, { decision: 'APPROVE', actor: { subject: 'boss', approverRoles: ['DPO'] } });
    expect(response.status).toBe(400);
    expect(problemOf(response).errors).toEqual([{ path: 'actor', message: 'unknown field "actor"' }]);
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

  it('refuses an approval bound to a role the token does not hold', async () => {
    const response = await decide('dpo', hospitalRssi, { decision: 'APPROVE' });
    expect(response.status).toBe(403);
    expect(problemOf(response).detail).toContain('DPO');
    expect(temporal.updates).toHaveLength(0);
  });

  it('answers 404 for an approval the run does not have', async () => {
    const response = await decide('anssi-notification', hospitalRssi, { decision: 'APPROVE' });
    expect(response.status).toBe(404);
  });

  it.each([
    ['NotFound', 404],
    ['Forbidden', 403],
    ['Conflict', 409],
    ['Invalid', 422],
  ])('maps the workflow’s %s refusal to %i with its message', async (type, status) => {
    temporal.updateAnswer = () => {
      throw new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message: `refused: ${type}`, nonRetryable: true }));
    };
    const response = await decide('rssi', hospitalRssi, { decision: 'APPROVE' });
    expect(response.status).toBe(status);
    expect(problemOf(response).detail).toBe(`refused: ${type}`);
  });

  it('answers 409 when the run has ended', async () => {
    const run = temporal.runs.get(HOSPITAL_RUN);
    if (run) run.open = false;
    const response = await decide('rssi', hospitalRssi, { decision: 'APPROVE' });
    expect(response.status).toBe(409);
    expect(problemOf(response).detail).toMatch(/the run has ended/);
  });
});

describe('operator actions', () => {
  beforeEach(() => {
    temporal.addRun(HOSPITAL_RUN, validated(hospitalPlan));
  });

  it('retries a step with an optional reason, and without any body', async () => {
    const withReason = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/steps/provisioning.key-vault.secnumcloud/retry`).set('Authorization', ops).send({ reason: 'quota raised' });
    const bare = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/steps/provisioning.key-vault.secnumcloud/retry`).set('Authorization', ops);
    expect([withReason.status, bare.status]).toEqual([200, 200]);
    expect(temporal.updates.map(({ name, input }) => [name, input.stepId, input.reason])).toEqual([
      ['retryStep', 'provisioning.key-vault.secnumcloud', 'quota raised'],
      ['retryStep', 'provisioning.key-vault.secnumcloud', undefined],
    ]);
  });

  it('requires a reason to skip a step', async () => {
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/steps/cutover.wave-2.dpi.switch/skip`).set('Authorization', ops).send({});
    expect(response.status).toBe(400);
    expect(problemOf(response).errors).toEqual([{ path: 'reason', message: expect.any(String) as unknown }]);
    const skipped = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/steps/cutover.wave-2.dpi.switch/skip`).set('Authorization', ops).send({ reason: 'done by hand' });
    expect(skipped.status).toBe(200);
    expect(temporal.updates[0]).toMatchObject({ name: 'skipStep', input: { stepId: 'cutover.wave-2.dpi.switch', reason: 'done by hand' } });
  });

  it.each(['pause', 'resume', 'cancel'])('sends %s with the ops actor', async (control) => {
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/${control}`).set('Authorization', ops).send({});
    expect(response.status).toBe(200);
    expect(temporal.updates).toEqual([
      expect.objectContaining({ name: control, input: { actor: { subject: 'ops@passerelle', roles: ['ops'], approverRoles: [] } } }),
    ]);
  });

  it('extends a deadline by an ISO 8601 duration', async () => {
    temporal.updateAnswer = () => [{ id: 'rssi', dueAt: '2027-02-10T09:00:00.000Z' }];
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/deadline`).set('Authorization', ops).send({ approvalId: 'rssi', extendBy: 'P7D' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ approvals: [{ id: 'rssi', dueAt: '2027-02-10T09:00:00.000Z' }] });
    expect(temporal.updates[0]).toMatchObject({ name: 'extendDeadline', input: { approvalId: 'rssi', extendBy: 'P7D' } });
  });

  it.each(['7 days', 'PT0S', '', 'P'])('refuses the deadline extension %j', async (extendBy) => {
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/deadline`).set('Authorization', ops).send({ extendBy });
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)[0]).toBe('extendBy');
  });

  it('answers 409 when the run ends between the check and the update', async () => {
    temporal.updateAnswer = () => {
      throw new WorkflowNotFoundError('workflow execution already completed', HOSPITAL_RUN, undefined);
    };
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/pause`).set('Authorization', ops).send({});
    expect(response.status).toBe(409);
  });

  it('answers 415 to an operator body that is not JSON', async () => {
    const response = await request(app).post(`/v1/migrations/${HOSPITAL_RUN}/pause`).set('Authorization', ops).type('text/plain').send('now');
    expect(response.status).toBe(415);
  });
});

describe('PUT /v1/migrations/{id}/plan', () => {
  beforeEach(() => {
    temporal.addRun(HOSPITAL_RUN, validated(hospitalPlan));
  });

  it('sends the amended plan, validated and defaulted, with the consultant actor', async () => {
    const amended = { ...hospitalPlan, workloads: (hospitalPlan.workloads as { id: string }[]).filter(({ id }) => id !== 'website') };
    const response = await request(app).put(`/v1/migrations/${HOSPITAL_RUN}/plan`).set('Authorization', consultant).send(amended);
    expect(response.status).toBe(200);
    expect(temporal.updates[0]).toMatchObject({ name: 'amendPlan', input: { plan: validated(amended), actor: { subject: 'consultant@passerelle' } } });
  });

  it('answers 400 to an invalid amended plan', async () => {
    const response = await request(app).put(`/v1/migrations/${HOSPITAL_RUN}/plan`).set('Authorization', consultant).send({ ...hospitalPlan, workloads: [] });
    expect(response.status).toBe(400);
    expect(errorPathsOf(response)[0]).toBe('workloads');
  });

  it('answers 422 to an amended plan for another customer', async () => {
    const response = await request(app)
      .put(`/v1/migrations/${HOSPITAL_RUN}/plan`)
      .set('Authorization', consultant)
      .send({ ...hospitalPlan, customer: { id: 'region-sud', name: 'Région Sud', type: 'LOCAL_AUTHORITY' } });
    expect(response.status).toBe(422);
    expect(errorPathsOf(response)[0]).toBe('customer.id');
    expect(temporal.updates).toHaveLength(0);
  });
});
