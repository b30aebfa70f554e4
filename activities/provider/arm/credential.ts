import type { Agent } from 'node:https';
import type { TokenCredential } from '@azure/core-auth';
import { ClientSecretCredential, WorkloadIdentityCredential } from '@azure/identity';

/** How the worker proves who it is to Entra ID: an application secret, or a federated (workload identity) token file. */
export type ArmCredentialOptions = {
  tenantId: string;
  clientId: string;
  /** `https://login.microsoftonline.com` for Azure's public cloud; the sovereign cloud's or sim-cloud's otherwise. */
  authorityHost: string;
  /** Trusts a private certificate authority (sim-cloud's self-signed certificate). */
  agent?: Agent;
} & ({ clientSecret: string } | { federatedTokenFile: string });

const PUBLIC_AUTHORITY = 'https://login.microsoftonline.com';

/**
 * The Entra ID credential of the ARM adapter. Instance discovery is only meaningful for
 * Microsoft's public authority; any other authority (a sovereign cloud's, sim-cloud's) is taken
 * as given.
 */
export function createArmCredential(options: ArmCredentialOptions): TokenCredential {
  const authorityHost = options.authorityHost.replace(/\/+$/, '');
  const common = {
    authorityHost,
    disableInstanceDiscovery: authorityHost !== PUBLIC_AUTHORITY,
    ...(options.agent ? { agent: options.agent } : {}),
  };
  if ('clientSecret' in options) return new ClientSecretCredential(options.tenantId, options.clientId, options.clientSecret, common);
  return new WorkloadIdentityCredential({ ...common, tenantId: options.tenantId, clientId: options.clientId, tokenFilePath: options.federatedTokenFile });
}
