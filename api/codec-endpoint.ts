/**
 * Who may call the remote codec endpoint (`POST /codec/encode`, `POST /codec/decode`, routes of
 * api/routes.ts over use-cases/payloads.ts), so that the Temporal Web UI and CLI show decrypted
 * payloads to the people allowed to read them: ops. The Web UI calls from the browser (CORS).
 */
import type { PayloadCodec } from '@temporalio/common';
import type { RequestHandler } from 'express';
import { authenticate, type Authenticator, identityOf } from './auth';
import type { Action } from '../domain';
import { authorize } from './authorization';
import { problems } from './problem';
import type { AuthFailureThrottle } from './rate-limits';
import type { BodyLimits } from './validation';

/** Largest batch the Web UI sends: a page of history of large payloads, each a few values. */
export const CODEC_BODY_LIMITS: BodyLimits = { maxBytes: 16 * 1024 * 1024, maxElements: 100_000 };

const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, X-Namespace';

/** What the codec endpoint needs. */
export interface CodecEndpointOptions {
  codec: PayloadCodec;
  authenticator: Authenticator;
  /** Failed authentications per credential and address, shared with /v1. */
  authThrottle?: AuthFailureThrottle;
  /** Origins of the Temporal Web UI, which calls the endpoint from the browser (CORS). */
  uiOrigins: readonly string[];
  /** Development (AUTH_MODE=dev): answer only requests addressed to a loopback host name. */
  loopbackOnly: boolean;
}

/** Answers the Web UI's preflight and marks its responses readable by its origin; mounted on `/codec`. */
export function corsForUi(origins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    const allowed = origin !== undefined && origins.includes(origin);
    res.append('Vary', 'Origin');
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method !== 'OPTIONS') {
      next();
      return;
    }
    if (!allowed) {
      next(problems.forbidden('This origin may not call the codec endpoint (CODEC_CORS_ORIGINS).'));
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}

/**
 * Checks who calls and from where: a browser page of another origin than the Web UI's is
 * refused whatever its token, and every caller needs a token that may do `action` (ops).
 */
export function authorizeCodecCaller(options: Pick<CodecEndpointOptions, 'authenticator' | 'authThrottle' | 'uiOrigins'>, action: Action): RequestHandler {
  const verifyToken = authenticate(options.authenticator, options.authThrottle);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin !== undefined && !options.uiOrigins.includes(origin)) {
      next(problems.forbidden('This origin may not call the codec endpoint (CODEC_CORS_ORIGINS).'));
      return;
    }
    verifyToken(req, res, (error?: unknown) => {
      if (error !== undefined) {
        next(error);
        return;
      }
      let refusal: unknown;
      try {
        authorize(identityOf(req), action);
      } catch (problem) {
        refusal = problem;
      }
      next(refusal);
    });
  };
}
