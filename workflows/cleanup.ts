/**
 * The clean-up of a run that Temporal closed (failed, terminated, timed out) before it could
 * undo what it had done: ops ask for it through the API, which reads what the closed run (and
 * the wave it was running) would have compensated. It undoes exactly that, newest first, with
 * the keys the run's own compensation uses (a repeat is answered by the provider's ledger), on
 * behalf of the closed run, so a resource another plan of the customer still uses is kept.
 */
import { proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { MigrationActivities } from '../activities';
import type { CleanupAction, CleanupView } from '../domain';
import { type CleanupInput, cleanupQuery, type Compensation } from './messages';
import { describeFailure, nowIso } from './run-state';
import { DEFAULT_TUNING, stepRetryPolicy } from './tuning';

function actionOf(compensation: Compensation): CleanupAction {
  const target = compensation.kind === 'delete' ? compensation.resourceId : compensation.workloadId;
  return { stepId: compensation.stepId, kind: compensation.kind, target, state: 'PENDING' };
}

export async function cleanupWorkflow(input: CleanupInput): Promise<CleanupView> {
  const tuning = { ...DEFAULT_TUNING, ...input.tuning };
  const provider = proxyActivities<MigrationActivities>({ startToCloseTimeout: tuning.stepTimeout, retry: stepRetryPolicy(tuning) });
  const undo = [...input.compensations].reverse();
  const view: CleanupView = {
    workflowId: workflowInfo().workflowId,
    state: 'RUNNING',
    requestedBy: input.requestedBy.subject,
    roles: [...input.requestedBy.roles],
    requestedAt: nowIso(),
    ...(input.reason ? { reason: input.reason } : {}),
    actions: undo.map(actionOf),
  };
  setHandler(cleanupQuery, () => view);

  for (const [index, compensation] of undo.entries()) {
    const action = view.actions[index]!;
    action.state = 'RUNNING';
    const idempotencyKey = `${input.runWorkflowId}/compensate/${compensation.stepId}/${compensation.kind}`;
    try {
      if (compensation.kind === 'delete') {
        const outcome = await provider.releaseRunResource({ idempotencyKey, type: compensation.resourceType as never, id: compensation.resourceId, usedBy: input.runWorkflowId });
        if (!outcome.deleted) action.detail = `kept: still used by ${outcome.stillUsedBy.join(', ')}`;
      } else if (compensation.kind === 'switch-back') {
        await provider.switchTraffic({ idempotencyKey, tenantId: input.tenantId, workloadId: compensation.workloadId, target: 'source' });
      } else {
        await provider.unfreezeSource({ idempotencyKey, tenantId: input.tenantId, workloadId: compensation.workloadId });
      }
      action.state = 'SUCCEEDED';
    } catch (error) {
      action.state = 'FAILED';
      action.detail = describeFailure(error).message;
    }
  }
  view.state = view.actions.some((action) => action.state === 'FAILED') ? 'FAILED' : 'SUCCEEDED';
  view.endedAt = nowIso();
  return view;
}
