import { ProviderNotFoundError } from '../../provider/errors';
import { simulatedTransferSeconds } from '../../sim-cloud/cutover';
import { createTestTenant, createTestZone, newKey, startHarness, type SimCloudHarness } from './harness';

// Tenants and landing zones are onboarded through sim-cloud's ARM (HTTPS, long-running operations).
jest.setTimeout(30_000);

let sim: SimCloudHarness;
let tenant: { id: string };
let zone: { id: string };

beforeAll(async () => {
  sim = await startHarness({ speedup: 10 });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await sim.admin.reset();
  tenant = await createTestTenant(sim);
  zone = await createTestZone(sim, tenant.id);
});

const startReplication = (workloadId: string, sizeGb: number, bandwidthMbps: number, targetId = zone.id) =>
  sim.provider.startReplication({ idempotencyKey: newKey('replicate'), tenantId: tenant.id, workloadId, targetId, sizeGb, bandwidthMbps });

describe('replication', () => {
  it('takes sizeGb × 8 × 1000 / bandwidthMbps simulated seconds', () => {
    expect(simulatedTransferSeconds(100, 1000)).toBe(800);
    expect(simulatedTransferSeconds(2400, 100)).toBe(192_000);
  });

  it('progresses with elapsed time × SIM_CLOUD_SPEEDUP, then completes', async () => {
    // 100 GB at 1000 Mbit/s: 800 simulated seconds, 80 real seconds at speedup 10.
    const started = await startReplication('dpi', 100, 1000);
    expect(started).toMatchObject({ type: 'replication', workloadId: 'dpi', targetId: zone.id, state: 'RUNNING', progress: 0, completedAt: null });
    expect(Date.parse(started.estimatedCompletionAt) - Date.parse(started.startedAt)).toBe(80_000);

    sim.clock.advance(20_000);
    await expect(sim.provider.getReplication({ replicationId: started.id })).resolves.toMatchObject({ state: 'RUNNING', progress: 0.25 });

    sim.clock.advance(59_999);
    const almost = await sim.provider.getReplication({ replicationId: started.id });
    expect(almost.state).toBe('RUNNING');
    expect(almost.progress).toBeLessThan(1);

    sim.clock.advance(1);
    await expect(sim.provider.getReplication({ replicationId: started.id })).resolves.toMatchObject({
      state: 'COMPLETED',
      progress: 1,
      completedAt: started.estimatedCompletionAt,
    });
    await expect(sim.provider.getResource({ type: 'replication', id: started.id })).resolves.toMatchObject({ state: 'COMPLETED' });
  });

  it('runs faster by the configured speed factor', async () => {
    await sim.admin.writeSettings({ replicationSpeedFactor: 4 });
    const started = await startReplication('pacs', 100, 1000);
    sim.clock.advance(10_000);
    await expect(sim.provider.getReplication({ replicationId: started.id })).resolves.toMatchObject({ progress: 0.5 });
    sim.clock.advance(10_000);
    await expect(sim.provider.getReplication({ replicationId: started.id })).resolves.toMatchObject({ state: 'COMPLETED' });
  });

  it('replicates a Microsoft 365 workload into the Microsoft 365 tenant', async () => {
    const m365 = await sim.provider.createM365Tenant({ idempotencyKey: newKey('m365'), tenantId: tenant.id, name: 'ght', usedBy: 'migration-test' });
    await expect(startReplication('mail', 10, 100, m365.id)).resolves.toMatchObject({ targetId: m365.id, state: 'RUNNING' });
  });

  it('refuses a second replication of a workload while one runs', async () => {
    const running = await startReplication('dpi', 100, 1000);
    await expect(startReplication('dpi', 100, 1000)).rejects.toMatchObject({
      status: 409,
      problem: { replicationId: running.id },
    });
  });

  it('refuses a target that does not exist or belongs to another tenant', async () => {
    await expect(startReplication('dpi', 1, 1, 'lz-missing')).rejects.toBeInstanceOf(ProviderNotFoundError);
    const other = await createTestTenant(sim, 'Other');
    const otherZone = await createTestZone(sim, other.id);
    await expect(startReplication('dpi', 1, 1, otherZone.id)).rejects.toMatchObject({ status: 422 });
  });

  it('stops and forgets a replication that is deleted, and answers 404 for it afterwards', async () => {
    const started = await startReplication('dpi', 100, 1000);
    await sim.provider.deleteResource({ idempotencyKey: newKey('delete'), type: 'replication', id: started.id });
    await expect(sim.provider.getReplication({ replicationId: started.id })).rejects.toBeInstanceOf(ProviderNotFoundError);
    await expect(startReplication('dpi', 100, 1000)).resolves.toMatchObject({ state: 'RUNNING' });
  });

  it('rejects a replication without bandwidth with 400', async () => {
    await expect(startReplication('dpi', 10, 0)).rejects.toMatchObject({ status: 400, problem: { errors: [{ path: 'bandwidthMbps' }] } });
  });
});
