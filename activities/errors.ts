/** Named failures of Passerelle's own activities (provider failures live in ./provider/errors); their names come from domain/failures.ts. */
import { ACTIVITY_ERROR_NAMES } from '../domain/failures';

/** The plan does not validate: repeating the activity cannot help. */
export class InvalidPlanError extends Error {
  override readonly name = ACTIVITY_ERROR_NAMES.invalidPlan;
  constructor(readonly errors: { path: string; message: string }[]) {
    super(`The plan is not valid: ${errors.slice(0, 5).map((error) => `${error.path || '(plan)'}: ${error.message}`).join('; ')}${errors.length > 5 ? ` (and ${errors.length - 5} more)` : ''}`);
  }
}

/** A validation or smoke test ran and found the migrated workload wrong. */
export class CheckFailedError extends Error {
  override readonly name = ACTIVITY_ERROR_NAMES.checkFailed;
}
