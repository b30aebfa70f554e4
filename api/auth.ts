import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER } from '../config/dev-tokens';
import type { UserRole } from '../domain/permissions';
import type { ApproverRole } from '../domain/plan';
import { TokenClaimsSchema } from '../domain/token-claims';
import { problems } from './problem';
import { type AuthFailureThrottle, lockoutProblem } from './rate-limits';

/** Who is calling, as the verified token says. Handlers receive this and nothing from the body. */
export interface Identity {
  subject: string;
  roles: UserRole[];
  /** Set for customers: the only customer whose runs they may see. */
  customerId?: string;
  approverRoles: ApproverRole[];
  /** When the token stops being valid (epoch milliseconds): long-lived answers such as event streams end then. */
  expiresAt?: number;
}

/**
 * What a token must satisfy beyond its signature: production tokens are short-lived, and the
 * clocks of the issuer and of the API may disagree by a bounded amount only.
 */
export interface TokenPolicy {
  /** Longest validity a token may carry, from its `iat` (or from now when it has none) to its `exp`. */
  maxLifetimeSeconds: number;
  /** Clock skew tolerated on `exp`, `nbf` and `iat`; at most {@link MAX_CLOCK_SKEW_SECONDS}. */
  clockSkewSeconds: number;
}

/** A skew larger than this would turn an expired token into a valid one for too long. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** Defaults of AUTH_MAX_TOKEN_LIFETIME and AUTH_CLOCK_SKEW: a working day, half a minute. */
export const DEFAULT_TOKEN_POLICY: TokenPolicy = { maxLifetimeSeconds: 12 * 3600, clockSkewSeconds: 30 };

/** Verifies a bearer token and returns the identity it proves. */
export interface Authenticator {
  verify(token: string): Promise<Identity>;
}

/** Refuses a token that does not say when it expires, that lives longer than the policy allows, or that was issued in the future. */
function checkLifetime(payload: JWTPayload, policy: TokenPolicy, nowSeconds: number): void {
  const { exp, iat } = payload;
  if (typeof exp !== 'number') throw problems.unauthorized('The bearer token has no expiry (`exp`); ask for a token that expires.');
  if (typeof iat === 'number' && iat > nowSeconds + policy.clockSkewSeconds) {
    throw problems.unauthorized('The bearer token was issued in the future (`iat`); check the issuer\'s clock.');
  }
  const lifetime = exp - (typeof iat === 'number' ? iat : nowSeconds);
  if (lifetime > policy.maxLifetimeSeconds + policy.clockSkewSeconds) {
    throw problems.unauthorized(`The bearer token is valid for longer than ${policy.maxLifetimeSeconds} s (AUTH_MAX_TOKEN_LIFETIME); ask for a shorter-lived token.`);
  }
}

function identityFromClaims(payload: JWTPayload): Identity {
  const parsed = TokenClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw problems.unauthorized(`The token's claims are not valid: ${first?.path.join('.') || 'claims'}: ${first?.message ?? 'invalid'}.`);
  }
  const { sub, roles, customerId, approverRoles } = parsed.data;
  return {
    subject: sub,
    roles: [...new Set(roles)],
    customerId,
    approverRoles: [...new Set(approverRoles)],
    ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp * 1000 } : {}),
  };
}

function verifierOver(
  key: Uint8Array | JWTVerifyGetKey,
  options: { issuer: string; audience: string; algorithms: string[] },
  policy: TokenPolicy,
  now: () => number,
): Authenticator {
  const clockSkewSeconds = Math.min(Math.max(0, policy.clockSkewSeconds), MAX_CLOCK_SKEW_SECONDS);
  const bounded = { ...policy, clockSkewSeconds };
  return {
    async verify(token) {
      let payload: JWTPayload;
      const verifyOptions = { ...options, requiredClaims: ['exp'], clockTolerance: clockSkewSeconds, currentDate: new Date(now()) };
      try {
        // jose's overloads split on the key's type; both forms verify the same way.
        ({ payload } = typeof key === 'function' ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, key, verifyOptions));
      } catch (error) {
        if ((error as { claim?: unknown }).claim === 'exp' && (error as { code?: unknown }).code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
          throw problems.unauthorized('The bearer token has no expiry (`exp`); ask for a token that expires.');
        }
        throw problems.unauthorized('The bearer token is invalid or expired.');
      }
      checkLifetime(payload, bounded, Math.floor(now() / 1000));
      return identityFromClaims(payload);
    },
  };
}

/** How an authenticator reads tokens: its policy, and a clock that tests may move. */
export interface AuthenticatorOptions {
  policy?: Partial<TokenPolicy>;
  now?: () => number;
}

/** Development: HS256 tokens signed with the secret generated under the data directory. */
export function createDevAuthenticator(secret: Uint8Array, options: AuthenticatorOptions = {}): Authenticator {
  return verifierOver(
    secret,
    { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: ['HS256'] },
    { ...DEFAULT_TOKEN_POLICY, ...options.policy },
    options.now ?? Date.now,
  );
}

/** Production: tokens of an OIDC issuer, checked against its JWKS with pinned algorithms. */
export function createOidcAuthenticator(
  options: { issuer: string; audience: string; jwksUrl: string; algorithms: string[] },
  { policy, now = Date.now }: AuthenticatorOptions = {},
): Authenticator {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 });
  const { issuer, audience, algorithms } = options;
  return verifierOver(keys, { issuer, audience, algorithms }, { ...DEFAULT_TOKEN_POLICY, ...policy }, now);
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `authenticate`: the verified caller. */
    identity?: Identity;
  }
}

/** A stable, non-reversible name of a presented token, so that failures can be counted per credential without keeping it. */
export function credentialKey(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 32);
}

/**
 * Rejects a request without a valid bearer token with 401; otherwise sets `req.identity`.
 * With a throttle (api/rate-limits.ts), a credential that failed too often answers 429 before
 * any verification, and an address that failed too often answers 429 instead of 401 to its
 * requests without a valid token, while its valid tokens go through. A failure is counted once
 * its 401 is sent, so that requests a client abandons never count.
 */
export function authenticate(authenticator: Authenticator, throttle?: AuthFailureThrottle): RequestHandler {
  return (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header.trim());
    const token = match?.[1];
    const credential = token === undefined ? undefined : credentialKey(token);
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const credentialLockout = throttle?.credentialLockout(credential);
    if (credentialLockout) {
      next(lockoutProblem(credentialLockout));
      return;
    }
    const refuse = (problem: unknown) => {
      const addressLockout = throttle?.addressLockout(address);
      if (addressLockout) {
        next(lockoutProblem(addressLockout));
        return;
      }
      if (throttle) {
        res.once('finish', () => {
          if (res.statusCode === 401) throttle.recordFailure(address, credential);
        });
      }
      next(problem);
    };
    if (token === undefined) {
      refuse(problems.unauthorized('Send `Authorization: Bearer <token>`.'));
      return;
    }
    authenticator.verify(token).then(
      (identity) => {
        req.identity = identity;
        next();
      },
      refuse,
    );
  };
}

/** The verified identity of a request that went through `authenticate`. */
export function identityOf(req: { identity?: Identity }): Identity {
  if (!req.identity) throw problems.unauthorized('Not authenticated.');
  return req.identity;
}
