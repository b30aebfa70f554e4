/**
 * Names of failures, declared once: the `type` of the ApplicationFailure a run ends with or an
 * update is refused with, and the `name` of the errors activities throw (Temporal turns an
 * activity error's `name` into its failure type, so retry policies list them by these names).
 */

/** Failure types a run can end with, or an update validator refuse with (ApplicationFailure.type). */
export const FAILURE_TYPES = {
  invalidPlan: 'InvalidPlan',
  /** Update refusals (validators): the API maps each to an HTTP status. */
  notFound: 'NotFound',
  forbidden: 'Forbidden',
  conflict: 'Conflict',
  invalid: 'Invalid',
} as const;
/** One of {@link FAILURE_TYPES}. */
export type FailureType = (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES];

/** Names of the errors activities throw: the error classes take their `name` from here. */
export const ACTIVITY_ERROR_NAMES = {
  /** The plan does not validate. */
  invalidPlan: 'InvalidPlanError',
  /** A validation or smoke test ran and found the migrated workload wrong. */
  checkFailed: 'CheckFailedError',
  /** The provider could not answer (5xx, 408, 429, network failure, time-out). */
  providerUnavailable: 'ProviderUnavailableError',
  /** A landing zone no longer matches what was provisioned (checked before cutover). */
  landingZoneDrift: 'LandingZoneDriftError',
  /** The provider refused the request (4xx). */
  providerRejected: 'ProviderRejectedError',
  /** The resource the call names does not exist at the provider. */
  providerNotFound: 'ProviderNotFoundError',
} as const;
/** One of {@link ACTIVITY_ERROR_NAMES}. */
export type ActivityErrorName = (typeof ACTIVITY_ERROR_NAMES)[keyof typeof ACTIVITY_ERROR_NAMES];

/**
 * Activity failure types that retrying cannot mend: every retry policy of the workflows lists
 * them as `nonRetryableErrorTypes`. A provider that is unavailable is retried.
 */
export const NON_RETRYABLE_ERROR_NAMES = [
  ACTIVITY_ERROR_NAMES.providerRejected,
  ACTIVITY_ERROR_NAMES.providerNotFound,
  ACTIVITY_ERROR_NAMES.invalidPlan,
  ACTIVITY_ERROR_NAMES.checkFailed,
  ACTIVITY_ERROR_NAMES.landingZoneDrift,
] as const satisfies readonly ActivityErrorName[];
