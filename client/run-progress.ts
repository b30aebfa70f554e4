/**
 * Progress of a run per phase and per wave, as the dashboard's bars and `passerelle watch`
 * draw them. Pure, and free of Node built-ins: the dashboard bundles it.
 */
import { isStepSettled, percentComplete, type StepProgress } from '../domain/progress';
import { type Phase, PHASES, type StepState } from '../domain/run';
import type { MigrationStatus, StepView } from '../domain/run-status';
import type { WaveWindowView } from '../domain/cutover-windows';

/** Each phase's name in English, as the command line and the English dashboard show it. */
export const PHASE_LABELS_EN: Readonly<Record<Phase, string>> = {
  ASSESSMENT: 'Assessment',
  CLASSIFICATION: 'Classification',
  AWAITING_APPROVAL: 'Approvals',
  AWAITING_QUALIFICATION: 'Provider qualification',
  PROVISIONING: 'Provisioning',
  CUTOVER: 'Cutover',
  DONE: 'Done',
};

/** Where a phase stands against the run's current phase. */
export type PhasePosition = 'done' | 'current' | 'upcoming';

/** One bar: how far a phase or a wave has gone. */
export interface ProgressBar {
  id: string;
  percent: number;
  /** Settled steps (or decided approvals) out of `total`; both 0 when the phase has none. */
  settled: number;
  total: number;
  /** True when one of its steps failed and waits for an operator. */
  failed: boolean;
}

/** A phase's bar and its place in the stepper. */
export interface PhaseProgress extends ProgressBar {
  id: Phase;
  position: PhasePosition;
}

/** A wave's bar and state. */
export interface WaveProgress extends ProgressBar {
  index: number;
  state: StepState;
  workloadIds: string[];
  /** Where the wave stands with its cutover window, when the plan has one. */
  window?: WaveWindowView;
}

function asProgress(step: StepView): StepProgress {
  return { state: step.state, ...(step.progress !== undefined ? { fraction: step.progress } : {}) };
}

function barOver(id: string, steps: readonly StepView[]): ProgressBar {
  return {
    id,
    percent: percentComplete(steps.map(asProgress)),
    settled: steps.filter((step) => isStepSettled(step.state)).length,
    total: steps.length,
    failed: steps.some((step) => step.state === 'FAILED'),
  };
}

/** The bar of every phase: passed phases are full, upcoming ones empty, the current one by its steps. */
export function phaseProgress(status: MigrationStatus): PhaseProgress[] {
  const current = PHASES.indexOf(status.phase);
  const completed = status.status === 'COMPLETED';
  return PHASES.map((phase, index): PhaseProgress => {
    const steps = status.steps.filter((step) => step.phase === phase);
    const bar = barOver(phase, steps);
    if (index < current || (completed && index === current)) {
      return { ...bar, id: phase, position: 'done', percent: steps.length > 0 ? bar.percent : 100 };
    }
    if (index > current) return { ...bar, id: phase, position: 'upcoming', percent: steps.length > 0 ? bar.percent : 0 };
    if (phase === 'AWAITING_APPROVAL' && steps.length === 0) {
      const approvals = status.approvals.filter((approval) => approval.round === status.round);
      const approved = approvals.filter((approval) => approval.state === 'APPROVED').length;
      const percent = approvals.length === 0 ? 0 : Math.floor((100 * approved) / approvals.length);
      return { id: phase, position: 'current', percent, settled: approved, total: approvals.length, failed: false };
    }
    return { ...bar, id: phase, position: 'current' };
  });
}

/** The bar of every cutover wave, in wave order. */
export function waveProgress(status: MigrationStatus): WaveProgress[] {
  return [...status.waves]
    .sort((left, right) => left.index - right.index)
    .map((wave) => ({
      ...barOver(
        wave.id,
        status.steps.filter((step) => step.waveId === wave.id),
      ),
      index: wave.index,
      state: wave.state,
      workloadIds: wave.workloadIds,
      ...(wave.window ? { window: wave.window } : {}),
    }));
}
