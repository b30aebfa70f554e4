/**
 * Operator controls: a step that exhausts its retries waits in NEEDS_ATTENTION for ops to retry
 * it (with the same idempotency key) or skip it (with a reason); ops pause and resume the run;
 * ops or the consultant cancel it. Decisions on a wave's steps go to the wave's workflow.
 */
import { getExternalWorkflowHandle, isCancellation, setHandler } from '@temporalio/workflow';
import { type Actor, FAILURE_TYPES, legacyWaveWorkflowId, message, runOverview, type StepView } from '../../domain';
import {
  cancelUpdate,
  type OperatorInput,
  pauseUpdate,
  resumeUpdate,
  retryStepUpdate,
  skipStepUpdate,
  type StepActionInput,
  waveControlSignal,
} from '../messages';
import { describeFailure, nowIso } from '../run-state';
import { refuseRetryPastRehearsalLimit } from './rehearsals';
import { type MigrationContext, refuse, requirePermission } from './context';
import { boundedWait } from './continuation';

/** Waits while the run is paused; a pause of months continues as new (continuation.ts). */
export async function waitWhilePaused(context: MigrationContext): Promise<void> {
  if (context.status.paused) await boundedWait(context, () => !context.status.paused);
}

/** Waits in NEEDS_ATTENTION for an operator's retry or skip of a failed step, and takes it in. */
async function awaitOperatorDecision(context: MigrationContext, stepId: string): Promise<{ action: 'retry' | 'skip'; reason?: string }> {
  await boundedWait(context, () => context.operatorDecisions.has(stepId));
  const decision = context.operatorDecisions.get(stepId)!;
  context.operatorDecisions.delete(stepId);
  context.operatorDecisionsPending.delete(stepId);
  return decision;
}

/**
 * Runs one step: activity retries first, then, once they are exhausted, the run waits in
 * NEEDS_ATTENTION for an operator to retry (with the same idempotency key) or skip it.
 * Returns undefined when the step was skipped. A run continued as new while the step waited
 * goes back to waiting for the operator.
 */
export async function runStep<T>(context: MigrationContext, stepId: string, work: (key: string) => Promise<T>): Promise<T | undefined> {
  const { run, status } = context;
  const step = run.findStep(stepId)!;
  if (step.state === 'SUCCEEDED') return status.resources[stepId] as T | undefined;
  if (step.state === 'SKIPPED') return undefined;
  let waiting = context.operatorDecisionsPending.has(stepId);
  for (;;) {
    if (waiting) {
      const decision = await awaitOperatorDecision(context, stepId);
      if (decision.action === 'skip') {
        run.setStepState(stepId, 'SKIPPED', { skippedReason: decision.reason });
        context.refreshStatus();
        return undefined;
      }
    }
    await waitWhilePaused(context);
    run.setStepState(stepId, 'RUNNING');
    context.refreshStatus();
    try {
      const result = await work(context.keyFor(stepId));
      run.setStepState(stepId, 'SUCCEEDED');
      return result;
    } catch (error) {
      if (isCancellation(error)) throw error;
      const failure = describeFailure(error);
      run.setStepState(stepId, 'FAILED', { error: { ...failure, attempts: context.tuning.stepMaxAttempts, at: nowIso() } });
      context.operatorDecisionsPending.add(stepId);
      context.refreshStatus();
      await context.notify({ kind: 'STEP_NEEDS_ATTENTION', stepId, message: `${step.title} failed: ${failure.message}`, text: message('NOTIFY_STEP_FAILED', { stepId, error: failure.message }) });
      waiting = true;
    }
  }
}

function validateStepAction(context: MigrationContext, stepId: string, actor: Actor, action: 'step.retry' | 'step.skip'): StepView {
  context.refuseIfFinal();
  requirePermission(actor, action);
  const step = context.run.findStep(stepId);
  if (!step) refuse(FAILURE_TYPES.notFound, `This run has no step "${stepId}".`);
  const waiting = context.operatorDecisionsPending.has(stepId) || [...context.waveAttention.values()].some((list) => list.some((item) => item.stepId === stepId));
  if (!waiting) refuse(FAILURE_TYPES.conflict, `Step "${stepId}" is not waiting for an operator (${step.state}).`);
  return step;
}

/** Hands an operator's decision on a wave's step to that wave's workflow. */
async function forwardToWave(context: MigrationContext, step: StepView, action: 'retry' | 'skip', reason?: string): Promise<void> {
  const wave = context.status.waves.find((candidate) => candidate.id === step.waveId);
  if (!wave) return;
  context.waveAttention.set(wave.id, (context.waveAttention.get(wave.id) ?? []).filter((item) => item.stepId !== step.id));
  await getExternalWorkflowHandle(wave.workflowId ?? legacyWaveWorkflowId(context.workflowId, wave.id)).signal(waveControlSignal, { action, stepId: step.id, reason });
}

async function signalRunningWave(context: MigrationContext, action: 'pause' | 'resume'): Promise<void> {
  if (context.runningWaveWorkflowId) await getExternalWorkflowHandle(context.runningWaveWorkflowId).signal(waveControlSignal, { action });
}

/** Retry and skip of a step that waits for an operator. */
function registerStepHandlers(context: MigrationContext): void {
  const { run } = context;
  setHandler(
    retryStepUpdate,
    async ({ stepId, actor, reason }) => {
      const step = run.findStep(stepId)!;
      run.audit(actor, 'RETRY_STEP', stepId, reason);
      if (step.waveId) await forwardToWave(context, step, 'retry');
      else context.operatorDecisions.set(stepId, { action: 'retry' });
      context.changed();
      return step;
    },
    {
      validator: ({ stepId, actor }: StepActionInput) => {
        validateStepAction(context, stepId, actor, 'step.retry');
        refuseRetryPastRehearsalLimit(context, stepId);
      },
    },
  );

  setHandler(
    skipStepUpdate,
    async ({ stepId, actor, reason }) => {
      const step = run.findStep(stepId)!;
      run.audit(actor, 'SKIP_STEP', stepId, reason);
      if (step.waveId) await forwardToWave(context, step, 'skip', reason);
      else context.operatorDecisions.set(stepId, { action: 'skip', reason });
      context.changed();
      return step;
    },
    {
      validator: ({ stepId, actor, reason }: StepActionInput) => {
        validateStepAction(context, stepId, actor, 'step.skip');
        if (!reason?.trim()) refuse(FAILURE_TYPES.invalid, 'Skipping a step needs a reason.');
      },
    },
  );
}

/** Pause, resume and cancel of the whole run. */
function registerRunHandlers(context: MigrationContext): void {
  const { run, status } = context;
  setHandler(
    pauseUpdate,
    async ({ actor, reason }) => {
      status.paused = true;
      run.audit(actor, 'PAUSE', undefined, reason);
      await signalRunningWave(context, 'pause');
      context.changed();
      return runOverview(status);
    },
    {
      validator: ({ actor }: OperatorInput) => {
        context.refuseIfFinal();
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
      await signalRunningWave(context, 'resume');
      context.changed();
      return runOverview(status);
    },
    {
      validator: ({ actor }: OperatorInput) => {
        context.refuseIfFinal();
        requirePermission(actor, 'run.resume');
        if (!status.paused) refuse(FAILURE_TYPES.conflict, 'The run is not paused.');
      },
    },
  );

  setHandler(
    cancelUpdate,
    ({ actor, reason }) => {
      context.cancelRequest = { actor, reason };
      run.audit(actor, 'CANCEL', undefined, reason);
      const undoing = context.provisioningStarted();
      run.record('CANCELLING', undoing ? 'Cancelling: undoing what was done' : 'Cancelling', undefined, message('CANCELLING', { undoing }));
      context.main.cancel();
      return runOverview(status);
    },
    {
      validator: ({ actor }: OperatorInput) => {
        context.refuseIfFinal();
        requirePermission(actor, 'run.cancel');
        if (context.cancelRequest) refuse(FAILURE_TYPES.conflict, 'The run is already being cancelled.');
      },
    },
  );
}

/** Every operator control of the run. */
export function registerOperatorHandlers(context: MigrationContext): void {
  registerStepHandlers(context);
  registerRunHandlers(context);
}
