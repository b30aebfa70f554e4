/**
 * The cutover of one workload: replicate, freeze, final sync, validate, switch traffic, smoke
 * test. A failed step leaves the workload's source live (traffic back, source unfrozen) and
 * waits for an operator to retry or skip; a retry after the freeze starts again from the freeze.
 */
import { condition, isCancellation } from '@temporalio/workflow';
import { CUTOVER_STEPS, type CutoverStepName, type Message, message, type StepView } from '../../domain';
import type { WaveWorkload } from '../cutover-wave';
import { describeFailure, nowIso } from '../run-state';
import type { WaveState } from './state';

type CutoverStep = (typeof CUTOVER_STEPS)[number];

const FREEZE_INDEX = CUTOVER_STEPS.findIndex((step) => step.name === 'freeze');
const SWITCH_INDEX = CUTOVER_STEPS.findIndex((step) => step.name === 'switch');

async function perform(wave: WaveState, name: CutoverStepName, workload: WaveWorkload, idempotencyKey: string): Promise<void> {
  const { provider, replication } = wave.activities;
  const ref = { idempotencyKey, tenantId: wave.input.tenantId, workloadId: workload.id };
  switch (name) {
    case 'replicate':
      await replication.replicateWorkload({ ...ref, targetId: workload.targetId, sizeGb: workload.sizeGb, bandwidthMbps: wave.input.bandwidthMbps });
      wave.progress.replicated.add(workload.id);
      return;
    case 'freeze':
      await provider.freezeSource(ref);
      wave.progress.frozen.add(workload.id);
      return;
    case 'final-sync':
      await provider.finalSync(ref);
      return;
    case 'validate':
      await provider.validateWorkload(ref);
      return;
    case 'switch':
      await provider.switchTraffic({ ...ref, target: 'cloud' });
      wave.progress.switched.add(workload.id);
      return;
    case 'smoke-test':
      await provider.smokeTest(ref);
      return;
  }
}

/** Why the run undid a workload's steps: an English sentence, and its message code. */
interface UndoReason {
  english: string;
  note: Message;
}

function undone(wave: WaveState, reason: UndoReason): Partial<StepView> {
  return { skippedReason: reason.english, ...(wave.messageCodes ? { note: reason.note } : {}) };
}

async function undoSwitchAndFreeze(wave: WaveState, workload: WaveWorkload, reason: UndoReason): Promise<void> {
  const { provider } = wave.activities;
  if (wave.progress.switched.has(workload.id)) {
    const id = wave.stepId(workload.id, 'switch');
    await provider.switchTraffic({ idempotencyKey: `${wave.keyFor(id)}/switch-back`, tenantId: wave.input.tenantId, workloadId: workload.id, target: 'source' });
    wave.progress.switched.delete(workload.id);
    if (wave.steps.get(id)!.state === 'SUCCEEDED') wave.setState(id, 'COMPENSATED', undone(wave, reason));
  }
  if (wave.progress.frozen.has(workload.id)) {
    const id = wave.stepId(workload.id, 'freeze');
    await provider.unfreezeSource({ idempotencyKey: `${wave.keyFor(id)}/unfreeze`, tenantId: wave.input.tenantId, workloadId: workload.id });
    wave.progress.frozen.delete(workload.id);
    if (wave.steps.get(id)!.state === 'SUCCEEDED') wave.setState(id, 'COMPENSATED', undone(wave, reason));
  }
}

/** Leaves the workload's source live: traffic back to it, then writes allowed again. */
export async function restoreSource(wave: WaveState, workload: WaveWorkload, reason: UndoReason): Promise<void> {
  try {
    await undoSwitchAndFreeze(wave, workload, reason);
  } catch (error) {
    if (isCancellation(error)) throw error;
    const id = wave.stepId(workload.id, wave.progress.switched.has(workload.id) ? 'switch' : 'freeze');
    const reason = describeFailure(error).message;
    const text = wave.messageCodes ? { text: message('ATTENTION_RESTORE_FAILED', { workloadName: workload.name, error: reason }) } : {};
    wave.attention.set(`${id}.restore`, { stepId: id, reason: 'STEP_FAILED', message: `${workload.name}: the source could not be made live again: ${reason}`, ...text, since: nowIso() });
  }
}

/** Marks the step failed, makes the source live again and tells the run that an operator is needed. */
async function holdFailedStep(wave: WaveState, workload: WaveWorkload, definition: CutoverStep, id: string, error: unknown): Promise<void> {
  const failure = describeFailure(error);
  wave.setState(id, 'FAILED', { error: { ...failure, attempts: wave.input.tuning.stepMaxAttempts, at: nowIso() } });
  // The source must be live while people decide: nobody should be left on a half-moved system.
  await restoreSource(wave, workload, { english: `undone after ${definition.name} failed`, note: message('STEP_UNDONE_AFTER_FAILURE', { failedStep: definition.name }) });
  const text = wave.messageCodes ? { text: message('ATTENTION_STEP_FAILED', { stepId: id, error: failure.message, workloadName: workload.name }) } : {};
  wave.attention.set(id, { stepId: id, reason: 'STEP_FAILED', message: `${workload.name}: ${definition.title} failed: ${failure.message}`, ...text, since: nowIso() });
  await wave.flush();
}

/**
 * Applies an operator's decision on a failed step: a skip skips the workload's remaining steps
 * (and returns undefined); a retry returns the index to start again from, with a new
 * idempotency generation for every repeated step so that the provider acts again.
 */
function applyDecision(wave: WaveState, workload: WaveWorkload, index: number, decision: { action: 'retry' | 'skip'; reason?: string }): number | undefined {
  if (decision.action === 'skip') {
    for (const later of CUTOVER_STEPS.slice(index)) {
      const note = decision.reason === undefined && wave.messageCodes ? { note: message('STEP_SKIPPED_BY_OPERATOR', {}) } : {};
      wave.setState(wave.stepId(workload.id, later.name), 'SKIPPED', { skippedReason: decision.reason ?? 'skipped by an operator', ...note });
    }
    wave.skipped.push(workload.id);
    return undefined;
  }
  // A retry after the freeze starts again from the freeze, since the source was unfrozen.
  const restart = index >= FREEZE_INDEX ? FREEZE_INDEX : index;
  for (const again of CUTOVER_STEPS.slice(restart, index + 1)) {
    const againId = wave.stepId(workload.id, again.name);
    wave.generations[againId] = (wave.generations[againId] ?? 0) + 1;
    wave.setState(againId, 'PENDING');
  }
  return restart;
}

/**
 * The window closed before the switch (a final sync that overran, an operator's late retry):
 * the source goes live again and the workload starts over from the freeze in the next window.
 */
async function startOverInNextWindow(wave: WaveState, workload: WaveWorkload): Promise<number> {
  await restoreSource(wave, workload, { english: 'undone: the cutover window closed before the switch', note: message('STEP_UNDONE_WINDOW_CLOSED', {}) });
  for (const again of CUTOVER_STEPS.slice(FREEZE_INDEX, SWITCH_INDEX)) {
    const againId = wave.stepId(workload.id, again.name);
    wave.generations[againId] = (wave.generations[againId] ?? 0) + 1;
    wave.setState(againId, 'PENDING');
  }
  return FREEZE_INDEX;
}

/**
 * Moves one workload through every cutover step, waiting for an operator after a failure. With
 * a cutover window, the freeze starts only inside a window that holds the switchover, and the
 * switch only before that window closes.
 */
export async function migrateWorkload(wave: WaveState, workload: WaveWorkload): Promise<void> {
  let index = 0;
  let windowClosesAt: number | undefined;
  while (index < CUTOVER_STEPS.length) {
    if (wave.paused) await condition(() => !wave.paused);
    // Nothing freezes before the wave's rehearsal passed or was skipped: until then every source stays live.
    if (wave.rehearsal && index === FREEZE_INDEX) {
      await wave.rehearsal.passed();
      if (wave.paused) await condition(() => !wave.paused);
    }
    if (wave.window && index === FREEZE_INDEX) {
      windowClosesAt = await wave.window.enter();
      // A pause that came while the wave waited for its window is honoured before the freeze.
      if (wave.paused) continue;
    }
    if (wave.window && index === SWITCH_INDEX && (windowClosesAt === undefined || Date.now() >= windowClosesAt)) {
      index = await startOverInNextWindow(wave, workload);
      continue;
    }
    const definition = CUTOVER_STEPS[index]!;
    const id = wave.stepId(workload.id, definition.name);
    wave.setState(id, 'RUNNING');
    try {
      await perform(wave, definition.name, workload, wave.keyFor(id));
      wave.setState(id, 'SUCCEEDED');
      index += 1;
      continue;
    } catch (error) {
      if (isCancellation(error)) throw error;
      await holdFailedStep(wave, workload, definition, id, error);
    }
    await condition(() => wave.decisions.has(id));
    const decision = wave.decisions.get(id)!;
    wave.decisions.delete(id);
    wave.attention.delete(id);
    const restart = applyDecision(wave, workload, index, decision);
    if (restart === undefined) return;
    index = restart;
  }
  wave.migrated.push(workload.id);
  wave.compensations.push(
    { kind: 'unfreeze', stepId: wave.stepId(workload.id, 'freeze'), workloadId: workload.id },
    { kind: 'switch-back', stepId: wave.stepId(workload.id, 'switch'), workloadId: workload.id },
  );
}
