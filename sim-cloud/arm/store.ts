import type { SimCloudDatabase } from '../database';

/** A resource as ARM represents it; `properties` holds what its type defines. */
export interface ArmResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  tags?: Record<string, string>;
  properties: Record<string, unknown>;
  [field: string]: unknown;
}

/** A long-running operation: it reports `InProgress` for `pollsLeft` more polls, then its outcome. */
export interface ArmOperation {
  id: string;
  resourceKey: string;
  action: 'create' | 'delete';
  pollsLeft: number;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  createdAt: string;
}

interface OperationRow {
  id: string;
  resource_key: string;
  action: ArmOperation['action'];
  polls_left: number;
  status: ArmOperation['status'];
  created_at: string;
}

/** ARM ids are case-insensitive: resources are keyed by the lower-cased id. */
export const armKey = (id: string): string => id.toLowerCase();

/** The ARM resources and operations sim-cloud keeps. */
export type ArmStore = ReturnType<typeof createArmStore>;

/** Data access for ARM resources and long-running operations, over sim-cloud's database. */
export function createArmStore(db: SimCloudDatabase) {
  const statements = {
    find: db.prepare<[string], { body: string }>(`SELECT body FROM arm_resources WHERE key = ?`),
    createdAt: db.prepare<[string], { created_at: string }>(`SELECT created_at FROM arm_resources WHERE key = ?`),
    upsert: db.prepare(
      `INSERT INTO arm_resources (key, id, type, created_at, body) VALUES (@key, @id, @type, @createdAt, @body)
       ON CONFLICT (key) DO UPDATE SET body = excluded.body`,
    ),
    deleteTree: db.prepare(`DELETE FROM arm_resources WHERE key = ? OR substr(key, 1, length(?) + 1) = ? || '/'`),
    children: db.prepare<[string, string, string], { body: string }>(
      `SELECT body FROM arm_resources WHERE substr(key, 1, length(?) + 1) = ? || '/' AND type = ? ORDER BY created_at, key`,
    ),
    all: db.prepare<[], { body: string }>(`SELECT body FROM arm_resources ORDER BY created_at, key`),
    insertOperation: db.prepare(
      `INSERT OR REPLACE INTO arm_operations (id, resource_key, action, polls_left, status, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    findOperation: db.prepare<[string], OperationRow>(`SELECT * FROM arm_operations WHERE id = ?`),
    updateOperation: db.prepare(`UPDATE arm_operations SET polls_left = ?, status = ? WHERE id = ?`),
    clear: db.prepare(`DELETE FROM arm_resources`),
    clearOperations: db.prepare(`DELETE FROM arm_operations`),
  };

  return {
    find(id: string): ArmResource | undefined {
      const row = statements.find.get(armKey(id));
      return row ? (JSON.parse(row.body) as ArmResource) : undefined;
    },

    /** When the resource was first created (ISO 8601), or undefined if it does not exist. */
    createdAt(id: string): string | undefined {
      return statements.createdAt.get(armKey(id))?.created_at;
    },

    save(resource: ArmResource, createdAt: string): void {
      statements.upsert.run({ key: armKey(resource.id), id: resource.id, type: resource.type, createdAt, body: JSON.stringify(resource) });
    },

    /** Deletes a resource and everything whose id it prefixes (a resource group takes its vaults with it). */
    deleteTree(id: string): number {
      const key = armKey(id);
      return statements.deleteTree.run(key, key, key).changes;
    },

    /** Resources of `type` somewhere under `scopeId`. */
    under(scopeId: string, type: string): ArmResource[] {
      const key = armKey(scopeId);
      return statements.children.all(key, key, type).map((row) => JSON.parse(row.body) as ArmResource);
    },

    all(): ArmResource[] {
      return statements.all.all().map((row) => JSON.parse(row.body) as ArmResource);
    },

    startOperation(operation: ArmOperation): void {
      statements.insertOperation.run(operation.id, operation.resourceKey, operation.action, operation.pollsLeft, operation.status, operation.createdAt);
    },

    findOperation(id: string): ArmOperation | undefined {
      const row = statements.findOperation.get(id);
      return row
        ? { id: row.id, resourceKey: row.resource_key, action: row.action, pollsLeft: row.polls_left, status: row.status, createdAt: row.created_at }
        : undefined;
    },

    saveOperation(operation: ArmOperation): void {
      statements.updateOperation.run(operation.pollsLeft, operation.status, operation.id);
    },

    clear(): void {
      statements.clear.run();
      statements.clearOperations.run();
    },
  };
}
