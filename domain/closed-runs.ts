/**
 * A run that Temporal closed without the workflow saying how it ended (a workflow failure, a
 * termination, a timeout, a cancellation of the execution): its last status still reads as it
 * was, RUNNING at 50 %, so every reader settles it against the execution's own state first.
 * Pure, so that the API, the list and the tests share one rule.
 */
import { isFinalStatus, type RunStatus, type StepState } from './run';
import { type MigrationOverview, OVERVIEW_LATEST_ENTRIES } from './run-overview';
import type { WorkloadOutcome } from './run-report';
import type { AuditEntry, CleanupView, MigrationStatus, StepView } from './run-status';

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

/** Steps as their run's clean-up left them: each one whose effect it undid COMPENSATED. */
export function withCleanupSteps(steps: StepView[], cleanup: CleanupView): StepView[] {
  const undone = new Set(cleanup.actions.filter((action) => action.state === 'SUCCEEDED').map((action) => action.stepId));
  return steps.map((step) => (undone.has(step.id) && step.state === 'SUCCEEDED' ? { ...step, state: 'COMPENSATED' } : step));
}

/** The line of the audit trail a clean-up adds: the ops who asked for it, and why. */
export function cleanupAuditEntry(cleanup: CleanupView): AuditEntry {
  return { at: cleanup.requestedAt, actor: cleanup.requestedBy, roles: cleanup.roles, action: 'CLEANUP', ...(cleanup.reason ? { comment: cleanup.reason } : {}) };
}

/**
 * The settled status with its clean-up: the clean-up itself, a line of the audit trail for the
 * ops who asked for it, and each step whose effect it undid COMPENSATED, as a cancellation shows it.
 */
export function withCleanup(status: MigrationStatus, cleanup: CleanupView): MigrationStatus {
  const audit = cleanupAuditEntry(cleanup);
  return {
    ...status,
    cleanup,
    audit: [...status.audit, audit],
    ...(status.auditTotal !== undefined ? { auditTotal: status.auditTotal + 1 } : {}),
    steps: withCleanupSteps(status.steps, cleanup),
  };
}

/** Counts by state with the unfinished ones (RUNNING, WAITING) moved to FAILED. */
function settleCounts<Counts extends { byState: Record<StepState, number> }>(counts: Counts): Counts {
  const { RUNNING, WAITING, FAILED } = counts.byState;
  return { ...counts, byState: { ...counts.byState, RUNNING: 0, WAITING: 0, FAILED: FAILED + RUNNING + WAITING } };
}

/** {@link settleClosedRun} for the run's overview: the same rule, applied to its counts. */
export function settleClosedOverview(overview: MigrationOverview, execution: ExecutionState): MigrationOverview {
  const closed = closedByTemporal(execution);
  if (!closed || isFinalStatus(overview.status)) return overview;
  const at = execution.closedAt !== undefined && execution.closedAt > overview.updatedAt ? execution.closedAt : overview.updatedAt;
  return {
    ...overview,
    status: closed.status,
    paused: false,
    attention: [],
    attentionTotal: 0,
    updatedAt: at,
    endedAt: at,
    outcome: { status: closed.status, reason: closed.reason },
    steps: settleCounts(overview.steps),
    phases: overview.phases.map(settleCounts),
    waves: {
      ...overview.waves,
      byState: settleCounts({ byState: overview.waves.byState }).byState,
      active: overview.waves.active.map((wave) => ({ ...settleCounts(wave), state: wave.state === 'RUNNING' || wave.state === 'WAITING' ? 'FAILED' : wave.state })),
    },
  };
}

/** {@link settleClosedRun} for one step of a page. */
export function settleClosedStep(step: StepView, execution: ExecutionState): StepView {
  const closed = closedByTemporal(execution);
  if (!closed || (step.state !== 'RUNNING' && step.state !== 'WAITING')) return step;
  const at = execution.closedAt ?? step.startedAt ?? new Date(0).toISOString();
  return { ...step, state: 'FAILED', endedAt: at, error: { message: closed.reason, attempts: 0, at } };
}

/** {@link settleClosedRun} for one wave of a page: an unfinished wave of a closed run failed. */
export function settleClosedWave<Wave extends { state: StepState }>(wave: Wave, execution: ExecutionState): Wave {
  if (!closedByTemporal(execution) || (wave.state !== 'RUNNING' && wave.state !== 'WAITING')) return wave;
  return { ...wave, state: 'FAILED' };
}

/**
 * {@link settleClosedRun} for one workload of a page: a workload still PENDING when Temporal
 * closed the run was not migrated, for the reason the close gives (one whose step was running
 * reads so too, where the whole status would say FAILED through its settled step).
 */
export function settleClosedWorkload<Workload extends { outcome: WorkloadOutcome; reason?: string }>(workload: Workload, execution: ExecutionState): Workload {
  const closed = closedByTemporal(execution);
  if (!closed || workload.outcome !== 'PENDING') return workload;
  return { ...workload, outcome: 'NOT_MIGRATED', reason: closed.reason };
}

/** {@link withCleanup} for the run's overview: the clean-up, its audit line, and the steps it undid counted COMPENSATED. */
export function withCleanupOverview(overview: MigrationOverview, cleanup: CleanupView): MigrationOverview {
  const undone = cleanup.actions.filter((action) => action.state === 'SUCCEEDED');
  const phaseOf = (stepId: string) => (stepId.startsWith('cutover.') ? 'CUTOVER' : 'PROVISIONING');
  const moved = (counts: { byState: Record<StepState, number> }, how: number) => ({
    ...counts.byState,
    SUCCEEDED: Math.max(0, counts.byState.SUCCEEDED - how),
    COMPENSATED: counts.byState.COMPENSATED + Math.min(how, counts.byState.SUCCEEDED),
  });
  const audit = cleanupAuditEntry(cleanup);
  return {
    ...overview,
    cleanup,
    audit: [...overview.audit, audit].slice(-OVERVIEW_LATEST_ENTRIES),
    auditTotal: overview.auditTotal + 1,
    steps: { ...overview.steps, byState: moved(overview.steps, undone.length) },
    phases: overview.phases.map((phase) => ({ ...phase, byState: moved(phase, undone.filter((action) => phaseOf(action.stepId) === phase.phase).length) })),
  };
}
