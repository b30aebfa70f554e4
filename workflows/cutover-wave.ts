import {
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { MigrationActivities } from '../activities';
import { type AttentionView, CUTOVER_STEPS, type CutoverStepName, type StepState, stepIds, type StepView } from '../domain';
import { type Compensation, waveControlSignal, waveProgressSignal } from './messages';
import { describeFailure, nowIso } from './run-state';
import { type RunTuning, stepRetryPolicy } from './tuning';

export interface WaveWorkload {
  id: string;
  name: string;
  sizeGb: number;
  /** The landing zone or Microsoft 365 tenant that receives the workload. */
  targetId: string;
}

export interface WaveInput {
  parentWorkflowId: string;
  waveId: string;
  tenantId: string;
  bandwidthMbps: number;
  paused: boolean;
  tuning: RunTuning;
  workloads: WaveWorkload[];
}

export interface WaveResult {
  waveId: string;
  steps: StepView[];
  migrated: string[];
  skipped: string[];
  /** What the run must undo, oldest first, should it be aborted later. */
  compensations: Compensation[];
}

/** Patch id: the reporter stops waiting as soon as the wave is finished. */
const WAVE_ENDS_WITHOUT_TRAILING_WAIT = 'wave-ends-without-trailing-wait';

const FREEZE_INDEX = CUTOVER_STEPS.findIndex((step) => step.name === 'freeze');

/**
 * One cutover wave, as a child workflow so that the run's own history stays small however many
 * workloads it moves. The workloads of a wave do not depend on each other and move in parallel.
 * A failed step leaves its workload's source live (traffic back, source unfrozen) and waits for
 * the operator's decision, which the run forwards as a signal.
 */
export async function cutoverWaveWorkflow(input: WaveInput): Promise<WaveResult> {
  const { tuning } = input;
  const retry = stepRetryPolicy(tuning);
  const provider = proxyActivities<MigrationActivities>({ startToCloseTimeout: tuning.stepTimeout, retry });
  const replication = proxyActivities<MigrationActivities>({
    startToCloseTimeout: '30 days',
    heartbeatTimeout: tuning.heartbeatTimeout,
    retry,
  });
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);

  const steps = new Map<string, StepView>();
  const changedSteps = new Set<string>();
  const attention = new Map<string, AttentionView>();
  const decisions = new Map<string, { action: 'retry' | 'skip'; reason?: string }>();
  const generations: Record<string, number> = {};
  const progress = { frozen: new Set<string>(), switched: new Set<string>() };
  const migrated: string[] = [];
  const skipped: string[] = [];
  const compensations: Compensation[] = [];
  let paused = input.paused;
  let dirty = false;

  const stepId = (workloadId: string, name: CutoverStepName) => stepIds.cutover(input.waveId, workloadId, name);
  for (const workload of input.workloads) {
    for (const definition of CUTOVER_STEPS) {
      const id = stepId(workload.id, definition.name);
      steps.set(id, { id, phase: 'CUTOVER', title: `${workload.name}: ${definition.title}`, state: 'PENDING', workloadId: workload.id, waveId: input.waveId });
      changedSteps.add(id);
    }
  }

  function setState(id: string, state: StepState, patch: Partial<StepView> = {}): void {
    const step = steps.get(id)!;
    const at = nowIso();
    if (state === 'RUNNING') {
      step.startedAt = at;
      delete step.endedAt;
      delete step.error;
      delete step.skippedReason;
    } else if (state !== 'PENDING' && state !== 'WAITING') step.endedAt = at;
    Object.assign(step, patch, { state });
    changedSteps.add(id);
    dirty = true;
  }

  setHandler(waveControlSignal, (control) => {
    if (control.action === 'pause') paused = true;
    else if (control.action === 'resume') paused = false;
    else if (control.stepId && attention.has(control.stepId)) decisions.set(control.stepId, { action: control.action, reason: control.reason });
  });

  async function flush(): Promise<void> {
    const changed = [...changedSteps].map((id) => ({ ...steps.get(id)! }));
    changedSteps.clear();
    dirty = false;
    await parent.signal(waveProgressSignal, { waveId: input.waveId, steps: changed, attention: [...attention.values()] });
  }

  const keyFor = (id: string) => `${workflowInfo().parent?.workflowId ?? input.parentWorkflowId}/${id}/${generations[id] ?? 0}`;

  async function perform(name: CutoverStepName, workload: WaveWorkload, idempotencyKey: string): Promise<void> {
    const ref = { idempotencyKey, tenantId: input.tenantId, workloadId: workload.id };
    switch (name) {
      case 'replicate':
        await replication.replicateWorkload({ ...ref, targetId: workload.targetId, sizeGb: workload.sizeGb, bandwidthMbps: input.bandwidthMbps });
        return;
      case 'freeze':
        await provider.freezeSource(ref);
        progress.frozen.add(workload.id);
        return;
      case 'final-sync':
        await provider.finalSync(ref);
        return;
      case 'validate':
        await provider.validateWorkload(ref);
        return;
      case 'switch':
        await provider.switchTraffic({ ...ref, target: 'cloud' });
        progress.switched.add(workload.id);
        return;
      case 'smoke-test':
        await provider.smokeTest(ref);
        return;
    }
  }

  /** Leaves the workload's source live: traffic back to it, then writes allowed again. */
  async function restoreSource(workload: WaveWorkload, reason: string): Promise<void> {
    try {
      await undoSwitchAndFreeze(workload, reason);
    } catch (error) {
      if (isCancellation(error)) throw error;
      const id = stepId(workload.id, progress.switched.has(workload.id) ? 'switch' : 'freeze');
      attention.set(`${id}.restore`, { stepId: id, reason: 'STEP_FAILED', message: `${workload.name}: the source could not be made live again: ${describeFailure(error).message}`, since: nowIso() });
    }
  }

  async function undoSwitchAndFreeze(workload: WaveWorkload, reason: string): Promise<void> {
    if (progress.switched.has(workload.id)) {
      const id = stepId(workload.id, 'switch');
      await provider.switchTraffic({ idempotencyKey: `${keyFor(id)}/switch-back`, tenantId: input.tenantId, workloadId: workload.id, target: 'source' });
      progress.switched.delete(workload.id);
      if (steps.get(id)!.state === 'SUCCEEDED') setState(id, 'COMPENSATED', { skippedReason: reason });
    }
    if (progress.frozen.has(workload.id)) {
      const id = stepId(workload.id, 'freeze');
      await provider.unfreezeSource({ idempotencyKey: `${keyFor(id)}/unfreeze`, tenantId: input.tenantId, workloadId: workload.id });
      progress.frozen.delete(workload.id);
      if (steps.get(id)!.state === 'SUCCEEDED') setState(id, 'COMPENSATED', { skippedReason: reason });
    }
  }

  async function migrateWorkload(workload: WaveWorkload): Promise<void> {
    let index = 0;
    while (index < CUTOVER_STEPS.length) {
      if (paused) await condition(() => !paused);
      const definition = CUTOVER_STEPS[index]!;
      const id = stepId(workload.id, definition.name);
      setState(id, 'RUNNING');
      try {
        await perform(definition.name, workload, keyFor(id));
        setState(id, 'SUCCEEDED');
        index += 1;
        continue;
      } catch (error) {
        if (isCancellation(error)) throw error;
        const failure = describeFailure(error);
        setState(id, 'FAILED', { error: { ...failure, attempts: tuning.stepMaxAttempts, at: nowIso() } });
        // The source must be live while people decide: nobody should be left on a half-moved system.
        await restoreSource(workload, `undone after ${definition.name} failed`);
        attention.set(id, { stepId: id, reason: 'STEP_FAILED', message: `${workload.name}: ${definition.title} failed: ${failure.message}`, since: nowIso() });
        await flush();
      }
      await condition(() => decisions.has(id));
      const decision = decisions.get(id)!;
      decisions.delete(id);
      attention.delete(id);
      if (decision.action === 'skip') {
        for (const later of CUTOVER_STEPS.slice(index)) {
          setState(stepId(workload.id, later.name), 'SKIPPED', { skippedReason: decision.reason ?? 'skipped by an operator' });
        }
        skipped.push(workload.id);
        return;
      }
      // A retry after the freeze starts again from the freeze, since the source was unfrozen;
      // every repeated step gets a new idempotency generation so that the provider acts again.
      const restart = index >= FREEZE_INDEX ? FREEZE_INDEX : index;
      for (const again of CUTOVER_STEPS.slice(restart, index + 1)) {
        const againId = stepId(workload.id, again.name);
        generations[againId] = (generations[againId] ?? 0) + 1;
        setState(againId, 'PENDING');
      }
      index = restart;
    }
    migrated.push(workload.id);
    compensations.push(
      { kind: 'unfreeze', stepId: stepId(workload.id, 'freeze'), workloadId: workload.id },
      { kind: 'switch-back', stepId: stepId(workload.id, 'switch'), workloadId: workload.id },
    );
  }

  let finished = false;
  const reporter = (async () => {
    try {
      while (!finished) {
        await condition(() => dirty || finished);
        if (finished) break;
        await flush();
        // A wave used to sleep a whole interval after its last report before it could end;
        // runs recorded before this change replay the sleep (the replay tests hold them).
        if (patched(WAVE_ENDS_WITHOUT_TRAILING_WAIT)) await condition(() => finished, tuning.progressInterval);
        else await sleep(tuning.progressInterval);
      }
    } catch (error) {
      if (!isCancellation(error)) throw error;
    }
  })();

  try {
    await Promise.all(input.workloads.map((workload) => migrateWorkload(workload)));
  } catch (error) {
    if (!isCancellation(error)) throw error;
    // The run was aborted: every workload of this wave goes back to its live source.
    await CancellationScope.nonCancellable(async () => {
      for (const workload of [...input.workloads].reverse()) await restoreSource(workload, 'undone when the run was cancelled');
      finished = true;
      await flush();
    });
    throw error;
  }
  finished = true;
  await reporter;
  return { waveId: input.waveId, steps: [...steps.values()], migrated, skipped, compensations };
}
