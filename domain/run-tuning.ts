/**
 * A duration as Temporal reads it in timeouts and retry policies: a number of milliseconds, or
 * text such as `500ms`, `10s`, `2m`, `1h`, `1d`.
 */
export type TuningDuration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

/**
 * Timeouts and retries of a run's steps, given to a run when it starts. Production keeps the
 * defaults (or the PASSERELLE_* settings); tests shorten them so that a failure reaches
 * NEEDS_ATTENTION in seconds.
 */
export interface RunTuning {
  /** Attempts of a provider step before it needs an operator. */
  stepMaxAttempts: number;
  retryInitialInterval: TuningDuration;
  retryMaximumInterval: TuningDuration;
  /** Start-to-close timeout of one provider call. */
  stepTimeout: TuningDuration;
  /** A replication that stops heartbeating for this long is retried (a hung call, a dead worker). */
  heartbeatTimeout: TuningDuration;
  /** How often a cutover wave reports its step changes to the run. */
  progressInterval: TuningDuration;
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
