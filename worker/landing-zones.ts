import { existsSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { createArmCredential, createArmLandingZoneProvider } from '../activities/provider/arm';
import type { ProviderConfig } from '../config/env';
import type { LandingZoneProvider } from '../provider';

/**
 * The landing-zone provider the worker uses, from configuration alone: sim-cloud's ARM routes
 * by default, a real Azure-compatible ARM endpoint when PROVIDER_ARM_ENDPOINT is set.
 */
export function createLandingZonesFromConfig(config: ProviderConfig): LandingZoneProvider {
  let agent: Agent | undefined;
  if (config.caFile) {
    if (!existsSync(config.caFile)) {
      throw new Error(
        config.simCloud
          ? `PROVIDER_CA_FILE=${config.caFile} does not exist: start sim-cloud first (it creates its certificate there), or point PROVIDER_CA_FILE at it.`
          : `PROVIDER_CA_FILE=${config.caFile} does not exist.`,
      );
    }
    agent = new Agent({ ca: readFileSync(config.caFile, 'utf8'), keepAlive: true });
  }
  const credential = createArmCredential({
    tenantId: config.tenantId,
    clientId: config.clientId,
    authorityHost: config.authorityHost,
    ...config.credential,
    ...(agent ? { agent } : {}),
  });
  return createArmLandingZoneProvider({
    endpoint: config.endpoint,
    audience: config.audience,
    credential,
    directoryTenantId: config.tenantId,
    subscriptionId: config.subscriptionId,
    ...(config.zoneSubscriptions ? { zoneSubscriptions: config.zoneSubscriptions } : {}),
    region: config.region,
    parentManagementGroupId: config.parentManagementGroupId,
    logWorkspaceResourceGroup: config.logWorkspaceResourceGroup,
    ...(config.pollIntervalMs === undefined ? {} : { pollIntervalMs: config.pollIntervalMs }),
    ...(config.maxRetries === undefined ? {} : { retry: { maxRetries: config.maxRetries } }),
    ...(agent ? { agent } : {}),
  });
}

/** What a running sim-cloud tells its clients about its ARM endpoint (sim-cloud/server.ts). */
export interface SimCloudArmEndpoint {
  armUrl: string;
  armCertificate: string;
  directory: { tenantId: string; clientId: string; clientSecret: string; subscriptionIds: readonly string[]; billingScope?: string };
}

/**
 * The landing-zone provider over an in-process sim-cloud (tests, scripts), polling long-running
 * operations and retrying throttled calls faster than Azure's defaults. Each landing zone gets
 * a subscription of its own (billed to the directory's billing scope) unless `singleSubscription`.
 */
export function createLandingZonesForSimCloud(
  simCloud: SimCloudArmEndpoint,
  options: { clientSecret?: string; federatedTokenFile?: string; maxRetries?: number; pollIntervalMs?: number; singleSubscription?: boolean } = {},
): LandingZoneProvider {
  const agent = new Agent({ ca: simCloud.armCertificate, keepAlive: true });
  const { directory } = simCloud;
  // Workload identity when a federated token file is given, the application's secret otherwise.
  const proof = options.federatedTokenFile ? { federatedTokenFile: options.federatedTokenFile } : { clientSecret: options.clientSecret ?? directory.clientSecret };
  return createArmLandingZoneProvider({
    endpoint: simCloud.armUrl,
    credential: createArmCredential({ tenantId: directory.tenantId, clientId: directory.clientId, authorityHost: simCloud.armUrl, agent, ...proof }),
    directoryTenantId: directory.tenantId,
    subscriptionId: directory.subscriptionIds[0] ?? '',
    ...(directory.billingScope && !options.singleSubscription ? { zoneSubscriptions: { billingScope: directory.billingScope } } : {}),
    region: 'francecentral',
    logWorkspaceResourceGroup: 'rg-customer-logs',
    pollIntervalMs: options.pollIntervalMs ?? 10,
    retry: { maxRetries: options.maxRetries ?? 3, retryDelayInMs: 10, maxRetryDelayInMs: 100 },
    agent,
  });
}
