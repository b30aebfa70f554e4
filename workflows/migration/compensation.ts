/**
 * Compensation: when a run is cancelled (or aborted after a failure), what it did is undone,
 * newest first: traffic back to the source, sources live again, resources deleted. Each undo is
 * idempotent; one that fails is recorded and the others still run.
 */
import { message, stepIds } from '../../domain';
import { describeFailure } from '../run-state';
import type { MigrationContext } from './context';

export async function compensate(context: MigrationContext): Promise<void> {
  const { compensations, run, status } = context;
  const { provider } = context.activities;
  if (compensations.length === 0) return;
  const undo = [...compensations].reverse();
  for (const action of undo) {
    const key = `${context.workflowId}/compensate/${action.stepId}/${action.kind}`;
    try {
      if (action.kind === 'delete') await provider.deleteResource({ idempotencyKey: key, type: action.resourceType as never, id: action.resourceId });
      else if (action.kind === 'switch-back') await provider.switchTraffic({ idempotencyKey: key, tenantId: status.resources[stepIds.tenant] ?? '', workloadId: action.workloadId, target: 'source' });
      else await provider.unfreezeSource({ idempotencyKey: key, tenantId: status.resources[stepIds.tenant] ?? '', workloadId: action.workloadId });
      const step = run.findStep(action.stepId);
      if (step && step.state === 'SUCCEEDED') run.setStepState(action.stepId, 'COMPENSATED');
    } catch (error) {
      const reason = describeFailure(error).message;
      run.record('COMPENSATION_FAILED', `Could not undo ${action.stepId} (${action.kind}): ${reason}`, action.stepId, message('COMPENSATION_FAILED', { stepId: action.stepId, kind: action.kind, error: reason }));
    }
  }
  compensations.length = 0;
}
