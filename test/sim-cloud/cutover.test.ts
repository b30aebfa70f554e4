import type { Replication, WorkloadRef } from '../../provider/types';
import { createTestTenant, createTestZone, newKey, startHarness, type SimCloudHarness } from './harness';

// Tenants and landing zones are onboarded through sim-cloud's ARM (HTTPS, long-running operations).
jest.setTimeout(30_000);

let sim: SimCloudHarness;
let tenant: { id: string };
let workload: WorkloadRef;

beforeAll(async () => {
  sim = await startHarness({ speedup: 1000 });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await sim.admin.reset();
  tenant = await createTestTenant(sim);
  workload = { tenantId: tenant.id, workloadId: 'dpi-db' };
});

const step = () => ({ idempotencyKey: newKey('step'), ...workload });

async function replicateToCompletion(): Promise<Replication> {
  const zone = await createTestZone(sim, tenant.id);
  // 125 GB at 1000 Mbit/s: 1000 simulated seconds, one real second at speedup 1000.
  const replication = await sim.provider.startReplication({ ...step(), targetId: zone.id, sizeGb: 125, bandwidthMbps: 1000 });
  sim.clock.advance(1_000);
  return replication;
}

const expectConflict = (call: Promise<unknown>, problemType: string) =>
  expect(call).rejects.toMatchObject({ name: 'ProviderRejectedError', status: 409, problem: { type: `urn:passerelle:sim-cloud:problem:${problemType}` } });

describe('cutover of a workload', () => {
  it('goes replicate, freeze, final sync, validate, switch, smoke test, and shows each step on the workload', async () => {
    const initial = await sim.provider.getWorkload(workload);
    expect(initial).toMatchObject({ source: { state: 'LIVE' }, replication: null, finalSync: null, validation: null, dnsRecord: null, smokeTest: null });

    const replication = await replicateToCompletion();
    await expect(sim.provider.freezeSource(step())).resolves.toMatchObject({ state: 'FROZEN' });
    const finalSync = await sim.provider.finalSync(step());
    expect(finalSync).toMatchObject({ type: 'final-sync', replicationId: replication.id });
    const validation = await sim.provider.validateWorkload(step());
    expect(validation).toMatchObject({ type: 'validation', finalSyncId: finalSync.id, outcome: 'PASSED' });
    const record = await sim.provider.switchTraffic({ ...step(), target: 'cloud' });
    expect(record).toMatchObject({ type: 'dns-record', target: 'cloud', value: 'dpi-db.cloud.sim-cloud.internal' });
    const smokeTest = await sim.provider.smokeTest(step());
    expect(smokeTest).toMatchObject({ type: 'smoke-test', dnsRecordId: record.id, outcome: 'PASSED' });

    await expect(sim.provider.getWorkload(workload)).resolves.toMatchObject({
      source: { state: 'FROZEN' },
      replication: { id: replication.id, state: 'COMPLETED' },
      finalSync: { id: finalSync.id },
      validation: { id: validation.id },
      dnsRecord: { id: record.id, target: 'cloud' },
      smokeTest: { id: smokeTest.id },
    });
  });

  it('refuses a final sync while the source is live', async () => {
    await replicateToCompletion();
    await expectConflict(sim.provider.finalSync(step()), 'source-not-frozen');
  });

  it('refuses a final sync before the replication completes, or without one', async () => {
    await sim.provider.freezeSource(step());
    await expectConflict(sim.provider.finalSync(step()), 'replication-missing');

    const zone = await createTestZone(sim, tenant.id);
    await sim.provider.startReplication({ ...step(), targetId: zone.id, sizeGb: 125, bandwidthMbps: 1000 });
    sim.clock.advance(500);
    await expect(sim.provider.finalSync(step())).rejects.toMatchObject({ status: 409, problem: { progress: 0.5 } });
  });

  it('refuses to validate before a final sync, and fails validation of a source reopened since', async () => {
    await expectConflict(sim.provider.validateWorkload(step()), 'final-sync-missing');
    await replicateToCompletion();
    await sim.provider.freezeSource(step());
    await sim.provider.finalSync(step());
    await sim.provider.unfreezeSource(step());
    const validation = await sim.provider.validateWorkload(step());
    expect(validation.outcome).toBe('FAILED');
    expect(validation.checks).toContainEqual({ name: 'source-still-frozen', outcome: 'FAILED' });
  });

  it('refuses to switch traffic to the cloud before a passed validation', async () => {
    await replicateToCompletion();
    await sim.provider.freezeSource(step());
    await sim.provider.finalSync(step());
    await expectConflict(sim.provider.switchTraffic({ ...step(), target: 'cloud' }), 'workload-not-validated');
  });

  it('refuses a smoke test while traffic does not reach the cloud', async () => {
    await expectConflict(sim.provider.smokeTest(step()), 'traffic-not-on-cloud');
  });

  it('compensates in reverse: refuses to unfreeze while traffic is on the cloud, then switches back and unfreezes', async () => {
    await replicateToCompletion();
    await sim.provider.freezeSource(step());
    await sim.provider.finalSync(step());
    await sim.provider.validateWorkload(step());
    await sim.provider.switchTraffic({ ...step(), target: 'cloud' });

    await expectConflict(sim.provider.unfreezeSource(step()), 'traffic-on-cloud');
    const back = await sim.provider.switchTraffic({ ...step(), target: 'source' });
    expect(back).toMatchObject({ target: 'source', value: 'dpi-db.source.sim-cloud.internal' });
    await expect(sim.provider.unfreezeSource(step())).resolves.toMatchObject({ state: 'LIVE' });
    expect((await sim.admin.listResources()).types['dns-record'].count).toBe(1);
  });

  it('freezes and unfreezes idempotently, keeping the time of the real change', async () => {
    const frozen = await sim.provider.freezeSource(step());
    sim.clock.advance(5_000);
    await expect(sim.provider.freezeSource(step())).resolves.toEqual(frozen);
    const live = await sim.provider.unfreezeSource(step());
    expect(live).toMatchObject({ state: 'LIVE', changedAt: new Date(sim.clock.now()).toISOString() });
  });

  it('answers 404 for a workload of an unknown tenant', async () => {
    await expect(sim.provider.freezeSource({ idempotencyKey: newKey(), tenantId: 'tnt-missing', workloadId: 'x' })).rejects.toMatchObject({
      name: 'ProviderNotFoundError',
    });
  });
});
