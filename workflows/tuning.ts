/** Timeouts and retries of a run's steps, and the retry policy both workflows give their activities. */
import type { Duration, RetryPolicy } from '@temporalio/common';
import { NON_RETRYABLE_ERROR_NAMES } from '../domain/failures';

/**
 * Timeouts and retries of a run's steps. Production keeps the defaults; tests shorten them so
 * that a failure reaches NEEDS_ATTENTION in seconds.
 */
export interface RunTuning {
  /** Attempts of a provider step before it needs an operator. */
  stepMaxAttempts: number;
  retryInitialInterval: Duration;
  retryMaximumInterval: Duration;
  /** Start-to-close timeout of one provider call. */
  stepTimeout: Duration;
  /** A replication that stops heartbeating for this long is retried (a hung call, a dead worker). */
  heartbeatTimeout: Duration;
  /** How often a cutover wave reports its step changes to the run. */
  progressInterval: Duration;
  /** History length past which the run continues as new between waves. */
  continueAsNewAfterEvents: number;
}

export const DEFAULT_TUNING: RunTuning = {
  stepMaxAttempts: 5,
  retryInitialInterval: '1s',
  retryMaximumInterval: '30s',
  stepTimeout: '2m',
  heartbeatTimeout: '30s',
  progressInterval: '2s',
  continueAsNewAfterEvents: 8000,
};

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
