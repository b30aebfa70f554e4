import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { type Authenticator, authenticate, createOidcAuthenticator } from '../../api/auth';
import { ApiProblem, problemMiddleware } from '../../api/problem';
import express from 'express';
import request from 'supertest';

const ISSUER = 'https://idp.example.test/realms/passerelle';
const AUDIENCE = 'passerelle-api';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

let server: Server;
let jwksUrl: string;
let issuerKey: SigningKey;
let strangerKey: SigningKey;
let ecKey: SigningKey;
let jwksRequests = 0;

/** An identity provider's JWKS, served on loopback: one RS256 key and one ES256 key. */
beforeAll(async () => {
  const rsa = await generateKeyPair('RS256');
  const ec = await generateKeyPair('ES256');
  issuerKey = rsa.privateKey;
  ecKey = ec.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const keys = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  server = createServer((_req, res) => {
    jwksRequests += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/protocol/openid-connect/certs`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function oidc(algorithms = ['RS256']): Authenticator {
  return createOidcAuthenticator({ issuer: ISSUER, audience: AUDIENCE, jwksUrl, algorithms });
}

async function sign(
  claims: JWTPayload,
  options: { key?: SigningKey; alg?: string; kid?: string; issuer?: string; audience?: string; expiresIn?: string } = {},
): Promise<string> {
  return await new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'rsa-1', typ: 'JWT' })
    .setSubject('alice@ght-rhone-nord')
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(options.key ?? issuerKey);
}

const customerClaims = { roles: ['customer'], customerId: 'ght-rhone-nord', approverRoles: ['RSSI'] };

async function refusal(token: string, authenticator = oidc()): Promise<unknown> {
  try {
    await authenticator.verify(token);
  } catch (error) {
    return error;
  }
  throw new Error('the token was accepted');
}

describe('OIDC authentication against a JWKS', () => {
  it('accepts a token of the issuer and reads the identity from its claims', async () => {
    expect(await oidc().verify(await sign(customerClaims))).toEqual({
      subject: 'alice@ght-rhone-nord',
      roles: ['customer'],
      customerId: 'ght-rhone-nord',
      approverRoles: ['RSSI'],
      expiresAt: expect.any(Number) as unknown,
    });
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it.each<[string, { issuer?: string; audience?: string; expiresIn?: string; kid?: string; signedByStranger?: boolean }]>([
    ['another issuer', { issuer: 'https://evil.example.test' }],
    ['another audience', { audience: 'another-api' }],
    ['an expired token', { expiresIn: '-1m' }],
    ['a key the JWKS does not hold', { signedByStranger: true }],
    ['a key id the JWKS does not hold', { kid: 'rsa-9' }],
  ])('refuses %s with 401', async (_label, { signedByStranger, ...options }) => {
    const token = await sign(customerClaims, { ...options, key: signedByStranger ? strangerKey : undefined });
    const error = await refusal(token);
    expect(error).toBeInstanceOf(ApiProblem);
    expect(error).toMatchObject({ status: 401 });
  });

  it('refuses an algorithm that is not pinned, even signed by a key of the JWKS', async () => {
    const token = await sign(customerClaims, { key: ecKey, alg: 'ES256', kid: 'ec-1' });
    expect(await refusal(token, oidc(['RS256']))).toMatchObject({ status: 401 });
    expect(await oidc(['RS256', 'ES256']).verify(token)).toMatchObject({ customerId: 'ght-rhone-nord' });
  });

  it('refuses an unsigned token (alg none)', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const payload = Buffer.from(
      JSON.stringify({ ...customerClaims, sub: 'mallory', iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 300 }),
    ).toString('base64url');
    expect(await refusal(`${header}.${payload}.`)).toMatchObject({ status: 401 });
  });

  it('refuses a customer token without customerId, naming the claim', async () => {
    const error = await refusal(await sign({ roles: ['customer'] }));
    expect(error).toMatchObject({ status: 401 });
    expect((error as ApiProblem).detail).toContain('customerId');
  });

  it('answers 401 problem+json through the middleware, and lets a valid token through', async () => {
    const app = express();
    app.get('/whoami', authenticate(oidc()), (req, res) => {
      res.json(req.identity);
    });
    app.use(problemMiddleware());
    const valid = await request(app).get('/whoami').set('Authorization', `Bearer ${await sign(customerClaims)}`);
    expect(valid.status).toBe(200);
    expect(valid.body).toMatchObject({ subject: 'alice@ght-rhone-nord' });
    const forged = await request(app).get('/whoami').set('Authorization', `Bearer ${await sign(customerClaims, { key: strangerKey })}`);
    expect(forged.status).toBe(401);
    expect(forged.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
