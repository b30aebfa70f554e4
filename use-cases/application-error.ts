/**
 * The one error of the use-case layer: a refusal with a kind that says why (the caller sent
 * something invalid, may not do it, asked for something that does not exist, asked at the
 * wrong moment, or the service cannot answer now) and a message written for people. Transports
 * map the kind to their own terms: the API to an RFC 9457 problem (api/problem.ts).
 */

/** One field of an input that was refused, and why. */
export interface FieldError {
  path: string;
  message: string;
}

/** Why a use case refused. */
export const APPLICATION_ERROR_KINDS = ['invalid', 'forbidden', 'not-found', 'conflict', 'unprocessable', 'unavailable'] as const;
/** A {@link APPLICATION_ERROR_KINDS} value. */
export type ApplicationErrorKind = (typeof APPLICATION_ERROR_KINDS)[number];

/** A use case's refusal; anything else a use case throws is a fault of its own. */
export class ApplicationError extends Error {
  override readonly name = 'ApplicationError';
  constructor(
    readonly kind: ApplicationErrorKind,
    message: string,
    readonly details: { errors?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

/** Builders of {@link ApplicationError}, one per kind. */
export const refusals = {
  /** The input is malformed; `errors` names each field. */
  invalid: (message: string, errors?: FieldError[]) => new ApplicationError('invalid', message, { errors }),
  forbidden: (message: string) => new ApplicationError('forbidden', message),
  notFound: (message = 'No such resource.') => new ApplicationError('not-found', message),
  /** The target's state does not allow this now. */
  conflict: (message: string) => new ApplicationError('conflict', message),
  /** Well formed, but refused on its merits (a workflow's validator said no). */
  unprocessable: (message: string, errors?: FieldError[]) => new ApplicationError('unprocessable', message, { errors }),
  /** A dependency cannot answer now; retry after `retryAfterSeconds`. */
  unavailable: (message: string, retryAfterSeconds = 5) => new ApplicationError('unavailable', message, { retryAfterSeconds }),
};
