import { ActivityFailure, ApplicationFailure, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { type Actor, type AuditEntry, type Message, message, type MigrationStatus, type Phase, type RunStatus, runPercentComplete, type StepOperation, stepOperationOf, type StepState, type StepView } from '../domain';
import { FAILED_OPERATIONS, NEEDS_ATTENTION, PHASE, RUN_STATUS } from './search-attributes';

/**
 * How many timeline and audit entries a status keeps, the oldest going first, so that the state
 * a run carries across continue-as-new stays bounded however long it waits. The status counts
 * every entry (`timelineTotal`, `auditTotal`); an audit entry no longer kept remains in the
 * history of the run of the chain that recorded it (the Update with its verified actor).
 */
export const TIMELINE_LIMIT = 500;
export const AUDIT_LIMIT = 1000;

/** States that end a step's current attempt: the step gets its `endedAt`. */
const ENDED_STATES: readonly StepState[] = ['SUCCEEDED', 'SKIPPED', 'COMPENSATED', 'FAILED'];

/** What a failed activity or child said, for a step's error: the innermost application failure. */
export function describeFailure(error: unknown): { message: string; type?: string } {
  let cause: unknown = error;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure) return { message: cause.message, type: cause.type ?? undefined };
  return { message: cause instanceof Error ? cause.message : String(cause) };
}

/** The operations of the steps that failed and wait for an operator, sorted, each once: the run's `FAILED_OPERATIONS`. */
export function failedOperationsOf(status: Pick<MigrationStatus, 'attention'>): StepOperation[] {
  const operations = new Set<StepOperation>();
  for (const item of status.attention) {
    const operation = item.reason === 'STEP_FAILED' ? stepOperationOf(item.stepId) : undefined;
    if (operation) operations.add(operation);
  }
  return [...operations].sort();
}

/** Workflow time as ISO 8601; deterministic, since the sandbox replays Date from history. */
export function nowIso(): string {
  return new Date().toISOString();
}

/**
 * The run's state as the status query shows it, with the small mutations the workflow makes.
 * Search attributes follow phase and status, upserted only when they change so that history
 * does not grow for nothing.
 */
export class RunState {
  readonly status: MigrationStatus;
  private readonly stepIndex = new Map<string, StepView>();
  private published = { phase: '', status: '', needsAttention: false, failedOperations: '' };
  /**
   * Whether what the run writes for people also carries its message code (domain/messages.ts);
   * false in runs recorded before message codes, so that their status reads as it did.
   */
  messageCodes = false;
  /**
   * Whether the run publishes its failed steps' operations (`FAILED_OPERATIONS`), which fleet
   * operations select by; false in runs recorded before, whose histories have no such upsert.
   */
  publishesFailedOperations = false;

  constructor(status: MigrationStatus) {
    this.status = status;
    for (const step of status.steps) this.stepIndex.set(step.id, step);
    // A chain continued as new keeps its search attributes: what the status says was published.
    this.published = { phase: status.phase, status: status.status, needsAttention: status.status === 'NEEDS_ATTENTION', failedOperations: failedOperationsOf(status).join(',') };
  }

  setPhase(phase: Phase): void {
    if (this.status.phase === phase) return;
    this.status.phase = phase;
    this.record('PHASE', `Phase ${phase}`, undefined, message('PHASE_ENTERED', { phase }));
    this.publish();
  }

  setStatus(status: RunStatus): void {
    if (this.status.status === status) return;
    this.status.status = status;
    this.publish();
  }

  /** Creates the step if it is new; returns it. */
  step(id: string, phase: Phase, title: string, extra: Partial<StepView> = {}): StepView {
    let step = this.stepIndex.get(id);
    if (!step) {
      step = { id, phase, title, state: 'PENDING', ...extra };
      this.stepIndex.set(id, step);
      this.status.steps.push(step);
    }
    return step;
  }

  findStep(id: string): StepView | undefined {
    return this.stepIndex.get(id);
  }

  /** Moves a step to a new state, stamping times and keeping the timeline. */
  setStepState(id: string, state: StepState, patch: Partial<StepView> = {}): StepView {
    const step = this.stepIndex.get(id);
    if (!step) throw new Error(`unknown step ${id}`);
    const at = nowIso();
    if (state === 'RUNNING' && step.state !== 'RUNNING') {
      step.startedAt = at;
      delete step.endedAt;
      delete step.error;
    }
    if (ENDED_STATES.includes(state)) step.endedAt = at;
    Object.assign(step, patch, { state });
    if (state !== 'PENDING' && state !== 'RUNNING') this.record(`STEP_${state}`, `${step.title}: ${state.toLowerCase()}`, id, message('STEP_STATE_CHANGED', { stepId: id, state }));
    this.touch();
    return step;
  }

  /** Merges steps reported by a child workflow (a cutover wave). */
  mergeSteps(steps: StepView[]): void {
    for (const reported of steps) {
      const existing = this.stepIndex.get(reported.id);
      if (existing) Object.assign(existing, reported);
      else {
        const copy = { ...reported };
        this.stepIndex.set(copy.id, copy);
        this.status.steps.push(copy);
      }
    }
    this.touch();
  }

  /** Adds a timeline entry: an English sentence, and its message code for readers of any language. */
  record(kind: string, english: string, stepId?: string, text?: Message): void {
    this.status.timelineTotal = (this.status.timelineTotal ?? this.status.timeline.length) + 1;
    this.status.timeline.push({ at: nowIso(), kind, message: english, ...this.coded(text), ...(stepId ? { stepId } : {}) });
    if (this.status.timeline.length > TIMELINE_LIMIT) this.status.timeline.splice(0, this.status.timeline.length - TIMELINE_LIMIT);
    this.touch();
  }

  /** Appends to the audit trail: who (from the verified token), what, on what, why. */
  audit(actor: Actor, action: string, target?: string, comment?: string): AuditEntry {
    const entry: AuditEntry = { at: nowIso(), actor: actor.subject, roles: [...actor.roles, ...actor.approverRoles], action, ...(target ? { target } : {}), ...(comment ? { comment } : {}) };
    this.status.auditTotal = (this.status.auditTotal ?? this.status.audit.length) + 1;
    this.status.audit.push(entry);
    if (this.status.audit.length > AUDIT_LIMIT) this.status.audit.splice(0, this.status.audit.length - AUDIT_LIMIT);
    this.record('AUDIT', `${actor.subject}: ${action}${target ? ` ${target}` : ''}`, undefined, message('AUDIT_RECORDED', { actor: actor.subject, action, ...(target ? { target } : {}) }));
    return entry;
  }

  /** `{ text }` when the run writes message codes, nothing otherwise. */
  coded(text: Message | undefined): { text?: Message } {
    return this.messageCodes && text !== undefined ? { text } : {};
  }

  touch(): void {
    this.status.updatedAt = nowIso();
    this.status.percentComplete = runPercentComplete(this.status);
  }

  /** Upserts the search attributes that changed. */
  publish(): void {
    const needsAttention = this.status.status === 'NEEDS_ATTENTION';
    const failedOperations = this.publishesFailedOperations ? failedOperationsOf(this.status) : [];
    const failedKey = failedOperations.join(',');
    const updates = [];
    if (this.published.phase !== this.status.phase) updates.push({ key: PHASE, value: this.status.phase });
    if (this.published.status !== this.status.status) updates.push({ key: RUN_STATUS, value: this.status.status });
    if (this.published.needsAttention !== needsAttention) updates.push({ key: NEEDS_ATTENTION, value: needsAttention });
    if (this.publishesFailedOperations && this.published.failedOperations !== failedKey) updates.push({ key: FAILED_OPERATIONS, value: failedOperations });
    if (updates.length > 0) {
      upsertSearchAttributes(updates);
      this.published = { phase: this.status.phase, status: this.status.status, needsAttention, failedOperations: this.publishesFailedOperations ? failedKey : this.published.failedOperations };
    }
    this.touch();
  }
}

/** A fresh status for a run that starts now. */
export function initialStatus(input: { plan: MigrationStatus['plan']; startedBy: Actor }): MigrationStatus {
  const at = nowIso();
  return {
    workflowId: workflowInfo().workflowId,
    planId: input.plan.planId,
    customerId: input.plan.customer.id,
    customerName: input.plan.customer.name,
    phase: 'ASSESSMENT',
    status: 'RUNNING',
    percentComplete: 0,
    startedAt: at,
    updatedAt: at,
    startedBy: input.startedBy.subject,
    round: 0,
    plan: input.plan,
    approvals: [],
    steps: [],
    waves: [],
    attention: [],
    paused: false,
    timeline: [{ at, kind: 'STARTED', message: `Run started by ${input.startedBy.subject}` }],
    audit: [{ at, actor: input.startedBy.subject, roles: [...input.startedBy.roles], action: 'START' }],
    resources: {},
  };
}
