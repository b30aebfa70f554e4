/**
 * The use cases on draft plans: import discovery exports into a new draft (a drafting
 * workflow), read it, edit it as the questionnaire does, preview what the rules make of it,
 * export it as CSV, and start a run from it once complete. Every call on an existing draft
 * first checks that the caller may see it, so another customer's draft is refused exactly like
 * a missing one. They throw {@link ApplicationError} to refuse.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { z } from 'zod';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import {
  type Actor,
  CustomerSchema,
  type DraftComment,
  type DraftEdit,
  type DraftEditResponse,
  type DraftHistory,
  type DraftImportReport,
  type DraftImportResponse,
  type DraftListResponse,
  type DraftPreview,
  type DraftSelection,
  type DraftStartResponse,
  type DraftSummary,
  type DraftWorkloadsPage,
  draftToPlan,
  draftWorkflowId,
  FAILURE_TYPES,
  maySeeDraft,
  migrationWorkflowId,
  PLAN_ID_PATTERN,
} from '../domain';
import { DiscoveryImportError, describeLocation, draftToCsv, importDiscoveryExports } from '../discovery';
import type { draftingWorkflow } from '../workflows';
import {
  commentDraftUpdate,
  draftHistoryQuery,
  draftPlanQuery,
  draftPreviewQuery,
  draftSummaryQuery,
  draftWorkloadsQuery,
  editDraftUpdate,
  markRunStartedUpdate,
} from '../workflows/drafting-messages';
import type { RunTuning } from '../workflows/tuning';
import { CUSTOMER_ID } from '../workflows/search-attributes';
import { type ApplicationError, type FieldError, refusals } from './application-error';
import { CURSOR_REFUSAL_CODES, quoteVisibilityValue } from './migration-list';
import { actorOf, enforcedCustomerOf } from './migrations';
import { startMigrationRun } from './start-migration-run';

/** The workflow type of drafts. */
export const DRAFTING_WORKFLOW_TYPE = 'draftingWorkflow';

/** Body of `POST /v1/plans/drafts`: the plan's identity and the export files, base64-encoded. */
export const DraftImportRequestSchema = z.strictObject({
  customer: CustomerSchema,
  planId: z.string().regex(PLAN_ID_PATTERN, { error: 'must be a plan id: 1 to 64 lower-case letters, digits, "_" or "-"' }).optional(),
  files: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(255),
        /** The file's bytes in base64 (an xlsx workbook is binary). */
        contentBase64: z.string().max(48 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'must be base64' }),
      }),
    )
    .min(1, { error: 'must hold at least one export' })
    .max(8, { error: 'must hold at most 8 exports' }),
});
/** A parsed import request. */
export type DraftImportRequest = z.infer<typeof DraftImportRequestSchema>;

/** A page of the drafts list: the customer filter (staff only narrows; a customer sees its own), size and cursor. */
export interface DraftListRequest {
  customer?: string;
  limit: number;
  cursor?: string;
}

/** What the draft use cases need. */
export interface DraftUseCaseDependencies {
  client: Client;
  taskQueue: string;
  /** Step timeouts and retries for the runs started from drafts. */
  tuning?: Partial<RunTuning>;
}

/** The use cases on drafts, one function each, with no transport in them. */
export interface DraftUseCases {
  importDraft(caller: Actor, request: DraftImportRequest): Promise<DraftImportResponse>;
  /** The drafts the caller may see (a customer: its own), newest first. */
  listDrafts(caller: Actor, request: DraftListRequest): Promise<DraftListResponse>;
  readDraft(caller: Actor, id: string): Promise<DraftSummary>;
  listDraftWorkloads(caller: Actor, id: string, page: { offset: number; limit: number; selection?: DraftSelection }): Promise<DraftWorkloadsPage>;
  editDraft(caller: Actor, id: string, edit: DraftEdit): Promise<DraftEditResponse>;
  commentDraft(caller: Actor, id: string, comment: { text: string; workloadId?: string }): Promise<DraftComment>;
  previewDraft(caller: Actor, id: string, workloadIds?: string[]): Promise<DraftPreview>;
  readDraftHistory(caller: Actor, id: string): Promise<DraftHistory>;
  exportDraftCsv(caller: Actor, id: string): Promise<string>;
  /** Starts the run of a complete draft (the plan's own validation); the same run again once started. */
  startRunFromDraft(caller: Actor, id: string): Promise<DraftStartResponse>;
}

const NO_SUCH_DRAFT = 'No such draft.';

/** Creates the draft use cases over a Temporal client. */
export function createDraftUseCases(deps: DraftUseCaseDependencies): DraftUseCases {
  const { client, taskQueue } = deps;

  async function visibleDraft(caller: Actor, id: string) {
    const handle = client.workflow.getHandle<typeof draftingWorkflow>(id);
    let summary: DraftSummary;
    try {
      const description = await handle.describe();
      if (description.type !== DRAFTING_WORKFLOW_TYPE) throw refusals.notFound(NO_SUCH_DRAFT);
      summary = await handle.query(draftSummaryQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw refusals.notFound(NO_SUCH_DRAFT);
      throw error;
    }
    if (!maySeeDraft(caller, { customer: summary.customer })) throw refusals.notFound(NO_SUCH_DRAFT);
    return { handle, summary };
  }

  async function update<Result>(run: () => Promise<Result>): Promise<Result> {
    try {
      return await run();
    } catch (error) {
      throw toDraftRefusal(error) ?? error;
    }
  }

  return {
    async importDraft(caller, request) {
      const files = request.files.map((file) => ({ name: file.name, content: Buffer.from(file.contentBase64, 'base64') }));
      let imported;
      try {
        imported = await importDiscoveryExports(files, { customer: request.customer, ...(request.planId === undefined ? {} : { planId: request.planId }) });
      } catch (error) {
        if (error instanceof DiscoveryImportError) {
          throw refusals.unprocessable(
            `The exports were refused, nothing was imported: ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}.`,
            error.problems.map((problem): FieldError => ({ path: describeLocation(problem), message: problem.message })),
          );
        }
        throw error;
      }
      const id = draftWorkflowId(request.customer.id, randomUUID().slice(0, 8));
      const handle = await client.workflow.start<typeof draftingWorkflow>(DRAFTING_WORKFLOW_TYPE, {
        workflowId: id,
        taskQueue,
        args: [{ draftId: id, draft: imported.draft, createdBy: actorOf(caller), importReport: { ...imported.report } satisfies DraftImportReport }],
        typedSearchAttributes: [{ key: CUSTOMER_ID, value: request.customer.id }],
      });
      return { id, summary: await handle.query(draftSummaryQuery), report: imported.report };
    },

    async listDrafts(caller, request) {
      // A customer's own id is a clause of its own: its filter may narrow the list, never widen it.
      const clauses = [`WorkflowType = ${quoteVisibilityValue(DRAFTING_WORKFLOW_TYPE)}`, `ExecutionStatus != 'ContinuedAsNew'`];
      const enforced = enforcedCustomerOf(caller);
      if (enforced !== undefined) clauses.push(`${CUSTOMER_ID.name} = ${quoteVisibilityValue(enforced)}`);
      if (request.customer !== undefined) clauses.push(`${CUSTOMER_ID.name} = ${quoteVisibilityValue(request.customer)}`);
      let response: Awaited<ReturnType<Client['workflowService']['listWorkflowExecutions']>>;
      try {
        response = await client.workflowService.listWorkflowExecutions({
          namespace: client.options.namespace,
          query: clauses.join(' AND '),
          pageSize: request.limit,
          nextPageToken: request.cursor === undefined ? undefined : Buffer.from(request.cursor, 'base64url'),
        });
      } catch (error) {
        if (request.cursor !== undefined && CURSOR_REFUSAL_CODES.has((error as { code?: unknown }).code)) {
          throw refusals.invalid('The cursor is not valid.', [{ path: 'cursor', message: 'is not the nextCursor of this list, or it has expired' }]);
        }
        throw error;
      }
      const token = response.nextPageToken;
      return {
        items: response.executions.map((execution) => ({
          id: execution.execution?.workflowId ?? '',
          customerId: decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields).get(CUSTOMER_ID) ?? null,
          open: optionalTsToDate(execution.closeTime) === undefined,
          createdAt: optionalTsToDate(execution.startTime)?.toISOString() ?? null,
          closedAt: optionalTsToDate(execution.closeTime)?.toISOString() ?? null,
        })),
        nextCursor: token && token.length > 0 ? Buffer.from(token).toString('base64url') : null,
      };
    },

    async readDraft(caller, id) {
      return (await visibleDraft(caller, id)).summary;
    },

    async listDraftWorkloads(caller, id, page) {
      return await (await visibleDraft(caller, id)).handle.query(draftWorkloadsQuery, page);
    },

    async editDraft(caller, id, edit) {
      const { handle } = await visibleDraft(caller, id);
      return await update(() => handle.executeUpdate(editDraftUpdate, { args: [{ edit, actor: actorOf(caller) }] }));
    },

    async commentDraft(caller, id, comment) {
      const { handle } = await visibleDraft(caller, id);
      return await update(() => handle.executeUpdate(commentDraftUpdate, { args: [{ ...comment, actor: actorOf(caller) }] }));
    },

    async previewDraft(caller, id, workloadIds) {
      return await (await visibleDraft(caller, id)).handle.query(draftPreviewQuery, workloadIds === undefined ? {} : { workloadIds });
    },

    async readDraftHistory(caller, id) {
      return await (await visibleDraft(caller, id)).handle.query(draftHistoryQuery);
    },

    async exportDraftCsv(caller, id) {
      const { draft } = await (await visibleDraft(caller, id)).handle.query(draftPlanQuery);
      return draftToCsv(draft);
    },

    async startRunFromDraft(caller, id) {
      const { handle } = await visibleDraft(caller, id);
      const { draft, state, revision } = await handle.query(draftPlanQuery);
      if (state === 'ABANDONED') throw refusals.conflict(`Draft ${id} was abandoned.`);
      const validated = draftToPlan({ ...draft, planId: draft.planId ?? id });
      if (!validated.ok) {
        throw refusals.unprocessable(`Draft ${id} is not a plan yet: ${validated.errorCount} problem${validated.errorCount === 1 ? '' : 's'}.`, validated.errors);
      }
      // Close the draft at the revision read first: an edit landing after it would not be in the run.
      if (state === 'OPEN') {
        const runId = migrationWorkflowId(validated.plan.planId ?? id);
        await update(() => handle.executeUpdate(markRunStartedUpdate, { args: [{ runId, revision, actor: actorOf(caller) }] }));
      }
      const started = await startMigrationRun(client, { plan: validated.plan, startedBy: actorOf(caller), taskQueue, ...(deps.tuning ? { tuning: deps.tuning } : {}), memo: { draftId: id } });
      return { draftId: id, runId: started.id, created: started.created };
    },
  };
}

const UPDATE_REFUSALS: Readonly<Record<string, (message: string, errors?: FieldError[]) => ApplicationError>> = {
  [FAILURE_TYPES.notFound]: (message) => refusals.notFound(message),
  [FAILURE_TYPES.forbidden]: (message) => refusals.forbidden(message),
  [FAILURE_TYPES.conflict]: (message) => refusals.conflict(message),
  [FAILURE_TYPES.invalid]: (message) => refusals.unprocessable(message),
  [FAILURE_TYPES.invalidPlan]: (message) => refusals.unprocessable(message),
};

/** Maps a drafting workflow's typed refusals; a draft that closed meanwhile is a conflict. */
function toDraftRefusal(error: unknown): ApplicationError | undefined {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    return UPDATE_REFUSALS[error.cause.type ?? '']?.(error.cause.message);
  }
  if (error instanceof WorkflowNotFoundError) return refusals.conflict('The draft is closed: a run was started from it.');
  return undefined;
}
