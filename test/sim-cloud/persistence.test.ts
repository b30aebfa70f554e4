import { existsSync } from 'node:fs';
import { createTestTenant, createTestZone, newKey, startHarness, type SimCloudHarness } from './harness';

// The tenant and landing zone are onboarded through sim-cloud's ARM (HTTPS, long-running operations).
jest.setTimeout(30_000);

let sim: SimCloudHarness;

beforeAll(async () => {
  sim = await startHarness({ speedup: 100 });
});

afterAll(async () => {
  await sim.close();
});

describe('state on disk', () => {
  it('keeps resources, sources, credentials, settings and idempotency keys across a restart on the same file', async () => {
    const tenant = await createTestTenant(sim, 'Région');
    const zone = await createTestZone(sim, tenant.id);
    const m365Request = { idempotencyKey: newKey('m365'), tenantId: tenant.id, name: 'region', usedBy: 'migration-test' };
    const m365Tenant = await sim.provider.createM365Tenant(m365Request);
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
    await sim.admin.writeSettings({ replicationSpeedFactor: 2, brokenTestWorkloads: ['dpi'] });
    sim.clock.advance(4_000);

    const urlBefore = sim.url;
    await sim.restart();
    expect(existsSync(sim.dataFile)).toBe(true);
    expect(sim.url).not.toBe(urlBefore);

    await expect(sim.provider.getResource({ type: 'm365-tenant', id: m365Tenant.id })).resolves.toEqual(m365Tenant);
    await expect(sim.provider.createM365Tenant(m365Request)).resolves.toEqual(m365Tenant);
    expect((await sim.admin.listArmResources()).map((resource) => resource.id)).toEqual(expect.arrayContaining([tenant.id, zone.id]));
    await expect(sim.provider.getReplication({ replicationId: replication.id })).resolves.toMatchObject({ state: 'RUNNING', progress: 0.4 });
    const workload = await sim.provider.getWorkload({ tenantId: tenant.id, workloadId: 'gf' });
    expect(workload.source.state).toBe('FROZEN');
    await expect(sim.provider.getQualifications()).resolves.toEqual(credentials);
    await expect(sim.admin.readSettings()).resolves.toEqual({ replicationSpeedFactor: 2, brokenTestWorkloads: ['dpi'] });

    sim.clock.advance(6_000);
    await expect(sim.provider.getReplication({ replicationId: replication.id })).resolves.toMatchObject({ state: 'COMPLETED', progress: 1 });
    expect((await sim.admin.listResources()).total).toBe(2);
  });
});
