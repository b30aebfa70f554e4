import { CancellationScope, isCancellation } from '@temporalio/workflow';
import { type CutoverWindowRule, message, type RehearsalView, type StepView, type WaveWindowView } from '../domain';
import { WaveState } from './cutover-wave/state';
import { migrateWorkload, restoreSource } from './cutover-wave/workload';
import type { Compensation } from './messages';
import type { RunTuning } from './tuning';

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
  /** The wave's cutover window; the wave may switch at any time without one. */
  cutoverWindow?: WaveWindowInput;
  /** Set when the wave rehearses its cutover before any freeze (cutover-wave/rehearsal.ts). */
  rehearsal?: WaveRehearsalInput;
}

/** What a wave's rehearsal needs. */
export interface WaveRehearsalInput {
  /** How long the customer's approver has to decide, from the moment the smoke tests passed. */
  deadlineMs: number;
}

/** What a wave needs to keep its freeze → switch sequence inside its cutover window. */
export interface WaveWindowInput {
  rule: CutoverWindowRule;
  /** The switchover's expected duration, which a window must still hold when the freeze starts. */
  switchoverMs: number;
  /** Windows that ops opened for this wave (or every wave) before it started. */
  exceptional: Array<{ opensAt: string; closesAt: string }>;
}

export interface WaveResult {
  waveId: string;
  steps: StepView[];
  migrated: string[];
  skipped: string[];
  /** What the run must undo, oldest first, should it be aborted later. */
  compensations: Compensation[];
  /** Where the wave last stood with its cutover window: a wave may end before its reporter sent it. */
  window?: WaveWindowView;
  /** How the wave's rehearsal ended, when it rehearsed. */
  rehearsal?: RehearsalView;
}

/**
 * One cutover wave, as a child workflow so that the run's own history stays small however many
 * workloads it moves. The workloads of a wave do not depend on each other and move in parallel
 * (cutover-wave/workload.ts); a reporter sends the run the steps that changed
 * (cutover-wave/state.ts). A failed step leaves its workload's source live and waits for the
 * operator's decision, which the run forwards as a signal. A wave that rehearses runs its
 * rehearsal (cutover-wave/rehearsal.ts) alongside: every workload waits for it before its freeze.
 */
export async function cutoverWaveWorkflow(input: WaveInput): Promise<WaveResult> {
  const wave = new WaveState(input);
  wave.registerControlHandler();
  const reporter = wave.reportUntilFinished();
  try {
    const rehearsal = wave.rehearsal ? [wave.rehearsal.run(wave.progress.replicated)] : [];
    await Promise.all([...input.workloads.map((workload) => migrateWorkload(wave, workload)), ...rehearsal]);
  } catch (error) {
    if (!isCancellation(error)) throw error;
    // The run was aborted: every workload of this wave goes back to its live source.
    await CancellationScope.nonCancellable(async () => {
      const reason = { english: 'undone when the run was cancelled', note: message('STEP_UNDONE_RUN_CANCELLED', {}) };
      for (const workload of [...input.workloads].reverse()) await restoreSource(wave, workload, reason);
      wave.finished = true;
      await wave.flush();
    });
    throw error;
  }
  wave.finished = true;
  await reporter;
  return wave.result();
}
