import type { z } from 'zod';
import type { M365Tenant, ProviderCredentials } from '../provider/types';
import { newResourceId, type Catalog } from './catalog';
import type { Clock } from './clock';
import type { createM365TenantBody } from './schemas';
import type { SimCloudStore } from './store';

/** The provisioning operations of the control plane. */
export type Provisioning = ReturnType<typeof createProvisioning>;

/**
 * What the migration service provisions itself: the Microsoft 365 tenant (tenants, landing zones
 * and what is in them are provisioned through sim-cloud's Azure Resource Manager, `arm/`).
 */
export function createProvisioning({ store, clock, catalog }: { store: SimCloudStore; clock: Clock; catalog: Catalog }) {
  const nowIso = () => new Date(clock.now()).toISOString();

  return {
    getQualifications(): ProviderCredentials {
      return store.readCredentials();
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
