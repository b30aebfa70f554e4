import type {
  ProviderCredentials,
  Replication,
  ResourceByType,
  ResourceType,
  SecNumCloudStatus,
  SourceState,
} from '../provider/types';
import type { SimCloudDatabase } from './database';

/** A replication as stored: state and progress are worked out from the clock on every read. */
export type StoredReplication = Omit<Replication, 'state' | 'progress' | 'estimatedCompletionAt' | 'completedAt'> & {
  /** Real milliseconds the copy takes, fixed when it starts so that a restart does not change it. */
  durationMs: number;
};

/** Each resource type as stored. */
export type StoredResourceByType = Omit<ResourceByType, 'replication'> & { replication: StoredReplication };

/** Any stored resource. */
export type StoredResource = StoredResourceByType[ResourceType];

/** Where a resource sits: its tenant, the resource it is deleted with, and its workload if any. */
export interface Placement {
  tenantId: string;
  parentId: string | null;
  workloadId?: string;
}

/** The state of a workload's source as stored; a workload never touched is LIVE. */
export interface StoredSource {
  state: SourceState;
  changedAt: string;
}

interface ResourceRow {
  type: string;
  data: string;
}

interface SourceRow {
  state: SourceState;
  changed_at: string;
}

interface CredentialsRow {
  secnumcloud: SecNumCloudStatus;
  hds: number;
  updated_at: string;
}

/** sim-cloud's data access: resources, workload sources, provider credentials and settings. */
export type SimCloudStore = ReturnType<typeof createSimCloudStore>;

/** Data access over a migrated sim-cloud database; every method is synchronous and transaction-safe. */
export function createSimCloudStore(db: SimCloudDatabase) {
  const statements = {
    insertResource: db.prepare(
      `INSERT INTO resources (id, type, tenant_id, parent_id, workload_id, created_at, data)
       VALUES (@id, @type, @tenantId, @parentId, @workloadId, @createdAt, @data)`,
    ),
    updateResourceData: db.prepare(`UPDATE resources SET data = ? WHERE id = ?`),
    findResource: db.prepare<[string], ResourceRow>(`SELECT type, data FROM resources WHERE id = ?`),
    latestWorkloadResource: db.prepare<[string, string, string], ResourceRow>(
      `SELECT type, data FROM resources WHERE tenant_id = ? AND workload_id = ? AND type = ? ORDER BY rowid DESC LIMIT 1`,
    ),
    deleteResourceTree: db.prepare(
      `WITH RECURSIVE tree (id) AS (
         SELECT id FROM resources WHERE id = ?
         UNION ALL
         SELECT resources.id FROM resources JOIN tree ON resources.parent_id = tree.id
       )
       DELETE FROM resources WHERE id IN tree`,
    ),
    deleteTenantSources: db.prepare(`DELETE FROM workload_sources WHERE tenant_id = ?`),
    deleteTenantResources: db.prepare(`DELETE FROM resources WHERE tenant_id = ?`),
    listResources: db.prepare<[], ResourceRow>(`SELECT type, data FROM resources ORDER BY rowid`),
    listTenantResources: db.prepare<[string, string], ResourceRow>(`SELECT type, data FROM resources WHERE tenant_id = ? AND type = ? ORDER BY rowid`),
    findSource: db.prepare<[string, string], SourceRow>(
      `SELECT state, changed_at FROM workload_sources WHERE tenant_id = ? AND workload_id = ?`,
    ),
    upsertSource: db.prepare(
      `INSERT INTO workload_sources (tenant_id, workload_id, state, changed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant_id, workload_id) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at`,
    ),
    countSources: db.prepare<[], { state: SourceState; count: number }>(
      `SELECT state, COUNT(*) AS count FROM workload_sources GROUP BY state`,
    ),
    readCredentials: db.prepare<[], CredentialsRow>(`SELECT secnumcloud, hds, updated_at FROM provider_credentials WHERE id = 1`),
    writeCredentials: db.prepare(`UPDATE provider_credentials SET secnumcloud = ?, hds = ?, updated_at = ? WHERE id = 1`),
    readSetting: db.prepare<[string], { value: string }>(`SELECT value FROM settings WHERE name = ?`),
    writeSetting: db.prepare(
      `INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    ),
  };

  const parseRow = (row: ResourceRow): StoredResource => JSON.parse(row.data) as StoredResource;

  return {
    /** Runs `work` in one transaction (nested calls become savepoints): all of it happens, or none. */
    transaction<T>(work: () => T): T {
      return db.transaction(work)();
    },

    insertResource(resource: StoredResource, placement: Placement): void {
      statements.insertResource.run({
        id: resource.id,
        type: resource.type,
        tenantId: placement.tenantId,
        parentId: placement.parentId,
        workloadId: placement.workloadId ?? null,
        createdAt: resource.createdAt,
        data: JSON.stringify(resource),
      });
    },

    replaceResource(resource: StoredResource): void {
      statements.updateResourceData.run(JSON.stringify(resource), resource.id);
    },

    findResource<T extends ResourceType>(type: T, id: string): StoredResourceByType[T] | undefined {
      const row = statements.findResource.get(id);
      return row?.type === type ? (parseRow(row) as StoredResourceByType[T]) : undefined;
    },

    latestWorkloadResource<T extends ResourceType>(type: T, tenantId: string, workloadId: string): StoredResourceByType[T] | undefined {
      const row = statements.latestWorkloadResource.get(tenantId, workloadId, type);
      return row ? (parseRow(row) as StoredResourceByType[T]) : undefined;
    },

    /** Deletes a resource and, recursively, everything whose parent it is; answers how many went. */
    deleteResourceTree(resource: StoredResource): number {
      return statements.deleteResourceTree.run(resource.id).changes;
    },

    /** Deletes everything kept for a tenant that lives elsewhere (an ARM management group): its resources and sources. */
    deleteTenantData(tenantId: string): number {
      statements.deleteTenantSources.run(tenantId);
      return statements.deleteTenantResources.run(tenantId).changes;
    },

    listResources(): StoredResource[] {
      return statements.listResources.all().map(parseRow);
    },

    /** The resources of one type that sit in a tenant, oldest first. */
    listTenantResources<T extends ResourceType>(type: T, tenantId: string): Array<StoredResourceByType[T]> {
      return statements.listTenantResources.all(tenantId, type).map((row) => parseRow(row) as StoredResourceByType[T]);
    },

    findSource(tenantId: string, workloadId: string): StoredSource | undefined {
      const row = statements.findSource.get(tenantId, workloadId);
      return row ? { state: row.state, changedAt: row.changed_at } : undefined;
    },

    saveSource(tenantId: string, workloadId: string, source: StoredSource): void {
      statements.upsertSource.run(tenantId, workloadId, source.state, source.changedAt);
    },

    countSourcesByState(): Record<SourceState, number> {
      const counts: Record<SourceState, number> = { LIVE: 0, FROZEN: 0 };
      for (const row of statements.countSources.all()) counts[row.state] = row.count;
      return counts;
    },

    readCredentials(): ProviderCredentials {
      const row = statements.readCredentials.get();
      if (!row) throw new Error('provider_credentials has no row: the database was not migrated');
      return { secnumcloud: row.secnumcloud, hds: row.hds === 1, updatedAt: row.updated_at };
    },

    writeCredentials(credentials: ProviderCredentials): void {
      statements.writeCredentials.run(credentials.secnumcloud, credentials.hds ? 1 : 0, credentials.updatedAt);
    },

    readSetting(name: string): string | undefined {
      return statements.readSetting.get(name)?.value;
    },

    writeSetting(name: string, value: string): void {
      statements.writeSetting.run(name, value);
    },
  };
}
