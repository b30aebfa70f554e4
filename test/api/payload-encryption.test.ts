/**
 * Payload encryption over the real stack: what Temporal stores holds no plaintext of the plan
 * nor of failure messages; the codec reads it back, also after a key rotation; a tampered
 * payload is refused.
 */
import { Client, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { CodecPayloads } from '../../use-cases/payloads';
import { createDataConverter } from '../../codec/data-converter';
import { AesGcmPayloadCodec, generateCodecKey, KEY_ID_METADATA_KEY, parseCodecKeys, PayloadDecryptionError } from '../../codec/payload-codec';
import type { MigrationStatus, Plan } from '../../domain';
import { createSimCloudAdminClient } from '../../sim-cloud/admin-client';
import { statusQuery } from '../../workflows/messages';
import { smallPlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

let stack: TestStack;
/** A marker in every name of the plan: it must never appear in what Temporal stores. */
const marker = unique('Confidentiel');
let plan: Plan;
let runId: string;
let rawHistory: History;

/** The history as stored, bytes read as text, so that any plaintext in it can be found. */
function storedText(history: History): string {
  return JSON.stringify(history, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value));
}

function startInputOf(history: History): Payload {
  const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!input) throw new Error('the history has no start input');
  return input;
}

async function api(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  return await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  stack = await startStack();
  const base = smallPlan(unique('sealed'), { customerId: unique('mairie') });
  plan = {
    ...base,
    customer: { ...base.customer, name: `Mairie ${marker}` },
    workloads: base.workloads.map((workload) => ({ ...workload, name: `${workload.name} ${marker}` })),
  };
  const consultant = await stack.token({ roles: ['consultant'] });
  const approver = await stack.token({ roles: ['customer'], customerId: plan.customer.id, approverRoles: ['RSSI', 'HOMOLOGATION_AUTHORITY'] });
  runId = ((await (await api('POST', '/v1/migrations', consultant, plan)).json()) as { id: string }).id;
  const handle = stack.client.workflow.getHandle(runId);
  await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL' && status.approvals.length === 2);
  // The tenant's creation fails every time: the history then holds activity failures too.
  await createSimCloudAdminClient({ baseUrl: stack.simCloud.url }).armFault({ operation: 'arm.managementGroups.put', mode: 'error', times: 1000 });
  for (const approvalId of ['rssi', 'homologation']) {
    expect((await api('POST', `/v1/migrations/${runId}/approvals/${approvalId}`, approver, { decision: 'APPROVE' })).status).toBe(200);
  }
  await stack.waitForStatus(handle, (status) => status.status === 'NEEDS_ATTENTION');
  // A client without the codec sees what Temporal's database holds.
  rawHistory = await new Client({ connection: stack.client.connection }).workflow.getHandle(runId).fetchHistory();
});

afterAll(async () => {
  if (runId) await stack?.client.workflow.getHandle(runId).terminate('test over');
  await stack?.stop();
});

describe('what Temporal stores', () => {
  it('holds no plaintext of the plan: names of the customer and workloads, decisions', () => {
    const stored = storedText(rawHistory);
    expect(stored.length).toBeGreaterThan(5_000);
    expect(stored).not.toContain(marker);
    expect(stored).not.toContain('"workloads"');
    expect(stored).not.toContain('APPROVE');
  });

  it('holds the plan encrypted, under the current key, where the codec finds it again', async () => {
    const input = startInputOf(rawHistory);
    expect(Buffer.from(input.metadata?.[KEY_ID_METADATA_KEY] ?? []).toString()).toBe(stack.codec.currentKeyId);
    const [decoded] = await stack.codec.decode([input]);
    expect(JSON.stringify(defaultPayloadConverter.fromPayload(decoded!))).toContain(marker);
  });

  it('holds failure messages encrypted too, while the API still shows them', async () => {
    const failures = (rawHistory.events ?? []).flatMap((event) => (event.activityTaskFailedEventAttributes?.failure ? [event.activityTaskFailedEventAttributes.failure] : []));
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure.message).toBe('Encoded failure');
      expect(failure.stackTrace ?? '').toBe('');
    }
    const ops = await stack.token({ roles: ['ops'] });
    const status = (await (await api('GET', `/v1/migrations/${runId}`, ops)).json()) as MigrationStatus;
    expect(status.attention[0]?.message).toMatch(/createTenant|tenant/i);
    expect(status.attention[0]?.message).not.toBe('Encoded failure');
  });

  it('is decoded for ops by the codec endpoint, as the Temporal Web UI asks', async () => {
    const input = startInputOf(rawHistory);
    const body: CodecPayloads = {
      payloads: [
        {
          metadata: Object.fromEntries(Object.entries(input.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
          data: Buffer.from(input.data ?? []).toString('base64'),
        },
      ],
    };
    const decoded = await api('POST', '/codec/decode', await stack.token({ roles: ['ops'] }), body);
    expect(decoded.status).toBe(200);
    const [payload] = ((await decoded.json()) as CodecPayloads).payloads;
    expect(Buffer.from(payload?.data ?? '', 'base64').toString('utf8')).toContain(marker);
  });
});

describe('a tampered payload', () => {
  it('fails GCM authentication instead of decoding to something else', async () => {
    const input = startInputOf(rawHistory);
    const data = Buffer.from(input.data ?? []);
    data[Math.floor(data.length / 2)] = (data[Math.floor(data.length / 2)] ?? 0) ^ 0x20;
    await expect(stack.codec.decode([{ ...input, data }])).rejects.toBeInstanceOf(PayloadDecryptionError);
  });
});

describe('key rotation', () => {
  const withoutOldKey = new AesGcmPayloadCodec(parseCodecKeys(generateCodecKey('next-key')));

  it('still reads history written under the old key once a new key is current', async () => {
    const ring = parseCodecKeys(`${generateCodecKey('next-key')},${stack.codecKeys}`);
    const codec = new AesGcmPayloadCodec(ring);
    expect(codec.currentKeyId).toBe('next-key');
    const [decoded] = await codec.decode([startInputOf(rawHistory)]);
    expect(JSON.stringify(defaultPayloadConverter.fromPayload(decoded!))).toContain(marker);

    // A client that holds the old key only as a previous one reads the run (the worker still writes under the old key).
    const client = new Client({ connection: stack.client.connection, dataConverter: createDataConverter(codec) });
    const status = await client.workflow.getHandle(runId).query(statusQuery);
    expect(status.customerName).toBe(`Mairie ${marker}`);
  });

  it('cannot read the history without the old key', async () => {
    await expect(withoutOldKey.decode([startInputOf(rawHistory)])).rejects.toBeInstanceOf(PayloadDecryptionError);
  });
});
