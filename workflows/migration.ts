import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  executeChild,
  getExternalWorkflowHandle,
  isCancellation,
  makeContinueAsNewFunc,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { MigrationActivities } from '../activities';
import {
  type Action,
  type Actor,
  approvalDecisionRefusal,
  type ApprovalView,
  type AttentionView,
  FAILURE_TYPES,
  forbiddenMessage,
  isAmendablePhase,
  isFinalStatus,
  mayPerform,
  type MigrationStatus,
  planWaves,
  qualificationSatisfied,
  resolveSettingDurations,
  type RunStatus,
  type StepView,
  tryParseIsoDuration,
  validatePlan,
  waveWorkflowId,
} from '../domain';
import { cutoverWaveWorkflow } from './cutover-wave';
import {
  type AmendPlanInput,
  amendPlanUpdate,
  cancelUpdate,
  type Compensation,
  type DecideApprovalInput,
  decideApprovalUpdate,
  type ExtendDeadlineInput,
  extendDeadlineUpdate,
  type MigrationInput,
  type OperatorInput,
  pauseUpdate,
  qualificationChangedSignal,
  resumeUpdate,
  retryStepUpdate,
  skipStepUpdate,
  type StepActionInput,
  statusQuery,
  waveControlSignal,
  waveProgressSignal,
} from './messages';
import { describeFailure, initialStatus, nowIso, RunState } from './run-state';
import { DEFAULT_TUNING, type RunTuning, stepRetryPolicy } from './tuning';

/**
 * The most workloads one cutover wave workflow moves. A workload costs its wave about 21 history
 * events (six activities and their workflow tasks) plus progress signals, so this keeps every
 * wave's history well under Temporal's 10,240-event warning whatever `maxWaveSize` a plan asks.
 */
export const MAX_WORKLOADS_PER_WAVE = 100;

function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** Refuses `action` unless the permission table (domain/permissions.ts) allows it to the actor. */
function requirePermission(actor: Actor, action: Action): void {
  if (!mayPerform(actor.roles, action)) refuse(FAILURE_TYPES.forbidden, forbiddenMessage(actor.roles, action));
}

function activitiesFor(tuning: RunTuning) {
  const retry = stepRetryPolicy(tuning);
  return {
    analysis: proxyActivities<MigrationActivities>({
      startToCloseTimeout: '1m',
      retry: { ...retry, maximumAttempts: 3 },
    }),
    notifications: proxyActivities<MigrationActivities>({ startToCloseTimeout: '15s', retry: { ...retry, maximumAttempts: 3 } }),
    provider: proxyActivities<MigrationActivities>({ startToCloseTimeout: tuning.stepTimeout, retry }),
  };
}

/**
 * A migration run: assessment, classification, approvals, the regulatory gate, provisioning and
 * cutover (DESIGN.md). Every human decision is an Update whose validator refuses what the
 * caller may not do; every wait is a durable timer or condition, so a run survives restarts of
 * any process. Returns the final status.
 */
export async function migrationWorkflow(input: MigrationInput): Promise<MigrationStatus> {
  const tuning: RunTuning = { ...DEFAULT_TUNING, ...input.tuning };
  const { analysis, notifications, provider } = activitiesFor(tuning);
  const run = new RunState(input.carried?.status ?? initialStatus(input));
  const status = run.status;
  const workflowId = workflowInfo().workflowId;
  const compensations: Compensation[] = [...(input.carried?.compensations ?? [])];
  const operatorDecisions = new Map<string, { action: 'retry' | 'skip'; reason?: string }>();
  /** Parent steps that failed and wait for an operator's retry or skip. */
  const operatorDecisionsPending = new Set<string>();
  const waveAttention = new Map<string, AttentionView[]>();
  let changes = 0;
  let qualificationSignals = 0;
  let amending = false;
  let cancelRequest: { actor: Actor; reason?: string } | undefined;
  let runningWaveWorkflowId: string | undefined;
  const main = new CancellationScope();

  const isFinal = () => isFinalStatus(status.status);
  const provisioningStarted = () => !isAmendablePhase(status.phase);
  const durations = () => resolveSettingDurations(status.plan.settings);
  // One key per provisioning step for the whole run, operator retries included: a call whose
  // outcome was lost (a time-out after the provider acted) is then answered from the provider's
  // idempotency ledger instead of creating the resource twice.
  const keyFor = (stepId: string) => `${workflowId}/${stepId}`;

  /** Status follows from the state: final, attention, paused, waiting on people, or running. */
  function refreshStatus(): void {
    if (isFinal()) return;
    const attention: AttentionView[] = [];
    for (const approval of currentApprovals()) {
      const escalatedAt = approval.escalatedAt;
      if (approval.state === 'PENDING' && escalatedAt) {
        attention.push({ stepId: `approval.${approval.id}`, reason: 'APPROVAL_OVERDUE', message: `Approval ${approval.id} (${approval.role}) is overdue since ${approval.dueAt}`, since: escalatedAt });
      }
    }
    for (const stepId of operatorDecisionsPending) {
      const step = run.findStep(stepId);
      if (step?.error) attention.push({ stepId, reason: 'STEP_FAILED', message: step.error.message, since: step.error.at });
    }
    for (const list of waveAttention.values()) attention.push(...list);
    status.attention = attention;
    let next: RunStatus;
    if (attention.length > 0) next = 'NEEDS_ATTENTION';
    else if (status.paused) next = 'PAUSED';
    else if (status.phase === 'AWAITING_APPROVAL' || status.phase === 'AWAITING_QUALIFICATION') next = 'WAITING';
    else next = 'RUNNING';
    run.setStatus(next);
    run.touch();
  }

  function changed(): void {
    changes += 1;
    refreshStatus();
  }

  function currentApprovals(): ApprovalView[] {
    return status.approvals.filter((approval) => approval.round === status.round);
  }

  // ---- queries, updates and signals -------------------------------------------------------

  setHandler(statusQuery, () => status);

  setHandler(qualificationChangedSignal, () => {
    qualificationSignals += 1;
    run.record('QUALIFICATION_SIGNAL', 'Told that the provider qualification may have changed');
  });

  setHandler(waveProgressSignal, (progress) => {
    run.mergeSteps(progress.steps);
    waveAttention.set(progress.waveId, progress.attention);
    changed();
  });

  setHandler(
    decideApprovalUpdate,
    ({ approvalId, decision, comment, actor }) => {
      const approval = currentApprovals().find((candidate) => candidate.id === approvalId)!;
      approval.state = decision === 'APPROVE' ? 'APPROVED' : decision === 'REJECT' ? 'REJECTED' : 'CHANGES_REQUESTED';
      approval.decision = { decision, ...(comment ? { comment } : {}), by: actor.subject, at: nowIso() };
      run.audit(actor, decision, `approval ${approvalId}`, comment);
      run.setStepState(`approval.${approvalId}`, decision === 'APPROVE' ? 'SUCCEEDED' : 'FAILED');
      changed();
      return approval;
    },
    {
      validator: ({ approvalId, decision, comment, actor }: DecideApprovalInput) => {
        if (isFinal()) refuse(FAILURE_TYPES.conflict, `The run has ended (${status.status}).`);
        if (actor.customerId !== status.customerId) refuse(FAILURE_TYPES.notFound, 'No such migration.');
        const approval = currentApprovals().find((candidate) => candidate.id === approvalId);
        if (!approval) refuse(FAILURE_TYPES.notFound, `This run has no approval "${approvalId}".`);
        const refusal = approvalDecisionRefusal(actor, status, approval);
        if (refusal) refuse(FAILURE_TYPES.forbidden, refusal.message);
        if (approval.state !== 'PENDING') refuse(FAILURE_TYPES.conflict, `Approval "${approvalId}" is not pending (${approval.state}).`);
        if (currentApprovals().some((candidate) => candidate.state === 'CHANGES_REQUESTED')) {
          refuse(FAILURE_TYPES.conflict, 'Changes were requested: the run waits for an amended plan before any other decision.');
        }
        if (decision !== 'APPROVE' && !comment?.trim()) refuse(FAILURE_TYPES.invalid, `A ${decision} decision needs a comment saying why.`);
      },
    },
  );

  setHandler(
    amendPlanUpdate,
    async ({ plan, actor, comment }) => {
      amending = true;
      try {
        run.audit(actor, 'AMEND_PLAN', undefined, comment);
        await analyse(plan);
        openApprovalRound();
        changed();
        return status;
      } finally {
        amending = false;
      }
    },
    {
      validator: ({ plan, actor }: AmendPlanInput) => {
        if (isFinal()) refuse(FAILURE_TYPES.conflict, `The run has ended (${status.status}).`);
        requirePermission(actor, 'plan.amend');
        if (provisioningStarted()) refuse(FAILURE_TYPES.conflict, 'Provisioning has begun: the plan can no longer be amended.');
        if (amending) refuse(FAILURE_TYPES.conflict, 'Another amendment is being classified; try again in a moment.');
        const validation = validatePlan(plan);
        if (!validation.ok) refuse(FAILURE_TYPES.invalid, `The amended plan is not valid: ${validation.errors.slice(0, 3).map((error) => `${error.path || '(plan)'}: ${error.message}`).join('; ')}`);
        if (plan.customer.id !== status.customerId) refuse(FAILURE_TYPES.invalid, `An amended plan must keep the customer "${status.customerId}".`);
        if ((plan.planId ?? status.planId) !== status.planId) refuse(FAILURE_TYPES.invalid, `An amended plan must keep the planId "${status.planId ?? ''}".`);
      },
    },
  );

  setHandler(
    extendDeadlineUpdate,
    ({ approvalId, extendBy, actor }) => {
      const extension = tryParseIsoDuration(extendBy)!;
      const targets = currentApprovals().filter((approval) => approval.state === 'PENDING' && (approvalId === undefined || approval.id === approvalId));
      const now = Date.now();
      for (const approval of targets) {
        approval.dueAt = new Date(now + extension).toISOString();
        delete approval.remindedAt;
        delete approval.escalatedAt;
      }
      run.audit(actor, 'EXTEND_DEADLINE', approvalId ? `approval ${approvalId}` : 'every pending approval', `by ${extendBy}`);
      changed();
      return targets;
    },
    {
      validator: ({ approvalId, extendBy, actor }: ExtendDeadlineInput) => {
        if (isFinal()) refuse(FAILURE_TYPES.conflict, `The run has ended (${status.status}).`);
        requirePermission(actor, 'deadline.extend');
        const extension = tryParseIsoDuration(extendBy);
        if (extension === undefined || extension <= 0) refuse(FAILURE_TYPES.invalid, `"${extendBy}" is not a positive ISO 8601 duration (for example P7D).`);
        const pending = currentApprovals().filter((approval) => approval.state === 'PENDING');
        if (pending.length === 0) refuse(FAILURE_TYPES.conflict, 'No approval is pending.');
        if (approvalId !== undefined && !pending.some((approval) => approval.id === approvalId)) {
          refuse(FAILURE_TYPES.conflict, `Approval "${approvalId}" is not pending.`);
        }
      },
    },
  );

  function validateStepAction(stepId: string, actor: Actor, action: 'step.retry' | 'step.skip'): StepView {
    if (isFinal()) refuse(FAILURE_TYPES.conflict, `The run has ended (${status.status}).`);
    requirePermission(actor, action);
    const step = run.findStep(stepId);
    if (!step) refuse(FAILURE_TYPES.notFound, `This run has no step "${stepId}".`);
    const waiting = operatorDecisionsPending.has(stepId) || [...waveAttention.values()].some((list) => list.some((item) => item.stepId === stepId));
    if (!waiting) refuse(FAILURE_TYPES.conflict, `Step "${stepId}" is not waiting for an operator (${step.state}).`);
    return step;
  }

  async function forwardToWave(step: StepView, action: 'retry' | 'skip', reason?: string): Promise<void> {
    const wave = status.waves.find((candidate) => candidate.id === step.waveId);
    if (!wave) return;
    waveAttention.set(wave.id, (waveAttention.get(wave.id) ?? []).filter((item) => item.stepId !== step.id));
    await getExternalWorkflowHandle(waveWorkflowId(workflowId, wave.id)).signal(waveControlSignal, { action, stepId: step.id, reason });
  }

  setHandler(
    retryStepUpdate,
    async ({ stepId, actor }) => {
      const step = run.findStep(stepId)!;
      run.audit(actor, 'RETRY_STEP', stepId);
      if (step.waveId) await forwardToWave(step, 'retry');
      else operatorDecisions.set(stepId, { action: 'retry' });
      changed();
      return step;
    },
    { validator: ({ stepId, actor }: StepActionInput) => void validateStepAction(stepId, actor, 'step.retry') },
  );

  setHandler(
    skipStepUpdate,
    async ({ stepId, actor, reason }) => {
      const step = run.findStep(stepId)!;
      run.audit(actor, 'SKIP_STEP', stepId, reason);
      if (step.waveId) await forwardToWave(step, 'skip', reason);
      else operatorDecisions.set(stepId, { action: 'skip', reason });
      changed();
      return step;
    },
    {
      validator: ({ stepId, actor, reason }: StepActionInput) => {
        validateStepAction(stepId, actor, 'step.skip');
        if (!reason?.trim()) refuse(FAILURE_TYPES.invalid, 'Skipping a step needs a reason.');
      },
    },
  );

  async function signalRunningWave(action: 'pause' | 'resume'): Promise<void> {
    if (runningWaveWorkflowId) await getExternalWorkflowHandle(runningWaveWorkflowId).signal(waveControlSignal, { action });
  }

  setHandler(
    pauseUpdate,
    async ({ actor, reason }) => {
      status.paused = true;
      run.audit(actor, 'PAUSE', undefined, reason);
      await signalRunningWave('pause');
      changed();
      return status;
    },
    {
      validator: ({ actor }: OperatorInput) => {
        if (isFinal()) refuse(FAILURE_TYPES.conflict, `The run has ended (${status.status}).`);
        requirePermission(actor, 'run.pause');
        if (status.paused) refuse(FAILURE_TYPES.conflict, 'The run is already paused.');
      },
    },
  );

  setHandler(
    resumeUpdate,
    async ({ actor, reason }) => {
      status.paused = false;
      run.audit(actor, 'RESUME', undefined, reason);
      await signalRunningWave('resume');
      changed();
      return status;
    },
    {
      validator: ({ actor }: OperatorInput) => {
        if (isFinal()) refuse(FAILURE_TYPES.conflict, `The run has ended (${status.status}).`);
        requirePermission(actor, 'run.resume');
        if (!status.paused) refuse(FAILURE_TYPES.conflict, 'The run is not paused.');
      },
    },
  );

  setHandler(
    cancelUpdate,
    ({ actor, reason }) => {
      cancelRequest = { actor, reason };
      run.audit(actor, 'CANCEL', undefined, reason);
      run.record('CANCELLING', provisioningStarted() ? 'Cancelling: undoing what was done' : 'Cancelling');
      main.cancel();
      return status;
    },
    {
      validator: ({ actor }: OperatorInput) => {
        if (isFinal()) refuse(FAILURE_TYPES.conflict, `The run has ended (${status.status}).`);
        requirePermission(actor, 'run.cancel');
        if (cancelRequest) refuse(FAILURE_TYPES.conflict, 'The run is already being cancelled.');
      },
    },
  );

  // ---- phases -------------------------------------------------------------------------------

  /** ASSESSMENT and CLASSIFICATION: one activity, so that the report is recorded in history. */
  async function analyse(plan: MigrationInput['plan']): Promise<void> {
    run.setPhase('ASSESSMENT');
    run.step('assessment', 'ASSESSMENT', 'Assess the inventory');
    run.step('classification', 'CLASSIFICATION', 'Classify the workloads');
    run.setStepState('assessment', 'RUNNING');
    let result: Awaited<ReturnType<MigrationActivities['analysePlan']>>;
    try {
      result = await analysis.analysePlan(plan);
    } catch (error) {
      const failure = describeFailure(error);
      run.setStepState('assessment', 'FAILED', { error: { ...failure, attempts: 1, at: nowIso() } });
      throw ApplicationFailure.create({ type: FAILURE_TYPES.invalidPlan, message: failure.message, nonRetryable: true });
    }
    status.plan = result.plan;
    status.assessment = result.assessment;
    run.setStepState('assessment', 'SUCCEEDED');
    run.setPhase('CLASSIFICATION');
    status.report = result.report;
    run.setStepState('classification', 'SUCCEEDED');
  }

  /** Asks every approval the report needs, superseding those of an earlier round. */
  function openApprovalRound(): void {
    for (const approval of status.approvals) {
      if (approval.round === status.round && approval.state !== 'APPROVED' && approval.state !== 'REJECTED') approval.state = 'SUPERSEDED';
    }
    status.round += 1;
    const { approvalDeadlineMs } = durations();
    const now = Date.now();
    for (const required of status.report?.approvals ?? []) {
      status.approvals.push({
        id: required.id,
        role: required.role,
        rules: [...required.rules],
        state: 'PENDING',
        round: status.round,
        requestedAt: new Date(now).toISOString(),
        dueAt: new Date(now + approvalDeadlineMs).toISOString(),
      });
      const step = run.step(`approval.${required.id}`, 'AWAITING_APPROVAL', `Approval ${required.id} (${required.role})`);
      run.setStepState(step.id, 'WAITING');
    }
    run.record('APPROVALS_REQUESTED', `Round ${status.round}: ${currentApprovals().map((approval) => approval.id).join(', ')}`);
  }

  function reminderAt(approval: ApprovalView): number {
    const { reminderBeforeMs } = durations();
    return Math.max(Date.parse(approval.requestedAt), Date.parse(approval.dueAt) - reminderBeforeMs);
  }

  function nextApprovalTimer(): number | undefined {
    let next: number | undefined;
    for (const approval of currentApprovals()) {
      if (approval.state !== 'PENDING') continue;
      const candidates = [...(approval.remindedAt ? [] : [reminderAt(approval)]), ...(approval.escalatedAt ? [] : [Date.parse(approval.dueAt)])];
      for (const at of candidates) next = next === undefined ? at : Math.min(next, at);
    }
    return next;
  }

  /** Sends the reminders and escalations whose time has come (durable timers fire them). */
  async function fireDueApprovalTimers(): Promise<void> {
    const now = Date.now();
    for (const approval of currentApprovals()) {
      if (approval.state !== 'PENDING') continue;
      if (!approval.remindedAt && now >= reminderAt(approval) && now < Date.parse(approval.dueAt)) {
        approval.remindedAt = nowIso();
        run.record('APPROVAL_REMINDER', `Reminder: approval ${approval.id} (${approval.role}) is due ${approval.dueAt}`);
        await notify({ kind: 'APPROVAL_REMINDER', approvalId: approval.id, role: approval.role, message: `Approval ${approval.id} is due ${approval.dueAt}` });
      }
      if (!approval.escalatedAt && now >= Date.parse(approval.dueAt)) {
        approval.remindedAt ??= nowIso();
        approval.escalatedAt = nowIso();
        run.record('APPROVAL_OVERDUE', `Approval ${approval.id} (${approval.role}) is overdue: escalated`);
        await notify({ kind: 'APPROVAL_OVERDUE', approvalId: approval.id, role: approval.role, message: `Approval ${approval.id} was due ${approval.dueAt}; an operator must extend the deadline or cancel` });
      }
    }
    refreshStatus();
  }

  /** Notifications never fail the run: a failed one is recorded in the timeline. */
  async function notify(notification: Omit<Parameters<MigrationActivities['notify']>[0], 'workflowId' | 'customerId'>): Promise<void> {
    try {
      await notifications.notify({ ...notification, workflowId, customerId: status.customerId });
    } catch (error) {
      if (isCancellation(error)) throw error;
      run.record('NOTIFICATION_FAILED', `Could not send ${notification.kind}: ${describeFailure(error).message}`);
    }
  }

  /** Waits until every approval of the current round is given, one is refused, or the plan changes. */
  async function awaitApprovals(): Promise<'APPROVED' | 'REJECTED'> {
    run.setPhase('AWAITING_APPROVAL');
    for (;;) {
      refreshStatus();
      const approvals = currentApprovals();
      if (!amending && approvals.some((approval) => approval.state === 'REJECTED')) return 'REJECTED';
      if (!amending && approvals.length > 0 && approvals.every((approval) => approval.state === 'APPROVED')) return 'APPROVED';
      const seen = changes;
      const next = nextApprovalTimer();
      if (next === undefined) await condition(() => changes !== seen);
      else await condition(() => changes !== seen, Math.max(1, next - Date.now()));
      if (status.phase !== 'AWAITING_APPROVAL' && !amending) run.setPhase('AWAITING_APPROVAL');
      await fireDueApprovalTimers();
    }
  }

  /** R9: waits until the provider holds what the landing zones need; false if the plan changed. */
  async function awaitQualification(): Promise<boolean> {
    const round = status.round;
    const needs = status.report!.qualificationNeeds;
    run.setPhase('AWAITING_QUALIFICATION');
    const step = run.step('qualification', 'AWAITING_QUALIFICATION', 'Provider qualification (R9)');
    status.gate ??= { waitingFor: [], checks: 0 };
    const interval = durations().qualificationCheckIntervalMs;
    for (;;) {
      if (status.round !== round || amending) return false;
      run.setStepState(step.id, 'RUNNING');
      let missing: string[];
      try {
        const credentials = await analysis.readProviderCredentials();
        status.gate.credentials = { secnumcloud: credentials.secnumcloud, hds: credentials.hds };
        missing = qualificationSatisfied(needs, credentials).missing;
      } catch (error) {
        if (isCancellation(error)) throw error;
        missing = [`the provider's credentials could not be read (${describeFailure(error).message})`];
      }
      status.gate.checks += 1;
      status.gate.lastCheckedAt = nowIso();
      status.gate.waitingFor = missing;
      if (status.round !== round || amending) return false;
      if (missing.length === 0) {
        run.setStepState(step.id, 'SUCCEEDED');
        return true;
      }
      run.setStepState(step.id, 'WAITING');
      refreshStatus();
      const seenSignals = qualificationSignals;
      const seenChanges = changes;
      await condition(() => qualificationSignals !== seenSignals || changes !== seenChanges, interval);
    }
  }

  async function waitWhilePaused(): Promise<void> {
    if (status.paused) await condition(() => !status.paused);
  }

  /**
   * Runs one step: activity retries first, then, once they are exhausted, the run waits in
   * NEEDS_ATTENTION for an operator to retry (with the same idempotency key) or skip it.
   * Returns undefined when the step was skipped.
   */
  async function runStep<T>(stepId: string, work: (key: string) => Promise<T>): Promise<T | undefined> {
    const step = run.findStep(stepId)!;
    if (step.state === 'SUCCEEDED') return status.resources[stepId] as T | undefined;
    if (step.state === 'SKIPPED') return undefined;
    for (;;) {
      await waitWhilePaused();
      run.setStepState(stepId, 'RUNNING');
      refreshStatus();
      try {
        const result = await work(keyFor(stepId));
        run.setStepState(stepId, 'SUCCEEDED');
        return result;
      } catch (error) {
        if (isCancellation(error)) throw error;
        const failure = describeFailure(error);
        run.setStepState(stepId, 'FAILED', { error: { ...failure, attempts: tuning.stepMaxAttempts, at: nowIso() } });
        operatorDecisionsPending.add(stepId);
        refreshStatus();
        await notify({ kind: 'STEP_NEEDS_ATTENTION', stepId, message: `${step.title} failed: ${failure.message}` });
        await condition(() => operatorDecisions.has(stepId));
        const decision = operatorDecisions.get(stepId)!;
        operatorDecisions.delete(stepId);
        operatorDecisionsPending.delete(stepId);
        if (decision.action === 'skip') {
          run.setStepState(stepId, 'SKIPPED', { skippedReason: decision.reason });
          refreshStatus();
          return undefined;
        }
      }
    }
  }

  async function provision(): Promise<void> {
    const report = status.report!;
    const plan = status.plan;
    run.setPhase('PROVISIONING');
    refreshStatus();
    // Every step exists from the start, so that the stepper shows what is coming.
    run.step('provisioning.tenant', 'PROVISIONING', 'Tenant');
    for (const zone of report.landingZones) {
      run.step(`provisioning.landing-zone.${zone.id}`, 'PROVISIONING', `Landing zone ${zone.id}`);
      run.step(`provisioning.key-vault.${zone.id}`, 'PROVISIONING', `Key vault ${zone.id} (customer-managed keys, France)`);
      run.step(`provisioning.policies.${zone.id}`, 'PROVISIONING', `Location and network policies ${zone.id}`);
      run.step(`provisioning.log-forwarding.${zone.id}`, 'PROVISIONING', `Log forwarding ${zone.id}`);
    }
    if (report.m365Tenant) run.step('provisioning.m365-tenant', 'PROVISIONING', 'Microsoft 365 tenant');

    const created = async (stepId: string, resourceType: string, create: (key: string) => Promise<string>): Promise<string | undefined> => {
      const id = await runStep(stepId, create);
      if (id !== undefined && status.resources[stepId] === undefined) {
        status.resources[stepId] = id;
        compensations.push({ kind: 'delete', stepId, resourceType, resourceId: id });
      }
      return id;
    };

    const tenantId = await created('provisioning.tenant', 'tenant', (idempotencyKey) =>
      provider.createTenant({ idempotencyKey, customerId: plan.customer.id, name: plan.customer.name }),
    );
    for (const zone of report.landingZones) {
      const zoneId = await created(`provisioning.landing-zone.${zone.id}`, 'landing-zone', (idempotencyKey) =>
        provider.createLandingZone({ idempotencyKey, tenantId: tenantId ?? '', name: zone.id, level: zone.level, hds: zone.hds }),
      );
      await created(`provisioning.key-vault.${zone.id}`, 'key-vault', (idempotencyKey) =>
        provider.createKeyVault({ idempotencyKey, landingZoneId: zoneId ?? '', name: `kv-${zone.id}` }),
      );
      await created(`provisioning.policies.${zone.id}`, 'policy-assignment', (idempotencyKey) =>
        provider.assignPolicies({ idempotencyKey, landingZoneId: zoneId ?? '', name: `policies-${zone.id}`, level: zone.level }),
      );
      await created(`provisioning.log-forwarding.${zone.id}`, 'log-forwarding', (idempotencyKey) =>
        provider.configureLogForwarding({ idempotencyKey, landingZoneId: zoneId ?? '', siemEndpoint: `siem.${plan.customer.id}` }),
      );
    }
    if (report.m365Tenant) {
      await created('provisioning.m365-tenant', 'm365-tenant', (idempotencyKey) =>
        provider.createM365Tenant({ idempotencyKey, tenantId: tenantId ?? '', name: `${plan.customer.id}-m365` }),
      );
    }
  }

  async function cutover(): Promise<void> {
    const report = status.report!;
    const plan = status.plan;
    run.setPhase('CUTOVER');
    refreshStatus();
    if (status.waves.length === 0) {
      const maxWaveSize = Math.min(plan.settings.maxWaveSize, MAX_WORKLOADS_PER_WAVE);
      const waves = planWaves({ ...plan, settings: { ...plan.settings, maxWaveSize } }, report);
      status.waves = waves.map((wave) => ({ id: wave.id, index: wave.index, workloadIds: [...wave.workloadIds], state: 'PENDING' }));
      const capped = maxWaveSize < plan.settings.maxWaveSize ? ` (at most ${maxWaveSize} per wave)` : '';
      run.record('WAVES_PLANNED', `${status.waves.length} wave(s) over ${status.waves.reduce((sum, wave) => sum + wave.workloadIds.length, 0)} workload(s)${capped}`);
    }
    const byId = new Map(plan.workloads.map((workload) => [workload.id, workload]));
    const levels = new Map(report.workloads.map((workload) => [workload.id, workload]));
    for (const wave of status.waves) {
      if (wave.state === 'SUCCEEDED') continue;
      await waitWhilePaused();
      wave.state = 'RUNNING';
      runningWaveWorkflowId = waveWorkflowId(workflowId, wave.id);
      refreshStatus();
      const result = await executeChild(cutoverWaveWorkflow, {
        workflowId: runningWaveWorkflowId,
        args: [
          {
            parentWorkflowId: workflowId,
            waveId: wave.id,
            tenantId: status.resources['provisioning.tenant'] ?? '',
            bandwidthMbps: plan.settings.bandwidthMbps,
            paused: status.paused,
            tuning,
            workloads: wave.workloadIds.map((id) => {
              const workload = byId.get(id)!;
              const classification = levels.get(id)!;
              const zone = report.landingZones.find((candidate) => candidate.level === classification.level && candidate.hds === classification.hds);
              const targetStep = workload.kind === 'm365' ? 'provisioning.m365-tenant' : `provisioning.landing-zone.${zone?.id ?? ''}`;
              return { id, name: workload.name, sizeGb: workload.sizeGb, targetId: status.resources[targetStep] ?? '' };
            }),
          },
        ],
      });
      runningWaveWorkflowId = undefined;
      waveAttention.delete(wave.id);
      run.mergeSteps(result.steps);
      compensations.push(...result.compensations);
      wave.state = 'SUCCEEDED';
      run.record('WAVE_DONE', `${wave.id}: ${result.migrated.length} migrated, ${result.skipped.length} skipped`);
      refreshStatus();
      const info = workflowInfo();
      const wavesLeft = status.waves.some((candidate) => candidate.state !== 'SUCCEEDED');
      if (wavesLeft && (info.continueAsNewSuggested || info.historyLength > tuning.continueAsNewAfterEvents)) {
        await condition(allHandlersFinished);
        // Memo (the start's plan hash) and search attributes go on with the run.
        const continueRun = makeContinueAsNewFunc<typeof migrationWorkflow>({ memo: info.memo, typedSearchAttributes: info.typedSearchAttributes });
        await continueRun({ ...input, carried: { status, compensations } });
      }
    }
  }

  /** Undoes what was done, newest first: traffic back to the source, sources live, resources deleted. */
  async function compensate(): Promise<void> {
    if (compensations.length === 0) return;
    const undo = [...compensations].reverse();
    for (const action of undo) {
      const key = `${workflowId}/compensate/${action.stepId}/${action.kind}`;
      try {
        if (action.kind === 'delete') await provider.deleteResource({ idempotencyKey: key, type: action.resourceType as never, id: action.resourceId });
        else if (action.kind === 'switch-back') await provider.switchTraffic({ idempotencyKey: key, tenantId: status.resources['provisioning.tenant'] ?? '', workloadId: action.workloadId, target: 'source' });
        else await provider.unfreezeSource({ idempotencyKey: key, tenantId: status.resources['provisioning.tenant'] ?? '', workloadId: action.workloadId });
        const step = run.findStep(action.stepId);
        if (step && step.state === 'SUCCEEDED') run.setStepState(action.stepId, 'COMPENSATED');
      } catch (error) {
        run.record('COMPENSATION_FAILED', `Could not undo ${action.stepId} (${action.kind}): ${describeFailure(error).message}`, action.stepId);
      }
    }
    compensations.length = 0;
  }

  function end(final: RunStatus, reason?: string): MigrationStatus {
    if (final === 'COMPLETED') run.setPhase('DONE');
    status.attention = [];
    run.setStatus(final);
    status.endedAt = nowIso();
    status.outcome = { status: final, ...(reason ? { reason } : {}) };
    run.record('ENDED', `Run ${final.toLowerCase()}${reason ? `: ${reason}` : ''}`);
    return status;
  }

  async function drive(): Promise<RunStatus> {
    if (!input.carried) {
      await analyse(status.plan);
      openApprovalRound();
    }
    while (!provisioningStarted()) {
      const decision = await awaitApprovals();
      if (decision === 'REJECTED') return 'REJECTED';
      if (await awaitQualification()) break;
    }
    // A run continued as new between waves has provisioned already: its phase stays CUTOVER.
    if (status.phase !== 'CUTOVER') await provision();
    await cutover();
    return 'COMPLETED';
  }

  let outcome: RunStatus;
  let reason: string | undefined;
  try {
    outcome = await main.run(drive);
    if (outcome === 'REJECTED') {
      const rejection = currentApprovals().find((approval) => approval.state === 'REJECTED');
      reason = `approval ${rejection?.id ?? ''} rejected by ${rejection?.decision?.by ?? 'an approver'}: ${rejection?.decision?.comment ?? ''}`;
    }
  } catch (error) {
    if (!isCancellation(error)) {
      if (error instanceof ApplicationFailure && error.type === FAILURE_TYPES.invalidPlan) {
        end('FAILED', error.message);
        await condition(allHandlersFinished);
        throw error;
      }
      throw error;
    }
    await CancellationScope.nonCancellable(async () => {
      run.record('COMPENSATING', 'Undoing what was done');
      await compensate();
    });
    outcome = 'CANCELLED';
    reason = cancelRequest ? `cancelled by ${cancelRequest.actor.subject}${cancelRequest.reason ? `: ${cancelRequest.reason}` : ''}` : 'the workflow was cancelled';
  }
  end(outcome, reason);
  await condition(allHandlersFinished);
  return status;
}
