import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();
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
  TEMPORAL_CLI_PATH: optionalText,
  TEMPORAL_HOST: z.string().min(1).default('127.0.0.1'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),

  API_HOST: z.string().min(1).default('127.0.0.1'),
  API_PORT: port.default(3000),
  API_PUBLIC_URL: z.url().optional(),

  SIM_CLOUD_HOST: z.string().min(1).default('127.0.0.1'),
  SIM_CLOUD_PORT: port.default(4010),
  SIM_CLOUD_URL: z.url().optional(),
  SIM_CLOUD_SPEEDUP: z.coerce.number().positive().default(1000),

  AUTH_MODE: z.enum(['dev', 'oidc']).optional(),
  AUTH_DEV_SECRET: optionalText,
  AUTH_ISSUER: optionalText,
  AUTH_AUDIENCE: optionalText,
  AUTH_JWKS_URL: z.url().optional(),
  AUTH_ALGORITHMS: z.string().default('RS256,ES256'),

  WORKFLOW_BUNDLE_PATH: optionalText,
  NOTIFY_WEBHOOK_URL: z.url().optional(),
  WORKER_SHUTDOWN_GRACE: z.string().regex(/^\d+(ms|s|m)$/, 'must be a duration such as 10s or 500ms').default('10s'),
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
    apiKey?: string;
    host: string;
    port: number;
    uiPort: number;
  };
  api: { host: string; port: number; publicUrl: string };
  simCloud: { host: string; port: number; url: string; speedup: number };
  auth:
    | { mode: 'dev'; secret?: string }
    | { mode: 'oidc'; issuer: string; audience: string; jwksUrl: string; algorithms: string[] };
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
    auth = { mode: 'oidc', issuer: env.AUTH_ISSUER!, audience: env.AUTH_AUDIENCE!, jwksUrl: env.AUTH_JWKS_URL!, algorithms };
  } else {
    if (env.NODE_ENV === 'production') {
      throw new ConfigurationError('Invalid configuration:\n  AUTH_MODE: dev tokens are refused in production; use oidc');
    }
    auth = { mode: 'dev', secret: env.AUTH_DEV_SECRET };
  }
  const external = env.TEMPORAL_ADDRESS !== undefined;
  return {
    env,
    nodeEnv: env.NODE_ENV,
    dataDir: path.resolve(env.PASSERELLE_DATA_DIR),
    temporal: {
      address: env.TEMPORAL_ADDRESS ?? `${env.TEMPORAL_HOST}:${env.TEMPORAL_PORT}`,
      external,
      namespace: env.TEMPORAL_NAMESPACE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      tls: env.TEMPORAL_TLS,
      apiKey: env.TEMPORAL_API_KEY,
      host: env.TEMPORAL_HOST,
      port: env.TEMPORAL_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
    },
    api: {
      host: env.API_HOST,
      port: env.API_PORT,
      publicUrl: env.API_PUBLIC_URL ?? `http://${displayHost(env.API_HOST)}:${env.API_PORT}`,
    },
    simCloud: {
      host: env.SIM_CLOUD_HOST,
      port: env.SIM_CLOUD_PORT,
      url: env.SIM_CLOUD_URL ?? `http://${displayHost(env.SIM_CLOUD_HOST)}:${env.SIM_CLOUD_PORT}`,
      speedup: env.SIM_CLOUD_SPEEDUP,
    },
    auth,
  };
}

function displayHost(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host;
}
