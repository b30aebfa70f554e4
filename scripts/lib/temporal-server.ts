import { promises as fs } from 'node:fs';
import path from 'node:path';
import { cachedToolPath, ensureGoTool, type GoTool, goModuleDir } from './go-binaries';

/** The Temporal server release the cluster runs (the version the Temporal CLI v1.5.1 embeds too). */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** The Web UI server that the Temporal CLI v1.5.1 embeds, built on its own to point at any frontend. */
export const TEMPORAL_UI_SERVER_VERSION = 'v2.42.1';

const SERVER_MODULE = 'go.temporal.io/server';

export const TEMPORAL_SERVER: GoTool = {
  name: 'temporal-server',
  packagePath: `${SERVER_MODULE}/cmd/server`,
  version: TEMPORAL_SERVER_VERSION,
  binary: 'server',
  cachedAs: 'temporal-server',
  npmScript: 'cluster:build',
};

export const TEMPORAL_SQL_TOOL: GoTool = {
  name: 'temporal-server',
  packagePath: `${SERVER_MODULE}/cmd/tools/sql`,
  version: TEMPORAL_SERVER_VERSION,
  binary: 'sql',
  cachedAs: 'temporal-sql-tool',
  npmScript: 'cluster:build',
};

export const TEMPORAL_UI_SERVER: GoTool = {
  name: 'temporal-ui-server',
  packagePath: 'github.com/temporalio/ui-server/v2/cmd/server',
  version: TEMPORAL_UI_SERVER_VERSION,
  binary: 'server',
  cachedAs: 'temporal-ui-server',
  npmScript: 'cluster:build',
};

export interface TemporalServerTools {
  server: string;
  sqlTool: string;
  /** `schema/postgresql/v12` of the same server release: `temporal/` and `visibility/`, each with `versioned/`. */
  postgresSchemaDir: string;
}

/** The PostgreSQL schemas of the pinned release, copied from the module next to the binaries. */
function cachedSchemaDir(): string {
  return path.join(path.dirname(cachedToolPath(TEMPORAL_SERVER)), 'schema', 'postgresql', 'v12');
}

async function makeWritable(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) await makeWritable(file);
    else await fs.chmod(file, 0o644);
  }
}

async function ensurePostgresSchemas(): Promise<string> {
  const target = cachedSchemaDir();
  try {
    await fs.access(path.join(target, 'visibility', 'versioned'));
    return target;
  } catch {
    // not copied yet
  }
  const moduleDir = await goModuleDir(SERVER_MODULE, TEMPORAL_SERVER_VERSION);
  const staging = `${target}.copy-${process.pid}`;
  await fs.cp(path.join(moduleDir, 'schema', 'postgresql', 'v12'), staging, { recursive: true });
  // The module cache is read-only; the copy must stay writable so that a later clean-up can remove it.
  await makeWritable(staging);
  await fs.rm(target, { recursive: true, force: true });
  await fs.rename(staging, target);
  return target;
}

/**
 * Returns the pinned Temporal server, its SQL schema tool and its PostgreSQL schemas, building
 * them with Go into the cache the first time. Fast and silent when cached.
 */
export async function ensureTemporalServerTools(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<TemporalServerTools> {
  const server = await ensureGoTool(TEMPORAL_SERVER, log);
  const sqlTool = await ensureGoTool(TEMPORAL_SQL_TOOL, log);
  const postgresSchemaDir = await ensurePostgresSchemas();
  return { server, sqlTool, postgresSchemaDir };
}

/** Returns the pinned Temporal Web UI server, building it with Go into the cache the first time. */
export async function ensureTemporalUiServer(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string> {
  return await ensureGoTool(TEMPORAL_UI_SERVER, log);
}
