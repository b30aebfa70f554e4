import { randomUUID } from 'node:crypto';
import type { Replication, Resource, ResourceByType, ResourceType } from '../provider/types';
import type { Clock } from './clock';
import { problems } from './problems';
import type { ArmStore } from './arm/store';
import type { SimCloudStore, StoredReplication, StoredResourceByType } from './store';

const MANAGEMENT_GROUP_TYPE = 'Microsoft.Management/managementGroups';

/** Each resource type's collection in `/v1/{collection}/{id}`, its id prefix and its name in messages. */
export const RESOURCE_KINDS: Record<ResourceType, { collection: string; idPrefix: string; label: string }> = {
  'm365-tenant': { collection: 'm365-tenants', idPrefix: 'm365', label: 'Microsoft 365 tenant' },
  replication: { collection: 'replications', idPrefix: 'rep', label: 'replication' },
  'final-sync': { collection: 'final-syncs', idPrefix: 'fsync', label: 'final sync' },
  validation: { collection: 'validations', idPrefix: 'val', label: 'validation' },
  'smoke-test': { collection: 'smoke-tests', idPrefix: 'smoke', label: 'smoke test' },
  'dns-record': { collection: 'dns-records', idPrefix: 'dns', label: 'DNS record' },
  'test-launch': { collection: 'test-launches', idPrefix: 'tl', label: 'test launch' },
};

/** Every resource type, in the order of a migration. */
export const RESOURCE_TYPES = Object.keys(RESOURCE_KINDS) as ResourceType[];

/** A new id for a resource of `type`, such as `lz-5b0c…`. */
export function newResourceId(type: ResourceType): string {
  return `${RESOURCE_KINDS[type].idPrefix}-${randomUUID()}`;
}

/** What exists, by type with counts, for GET /admin/resources. */
export interface ResourceInventory {
  total: number;
  types: Record<ResourceType, { count: number; items: Resource[] }>;
  sources: { LIVE: number; FROZEN: number };
}

/** Reads, presents and deletes resources of any type. */
export type Catalog = ReturnType<typeof createCatalog>;

/** Generic access to resources: lookup that answers 404, presentation, deletion, inventory. */
export function createCatalog({ store, clock, arm }: { store: SimCloudStore; clock: Clock; arm: ArmStore }) {
  const present = <T extends ResourceType>(resource: StoredResourceByType[T]): ResourceByType[T] =>
    (resource.type === 'replication' ? presentReplication(resource, clock.now()) : resource) as ResourceByType[T];

  /** The stored resource, or a 404 problem naming what is missing. */
  const requireResource = <T extends ResourceType>(type: T, id: string): StoredResourceByType[T] => {
    const resource = store.findResource(type, id);
    if (!resource) throw problems.notFound(RESOURCE_KINDS[type].label, id);
    return resource;
  };

  /** The ARM management group with this id, when a tenant or landing zone was provisioned through ARM. */
  const findGroup = (id: string) => {
    const group = id.startsWith('/') ? arm.find(id) : undefined;
    return group?.type === MANAGEMENT_GROUP_TYPE ? group : undefined;
  };

  return {
    requireResource,
    present,

    /** A tenant: a customer's management group, created through ARM. */
    requireTenant(tenantId: string): { id: string; createdAt: string } {
      const group = findGroup(tenantId);
      if (!group) throw problems.notFound('tenant', tenantId);
      return { id: group.id, createdAt: arm.createdAt(group.id) ?? new Date(clock.now()).toISOString() };
    },

    /** Where a replication may copy to: a landing zone's management group or a Microsoft 365 tenant, with its tenant. */
    findReplicationTarget(targetId: string): { id: string; tenantId: string } | undefined {
      const m365Tenant = store.findResource('m365-tenant', targetId);
      if (m365Tenant) return m365Tenant;
      const group = findGroup(targetId);
      const parent = (group?.properties.details as { parent?: { id?: string } } | undefined)?.parent?.id;
      return group && parent ? { id: group.id, tenantId: parent } : undefined;
    },

    getResource<T extends ResourceType>(type: T, id: string): ResourceByType[T] {
      return present<T>(requireResource(type, id));
    },

    /** Deletes a resource and everything under it; a resource that is already gone is not an error. */
    deleteResource(type: ResourceType, id: string): void {
      const resource = store.findResource(type, id);
      if (resource) store.deleteResourceTree(resource);
    },

    inventory(): ResourceInventory {
      const types = Object.fromEntries(RESOURCE_TYPES.map((type) => [type, { count: 0, items: [] as Resource[] }])) as ResourceInventory['types'];
      const resources = store.listResources();
      for (const resource of resources) {
        const entry = types[resource.type];
        entry.count += 1;
        entry.items.push(present(resource));
      }
      return { total: resources.length, types, sources: store.countSourcesByState() };
    },
  };
}

/** A replication's state and progress at `nowMs`: the share of its duration that has elapsed. */
export function presentReplication(replication: StoredReplication, nowMs: number): Replication {
  const { durationMs, ...fields } = replication;
  const startedMs = Date.parse(replication.startedAt);
  const completesMs = startedMs + durationMs;
  const elapsedShare = durationMs <= 0 ? 1 : Math.min(1, Math.max(0, (nowMs - startedMs) / durationMs));
  const completed = elapsedShare >= 1;
  return {
    ...fields,
    state: completed ? 'COMPLETED' : 'RUNNING',
    // Rounded down so that a job never shows 1 before it is COMPLETED.
    progress: Math.floor(elapsedShare * 1e6) / 1e6,
    estimatedCompletionAt: new Date(completesMs).toISOString(),
    completedAt: completed ? new Date(completesMs).toISOString() : null,
  };
}
