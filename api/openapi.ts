/**
 * The OpenAPI 3.1 document of the API, generated from the same zod schemas the routes parse
 * with (api/validation.ts, api/run-schemas.ts, domain/plan.ts), and the roles of each
 * operation from the authorization table. Served at `/openapi.json`.
 */
import { z } from 'zod';
import { PlanSchema } from '../domain/plan';
import {
  type Action,
  ApprovalViewSchema,
  MigrationProgressSchema,
  MigrationReportSchema,
  MigrationStatusSchema,
  MigrationStreamEndSchema,
  PERMISSIONS,
  StepViewSchema,
  USER_ROLES,
} from '../domain';
import { CodecPayloadsSchema } from './codec-router';
import { ProblemSchema } from './problem';
import {
  ApprovalDecisionRequestSchema,
  ApprovalParamsSchema,
  ExtendDeadlineRequestSchema,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKeySchema,
  ListMigrationsQuerySchema,
  MigrationListResponseSchema,
  MigrationParamsSchema,
  OperatorRequestSchema,
  PlanValidationResponseSchema,
  SkipStepRequestSchema,
  StartMigrationResponseSchema,
  StepParamsSchema,
} from './validation';

type JsonSchema = Record<string, unknown>;
type HttpMethod = 'get' | 'post' | 'put';

const COMPONENT_PREFIX = '#/components/schemas/';

/** Request schemas (as clients write them: defaults optional) and answer schemas (as the API sends them). */
const REQUEST_COMPONENTS: Record<string, z.ZodType> = {
  PlanInput: PlanSchema,
  ApprovalDecisionRequest: ApprovalDecisionRequestSchema,
  OperatorRequest: OperatorRequestSchema,
  SkipStepRequest: SkipStepRequestSchema,
  ExtendDeadlineRequest: ExtendDeadlineRequestSchema,
  CodecPayloadsRequest: CodecPayloadsSchema,
};
const RESPONSE_COMPONENTS: Record<string, z.ZodType> = {
  Plan: PlanSchema,
  StartMigrationResponse: StartMigrationResponseSchema,
  MigrationListResponse: MigrationListResponseSchema,
  MigrationStatus: MigrationStatusSchema,
  MigrationReport: MigrationReportSchema,
  StepView: StepViewSchema,
  ApprovalView: ApprovalViewSchema,
  PlanValidationResponse: PlanValidationResponseSchema,
  MigrationProgress: MigrationProgressSchema,
  MigrationStreamEnd: MigrationStreamEndSchema,
  CodecPayloads: CodecPayloadsSchema,
  Problem: ProblemSchema,
};

/** Error answers, each an RFC 9457 problem. */
const PROBLEM_RESPONSES = {
  400: ['BadRequest', 'The request is malformed; `errors` names each field and the reason.'],
  401: ['Unauthorized', 'No valid bearer token.'],
  403: ['Forbidden', 'The token’s roles do not allow this action.'],
  404: ['NotFound', 'No such resource, or one the caller may not see (another customer’s run answers exactly like a missing one).'],
  409: ['Conflict', 'The run’s state does not allow this now (ended, or a different plan under the same key).'],
  413: ['ContentTooLarge', 'The request body is larger than the API accepts.'],
  415: ['UnsupportedMediaType', 'The body is not application/json in UTF-8.'],
  422: ['UnprocessableContent', 'The workflow refused the decision; `detail` says why.'],
  429: ['TooManyRequests', 'Too many requests, or too many failed authentications, from this address; see Retry-After.'],
  503: ['ServiceUnavailable', 'Temporal is not reachable; retry after Retry-After seconds.'],
} as const;
type ProblemStatus = keyof typeof PROBLEM_RESPONSES;

interface OperationSpec {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** The authorization table's action; absent for public routes. */
  action?: Action;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: { name: string; schema: z.ZodType; description: string }[];
  body?: { component: keyof typeof REQUEST_COMPONENTS; required: boolean };
  ok: { status: number; description: string; content?: Record<string, JsonSchema>; headers?: Record<string, JsonSchema> };
  errors: ProblemStatus[];
}

const json = (component: keyof typeof RESPONSE_COMPONENTS) => ({ 'application/json': { schema: { $ref: `${COMPONENT_PREFIX}${component}` } } });

/** Errors every authenticated operation may answer. */
const AUTHENTICATED: ProblemStatus[] = [401, 403, 429, 503];
const WITH_BODY: ProblemStatus[] = [400, 413, 415];

/** Every operation of the API. The route coverage test walks the router to hold this list complete. */
export const OPERATIONS: readonly OperationSpec[] = [
  {
    method: 'post',
    path: '/v1/plans/validate',
    operationId: 'validatePlan',
    tag: 'plans',
    summary: 'Dry run: assess and classify a plan; nothing is started',
    action: 'plan.validate',
    body: { component: 'PlanInput', required: true },
    ok: { status: 200, description: 'The plan is valid; its assessment and classification report.', content: json('PlanValidationResponse') },
    errors: [...WITH_BODY, ...AUTHENTICATED],
  },
  {
    method: 'post',
    path: '/v1/migrations',
    operationId: 'startMigration',
    tag: 'migrations',
    summary: 'Start a run from a plan; idempotent on planId or Idempotency-Key',
    action: 'migration.start',
    headers: [{ name: IDEMPOTENCY_KEY_HEADER, schema: IdempotencyKeySchema, description: 'Required when the plan has no planId: the same key gives the same run.' }],
    body: { component: 'PlanInput', required: true },
    ok: {
      status: 202,
      description: 'The run (new, or the existing one for the same plan and key); Location is its status.',
      content: json('StartMigrationResponse'),
      headers: { Location: { description: 'The run’s status URL', schema: { type: 'string' } } },
    },
    errors: [...WITH_BODY, 409, ...AUTHENTICATED],
  },
  {
    method: 'get',
    path: '/v1/migrations',
    operationId: 'listMigrations',
    tag: 'migrations',
    summary: 'List runs (customers: their own), filtered on search attributes, newest first',
    action: 'migration.list',
    query: ListMigrationsQuerySchema,
    ok: { status: 200, description: 'One page; nextCursor is null on the last one.', content: json('MigrationListResponse') },
    errors: [400, ...AUTHENTICATED],
  },
  {
    method: 'get',
    path: '/v1/migrations/{id}',
    operationId: 'readMigration',
    tag: 'migrations',
    summary: 'Full status of a run',
    action: 'migration.read',
    params: MigrationParamsSchema,
    ok: { status: 200, description: 'The run’s status query.', content: json('MigrationStatus') },
    errors: [400, 404, ...AUTHENTICATED],
  },
  {
    method: 'get',
    path: '/v1/migrations/{id}/events',
    operationId: 'followMigration',
    tag: 'migrations',
    summary: 'Live progress as Server-Sent Events, resumable with Last-Event-ID',
    action: 'migration.events',
    params: MigrationParamsSchema,
    headers: [
      {
        name: 'Last-Event-ID',
        schema: z.string().regex(/^\d{1,16}$/),
        description: 'Resume after this event: only newer changes are sent, none twice.',
      },
    ],
    ok: {
      status: 200,
      description:
        'A text/event-stream: `status` events (data = MigrationProgress; id = the run’s updatedAt in epoch ms × 1000 + percent complete, ' +
        'so that it grows with every change) on every change, ' +
        '`: heartbeat` comments while nothing changes, and a last `end` event (data = MigrationStreamEnd) when the run has ended or the caller’s token expires; a caller holds at most API_EVENTS_MAX_STREAMS streams at once (429 beyond).',
      content: {
        'text/event-stream': {
          schema: { type: 'string' },
          'x-event-data': { oneOf: [{ $ref: `${COMPONENT_PREFIX}MigrationProgress` }, { $ref: `${COMPONENT_PREFIX}MigrationStreamEnd` }] },
        },
      },
    },
    errors: [400, 404, ...AUTHENTICATED],
  },
  {
    method: 'get',
    path: '/v1/migrations/{id}/report',
    operationId: 'readMigrationReport',
    tag: 'migrations',
    summary: 'Interim or final report of a run',
    action: 'migration.report',
    params: MigrationParamsSchema,
    ok: { status: 200, description: 'The report; `final` once the run has ended.', content: json('MigrationReport') },
    errors: [400, 404, ...AUTHENTICATED],
  },
  {
    method: 'post',
    path: '/v1/migrations/{id}/approvals/{approvalId}',
    operationId: 'decideApproval',
    tag: 'decisions',
    summary: 'Approve, reject or request changes (the run’s customer’s approver holding the approval’s role)',
    action: 'approval.decide',
    params: ApprovalParamsSchema,
    body: { component: 'ApprovalDecisionRequest', required: true },
    ok: { status: 200, description: 'The approval as recorded.', content: json('ApprovalView') },
    errors: [...WITH_BODY, 404, 409, 422, ...AUTHENTICATED],
  },
  {
    method: 'put',
    path: '/v1/migrations/{id}/plan',
    operationId: 'amendPlan',
    tag: 'decisions',
    summary: 'Amend the plan before provisioning; the run classifies it again',
    action: 'plan.amend',
    params: MigrationParamsSchema,
    body: { component: 'PlanInput', required: true },
    ok: { status: 200, description: 'The run’s status after the amendment.', content: json('MigrationStatus') },
    errors: [...WITH_BODY, 404, 409, 422, ...AUTHENTICATED],
  },
  ...(['retry', 'skip'] as const).map(
    (control): OperationSpec => ({
      method: 'post',
      path: `/v1/migrations/{id}/steps/{stepId}/${control}`,
      operationId: `${control}Step`,
      tag: 'operations',
      summary: control === 'retry' ? 'Run a failed step again' : 'Skip a failed step, saying why',
      action: control === 'retry' ? 'step.retry' : 'step.skip',
      params: StepParamsSchema,
      body: control === 'retry' ? { component: 'OperatorRequest', required: false } : { component: 'SkipStepRequest', required: true },
      ok: { status: 200, description: 'The step as it now stands.', content: json('StepView') },
      errors: [...WITH_BODY, 404, 409, 422, ...AUTHENTICATED],
    }),
  ),
  ...(['pause', 'resume', 'cancel'] as const).map(
    (control): OperationSpec => ({
      method: 'post',
      path: `/v1/migrations/{id}/${control}`,
      operationId: `${control}Migration`,
      tag: 'operations',
      summary: { pause: 'Pause the run', resume: 'Resume a paused run', cancel: 'Cancel the run; what was done is compensated' }[control],
      action: `run.${control}`,
      params: MigrationParamsSchema,
      body: { component: 'OperatorRequest', required: false },
      ok: { status: 200, description: 'The run’s status.', content: json('MigrationStatus') },
      errors: [...WITH_BODY, 404, 409, 422, ...AUTHENTICATED],
    }),
  ),
  {
    method: 'post',
    path: '/v1/migrations/{id}/deadline',
    operationId: 'extendDeadline',
    tag: 'operations',
    summary: 'Push back an overdue approval’s deadline (or every pending one’s)',
    action: 'deadline.extend',
    params: MigrationParamsSchema,
    body: { component: 'ExtendDeadlineRequest', required: true },
    ok: {
      status: 200,
      description: 'The approvals whose deadline moved.',
      content: { 'application/json': { schema: { type: 'object', properties: { approvals: { type: 'array', items: { $ref: `${COMPONENT_PREFIX}ApprovalView` } } }, required: ['approvals'] } } },
    },
    errors: [...WITH_BODY, 404, 409, 422, ...AUTHENTICATED],
  },
  {
    method: 'post',
    path: '/v1/provider/qualification-changed',
    operationId: 'notifyQualificationChanged',
    tag: 'operations',
    summary: 'Tell runs waiting at the regulatory gate to read the provider’s qualification again now',
    action: 'qualification.notify',
    ok: {
      status: 200,
      description: 'The runs that were told.',
      content: { 'application/json': { schema: { type: 'object', properties: { signalled: { type: 'array', items: { type: 'string' } } }, required: ['signalled'] } } },
    },
    errors: [...WITH_BODY, ...AUTHENTICATED],
  },
  ...(['encode', 'decode'] as const).map(
    (direction): OperationSpec => ({
      method: 'post',
      path: `/codec/${direction}`,
      operationId: `${direction}Payloads`,
      tag: 'codec',
      summary: `${direction === 'encode' ? 'Encrypt' : 'Decrypt'} Temporal payloads (remote codec protocol, for the Temporal Web UI and CLI)`,
      action: `payload.${direction}`,
      body: { component: 'CodecPayloadsRequest', required: true },
      ok: { status: 200, description: 'The same payloads, transcoded, in the same order.', content: json('CodecPayloads') },
      errors: direction === 'decode' ? [...WITH_BODY, 422, 401, 403, 429] : [...WITH_BODY, 401, 403, 429],
    }),
  ),
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'service',
    summary: 'The process is up',
    ok: { status: 200, description: 'Up.', content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ok' } } } } } },
    errors: [],
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    tag: 'service',
    summary: 'Temporal is reachable',
    ok: { status: 200, description: 'Ready.', content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ready' }, temporal: { const: 'reachable' } } } } } },
    errors: [503],
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'service',
    summary: 'Prometheus metrics (HTTP requests by route and status, run starts, decisions, process)',
    ok: { status: 200, description: 'Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } },
    errors: [],
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    tag: 'service',
    summary: 'This document',
    ok: { status: 200, description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } },
    errors: [],
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'documentation',
    tag: 'service',
    summary: 'This document, rendered as a page',
    ok: { status: 200, description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } },
    errors: [],
  },
  {
    method: 'get',
    path: '/docs/docs.js',
    operationId: 'documentationScript',
    tag: 'service',
    summary: 'The script of the documentation page',
    ok: { status: 200, description: 'JavaScript.', content: { 'text/javascript': { schema: { type: 'string' } } } },
    errors: [],
  },
];

function withoutSchemaKeywords(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function componentSchemas(components: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(components)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
    uri: (id) => `${COMPONENT_PREFIX}${id}`,
  });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutSchemaKeywords(schema as JsonSchema)]));
}

function inlineSchema(schema: z.ZodType): JsonSchema {
  return withoutSchemaKeywords(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }));
}

function parametersOf(spec: OperationSpec): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  for (const [location, shapeOwner] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!shapeOwner) continue;
    const fields: Record<string, z.ZodType> = shapeOwner.shape;
    for (const [name, field] of Object.entries(fields)) {
      const optional = field.safeParse(undefined).success;
      parameters.push({ name, in: location, required: location === 'path' || !optional, schema: inlineSchema(field) });
    }
  }
  for (const header of spec.headers ?? []) {
    parameters.push({ name: header.name, in: 'header', required: false, description: header.description, schema: inlineSchema(header.schema) });
  }
  return parameters;
}

function rolesAllowed(action: Action): string[] {
  return USER_ROLES.filter((role) => PERMISSIONS[role].has(action));
}

function operationOf(spec: OperationSpec): JsonSchema {
  const roles = spec.action ? rolesAllowed(spec.action) : [];
  const responses: Record<string, JsonSchema> = {
    [String(spec.ok.status)]: {
      description: spec.ok.description,
      ...(spec.ok.headers ? { headers: spec.ok.headers } : {}),
      ...(spec.ok.content ? { content: spec.ok.content } : {}),
    },
  };
  for (const status of spec.errors) responses[String(status)] = { $ref: `#/components/responses/${PROBLEM_RESPONSES[status][0]}` };
  const parameters = parametersOf(spec);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.action
      ? { description: `Roles: ${roles.join(', ')} (action \`${spec.action}\`).`, 'x-action': spec.action, 'x-roles': roles, security: [{ bearer: [] }] }
      : { security: [] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: spec.body.required,
            content: { 'application/json': { schema: { $ref: `${COMPONENT_PREFIX}${spec.body.component}` } } },
          },
        }
      : {}),
    responses,
  };
}

/** Builds the OpenAPI 3.1 document; `serverUrl` is where the API answers. */
export function buildOpenApiDocument(options: { version: string; serverUrl?: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of OPERATIONS) (paths[spec.path] ??= {})[spec.method] = operationOf(spec);
  const problemResponses = Object.fromEntries(
    Object.values(PROBLEM_RESPONSES).map(([name, description]) => [
      name,
      {
        description,
        ...(name === 'ServiceUnavailable' || name === 'TooManyRequests'
          ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } } }
          : {}),
        content: { 'application/problem+json': { schema: { $ref: `${COMPONENT_PREFIX}Problem` } } },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Passerelle API',
      version: options.version,
      summary: 'Durable migrations to a sovereign cloud, as Temporal workflows',
      description:
        'Consultants launch plans, customers follow their own runs and sign what the law asks them to sign, ops resolve what needs attention. ' +
        'Errors are RFC 9457 problems (application/problem+json).',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [
      { name: 'plans', description: 'Plans before they are runs' },
      { name: 'migrations', description: 'Starting and following runs' },
      { name: 'decisions', description: 'Sign-offs and amendments' },
      { name: 'operations', description: 'What ops do when a run needs attention' },
      { name: 'codec', description: 'Payload encryption for the Temporal Web UI' },
      { name: 'service', description: 'Health, metrics and this documentation' },
    ],
    paths,
    components: {
      schemas: { ...componentSchemas(REQUEST_COMPONENTS, 'input'), ...componentSchemas(RESPONSE_COMPONENTS, 'output') },
      responses: problemResponses,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT with `sub`, `roles` and, for customers, `customerId` and `approverRoles`.' },
      },
    },
  };
}
