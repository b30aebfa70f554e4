/**
 * Every operation of the API in one table: what it is (method, path, operation id, summary),
 * who may call it (the authorization table's action), what it reads (path, query, headers and
 * a body within its own size limit), what it answers, and the one use case it calls. The app
 * registers its routes from this table and `/openapi.json` is generated from it.
 */
import type { PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import {
  type Action,
  ApprovalViewSchema,
  CutoverScheduleSchema,
  DerogationSchema,
  EstateGraphSchema,
  MigrationOverviewChangeSchema,
  MigrationOverviewSchema,
  MigrationReportSchema,
  MigrationStatusSchema,
  MigrationStreamEndSchema,
  pageResponseSchema,
  RUN_COLLECTION_ITEMS,
  RUN_COLLECTIONS,
  type RunCollection,
  RehearsalViewSchema,
  ResidualRiskSchema,
  RunRiskRegisterSchema,
  StartCleanupResponseSchema,
  StepViewSchema,
} from '../domain';
import { PlanSchema } from '../domain/plan';
import { MigrationListResponseSchema } from '../use-cases/migration-list';
import type { BatchUseCases } from '../use-cases/batches';
import type { DraftUseCases } from '../use-cases/drafts';
import type { DerogationDecisionInput, MigrationUseCases } from '../use-cases/migrations';
import { CodecPayloadsSchema, transcodePayloads } from '../use-cases/payloads';
import { dryRunPlan, PlanValidationResponseSchema } from '../use-cases/plans';
import {
  AcceptRiskRequestSchema,
  ApprovalDecisionRequestSchema,
  DerogationCommentRequestSchema,
  DerogationGrantRequestSchema,
  DerogationRenewRequestSchema,
  DerogationRequestSchema,
  ExtendDeadlineRequestSchema,
  OpenCutoverWindowRequestSchema,
  OperatorRequestSchema,
  RehearsalDecisionRequestSchema,
  RUN_CONTROLS,
  SkipStepRequestSchema,
} from '../use-cases/requests';
import { CODEC_BODY_LIMITS } from './codec-endpoint';
import { DOCS_PAGE, DOCS_SCRIPT } from './docs-page';
import type { ApiMetrics } from './metrics';
import { writeJsonStream } from './json-stream';
import { type MigrationEventStreams, parseLastEventId } from './migration-events';
import { problems } from './problem';
import { BATCH_REQUEST_COMPONENTS, BATCH_RESPONSE_COMPONENTS, BATCH_ROUTES } from './batch-routes';
import { DRAFT_REQUEST_COMPONENTS, DRAFT_RESPONSE_COMPONENTS, DRAFT_ROUTES } from './draft-routes';
import { type AnyRoute, defineRoute, type ProblemStatus } from './route-table';
import {
  ApprovalParamsSchema,
  DerogationParamsSchema,
  RehearsalParamsSchema,
  DossierQuerySchema,
  GraphQuerySchema,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKeySchema,
  ListMigrationsQuerySchema,
  PLAN_BODY_LIMITS,
  RiskParamsSchema,
  SMALL_BODY_LIMITS,
  MigrationParamsSchema,
  parseIdempotencyKey,
  parsePlan,
  runPageQuerySchema,
  StartMigrationResponseSchema,
  StepParamsSchema,
} from './validation';

/** What the routes' handlers call: the use cases, and the app's own services. */
export interface ApiServices {
  migrations: MigrationUseCases;
  drafts?: DraftUseCases;
  /** Fleet operations; without them the batch routes answer 503. */
  batches?: BatchUseCases;
  eventStreams: MigrationEventStreams;
  metrics: Pick<ApiMetrics, 'registry' | 'recordRunStart' | 'recordDecision'>;
  /** The codec of `/codec`; its routes are served only with it. */
  codec?: PayloadCodec;
  /** `/openapi.json`, generated once from this table. */
  openApiDocument: string;
}

/** Request bodies, as clients write them (defaults optional), by the component name the document gives them. */
export const REQUEST_COMPONENTS = {
  PlanInput: PlanSchema,
  ApprovalDecisionRequest: ApprovalDecisionRequestSchema,
  OperatorRequest: OperatorRequestSchema,
  SkipStepRequest: SkipStepRequestSchema,
  ExtendDeadlineRequest: ExtendDeadlineRequestSchema,
  DerogationRequest: DerogationRequestSchema,
  DerogationGrantRequest: DerogationGrantRequestSchema,
  DerogationRenewRequest: DerogationRenewRequestSchema,
  DerogationCommentRequest: DerogationCommentRequestSchema,
  OpenCutoverWindowRequest: OpenCutoverWindowRequestSchema,
  RehearsalDecisionRequest: RehearsalDecisionRequestSchema,
  AcceptRiskRequest: AcceptRiskRequestSchema,
  CodecPayloadsRequest: CodecPayloadsSchema,
  ...DRAFT_REQUEST_COMPONENTS,
  ...BATCH_REQUEST_COMPONENTS,
} as const satisfies Record<string, z.ZodType>;

/** Answers, as the API sends them, by component name. */
export const RESPONSE_COMPONENTS = {
  Plan: PlanSchema,
  StartMigrationResponse: StartMigrationResponseSchema,
  StartCleanupResponse: StartCleanupResponseSchema,
  MigrationListResponse: MigrationListResponseSchema,
  MigrationStatus: MigrationStatusSchema,
  MigrationOverview: MigrationOverviewSchema,
  MigrationOverviewChange: MigrationOverviewChangeSchema,
  StepsPage: pageResponseSchema(RUN_COLLECTION_ITEMS.steps),
  WorkloadsPage: pageResponseSchema(RUN_COLLECTION_ITEMS.workloads),
  WavesPage: pageResponseSchema(RUN_COLLECTION_ITEMS.waves),
  TimelinePage: pageResponseSchema(RUN_COLLECTION_ITEMS.timeline),
  AuditPage: pageResponseSchema(RUN_COLLECTION_ITEMS.audit),
  MigrationReport: MigrationReportSchema,
  RunRiskRegister: RunRiskRegisterSchema,
  ResidualRisk: ResidualRiskSchema,
  EstateGraph: EstateGraphSchema,
  CutoverSchedule: CutoverScheduleSchema,
  StepView: StepViewSchema,
  ApprovalView: ApprovalViewSchema,
  RehearsalView: RehearsalViewSchema,
  Derogation: DerogationSchema,
  PlanValidationResponse: PlanValidationResponseSchema,
  MigrationStreamEnd: MigrationStreamEndSchema,
  CodecPayloads: CodecPayloadsSchema,
  ...DRAFT_RESPONSE_COMPONENTS,
  ...BATCH_RESPONSE_COMPONENTS,
} as const satisfies Record<string, z.ZodType>;

const COMPONENT_PREFIX = '#/components/schemas/';
const json = (component: keyof typeof RESPONSE_COMPONENTS) => ({ 'application/json': { schema: { $ref: `${COMPONENT_PREFIX}${component}` } } });

/** Path of a run's status, as `Location` and start answers give it. */
export function migrationUrl(id: string): string {
  return `/v1/migrations/${id}`;
}

/** Errors every authenticated operation may answer. */
const AUTHENTICATED: ProblemStatus[] = [401, 403, 429, 503];
const WITH_BODY: ProblemStatus[] = [400, 413, 415];
const DECISION: ProblemStatus[] = [...WITH_BODY, 404, 409, 422, ...AUTHENTICATED];

const plan = (component: 'PlanInput') => ({ component, schema: PlanSchema, required: true, limits: PLAN_BODY_LIMITS, parse: parsePlan });
const bearer = (action: Action) => ({ action, authentication: 'bearer' }) as const;

const validatePlanRoute = defineRoute<ApiServices, Record<string, never>, Record<string, never>, z.infer<typeof PlanSchema>>({
  method: 'post',
  path: '/v1/plans/validate',
  operationId: 'validatePlan',
  tag: 'plans',
  summary: 'Dry run: assess and classify a plan; nothing is started',
  access: bearer('plan.validate'),
  body: plan('PlanInput'),
  ok: { status: 200, description: 'The plan is valid; its assessment and classification report.', content: json('PlanValidationResponse') },
  errors: [...WITH_BODY, ...AUTHENTICATED],
  handle: ({ body }) => ({ body: dryRunPlan(body) }),
});

const startMigrationRoute = defineRoute<ApiServices, Record<string, never>, Record<string, never>, z.infer<typeof PlanSchema>>({
  method: 'post',
  path: '/v1/migrations',
  operationId: 'startMigration',
  tag: 'migrations',
  summary: 'Start a run from a plan; idempotent on planId or Idempotency-Key',
  access: bearer('migration.start'),
  headers: [{ name: IDEMPOTENCY_KEY_HEADER, schema: IdempotencyKeySchema, description: 'Required when the plan has no planId: the same key gives the same run.' }],
  body: plan('PlanInput'),
  ok: {
    status: 202,
    description: 'The run (new, or the existing one for the same plan and key); Location is its status.',
    content: json('StartMigrationResponse'),
    headers: { Location: { description: 'The run’s status URL', schema: { type: 'string' } } },
  },
  errors: [...WITH_BODY, 409, ...AUTHENTICATED],
  async handle({ identity, body, header, services }) {
    const idempotencyKey = parseIdempotencyKey(header(IDEMPOTENCY_KEY_HEADER));
    if (body.planId === undefined && idempotencyKey === undefined) {
      throw problems.badRequest('A start needs a planId or an Idempotency-Key header, so that a retried request cannot start a second run.', [
        { path: 'planId', message: `is required when no ${IDEMPOTENCY_KEY_HEADER} header is sent` },
        { path: IDEMPOTENCY_KEY_HEADER, message: 'is required when the plan has no planId' },
      ]);
    }
    const { id, created } = await services.migrations.startMigration(identity, body, idempotencyKey);
    services.metrics.recordRunStart(created ? 'created' : 'existing');
    return { body: { id, created, statusUrl: migrationUrl(id) }, headers: { Location: migrationUrl(id) } };
  },
});

const listMigrationsRoute = defineRoute<ApiServices, Record<string, never>, z.output<typeof ListMigrationsQuerySchema>>({
  method: 'get',
  path: '/v1/migrations',
  operationId: 'listMigrations',
  tag: 'migrations',
  summary: 'List runs (customers: their own), filtered on search attributes, newest first',
  access: bearer('migration.list'),
  query: ListMigrationsQuerySchema,
  ok: { status: 200, description: 'One page; nextCursor is null on the last one.', content: json('MigrationListResponse') },
  errors: [400, ...AUTHENTICATED],
  handle: async ({ identity, query, services }) => ({ body: await services.migrations.listMigrations(identity, query) }),
});

type RunParams = z.output<typeof MigrationParamsSchema>;

const readMigrationRoute = defineRoute<ApiServices, RunParams>({
  method: 'get',
  path: '/v1/migrations/{id}',
  operationId: 'readMigration',
  tag: 'migrations',
  summary: 'A run at a glance: phase, status, counts, approvals, what needs attention, the gate',
  access: bearer('migration.read'),
  params: MigrationParamsSchema,
  ok: {
    status: 200,
    description: 'The run’s overview, whose size does not depend on its estate; its steps, workloads, waves, timeline and audit trail are pages of their own.',
    content: json('MigrationOverview'),
  },
  errors: [400, 404, ...AUTHENTICATED],
  handle: async ({ identity, params, services }) => ({ body: await services.migrations.readMigrationOverview(identity, params.id) }),
});

const PAGE_COMPONENTS = { steps: 'StepsPage', workloads: 'WorkloadsPage', waves: 'WavesPage', timeline: 'TimelinePage', audit: 'AuditPage' } as const satisfies Record<
  RunCollection,
  keyof typeof RESPONSE_COMPONENTS
>;
const PAGE_SUMMARIES: Record<RunCollection, string> = {
  steps: 'A page of a run’s steps, in run order, filtered on state, phase, wave, zone or workload',
  workloads: 'A page of a run’s workloads, in plan order, with level, zone, wave and outcome (`state`), filtered on those',
  waves: 'A page of a run’s cutover waves, in order, with their steps counted',
  timeline: 'A page of a run’s timeline, newest first',
  audit: 'A page of a run’s audit trail, newest first',
};

const runPageRoutes = RUN_COLLECTIONS.map((collection) =>
  defineRoute<ApiServices, RunParams, z.output<ReturnType<typeof runPageQuerySchema>>>({
    method: 'get',
    path: `/v1/migrations/{id}/${collection}`,
    operationId: `list${collection[0]!.toUpperCase()}${collection.slice(1)}`,
    tag: 'migrations',
    summary: PAGE_SUMMARIES[collection],
    access: bearer('migration.read'),
    params: MigrationParamsSchema,
    query: runPageQuerySchema(collection),
    ok: { status: 200, description: 'One page; nextCursor is null on the last one.', content: json(PAGE_COMPONENTS[collection]) },
    errors: [400, 404, ...AUTHENTICATED],
    handle: async ({ identity, params, query, services }) => ({ body: await services.migrations.readRunPage(identity, params.id, collection, query) }),
  }),
);

const LAST_EVENT_ID_HEADER = 'Last-Event-ID';

const followMigrationRoute = defineRoute<ApiServices, RunParams>({
  method: 'get',
  path: '/v1/migrations/{id}/events',
  operationId: 'followMigration',
  tag: 'migrations',
  summary: 'Live progress as Server-Sent Events, resumable with Last-Event-ID',
  access: bearer('migration.events'),
  params: MigrationParamsSchema,
  headers: [
    { name: LAST_EVENT_ID_HEADER, schema: z.string().regex(/^\d{1,16}$/), description: 'Resume after this event: only newer changes are sent, none twice.' },
  ],
  ok: {
    status: 200,
    description:
      'A text/event-stream: first an `overview` event (data = MigrationOverview), then a `change` event (data = MigrationOverviewChange: ' +
      'the fields that changed and the new timeline entries) on every change; an event’s id is the run’s updatedAt in epoch ms × 1000 + percent complete, ' +
      'so that it grows with every change; a stream resumed with Last-Event-ID sends the overview again only if the run changed since, ' +
      '`: heartbeat` comments while nothing changes, and a last `end` event (data = MigrationStreamEnd) when the run has ended or the caller’s token expires; a caller holds at most API_EVENTS_MAX_STREAMS streams at once (429 beyond).',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        'x-event-data': {
          oneOf: [{ $ref: `${COMPONENT_PREFIX}MigrationOverview` }, { $ref: `${COMPONENT_PREFIX}MigrationOverviewChange` }, { $ref: `${COMPONENT_PREFIX}MigrationStreamEnd` }],
        },
      },
    },
  },
  errors: [400, 404, ...AUTHENTICATED],
  raw: true,
  async handle({ identity, params, header, services, res }) {
    const lastEventId = parseLastEventId(header(LAST_EVENT_ID_HEADER));
    // The visibility check answers 404 before any byte of the stream is sent.
    const first = await services.migrations.readMigrationOverview(identity, params.id);
    services.eventStreams.stream(first, lastEventId, res, identity);
    return undefined;
  },
});

const readReportRoute = defineRoute<ApiServices, RunParams>({
  method: 'get',
  path: '/v1/migrations/{id}/report',
  operationId: 'readMigrationReport',
  tag: 'migrations',
  summary: 'Interim or final report of a run',
  access: bearer('migration.report'),
  params: MigrationParamsSchema,
  ok: {
    status: 200,
    description: 'The report; `final` once the run has ended. Streamed as it is read, page by page of the run, so that an estate of any size answers in bounded memory: a broken stream ends without a complete document.',
    content: json('MigrationReport'),
  },
  errors: [400, 404, ...AUTHENTICATED],
  raw: true,
  handle: async ({ identity, params, services, res }) => {
    // The visibility check answers 404 before any byte of the report is sent.
    const report = await services.migrations.readMigrationReport(identity, params.id);
    await writeJsonStream(res, report);
    return undefined;
  },
});

const readRisksRoute = defineRoute<ApiServices, RunParams>({
  method: 'get',
  path: '/v1/migrations/{id}/risks',
  operationId: 'readRiskRegister',
  tag: 'migrations',
  summary: 'Residual-risk register of a run',
  access: bearer('migration.risks'),
  params: MigrationParamsSchema,
  ok: { status: 200, description: 'The register the run keeps: derived from its plan, classification and assessment, updated by derogations, accepted by the homologation decision or by owners.', content: json('RunRiskRegister') },
  errors: [400, 404, ...AUTHENTICATED],
  handle: async ({ identity, params, services }) => ({ body: await services.migrations.readRiskRegister(identity, params.id) }),
});

type RiskParams = z.output<typeof RiskParamsSchema>;

const acceptRiskRoute = defineRoute<ApiServices, RiskParams, Record<string, never>, z.output<typeof AcceptRiskRequestSchema>>({
  method: 'post',
  path: '/v1/migrations/{id}/risks/{riskId}/accept',
  operationId: 'acceptRisk',
  tag: 'decisions',
  summary: 'Accept an OPEN residual risk, as the customer’s approver holding its owner role; the waves it held may start',
  access: bearer('risk.accept'),
  params: RiskParamsSchema,
  body: { component: 'AcceptRiskRequest', schema: AcceptRiskRequestSchema, required: false, limits: SMALL_BODY_LIMITS },
  ok: { status: 200, description: 'The risk, ACCEPTED, with its acceptance.', content: json('ResidualRisk') },
  errors: DECISION,
  async handle({ identity, params, body, services }) {
    const risk = await services.migrations.acceptRisk(identity, params.id, params.riskId, body ?? {});
    services.metrics.recordDecision('risk.accept');
    return { body: risk };
  },
});

const readGraphRoute = defineRoute<ApiServices, RunParams, z.output<typeof GraphQuerySchema>>({
  method: 'get',
  path: '/v1/migrations/{id}/graph',
  operationId: 'readEstateGraph',
  tag: 'migrations',
  summary: 'Dependency graph of a run’s workloads, grouped by wave or zone, one group expanded on request',
  access: bearer('migration.read'),
  params: MigrationParamsSchema,
  query: GraphQuerySchema,
  ok: {
    status: 200,
    description:
      'Groups with their workloads counted by level, HDS and hybrid dependency, workloads that stay on site apart, and the dependencies between groups; its size does not depend on the estate (at most 36 wave groups, 200 workloads of an expanded group).',
    content: json('EstateGraph'),
  },
  errors: [400, 404, ...AUTHENTICATED],
  handle: async ({ identity, params, query, services }) => ({ body: await services.migrations.readEstateGraph(identity, params.id, query) }),
});

const readScheduleRoute = defineRoute<ApiServices, RunParams>({
  method: 'get',
  path: '/v1/migrations/{id}/schedule',
  operationId: 'readCutoverSchedule',
  tag: 'migrations',
  summary: 'Cutover waves against the cutover windows, on a time axis around now',
  access: bearer('migration.read'),
  params: MigrationParamsSchema,
  ok: {
    status: 200,
    description: 'Each wave’s planned and actual freeze → switch span, the windows as bands and the customer’s time zone; at most 40 waves and 400 bands.',
    content: json('CutoverSchedule'),
  },
  errors: [400, 404, ...AUTHENTICATED],
  handle: async ({ identity, params, services }) => ({ body: await services.migrations.readCutoverSchedule(identity, params.id) }),
});

const readDossierRoute = defineRoute<ApiServices, RunParams, z.output<typeof DossierQuerySchema>>({
  method: 'get',
  path: '/v1/migrations/{id}/dossier',
  operationId: 'readDossier',
  tag: 'migrations',
  summary: 'Homologation file of a run (PDF)',
  access: bearer('migration.dossier'),
  params: MigrationParamsSchema,
  query: DossierQuerySchema,
  ok: {
    status: 200,
    description: 'The homologation file, in French unless `lang=en`, with the SHA-256 fingerprint of the run’s history.',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  },
  errors: [400, 404, ...AUTHENTICATED],
  raw: true,
  async handle({ identity, params, query, services, res }) {
    const pdf = await services.migrations.readDossier(identity, params.id, query.lang);
    res.type('application/pdf').attachment(`dossier-${params.id}-${query.lang}.pdf`).send(pdf);
    return undefined;
  },
});

const decideApprovalRoute = defineRoute<ApiServices, z.output<typeof ApprovalParamsSchema>, Record<string, never>, z.output<typeof ApprovalDecisionRequestSchema>>({
  method: 'post',
  path: '/v1/migrations/{id}/approvals/{approvalId}',
  operationId: 'decideApproval',
  tag: 'decisions',
  summary: 'Approve, reject or request changes (the run’s customer’s approver holding the approval’s role)',
  access: bearer('approval.decide'),
  params: ApprovalParamsSchema,
  body: { component: 'ApprovalDecisionRequest', schema: ApprovalDecisionRequestSchema, required: true, limits: SMALL_BODY_LIMITS },
  ok: { status: 200, description: 'The approval as recorded.', content: json('ApprovalView') },
  errors: DECISION,
  async handle({ identity, params, body, services }) {
    const approval = await services.migrations.decideApproval(identity, params.id, params.approvalId, body);
    services.metrics.recordDecision(`approval.${body.decision.toLowerCase()}`);
    return { body: approval };
  },
});

const decideRehearsalRoute = defineRoute<ApiServices, z.output<typeof RehearsalParamsSchema>, Record<string, never>, z.output<typeof RehearsalDecisionRequestSchema>>({
  method: 'post',
  path: '/v1/migrations/{id}/rehearsals/{waveId}',
  operationId: 'decideRehearsal',
  tag: 'decisions',
  summary: 'Confirm a wave’s rehearsal, or report a problem with it (the run’s customer’s approver holding the RSSI role)',
  access: bearer('rehearsal.decide'),
  params: RehearsalParamsSchema,
  body: { component: 'RehearsalDecisionRequest', schema: RehearsalDecisionRequestSchema, required: true, limits: SMALL_BODY_LIMITS },
  ok: { status: 200, description: 'The rehearsal with the decision; the wave tears its test launches down and goes on, or waits for an operator after a problem.', content: json('RehearsalView') },
  errors: DECISION,
  async handle({ identity, params, body, services }) {
    const rehearsal = await services.migrations.decideRehearsal(identity, params.id, params.waveId, body);
    services.metrics.recordDecision(`rehearsal.${body.decision.toLowerCase()}`);
    return { body: rehearsal };
  },
});

const amendPlanRoute = defineRoute<ApiServices, RunParams, Record<string, never>, z.infer<typeof PlanSchema>>({
  method: 'put',
  path: '/v1/migrations/{id}/plan',
  operationId: 'amendPlan',
  tag: 'decisions',
  summary: 'Amend the plan before provisioning; the run classifies it again',
  access: bearer('plan.amend'),
  params: MigrationParamsSchema,
  body: plan('PlanInput'),
  ok: { status: 200, description: 'The run’s overview after the amendment.', content: json('MigrationOverview') },
  errors: DECISION,
  async handle({ identity, params, body, services }) {
    const status = await services.migrations.amendPlan(identity, params.id, body);
    services.metrics.recordDecision('amendPlan');
    return { body: status };
  },
});

const requestDerogationRoute = defineRoute<ApiServices, RunParams, Record<string, never>, z.output<typeof DerogationRequestSchema>>({
  method: 'post',
  path: '/v1/migrations/{id}/derogations',
  operationId: 'requestDerogation',
  tag: 'decisions',
  summary: 'Ask a derogation (R10) for a SECNUMCLOUD zone that waits only for the provider’s qualification',
  access: bearer('derogation.request'),
  params: MigrationParamsSchema,
  body: { component: 'DerogationRequest', schema: DerogationRequestSchema, required: true, limits: SMALL_BODY_LIMITS },
  ok: { status: 200, description: 'The derogation, REQUESTED.', content: json('Derogation') },
  errors: DECISION,
  async handle({ identity, params, body, services }) {
    const derogation = await services.migrations.requestDerogation(identity, params.id, body);
    services.metrics.recordDecision('derogation.request');
    return { body: derogation };
  },
});

type DerogationParams = z.output<typeof DerogationParamsSchema>;

/** A decision on a zone's derogation: its body's component and schema, who may take it, and what it does. */
function derogationDecisionRoute<Body extends z.ZodType>(spec: {
  decision: 'grant' | 'refuse' | 'renew' | 'revoke' | 'acknowledge';
  component: keyof typeof REQUEST_COMPONENTS;
  schema: Body;
  summary: string;
  toInput: (body: z.output<Body>) => DerogationDecisionInput;
}) {
  return defineRoute<ApiServices, DerogationParams, Record<string, never>, z.output<Body>>({
    method: 'post',
    path: `/v1/migrations/{id}/derogations/{zoneId}/${spec.decision}`,
    operationId: `${spec.decision}Derogation`,
    tag: 'decisions',
    summary: spec.summary,
    access: bearer(spec.decision === 'acknowledge' ? 'derogation.acknowledge' : 'derogation.decide'),
    params: DerogationParamsSchema,
    body: { component: spec.component, schema: spec.schema as z.ZodType<z.output<Body>>, required: true, limits: SMALL_BODY_LIMITS },
    ok: { status: 200, description: 'The derogation as it now stands.', content: json('Derogation') },
    errors: DECISION,
    async handle({ identity, params, body, services }) {
      const derogation = await services.migrations.decideDerogation(identity, params.id, params.zoneId, spec.toInput(body));
      services.metrics.recordDecision(`derogation.${spec.decision}`);
      return { body: derogation };
    },
  });
}

const derogationDecisionRoutes = [
  derogationDecisionRoute({
    decision: 'grant',
    component: 'DerogationGrantRequest',
    schema: DerogationGrantRequestSchema,
    summary: 'Grant a requested derogation (the customer’s HOMOLOGATION_AUTHORITY): justification, compensating measures, expiry within 18 months',
    toInput: (request) => ({ decision: 'grant', request }),
  }),
  derogationDecisionRoute({
    decision: 'refuse',
    component: 'DerogationCommentRequest',
    schema: DerogationCommentRequestSchema,
    summary: 'Refuse a requested derogation, saying why (the customer’s HOMOLOGATION_AUTHORITY)',
    toInput: (request) => ({ decision: 'refuse', request }),
  }),
  derogationDecisionRoute({
    decision: 'renew',
    component: 'DerogationRenewRequest',
    schema: DerogationRenewRequestSchema,
    summary: 'Renew a derogation once, for at most 12 more months (the customer’s HOMOLOGATION_AUTHORITY)',
    toInput: (request) => ({ decision: 'renew', request }),
  }),
  derogationDecisionRoute({
    decision: 'revoke',
    component: 'DerogationCommentRequest',
    schema: DerogationCommentRequestSchema,
    summary: 'Revoke a granted derogation, saying why; the zone waits at the gate again and the run needs attention',
    toInput: (request) => ({ decision: 'revoke', request }),
  }),
  derogationDecisionRoute({
    decision: 'acknowledge',
    component: 'DerogationCommentRequest',
    schema: DerogationCommentRequestSchema,
    summary: 'Decide what follows an expired or revoked derogation (ops): the zone waits for the qualification, the run needs no more attention for it',
    toInput: (request) => ({ decision: 'acknowledge', request }),
  }),
];

type StepParams = z.output<typeof StepParamsSchema>;

const retryStepRoute = defineRoute<ApiServices, StepParams, Record<string, never>, z.output<typeof OperatorRequestSchema>>({
  method: 'post',
  path: '/v1/migrations/{id}/steps/{stepId}/retry',
  operationId: 'retryStep',
  tag: 'operations',
  summary: 'Run a failed step again',
  access: bearer('step.retry'),
  params: StepParamsSchema,
  body: { component: 'OperatorRequest', schema: OperatorRequestSchema, required: false, limits: SMALL_BODY_LIMITS },
  ok: { status: 200, description: 'The step as it now stands.', content: json('StepView') },
  errors: DECISION,
  async handle({ identity, params, body, services }) {
    const step = await services.migrations.retryStep(identity, params.id, params.stepId, body);
    services.metrics.recordDecision('retryStep');
    return { body: step };
  },
});

const skipStepRoute = defineRoute<ApiServices, StepParams, Record<string, never>, z.output<typeof SkipStepRequestSchema>>({
  method: 'post',
  path: '/v1/migrations/{id}/steps/{stepId}/skip',
  operationId: 'skipStep',
  tag: 'operations',
  summary: 'Skip a failed step, saying why',
  access: bearer('step.skip'),
  params: StepParamsSchema,
  body: { component: 'SkipStepRequest', schema: SkipStepRequestSchema, required: true, limits: SMALL_BODY_LIMITS },
  ok: { status: 200, description: 'The step as it now stands.', content: json('StepView') },
  errors: DECISION,
  async handle({ identity, params, body, services }) {
    const step = await services.migrations.skipStep(identity, params.id, params.stepId, body.reason);
    services.metrics.recordDecision('skipStep');
    return { body: step };
  },
});

const CONTROL_SUMMARIES = { pause: 'Pause the run', resume: 'Resume a paused run', cancel: 'Cancel the run; what was done is compensated' } as const;

const runControlRoutes = RUN_CONTROLS.map((control) =>
  defineRoute<ApiServices, RunParams, Record<string, never>, z.output<typeof OperatorRequestSchema>>({
    method: 'post',
    path: `/v1/migrations/{id}/${control}`,
    operationId: `${control}Migration`,
    tag: 'operations',
    summary: CONTROL_SUMMARIES[control],
    access: bearer(`run.${control}`),
    params: MigrationParamsSchema,
    body: { component: 'OperatorRequest', schema: OperatorRequestSchema, required: false, limits: SMALL_BODY_LIMITS },
    ok: { status: 200, description: 'The run’s overview.', content: json('MigrationOverview') },
    errors: DECISION,
    async handle({ identity, params, body, services }) {
      const status = await services.migrations.controlRun(identity, params.id, control, body);
      services.metrics.recordDecision(control);
      return { body: status };
    },
  }),
);

const cleanupRoute = defineRoute<ApiServices, RunParams, Record<string, never>, z.output<typeof OperatorRequestSchema>>({
  method: 'post',
  path: '/v1/migrations/{id}/cleanup',
  operationId: 'cleanUpMigration',
  tag: 'operations',
  summary: 'Undo what a run that Temporal closed (failed, terminated, timed out) left at the provider; the same clean-up however often it is asked for',
  access: bearer('run.cleanup'),
  params: MigrationParamsSchema,
  body: { component: 'OperatorRequest', schema: OperatorRequestSchema, required: false, limits: SMALL_BODY_LIMITS },
  ok: {
    status: 202,
    description: 'The clean-up, started now or earlier; Location is the run’s status, which shows its progress and outcome.',
    content: json('StartCleanupResponse'),
    headers: { Location: { description: 'The run’s status URL', schema: { type: 'string' } } },
  },
  errors: DECISION,
  async handle({ identity, params, body, services }) {
    const started = await services.migrations.cleanUpMigration(identity, params.id, body);
    services.metrics.recordDecision('cleanup');
    return { body: started, headers: { Location: migrationUrl(params.id) } };
  },
});

const extendDeadlineRoute = defineRoute<ApiServices, RunParams, Record<string, never>, z.output<typeof ExtendDeadlineRequestSchema>>({
  method: 'post',
  path: '/v1/migrations/{id}/deadline',
  operationId: 'extendDeadline',
  tag: 'operations',
  summary: 'Push back an overdue approval’s deadline (or every pending one’s)',
  access: bearer('deadline.extend'),
  params: MigrationParamsSchema,
  body: { component: 'ExtendDeadlineRequest', schema: ExtendDeadlineRequestSchema, required: true, limits: SMALL_BODY_LIMITS },
  ok: {
    status: 200,
    description: 'The approvals whose deadline moved.',
    content: { 'application/json': { schema: { type: 'object', properties: { approvals: { type: 'array', items: { $ref: `${COMPONENT_PREFIX}ApprovalView` } } }, required: ['approvals'] } } },
  },
  errors: DECISION,
  async handle({ identity, params, body, services }) {
    const extended = await services.migrations.extendDeadline(identity, params.id, body);
    services.metrics.recordDecision('extendDeadline');
    return { body: extended };
  },
});

const openCutoverWindowRoute = defineRoute<ApiServices, RunParams, Record<string, never>, z.output<typeof OpenCutoverWindowRequestSchema>>({
  method: 'post',
  path: '/v1/migrations/{id}/cutover-window',
  operationId: 'openCutoverWindow',
  tag: 'operations',
  summary: 'Open an exceptional cutover window outside the plan’s, for one wave or every wave (audited)',
  access: bearer('cutover-window.open'),
  params: MigrationParamsSchema,
  body: { component: 'OpenCutoverWindowRequest', schema: OpenCutoverWindowRequestSchema, required: true, limits: SMALL_BODY_LIMITS },
  ok: { status: 200, description: 'The run’s overview, with the window in `exceptionalWindows`.', content: json('MigrationOverview') },
  errors: DECISION,
  async handle({ identity, params, body, services }) {
    const status = await services.migrations.openCutoverWindow(identity, params.id, body);
    services.metrics.recordDecision('openCutoverWindow');
    return { body: status };
  },
});

const qualificationChangedRoute = defineRoute<ApiServices>({
  method: 'post',
  path: '/v1/provider/qualification-changed',
  operationId: 'notifyQualificationChanged',
  tag: 'operations',
  summary: 'Tell runs waiting at the regulatory gate to read the provider’s qualification again now',
  access: bearer('qualification.notify'),
  ok: {
    status: 200,
    description: 'The runs that were told.',
    content: { 'application/json': { schema: { type: 'object', properties: { signalled: { type: 'array', items: { type: 'string' } } }, required: ['signalled'] } } },
  },
  errors: AUTHENTICATED,
  handle: async ({ services }) => ({ body: await services.migrations.notifyQualificationChanged() }),
});

const codecRoutes = (['encode', 'decode'] as const).map((direction) =>
  defineRoute<ApiServices, Record<string, never>, Record<string, never>, z.output<typeof CodecPayloadsSchema>>({
    method: 'post',
    path: `/codec/${direction}`,
    operationId: `${direction}Payloads`,
    tag: 'codec',
    summary: `${direction === 'encode' ? 'Encrypt' : 'Decrypt'} Temporal payloads (remote codec protocol, for the Temporal Web UI and CLI)`,
    access: { action: `payload.${direction}`, authentication: 'codec' },
    body: { component: 'CodecPayloadsRequest', schema: CodecPayloadsSchema, required: true, limits: CODEC_BODY_LIMITS },
    ok: { status: 200, description: 'The same payloads, transcoded, in the same order.', content: json('CodecPayloads') },
    errors: direction === 'decode' ? [...WITH_BODY, 422, 401, 403, 429] : [...WITH_BODY, 401, 403, 429],
    async handle({ body, services }) {
      if (!services.codec) throw problems.notFound();
      return { body: await transcodePayloads(services.codec, direction, body) };
    },
  }),
);

const serviceRoutes = [
  defineRoute<ApiServices>({
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'service',
    summary: 'The process is up',
    access: { public: true },
    ok: { status: 200, description: 'Up.', content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ok' } } } } } },
    errors: [],
    handle: () => ({ body: { status: 'ok' } }),
  }),
  defineRoute<ApiServices>({
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    tag: 'service',
    summary: 'Temporal is reachable',
    access: { public: true },
    ok: { status: 200, description: 'Ready.', content: { 'application/json': { schema: { type: 'object', properties: { status: { const: 'ready' }, temporal: { const: 'reachable' } } } } } },
    errors: [503],
    async handle({ services }) {
      await services.migrations.checkReadiness();
      return { body: { status: 'ready', temporal: 'reachable' } };
    },
  }),
  defineRoute<ApiServices>({
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'service',
    summary: 'Prometheus metrics (HTTP requests by route and status, run starts, decisions, process)',
    access: { public: true },
    ok: { status: 200, description: 'Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } },
    errors: [],
    raw: true,
    async handle({ services, res }) {
      res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
      return undefined;
    },
  }),
  defineRoute<ApiServices>({
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    tag: 'service',
    summary: 'This document',
    access: { public: true },
    ok: { status: 200, description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } },
    errors: [],
    raw: true,
    handle({ services, res }) {
      res.type('json').send(services.openApiDocument);
      return undefined;
    },
  }),
  defineRoute<ApiServices>({
    method: 'get',
    path: '/docs',
    operationId: 'documentation',
    tag: 'service',
    summary: 'This document, rendered as a page',
    access: { public: true },
    ok: { status: 200, description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } },
    errors: [],
    raw: true,
    handle({ res }) {
      res.type('html').send(DOCS_PAGE);
      return undefined;
    },
  }),
  defineRoute<ApiServices>({
    method: 'get',
    path: '/docs/docs.js',
    operationId: 'documentationScript',
    tag: 'service',
    summary: 'The script of the documentation page',
    access: { public: true },
    ok: { status: 200, description: 'JavaScript.', content: { 'text/javascript': { schema: { type: 'string' } } } },
    errors: [],
    raw: true,
    handle({ res }) {
      res.type('text/javascript').send(DOCS_SCRIPT);
      return undefined;
    },
  }),
];

/** Every operation of the API, in the order the document lists them. */
export const ROUTES: readonly AnyRoute<ApiServices>[] = [
  validatePlanRoute,
  startMigrationRoute,
  listMigrationsRoute,
  readMigrationRoute,
  ...runPageRoutes,
  followMigrationRoute,
  readReportRoute,
  readRisksRoute,
  acceptRiskRoute,
  readGraphRoute,
  readScheduleRoute,
  readDossierRoute,
  decideApprovalRoute,
  decideRehearsalRoute,
  amendPlanRoute,
  requestDerogationRoute,
  ...derogationDecisionRoutes,
  retryStepRoute,
  skipStepRoute,
  ...runControlRoutes,
  cleanupRoute,
  extendDeadlineRoute,
  openCutoverWindowRoute,
  qualificationChangedRoute,
  ...BATCH_ROUTES,
  ...DRAFT_ROUTES,
  ...codecRoutes,
  ...serviceRoutes,
];
