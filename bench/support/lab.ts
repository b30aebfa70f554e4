import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { ApproverRole, UserRole } from '../../domain';
import { issueDevToken } from '../../config/dev-tokens';
import { createDataConverter } from '../../codec/data-converter';
import { AesGcmPayloadCodec, generateCodecKey, parseCodecKeys } from '../../codec/payload-codec';
import { findFreePort, httpOk, type ManagedProcess, startProcess, tcpOpen, waitUntil } from '../../scripts/lib/processes';
import { ensureTemporalCli } from '../../scripts/lib/temporal-cli';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/worker';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../workflows/search-attributes';

const ROOT = path.resolve(__dirname, '..', '..');
const THREAD_PROFILER = path.join(__dirname, 'thread-profiler.mjs');
/** Visibility requests a second the lab's server allows per namespace. */
export const VISIBILITY_RPS = 10_000;

/** What production needs to start (NODE_ENV=production): OIDC settings the worker never calls. */
export const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  AUTH_ISSUER: 'https://issuer.invalid/',
  AUTH_AUDIENCE: 'passerelle',
  AUTH_JWKS_URL: 'https://issuer.invalid/jwks',
};

/** A variable the image sets (the Dockerfile's `ENV NAME=value`), so that a benchmark runs a process in the image's environment. */
export function imageEnv(name: string): string {
  const value = new RegExp(`^ENV ${name}=(\\S+)$`, 'm').exec(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'))?.[1];
  if (value === undefined) throw new Error(`The Dockerfile sets no ${name}.`);
  return value;
}

/**
 * Compiles the sources to dist/ as `npm run build` does (its TypeScript step), so that a
 * benchmark runs `node dist/worker/main.js`, what the image runs, from the sources measured.
 */
export async function compileForProduction(): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT }, (error, stdout) => {
      if (error) reject(new Error(`tsc -p tsconfig.build.json failed:\n${stdout}`));
      else resolve();
    });
  });
}

/** A process the lab started, with what it printed last and how long it took to be ready. */
export interface LabProcess extends ManagedProcess {
  /** From spawn to ready (IPC message or health check), in milliseconds. */
  readyMs: number;
  output(): string[];
  /** Resident set size now, and its peak, in MiB (from /proc). */
  memory(): { rssMiB: number; peakRssMiB: number };
}

function memoryOf(pid: number | undefined): { rssMiB: number; peakRssMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: Math.round(kib('VmRSS') / 1024), peakRssMiB: Math.round(kib('VmHWM') / 1024) };
}

/**
 * `temporal server start-dev` as `npm start` runs it (SQLite file in WAL mode, the project's
 * search attributes), but with the visibility rate limit raised: its default of 10 requests a
 * second per namespace would measure the limit rather than the API (the SDK's client retries
 * past it, the API answers with an error).
 */
async function startBenchServer(cli: string, port: number, dbFile: string): Promise<{ address: string; stop(): Promise<void> }> {
  const args = [
    'server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error',
    '--db-filename', dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal',
    '--dynamic-config-value', `frontend.namespaceRPS.visibility=${VISIBILITY_RPS}`,
    ...SEARCH_ATTRIBUTE_REGISTRATIONS.flatMap(({ name, cliType }) => ['--search-attribute', `${name}=${cliType}`]),
  ];
  const child = startProcess('temporal', cli, args);
  try {
    await waitUntil('Temporal dev server', () => tcpOpen('127.0.0.1', port), 60_000, () => child.isAlive());
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { address: `127.0.0.1:${port}`, stop: () => child.stop(15_000) };
}

/** A lab's sim-cloud: its migration-service URL, and the variables that point a worker at it (its ARM endpoint included). */
export interface LabSimCloud {
  process: LabProcess;
  url: string;
  env: { SIM_CLOUD_URL: string; SIM_CLOUD_ARM_PORT: string };
}

/** Everything a benchmark needs: its own Temporal dev server, processes on loopback, a client. */
export interface Lab {
  cli: string;
  /** The lab's own temporary directory (removed when it stops). */
  dataDir: string;
  temporalAddress: string;
  client: Client;
  /** The payload keys every process of the lab shares (PASSERELLE_CODEC_KEYS). */
  codecKeys: string;
  /** Passerelle's workflow bundle, built once per lab, as `npm run build` builds it. */
  passerelleBundle(): Promise<string>;
  /** Starts an entry point (a `.ts` file through tsx, a `.js` file on Node) and waits for its IPC `ready` or its health URL. */
  startEntry(name: string, entry: string, env: NodeJS.ProcessEnv, readiness?: { url: string }): Promise<LabProcess>;
  startSimCloud(options: { speedup: number; credentials?: string }): Promise<LabSimCloud>;
  startApi(options: { taskQueue: string; env?: NodeJS.ProcessEnv }): Promise<{ process: LabProcess; url: string; token(claims: { roles: UserRole[]; customerId?: string; approverRoles?: ApproverRole[] }): Promise<string> }>;
  baseEnv(): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Starts a lab: a dev server on a fresh SQLite file and a client. */
export async function startLab(): Promise<Lab> {
  const cli = await ensureTemporalCli();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-bench-'));
  const port = await findFreePort();
  const server = await startBenchServer(cli, port, path.join(dataDir, 'temporal.db'));
  const codecKeys = generateCodecKey('bench');
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, dataConverter: createDataConverter(new AesGcmPayloadCodec(parseCodecKeys(codecKeys))) });
  const started: LabProcess[] = [];
  // Made now: the thread profiler writes its first file 5 s after a process starts, before any process exits.
  const profileDir = process.env.BENCH_CPU_PROF_DIR ? path.resolve(process.env.BENCH_CPU_PROF_DIR) : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  let bundle: Promise<string> | undefined;

  const baseEnv = (): NodeJS.ProcessEnv => ({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    SIM_CLOUD_LOG_LEVEL: 'warn',
    PASSERELLE_DATA_DIR: dataDir,
    TEMPORAL_ADDRESS: server.address,
    PASSERELLE_CODEC_KEYS: codecKeys,
    WORKER_METRICS_PORT: '0',
  });

  async function startEntry(name: string, entry: string, env: NodeJS.ProcessEnv, readiness?: { url: string }): Promise<LabProcess> {
    const lines: string[] = [];
    const spawnedAt = performance.now();
    // Compiled entry points (dist/) run on plain Node, as in production; sources go through tsx.
    // BENCH_CPU_PROF_DIR=dir profiles every process the lab starts (a .cpuprofile each, written when it stops),
    // and their worker threads, the workflow thread first (thread-profiler.mjs, a .cpuprofile every 5 s).
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}.${Date.now()}.cpuprofile`, '--import', pathToFileURL(THREAD_PROFILER).href] : [];
    const args = [...profile, ...(entry.endsWith('.ts') ? ['--import', 'tsx', path.join(ROOT, entry)] : [path.join(ROOT, entry)])];
    const child = startProcess(name, process.execPath, args, {
      env: profileDir ? { ...env, BENCH_THREAD_PROF_DIR: profileDir, BENCH_THREAD_PROF_NAME: name } : env,
      cwd: ROOT,
      ipc: true,
      output: (line) => {
        lines.push(line);
        if (lines.length > 200) lines.shift();
      },
    });
    const labProcess: LabProcess = { ...child, readyMs: 0, output: () => [...lines], memory: () => memoryOf(child.child.pid) };
    started.push(labProcess);
    if (readiness) {
      await waitUntil(name, () => httpOk(readiness.url), 120_000, () => child.isAlive());
    } else {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} not ready after 180 s:\n${lines.join('\n')}`)), 180_000);
        child.child.on('message', (message: { type?: string }) => {
          if (message?.type !== 'ready') return;
          clearTimeout(timer);
          resolve();
        });
        void child.exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited with code ${code}:\n${lines.join('\n')}`));
        });
      });
    }
    labProcess.readyMs = performance.now() - spawnedAt;
    return labProcess;
  }

  async function stop(): Promise<void> {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await Promise.all([...started].reverse().map((child) => child.stop(10_000)));
    await connection.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  // Ctrl-C during a benchmark still stops every process the lab started.
  function interrupted(): void {
    void stop().finally(() => process.exit(130));
  }
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  return {
    cli,
    dataDir,
    temporalAddress: server.address,
    client,
    codecKeys,
    baseEnv,
    startEntry,
    passerelleBundle() {
      bundle ??= (async () => {
        const { code } = await bundleWorkflowCode({ ...WORKFLOW_BUNDLE_OPTIONS, logger: new DefaultLogger('WARN') });
        const file = path.join(dataDir, 'workflow-bundle.js');
        writeFileSync(file, code);
        return file;
      })();
      return bundle;
    },
    async startSimCloud({ speedup, credentials = 'QUALIFIED,hds' }) {
      const simPort = await findFreePort();
      // Its ARM endpoint too listens on a free port, never the default that `npm start` uses.
      const armPort = await findFreePort();
      const url = `http://127.0.0.1:${simPort}`;
      const simCloud = await startEntry(
        'sim-cloud',
        'sim-cloud/main.ts',
        { ...baseEnv(), SIM_CLOUD_PORT: String(simPort), SIM_CLOUD_ARM_PORT: String(armPort), SIM_CLOUD_DATA: path.join(dataDir, `sim-cloud-${simPort}.db`), SIM_CLOUD_SPEEDUP: String(speedup), SIM_CLOUD_CREDENTIALS: credentials },
        { url: `${url}/healthz` },
      );
      return { process: simCloud, url, env: { SIM_CLOUD_URL: url, SIM_CLOUD_ARM_PORT: String(armPort) } };
    },
    async startApi({ taskQueue, env = {} }) {
      const apiPort = await findFreePort();
      const url = `http://127.0.0.1:${apiPort}`;
      const secret = randomBytes(32).toString('hex');
      // The benchmark is one client address sending thousands of requests: no rate limit applies.
      const api = await startEntry(
        'api',
        'api/main.ts',
        { ...baseEnv(), ...env, API_PORT: String(apiPort), TEMPORAL_TASK_QUEUE: taskQueue, AUTH_DEV_SECRET: secret, API_RATE_LIMIT: '100000000' },
        { url: `${url}/readyz` },
      );
      return {
        process: api,
        url,
        token: (claims) => issueDevToken(new TextEncoder().encode(secret), { sub: `${claims.roles[0]}-bench`, ...claims }),
      };
    },
    stop,
  };
}
