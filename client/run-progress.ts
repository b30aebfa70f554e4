/**
 * Progress of a run per phase and per wave, as the dashboard's bars and `passerelle watch`
 * draw them. Pure, and free of Node built-ins: the dashboard bundles it.
 */
import { type Phase, PHASES, type StepState } from '../domain/run';
import type { WaveWindowView } from '../domain/cutover-windows';
import type { RehearsalView } from '../domain/rehearsals';
import type { MigrationOverview, ProgressCounts, WaveOverview } from '../domain/run-overview';

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
  /** The wave's rehearsal, when the plan's settings make it rehearse. */
  rehearsal?: RehearsalView;
}

function barOver(id: string, counts: ProgressCounts): ProgressBar {
  return { id, percent: counts.percent, settled: counts.byState.SUCCEEDED + counts.byState.SKIPPED, total: counts.total, failed: counts.byState.FAILED > 0 };
}

/** The bar of every phase: passed phases are full, upcoming ones empty, the current one by its steps. */
export function phaseProgress(overview: MigrationOverview): PhaseProgress[] {
  const current = PHASES.indexOf(overview.phase);
  const completed = overview.status === 'COMPLETED';
  return overview.phases.map((counts): PhaseProgress => {
    const phase = counts.phase;
    const index = PHASES.indexOf(phase);
    const bar = barOver(phase, counts);
    if (index < current || (completed && index === current)) {
      return { ...bar, id: phase, position: 'done', percent: counts.total > 0 ? bar.percent : 100 };
    }
    if (index > current) return { ...bar, id: phase, position: 'upcoming', percent: counts.total > 0 ? bar.percent : 0 };
    if (phase === 'AWAITING_APPROVAL' && counts.total === 0) {
      const approvals = overview.approvals.filter((approval) => approval.round === overview.round);
      const approved = approvals.filter((approval) => approval.state === 'APPROVED').length;
      const percent = approvals.length === 0 ? 0 : Math.floor((100 * approved) / approvals.length);
      return { id: phase, position: 'current', percent, settled: approved, total: approvals.length, failed: false };
    }
    return { ...bar, id: phase, position: 'current' };
  });
}

/** The bar of each wave given (the overview's active waves, or a page of waves), in wave order. */
export function waveProgress(waves: readonly WaveOverview[]): WaveProgress[] {
  return [...waves]
    .sort((left, right) => left.index - right.index)
    .map((wave) => ({
      ...barOver(wave.id, wave),
      index: wave.index,
      state: wave.state,
      workloadIds: wave.workloadIds,
      ...(wave.window ? { window: wave.window } : {}),
      ...(wave.rehearsal ? { rehearsal: wave.rehearsal } : {}),
    }));
}
