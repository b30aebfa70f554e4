/**
 * Named failures of a cloud provider call. Temporal turns an activity's error `name` into the
 * failure type, so retry policies can list the non-retryable ones by these names, declared
 * once in domain/failures.ts.
 */
import { ACTIVITY_ERROR_NAMES } from '../domain/failures';

/** An RFC 9457 problem as the provider answered it. */
export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  [extension: string]: unknown;
}

/** What every provider error says: which operation failed, and the provider's answer if any. */
export abstract class ProviderError extends Error {
  protected constructor(
    message: string,
    readonly operation: string,
    readonly status: number | undefined,
    readonly problem: ProblemDetails | undefined,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** The provider could not answer (5xx, 408, 429, network failure, time-out): try again later. */
export class ProviderUnavailableError extends ProviderError {
  override readonly name = ACTIVITY_ERROR_NAMES.providerUnavailable;

  constructor(message: string, details: { operation: string; status?: number; problem?: ProblemDetails; cause?: unknown }) {
    super(message, details.operation, details.status, details.problem, details.cause);
  }
}

/** The provider refused the request (4xx: invalid, conflicting, against policy): repeating it will not help. */
export class ProviderRejectedError extends ProviderError {
  override readonly name = ACTIVITY_ERROR_NAMES.providerRejected;
  declare readonly status: number;
  declare readonly problem: ProblemDetails;

  constructor(message: string, details: { operation: string; status: number; problem: ProblemDetails }) {
    super(message, details.operation, details.status, details.problem);
  }
}

/** The resource the call names does not exist at the provider. */
export class ProviderNotFoundError extends ProviderError {
  override readonly name = ACTIVITY_ERROR_NAMES.providerNotFound;
  declare readonly problem: ProblemDetails;

  constructor(message: string, details: { operation: string; problem: ProblemDetails }) {
    super(message, details.operation, 404, details.problem);
  }
}
