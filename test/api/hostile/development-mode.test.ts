/**
 * Development mode on a shared laptop, over real HTTP: a web page that rebinds its DNS name to
 * 127.0.0.1 gets no token and no plaintext, another local user without the sign-in key gets
 * no token, and the codec decodes for an ops token only, from the Web UI's origin only.
 */
import { request as httpRequest, type Server } from 'node:http';
import { defaultPayloadConverter } from '@temporalio/common';
import pino from 'pino';
import { createApp } from '../../../api/app';
import { serverUrl, startServer, stopServer } from '../../../api/server';
import { createDevAuthenticator } from '../../../api/auth';
import { devSignInKey } from '../../../api/dev-mode';
import { createMigrationUseCases } from '../../../use-cases/migrations';
import { startStack, type TestStack } from '../../support/stack';

const UI_ORIGIN = 'http://127.0.0.1:8233';
let stack: TestStack;
let server: Server;
let port: number;
let encrypted: { metadata: Record<string, string>; data: string };

beforeAll(async () => {
  stack = await startStack();
  // The API as `npm start` runs it: dev tokens, demo sign-in, the codec answering on loopback names only.
  const app = createApp({
    migrations: createMigrationUseCases({ client: stack.client, taskQueue: stack.taskQueue }),
    authenticator: createDevAuthenticator(stack.devSecret),
    devTokenSecret: stack.devSecret,
    logger: pino({ level: 'silent' }),
    codecEndpoint: { codec: stack.codec, uiOrigins: [UI_ORIGIN], loopbackOnly: true },
  });
  ({ server } = await startServer(app));
  port = Number(new URL(serverUrl(server)).port);
  const [payload] = await stack.codec.encode([defaultPayloadConverter.toPayload({ patient: 'Dossier patient informatisé' })]);
  encrypted = {
    metadata: Object.fromEntries(Object.entries(payload!.metadata!).map(([key, bytes]) => [key, Buffer.from(bytes ?? []).toString('base64')])),
    data: Buffer.from(payload!.data!).toString('base64'),
  };
});

afterAll(async () => {
  if (server) await stopServer(server);
  await stack?.stop();
});

/** A request with the Host header a browser would send for the page's own name (fetch may not set Host). */
function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    request.once('error', reject);
    request.end(body);
  });
}

describe('development mode', () => {
  it.each(['rebinding.attacker.example', 'rebinding.attacker.example:3000', '127.0.0.1.nip.io'])('refuses the dev routes and the codec to a page named %s', async (host) => {
    const key = devSignInKey(stack.devSecret);
    const token = await send('POST', '/dev/token', { host, authorization: `Bearer ${key}` }, JSON.stringify({ identity: 'ops' }));
    expect(token.status).toBe(403);
    expect(token.text).not.toContain('eyJ');
    const identities = await send('GET', '/dev/identities', { host, authorization: `Bearer ${key}` });
    expect(identities.status).toBe(403);
    const ops = await stack.token({ roles: ['ops'] });
    const decoded = await send('POST', '/codec/decode', { host, origin: UI_ORIGIN, authorization: `Bearer ${ops}` }, JSON.stringify({ payloads: [encrypted] }));
    expect(decoded.status).toBe(403);
    expect(decoded.text).not.toContain('Dossier');
  });

  it('signs no token for a local caller without the sign-in key', async () => {
    const host = `127.0.0.1:${port}`;
    expect((await send('POST', '/dev/token', { host }, JSON.stringify({ identity: 'ops' }))).status).toBe(401);
    expect((await send('POST', '/dev/token', { host, authorization: 'Bearer guessed-key' }, JSON.stringify({ identity: 'ops' }))).status).toBe(401);
    const signed = await send('POST', '/dev/token', { host, authorization: `Bearer ${devSignInKey(stack.devSecret)}` }, JSON.stringify({ identity: 'ops' }));
    expect(signed.status).toBe(200);
  });

  it('refuses tokenless codec calls, forged origins and callers who are not ops', async () => {
    const host = `localhost:${port}`;
    const body = JSON.stringify({ payloads: [encrypted] });
    const tokenless = await send('POST', '/codec/decode', { host, origin: UI_ORIGIN }, body);
    expect(tokenless.status).toBe(401);
    const ops = await stack.token({ roles: ['ops'] });
    const forged = await send('POST', '/codec/decode', { host, origin: 'http://127.0.0.1:9999', authorization: `Bearer ${ops}` }, body);
    expect(forged.status).toBe(403);
    const consultant = await send('POST', '/codec/decode', { host, origin: UI_ORIGIN, authorization: `Bearer ${await stack.token({ roles: ['consultant'] })}` }, body);
    expect(consultant.status).toBe(403);
    for (const answer of [tokenless, forged, consultant]) expect(answer.text).not.toContain('Dossier');
    const allowed = await send('POST', '/codec/decode', { host, origin: UI_ORIGIN, authorization: `Bearer ${ops}` }, body);
    expect(allowed.status).toBe(200);
    expect(Buffer.from((JSON.parse(allowed.text) as { payloads: { data: string }[] }).payloads[0]!.data, 'base64').toString()).toContain('Dossier');
  });
});
