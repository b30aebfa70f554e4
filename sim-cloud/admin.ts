import type { ProviderCredentials } from '../provider/types';
import type { Catalog, ResourceInventory } from './catalog';
import type { Clock } from './clock';
import { BROKEN_TEST_WORKLOADS_SETTING, REPLICATION_SPEED_FACTOR_SETTING } from './cutover';
import type { SimCloudDatabase } from './database';
import type { ArmedFault, FaultInjector } from './faults';
import { isOperationName, OPERATION_NAMES, type ProviderRoute } from './operations';
import { problems } from './problems';
import type { ArmResource, ArmStore } from './arm/store';
import type { ArmFaultInput } from './schemas';
import type { SimCloudStore } from './store';

/** sim-cloud's own settings, changed through PUT /admin/settings. */
export interface SimCloudSettings {
  /** Multiplies replication speed on top of SIM_CLOUD_SPEEDUP, for jobs started afterwards. */
  replicationSpeedFactor: number;
  /** Workloads whose rehearsal test instances fail their smoke test (the application does not answer). */
  brokenTestWorkloads: string[];
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

/** Settings to change: those left out keep their value. */
export type SimCloudSettingsChange = Partial<SimCloudSettings>;

/** Sets the settings given, keeps the others, and answers them all. */
export function writeSettings(store: SimCloudStore, settings: SimCloudSettingsChange): SimCloudSettings {
  if (settings.replicationSpeedFactor !== undefined) store.writeSetting(REPLICATION_SPEED_FACTOR_SETTING, String(settings.replicationSpeedFactor));
  if (settings.brokenTestWorkloads !== undefined) store.writeSetting(BROKEN_TEST_WORKLOADS_SETTING, JSON.stringify(settings.brokenTestWorkloads));
  return readSettings(store);
}

/** sim-cloud's settings, defaults for those never set. */
export function readSettings(store: SimCloudStore): SimCloudSettings {
  return {
    replicationSpeedFactor: Number(store.readSetting(REPLICATION_SPEED_FACTOR_SETTING) ?? '1'),
    brokenTestWorkloads: JSON.parse(store.readSetting(BROKEN_TEST_WORKLOADS_SETTING) ?? '[]') as string[],
  };
}

/** Test controls: operations, faults, credentials, settings, inventory and reset. */
export function createAdministration({
  db,
  store,
  clock,
  catalog,
  faults,
  routes,
  arm,
}: {
  db: SimCloudDatabase;
  store: SimCloudStore;
  clock: Clock;
  catalog: Catalog;
  faults: FaultInjector;
  routes: ProviderRoute[];
  /** The ARM routes' fault operations and resources. */
  arm: { operationNames: readonly string[]; store: ArmStore };
}) {
  const readCurrentSettings = (): SimCloudSettings => readSettings(store);

  return {
    listOperations(): { operations: { name: string; routes: string[] }[] } {
      return {
        operations: [
          ...OPERATION_NAMES.map((name) => ({
            name,
            routes: routes.filter((route) => route.operation === name).map((route) => `${route.method} ${route.path}`),
          })),
          ...arm.operationNames.map((name) => ({ name, routes: [`${name.split('.').pop()?.toUpperCase() ?? ''} (ARM) ${name.split('.')[1] ?? ''}`] })),
        ],
      };
    },

    armFault(input: ArmFaultInput): ArmedFault {
      if (!isOperationName(input.operation) && !arm.operationNames.includes(input.operation)) {
        throw problems.unprocessable(
          'unknown-operation',
          'Unknown operation',
          `No operation is named '${input.operation}'; GET /admin/operations lists them.`,
          { operation: input.operation, knownOperations: [...OPERATION_NAMES, ...arm.operationNames] },
        );
      }
      return faults.arm(input);
    },

    /** Every ARM resource, for tests that check what exists. */
    armResources(): { resources: ArmResource[] } {
      return { resources: arm.store.all() };
    },

    /**
     * Changes an ARM resource behind Passerelle's back (someone disabled a key, moved a
     * vault): merges `properties` and `location` into it, as drift tests need.
     */
    driftArmResource(input: { id: string; location?: string; properties?: Record<string, unknown> }): ArmResource {
      const resource = arm.store.find(input.id);
      if (!resource) throw problems.notFound('ARM resource', input.id);
      const changed: ArmResource = {
        ...resource,
        ...(input.location ? { location: input.location } : {}),
        properties: mergeDeep(resource.properties, input.properties ?? {}),
      };
      arm.store.save(changed, new Date(clock.now()).toISOString());
      return changed;
    },

    /** Deletes an ARM resource behind Passerelle's back (someone removed a policy assignment). */
    removeArmResource(id: string): { removed: number } {
      return { removed: arm.store.deleteTree(id) };
    },

    listFaults(): { faults: ArmedFault[] } {
      return { faults: faults.list() };
    },

    /** Calls delayed by a latency fault whose answer is not written yet. */
    heldCalls(): { held: number } {
      return { held: faults.heldCalls() };
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

    readSettings: readCurrentSettings,

    writeSettings(settings: SimCloudSettingsChange): SimCloudSettings {
      return writeSettings(store, settings);
    },

    /** Forgets everything: resources, sources, idempotency keys, faults, settings; credentials back to J2 with HDS. */
    reset(): { reset: true } {
      store.transaction(() => {
        // The token signing key survives a reset: tokens already issued stay valid.
        db.exec(`DELETE FROM resources; DELETE FROM workload_sources; DELETE FROM idempotency_keys; DELETE FROM faults; DELETE FROM settings WHERE name NOT LIKE 'arm.%';`);
        arm.store.clear();
        writeProviderCredentials(store, clock, { secnumcloud: 'J2', hds: true });
      });
      return { reset: true };
    },
  };
}

function mergeDeep(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = merged[key];
    merged[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? mergeDeep(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return merged;
}
