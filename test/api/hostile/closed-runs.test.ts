/**
 * No run left in a state the product cannot act on: a run that Temporal closed (terminated,
 * here, as an operator or a history limit would) reads as FAILED everywhere people look (status,
 * report, list and its status filter, the event stream's end, `passerelle watch`'s exit code),
 * although its last status query still says it was waiting.
 */
import { runCli, EXIT_CODES } from '../../../cli/main';
import { statusQuery } from '../../../workflows/messages';
import { smallPlan, unique } from '../../support/plans';
import { eventsOf, openEventStream } from '../../support/sse';
import { startStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let ops: string;
let customer: string;
let runId: string;
const customerId = unique('closed');

beforeAll(async () => {
  stack = await startStack();
  ops = await stack.token({ roles: ['ops'] });
  customer = await stack.token({ roles: ['customer'], customerId });
  const consultant = await stack.token({ roles: ['consultant'] });
  const response = await fetch(`${stack.apiUrl}/v1/migrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${consultant}`, 'content-type': 'application/json' },
    body: JSON.stringify(smallPlan(unique('closed-plan'), { customerId })),
  });
  expect(response.status).toBe(202);
  runId = ((await response.json()) as { id: string }).id;
  await stack.waitForStatus(stack.client.workflow.getHandle(runId), (status) => status.phase === 'AWAITING_APPROVAL');
});

afterAll(async () => {
  await stack?.stop();
});

async function get<T>(path: string, token = ops): Promise<T> {
  const response = await fetch(`${stack.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe('a run that Temporal terminated', () => {
  it('ends the streams that follow it with FAILED, and reads as FAILED everywhere', async () => {
    const stream = await openEventStream(`${stack.apiUrl}/v1/migrations/${runId}/events`, { authorization: `Bearer ${customer}` });
    await stream.until((frames) => eventsOf(frames).length === 1);
    await stack.client.workflow.getHandle(runId).terminate('terminated by a hostile test');

    const events = eventsOf(await stream.until(() => stream.ended));
    expect(events.at(-1)?.event).toBe('end');
    expect(JSON.parse(events.at(-1)?.data ?? '{}')).toEqual({ id: runId, reason: 'RUN_ENDED', status: 'FAILED' });

    // The workflow's own last word still says it waits: every reader must settle it.
    expect((await stack.client.workflow.getHandle(runId).query(statusQuery)).status).toBe('WAITING');

    const status = await get<{ status: string; attention: unknown[]; outcome: { status: string; reason: string }; endedAt?: string }>(`/v1/migrations/${runId}`);
    expect(status).toMatchObject({ status: 'FAILED', attention: [], outcome: { status: 'FAILED', reason: 'the workflow execution was terminated in Temporal' } });
    expect(status.endedAt).toBeDefined();

    const report = await get<{ status: string; final: boolean; workloads: { outcome: string }[] }>(`/v1/migrations/${runId}/report`, customer);
    expect(report).toMatchObject({ status: 'FAILED', final: true });
    expect(report.workloads.map((workload) => workload.outcome)).toEqual(['NOT_MIGRATED', 'NOT_MIGRATED']);

    const list = await get<{ items: { id: string; status: string }[] }>(`/v1/migrations?customer=${customerId}`);
    expect(list.items).toEqual([expect.objectContaining({ id: runId, status: 'FAILED' }) as unknown]);
    const failed = await get<{ items: { id: string }[] }>(`/v1/migrations?customer=${customerId}&status=FAILED`);
    expect(failed.items.map((item) => item.id)).toEqual([runId]);
    for (const open of ['WAITING', 'RUNNING', 'NEEDS_ATTENTION']) {
      expect((await get<{ items: unknown[] }>(`/v1/migrations?customer=${customerId}&status=${open}`)).items).toEqual([]);
    }

    const output: string[] = [];
    const io = { stdout: { write: (text: string) => output.push(text) }, stderr: { write: (text: string) => output.push(text) }, env: { PASSERELLE_API_URL: stack.apiUrl, PASSERELLE_TOKEN: customer }, cwd: process.cwd() };
    expect(await runCli(['watch', runId], io)).toBe(EXIT_CODES.failure);
    expect(output.join('')).toMatch(/FAILED/);
  });
});
