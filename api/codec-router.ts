/**
 * Temporal's remote codec protocol (`POST /codec/encode`, `POST /codec/decode`), so that the
 * Temporal Web UI and CLI show decrypted payloads to the people allowed to read them: ops.
 * Bodies are `{payloads: [{metadata: {key: base64}, data: base64}]}` both ways.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import express, { type RequestHandler, type Router } from 'express';
import { z } from 'zod';
import { PayloadDecryptionError } from '../codec/payload-codec';
import { authenticate, type Authenticator, identityOf } from './auth';
import type { Action } from '../domain';
import { authorize } from './authorization';
import { rememberRouteBase } from './metrics';
import { requireLoopbackHost } from './dev-mode';
import { problems } from './problem';
import type { AuthFailureThrottle } from './rate-limits';
import { type BodyLimits, jsonBody, parseBody } from './validation';

const base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'must be base64' });

/** One payload as the remote codec protocol carries it (protobuf JSON: bytes in base64). */
export const CodecPayloadSchema = z.object({
  metadata: z.record(z.string().max(256), base64Schema).default({}),
  data: base64Schema.default(''),
});

/** Body and answer of `POST /codec/encode` and `POST /codec/decode`. */
export const CodecPayloadsSchema = z.object({
  payloads: z.array(CodecPayloadSchema).max(10_000, { error: 'must hold at most 10000 payloads' }),
});
/** Body and answer of the codec endpoints. */
export type CodecPayloads = z.infer<typeof CodecPayloadsSchema>;

/** Largest batch the Web UI sends: a page of history of large payloads, each a few values. */
const CODEC_BODY_LIMITS: BodyLimits = { maxBytes: 16 * 1024 * 1024, maxElements: 100_000 };

const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, X-Namespace';

/** What the codec endpoint needs. */
export interface CodecRouterOptions {
  codec: PayloadCodec;
  authenticator: Authenticator;
  /** Failed authentications per credential and address, shared with /v1. */
  authThrottle?: AuthFailureThrottle;
  /** Origins of the Temporal Web UI, which calls the endpoint from the browser (CORS). */
  uiOrigins: readonly string[];
  /** Development (AUTH_MODE=dev): answer only requests addressed to a loopback host name. */
  loopbackOnly: boolean;
}

function toPayload(wire: z.infer<typeof CodecPayloadSchema>): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(wire.metadata).map(([key, value]) => [key, new Uint8Array(Buffer.from(value, 'base64'))])),
    data: new Uint8Array(Buffer.from(wire.data, 'base64')),
  };
}

function toWire(payload: Payload): z.infer<typeof CodecPayloadSchema> {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  };
}

/** Runs the codec over a batch; a payload that fails to decrypt answers 422 without saying more than why. */
export async function transcodePayloads(codec: PayloadCodec, direction: 'encode' | 'decode', body: CodecPayloads): Promise<CodecPayloads> {
  try {
    const payloads = await codec[direction](body.payloads.map(toPayload));
    return { payloads: payloads.map(toWire) };
  } catch (error) {
    if (error instanceof PayloadDecryptionError) throw problems.unprocessable(`A payload could not be decoded: ${error.message}.`);
    throw error;
  }
}

/** Answers the Web UI's preflight and marks its responses readable by its origin. */
function corsForUi(origins: readonly string[]): RequestHandler {
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
function authorizeCodecCaller(options: CodecRouterOptions, action: Action): RequestHandler {
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

/** The remote codec endpoint, mounted at `/codec`. */
export function createCodecRouter(options: CodecRouterOptions): Router {
  const router = express.Router();
  router.use(rememberRouteBase);
  if (options.loopbackOnly) router.use(requireLoopbackHost());
  router.use(corsForUi(options.uiOrigins));

  router.post('/encode', authorizeCodecCaller(options, 'payload.encode'), jsonBody(CODEC_BODY_LIMITS), async (req, res) => {
    res.json(await transcodePayloads(options.codec, 'encode', parseBody(CodecPayloadsSchema, req.body)));
  });

  router.post('/decode', authorizeCodecCaller(options, 'payload.decode'), jsonBody(CODEC_BODY_LIMITS), async (req, res) => {
    res.json(await transcodePayloads(options.codec, 'decode', parseBody(CodecPayloadsSchema, req.body)));
  });

  return router;
}
