import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CodecKeyError, parseCodecKeys } from '../codec/payload-codec';
import { dashboardDirFrom } from './paths';
import { DEFAULT_DEPLOYMENT_NAME, VERSION_PART_PATTERN } from './worker-version';
import { SIM_CLOUD_DIRECTORY, SIM_CLOUD_TLS_FOLDER } from './sim-cloud-directory';
import type { RunTuning } from '../domain/run-tuning';
import { cachedWorkflowsForBudget, DEFAULT_MEMORY_BUDGET_MIB } from './worker-cache';

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();
const duration = z.string().regex(/^\d+(ms|s|m)$/, 'must be a duration such as 10s or 500ms');
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * Every setting Passerelle reads from the environment. Defaults make `npm start` work on a
 * laptop; production overrides them. The schema is the documentation: the README's table
 * mirrors it.
 */
export const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PASSERELLE_DATA_DIR: z.string().min(1).default('.data'),

  TEMPORAL_ADDRESS: optionalText,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('passerelle'),
  TEMPORAL_TLS: booleanFlag.default(false),
  TEMPORAL_API_KEY: optionalText,
  // Mutual TLS to a Temporal cluster: PEM files (a Kubernetes Secret mounted read-only, for example).
  TEMPORAL_TLS_CA_FILE: optionalText,
  TEMPORAL_TLS_CERT_FILE: optionalText,
  TEMPORAL_TLS_KEY_FILE: optionalText,
  TEMPORAL_TLS_SERVER_NAME: optionalText,
  TEMPORAL_CLI_PATH: optionalText,
  TEMPORAL_HOST: z.string().min(1).default('127.0.0.1'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),

  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  API_PUBLIC_URL: z.url().optional(),
  API_RATE_LIMIT: z.coerce.number().int().min(1).default(1200),
  API_AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(30),
  API_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  API_EVENTS_POLL_INTERVAL: duration.default('1s'),
  API_EVENTS_HEARTBEAT_INTERVAL: duration.default('15s'),
  API_EVENTS_MAX_STREAMS: z.coerce.number().int().min(1).default(8),

  SIM_CLOUD_HOST: z.string().min(1).default('127.0.0.1'),
  SIM_CLOUD_PORT: port.default(4010),
  SIM_CLOUD_URL: z.url().optional(),
  SIM_CLOUD_SPEEDUP: z.coerce.number().positive().default(3000),
  SIM_CLOUD_ARM_PORT: port.default(4011),

  // The landing zones' control plane, Azure Resource Manager. Unset: sim-cloud's ARM endpoint and directory.
  PROVIDER_ARM_ENDPOINT: z.url({ protocol: /^https$/, error: 'must be an https URL (Azure Resource Manager only speaks HTTPS)' }).optional(),
  PROVIDER_ARM_AUDIENCE: z.url().optional(),
  PROVIDER_AUTHORITY_HOST: z.url({ protocol: /^https$/, error: 'must be an https URL (Entra ID only speaks HTTPS)' }).optional(),
  PROVIDER_TENANT_ID: optionalText,
  PROVIDER_CLIENT_ID: optionalText,
  PROVIDER_CLIENT_SECRET: optionalText,
  PROVIDER_FEDERATED_TOKEN_FILE: optionalText,
  PROVIDER_SUBSCRIPTION_ID: optionalText,
  PROVIDER_ZONE_SUBSCRIPTIONS: z.enum(['per-zone', 'single'], { error: 'must be per-zone or single' }).default('per-zone'),
  PROVIDER_BILLING_SCOPE: optionalText,
  PROVIDER_REGION: z.enum(['francecentral', 'francesouth'], { error: 'must be francecentral or francesouth' }).default('francecentral'),
  PROVIDER_PARENT_MANAGEMENT_GROUP: optionalText,
  PROVIDER_LOG_WORKSPACE_RESOURCE_GROUP: z.string().min(1).default('rg-passerelle-logs'),
  PROVIDER_CA_FILE: optionalText,
  // The Azure SDK's own policies: unset keeps its retries (3) and reads a long-running operation quickly first, then as
  // ARM's Retry-After says, else every 2 s (activities/provider/arm/polling.ts); a poll interval set here is used throughout.
  PROVIDER_ARM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).optional(),
  PROVIDER_ARM_POLL_INTERVAL: duration.optional(),

  AUTH_MODE: z.enum(['dev', 'oidc']).optional(),
  AUTH_DEV_SECRET: optionalText,
  AUTH_ISSUER: optionalText,
  AUTH_AUDIENCE: optionalText,
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_ALGORITHMS: z.string().default('RS256,ES256'),
  AUTH_MAX_TOKEN_LIFETIME: z.string().regex(/^\d+(s|m|h)$/, 'must be a duration such as 1h or 90m').default('12h'),
  AUTH_CLOCK_SKEW: z
    .string()
    .regex(/^\d+(s|m)$/, 'must be a duration such as 30s')
    .refine((value) => durationMs(value) <= 5 * 60_000, 'must be at most 5m: a larger skew keeps expired tokens valid')
    .default('30s'),

  // Payload encryption: never in the repository; `npm start` generates a development key under the data directory.
  PASSERELLE_CODEC_KEYS: optionalText,
  CODEC_CORS_ORIGINS: optionalText,
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  WORKER_METRICS_PORT: port.default(9464),

  WORKFLOW_BUNDLE_PATH: optionalText,
  // Worker Versioning (README, "Upgrades"): the deployment the worker polls as a version of, its
  // build id (default: the package version and a hash of the workflow bundle), and whether the
  // worker makes its version current once it polls.
  WORKER_VERSIONING: booleanFlag.default(true),
  PASSERELLE_DEPLOYMENT_NAME: z.string().regex(VERSION_PART_PATTERN, 'must be letters, digits, _, + or - (no . nor :), at most 255').default(DEFAULT_DEPLOYMENT_NAME),
  PASSERELLE_BUILD_ID: z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(z.string().regex(VERSION_PART_PATTERN, 'must be letters, digits, _, + or - (no . nor :), at most 255').optional())
    .optional(),
  WORKER_PROMOTE_ON_START: booleanFlag.default(true),
  DASHBOARD_DIR: optionalText,
  NOTIFY_WEBHOOK_URL: z.url().optional(),
  WORKER_SHUTDOWN_GRACE: z.string().regex(/^\d+(ms|s|m)$/, 'must be a duration such as 10s or 500ms').default('10s'),

  // Worker tuning (bench/RESULTS.md measures their effect); unset keeps the SDK's defaults.
  // The worker's memory budget in MiB; the sticky cache is sized from it (config/worker-cache.ts) unless WORKER_MAX_CACHED_WORKFLOWS says.
  WORKER_MEMORY_BUDGET: z.coerce.number().int('must be a whole number of MiB').min(64, 'must be at least 64 (MiB)').default(DEFAULT_MEMORY_BUDGET_MIB),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).optional(),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).optional(),
  WORKER_REPLICATION_POLL_INTERVAL: duration.default('1s'),

  // Step retries and timeouts of new runs (RunTuning), read by the API; unset keeps the workflow's defaults.
  PASSERELLE_STEP_MAX_ATTEMPTS: z.coerce.number().int().min(1).optional(),
  PASSERELLE_RETRY_INITIAL_INTERVAL: duration.optional(),
  PASSERELLE_RETRY_MAXIMUM_INTERVAL: duration.optional(),
  PASSERELLE_STEP_TIMEOUT: duration.optional(),
  PASSERELLE_HEARTBEAT_TIMEOUT: duration.optional(),
  PASSERELLE_PROGRESS_INTERVAL: duration.optional(),
});

export type Environment = z.infer<typeof environmentSchema>;

/** The settings as the processes use them, derived once from the environment. */
export interface Config {
  env: Environment;
  nodeEnv: Environment['NODE_ENV'];
  dataDir: string;
  temporal: {
    /** Where the worker and API connect; the embedded dev server's address when none is set. */
    address: string;
    /** True when TEMPORAL_ADDRESS points at a server that `npm start` must not start. */
    external: boolean;
    namespace: string;
    taskQueue: string;
    tls: boolean;
    /** Certificates read from TEMPORAL_TLS_*_FILE and the server name to verify; present only when set. */
    tlsFiles?: { serverRootCACertificate?: Buffer; clientCertPair?: { crt: Buffer; key: Buffer }; serverNameOverride?: string };
    apiKey?: string;
    host: string;
    port: number;
    uiPort: number;
  };
  api: {
    host: string;
    port: number;
    publicUrl: string;
    /** Requests per minute and client address under /v1 and /codec. */
    rateLimitPerMinute: number;
    /** Failed authentications (401) per 15 minutes and client address before every request of it is refused. */
    authFailureLimit: number;
    /** Reverse proxies in front of the API whose X-Forwarded-For is believed (0: none). */
    trustedProxyHops: number;
    /** Live progress (Server-Sent Events): how often a run is read, and how often an idle stream says it is alive. */
    events: { pollIntervalMs: number; heartbeatIntervalMs: number };
    /** The built dashboard the API serves at `/` (DASHBOARD_DIR, or dist/dashboard). */
    dashboardDir: string;
    /** Event streams one caller (token subject) may hold open at once on one replica. */
    maxStreamsPerCaller: number;
  };
  /** Payload encryption: the raw key list (absent: development keys) and the Web UI origins the codec endpoint answers. */
  codec: { keys?: string; uiOrigins: string[] };
  /** Where the worker serves the Temporal SDK's Prometheus metrics; absent when WORKER_METRICS_PORT is 0. */
  workerMetrics: { bindAddress?: string };
  simCloud: { host: string; port: number; url: string; speedup: number; armPort: number };
  /** The landing zones' control plane: a real ARM endpoint, or sim-cloud's (the default). */
  provider: ProviderConfig;
  /** Worker options from WORKER_*; undefined ones keep the SDK's defaults, the cache comes from the memory budget unless set. */
  worker: {
    maxCachedWorkflows: number;
    memoryBudgetMiB: number;
    maxConcurrentActivityTaskExecutions?: number;
    maxConcurrentWorkflowTaskExecutions?: number;
    replicationPollMs: number;
    /** Worker Versioning: absent when WORKER_VERSIONING is false (an unversioned worker). */
    versioning?: { deploymentName: string; buildId?: string; promoteOnStart: boolean };
  };
  /** Step retries and timeouts the API gives new runs, from PASSERELLE_*; empty keeps the workflow's defaults. */
  runTuning: Partial<RunTuning>;
  auth: (
    | { mode: 'dev'; secret?: string }
    | { mode: 'oidc'; issuer: string; audience: string; jwksUrl: string; algorithms: string[] }
  ) & {
    /** Tokens must expire (`exp`) within this many seconds of their issue; clocks may disagree by `clockSkewSeconds`. */
    tokenPolicy: { maxLifetimeSeconds: number; clockSkewSeconds: number };
  };
}

/** Reads the TLS files that TEMPORAL_TLS_*_FILE name; a missing file or half a client pair names the variable. */
function readTemporalTlsFiles(env: Environment): Config['temporal']['tlsFiles'] {
  const read = (variable: 'TEMPORAL_TLS_CA_FILE' | 'TEMPORAL_TLS_CERT_FILE' | 'TEMPORAL_TLS_KEY_FILE'): Buffer | undefined => {
    const file = env[variable];
    if (file === undefined) return undefined;
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ConfigurationError(`Invalid configuration:\n  ${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  if ((env.TEMPORAL_TLS_CERT_FILE === undefined) !== (env.TEMPORAL_TLS_KEY_FILE === undefined)) {
    throw new ConfigurationError('Invalid configuration:\n  TEMPORAL_TLS_CERT_FILE, TEMPORAL_TLS_KEY_FILE: a client certificate needs both');
  }
  const ca = read('TEMPORAL_TLS_CA_FILE');
  const crt = read('TEMPORAL_TLS_CERT_FILE');
  const key = read('TEMPORAL_TLS_KEY_FILE');
  if (ca === undefined && crt === undefined && env.TEMPORAL_TLS_SERVER_NAME === undefined) return undefined;
  return {
    ...(ca ? { serverRootCACertificate: ca } : {}),
    ...(crt && key ? { clientCertPair: { crt, key } } : {}),
    ...(env.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME } : {}),
  };
}

/** How the worker reaches Azure Resource Manager and proves who it is to Entra ID. */
export interface ProviderConfig {
  /** True when no PROVIDER_ARM_ENDPOINT is set and sim-cloud stands in for ARM. */
  simCloud: boolean;
  endpoint: string;
  audience: string;
  authorityHost: string;
  tenantId: string;
  clientId: string;
  /** An application secret, or a federated token file (workload identity). */
  credential: { clientSecret: string } | { federatedTokenFile: string };
  subscriptionId: string;
  /** A subscription per landing zone, created by alias under this billing scope; every zone in `subscriptionId` when absent. */
  zoneSubscriptions?: { billingScope: string };
  region: 'francecentral' | 'francesouth';
  /** The management group customers' groups go under; the directory's root group when unset. */
  parentManagementGroupId?: string;
  logWorkspaceResourceGroup: string;
  /** A PEM file of extra certificate authorities to trust (sim-cloud's self-signed certificate). */
  caFile?: string;
  /** Retries of the SDK's own policy, and the interval between polls of a long-running operation; undefined keeps the SDK's. */
  maxRetries?: number;
  pollIntervalMs?: number;
}

/** A configuration value that is missing or wrong; the message names the variable. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * Reads and validates the environment once. Throws a ConfigurationError that names every
 * offending variable, so that a process fails fast at start-up rather than at first use.
 */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const variable = issue.path.join('.');
      const value = source[variable];
      const shown = value === undefined ? '' : ` (got ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
      return `  ${variable}: ${issue.message}${shown}`;
    });
    throw new ConfigurationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const authMode = env.AUTH_MODE ?? (env.NODE_ENV === 'production' ? 'oidc' : 'dev');
  let auth: Config['auth'];
  const tokenPolicy = { maxLifetimeSeconds: durationMs(env.AUTH_MAX_TOKEN_LIFETIME) / 1000, clockSkewSeconds: durationMs(env.AUTH_CLOCK_SKEW) / 1000 };
  if (authMode === 'oidc') {
    const missing = (['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL'] as const).filter((name) => !env[name]);
    if (missing.length > 0) {
      throw new ConfigurationError(
        `Invalid configuration:\n${missing.map((name) => `  ${name}: required when AUTH_MODE is oidc (the default in production)`).join('\n')}`,
      );
    }
    const algorithms = env.AUTH_ALGORITHMS.split(',').map((value) => value.trim()).filter(Boolean);
    if (algorithms.some((algorithm) => algorithm.toLowerCase() === 'none' || algorithm.startsWith('HS'))) {
      throw new ConfigurationError('Invalid configuration:\n  AUTH_ALGORITHMS: only asymmetric algorithms are accepted from an OIDC issuer');
    }
    auth = { mode: 'oidc', issuer: env.AUTH_ISSUER!, audience: env.AUTH_AUDIENCE!, jwksUrl: env.AUTH_JWKS_URL!, algorithms, tokenPolicy };
  } else {
    if (env.NODE_ENV === 'production') {
      throw new ConfigurationError('Invalid configuration:\n  AUTH_MODE: dev tokens are refused in production; use oidc');
    }
    auth = { mode: 'dev', secret: env.AUTH_DEV_SECRET, tokenPolicy };
  }
  if (env.PASSERELLE_CODEC_KEYS !== undefined) {
    try {
      parseCodecKeys(env.PASSERELLE_CODEC_KEYS);
    } catch (error) {
      // The message of a CodecKeyError never quotes a key; anything else is not shown at all.
      const reason = error instanceof CodecKeyError ? error.message : 'cannot be read';
      throw new ConfigurationError(`Invalid configuration:\n  PASSERELLE_CODEC_KEYS: ${reason}`);
    }
  } else if (env.NODE_ENV === 'production') {
    throw new ConfigurationError(
      'Invalid configuration:\n  PASSERELLE_CODEC_KEYS: required in production (id:base64key of 32 bytes, current key first)',
    );
  }
  const external = env.TEMPORAL_ADDRESS !== undefined;
  const tlsFiles = readTemporalTlsFiles(env);
  const dataDir = path.resolve(env.PASSERELLE_DATA_DIR);
  return {
    env,
    nodeEnv: env.NODE_ENV,
    dataDir,
    temporal: {
      address: env.TEMPORAL_ADDRESS ?? `${env.TEMPORAL_HOST}:${env.TEMPORAL_PORT}`,
      external,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      tls: env.TEMPORAL_TLS || tlsFiles !== undefined,
      tlsFiles,
      apiKey: env.TEMPORAL_API_KEY,
      host: env.TEMPORAL_HOST,
      port: env.TEMPORAL_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
    },
    api: {
      host: env.API_HOST,
      port: env.API_PORT,
      publicUrl: env.API_PUBLIC_URL ?? `http://${displayHost(env.API_HOST)}:${env.API_PORT}`,
      rateLimitPerMinute: env.API_RATE_LIMIT,
      authFailureLimit: env.API_AUTH_FAILURE_LIMIT,
      trustedProxyHops: env.API_TRUST_PROXY,
      events: { pollIntervalMs: durationMs(env.API_EVENTS_POLL_INTERVAL), heartbeatIntervalMs: durationMs(env.API_EVENTS_HEARTBEAT_INTERVAL) },
      dashboardDir: dashboardDirFrom(env),
      maxStreamsPerCaller: env.API_EVENTS_MAX_STREAMS,
    },
    codec: {
      keys: env.PASSERELLE_CODEC_KEYS,
      uiOrigins: (env.CODEC_CORS_ORIGINS ?? `http://127.0.0.1:${env.TEMPORAL_UI_PORT},http://localhost:${env.TEMPORAL_UI_PORT}`)
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    },
    workerMetrics: { bindAddress: env.WORKER_METRICS_PORT === 0 ? undefined : `${env.WORKER_METRICS_HOST}:${env.WORKER_METRICS_PORT}` },
    simCloud: {
      host: env.SIM_CLOUD_HOST,
      port: env.SIM_CLOUD_PORT,
      url: env.SIM_CLOUD_URL ?? `http://${displayHost(env.SIM_CLOUD_HOST)}:${env.SIM_CLOUD_PORT}`,
      speedup: env.SIM_CLOUD_SPEEDUP,
      armPort: env.SIM_CLOUD_ARM_PORT,
    },
    provider: providerFrom(env, dataDir),
    worker: {
      maxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS ?? cachedWorkflowsForBudget(env.WORKER_MEMORY_BUDGET),
      memoryBudgetMiB: env.WORKER_MEMORY_BUDGET,
      maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
      maxConcurrentWorkflowTaskExecutions: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      replicationPollMs: durationMs(env.WORKER_REPLICATION_POLL_INTERVAL),
      ...(env.WORKER_VERSIONING
        ? { versioning: { deploymentName: env.PASSERELLE_DEPLOYMENT_NAME, ...(env.PASSERELLE_BUILD_ID ? { buildId: env.PASSERELLE_BUILD_ID } : {}), promoteOnStart: env.WORKER_PROMOTE_ON_START } }
        : {}),
    },
    runTuning: runTuningFrom(env),
    auth,
  };
}

/**
 * The ARM endpoint and identity: all of PROVIDER_* when PROVIDER_ARM_ENDPOINT is set (a real
 * or ARM-compatible cloud), sim-cloud's endpoint and development directory otherwise.
 */
function providerFrom(env: Environment, dataDir: string): ProviderConfig {
  const common = {
    region: env.PROVIDER_REGION,
    parentManagementGroupId: env.PROVIDER_PARENT_MANAGEMENT_GROUP,
    logWorkspaceResourceGroup: env.PROVIDER_LOG_WORKSPACE_RESOURCE_GROUP,
    maxRetries: env.PROVIDER_ARM_MAX_RETRIES,
    pollIntervalMs: env.PROVIDER_ARM_POLL_INTERVAL === undefined ? undefined : durationMs(env.PROVIDER_ARM_POLL_INTERVAL),
  };
  if (env.PROVIDER_ARM_ENDPOINT === undefined) {
    const endpoint = `https://${displayHost(env.SIM_CLOUD_HOST)}:${env.SIM_CLOUD_ARM_PORT}`;
    return {
      ...common,
      simCloud: true,
      endpoint,
      audience: endpoint,
      authorityHost: endpoint,
      tenantId: SIM_CLOUD_DIRECTORY.tenantId,
      clientId: SIM_CLOUD_DIRECTORY.clientId,
      credential: { clientSecret: SIM_CLOUD_DIRECTORY.clientSecret },
      subscriptionId: SIM_CLOUD_DIRECTORY.subscriptionIds[0] ?? '',
      ...(env.PROVIDER_ZONE_SUBSCRIPTIONS === 'per-zone' ? { zoneSubscriptions: { billingScope: env.PROVIDER_BILLING_SCOPE ?? SIM_CLOUD_DIRECTORY.billingScope } } : {}),
      caFile: env.PROVIDER_CA_FILE ?? path.join(dataDir, SIM_CLOUD_TLS_FOLDER, 'cert.pem'),
    };
  }
  const required = ['PROVIDER_TENANT_ID', 'PROVIDER_CLIENT_ID', 'PROVIDER_SUBSCRIPTION_ID'] as const;
  const problems = required.filter((name) => !env[name]).map((name) => `  ${name}: required when PROVIDER_ARM_ENDPOINT is set`);
  if (env.PROVIDER_ZONE_SUBSCRIPTIONS === 'per-zone' && !env.PROVIDER_BILLING_SCOPE) {
    problems.push('  PROVIDER_BILLING_SCOPE: required for a subscription per landing zone (PROVIDER_ZONE_SUBSCRIPTIONS=per-zone, the default); or set PROVIDER_ZONE_SUBSCRIPTIONS=single to put every landing zone in PROVIDER_SUBSCRIPTION_ID');
  }
  if (!env.PROVIDER_CLIENT_SECRET === !env.PROVIDER_FEDERATED_TOKEN_FILE) {
    problems.push('  PROVIDER_CLIENT_SECRET: set it, or PROVIDER_FEDERATED_TOKEN_FILE for workload identity (exactly one of the two)');
  }
  if (problems.length > 0) throw new ConfigurationError(`Invalid configuration:\n${problems.join('\n')}`);
  const endpoint = env.PROVIDER_ARM_ENDPOINT.replace(/\/+$/, '');
  return {
    ...common,
    simCloud: false,
    endpoint,
    audience: (env.PROVIDER_ARM_AUDIENCE ?? endpoint).replace(/\/+$/, ''),
    authorityHost: (env.PROVIDER_AUTHORITY_HOST ?? 'https://login.microsoftonline.com').replace(/\/+$/, ''),
    tenantId: env.PROVIDER_TENANT_ID!,
    clientId: env.PROVIDER_CLIENT_ID!,
    credential: env.PROVIDER_CLIENT_SECRET ? { clientSecret: env.PROVIDER_CLIENT_SECRET } : { federatedTokenFile: env.PROVIDER_FEDERATED_TOKEN_FILE! },
    subscriptionId: env.PROVIDER_SUBSCRIPTION_ID!,
    ...(env.PROVIDER_ZONE_SUBSCRIPTIONS === 'per-zone' ? { zoneSubscriptions: { billingScope: env.PROVIDER_BILLING_SCOPE! } } : {}),
    caFile: env.PROVIDER_CA_FILE,
  };
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a duration that the schema accepted (`500ms`, `10s`, `2m`, `12h`). */
function durationMs(value: string): number {
  const [, amount = '0', unit = 'ms'] = /^(\d+)(ms|s|m|h)$/.exec(value) ?? [];
  return Number(amount) * (UNIT_MS[unit] ?? 1);
}

function runTuningFrom(env: Environment): Partial<RunTuning> {
  const entries: [keyof RunTuning, string | number | undefined][] = [
    ['stepMaxAttempts', env.PASSERELLE_STEP_MAX_ATTEMPTS],
    ['retryInitialInterval', env.PASSERELLE_RETRY_INITIAL_INTERVAL],
    ['retryMaximumInterval', env.PASSERELLE_RETRY_MAXIMUM_INTERVAL],
    ['stepTimeout', env.PASSERELLE_STEP_TIMEOUT],
    ['heartbeatTimeout', env.PASSERELLE_HEARTBEAT_TIMEOUT],
    ['progressInterval', env.PASSERELLE_PROGRESS_INTERVAL],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}

function displayHost(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host;
}
