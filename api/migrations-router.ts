import { createHash, randomUUID } from 'node:crypto';
import {
  ApplicationFailure,
  type Client,
  type RawWorkflowExecutionInfo,
  type WorkflowHandle,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import express, { type Response, type Router } from 'express';
import {
  type Actor,
  type ApprovalView,
  FAILURE_TYPES,
  FINAL_STATUSES,
  type MigrationReport,
  type MigrationStatus,
  migrationWorkflowId,
  PHASES,
  type Plan,
  RUN_STATUSES,
  type RunStatus,
  STEP_STATES,
  type StepState,
  type StepView,
  type WorkloadOutcome,
  type WorkloadReport,
} from '../domain';
import {
  amendPlanUpdate,
  cancelUpdate,
  decideApprovalUpdate,
  extendDeadlineUpdate,
  type MigrationInput,
  pauseUpdate,
  qualificationChangedSignal,
  resumeUpdate,
  retryStepUpdate,
  skipStepUpdate,
  statusQuery,
} from '../workflows/messages';
import type { RunTuning } from '../workflows/tuning';
import { CUSTOMER_ID, NEEDS_ATTENTION, PHASE, RUN_STATUS } from '../workflows/search-attributes';
import { type Identity, identityOf } from './auth';
import { authorizeApprovalDecision, canSeeRun, enforcedCustomerFilter, requirePermission } from './authorization';
import { readLiveProgress } from './live-progress';
import type { ApiMetrics } from './metrics';
import { createMigrationEventStreams, type MigrationEventsOptions, parseLastEventId } from './migration-events';
import { type ApiProblem, type FieldError, problems } from './problem';
import {
  type ApprovalDecisionRequest,
  ApprovalDecisionRequestSchema,
  ApprovalParamsSchema,
  type ExtendDeadlineRequest,
  ExtendDeadlineRequestSchema,
  IDEMPOTENCY_KEY_HEADER,
  jsonBody,
  type ListMigrationsQuery,
  ListMigrationsQuerySchema,
  type MigrationListResponse,
  MigrationParamsSchema,
  type MigrationSummary,
  type OperatorRequest,
  OperatorRequestSchema,
  parseBody,
  parseIdempotencyKey,
  parseOptionalBody,
  parseParams,
  parsePlan,
  PLAN_BODY_LIMITS,
  parseQuery,
  SkipStepRequestSchema,
  type StartMigrationResponse,
  StepParamsSchema,
} from './validation';

/** The workflow type every run is started as; lists filter on it. */
export const MIGRATION_WORKFLOW_TYPE = 'migrationWorkflow';

/** Path of a run's status, as `Location` and list links give it. */
export function migrationUrl(id: string): string {
  return `/v1/migrations/${id}`;
}

/** What the migrations router needs: a Temporal client and the task queue the workers poll. */
export interface MigrationsRouterDependencies {
  client: Client;
  taskQueue: string;
  /** Step timeouts and retries for new runs; production keeps the workflow's defaults. */
  tuning?: Partial<RunTuning>;
  /** Polling and heartbeat intervals of live progress streams. */
  events?: Partial<MigrationEventsOptions>;
  /** Counts run starts and decisions. */
  metrics?: Pick<ApiMetrics, 'recordRunStart' | 'recordDecision'>;
}

/** The verified caller as a workflow records it: built from the token alone, never from a body. */
export function actorOf(identity: Identity): Actor {
  return {
    subject: identity.subject,
    roles: [...identity.roles],
    ...(identity.customerId !== undefined ? { customerId: identity.customerId } : {}),
    approverRoles: [...identity.approverRoles],
  };
}

/** JSON with object keys sorted, so that two equal plans always serialise alike. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const fields = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of a validated plan's canonical JSON: what makes a repeated start the same start. */
export function hashPlan(plan: Plan): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex');
}

function quoteVisibilityValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The visibility query of a list. `enforcedCustomer` (a customer caller's own id) is always a
 * clause of its own, so a customer's `customer` filter can narrow the list but never widen it.
 */
export function buildVisibilityQuery(filters: Omit<ListMigrationsQuery, 'limit' | 'cursor'>, enforcedCustomer: string | undefined): string {
  // Continue-as-new leaves closed runs behind under the same id: list each migration once.
  const clauses = [`WorkflowType = ${quoteVisibilityValue(MIGRATION_WORKFLOW_TYPE)}`, `ExecutionStatus != 'ContinuedAsNew'`];
  if (enforcedCustomer !== undefined) clauses.push(`${CUSTOMER_ID.name} = ${quoteVisibilityValue(enforcedCustomer)}`);
  if (filters.customer !== undefined) clauses.push(`${CUSTOMER_ID.name} = ${quoteVisibilityValue(filters.customer)}`);
  if (filters.phase !== undefined) clauses.push(`${PHASE.name} = ${quoteVisibilityValue(filters.phase)}`);
  if (filters.status !== undefined) clauses.push(`${RUN_STATUS.name} = ${quoteVisibilityValue(filters.status)}`);
  if (filters.needsAttention !== undefined) clauses.push(`${NEEDS_ATTENTION.name} = ${filters.needsAttention}`);
  return clauses.join(' AND ');
}

function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | null {
  return values.find((candidate) => candidate === value) ?? null;
}

/** One list item from a visibility record; a run that closed without a final status failed. */
export function toMigrationSummary(execution: RawWorkflowExecutionInfo): MigrationSummary {
  const attributes = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
  const closedAt = optionalTsToDate(execution.closeTime)?.toISOString() ?? null;
  const recordedStatus = oneOf(RUN_STATUSES, attributes.get(RUN_STATUS));
  const status: RunStatus | null = closedAt !== null && !FINAL_STATUSES.some((final) => final === recordedStatus) ? 'FAILED' : recordedStatus;
  return {
    id: execution.execution?.workflowId ?? '',
    customerId: attributes.get(CUSTOMER_ID) ?? null,
    phase: oneOf(PHASES, attributes.get(PHASE)),
    status,
    needsAttention: attributes.get(NEEDS_ATTENTION) ?? false,
    startedAt: optionalTsToDate(execution.startTime)?.toISOString() ?? null,
    closedAt,
  };
}

export type { MigrationReport, StepsSummary, WorkloadOutcome, WorkloadReport } from '../domain';

function workloadOutcome(status: MigrationStatus, workloadId: string): { outcome: WorkloadOutcome; reason?: string } {
  const steps = status.steps.filter((step) => step.workloadId === workloadId);
  const skipped = steps.find((step) => step.state === 'SKIPPED');
  if (skipped) return { outcome: 'SKIPPED', reason: skipped.skippedReason };
  if (steps.some((step) => step.state === 'COMPENSATED')) return { outcome: 'ROLLED_BACK' };
  const failed = steps.find((step) => step.state === 'FAILED');
  if (failed) return { outcome: 'FAILED', reason: failed.error?.message };
  if (steps.length > 0 && steps.every((step) => step.state === 'SUCCEEDED')) return { outcome: 'MIGRATED' };
  if (FINAL_STATUSES.includes(status.status)) {
    return { outcome: 'NOT_MIGRATED', reason: status.outcome?.reason ?? `the run ended ${status.status}` };
  }
  return { outcome: 'PENDING' };
}

/** Builds a run's report from its status: pure, so the same status always gives the same report. */
export function buildMigrationReport(status: MigrationStatus): MigrationReport {
  const classificationById = new Map((status.report?.workloads ?? []).map((workload) => [workload.id, workload]));
  const workloads = status.plan.workloads.map((workload): WorkloadReport => {
    const classification = classificationById.get(workload.id);
    const base = {
      id: workload.id,
      name: workload.name,
      level: classification?.level ?? null,
      hds: classification?.hds ?? null,
      rules: classification?.rules ?? [],
    };
    if (classification && !classification.migrates) return { ...base, outcome: 'LEFT_OUT', reason: classification.reason };
    return { ...base, ...workloadOutcome(status, workload.id) };
  });
  const byState = Object.fromEntries(STEP_STATES.map((state) => [state, 0])) as Record<StepState, number>;
  for (const step of status.steps) byState[step.state] += 1;
  return {
    id: status.workflowId,
    ...(status.planId !== undefined ? { planId: status.planId } : {}),
    customer: { id: status.customerId, name: status.customerName },
    phase: status.phase,
    status: status.status,
    final: FINAL_STATUSES.includes(status.status),
    percentComplete: status.percentComplete,
    startedAt: status.startedAt,
    updatedAt: status.updatedAt,
    ...(status.endedAt !== undefined ? { endedAt: status.endedAt } : {}),
    startedBy: status.startedBy,
    assessment: status.assessment ?? null,
    classification: status.report ?? null,
    workloads,
    steps: {
      total: status.steps.length,
      byState,
      failed: status.steps.filter((step) => step.state === 'FAILED').map(({ id, title, error }) => ({ id, title, error })),
      skipped: status.steps
        .filter((step) => step.state === 'SKIPPED')
        .map(({ id, title, skippedReason }) => ({ id, title, skippedReason })),
    },
    waves: status.waves,
    resources: status.resources,
    outcome: status.outcome ?? null,
    attention: status.attention,
    gate: status.gate ?? null,
    approvals: status.approvals,
    audit: status.audit,
  };
}

const NO_SUCH_MIGRATION = 'No such migration.';
const UPDATE_REFUSALS: Readonly<Record<string, (detail: string, errors?: FieldError[]) => ApiProblem>> = {
  [FAILURE_TYPES.notFound]: (detail) => problems.notFound(detail),
  [FAILURE_TYPES.forbidden]: (detail) => problems.forbidden(detail),
  [FAILURE_TYPES.conflict]: (detail) => problems.conflict(detail),
  [FAILURE_TYPES.invalid]: (detail, errors) => problems.unprocessable(detail, errors),
  [FAILURE_TYPES.invalidPlan]: (detail, errors) => problems.unprocessable(detail, errors),
};

function runHasEnded(id: string): ApiProblem {
  return problems.conflict(`Migration ${id}: the run has ended and takes no more decisions.`);
}

function fieldErrorsIn(details: unknown): FieldError[] | undefined {
  const first: unknown = Array.isArray(details) ? details[0] : undefined;
  const candidates: unknown = Array.isArray(first) ? first : (first as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(candidates)) return undefined;
  const errors = candidates.filter(
    (item): item is FieldError => typeof (item as FieldError)?.path === 'string' && typeof (item as FieldError)?.message === 'string',
  );
  return errors.length > 0 ? errors.map(({ path, message }) => ({ path, message })) : undefined;
}

/**
 * Maps what an Update throws: the workflow's refusals (typed ApplicationFailures, with messages
 * written for people) to 404/403/409/422, a run that closed meanwhile to 409.
 */
export function toUpdateProblem(error: unknown, id: string): ApiProblem | undefined {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const refusal = UPDATE_REFUSALS[error.cause.type ?? ''];
    return refusal?.(error.cause.message, fieldErrorsIn(error.cause.details));
  }
  // The run was open when described; not found now means it completed in between.
  if (error instanceof WorkflowNotFoundError) return runHasEnded(id);
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return problems.unavailable('The run did not answer in time; try again shortly.');
  }
  return undefined;
}

interface VisibleRun {
  id: string;
  handle: WorkflowHandle;
  customerId: string | undefined;
  open: boolean;
}

/**
 * What Temporal answers to a page token it cannot read: INVALID_ARGUMENT, or UNKNOWN from the
 * SQL visibility stores (the dev server's SQLite among them).
 */
const CURSOR_REFUSAL_CODES: ReadonlySet<unknown> = new Set([2, 3]);

/**
 * The use cases behind the routes, one function each. Every call on an existing run first
 * checks that the caller may see it, so another customer's run answers exactly like a missing one.
 */
export function createMigrationService({ client, taskQueue, tuning, events, metrics }: MigrationsRouterDependencies) {
  const eventStreams = createMigrationEventStreams(client, events);

  async function openVisibleRun(identity: Identity, id: string): Promise<VisibleRun> {
    const handle = client.workflow.getHandle(id);
    let description: Awaited<ReturnType<WorkflowHandle['describe']>>;
    try {
      description = await handle.describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw problems.notFound(NO_SUCH_MIGRATION);
      throw error;
    }
    const customerId = description.typedSearchAttributes.get(CUSTOMER_ID);
    if (description.type !== MIGRATION_WORKFLOW_TYPE || !canSeeRun(identity, customerId)) throw problems.notFound(NO_SUCH_MIGRATION);
    return { id, handle, customerId, open: description.status.name === 'RUNNING' };
  }

  async function updateRun<Ret, Input>(
    run: VisibleRun,
    update: UpdateDefinition<Ret, [Input]>,
    input: Input,
    decision: string = update.name,
  ): Promise<Ret> {
    if (!run.open) throw runHasEnded(run.id);
    let result: Ret;
    try {
      result = await run.handle.executeUpdate(update, { args: [input] });
    } catch (error) {
      throw toUpdateProblem(error, run.id) ?? error;
    }
    metrics?.recordDecision(decision);
    return result;
  }

  return {
    /**
     * Starts a run, idempotently: the workflow id comes from the plan's `planId`, else from the
     * `Idempotency-Key`. The same id twice gives the same run, even when the starts race
     * (USE_EXISTING) or the run has ended (REJECT_DUPLICATE); the same id with a different plan
     * is a conflict. `created` tells which request started it.
     */
    async startMigration(identity: Identity, plan: Plan, idempotencyKey: string | undefined): Promise<StartMigrationResponse> {
      const key = plan.planId ?? idempotencyKey;
      if (key === undefined) {
        throw problems.badRequest('A start needs a planId or an Idempotency-Key header, so that a retried request cannot start a second run.', [
          { path: 'planId', message: `is required when no ${IDEMPOTENCY_KEY_HEADER} header is sent` },
          { path: IDEMPOTENCY_KEY_HEADER, message: 'is required when the plan has no planId' },
        ]);
      }
      const id = migrationWorkflowId(key);
      const planHash = hashPlan(plan);
      const startRequestId = randomUUID();
      const input: MigrationInput = { plan, startedBy: actorOf(identity), ...(tuning ? { tuning } : {}) };
      try {
        await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
          workflowId: id,
          taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [
            { key: CUSTOMER_ID, value: plan.customer.id },
            { key: PHASE, value: 'ASSESSMENT' },
            { key: RUN_STATUS, value: 'RUNNING' },
            { key: NEEDS_ATTENTION, value: false },
          ],
          memo: { planHash, startRequestId },
        });
      } catch (error) {
        // REJECT_DUPLICATE: a closed run holds the id; it is still "the same run" if the plan matches.
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      const description = await client.workflow.getHandle(id).describe();
      const memo = description.memo ?? {};
      if (description.type !== MIGRATION_WORKFLOW_TYPE || memo.planHash !== planHash) {
        throw problems.conflict(`Migration ${id} already exists with a different plan; send the same plan, or another planId or ${IDEMPOTENCY_KEY_HEADER}.`);
      }
      const created = memo.startRequestId === startRequestId;
      metrics?.recordRunStart(created ? 'created' : 'existing');
      return { id, created, statusUrl: migrationUrl(id) };
    },

    /**
     * Tells every run waiting at the regulatory gate (R9) to read the provider's credentials
     * again now, rather than at its next scheduled check.
     */
    async notifyQualificationChanged(): Promise<{ signalled: string[] }> {
      const signalled: string[] = [];
      const query = `WorkflowType = '${MIGRATION_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND ${PHASE.name} = 'AWAITING_QUALIFICATION'`;
      for await (const execution of client.workflow.list({ query })) {
        await client.workflow.getHandle(execution.workflowId).signal(qualificationChangedSignal);
        signalled.push(execution.workflowId);
      }
      return { signalled };
    },

    /** One page of the runs the caller may see, filtered on their search attributes. */
    async listMigrations(identity: Identity, query: ListMigrationsQuery): Promise<MigrationListResponse> {
      const { limit, cursor, ...filters } = query;
      let response: Awaited<ReturnType<Client['workflowService']['listWorkflowExecutions']>>;
      try {
        response = await client.workflowService.listWorkflowExecutions({
          namespace: client.options.namespace,
          query: buildVisibilityQuery(filters, enforcedCustomerFilter(identity)),
          pageSize: limit,
          nextPageToken: cursor === undefined ? undefined : Buffer.from(cursor, 'base64url'),
        });
      } catch (error) {
        if (cursor !== undefined && CURSOR_REFUSAL_CODES.has((error as { code?: unknown }).code)) {
          throw problems.badRequest('The cursor is not valid.', [{ path: 'cursor', message: 'is not the nextCursor of this list, or it has expired' }]);
        }
        throw error;
      }
      const token = response.nextPageToken;
      return {
        items: response.executions.map(toMigrationSummary),
        nextCursor: token && token.length > 0 ? Buffer.from(token).toString('base64url') : null,
      };
    },

    /** The run's full status, as the workflow's status query answers it, with live replication progress. */
    async readMigrationStatus(identity: Identity, id: string): Promise<MigrationStatus> {
      const run = await openVisibleRun(identity, id);
      return await readLiveProgress(client, await run.handle.query(statusQuery));
    },

    /**
     * Streams the run's progress as Server-Sent Events (api/migration-events.ts) once the
     * caller is known to see it; another customer's run answers 404 before any byte is sent.
     */
    async followMigration(identity: Identity, id: string, lastEventId: number | undefined, res: Response): Promise<void> {
      const run = await openVisibleRun(identity, id);
      eventStreams.stream(await readLiveProgress(client, await run.handle.query(statusQuery)), lastEventId, res, identity);
    },

    /** The run's report, final once the run has ended. */
    async readMigrationReport(identity: Identity, id: string): Promise<MigrationReport> {
      const run = await openVisibleRun(identity, id);
      return buildMigrationReport(await run.handle.query(statusQuery));
    },

    /** Records an approver's decision; only the run's customer's approvers holding the approval's role. */
    async decideApproval(identity: Identity, id: string, approvalId: string, request: ApprovalDecisionRequest): Promise<ApprovalView> {
      const run = await openVisibleRun(identity, id);
      if (!run.open) throw runHasEnded(id);
      const status = await run.handle.query(statusQuery);
      const candidates = status.approvals.filter((approval) => approval.id === approvalId);
      const approval = candidates.find((candidate) => candidate.round === status.round) ?? candidates.at(-1);
      if (!approval) throw problems.notFound(`Migration ${id} has no approval ${approvalId}.`);
      authorizeApprovalDecision(identity, run, approval);
      const decision = `approval.${request.decision.toLowerCase()}`;
      return await updateRun(run, decideApprovalUpdate, { approvalId, ...request, actor: actorOf(identity) }, decision);
    },

    /** Replaces the run's plan before provisioning; the workflow classifies it again. */
    async amendPlan(identity: Identity, id: string, plan: Plan): Promise<MigrationStatus> {
      const run = await openVisibleRun(identity, id);
      if (plan.customer.id !== run.customerId) {
        throw problems.unprocessable('An amended plan must keep the run’s customer.', [
          { path: 'customer.id', message: `must stay ${JSON.stringify(run.customerId ?? '')}` },
        ]);
      }
      return await updateRun(run, amendPlanUpdate, { plan, actor: actorOf(identity) });
    },

    /** Runs a failed step again. */
    async retryStep(identity: Identity, id: string, stepId: string, request: OperatorRequest): Promise<StepView> {
      return await updateRun(await openVisibleRun(identity, id), retryStepUpdate, { stepId, ...request, actor: actorOf(identity) });
    },

    /** Skips a failed step, with the reason the audit trail keeps. */
    async skipStep(identity: Identity, id: string, stepId: string, reason: string): Promise<StepView> {
      return await updateRun(await openVisibleRun(identity, id), skipStepUpdate, { stepId, reason, actor: actorOf(identity) });
    },

    /** Pauses, resumes or cancels the run. */
    async controlRun(
      identity: Identity,
      id: string,
      control: 'pause' | 'resume' | 'cancel',
      request: OperatorRequest,
    ): Promise<MigrationStatus> {
      const update = { pause: pauseUpdate, resume: resumeUpdate, cancel: cancelUpdate }[control];
      return await updateRun(await openVisibleRun(identity, id), update, { ...request, actor: actorOf(identity) });
    },

    /** Pushes back one approval's deadline, or every pending one's. */
    async extendDeadline(identity: Identity, id: string, request: ExtendDeadlineRequest): Promise<{ approvals: ApprovalView[] }> {
      const approvals = await updateRun(await openVisibleRun(identity, id), extendDeadlineUpdate, { ...request, actor: actorOf(identity) });
      return { approvals };
    },
  };
}

/** The use cases of {@link createMigrationService}. */
export type MigrationService = ReturnType<typeof createMigrationService>;

const RUN_CONTROLS = [
  { control: 'pause', action: 'run.pause' },
  { control: 'resume', action: 'run.resume' },
  { control: 'cancel', action: 'run.cancel' },
] as const;

/** Routes under /v1 for migration runs: start, list, status, report and every human decision. */
export function createMigrationsRouter(deps: MigrationsRouterDependencies): Router {
  const migrations = createMigrationService(deps);
  const router = express.Router();

  router.post('/migrations', requirePermission('migration.start'), jsonBody(PLAN_BODY_LIMITS), async (req, res) => {
    const identity = identityOf(req);
    const plan = parsePlan(req.body);
    const started = await migrations.startMigration(identity, plan, parseIdempotencyKey(req.get(IDEMPOTENCY_KEY_HEADER)));
    res.status(202).location(started.statusUrl).json(started);
  });

  router.get('/migrations', requirePermission('migration.list'), async (req, res) => {
    const identity = identityOf(req);
    res.json(await migrations.listMigrations(identity, parseQuery(ListMigrationsQuerySchema, req.query)));
  });

  router.get('/migrations/:id', requirePermission('migration.read'), async (req, res) => {
    const identity = identityOf(req);
    const { id } = parseParams(MigrationParamsSchema, req.params);
    res.json(await migrations.readMigrationStatus(identity, id));
  });

  router.get('/migrations/:id/events', requirePermission('migration.events'), async (req, res) => {
    const identity = identityOf(req);
    const { id } = parseParams(MigrationParamsSchema, req.params);
    await migrations.followMigration(identity, id, parseLastEventId(req.get('Last-Event-ID')), res);
  });

  router.get('/migrations/:id/report', requirePermission('migration.report'), async (req, res) => {
    const identity = identityOf(req);
    const { id } = parseParams(MigrationParamsSchema, req.params);
    res.json(await migrations.readMigrationReport(identity, id));
  });

  router.post('/migrations/:id/approvals/:approvalId', requirePermission('approval.decide'), jsonBody(), async (req, res) => {
    const identity = identityOf(req);
    const { id, approvalId } = parseParams(ApprovalParamsSchema, req.params);
    const decision = parseBody(ApprovalDecisionRequestSchema, req.body);
    res.json(await migrations.decideApproval(identity, id, approvalId, decision));
  });

  router.put('/migrations/:id/plan', requirePermission('plan.amend'), jsonBody(PLAN_BODY_LIMITS), async (req, res) => {
    const identity = identityOf(req);
    const { id } = parseParams(MigrationParamsSchema, req.params);
    res.json(await migrations.amendPlan(identity, id, parsePlan(req.body)));
  });

  router.post('/migrations/:id/steps/:stepId/retry', requirePermission('step.retry'), jsonBody(), async (req, res) => {
    const identity = identityOf(req);
    const { id, stepId } = parseParams(StepParamsSchema, req.params);
    res.json(await migrations.retryStep(identity, id, stepId, parseOptionalBody(OperatorRequestSchema, req.body)));
  });

  router.post('/migrations/:id/steps/:stepId/skip', requirePermission('step.skip'), jsonBody(), async (req, res) => {
    const identity = identityOf(req);
    const { id, stepId } = parseParams(StepParamsSchema, req.params);
    const { reason } = parseBody(SkipStepRequestSchema, req.body);
    res.json(await migrations.skipStep(identity, id, stepId, reason));
  });

  for (const { control, action } of RUN_CONTROLS) {
    router.post(`/migrations/:id/${control}`, requirePermission(action), jsonBody(), async (req, res) => {
      const identity = identityOf(req);
      const { id } = parseParams(MigrationParamsSchema, req.params);
      res.json(await migrations.controlRun(identity, id, control, parseOptionalBody(OperatorRequestSchema, req.body)));
    });
  }

  router.post('/provider/qualification-changed', requirePermission('qualification.notify'), jsonBody(), async (_req, res) => {
    res.json(await migrations.notifyQualificationChanged());
  });

  router.post('/migrations/:id/deadline', requirePermission('deadline.extend'), jsonBody(), async (req, res) => {
    const identity = identityOf(req);
    const { id } = parseParams(MigrationParamsSchema, req.params);
    res.json(await migrations.extendDeadline(identity, id, parseBody(ExtendDeadlineRequestSchema, req.body)));
  });

  return router;
}
