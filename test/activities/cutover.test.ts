import { createActivities, MIN_REPLICATION_POLL_MS, type MigrationActivities, replicationPollDelay } from '../../activities';
import { createHttpCloudProvider } from '../../activities/provider/http-client';
import type { ResourceType } from '../../provider';
import { startHarness, type SimCloudHarness } from '../sim-cloud/harness';
import { failureOf, runActivity } from './run-activity';

// The cutover activities against a real sim-cloud (port 0, manual clock) through the HTTP provider.
jest.setTimeout(30_000);

let sim: SimCloudHarness;
let activities: MigrationActivities;
let tenantId: string;
let zoneId: string;
let workloadCounter = 0;
let workloadId: string;

beforeAll(async () => {
  sim = await startHarness();
  activities = createActivities({
    provider: createHttpCloudProvider({ baseUrl: sim.url, timeoutMs: 5_000 }),
    landingZones: sim.landingZonesWith({ maxRetries: 0 }),
    replicationPollMs: 1,
  });
  tenantId = await runActivity(activities, 'createTenant', { idempotencyKey: 'tenant', customerId: 'chu-cutover', name: 'CHU' });
  zoneId = await runActivity(activities, 'createLandingZone', { idempotencyKey: 'zone', tenantId, name: 'hds', level: 'SECNUMCLOUD', hds: true });
});
beforeEach(() => {
  workloadCounter += 1;
  workloadId = `dpi-${workloadCounter}`;
});
afterEach(async () => {
  await sim.admin.clearFaults();
});
afterAll(async () => {
  await sim.close();
});

/** The idempotency key the workflow derives for a step of this test's workload. */
const key = (step: string) => `migration-test/cutover.wave-1.${workloadId}.${step}/0`;
const call = (step: string) => ({ idempotencyKey: key(step), tenantId, workloadId });
const count = async (type: ResourceType) => (await sim.admin.listResources()).types[type].count;
const workload = () => sim.provider.getWorkload({ tenantId, workloadId });

/** Replicates this test's workload (1 GB at 1000 Mb/s: 8 simulated seconds), moving sim-cloud's clock on at each heartbeat. */
async function replicate(heartbeats: unknown[] = []): Promise<string> {
  return await runActivity(activities, 'replicateWorkload', { ...call('replicate'), targetId: zoneId, sizeGb: 1, bandwidthMbps: 1000 }, {
    onHeartbeat: (details) => {
      heartbeats.push(details);
      sim.clock.advance(10_000);
    },
  });
}

/** Replication, freeze, final sync, validation: what a traffic switch needs. */
async function readyToSwitch(): Promise<void> {
  await replicate();
  await runActivity(activities, 'freezeSource', call('freeze'));
  await runActivity(activities, 'finalSync', call('final-sync'));
  await runActivity(activities, 'validateWorkload', call('validate'));
}

describe('replicateWorkload', () => {
  it('starts the copy to the landing zone, heartbeats its progress until COMPLETED and answers the replication id', async () => {
    const heartbeats: unknown[] = [];
    const id = await replicate(heartbeats);
    expect(id).toMatch(/^rep-/);
    expect(heartbeats).toEqual([
      { workloadId, progress: 0 },
      { workloadId, progress: 1 },
    ]);
    expect((await workload()).replication).toMatchObject({ id, targetId: zoneId, sizeGb: 1, bandwidthMbps: 1000, state: 'COMPLETED', progress: 1 });
  });

  it('resumes the same provider job when retried with the same key: one replication exists', async () => {
    const before = await count('replication');
    const first = await replicate();
    expect(await replicate()).toBe(first);
    expect(await count('replication')).toBe(before + 1);
  });

  it('fails without retry (ProviderNotFoundError) towards a landing zone that does not exist, and with retry while the provider is unavailable', async () => {
    const missing = await failureOf(runActivity(activities, 'replicateWorkload', { ...call('replicate'), targetId: `${zoneId}-gone`, sizeGb: 1, bandwidthMbps: 1000 }));
    expect(missing).toMatchObject({ type: 'ProviderNotFoundError', retryable: false });
    expect(missing.message).toContain(`${zoneId}-gone`);

    await sim.admin.armFault({ operation: 'startReplication', mode: 'error', status: 503 });
    expect(await failureOf(replicate())).toMatchObject({ type: 'ProviderUnavailableError', retryable: true, message: expect.stringContaining('startReplication answered 503') as unknown });
    expect((await workload()).replication).toBeNull();
  });

  it('stops polling, cancelled, when its activity is cancelled', async () => {
    let cancel: () => void = () => undefined;
    const polls: unknown[] = [];
    const running = runActivity(activities, 'replicateWorkload', { ...call('replicate'), targetId: zoneId, sizeGb: 1, bandwidthMbps: 1000 }, {
      onStart: (environment) => (cancel = () => environment.cancel()),
      // The clock stays put: the copy never completes, and the activity polls until cancelled.
      onHeartbeat: (details) => {
        polls.push(details);
        if (polls.length === 1) cancel();
      },
    });
    await expect(running).rejects.toMatchObject({ name: 'CancelledFailure' });
    expect(polls).toEqual([{ workloadId, progress: 0 }]);
    expect((await workload()).replication).toMatchObject({ state: 'RUNNING', progress: 0 });
  });
});

describe('replicateWorkload reads a running job again when its estimate says it is done', () => {
  // These activities wait at most a minute between reads: a test that waited a full interval would time out.
  const patient = () =>
    createActivities({ provider: createHttpCloudProvider({ baseUrl: sim.url, timeoutMs: 5_000 }), landingZones: sim.landingZones, replicationPollMs: 60_000 });
  const replicateWith = (chosen: MigrationActivities, onHeartbeat: (details: unknown) => void) =>
    runActivity(chosen, 'replicateWorkload', { ...call('replicate'), targetId: zoneId, sizeGb: 1, bandwidthMbps: 1000 }, { onHeartbeat });
  afterEach(async () => {
    await sim.admin.writeSettings({ ...(await sim.admin.readSettings()), replicationSpeedFactor: 1 });
  });

  it('reads a job due in 8 ms once more after 8 ms, not a full interval later: two heartbeats', async () => {
    await sim.admin.writeSettings({ ...(await sim.admin.readSettings()), replicationSpeedFactor: 1000 });
    const heartbeats: unknown[] = [];
    await replicateWith(patient(), (details) => {
      heartbeats.push(details);
      sim.clock.advance(8);
    });
    expect(heartbeats).toEqual([
      { workloadId, progress: 0 },
      { workloadId, progress: 1 },
    ]);
  });

  it('reads a job that went slower than estimated again for what remains: one heartbeat per read', async () => {
    await sim.admin.writeSettings({ ...(await sim.admin.readSettings()), replicationSpeedFactor: 1000 });
    const heartbeats: unknown[] = [];
    await replicateWith(patient(), (details) => {
      heartbeats.push(details);
      sim.clock.advance(4);
    });
    expect(heartbeats).toEqual([
      { workloadId, progress: 0 },
      { workloadId, progress: 0.5 },
      { workloadId, progress: 1 },
    ]);
  });

  it('keeps reading and heartbeating a long job at the longest interval', async () => {
    const frequent = createActivities({ provider: createHttpCloudProvider({ baseUrl: sim.url, timeoutMs: 5_000 }), landingZones: sim.landingZones, replicationPollMs: 20 });
    const heartbeats: unknown[] = [];
    await replicateWith(frequent, (details) => {
      heartbeats.push(details);
      sim.clock.advance(1_000);
    });
    expect(heartbeats).toEqual([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1].map((progress) => ({ workloadId, progress })));
  });

  it('stops waiting for the estimate, cancelled, when its activity is cancelled', async () => {
    let cancel: () => void = () => undefined;
    const heartbeats: unknown[] = [];
    const running = runActivity(patient(), 'replicateWorkload', { ...call('replicate'), targetId: zoneId, sizeGb: 1, bandwidthMbps: 1000 }, {
      onStart: (environment) => (cancel = () => environment.cancel()),
      // 8 s to go: the activity would wait 8 s, and is cancelled meanwhile.
      onHeartbeat: (details) => {
        heartbeats.push(details);
        cancel();
      },
    });
    await expect(running).rejects.toMatchObject({ name: 'CancelledFailure' });
    expect(heartbeats).toEqual([{ workloadId, progress: 0 }]);
  });
});

describe('replicationPollDelay', () => {
  const job = (progress: number, durationMs: number) => ({
    progress,
    startedAt: '2026-11-30T10:00:00.000Z',
    estimatedCompletionAt: new Date(Date.parse('2026-11-30T10:00:00.000Z') + durationMs).toISOString(),
  });

  it('waits for the remaining share of the estimated duration, plus a margin of 2 ms', () => {
    expect(replicationPollDelay(job(0, 100), 0, 1_000)).toBe(102);
    expect(replicationPollDelay(job(0.75, 100), 0, 1_000)).toBe(27);
  });

  it('waits at most the longest interval, and at least the shortest, doubled for each read that found the job late', () => {
    expect(replicationPollDelay(job(0.5, 3_600_000), 0, 1_000)).toBe(1_000);
    expect(replicationPollDelay(job(0.999999, 1), 0, 1_000)).toBe(MIN_REPLICATION_POLL_MS);
    expect(replicationPollDelay(job(0.999999, 1), 3, 1_000)).toBe(MIN_REPLICATION_POLL_MS * 8);
    expect(replicationPollDelay(job(0.999999, 1), 20, 1_000)).toBe(1_000);
  });

  it('waits the longest interval when the job gives no usable estimate', () => {
    expect(replicationPollDelay({ progress: 0.5, startedAt: 'soon', estimatedCompletionAt: 'later' }, 0, 1_000)).toBe(1_000);
  });
});

describe('freezeSource and unfreezeSource', () => {
  it('freeze the source once: a repeated freeze leaves it FROZEN since the first', async () => {
    expect((await workload()).source.state).toBe('LIVE');
    await runActivity(activities, 'freezeSource', call('freeze'));
    const frozen = (await workload()).source;
    expect(frozen.state).toBe('FROZEN');
    sim.clock.advance(60_000);
    await runActivity(activities, 'freezeSource', call('freeze'));
    await runActivity(activities, 'freezeSource', { ...call('freeze'), idempotencyKey: `${key('freeze')}-again` });
    expect((await workload()).source).toEqual(frozen);
  });

  it('reopen the source, repeatably, when traffic is on the source', async () => {
    await runActivity(activities, 'freezeSource', call('freeze'));
    await runActivity(activities, 'unfreezeSource', call('unfreeze'));
    const live = (await workload()).source;
    expect(live.state).toBe('LIVE');
    await runActivity(activities, 'unfreezeSource', { ...call('unfreeze'), idempotencyKey: `${key('unfreeze')}-again` });
    expect((await workload()).source).toEqual(live);
  });

  it('refuse without retry to reopen a source whose traffic is on the cloud, and to freeze in a tenant that does not exist', async () => {
    await readyToSwitch();
    await runActivity(activities, 'switchTraffic', { ...call('switch'), target: 'cloud' });
    const refused = await failureOf(runActivity(activities, 'unfreezeSource', call('unfreeze')));
    expect(refused).toMatchObject({ type: 'ProviderRejectedError', retryable: false });
    expect(refused.message).toContain('switch it back to the source before unfreezing');
    expect((await workload()).source.state).toBe('FROZEN');

    expect(await failureOf(runActivity(activities, 'freezeSource', { ...call('freeze-elsewhere'), tenantId: `${tenantId}-gone` }))).toMatchObject({ type: 'ProviderNotFoundError', retryable: false });
  });
});

describe('finalSync', () => {
  it('answers the final sync of the completed replication, and the same one when repeated with its key', async () => {
    const replicationId = await replicate();
    await runActivity(activities, 'freezeSource', call('freeze'));
    const before = await count('final-sync');
    const id = await runActivity(activities, 'finalSync', call('final-sync'));
    expect(id).toMatch(/^fsync-/);
    expect((await workload()).finalSync).toMatchObject({ id, replicationId });
    expect(await runActivity(activities, 'finalSync', call('final-sync'))).toBe(id);
    expect(await count('final-sync')).toBe(before + 1);
  });

  it('fails without retry on a source still live, and with retry while the provider is unavailable', async () => {
    await replicate();
    const refused = await failureOf(runActivity(activities, 'finalSync', call('final-sync')));
    expect(refused).toMatchObject({ type: 'ProviderRejectedError', retryable: false });
    expect(refused.message).toContain('needs its source frozen first');

    await runActivity(activities, 'freezeSource', call('freeze'));
    await sim.admin.armFault({ operation: 'finalSync', mode: 'error', status: 502 });
    expect(await failureOf(runActivity(activities, 'finalSync', { ...call('final-sync'), idempotencyKey: `${key('final-sync')}-2` }))).toMatchObject({ type: 'ProviderUnavailableError', retryable: true });
    expect((await workload()).finalSync).toBeNull();
  });
});

describe('validateWorkload', () => {
  it('answers the passed validation of the final sync, and the same one when repeated with its key', async () => {
    await replicate();
    await runActivity(activities, 'freezeSource', call('freeze'));
    const finalSyncId = await runActivity(activities, 'finalSync', call('final-sync'));
    const before = await count('validation');
    const id = await runActivity(activities, 'validateWorkload', call('validate'));
    expect(id).toMatch(/^val-/);
    expect((await workload()).validation).toMatchObject({ id, finalSyncId, outcome: 'PASSED' });
    expect(await runActivity(activities, 'validateWorkload', call('validate'))).toBe(id);
    expect(await count('validation')).toBe(before + 1);
  });

  it('fails without retry (CheckFailedError) naming the failed check when the source was reopened after the final sync', async () => {
    await replicate();
    await runActivity(activities, 'freezeSource', call('freeze'));
    await runActivity(activities, 'finalSync', call('final-sync'));
    await runActivity(activities, 'unfreezeSource', call('unfreeze'));
    expect(await failureOf(runActivity(activities, 'validateWorkload', call('validate')))).toEqual({
      type: 'CheckFailedError',
      retryable: false,
      message: `Validation of ${workloadId} failed: source-still-frozen`,
    });
  });

  it('fails without retry (ProviderRejectedError) before any final sync', async () => {
    const refused = await failureOf(runActivity(activities, 'validateWorkload', call('validate')));
    expect(refused).toMatchObject({ type: 'ProviderRejectedError', retryable: false });
    expect(refused.message).toContain('has no final sync to validate');
  });
});

describe('switchTraffic', () => {
  it("points the workload's DNS record at the cloud, and a repeat with its key answers the same record", async () => {
    await readyToSwitch();
    const before = await count('dns-record');
    const id = await runActivity(activities, 'switchTraffic', { ...call('switch'), target: 'cloud' });
    expect(id).toMatch(/^dns-/);
    expect((await workload()).dnsRecord).toMatchObject({ id, target: 'cloud', value: `${workloadId}.cloud.sim-cloud.internal`, name: `${workloadId}.psl-chu-cutover.sim-cloud.internal` });
    expect(await runActivity(activities, 'switchTraffic', { ...call('switch'), target: 'cloud' })).toBe(id);
    expect(await count('dns-record')).toBe(before + 1);
  });

  it('switches back to the source on the same record, as compensation does', async () => {
    await readyToSwitch();
    const id = await runActivity(activities, 'switchTraffic', { ...call('switch'), target: 'cloud' });
    expect(await runActivity(activities, 'switchTraffic', { ...call('switch-back'), target: 'source' })).toBe(id);
    expect((await workload()).dnsRecord).toMatchObject({ id, target: 'source', value: `${workloadId}.source.sim-cloud.internal` });
  });

  it('fails without retry when the workload is not validated, and reuses nothing it did not create', async () => {
    await replicate();
    await runActivity(activities, 'freezeSource', call('freeze'));
    const refused = await failureOf(runActivity(activities, 'switchTraffic', { ...call('switch'), target: 'cloud' }));
    expect(refused).toMatchObject({ type: 'ProviderRejectedError', retryable: false });
    expect(refused.message).toContain('has no passed validation');
    expect((await workload()).dnsRecord).toBeNull();
  });
});

describe('smokeTest', () => {
  it('answers the passed smoke test of the switched record, and the same one when repeated with its key', async () => {
    await readyToSwitch();
    const dnsRecordId = await runActivity(activities, 'switchTraffic', { ...call('switch'), target: 'cloud' });
    const before = await count('smoke-test');
    const id = await runActivity(activities, 'smokeTest', call('smoke'));
    expect(id).toMatch(/^smoke-/);
    expect((await workload()).smokeTest).toMatchObject({ id, dnsRecordId, outcome: 'PASSED' });
    expect(await runActivity(activities, 'smokeTest', call('smoke'))).toBe(id);
    expect(await count('smoke-test')).toBe(before + 1);
  });

  it('fails without retry while traffic is not on the cloud, and with retry on a throttled provider', async () => {
    const refused = await failureOf(runActivity(activities, 'smokeTest', call('smoke')));
    expect(refused).toMatchObject({ type: 'ProviderRejectedError', retryable: false });
    expect(refused.message).toContain('switch traffic before the smoke test');

    await sim.admin.armFault({ operation: 'smokeTest', mode: 'error', status: 429 });
    expect(await failureOf(runActivity(activities, 'smokeTest', call('smoke')))).toMatchObject({ type: 'ProviderUnavailableError', retryable: true });
  });
});

describe('createM365Tenant', () => {
  it("creates the customer's Microsoft 365 tenant with its data in France, once per key", async () => {
    const before = await count('m365-tenant');
    const request = { idempotencyKey: `m365-${workloadId}`, tenantId, name: 'chu-cutover-m365' };
    const id = await runActivity(activities, 'createM365Tenant', request);
    expect(id).toMatch(/^m365-/);
    expect(await sim.provider.getResource({ type: 'm365-tenant', id })).toMatchObject({ id, tenantId, name: 'chu-cutover-m365', dataLocation: 'FR' });
    expect(await runActivity(activities, 'createM365Tenant', request)).toBe(id);
    expect(await count('m365-tenant')).toBe(before + 1);
  });

  it('fails without retry for a tenant that does not exist, or when its key is reused for another request', async () => {
    expect(await failureOf(runActivity(activities, 'createM365Tenant', { idempotencyKey: `m365-${workloadId}`, tenantId: `${tenantId}-gone`, name: 'x' }))).toMatchObject({
      type: 'ProviderNotFoundError',
      retryable: false,
    });
    await runActivity(activities, 'createM365Tenant', { idempotencyKey: `m365-${workloadId}-b`, tenantId, name: 'first' });
    expect(await failureOf(runActivity(activities, 'createM365Tenant', { idempotencyKey: `m365-${workloadId}-b`, tenantId, name: 'second' }))).toMatchObject({
      type: 'ProviderRejectedError',
      retryable: false,
    });
  });
});

describe('deleteResource (resources of the migration service)', () => {
  it("releases the plan's use of a Microsoft 365 tenant: deleted once no plan uses it, and releasing it again still succeeds", async () => {
    const id = await runActivity(activities, 'createM365Tenant', { idempotencyKey: `m365-${workloadId}`, tenantId, name: 'to-delete' });
    const before = await count('m365-tenant');
    await runActivity(activities, 'deleteResource', { idempotencyKey: `undo-${workloadId}`, type: 'm365-tenant', id });
    expect(await count('m365-tenant')).toBe(before - 1);
    await runActivity(activities, 'deleteResource', { idempotencyKey: `undo-${workloadId}-again`, type: 'm365-tenant', id });
    expect(await count('m365-tenant')).toBe(before - 1);
  });

  it('fails with retry while the provider is unavailable, and the resource stays', async () => {
    const id = await runActivity(activities, 'createM365Tenant', { idempotencyKey: `m365-${workloadId}`, tenantId, name: 'kept' });
    await sim.admin.armFault({ operation: 'releaseM365Tenant', mode: 'error', status: 503 });
    expect(await failureOf(runActivity(activities, 'deleteResource', { idempotencyKey: `undo-${workloadId}`, type: 'm365-tenant', id }))).toMatchObject({
      type: 'ProviderUnavailableError',
      retryable: true,
    });
    expect(await sim.provider.getResource({ type: 'm365-tenant', id })).toMatchObject({ id });
  });
});

describe('rehearsal: launchTestInstance, smokeTestLaunch, tearDownTestLaunch', () => {
  afterEach(async () => {
    await sim.admin.writeSettings({ brokenTestWorkloads: [] });
  });

  it('launches a test instance of a replicated workload in an isolated network, and the source and DNS stay as they were', async () => {
    await replicate();
    const before = await workload();
    const launch = await runActivity(activities, 'launchTestInstance', call('rehearse-launch'));
    expect(launch).toEqual({ launchId: expect.stringMatching(/^tl-/) as unknown, network: `isolated-${launch.launchId}` });
    expect(await runActivity(activities, 'launchTestInstance', call('rehearse-launch'))).toEqual(launch);
    const after = await workload();
    expect(after.source).toEqual(before.source);
    expect(after.source.state).toBe('LIVE');
    expect(after.dnsRecord).toBeNull();
    expect((await sim.admin.listResources()).types['test-launch'].items).toContainEqual(expect.objectContaining({ id: launch.launchId, workloadId }));
  });

  it('refuses, without retry, to launch a workload whose replication has not completed', async () => {
    const failure = await failureOf(runActivity(activities, 'launchTestInstance', call('rehearse-launch')));
    expect(failure).toMatchObject({ type: 'ProviderRejectedError', retryable: false });
    expect(failure.message).toContain(`Workload ${workloadId} has no replication`);
  });

  it('answers the smoke test’s checks, a failed application check included, without throwing', async () => {
    await replicate();
    const { launchId } = await runActivity(activities, 'launchTestInstance', call('rehearse-launch'));
    expect(await runActivity(activities, 'smokeTestLaunch', { idempotencyKey: key('rehearse-smoke-test'), launchId })).toEqual({
      outcome: 'PASSED',
      checks: [
        { name: 'instance-boots', outcome: 'PASSED' },
        { name: 'network-isolated', outcome: 'PASSED' },
        { name: 'application-answers', outcome: 'PASSED' },
      ],
    });
    await sim.admin.writeSettings({ brokenTestWorkloads: [workloadId] });
    const broken = await runActivity(activities, 'smokeTestLaunch', { idempotencyKey: `${key('rehearse-smoke-test')}/again`, launchId });
    expect(broken.outcome).toBe('FAILED');
    expect(broken.checks).toContainEqual({ name: 'application-answers', outcome: 'FAILED' });
  });

  it('tears a launch down, and tearing it down again succeeds; an injected outage fails with retry and leaves it', async () => {
    await replicate();
    const { launchId } = await runActivity(activities, 'launchTestInstance', call('rehearse-launch'));
    await sim.admin.armFault({ operation: 'tearDownTestLaunch', mode: 'error', status: 503 });
    expect(await failureOf(runActivity(activities, 'tearDownTestLaunch', { idempotencyKey: key('rehearse-teardown'), launchId }))).toMatchObject({
      type: 'ProviderUnavailableError',
      retryable: true,
    });
    expect(await sim.provider.getResource({ type: 'test-launch', id: launchId })).toMatchObject({ id: launchId });
    await runActivity(activities, 'tearDownTestLaunch', { idempotencyKey: key('rehearse-teardown'), launchId });
    await runActivity(activities, 'tearDownTestLaunch', { idempotencyKey: `${key('rehearse-teardown')}/again`, launchId });
    expect((await sim.admin.listResources()).types['test-launch'].items.some((item) => item.id === launchId)).toBe(false);
    expect((await workload()).source.state).toBe('LIVE');
  });
});
