/**
 * A run that Temporal closed without the workflow saying how it ended (a workflow failure, a
 * termination, a timeout, a cancellation of the execution): its last status still reads as it
 * was, RUNNING at 50 %, so every reader settles it against the execution's own state first.
 * Pure, so that the API, the list and the tests share one rule.
 */
import { isFinalStatus, type RunStatus } from './run';
import type { MigrationStatus } from './run-status';

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
