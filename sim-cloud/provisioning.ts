import type { z } from 'zod';
import type {
  KeyVault,
  LandingZone,
  LogForwarding,
  M365Tenant,
  PolicyAssignment,
  ProviderCredentials,
  Region,
  Tenant,
} from '../provider/types';
import { newResourceId, type Catalog } from './catalog';
import type { Clock } from './clock';
import { problems } from './problems';
import {
  FRENCH_REGIONS,
  type assignPolicyBody,
  type configureLogForwardingBody,
  type createKeyVaultBody,
  type createLandingZoneBody,
  type createM365TenantBody,
  type createTenantBody,
} from './schemas';
import type { SimCloudStore } from './store';

/** The provisioning operations of the control plane. */
export type Provisioning = ReturnType<typeof createProvisioning>;

const isFrenchRegion = (location: string): location is Region => (FRENCH_REGIONS as readonly string[]).includes(location);

const locationsOutsideFrance = (outside: string[]) =>
  problems.unprocessable(
    'location-outside-france',
    'Location outside France',
    `${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} not in France: the provider only hosts in ${FRENCH_REGIONS.join(' and ')}.`,
    { locations: outside },
  );

/** The locations as regions, or a 422 naming those outside France. */
function requireFrenchLocations(locations: string[]): Region[] {
  const outside = locations.filter((location) => !isFrenchRegion(location));
  if (outside.length > 0) throw locationsOutsideFrance(outside);
  return locations.filter(isFrenchRegion);
}

/** Tenants, landing zones, key vaults, policies, log forwarding and Microsoft 365 tenants. */
export function createProvisioning({ store, clock, catalog }: { store: SimCloudStore; clock: Clock; catalog: Catalog }) {
  const nowIso = () => new Date(clock.now()).toISOString();

  return {
    getQualifications(): ProviderCredentials {
      return store.readCredentials();
    },

    createTenant(body: z.infer<typeof createTenantBody>): Tenant {
      const tenant: Tenant = { id: newResourceId('tenant'), type: 'tenant', createdAt: nowIso(), ...body };
      store.insertResource(tenant, { tenantId: tenant.id, parentId: null });
      return tenant;
    },

    createLandingZone(tenantId: string, body: z.infer<typeof createLandingZoneBody>): LandingZone {
      catalog.requireResource('tenant', tenantId);
      // The provider cannot sell what it is not qualified for: the regulatory gate must wait first.
      const credentials = store.readCredentials();
      if (body.level !== 'STANDARD' && credentials.secnumcloud !== 'QUALIFIED') {
        throw problems.conflict(
          'provider-not-qualified',
          'Provider not SecNumCloud-qualified',
          `A ${body.level} landing zone needs a SecNumCloud qualification in force; the provider is at ${credentials.secnumcloud}.`,
          { secnumcloud: credentials.secnumcloud },
        );
      }
      if (body.hds && !credentials.hds) {
        throw problems.conflict(
          'provider-not-hds-certified',
          'Provider not HDS-certified',
          'An HDS landing zone needs the provider to hold an HDS certificate, which it does not.',
        );
      }
      const landingZone: LandingZone = { id: newResourceId('landing-zone'), type: 'landing-zone', createdAt: nowIso(), tenantId, ...body };
      store.insertResource(landingZone, { tenantId, parentId: tenantId });
      return landingZone;
    },

    createKeyVault(landingZoneId: string, body: z.infer<typeof createKeyVaultBody>): KeyVault {
      const landingZone = catalog.requireResource('landing-zone', landingZoneId);
      const location = body.location;
      if (!isFrenchRegion(location)) throw locationsOutsideFrance([location]);
      const keyVault: KeyVault = {
        id: newResourceId('key-vault'),
        type: 'key-vault',
        createdAt: nowIso(),
        tenantId: landingZone.tenantId,
        landingZoneId,
        name: body.name,
        location,
        keys: body.keys.map((key) => ({ name: key.name, kty: key.kty, location })),
      };
      store.insertResource(keyVault, { tenantId: landingZone.tenantId, parentId: landingZoneId });
      return keyVault;
    },

    assignPolicy(landingZoneId: string, body: z.infer<typeof assignPolicyBody>): PolicyAssignment {
      const landingZone = catalog.requireResource('landing-zone', landingZoneId);
      const allowedLocations = requireFrenchLocations([...new Set(body.allowedLocations)]);
      // SecNumCloud forbids exposing a qualified service on the public internet.
      if (body.allowPublicEndpoints && landingZone.level !== 'STANDARD') {
        throw problems.unprocessable(
          'public-endpoints-forbidden',
          'Public endpoints forbidden at this level',
          `Landing zone ${landingZoneId} is ${landingZone.level}: a policy there may not allow public endpoints.`,
          { level: landingZone.level },
        );
      }
      const assignment: PolicyAssignment = {
        id: newResourceId('policy-assignment'),
        type: 'policy-assignment',
        createdAt: nowIso(),
        tenantId: landingZone.tenantId,
        landingZoneId,
        name: body.name,
        allowedLocations,
        allowPublicEndpoints: body.allowPublicEndpoints,
      };
      store.insertResource(assignment, { tenantId: landingZone.tenantId, parentId: landingZoneId });
      return assignment;
    },

    configureLogForwarding(landingZoneId: string, body: z.infer<typeof configureLogForwardingBody>): LogForwarding {
      const landingZone = catalog.requireResource('landing-zone', landingZoneId);
      const forwarding: LogForwarding = {
        id: newResourceId('log-forwarding'),
        type: 'log-forwarding',
        createdAt: nowIso(),
        tenantId: landingZone.tenantId,
        landingZoneId,
        siemEndpoint: body.siemEndpoint,
        categories: [...new Set(body.categories)],
      };
      store.insertResource(forwarding, { tenantId: landingZone.tenantId, parentId: landingZoneId });
      return forwarding;
    },

    createM365Tenant(tenantId: string, body: z.infer<typeof createM365TenantBody>): M365Tenant {
      catalog.requireTenant(tenantId);
      const m365Tenant: M365Tenant = {
        id: newResourceId('m365-tenant'),
        type: 'm365-tenant',
        createdAt: nowIso(),
        tenantId,
        name: body.name,
        dataLocation: 'FR',
      };
      store.insertResource(m365Tenant, { tenantId, parentId: tenantId });
      return m365Tenant;
    },
  };
}
