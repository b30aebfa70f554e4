import { ProviderRejectedError } from '../../provider/errors';
import { newKey, rawCall, startHarness, type SimCloudHarness } from './harness';

// Each test onboards its tenant through sim-cloud's ARM (HTTPS, a long-running operation).
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
  tenantId = (await sim.landingZones.onboardTenant({ customerId: 'chu', name: 'CHU', usedBy: 'migration-test' })).id;
});

const m365Path = (tenant: string) => `/v1/tenants/${encodeURIComponent(tenant)}/m365-tenants`;

describe('Idempotency-Key', () => {
  it('answers a replay with the first answer, same status and body, and creates exactly one resource', async () => {
    const key = newKey('m365');
    const first = await rawCall(sim.url, 'POST', m365Path(tenantId), { idempotencyKey: key, body: { name: 'chu', usedBy: 'migration-test' } });
    sim.clock.advance(60_000);
    const replay = await rawCall(sim.url, 'POST', m365Path(tenantId), { idempotencyKey: key, body: { name: 'chu', usedBy: 'migration-test' } });

    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await sim.admin.listResources()).types['m365-tenant'].count).toBe(1);
  });

  it('gives the typed client the same resource when it repeats a call', async () => {
    const request = { idempotencyKey: newKey('m365'), tenantId, name: 'chu', usedBy: 'migration-test' };
    const first = await sim.provider.createM365Tenant(request);
    const again = await sim.provider.createM365Tenant(request);
    expect(again).toEqual(first);
    expect((await sim.admin.listResources()).total).toBe(1);
  });

  it('refuses the same key with another body with 422 and changes nothing', async () => {
    const key = newKey('m365');
    await sim.provider.createM365Tenant({ idempotencyKey: key, tenantId, name: 'chu', usedBy: 'migration-test' });
    const reuse = sim.provider.createM365Tenant({ idempotencyKey: key, tenantId, name: 'chu-lyon', usedBy: 'migration-test' });
    await expect(reuse).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(reuse).rejects.toMatchObject({ status: 422, problem: { type: 'urn:passerelle:sim-cloud:problem:idempotency-key-reused' } });
    expect((await sim.admin.listResources()).types['m365-tenant'].items.map((tenant) => 'name' in tenant && tenant.name)).toEqual(['chu']);
  });

  it('refuses the same key on another operation with 422', async () => {
    const key = newKey('shared');
    await sim.provider.createM365Tenant({ idempotencyKey: key, tenantId, name: 'chu', usedBy: 'migration-test' });
    await expect(sim.provider.freezeSource({ idempotencyKey: key, tenantId, workloadId: 'dpi' })).rejects.toMatchObject({
      status: 422,
      problem: { firstOperation: 'createM365Tenant' },
    });
  });

  it('requires the header on every mutating call, with 400', async () => {
    const missing = await rawCall(sim.url, 'POST', m365Path(tenantId), { body: { name: 'chu', usedBy: 'migration-test' } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ title: 'Idempotency-Key header required' });

    const deletion = await rawCall(sim.url, 'DELETE', '/v1/m365-tenants/m365-anything');
    expect(deletion.status).toBe(400);
    expect((await sim.admin.listResources()).total).toBe(0);
  });

  it('records nothing for a refused call, so the same key works once the cause is gone', async () => {
    const later = '/providers/Microsoft.Management/managementGroups/psl-later';
    const request = { idempotencyKey: newKey('m365'), tenantId: later, name: 'later', usedBy: 'migration-test' };
    await expect(sim.provider.createM365Tenant(request)).rejects.toMatchObject({ status: 404 });
    await sim.landingZones.onboardTenant({ customerId: 'later', name: 'Later', usedBy: 'migration-test' });
    await expect(sim.provider.createM365Tenant(request)).resolves.toMatchObject({ tenantId: later, dataLocation: 'FR' });
  });

  it('replays a deletion with 204', async () => {
    const m365 = await sim.provider.createM365Tenant({ idempotencyKey: newKey(), tenantId, name: 'chu', usedBy: 'migration-test' });
    const key = newKey('delete');
    const first = await rawCall(sim.url, 'DELETE', `/v1/m365-tenants/${m365.id}`, { idempotencyKey: key });
    const replay = await rawCall(sim.url, 'DELETE', `/v1/m365-tenants/${m365.id}`, { idempotencyKey: key });
    expect([first.status, replay.status]).toEqual([204, 204]);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });
});
