import { createAuthFailureThrottle } from '../../api/rate-limits';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client } from '@temporalio/client';
import request from 'supertest';
import { createApp } from '../../api/app';
import { authenticate, createDevAuthenticator } from '../../api/auth';
import { issueDevToken } from '../../config/dev-tokens';
import { problemMiddleware, problems } from '../../api/problem';
import { createMigrationUseCases } from '../../use-cases/migrations';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../../api/validation';
import { createApiMetrics } from '../../api/metrics';
import { createLogger } from '../../config/logger';
import { lazyApiConnection } from '../../config/temporal';
import { findFreePort } from '../../scripts/lib/processes';

const secret = randomBytes(32);
let consultant: string;
let ops: string;

beforeAll(async () => {
  consultant = `Bearer ${await issueDevToken(secret, { sub: 'consultant@passerelle', roles: ['consultant'] })}`;
  ops = `Bearer ${await issueDevToken(secret, { sub: 'ops@passerelle', roles: ['ops'] })}`;
});

/** The few client calls these requests reach; starts are recorded so that a test can prove none happened. */
function fakeTemporal() {
  const starts: string[] = [];
  const client = {
    options: { namespace: 'default' },
    workflowService: {
      listWorkflowExecutions: async () => ({ executions: [], nextPageToken: new Uint8Array() }),
      getSystemInfo: async () => ({}),
    },
    workflow: {
      start: async (_type: string, options: { workflowId: string }) => {
        starts.push(options.workflowId);
        return { workflowId: options.workflowId };
      },
    },
  };
  return { client: client as unknown as Client, starts };
}

function logCapture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, logger: createLogger('api', 'info', destination) };
}

function appWith(options: Partial<Parameters<typeof createApp>[0]> = {}) {
  const temporal = fakeTemporal();
  const app = createApp({
    migrations: createMigrationUseCases({ client: temporal.client, taskQueue: 'hardening-test' }),
    authenticator: createDevAuthenticator(secret),
    logger: logCapture().logger,
    ...options,
  });
  return { app, starts: temporal.starts };
}

const validPlanText = JSON.stringify({
  planId: 'hostile-input',
  customer: { id: 'mairie-test', name: 'Mairie de Test', type: 'LOCAL_AUTHORITY' },
  workloads: [{ id: 'web', name: 'Site', kind: 'app', sizeGb: 1, dataCategories: ['PUBLIC'], criticality: 'LOW' }],
});

describe('hostile requests', () => {
  const { app, starts } = appWith();
  // The identity serializer sends bytes as they are; superagent would otherwise turn a Buffer into JSON.
  const startWith = (body: string | Buffer, contentType = 'application/json') =>
    request(app)
      .post('/v1/migrations')
      .set('Authorization', consultant)
      .set('Content-Type', contentType)
      .serialize((bytes: string | Buffer) => bytes as string)
      .send(body);

  afterEach(() => {
    expect(starts).toEqual([]);
  });

  it.each([
    ['malformed JSON', '{"planId": ', undefined],
    ['a __proto__ key', validPlanText.replace('{', '{"__proto__":{"isAdmin":true},'), '__proto__'],
    ['a nested constructor key', validPlanText.replace('"customer":{', '"customer":{"constructor":{"prototype":{}},'), 'customer.constructor'],
    ['a lone surrogate in a value', validPlanText.replace('Mairie de Test', 'Mairie \\ud800'), 'customer.name'],
    ['a lone surrogate in a key', validPlanText.replace('{', '{"\\udc00":1,'), '["\\udc00"]'],
    ['nesting deeper than the limit', validPlanText.replace('{', `{"x":${'['.repeat(MAX_JSON_DEPTH + 5)}${']'.repeat(MAX_JSON_DEPTH + 5)},`), `x${'[0]'.repeat(MAX_JSON_DEPTH - 1)}`],
    ['nesting a hundred thousand levels deep', `{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, `x${'[0]'.repeat(MAX_JSON_DEPTH - 1)}`],
  ])('answers %s with a 400 problem naming the field, and starts nothing', async (_label, body, path) => {
    const response = await startWith(body);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, title: 'Bad Request' });
    if (path !== undefined) expect((response.body as { errors: { path: string }[] }).errors.map((error) => error.path)).toEqual([path]);
  });

  it('answers bytes that are not UTF-8 with 400', async () => {
    const response = await startWith(Buffer.concat([Buffer.from(validPlanText.slice(0, 40)), Buffer.from([0xc3, 0x28]), Buffer.from(validPlanText.slice(40))]));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ detail: 'The request body is not valid UTF-8.' });
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['JSON in UTF-16', 'application/json; charset=utf-16'],
  ])('answers %s with 415', async (_label, contentType) => {
    const response = await startWith(validPlanText, contentType);
    expect(response.status).toBe(415);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers a body over the limit with 413', async () => {
    const response = await startWith(`{"padding":"${'x'.repeat(MAX_BODY_BYTES)}"}`);
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ status: 413, title: 'Content Too Large' });
  });

  it('never answers a stack trace or an internal message', async () => {
    const response = await startWith('{"planId": ');
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js:\d+|SyntaxError|Unexpected end/);
  });
});

describe('security headers', () => {
  it('sets helmet’s headers and no X-Powered-By', async () => {
    const response = await request(appWith().app).get('/healthz');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});

describe('rate limits', () => {
  it('answers 429 problem+json with Retry-After past the per-minute limit', async () => {
    const { app } = appWith({ rateLimits: { requestsPerMinute: 3 } });
    const statuses = [];
    for (let index = 0; index < 4; index += 1) statuses.push((await request(app).get('/v1/migrations').set('Authorization', ops)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await request(app).get('/v1/migrations').set('Authorization', ops);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ status: 429, title: 'Too Many Requests' });
  });

  it('counts failed authentications only, then refuses the address’s invalid tokens while its valid ones pass', async () => {
    const { app } = appWith({ rateLimits: { authFailures: 2 } });
    const valid = () => request(app).get('/v1/migrations').set('Authorization', ops);
    const forged = (text = 'not.a.token') => request(app).get('/v1/migrations').set('Authorization', `Bearer ${text}`);
    expect((await valid()).status).toBe(200);
    expect((await valid()).status).toBe(200);
    expect((await valid()).status).toBe(200);
    expect((await forged('one.forged.token')).status).toBe(401);
    expect((await forged('two.forged.token')).status).toBe(401);
    const refused = await forged('three.forged.token');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
    expect((await valid()).status).toBe(200);
  });
});

describe('the failed-authentication limit', () => {
  it('does not count requests that the client abandons before any answer', async () => {
    const app = express();
    const throttle = createAuthFailureThrottle({ authFailures: 1 });
    const verifyNever = authenticate({ verify: () => new Promise(() => undefined) }, throttle);
    const refuseAll = authenticate({ verify: async () => Promise.reject(problems.unauthorized('refused')) }, throttle);
    app.get('/never-answers', verifyNever);
    app.get('/refuses', refuseAll, (_req, res) => {
      res.json({ ok: true });
    });
    app.use(problemMiddleware({}));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (let index = 0; index < 3; index += 1) {
        await fetch(`${base}/never-answers`, { headers: { authorization: 'Bearer abandoned' }, signal: AbortSignal.timeout(100) }).catch(() => undefined);
      }
      expect((await fetch(`${base}/refuses`, { headers: { authorization: 'Bearer first' } })).status).toBe(401);
      expect((await fetch(`${base}/refuses`, { headers: { authorization: 'Bearer second' } })).status).toBe(429);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('request logs', () => {
  it('log every request without the token, a password or the query string', async () => {
    const { lines, logger } = logCapture();
    const token = await issueDevToken(secret, { sub: 'consultant@passerelle', roles: ['consultant'] });
    const app = createApp({ migrations: createMigrationUseCases({ client: fakeTemporal().client, taskQueue: 'log-test' }), authenticator: createDevAuthenticator(secret), logger });
    const password = 'correct-horse-battery-staple-7731';
    const responses = [
      await request(app).post('/v1/plans/validate').set('Authorization', `Bearer ${token}`).send({ ...JSON.parse(validPlanText), password }),
      await request(app).get(`/v1/migrations?customer=${password}`).set('Authorization', `Bearer ${token}`),
      await request(app).get('/v1/migrations').set('Authorization', `Bearer ${token}x`),
    ];
    expect(responses.map(({ status }) => status)).toEqual([400, 200, 401]);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const text of [...lines, ...responses.map((response) => response.text + JSON.stringify(response.headers))]) {
      expect(text).not.toContain(token.split('.')[2]);
      expect(text).not.toContain(password);
    }
    const entries = lines.map((line) => JSON.parse(line) as { msg: string; req?: { method: string; path: string }; res?: { statusCode: number } });
    expect(entries.map((entry) => entry.msg)).toEqual(['POST /v1/plans/validate 400', 'GET /v1/migrations 200', 'GET /v1/migrations 401']);
    expect(entries.map((entry) => [entry.req?.method, entry.req?.path, entry.res?.statusCode])).toEqual([
      ['POST', '/v1/plans/validate', 400],
      ['GET', '/v1/migrations', 200],
      ['GET', '/v1/migrations', 401],
    ]);
  });
});

describe('metrics', () => {
  it('count requests by route template and status, never by id', async () => {
    const metrics = createApiMetrics();
    const { app } = appWith({ metrics });
    await request(app).get('/v1/migrations').set('Authorization', ops);
    await request(app).get('/v1/migrations/bad%20id').set('Authorization', ops);
    await request(app).get('/nowhere/run-42');
    const scraped = await request(app).get('/metrics');
    expect(scraped.status).toBe(200);
    expect(scraped.headers['content-type']).toMatch(/^text\/plain/);
    expect(scraped.text).toContain('passerelle_http_requests_total{method="GET",route="/v1/migrations",status="200"} 1');
    expect(scraped.text).toContain('passerelle_http_requests_total{method="GET",route="/v1/migrations/:id",status="400"} 1');
    expect(scraped.text).toContain('passerelle_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(scraped.text).toContain('passerelle_http_request_duration_seconds_bucket');
    expect(scraped.text).toContain('# TYPE passerelle_run_starts_total counter');
    expect(scraped.text).not.toContain('run-42');
  });
});

describe('when Temporal is unreachable', () => {
  it('answers 503 problem+json with Retry-After, and nothing internal', async () => {
    const closedPort = await findFreePort();
    const connection = lazyApiConnection({ temporal: { address: `127.0.0.1:${closedPort}`, tls: false } as never });
    const client = new Client({ connection });
    const app = createApp({ migrations: createMigrationUseCases({ client, taskQueue: 'unreachable' }), authenticator: createDevAuthenticator(secret), logger: logCapture().logger });
    try {
      for (const path of ['/v1/migrations', '/v1/migrations/migration-x', '/readyz']) {
        const response = await request(app).get(path).set('Authorization', ops);
        expect(response.status).toBe(503);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        expect(response.text).not.toMatch(/ECONNREFUSED|14 UNAVAILABLE|127\.0\.0\.1|grpc/);
      }
      const start = await request(app).post('/v1/migrations').set('Authorization', consultant).send(JSON.parse(validPlanText) as object);
      expect(start.status).toBe(503);
    } finally {
      await connection.close();
    }
  });
});
