import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { ClassificationReport, Plan, AssessmentReport } from '../domain';

/** Phases of a run, in order (DESIGN.md). */
export const PHASES = ['ASSESSMENT', 'CLASSIFICATION', 'AWAITING_APPROVAL', 'AWAITING_QUALIFICATION', 'PROVISIONING', 'CUTOVER', 'DONE'] as const;
export type Phase = (typeof PHASES)[number];

export const RUN_STATUSES = ['RUNNING', 'WAITING', 'NEEDS_ATTENTION', 'PAUSED', 'COMPLETED', 'REJECTED', 'CANCELLED', 'FAILED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINAL_STATUSES: readonly RunStatus[] = ['COMPLETED', 'REJECTED', 'CANCELLED', 'FAILED'];

export const STEP_STATES = ['PENDING', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'COMPENSATED'] as const;
export type StepState = (typeof STEP_STATES)[number];

/** Steps of one workload's cutover: replicate, freeze, final sync, validate, switch, smoke test. */
export const CUTOVER_STEPS_PER_WORKLOAD = 6;

export const APPROVAL_DECISIONS = ['APPROVE', 'REJECT', 'REQUEST_CHANGES'] as const;
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/**
 * The verified caller of a human decision. The API builds it from the token alone; the
 * workflow records it in the audit trail and checks it again in every validator.
 */
export interface Actor {
  subject: string;
  roles: ('consultant' | 'customer' | 'ops')[];
  customerId?: string;
  approverRoles: string[];
}

/**
 * Timeouts and retries of a run's steps. Production keeps the defaults; tests shorten them so
 * that a failure reaches NEEDS_ATTENTION in seconds.
 */
export interface RunTuning {
  /** Attempts of a provider step before it needs an operator. */
  stepMaxAttempts: number;
  retryInitialInterval: Duration;
  retryMaximumInterval: Duration;
  /** Start-to-close timeout of one provider call. */
  stepTimeout: Duration;
  /** A replication that stops heartbeating for this long is retried (a hung call, a dead worker). */
  heartbeatTimeout: Duration;
  /** How often a cutover wave reports its step changes to the run. */
  progressInterval: Duration;
  /** History length past which the run continues as new between waves. */
  continueAsNewAfterEvents: number;
}

export const DEFAULT_TUNING: RunTuning = {
  stepMaxAttempts: 5,
  retryInitialInterval: '1s',
  retryMaximumInterval: '30s',
  stepTimeout: '2m',
  heartbeatTimeout: '30s',
  progressInterval: '2s',
  continueAsNewAfterEvents: 8000,
};

/** Activity failure types that retrying cannot mend (the activities' and provider's named errors). */
export const NON_RETRYABLE_ERROR_TYPES = ['ProviderRejectedError', 'ProviderNotFoundError', 'InvalidPlanError', 'CheckFailedError'] as const;

export interface MigrationInput {
  plan: Plan;
  startedBy: Actor;
  tuning?: Partial<RunTuning>;
  /** State carried over by continue-as-new; absent on a fresh start. */
  carried?: MigrationSnapshot;
}

export interface StepError {
  message: string;
  type?: string;
  attempts: number;
  at: string;
}

export interface StepView {
  id: string;
  phase: Phase;
  title: string;
  state: StepState;
  startedAt?: string;
  endedAt?: string;
  /** 0..1 for long steps (replication). */
  progress?: number;
  error?: StepError;
  skippedReason?: string;
  workloadId?: string;
  waveId?: string;
}

export type ApprovalState = 'PENDING' | 'APPROVED' | 'REJECTED' | 'CHANGES_REQUESTED' | 'SUPERSEDED';

export interface ApprovalView {
  id: string;
  role: string;
  rules: string[];
  state: ApprovalState;
  /** Classification round that asked for it: an amended plan asks every approval again. */
  round: number;
  requestedAt: string;
  dueAt: string;
  remindedAt?: string;
  escalatedAt?: string;
  decision?: { decision: ApprovalDecision; comment?: string; by: string; at: string };
}

export interface TimelineEntry {
  at: string;
  kind: string;
  message: string;
  stepId?: string;
}

export interface AuditEntry {
  at: string;
  actor: string;
  roles: string[];
  action: string;
  target?: string;
  comment?: string;
}

export interface WaveView {
  id: string;
  index: number;
  workloadIds: string[];
  state: StepState;
}

export interface GateView {
  waitingFor: string[];
  lastCheckedAt?: string;
  checks: number;
  credentials?: { secnumcloud: string; hds: boolean };
}

export interface AttentionView {
  /** The step waiting for an operator (or the approval, for an overdue one: `approval.{id}`). */
  stepId: string;
  reason: 'STEP_FAILED' | 'APPROVAL_OVERDUE';
  message: string;
  since: string;
}

/** What the status query returns: everything a person needs to follow the run. */
export interface MigrationStatus {
  workflowId: string;
  planId?: string;
  customerId: string;
  customerName: string;
  phase: Phase;
  status: RunStatus;
  percentComplete: number;
  startedAt: string;
  updatedAt: string;
  endedAt?: string;
  startedBy: string;
  round: number;
  plan: Plan;
  assessment?: AssessmentReport;
  report?: ClassificationReport;
  approvals: ApprovalView[];
  gate?: GateView;
  steps: StepView[];
  waves: WaveView[];
  /** Everything that waits for an operator; the run is NEEDS_ATTENTION while this is not empty. */
  attention: AttentionView[];
  paused: boolean;
  timeline: TimelineEntry[];
  audit: AuditEntry[];
  resources: Record<string, string>;
  outcome?: { status: RunStatus; reason?: string };
}

/** What continue-as-new carries: the status itself plus bookkeeping. */
export interface MigrationSnapshot {
  status: MigrationStatus;
  /** What to undo on abort, in the order it was done. */
  compensations: Compensation[];
}

/** One action that undoes a step's effect at the provider. */
export type Compensation =
  | { kind: 'delete'; stepId: string; resourceType: string; resourceId: string }
  | { kind: 'switch-back'; stepId: string; workloadId: string }
  | { kind: 'unfreeze'; stepId: string; workloadId: string };

export interface DecideApprovalInput {
  approvalId: string;
  decision: ApprovalDecision;
  comment?: string;
  actor: Actor;
}

export interface AmendPlanInput {
  plan: Plan;
  actor: Actor;
  comment?: string;
}

export interface ExtendDeadlineInput {
  approvalId?: string;
  /** ISO 8601 duration added from now. */
  extendBy: string;
  actor: Actor;
}

export interface StepActionInput {
  stepId: string;
  actor: Actor;
  reason?: string;
}

export interface OperatorInput {
  actor: Actor;
  reason?: string;
}

/** What a cutover wave (child workflow) reports to its run. */
export interface WaveProgress {
  waveId: string;
  steps: StepView[];
  /** Steps of the wave that failed and wait for an operator. */
  attention: AttentionView[];
}

/** An operator's decision forwarded by the run to one of its waves. */
export interface WaveControl {
  action: 'retry' | 'skip' | 'pause' | 'resume';
  stepId?: string;
  reason?: string;
}

export const statusQuery = defineQuery<MigrationStatus>('status');
export const decideApprovalUpdate = defineUpdate<ApprovalView, [DecideApprovalInput]>('decideApproval');
export const amendPlanUpdate = defineUpdate<MigrationStatus, [AmendPlanInput]>('amendPlan');
export const extendDeadlineUpdate = defineUpdate<ApprovalView[], [ExtendDeadlineInput]>('extendDeadline');
export const retryStepUpdate = defineUpdate<StepView, [StepActionInput]>('retryStep');
export const skipStepUpdate = defineUpdate<StepView, [StepActionInput]>('skipStep');
export const pauseUpdate = defineUpdate<MigrationStatus, [OperatorInput]>('pause');
export const resumeUpdate = defineUpdate<MigrationStatus, [OperatorInput]>('resume');
/** Cancel, or abort after a failure: compensates what was done, then ends the run CANCELLED. */
export const cancelUpdate = defineUpdate<MigrationStatus, [OperatorInput]>('cancel');
/** Tells the regulatory gate that the provider's qualification may have changed. */
export const qualificationChangedSignal = defineSignal('qualificationChanged');
export const waveProgressSignal = defineSignal<[WaveProgress]>('waveProgress');
export const waveControlSignal = defineSignal<[WaveControl]>('waveControl');

/** Failure types a run can end with (ApplicationFailure.type), one shared list. */
export const FAILURE_TYPES = {
  invalidPlan: 'InvalidPlan',
  /** Update refusals (validators): the API maps each to an HTTP status. */
  notFound: 'NotFound',
  forbidden: 'Forbidden',
  conflict: 'Conflict',
  invalid: 'Invalid',
} as const;
export type FailureType = (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES];

/** The workflow id of a run: a prefix and the plan's id or the request's idempotency key. */
export function migrationWorkflowId(key: string): string {
  return `migration-${key}`;
}
