import type { RequestHandler } from 'express';
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER } from '../config/dev-tokens';
import type { UserRole } from '../domain/permissions';
import type { ApproverRole } from '../domain/plan';
import { TokenClaimsSchema } from '../domain/token-claims';
import { problems } from './problem';

/** Who is calling, as the verified token says. Handlers receive this and nothing from the body. */
export interface Identity {
  subject: string;
  roles: UserRole[];
  /** Set for customers: the only customer whose runs they may see. */
  customerId?: string;
  approverRoles: ApproverRole[];
}

/** Verifies a bearer token and returns the identity it proves. */
export interface Authenticator {
  verify(token: string): Promise<Identity>;
}

function identityFromClaims(payload: JWTPayload): Identity {
  const parsed = TokenClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw problems.unauthorized(`The token's claims are not valid: ${first?.path.join('.') || 'claims'}: ${first?.message ?? 'invalid'}.`);
  }
  const { sub, roles, customerId, approverRoles } = parsed.data;
  return { subject: sub, roles: [...new Set(roles)], customerId, approverRoles: [...new Set(approverRoles)] };
}

function verifierOver(key: Uint8Array | JWTVerifyGetKey, options: { issuer: string; audience: string; algorithms: string[] }): Authenticator {
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        // jose's overloads split on the key's type; both forms verify the same way.
        ({ payload } = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options));
      } catch {
        throw problems.unauthorized('The bearer token is invalid or expired.');
      }
      return identityFromClaims(payload);
    },
  };
}

/** Development: HS256 tokens signed with the secret generated under the data directory. */
export function createDevAuthenticator(secret: Uint8Array): Authenticator {
  return verifierOver(secret, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: ['HS256'] });
}

/** Production: tokens of an OIDC issuer, checked against its JWKS with pinned algorithms. */
export function createOidcAuthenticator(options: { issuer: string; audience: string; jwksUrl: string; algorithms: string[] }): Authenticator {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), { cooldownDuration: 30_000, timeoutDuration: 5_000 });
  return verifierOver(keys, options);
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `authenticate`: the verified caller. */
    identity?: Identity;
  }
}

/** Rejects a request without a valid bearer token with 401; otherwise sets `req.identity`. */
export function authenticate(authenticator: Authenticator): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header.trim());
    if (!match?.[1]) {
      next(problems.unauthorized('Send `Authorization: Bearer <token>`.'));
      return;
    }
    authenticator.verify(match[1]).then(
      (identity) => {
        req.identity = identity;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}

/** The verified identity of a request that went through `authenticate`. */
export function identityOf(req: { identity?: Identity }): Identity {
  if (!req.identity) throw problems.unauthorized('Not authenticated.');
  return req.identity;
}
