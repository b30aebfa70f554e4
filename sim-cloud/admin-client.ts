import type { ProviderCredentials } from '../provider/types';
import type { SimCloudSettings, SimCloudSettingsChange } from './admin';
import type { ResourceInventory } from './catalog';
import type { ArmResource } from './arm/store';
import type { ArmedFault } from './faults';

/** A fault to arm through {@link SimCloudAdminClient.armFault}; defaults as in POST /admin/faults. */
export interface FaultRequest {
  operation: string;
  mode: 'error' | 'latency' | 'hang';
  times?: number;
  latencyMs?: number;
  status?: number;
}

/** sim-cloud's test controls (/admin) over HTTP, for tests and scripts in any process. */
export interface SimCloudAdminClient {
  listOperations(): Promise<{ operations: { name: string; routes: string[] }[] }>;
  armFault(fault: FaultRequest): Promise<ArmedFault>;
  listFaults(): Promise<ArmedFault[]>;
  clearFaults(): Promise<number>;
  /** Calls a latency fault delayed whose answer is not written yet (abandoned ones included). */
  heldCalls(): Promise<number>;
  listResources(): Promise<ResourceInventory>;
  setCredentials(credentials: Omit<ProviderCredentials, 'updatedAt'>): Promise<ProviderCredentials>;
  readSettings(): Promise<SimCloudSettings>;
  writeSettings(settings: SimCloudSettingsChange): Promise<SimCloudSettings>;
  /** Every ARM resource sim-cloud holds. */
  listArmResources(): Promise<ArmResource[]>;
  /** Changes an ARM resource out of band (drift). */
  driftArmResource(change: { id: string; location?: string; properties?: Record<string, unknown> }): Promise<ArmResource>;
  /** Deletes an ARM resource out of band (drift). */
  removeArmResource(id: string): Promise<number>;
  reset(): Promise<void>;
}

/** An admin client for the sim-cloud at `baseUrl`; a refused call throws an Error carrying the problem's detail. */
export function createSimCloudAdminClient({ baseUrl, fetch: fetchImpl = globalThis.fetch }: { baseUrl: string; fetch?: typeof fetch }): SimCloudAdminClient {
  const root = baseUrl.replace(/\/+$/, '');

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetchImpl(`${root}/admin${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      const detail = (() => {
        try {
          return (JSON.parse(text) as { detail?: string }).detail ?? text;
        } catch {
          return text;
        }
      })();
      throw new Error(`sim-cloud ${method} /admin${path} answered ${response.status}: ${detail}`);
    }
    return JSON.parse(text) as T;
  }

  return {
    listOperations: () => call('GET', '/operations'),
    armFault: (fault) => call('POST', '/faults', fault),
    listFaults: async () => (await call<{ faults: ArmedFault[] }>('GET', '/faults')).faults,
    clearFaults: async () => (await call<{ cleared: number }>('DELETE', '/faults')).cleared,
    heldCalls: async () => (await call<{ held: number }>('GET', '/faults/held-calls')).held,
    listResources: () => call('GET', '/resources'),
    setCredentials: (credentials) => call('PUT', '/credentials', credentials),
    readSettings: () => call('GET', '/settings'),
    writeSettings: (settings) => call('PUT', '/settings', settings),
    listArmResources: async () => (await call<{ resources: ArmResource[] }>('GET', '/arm/resources')).resources,
    driftArmResource: (change) => call('POST', '/arm/drift', change),
    removeArmResource: async (id) => (await call<{ removed: number }>('POST', '/arm/remove', { id })).removed,
    reset: async () => {
      await call('POST', '/reset');
    },
  };
}
