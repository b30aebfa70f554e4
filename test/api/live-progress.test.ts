/**
 * `GET /v1/migrations/{id}/events` over the real stack: a customer follows its run from the
 * approvals to the end, then resumes with Last-Event-ID and gets nothing twice.
 */
import { eventIdOf } from '../../api/migration-events';
import { applyOverviewChange, type MigrationOverview, type MigrationOverviewChange, PHASES, type Plan } from '../../domain';
import { smallPlan, unique } from '../support/plans';
import { eventsOf, openEventStream, type SseStream } from '../support/sse';
import { startStack, type TestStack } from '../support/stack';

let stack: TestStack;
let plan: Plan;
let runId: string;
let customer: string;
const streams: SseStream[] = [];

async function follow(headers: Record<string, string> = {}): Promise<SseStream> {
  const stream = await openEventStream(`${stack.apiUrl}/v1/migrations/${runId}/events`, { authorization: `Bearer ${customer}`, ...headers });
  streams.push(stream);
  return stream;
}

function overviewOf(data: string | undefined): MigrationOverview {
  return JSON.parse(data ?? '{}') as MigrationOverview;
}

/** The overview after each event, as a follower holds it: the first whole, then each change applied. */
function heldAfterEach(frames: ReturnType<typeof eventsOf>): MigrationOverview[] {
  const held: MigrationOverview[] = [];
  for (const frame of frames) {
    if (frame.event === 'overview') held.push(overviewOf(frame.data));
    else if (frame.event === 'change') held.push(applyOverviewChange(held.at(-1)!, JSON.parse(frame.data ?? '{}') as MigrationOverviewChange));
  }
  return held;
}

beforeAll(async () => {
  stack = await startStack();
  plan = smallPlan(unique('live'), { customerId: unique('mairie') });
  const consultant = await stack.token({ roles: ['consultant'] });
  customer = await stack.token({ roles: ['customer'], customerId: plan.customer.id, approverRoles: ['RSSI', 'HOMOLOGATION_AUTHORITY'] });
  const started = await fetch(`${stack.apiUrl}/v1/migrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${consultant}`, 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
  runId = ((await started.json()) as { id: string }).id;
  await stack.waitForStatus(stack.client.workflow.getHandle(runId), (status) => status.phase === 'AWAITING_APPROVAL' && status.approvals.length === 2);
});

afterAll(async () => {
  for (const stream of streams) stream.close();
  await stack?.stop();
});

describe('live progress of a run', () => {
  let received: ReturnType<typeof eventsOf> = [];

  it('streams every change from the approvals to the end of the run, then closes', async () => {
    const stream = await follow();
    expect(stream.status).toBe(200);
    const first = eventsOf(await stream.until((frames) => eventsOf(frames).length >= 1));
    expect(first[0]?.event).toBe('overview');
    const opening = overviewOf(first[0]?.data);
    expect(opening).toMatchObject({ workflowId: runId, phase: 'AWAITING_APPROVAL', status: 'WAITING' });
    expect(opening.approvals.filter((approval) => approval.state === 'PENDING').map((approval) => approval.id)).toEqual(['rssi', 'homologation']);

    for (const approvalId of ['rssi', 'homologation']) {
      const decided = await fetch(`${stack.apiUrl}/v1/migrations/${runId}/approvals/${approvalId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${customer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ decision: 'APPROVE' }),
      });
      expect(decided.status).toBe(200);
    }

    received = eventsOf(await stream.until(() => stream.ended, 90_000));
    const statusEvents = received.filter((frame) => frame.event === 'overview' || frame.event === 'change');
    expect(statusEvents.slice(1).every((frame) => frame.event === 'change')).toBe(true);
    const held = heldAfterEach(statusEvents);
    const ids = statusEvents.map((frame) => Number(frame.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    // The stream samples the run: brief phases may pass unseen, but never out of order.
    const phases = held.map((overview) => PHASES.indexOf(overview.phase));
    expect(phases).toEqual([...phases].sort((a, b) => a - b));
    expect(phases[0]).toBe(PHASES.indexOf('AWAITING_APPROVAL'));
    expect(phases.at(-1)).toBe(PHASES.indexOf('DONE'));
    expect(statusEvents.length).toBeGreaterThanOrEqual(2);
    const last = held.at(-1)!;
    expect(last).toMatchObject({ status: 'COMPLETED', percentComplete: 100 });
    const read = await fetch(`${stack.apiUrl}/v1/migrations/${runId}`, { headers: { authorization: `Bearer ${customer}` } });
    expect(await read.json()).toEqual(last);
    expect(ids.at(-1)).toBe(eventIdOf(last));
    expect(received.at(-1)).toMatchObject({ event: 'end', data: JSON.stringify({ id: runId, reason: 'RUN_ENDED', status: 'COMPLETED' }) });
  });

  it('resumes after the last event id with no event twice: only the end', async () => {
    const lastId = received.filter((frame) => frame.event === 'change').at(-1)?.id ?? '';
    const stream = await follow({ 'last-event-id': lastId });
    const frames = await stream.until(() => stream.ended);
    expect(eventsOf(frames).map((frame) => frame.event)).toEqual(['end']);
  });

  it('resumes from an earlier event with the run as it is now', async () => {
    const firstId = received[0]?.id ?? '';
    const stream = await follow({ 'last-event-id': firstId });
    const events = eventsOf(await stream.until(() => stream.ended));
    expect(events.map((frame) => frame.event)).toEqual(['overview', 'end']);
    expect(Number(events[0]?.id)).toBeGreaterThan(Number(firstId));
    expect(overviewOf(events[0]?.data).status).toBe('COMPLETED');
  });
});
