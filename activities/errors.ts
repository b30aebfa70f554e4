/** Named failures of Passerelle's own activities (provider failures live in provider/errors); their names come from domain/failures.ts. */
import { ACTIVITY_ERROR_NAMES } from '../domain/failures';
import type { DriftFinding } from '../provider';

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

/** A landing zone no longer matches what was provisioned: someone changed it, and cutover must not go on. */
export class LandingZoneDriftError extends Error {
  override readonly name = ACTIVITY_ERROR_NAMES.landingZoneDrift;

  constructor(
    readonly landingZoneId: string,
    readonly findings: DriftFinding[],
  ) {
    super(
      `Landing zone ${landingZoneId} drifted from what was provisioned: ${findings
        .map((finding) => `${finding.check} of ${finding.resourceId}: expected ${finding.expected}, found ${finding.actual}`)
        .join('; ')}`,
    );
  }
}
