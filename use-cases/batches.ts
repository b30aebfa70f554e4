/**
 * Fleet operations (domain/batches.ts): ops select runs by their search attributes, see the
 * runs a batch would touch (dry run), start it as a workflow of its own (workflows/batch.ts),
 * and follow its progress and each run's outcome.
 */
import { randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import {
  type Actor,
  BATCH_ACTIONS,
  BATCH_MAX_RUNS,
  type BatchAction,
  type BatchCandidate,
  type BatchDryRun,
  type BatchListResponse,
  type BatchOrder,
  type BatchRequest,
  type BatchSelection,
  type BatchSummary,
  type BatchView,
  batchView,
  batchWorkflowId,
  type StartBatchResponse,
} from '../domain';
import type { batchWorkflow } from '../workflows';
import { batchQuery } from '../workflows/batch-messages';
import { FAILED_OPERATIONS, NEEDS_ATTENTION, PHASE, RUN_STATUS } from '../workflows/search-attributes';
import { refusals } from './application-error';
import { buildVisibilityQuery, CURSOR_REFUSAL_CODES, quoteVisibilityValue, toMigrationSummary } from './migration-list';
import { actorOf, enforcedCustomerOf } from './migrations';
import { translatingTemporalErrors } from './temporal-errors';

/** The workflow type of a batch (workflows/batch.ts). */
export const BATCH_WORKFLOW_TYPE = 'batchWorkflow';

/** What a run must be for each action to apply to it, so that the dry run lists only runs the batch will act on. */
const ACTION_CLAUSES: Readonly<Record<BatchAction, string>> = {
  'retry-failed-steps': `${NEEDS_ATTENTION.name} = true`,
  pause: `${RUN_STATUS.name} != 'PAUSED'`,
  resume: `${RUN_STATUS.name} = 'PAUSED'`,
  'extend-deadlines': `${PHASE.name} = 'AWAITING_APPROVAL'`,
};

/**
 * The visibility query of a batch: open migration runs only, the selection's filters, what the
 * action needs, and `enforcedCustomer` (a customer caller's own id) as a clause of its own, so
 * that a customer's selection can narrow the runs but never reach another customer's.
 */
export function buildBatchQuery(action: BatchAction, selection: BatchSelection, enforcedCustomer: string | undefined): string {
  const { operation, ...filters } = selection;
  const clauses = [buildVisibilityQuery(filters, enforcedCustomer), `ExecutionStatus = 'Running'`, ACTION_CLAUSES[action]];
  if (operation !== undefined) clauses.push(`${FAILED_OPERATIONS.name} = ${quoteVisibilityValue(operation)}`);
  return clauses.join(' AND ');
}

/** The batch use cases: one function each, no transport in them; they throw ApplicationError to refuse. */
export interface BatchUseCases {
  /** Answers the runs the batch would touch (dry run), or starts the batch on exactly those runs. */
  startBatch(caller: Actor, request: BatchRequest): Promise<BatchDryRun | StartBatchResponse>;
  /** A batch's progress and every run's outcome. */
  readBatch(caller: Actor, id: string): Promise<BatchView>;
  /** One page of batches, newest first. */
  listBatches(caller: Actor, request: { limit: number; cursor?: string }): Promise<BatchListResponse>;
}

/** The batch use cases over a Temporal client and the task queue the workers poll. */
export function createBatchUseCases({ client, taskQueue }: { client: Client; taskQueue: string }): BatchUseCases {
  const namespace = client.options.namespace;

  /** The open runs a batch selects, at most BATCH_MAX_RUNS (more is refused: narrow the selection). */
  async function selectRuns(caller: Actor, request: BatchRequest): Promise<BatchCandidate[]> {
    const query = buildBatchQuery(request.action, request.selection, enforcedCustomerOf(caller));
    const runs: BatchCandidate[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await client.workflowService.listWorkflowExecutions({ namespace, query, pageSize: BATCH_MAX_RUNS, nextPageToken });
      for (const execution of page.executions) {
        const { id, customerId, phase, status } = toMigrationSummary(execution);
        runs.push({ id, customerId, phase, status });
      }
      if (runs.length > BATCH_MAX_RUNS) {
        throw refusals.unprocessable(`The selection matches more than ${BATCH_MAX_RUNS} runs, the most one batch may touch.`, [
          { path: 'selection', message: `matches more than ${BATCH_MAX_RUNS} runs: narrow it (customer, phase, status, operation)` },
        ]);
      }
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return runs.sort((left, right) => left.id.localeCompare(right.id));
  }

  async function describeBatch(id: string) {
    try {
      const description = await client.workflow.getHandle(id).describe();
      return description.type === BATCH_WORKFLOW_TYPE ? description : undefined;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  return translatingTemporalErrors<BatchUseCases & Record<string, (...args: never[]) => Promise<unknown>>>({
    async startBatch(caller, request) {
      const selected = await selectRuns(caller, request);
      // Named runs narrow the selection, never widen it: a run the selection does not match is left out.
      const named = request.runIds === undefined ? undefined : new Set(request.runIds);
      const runs = named === undefined ? selected : selected.filter((run) => named.has(run.id));
      if (request.dryRun) return { dryRun: true, action: request.action, selection: request.selection, runs };
      const id = batchWorkflowId(randomUUID());
      const order: BatchOrder = {
        id,
        action: request.action,
        selection: request.selection,
        ...(request.extendBy ? { extendBy: request.extendBy } : {}),
        reason: request.reason,
        requestedBy: caller.subject,
        requestedAt: new Date().toISOString(),
      };
      await client.workflow.start<typeof batchWorkflow>(BATCH_WORKFLOW_TYPE, {
        workflowId: id,
        taskQueue,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        // What a list shows without querying each batch; no personal data beyond the token's subject.
        memo: { action: order.action, requestedBy: order.requestedBy, total: runs.length },
        args: [{ order, runIds: runs.map((run) => run.id), actor: actorOf(caller) }],
      });
      const batch = batchView(order, runs.map((run) => ({ id: run.id, outcome: 'PENDING' })));
      return { id, statusUrl: `/v1/batches/${id}`, batch };
    },

    async readBatch(_caller, id) {
      if (!(await describeBatch(id))) throw refusals.notFound('No such batch.');
      return await client.workflow.getHandle<typeof batchWorkflow>(id).query(batchQuery);
    },

    async listBatches(_caller, { limit, cursor }) {
      let response: Awaited<ReturnType<Client['workflowService']['listWorkflowExecutions']>>;
      try {
        response = await client.workflowService.listWorkflowExecutions({
          namespace,
          // A batch continued as new is listed once, as its latest run.
          query: `WorkflowType = ${quoteVisibilityValue(BATCH_WORKFLOW_TYPE)} AND ExecutionStatus != 'ContinuedAsNew'`,
          pageSize: limit,
          nextPageToken: cursor === undefined ? undefined : Buffer.from(cursor, 'base64url'),
        });
      } catch (error) {
        if (cursor !== undefined && CURSOR_REFUSAL_CODES.has((error as { code?: unknown }).code)) {
          throw refusals.invalid('The cursor is not valid.', [{ path: 'cursor', message: 'is not the nextCursor of this list, or it has expired' }]);
        }
        throw error;
      }
      const items = await Promise.all(
        response.executions.map(async (execution): Promise<BatchSummary> => {
          const memo = await decodeMapFromPayloads(client.options.loadedDataConverter, execution.memo?.fields).catch(() => undefined);
          const closedAt = optionalTsToDate(execution.closeTime)?.toISOString() ?? null;
          const action = BATCH_ACTIONS.find((candidate) => candidate === memo?.action) ?? null;
          return {
            id: execution.execution?.workflowId ?? '',
            action,
            requestedBy: typeof memo?.requestedBy === 'string' ? memo.requestedBy : null,
            total: typeof memo?.total === 'number' ? memo.total : null,
            state: closedAt === null ? 'RUNNING' : 'COMPLETED',
            startedAt: optionalTsToDate(execution.startTime)?.toISOString() ?? null,
            closedAt,
          };
        }),
      );
      const token = response.nextPageToken;
      return { items, nextCursor: token && token.length > 0 ? Buffer.from(token).toString('base64url') : null };
    },
  });
}
