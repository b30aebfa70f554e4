/** Named failures of Passerelle's own activities (provider failures live in ./provider/errors). */

/** The plan does not validate: repeating the activity cannot help. */
export class InvalidPlanError extends Error {
  override readonly name = 'InvalidPlanError';
  constructor(readonly errors: { path: string; message: string }[]) {
    super(`The plan is not valid: ${errors.slice(0, 5).map((error) => `${error.path || '(plan)'}: ${error.message}`).join('; ')}${errors.length > 5 ? ` (and ${errors.length - 5} more)` : ''}`);
  }
}

/** A validation or smoke test ran and found the migrated workload wrong. */
export class CheckFailedError extends Error {
  override readonly name = 'CheckFailedError';
}

/** Error type names that activity retry policies list as non-retryable. */
export const NON_RETRYABLE_ACTIVITY_ERROR_TYPES: readonly string[] = ['InvalidPlanError', 'CheckFailedError'];
