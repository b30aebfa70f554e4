import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request } from 'express';
import { jwtVerify, SignJWT } from 'jose';
import type { SimCloudStore } from '../store';
import { armErrors } from './errors';
import type { ArmDirectory } from './resources';

const SIGNING_KEY_SETTING = 'arm.token-signing-key';
const TOKEN_LIFETIME_SECONDS = 3600;

/** The audience a token is for: the ARM endpoint the client called, as `https://host:port`. */
export const audienceOf = (req: Request): string => `https://${req.get('host') ?? ''}`;

/** Issues and checks sim-cloud's access tokens, signed with a key kept in its database. */
export type TokenAuthority = ReturnType<typeof createTokenAuthority>;

/**
 * A stand-in for Entra ID: OpenID metadata and the OAuth 2.0 client-credentials grant for the
 * one application registered in the directory, issuing JWTs that the ARM routes verify.
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
      token_endpoint_auth_methods_supported: ['client_secret_post'],
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
    if (body.client_id !== directory.clientId || !sameSecret(body.client_secret ?? '')) {
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
