import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';

/** One reason an input was refused: where (`path`) and why (`message`). */
export interface FieldError {
  path: string;
  message: string;
}

const PROBLEM_TYPE_PREFIX = 'urn:passerelle:sim-cloud:problem:';

/**
 * An RFC 9457 problem that a route throws and the error middleware answers as
 * `application/problem+json`.
 */
export class SimCloudProblem extends Error {
  override readonly name = 'SimCloudProblem';

  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
  }

  /** The problem+json body. */
  toBody(): Record<string, unknown> {
    return { type: `${PROBLEM_TYPE_PREFIX}${this.slug}`, title: this.title, status: this.status, detail: this.detail, ...this.extensions };
  }
}

/** The problems sim-cloud answers, by cause. */
export const problems = {
  invalidBody: (errors: FieldError[]) =>
    new SimCloudProblem(400, 'invalid-body', 'Invalid request body', describeFieldErrors(errors), { errors }),
  malformedJson: (detail: string) => new SimCloudProblem(400, 'malformed-json', 'Malformed JSON body', detail),
  missingIdempotencyKey: (operation: string) =>
    new SimCloudProblem(
      400,
      'missing-idempotency-key',
      'Idempotency-Key header required',
      `${operation} changes state: send an Idempotency-Key header (1 to 255 printable characters) so that it can be repeated safely.`,
    ),
  idempotencyKeyReused: (key: string, firstOperation: string) =>
    new SimCloudProblem(
      422,
      'idempotency-key-reused',
      'Idempotency-Key reused with another request',
      `Idempotency-Key '${key}' was first used by ${firstOperation} with another request; use a new key for a new request.`,
      { idempotencyKey: key, firstOperation },
    ),
  notFound: (what: string, id: string) =>
    new SimCloudProblem(404, 'not-found', 'Resource not found', `No ${what} with id '${id}'.`, { resourceId: id }),
  routeNotFound: (method: string, path: string) =>
    new SimCloudProblem(404, 'not-found', 'No such route', `${method} ${path} is not part of sim-cloud's API.`),
  conflict: (slug: string, title: string, detail: string, extensions: Record<string, unknown> = {}) =>
    new SimCloudProblem(409, slug, title, detail, extensions),
  unprocessable: (slug: string, title: string, detail: string, extensions: Record<string, unknown> = {}) =>
    new SimCloudProblem(422, slug, title, detail, extensions),
  internal: () => new SimCloudProblem(500, 'internal-error', 'Internal error', 'sim-cloud failed to answer; see its log.'),
};

/** The field errors of a failed zod parse, with dotted paths (`keys.0.kty`). */
export function fieldErrorsFromZod(error: z.ZodError): FieldError[] {
  const pathOf = (segments: readonly PropertyKey[]): string => segments.map(String).join('.') || '(body)';
  return error.issues.flatMap((issue) =>
    // Strict bodies: name each unknown field where it is, rather than its parent object.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'unknown field' }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
}

function describeFieldErrors(errors: FieldError[]): string {
  return errors.map((error) => `${error.path}: ${error.message}`).join('; ');
}

/** Answers a problem as `application/problem+json`. */
export function sendProblem(res: Response, problem: SimCloudProblem): void {
  res.status(problem.status).type('application/problem+json').json(problem.toBody());
}

/** Whether an error comes from the JSON body parser, with the status it asks for. */
function isBodyParserError(error: unknown): error is Error & { type: string; status: number } {
  return error instanceof Error && typeof (error as { type?: unknown }).type === 'string' && typeof (error as { status?: unknown }).status === 'number';
}

/** The one error middleware: every failure becomes problem+json, and no stack trace leaves the process. */
export function createProblemMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let problem: SimCloudProblem;
    if (error instanceof SimCloudProblem) {
      problem = error;
    } else if (isBodyParserError(error) && error.type === 'entity.parse.failed') {
      problem = problems.malformedJson('The request body is not valid JSON.');
    } else if (isBodyParserError(error) && error.status >= 400 && error.status < 500) {
      problem = new SimCloudProblem(error.status, 'unacceptable-body', 'Unacceptable request body', error.message);
    } else {
      logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
      problem = problems.internal();
    }
    // A hung or delayed request whose client is gone has no one left to answer.
    if (res.headersSent || res.destroyed) return;
    sendProblem(res, problem);
  };
}
