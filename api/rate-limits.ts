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
 * `authFailures` guesses, while a client with a valid token is never counted. A request is
 * counted once its 401 is sent, so that requests the client abandons (a closed event stream, a
 * load test's cut-off) never lock an address out.
 */
export function authFailureRateLimit(limits: RateLimits, now: () => number = Date.now): RequestHandler {
  const failures = new Map<string, { count: number; resetAt: number }>();
  const sweep = (at: number) => {
    for (const [address, entry] of failures) if (entry.resetAt <= at) failures.delete(address);
  };
  return (req, res, next) => {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const at = now();
    const entry = failures.get(address);
    if (entry && entry.resetAt > at && entry.count >= limits.authFailures) {
      sendProblem(
        res,
        problems.tooManyRequests('Too many failed authentications from your address; retry after the delay in Retry-After.', (entry.resetAt - at) / 1000),
        req.originalUrl,
      );
      return;
    }
    res.once('finish', () => {
      if (res.statusCode !== 401) return;
      const finishedAt = now();
      if (failures.size > 10_000) sweep(finishedAt);
      const current = failures.get(address);
      if (current && current.resetAt > finishedAt) current.count += 1;
      else failures.set(address, { count: 1, resetAt: finishedAt + AUTH_FAILURE_WINDOW_MS });
    });
    next();
  };
}
