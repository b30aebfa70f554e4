import { createHash, randomUUID } from 'node:crypto';
import { type Client, WorkflowExecutionAlreadyStartedError, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { type Actor, migrationWorkflowId, type Plan } from '../domain';
import type { migrationWorkflow } from '../workflows';
import type { MigrationInput } from '../workflows/messages';
import type { RunTuning } from '../workflows/tuning';
import { CUSTOMER_ID, NEEDS_ATTENTION, PHASE, RUN_STATUS } from '../workflows/search-attributes';
import { refusals } from './application-error';

/** The workflow type every run is started as; lists filter on it. */
export const MIGRATION_WORKFLOW_TYPE = 'migrationWorkflow';

/** A run's workflow handle, typed by the migration workflow; it follows the run across continue-as-new. */
export type MigrationRunHandle = WorkflowHandleWithFirstExecutionRunId<typeof migrationWorkflow>;

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

/** What starting a run needs. */
export interface StartMigrationRunRequest {
  /** A plan validated by the domain (defaults applied). */
  plan: Plan;
  /** The verified caller, as the run's audit trail records it. */
  startedBy: Actor;
  /** Names the run when the plan has no `planId`. */
  idempotencyKey?: string;
  /** The task queue the workers poll. */
  taskQueue: string;
  /** Step timeouts and retries; production keeps the workflow's defaults. */
  tuning?: Partial<RunTuning>;
  /** Kept in the run's memo beside the plan's hash, such as the draft the run was started from. */
  memo?: Record<string, string>;
}

/** A started run: `created` is false when the same plan under the same id had already started it. */
export interface StartedMigrationRun {
  id: string;
  created: boolean;
  handle: MigrationRunHandle;
}

/**
 * Starts a run, idempotently, as every caller must (the API, scripts, tests and benchmarks):
 * the workflow id comes from the plan's `planId`, else from `idempotencyKey`, with the search
 * attributes that lists query and the plan's hash in the memo. The same id twice gives the same
 * run, even when the starts race (USE_EXISTING) or the run has ended (REJECT_DUPLICATE); the
 * same id with a different plan is a conflict.
 */
export async function startMigrationRun(client: Client, request: StartMigrationRunRequest): Promise<StartedMigrationRun> {
  const { plan, startedBy, taskQueue, tuning } = request;
  const key = plan.planId ?? request.idempotencyKey;
  if (key === undefined) throw refusals.invalid('A start needs a planId or an idempotency key.', [{ path: 'planId', message: 'is required' }]);
  const id = migrationWorkflowId(key);
  const planHash = hashPlan(plan);
  const startRequestId = randomUUID();
  const input: MigrationInput = { plan, startedBy, ...(tuning ? { tuning } : {}) };
  let started: MigrationRunHandle | undefined;
  try {
    started = await client.workflow.start<typeof migrationWorkflow>(MIGRATION_WORKFLOW_TYPE, {
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
      memo: { ...request.memo, planHash, startRequestId },
    });
  } catch (error) {
    // REJECT_DUPLICATE: a closed run holds the id; it is still "the same run" if the plan matches.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  const description = await client.workflow.getHandle(id).describe();
  const memo = description.memo ?? {};
  if (description.type !== MIGRATION_WORKFLOW_TYPE || memo.planHash !== planHash) {
    throw refusals.conflict(`Migration ${id} already exists with a different plan; send the same plan, or another planId or Idempotency-Key.`);
  }
  const firstExecutionRunId = started?.firstExecutionRunId ?? description.raw.workflowExecutionInfo?.firstRunId ?? description.runId;
  const handle = started ?? Object.assign(client.workflow.getHandle<typeof migrationWorkflow>(id, undefined, { firstExecutionRunId }), { firstExecutionRunId });
  return { id, created: memo.startRequestId === startRequestId, handle };
}
