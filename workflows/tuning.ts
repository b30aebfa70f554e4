/** The retry policy both workflows give their activities, from the run's tuning (domain/run-tuning.ts). */
import type { RetryPolicy } from '@temporalio/common';
import { NON_RETRYABLE_ERROR_NAMES } from '../domain/failures';
import type { RunTuning } from '../domain/run-tuning';

export { DEFAULT_TUNING, type RunTuning } from '../domain/run-tuning';

/** The retry policy of a step's activity: backoff from the tuning, never retrying what cannot mend. */
export function stepRetryPolicy(tuning: RunTuning): RetryPolicy {
  return {
    initialInterval: tuning.retryInitialInterval,
    maximumInterval: tuning.retryMaximumInterval,
    backoffCoefficient: 2,
    maximumAttempts: tuning.stepMaxAttempts,
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_NAMES],
  };
}
