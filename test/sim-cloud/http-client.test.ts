import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProviderNotFoundError, ProviderRejectedError, ProviderUnavailableError } from '../../provider/errors';
import { createHttpCloudProvider } from '../../activities/provider/http-client';
import { startSimCloud } from '../../sim-cloud/server';
import { NON_RETRYABLE_ERROR_NAMES } from '../../domain';

interface RecordedRequest {
  url: string;
  method: string | undefined;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records requests and answers `status` with `body`. */
function answeringFetch(status: number, body: string, contentType = 'application/problem+json') {
  const requests: RecordedRequest[] = [];
  const fetchStub: typeof fetch = async (input, init) => {
    requests.push({
      url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      method: init?.method,
      headers: init?.headers as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    return new Response(status === 204 ? null : body, { status, headers: { 'content-type': contentType } });
  };
  return { fetchStub, requests };
}

const problem = (status: number, detail: string) =>
  JSON.stringify({ type: 'urn:passerelle:sim-cloud:problem:test', title: 'Test problem', status, detail });

describe('the HTTP cloud provider', () => {
  it('sends the Idempotency-Key and the body of a mutating call, without the key in the body', async () => {
    const { fetchStub, requests } = answeringFetch(201, '{"id":"m365-1"}', 'application/json');
    const provider = createHttpCloudProvider({ baseUrl: 'http://sim.test/', fetch: fetchStub });

    await provider.createM365Tenant({ idempotencyKey: 'wf-1:provisioning.m365-tenant', tenantId: '/providers/Microsoft.Management/managementGroups/psl-chu', name: 'chu', usedBy: 'migration-test' });

    expect(requests).toEqual([
      {
        url: 'http://sim.test/v1/tenants/%2Fproviders%2FMicrosoft.Management%2FmanagementGroups%2Fpsl-chu/m365-tenants',
        method: 'POST',
        headers: expect.objectContaining({ 'idempotency-key': 'wf-1:provisioning.m365-tenant', 'content-type': 'application/json' }) as unknown,
        body: { name: 'chu', usedBy: 'migration-test' },
      },
    ]);
  });

  it('resolves a deletion answered 204 with undefined', async () => {
    const { fetchStub, requests } = answeringFetch(204, '');
    const provider = createHttpCloudProvider({ baseUrl: 'http://sim.test', fetch: fetchStub });
    await expect(provider.deleteResource({ idempotencyKey: 'k', type: 'dns-record', id: 'dns-1' })).resolves.toBeUndefined();
    expect(requests[0]).toMatchObject({ url: 'http://sim.test/v1/dns-records/dns-1', method: 'DELETE' });
  });

  it.each([500, 502, 503, 408, 429])('reports %i as ProviderUnavailableError, which is retryable', async (status) => {
    const provider = createHttpCloudProvider({ baseUrl: 'http://sim.test', fetch: answeringFetch(status, problem(status, 'busy')).fetchStub });
    const failure = provider.getQualifications();
    await expect(failure).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(failure).rejects.toMatchObject({ name: 'ProviderUnavailableError', status, operation: 'getQualifications' });
    expect(NON_RETRYABLE_ERROR_NAMES).not.toContain('ProviderUnavailableError');
  });

  it.each([400, 409, 422])('reports %i as ProviderRejectedError with the status and the problem', async (status) => {
    const provider = createHttpCloudProvider({ baseUrl: 'http://sim.test', fetch: answeringFetch(status, problem(status, 'refused')).fetchStub });
    const failure = provider.finalSync({ idempotencyKey: 'k', tenantId: 't', workloadId: 'w' });
    await expect(failure).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(failure).rejects.toMatchObject({
      name: 'ProviderRejectedError',
      status,
      operation: 'finalSync',
      problem: { detail: 'refused', title: 'Test problem' },
      message: `finalSync answered ${status}: refused`,
    });
    expect(NON_RETRYABLE_ERROR_NAMES).toContain('ProviderRejectedError');
  });

  it('reports 404 as ProviderNotFoundError, which is not retryable', async () => {
    const provider = createHttpCloudProvider({ baseUrl: 'http://sim.test', fetch: answeringFetch(404, problem(404, 'gone')).fetchStub });
    const failure = provider.getReplication({ replicationId: 'rep-1' });
    await expect(failure).rejects.toBeInstanceOf(ProviderNotFoundError);
    await expect(failure).rejects.toMatchObject({ name: 'ProviderNotFoundError', status: 404 });
    expect(NON_RETRYABLE_ERROR_NAMES).toContain('ProviderNotFoundError');
  });

  it('keeps a body that is not problem+json as the detail', async () => {
    const provider = createHttpCloudProvider({ baseUrl: 'http://sim.test', fetch: answeringFetch(403, 'Forbidden by proxy', 'text/plain').fetchStub });
    await expect(provider.getQualifications()).rejects.toMatchObject({ status: 403, problem: { detail: 'Forbidden by proxy' } });
  });

  it('reports a success whose body is not JSON as unavailable', async () => {
    const provider = createHttpCloudProvider({ baseUrl: 'http://sim.test', fetch: answeringFetch(200, '<html>', 'text/html').fetchStub });
    await expect(provider.getQualifications()).rejects.toBeInstanceOf(ProviderUnavailableError);
  });

  it('reports a refused connection as ProviderUnavailableError', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sim-cloud-test-'));
    const stopped = await startSimCloud({ port: 0, dataFile: join(directory, 'db.sqlite'), speedup: 1 });
    await stopped.close();
    const provider = createHttpCloudProvider({ baseUrl: stopped.url, timeoutMs: 2_000 });
    try {
      await expect(provider.getQualifications()).rejects.toBeInstanceOf(ProviderUnavailableError);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('gives up after timeoutMs with ProviderUnavailableError', async () => {
    const neverAnswers: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));
    const provider = createHttpCloudProvider({ baseUrl: 'http://sim.test', timeoutMs: 50, fetch: neverAnswers });
    const failure = provider.getQualifications();
    await expect(failure).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(failure).rejects.toThrow('getQualifications failed: no answer within 50 ms');
  });

  it('stops when the caller cancels, with the caller reason rather than a provider error', async () => {
    const neverAnswers: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));
    const provider = createHttpCloudProvider({ baseUrl: 'http://sim.test', fetch: neverAnswers });
    const cancellation = new AbortController();
    const reason = new Error('activity cancelled');

    const call = provider.freezeSource({ idempotencyKey: 'k', tenantId: 't', workloadId: 'w' }, { signal: cancellation.signal });
    cancellation.abort(reason);
    await expect(call).rejects.toBe(reason);

    const alreadyCancelled = new AbortController();
    alreadyCancelled.abort(reason);
    await expect(provider.getQualifications({ signal: alreadyCancelled.signal })).rejects.toBe(reason);
  });
});
