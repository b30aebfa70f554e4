import type { z } from 'zod';
import type {
  Check,
  DnsRecord,
  FinalSync,
  Replication,
  SmokeTest,
  TestLaunch,
  Validation,
  WorkloadSource,
  WorkloadStatus,
} from '../provider/types';
import { newResourceId, presentReplication, type Catalog } from './catalog';
import type { Clock } from './clock';
import { problems } from './problems';
import type { startReplicationBody, switchTrafficBody } from './schemas';
import type { SimCloudStore, StoredReplication, StoredSource } from './store';

/** Name of the setting that lists the workloads whose test instances fail their smoke test (JSON array of workload ids). */
export const BROKEN_TEST_WORKLOADS_SETTING = 'brokenTestWorkloads';

/** Name of the setting that scales replication speed on top of SIM_CLOUD_SPEEDUP. */
export const REPLICATION_SPEED_FACTOR_SETTING = 'replicationSpeedFactor';

/** The cutover operations of the control plane. */
export type Cutover = ReturnType<typeof createCutover>;

/**
 * Simulated seconds to copy `sizeGb` over `bandwidthMbps`: gigabytes to megabits, divided by
 * megabits per second.
 */
export function simulatedTransferSeconds(sizeGb: number, bandwidthMbps: number): number {
  return (sizeGb * 8 * 1000) / bandwidthMbps;
}

/**
 * Replication, source freeze, final sync, validation, traffic switch and smoke test of one
 * workload. Each step checks that the steps before it happened, as the real platform would.
 */
export function createCutover({
  store,
  clock,
  catalog,
  speedup,
}: {
  store: SimCloudStore;
  clock: Clock;
  catalog: Catalog;
  speedup: number;
}) {
  const nowIso = () => new Date(clock.now()).toISOString();

  const sourceOf = (tenantId: string, workloadId: string): StoredSource =>
    store.findSource(tenantId, workloadId) ?? { state: 'LIVE', changedAt: catalog.requireTenant(tenantId).createdAt };

  const presentSource = (tenantId: string, workloadId: string): WorkloadSource => ({ tenantId, workloadId, ...sourceOf(tenantId, workloadId) });

  const latestReplication = (tenantId: string, workloadId: string): Replication | null => {
    const stored = store.latestWorkloadResource('replication', tenantId, workloadId);
    return stored ? presentReplication(stored, clock.now()) : null;
  };

  const brokenTestWorkloads = (): string[] => JSON.parse(store.readSetting(BROKEN_TEST_WORKLOADS_SETTING) ?? '[]') as string[];

  const requireTestLaunch = (launchId: string): TestLaunch => {
    const launch = store.findResource('test-launch', launchId);
    if (!launch) throw problems.notFound('test launch', launchId);
    return launch;
  };

  const replicationSpeedFactor = (): number => Number(store.readSetting(REPLICATION_SPEED_FACTOR_SETTING) ?? '1');

  const setSourceState = (tenantId: string, workloadId: string, state: StoredSource['state']): WorkloadSource => {
    catalog.requireTenant(tenantId);
    if (sourceOf(tenantId, workloadId).state !== state) store.saveSource(tenantId, workloadId, { state, changedAt: nowIso() });
    return presentSource(tenantId, workloadId);
  };

  const requireFrozenSource = (tenantId: string, workloadId: string, step: string): void => {
    if (sourceOf(tenantId, workloadId).state !== 'FROZEN') {
      throw problems.conflict(
        'source-not-frozen',
        'Source not frozen',
        `${step} of workload ${workloadId} needs its source frozen first (freezeSource).`,
        { workloadId },
      );
    }
  };

  return {
    getWorkload(tenantId: string, workloadId: string): WorkloadStatus {
      catalog.requireTenant(tenantId);
      const latest = <T extends 'final-sync' | 'validation' | 'dns-record' | 'smoke-test'>(type: T) =>
        store.latestWorkloadResource(type, tenantId, workloadId) ?? null;
      return {
        tenantId,
        workloadId,
        source: presentSource(tenantId, workloadId),
        replication: latestReplication(tenantId, workloadId),
        finalSync: latest('final-sync'),
        validation: latest('validation'),
        dnsRecord: latest('dns-record'),
        smokeTest: latest('smoke-test'),
      };
    },

    startReplication(tenantId: string, workloadId: string, body: z.infer<typeof startReplicationBody>): Replication {
      catalog.requireTenant(tenantId);
      const target = catalog.findReplicationTarget(body.targetId);
      if (!target) throw problems.notFound('landing zone or Microsoft 365 tenant', body.targetId);
      if (target.tenantId.toLowerCase() !== tenantId.toLowerCase()) {
        throw problems.unprocessable(
          'target-of-another-tenant',
          'Replication target belongs to another tenant',
          `${body.targetId} belongs to tenant ${target.tenantId}, not ${tenantId}.`,
        );
      }
      const running = latestReplication(tenantId, workloadId);
      if (running?.state === 'RUNNING') {
        throw problems.conflict(
          'replication-in-progress',
          'Replication already running',
          `Workload ${workloadId} is already replicating as ${running.id} (${Math.round(running.progress * 100)} %).`,
          { replicationId: running.id },
        );
      }
      const rate = speedup * replicationSpeedFactor();
      const startedAt = nowIso();
      const replication: StoredReplication = {
        id: newResourceId('replication'),
        type: 'replication',
        createdAt: startedAt,
        tenantId,
        workloadId,
        targetId: body.targetId,
        sizeGb: body.sizeGb,
        bandwidthMbps: body.bandwidthMbps,
        startedAt,
        durationMs: Math.ceil((simulatedTransferSeconds(body.sizeGb, body.bandwidthMbps) * 1000) / rate),
      };
      store.insertResource(replication, { tenantId, parentId: body.targetId, workloadId });
      return presentReplication(replication, clock.now());
    },

    getReplication(replicationId: string): Replication {
      return catalog.getResource('replication', replicationId);
    },

    freezeSource(tenantId: string, workloadId: string): WorkloadSource {
      return setSourceState(tenantId, workloadId, 'FROZEN');
    },

    unfreezeSource(tenantId: string, workloadId: string): WorkloadSource {
      catalog.requireTenant(tenantId);
      // Two live copies would take writes on both sides: switch traffic back before reopening the source.
      if (store.latestWorkloadResource('dns-record', tenantId, workloadId)?.target === 'cloud') {
        throw problems.conflict(
          'traffic-on-cloud',
          'Traffic still points at the cloud',
          `Workload ${workloadId} still sends its traffic to the cloud: switch it back to the source before unfreezing.`,
          { workloadId },
        );
      }
      return setSourceState(tenantId, workloadId, 'LIVE');
    },

    finalSync(tenantId: string, workloadId: string): FinalSync {
      catalog.requireTenant(tenantId);
      requireFrozenSource(tenantId, workloadId, 'The final sync');
      const replication = latestReplication(tenantId, workloadId);
      if (replication?.state !== 'COMPLETED') {
        throw problems.conflict(
          replication ? 'replication-not-completed' : 'replication-missing',
          'Replication not completed',
          replication
            ? `Replication ${replication.id} of workload ${workloadId} is at ${Math.floor(replication.progress * 100)} %: wait for COMPLETED.`
            : `Workload ${workloadId} has no replication: start one first.`,
          replication ? { replicationId: replication.id, progress: replication.progress } : {},
        );
      }
      const now = nowIso();
      const finalSync: FinalSync = {
        id: newResourceId('final-sync'),
        type: 'final-sync',
        createdAt: now,
        tenantId,
        workloadId,
        replicationId: replication.id,
        completedAt: now,
      };
      store.insertResource(finalSync, { tenantId, parentId: replication.id, workloadId });
      return finalSync;
    },

    validateWorkload(tenantId: string, workloadId: string): Validation {
      catalog.requireTenant(tenantId);
      const finalSync = store.latestWorkloadResource('final-sync', tenantId, workloadId);
      if (!finalSync) {
        throw problems.conflict(
          'final-sync-missing',
          'No final sync',
          `Workload ${workloadId} has no final sync to validate: run finalSync first.`,
          { workloadId },
        );
      }
      // A source reopened after the final sync has taken writes that the cloud copy lacks.
      const checks: Check[] = [
        { name: 'source-still-frozen', outcome: sourceOf(tenantId, workloadId).state === 'FROZEN' ? 'PASSED' : 'FAILED' },
        { name: 'row-counts-match', outcome: 'PASSED' },
        { name: 'checksums-match', outcome: 'PASSED' },
      ];
      const validation: Validation = {
        id: newResourceId('validation'),
        type: 'validation',
        createdAt: nowIso(),
        tenantId,
        workloadId,
        finalSyncId: finalSync.id,
        outcome: checks.every((check) => check.outcome === 'PASSED') ? 'PASSED' : 'FAILED',
        checks,
      };
      store.insertResource(validation, { tenantId, parentId: finalSync.id, workloadId });
      return validation;
    },

    switchTraffic(tenantId: string, workloadId: string, body: z.infer<typeof switchTrafficBody>): DnsRecord {
      catalog.requireTenant(tenantId);
      if (body.target === 'cloud') {
        requireFrozenSource(tenantId, workloadId, 'Switching traffic to the cloud');
        const validation = store.latestWorkloadResource('validation', tenantId, workloadId);
        if (validation?.outcome !== 'PASSED') {
          throw problems.conflict(
            'workload-not-validated',
            'Workload not validated',
            `Workload ${workloadId} has no passed validation: validate it before sending users to the cloud.`,
            { workloadId, validationId: validation?.id ?? null },
          );
        }
      }
      const now = nowIso();
      const value = `${workloadId}.${body.target}.sim-cloud.internal`;
      const existing = store.latestWorkloadResource('dns-record', tenantId, workloadId);
      if (existing) {
        const updated: DnsRecord = { ...existing, target: body.target, value, updatedAt: now };
        store.replaceResource(updated);
        return updated;
      }
      const record: DnsRecord = {
        id: newResourceId('dns-record'),
        type: 'dns-record',
        createdAt: now,
        tenantId,
        workloadId,
        // A tenant provisioned through ARM is a management group id: its last segment names it.
        name: `${workloadId}.${tenantId.split('/').pop() ?? tenantId}.sim-cloud.internal`,
        target: body.target,
        value,
        updatedAt: now,
      };
      store.insertResource(record, { tenantId, parentId: tenantId, workloadId });
      return record;
    },

    /**
     * A rehearsal's test instance, from the workload's completed replication, in a network of
     * its own with no route to the source or to production. It reads nothing and writes nothing
     * of the source's state or of the DNS record: a rehearsal leaves the workload as it was.
     */
    launchTestInstance(tenantId: string, workloadId: string): TestLaunch {
      catalog.requireTenant(tenantId);
      const replication = latestReplication(tenantId, workloadId);
      if (replication?.state !== 'COMPLETED') {
        throw problems.conflict(
          replication ? 'replication-not-completed' : 'replication-missing',
          'Replication not completed',
          replication
            ? `Replication ${replication.id} of workload ${workloadId} is at ${Math.floor(replication.progress * 100)} %: a test instance starts from a completed replication.`
            : `Workload ${workloadId} has no replication: a test instance starts from a completed replication.`,
          replication ? { replicationId: replication.id, progress: replication.progress } : {},
        );
      }
      const id = newResourceId('test-launch');
      const launch: TestLaunch = {
        id,
        type: 'test-launch',
        createdAt: nowIso(),
        tenantId,
        workloadId,
        replicationId: replication.id,
        network: `isolated-${id}`,
        address: `${workloadId}.${id}.test.sim-cloud.internal`,
        smokeTest: null,
      };
      // Its parent is the replication: deleting the replication (a compensation) takes the launch with it.
      store.insertResource(launch, { tenantId, parentId: replication.id, workloadId });
      return launch;
    },

    /** Smoke-tests a test instance inside its isolated network; a workload listed as broken fails its application check. */
    smokeTestLaunch(launchId: string): TestLaunch {
      const launch = requireTestLaunch(launchId);
      const answers = !brokenTestWorkloads().includes(launch.workloadId);
      const checks: Check[] = [
        { name: 'instance-boots', outcome: 'PASSED' },
        { name: 'network-isolated', outcome: 'PASSED' },
        { name: 'application-answers', outcome: answers ? 'PASSED' : 'FAILED' },
      ];
      const tested: TestLaunch = {
        ...launch,
        smokeTest: { outcome: checks.every((check) => check.outcome === 'PASSED') ? 'PASSED' : 'FAILED', checks, at: nowIso() },
      };
      store.replaceResource(tested);
      return tested;
    },

    /** Tears a test launch and its network down; one already gone is not an error, so that a teardown may be repeated. */
    tearDownTestLaunch(launchId: string): void {
      const launch = store.findResource('test-launch', launchId);
      if (launch) store.deleteResourceTree(launch);
    },

    smokeTest(tenantId: string, workloadId: string): SmokeTest {
      catalog.requireTenant(tenantId);
      const record = store.latestWorkloadResource('dns-record', tenantId, workloadId);
      if (record?.target !== 'cloud') {
        throw problems.conflict(
          'traffic-not-on-cloud',
          'Traffic not on the cloud',
          `Workload ${workloadId} does not send its traffic to the cloud: switch traffic before the smoke test.`,
          { workloadId },
        );
      }
      const smokeTest: SmokeTest = {
        id: newResourceId('smoke-test'),
        type: 'smoke-test',
        createdAt: nowIso(),
        tenantId,
        workloadId,
        dnsRecordId: record.id,
        outcome: 'PASSED',
        checks: [
          { name: 'dns-resolves-to-cloud', outcome: 'PASSED' },
          { name: 'health-endpoint-answers', outcome: 'PASSED' },
          { name: 'sign-in-works', outcome: 'PASSED' },
        ],
      };
      store.insertResource(smokeTest, { tenantId, parentId: record.id, workloadId });
      return smokeTest;
    },
  };
}
