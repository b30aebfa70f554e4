/**
 * The queries, updates and signals of a migration run and of its cutover waves, with their
 * input types. The run's vocabulary and views live in domain/ (run.ts, run-status.ts).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  Actor,
  ApprovalDecision,
  ApprovalView,
  AttentionView,
  CleanupView,
  CutoverSchedule,
  Derogation,
  EstateGraph,
  EstateGraphRequest,
  MigrationOverview,
  MigrationStatus,
  PackedSteps,
  ReportSectionAsk,
  ReportSectionRead,
  Plan,
  PositionedPage,
  RehearsalDecision,
  RehearsalView,
  ResidualRisk,
  RunCollection,
  RunPageRequest,
  RunRiskRegister,
  StepView,
  WaveWindowView,
} from '../domain';
import type { RunTuning } from './tuning';

/** The input of a migration run. */
export interface MigrationInput {
  plan: Plan;
  startedBy: Actor;
  tuning?: Partial<RunTuning>;
  /** State carried over by continue-as-new; absent on a fresh start. */
  carried?: MigrationSnapshot;
}

/**
 * The status as continue-as-new carries it. A compact snapshot (`packedSteps` set) leaves out
 * the plan, which travels once as the input's, and the steps, packed beside it.
 */
export type CarriedStatus = Omit<MigrationStatus, 'plan' | 'steps'> & Partial<Pick<MigrationStatus, 'plan' | 'steps'>>;

/** What continue-as-new carries: the status itself plus bookkeeping. */
export interface MigrationSnapshot {
  status: CarriedStatus;
  /** The steps, cutover steps as tuples (domain/carried-steps.ts); absent in runs carried before compact snapshots, whose status holds them. */
  packedSteps?: PackedSteps;
  /** What to undo on abort, in the order it was done. */
  compensations: Compensation[];
  /** Parent steps that failed and wait for an operator's retry or skip (absent in runs carried before bounded waits). */
  operatorDecisionsPending?: string[];
  /** Operators' decisions given but not yet taken in, by step id. */
  operatorDecisions?: Array<{ stepId: string; action: 'retry' | 'skip'; reason?: string }>;
  /** True for a chain started since the gate applies per landing zone (absent: the whole-plan gate). */
  gatePerZone?: boolean;
  /** True for a chain started since the run keeps its residual-risk register (workflows/migration/risks.ts). */
  riskRegister?: boolean;
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
  /** Why, for the audit trail (a batch's id and reason, say). */
  reason?: string;
}

/** A derogation request (R10): for one zone of the plan, saying why. */
export interface RequestDerogationInput {
  zoneId: string;
  reason: string;
  actor: Actor;
}

/** The homologation authority's grant of a requested derogation (R10). */
export interface GrantDerogationInput {
  zoneId: string;
  justification: string;
  compensatingMeasures: string[];
  /** ISO 8601 date-time, at most 18 months after the grant. */
  expiresAt: string;
  actor: Actor;
}

/** The one renewal of a derogation (R10): measures replace the earlier ones when given. */
export interface RenewDerogationInput {
  zoneId: string;
  justification: string;
  compensatingMeasures?: string[];
  /** ISO 8601 date-time, at most 12 months after the current expiry. */
  expiresAt: string;
  actor: Actor;
}

/** A refusal or revocation by the homologation authority, or an operator's decision after a lapse: always saying why. */
export interface DerogationCommentInput {
  zoneId: string;
  comment: string;
  actor: Actor;
}

/** An owner's acceptance of open residual risks: each must be OPEN and owned by a role the actor holds. */
export interface AcceptRisksInput {
  riskIds: string[];
  comment?: string;
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
  /** Where the wave stands with its cutover window (absent when the plan has none). */
  window?: WaveWindowView;
  /** The wave's rehearsal (absent when the wave does not rehearse). */
  rehearsal?: RehearsalView;
}

/** An operator's decision forwarded by the run to one of its waves. */
export interface WaveControl {
  action: 'retry' | 'skip' | 'pause' | 'resume' | 'open-window' | 'rehearsal-decision';
  stepId?: string;
  reason?: string;
  /** The exceptional window ops opened (`open-window`). */
  window?: { opensAt: string; closesAt: string };
  /** The customer's decision on the wave's rehearsal (`rehearsal-decision`), with the verified actor's subject. */
  rehearsal?: { decision: RehearsalDecision; by: string; at: string; comment?: string };
}

/** The customer's approver confirms a wave's rehearsal, or reports a problem with it (saying what). */
export interface DecideRehearsalInput {
  waveId: string;
  decision: RehearsalDecision;
  comment?: string;
  actor: Actor;
}

/** Ops open a cutover window outside the plan's, for one wave or every wave. */
export interface OpenCutoverWindowInput {
  actor: Actor;
  /** Every wave when absent. */
  waveId?: string;
  /** Now when absent. */
  opensAt?: string;
  closesAt: string;
  reason: string;
}

export const statusQuery = defineQuery<MigrationStatus>('status');
/** The run at a glance, whose size does not depend on its estate (domain/run-overview.ts). */
export const overviewQuery = defineQuery<MigrationOverview>('overview');
/** The head of the run's assessment or classification, or a page of one of their lists (domain/report-sections.ts): what the report streams. */
export const reportSectionQuery = defineQuery<ReportSectionRead, [ReportSectionAsk]>('reportSection');
/** One page of one of the run's collections (steps, workloads, waves, timeline, audit). */
export const pageQuery = defineQuery<PositionedPage<unknown>, [RunCollection, RunPageRequest]>('page');
export const decideApprovalUpdate = defineUpdate<ApprovalView, [DecideApprovalInput]>('decideApproval');
/** Replaces the plan before provisioning; answers the run's overview (bounded, whatever the estate). */
export const amendPlanUpdate = defineUpdate<MigrationOverview, [AmendPlanInput]>('amendPlan');
export const extendDeadlineUpdate = defineUpdate<ApprovalView[], [ExtendDeadlineInput]>('extendDeadline');
export const retryStepUpdate = defineUpdate<StepView, [StepActionInput]>('retryStep');
export const skipStepUpdate = defineUpdate<StepView, [StepActionInput]>('skipStep');
/** Pause and resume answer the run's overview. */
export const pauseUpdate = defineUpdate<MigrationOverview, [OperatorInput]>('pause');
export const resumeUpdate = defineUpdate<MigrationOverview, [OperatorInput]>('resume');
/** Cancel, or abort after a failure: compensates what was done, then ends the run CANCELLED. Answers the run's overview as the cancel found it. */
export const cancelUpdate = defineUpdate<MigrationOverview, [OperatorInput]>('cancel');
/** Derogations (R10): each answers the derogation as it now stands. */
export const requestDerogationUpdate = defineUpdate<Derogation, [RequestDerogationInput]>('requestDerogation');
export const grantDerogationUpdate = defineUpdate<Derogation, [GrantDerogationInput]>('grantDerogation');
export const refuseDerogationUpdate = defineUpdate<Derogation, [DerogationCommentInput]>('refuseDerogation');
export const renewDerogationUpdate = defineUpdate<Derogation, [RenewDerogationInput]>('renewDerogation');
export const revokeDerogationUpdate = defineUpdate<Derogation, [DerogationCommentInput]>('revokeDerogation');
/** An operator's decision after a derogation expired or was revoked: the run needs no more attention for it. */
export const acknowledgeDerogationLapseUpdate = defineUpdate<Derogation, [DerogationCommentInput]>('acknowledgeDerogationLapse');
/** An owner accepts open residual risks (audited); answers the risks as they now stand. */
export const acceptRisksUpdate = defineUpdate<ResidualRisk[], [AcceptRisksInput]>('acceptRisks');
/** The run's residual-risk register (domain/run-risks.ts, registerOfRun): what `GET /v1/migrations/{id}/risks` serves. */
export const riskRegisterQuery = defineQuery<RunRiskRegister>('riskRegister');
/** The run's dependency graph, grouped by wave or zone (domain/estate-pictures.ts): what `GET /v1/migrations/{id}/graph` serves. */
export const estateGraphQuery = defineQuery<EstateGraph, [EstateGraphRequest]>('estateGraph');
/** The run's waves against its cutover windows at the instant given (epoch ms): what `GET /v1/migrations/{id}/schedule` serves. */
export const cutoverScheduleQuery = defineQuery<CutoverSchedule, [number]>('cutoverSchedule');
/** Ops open an exceptional cutover window (audited); answers the run's overview. */
export const openCutoverWindowUpdate = defineUpdate<MigrationOverview, [OpenCutoverWindowInput]>('openCutoverWindow');
/** The customer's approver decides a wave's rehearsal (audited); answers the rehearsal as it now stands. */
export const decideRehearsalUpdate = defineUpdate<RehearsalView, [DecideRehearsalInput]>('decideRehearsal');
/** Tells the regulatory gate that the provider's qualification may have changed. */
export const qualificationChangedSignal = defineSignal('qualificationChanged');
export const waveProgressSignal = defineSignal<[WaveProgress]>('waveProgress');
export const waveControlSignal = defineSignal<[WaveControl]>('waveControl');
/** What a run (or a running wave) would still undo: what a clean-up of the closed run undoes. */
export const compensationsQuery = defineQuery<Compensation[]>('compensations');

/** The input of a clean-up of a run that Temporal closed (workflows/cleanup.ts). */
export interface CleanupInput {
  /** The closed run's workflow id: the plan on whose behalf its resources were provisioned. */
  runWorkflowId: string;
  tenantId: string;
  /** What the run had done and not undone, oldest first (the run's and its running wave's). */
  compensations: Compensation[];
  requestedBy: Actor;
  reason?: string;
  tuning?: Partial<RunTuning>;
}

/** A clean-up's progress and outcome. */
export const cleanupQuery = defineQuery<CleanupView>('cleanup');
