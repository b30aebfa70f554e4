import type Database from 'better-sqlite3';

interface NodeSqliteStatement {
  run(...parameters: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...parameters: unknown[]): unknown;
  all(...parameters: unknown[]): unknown[];
}

interface NodeSqliteDatabase {
  prepare(sql: string): NodeSqliteStatement;
  exec(sql: string): void;
  close(): void;
}

/**
 * The part of better-sqlite3's API that sim-cloud uses (prepare/run/get/all, exec, pragma,
 * nested transactions as savepoints, close), over Node's built-in `node:sqlite`. It serves on
 * a Node release for which better-sqlite3's native addon is not built (a newer ABI), so that
 * sim-cloud runs on every supported Node without compiling anything.
 */
export function openWithNodeSqlite(file: string): Database.Database {
  // Looked up at run time: Node 20 has no node:sqlite (and never comes this way).
  const sqlite = process.getBuiltinModule('node:sqlite') as { DatabaseSync: new (file: string) => NodeSqliteDatabase } | undefined;
  if (!sqlite) throw new Error(`better-sqlite3 has no native addon for Node ${process.version} and this Node has no node:sqlite: run \`npm rebuild better-sqlite3\`.`);
  const { DatabaseSync } = sqlite;
  const db = new DatabaseSync(file);
  let depth = 0;
  const adapter = {
    prepare: (sql: string) => db.prepare(sql),
    exec: (sql: string) => {
      db.exec(sql);
      return adapter;
    },
    pragma: (source: string, options: { simple?: boolean } = {}) => {
      const rows = db.prepare(`PRAGMA ${source}`).all() as Record<string, unknown>[];
      if (!options.simple) return rows;
      const first = rows[0];
      return first === undefined ? undefined : Object.values(first)[0];
    },
    transaction<A extends unknown[], R>(work: (...args: A) => R): (...args: A) => R {
      return (...args: A): R => {
        const savepoint = `sim_cloud_${depth}`;
        db.exec(depth === 0 ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
        depth++;
        try {
          const result = work(...args);
          depth--;
          db.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`);
          return result;
        } catch (error) {
          depth--;
          db.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
          throw error;
        }
      };
    },
    close: () => {
      db.close();
      return adapter;
    },
  };
  return adapter as unknown as Database.Database;
}
