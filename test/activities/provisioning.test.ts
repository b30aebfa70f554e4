import { createActivities, type MigrationActivities } from '../../activities';
import { LandingZoneDriftError } from '../../activities/errors';
import { createHttpCloudProvider } from '../../activities/provider/http-client';
import { startHarness, type SimCloudHarness } from '../sim-cloud/harness';
import { failureOf, runActivity } from './run-activity';

// The provisioning activities against sim-cloud's ARM routes through the real adapter: a dozen HTTPS calls each.
jest.setTimeout(30_000);

let sim: SimCloudHarness;
let counter = 0;
let customerId: string;
beforeAll(async () => {
  sim = await startHarness();
});
beforeEach(async () => {
  await sim.admin.reset();
  counter += 1;
  customerId = `mairie-${counter}`;
});
afterAll(async () => {
  await sim.close();
});

/** The activities over sim-cloud, the SDK retrying each call `maxRetries` times. */
function activitiesFor(maxRetries = 1): MigrationActivities {
  return createActivities({ provider: createHttpCloudProvider({ baseUrl: sim.url, timeoutMs: 5_000 }), landingZones: sim.landingZonesWith({ maxRetries }) });
}

/** Runs one activity of `activities` as part of the run `planId` (its workflow id). */
function asPlan<K extends keyof MigrationActivities>(activities: MigrationActivities, planId: string, name: K, input: Parameters<MigrationActivities[K]>[0]): ReturnType<MigrationActivities[K]> {
  return runActivity(activities, name, input, { planId });
}

const key = (step: string) => `migration-x/${step}/0`;

async function provisionAll(activities: MigrationActivities, planId: string) {
  const tenantId = await asPlan(activities, planId, 'createTenant', { idempotencyKey: key('tenant'), customerId, name: 'Mairie' });
  const zoneId = await asPlan(activities, planId, 'createLandingZone', { idempotencyKey: key('zone'), tenantId, name: 'standard', level: 'SECNUMCLOUD', hds: false });
  const vaultId = await asPlan(activities, planId, 'createKeyVault', { idempotencyKey: key('vault'), landingZoneId: zoneId, name: 'kv-standard' });
  const policyId = await asPlan(activities, planId, 'assignPolicies', { idempotencyKey: key('policies'), landingZoneId: zoneId, name: 'policies', level: 'SECNUMCLOUD' });
  const logsId = await asPlan(activities, planId, 'configureLogForwarding', { idempotencyKey: key('logs'), landingZoneId: zoneId, siemEndpoint: `siem.${customerId}` });
  return { tenantId, zoneId, vaultId, policyId, logsId };
}

const armCount = async () => (await sim.admin.listArmResources()).length;

describe('the provisioning activities', () => {
  it('answer the ids of the ARM resources they provision, named after the customer and level', async () => {
    const ids = await provisionAll(activitiesFor(), 'migration-lot-1');
    expect(ids.tenantId).toBe(`/providers/Microsoft.Management/managementGroups/psl-${customerId}`);
    expect(ids.zoneId).toBe(`/providers/Microsoft.Management/managementGroups/psl-${customerId}-snc`);
    expect(ids.vaultId).toMatch(new RegExp(`/resourceGroups/rg-psl-${customerId}-snc/providers/Microsoft\\.KeyVault/vaults/kv-psl-[0-9a-f]{16}$`));
    expect(ids.policyId).toMatch(/\/policyAssignments\/psl-allowed-locations$/);
    expect(ids.logsId).toBe(`${ids.vaultId}/providers/Microsoft.Insights/diagnosticSettings/psl-log-forwarding`);
    const resourceGroup = (await sim.admin.listArmResources()).find((resource) => resource.name === `rg-psl-${customerId}-snc`);
    expect(Object.values(resourceGroup?.tags ?? {})).toContain('migration-lot-1');
  });

  it('are idempotent: a repeated activity answers the same id and creates nothing', async () => {
    const activities = activitiesFor();
    const first = await provisionAll(activities, 'migration-lot-1');
    const count = await armCount();
    const again = await provisionAll(activities, 'migration-lot-1');
    expect(again).toEqual(first);
    expect(await armCount()).toBe(count);
  });

  it('map failures to failure types: Unavailable (retried) once the SDK gave up on 503s, Rejected for a 4xx and NotFound for a zone that does not exist (neither retried)', async () => {
    const activities = activitiesFor(1);
    await sim.admin.armFault({ operation: 'arm.managementGroups.put', mode: 'error', status: 503, times: 2 });
    expect(await failureOf(asPlan(activities, 'migration-lot-1', 'createTenant', { idempotencyKey: key('tenant'), customerId, name: 'Mairie' }))).toMatchObject({
      type: 'ProviderUnavailableError',
      retryable: true,
    });
    await sim.admin.armFault({ operation: 'arm.managementGroups.put', mode: 'error', status: 400, times: 1 });
    expect(await failureOf(asPlan(activities, 'migration-lot-1', 'createTenant', { idempotencyKey: key('tenant'), customerId, name: 'Mairie' }))).toMatchObject({
      type: 'ProviderRejectedError',
      retryable: false,
    });
    expect(await armCount()).toBe(0);
    const missing = await failureOf(
      asPlan(activities, 'migration-lot-1', 'createKeyVault', { idempotencyKey: key('vault'), landingZoneId: '/providers/Microsoft.Management/managementGroups/psl-nobody-std', name: 'kv' }),
    );
    expect(missing).toMatchObject({ type: 'ProviderNotFoundError', retryable: false });
    expect(missing.message).toContain('psl-nobody-std');
  });

  it('check drift: nothing after provisioning, a LandingZoneDriftError naming what changed otherwise', async () => {
    const activities = activitiesFor();
    const { zoneId, vaultId, policyId } = await provisionAll(activities, 'migration-lot-1');
    expect(await asPlan(activities, 'migration-lot-1', 'checkLandingZoneDrift', { landingZoneId: zoneId, level: 'SECNUMCLOUD' })).toEqual([]);

    await sim.admin.driftArmResource({ id: policyId, properties: { enforcementMode: 'DoNotEnforce' } });
    await sim.admin.driftArmResource({ id: vaultId, properties: { publicNetworkAccess: 'Enabled' } });
    const drifted = asPlan(activities, 'migration-lot-1', 'checkLandingZoneDrift', { landingZoneId: zoneId, level: 'SECNUMCLOUD' });
    const failure = await drifted.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LandingZoneDriftError);
    expect((failure as LandingZoneDriftError).findings.map((finding) => finding.check).sort()).toEqual(['policy-assigned', 'public-network-access']);
    const mapping = await failureOf(drifted);
    expect(mapping).toMatchObject({ type: 'LandingZoneDriftError', retryable: false });
    expect(mapping.message).toContain(`policy-assigned of ${policyId}: expected enforced, found DoNotEnforce`);
  });

  it("release only this plan's use on compensation: what another plan uses stays, the last plan's release deletes", async () => {
    const activities = activitiesFor();
    const lot1 = await provisionAll(activities, 'migration-lot-1');
    const lot2 = await provisionAll(activities, 'migration-lot-2');
    expect(lot2).toEqual(lot1);
    const count = await armCount();
    // Compensation undoes in reverse order of creation.
    const undo = async (planId: string) => {
      for (const [type, id] of [['log-forwarding', lot1.logsId], ['policy-assignment', lot1.policyId], ['key-vault', lot1.vaultId], ['landing-zone', lot1.zoneId], ['tenant', lot1.tenantId]] as const) {
        await asPlan(activities, planId, 'deleteResource', { idempotencyKey: key(`undo-${type}`), type, id });
      }
    };
    await undo('migration-lot-2');
    expect(await armCount()).toBe(count);
    await undo('migration-lot-1');
    // Only the zone's cancelled subscription remains (Azure deletes it after 90 days), with its policy definition; a repeated compensation still succeeds.
    expect((await sim.admin.listArmResources()).map((resource) => resource.type).sort()).toEqual(['Microsoft.Authorization/policyDefinitions', 'Microsoft.Resources/subscriptions']);
    await undo('migration-lot-1');
  });
});
