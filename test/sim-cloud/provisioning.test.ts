import { ProviderNotFoundError } from '../../provider/errors';
import { createTestTenant, newKey, rawCall, startHarness, type SimCloudHarness } from './harness';

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

describe("the migration service's provisioning", () => {
  it('creates a Microsoft 365 tenant with its data in France under an ARM tenant, and deletes it', async () => {
    const m365 = await sim.provider.createM365Tenant({ idempotencyKey: newKey('m365'), tenantId, name: 'ght-rhone-nord', usedBy: 'migration-test' });
    expect(m365).toMatchObject({ type: 'm365-tenant', tenantId, dataLocation: 'FR' });
    expect(m365.id).toMatch(/^m365-/);
    expect(Date.parse(m365.createdAt)).toBe(sim.clock.now());
    await expect(sim.provider.getResource({ type: 'm365-tenant', id: m365.id })).resolves.toEqual(m365);
    await sim.provider.deleteResource({ idempotencyKey: newKey('delete'), type: 'm365-tenant', id: m365.id });
    await expect(sim.provider.getResource({ type: 'm365-tenant', id: m365.id })).rejects.toBeInstanceOf(ProviderNotFoundError);
    await expect(sim.provider.deleteResource({ idempotencyKey: newKey('delete'), type: 'm365-tenant', id: m365.id })).resolves.toBeUndefined();
  });

  it("gives a customer's second plan the Microsoft 365 tenant of its first, and deletes it only when the last plan releases it", async () => {
    const first = await sim.provider.createM365Tenant({ idempotencyKey: newKey('m365'), tenantId, name: 'ght-m365', usedBy: 'migration-lot-1' });
    const second = await sim.provider.createM365Tenant({ idempotencyKey: newKey('m365'), tenantId, name: 'ght-m365', usedBy: 'migration-lot-2' });
    expect(second.id).toBe(first.id);
    expect(second.usedBy).toEqual(['migration-lot-1', 'migration-lot-2']);
    expect((await sim.admin.listResources()).types['m365-tenant'].count).toBe(1);

    await expect(sim.provider.releaseM365Tenant({ idempotencyKey: newKey('release'), id: first.id, usedBy: 'migration-lot-2' })).resolves.toEqual({ deleted: false, stillUsedBy: ['migration-lot-1'] });
    await expect(sim.provider.getResource({ type: 'm365-tenant', id: first.id })).resolves.toMatchObject({ usedBy: ['migration-lot-1'] });
    await expect(sim.provider.releaseM365Tenant({ idempotencyKey: newKey('release'), id: first.id, usedBy: 'migration-lot-1' })).resolves.toEqual({ deleted: true, stillUsedBy: [] });
    await expect(sim.provider.getResource({ type: 'm365-tenant', id: first.id })).rejects.toBeInstanceOf(ProviderNotFoundError);
    // Releasing what is gone succeeds, for compensation that runs again.
    await expect(sim.provider.releaseM365Tenant({ idempotencyKey: newKey('release'), id: first.id, usedBy: 'migration-lot-1' })).resolves.toEqual({ deleted: true, stillUsedBy: [] });
  });

  it('answers 404 for a tenant that ARM does not hold', async () => {
    await expect(sim.provider.createM365Tenant({ idempotencyKey: newKey('m365'), tenantId: 'tnt-legacy', name: 'x', usedBy: 'migration-test' })).rejects.toBeInstanceOf(ProviderNotFoundError);
  });

  it("forgets what it keeps for a tenant once the tenant's management group is deleted through ARM", async () => {
    await sim.provider.createM365Tenant({ idempotencyKey: newKey('m365'), tenantId, name: 'ght', usedBy: 'migration-test' });
    await sim.provider.freezeSource({ idempotencyKey: newKey('freeze'), tenantId, workloadId: 'dpi' });
    expect((await sim.admin.listResources()).total).toBe(1);

    await sim.landingZones.release({ type: 'tenant', id: tenantId, usedBy: 'migration-test' });

    const inventory = await sim.admin.listResources();
    expect(inventory.total).toBe(0);
    expect(inventory.sources).toEqual({ LIVE: 0, FROZEN: 0 });
  });

  it('answers 400 with each offending field named when a body is invalid', async () => {
    const answer = await rawCall(sim.url, 'POST', `/v1/tenants/${encodeURIComponent(tenantId)}/m365-tenants`, {
      idempotencyKey: newKey(),
      body: { name: '', colour: 'blue' },
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 400, title: 'Invalid request body' });
    expect(answer.body?.errors).toEqual(
      expect.arrayContaining([
        { path: 'name', message: expect.any(String) as string },
        { path: 'usedBy', message: expect.any(String) as string },
        { path: 'colour', message: 'unknown field' },
      ]),
    );
  });

  it('answers 400 problem+json for malformed JSON and 404 for unknown routes, the removed provisioning routes among them, with no stack trace', async () => {
    const malformed = await rawCall(sim.url, 'POST', `/v1/tenants/${encodeURIComponent(tenantId)}/m365-tenants`, { idempotencyKey: newKey(), rawBody: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ title: 'Malformed JSON body' });
    expect(JSON.stringify(malformed.body)).not.toMatch(/at .*\.js|stack/i);

    for (const path of ['/v1/spaceships', '/v1/tenants', '/v1/landing-zones/lz-1/key-vaults']) {
      const unknown = await rawCall(sim.url, 'POST', path, { idempotencyKey: newKey(), body: {} });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ status: 404, title: 'No such route' });
    }
  });
});
