import { ProviderRejectedError, ProviderUnavailableError } from '../../provider/errors';
import { createTestTenant, newKey, rawCall, startHarness, type SimCloudHarness } from './harness';
import { waitUntil } from '../support/wait';

// Tenants are onboarded through sim-cloud's ARM (HTTPS, long-running operations).
jest.setTimeout(30_000);

let sim: SimCloudHarness;
let tenantId: string;

beforeAll(async () => {
  sim = await startHarness();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await sim.admin.reset();
  tenantId = (await createTestTenant(sim)).id;
});

describe('error faults', () => {
  it('answer the armed status as problem+json before doing anything, for `times` calls, then stop', async () => {
    await sim.admin.armFault({ operation: 'createM365Tenant', mode: 'error', times: 2 });

    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const failure = sim.provider.createM365Tenant({ idempotencyKey: newKey(), tenantId, name: 'chu', usedBy: 'migration-test' });
      await expect(failure).rejects.toBeInstanceOf(ProviderUnavailableError);
      await expect(failure).rejects.toMatchObject({ status: 503, problem: { type: 'urn:passerelle:sim-cloud:problem:injected-fault', operation: 'createM365Tenant' } });
    }
    expect((await sim.admin.listResources()).total).toBe(0);

    await expect(sim.provider.createM365Tenant({ idempotencyKey: newKey(), tenantId, name: 'chu', usedBy: 'migration-test' })).resolves.toMatchObject({ type: 'm365-tenant' });
    await expect(sim.admin.listFaults()).resolves.toEqual([]);
  });

  it('answer a chosen 4xx status, which the client reports as a rejection', async () => {
    await sim.admin.armFault({ operation: 'getQualifications', mode: 'error', status: 422 });
    const rejected = sim.provider.getQualifications();
    await expect(rejected).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(rejected).rejects.toMatchObject({ status: 422 });
    await expect(sim.provider.getQualifications()).resolves.toMatchObject({ secnumcloud: 'J2' });
  });

  it('break only the operation they are armed on', async () => {
    await sim.admin.armFault({ operation: 'deleteResource', mode: 'error' });
    await expect(sim.provider.getQualifications()).resolves.toBeDefined();
    expect((await rawCall(sim.url, 'GET', '/healthz')).status).toBe(200);
    await expect(sim.admin.listFaults()).resolves.toMatchObject([{ operation: 'deleteResource', remaining: 1 }]);
  });
});

describe('latency faults', () => {
  it('delay the answer, then let the call proceed', async () => {
    await sim.admin.armFault({ operation: 'getQualifications', mode: 'latency', latencyMs: 250 });
    const startedAt = performance.now();
    await expect(sim.provider.getQualifications()).resolves.toMatchObject({ secnumcloud: 'J2' });
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(240);
  });

  it('still carry out a call whose client gave up, so a retry with the same key gets its answer', async () => {
    await sim.admin.armFault({ operation: 'createM365Tenant', mode: 'latency', latencyMs: 300 });
    const request = { idempotencyKey: newKey('m365'), tenantId, name: 'chu', usedBy: 'migration-test' };

    await expect(sim.providerWithTimeout(100).createM365Tenant(request)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(await sim.admin.heldCalls()).toBe(1);
    await waitUntil('the abandoned call is carried out', async () => (await sim.admin.heldCalls()) === 0);
    expect((await sim.admin.listResources()).types['m365-tenant'].count).toBe(1);
    const retried = await sim.provider.createM365Tenant(request);

    const inventory = await sim.admin.listResources();
    expect(inventory.types['m365-tenant'].count).toBe(1);
    expect(inventory.types['m365-tenant'].items[0]).toEqual(retried);
  });
});

describe('hang faults', () => {
  it('never answer, so the client times out as unavailable; the next call answers', async () => {
    await sim.admin.armFault({ operation: 'getWorkload', mode: 'hang' });
    const workload = { tenantId, workloadId: 'dpi' };

    const hung = sim.providerWithTimeout(200).getWorkload(workload);
    await expect(hung).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(hung).rejects.toThrow('no answer within 200 ms');
    await expect(sim.provider.getWorkload(workload)).resolves.toMatchObject({ workloadId: 'dpi' });
  });

  it('do not keep the server from closing, nor do long latencies', async () => {
    const own = await startHarness();
    const ownTenant = await createTestTenant(own);
    await own.admin.armFault({ operation: 'getQualifications', mode: 'hang' });
    await own.admin.armFault({ operation: 'createM365Tenant', mode: 'latency', latencyMs: 60_000 });
    const patient = own.providerWithTimeout(60_000);
    const outcomes = Promise.all(
      [patient.getQualifications(), patient.createM365Tenant({ idempotencyKey: newKey(), tenantId: ownTenant.id, name: 'chu', usedBy: 'migration-test' })].map((call) =>
        call.then(
          () => 'answered',
          (error: unknown) => error,
        ),
      ),
    );
    // Both calls are held once they have taken their faults.
    await waitUntil('both calls reach their faults', async () => (await own.admin.listFaults()).length === 0);

    const closingStartedAt = performance.now();
    await own.close();
    expect(performance.now() - closingStartedAt).toBeLessThan(1_000);
    const [hung, delayed] = await outcomes;
    expect(hung).toBeInstanceOf(ProviderUnavailableError);
    expect(delayed).toBeInstanceOf(ProviderUnavailableError);
  });
});

describe('fault administration', () => {
  it('lists every operation with its routes', async () => {
    const { operations } = await sim.admin.listOperations();
    const names = operations.map((operation) => operation.name);
    expect(names).toEqual(
      expect.arrayContaining(['createM365Tenant', 'arm.managementGroups.put', 'arm.aliases.put', 'arm.resourceGroups.put', 'arm.vaults.put', 'arm.policyAssignments.put', 'arm.diagnosticSettings.put']),
    );
    // Tenants and landing zones are provisioned through ARM only: the migration service has no route for them.
    expect(names).not.toContain('createTenant');
    expect(names).toEqual(
      expect.arrayContaining(['startReplication', 'getReplication', 'freezeSource', 'unfreezeSource', 'finalSync', 'validateWorkload', 'smokeTest']),
    );
    expect(names).toEqual(expect.arrayContaining(['switchTraffic', 'deleteResource', 'getQualifications', 'getResource', 'getWorkload']));
    expect(operations.find((operation) => operation.name === 'createM365Tenant')?.routes).toEqual(['POST /v1/tenants/:tenantId/m365-tenants']);
    expect(operations.find((operation) => operation.name === 'deleteResource')?.routes).toContain('DELETE /v1/dns-records/:id');
  });

  it('refuses a fault on an unknown operation with 422 naming it', async () => {
    const answer = await rawCall(sim.url, 'POST', '/admin/faults', { body: { operation: 'launchRocket', mode: 'error' } });
    expect(answer.status).toBe(422);
    expect(answer.body?.detail).toContain('launchRocket');
  });

  it('refuses an invalid fault with 400 naming the field', async () => {
    const noLatency = await rawCall(sim.url, 'POST', '/admin/faults', { body: { operation: 'createM365Tenant', mode: 'latency' } });
    expect(noLatency.status).toBe(400);
    expect(noLatency.body?.errors).toEqual([{ path: 'latencyMs', message: 'a latency fault needs latencyMs' }]);

    const badMode = await rawCall(sim.url, 'POST', '/admin/faults', { body: { operation: 'createM365Tenant', mode: 'explode', times: 0 } });
    expect(badMode.status).toBe(400);
    expect((badMode.body?.errors as { path: string }[]).map((error) => error.path).sort()).toEqual(['mode', 'times']);
  });

  it('lists armed faults with their defaults and clears them all', async () => {
    const armed = await sim.admin.armFault({ operation: 'finalSync', mode: 'error' });
    expect(armed).toMatchObject({ operation: 'finalSync', mode: 'error', times: 1, remaining: 1, status: 503, latencyMs: null });
    await sim.admin.armFault({ operation: 'smokeTest', mode: 'hang', times: 3 });
    await expect(sim.admin.listFaults()).resolves.toHaveLength(2);

    await expect(sim.admin.clearFaults()).resolves.toBe(2);
    await expect(sim.admin.listFaults()).resolves.toEqual([]);
  });

  it('counts what exists by type', async () => {
    const m365Tenant = await sim.provider.createM365Tenant({ idempotencyKey: newKey(), tenantId, name: 'chu', usedBy: 'migration-test' });
    const inventory = await sim.admin.listResources();
    expect(inventory.total).toBe(1);
    expect(inventory.types['m365-tenant']).toEqual({ count: 1, items: [m365Tenant] });
    expect(inventory.types.replication).toEqual({ count: 0, items: [] });
  });
});
