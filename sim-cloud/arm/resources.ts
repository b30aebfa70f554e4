import { randomUUID } from 'node:crypto';
import { ArmError, armErrors } from './errors';
import type { ArmPath } from './paths';
import { BUILT_IN_DEFINITIONS, evaluatePolicy } from './policy';
import { armKey, type ArmOperation, type ArmResource, type ArmStore } from './store';

/** The regions of the sovereign offer: resources are created in France only. */
export const ARM_REGIONS = ['francecentral', 'francesouth'] as const;

/** The Entra ID directory and subscriptions that sim-cloud's ARM routes serve. */
export interface ArmDirectory {
  tenantId: string;
  subscriptionIds: readonly string[];
  /**
   * The billing scope (an enrollment account, an invoice section) under which subscription
   * aliases may create subscriptions; none can be created when unset.
   */
  billingScope?: string;
  /** The application allowed to ask for tokens (client credentials). */
  clientId: string;
  clientSecret: string;
  /**
   * Workload identity: the federated credentials of the application, each trusting the tokens
   * an issuer (a Kubernetes cluster's service-account issuer) gives one subject.
   */
  federatedCredentials?: readonly FederatedCredential[];
}

/** A federated identity credential: tokens of `issuer` for `subject` (and `audience`, api://AzureADTokenExchange unless set) sign the application in. */
export interface FederatedCredential {
  issuer: string;
  subject: string;
  audience?: string;
}

/** One call to a resource: who it names, with what, and where operation URLs start. */
export interface ArmCall {
  method: 'GET' | 'PUT' | 'PATCH' | 'DELETE';
  path: ArmPath;
  body: Record<string, unknown>;
  apiVersion: string;
  /** `https://host:port`, for Azure-AsyncOperation and Location URLs. */
  baseUrl: string;
}

/** What a call answers. */
export interface ArmAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface ResourceKind {
  /** Type as ARM spells it. */
  type: string;
  /** Short name in fault operation names: `arm.<short>.<method>`. */
  short: string;
  apiVersions: readonly string[];
  put?(call: ArmCall): ArmAnswer;
  patch?(call: ArmCall): ArmAnswer;
  get?(call: ArmCall): ArmAnswer;
  delete?(call: ArmCall): ArmAnswer;
}

const RESOURCES_API = ['2021-04-01', '2022-09-01', '2024-03-01', '2025-04-01'] as const;
const KEY_VAULT_API = ['2023-07-01', '2024-11-01', '2025-05-01', '2026-02-01'] as const;
const POLICY_API = ['2023-04-01', '2024-04-01', '2025-03-01'] as const;
const MANAGEMENT_GROUPS_API = ['2020-05-01', '2021-04-01', '2023-04-01'] as const;
const DIAGNOSTIC_SETTINGS_API = ['2021-05-01-preview'] as const;
const SUBSCRIPTION_API = ['2021-10-01', '2024-08-01-preview'] as const;

const SUBSCRIPTION_TYPE = 'Microsoft.Resources/subscriptions';
const MANAGEMENT_GROUP_TYPE = 'Microsoft.Management/managementGroups';

/** A billing scope as written with or without `/providers/Microsoft.Billing`, compared without case. */
const billingKey = (scope: string) => scope.toLowerCase().replace(/^\/providers\/microsoft\.billing/, '').replace(/\/+$/, '');

/** The state of a subscription: `Disabled` once cancelled (read-only, deleted after 90 days in Azure). */
export type SubscriptionState = 'Enabled' | 'Disabled';

const WORKSPACE_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i;
const VAULT_NAME = /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;
const GROUP_NAME = /^[A-Za-z0-9\-_().]{1,90}$/;

/** How many polls a long-running operation reports `InProgress` before it ends. */
const POLLS_PER_OPERATION = 1;

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** A request value as text: strings as they are, anything else as JSON (so a message never says [object Object]). */
const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value));

const tagsOf = (value: unknown): Record<string, string> | undefined => {
  if (value === undefined) return undefined;
  const tags = record(value);
  for (const [name, tag] of Object.entries(tags)) {
    if (typeof tag !== 'string') throw armErrors.invalid('InvalidTag', `The value of tag '${name}' must be a string.`);
    if (/[<>%&\\?/]/.test(name) || name.length > 512) throw armErrors.invalid('InvalidTagNameCharacters', `The tag name '${name}' has characters that are not allowed.`);
  }
  if (Object.keys(tags).length > 50) throw armErrors.invalid('InvalidTagCount', 'A resource can have at most 50 tags.');
  return tags as Record<string, string>;
};

/** The resource types sim-cloud's ARM serves, and what each does on PUT, PATCH, GET and DELETE. */
export type ArmResources = ReturnType<typeof createArmResources>;

/** Builds the resource handlers over the ARM store. */
export function createArmResources({
  store,
  directory,
  now,
  onGroupDeleted = () => undefined,
}: {
  store: ArmStore;
  directory: ArmDirectory;
  now: () => string;
  /** Called when a management group is deleted: what sim-cloud keeps for it elsewhere goes too. */
  onGroupDeleted?: (groupId: string) => void;
}) {
  const rootGroupId = `/providers/Microsoft.Management/managementGroups/${directory.tenantId}`;

  const requireResource = (id: string, type: string): ArmResource => {
    const found = store.find(id);
    if (!found) throw armErrors.notFound(type, id);
    return found;
  };

  const requireScope = (scopeId: string): void => {
    if (/^\/subscriptions\/[^/]+$/i.test(scopeId) || armKey(scopeId) === armKey(rootGroupId)) return;
    const found = store.find(scopeId);
    if (found) return;
    const group = /^\/subscriptions\/[^/]+\/resourceGroups\/([^/]+)$/i.exec(scopeId);
    throw group?.[1] ? armErrors.resourceGroupNotFound(group[1]) : armErrors.notFound('scope', scopeId);
  };

  const requireFrenchRegion = (location: unknown, type: string): string => {
    const region = typeof location === 'string' ? location.toLowerCase().replace(/\s+/g, '') : '';
    if (!(ARM_REGIONS as readonly string[]).includes(region)) {
      throw armErrors.invalid(
        'LocationNotAvailableForResourceType',
        `The provided location '${String(location)}' is not available for resource type '${type}'. List of available regions is '${ARM_REGIONS.join(',')}'.`,
      );
    }
    return region;
  };

  const operationUrl = (call: ArmCall, kind: 'operationStatuses' | 'operationResults', id: string) =>
    `${call.baseUrl}/providers/Microsoft.Resources/${kind}/${id}?api-version=${encodeURIComponent(call.apiVersion)}`;

  /**
   * A subscription: one of the directory's (under the root group until moved) or one an alias
   * created, kept as `/subscriptions/{id}` with its state and management group.
   */
  const findSubscription = (subscriptionId: string): ArmResource | undefined => {
    const stored = store.find(`/subscriptions/${subscriptionId}`);
    if (stored) return stored;
    if (!directory.subscriptionIds.includes(subscriptionId)) return undefined;
    return {
      id: `/subscriptions/${subscriptionId}`,
      name: subscriptionId,
      type: SUBSCRIPTION_TYPE,
      properties: { subscriptionId, displayName: subscriptionId, state: 'Enabled', managementGroupId: rootGroupId },
    };
  };

  /** Where a subscription sits: the id of its management group. */
  const groupOfSubscription = (subscription: ArmResource): string => text(subscription.properties.managementGroupId ?? rootGroupId);

  const requireGroup = (groupId: string): void => {
    if (armKey(groupId) !== armKey(rootGroupId) && store.find(groupId)?.type !== MANAGEMENT_GROUP_TYPE) {
      throw armErrors.invalid('ManagementGroupNotFound', `The management group '${groupId}' does not exist.`);
    }
  };

  const subscriptionUnderGroup = (groupId: string, subscription: ArmResource) => ({
    id: `${groupId}/subscriptions/${subscription.name}`,
    type: 'Microsoft.Management/managementGroups/subscriptions',
    name: subscription.name,
    properties: {
      tenant: directory.tenantId,
      displayName: subscription.properties.displayName,
      parent: { id: groupId },
      state: subscription.properties.state === 'Disabled' ? 'Disabled' : 'Active',
    },
  });

  const startOperation = (resourceId: string, action: ArmOperation['action'], id: string = randomUUID()): ArmOperation => {
    const operation: ArmOperation = { id, resourceKey: armKey(resourceId), action, pollsLeft: POLLS_PER_OPERATION, status: 'InProgress', createdAt: now() };
    store.startOperation(operation);
    return operation;
  };

  /** Policy assignments that apply at `resourceId` (its subscription, its resource group): deny what they deny. */
  const enforcePolicies = (resource: ArmResource): void => {
    const scopes = [/^\/subscriptions\/[^/]+/i.exec(resource.id)?.[0], /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/i.exec(resource.id)?.[0]];
    for (const scope of scopes) {
      if (!scope) continue;
      for (const assignment of store.under(scope, 'Microsoft.Authorization/policyAssignments')) {
        // Only assignments made directly at this scope: deeper ones are found at their own scope.
        if (armKey(assignment.id.slice(0, assignment.id.toLowerCase().indexOf('/providers/microsoft.authorization/'))) !== armKey(scope)) continue;
        const properties = assignment.properties;
        if (properties.enforcementMode === 'DoNotEnforce') continue;
        const definition = findDefinition(String(properties.policyDefinitionId));
        if (!definition) continue;
        const effect = evaluatePolicy(definition, properties.parameters as Record<string, { value?: unknown }>, resource);
        if (effect?.toLowerCase() === 'deny') {
          throw armErrors.disallowedByPolicy(assignment.name, `${text(definition.properties.displayName ?? definition.name)} denies ${resource.type} '${resource.name}'.`);
        }
      }
    }
  };

  const findDefinition = (id: string): ArmResource | undefined => BUILT_IN_DEFINITIONS.get(armKey(id)) ?? store.find(id);

  const deleteAnswer = (id: string): ArmAnswer => {
    const existed = store.find(id);
    if (!existed) return { status: 204 };
    store.deleteTree(id);
    return { status: 200, body: existed };
  };

  const kinds: ResourceKind[] = [
    {
      type: 'Microsoft.Resources/resourceGroups',
      short: 'resourceGroups',
      apiVersions: RESOURCES_API,
      put(call) {
        const location = requireFrenchRegion(call.body.location, 'resourceGroups');
        const existing = store.find(call.path.id);
        if (existing && existing.location !== location) {
          throw armErrors.conflict('InvalidResourceGroupLocation', `Invalid resource group location '${location}'. The Resource group already exists in location '${existing.location}'.`);
        }
        const resource: ArmResource = {
          id: existing?.id ?? call.path.id,
          name: existing?.name ?? call.path.name,
          type: this.type,
          location,
          tags: tagsOf(call.body.tags) ?? existing?.tags ?? {},
          properties: { provisioningState: 'Succeeded' },
        };
        store.save(resource, now());
        return { status: existing ? 200 : 201, body: resource };
      },
      patch(call) {
        const existing = store.find(call.path.id);
        if (!existing) throw armErrors.resourceGroupNotFound(call.path.name);
        const updated = { ...existing, tags: tagsOf(call.body.tags) ?? existing.tags };
        store.save(updated, now());
        return { status: 200, body: updated };
      },
      get(call) {
        const existing = store.find(call.path.id);
        if (!existing) throw armErrors.resourceGroupNotFound(call.path.name);
        return { status: 200, body: existing };
      },
      delete(call) {
        const existing = store.find(call.path.id);
        if (!existing) throw armErrors.resourceGroupNotFound(call.path.name);
        store.save({ ...existing, properties: { ...existing.properties, provisioningState: 'Deleting' } }, now());
        const operation = startOperation(existing.id, 'delete');
        return { status: 202, headers: { location: operationUrl(call, 'operationResults', operation.id) } };
      },
    },
    {
      type: 'Microsoft.Resources/tags',
      short: 'tags',
      apiVersions: RESOURCES_API,
      put(call) {
        return writeTags(call, 'Replace');
      },
      patch(call) {
        const operation = text(call.body.operation);
        if (!['Merge', 'Replace', 'Delete'].includes(operation)) {
          throw armErrors.invalid('InvalidTagOperation', `The tags operation '${operation}' is not one of Merge, Replace, Delete.`);
        }
        return writeTags(call, operation as 'Merge' | 'Replace' | 'Delete');
      },
      get(call) {
        const scope = requireResource(call.path.parentId, 'scope');
        return { status: 200, body: tagsResource(call.path.parentId, scope.tags ?? {}) };
      },
    },
    {
      type: 'Microsoft.Management/managementGroups',
      short: 'managementGroups',
      apiVersions: MANAGEMENT_GROUPS_API,
      put(call) {
        if (!GROUP_NAME.test(call.path.name)) throw armErrors.invalid('InvalidManagementGroupName', `'${call.path.name}' is not a valid management group name (1 to 90 letters, digits, -, _, (, ), .).`);
        const properties = record(call.body.properties);
        const parentId = text(record(record(properties.details).parent).id ?? rootGroupId);
        if (armKey(parentId) !== armKey(rootGroupId) && !store.find(parentId)) {
          throw armErrors.invalid('ParentManagementGroupNotFound', `The parent management group '${parentId}' does not exist.`);
        }
        const existing = store.find(call.path.id);
        const resource: ArmResource = {
          id: existing?.id ?? call.path.id,
          name: call.path.name,
          type: this.type,
          properties: {
            tenantId: directory.tenantId,
            displayName: text(properties.displayName ?? call.path.name),
            details: { parent: { id: parentId, name: parentId.split('/').pop() } },
            provisioningState: 'Updating',
          },
        };
        store.save(resource, now());
        const operation = startOperation(resource.id, 'create');
        return {
          status: 202,
          body: { id: operation.id, type: 'Microsoft.Management/operationResults', name: operation.id, status: 'NotStarted' },
          headers: { 'azure-asyncoperation': operationUrl(call, 'operationStatuses', operation.id) },
        };
      },
      get(call) {
        return { status: 200, body: requireResource(call.path.id, this.type) };
      },
      delete(call) {
        const existing = requireResource(call.path.id, this.type);
        const children = store.all().filter(
          (group) => group.type === this.type && armKey(String(record(record(group.properties.details).parent).id)) === armKey(existing.id),
        );
        const subscriptions = store.all().filter((subscription) => subscription.type === SUBSCRIPTION_TYPE && armKey(groupOfSubscription(subscription)) === armKey(existing.id));
        if (children.length + subscriptions.length > 0) {
          throw armErrors.invalid(
            'ManagementGroupHasChildren',
            `Management group '${existing.name}' has children (${[...children, ...subscriptions].map((child) => child.name).join(', ')}): delete or move them first.`,
          );
        }
        const operation = startOperation(existing.id, 'delete');
        return {
          status: 202,
          body: { id: operation.id, type: 'Microsoft.Management/operationResults', name: operation.id, status: 'NotStarted' },
          headers: { 'azure-asyncoperation': operationUrl(call, 'operationStatuses', operation.id) },
        };
      },
    },
    {
      type: 'Microsoft.Management/managementGroups/subscriptions',
      short: 'managementGroupSubscriptions',
      apiVersions: MANAGEMENT_GROUPS_API,
      put(call) {
        // Moves the subscription under the group (from wherever it was).
        requireGroup(call.path.parentId);
        const subscription = findSubscription(call.path.name);
        if (!subscription) throw armErrors.subscriptionNotFound(call.path.name);
        const moved = { ...subscription, properties: { ...subscription.properties, managementGroupId: call.path.parentId } };
        store.save(moved, store.createdAt(moved.id) ?? now());
        return { status: 200, body: subscriptionUnderGroup(call.path.parentId, moved) };
      },
      get(call) {
        const subscription = findSubscription(call.path.name);
        if (!subscription || armKey(groupOfSubscription(subscription)) !== armKey(call.path.parentId)) throw armErrors.notFound(this.type, call.path.id);
        return { status: 200, body: subscriptionUnderGroup(call.path.parentId, subscription) };
      },
      delete(call) {
        // Back under the root group, as Azure does.
        const subscription = findSubscription(call.path.name);
        if (!subscription || armKey(groupOfSubscription(subscription)) !== armKey(call.path.parentId)) return { status: 204 };
        store.save({ ...subscription, properties: { ...subscription.properties, managementGroupId: rootGroupId } }, store.createdAt(subscription.id) ?? now());
        return { status: 200 };
      },
    },
    {
      type: 'Microsoft.Subscription/aliases',
      short: 'aliases',
      apiVersions: SUBSCRIPTION_API,
      put(call) {
        const existing = store.find(call.path.id);
        // An alias names one subscription for good: a repeated PUT answers it as it is.
        if (existing) return { status: 200, body: existing };
        const properties = record(call.body.properties);
        const additional = record(properties.additionalProperties);
        const workload = properties.workload ?? 'Production';
        if (workload !== 'Production' && workload !== 'DevTest') throw armErrors.invalid('InvalidWorkload', `The workload '${text(workload)}' is not Production or DevTest.`);
        const groupId = additional.managementGroupId === undefined || additional.managementGroupId === null ? rootGroupId : text(additional.managementGroupId);
        requireGroup(groupId);
        let subscription: ArmResource;
        if (properties.subscriptionId !== undefined && properties.subscriptionId !== null) {
          const found = findSubscription(text(properties.subscriptionId));
          if (!found) throw armErrors.subscriptionNotFound(text(properties.subscriptionId));
          subscription = found;
        } else {
          const billingScope = text(properties.billingScope);
          if (!billingScope) throw armErrors.invalid('InvalidBillingScope', 'A new subscription needs a billingScope (an enrollment account or an invoice section).');
          if (!directory.billingScope || billingKey(billingScope) !== billingKey(directory.billingScope)) {
            throw new ArmError(403, 'BillingAccessDenied', `The client may not create subscriptions under the billing scope '${billingScope}'.`);
          }
          const displayName = text(properties.displayName);
          if (!displayName || displayName.length > 64) throw armErrors.invalid('InvalidDisplayName', 'A new subscription needs a displayName of 1 to 64 characters.');
          const subscriptionId = randomUUID();
          subscription = {
            id: `/subscriptions/${subscriptionId}`,
            name: subscriptionId,
            type: SUBSCRIPTION_TYPE,
            tags: tagsOf(additional.tags) ?? {},
            properties: { subscriptionId, displayName, state: 'Enabled', workload, billingScope, managementGroupId: groupId },
          };
        }
        if (properties.subscriptionId === undefined || properties.subscriptionId === null) store.save(subscription, now());
        const alias: ArmResource = {
          id: call.path.id,
          name: call.path.name,
          type: this.type,
          properties: {
            subscriptionId: subscription.name,
            displayName: subscription.properties.displayName,
            workload,
            billingScope: subscription.properties.billingScope,
            managementGroupId: groupId,
            provisioningState: 'Accepted',
          },
        };
        store.save(alias, now());
        // The subscription comes in the background: Location names an operation to poll (202, then 200).
        const operation = startOperation(alias.id, 'create');
        return {
          status: 201,
          body: alias,
          headers: { location: `${call.baseUrl}/providers/Microsoft.Subscription/subscriptionOperations/${operation.id}?api-version=${encodeURIComponent(call.apiVersion)}` },
        };
      },
      get(call) {
        return { status: 200, body: requireResource(call.path.id, this.type) };
      },
      delete(call) {
        // The alias goes; its subscription stays (cancelling is its own call).
        return deleteAnswer(call.path.id);
      },
    },
    {
      type: 'Microsoft.KeyVault/vaults',
      short: 'vaults',
      apiVersions: KEY_VAULT_API,
      put(call) {
        if (!VAULT_NAME.test(call.path.name)) {
          throw armErrors.invalid('VaultNameNotValid', `The vault name '${call.path.name}' is invalid: 3 to 24 letters, digits and hyphens, starting with a letter.`);
        }
        requireScope(call.path.parentId);
        const location = requireFrenchRegion(call.body.location, 'vaults');
        const properties = record(call.body.properties);
        const sku = record(properties.sku);
        if (properties.tenantId !== directory.tenantId) {
          throw armErrors.invalid('InvalidTenantId', `The vault's tenantId '${String(properties.tenantId)}' is not this directory's ('${directory.tenantId}').`);
        }
        if (!['standard', 'premium'].includes(String(sku.name)) || sku.family !== 'A') {
          throw armErrors.invalid('InvalidSku', `The SKU {family: ${String(sku.family)}, name: ${String(sku.name)}} is not valid: family A, name standard or premium.`);
        }
        const elsewhere = store.all().find((vault) => vault.type === this.type && vault.name.toLowerCase() === call.path.name.toLowerCase() && armKey(vault.id) !== armKey(call.path.id));
        if (elsewhere) throw armErrors.conflict('VaultAlreadyExists', `The vault name '${call.path.name}' is already in use.`);
        const existing = store.find(call.path.id);
        if (existing && existing.properties.enablePurgeProtection === true && properties.enablePurgeProtection === false) {
          throw armErrors.invalid('BadRequest', 'Purge protection cannot be disabled once it is enabled.');
        }
        if (existing && existing.location !== location) {
          throw armErrors.invalid('LocationCannotBeChanged', `The vault '${call.path.name}' is in '${existing.location}'; its location cannot change.`);
        }
        const resource: ArmResource = {
          id: existing?.id ?? call.path.id,
          name: call.path.name,
          type: this.type,
          location,
          tags: tagsOf(call.body.tags) ?? existing?.tags ?? {},
          properties: {
            ...(existing?.properties ?? {}),
            ...properties,
            enableSoftDelete: properties.enableSoftDelete ?? true,
            vaultUri: `https://${call.path.name.toLowerCase()}.vault.sim-cloud.local/`,
            provisioningState: existing ? 'Succeeded' : 'RegisteringDns',
          },
        };
        enforcePolicies(resource);
        store.save(resource, now());
        // A new vault registers its DNS name first: the SDK polls the vault until it has.
        if (!existing) startOperation(resource.id, 'create', `provisioning:${armKey(resource.id)}`);
        return { status: existing ? 200 : 201, body: resource };
      },
      get(call) {
        const resource = requireResource(call.path.id, this.type);
        const registering = store.findOperation(`provisioning:${armKey(resource.id)}`);
        if (registering?.status !== 'InProgress') return { status: 200, body: resource };
        return { status: 200, body: finishVaultRegistration(resource, registering) };
      },
      delete(call) {
        return deleteAnswer(call.path.id);
      },
    },
    {
      type: 'Microsoft.KeyVault/vaults/keys',
      short: 'keys',
      apiVersions: KEY_VAULT_API,
      put(call) {
        const vault = requireResource(call.path.parentId, 'Microsoft.KeyVault/vaults');
        const existing = store.find(call.path.id);
        // createIfNotExist: an existing key is answered as it is, never rotated or changed.
        if (existing) return { status: 200, body: existing };
        const properties = record(call.body.properties);
        const kty = text(properties.kty);
        if (!['RSA-HSM', 'EC-HSM'].includes(kty)) {
          throw armErrors.invalid('KeyTypeNotAllowed', `Key type '${kty}' is not allowed: customer-managed keys of this offer are HSM-protected (RSA-HSM or EC-HSM).`);
        }
        if (record(vault.properties.sku).name !== 'premium') {
          throw armErrors.invalid('KeyTypeNotSupported', `HSM-protected keys need a premium vault; '${vault.name}' is ${String(record(vault.properties.sku).name)}.`);
        }
        const created = Math.floor(Date.parse(now()) / 1000);
        const version = randomUUID().replace(/-/g, '');
        const keyUri = `${String(vault.properties.vaultUri)}keys/${call.path.name}`;
        const resource: ArmResource = {
          id: call.path.id,
          name: call.path.name,
          type: this.type,
          location: vault.location,
          tags: tagsOf(call.body.tags) ?? {},
          properties: {
            kty,
            keySize: properties.keySize ?? (kty === 'RSA-HSM' ? 2048 : undefined),
            curveName: properties.curveName ?? (kty === 'EC-HSM' ? 'P-256' : undefined),
            keyOps: properties.keyOps ?? [],
            attributes: { enabled: record(properties.attributes).enabled ?? true, created, updated: created, recoveryLevel: 'Recoverable' },
            keyUri,
            keyUriWithVersion: `${keyUri}/${version}`,
          },
        };
        store.save(resource, now());
        return { status: 200, body: resource };
      },
      get(call) {
        return { status: 200, body: requireResource(call.path.id, this.type) };
      },
    },
    {
      type: 'Microsoft.Authorization/policyDefinitions',
      short: 'policyDefinitions',
      apiVersions: POLICY_API,
      put(call) {
        if (!call.path.subscriptionId) throw armErrors.methodNotAllowed('PUT', 'built-in policyDefinitions');
        const properties = record(call.body.properties);
        const rule = record(properties.policyRule);
        if (!rule.if || !record(rule.then).effect) throw armErrors.invalid('InvalidPolicyRule', "The policy rule needs an 'if' condition and a 'then' effect.");
        const resource: ArmResource = { id: call.path.id, name: call.path.name, type: this.type, properties: { ...properties, policyType: 'Custom' } };
        store.save(resource, now());
        return { status: 201, body: resource };
      },
      get(call) {
        const definition = findDefinition(call.path.id);
        if (!definition) throw new ArmError(404, 'PolicyDefinitionNotFound', `The policy definition '${call.path.name}' could not be found.`);
        return { status: 200, body: definition };
      },
    },
    {
      type: 'Microsoft.Authorization/policyAssignments',
      short: 'policyAssignments',
      apiVersions: POLICY_API,
      put(call) {
        requireScope(call.path.parentId);
        const properties = record(call.body.properties);
        const definition = findDefinition(text(properties.policyDefinitionId));
        if (!definition) throw new ArmError(404, 'PolicyDefinitionNotFound', `The policy definition '${String(properties.policyDefinitionId)}' could not be found.`);
        const given = record(properties.parameters);
        const declared = record(definition.properties.parameters);
        for (const [name, parameter] of Object.entries(declared)) {
          if (record(parameter).defaultValue === undefined && record(given[name]).value === undefined) {
            throw armErrors.invalid('MissingPolicyParameter', `The policy parameter '${name}' of definition '${definition.name}' needs a value.`);
          }
        }
        const unknown = Object.keys(given).filter((name) => !(name in declared));
        if (unknown.length > 0) throw armErrors.invalid('UndefinedPolicyParameter', `The policy parameters ${unknown.join(', ')} are not defined by '${definition.name}'.`);
        const resource: ArmResource = {
          id: call.path.id,
          name: call.path.name,
          type: this.type,
          properties: { enforcementMode: 'Default', ...properties, scope: call.path.parentId },
        };
        store.save(resource, now());
        return { status: 201, body: resource };
      },
      get(call) {
        const resource = store.find(call.path.id);
        if (!resource) throw new ArmError(404, 'PolicyAssignmentNotFound', `The policy assignment '${call.path.name}' is not found.`);
        return { status: 200, body: resource };
      },
      delete(call) {
        return deleteAnswer(call.path.id);
      },
    },
    {
      type: 'Microsoft.Insights/diagnosticSettings',
      short: 'diagnosticSettings',
      apiVersions: DIAGNOSTIC_SETTINGS_API,
      put(call) {
        requireResource(call.path.parentId, 'resource');
        const properties = record(call.body.properties);
        const workspaceId = properties.workspaceId;
        if (workspaceId === undefined && properties.storageAccountId === undefined && properties.eventHubAuthorizationRuleId === undefined) {
          throw armErrors.invalid('BadRequest', 'A diagnostic setting needs a destination: workspaceId, storageAccountId or eventHubAuthorizationRuleId.');
        }
        if (workspaceId !== undefined && !WORKSPACE_ID.test(text(workspaceId))) {
          throw armErrors.invalid('BadRequest', `'${text(workspaceId)}' is not the resource id of a Log Analytics workspace.`);
        }
        const logs = Array.isArray(properties.logs) ? (properties.logs as unknown[]).map(record) : [];
        if (!logs.some((log) => log.enabled === true)) throw armErrors.invalid('BadRequest', 'A diagnostic setting needs at least one enabled log category or category group.');
        const resource: ArmResource = { id: call.path.id, name: call.path.name, type: this.type, properties };
        store.save(resource, now());
        return { status: 200, body: resource };
      },
      get(call) {
        return { status: 200, body: requireResource(call.path.id, this.type) };
      },
      delete(call) {
        return deleteAnswer(call.path.id);
      },
    },
  ];

  const finishVaultRegistration = (resource: ArmResource, registering: ArmOperation): ArmResource => {
    if (registering.pollsLeft > 0) {
      store.saveOperation({ ...registering, pollsLeft: registering.pollsLeft - 1 });
      return resource;
    }
    const done = { ...resource, properties: { ...resource.properties, provisioningState: 'Succeeded' } };
    store.save(done, now());
    store.saveOperation({ ...registering, pollsLeft: 0, status: 'Succeeded' });
    return done;
  };

  const tagsResource = (scopeId: string, tags: Record<string, string>) => ({
    id: `${scopeId}/providers/Microsoft.Resources/tags/default`,
    name: 'default',
    type: 'Microsoft.Resources/tags',
    properties: { tags },
  });

  const writeTags = (call: ArmCall, operation: 'Merge' | 'Replace' | 'Delete'): ArmAnswer => {
    const scope = requireResource(call.path.parentId, 'scope');
    const given = tagsOf(record(call.body.properties).tags) ?? {};
    const current = scope.tags ?? {};
    const tags =
      operation === 'Replace'
        ? given
        : operation === 'Merge'
          ? { ...current, ...given }
          : Object.fromEntries(Object.entries(current).filter(([name, value]) => !(name in given) || (given[name] !== '' && given[name] !== value)));
    tagsOf(tags);
    store.save({ ...scope, tags }, now());
    return { status: 200, body: tagsResource(scope.id, tags) };
  };

  /** Polls a long-running operation: each poll brings it one step closer to its end. */
  const pollOperation = (id: string): ArmOperation => {
    const operation = store.findOperation(id);
    if (!operation) throw armErrors.notFound('Microsoft.Resources/operations', id);
    if (operation.status !== 'InProgress') return operation;
    if (operation.pollsLeft > 0) {
      const next = { ...operation, pollsLeft: operation.pollsLeft - 1 };
      store.saveOperation(next);
      return next;
    }
    const resource = store.find(operation.resourceKey);
    if (operation.action === 'delete') {
      if (resource) store.deleteTree(resource.id);
      if (resource?.type === 'Microsoft.Management/managementGroups') onGroupDeleted(resource.id);
    } else if (resource) {
      store.save({ ...resource, properties: { ...resource.properties, provisioningState: 'Succeeded' } }, now());
    }
    const done: ArmOperation = { ...operation, status: 'Succeeded' };
    store.saveOperation(done);
    return done;
  };

  return {
    kinds,
    rootGroupId,

    /** Runs a call on its kind's handler for the call's method (the caller checked that there is one). */
    handle(kind: ResourceKind, call: ArmCall): ArmAnswer {
      const answer =
        call.method === 'PUT' ? kind.put?.(call) : call.method === 'PATCH' ? kind.patch?.(call) : call.method === 'GET' ? kind.get?.(call) : kind.delete?.(call);
      if (!answer) throw armErrors.methodNotAllowed(call.method, kind.type);
      return answer;
    },

    kindOf(path: ArmPath): ResourceKind | undefined {
      return kinds.find((kind) => kind.type.toLowerCase() === path.type.toLowerCase());
    },

    /** Whether a subscription exists, and whether it takes writes (`Disabled` once cancelled). */
    subscriptionState(subscriptionId: string): SubscriptionState | undefined {
      const subscription = findSubscription(subscriptionId);
      return subscription ? (subscription.properties.state as SubscriptionState) : undefined;
    },

    /** Cancels a subscription: it turns read-only (Disabled) and stays where it is until Azure deletes it. */
    cancelSubscription(subscriptionId: string): ArmAnswer {
      const subscription = findSubscription(subscriptionId);
      if (!subscription) throw armErrors.subscriptionNotFound(subscriptionId);
      store.save({ ...subscription, properties: { ...subscription.properties, state: 'Disabled' } }, store.createdAt(subscription.id) ?? now());
      return { status: 200, body: { subscriptionId } };
    },

    /** Location of a subscription alias: 202 while the subscription is being created, then 200 with the alias. */
    subscriptionOperationResult(id: string, call: Pick<ArmCall, 'baseUrl' | 'apiVersion'>): ArmAnswer {
      const operation = pollOperation(id);
      if (operation.status === 'InProgress') {
        return { status: 202, headers: { location: `${call.baseUrl}/providers/Microsoft.Subscription/subscriptionOperations/${id}?api-version=${encodeURIComponent(call.apiVersion)}` } };
      }
      return { status: 200, body: store.find(operation.resourceKey) };
    },

    /** Azure-AsyncOperation: 200 with the operation's status. */
    operationStatus(id: string): ArmAnswer {
      const operation = pollOperation(id);
      return {
        status: 200,
        body: { id, name: id, status: operation.status, startTime: operation.createdAt, ...(operation.status === 'Succeeded' ? { endTime: now() } : {}) },
      };
    },

    /** Location: 202 while the operation runs, then 200. */
    operationResult(id: string, call: Pick<ArmCall, 'baseUrl' | 'apiVersion'>): ArmAnswer {
      const operation = pollOperation(id);
      if (operation.status === 'InProgress') return { status: 202, headers: { location: `${call.baseUrl}/providers/Microsoft.Resources/operationResults/${id}?api-version=${encodeURIComponent(call.apiVersion)}` } };
      return { status: 200 };
    },
  };
}
