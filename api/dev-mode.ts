/**
 * What keeps development mode safe on a shared laptop: its routes answer only requests that
 * name a loopback host (a web page that rebinds its own DNS name to 127.0.0.1 still sends its
 * own name in `Host`), and the demo sign-in asks for a key that only someone who can read the
 * data directory (or `npm start`'s output) knows.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { DEV_SIGN_IN_KEY_PARAMETER } from '../domain/token-claims';
import { problems } from './problem';

/** True for `localhost`, `127.x.x.x` and `[::1]`, with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = /^\[([^\]]+)\](?::\d+)?$/.exec(host)?.[1] ?? host.replace(/:\d+$/, '');
  const lower = name.toLowerCase();
  if (lower === 'localhost' || lower === '::1') return true;
  return isIP(lower) === 4 && lower.startsWith('127.');
}

/** Refuses, with 403, a request whose `Host` is not a loopback name. */
export function requireLoopbackHost(): RequestHandler {
  return (req, _res, next) => {
    // The raw header, never X-Forwarded-Host: development trusts no proxy.
    if (isLoopbackHost(req.headers.host)) {
      next();
      return;
    }
    next(problems.forbidden('Development routes answer only requests addressed to localhost, 127.0.0.1 or [::1].'));
  };
}

/**
 * The key the dashboard's demo sign-in needs in development: derived from the development
 * secret, so that every process that holds the secret agrees on it and nobody else can guess it.
 * `npm start` prints the dashboard's address with it (`/?sign-in-key=…`).
 */
export function devSignInKey(secret: Uint8Array): string {
  return createHmac('sha256', secret).update('passerelle development sign-in').digest('base64url');
}

/** Refuses, with 401, a request that does not send `Authorization: Bearer <sign-in key>`. */
export function requireDevSignInKey(secret: Uint8Array): RequestHandler {
  const expected = Buffer.from(devSignInKey(secret));
  return (req, _res, next) => {
    const presented = Buffer.from(/^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '');
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) {
      next();
      return;
    }
    next(problems.unauthorized(`Send the development sign-in key as \`Authorization: Bearer <key>\`: open the dashboard at the address \`npm start\` prints (…/?${DEV_SIGN_IN_KEY_PARAMETER}=…).`));
  };
}
