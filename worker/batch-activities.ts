/**
 * The activity of fleet operations (workflows/batch.ts): it applies a batch's operation to one
 * run by sending that run's own Update, the one an operator sends to a single run through the
 * API, so the run's validator decides with the same verified actor and the run's audit trail
 * records it. It lives with the worker because it needs a Temporal client and the runs' Update
 * definitions (workflows/messages.ts), which activities/ sits below.
 */
import { type Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { maySeeRun, stepIds, stepOperationOf } from '../domain';
import type { BatchActivities, BatchRunRequest, BatchRunResult } from '../workflows/batch-messages';
import { extendDeadlineUpdate, overviewQuery, pauseUpdate, resumeUpdate, retryStepUpdate } from '../workflows/messages';
import { CUSTOMER_ID } from '../workflows/search-attributes';

/** The workflow type of a migration run (use-cases/start-migration-run.ts names it for starts). */
const MIGRATION_WORKFLOW_TYPE = 'migrationWorkflow';

/** A refusal by the run's validator (or handler): an outcome in the run's own words, not an error to retry. */
function refusalOf(error: unknown): string | undefined {
  return error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure ? error.cause.message : undefined;
}

/** The batch activities over a Temporal client of the worker's namespace, with the worker's payload codec. */
export function createBatchActivities({ client }: { client: Client }): BatchActivities {
  async function retryFailedSteps(request: BatchRunRequest): Promise<BatchRunResult> {
    const handle = client.workflow.getHandle(request.runId);
    const overview = await handle.query(overviewQuery);
    const failed = overview.attention
      .filter((item) => item.reason === 'STEP_FAILED' && (request.operation === undefined || stepOperationOf(item.stepId) === request.operation))
      .map((item) => item.stepId);
    if (failed.length === 0) {
      return { outcome: 'REFUSED', detail: `No failed step${request.operation ? ` of operation ${request.operation}` : ''} waits for an operator.` };
    }
    const steps: string[] = [];
    const refusals: string[] = [];
    for (const stepId of failed) {
      try {
        await handle.executeUpdate(retryStepUpdate, { args: [{ stepId, actor: request.actor, reason: request.comment }] });
        steps.push(stepId);
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal === undefined) throw error;
        refusals.push(`${stepId}: ${refusal}`);
      }
    }
    if (steps.length === 0) return { outcome: 'REFUSED', detail: refusals.join(' ') };
    return { outcome: 'DONE', steps, ...(refusals.length > 0 ? { detail: refusals.join(' ') } : {}) };
  }

  async function applyToRun(request: BatchRunRequest): Promise<BatchRunResult> {
    const handle = client.workflow.getHandle(request.runId);
    const input = { actor: request.actor, reason: request.comment };
    switch (request.action) {
      case 'retry-failed-steps':
        return await retryFailedSteps(request);
      case 'pause':
        await handle.executeUpdate(pauseUpdate, { args: [input] });
        return { outcome: 'DONE' };
      case 'resume':
        await handle.executeUpdate(resumeUpdate, { args: [input] });
        return { outcome: 'DONE' };
      case 'extend-deadlines': {
        const approvals = await handle.executeUpdate(extendDeadlineUpdate, { args: [{ ...input, extendBy: request.extendBy ?? '' }] });
        if (approvals.length === 0) return { outcome: 'REFUSED', detail: 'No approval of the current round is pending.' };
        return { outcome: 'DONE', steps: approvals.map((approval) => stepIds.approval(approval.id)) };
      }
    }
  }

  return {
    async applyBatchAction(request) {
      try {
        const description = await client.workflow.getHandle(request.runId).describe();
        // The same rule as every read of a run: a run the actor may not see is answered as missing.
        if (description.type !== MIGRATION_WORKFLOW_TYPE || !maySeeRun(request.actor, description.typedSearchAttributes.get(CUSTOMER_ID))) {
          return { outcome: 'NOT_FOUND', detail: 'No such migration.' };
        }
        if (description.status.name !== 'RUNNING') return { outcome: 'REFUSED', detail: `The run has ended (${description.status.name}).` };
        return await applyToRun(request);
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return { outcome: 'NOT_FOUND', detail: 'No such migration.' };
        const refusal = refusalOf(error);
        if (refusal !== undefined) return { outcome: 'REFUSED', detail: refusal };
        throw error;
      }
    },
  };
}
