import path from 'node:path';
import { loadConfig } from '../config/env';
import { type Cluster, residentMiB, startCluster } from './lib/cluster';
import { superviseForeground } from './lib/processes';

/**
 * `npm run cluster`: Passerelle on a production-shaped topology on one machine: PostgreSQL,
 * Temporal's services as separate processes, its Web UI, two workers, two API replicas behind
 * one entry point, and sim-cloud. Ctrl-C stops everything.
 */
let cluster: Cluster | undefined;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

const supervisor = superviseForeground({ what: 'the cluster', say, stop: async () => await cluster?.stop() });

function count(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 8) {
    process.stderr.write(`${variable} must be a whole number from 1 to 8 (got ${JSON.stringify(raw)}).\n`);
    process.exit(1);
  }
  return value;
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.temporal.external) {
    throw new Error('TEMPORAL_ADDRESS is set: `npm run cluster` starts its own Temporal cluster. To use an existing one, run `npm run worker` and `npm run api` against it (README, Scaling out).');
  }
  const postgresPort = Number(process.env.POSTGRES_PORT ?? 0);
  cluster = await startCluster({
    dataDir: path.join(config.dataDir, 'cluster'),
    host: config.temporal.host,
    apiPort: config.api.port,
    temporalPort: config.temporal.port,
    uiPort: process.env.TEMPORAL_UI === 'off' ? undefined : config.temporal.uiPort,
    simCloudPort: config.simCloud.port,
    postgresPort: Number.isInteger(postgresPort) ? postgresPort : 0,
    historyProcesses: count('CLUSTER_HISTORY_PROCESSES', 2),
    workers: count('CLUSTER_WORKERS', 2),
    apis: count('CLUSTER_APIS', 2),
    namespace: config.temporal.namespace,
    output: (name, line) => process.stdout.write(`[${name}] ${line}\n`),
    log: say,
  });
  for (const member of cluster.members()) {
    // A member that a restart replaced is not a crash.
    supervisor.watch(member.process, () => !cluster?.members().some((current) => current.process === member.process));
  }
  const rss = await Promise.all(cluster.members().map(async (member) => `${member.name} ${await residentMiB(member.process.child.pid ?? 0).catch(() => 0)}`));
  say('');
  say(`Passerelle cluster ready in ${cluster.timings.total} s`);
  say(`  API (entry point)   ${cluster.apiUrl}/   (${cluster.apis.length} replicas)`);
  say(`  Temporal frontend   ${cluster.temporalAddress} (namespace ${cluster.namespace})`);
  if (cluster.uiUrl) say(`  Temporal Web UI     ${cluster.uiUrl}`);
  say(`  sim-cloud           ${cluster.simCloudUrl}`);
  say(`  PostgreSQL          ${cluster.postgres.settings.host}:${cluster.postgres.settings.port} (user temporal, password in ${cluster.postgres.settings.dataDir}.password)`);
  say(`  RSS (MiB)           ${rss.join(', ')}`);
  say('  Get a token: PASSERELLE_DATA_DIR=' + path.join(config.dataDir, 'cluster') + ' npm run -s token -- --role consultant');
  say('Press Ctrl-C to stop.');
}

supervisor.run(main, 'The cluster could not start');
