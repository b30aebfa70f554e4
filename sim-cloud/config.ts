import { z } from 'zod';
import type { ProviderCredentials } from '../provider/types';
import { SECNUMCLOUD_STATUSES } from './schemas';
import { SimCloudPortInUseError } from './server';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** An empty variable counts as unset, so that `SIM_CLOUD_PORT= npm run sim-cloud` keeps the default. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

const numberVariable = (message: string, isValid: (value: number) => boolean) =>
  z.coerce.number({ error: message }).refine(isValid, { error: message });

const PORT_MESSAGE = 'must be a port number from 0 to 65535';

/**
 * Parses `SIM_CLOUD_CREDENTIALS`: a SecNumCloud status, then `hds` if the provider is HDS
 * certified (`QUALIFIED,hds`, `J2`, `J1,hds`).
 */
export function parseCredentialsSpec(spec: string): Omit<ProviderCredentials, 'updatedAt'> | undefined {
  const [status, ...flags] = spec.split(',').map((part) => part.trim());
  const secnumcloud = SECNUMCLOUD_STATUSES.find((known) => known === status?.toUpperCase());
  if (!secnumcloud || flags.some((flag) => flag.toLowerCase() !== 'hds') || flags.length > 1) return undefined;
  return { secnumcloud, hds: flags.length === 1 };
}

const envSchema = z.object({
  SIM_CLOUD_PORT: z.preprocess(
    unsetIfEmpty,
    numberVariable(PORT_MESSAGE, (port) => Number.isInteger(port) && port >= 0 && port <= 65535).default(4010),
  ),
  SIM_CLOUD_ARM_PORT: z.preprocess(
    unsetIfEmpty,
    numberVariable(PORT_MESSAGE, (port) => Number.isInteger(port) && port >= 0 && port <= 65535).default(4011),
  ),
  SIM_CLOUD_HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  SIM_CLOUD_DATA: z.preprocess(unsetIfEmpty, z.string().default('.data/sim-cloud.db')),
  SIM_CLOUD_SPEEDUP: z.preprocess(
    unsetIfEmpty,
    numberVariable('must be a positive number (1 = real time)', (speedup) => speedup > 0).default(1),
  ),
  SIM_CLOUD_CREDENTIALS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .transform((spec, context) => {
        const credentials = parseCredentialsSpec(spec);
        if (!credentials) {
          context.addIssue({ code: 'custom', message: `must be a SecNumCloud status (${SECNUMCLOUD_STATUSES.join(', ')}), then ',hds' if HDS-certified` });
          return z.NEVER;
        }
        return credentials;
      })
      .optional(),
  ),
  SIM_CLOUD_REPLICATION_SPEED_FACTOR: z.preprocess(
    unsetIfEmpty,
    numberVariable('must be a positive number', (factor) => factor > 0).optional(),
  ),
  SIM_CLOUD_LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
});

/** sim-cloud's configuration, read once from the environment at start. */
export interface SimCloudConfig {
  port: number;
  /** The HTTPS port of the ARM routes and the Entra ID token endpoint. */
  armPort: number;
  host: string;
  dataFile: string;
  speedup: number;
  credentials: Omit<ProviderCredentials, 'updatedAt'> | undefined;
  replicationSpeedFactor: number | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
}

/** The environment was not usable; the message names each wrong variable and why. */
export class SimCloudConfigError extends Error {
  override readonly name = 'SimCloudConfigError';
}

/** Reads and validates sim-cloud's variables; throws a {@link SimCloudConfigError} naming each wrong one. */
export function loadSimCloudConfig(env: NodeJS.ProcessEnv): SimCloudConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0]);
      return `${variable}=${JSON.stringify(env[variable] ?? '')}: ${issue.message}`;
    });
    throw new SimCloudConfigError(`sim-cloud cannot start: ${reasons.join('; ')}`);
  }
  const values = parsed.data;
  return {
    port: values.SIM_CLOUD_PORT,
    armPort: values.SIM_CLOUD_ARM_PORT,
    host: values.SIM_CLOUD_HOST,
    dataFile: values.SIM_CLOUD_DATA,
    speedup: values.SIM_CLOUD_SPEEDUP,
    credentials: values.SIM_CLOUD_CREDENTIALS,
    replicationSpeedFactor: values.SIM_CLOUD_REPLICATION_SPEED_FACTOR,
    logLevel: values.SIM_CLOUD_LOG_LEVEL,
  };
}

/** A sentence for the operator about why sim-cloud did not start, naming the variable to change. */
export function describeStartupFailure(error: unknown): string {
  if (error instanceof SimCloudPortInUseError) {
    return `sim-cloud cannot start: ${error.message} (${error.variable}=${error.port}, SIM_CLOUD_HOST=${error.host}); stop what uses it or set ${error.variable} to a free port.`;
  }
  if (error instanceof SimCloudConfigError) return error.message;
  return `sim-cloud cannot start: ${error instanceof Error ? error.message : String(error)}`;
}
