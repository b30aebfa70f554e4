import { randomBytes } from 'node:crypto';
import { ConfigurationError, loadConfig } from '../../config/env';
import { CACHED_RUN_FOOTPRINT_MIB, cachedWorkflowsForBudget, DEFAULT_MEMORY_BUDGET_MIB, expectedPeakMiB, MIN_CACHED_WORKFLOWS, WORKER_BASE_FOOTPRINT_MIB } from '../../config/worker-cache';

const productionOidc = {
  NODE_ENV: 'production',
  AUTH_ISSUER: 'https://idp.example.test',
  AUTH_AUDIENCE: 'passerelle-api',
  AUTH_JWKS_URL: 'https://idp.example.test/certs',
};

function failure(source: NodeJS.ProcessEnv): string {
  try {
    loadConfig(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('configuration of payload encryption and the API', () => {
  it('requires PASSERELLE_CODEC_KEYS in production', () => {
    expect(failure(productionOidc)).toMatch(/PASSERELLE_CODEC_KEYS: required in production/);
    const key = `k1:${randomBytes(32).toString('base64')}`;
    expect(loadConfig({ ...productionOidc, PASSERELLE_CODEC_KEYS: key }).codec.keys).toBe(key);
  });

  it('names a wrong key list without printing any key', () => {
    const short = randomBytes(16).toString('base64');
    const message = failure({ PASSERELLE_CODEC_KEYS: `k1:${short}` });
    expect(message).toMatch(/PASSERELLE_CODEC_KEYS: key k1: must be 32 bytes/);
    expect(message).not.toContain(short);
  });

  it('lets the Temporal Web UI of npm start call the codec endpoint by default', () => {
    expect(loadConfig({ TEMPORAL_UI_PORT: '8233' }).codec.uiOrigins).toEqual(['http://127.0.0.1:8233', 'http://localhost:8233']);
    expect(loadConfig({ CODEC_CORS_ORIGINS: 'https://temporal.example.test, https://ui.example.test' }).codec.uiOrigins).toEqual([
      'https://temporal.example.test',
      'https://ui.example.test',
    ]);
  });

  it('refuses symmetric and unsigned algorithms from an OIDC issuer', () => {
    const key = `k1:${randomBytes(32).toString('base64')}`;
    expect(failure({ ...productionOidc, PASSERELLE_CODEC_KEYS: key, AUTH_ALGORITHMS: 'RS256,HS256' })).toMatch(/AUTH_ALGORITHMS/);
    expect(failure({ ...productionOidc, PASSERELLE_CODEC_KEYS: key, AUTH_ALGORITHMS: 'none' })).toMatch(/AUTH_ALGORITHMS/);
  });

  it('reads the worker metrics address, and turns it off with port 0', () => {
    expect(loadConfig({}).workerMetrics.bindAddress).toBe('127.0.0.1:9464');
    expect(loadConfig({ WORKER_METRICS_PORT: '0' }).workerMetrics.bindAddress).toBeUndefined();
  });

  it("sizes the worker's cache from its memory budget unless WORKER_MAX_CACHED_WORKFLOWS says", () => {
    // A whole number of MiB between 100 and 101 runs' worth, as WORKER_MEMORY_BUDGET takes it.
    const budget = Math.round(WORKER_BASE_FOOTPRINT_MIB + 100.5 * CACHED_RUN_FOOTPRINT_MIB);
    expect(cachedWorkflowsForBudget(budget)).toBe(100);
    expect(cachedWorkflowsForBudget(budget - CACHED_RUN_FOOTPRINT_MIB)).toBe(99);
    expect(cachedWorkflowsForBudget(64)).toBe(MIN_CACHED_WORKFLOWS);
    // The default budget is what the floor cache needs at its peak: no less than the floor.
    expect(cachedWorkflowsForBudget(400)).toBe(MIN_CACHED_WORKFLOWS);
    expect(cachedWorkflowsForBudget(DEFAULT_MEMORY_BUDGET_MIB)).toBe(MIN_CACHED_WORKFLOWS);
    expect(expectedPeakMiB(MIN_CACHED_WORKFLOWS)).toBeLessThanOrEqual(DEFAULT_MEMORY_BUDGET_MIB);
    expect(expectedPeakMiB(cachedWorkflowsForBudget(budget))).toBeLessThanOrEqual(budget);
    expect(loadConfig({ WORKER_MEMORY_BUDGET: String(budget) }).worker).toMatchObject({ maxCachedWorkflows: 100, memoryBudgetMiB: budget });
    expect(loadConfig({}).worker).toMatchObject({ maxCachedWorkflows: MIN_CACHED_WORKFLOWS, memoryBudgetMiB: DEFAULT_MEMORY_BUDGET_MIB });
    expect(loadConfig({ WORKER_MEMORY_BUDGET: '2048', WORKER_MAX_CACHED_WORKFLOWS: '7' }).worker.maxCachedWorkflows).toBe(7);
    expect(failure({ WORKER_MEMORY_BUDGET: '1.5GiB' })).toContain('WORKER_MEMORY_BUDGET');
    expect(failure({ WORKER_MEMORY_BUDGET: '32' })).toContain('must be at least 64 (MiB)');
    expect(() => cachedWorkflowsForBudget(Number.NaN)).toThrow('positive number of MiB');
  });

  it('reads the live progress intervals and the rate limits', () => {
    const config = loadConfig({ API_EVENTS_POLL_INTERVAL: '250ms', API_EVENTS_HEARTBEAT_INTERVAL: '5s', API_RATE_LIMIT: '60', API_AUTH_FAILURE_LIMIT: '5' });
    expect(config.api).toMatchObject({ events: { pollIntervalMs: 250, heartbeatIntervalMs: 5000 }, rateLimitPerMinute: 60, authFailureLimit: 5 });
  });
});

describe('configuration of the landing zones provider (Azure Resource Manager)', () => {
  const real = {
    PROVIDER_ARM_ENDPOINT: 'https://management.azure.com/',
    PROVIDER_TENANT_ID: 'tenant-1',
    PROVIDER_CLIENT_ID: 'client-1',
    PROVIDER_CLIENT_SECRET: 'secret-1',
    PROVIDER_SUBSCRIPTION_ID: 'sub-1',
    PROVIDER_BILLING_SCOPE: '/billingAccounts/acc-1/enrollmentAccounts/ea-1',
  };

  it("provisions through sim-cloud's ARM endpoint and development directory by default, trusting its certificate", () => {
    const provider = loadConfig({ PASSERELLE_DATA_DIR: '/tmp/passerelle-data', SIM_CLOUD_ARM_PORT: '4443' }).provider;
    expect(provider).toMatchObject({
      simCloud: true,
      endpoint: 'https://127.0.0.1:4443',
      authorityHost: 'https://127.0.0.1:4443',
      region: 'francecentral',
      caFile: '/tmp/passerelle-data/sim-cloud-tls/cert.pem',
      zoneSubscriptions: { billingScope: '/billingAccounts/sim-cloud/enrollmentAccounts/passerelle' },
    });
    expect(loadConfig({ PROVIDER_ZONE_SUBSCRIPTIONS: 'single' }).provider.zoneSubscriptions).toBeUndefined();
  });

  it('goes to a real endpoint by configuration alone, with Entra ID as the default authority', () => {
    expect(loadConfig({ ...real, PROVIDER_REGION: 'francesouth', PROVIDER_ARM_POLL_INTERVAL: '500ms', PROVIDER_ARM_MAX_RETRIES: '5' }).provider).toEqual({
      simCloud: false,
      endpoint: 'https://management.azure.com',
      audience: 'https://management.azure.com',
      authorityHost: 'https://login.microsoftonline.com',
      tenantId: 'tenant-1',
      clientId: 'client-1',
      credential: { clientSecret: 'secret-1' },
      subscriptionId: 'sub-1',
      zoneSubscriptions: { billingScope: '/billingAccounts/acc-1/enrollmentAccounts/ea-1' },
      region: 'francesouth',
      parentManagementGroupId: undefined,
      logWorkspaceResourceGroup: 'rg-passerelle-logs',
      caFile: undefined,
      maxRetries: 5,
      pollIntervalMs: 500,
    });
    const { PROVIDER_CLIENT_SECRET: _secret, ...withoutSecret } = real;
    expect(loadConfig({ ...withoutSecret, PROVIDER_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token' }).provider.credential).toEqual({
      federatedTokenFile: '/var/run/secrets/azure/tokens/azure-identity-token',
    });
  });

  it('names every missing or wrong provider variable', () => {
    expect(failure({ PROVIDER_ARM_ENDPOINT: 'https://management.azure.com' })).toMatch(
      /PROVIDER_TENANT_ID: required[\s\S]*PROVIDER_CLIENT_ID: required[\s\S]*PROVIDER_SUBSCRIPTION_ID: required[\s\S]*PROVIDER_CLIENT_SECRET: set it, or PROVIDER_FEDERATED_TOKEN_FILE/,
    );
    expect(failure({ ...real, PROVIDER_FEDERATED_TOKEN_FILE: '/token' })).toMatch(/exactly one of the two/);
    const { PROVIDER_BILLING_SCOPE: _scope, ...withoutBilling } = real;
    expect(failure(withoutBilling)).toMatch(/PROVIDER_BILLING_SCOPE: required for a subscription per landing zone[\s\S]*PROVIDER_ZONE_SUBSCRIPTIONS=single/);
    expect(loadConfig({ ...withoutBilling, PROVIDER_ZONE_SUBSCRIPTIONS: 'single' }).provider.zoneSubscriptions).toBeUndefined();
    expect(failure({ ...real, PROVIDER_ZONE_SUBSCRIPTIONS: 'one' })).toMatch(/PROVIDER_ZONE_SUBSCRIPTIONS: must be per-zone or single/);
    expect(failure({ ...real, PROVIDER_ARM_ENDPOINT: 'http://management.azure.com' })).toMatch(/PROVIDER_ARM_ENDPOINT: must be an https URL/);
    expect(failure({ ...real, PROVIDER_REGION: 'westeurope' })).toMatch(/PROVIDER_REGION: must be francecentral or francesouth/);
  });
});
