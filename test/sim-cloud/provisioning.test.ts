import { ProviderNotFoundError, ProviderRejectedError } from '../../provider/errors';
import type { LandingZone, Tenant } from '../../provider/types';
import { createTestTenant, newKey, rawCall, startHarness, type SimCloudHarness } from './harness';

let sim: SimCloudHarness;

beforeAll(async () => {
  sim = await startHarness();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  await sim.admin.reset();
});

async function createStandardZone(tenant: Tenant): Promise<LandingZone> {
  return sim.provider.createLandingZone({
    idempotencyKey: newKey('lz'),
    tenantId: tenant.id,
    name: 'standard',
    level: 'STANDARD',
    hds: false,
    region: 'francecentral',
  });
}

async function expectRejection(call: Promise<unknown>, status: number, problemType: string): Promise<ProviderRejectedError> {
  const error: unknown = await call.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ProviderRejectedError);
  const rejection = error as ProviderRejectedError;
  expect(rejection.status).toBe(status);
  expect(rejection.problem.type).toBe(`urn:passerelle:sim-cloud:problem:${problemType}`);
  return rejection;
}

describe('tenants', () => {
  it('creates, reads and deletes a tenant, and deleting it again still succeeds', async () => {
    const tenant = await createTestTenant(sim.provider);
    expect(tenant).toMatchObject({ type: 'tenant', customerId: 'ght-rhone-nord', name: 'GHT Rhône Nord' });
    expect(tenant.id).toMatch(/^tnt-/);
    expect(Date.parse(tenant.createdAt)).toBe(sim.clock.now());

    await expect(sim.provider.getResource({ type: 'tenant', id: tenant.id })).resolves.toEqual(tenant);

    await sim.provider.deleteResource({ idempotencyKey: newKey('delete'), type: 'tenant', id: tenant.id });
    await expect(sim.provider.getResource({ type: 'tenant', id: tenant.id })).rejects.toBeInstanceOf(ProviderNotFoundError);
    await expect(sim.provider.deleteResource({ idempotencyKey: newKey('delete'), type: 'tenant', id: tenant.id })).resolves.toBeUndefined();
  });

  it('deletes everything under a tenant with it', async () => {
    const tenant = await createTestTenant(sim.provider);
    const zone = await createStandardZone(tenant);
    await sim.provider.createKeyVault({ idempotencyKey: newKey('kv'), landingZoneId: zone.id, name: 'kv', location: 'francesouth', keys: [{ name: 'cmk' }] });
    await sim.provider.createM365Tenant({ idempotencyKey: newKey('m365'), tenantId: tenant.id, name: 'ght' });
    expect((await sim.admin.listResources()).total).toBe(4);

    await sim.provider.deleteResource({ idempotencyKey: newKey('delete'), type: 'tenant', id: tenant.id });

    const inventory = await sim.admin.listResources();
    expect(inventory.total).toBe(0);
    expect(inventory.types['key-vault'].count).toBe(0);
  });

  it('answers 400 with each offending field named when a body is invalid', async () => {
    const answer = await rawCall(sim.url, 'POST', '/v1/tenants', {
      idempotencyKey: newKey(),
      body: { customerId: '', colour: 'blue' },
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 400, title: 'Invalid request body' });
    expect(answer.body?.errors).toEqual(
      expect.arrayContaining([
        { path: 'customerId', message: expect.any(String) as string },
        { path: 'name', message: expect.any(String) as string },
        { path: 'colour', message: 'unknown field' },
      ]),
    );
  });

  it('answers 400 problem+json for malformed JSON and 404 for unknown routes, with no stack trace', async () => {
    const malformed = await rawCall(sim.url, 'POST', '/v1/tenants', { idempotencyKey: newKey(), rawBody: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ title: 'Malformed JSON body' });
    expect(JSON.stringify(malformed.body)).not.toMatch(/at .*\.js|stack/i);

    const unknown = await rawCall(sim.url, 'GET', '/v1/spaceships');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, title: 'No such route' });
  });
});

describe('landing zones', () => {
  it('creates a STANDARD landing zone while the provider is only at J2', async () => {
    const tenant = await createTestTenant(sim.provider);
    const zone = await createStandardZone(tenant);
    expect(zone).toMatchObject({ type: 'landing-zone', tenantId: tenant.id, level: 'STANDARD', hds: false, region: 'francecentral' });
    await expect(sim.provider.getResource({ type: 'landing-zone', id: zone.id })).resolves.toEqual(zone);
  });

  it('refuses a SECNUMCLOUD landing zone until the provider is QUALIFIED', async () => {
    const tenant = await createTestTenant(sim.provider);
    const request = {
      tenantId: tenant.id,
      name: 'health',
      level: 'SECNUMCLOUD',
      hds: true,
      region: 'francecentral',
    } as const;
    const rejection = await expectRejection(sim.provider.createLandingZone({ ...request, idempotencyKey: newKey() }), 409, 'provider-not-qualified');
    expect(rejection.problem.detail).toContain('J2');

    await sim.admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
    await expect(sim.provider.createLandingZone({ ...request, idempotencyKey: newKey() })).resolves.toMatchObject({ level: 'SECNUMCLOUD', hds: true });
  });

  it('refuses an HDS landing zone while the provider holds no HDS certificate', async () => {
    const tenant = await createTestTenant(sim.provider);
    await sim.admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: false });
    await expectRejection(
      sim.provider.createLandingZone({ idempotencyKey: newKey(), tenantId: tenant.id, name: 'hds', level: 'STANDARD', hds: true, region: 'francesouth' }),
      409,
      'provider-not-hds-certified',
    );
  });

  it('answers 404 for a landing zone of a tenant that does not exist', async () => {
    await expect(
      sim.provider.createLandingZone({ idempotencyKey: newKey(), tenantId: 'tnt-missing', name: 'x', level: 'STANDARD', hds: false, region: 'francecentral' }),
    ).rejects.toBeInstanceOf(ProviderNotFoundError);
  });
});

describe('key vaults', () => {
  it('creates a key vault whose customer-managed keys stay in France, and deletes it', async () => {
    const zone = await createStandardZone(await createTestTenant(sim.provider));
    const vault = await sim.provider.createKeyVault({
      idempotencyKey: newKey('kv'),
      landingZoneId: zone.id,
      name: 'kv-health',
      location: 'francecentral',
      keys: [{ name: 'disk-encryption' }, { name: 'signing', kty: 'EC-HSM' }],
    });
    expect(vault).toMatchObject({
      type: 'key-vault',
      tenantId: zone.tenantId,
      landingZoneId: zone.id,
      location: 'francecentral',
      keys: [
        { name: 'disk-encryption', kty: 'RSA-HSM', location: 'francecentral' },
        { name: 'signing', kty: 'EC-HSM', location: 'francecentral' },
      ],
    });
    await sim.provider.deleteResource({ idempotencyKey: newKey('delete'), type: 'key-vault', id: vault.id });
    await expect(sim.provider.getResource({ type: 'key-vault', id: vault.id })).rejects.toBeInstanceOf(ProviderNotFoundError);
  });

  it('rejects a key vault located outside France with 422', async () => {
    const zone = await createStandardZone(await createTestTenant(sim.provider));
    const rejection = await expectRejection(
      sim.provider.createKeyVault({ idempotencyKey: newKey(), landingZoneId: zone.id, name: 'kv', location: 'westeurope', keys: [{ name: 'cmk' }] }),
      422,
      'location-outside-france',
    );
    expect(rejection.problem.detail).toContain('westeurope');
    expect((await sim.admin.listResources()).types['key-vault'].count).toBe(0);
  });

  it('refuses a key vault without customer-managed keys', async () => {
    const zone = await createStandardZone(await createTestTenant(sim.provider));
    const rejection = await expectRejection(
      sim.provider.createKeyVault({ idempotencyKey: newKey(), landingZoneId: zone.id, name: 'kv', location: 'francecentral', keys: [] }),
      400,
      'invalid-body',
    );
    expect(rejection.problem.errors).toEqual([{ path: 'keys', message: 'a key vault holds at least one customer-managed key' }]);
  });
});

describe('policy assignments', () => {
  async function createSecNumCloudZone(): Promise<LandingZone> {
    await sim.admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
    const tenant = await createTestTenant(sim.provider);
    return sim.provider.createLandingZone({
      idempotencyKey: newKey('lz'),
      tenantId: tenant.id,
      name: 'sensitive',
      level: 'SECNUMCLOUD',
      hds: false,
      region: 'francecentral',
    });
  }

  it('assigns a location policy without public endpoints on a SECNUMCLOUD zone', async () => {
    const zone = await createSecNumCloudZone();
    const assignment = await sim.provider.assignPolicy({
      idempotencyKey: newKey('policy'),
      landingZoneId: zone.id,
      name: 'france-only',
      allowedLocations: ['francecentral', 'francesouth', 'francecentral'],
      allowPublicEndpoints: false,
    });
    expect(assignment).toMatchObject({
      type: 'policy-assignment',
      landingZoneId: zone.id,
      allowedLocations: ['francecentral', 'francesouth'],
      allowPublicEndpoints: false,
    });
    await expect(sim.provider.getResource({ type: 'policy-assignment', id: assignment.id })).resolves.toEqual(assignment);
  });

  it('rejects a policy that allows public endpoints on a SECNUMCLOUD zone with 422', async () => {
    const zone = await createSecNumCloudZone();
    await expectRejection(
      sim.provider.assignPolicy({ idempotencyKey: newKey(), landingZoneId: zone.id, name: 'open', allowedLocations: ['francecentral'], allowPublicEndpoints: true }),
      422,
      'public-endpoints-forbidden',
    );
  });

  it('lets a STANDARD zone allow public endpoints, but never a location outside France', async () => {
    const zone = await createStandardZone(await createTestTenant(sim.provider));
    await expect(
      sim.provider.assignPolicy({ idempotencyKey: newKey(), landingZoneId: zone.id, name: 'web', allowedLocations: ['francesouth'], allowPublicEndpoints: true }),
    ).resolves.toMatchObject({ allowPublicEndpoints: true });
    await expectRejection(
      sim.provider.assignPolicy({ idempotencyKey: newKey(), landingZoneId: zone.id, name: 'eu', allowedLocations: ['francesouth', 'northeurope'], allowPublicEndpoints: false }),
      422,
      'location-outside-france',
    );
  });
});

describe('log forwarding and Microsoft 365 tenants', () => {
  it('forwards a landing zone logs to a SIEM endpoint, and stops when deleted', async () => {
    const zone = await createStandardZone(await createTestTenant(sim.provider));
    const forwarding = await sim.provider.configureLogForwarding({ idempotencyKey: newKey('logs'), landingZoneId: zone.id, siemEndpoint: 'soc-ght' });
    expect(forwarding).toMatchObject({ type: 'log-forwarding', landingZoneId: zone.id, siemEndpoint: 'soc-ght', categories: ['audit', 'security'] });
    await sim.provider.deleteResource({ idempotencyKey: newKey('delete'), type: 'log-forwarding', id: forwarding.id });
    await expect(sim.provider.getResource({ type: 'log-forwarding', id: forwarding.id })).rejects.toBeInstanceOf(ProviderNotFoundError);
  });

  it('creates a Microsoft 365 tenant with its data in France, and deletes it', async () => {
    const tenant = await createTestTenant(sim.provider);
    const m365 = await sim.provider.createM365Tenant({ idempotencyKey: newKey('m365'), tenantId: tenant.id, name: 'ght-rhone-nord' });
    expect(m365).toMatchObject({ type: 'm365-tenant', tenantId: tenant.id, dataLocation: 'FR' });
    await expect(sim.provider.getResource({ type: 'm365-tenant', id: m365.id })).resolves.toEqual(m365);
    await sim.provider.deleteResource({ idempotencyKey: newKey('delete'), type: 'm365-tenant', id: m365.id });
    await expect(sim.provider.getResource({ type: 'm365-tenant', id: m365.id })).rejects.toBeInstanceOf(ProviderNotFoundError);
  });
});
