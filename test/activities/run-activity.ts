import { DefaultFailureConverter, defaultPayloadConverter, ensureApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { MigrationActivities } from '../../activities';
import { DEFAULT_TUNING } from '../../domain/run-tuning';
import { stepRetryPolicy } from '../../workflows/tuning';

/** How an activity runs in a test: as part of which run, which attempt, who hears its heartbeats. */
export interface ActivityRun {
  /** The run's workflow id, on whose behalf shared resources are provisioned; `migration-test` unless set. */
  planId?: string;
  attempt?: number;
  onHeartbeat?: (details: unknown) => void;
  /** Receives the environment before the activity starts, for a test that cancels it. */
  onStart?: (environment: MockActivityEnvironment) => void;
}

/** Runs one activity of `activities` in an activity context, quietly (expected failures stay out of the output). */
export function runActivity<K extends keyof MigrationActivities>(
  activities: MigrationActivities,
  name: K,
  input: Parameters<MigrationActivities[K]>[0],
  options: ActivityRun = {},
): ReturnType<MigrationActivities[K]> {
  const planId = options.planId ?? 'migration-test';
  const environment = new MockActivityEnvironment(
    { attempt: options.attempt ?? 1, workflowExecution: { workflowId: planId, runId: `${planId}-run` } },
    { logger: new DefaultLogger('ERROR') },
  );
  if (options.onHeartbeat) environment.on('heartbeat', options.onHeartbeat);
  options.onStart?.(environment);
  const activity = (argument: typeof input) => (activities[name] as (argument: typeof input) => ReturnType<MigrationActivities[K]>)(argument);
  return environment.run(activity, input) as ReturnType<MigrationActivities[K]>;
}

/** What Temporal makes of an activity's failure, and what a step's retry policy then does. */
export interface FailureMapping {
  /** The ApplicationFailure's type, from the error's name. */
  type: string;
  /** Whether the step's retry policy tries again. */
  retryable: boolean;
  message: string;
}

const failureConverter = new DefaultFailureConverter();
const nonRetryableTypes = stepRetryPolicy(DEFAULT_TUNING).nonRetryableErrorTypes ?? [];

/**
 * Converts `error` as the worker does when an activity throws (`ensureApplicationFailure`), and reads the failure's type
 * and whether the retry policy every step shares (workflows/tuning.ts) retries it.
 */
export function failureMappingOf(error: unknown): FailureMapping {
  const failure = failureConverter.errorToFailure(ensureApplicationFailure(error), defaultPayloadConverter);
  const info = failure.applicationFailureInfo;
  if (!info) throw new Error(`the activity's failure converted to no application failure: ${failure.message ?? ''}`);
  const type = info.type ?? '';
  return { type, retryable: !info.nonRetryable && !nonRetryableTypes.includes(type), message: failure.message ?? '' };
}

/** The failure mapping of the activity `running`, which must fail. */
export async function failureOf(running: Promise<unknown>): Promise<FailureMapping> {
  const outcome = await running.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`the activity succeeded with ${JSON.stringify(outcome.value)}`);
  return failureMappingOf(outcome.error);
}
