import { ProviderRejectedError } from '../../provider/errors';
import { newKey, rawCall, startHarness, type SimCloudHarness } from './harness';

let sim: SimCloudHarness;

beforeAll(async () => {
  sim = await startHarness();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await sim.admin.reset();
});

describe('Idempotency-Key', () => {
  it('answers a replay with the first answer, same status and body, and creates exactly one resource', async () => {
    const key = newKey('tenant');
    const first = await rawCall(sim.url, 'POST', '/v1/tenants', { idempotencyKey: key, body: { customerId: 'chu', name: 'CHU' } });
    sim.clock.advance(60_000);
    const replay = await rawCall(sim.url, 'POST', '/v1/tenants', { idempotencyKey: key, body: { name: 'CHU', customerId: 'chu' } });

    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await sim.admin.listResources()).types.tenant.count).toBe(1);
  });

  it('gives the typed client the same resource when it repeats a call', async () => {
    const request = { idempotencyKey: newKey('tenant'), customerId: 'chu', name: 'CHU' };
    const first = await sim.provider.createTenant(request);
    const again = await sim.provider.createTenant(request);
    expect(again).toEqual(first);
    expect((await sim.admin.listResources()).total).toBe(1);
  });

  it('refuses the same key with another body with 422 and changes nothing', async () => {
    const key = newKey('tenant');
    await sim.provider.createTenant({ idempotencyKey: key, customerId: 'chu', name: 'CHU' });
    const reuse = sim.provider.createTenant({ idempotencyKey: key, customerId: 'chu', name: 'CHU de Lyon' });
    await expect(reuse).rejects.toBeInstanceOf(ProviderRejectedError);
    await expect(reuse).rejects.toMatchObject({ status: 422, problem: { type: 'urn:passerelle:sim-cloud:problem:idempotency-key-reused' } });
    expect((await sim.admin.listResources()).types.tenant.items.map((tenant) => 'name' in tenant && tenant.name)).toEqual(['CHU']);
  });

  it('refuses the same key on another operation with 422', async () => {
    const key = newKey('shared');
    const tenant = await sim.provider.createTenant({ idempotencyKey: key, customerId: 'chu', name: 'CHU' });
    await expect(sim.provider.createM365Tenant({ idempotencyKey: key, tenantId: tenant.id, name: 'chu' })).rejects.toMatchObject({
      status: 422,
      problem: { firstOperation: 'createTenant' },
    });
  });

  it('requires the header on every mutating call, with 400', async () => {
    const missing = await rawCall(sim.url, 'POST', '/v1/tenants', { body: { customerId: 'chu', name: 'CHU' } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ title: 'Idempotency-Key header required' });

    const deletion = await rawCall(sim.url, 'DELETE', '/v1/tenants/tnt-anything');
    expect(deletion.status).toBe(400);
    expect((await sim.admin.listResources()).total).toBe(0);
  });

  it('records nothing for a refused call, so the same key works once the cause is gone', async () => {
    const tenant = await sim.provider.createTenant({ idempotencyKey: newKey(), customerId: 'chu', name: 'CHU' });
    const request = {
      idempotencyKey: newKey('lz'),
      tenantId: tenant.id,
      name: 'health',
      level: 'SECNUMCLOUD',
      hds: true,
      region: 'francecentral',
    } as const;
    await expect(sim.provider.createLandingZone(request)).rejects.toMatchObject({ status: 409 });
    await sim.admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
    await expect(sim.provider.createLandingZone(request)).resolves.toMatchObject({ level: 'SECNUMCLOUD' });
  });

  it('replays a deletion with 204', async () => {
    const tenant = await sim.provider.createTenant({ idempotencyKey: newKey(), customerId: 'chu', name: 'CHU' });
    const key = newKey('delete');
    const first = await rawCall(sim.url, 'DELETE', `/v1/tenants/${tenant.id}`, { idempotencyKey: key });
    const replay = await rawCall(sim.url, 'DELETE', `/v1/tenants/${tenant.id}`, { idempotencyKey: key });
    expect([first.status, replay.status]).toEqual([204, 204]);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });
});
