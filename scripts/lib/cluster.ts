import { execFile } from 'node:child_process';
import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { msToTs } from '@temporalio/common/lib/time';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadOrCreateDevCodecKeys } from '../../codec/dev-keys';
import { loadOrCreateDevSecret } from '../../config/dev-secret';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/worker';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../workflows/search-attributes';
import { buildDashboard } from './dashboard-build';
import { type Gateway, startGateway } from './gateway';
import { findPostgresBinDir, initPostgres, postgresOsUser, type PostgresSettings, startPostgres } from './postgres';
import { assertPortFree, findFreePort, httpOk, type ManagedProcess, startProcess, startTypeScriptProcess, tcpOpen, waitForReadyMessage, waitUntil } from './processes';
import { ensureTemporalServerTools, ensureTemporalUiServer, type TemporalServerTools } from './temporal-server';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
/** The config the project ships for every Temporal service process, and for the Web UI. */
export const TEMPORAL_CONFIG_DIR = path.join('deploy', 'temporal', 'server');
export const TEMPORAL_CONFIG_ENV = 'passerelle';
const UI_CONFIG_DIR = path.join('deploy', 'temporal', 'ui');

/** The Temporal server's services; each runs as its own process. */
export type TemporalService = 'frontend' | 'history' | 'matching' | 'worker';

export interface ClusterOptions {
  /** Everything the cluster writes: PostgreSQL's files, sim-cloud's database, development keys. */
  dataDir: string;
  host?: string;
  /** The entry point (gateway) port; 0 picks a free one. */
  apiPort: number;
  /** The frontend's gRPC port; 0 picks a free one. */
  temporalPort: number;
  /** The Web UI's port; undefined: no Web UI. */
  uiPort?: number;
  simCloudPort: number;
  /** PostgreSQL's port; 0 picks a free one. */
  postgresPort: number;
  historyProcesses?: number;
  workers?: number;
  apis?: number;
  namespace?: string;
  /** Extra environment for the Passerelle workers and APIs (tuning, log level). */
  passerelleEnv?: NodeJS.ProcessEnv;
  /** Where every process's output lines go, prefixed with its name. */
  output?: (name: string, line: string) => void;
  /** Progress lines ("PostgreSQL ready in 1.2 s"). */
  log?: (line: string) => void;
}

/** One process of the cluster that can be stopped, killed and started again. */
export interface ClusterMember {
  name: string;
  process: ManagedProcess;
  /** SIGKILL to its process group, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again with the same settings and waits until it is ready. */
  restart(): Promise<void>;
}

export interface Cluster {
  apiUrl: string;
  temporalAddress: string;
  namespace: string;
  uiUrl?: string;
  simCloudUrl: string;
  postgres: ClusterMember & { settings: PostgresSettings };
  temporal: Record<TemporalService, ClusterMember[]>;
  workers: ClusterMember[];
  apis: ClusterMember[];
  simCloud: ClusterMember;
  ui?: ClusterMember;
  /** Seconds from the start to each stage being ready (for the README's figures). */
  timings: Record<string, number>;
  /** Every process, for RSS readings: name and pid. */
  members(): ClusterMember[];
  stop(): Promise<void>;
}

/** Sets up the persistence and visibility databases with Temporal's own schema tool: create, then setup and update to the release's version. */
export async function setUpTemporalSchemas(tools: TemporalServerTools, settings: PostgresSettings, log: (line: string) => void): Promise<void> {
  const env = {
    ...process.env,
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: settings.host,
    SQL_PORT: String(settings.port),
    SQL_USER: settings.user,
    SQL_PASSWORD: settings.password,
  };
  const sql = async (database: string, ...args: string[]) => {
    try {
      await run(tools.sqlTool, ['--plugin', 'postgres12', '--db', database, ...args], { env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const detail = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr) : String(error);
      if (args[0] === 'create-database' && /already exists/.test(detail)) return;
      throw new Error(`temporal-sql-tool ${args[0]} on ${database} failed: ${detail.trim().slice(-1500)}`);
    }
  };
  for (const [database, schema] of [
    ['temporal', 'temporal'],
    ['temporal_visibility', 'visibility'],
  ] as const) {
    await sql(database, 'create-database', '--defaultdb', 'postgres');
    // setup-schema -v 0.0 creates the version table when new; update-schema applies only the versions not yet applied.
    await sql(database, 'setup-schema', '-v', '0.0');
    await sql(database, 'update-schema', '-d', path.join(tools.postgresSchemaDir, schema, 'versioned'));
    log(`schema ${database}: up to date`);
  }
}

interface ServicePorts {
  grpc: number;
  membership: number;
  metrics: number;
  http?: number;
}

function serviceEnvironment(service: TemporalService, ports: ServicePorts, host: string, frontendPort: number, settings: PostgresSettings): NodeJS.ProcessEnv {
  const prefix = `TEMPORAL_${service.toUpperCase()}`;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_BIND_HOST: host,
    TEMPORAL_LOG_LEVEL: process.env.TEMPORAL_LOG_LEVEL ?? 'warn',
    TEMPORAL_DYNAMIC_CONFIG: path.join(ROOT, TEMPORAL_CONFIG_DIR, 'dynamicconfig.yaml'),
    TEMPORAL_FRONTEND_PORT: String(frontendPort),
    [`${prefix}_PORT`]: String(ports.grpc),
    [`${prefix}_MEMBERSHIP_PORT`]: String(ports.membership),
    ...(ports.http ? { TEMPORAL_FRONTEND_HTTP_PORT: String(ports.http) } : {}),
    TEMPORAL_METRICS_PORT: String(ports.metrics),
    POSTGRES_HOST: settings.host,
    POSTGRES_PORT: String(settings.port),
    POSTGRES_USER: settings.user,
    POSTGRES_PASSWORD: settings.password,
  };
}

/**
 * Registers the namespace when it is missing and the project's custom search attributes on
 * SQL visibility, then waits until a list filtered by one of them answers: from then on
 * workers and APIs find everything they use.
 */
export async function registerNamespaceAndSearchAttributes(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: '10s' });
  try {
    await waitUntil('Temporal frontend', async () => {
      await connection.workflowService.getSystemInfo({});
      return true;
    }, 60_000);
    try {
      await connection.workflowService.describeNamespace({ namespace });
    } catch {
      try {
        await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('30 days') });
      } catch (error) {
        // Another starter registered it in between.
        if (!/already exists/i.test(String((error as Error).message))) throw error;
      }
    }
    await waitUntil('namespace', async () => {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      const missing = SEARCH_ATTRIBUTE_REGISTRATIONS.filter(({ name }) => !(name in (customAttributes ?? {})));
      if (missing.length > 0) {
        await connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(
            missing.map(({ name, type }) => [name, encodeSearchAttributeIndexedValueType(type)!]),
          ),
        });
      }
      return missing.length === 0;
    }, 90_000);
    const probe = SEARCH_ATTRIBUTE_REGISTRATIONS[0].name;
    await waitUntil('search attributes', async () => {
      await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1, query: `${probe} = 'readiness-probe'` });
      return true;
    }, 90_000);
  } finally {
    await connection.close();
  }
}

/**
 * Starts the whole production-shaped topology on this machine: PostgreSQL (as an unprivileged
 * user), the schemas, each Temporal service as its own process from the shipped config, the
 * namespace and search attributes, the Web UI, sim-cloud, N Passerelle workers and N API
 * replicas behind one gateway. On any failure everything started so far is stopped.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const host = options.host ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const log = options.log ?? (() => {});
  const output = (name: string) => (line: string) => options.output?.(name, line);
  const dataDir = path.resolve(options.dataDir);
  // The Temporal services, PostgreSQL and the Web UI log to files: their output is verbose and
  // rarely needed; Passerelle's own processes print to the console.
  const logsDir = path.join(dataDir, 'logs');
  const logFiles = new Map<string, WriteStream>();
  const toFile = (name: string) => {
    const stream = logFiles.get(name) ?? createWriteStream(path.join(logsDir, `${name}.log`), { flags: 'a' });
    logFiles.set(name, stream);
    return (line: string) => stream.write(`${line}\n`);
  };
  const failedWithLog = async (name: string, error: unknown): Promise<Error> => {
    const file = path.join(logsDir, `${name}.log`);
    const tail = (await fs.readFile(file, 'utf8').catch(() => '')).trim().split('\n').slice(-3).map((line) => line.slice(0, 400));
    return new Error(`${error instanceof Error ? error.message : String(error)}\n  (log: ${file})\n  ${tail.join('\n  ')}`);
  };
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const mark = (stage: string) => {
    timings[stage] = Math.round((Date.now() - t0) / 100) / 10;
    log(`${stage} ready (${timings[stage]} s)`);
  };
  const members: ClusterMember[] = [];
  const port = async (wanted: number, variable: string) => {
    if (wanted === 0) return await findFreePort(host);
    await assertPortFree(host, wanted, variable);
    return wanted;
  };

  const member = (name: string, start: () => Promise<ManagedProcess>, first: ManagedProcess): ClusterMember => {
    const entry: ClusterMember = {
      name,
      process: first,
      async kill() {
        if (entry.process.child.pid !== undefined) {
          try {
            process.kill(-entry.process.child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        await entry.process.exited;
      },
      async restart() {
        await entry.process.stop();
        entry.process = await start();
      },
    };
    members.push(entry);
    return entry;
  };

  // Every process as soon as it is spawned: one that a failing sibling interrupts before it is
  // ready is stopped too.
  const spawned: ManagedProcess[] = [];
  const track = (child: ManagedProcess): ManagedProcess => {
    spawned.push(child);
    return child;
  };
  const stop = async () => {
    await gateway?.close();
    // Reverse order: the Web UI and APIs first, PostgreSQL last.
    for (const child of [...spawned].reverse()) if (child.isAlive()) await child.stop(child.name.startsWith('worker') ? 20_000 : 15_000);
    for (const stream of logFiles.values()) stream.end();
  };
  let gateway: Gateway | undefined;

  try {
    await fs.mkdir(logsDir, { recursive: true });
    const apiPort = await port(options.apiPort, 'API_PORT');
    const simCloudPort = await port(options.simCloudPort, 'SIM_CLOUD_PORT');
    const temporalPort = options.temporalPort === 0 ? await findFreeServicePort(host) : await port(options.temporalPort, 'TEMPORAL_PORT');
    const uiPort = options.uiPort === undefined ? undefined : await port(options.uiPort, 'TEMPORAL_UI_PORT');

    // Tools and the workflow bundle, built once (the bundle: both workers load it).
    const [tools, uiServer, binDir, osUser] = await Promise.all([
      ensureTemporalServerTools(log),
      uiPort === undefined ? Promise.resolve(undefined) : ensureTemporalUiServer(log),
      findPostgresBinDir(),
      postgresOsUser(),
    ]);
    mark('tools');

    // PostgreSQL, created once under the data directory, run as an unprivileged user.
    const pgDir = path.join(dataDir, 'postgresql');
    const { password } = await initPostgres({ binDir, dataDir: pgDir, user: 'temporal', osUser });
    const settings: PostgresSettings = { binDir, dataDir: pgDir, host, port: await port(options.postgresPort, 'POSTGRES_PORT'), user: 'temporal', password, osUser };
    const startPg = async () => {
      try {
        return track(await startPostgres(settings, toFile('postgresql')));
      } catch (error) {
        throw await failedWithLog('postgresql', error);
      }
    };
    const postgres = Object.assign(member('postgresql', startPg, await startPg()), { settings });
    mark('postgresql');
    await setUpTemporalSchemas(tools, settings, log);
    mark('schemas');

    // Temporal: every service its own process, from the shipped config; ports from the environment.
    const temporal: Record<TemporalService, ClusterMember[]> = { frontend: [], history: [], matching: [], worker: [] };
    const startService = async (service: TemporalService, index: number) => {
      const ports: ServicePorts = {
        grpc: service === 'frontend' ? temporalPort : await findFreeServicePort(host),
        membership: await findFreeServicePort(host),
        metrics: await findFreePort(host),
        ...(service === 'frontend' ? { http: await findFreePort(host) } : {}),
      };
      const name = `temporal-${service}${index > 0 ? `-${index + 1}` : ''}`;
      const start = async () => {
        const child = track(startProcess(
          name,
          tools.server,
          ['--root', ROOT, '--config', TEMPORAL_CONFIG_DIR, '--env', TEMPORAL_CONFIG_ENV, '--allow-no-auth', 'start', '--service', service],
          { env: serviceEnvironment(service, ports, host, temporalPort, settings), output: toFile(name) },
        ));
        try {
          // The internal worker serves no gRPC: its membership port says it has joined.
          const readinessPort = service === 'worker' ? ports.membership : ports.grpc;
          await waitUntil(name, () => tcpOpen(host, readinessPort), 90_000, () => child.isAlive());
        } catch (error) {
          await child.stop();
          throw await failedWithLog(name, error);
        }
        return child;
      };
      temporal[service].push(member(name, start, await start()));
    };
    // One process first: it writes the cluster's metadata and system namespace, which the
    // others then read (started together on a new database, they race to insert them).
    await startService('history', 0);
    const historyCount = options.historyProcesses ?? 2;
    await Promise.all([
      ...Array.from({ length: historyCount - 1 }, (_, index) => startService('history', index + 1)),
      startService('matching', 0),
      startService('frontend', 0),
    ]);
    await startService('worker', 0);
    const temporalAddress = `${host}:${temporalPort}`;
    await registerNamespaceAndSearchAttributes(temporalAddress, namespace);
    mark('temporal');

    // Keys the workers and APIs share: created once here, before either starts.
    const codecKeys = await loadOrCreateDevCodecKeys(dataDir);
    await loadOrCreateDevSecret(dataDir);
    const apiUrl = `http://${host}:${apiPort}`;
    const simCloudUrl = `http://${host}:${simCloudPort}`;
    const uiUrl = uiPort === undefined ? undefined : `http://${host}:${uiPort}`;
    const bundlePath = path.join(dataDir, 'workflow-bundle.js');
    const { code } = await bundleWorkflowCode({ ...WORKFLOW_BUNDLE_OPTIONS, logger: quietBundlerLogger });
    await fs.writeFile(bundlePath, code);
    mark('workflow bundle');
    // The API replicas serve the dashboard as built, from the cluster's own folder.
    const dashboardDir = path.join(dataDir, 'dashboard');
    await buildDashboard({ outDir: dashboardDir, minify: true });

    const passerelleEnv: NodeJS.ProcessEnv = {
      ...process.env,
      PASSERELLE_DATA_DIR: dataDir,
      DASHBOARD_DIR: dashboardDir,
      PASSERELLE_CODEC_KEYS: codecKeys,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      SIM_CLOUD_URL: simCloudUrl,
      ...options.passerelleEnv,
    };
    const typescript = (name: string, entry: string, env: NodeJS.ProcessEnv) => track(startTypeScriptProcess(name, entry, { root: ROOT, env, output: output(name) }));

    const startSimCloud = async () => {
      const child = typescript('sim-cloud', 'sim-cloud/main.ts', {
        ...passerelleEnv,
        SIM_CLOUD_HOST: host,
        SIM_CLOUD_PORT: String(simCloudPort),
        SIM_CLOUD_DATA: path.join(dataDir, 'sim-cloud.db'),
        SIM_CLOUD_SPEEDUP: passerelleEnv.SIM_CLOUD_SPEEDUP ?? '3000',
      });
      await waitUntil('sim-cloud', () => httpOk(`${simCloudUrl}/healthz`), 60_000, () => child.isAlive());
      return child;
    };
    const simCloud = member('sim-cloud', startSimCloud, await startSimCloud());

    const startWorker = (index: number) => async () => {
      const child = typescript(`worker-${index + 1}`, 'worker/main.ts', { ...passerelleEnv, WORKFLOW_BUNDLE_PATH: bundlePath, WORKER_METRICS_PORT: String(await findFreePort(host)) });
      await waitForReadyMessage(child, 120_000);
      return child;
    };
    const startApi = (index: number, apiReplicaPort: number) => async () => {
      const child = typescript(`api-${index + 1}`, 'api/main.ts', {
        ...passerelleEnv,
        API_HOST: host,
        API_PORT: String(apiReplicaPort),
        API_PUBLIC_URL: apiUrl,
        // The gateway is one proxy hop: its X-Forwarded-For names the client.
        API_TRUST_PROXY: '1',
        ...(uiUrl ? { CODEC_CORS_ORIGINS: uiUrl } : {}),
      });
      await waitUntil(`api-${index + 1}`, () => httpOk(`http://${host}:${apiReplicaPort}/readyz`), 60_000, () => child.isAlive());
      return child;
    };
    const apiPorts = await Promise.all(Array.from({ length: options.apis ?? 2 }, () => findFreePort(host)));
    const [workers, apis] = await Promise.all([
      Promise.all(Array.from({ length: options.workers ?? 2 }, async (_, index) => member(`worker-${index + 1}`, startWorker(index), await startWorker(index)()))),
      Promise.all(apiPorts.map(async (apiReplicaPort, index) => member(`api-${index + 1}`, startApi(index, apiReplicaPort), await startApi(index, apiReplicaPort)()))),
    ]);
    gateway = await startGateway({ host, port: apiPort, upstreams: apiPorts.map((replicaPort) => ({ host, port: replicaPort })), log: output('gateway') });
    mark('workers and APIs');

    let ui: ClusterMember | undefined;
    if (uiServer && uiPort !== undefined && uiUrl) {
      const startUi = async () => {
        const child = track(startProcess('temporal-ui', uiServer, ['--root', ROOT, '--config', UI_CONFIG_DIR, '--env', 'passerelle', 'start'], {
          env: {
            PATH: process.env.PATH,
            HOME: process.env.HOME,
            TEMPORAL_ADDRESS: temporalAddress,
            TEMPORAL_UI_HOST: host,
            TEMPORAL_UI_PORT: String(uiPort),
            TEMPORAL_UI_PUBLIC_URL: uiUrl,
            TEMPORAL_NAMESPACE: namespace,
            TEMPORAL_CODEC_ENDPOINT: `${apiUrl}/codec`,
          },
          output: toFile('temporal-ui'),
        }));
        await waitUntil('Temporal Web UI', () => httpOk(uiUrl), 60_000, () => child.isAlive());
        return child;
      };
      ui = member('temporal-ui', startUi, await startUi());
      mark('web ui');
    }
    timings.total = Math.round((Date.now() - t0) / 100) / 10;

    return {
      apiUrl,
      temporalAddress,
      namespace,
      uiUrl,
      simCloudUrl,
      postgres,
      temporal,
      workers,
      apis,
      simCloud,
      ui,
      timings,
      members: () => [...members],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A free port below 32768: Temporal's SQL schema stores membership ports as smallint, so the
 * kernel's ephemeral ports (32768 and up) cannot be used for its services.
 */
async function findFreeServicePort(host: string): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    try {
      await assertPortFree(host, candidate, 'a Temporal service port');
      return candidate;
    } catch {
      // taken: another one
    }
  }
  throw new Error(`No free port between 20000 and 32000 on ${host} for the Temporal services.`);
}

const quietBundlerLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error: (message: string) => process.stderr.write(`${message}\n`),
};

/** Resident memory of a process and its children, in MiB, from /proc (Linux). */
export async function residentMiB(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Math.round(Number(match[1]) / 1024) : 0;
}
