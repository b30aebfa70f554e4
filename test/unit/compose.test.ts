import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { environmentSchema, loadConfig } from '../../config/env';
import { cachedWorkflowsForBudget } from '../../config/worker-cache';
import { loadSimCloudConfig } from '../../sim-cloud/config';
import { SEARCH_ATTRIBUTE_REGISTRATIONS } from '../../workflows/search-attributes';

const ROOT = path.resolve(__dirname, '..', '..');

interface ComposeService {
  image?: string;
  build?: { context: string; target?: string };
  command?: string[] | string;
  entrypoint?: string[];
  environment?: Record<string, string | number | boolean>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number | string };
  ports?: string[];
  container_name?: string;
  restart?: string;
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  configs?: Record<string, { content?: string }>;
}

const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
const { services } = compose;

/** What the variables the user must set look like; the rest keep the file's defaults. */
const OPERATOR_ENVIRONMENT: Record<string, string> = {
  PASSERELLE_CODEC_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  AUTH_ISSUER: 'https://login.example.fr/',
  AUTH_AUDIENCE: 'passerelle',
  AUTH_JWKS_URL: 'https://login.example.fr/jwks',
};

/** Compose's `${VAR:-default}` and `${VAR:?message}` interpolation, over `variables`. */
function interpolate(value: string | number | boolean, variables: Record<string, string>): string {
  return String(value).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_match, name: string, kind?: string, fallback?: string) => {
    const set = variables[name];
    if (set !== undefined && set !== '') return set;
    if (kind === '?') throw new Error(`${name} is required: ${fallback ?? ''}`);
    return kind === '-' ? (fallback ?? '') : '';
  });
}

function environmentOf(name: string, variables: Record<string, string> = OPERATOR_ENVIRONMENT): Record<string, string> {
  const environment = services[name]?.environment ?? {};
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, interpolate(value, variables)]));
}

function commandOf(name: string): string[] {
  const command = services[name]?.command;
  return Array.isArray(command) ? command : [];
}

describe('docker-compose.yml', () => {
  it('holds the whole topology: PostgreSQL, schema setup, Temporal, its UI, sim-cloud, workers, API replicas and their gateway', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'gateway', 'postgresql', 'sim-cloud', 'temporal', 'temporal-schema', 'temporal-setup', 'temporal-ui', 'worker'].sort(),
    );
    expect(services.postgresql?.image).toBe('postgres:15');
    expect(services.temporal?.image).toMatch(/^temporalio\/server:/);
    expect(services['temporal-ui']?.image).toMatch(/^temporalio\/ui:/);
    expect(environmentOf('temporal')).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
  });

  it('runs the worker, the API and sim-cloud from the project Dockerfile, each with the compiled entry point it needs', () => {
    const entries = { worker: 'worker/main', api: 'api/main', 'sim-cloud': 'sim-cloud/main' };
    for (const [name, entry] of Object.entries(entries)) {
      expect(services[name]?.build).toEqual({ context: '.', target: 'runtime' });
      expect(commandOf(name)).toEqual(['node', `dist/${entry}.js`]);
      expect(existsSync(path.join(ROOT, `${entry}.ts`))).toBe(true);
    }
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM .* AS runtime$/m);
    expect(dockerfile).toMatch(/^RUN npm run build/m);
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production$/m);
    // The memory benchmark runs the worker with the image's malloc arenas (bench/support/lab.ts, imageEnv).
    expect(dockerfile).toMatch(/^ENV MALLOC_ARENA_MAX=[1-9]\d*$/m);
  });

  it('scales workers and API replicas: two of each by default, no container name, no host port of their own', () => {
    for (const name of ['worker', 'api']) {
      const service = services[name]!;
      expect(Number(interpolate(service.deploy?.replicas ?? 1, {}))).toBe(2);
      expect(service.container_name).toBeUndefined();
      expect(service.ports).toBeUndefined();
    }
    expect(compose.configs?.['gateway-caddyfile']?.content).toMatch(/dynamic a api 3000/);
  });

  it('gives every long-running service a health check, and starts each service only once what it needs is healthy or done', () => {
    const oneShot = Object.entries(services).filter(([, service]) => service.restart === 'no').map(([name]) => name);
    expect(oneShot.sort()).toEqual(['temporal-schema', 'temporal-setup']);
    for (const [name, service] of Object.entries(services)) {
      const longRunning = !oneShot.includes(name) && name !== 'temporal-ui';
      if (longRunning) expect({ name, probed: (service.healthcheck?.test.length ?? 0) > 0 }).toEqual({ name, probed: true });
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const expected = oneShot.includes(dependency) ? 'service_completed_successfully' : 'service_healthy';
        expect({ name, dependency, condition }).toEqual({ name, dependency, condition: expected });
        expect(services[dependency]).toBeDefined();
      }
    }
    expect(services.temporal?.depends_on).toHaveProperty('temporal-schema');
    expect(services.worker?.depends_on).toEqual({
      'temporal-setup': { condition: 'service_completed_successfully' },
      'sim-cloud': { condition: 'service_healthy' },
    });
    expect(services.api?.depends_on).toHaveProperty('temporal-setup');
  });

  it('probes each Passerelle service on the port its environment gives it', () => {
    const probes = { worker: 'WORKER_METRICS_PORT', api: 'API_PORT', 'sim-cloud': 'SIM_CLOUD_PORT' };
    for (const [name, variable] of Object.entries(probes)) {
      const port = environmentOf(name)[variable];
      expect(port).toMatch(/^\d+$/);
      expect(services[name]?.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${port}/`);
    }
    expect(services.api?.healthcheck?.test.join(' ')).toContain('/readyz');
  });

  it('gives the worker and the API only variables that the configuration knows, and a configuration that loads in production', () => {
    const known = Object.keys(environmentSchema.shape);
    for (const name of ['worker', 'api']) {
      const environment = environmentOf(name);
      expect(Object.keys(environment).filter((key) => !known.includes(key))).toEqual([]);
      const config = loadConfig(environment);
      expect(config.nodeEnv).toBe('production');
      expect(config.temporal).toMatchObject({ address: 'temporal:7233', namespace: 'default', taskQueue: 'passerelle', tls: false });
      expect(config.simCloud.url).toBe('http://sim-cloud:4010');
    }
    expect(loadConfig(environmentOf('api')).api).toMatchObject({ host: '0.0.0.0', port: 3000 });
    // A cache sized from the memory budget keeps a worker's memory flat however many runs wait (bench/RESULTS.md, memory).
    expect(loadConfig(environmentOf('worker')).worker).toMatchObject({ memoryBudgetMiB: 600, maxCachedWorkflows: cachedWorkflowsForBudget(600) });
  });

  it('points the worker and the API at another cluster, with TLS and an API key, from the variables alone', () => {
    const remote = { ...OPERATOR_ENVIRONMENT, TEMPORAL_ADDRESS: 'passerelle.a1b2c.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'passerelle.a1b2c', TEMPORAL_TLS: 'true', TEMPORAL_API_KEY: 'secret-key' };
    const config = loadConfig(environmentOf('worker', remote));
    expect(config.temporal).toMatchObject({ address: remote.TEMPORAL_ADDRESS, namespace: remote.TEMPORAL_NAMESPACE, tls: true, apiKey: 'secret-key' });
  });

  it('refuses to start without the codec keys and the OIDC issuer, naming the variable', () => {
    expect(() => environmentOf('worker', {})).toThrow(/PASSERELLE_CODEC_KEYS is required/);
    expect(() => environmentOf('api', { PASSERELLE_CODEC_KEYS: 'k1:x' })).toThrow(/AUTH_ISSUER is required/);
  });

  it('gives sim-cloud a configuration it accepts, listening for the other containers', () => {
    const config = loadSimCloudConfig(environmentOf('sim-cloud'));
    expect(config).toMatchObject({ host: '0.0.0.0', port: 4010, dataFile: '/data/sim-cloud.db' });
  });

  it('registers the search attributes that the workflows set, with the same types', () => {
    const script = (services['temporal-setup']?.command as string[]).join('\n');
    const registered = [...script.matchAll(/--name (\w+) --type (\w+)/g)].map(([, name, type]) => ({ name, cliType: type }));
    expect(registered).toEqual(SEARCH_ATTRIBUTE_REGISTRATIONS.map(({ name, cliType }) => ({ name, cliType })));
  });

  it('creates the visibility database and brings both schemas up to date before the server starts', () => {
    expect(compose.configs?.['postgresql-visibility-database']?.content).toMatch(/CREATE DATABASE temporal_visibility/);
    const script = (services['temporal-schema']?.command as string[]).join('\n');
    for (const database of ['temporal', 'temporal_visibility']) {
      expect(script).toContain(`--db ${database} setup-schema -v 0.0`);
      expect(script).toMatch(new RegExp(`--db ${database} update-schema -d /etc/temporal/schema/postgresql/v12/`));
    }
  });
});

/** The Helm chart's values and the templates of its two Deployments, read as text (rendering them is `npm run helm:check`'s). */
const CHART = path.join(ROOT, 'deploy', 'helm', 'passerelle');
const chartValues = parse(readFileSync(path.join(CHART, 'values.yaml'), 'utf8')) as {
  worker: { metricsPort: number; shutdownGraceSeconds: number; memoryBudgetMiB: number; maxCachedWorkflows: number | null };
  api: { port: number };
  oidc: { algorithms: string };
};
const template = (name: string) => readFileSync(path.join(CHART, 'templates', name), 'utf8');
const chartEnvironment = (deployment: string) => [...`${template('_helpers.tpl')}\n${template(deployment)}`.matchAll(/- name: ([A-Z][A-Z0-9_]+)/g)].map(([, name]) => name!);
/** The httpGet path of a probe of a Deployment template. */
const probePath = (deployment: string, probe: 'livenessProbe' | 'readinessProbe' | 'startupProbe') =>
  new RegExp(`${probe}:\\s+httpGet:\\s+path: (\\S+)`).exec(template(deployment))?.[1];

describe('docker-compose.yml and the Helm chart', () => {
  it('give the worker and the API the same variables: every one compose sets, the chart sets too, and the configuration knows them all', () => {
    const known = Object.keys(environmentSchema.shape);
    for (const [name, deployment] of [['worker', 'worker-deployment.yaml'], ['api', 'api-deployment.yaml']] as const) {
      const chart = chartEnvironment(deployment);
      expect(chart.filter((variable) => !known.includes(variable))).toEqual([]);
      expect(Object.keys(services[name]?.environment ?? {}).filter((variable) => !chart.includes(variable))).toEqual([]);
    }
  });

  it('serve on the same ports, probe the same paths, and drain for the same time', () => {
    expect(Number(environmentOf('worker').WORKER_METRICS_PORT)).toBe(chartValues.worker.metricsPort);
    expect(Number(environmentOf('api').API_PORT)).toBe(chartValues.api.port);
    expect([probePath('worker-deployment.yaml', 'livenessProbe'), probePath('worker-deployment.yaml', 'readinessProbe')]).toEqual(['/healthz', '/readyz']);
    expect([probePath('api-deployment.yaml', 'livenessProbe'), probePath('api-deployment.yaml', 'readinessProbe')]).toEqual(['/healthz', '/readyz']);
    expect(services.worker?.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${chartValues.worker.metricsPort}/readyz`);
    expect(services.api?.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${chartValues.api.port}/readyz`);

    expect(environmentOf('worker').WORKER_SHUTDOWN_GRACE).toBe(`${chartValues.worker.shutdownGraceSeconds}s`);
    const margin = Number(/terminationGracePeriodSeconds: \{\{ add \.Values\.worker\.shutdownGraceSeconds (\d+) \}\}/.exec(template('worker-deployment.yaml'))?.[1]);
    expect((services.worker as { stop_grace_period?: string }).stop_grace_period).toBe(`${chartValues.worker.shutdownGraceSeconds + margin}s`);
    expect(Number(environmentOf('worker').WORKER_MEMORY_BUDGET)).toBe(chartValues.worker.memoryBudgetMiB);
    expect(environmentOf('worker').WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
  });

  it('take the codec keys and Temporal API key as secrets and require the OIDC issuer, audience and keys, with the same algorithms', () => {
    const helpers = template('_helpers.tpl');
    for (const secret of ['PASSERELLE_CODEC_KEYS', 'TEMPORAL_API_KEY']) expect(helpers).toMatch(new RegExp(`- name: ${secret}\\n\\s+valueFrom:\\n\\s+secretKeyRef:`));
    for (const [variable, value] of [['AUTH_ISSUER', 'oidc.issuer'], ['AUTH_AUDIENCE', 'oidc.audience'], ['AUTH_JWKS_URL', 'oidc.jwksUrl']] as const) {
      expect(helpers).toMatch(new RegExp(`- name: ${variable}\\n\\s+value: \\{\\{ required "${value.replace('.', '\\.')} is required"`));
      expect(String(services.worker?.environment?.[variable])).toMatch(new RegExp(`^\\$\\{${variable}:\\?`));
    }
    expect(String(services.worker?.environment?.PASSERELLE_CODEC_KEYS)).toMatch(/^\$\{PASSERELLE_CODEC_KEYS:\?/);
    expect(helpers).toMatch(/- name: AUTH_MODE\n\s+value: oidc/);
    expect(environmentOf('worker')).toMatchObject({ AUTH_MODE: 'oidc', AUTH_ALGORITHMS: chartValues.oidc.algorithms });
  });
});
