/** The current time in milliseconds since the epoch; injected so that tests can move time on. */
export interface Clock {
  now(): number;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to, for tests. */
export interface ManualClock extends Clock {
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
}

/** A {@link ManualClock} starting at `startEpochMs` (2030-01-01T00:00:00Z unless set). */
export function createManualClock(startEpochMs = Date.UTC(2030, 0, 1)): ManualClock {
  let current = startEpochMs;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}
