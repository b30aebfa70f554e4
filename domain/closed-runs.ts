/**
 * A run that Temporal closed without the workflow saying how it ended (a workflow failure, a
 * termination, a timeout, a cancellation of the execution): its last status still reads as it
 * was, RUNNING at 50 %, so every reader settles it against the execution's own state first.
 * Pure, so that the API, the list and the tests share one rule.
 */
import { isFinalStatus, type RunStatus } from './run';
import type { CleanupView, MigrationStatus } from './run-status';

/** The execution's state as Temporal describes it (`WorkflowExecutionStatus` names). */
export interface ExecutionState {
  /** RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, CONTINUED_AS_NEW, TIMED_OUT… */
  name: string;
  /** When Temporal closed it (ISO 8601), if it did. */
  closedAt?: string;
}

const CLOSED_BY_TEMPORAL: Readonly<Record<string, { status: RunStatus; reason: string }>> = {
  FAILED: { status: 'FAILED', reason: 'the workflow execution failed in Temporal' },
  TERMINATED: { status: 'FAILED', reason: 'the workflow execution was terminated in Temporal' },
  TIMED_OUT: { status: 'FAILED', reason: 'the workflow execution timed out in Temporal' },
  CANCELLED: { status: 'CANCELLED', reason: 'the workflow execution was cancelled in Temporal' },
};

/** How Temporal closed the execution, if it closed it without a final status of the run's own. */
export function closedByTemporal(execution: ExecutionState): { status: RunStatus; reason: string } | undefined {
  return CLOSED_BY_TEMPORAL[execution.name];
}

/**
 * The status as people must read it: unchanged while the execution runs or when the run ended
 * on its own terms; otherwise FAILED (CANCELLED for a cancelled execution) with the reason, its
 * running steps and waves FAILED, nothing waiting for anyone, and `updatedAt` moved to the close
 * so that followers see the change.
 */
export function settleClosedRun(status: MigrationStatus, execution: ExecutionState): MigrationStatus {
  const closed = closedByTemporal(execution);
  if (!closed || isFinalStatus(status.status)) return status;
  const at = execution.closedAt !== undefined && execution.closedAt > status.updatedAt ? execution.closedAt : status.updatedAt;
  const unfinished = (state: string) => state === 'RUNNING' || state === 'WAITING';
  return {
    ...status,
    status: closed.status,
    paused: false,
    attention: [],
    updatedAt: at,
    endedAt: at,
    outcome: { status: closed.status, reason: closed.reason },
    steps: status.steps.map((step) =>
      unfinished(step.state) ? { ...step, state: 'FAILED', endedAt: at, error: { message: closed.reason, attempts: 0, at } } : step,
    ),
    waves: status.waves.map((wave) => (unfinished(wave.state) ? { ...wave, state: 'FAILED' } : wave)),
  };
}

/**
 * Whether ops may clean up after the run: only a run that Temporal closed as FAILED (a workflow
 * failure, a termination, a timeout), whose own compensation never ran. A run still open is
 * cancelled instead; one that ended on its own terms (completed, rejected, cancelled) undid
 * what it had to. Undefined when allowed, otherwise why not.
 */
export function cleanupRefusal(execution: ExecutionState, status: Pick<MigrationStatus, 'status'>): string | undefined {
  if (execution.name === 'RUNNING') return 'The run is still open: cancel it, and it undoes what it did.';
  if (closedByTemporal(execution)?.status !== 'FAILED' || isFinalStatus(status.status)) {
    return `The run ended on its own terms (${isFinalStatus(status.status) ? status.status : execution.name}) and undid what it had to: there is nothing to clean up.`;
  }
  return undefined;
}

/**
 * The settled status with its clean-up: the clean-up itself, a line of the audit trail for the
 * ops who asked for it, and each step whose effect it undid COMPENSATED, as a cancellation shows it.
 */
export function withCleanup(status: MigrationStatus, cleanup: CleanupView): MigrationStatus {
  const undone = new Set(cleanup.actions.filter((action) => action.state === 'SUCCEEDED').map((action) => action.stepId));
  const audit = { at: cleanup.requestedAt, actor: cleanup.requestedBy, roles: cleanup.roles, action: 'CLEANUP', ...(cleanup.reason ? { comment: cleanup.reason } : {}) };
  return {
    ...status,
    cleanup,
    audit: [...status.audit, audit],
    ...(status.auditTotal !== undefined ? { auditTotal: status.auditTotal + 1 } : {}),
    steps: status.steps.map((step) => (undone.has(step.id) && step.state === 'SUCCEEDED' ? { ...step, state: 'COMPENSATED' } : step)),
  };
}
