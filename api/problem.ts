import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { MAX_REPORTED_ERRORS } from '../domain/plan';
import { ApplicationError, type ApplicationErrorKind, type FieldError } from '../use-cases/application-error';

export type { FieldError } from '../use-cases/application-error';

/** An RFC 9457 problem as the API writes it (application/problem+json). */
export const ProblemSchema = z.object({
  type: z.string().meta({ description: 'A URI naming the kind of problem' }),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional().meta({ description: 'What went wrong, for people; never a stack trace' }),
  instance: z.string().optional().meta({ description: 'The request path' }),
  errors: z
    .array(z.object({ path: z.string().meta({ description: 'The field, such as workloads[2].dependsOn[0]; "" for the whole body' }), message: z.string() }))
    .optional()
    .meta({ description: `On 400 and 422: the offending fields and the reason, at most ${MAX_REPORTED_ERRORS}` }),
  errorCount: z.number().int().optional().meta({ description: 'How many errors there were in all, when more than `errors` lists' }),
});

/**
 * An RFC 9457 problem with an HTTP status: what the HTTP layer throws for what only HTTP knows
 * (no token, a body too large or not JSON, too many requests), and what a use case's
 * {@link ApplicationError} becomes. The error middleware writes it; anything else becomes a
 * 500 whose body says nothing internal.
 */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; errorCount?: number; headers?: Record<string, string>; type?: string } = {},
  ) {
    super(detail ?? title);
  }
}

export const problems = {
  badRequest: (detail: string, errors?: FieldError[], errorCount?: number) => new ApiProblem(400, 'Bad Request', detail, { errors, errorCount }),
  unauthorized: (detail: string) =>
    new ApiProblem(401, 'Unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer realm="passerelle"' } }),
  forbidden: (detail: string) => new ApiProblem(403, 'Forbidden', detail),
  notFound: (detail = 'No such resource.') => new ApiProblem(404, 'Not Found', detail),
  conflict: (detail: string) => new ApiProblem(409, 'Conflict', detail),
  contentTooLarge: (detail = 'The request body is larger than the API accepts.') => new ApiProblem(413, 'Content Too Large', detail),
  unsupportedMediaType: (detail: string) => new ApiProblem(415, 'Unsupported Media Type', detail),
  unprocessable: (detail: string, errors?: FieldError[]) => new ApiProblem(422, 'Unprocessable Content', detail, { errors }),
  tooManyRequests: (detail: string, retryAfterSeconds: number) =>
    new ApiProblem(429, 'Too Many Requests', detail, { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } }),
  unavailable: (detail: string, retryAfterSeconds = 5) =>
    new ApiProblem(503, 'Service Unavailable', detail, { headers: { 'Retry-After': String(retryAfterSeconds) } }),
};

const PROBLEM_TYPE_BASE = 'https://passerelle.dev/problems/';

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/**
 * Writes an ApiProblem as application/problem+json. `instance` is the request's path without
 * its query string, which a careless client may have filled with a secret.
 */
export function sendProblem(res: Parameters<RequestHandler>[1], problem: ApiProblem, url?: string): void {
  const instance = url?.split('?')[0];
  // Whatever produced them, an answer lists a bounded number of errors and says how many there were.
  const errors = problem.extra.errors?.slice(0, MAX_REPORTED_ERRORS);
  const errorCount = Math.max(problem.extra.errorCount ?? 0, problem.extra.errors?.length ?? 0);
  for (const [name, value] of Object.entries(problem.extra.headers ?? {})) res.setHeader(name, value);
  res
    .status(problem.status)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: problem.extra.type ?? `${PROBLEM_TYPE_BASE}${slug(problem.title)}`,
        title: problem.title,
        status: problem.status,
        ...(problem.detail ? { detail: problem.detail } : {}),
        ...(instance ? { instance } : {}),
        ...(errors ? { errors } : {}),
        ...(errors && errorCount > errors.length ? { errorCount } : {}),
      }),
    );
}

const PROBLEM_OF_KIND: Readonly<Record<ApplicationErrorKind, (error: ApplicationError) => ApiProblem>> = {
  invalid: (error) => problems.badRequest(error.message, error.details.errors),
  forbidden: (error) => problems.forbidden(error.message),
  'not-found': (error) => problems.notFound(error.message),
  conflict: (error) => problems.conflict(error.message),
  unprocessable: (error) => problems.unprocessable(error.message, error.details.errors),
  unavailable: (error) => problems.unavailable(error.message, error.details.retryAfterSeconds),
};

/**
 * Maps a use case's refusal to its problem, and what body-parser and friends throw; unknown
 * errors become an opaque 500.
 */
export function toProblem(error: unknown): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error instanceof ApplicationError) return PROBLEM_OF_KIND[error.kind](error);
  const candidate = error as { type?: string; status?: number; statusCode?: number; expose?: boolean };
  const status = candidate?.status ?? candidate?.statusCode;
  switch (candidate?.type) {
    case 'entity.too.large':
      return problems.contentTooLarge();
    case 'entity.parse.failed':
      return problems.badRequest('The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problems.unsupportedMediaType('The request body encoding is not supported.');
    default:
      break;
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiProblem(status, status === 400 ? 'Bad Request' : 'Client Error', 'The request was refused.');
  }
  return new ApiProblem(500, 'Internal Server Error', 'Something went wrong on our side; the error was logged.');
}

/** The one error middleware: every error answers problem+json, never a stack trace. */
export function problemMiddleware(
  options: { onInternalError?: (error: unknown) => void } = {},
): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const problem = toProblem(error);
    if (problem.status >= 500 && problem.status !== 503) options.onInternalError?.(error);
    sendProblem(res, problem, req.originalUrl);
  };
}
