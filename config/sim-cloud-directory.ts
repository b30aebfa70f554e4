/**
 * The Entra ID directory, application and subscription that sim-cloud serves unless told
 * otherwise, and that Passerelle's configuration uses when no real ARM endpoint is set, so that
 * `npm start` provisions with no setup. Not secrets: they open nothing but a local stand-in.
 */
export const SIM_CLOUD_DIRECTORY = {
  tenantId: '5f1c7a2e-0b7d-4c1e-9a55-3e2b8d4f6a10',
  subscriptionIds: ['0b1f6471-1bf0-4dda-aec3-cb9272f09590'] as readonly string[],
  clientId: '3c9e2d1a-7f4b-4e8a-b6d2-1a5c9e7f3b20',
  clientSecret: 'sim-cloud-development-secret',
  /** The enrollment account under which landing zones' subscriptions are created (subscription aliases). */
  billingScope: '/billingAccounts/sim-cloud/enrollmentAccounts/passerelle',
} as const;

/** Where sim-cloud keeps its ARM endpoint's self-signed certificate, under its data folder. */
export const SIM_CLOUD_TLS_FOLDER = 'sim-cloud-tls';
