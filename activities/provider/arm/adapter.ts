import type { Agent } from 'node:https';
import type { TokenCredential } from '@azure/core-auth';
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { ManagementGroupsAPI } from '@azure/arm-managementgroups';
import { MonitorClient } from '@azure/arm-monitor';
import { PolicyClient } from '@azure/arm-policy';
import { ResourceManagementClient } from '@azure/arm-resources';
import { SubscriptionClient } from '@azure/arm-subscriptions';
import {
  ProviderNotFoundError,
  ProviderRejectedError,
  ProviderUnavailableError,
  type DriftFinding,
  type HostingLevel,
  type LandingZoneProvider,
  type ProviderCallOptions,
  type ProvisionedResource,
  type Region,
  type ReleaseOutcome,
} from '../../../provider';
import { isNotFound, toProviderError } from './errors';
import { type LongRunningOperation, untilDone } from './polling';
import {
  ALLOWED_LOCATIONS_DEFINITION_ID,
  DENY_PUBLIC_NETWORK_DEFINITION,
  landingZoneGroupName,
  landingZoneNames,
  nameOf,
  planTag,
  plansOf,
  resourceGroupOf,
  subscriptionOf,
  TAGS,
  tenantNames,
  workspaceIdFor,
  type ZoneNames,
} from './names';

/** The French regions a landing zone's policy allows. */
const FRENCH_REGIONS: readonly Region[] = ['francecentral', 'francesouth'];

/** How the ARM adapter reaches Azure Resource Manager (or an ARM-compatible endpoint such as sim-cloud's). */
export interface ArmLandingZoneOptions {
  /** `https://management.azure.com` for Azure's public cloud; the sovereign cloud's or sim-cloud's otherwise. */
  endpoint: string;
  /** The token audience; the endpoint unless the cloud says otherwise. */
  audience?: string;
  credential: TokenCredential;
  /** The Entra ID directory (tenant) the vaults trust. */
  directoryTenantId: string;
  /**
   * Passerelle's own subscription: the tenants' resource groups and the customers' log
   * workspaces, and every landing zone's resources unless `zoneSubscriptions` is set.
   */
  subscriptionId: string;
  /**
   * A subscription of its own for each landing zone, created through a subscription alias
   * (`Microsoft.Subscription/aliases`, named after the zone) billed to `billingScope` and placed
   * under the zone's management group. Unset: every landing zone lives in `subscriptionId` (a
   * consultant's single test subscription).
   */
  zoneSubscriptions?: { billingScope: string; workload?: 'Production' | 'DevTest' };
  region: Region;
  /** The management group customers' groups go under; the directory's root group unless set. */
  parentManagementGroupId?: string;
  /** The resource group of the customers' Log Analytics workspaces. */
  logWorkspaceResourceGroup: string;
  /** Interval between polls of a long-running operation (the SDK's 2 s unless set). */
  pollIntervalMs?: number;
  /** The SDK retry policy's options (its defaults unless set). */
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  /** An HTTPS agent, to trust a private certificate authority (sim-cloud's self-signed one). */
  agent?: Agent;
}

/**
 * The landing-zone port over Azure Resource Manager, through the official SDK clients (their
 * retry, throttling and long-running-operation policies included):
 *
 * - tenant: management group `psl-<customer>` and resource group `rg-psl-<customer>`;
 * - landing zone: management group `psl-<customer>-<level>[-hds]` under it, its subscription
 *   (alias of the same name, placed under that group; or the one given subscription), and in it
 *   the resource group `rg-…` of the same name, tagged with its level, HDS flag and the plans that
 *   use it;
 * - key vault (premium, HSM keys, purge protection, RBAC, no public access above STANDARD),
 *   policy assignments and diagnostic settings inside that resource group.
 */
export function createArmLandingZoneProvider(options: ArmLandingZoneOptions): LandingZoneProvider {
  const audience = (options.audience ?? options.endpoint).replace(/\/+$/, '');
  const scopes = [`${audience}/.default`];
  const common = {
    endpoint: options.endpoint,
    credentials: { scopes },
    ...(options.retry ? { retryOptions: options.retry } : {}),
    ...(options.agent ? { agent: options.agent } : {}),
  };
  /** The clients of one subscription's resources, made once per subscription. */
  const clientsBySubscription = new Map<string, ReturnType<typeof subscriptionClients>>();
  const subscriptionClients = (subscriptionId: string) => ({
    subscriptionId,
    resources: new ResourceManagementClient(options.credential, subscriptionId, common),
    policy: new PolicyClient(options.credential, subscriptionId, common),
    keyVaults: new KeyVaultManagementClient(options.credential, subscriptionId, common),
    monitor: new MonitorClient(options.credential, subscriptionId, common),
  });
  const clientsOf = (subscriptionId: string) => {
    let clients = clientsBySubscription.get(subscriptionId);
    if (!clients) {
      clients = subscriptionClients(subscriptionId);
      clientsBySubscription.set(subscriptionId, clients);
    }
    return clients;
  };
  const tenantLevel = {
    endpoint: options.endpoint,
    credentialScopes: scopes,
    ...(options.retry ? { retryOptions: options.retry } : {}),
    ...(options.agent ? { agent: options.agent } : {}),
  };
  const groups = new ManagementGroupsAPI(options.credential, tenantLevel);
  const subscriptions = new SubscriptionClient(options.credential, tenantLevel);
  const poll = options.pollIntervalMs === undefined ? {} : { updateIntervalInMs: options.pollIntervalMs };
  /** A long-running operation's result: read quickly first unless an interval is configured (polling.ts). */
  const pollCreation = <T>(operation: LongRunningOperation<T>, signal: AbortSignal | undefined): Promise<T> =>
    options.pollIntervalMs === undefined ? untilDone(operation, signal) : operation.pollUntilDone({ abortSignal: signal });
  const parentGroupId = options.parentManagementGroupId ?? `/providers/Microsoft.Management/managementGroups/${options.directoryTenantId}`;
  const groupId = (name: string) => `/providers/Microsoft.Management/managementGroups/${name}`;
  const groupScope = (subscriptionId: string, resourceGroup: string) => `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
  // The SDKs expand `{+scope}` after a slash of their own.
  const scopeParam = (scope: string) => scope.replace(/^\/+/, '');

  /** Runs one SDK call and maps its failure to the provider's named errors. */
  async function call<T>(operation: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toProviderError(error, operation, signal);
    }
  }

  /** Reads a resource, or undefined when ARM answers 404. */
  async function find<T>(operation: string, signal: AbortSignal | undefined, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toProviderError(error, operation, signal);
    }
  }

  /** `operation` names the provisioning call in errors (onboardTenant, createLandingZone). */
  async function ensureGroup(operation: string, name: string, displayName: string, parentId: string, signal?: AbortSignal): Promise<boolean> {
    const existing = await find(operation, signal, () => groups.managementGroups.get(name, { abortSignal: signal }));
    // PUT converges: an existing group gets the same name and parent again.
    await call(operation, signal, () =>
      groups.managementGroups.beginCreateOrUpdateAndWait(name, { displayName, details: { parent: { id: parentId } } }, { abortSignal: signal, ...poll }),
    );
    return existing !== undefined;
  }

  /** The subscription id an alias names, or undefined when there is no such alias (yet, or any more). */
  async function aliasedSubscription(operation: string, alias: string, signal?: AbortSignal): Promise<string | undefined> {
    const found = await find(operation, signal, () => subscriptions.alias.get(alias, { abortSignal: signal }));
    return found?.properties?.subscriptionId;
  }

  /**
   * The landing zone's own subscription: found through its alias, or created by it (a
   * long-running PUT) under the zone's management group; either way placed under that group
   * again, so that a subscription moved away comes back.
   */
  async function ensureZoneSubscription(zone: ZoneNames, displayName: string, signal?: AbortSignal): Promise<string> {
    const billing = options.zoneSubscriptions!;
    let subscriptionId = await aliasedSubscription('createLandingZone', zone.subscriptionAlias, signal);
    if (subscriptionId === undefined) {
      await call('createLandingZone', signal, () =>
        subscriptions.alias.beginCreateAndWait(
          zone.subscriptionAlias,
          {
            properties: {
              displayName,
              workload: billing.workload ?? 'Production',
              billingScope: billing.billingScope,
              additionalProperties: { managementGroupId: groupId(zone.managementGroup), tags: { [TAGS.role]: 'landing-zone' } },
            },
          },
          { abortSignal: signal, ...poll },
        ),
      );
      subscriptionId = await aliasedSubscription('createLandingZone', zone.subscriptionAlias, signal);
      if (subscriptionId === undefined) {
        throw new ProviderUnavailableError(`createLandingZone: the subscription alias ${zone.subscriptionAlias} names no subscription after its creation`, { operation: 'createLandingZone' });
      }
    }
    const id = subscriptionId;
    await call('createLandingZone', signal, () => groups.managementGroupSubscriptions.create(zone.managementGroup, id, { abortSignal: signal }));
    return id;
  }

  /** Where a landing zone's resources live: its own subscription (through its alias), or the one given subscription. */
  async function zoneSubscription(operation: string, zone: ZoneNames, signal?: AbortSignal): Promise<string | undefined> {
    if (!options.zoneSubscriptions) return options.subscriptionId;
    return await aliasedSubscription(operation, zone.subscriptionAlias, signal);
  }

  /** The zone's subscription, or ARM's 404 when the zone has none (it was never created). */
  async function requireZoneSubscription(operation: string, zone: ZoneNames, signal?: AbortSignal): Promise<string> {
    const subscriptionId = await zoneSubscription(operation, zone, signal);
    if (subscriptionId === undefined) {
      throw new ProviderNotFoundError(`${operation} answered 404 (SubscriptionNotFound): landing zone ${zone.managementGroup} has no subscription (alias ${zone.subscriptionAlias})`, {
        operation,
        problem: { title: 'SubscriptionNotFound', detail: `no subscription alias ${zone.subscriptionAlias}`, status: 404 },
      });
    }
    return subscriptionId;
  }

  /**
   * Creates the resource group if it is missing, then records the plan on it with a tag of its
   * own (a Merge of one tag), so that concurrent plans never overwrite each other's record.
   */
  async function ensureResourceGroup(operation: string, subscriptionId: string, name: string, tags: Record<string, string>, usedBy: string, signal?: AbortSignal): Promise<boolean> {
    const { resources } = clientsOf(subscriptionId);
    const existing = await find(operation, signal, () => resources.resourceGroups.get(name, { abortSignal: signal }));
    if (!existing) {
      await call(operation, signal, () => resources.resourceGroups.createOrUpdate(name, { location: options.region, tags }, { abortSignal: signal }));
    } else if (existing.location !== options.region) {
      throw new ProviderRejectedError(`${operation}: resource group ${name} exists in ${existing.location}, not in ${options.region}`, {
        operation,
        status: 409,
        problem: { title: 'InvalidResourceGroupLocation', detail: `${name} is in ${existing.location}`, status: 409 },
      });
    }
    const tag = planTag(usedBy);
    await call(operation, signal, () =>
      resources.tagsOperations.updateAtScope(
        scopeParam(groupScope(subscriptionId, name)),
        { operation: 'Merge', properties: { tags: { [tag.name]: tag.value } } },
        { abortSignal: signal, ...poll },
      ),
    );
    return existing !== undefined;
  }

  /** Removes the plan's record from a resource group; answers the plans that still use it (undefined when the group is gone). */
  async function forgetPlan(subscriptionId: string, resourceGroup: string, usedBy: string, signal?: AbortSignal): Promise<string[] | undefined> {
    const { resources } = clientsOf(subscriptionId);
    const existing = await find('readResourceGroup', signal, () => resources.resourceGroups.get(resourceGroup, { abortSignal: signal }));
    if (!existing) return undefined;
    const tag = planTag(usedBy);
    if (existing.tags?.[tag.name] !== undefined) {
      await call('untagResourceGroup', signal, () =>
        resources.tagsOperations.updateAtScope(
          scopeParam(groupScope(subscriptionId, resourceGroup)),
          { operation: 'Delete', properties: { tags: { [tag.name]: tag.value } } },
          { abortSignal: signal, ...poll },
        ),
      );
    }
    return plansOf(existing.tags).filter((plan) => plan !== tag.value);
  }

  async function deleteResourceGroup(subscriptionId: string, resourceGroup: string, signal?: AbortSignal): Promise<void> {
    const { resources } = clientsOf(subscriptionId);
    await find('deleteResourceGroup', signal, () => resources.resourceGroups.delete(resourceGroup, { abortSignal: signal, ...poll }));
  }

  /**
   * Gives back a landing zone's own subscription: cancelled (Azure deletes it after its 90
   * days), moved out of the zone's group (a group holding a subscription cannot be deleted) to
   * the customers' parent group, and its alias deleted so that a zone made again gets a new one.
   */
  async function releaseZoneSubscription(zone: ZoneNames, subscriptionId: string, signal?: AbortSignal): Promise<void> {
    await call('cancelSubscription', signal, () => subscriptions.subscription.cancel(subscriptionId, { abortSignal: signal }));
    await call('moveSubscription', signal, () => groups.managementGroupSubscriptions.create(nameOf(parentGroupId), subscriptionId, { abortSignal: signal }));
    await find('deleteSubscriptionAlias', signal, () => subscriptions.alias.delete(zone.subscriptionAlias, { abortSignal: signal }));
  }

  const zoneOf = (landingZoneId: string) => landingZoneNames(nameOf(landingZoneId), options.subscriptionId);
  const vaultIdOf = (subscriptionId: string, zone: ZoneNames) => `${groupScope(subscriptionId, zone.resourceGroup)}/providers/Microsoft.KeyVault/vaults/${zone.keyVault}`;

  async function levelOf(subscriptionId: string, resourceGroup: string, signal?: AbortSignal): Promise<HostingLevel> {
    const { resources } = clientsOf(subscriptionId);
    const group = await call('readResourceGroup', signal, () => resources.resourceGroups.get(resourceGroup, { abortSignal: signal }));
    const level = group.tags?.[TAGS.level];
    if (level !== 'STANDARD' && level !== 'SECNUMCLOUD' && level !== 'SECNUMCLOUD_DEDICATED') {
      throw new ProviderRejectedError(`createKeyVault: resource group ${resourceGroup} has no valid ${TAGS.level} tag (found ${level ?? 'none'})`, {
        operation: 'createKeyVault',
        status: 409,
        problem: { title: 'LandingZoneNotTagged', detail: `${resourceGroup} carries no hosting level`, status: 409 },
      });
    }
    return level;
  }

  return {
    region: options.region,

    async onboardTenant({ customerId, name, usedBy }, callOptions?: ProviderCallOptions): Promise<ProvisionedResource> {
      const signal = callOptions?.signal;
      const names = tenantNames(customerId);
      const groupExisted = await ensureGroup('onboardTenant', names.managementGroup, `${name} (Passerelle)`, parentGroupId, signal);
      await ensureResourceGroup('onboardTenant', options.subscriptionId, names.resourceGroup, { [TAGS.customer]: customerId, [TAGS.role]: 'tenant' }, usedBy, signal);
      return { id: groupId(names.managementGroup), name: names.managementGroup, existed: groupExisted };
    },

    async createLandingZone({ tenantId, name, level, hds, usedBy }, callOptions) {
      const signal = callOptions?.signal;
      const groupName = landingZoneGroupName(nameOf(tenantId), level, hds);
      const zone = landingZoneNames(groupName, options.subscriptionId);
      const displayName = `${name} (${level}${hds ? ', HDS' : ''})`;
      const existed = await ensureGroup('createLandingZone', groupName, displayName, tenantId, signal);
      const subscriptionId = options.zoneSubscriptions ? await ensureZoneSubscription(zone, zone.subscriptionDisplayName, signal) : options.subscriptionId;
      await ensureResourceGroup('createLandingZone', subscriptionId, zone.resourceGroup, { [TAGS.level]: level, [TAGS.hds]: String(hds), [TAGS.role]: 'landing-zone' }, usedBy, signal);
      return { id: groupId(groupName), name: groupName, existed };
    },

    async createKeyVault({ landingZoneId }, callOptions) {
      const signal = callOptions?.signal;
      const zone = zoneOf(landingZoneId);
      const subscriptionId = await requireZoneSubscription('createKeyVault', zone, signal);
      const { keyVaults } = clientsOf(subscriptionId);
      const level = await levelOf(subscriptionId, zone.resourceGroup, signal);
      const publicAccess = level === 'STANDARD';
      const existing = await find('readKeyVault', signal, () => keyVaults.vaults.get(zone.resourceGroup, zone.keyVault, { abortSignal: signal }));
      const vault = await call('createKeyVault', signal, () => {
        const creation = keyVaults.vaults.createOrUpdate(
          zone.resourceGroup,
          zone.keyVault,
          {
            location: options.region,
            tags: { [TAGS.level]: level },
            properties: {
              tenantId: options.directoryTenantId,
              sku: { family: 'A', name: 'premium' },
              enableSoftDelete: true,
              softDeleteRetentionInDays: 90,
              enablePurgeProtection: true,
              enableRbacAuthorization: true,
              publicNetworkAccess: publicAccess ? 'Enabled' : 'Disabled',
              networkAcls: { defaultAction: publicAccess ? 'Allow' : 'Deny', bypass: 'AzureServices' },
            },
          },
          { abortSignal: signal, ...poll },
        );
        return pollCreation(creation, signal);
      });
      await call('createKey', signal, () =>
        keyVaults.keys.createIfNotExist(zone.resourceGroup, zone.keyVault, zone.key, { properties: { kty: 'RSA-HSM', keySize: 3072, keyOps: ['wrapKey', 'unwrapKey'] } }, { abortSignal: signal }),
      );
      return { id: vault.id ?? vaultIdOf(subscriptionId, zone), name: zone.keyVault, existed: existing !== undefined };
    },

    async assignPolicies({ landingZoneId, level }, callOptions) {
      const signal = callOptions?.signal;
      const zone = zoneOf(landingZoneId);
      const subscriptionId = await requireZoneSubscription('assignPolicy', zone, signal);
      const { policy } = clientsOf(subscriptionId);
      const scope = scopeParam(groupScope(subscriptionId, zone.resourceGroup));
      const existing = await find('readPolicyAssignment', signal, () => policy.policyAssignments.get(scope, zone.allowedLocationsAssignment, { abortSignal: signal }));
      const assignment = await call('assignPolicy', signal, () =>
        policy.policyAssignments.create(
          scope,
          zone.allowedLocationsAssignment,
          {
            displayName: 'Passerelle: resources in France only',
            policyDefinitionId: ALLOWED_LOCATIONS_DEFINITION_ID,
            parameters: { listOfAllowedLocations: { value: [...FRENCH_REGIONS] } },
            enforcementMode: 'Default',
          },
          { abortSignal: signal },
        ),
      );
      if (level !== 'STANDARD') {
        await call('definePolicy', signal, () =>
          policy.policyDefinitions.createOrUpdate(
            DENY_PUBLIC_NETWORK_DEFINITION,
            {
              policyType: 'Custom',
              mode: 'Indexed',
              displayName: 'Passerelle: no public network access (SecNumCloud)',
              policyRule: {
                if: {
                  anyOf: [
                    { field: 'Microsoft.KeyVault/vaults/publicNetworkAccess', notEquals: 'Disabled' },
                    { field: 'Microsoft.Storage/storageAccounts/publicNetworkAccess', notEquals: 'Disabled' },
                    { field: 'Microsoft.Sql/servers/publicNetworkAccess', notEquals: 'Disabled' },
                  ],
                },
                then: { effect: 'deny' },
              },
            },
            { abortSignal: signal },
          ),
        );
        await call('assignPolicy', signal, () =>
          policy.policyAssignments.create(
            scope,
            zone.denyPublicNetworkAssignment,
            {
              displayName: 'Passerelle: no public network access',
              policyDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/policyDefinitions/${DENY_PUBLIC_NETWORK_DEFINITION}`,
              enforcementMode: 'Default',
            },
            { abortSignal: signal },
          ),
        );
      }
      return {
        id: assignment.id ?? `${groupScope(subscriptionId, zone.resourceGroup)}/providers/Microsoft.Authorization/policyAssignments/${zone.allowedLocationsAssignment}`,
        name: zone.allowedLocationsAssignment,
        existed: existing !== undefined,
      };
    },

    async configureLogForwarding({ landingZoneId, siemEndpoint }, callOptions) {
      const signal = callOptions?.signal;
      const zone = zoneOf(landingZoneId);
      const subscriptionId = await requireZoneSubscription('configureLogForwarding', zone, signal);
      const { monitor } = clientsOf(subscriptionId);
      const vaultUri = scopeParam(vaultIdOf(subscriptionId, zone));
      const workspaceId = workspaceIdFor(siemEndpoint, options.subscriptionId, options.logWorkspaceResourceGroup);
      const existing = await find('readLogForwarding', signal, () => monitor.diagnosticSettings.get(vaultUri, zone.diagnosticSetting, { abortSignal: signal }));
      const setting = await call('configureLogForwarding', signal, () =>
        monitor.diagnosticSettings.createOrUpdate(
          vaultUri,
          zone.diagnosticSetting,
          { workspaceId, logs: [{ categoryGroup: 'audit', enabled: true }, { categoryGroup: 'allLogs', enabled: true }] },
          { abortSignal: signal },
        ),
      );
      return { id: setting.id ?? `${vaultIdOf(subscriptionId, zone)}/providers/Microsoft.Insights/diagnosticSettings/${zone.diagnosticSetting}`, name: zone.diagnosticSetting, existed: existing !== undefined };
    },

    async release({ type, id, usedBy }, callOptions): Promise<ReleaseOutcome> {
      const signal = callOptions?.signal;
      if (type === 'tenant') {
        const groupName = nameOf(id);
        const resourceGroup = `rg-${groupName}`;
        const remaining = await forgetPlan(options.subscriptionId, resourceGroup, usedBy, signal);
        if (remaining && remaining.length > 0) return { deleted: false, stillUsedBy: remaining };
        await deleteResourceGroup(options.subscriptionId, resourceGroup, signal);
        await find('deleteManagementGroup', signal, () => groups.managementGroups.beginDeleteAndWait(groupName, { abortSignal: signal, ...poll }));
        return { deleted: true, stillUsedBy: [] };
      }
      if (type === 'landing-zone') {
        const zone = zoneOf(id);
        // No subscription any more: an earlier release gave it back; only the group may remain.
        const subscriptionId = await zoneSubscription('readSubscriptionAlias', zone, signal);
        if (subscriptionId !== undefined) {
          const remaining = await forgetPlan(subscriptionId, zone.resourceGroup, usedBy, signal);
          if (remaining && remaining.length > 0) return { deleted: false, stillUsedBy: remaining };
          await deleteResourceGroup(subscriptionId, zone.resourceGroup, signal);
          if (options.zoneSubscriptions) await releaseZoneSubscription(zone, subscriptionId, signal);
        }
        await find('deleteManagementGroup', signal, () => groups.managementGroups.beginDeleteAndWait(zone.managementGroup, { abortSignal: signal, ...poll }));
        return { deleted: true, stillUsedBy: [] };
      }
      // What sits in a landing zone is shared with the plans that share the zone.
      const subscriptionId = subscriptionOf(id);
      const resourceGroup = resourceGroupOf(id);
      const { resources, keyVaults, policy, monitor } = clientsOf(subscriptionId);
      const group = await find('readResourceGroup', signal, () => resources.resourceGroups.get(resourceGroup, { abortSignal: signal }));
      // Gone with its resource group (and its subscription, maybe cancelled since): nothing left to delete.
      if (!group) return { deleted: true, stillUsedBy: [] };
      const others = plansOf(group.tags).filter((plan) => plan !== planTag(usedBy).value);
      if (others.length > 0) return { deleted: false, stillUsedBy: others };
      const zone = landingZoneNames(resourceGroup.replace(/^rg-/, ''), options.subscriptionId);
      const scope = scopeParam(groupScope(subscriptionId, resourceGroup));
      if (type === 'key-vault') {
        await find('deleteKeyVault', signal, () => keyVaults.vaults.delete(resourceGroup, nameOf(id), { abortSignal: signal }));
      } else if (type === 'policy-assignment') {
        for (const name of [zone.allowedLocationsAssignment, zone.denyPublicNetworkAssignment]) {
          // @azure/arm-policy 7.0.1 fails on the bodiless 204 that ARM answers for an absent assignment: delete only what exists.
          const assigned = await find('readPolicyAssignment', signal, () => policy.policyAssignments.get(scope, name, { abortSignal: signal }));
          if (assigned) await find('deletePolicyAssignment', signal, () => policy.policyAssignments.delete(scope, name, { abortSignal: signal }));
        }
      } else {
        await find('deleteLogForwarding', signal, () => monitor.diagnosticSettings.delete(scopeParam(vaultIdOf(subscriptionId, zone)), nameOf(id), { abortSignal: signal }));
      }
      return { deleted: true, stillUsedBy: [] };
    },

    async checkDrift({ landingZoneId, level, provisioned = { keyVault: true, policies: true, logForwarding: true } }, callOptions): Promise<DriftFinding[]> {
      const signal = callOptions?.signal;
      const zone = zoneOf(landingZoneId);
      const findings: DriftFinding[] = [];
      const missing = (resourceId: string) => findings.push({ check: 'resource-present', resourceId, expected: 'present', actual: 'absent' });

      const subscriptionId = await zoneSubscription('readSubscriptionAlias', zone, signal);
      if (subscriptionId === undefined) {
        missing(`/providers/Microsoft.Subscription/aliases/${zone.subscriptionAlias}`);
        return findings;
      }
      if (options.zoneSubscriptions) {
        // The zone's subscription still under the zone's group, and still enabled.
        const placement = `${groupId(zone.managementGroup)}/subscriptions/${subscriptionId}`;
        const placed = await find('readSubscriptionPlacement', signal, () => groups.managementGroupSubscriptions.getSubscription(zone.managementGroup, subscriptionId, { abortSignal: signal }));
        if (!placed) findings.push({ check: 'subscription-placement', resourceId: `/subscriptions/${subscriptionId}`, expected: `under ${groupId(zone.managementGroup)}`, actual: 'elsewhere' });
        else if (placed.state !== undefined && placed.state !== 'Active') findings.push({ check: 'subscription-placement', resourceId: placement, expected: 'Active', actual: placed.state });
      }
      const { resources, keyVaults, policy, monitor } = clientsOf(subscriptionId);
      const resourceGroupId = groupScope(subscriptionId, zone.resourceGroup);
      const scope = scopeParam(resourceGroupId);
      const vaultId = vaultIdOf(subscriptionId, zone);

      const group = await find('readResourceGroup', signal, () => resources.resourceGroups.get(zone.resourceGroup, { abortSignal: signal }));
      if (!group) missing(resourceGroupId);
      else if (group.location !== options.region) findings.push({ check: 'location', resourceId: resourceGroupId, expected: options.region, actual: group.location });

      const vault = provisioned.keyVault ? await find('readKeyVault', signal, () => keyVaults.vaults.get(zone.resourceGroup, zone.keyVault, { abortSignal: signal })) : undefined;
      if (provisioned.keyVault && !vault) missing(vaultId);
      else if (vault) {
        if (vault.location !== options.region) findings.push({ check: 'location', resourceId: vaultId, expected: options.region, actual: vault.location ?? 'none' });
        const expectedAccess = level === 'STANDARD' ? 'Enabled' : 'Disabled';
        if (level !== 'STANDARD' && vault.properties.publicNetworkAccess !== expectedAccess) {
          findings.push({ check: 'public-network-access', resourceId: vaultId, expected: expectedAccess, actual: vault.properties.publicNetworkAccess ?? 'Enabled' });
        }
        const key = await find('readKey', signal, () => keyVaults.keys.get(zone.resourceGroup, zone.keyVault, zone.key, { abortSignal: signal }));
        const keyId = `${vaultId}/keys/${zone.key}`;
        if (!key) missing(keyId);
        else if (key.attributes?.enabled !== true) findings.push({ check: 'key-enabled', resourceId: keyId, expected: 'enabled', actual: 'disabled' });
      }

      const assignments = provisioned.policies ? [zone.allowedLocationsAssignment, ...(level === 'STANDARD' ? [] : [zone.denyPublicNetworkAssignment])] : [];
      for (const name of assignments) {
        const assignmentId = `${resourceGroupId}/providers/Microsoft.Authorization/policyAssignments/${name}`;
        const assignment = await find('readPolicyAssignment', signal, () => policy.policyAssignments.get(scope, name, { abortSignal: signal }));
        if (!assignment) findings.push({ check: 'policy-assigned', resourceId: assignmentId, expected: 'assigned', actual: 'absent' });
        else if (assignment.enforcementMode === 'DoNotEnforce') findings.push({ check: 'policy-assigned', resourceId: assignmentId, expected: 'enforced', actual: 'DoNotEnforce' });
        else if (name === zone.allowedLocationsAssignment) {
          const allowed = (assignment.parameters?.listOfAllowedLocations?.value ?? []) as string[];
          const foreign = allowed.filter((location) => !FRENCH_REGIONS.includes(location as Region));
          if (foreign.length > 0) findings.push({ check: 'location', resourceId: assignmentId, expected: FRENCH_REGIONS.join(', '), actual: allowed.join(', ') });
        }
      }
      if (vault && provisioned.logForwarding) {
        const setting = await find('readLogForwarding', signal, () => monitor.diagnosticSettings.get(scopeParam(vaultId), zone.diagnosticSetting, { abortSignal: signal }));
        if (!setting) findings.push({ check: 'log-forwarding', resourceId: `${vaultId}/providers/Microsoft.Insights/diagnosticSettings/${zone.diagnosticSetting}`, expected: 'configured', actual: 'absent' });
      }
      return findings;
    },
  };
}
