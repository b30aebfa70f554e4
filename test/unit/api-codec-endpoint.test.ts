import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createDevAuthenticator } from '../../api/auth';
import { issueDevToken } from '../../config/dev-tokens';
import { createMigrationUseCases } from '../../use-cases/migrations';
import type { CodecPayloads } from '../../use-cases/payloads';
import { AesGcmPayloadCodec, generateCodecKey, parseCodecKeys } from '../../codec/payload-codec';

const UI_ORIGIN = 'http://127.0.0.1:8233';
const secret = randomBytes(32);
const codec = new AesGcmPayloadCodec(parseCodecKeys(generateCodecKey('ui-test')));

function appFor(loopbackOnly: boolean) {
  return createApp({
    migrations: createMigrationUseCases({ client: { workflowService: {}, workflow: {}, options: { namespace: 'default' } } as unknown as Client, taskQueue: 'codec-test' }),
    authenticator: createDevAuthenticator(secret),
    logger: pino({ level: 'silent' }),
    codecEndpoint: { codec, uiOrigins: [UI_ORIGIN], loopbackOnly },
  });
}

/** A payload as the Web UI sends it: protobuf JSON, bytes in base64. */
function wirePayloadOf(value: unknown) {
  const payload = defaultPayloadConverter.toPayload(value);
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, bytes]) => [key, Buffer.from(bytes ?? []).toString('base64')])),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  };
}

const plan = { workloads: [{ id: 'dpi', name: 'Dossier patient informatisé' }] };
let tokens: Record<'ops' | 'consultant' | 'customer', string>;

beforeAll(async () => {
  tokens = {
    ops: `Bearer ${await issueDevToken(secret, { sub: 'ops@passerelle', roles: ['ops'] })}`,
    consultant: `Bearer ${await issueDevToken(secret, { sub: 'consultant@passerelle', roles: ['consultant'] })}`,
    customer: `Bearer ${await issueDevToken(secret, { sub: 'rssi', roles: ['customer'], customerId: 'ght-rhone-nord', approverRoles: ['RSSI'] })}`,
  };
});

describe('the remote codec endpoint', () => {
  const app = appFor(false);

  it('encrypts and decrypts payloads for ops, in Temporal’s remote codec format', async () => {
    const encoded = await request(app).post('/codec/encode').set('Authorization', tokens.ops).send({ payloads: [wirePayloadOf(plan)] });
    expect(encoded.status).toBe(200);
    const [encrypted] = (encoded.body as CodecPayloads).payloads;
    expect(Buffer.from(encrypted?.metadata['encoding'] ?? '', 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(encrypted?.data ?? '', 'base64').toString('latin1')).not.toContain('Dossier');
    const decoded = await request(app).post('/codec/decode').set('Authorization', tokens.ops).set('X-Namespace', 'default').send(encoded.body as object);
    expect(decoded.status).toBe(200);
    expect(decoded.body).toEqual({ payloads: [wirePayloadOf(plan)] });
  });

  it.each(['consultant', 'customer'] as const)('refuses a %s with 403', async (role) => {
    const response = await request(app).post('/codec/decode').set('Authorization', tokens[role]).send({ payloads: [] });
    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses a caller without a token with 401, even from the Web UI’s origin outside development', async () => {
    const response = await request(app).post('/codec/decode').set('Origin', UI_ORIGIN).send({ payloads: [] });
    expect(response.status).toBe(401);
  });

  it('answers a tampered payload with 422, saying it failed authentication', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(plan)]);
    const data = Buffer.from(encrypted!.data!);
    data[data.length - 1] = (data[data.length - 1] ?? 0) ^ 0xff;
    const wire = {
      metadata: Object.fromEntries(Object.entries(encrypted!.metadata!).map(([key, bytes]) => [key, Buffer.from(bytes ?? []).toString('base64')])),
      data: data.toString('base64'),
    };
    const response = await request(app).post('/codec/decode').set('Authorization', tokens.ops).send({ payloads: [wire] });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ detail: expect.stringMatching(/failed authentication/) as unknown });
  });

  it('answers 400 to payloads that are not base64', async () => {
    const response = await request(app).post('/codec/decode').set('Authorization', tokens.ops).send({ payloads: [{ metadata: {}, data: 'not base64!' }] });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: [{ path: 'payloads[0].data' }] });
  });

  it('answers the Web UI’s preflight from its origin, and refuses other origins', async () => {
    const preflight = await request(app)
      .options('/codec/decode')
      .set('Origin', UI_ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,x-namespace');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization.*Content-Type.*X-Namespace/);
    const stranger = await request(app).options('/codec/decode').set('Origin', 'https://evil.example.test').set('Access-Control-Request-Method', 'POST');
    expect(stranger.status).toBe(403);
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the codec endpoint in development (AUTH_MODE=dev)', () => {
  const app = appFor(true);
  const encryptedWire = async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(plan)]);
    return {
      metadata: Object.fromEntries(Object.entries(encrypted!.metadata!).map(([key, bytes]) => [key, Buffer.from(bytes ?? []).toString('base64')])),
      data: Buffer.from(encrypted!.data!).toString('base64'),
    };
  };

  it('decodes for an ops token from the Web UI’s origin on a loopback host', async () => {
    const response = await request(app).post('/codec/decode').set('Origin', UI_ORIGIN).set('Authorization', tokens.ops).send({ payloads: [await encryptedWire()] });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(response.body).toEqual({ payloads: [wirePayloadOf(plan)] });
  });

  it('refuses a tokenless call even from the Web UI’s origin over loopback', async () => {
    const response = await request(app).post('/codec/decode').set('Origin', UI_ORIGIN).send({ payloads: [await encryptedWire()] });
    expect(response.status).toBe(401);
    expect(JSON.stringify(response.body)).not.toContain('Dossier');
  });

  it('refuses a forged origin whatever the token, and a token without the ops role', async () => {
    expect((await request(app).post('/codec/decode').set('Origin', 'http://127.0.0.1:9999').set('Authorization', tokens.ops).send({ payloads: [] })).status).toBe(403);
    expect((await request(app).post('/codec/decode').send({ payloads: [] })).status).toBe(401);
    expect((await request(app).post('/codec/decode').set('Origin', UI_ORIGIN).set('Authorization', tokens.customer).send({ payloads: [] })).status).toBe(403);
  });

  it('refuses a request addressed to a host name other than loopback (DNS rebinding)', async () => {
    const response = await request(app).post('/codec/decode').set('Host', 'attacker.example:3000').set('Authorization', tokens.ops).send({ payloads: [] });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ detail: expect.stringMatching(/localhost, 127\.0\.0\.1 or \[::1\]/) as unknown });
  });
});
