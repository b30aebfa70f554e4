import { landingZoneNames, tenantNames } from '../../activities/provider/arm/names';
import type { SimCloudAdminClient } from '../../sim-cloud/admin-client';
import type { ArmResource } from '../../sim-cloud/arm/store';

const GROUP = 'microsoft.management/managementgroups';
const parentOf = (group: ArmResource) => String((group.properties.details as { parent?: { id?: string } } | undefined)?.parent?.id ?? '').toLowerCase();
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * What a sim-cloud holds, counted in Passerelle's resource kinds: the landing zones' ARM
 * resources (tenant and landing-zone management groups, key vaults, the allowed-locations
 * assignment of each zone, diagnostic settings) and the migration service's resources. Only
 * those of `tenantId` when given.
 */
export async function provisionedCounts(admin: SimCloudAdminClient, tenantId?: string): Promise<Record<string, number>> {
  const arm = await admin.listArmResources();
  const groups = arm.filter((resource) => resource.type.toLowerCase() === GROUP);
  const groupIds = new Set(groups.map((group) => group.id.toLowerCase()));
  const tenants = groups.filter((group) => !groupIds.has(parentOf(group)) && (tenantId === undefined || same(group.id, tenantId)));
  const tenantIds = new Set(tenants.map((tenant) => tenant.id.toLowerCase()));
  const zones = groups.filter((group) => tenantIds.has(parentOf(group)));
  const counts: Record<string, number> = {};
  const add = (type: string, count: number) => {
    if (count > 0) counts[type] = (counts[type] ?? 0) + count;
  };
  add('tenant', tenants.length);
  add('landing-zone', zones.length);
  for (const zone of zones) {
    const names = landingZoneNames(zone.name, '');
    const inGroup = arm.filter((resource) => resource.id.toLowerCase().includes(`/resourcegroups/${names.resourceGroup.toLowerCase()}/`));
    add('key-vault', inGroup.filter((resource) => same(resource.type, 'Microsoft.KeyVault/vaults')).length);
    add('policy-assignment', inGroup.filter((resource) => same(resource.type, 'Microsoft.Authorization/policyAssignments') && resource.name === names.allowedLocationsAssignment).length);
    add('log-forwarding', inGroup.filter((resource) => same(resource.type, 'Microsoft.Insights/diagnosticSettings')).length);
  }
  const inventory = await admin.listResources();
  for (const [type, entry] of Object.entries(inventory.types)) {
    add(type, entry.items.filter((item) => tenantId === undefined || same((item as { tenantId?: string }).tenantId ?? item.id, tenantId)).length);
  }
  return counts;
}

/** How many tenants (management groups) sim-cloud holds for a customer: 0 or 1. */
export async function tenantsOfCustomer(admin: SimCloudAdminClient, customerId: string): Promise<number> {
  const name = tenantNames(customerId).managementGroup;
  return (await admin.listArmResources()).filter((resource) => same(resource.type, GROUP) && resource.name === name).length;
}
