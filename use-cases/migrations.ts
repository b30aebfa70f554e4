import {
  ApplicationFailure,
  type Client,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowExecutionDescription,
  type WorkflowHandle,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { UpdateDefinition } from '@temporalio/common';
import {
  type Actor,
  approvalDecisionRefusal,
  rehearsalDecisionRefusal,
  type RehearsalView,
  type Derogation,
  type Language,
  type ApprovalView,
  cleanupWorkflowId,
  type CleanupView,
  cutoverSchedule,
  type CutoverSchedule,
  estateGraph,
  type EstateGraph,
  type EstateGraphRequest,
  FAILURE_TYPES,
  isStaff,
  type MigrationOverview,
  type MigrationStatus,
  maySeeRun,
  PAGE_LIMIT_MAX,
  type Phase,
  type Plan,
  type ResidualRisk,
  registerOfRun,
  type RunCollection,
  type RunPage,
  type RunRiskRegister,
  type StartCleanupResponse,
  type StepView,
  type WaveOverview,
  type WaveView,
  type WorkloadView,
  legacyWaveWorkflowId,
  stepIds,
} from '../domain';
import {
  acceptRisksUpdate,
  acknowledgeDerogationLapseUpdate,
  amendPlanUpdate,
  cancelUpdate,
  cleanupQuery,
  type Compensation,
  compensationsQuery,
  cutoverScheduleQuery,
  estateGraphQuery,
  decideApprovalUpdate,
  decideRehearsalUpdate,
  extendDeadlineUpdate,
  grantDerogationUpdate,
  openCutoverWindowUpdate,
  pauseUpdate,
  qualificationChangedSignal,
  refuseDerogationUpdate,
  renewDerogationUpdate,
  requestDerogationUpdate,
  resumeUpdate,
  revokeDerogationUpdate,
  retryStepUpdate,
  overviewQuery,
  pageQuery,
  reportSectionQuery,
  skipStepUpdate,
  riskRegisterQuery,
  statusQuery,
} from '../workflows/messages';
import {
  cleanupRefusal,
  closedByTemporal,
  type ExecutionState,
  settleClosedOverview,
  settleClosedRun,
  settleClosedStep,
  settleClosedWave,
  settleClosedWorkload,
  withCleanup,
  withCleanupOverview,
  withCleanupSteps,
} from '../domain/closed-runs';
import type { RunTuning } from '../workflows/tuning';
import { CUSTOMER_ID, PHASE } from '../workflows/search-attributes';
import { createClosedRunAnswers } from './closed-run-answers';
import { type ApplicationError, type FieldError, refusals } from './application-error';
import { renderDossierPdf } from './dossier-pdf';
import { fetchHistoryFingerprint } from './history-fingerprint';
import { readLiveOverview, readLiveProgress } from './live-progress';
import { listMigrationRuns, type MigrationListRequest, type MigrationListResponse } from './migration-list';
import { buildMigrationReport, type ReportSource, streamMigrationReport } from './migration-report';
import { encodePageCursor, pageRequestOf, type RunPageAsk } from './run-pages';
import type {
  AcceptRiskRequest,
  ApprovalDecisionRequest,
  DerogationCommentRequest,
  DerogationGrantRequest,
  DerogationRenewRequest,
  DerogationRequest,
  ExtendDeadlineRequest,
  OpenCutoverWindowRequest,
  RehearsalDecisionRequest,
  OperatorRequest,
  RunControl,
} from './requests';

/** A decision on a run's derogation (R10), with its body. */
export type DerogationDecisionInput =
  | { decision: 'grant'; request: DerogationGrantRequest }
  | { decision: 'renew'; request: DerogationRenewRequest }
  | { decision: 'refuse' | 'revoke' | 'acknowledge'; request: DerogationCommentRequest };
import type { cleanupWorkflow, migrationWorkflow } from '../workflows';
import { MIGRATION_WORKFLOW_TYPE, startMigrationRun } from './start-migration-run';
import { translatingTemporalErrors } from './temporal-errors';

/** The verified caller as a workflow records it: a copy of what the token proved, never a field of a body. */
export function actorOf(caller: Actor): Actor {
  return {
    subject: caller.subject,
    roles: [...caller.roles],
    ...(caller.customerId !== undefined ? { customerId: caller.customerId } : {}),
    approverRoles: [...caller.approverRoles],
  };
}

/**
 * The customer a caller's list is always filtered on: a customer's own id, or none for staff.
 * A customer token always carries customerId; an impossible match keeps the rule closed if not.
 */
export function enforcedCustomerOf(caller: Actor): string | undefined {
  return isStaff(caller.roles) ? undefined : (caller.customerId ?? '');
}

const NO_SUCH_MIGRATION = 'No such migration.';
const UPDATE_REFUSALS: Readonly<Record<string, (message: string, errors?: FieldError[]) => ApplicationError>> = {
  [FAILURE_TYPES.notFound]: (message) => refusals.notFound(message),
  [FAILURE_TYPES.forbidden]: (message) => refusals.forbidden(message),
  [FAILURE_TYPES.conflict]: (message) => refusals.conflict(message),
  [FAILURE_TYPES.invalid]: (message, errors) => refusals.unprocessable(message, errors),
  [FAILURE_TYPES.invalidPlan]: (message, errors) => refusals.unprocessable(message, errors),
};

function runHasEnded(id: string): ApplicationError {
  return refusals.conflict(`Migration ${id}: the run has ended and takes no more decisions.`);
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
 * written for people) to not-found, forbidden, conflict or unprocessable, a run that closed
 * meanwhile to a conflict.
 */
export function toUpdateRefusal(error: unknown, id: string): ApplicationError | undefined {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const refusal = UPDATE_REFUSALS[error.cause.type ?? ''];
    return refusal?.(error.cause.message, fieldErrorsIn(error.cause.details));
  }
  // The run was open when described; not found now means it completed in between.
  if (error instanceof WorkflowNotFoundError) return runHasEnded(id);
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return refusals.unavailable('The run did not answer in time; try again shortly.');
  return undefined;
}

/** What the migration use cases need: a Temporal client and the task queue the workers poll. */
export interface MigrationUseCaseDependencies {
  client: Client;
  taskQueue: string;
  /** Step timeouts and retries for new runs; production keeps the workflow's defaults. */
  tuning?: Partial<RunTuning>;
}

/**
 * The use cases on migration runs, one function each, with no transport in them. Every call on
 * an existing run first checks that the caller may see it, so another customer's run is refused
 * exactly like a missing one. They throw {@link ApplicationError} to refuse.
 */
export interface MigrationUseCases {
  /** Starts a run (see {@link startMigrationRun}); `created` tells whether this call started it. */
  startMigration(caller: Actor, plan: Plan, idempotencyKey: string | undefined): Promise<{ id: string; created: boolean }>;
  /** Tells every run waiting at the regulatory gate (R9) to read the provider's credentials again now. */
  notifyQualificationChanged(): Promise<{ signalled: string[] }>;
  /** One page of the runs the caller may see. */
  listMigrations(caller: Actor, request: MigrationListRequest): Promise<MigrationListResponse>;
  /** The run at a glance (domain/run-overview.ts), with live replication progress. */
  readMigrationOverview(caller: Actor, id: string): Promise<MigrationOverview>;
  /** The overview again, for a live stream that {@link readMigrationOverview} admitted. */
  pollMigrationOverview(id: string): Promise<MigrationOverview>;
  /** One page of the run's steps, workloads, waves, timeline or audit trail. */
  readRunPage(caller: Actor, id: string, collection: RunCollection, ask: RunPageAsk): Promise<RunPage<unknown>>;
  /**
   * The run's report, final once the run has ended, as JSON text streamed from bounded reads
   * (use-cases/migration-report.ts); the caller's right to see the run is checked before it resolves.
   */
  readMigrationReport(caller: Actor, id: string): Promise<AsyncIterable<string>>;
  /** The run's residual-risk register, as the run keeps it (its `riskRegister` query, domain/run-risks.ts registerOfRun). */
  readRiskRegister(caller: Actor, id: string): Promise<RunRiskRegister>;
  /** Accepts an open residual risk as its owner: an approver of the run's customer holding the risk's owner role (the workflow checks it). */
  acceptRisk(caller: Actor, id: string, riskId: string, request: AcceptRiskRequest): Promise<ResidualRisk>;
  /** The run's dependency graph grouped by wave or zone, one group expanded on request (domain/estate-pictures.ts); an unknown group is refused naming `expand`. */
  readEstateGraph(caller: Actor, id: string, request: EstateGraphRequest): Promise<EstateGraph>;
  /** The run's waves against its cutover windows, now (domain/estate-pictures.ts). */
  readCutoverSchedule(caller: Actor, id: string): Promise<CutoverSchedule>;
  /** The homologation file as a PDF (use-cases/dossier-pdf.ts), in French or English. */
  readDossier(caller: Actor, id: string, language: Language): Promise<Buffer>;
  /** Records an approver's decision: only the run's customer's approvers holding the approval's role. */
  decideApproval(caller: Actor, id: string, approvalId: string, request: ApprovalDecisionRequest): Promise<ApprovalView>;
  /** Asks a derogation (R10) for one zone of the run's plan. */
  requestDerogation(caller: Actor, id: string, request: DerogationRequest): Promise<Derogation>;
  /** Grants, refuses, renews or revokes a zone's derogation (the customer's homologation authority), or acknowledges its lapse (ops). */
  decideDerogation(caller: Actor, id: string, zoneId: string, input: DerogationDecisionInput): Promise<Derogation>;
  /** Replaces the run's plan before provisioning; the workflow classifies it again. Answers the run's overview. */
  amendPlan(caller: Actor, id: string, plan: Plan): Promise<MigrationOverview>;
  /** Runs a failed step again. */
  retryStep(caller: Actor, id: string, stepId: string, request: OperatorRequest): Promise<StepView>;
  /** Skips a failed step, with the reason the audit trail keeps. */
  skipStep(caller: Actor, id: string, stepId: string, reason: string): Promise<StepView>;
  /** Pauses, resumes or cancels the run; answers its overview. */
  controlRun(caller: Actor, id: string, control: RunControl, request: OperatorRequest): Promise<MigrationOverview>;
  /**
   * Starts the clean-up of a run that Temporal closed (domain/closed-runs.ts, `cleanupRefusal`):
   * what it had done and not undone is undone on its behalf. The same closed run always gets the
   * same clean-up, whoever asks and however often.
   */
  cleanUpMigration(caller: Actor, id: string, request: OperatorRequest): Promise<StartCleanupResponse>;
  /** Pushes back one approval's deadline, or every pending one's. */
  extendDeadline(caller: Actor, id: string, request: ExtendDeadlineRequest): Promise<{ approvals: ApprovalView[] }>;
  /** Opens an exceptional cutover window (ops), audited in the run. */
  openCutoverWindow(caller: Actor, id: string, request: OpenCutoverWindowRequest): Promise<MigrationOverview>;
  /** The customer's approver confirms a wave's rehearsal or reports a problem with it; answers the rehearsal. */
  decideRehearsal(caller: Actor, id: string, waveId: string, request: RehearsalDecisionRequest): Promise<RehearsalView>;
  /** Resolves when Temporal answers. */
  checkReadiness(): Promise<void>;
}

interface VisibleRun {
  id: string;
  /** The current run of the workflow id when it was described. */
  runId: string;
  handle: WorkflowHandle<typeof migrationWorkflow>;
  customerId: string | undefined;
  open: boolean;
  /** The execution as Temporal describes it: a run it closed reads as such (domain/closed-runs.ts). */
  execution: ExecutionState;
  /** The draft the run was started from, from its memo. */
  draftId: string | undefined;
}

/** The draft a run was started from, as its memo records it (use-cases/drafts.ts). */
function draftIdOf(description: Pick<WorkflowExecutionDescription, 'memo'>): string | undefined {
  const draftId = description.memo?.draftId;
  return typeof draftId === 'string' ? draftId : undefined;
}

/** The status with the draft it came from, when it came from one. */
function withDraft<Read extends { draftId?: string }>(status: Read, draftId: string | undefined): Read {
  return draftId === undefined ? status : { ...status, draftId };
}

/** The workflow type of a clean-up (workflows/cleanup.ts). */
export const CLEANUP_WORKFLOW_TYPE = 'cleanupWorkflow';

/** The execution's state from a describe(), as domain/closed-runs.ts reads it. */
function executionStateOf(description: Pick<WorkflowExecutionDescription, 'status' | 'closeTime'>): ExecutionState {
  return { name: description.status.name, ...(description.closeTime ? { closedAt: description.closeTime.toISOString() } : {}) };
}

/** The migration use cases over a Temporal client; what Temporal throws becomes a refusal where it is one. */
export function createMigrationUseCases({ client, taskQueue, tuning }: MigrationUseCaseDependencies): MigrationUseCases {
  const closedAnswers = createClosedRunAnswers();
  async function openVisibleRun(caller: Actor, id: string): Promise<VisibleRun> {
    const handle = client.workflow.getHandle<typeof migrationWorkflow>(id);
    let description: Awaited<ReturnType<typeof handle.describe>>;
    try {
      description = await handle.describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw refusals.notFound(NO_SUCH_MIGRATION);
      throw error;
    }
    const customerId = description.typedSearchAttributes.get(CUSTOMER_ID);
    if (description.type !== MIGRATION_WORKFLOW_TYPE || !maySeeRun(caller, customerId)) throw refusals.notFound(NO_SUCH_MIGRATION);
    return {
      id,
      runId: description.runId,
      handle,
      customerId,
      open: description.status.name === 'RUNNING',
      execution: executionStateOf(description),
      draftId: draftIdOf(description),
    };
  }

  async function updateRun<Ret, Input>(run: VisibleRun, update: UpdateDefinition<Ret, [Input]>, input: Input): Promise<Ret> {
    if (!run.open) throw runHasEnded(run.id);
    try {
      return await run.handle.executeUpdate(update, { args: [input] });
    } catch (error) {
      throw toUpdateRefusal(error, run.id) ?? error;
    }
  }

  /** The clean-up of a closed execution, if ops asked for one. */
  async function readCleanup(id: string, closedRunId: string): Promise<CleanupView | undefined> {
    try {
      return await client.workflow.getHandle<typeof cleanupWorkflow>(cleanupWorkflowId(id, closedRunId)).query(cleanupQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /**
   * The status as people must read it: the status query (with live replication progress when
   * asked), settled against the execution's own state, so that a run Temporal closed (failed,
   * terminated, timed out) reads as such, and the streams that follow it end; with its
   * clean-up, when ops asked for one.
   */
  async function settledStatus(status: MigrationStatus, id: string, closedRunId: string, execution: ExecutionState, live = true): Promise<MigrationStatus> {
    const settled = settleClosedRun(live ? await readLiveProgress(client, status) : status, execution);
    if (closedByTemporal(execution)?.status !== 'FAILED') return settled;
    const cleanup = await readCleanup(id, closedRunId);
    return cleanup ? withCleanup(settled, cleanup) : settled;
  }

  /** {@link settledStatus} for the overview. */
  async function settledOverview(overview: MigrationOverview, id: string, closedRunId: string, execution: ExecutionState): Promise<MigrationOverview> {
    const settled = settleClosedOverview(overview, execution);
    if (closedByTemporal(execution)?.status !== 'FAILED') return settled;
    const cleanup = await readCleanup(id, closedRunId);
    return cleanup ? withCleanupOverview(settled, cleanup) : settled;
  }

  /** {@link settledStatus} for a page of steps: unfinished steps of a closed run failed, those its clean-up undid are COMPENSATED. */
  async function settledSteps(steps: StepView[], run: VisibleRun): Promise<StepView[]> {
    const settled = steps.map((step) => settleClosedStep(step, run.execution));
    if (closedByTemporal(run.execution)?.status !== 'FAILED') return settled;
    const cleanup = await readCleanup(run.id, run.runId);
    return cleanup ? withCleanupSteps(settled, cleanup) : settled;
  }

  const readStatus = async (run: VisibleRun, live = true) => await settledStatus(await run.handle.query(statusQuery), run.id, run.runId, run.execution, live);

  /** What a closed run had done and not undone: its own compensations, then those of the wave it was running (read as a page of its running waves). */
  async function leftoversOf(run: VisibleRun): Promise<Compensation[]> {
    const compensations = [...(await run.handle.query(compensationsQuery))];
    const running = await run.handle.query(pageQuery, 'waves', { limit: PAGE_LIMIT_MAX, state: 'RUNNING' });
    for (const wave of running.items as Array<Pick<WaveView, 'id' | 'workflowId'>>) {
      try {
        compensations.push(...(await client.workflow.getHandle(wave.workflowId ?? legacyWaveWorkflowId(run.id, wave.id)).query(compensationsQuery)));
      } catch (error) {
        // A wave that never started left nothing.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    }
    return compensations;
  }

  /**
   * Reads a run by `query` while `describe` says which run the id names and whether it is
   * open: the two go out together, so a read costs one round trip rather than two. `read` names
   * the query and its arguments: what a closed run answered is kept (closed-run-answers.ts) and
   * served again, after the same describe, while the id names that run.
   */
  async function describedRead<T, Described extends { runId: string; open: boolean }>(
    id: string,
    describe: () => Promise<Described>,
    query: () => Promise<T>,
    read?: string,
  ): Promise<[Described, T]> {
    const closedRunId = read === undefined ? undefined : closedAnswers.closedRunOf(id);
    const kept = closedRunId === undefined || read === undefined ? undefined : closedAnswers.answerOf(closedRunId, read);
    if (kept) {
      const described = await describe();
      if (described.runId === closedRunId && !described.open) return [described, kept.answer as T];
    }
    const reading = query();
    // Settled now, so that a refused read is never left unobserved while the describe decides.
    reading.catch(() => undefined);
    const described = await describe();
    const answer = await reading;
    if (read !== undefined && !described.open) closedAnswers.remember(id, described.runId, read, answer);
    return [described, answer];
  }

  /**
   * Reads the run while its describe decides whether the caller may see it ({@link describedRead}):
   * what was read is dropped unless the run is visible to the caller (a missing or foreign run
   * is refused alike, 404).
   */
  async function whileVisible<T>(caller: Actor, id: string, query: (handle: WorkflowHandle<typeof migrationWorkflow>) => Promise<T>, read?: string): Promise<[VisibleRun, T]> {
    const handle = client.workflow.getHandle<typeof migrationWorkflow>(id);
    return await describedRead(id, () => openVisibleRun(caller, id), () => query(handle), read);
  }

  return translatingTemporalErrors<MigrationUseCases & Record<string, (...args: never[]) => Promise<unknown>>>({
    async startMigration(caller, plan, idempotencyKey) {
      const { id, created } = await startMigrationRun(client, { plan, startedBy: actorOf(caller), idempotencyKey, taskQueue, tuning });
      return { id, created };
    },

    async notifyQualificationChanged() {
      const signalled: string[] = [];
      const waitingAtGate: Phase = 'AWAITING_QUALIFICATION';
      const query = `WorkflowType = '${MIGRATION_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND ${PHASE.name} = '${waitingAtGate}'`;
      // The raw list, which reads the ids only: client.workflow.list would decode every run's memo,
      // and fail on a run whose memo the codec's current keys cannot read.
      let nextPageToken: Uint8Array | undefined;
      do {
        const page = await client.workflowService.listWorkflowExecutions({ namespace: client.options.namespace, query, nextPageToken });
        for (const execution of page.executions) {
          const workflowId = execution.execution?.workflowId;
          if (!workflowId) continue;
          await client.workflow.getHandle(workflowId).signal(qualificationChangedSignal);
          signalled.push(workflowId);
        }
        nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
      } while (nextPageToken);
      return { signalled };
    },

    async listMigrations(caller, request) {
      return await listMigrationRuns(client, request, enforcedCustomerOf(caller));
    },

    async readMigrationOverview(caller, id) {
      const [run, overview] = await whileVisible(caller, id, (handle) => handle.query(overviewQuery), 'overview');
      return withDraft(await settledOverview(await readLiveOverview(client, overview), id, run.runId, run.execution), run.draftId);
    },

    async pollMigrationOverview(id) {
      const handle = client.workflow.getHandle<typeof migrationWorkflow>(id);
      const describe = async () => {
        const description = await handle.describe();
        return { runId: description.runId, open: description.status.name === 'RUNNING', description };
      };
      const [{ description }, overview] = await describedRead(id, describe, () => handle.query(overviewQuery), 'overview');
      return withDraft(await settledOverview(await readLiveOverview(client, overview), id, description.runId, executionStateOf(description)), draftIdOf(description));
    },

    async readRunPage(caller, id, collection, ask) {
      const request = pageRequestOf(collection, ask);
      const [run, page] = await whileVisible(caller, id, (handle) => handle.query(pageQuery, collection, request), `page ${collection} ${JSON.stringify(request)}`);
      // A run Temporal closed reads as such (domain/closed-runs.ts): its unfinished steps failed.
      const items = collection === 'steps' ? await settledSteps(page.items as StepView[], run) : page.items;
      return { items, nextCursor: page.next === null ? null : encodePageCursor(collection, page.next) };
    },

    async readMigrationReport(caller, id) {
      const [run, overview] = await whileVisible(caller, id, (handle) => handle.query(overviewQuery), 'overview');
      const { execution } = run;
      const source: ReportSource = {
        overview: await settledOverview(overview, id, run.runId, execution),
        async page(collection, request) {
          const page = await run.handle.query(pageQuery, collection, request);
          if (collection === 'steps') return { ...page, items: await settledSteps(page.items as StepView[], run) };
          if (collection === 'waves') return { ...page, items: (page.items as WaveOverview[]).map((wave) => settleClosedWave(wave, execution)) };
          if (collection === 'workloads') return { ...page, items: (page.items as WorkloadView[]).map((workload) => settleClosedWorkload(workload, execution)) };
          return page;
        },
        section: (ask) => run.handle.query(reportSectionQuery, ask),
        failedStates: closedByTemporal(execution) ? ['FAILED', 'RUNNING', 'WAITING'] : ['FAILED'],
      };
      return streamMigrationReport(source);
    },

    async readRiskRegister(caller, id) {
      const run = await openVisibleRun(caller, id);
      return await run.handle.query(riskRegisterQuery);
    },

    async acceptRisk(caller, id, riskId, request) {
      const run = await openVisibleRun(caller, id);
      const [accepted] = await updateRun(run, acceptRisksUpdate, { riskIds: [riskId], ...(request.comment ? { comment: request.comment } : {}), actor: actorOf(caller) });
      return accepted!;
    },

    async readEstateGraph(caller, id, request) {
      const [, graph] = await whileVisible(caller, id, (handle) => handle.query(estateGraphQuery, request), `graph ${JSON.stringify(request)}`);
      if (request.expand !== undefined && graph.expanded === undefined) {
        throw refusals.invalid('No such group in this graph.', [
          { path: 'expand', message: `names no group of this run's graph by ${request.groupBy}; its groups are ${graph.groups.map((group) => group.id).join(', ') || 'none yet'}` },
        ]);
      }
      return graph;
    },

    async readCutoverSchedule(caller, id) {
      const [, schedule] = await whileVisible(caller, id, (handle) => handle.query(cutoverScheduleQuery, Date.now()));
      return schedule;
    },

    // The history is fingerprinted first, then the status read, so the file describes at least what the fingerprint covers.
    async readDossier(caller, id, language) {
      const run = await openVisibleRun(caller, id);
      const fingerprint = await fetchHistoryFingerprint(client.workflow.getHandle(id, run.runId), run.runId);
      const status = await readStatus(run, false);
      const generatedAt = new Date().toISOString();
      const input = {
        status,
        report: buildMigrationReport(status),
        risks: registerOfRun(status),
        fingerprint,
        graph: estateGraph(status, { groupBy: 'zone' }),
        schedule: cutoverSchedule(status, Date.parse(generatedAt)),
        generatedAt,
      };
      return await renderDossierPdf(input, language);
    },

    async decideApproval(caller, id, approvalId, request) {
      const run = await openVisibleRun(caller, id);
      if (!run.open) throw runHasEnded(id);
      const status = await run.handle.query(overviewQuery);
      const candidates = status.approvals.filter((approval) => approval.id === approvalId);
      const approval = candidates.find((candidate) => candidate.round === status.round) ?? candidates.at(-1);
      if (!approval) throw refusals.notFound(`Migration ${id} has no approval ${approvalId}.`);
      const refusal = approvalDecisionRefusal(caller, run, approval);
      if (refusal) throw refusals.forbidden(refusal.message);
      return await updateRun(run, decideApprovalUpdate, { approvalId, ...request, actor: actorOf(caller) });
    },

    async requestDerogation(caller, id, request) {
      return await updateRun(await openVisibleRun(caller, id), requestDerogationUpdate, { ...request, actor: actorOf(caller) });
    },

    async decideDerogation(caller, id, zoneId, input) {
      const run = await openVisibleRun(caller, id);
      const actor = actorOf(caller);
      switch (input.decision) {
        case 'grant':
          return await updateRun(run, grantDerogationUpdate, { zoneId, ...input.request, actor });
        case 'renew':
          return await updateRun(run, renewDerogationUpdate, { zoneId, ...input.request, actor });
        case 'refuse':
          return await updateRun(run, refuseDerogationUpdate, { zoneId, ...input.request, actor });
        case 'revoke':
          return await updateRun(run, revokeDerogationUpdate, { zoneId, ...input.request, actor });
        case 'acknowledge':
          return await updateRun(run, acknowledgeDerogationLapseUpdate, { zoneId, ...input.request, actor });
      }
    },

    async amendPlan(caller, id, plan) {
      const run = await openVisibleRun(caller, id);
      if (plan.customer.id !== run.customerId) {
        throw refusals.unprocessable('An amended plan must keep the run’s customer.', [
          { path: 'customer.id', message: `must stay ${JSON.stringify(run.customerId ?? '')}` },
        ]);
      }
      return await updateRun(run, amendPlanUpdate, { plan, actor: actorOf(caller) });
    },

    async retryStep(caller, id, stepId, request) {
      return await updateRun(await openVisibleRun(caller, id), retryStepUpdate, { stepId, ...request, actor: actorOf(caller) });
    },

    async skipStep(caller, id, stepId, reason) {
      return await updateRun(await openVisibleRun(caller, id), skipStepUpdate, { stepId, reason, actor: actorOf(caller) });
    },

    async controlRun(caller, id, control, request) {
      const update = { pause: pauseUpdate, resume: resumeUpdate, cancel: cancelUpdate }[control];
      return await updateRun(await openVisibleRun(caller, id), update, { ...request, actor: actorOf(caller) });
    },

    async cleanUpMigration(caller, id, request) {
      const run = await openVisibleRun(caller, id);
      const overview = await run.handle.query(overviewQuery);
      const refusal = cleanupRefusal(run.execution, overview);
      if (refusal) throw refusals.conflict(`Migration ${id}: ${refusal}`);
      const workflowId = cleanupWorkflowId(id, run.runId);
      const handle = client.workflow.getHandle<typeof cleanupWorkflow>(workflowId);
      const startRequestId = randomUUID();
      try {
        await client.workflow.start<typeof cleanupWorkflow>(CLEANUP_WORKFLOW_TYPE, {
          workflowId,
          taskQueue,
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          memo: { startRequestId },
          args: [
            {
              runWorkflowId: id,
              tenantId: overview.resources[stepIds.tenant] ?? '',
              compensations: await leftoversOf(run),
              requestedBy: actorOf(caller),
              ...(request.reason ? { reason: request.reason } : {}),
              ...(tuning ? { tuning } : {}),
            },
          ],
        });
      } catch (error) {
        // Asked for before and finished since: the same clean-up is answered.
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
      const [description, cleanup] = await Promise.all([handle.describe(), handle.query(cleanupQuery)]);
      return { id, created: description.memo?.startRequestId === startRequestId, cleanup, statusUrl: `/v1/migrations/${id}` };
    },

    async extendDeadline(caller, id, request) {
      const approvals = await updateRun(await openVisibleRun(caller, id), extendDeadlineUpdate, { ...request, actor: actorOf(caller) });
      return { approvals };
    },

    async decideRehearsal(caller, id, waveId, request) {
      const run = await openVisibleRun(caller, id);
      if (!run.open) throw runHasEnded(id);
      // A rehearsal awaiting its decision is a running wave's, which the overview holds (bounded); a wave
      // beyond its list, or one that does not rehearse, is left to the Update's validator, which checks the same.
      const overview = await run.handle.query(overviewQuery);
      const rehearsal = overview.waves.active.find((wave) => wave.id === waveId)?.rehearsal;
      const refusal = rehearsal ? rehearsalDecisionRefusal(caller, run, rehearsal) : undefined;
      if (refusal) throw refusals.forbidden(refusal.message);
      return await updateRun(run, decideRehearsalUpdate, { waveId, ...request, actor: actorOf(caller) });
    },

    async openCutoverWindow(caller, id, request) {
      return await updateRun(await openVisibleRun(caller, id), openCutoverWindowUpdate, { ...request, actor: actorOf(caller) });
    },

    async checkReadiness() {
      try {
        await client.workflowService.getSystemInfo({});
      } catch {
        throw refusals.unavailable('Temporal is not reachable.');
      }
    },
  });
}
