import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request } from 'express';
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { SimCloudStore } from '../store';
import { armErrors } from './errors';
import type { ArmDirectory } from './resources';

const SIGNING_KEY_SETTING = 'arm.token-signing-key';
const TOKEN_LIFETIME_SECONDS = 3600;
/** The client-assertion type of workload identity federation (RFC 7523). */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The audience Entra ID expects in a federated token, unless a credential names another. */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

/** The audience a token is for: the ARM endpoint the client called, as `https://host:port`. */
export const audienceOf = (req: Request): string => `https://${req.get('host') ?? ''}`;

/** Issues and checks sim-cloud's access tokens, signed with a key kept in its database. */
export type TokenAuthority = ReturnType<typeof createTokenAuthority>;

/**
 * A stand-in for Entra ID: OpenID metadata and the OAuth 2.0 client-credentials grant for the
 * one application registered in the directory, issuing JWTs that the ARM routes verify. The
 * application proves itself with its secret, or with a federated token (workload identity): a
 * JWT from an issuer the directory trusts, for a subject and audience one of its federated
 * credentials names, checked against the issuer's published keys (OpenID discovery).
 */
export function createTokenAuthority({ store, directory }: { store: SimCloudStore; directory: ArmDirectory }) {
  let stored = store.readSetting(SIGNING_KEY_SETTING);
  if (!stored) {
    stored = randomBytes(32).toString('base64url');
    store.writeSetting(SIGNING_KEY_SETTING, stored);
  }
  const key = Buffer.from(stored, 'base64url');
  const issuerOf = (req: Request) => `${audienceOf(req)}/${directory.tenantId}/v2.0`;
  const sameSecret = (given: string) => {
    const expected = Buffer.from(directory.clientSecret);
    const actual = Buffer.from(given);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  };

  /** The issuers' key sets, fetched once each through their OpenID metadata. */
  const issuerKeys = new Map<string, Promise<ReturnType<typeof createRemoteJWKSet>>>();
  const keysOf = (issuer: string) => {
    let keys = issuerKeys.get(issuer);
    if (!keys) {
      keys = (async () => {
        const response = await fetch(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
        if (!response.ok) throw new Error(`the issuer's OpenID metadata answered ${response.status}`);
        const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: string };
        if (!jwksUri) throw new Error("the issuer's OpenID metadata names no jwks_uri");
        return createRemoteJWKSet(new URL(jwksUri));
      })();
      keys.catch(() => issuerKeys.delete(issuer));
      issuerKeys.set(issuer, keys);
    }
    return keys;
  };

  /** Checks a federated client assertion; answers the AADSTS error that refuses it, or undefined. */
  const refuseAssertion = async (assertion: string): Promise<string | undefined> => {
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(assertion);
    } catch {
      return 'AADSTS50027: The client assertion is not a well-formed JWT.';
    }
    const trusted = (directory.federatedCredentials ?? []).filter((credential) => credential.issuer === claims.iss);
    if (trusted.length === 0) return `AADSTS700211: No matching federated identity record found for presented assertion issuer '${claims.iss ?? ''}'.`;
    try {
      const keys = await keysOf(claims.iss!);
      const audiences = [...new Set(trusted.map((credential) => credential.audience ?? TOKEN_EXCHANGE_AUDIENCE))];
      await jwtVerify(assertion, keys, { issuer: claims.iss!, audience: audiences });
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return 'AADSTS700024: Client assertion is not within its valid time range.';
      return `AADSTS700213: The client assertion could not be verified against its issuer's keys: ${error instanceof Error ? error.message : String(error)}.`;
    }
    if (!trusted.some((credential) => credential.subject === claims.sub && [claims.aud].flat().includes(credential.audience ?? TOKEN_EXCHANGE_AUDIENCE))) {
      return `AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '${claims.iss ?? ''}'. Assertion Subject: '${claims.sub ?? ''}'.`;
    }
    return undefined;
  };

  const router = Router();
  const oauthError = (res: express.Response, status: number, error: string, description: string) =>
    res.status(status).json({ error, error_description: description, error_codes: [], timestamp: new Date().toISOString() });

  router.get('/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    if (req.params.tenant !== directory.tenantId) {
      oauthError(res, 400, 'invalid_tenant', `Tenant '${req.params.tenant}' not found: this directory is '${directory.tenantId}'.`);
      return;
    }
    const base = `${audienceOf(req)}/${directory.tenantId}`;
    res.json({
      issuer: issuerOf(req),
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      response_types_supported: ['code', 'token'],
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
    });
  });

  router.post('/:tenant/oauth2/v2.0/token', express.urlencoded({ extended: false }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    if (req.params.tenant !== directory.tenantId) {
      oauthError(res, 400, 'invalid_request', `AADSTS90002: Tenant '${req.params.tenant}' not found.`);
      return;
    }
    if (body.grant_type !== 'client_credentials') {
      oauthError(res, 400, 'unsupported_grant_type', `Only the client_credentials grant is supported, not '${body.grant_type ?? ''}'.`);
      return;
    }
    if (body.client_id !== directory.clientId) {
      oauthError(res, 400, 'unauthorized_client', `AADSTS700016: Application with identifier '${body.client_id ?? ''}' was not found in the directory '${directory.tenantId}'.`);
      return;
    }
    if (body.client_assertion !== undefined || body.client_assertion_type !== undefined) {
      if (body.client_assertion_type !== JWT_BEARER_ASSERTION || !body.client_assertion) {
        oauthError(res, 400, 'invalid_request', `AADSTS50012: client_assertion_type must be '${JWT_BEARER_ASSERTION}', with a client_assertion.`);
        return;
      }
      const refusal = await refuseAssertion(body.client_assertion);
      if (refusal) {
        oauthError(res, 401, 'invalid_client', refusal);
        return;
      }
    } else if (!sameSecret(body.client_secret ?? '')) {
      oauthError(res, 401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided, or unknown application.');
      return;
    }
    const expectedScope = `${audienceOf(req)}/.default`;
    if (!(body.scope ?? '').split(' ').includes(expectedScope)) {
      oauthError(res, 400, 'invalid_scope', `AADSTS500011: The scope '${body.scope ?? ''}' is not valid here; ask for '${expectedScope}'.`);
      return;
    }
    const token = await new SignJWT({ tid: directory.tenantId, appid: directory.clientId, idtyp: 'app' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(issuerOf(req))
      .setAudience(audienceOf(req))
      .setSubject(directory.clientId)
      .setIssuedAt()
      .setExpirationTime(`${TOKEN_LIFETIME_SECONDS}s`)
      .sign(key);
    res.json({ token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS, ext_expires_in: TOKEN_LIFETIME_SECONDS, access_token: token });
  });

  return {
    router,

    /** Verifies the request's bearer token; throws ARM's 401 when it is missing or wrong. */
    async authenticate(req: Request): Promise<void> {
      const header = req.get('authorization') ?? '';
      const match = /^Bearer (.+)$/i.exec(header);
      if (!match?.[1]) throw armErrors.unauthenticated("The request has no 'Authorization: Bearer' token.");
      try {
        await jwtVerify(match[1], key, { issuer: issuerOf(req), audience: audienceOf(req), algorithms: ['HS256'] });
      } catch (error) {
        throw armErrors.unauthenticated(`The access token is invalid: ${error instanceof Error ? error.message : String(error)}.`);
      }
    },
  };
}
