import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { type SearchAttributePair, TypedSearchAttributes } from '@temporalio/common';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import express from 'express';
import pino from 'pino';
import { createApp } from '../../api/app';
import { serverUrl, startServer, stopServer } from '../../api/server';
import { createDevAuthenticator } from '../../api/auth';
import { issueDevToken } from '../../config/dev-tokens';
import { createMigrationUseCases } from '../../use-cases/migrations';
import { createMigrationEventStreams, eventIdOf, parseLastEventId } from '../../api/migration-events';
import { MIGRATION_WORKFLOW_TYPE } from '../../use-cases/start-migration-run';
import { applyOverviewChange, type MigrationOverview, type MigrationOverviewChange, type MigrationStatus, runOverview } from '../../domain';
import { CUSTOMER_ID } from '../../workflows/search-attributes';
import { smallPlan } from '../support/plans';
import { eventsOf, openEventStream, type SseStream } from '../support/sse';
import { waitUntil } from '../support/wait';

const RUN = 'migration-events-test';

function statusAt(second: number, patch: Partial<MigrationStatus> = {}): MigrationStatus {
  const at = new Date(Date.UTC(2027, 0, 4, 9, 0, second)).toISOString();
  return {
    workflowId: RUN,
    customerId: 'mairie-test',
    customerName: 'Mairie de Test',
    phase: 'PROVISIONING',
    status: 'RUNNING',
    percentComplete: 30 + second,
    startedAt: new Date(Date.UTC(2027, 0, 4, 9)).toISOString(),
    updatedAt: at,
    startedBy: 'consultant@passerelle',
    round: 1,
    plan: smallPlan('events-test'),
    approvals: [],
    steps: [{ id: 'provisioning.tenant', phase: 'PROVISIONING', title: 'Tenant', state: 'RUNNING' }],
    waves: [],
    attention: [],
    paused: false,
    timeline: [{ at, kind: 'STEP', message: `tick ${second}` }],
    audit: [],
    resources: {},
    ...patch,
  };
}

/** A run whose status the test moves on; every query answers the current one. */
const run = { current: statusAt(0), queries: 0 };
const client = {
  options: { namespace: 'default' },
  workflowService: {},
  workflow: {
    getHandle: (workflowId: string) => ({
      workflowId,
      describe: async () => {
        if (workflowId !== RUN) throw new WorkflowNotFoundError('workflow not found', workflowId, undefined);
        const attributes: SearchAttributePair[] = [{ key: CUSTOMER_ID, value: 'mairie-test' }];
        return { type: MIGRATION_WORKFLOW_TYPE, status: { name: 'RUNNING' }, typedSearchAttributes: new TypedSearchAttributes(attributes) };
      },
      query: async (query: { name: string }) => {
        run.queries += 1;
        return query.name === 'overview' ? runOverview(run.current) : run.current;
      },
    }),
  },
} as unknown as Client;

const secret = randomBytes(32);
let server: Server;
let url: string;
let ownCustomer: string;
const streams: SseStream[] = [];

beforeAll(async () => {
  const app = createApp({
    migrations: createMigrationUseCases({ client, taskQueue: 'events-test' }),
    authenticator: createDevAuthenticator(secret),
    logger: pino({ level: 'silent' }),
    events: { pollIntervalMs: 50, heartbeatIntervalMs: 150 },
  });
  ({ server } = await startServer(app));
  url = `${serverUrl(server)}/v1/migrations/${RUN}/events`;
  ownCustomer = `Bearer ${await issueDevToken(secret, { sub: 'maire', roles: ['customer'], customerId: 'mairie-test' })}`;
});

beforeEach(() => {
  run.current = statusAt(0);
});

afterEach(() => {
  for (const stream of streams.splice(0)) stream.close();
});

afterAll(async () => {
  await stopServer(server);
});

async function follow(headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await openEventStream(url, { authorization: ownCustomer, ...headers });
  streams.push(stream);
  return stream;
}

describe('live progress of a run (Server-Sent Events)', () => {
  it('sends the current state at once, then an event per change with an id derived from the run', async () => {
    const stream = await follow();
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toContain('no-cache');
    await stream.until((frames) => eventsOf(frames).length === 1);
    run.current = statusAt(5);
    await stream.until((frames) => eventsOf(frames).length === 2);
    run.current = statusAt(9, { phase: 'CUTOVER' });
    const events = eventsOf(await stream.until((frames) => eventsOf(frames).length === 3));
    expect(events.map(({ id, event }) => [id, event])).toEqual([
      [String(eventIdOf(statusAt(0))), 'overview'],
      [String(eventIdOf(statusAt(5))), 'change'],
      [String(eventIdOf(statusAt(9))), 'change'],
    ]);
    expect(JSON.parse(events[0]?.data ?? '{}')).toEqual(runOverview(statusAt(0)));
    const last = JSON.parse(events[2]?.data ?? '{}') as MigrationOverviewChange;
    expect(last).toMatchObject({ id: RUN, percentComplete: 39, changed: { phase: 'CUTOVER' } });
    expect(Object.keys(last.changed).sort()).toEqual(['percentComplete', 'phase', 'updatedAt']);
  });

  it('sends changes that, applied in turn to the first overview, give the run’s overview', async () => {
    const stream = await follow();
    await stream.until((frames) => eventsOf(frames).length === 1);
    run.current = statusAt(3, { steps: [{ id: 'provisioning.tenant', phase: 'PROVISIONING', title: 'Tenant', state: 'SUCCEEDED' }], timelineTotal: 4 });
    await stream.until((frames) => eventsOf(frames).length === 2);
    run.current = statusAt(6, { paused: true, status: 'PAUSED', timeline: [{ at: statusAt(5).updatedAt, kind: 'STEP', message: 'five' }, { at: statusAt(6).updatedAt, kind: 'STEP', message: 'six' }], timelineTotal: 6 });
    const events = eventsOf(await stream.until((frames) => eventsOf(frames).length === 3));
    const [first, ...changes] = events.map((event) => JSON.parse(event.data ?? '{}') as unknown);
    const held = (changes as MigrationOverviewChange[]).reduce(applyOverviewChange, first as MigrationOverview);
    // The held timeline also keeps the entries the earlier events brought; the synthetic status keeps only its last two.
    expect({ ...held, timeline: held.timeline.slice(-2) }).toEqual(runOverview(run.current));
    expect((changes[1] as MigrationOverviewChange).timeline.map((entry) => entry.message)).toEqual(['five', 'six']);
  });

  it('sends progress that moved without a change of the run (a replication’s heartbeat)', async () => {
    const stream = await follow();
    await stream.until((frames) => eventsOf(frames).length === 1);
    run.current = statusAt(0, { percentComplete: 77 });
    const events = eventsOf(await stream.until((frames) => eventsOf(frames).length === 2));
    expect(Number(events[1]?.id)).toBeGreaterThan(Number(events[0]?.id));
    expect(JSON.parse(events[1]?.data ?? '{}')).toMatchObject({ percentComplete: 77, updatedAt: statusAt(0).updatedAt, changed: { percentComplete: 77 } });
  });

  it('sends nothing twice when the run has not changed, only heartbeats', async () => {
    const stream = await follow();
    const frames = await stream.until((received) => received.filter((frame) => frame.comment === 'heartbeat').length >= 2);
    expect(eventsOf(frames)).toHaveLength(1);
  });

  it('resumes after Last-Event-ID without repeating what the client has', async () => {
    run.current = statusAt(7);
    const stream = await follow({ 'last-event-id': String(eventIdOf(statusAt(7))) });
    await stream.until((frames) => frames.some((frame) => frame.comment === 'heartbeat'));
    run.current = statusAt(8);
    const events = eventsOf(await stream.until((frames) => eventsOf(frames).length === 1));
    expect(events.map(({ id, event }) => [id, event])).toEqual([[String(eventIdOf(statusAt(8))), 'change']]);
  });

  it('ends with an end event and closes once the run has ended', async () => {
    const stream = await follow();
    await stream.until((frames) => eventsOf(frames).length === 1);
    run.current = statusAt(12, { phase: 'DONE', status: 'COMPLETED', percentComplete: 100, endedAt: statusAt(12).updatedAt });
    const events = eventsOf(await stream.until(() => stream.ended));
    expect(events.map(({ event }) => event)).toEqual(['overview', 'change', 'end']);
    expect(JSON.parse(events[2]?.data ?? '{}')).toEqual({ id: RUN, reason: 'RUN_ENDED', status: 'COMPLETED' });
    expect(stream.ended).toBe(true);
  });

  it('answers another customer’s run exactly like a missing one', async () => {
    const other = `Bearer ${await issueDevToken(secret, { sub: 'voisin', roles: ['customer'], customerId: 'mairie-voisine' })}`;
    const hidden = await openEventStream(url, { authorization: other });
    const missing = await openEventStream(url.replace(RUN, 'migration-nowhere'), { authorization: ownCustomer });
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    const { instance: _hiddenInstance, ...hiddenProblem } = JSON.parse(hidden.body ?? '{}') as Record<string, unknown>;
    const { instance: _missingInstance, ...missingProblem } = JSON.parse(missing.body ?? '{}') as Record<string, unknown>;
    expect(hiddenProblem).toEqual(missingProblem);
  });
});

describe('the readers behind the streams', () => {
  it('read a run once per interval for all its listeners on a replica, and stop when the last one leaves', async () => {
    let queries = 0;
    // A read that never answers: a second reader would show as a second query.
    const stalled = () => {
      queries += 1;
      return new Promise<never>(() => undefined);
    };
    const streams = createMigrationEventStreams(stalled, { pollIntervalMs: 50, heartbeatIntervalMs: 200 });
    const app = express();
    app.get('/follow', (_req, res) => streams.stream(runOverview(statusAt(0)), undefined, res, { subject: 'viewer@test' }));
    const local = (await startServer(app)).server;
    const followUrl = `${serverUrl(local)}/follow`;
    try {
      const listeners = [await openEventStream(followUrl, {}), await openEventStream(followUrl, {})];
      await Promise.all(listeners.map((listener) => listener.until((frames) => eventsOf(frames).length === 1)));
      expect(streams.watchedRuns).toBe(1);
      // Two heartbeats come after several poll intervals: a second query would have started by then.
      await Promise.all(listeners.map((listener) => listener.until((frames) => frames.filter((frame) => frame.comment === 'heartbeat').length >= 2)));
      expect(queries).toBe(1);
      for (const listener of listeners) listener.close();
      await waitUntil('the closed streams stop watching the run', () => streams.watchedRuns === 0);
    } finally {
      await stopServer(local);
    }
  });
});

describe('event ids and data', () => {
  it('numbers events so that every change and every percent of progress comes later', () => {
    const ids = [statusAt(1), statusAt(1, { percentComplete: 50 }), statusAt(1, { percentComplete: 51 }), statusAt(2, { percentComplete: 0 })].map(eventIdOf);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(4);
    expect(eventIdOf(statusAt(59, { percentComplete: 100 }))).toBeLessThan(Number.MAX_SAFE_INTEGER);
  });

  it('reads Last-Event-ID strictly', () => {
    expect(parseLastEventId(undefined)).toBeUndefined();
    expect(parseLastEventId('1799053200000')).toBe(1799053200000);
    expect(() => parseLastEventId('abc')).toThrow(expect.objectContaining({ status: 400 }) as Error);
    expect(() => parseLastEventId('-1')).toThrow(expect.objectContaining({ status: 400 }) as Error);
  });
});
