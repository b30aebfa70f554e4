import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpCloudProvider } from '../../activities/provider/http-client';
import type { LandingZoneProvider } from '../../provider';
import type { CloudProvider } from '../../provider/types';
import { createSimCloudAdminClient, type SimCloudAdminClient } from '../../sim-cloud/admin-client';
import { createManualClock, type ManualClock } from '../../sim-cloud/clock';
import { startSimCloud, type RunningSimCloud } from '../../sim-cloud/server';
import { createLandingZonesForSimCloud } from '../../worker/landing-zones';

/** A sim-cloud on port 0 over a temporary SQLite file, with a provider client and an admin client. */
export interface SimCloudHarness {
  readonly url: string;
  readonly dataFile: string;
  readonly clock: ManualClock;
  readonly provider: CloudProvider;
  readonly admin: SimCloudAdminClient;
  /** sim-cloud's ARM endpoint (HTTPS), which is also its Entra ID authority host. */
  readonly armUrl: string;
  /** The certificate its ARM endpoint serves (self-signed), for raw HTTPS calls. */
  readonly armCertificate: string;
  /** The landing-zone provider over sim-cloud's ARM routes, through the Azure SDK clients. */
  readonly landingZones: LandingZoneProvider;
  /** The same with other options (another client secret, no retries…). */
  landingZonesWith(options: ArmTestOptions): LandingZoneProvider;
  /** A provider client with its own time-out, for fault tests. */
  providerWithTimeout(timeoutMs: number): CloudProvider;
  /** Stops the server and starts a new one on the same file (and a new port). */
  restart(): Promise<void>;
  /** Stops the server and removes the temporary file. */
  close(): Promise<void>;
}

/** Options of a test's ARM landing-zone provider. */
export interface ArmTestOptions {
  clientSecret?: string;
  maxRetries?: number;
  /** Every landing zone in the directory's subscription, none of its own. */
  singleSubscription?: boolean;
}

/** Starts a harness; `speedup` is 1 unless set and the clock is manual. */
export async function startHarness(options: { speedup?: number } = {}): Promise<SimCloudHarness> {
  const directory = mkdtempSync(join(tmpdir(), 'sim-cloud-test-'));
  const dataFile = join(directory, 'sim-cloud.db');
  const clock = createManualClock();
  const speedup = options.speedup ?? 1;
  const start = () => startSimCloud({ port: 0, dataFile, speedup, clock });
  let running: RunningSimCloud = await start();

  const harness = {
    dataFile,
    clock,
    get url() {
      return running.url;
    },
    get provider() {
      return createHttpCloudProvider({ baseUrl: running.url, timeoutMs: 5_000 });
    },
    get admin() {
      return createSimCloudAdminClient({ baseUrl: running.url });
    },
    get armUrl() {
      return running.armUrl;
    },
    get armCertificate() {
      return running.armCertificate;
    },
    get landingZones() {
      return createLandingZonesForSimCloud(running);
    },
    landingZonesWith: (options: ArmTestOptions) => createLandingZonesForSimCloud(running, options),
    providerWithTimeout: (timeoutMs: number) => createHttpCloudProvider({ baseUrl: running.url, timeoutMs }),
    async restart() {
      await running.close();
      running = await start();
    },
    async close() {
      await running.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
  return harness;
}

let keyCounter = 0;

/** A fresh idempotency key, readable in failures. */
export function newKey(label = 'call'): string {
  keyCounter += 1;
  return `${label}-${process.pid}-${keyCounter}`;
}

/** Onboards a customer's tenant through sim-cloud's ARM (its management group), as Passerelle does. */
export function createTestTenant(sim: SimCloudHarness, name = 'GHT Rhône Nord'): Promise<{ id: string }> {
  const customerId = name.normalize('NFD').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
  return sim.landingZones.onboardTenant({ customerId, name, usedBy: 'migration-test' });
}

/** A STANDARD landing zone of `tenantId` through sim-cloud's ARM: its management group is the replication target. */
export function createTestZone(sim: SimCloudHarness, tenantId: string): Promise<{ id: string }> {
  return sim.landingZones.createLandingZone({ tenantId, name: 'standard', level: 'STANDARD', hds: false, usedBy: 'migration-test' });
}

/** Sends a raw HTTP request to sim-cloud and reads the JSON answer, for what the typed client hides. */
export async function rawCall(
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; rawBody?: string; idempotencyKey?: string } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> | undefined }> {
  const headers: Record<string, string> = {};
  if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}
