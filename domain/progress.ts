/**
 * Progress arithmetic over a run's steps: the run's percent complete (the status query's
 * `percentComplete`) and the bars of phases and waves. Pure and deterministic: the workflow
 * computes it in its sandbox, the dashboard in the browser.
 */
import { CUTOVER_STEPS_PER_WORKLOAD, type Phase, PHASES, type RunStatus, type StepState } from './run';

/** States after which a step has nothing left to do in the forward direction. */
export const SETTLED_STEP_STATES = ['SUCCEEDED', 'SKIPPED'] as const satisfies readonly StepState[];

/** Tells whether a step is done for progress purposes (succeeded or skipped). */
export function isStepSettled(state: StepState): boolean {
  return (SETTLED_STEP_STATES as readonly StepState[]).includes(state);
}

/** One step as progress sees it. */
export interface StepProgress {
  state: StepState;
  /** Fraction done (0 to 1) of a running, waiting or failed step, for example bytes replicated. */
  fraction?: number;
  /** Relative weight, 1 by default: a 45 TB replication may weigh more than a DNS switch. */
  weight?: number;
}

/**
 * How much of one step is done, from 0 to 1: the one rule every percentage follows.
 * Succeeded and skipped steps count in full; running, waiting and failed ones by their
 * fraction; pending ones not at all, and neither do compensated ones: their work was undone
 * (traffic switched back, resource deleted), so a rollback moves the percentage back rather
 * than announcing progress that no longer exists.
 */
export function stepCompletion(step: Pick<StepProgress, 'state' | 'fraction'>): number {
  switch (step.state) {
    case 'SUCCEEDED':
    case 'SKIPPED':
      return 1;
    case 'RUNNING':
    case 'WAITING':
    case 'FAILED':
      return sanitize(step.fraction ?? 0, 1);
    case 'PENDING':
    case 'COMPENSATED':
      return 0;
  }
}

/**
 * Percent complete (an integer from 0 to 100) of a list of steps, each counted by
 * {@link stepCompletion} and its weight. Only a fully settled list reaches 100.
 */
export function percentComplete(steps: readonly StepProgress[]): number {
  if (steps.length === 0) return 0;
  let done = 0;
  let total = 0;
  for (const step of steps) {
    const weight = sanitize(step.weight ?? 1, Number.MAX_SAFE_INTEGER);
    total += weight;
    done += weight * stepCompletion(step);
  }
  if (steps.every((step) => isStepSettled(step.state))) return 100;
  if (total === 0) return 0;
  // Capped at 99 so that rounding never announces completion early.
  return Math.min(99, Math.floor((100 * done) / total));
}

/** Share of the run's percentage that each phase carries once passed. */
const PHASE_WEIGHTS: Readonly<Record<Phase, number>> = {
  ASSESSMENT: 5,
  CLASSIFICATION: 5,
  AWAITING_APPROVAL: 10,
  AWAITING_QUALIFICATION: 5,
  PROVISIONING: 25,
  CUTOVER: 50,
  DONE: 0,
};

/** What the run's percentage reads of its status. */
export interface RunProgress {
  phase: Phase;
  status: RunStatus;
  steps: readonly { phase: Phase; state: StepState; progress?: number }[];
  waves: readonly { workloadIds: readonly string[] }[];
}

/**
 * The run's percent complete (an integer from 0 to 100), weighted by phase: a phase counts in
 * full once passed; in the step phases (provisioning, cutover) the current one counts its steps
 * by {@link stepCompletion}. Cutover counts the steps of every planned wave from the outset,
 * since waves add their steps as they start. Only a completed run reaches 100.
 */
export function runPercentComplete(run: RunProgress): number {
  const current = run.phase === 'PROVISIONING' || run.phase === 'CUTOVER' ? run.steps.filter((step) => step.phase === run.phase) : [];
  const planned = run.phase === 'CUTOVER' ? run.waves.reduce((sum, wave) => sum + wave.workloadIds.length * CUTOVER_STEPS_PER_WORKLOAD, 0) : 0;
  const completed = current.reduce((sum, step) => sum + stepCompletion({ state: step.state, fraction: step.progress }), 0);
  return runPercentOfPhase(run, { completed, total: Math.max(current.length, planned) });
}

/**
 * {@link runPercentComplete} from the current phase's counts alone: `completed` steps (a running
 * one by its fraction) out of `total` (for cutover, at least the steps of every planned wave).
 */
export function runPercentOfPhase(run: Pick<RunProgress, 'phase' | 'status'>, current: { completed: number; total: number }): number {
  if (run.status === 'COMPLETED') return 100;
  const index = PHASES.indexOf(run.phase);
  let done = 0;
  for (const phase of PHASES.slice(0, index)) done += PHASE_WEIGHTS[phase];
  if ((run.phase === 'PROVISIONING' || run.phase === 'CUTOVER') && current.total > 0) done += (PHASE_WEIGHTS[run.phase] * current.completed) / current.total;
  return Math.min(99, Math.floor(done));
}

/** Clamps to [0, max]; NaN, infinities and negatives count as 0 so that one bad report cannot poison the total. */
function sanitize(value: number, max: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(value, max);
}
