import type { ProviderCredentials } from '../provider/types';
import type { Catalog, ResourceInventory } from './catalog';
import type { Clock } from './clock';
import { REPLICATION_SPEED_FACTOR_SETTING } from './cutover';
import type { SimCloudDatabase } from './database';
import type { ArmedFault, FaultInjector } from './faults';
import { isOperationName, OPERATION_NAMES, type ProviderRoute } from './operations';
import { problems } from './problems';
import type { ArmFaultInput } from './schemas';
import type { SimCloudStore } from './store';

/** sim-cloud's own settings, changed through PUT /admin/settings. */
export interface SimCloudSettings {
  /** Multiplies replication speed on top of SIM_CLOUD_SPEEDUP, for jobs started afterwards. */
  replicationSpeedFactor: number;
}

/** The test controls behind /admin. */
export type Administration = ReturnType<typeof createAdministration>;

/** Sets the provider's credentials; `updatedAt` moves only when they change, as the gate watches it. */
export function writeProviderCredentials(
  store: SimCloudStore,
  clock: Clock,
  next: Omit<ProviderCredentials, 'updatedAt'>,
): ProviderCredentials {
  const current = store.readCredentials();
  if (current.secnumcloud === next.secnumcloud && current.hds === next.hds) return current;
  const updated: ProviderCredentials = { ...next, updatedAt: new Date(clock.now()).toISOString() };
  store.writeCredentials(updated);
  return updated;
}

/** Sets sim-cloud's settings. */
export function writeSettings(store: SimCloudStore, settings: SimCloudSettings): SimCloudSettings {
  store.writeSetting(REPLICATION_SPEED_FACTOR_SETTING, String(settings.replicationSpeedFactor));
  return settings;
}

/** Test controls: operations, faults, credentials, settings, inventory and reset. */
export function createAdministration({
  db,
  store,
  clock,
  catalog,
  faults,
  routes,
}: {
  db: SimCloudDatabase;
  store: SimCloudStore;
  clock: Clock;
  catalog: Catalog;
  faults: FaultInjector;
  routes: ProviderRoute[];
}) {
  const readSettings = (): SimCloudSettings => ({
    replicationSpeedFactor: Number(store.readSetting(REPLICATION_SPEED_FACTOR_SETTING) ?? '1'),
  });

  return {
    listOperations(): { operations: { name: string; routes: string[] }[] } {
      return {
        operations: OPERATION_NAMES.map((name) => ({
          name,
          routes: routes.filter((route) => route.operation === name).map((route) => `${route.method} ${route.path}`),
        })),
      };
    },

    armFault(input: ArmFaultInput): ArmedFault {
      if (!isOperationName(input.operation)) {
        throw problems.unprocessable(
          'unknown-operation',
          'Unknown operation',
          `No operation is named '${input.operation}'; GET /admin/operations lists them.`,
          { operation: input.operation, knownOperations: OPERATION_NAMES },
        );
      }
      return faults.arm(input);
    },

    listFaults(): { faults: ArmedFault[] } {
      return { faults: faults.list() };
    },

    clearFaults(): { cleared: number } {
      return { cleared: faults.clear() };
    },

    inventory(): ResourceInventory {
      return catalog.inventory();
    },

    setCredentials(next: Omit<ProviderCredentials, 'updatedAt'>): ProviderCredentials {
      return writeProviderCredentials(store, clock, next);
    },

    readSettings,

    writeSettings(settings: SimCloudSettings): SimCloudSettings {
      return writeSettings(store, settings);
    },

    /** Forgets everything: resources, sources, idempotency keys, faults, settings; credentials back to J2 with HDS. */
    reset(): { reset: true } {
      store.transaction(() => {
        db.exec(`DELETE FROM resources; DELETE FROM workload_sources; DELETE FROM idempotency_keys; DELETE FROM faults; DELETE FROM settings;`);
        writeProviderCredentials(store, clock, { secnumcloud: 'J2', hds: true });
      });
      return { reset: true };
    },
  };
}
