/**
 * Hostile scenarios about credentials, over the real stack: tokens that never expire or live
 * for a century, event streams that outlive their token, a guesser behind a shared address,
 * a replayed bad token, and one caller opening stream after stream.
 */
import type { Server } from 'node:http';
import { SignJWT } from 'jose';
import pino from 'pino';
import { createApp } from '../../../api/app';
import { createDraftUseCases } from '../../../use-cases/drafts';
import { serverUrl, startServer, stopServer } from '../../../api/server';
import { createMigrationUseCases } from '../../../use-cases/migrations';
import { createDevAuthenticator } from '../../../api/auth';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../../config/dev-tokens';
import { smallPlan, unique } from '../../support/plans';
import { eventsOf, openEventStream, type SseFrame } from '../../support/sse';
import { startStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let consultant: string;
let runId: string;
const customerId = unique('tokens');

beforeAll(async () => {
  stack = await startStack({ app: { events: { maxStreamsPerCaller: 2, pollIntervalMs: 100 } } });
  consultant = await stack.token({ roles: ['consultant'] });
  const response = await fetch(`${stack.apiUrl}/v1/migrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${consultant}`, 'content-type': 'application/json' },
    body: JSON.stringify(smallPlan(unique('tokens-plan'), { customerId })),
  });
  expect(response.status).toBe(202);
  runId = ((await response.json()) as { id: string }).id;
  // The run waits for its approvals: it stays open for as long as the tests follow it.
  await stack.waitForStatus(stack.client.workflow.getHandle(runId), (status) => status.phase === 'AWAITING_APPROVAL');
});

afterAll(async () => {
  if (runId) await stack.client.workflow.getHandle(runId).terminate('test over').catch(() => undefined);
  await stack?.stop();
});

/** A token signed with the stack's secret, with exactly the claims given. */
async function signed(claims: Record<string, unknown>, shape: (jwt: SignJWT) => SignJWT = (jwt) => jwt): Promise<string> {
  const jwt = new SignJWT({ roles: ['ops'], ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('ops@test').setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE);
  return await shape(jwt).sign(stack.devSecret);
}

async function list(token: string, baseUrl = stack.apiUrl): Promise<{ status: number; body: { detail?: string } }> {
  const response = await fetch(`${baseUrl}/v1/migrations?limit=1`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as { detail?: string } };
}

/** Follows the run with this token until `until` holds for its events or the stream closes. */
async function follow(token: string, until: (events: SseFrame[]) => boolean): Promise<{ status: number; events: SseFrame[] }> {
  const stream = await openEventStream(`${stack.apiUrl}/v1/migrations/${runId}/events`, { authorization: `Bearer ${token}` });
  try {
    const events = stream.status === 200 ? eventsOf(await stream.until((frames) => until(eventsOf(frames)))) : [];
    return { status: stream.status, events };
  } finally {
    stream.close();
  }
}

describe('tokens as production expects', () => {
  it('refuses a signed token without exp', async () => {
    const answer = await list(await signed({}, (jwt) => jwt.setIssuedAt()));
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toMatch(/no expiry/);
  });

  it('refuses a token valid for a hundred years', async () => {
    const answer = await list(await signed({}, (jwt) => jwt.setIssuedAt().setExpirationTime('100y')));
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toMatch(/valid for longer than 43200 s/);
  });

  it('refuses a long-lived token that leaves out iat to hide its lifetime', async () => {
    expect((await list(await signed({}, (jwt) => jwt.setExpirationTime('30d')))).status).toBe(401);
  });

  it('refuses a token issued in the future beyond the clock skew', async () => {
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    expect((await list(await signed({}, (jwt) => jwt.setIssuedAt(inAnHour).setExpirationTime(inAnHour + 600)))).status).toBe(401);
  });

  it('refuses a token that expired longer ago than the clock skew, and accepts one within it', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await list(await signed({}, (jwt) => jwt.setIssuedAt(now - 600).setExpirationTime(now - 120)))).status).toBe(401);
    expect((await list(await signed({}, (jwt) => jwt.setIssuedAt(now - 600).setExpirationTime(now - 5)))).status).toBe(200);
  });

  it('accepts a token within the policy', async () => {
    expect((await list(await signed({}, (jwt) => jwt.setIssuedAt().setExpirationTime('1h')))).status).toBe(200);
  });

  it('ends an event stream with an end event that says why once its token expires', async () => {
    const shortLived = await stack.token({ roles: ['ops'], sub: 'short-lived@test' }, '2s');
    const followed = await follow(shortLived, (events) => events.some((event) => event.event === 'end'));
    const end = followed.events.find((event) => event.event === 'end');
    expect(followed.events[0]?.event).toBe('overview');
    expect(JSON.parse(end?.data ?? '{}')).toMatchObject({ id: runId, reason: 'TOKEN_EXPIRED' });
    // The run itself goes on: its status still reads as waiting.
    expect((await stack.client.workflow.getHandle(runId).describe()).status.name).toBe('RUNNING');
  });
});

describe('open event streams per caller', () => {
  it('refuses a caller its third stream with 429, and gives it one again once a stream closes', async () => {
    const token = await stack.token({ roles: ['ops'], sub: 'stream-hoarder@test' });
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(
      controllers.map((controller) => fetch(`${stack.apiUrl}/v1/migrations/${runId}/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal })),
    );
    expect(open.map((response) => response.status)).toEqual([200, 200]);
    const third = await fetch(`${stack.apiUrl}/v1/migrations/${runId}/events`, { headers: { authorization: `Bearer ${token}` } });
    expect(third.status).toBe(429);
    expect(third.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another caller is not affected.
    const other = await follow(await stack.token({ roles: ['ops'], sub: 'someone-else@test' }), (events) => events.length > 0);
    expect(other.status).toBe(200);
    controllers[0]!.abort();
    let again = 429;
    while (again === 429) {
      // The server frees the slot once it sees the closed connection.
      const response = await fetch(`${stack.apiUrl}/v1/migrations/${runId}/events`, { headers: { authorization: `Bearer ${token}` } });
      again = response.status;
      await response.body?.cancel();
    }
    expect(again).toBe(200);
    controllers[1]!.abort();
  });
});

describe('failed authentications from a shared address', () => {
  let server: Server;
  let apiUrl: string;

  beforeAll(async () => {
    // The stack's client and worker, behind an API whose limit is three failures.
    const app = createApp({
      migrations: createMigrationUseCases({ client: stack.client, taskQueue: stack.taskQueue }),
      drafts: createDraftUseCases({ client: stack.client, taskQueue: stack.taskQueue }),
      authenticator: createDevAuthenticator(stack.devSecret),
      logger: pino({ level: 'silent' }),
      rateLimits: { authFailures: 3 },
    });
    ({ server } = await startServer(app));
    apiUrl = serverUrl(server);
  });

  afterAll(async () => {
    await stopServer(server);
  });

  it('lets a valid token through while the address is locked out, and refuses the guesser', async () => {
    const guesses = await Promise.all(Array.from({ length: 3 }, (_, index) => list(`guess.${index}.x`, apiUrl)));
    expect(guesses.map(({ status }) => status)).toEqual([401, 401, 401]);
    const locked = await list('guess.4.x', apiUrl);
    expect(locked.status).toBe(429);
    expect(locked.body.detail).toMatch(/send a valid token/);
    expect((await fetch(`${apiUrl}/v1/migrations?limit=1`)).status).toBe(429);
    // Someone else behind the same address, with a valid token.
    expect((await list(consultant, apiUrl)).status).toBe(200);
    expect((await list(await stack.token({ roles: ['customer'], customerId }), apiUrl)).status).toBe(200);
  });
});

describe('a bad token replayed from many addresses', () => {
  it('is refused before verification once it has failed too often, whatever the address', async () => {
    let server: Server | undefined;
    try {
      // Two hops of proxies are believed: each request claims another client address.
      const app = createApp({
        migrations: createMigrationUseCases({ client: stack.client, taskQueue: stack.taskQueue }),
      drafts: createDraftUseCases({ client: stack.client, taskQueue: stack.taskQueue }),
        authenticator: createDevAuthenticator(stack.devSecret),
        logger: pino({ level: 'silent' }),
        rateLimits: { authFailures: 2 },
        trustedProxyHops: 1,
      });
      ({ server } = await startServer(app));
      const url = `${serverUrl(server)}/v1/migrations?limit=1`;
      const expired = await signed({}, (jwt) => jwt.setIssuedAt(1_700_000_000).setExpirationTime(1_700_000_600));
      const from = async (address: string, token: string) =>
        (await fetch(url, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': address } })).status;
      expect(await from('203.0.113.1', expired)).toBe(401);
      expect(await from('203.0.113.2', expired)).toBe(401);
      expect(await from('203.0.113.3', expired)).toBe(429);
      // Those addresses are not locked out: each failed once.
      expect(await from('203.0.113.3', 'another.bad.token')).toBe(401);
      expect(await from('203.0.113.1', consultant)).toBe(200);
    } finally {
      if (server) await stopServer(server);
    }
  });
});
