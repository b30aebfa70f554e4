/**
 * Progress arithmetic over a run's steps, shared by the status query and the API.
 * Pure and deterministic.
 */

/** States of a step in a run (DESIGN.md, "The run"). */
export const STEP_STATES = ['PENDING', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'COMPENSATED'] as const;
/** The state of one step. */
export type StepState = (typeof STEP_STATES)[number];

/** States after which a step has nothing left to do in the forward direction. */
export const SETTLED_STEP_STATES = ['SUCCEEDED', 'SKIPPED'] as const satisfies readonly StepState[];

/** One step as progress sees it. */
export interface StepProgress {
  state: StepState;
  /** Fraction done (0 to 1) of a running, waiting or failed step, for example bytes replicated. */
  fraction?: number;
  /** Relative weight, 1 by default: a 45 TB replication may weigh more than a DNS switch. */
  weight?: number;
}

/** Tells whether a step is done for progress purposes (succeeded or skipped). */
export function isStepSettled(state: StepState): boolean {
  return state === 'SUCCEEDED' || state === 'SKIPPED';
}

/**
 * Percent complete (an integer from 0 to 100) of a list of steps. Succeeded and skipped steps
 * count in full, running, waiting and failed ones by their fraction, pending and compensated
 * ones (their work was undone) not at all. Only a fully settled list reaches 100.
 */
export function percentComplete(steps: readonly StepProgress[]): number {
  if (steps.length === 0) return 0;
  let done = 0;
  let total = 0;
  for (const step of steps) {
    const weight = sanitize(step.weight ?? 1, Number.MAX_SAFE_INTEGER);
    total += weight;
    done += weight * completedFraction(step);
  }
  if (steps.every((step) => isStepSettled(step.state))) return 100;
  if (total === 0) return 0;
  // Capped at 99 so that rounding never announces completion early.
  return Math.min(99, Math.floor((100 * done) / total));
}

function completedFraction(step: StepProgress): number {
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

/** Clamps to [0, max]; NaN, infinities and negatives count as 0 so that one bad report cannot poison the total. */
function sanitize(value: number, max: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(value, max);
}
