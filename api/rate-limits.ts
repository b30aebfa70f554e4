import type { RequestHandler } from 'express';
import { type AugmentedRequest, type Options, rateLimit } from 'express-rate-limit';
import { type ApiProblem, problems, sendProblem } from './problem';

/** Limits per client address and credential; `api/main.ts` reads them from API_RATE_LIMIT and API_AUTH_FAILURE_LIMIT. */
export interface RateLimits {
  /** Requests per minute. */
  requestsPerMinute: number;
  /** Failed authentications (401) per {@link AUTH_FAILURE_WINDOW_MS}, per credential and per address (see {@link AuthFailureThrottle}). */
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

/** Why the throttle refuses a request before its token is even read, if it does. */
export type AuthLockout = { scope: 'credential' | 'address'; retryAfterSeconds: number };

/**
 * Failed authentications (answers 401), counted per presented credential and per client
 * address over {@link AUTH_FAILURE_WINDOW_MS}. A credential past the limit is refused outright
 * (it is a token that keeps failing, or a guess replayed from many addresses). An address past
 * the limit only loses the benefit of the doubt: its requests with a valid token still get
 * through, so that a guesser behind a NAT or a proxy cannot lock out the people who share its
 * address, while its own invalid requests answer 429 rather than 401 and teach it nothing.
 */
export interface AuthFailureThrottle {
  /** A lock-out of this credential, if any: it applies before verification. */
  credentialLockout(credential: string | undefined): AuthLockout | undefined;
  /** A lock-out of this address, if any: it applies to requests whose token did not verify. */
  addressLockout(address: string): AuthLockout | undefined;
  /** Counts one failed authentication of this address and credential. */
  recordFailure(address: string, credential: string | undefined): void;
}

/** Entries kept per counter at most: beyond it expired ones are swept, then the oldest dropped. */
const MAX_TRACKED = 20_000;

function failureCounter(limit: number, now: () => number) {
  const entries = new Map<string, { count: number; resetAt: number }>();
  const trim = (at: number) => {
    if (entries.size < MAX_TRACKED) return;
    for (const [key, entry] of entries) if (entry.resetAt <= at) entries.delete(key);
    // Still full: forget the oldest, whose windows end first (Maps keep insertion order).
    for (const key of entries.keys()) {
      if (entries.size < MAX_TRACKED) break;
      entries.delete(key);
    }
  };
  return {
    lockout(key: string): AuthLockout['retryAfterSeconds'] | undefined {
      const entry = entries.get(key);
      const at = now();
      return entry && entry.resetAt > at && entry.count >= limit ? (entry.resetAt - at) / 1000 : undefined;
    },
    record(key: string): void {
      const at = now();
      trim(at);
      const current = entries.get(key);
      if (current && current.resetAt > at) current.count += 1;
      else {
        entries.delete(key);
        entries.set(key, { count: 1, resetAt: at + AUTH_FAILURE_WINDOW_MS });
      }
    },
  };
}

/** The throttle of one API process, over `limits.authFailures` per window and per key. */
export function createAuthFailureThrottle(limits: Pick<RateLimits, 'authFailures'>, now: () => number = Date.now): AuthFailureThrottle {
  const byCredential = failureCounter(limits.authFailures, now);
  const byAddress = failureCounter(limits.authFailures, now);
  return {
    credentialLockout(credential) {
      const wait = credential === undefined ? undefined : byCredential.lockout(credential);
      return wait === undefined ? undefined : { scope: 'credential', retryAfterSeconds: wait };
    },
    addressLockout(address) {
      const wait = byAddress.lockout(address);
      return wait === undefined ? undefined : { scope: 'address', retryAfterSeconds: wait };
    },
    recordFailure(address, credential) {
      byAddress.record(address);
      if (credential !== undefined) byCredential.record(credential);
    },
  };
}

/** The 429 of a lock-out, worded for its scope. */
export function lockoutProblem(lockout: AuthLockout): ApiProblem {
  const detail =
    lockout.scope === 'credential'
      ? 'This token failed authentication too many times; get a new token, or retry after the delay in Retry-After.'
      : 'Too many failed authentications from your address; send a valid token, or retry after the delay in Retry-After.';
  return problems.tooManyRequests(detail, lockout.retryAfterSeconds);
}

/** Default of API_EVENTS_MAX_STREAMS: more than a dashboard and a terminal or two keep open. */
export const DEFAULT_MAX_STREAMS_PER_CALLER = 8;

/** Open event streams per caller (token subject) on this replica. */
export interface StreamLimiter {
  /** Takes a slot for this caller, or answers undefined when the caller holds every one; the function frees it. */
  acquire(subject: string): (() => void) | undefined;
  /** Streams open right now for this caller. */
  openFor(subject: string): number;
}

/** Limits the event streams a caller holds open at once, so that one token cannot pin the replica's connections. */
export function createStreamLimiter(maxPerCaller: number): StreamLimiter {
  const open = new Map<string, number>();
  return {
    acquire(subject) {
      const count = open.get(subject) ?? 0;
      if (count >= maxPerCaller) return undefined;
      open.set(subject, count + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(subject) ?? 1) - 1;
        if (left <= 0) open.delete(subject);
        else open.set(subject, left);
      };
    },
    openFor(subject) {
      return open.get(subject) ?? 0;
    },
  };
}
