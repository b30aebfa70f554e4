import path from 'node:path';
import { loadOrCreateDevCodecKeys } from '../codec/dev-keys';
import { devSignInKey } from '../api/dev-mode';
import { DEV_SIGN_IN_KEY_PARAMETER } from '../domain/token-claims';
import { loadOrCreateDevSecret } from '../config/dev-secret';
import { loadConfig, type Config } from '../config/env';
import { buildDashboard } from './lib/dashboard-build';
import { startTemporalDevServer } from './lib/dev-server';
import { assertPortFree, httpOk, type ManagedProcess, startTypeScriptProcess, superviseForeground, waitForReadyMessage, waitUntil } from './lib/processes';
import { ensureTemporalCli } from './lib/temporal-cli';

const root = path.resolve(__dirname, '..');
const started: ManagedProcess[] = [];
const supervisor = superviseForeground({
  what: 'Passerelle',
  say,
  // Reverse order: the API first, Temporal last, so nothing talks to a server that is gone.
  stop: async () => {
    for (const child of [...started].reverse()) await child.stop(child.name === 'worker' ? 15_000 : 10_000);
  },
});

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function prefixed(name: string): (line: string) => void {
  return (line) => process.stdout.write(`[${name}] ${line}\n`);
}

function startTypeScript(name: string, entry: string, env: NodeJS.ProcessEnv): ManagedProcess {
  return startTypeScriptProcess(name, entry, { root, env, output: prefixed(name) });
}

async function devSecretOf(config: Config): Promise<Uint8Array> {
  return config.auth.mode === 'dev' && config.auth.secret ? new TextEncoder().encode(config.auth.secret) : await loadOrCreateDevSecret(config.dataDir);
}

async function main(config: Config): Promise<void> {
  const t0 = Date.now();
  await assertPortFree(config.api.host, config.api.port, 'API_PORT');
  await assertPortFree(config.simCloud.host, config.simCloud.port, 'SIM_CLOUD_PORT');
  await assertPortFree(config.simCloud.host, config.simCloud.armPort, 'SIM_CLOUD_ARM_PORT');
  if (config.env.WORKER_METRICS_PORT !== 0) await assertPortFree(config.env.WORKER_METRICS_HOST, config.env.WORKER_METRICS_PORT, 'WORKER_METRICS_PORT');

  // Payload encryption: the worker and the API must share keys; in development they live under the data directory.
  const codecKeys = config.codec.keys ?? (await loadOrCreateDevCodecKeys(config.dataDir));
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PASSERELLE_DATA_DIR: config.dataDir, PASSERELLE_CODEC_KEYS: codecKeys };
  let temporalUi: string | undefined;
  if (config.temporal.external) {
    say(`Using the Temporal server at ${config.temporal.address} (TEMPORAL_ADDRESS); none started.`);
  } else {
    const cli = await ensureTemporalCli();
    const server = await startTemporalDevServer({
      cli,
      host: config.temporal.host,
      port: config.temporal.port,
      uiPort: config.temporal.uiPort,
      dbFile: path.join(config.dataDir, 'temporal.db'),
      namespace: config.temporal.namespace,
      output: prefixed('temporal'),
    });
    started.push(server.process);
    temporalUi = server.uiUrl;
    childEnv.TEMPORAL_ADDRESS = server.address;
  }

  const simCloud = startTypeScript('sim-cloud', 'sim-cloud/main.ts', {
    ...childEnv,
    SIM_CLOUD_PORT: String(config.simCloud.port),
    SIM_CLOUD_ARM_PORT: String(config.simCloud.armPort),
    SIM_CLOUD_HOST: config.simCloud.host,
    SIM_CLOUD_SPEEDUP: String(config.simCloud.speedup),
    SIM_CLOUD_DATA: path.join(config.dataDir, 'sim-cloud.db'),
  });
  started.push(simCloud);
  await waitUntil('sim-cloud', () => httpOk(`${config.simCloud.url}/healthz`), 30_000, () => simCloud.isAlive());

  const worker = startTypeScript('worker', 'worker/main.ts', { ...childEnv, SIM_CLOUD_URL: config.simCloud.url });
  started.push(worker);
  // The API serves the dashboard as built; a fresh build picks up any change to its sources.
  await buildDashboard({ outDir: config.api.dashboardDir, minify: false });
  const api = startTypeScript('api', 'api/main.ts', childEnv);
  started.push(api);
  await Promise.all([
    waitForReadyMessage(worker, 120_000),
    waitUntil('API', () => httpOk(`${config.api.publicUrl}/healthz`), 60_000, () => api.isAlive()),
  ]);

  for (const child of started) supervisor.watch(child);

  say('');
  say(`Passerelle is ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // The demo sign-in asks for a key that only this machine's owner sees (api/dev-mode.ts).
  const signIn = config.auth.mode === 'dev' ? `?${DEV_SIGN_IN_KEY_PARAMETER}=${devSignInKey(await devSecretOf(config))}` : '';
  say(`  Dashboard and API   ${config.api.publicUrl}/${signIn}   (API docs: ${config.api.publicUrl}/docs)`);
  if (temporalUi) say(`  Temporal Web UI     ${temporalUi}   (payloads encrypted; decrypted: temporal workflow show --codec-endpoint ${config.api.publicUrl}/codec --codec-auth "Bearer <ops token>")`);
  say(`  sim-cloud           ${config.simCloud.url}`);
  if (config.workerMetrics.bindAddress) say(`  Metrics             ${config.api.publicUrl}/metrics, worker http://${config.workerMetrics.bindAddress}/metrics`);
  say(`  Data                ${config.dataDir}`);
  say('  Get a token: npm run -s token -- --role consultant');
  say('Press Ctrl-C to stop.');
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
supervisor.run(() => main(config), 'Passerelle could not start');
