/**
 * The state one migration run shares between its phases and its handlers: the status, what
 * waits for an operator, what to undo, and the small rules every module reads (is the run
 * final, may the plan still change, what status follows from the state).
 */
import { ActivityCancellationType, ApplicationFailure, CancellationScope, isCancellation, patched, proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { MigrationActivities } from '../../activities';
import {
  type Action,
  type Actor,
  type ApprovalView,
  type AttentionView,
  derogationsNeedingAttention,
  FAILURE_TYPES,
  forbiddenMessage,
  message,
  isAmendablePhase,
  isFinalStatus,
  mayPerform,
  type MigrationStatus,
  packSteps,
  unpackSteps,
  renderMessage,
  resolveSettingDurations,
  type RunStatus,
  stepIds,
} from '../../domain';
import type { Compensation, MigrationInput, MigrationSnapshot } from '../messages';
import { describeFailure, initialStatus, RunState } from '../run-state';
import { DEFAULT_TUNING, type RunTuning, stepRetryPolicy } from '../tuning';
import { COMPACT_SNAPSHOTS, LATER_PATCHES, type LaterPatch, PATCHES_AT_START } from './patches';

/** The activities of a run, each proxy with the timeouts and retries its kind of call needs. */
function activitiesFor(tuning: RunTuning, cancelWaitsForProvider: boolean) {
  const retry = stepRetryPolicy(tuning);
  const cancellationType = cancelWaitsForProvider ? ActivityCancellationType.WAIT_CANCELLATION_COMPLETED : ActivityCancellationType.TRY_CANCEL;
  return {
    analysis: proxyActivities<MigrationActivities>({
      startToCloseTimeout: '1m',
      retry: { ...retry, maximumAttempts: 3 },
    }),
    notifications: proxyActivities<MigrationActivities>({ startToCloseTimeout: '15s', retry: { ...retry, maximumAttempts: 3 } }),
    provider: proxyActivities<MigrationActivities>({ startToCloseTimeout: tuning.stepTimeout, retry, cancellationType }),
    /** The gate's check of the provider's credentials: a cheap read, a local activity (one marker event per check). */
    checks: proxyLocalActivities<MigrationActivities>({ startToCloseTimeout: '30s', retry: { ...retry, maximumAttempts: 3 } }),
  };
}

/** What a notification says; the run adds its workflow id and customer. */
export type RunNotification = Omit<Parameters<MigrationActivities['notify']>[0], 'workflowId' | 'customerId'>;

/** Refuses an update: the validator's failure type says which HTTP status the API answers. */
export function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Refuses `action` unless the permission table (domain/permissions.ts) allows it to the actor. */
export function requirePermission(actor: Actor, action: Action): void {
  if (!mayPerform(actor.roles, action)) refuse(FAILURE_TYPES.forbidden, forbiddenMessage(actor.roles, action));
}

/**
 * Runs started before bounded waits neither continue as new while they wait nor check the gate
 * by local activity; their recorded histories replay as they ran (test/replay).
 */
const BOUNDED_WAITS = 'bounded-waits';

/**
 * Runs started since the gate applies per landing zone (R9, workflows/migration/zones.ts); runs
 * started before keep the whole-plan gate, also in the runs their chain continues as new into.
 */
const GATE_PER_ZONE = 'gate-per-zone';

/**
 * Runs started before message codes write English sentences only; since, the timeline,
 * attention and outcome also carry a message code that readers render in their language.
 */
const MESSAGE_CODES = 'message-codes';

/**
 * Runs started since the run keeps its residual-risk register (workflows/migration/risks.ts):
 * derived from the classification and kept up to date, accepted on homologation or by owners,
 * and checked before each wave. Runs started before derive it at read time and hold no wave.
 */
const RISK_REGISTER = 'risk-register';

/**
 * Runs started since fleet operations publish the operations of their failed steps as a search
 * attribute (`FAILED_OPERATIONS`); runs started before replay without those upserts.
 */
const FAILED_OPERATIONS = 'failed-operations';

/**
 * Runs started since a cancellation waits for the provider call in flight to finish (or to
 * confirm its cancellation), so that a tenant or zone it created is undone with the rest; runs
 * started before stopped waiting for it at once and could leave it behind.
 */
const CANCEL_WAITS_FOR_PROVIDER = 'cancel-waits-for-provider';

/** The status a run of the chain starts from: the carried one, whole again, or a fresh one. */
function startingStatus(input: MigrationInput): MigrationStatus {
  const carried = input.carried;
  if (!carried) return initialStatus(input);
  const { plan, steps, ...rest } = carried.status;
  if (carried.packedSteps === undefined) return { ...rest, plan: plan ?? input.plan, steps: steps ?? [] };
  const frame = { plan: input.plan, waves: rest.waves, startedAt: rest.startedAt };
  return { ...rest, plan: input.plan, steps: unpackSteps(carried.packedSteps, frame) };
}

/** One run's shared state. Every phase module and handler receives it. */
export class MigrationContext {
  readonly tuning: RunTuning;
  readonly activities: ReturnType<typeof activitiesFor>;
  readonly run: RunState;
  readonly status: MigrationStatus;
  readonly workflowId = workflowInfo().workflowId;
  /** What to undo on abort, in the order it was done. */
  readonly compensations: Compensation[];
  /** Operators' decisions on failed parent steps, by step id. */
  readonly operatorDecisions = new Map<string, { action: 'retry' | 'skip'; reason?: string }>();
  /** Parent steps that failed and wait for an operator's retry or skip. */
  readonly operatorDecisionsPending = new Set<string>();
  /** What each running wave reported as waiting for an operator. */
  readonly waveAttention = new Map<string, AttentionView[]>();
  /** The run's body: cancelling it compensates and ends the run CANCELLED. */
  readonly main = new CancellationScope();
  /** Counts every change a wait may react to (a decision, a report, a control). */
  changes = 0;
  qualificationSignals = 0;
  /** Counts changes to the derogations, so that their expiry timer is set again. */
  derogationChanges = 0;
  /** True while an amended plan is being classified. */
  amending = false;
  cancelRequest: { actor: Actor; reason?: string } | undefined;
  runningWaveWorkflowId: string | undefined;
  /** Whether long waits continue as new (workflows/migration/continuation.ts); false when replaying older runs. */
  readonly boundedWaits: boolean;
  /** Whether the gate applies per landing zone; decided when the chain starts and carried across continue-as-new. */
  readonly gatePerZone: boolean;
  /** Whether the run keeps its residual-risk register; decided when the chain starts and carried across continue-as-new. */
  readonly riskRegister: boolean;
  /** The later patches' answers, asked in the run's first task; undefined in runs recorded before (workflows/migration/patches.ts). */
  private readonly patchesAtStart: ReadonlyMap<LaterPatch, boolean> | undefined;

  constructor(readonly input: MigrationInput) {
    this.tuning = { ...DEFAULT_TUNING, ...input.tuning };
    this.run = new RunState(startingStatus(input));
    this.status = this.run.status;
    this.compensations = [...(input.carried?.compensations ?? [])];
    for (const stepId of input.carried?.operatorDecisionsPending ?? []) this.operatorDecisionsPending.add(stepId);
    for (const { stepId, ...decision } of input.carried?.operatorDecisions ?? []) this.operatorDecisions.set(stepId, decision);
    this.boundedWaits = patched(BOUNDED_WAITS);
    this.gatePerZone = input.carried ? input.carried.gatePerZone === true : patched(GATE_PER_ZONE);
    this.riskRegister = input.carried ? input.carried.riskRegister === true : patched(RISK_REGISTER);
    this.run.messageCodes = patched(MESSAGE_CODES);
    this.run.publishesFailedOperations = patched(FAILED_OPERATIONS);
    this.activities = activitiesFor(this.tuning, patched(CANCEL_WAITS_FOR_PROVIDER));
    this.patchesAtStart = patched(PATCHES_AT_START) ? new Map(LATER_PATCHES.map((patch) => [patch, patched(patch)])) : undefined;
    const first = this.status.timeline[0];
    if (!input.carried && first?.kind === 'STARTED') Object.assign(first, this.run.coded(message('RUN_STARTED', { actor: input.startedBy.subject })));
  }

  /**
   * Whether the run takes the path a later patch added: the answer asked in the first task in
   * runs started since {@link PATCHES_AT_START}, `patched()` where it is used in runs recorded
   * before, so that each replays as it ran.
   */
  patched(patch: LaterPatch): boolean {
    return this.patchesAtStart ? this.patchesAtStart.get(patch) === true : patched(patch);
  }

  /**
   * Everything continue-as-new carries to the next run of the chain, and the plan it goes on
   * with. A compact snapshot leaves the plan to the input and packs the steps.
   */
  snapshot(): { plan: MigrationInput['plan']; carried: MigrationSnapshot } {
    if (!this.patched(COMPACT_SNAPSHOTS)) return { plan: this.input.plan, carried: this.bookkeeping(this.status) };
    const { plan, steps, ...status } = this.status;
    return { plan, carried: { ...this.bookkeeping(status), packedSteps: packSteps(steps, { plan, waves: status.waves, startedAt: status.startedAt }) } };
  }

  private bookkeeping(status: MigrationSnapshot['status']): MigrationSnapshot {
    return {
      status,
      compensations: this.compensations,
      operatorDecisionsPending: [...this.operatorDecisionsPending],
      operatorDecisions: [...this.operatorDecisions].map(([stepId, decision]) => ({ stepId, ...decision })),
      ...(this.gatePerZone ? { gatePerZone: true } : {}),
      ...(this.riskRegister ? { riskRegister: true } : {}),
    };
  }

  isFinal(): boolean {
    return isFinalStatus(this.status.status);
  }

  /**
   * True once the plan can no longer change. With the gate per zone that is as soon as the
   * run has passed its approvals (the gate's step exists), since the tenant then waits for
   * nothing and zones proceed one by one.
   */
  provisioningStarted(): boolean {
    if (this.gatePerZone && this.run.findStep(stepIds.qualification) !== undefined) return true;
    return !isAmendablePhase(this.status.phase);
  }

  durations(): ReturnType<typeof resolveSettingDurations> {
    return resolveSettingDurations(this.status.plan.settings);
  }

  /**
   * One key per provisioning step for the whole run, operator retries included: a call whose
   * outcome was lost (a time-out after the provider acted) is then answered from the provider's
   * idempotency ledger instead of creating the resource twice.
   */
  keyFor(stepId: string): string {
    if (this.gatePerZone && this.isCustomerResourceStep(stepId)) return `customer/${this.status.customerId}/${stepId}`;
    return `${this.workflowId}/${stepId}`;
  }

  /**
   * One tenant per customer: the tenant and each landing zone (by level and HDS flag) with its
   * vault, policies and log forwarding belong to the customer, not to one plan, so their steps
   * are keyed by the customer in runs started since the gate applies per zone: a second plan of
   * the customer finds and reuses them. Releasing them on cancel is per plan (activities/,
   * `deleteResource`: a resource goes only when no other plan uses it).
   */
  private isCustomerResourceStep(stepId: string): boolean {
    if (stepId === stepIds.tenant) return true;
    return (this.status.report?.landingZones ?? []).some((zone) =>
      [stepIds.landingZone(zone.id), stepIds.keyVault(zone.id), stepIds.policies(zone.id), stepIds.logForwarding(zone.id)].includes(stepId),
    );
  }

  /** The approvals of the current classification round. */
  currentApprovals(): ApprovalView[] {
    return this.status.approvals.filter((approval) => approval.round === this.status.round);
  }

  /** Refuses any update once the run has ended. */
  refuseIfFinal(): void {
    if (this.isFinal()) refuse(FAILURE_TYPES.conflict, `The run has ended (${this.status.status}).`);
  }

  /** Status follows from the state: final, attention, paused, waiting on people, or running. */
  refreshStatus(): void {
    if (this.isFinal()) return;
    const attention: AttentionView[] = [];
    for (const approval of this.currentApprovals()) {
      const escalatedAt = approval.escalatedAt;
      if (approval.state === 'PENDING' && escalatedAt) {
        attention.push({ stepId: stepIds.approval(approval.id), reason: 'APPROVAL_OVERDUE', message: `Approval ${approval.id} (${approval.role}) is overdue since ${approval.dueAt}`, ...this.run.coded(message('ATTENTION_APPROVAL_OVERDUE', { approvalId: approval.id, role: approval.role, dueAt: approval.dueAt })), since: escalatedAt });
      }
    }
    for (const stepId of this.operatorDecisionsPending) {
      const step = this.run.findStep(stepId);
      if (step?.error) {
        const text = message('ATTENTION_STEP_FAILED', { stepId, error: step.error.message });
        attention.push({ stepId, reason: 'STEP_FAILED', message: step.error.message, ...this.run.coded(text), since: step.error.at });
      }
    }
    for (const list of this.waveAttention.values()) attention.push(...list);
    attention.push(...this.derogationAttention());
    this.status.attention = attention;
    let next: RunStatus;
    if (attention.length > 0) next = 'NEEDS_ATTENTION';
    else if (this.status.paused) next = 'PAUSED';
    else if (this.status.phase === 'AWAITING_APPROVAL' || this.status.phase === 'AWAITING_QUALIFICATION' || this.waitsForCutoverWindow() || this.waitsForRiskAcceptance() || this.waitsForRehearsalDecision()) {
      next = 'WAITING';
    }
    else next = 'RUNNING';
    this.run.setStatus(next);
    // The failed steps' operations may change while the status stays NEEDS_ATTENTION.
    this.run.publish();
  }

  /** Derogations that expired or were revoked before the qualification and wait for a renewal or an operator (R10). */
  private derogationAttention(): AttentionView[] {
    return derogationsNeedingAttention(this.status.derogations ?? []).map((derogation) => {
      const since = derogation.closedAt ?? this.status.updatedAt;
      const params = { derogationId: derogation.id, zoneId: derogation.zoneId, revoked: derogation.state === 'REVOKED', at: since };
      const text = message('ATTENTION_DEROGATION_EXPIRED', params);
      return { stepId: derogation.id, reason: 'DEROGATION_EXPIRED', message: renderMessage(text.code, text.params, 'en'), ...this.run.coded(text), since };
    });
  }

  /** True while the running wave waits for its cutover window to open. */
  waitsForCutoverWindow(): boolean {
    return this.status.waves.some((wave) => wave.state === 'RUNNING' && wave.window?.state === 'WAITING_FOR_WINDOW');
  }

  /** True while the running wave waits for the customer to confirm its rehearsal (domain/rehearsals.ts). */
  waitsForRehearsalDecision(): boolean {
    return this.status.waves.some((wave) => wave.state === 'RUNNING' && wave.rehearsal?.state === 'AWAITING_DECISION');
  }

  /** True while a wave waits for the owners of its open residual risks to accept them. */
  waitsForRiskAcceptance(): boolean {
    return this.status.waves.some((wave) => wave.heldBy !== undefined);
  }

  /** Records that something changed, so that every wait looks again. */
  changed(): void {
    this.changes += 1;
    this.refreshStatus();
  }

  /** Notifications never fail the run: a failed one is recorded in the timeline. */
  async notify(notification: RunNotification): Promise<void> {
    try {
      const { text, ...rest } = notification;
      await this.activities.notifications.notify({ ...rest, ...this.run.coded(text), workflowId: this.workflowId, customerId: this.status.customerId });
    } catch (error) {
      if (isCancellation(error)) throw error;
      const reason = describeFailure(error).message;
      this.run.record('NOTIFICATION_FAILED', `Could not send ${notification.kind}: ${reason}`, undefined, message('NOTIFICATION_FAILED', { kind: notification.kind, error: reason }));
    }
  }
}
