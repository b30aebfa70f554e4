import { createHash } from 'node:crypto';
import type { HostingLevel } from '../../../provider';

/** Short codes of the hosting levels in resource names (ARM names are short). */
const LEVEL_CODES: Record<HostingLevel, string> = { STANDARD: 'std', SECNUMCLOUD: 'snc', SECNUMCLOUD_DEDICATED: 'sncd' };

/** Prefix of every name Passerelle gives, so that its resources are easy to find and to tell apart. */
const PREFIX = 'psl';

/** Tag names Passerelle sets on its resource groups. */
export const TAGS = {
  customer: 'passerelle-customer',
  level: 'passerelle-level',
  hds: 'passerelle-hds',
  role: 'passerelle-role',
  /** One tag per plan using the resource group: `passerelle-plan-<hash>` = the plan's workflow id. */
  planPrefix: 'passerelle-plan-',
} as const;

const hash = (value: string, length: number) => createHash('sha256').update(value).digest('hex').slice(0, length);

/**
 * A customer id as it may appear in ARM names: lower-case letters, digits and hyphens. An id
 * that had to change gets a short hash of the original, so two customers never share a name.
 */
export function customerSlug(customerId: string): string {
  const cleaned = customerId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  const short = cleaned.slice(0, 40).replace(/-$/, '');
  if (short === customerId && short.length > 0) return short;
  return `${short || 'customer'}-${hash(customerId, 6)}`;
}

/** The names of a customer's tenant: a management group, and a resource group that records who uses it. */
export function tenantNames(customerId: string): { managementGroup: string; resourceGroup: string } {
  const managementGroup = `${PREFIX}-${customerSlug(customerId)}`;
  return { managementGroup, resourceGroup: `rg-${managementGroup}` };
}

/** The management group name of the landing zone of `level` and `hds` under the tenant group `tenantGroup`. */
export function landingZoneGroupName(tenantGroup: string, level: HostingLevel, hds: boolean): string {
  return `${tenantGroup}-${LEVEL_CODES[level]}${hds ? '-hds' : ''}`;
}

/** Every name of a landing zone, from its management group's name (and Passerelle's subscription, for the vault). */
export function landingZoneNames(managementGroup: string, subscriptionId: string) {
  return {
    managementGroup,
    /** The alias that creates, then names, the zone's own subscription (when zones have one each). */
    subscriptionAlias: managementGroup,
    /** ARM refuses a subscription display name over 64 characters: a long zone name goes without the suffix (it is at most 60). */
    subscriptionDisplayName: `${managementGroup} (Passerelle)`.length <= 64 ? `${managementGroup} (Passerelle)` : managementGroup,
    resourceGroup: `rg-${managementGroup}`,
    // Vault names are global and at most 24 characters: a hash of subscription and zone keeps them unique.
    keyVault: `kv-${PREFIX}-${hash(`${subscriptionId}/${managementGroup}`, 16)}`,
    key: 'data-encryption',
    allowedLocationsAssignment: `${PREFIX}-allowed-locations`,
    denyPublicNetworkAssignment: `${PREFIX}-deny-public-network`,
    diagnosticSetting: `${PREFIX}-log-forwarding`,
  };
}

/** The names of a landing zone's resources. */
export type ZoneNames = ReturnType<typeof landingZoneNames>;

/** The custom policy definition (at subscription scope) that denies public network access. */
export const DENY_PUBLIC_NETWORK_DEFINITION = 'passerelle-deny-public-network-access';

/** Azure's built-in "Allowed locations" policy definition. */
export const ALLOWED_LOCATIONS_DEFINITION_ID = '/providers/Microsoft.Authorization/policyDefinitions/e56962a6-4747-49cd-b67b-bf8b01975c4c';

/** The tag that records that `planId` uses a resource group. */
export function planTag(planId: string): { name: string; value: string } {
  return { name: `${TAGS.planPrefix}${hash(planId, 16)}`, value: planId.slice(0, 256) };
}

/** The plans recorded on a resource group's tags. */
export function plansOf(tags: Record<string, string> | undefined): string[] {
  return Object.entries(tags ?? {})
    .filter(([name]) => name.startsWith(TAGS.planPrefix))
    .map(([, value]) => value);
}

/** The last segment of an ARM id (a resource's name). */
export function nameOf(id: string): string {
  const name = id.split('/').filter(Boolean).pop();
  if (!name) throw new Error(`'${id}' is not an ARM resource id`);
  return name;
}

/** The subscription named in an ARM id. */
export function subscriptionOf(id: string): string {
  const match = /^\/subscriptions\/([^/]+)/i.exec(id);
  if (!match?.[1]) throw new Error(`'${id}' names no subscription`);
  return match[1];
}

/** The resource group named in an ARM id under a subscription. */
export function resourceGroupOf(id: string): string {
  const match = /\/resourceGroups\/([^/]+)/i.exec(id);
  if (!match?.[1]) throw new Error(`'${id}' names no resource group`);
  return match[1];
}

/** The Log Analytics workspace that receives a customer's logs: `siemEndpoint` when it is a workspace id, else a workspace of that name. */
export function workspaceIdFor(siemEndpoint: string, subscriptionId: string, resourceGroup: string): string {
  if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i.test(siemEndpoint)) return siemEndpoint;
  const name = siemEndpoint.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  if (name.length < 4) throw new Error(`'${siemEndpoint}' cannot name a Log Analytics workspace (4 to 63 letters, digits, hyphens)`);
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${name}`;
}
