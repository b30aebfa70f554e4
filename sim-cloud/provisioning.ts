import type { z } from 'zod';
import type { M365Tenant, M365TenantRelease, ProviderCredentials } from '../provider/types';
import { newResourceId, type Catalog } from './catalog';
import type { Clock } from './clock';
import type { createM365TenantBody, releaseM365TenantBody } from './schemas';
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

    /** The customer's Microsoft 365 tenant, found by name under its tenant or created, used by one more plan. */
    createM365Tenant(tenantId: string, body: z.infer<typeof createM365TenantBody>): M365Tenant {
      catalog.requireTenant(tenantId);
      return store.transaction(() => {
        const existing = store.listTenantResources('m365-tenant', tenantId).find((candidate) => candidate.name === body.name);
        if (existing) {
          const usedBy = existing.usedBy ?? [];
          const shared = usedBy.includes(body.usedBy) ? existing : { ...existing, usedBy: [...usedBy, body.usedBy] };
          store.replaceResource(shared);
          return shared;
        }
        const m365Tenant: M365Tenant = {
          id: newResourceId('m365-tenant'),
          type: 'm365-tenant',
          createdAt: nowIso(),
          tenantId,
          name: body.name,
          dataLocation: 'FR',
          usedBy: [body.usedBy],
        };
        store.insertResource(m365Tenant, { tenantId, parentId: tenantId });
        return m365Tenant;
      });
    },

    /** Gives back one plan's use of a Microsoft 365 tenant: deleted when no other plan uses it. */
    releaseM365Tenant(id: string, body: z.infer<typeof releaseM365TenantBody>): M365TenantRelease {
      return store.transaction(() => {
        const m365Tenant = store.findResource('m365-tenant', id);
        if (!m365Tenant) return { deleted: true, stillUsedBy: [] };
        const stillUsedBy = (m365Tenant.usedBy ?? []).filter((plan) => plan !== body.usedBy);
        if (stillUsedBy.length > 0) {
          store.replaceResource({ ...m365Tenant, usedBy: stillUsedBy });
          return { deleted: false, stillUsedBy };
        }
        store.deleteResourceTree(m365Tenant);
        return { deleted: true, stillUsedBy: [] };
      });
    },
  };
}
