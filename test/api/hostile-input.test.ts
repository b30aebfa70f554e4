/**
 * Hostile requests over the real stack answer 4xx problem+json and start nothing; secrets a
 * client sends (its token, a password) reach no log line and no answer.
 */
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createApp } from '../../api/app';
import { serverUrl, startServer, stopServer } from '../../api/server';
import { createDevAuthenticator } from '../../api/auth';
import { issueDevToken } from '../../config/dev-tokens';
import { createDraftUseCases } from '../../use-cases/drafts';
import { createMigrationUseCases } from '../../use-cases/migrations';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../../api/validation';
import { createLogger } from '../../config/logger';
import { smallPlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';

let stack: TestStack;
let consultant: string;
const customerId = unique('hostile');
const planText = JSON.stringify(smallPlan(unique('hostile-plan'), { customerId }));

beforeAll(async () => {
  stack = await startStack();
  consultant = await stack.token({ roles: ['consultant'] });
});

afterAll(async () => {
  await stack?.stop();
});

async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}, baseUrl = stack.apiUrl): Promise<{ status: number; contentType: string; text: string; headers: Headers }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${consultant}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text(), headers: response.headers };
}

async function runsOnThisStack(): Promise<number> {
  let count = 0;
  for await (const _run of stack.client.workflow.list({ query: `TaskQueue = '${stack.taskQueue}'` })) count += 1;
  return count;
}

const HOSTILE: [string, string | Buffer, Record<string, string>, number][] = [
  ['malformed JSON', planText.slice(0, -3), {}, 400],
  ['a body over the size limit', `{"padding":"${'x'.repeat(MAX_BODY_BYTES)}"}`, {}, 413],
  ['a plan sent as text/plain', planText, { 'content-type': 'text/plain' }, 415],
  ['a plan sent as a form', 'planId=x', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
  ['a __proto__ key', planText.replace('{', '{"__proto__":{"polluted":true},'), {}, 400],
  ['a nested __proto__ key', planText.replace('"customer":{', '"customer":{"__proto__":{"type":"STATE"},'), {}, 400],
  ['nesting a million levels deep', `{"workloads":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`, {}, 400],
  ['nesting just past the limit', planText.replace('{', `{"x":${'{"y":'.repeat(MAX_JSON_DEPTH)}1${'}'.repeat(MAX_JSON_DEPTH)},`), {}, 400],
  ['a lone surrogate in a workload name', planText.replace('"Site"', '"Site \\udead"'), {}, 400],
  ['bytes that are not UTF-8', Buffer.concat([Buffer.from(planText.replace('"Site"', '"Site ')), Buffer.from([0xff, 0xfe, 0x22])]), {}, 400],
  ['an unknown field', planText.replace('{', '{"password":"hunter2",'), {}, 400],
];

describe('hostile input', () => {
  it.each(HOSTILE)('answers %s with a problem and starts nothing', async (_label, body, headers, status) => {
    for (const path of ['/v1/migrations', '/v1/plans/validate']) {
      const response = await post(path, body, headers);
      expect(response.status).toBe(status);
      expect(response.contentType).toMatch(/^application\/problem\+json/);
      const problem = JSON.parse(response.text) as { status: number; title: string; detail?: string };
      expect(problem.status).toBe(status);
      expect(response.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
    }
    expect(await runsOnThisStack()).toBe(0);
  });

  it('lists no run of the customer named in the hostile plans', async () => {
    const response = await fetch(`${stack.apiUrl}/v1/migrations?customer=${customerId}`, { headers: { authorization: `Bearer ${consultant}` } });
    expect(await response.json()).toEqual({ items: [], nextCursor: null });
  });

  it('still starts the same plan once it is well formed', async () => {
    const response = await post('/v1/migrations', planText);
    expect(response.status).toBe(202);
    await stack.client.workflow.getHandle((JSON.parse(response.text) as { id: string }).id).terminate('the test only needed it started');
  });
});

describe('secrets sent by a client', () => {
  const lines: string[] = [];
  let server: Server;
  let apiUrl: string;
  let token: string;
  const password = `pw-${unique('secret')}`;

  beforeAll(async () => {
    // The stack's API, with its log captured: the same client, the same worker.
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const secret = new TextEncoder().encode(unique('log-test-secret-long-enough-for-hs256'));
    const app = createApp({ migrations: createMigrationUseCases({ client: stack.client, taskQueue: stack.taskQueue }),
      drafts: createDraftUseCases({ client: stack.client, taskQueue: stack.taskQueue }), authenticator: createDevAuthenticator(secret), logger: createLogger('api', 'debug', destination) });
    ({ server } = await startServer(app));
    apiUrl = serverUrl(server);
    token = await issueDevToken(secret, { sub: 'consultant@test', roles: ['consultant'] });
  });

  afterAll(async () => {
    await stopServer(server);
  });

  it('appear in no log line and no answer', async () => {
    const withPassword = planText.replace('{', `{"password":${JSON.stringify(password)},`);
    const runsBefore = await runsOnThisStack();
    const answers = await Promise.all([
      post('/v1/migrations', withPassword, { authorization: `Bearer ${token}` }, apiUrl),
      post('/v1/plans/validate', withPassword, { authorization: `Bearer ${token}` }, apiUrl),
      post('/v1/migrations', withPassword, { authorization: `Bearer ${token}tampered` }, apiUrl),
      post('/v1/migrations', withPassword.slice(0, -2), { authorization: `Bearer ${token}` }, apiUrl),
      fetch(`${apiUrl}/v1/migrations?customer=${customerId}&password=${password}`, { headers: { authorization: `Bearer ${token}` } }).then(async (response) => ({
        status: response.status,
        contentType: response.headers.get('content-type') ?? '',
        text: await response.text(),
        headers: response.headers,
      })),
    ]);
    expect(answers.map(({ status }) => status)).toEqual([400, 400, 401, 400, 400]);
    expect(lines.length).toBeGreaterThanOrEqual(answers.length);
    const signature = token.split('.')[2] ?? token;
    for (const text of [...lines, ...answers.map((answer) => answer.text + JSON.stringify([...answer.headers]))]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(signature);
    }
    expect(await runsOnThisStack()).toBe(runsBefore);
  });
});
