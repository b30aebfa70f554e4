import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpCloudProvider } from '../../activities/provider/http-client';
import { createSimCloudAdminClient } from '../../sim-cloud/admin-client';
import { describeStartupFailure, loadSimCloudConfig, parseCredentialsSpec, SimCloudConfigError } from '../../sim-cloud/config';
import { SimCloudPortInUseError, startSimCloud } from '../../sim-cloud/server';
import { rawCall, startHarness, type SimCloudHarness } from './harness';

describe('provider credentials', () => {
  let sim: SimCloudHarness;

  beforeAll(async () => {
    sim = await startHarness();
  });

  afterAll(async () => {
    await sim.close();
  });

  it('start at SecNumCloud J2 with HDS on a new database', async () => {
    await expect(sim.provider.getQualifications()).resolves.toEqual({
      secnumcloud: 'J2',
      hds: true,
      updatedAt: new Date(sim.clock.now()).toISOString(),
    });
  });

  it('are set with PUT /admin/credentials and read back by the provider API, updatedAt moving only on a change', async () => {
    sim.clock.advance(60_000);
    const qualified = await sim.admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
    expect(qualified).toEqual({ secnumcloud: 'QUALIFIED', hds: true, updatedAt: new Date(sim.clock.now()).toISOString() });
    await expect(sim.provider.getQualifications()).resolves.toEqual(qualified);

    sim.clock.advance(60_000);
    await expect(sim.admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: true })).resolves.toEqual(qualified);
  });

  it('refuse an unknown SecNumCloud status with 400', async () => {
    const answer = await rawCall(sim.url, 'PUT', '/admin/credentials', { body: { secnumcloud: 'J3', hds: true } });
    expect(answer.status).toBe(400);
    expect(answer.body?.errors).toEqual([{ path: 'secnumcloud', message: expect.any(String) as string }]);
  });

  it('are overridden at start when SIM_CLOUD_CREDENTIALS says so', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sim-cloud-test-'));
    const dataFile = join(directory, 'sim-cloud.db');
    try {
      const first = await startSimCloud({ port: 0, dataFile, speedup: 1 });
      await createSimCloudAdminClient({ baseUrl: first.url }).setCredentials({ secnumcloud: 'J1', hds: true });
      await first.close();

      const overridden = await startSimCloud({ port: 0, dataFile, speedup: 1, credentials: { secnumcloud: 'QUALIFIED', hds: false } });
      await expect(createHttpCloudProvider({ baseUrl: overridden.url }).getQualifications()).resolves.toMatchObject({
        secnumcloud: 'QUALIFIED',
        hds: false,
      });
      await overridden.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('SIM_CLOUD_CREDENTIALS', () => {
  it.each([
    ['QUALIFIED,hds', { secnumcloud: 'QUALIFIED', hds: true }],
    ['J2', { secnumcloud: 'J2', hds: false }],
    ['j1, HDS', { secnumcloud: 'J1', hds: true }],
  ])('reads %j', (spec, expected) => {
    expect(parseCredentialsSpec(spec)).toEqual(expected);
  });

  it.each(['QUALIFIED,hds,hds', 'J3', 'QUALIFIED,iso27001', ''])('refuses %j', (spec) => {
    expect(parseCredentialsSpec(spec)).toBeUndefined();
  });
});

describe('configuration from the environment', () => {
  it('has defaults that start sim-cloud on a laptop', () => {
    expect(loadSimCloudConfig({})).toEqual({
      port: 4010,
      armPort: 4011,
      host: '127.0.0.1',
      dataFile: '.data/sim-cloud.db',
      speedup: 1,
      credentials: undefined,
      replicationSpeedFactor: undefined,
      logLevel: 'info',
    });
    expect(loadSimCloudConfig({ SIM_CLOUD_PORT: '', SIM_CLOUD_SPEEDUP: '' })).toMatchObject({ port: 4010, speedup: 1 });
  });

  it('reads every variable', () => {
    expect(
      loadSimCloudConfig({
        SIM_CLOUD_PORT: '0',
        SIM_CLOUD_ARM_PORT: '4443',
        SIM_CLOUD_HOST: '0.0.0.0',
        SIM_CLOUD_DATA: '/tmp/x.db',
        SIM_CLOUD_SPEEDUP: '3600',
        SIM_CLOUD_CREDENTIALS: 'QUALIFIED,hds',
        SIM_CLOUD_REPLICATION_SPEED_FACTOR: '0.5',
        SIM_CLOUD_LOG_LEVEL: 'debug',
      }),
    ).toEqual({
      port: 0,
      armPort: 4443,
      host: '0.0.0.0',
      dataFile: '/tmp/x.db',
      speedup: 3600,
      credentials: { secnumcloud: 'QUALIFIED', hds: true },
      replicationSpeedFactor: 0.5,
      logLevel: 'debug',
    });
  });

  it('names each wrong variable and why', () => {
    const load = () => loadSimCloudConfig({ SIM_CLOUD_PORT: '70000', SIM_CLOUD_SPEEDUP: 'fast', SIM_CLOUD_CREDENTIALS: 'J9' });
    expect(load).toThrow(SimCloudConfigError);
    expect(load).toThrow(/SIM_CLOUD_PORT="70000": must be a port number/);
    expect(load).toThrow(/SIM_CLOUD_SPEEDUP="fast": must be a positive number/);
    expect(load).toThrow(/SIM_CLOUD_CREDENTIALS="J9": must be a SecNumCloud status/);
  });

  it('says which port is taken and which variable to change', async () => {
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as AddressInfo;
    try {
      const failure: unknown = await startSimCloud({ port, dataFile: ':memory:', speedup: 1 }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SimCloudPortInUseError);
      expect(describeStartupFailure(failure)).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(describeStartupFailure(failure)).toContain('SIM_CLOUD_PORT');
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
