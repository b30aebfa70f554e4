import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { openWithNodeSqlite } from './node-sqlite';

/** sim-cloud's SQLite database (a better-sqlite3 handle). */
export type SimCloudDatabase = Database.Database;

/** Migrations in order; `PRAGMA user_version` records how many have run. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE resources (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    parent_id TEXT,
    workload_id TEXT,
    created_at TEXT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX resources_by_parent ON resources (parent_id);
  CREATE INDEX resources_by_workload ON resources (tenant_id, workload_id, type);

  CREATE TABLE workload_sources (
    tenant_id TEXT NOT NULL,
    workload_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('LIVE', 'FROZEN')),
    changed_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, workload_id)
  );

  CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    operation TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    response TEXT,
    created_at TEXT NOT NULL
  );

  CREATE TABLE provider_credentials (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    secnumcloud TEXT NOT NULL CHECK (secnumcloud IN ('J0', 'J1', 'J2', 'QUALIFIED')),
    hds INTEGER NOT NULL CHECK (hds IN (0, 1)),
    updated_at TEXT NOT NULL
  );

  CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE faults (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    operation TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('error', 'latency', 'hang')),
    times INTEGER NOT NULL,
    remaining INTEGER NOT NULL,
    latency_ms INTEGER,
    status INTEGER,
    created_at TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE arm_resources (
    key TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body TEXT NOT NULL
  );

  CREATE TABLE arm_operations (
    id TEXT PRIMARY KEY,
    resource_key TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'delete')),
    polls_left INTEGER NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
];

/** better-sqlite3, or Node's own SQLite where its native addon was built for another Node release. */
function openDatabase(file: string): SimCloudDatabase {
  try {
    return new Database(file);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code !== 'ERR_DLOPEN_FAILED' && !/NODE_MODULE_VERSION|Could not locate the bindings file/.test(message)) throw error;
    return openWithNodeSqlite(file);
  }
}

/**
 * Opens (creating it and its folder if needed) sim-cloud's database file in WAL mode, so that
 * its state survives restarts of sim-cloud and of its clients.
 */
export function openSimCloudDatabase(file: string): SimCloudDatabase {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = openDatabase(file);
  db.pragma('journal_mode = WAL');
  // In WAL mode NORMAL survives a crash of the process; only a power cut may lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * Brings the schema up to date and seeds the provider's default credentials (SecNumCloud J2,
 * HDS certified: the qualification is still pending when a story starts). Safe to run on every start.
 */
export function migrateSimCloudDatabase(db: SimCloudDatabase, nowIso: string): void {
  db.transaction(() => {
    const applied = db.pragma('user_version', { simple: true }) as number;
    for (const migration of MIGRATIONS.slice(applied)) db.exec(migration);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
    db.prepare(
      `INSERT INTO provider_credentials (id, secnumcloud, hds, updated_at) VALUES (1, 'J2', 1, ?) ON CONFLICT (id) DO NOTHING`,
    ).run(nowIso);
  })();
}
