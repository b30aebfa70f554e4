import { existsSync } from 'node:fs';
import { newKey, startHarness, type SimCloudHarness } from './harness';

let sim: SimCloudHarness;

beforeAll(async () => {
  sim = await startHarness({ speedup: 100 });
});

afterAll(async () => {
  await sim.close();
});

describe('state on disk', () => {
  it('keeps resources, sources, credentials, settings and idempotency keys across a restart on the same file', async () => {
    const tenantRequest = { idempotencyKey: newKey('tenant'), customerId: 'region', name: 'Région' };
    const tenant = await sim.provider.createTenant(tenantRequest);
    const zone = await sim.provider.createLandingZone({
      idempotencyKey: newKey('lz'),
      tenantId: tenant.id,
      name: 'standard',
      level: 'STANDARD',
      hds: false,
      region: 'francesouth',
    });
    // 100 GB at 800 Mbit/s: 1000 simulated seconds, 10 real seconds at speedup 100.
    const replication = await sim.provider.startReplication({
      idempotencyKey: newKey('replicate'),
      tenantId: tenant.id,
      workloadId: 'gf',
      targetId: zone.id,
      sizeGb: 100,
      bandwidthMbps: 800,
    });
    await sim.provider.freezeSource({ idempotencyKey: newKey('freeze'), tenantId: tenant.id, workloadId: 'gf' });
    const credentials = await sim.admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: false });
    await sim.admin.writeSettings({ replicationSpeedFactor: 2 });
    sim.clock.advance(4_000);

    const urlBefore = sim.url;
    await sim.restart();
    expect(existsSync(sim.dataFile)).toBe(true);
    expect(sim.url).not.toBe(urlBefore);

    await expect(sim.provider.getResource({ type: 'landing-zone', id: zone.id })).resolves.toEqual(zone);
    await expect(sim.provider.createTenant(tenantRequest)).resolves.toEqual(tenant);
    await expect(sim.provider.getReplication({ replicationId: replication.id })).resolves.toMatchObject({ state: 'RUNNING', progress: 0.4 });
    const workload = await sim.provider.getWorkload({ tenantId: tenant.id, workloadId: 'gf' });
    expect(workload.source.state).toBe('FROZEN');
    await expect(sim.provider.getQualifications()).resolves.toEqual(credentials);
    await expect(sim.admin.readSettings()).resolves.toEqual({ replicationSpeedFactor: 2 });

    sim.clock.advance(6_000);
    await expect(sim.provider.getReplication({ replicationId: replication.id })).resolves.toMatchObject({ state: 'COMPLETED', progress: 1 });
    expect((await sim.admin.listResources()).total).toBe(3);
  });
});
