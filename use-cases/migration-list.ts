import type { Client, RawWorkflowExecutionInfo } from '@temporalio/client';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import { FINAL_STATUSES, type MigrationListResponse, type MigrationSummary, type Phase, PHASES, RUN_STATUSES, type RunStatus } from '../domain';
import { CUSTOMER_ID, NEEDS_ATTENTION, PHASE, RUN_STATUS } from '../workflows/search-attributes';
import { refusals } from './application-error';
import { MIGRATION_WORKFLOW_TYPE } from './start-migration-run';

// The list's answer is one of the run's views, declared in domain/ where the clients read it.
export { MigrationListResponseSchema, type MigrationListResponse, MigrationSummarySchema, type MigrationSummary } from '../domain/run-views';

/** Filters on the run's search attributes, a page size and the cursor of a previous page. */
export interface MigrationListRequest {
  customer?: string;
  status?: RunStatus;
  phase?: Phase;
  needsAttention?: boolean;
  limit: number;
  cursor?: string;
}

/** The filters of a list, without paging. */
export type MigrationListFilters = Omit<MigrationListRequest, 'limit' | 'cursor'>;

/** A string as a visibility query quotes it. */
export function quoteVisibilityValue(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The visibility query of a list. `enforcedCustomer` (a customer caller's own id) is always a
 * clause of its own, so a customer's `customer` filter can narrow the list but never widen it.
 */
export function buildVisibilityQuery(filters: MigrationListFilters, enforcedCustomer: string | undefined): string {
  // Continue-as-new leaves closed runs behind under the same id: list each migration once.
  const clauses = [`WorkflowType = ${quoteVisibilityValue(MIGRATION_WORKFLOW_TYPE)}`, `ExecutionStatus != 'ContinuedAsNew'`];
  if (enforcedCustomer !== undefined) clauses.push(`${CUSTOMER_ID.name} = ${quoteVisibilityValue(enforcedCustomer)}`);
  if (filters.customer !== undefined) clauses.push(`${CUSTOMER_ID.name} = ${quoteVisibilityValue(filters.customer)}`);
  if (filters.phase !== undefined) clauses.push(`${PHASE.name} = ${quoteVisibilityValue(filters.phase)}`);
  if (filters.status !== undefined) clauses.push(statusClause(filters.status));
  if (filters.needsAttention !== undefined) clauses.push(`${NEEDS_ATTENTION.name} = ${filters.needsAttention}`);
  return clauses.join(' AND ');
}

/** Temporal's visibility names of the execution states that domain/closed-runs.ts settles, by the run status they read as. */
const CLOSED_EXECUTIONS_READING_AS: Partial<Record<RunStatus, string[]>> = {
  FAILED: ['Failed', 'Terminated', 'TimedOut'],
  CANCELLED: ['Canceled'],
};

/**
 * A status filter as people read statuses: a run that Temporal closed reads as FAILED (or
 * CANCELLED) whatever its search attribute last said, and an open status matches open runs only.
 */
function statusClause(status: RunStatus): string {
  const recorded = `${RUN_STATUS.name} = ${quoteVisibilityValue(status)}`;
  if (!FINAL_STATUSES.includes(status)) return `${recorded} AND ExecutionStatus = 'Running'`;
  const closed = CLOSED_EXECUTIONS_READING_AS[status];
  if (!closed) return recorded;
  return `(${recorded} OR ExecutionStatus IN (${closed.map(quoteVisibilityValue).join(', ')}))`;
}

/** `WORKFLOW_EXECUTION_STATUS_CANCELED` of Temporal's API. */
const CANCELED_EXECUTION = 4;

function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | null {
  return values.find((candidate) => candidate === value) ?? null;
}

/** One list item from a visibility record; a run that closed without a final status failed (or was cancelled). */
export function toMigrationSummary(execution: RawWorkflowExecutionInfo): MigrationSummary {
  const attributes = decodeTypedSearchAttributes(execution.searchAttributes?.indexedFields);
  const closedAt = optionalTsToDate(execution.closeTime)?.toISOString() ?? null;
  const recordedStatus = oneOf(RUN_STATUSES, attributes.get(RUN_STATUS));
  const closed = closedAt !== null && !FINAL_STATUSES.some((final) => final === recordedStatus);
  const status: RunStatus | null = closed ? (Number(execution.status) === CANCELED_EXECUTION ? 'CANCELLED' : 'FAILED') : recordedStatus;
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

/**
 * What Temporal answers to a page token it cannot read: INVALID_ARGUMENT, or UNKNOWN from the
 * SQL visibility stores (the dev server's SQLite among them).
 */
export const CURSOR_REFUSAL_CODES: ReadonlySet<unknown> = new Set([2, 3]);

/** One page of the runs a visibility query selects; `enforcedCustomer` as {@link buildVisibilityQuery} takes it. */
export async function listMigrationRuns(client: Client, request: MigrationListRequest, enforcedCustomer: string | undefined): Promise<MigrationListResponse> {
  const { limit, cursor, ...filters } = request;
  let response: Awaited<ReturnType<Client['workflowService']['listWorkflowExecutions']>>;
  try {
    response = await client.workflowService.listWorkflowExecutions({
      namespace: client.options.namespace,
      query: buildVisibilityQuery(filters, enforcedCustomer),
      pageSize: limit,
      nextPageToken: cursor === undefined ? undefined : Buffer.from(cursor, 'base64url'),
    });
  } catch (error) {
    if (cursor !== undefined && CURSOR_REFUSAL_CODES.has((error as { code?: unknown }).code)) {
      throw refusals.invalid('The cursor is not valid.', [{ path: 'cursor', message: 'is not the nextCursor of this list, or it has expired' }]);
    }
    throw error;
  }
  const token = response.nextPageToken;
  return {
    items: response.executions.map(toMigrationSummary),
    nextCursor: token && token.length > 0 ? Buffer.from(token).toString('base64url') : null,
  };
}
