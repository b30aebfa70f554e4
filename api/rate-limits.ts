import type { RequestHandler } from 'express';
import { type AugmentedRequest, type Options, rateLimit } from 'express-rate-limit';
import { problems, sendProblem } from './problem';

/** Limits per client address; `api/main.ts` reads them from API_RATE_LIMIT and API_AUTH_FAILURE_LIMIT. */
export interface RateLimits {
  /** Requests per minute. */
  requestsPerMinute: number;
  /** Failed authentications (401) per {@link AUTH_FAILURE_WINDOW_MS} before every request is refused. */
  authFailures: number;
}

/** Defaults generous enough for a dashboard that polls, tight enough to slow a scraper. */
export const DEFAULT_RATE_LIMITS: RateLimits = { requestsPerMinute: 1200, authFailures: 30 };

/** The window over which failed authentications are counted. */
export const AUTH_FAILURE_WINDOW_MS = 15 * 60_000;

function refuse(detail: string): Options['handler'] {
  return (req, res, _next, options) => {
    const resetTime = (req as AugmentedRequest)[options.requestPropertyName]?.resetTime;
    const waitMs = resetTime ? resetTime.getTime() - Date.now() : options.windowMs;
    sendProblem(res, problems.tooManyRequests(detail, waitMs / 1000), req.originalUrl);
  };
}

/** Refuses a client address that sends more than `requestsPerMinute` requests a minute (429 problem, Retry-After). */
export function requestRateLimit(limits: RateLimits): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: limits.requestsPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: refuse('Too many requests from your address; slow down and retry after the delay in Retry-After.'),
  });
}

/**
 * Counts only the requests that fail authentication (401) per client address, and refuses
 * every request of an address past the limit: guessing tokens costs a quarter of an hour per
 * `authFailures` guesses, while a client with a valid token is never counted.
 */
export function authFailureRateLimit(limits: RateLimits): RequestHandler {
  return rateLimit({
    windowMs: AUTH_FAILURE_WINDOW_MS,
    limit: limits.authFailures,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_req, res) => res.statusCode !== 401,
    standardHeaders: false,
    legacyHeaders: false,
    handler: refuse('Too many failed authentications from your address; retry after the delay in Retry-After.'),
  });
}
