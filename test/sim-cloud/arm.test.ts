import { request } from 'node:https';
import { landingZoneNames, tenantNames } from '../../activities/provider/arm/names';
import { ProviderNotFoundError, ProviderRejectedError, ProviderUnavailableError, type LandingZoneProvider } from '../../provider';
import { SIM_CLOUD_DIRECTORY } from '../../config/sim-cloud-directory';
import { startHarness, type SimCloudHarness } from './harness';

// Each test provisions through a dozen HTTPS calls and long-running operations.
jest.setTimeout(30_000);

let sim: SimCloudHarness;
let lz: LandingZoneProvider;
let customerCounter = 0;
beforeAll(async () => {
  sim = await startHarness();
});
beforeEach(async () => {
  await sim.admin.reset();
  lz = sim.landingZones;
  customerCounter += 1;
});
afterAll(async () => {
  await sim.close();
});

const subscription = `/subscriptions/${SIM_CLOUD_DIRECTORY.subscriptionIds[0]}`;
const customer = () => `ght-rhone-nord-${customerCounter}`;

/** One HTTPS call to sim-cloud's ARM, trusting its certificate; answers the status, headers and JSON body. */
function armCall(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; form?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, sim.armUrl);
    const payload = options.form ? new URLSearchParams(options.form).toString() : options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = request(
      url,
      {
        method,
        ca: sim.armCertificate,
        headers: {
          ...(payload ? { 'content-type': options.form ? 'application/x-www-form-urlencoded' : 'application/json' } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function token(): Promise<string> {
  const answer = await armCall('POST', `/${SIM_CLOUD_DIRECTORY.tenantId}/oauth2/v2.0/token`, {
    form: {
      grant_type: 'client_credentials',
      client_id: SIM_CLOUD_DIRECTORY.clientId,
      client_secret: SIM_CLOUD_DIRECTORY.clientSecret,
      scope: `${sim.armUrl}/.default`,
    },
  });
  return String(answer.body.access_token);
}

async function provisionZone(usedBy: string, level: 'STANDARD' | 'SECNUMCLOUD' = 'SECNUMCLOUD') {
  const tenant = await lz.onboardTenant({ customerId: customer(), name: 'GHT Rhône Nord', usedBy });
  const zone = await lz.createLandingZone({ tenantId: tenant.id, name: 'secnumcloud-hds', level, hds: true, usedBy });
  const vault = await lz.createKeyVault({ landingZoneId: zone.id, usedBy });
  const policies = await lz.assignPolicies({ landingZoneId: zone.id, level, usedBy });
  const logs = await lz.configureLogForwarding({ landingZoneId: zone.id, siemEndpoint: `siem.${customer()}`, usedBy });
  return { tenant, zone, vault, policies, logs };
}

const armTypes = async () => (await sim.admin.listArmResources()).map((resource) => resource.type).sort();

/** The subscription a landing zone's alias names (each zone has its own). */
async function zoneSubscription(zoneName: string): Promise<string> {
  const alias = (await sim.admin.listArmResources()).find((resource) => resource.type === 'Microsoft.Subscription/aliases' && resource.name === zoneName);
  return String(alias?.properties.subscriptionId);
}

describe("sim-cloud's Azure Resource Manager, driven by the Azure SDK clients", () => {
  it('provisions a landing zone as ARM resources with deterministic names, in France, with an HSM key, policies and log forwarding', async () => {
    const { tenant, zone, vault, policies, logs } = await provisionZone('plan-a');
    const names = landingZoneNames(`${tenantNames(customer()).managementGroup}-snc-hds`, SIM_CLOUD_DIRECTORY.subscriptionIds[0]!);
    expect(tenant).toEqual({ id: `/providers/Microsoft.Management/managementGroups/psl-${customer()}`, name: `psl-${customer()}`, existed: false });
    expect(zone.id).toBe(`/providers/Microsoft.Management/managementGroups/${names.managementGroup}`);
    // The zone's resources live in the zone's own subscription.
    const zoneSubscriptionId = await zoneSubscription(names.managementGroup);
    expect(zoneSubscriptionId).not.toBe(SIM_CLOUD_DIRECTORY.subscriptionIds[0]);
    expect(vault.id).toBe(`/subscriptions/${zoneSubscriptionId}/resourceGroups/${names.resourceGroup}/providers/Microsoft.KeyVault/vaults/${names.keyVault}`);
    expect(policies.id).toBe(`/subscriptions/${zoneSubscriptionId}/resourceGroups/${names.resourceGroup}/providers/Microsoft.Authorization/policyAssignments/psl-allowed-locations`);
    expect(logs.id).toBe(`${vault.id}/providers/Microsoft.Insights/diagnosticSettings/psl-log-forwarding`);

    const resources = await sim.admin.listArmResources();
    const byId = new Map(resources.map((resource) => [resource.id.toLowerCase(), resource]));
    const storedVault = byId.get(vault.id.toLowerCase())!;
    expect(storedVault).toMatchObject({
      location: 'francecentral',
      properties: { sku: { family: 'A', name: 'premium' }, enablePurgeProtection: true, publicNetworkAccess: 'Disabled', provisioningState: 'Succeeded' },
    });
    expect(byId.get(`${vault.id}/keys/data-encryption`.toLowerCase())).toMatchObject({ properties: { kty: 'RSA-HSM', keySize: 3072, attributes: { enabled: true } } });
    expect(byId.get(policies.id.toLowerCase())).toMatchObject({ properties: { parameters: { listOfAllowedLocations: { value: ['francecentral', 'francesouth'] } } } });
    expect(resources.filter((resource) => resource.type === 'Microsoft.Authorization/policyAssignments').map((resource) => resource.name).sort()).toEqual([
      'psl-allowed-locations',
      'psl-deny-public-network',
    ]);
    expect(byId.get(logs.id.toLowerCase())).toMatchObject({
      properties: { workspaceId: `${subscription}/resourceGroups/rg-customer-logs/providers/Microsoft.OperationalInsights/workspaces/siem-${customer()}` },
    });
    expect(await lz.checkDrift({ landingZoneId: zone.id, level: 'SECNUMCLOUD' })).toEqual([]);
  });

  it('converges on a second call: the same ids, existed: true, and no second resource', async () => {
    const first = await provisionZone('plan-a');
    const before = await armTypes();
    const second = await provisionZone('plan-a');
    expect([second.tenant, second.zone, second.vault, second.policies, second.logs].map((resource) => resource.existed)).toEqual([true, true, true, true, true]);
    expect([second.tenant.id, second.zone.id, second.vault.id]).toEqual([first.tenant.id, first.zone.id, first.vault.id]);
    expect(await armTypes()).toEqual(before);
  });

  it("lets a second plan of the customer find the tenant and landing zone, and deletes them only when the last plan releases them", async () => {
    const a = await provisionZone('plan-a');
    const b = await provisionZone('plan-b');
    expect(b.tenant).toEqual({ ...a.tenant, existed: true });
    expect(b.zone).toEqual({ ...a.zone, existed: true });

    // plan-b is cancelled: its compensation, in reverse order, keeps everything plan-a uses.
    for (const [type, id] of [['log-forwarding', b.logs.id], ['policy-assignment', b.policies.id], ['key-vault', b.vault.id], ['landing-zone', b.zone.id], ['tenant', b.tenant.id]] as const) {
      expect(await lz.release({ type, id, usedBy: 'plan-b' })).toEqual({ deleted: false, stillUsedBy: ['plan-a'] });
    }
    expect(await lz.checkDrift({ landingZoneId: a.zone.id, level: 'SECNUMCLOUD' })).toEqual([]);

    for (const [type, id] of [['log-forwarding', a.logs.id], ['policy-assignment', a.policies.id], ['key-vault', a.vault.id], ['landing-zone', a.zone.id], ['tenant', a.tenant.id]] as const) {
      expect(await lz.release({ type, id, usedBy: 'plan-a' })).toEqual({ deleted: true, stillUsedBy: [] });
    }
    // The zone's subscription is cancelled and moved out of the deleted groups (Azure deletes it after 90 days), with its policy definition in it.
    expect(await armTypes()).toEqual(['Microsoft.Authorization/policyDefinitions', 'Microsoft.Resources/subscriptions']);
    const cancelled = (await sim.admin.listArmResources()).find((resource) => resource.type === 'Microsoft.Resources/subscriptions')!;
    expect(cancelled.properties).toMatchObject({ state: 'Disabled', managementGroupId: `/providers/Microsoft.Management/managementGroups/${SIM_CLOUD_DIRECTORY.tenantId}` });
    expect(await lz.release({ type: 'tenant', id: a.tenant.id, usedBy: 'plan-a' })).toEqual({ deleted: true, stillUsedBy: [] });
    expect(await lz.release({ type: 'landing-zone', id: a.zone.id, usedBy: 'plan-a' })).toEqual({ deleted: true, stillUsedBy: [] });
  });

  it("gives each landing zone a subscription of its own, created by alias (a long-running PUT) under the zone's management group, through throttling and failed polls", async () => {
    await sim.admin.armFault({ operation: 'arm.aliases.put', mode: 'error', status: 429, times: 1 });
    await sim.admin.armFault({ operation: 'arm.operations.get', mode: 'error', status: 503, times: 1 });
    const { zone } = await provisionZone('plan-a');
    expect(await sim.admin.listFaults()).toEqual([]);
    const resources = await sim.admin.listArmResources();
    const alias = resources.find((resource) => resource.type === 'Microsoft.Subscription/aliases')!;
    expect(alias).toMatchObject({ name: zone.name, properties: { provisioningState: 'Succeeded', managementGroupId: zone.id, billingScope: SIM_CLOUD_DIRECTORY.billingScope } });
    const zoneSubscriptionId = String(alias.properties.subscriptionId);
    expect(resources.find((resource) => resource.id === `/subscriptions/${zoneSubscriptionId}`)?.properties).toMatchObject({ state: 'Enabled', managementGroupId: zone.id, displayName: `${zone.name} (Passerelle)` });
    // One alias, one subscription per zone: a second plan's zone finds them.
    const before = await armTypes();
    await provisionZone('plan-b');
    expect(await armTypes()).toEqual(before);

    // Moved out of the zone's group behind Passerelle's back: drift, and the next provisioning puts it back.
    const bearer = await token();
    const moved = await armCall('PUT', `/providers/Microsoft.Management/managementGroups/${tenantNames(customer()).managementGroup}/subscriptions/${zoneSubscriptionId}?api-version=2021-04-01`, { token: bearer });
    expect(moved.status).toBe(200);
    expect(await lz.checkDrift({ landingZoneId: zone.id, level: 'SECNUMCLOUD' })).toEqual([
      { check: 'subscription-placement', resourceId: `/subscriptions/${zoneSubscriptionId}`, expected: `under ${zone.id}`, actual: 'elsewhere' },
    ]);
    await provisionZone('plan-a');
    expect(await lz.checkDrift({ landingZoneId: zone.id, level: 'SECNUMCLOUD' })).toEqual([]);
  });

  it("provisions the landing zone of a customer whose id is long, within ARM's 64 characters for a subscription's display name", async () => {
    const customerId = `${customer()}-centre-hospitalier-universitaire-de-la-region`;
    const tenant = await lz.onboardTenant({ customerId, name: 'CHU', usedBy: 'plan-a' });
    const zone = await lz.createLandingZone({ tenantId: tenant.id, name: 'secnumcloud-hds', level: 'SECNUMCLOUD_DEDICATED', hds: true, usedBy: 'plan-a' });
    const subscriptionId = await zoneSubscription(zone.name);
    const subscription = (await sim.admin.listArmResources()).find((resource) => resource.id === `/subscriptions/${subscriptionId}`)!;
    expect(subscription.properties).toMatchObject({ managementGroupId: zone.id, displayName: zone.name });
    expect(`${zone.name} (Passerelle)`.length).toBeGreaterThan(64);
  });

  it('answers a subscription alias as ARM does: 201 Accepted with a Location polled until 200, a billing scope it may bill, a cancelled subscription read-only', async () => {
    const bearer = await token();
    const aliasPath = '/providers/Microsoft.Subscription/aliases/psl-protocol-std?api-version=2021-10-01';
    const refused = await armCall('PUT', aliasPath, { token: bearer, body: { properties: { displayName: 'x', workload: 'Production', billingScope: '/billingAccounts/another/enrollmentAccounts/one' } } });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'BillingAccessDenied' } } });
    const created = await armCall('PUT', aliasPath, { token: bearer, body: { properties: { displayName: 'protocol', workload: 'Production', billingScope: SIM_CLOUD_DIRECTORY.billingScope } } });
    expect(created).toMatchObject({ status: 201, body: { properties: { provisioningState: 'Accepted' } } });
    const location = new URL(String(created.headers.location));
    expect(location.pathname).toMatch(/^\/providers\/Microsoft\.Subscription\/subscriptionOperations\//);
    expect((await armCall('GET', `${location.pathname}${location.search}`, { token: bearer })).status).toBe(202);
    const done = await armCall('GET', `${location.pathname}${location.search}`, { token: bearer });
    expect(done).toMatchObject({ status: 200, body: { properties: { provisioningState: 'Succeeded' } } });
    const subscriptionId = String((done.body.properties as { subscriptionId: string }).subscriptionId);
    expect((await armCall('PUT', `/subscriptions/${subscriptionId}/resourceGroups/rg-one?api-version=2025-04-01`, { token: bearer, body: { location: 'francecentral' } })).status).toBe(201);

    expect(await armCall('POST', `/subscriptions/${subscriptionId}/providers/Microsoft.Subscription/cancel?api-version=2021-10-01`, { token: bearer })).toMatchObject({ status: 200, body: { subscriptionId } });
    expect(await armCall('PUT', `/subscriptions/${subscriptionId}/resourceGroups/rg-two?api-version=2025-04-01`, { token: bearer, body: { location: 'francecentral' } })).toMatchObject({
      status: 409,
      body: { error: { code: 'ReadOnlyDisabledSubscription' } },
    });
    expect((await armCall('GET', `/subscriptions/${subscriptionId}/resourceGroups/rg-one?api-version=2025-04-01`, { token: bearer })).status).toBe(200);
  });

  it('puts every landing zone in the one given subscription when zones get no subscription of their own (a single test subscription)', async () => {
    const single = sim.landingZonesWith({ singleSubscription: true });
    const tenant = await single.onboardTenant({ customerId: customer(), name: 'GHT', usedBy: 'plan-a' });
    const zone = await single.createLandingZone({ tenantId: tenant.id, name: 'standard', level: 'STANDARD', hds: false, usedBy: 'plan-a' });
    const vault = await single.createKeyVault({ landingZoneId: zone.id, usedBy: 'plan-a' });
    expect(vault.id.startsWith(`${subscription}/resourceGroups/rg-${zone.name}/`)).toBe(true);
    expect((await armTypes()).filter((type) => type.startsWith('Microsoft.Subscription') || type === 'Microsoft.Resources/subscriptions')).toEqual([]);
    expect(await single.checkDrift({ landingZoneId: zone.id, level: 'STANDARD', provisioned: { keyVault: true, policies: false, logForwarding: false } })).toEqual([]);
    for (const [type, id] of [['key-vault', vault.id], ['landing-zone', zone.id], ['tenant', tenant.id]] as const) {
      expect(await single.release({ type, id, usedBy: 'plan-a' })).toEqual({ deleted: true, stillUsedBy: [] });
    }
    expect(await armTypes()).toEqual([]);
  });

  it('reports drift: a disabled key, a removed policy assignment, a vault moved out of France', async () => {
    const { zone, vault, policies } = await provisionZone('plan-a');
    await sim.admin.driftArmResource({ id: `${vault.id}/keys/data-encryption`, properties: { attributes: { enabled: false } } });
    await sim.admin.removeArmResource(policies.id);
    await sim.admin.driftArmResource({ id: vault.id, location: 'westeurope' });
    const findings = await lz.checkDrift({ landingZoneId: zone.id, level: 'SECNUMCLOUD' });
    expect(findings).toEqual(
      expect.arrayContaining([
        { check: 'key-enabled', resourceId: `${vault.id}/keys/data-encryption`, expected: 'enabled', actual: 'disabled' },
        { check: 'policy-assigned', resourceId: policies.id, expected: 'assigned', actual: 'absent' },
        { check: 'location', resourceId: vault.id, expected: 'francecentral', actual: 'westeurope' },
      ]),
    );
    expect(findings).toHaveLength(3);
  });

  it('rides out throttling (429 with Retry-After) and a 503 within the SDK retry policy', async () => {
    await sim.admin.armFault({ operation: 'arm.resourceGroups.put', mode: 'error', status: 429, times: 1 });
    await sim.admin.armFault({ operation: 'arm.managementGroups.put', mode: 'error', status: 503, times: 2 });
    const tenant = await lz.onboardTenant({ customerId: customer(), name: 'GHT', usedBy: 'plan-a' });
    expect(tenant.existed).toBe(false);
    expect(await sim.admin.listFaults()).toEqual([]);
  });

  it('maps what the SDK could not ride out to the named provider errors', async () => {
    const noRetry = sim.landingZonesWith({ maxRetries: 0 });
    await sim.admin.armFault({ operation: 'arm.managementGroups.put', mode: 'error', status: 503, times: 1 });
    const unavailable = await noRetry.onboardTenant({ customerId: customer(), name: 'GHT', usedBy: 'plan-a' }).catch((error: unknown) => error);
    expect(unavailable).toBeInstanceOf(ProviderUnavailableError);
    expect(unavailable).toMatchObject({ status: 503, operation: 'onboardTenant', problem: { title: 'InjectedFault' } });

    await sim.admin.armFault({ operation: 'arm.managementGroups.put', mode: 'error', status: 409, times: 1 });
    const rejected = await noRetry.onboardTenant({ customerId: customer(), name: 'GHT', usedBy: 'plan-a' }).catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(ProviderRejectedError);
    expect(rejected).toMatchObject({ status: 409 });

    const missing = await lz.createKeyVault({ landingZoneId: '/providers/Microsoft.Management/managementGroups/psl-nobody-std', usedBy: 'plan-a' }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ProviderNotFoundError);
    expect((missing as Error).message).toMatch(/SubscriptionNotFound\): landing zone psl-nobody-std has no subscription/);

    const wrongSecret = await sim.landingZonesWith({ clientSecret: 'not-the-secret' }).onboardTenant({ customerId: customer(), name: 'GHT', usedBy: 'plan-a' }).catch((error: unknown) => error);
    expect(wrongSecret).toBeInstanceOf(ProviderRejectedError);
    expect((wrongSecret as Error).message).toMatch(/invalid_client|Invalid client secret/);
  });

  it('speaks the ARM protocol: bearer tokens, api-version, error envelope, long-running operations', async () => {
    const rg = `${subscription}/resourceGroups/rg-protocol`;
    expect(await armCall('GET', `${rg}?api-version=2025-04-01`)).toMatchObject({ status: 401, body: { error: { code: 'AuthenticationFailed' } } });
    const bearer = await token();
    expect(await armCall('GET', rg, { token: bearer })).toMatchObject({ status: 400, body: { error: { code: 'MissingApiVersionParameter' } } });
    expect(await armCall('GET', `${rg}?api-version=1999-01-01`, { token: bearer })).toMatchObject({ status: 400, body: { error: { code: 'NoRegisteredProviderFound' } } });
    expect(await armCall('GET', `${rg}?api-version=2025-04-01`, { token: bearer })).toMatchObject({ status: 404, body: { error: { code: 'ResourceGroupNotFound' } } });
    expect(await armCall('GET', `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/x?api-version=2025-04-01`, { token: bearer })).toMatchObject({
      status: 404,
      body: { error: { code: 'SubscriptionNotFound' } },
    });
    expect(await armCall('PUT', `${rg}?api-version=2025-04-01`, { token: bearer, body: { location: 'westeurope' } })).toMatchObject({
      status: 400,
      body: { error: { code: 'LocationNotAvailableForResourceType' } },
    });
    expect((await armCall('PUT', `${rg}?api-version=2025-04-01`, { token: bearer, body: { location: 'francecentral' } })).status).toBe(201);

    // DELETE answers 202 with a Location to poll: 202 while running, then 200.
    const deleting = await armCall('DELETE', `${rg}?api-version=2025-04-01`, { token: bearer });
    expect(deleting.status).toBe(202);
    const location = new URL(String(deleting.headers.location));
    expect(location.pathname).toMatch(/^\/providers\/Microsoft\.Resources\/operationResults\//);
    expect((await armCall('GET', `${location.pathname}${location.search}`, { token: bearer })).status).toBe(202);
    expect((await armCall('GET', `${location.pathname}${location.search}`, { token: bearer })).status).toBe(200);
    expect((await armCall('GET', `${rg}?api-version=2025-04-01`, { token: bearer })).status).toBe(404);

    // A management group answers 202 with Azure-AsyncOperation, whose status moves to Succeeded.
    const group = '/providers/Microsoft.Management/managementGroups/psl-protocol';
    const creating = await armCall('PUT', `${group}?api-version=2021-04-01`, { token: bearer, body: { properties: { displayName: 'protocol' } } });
    expect(creating.status).toBe(202);
    const status = new URL(String(creating.headers['azure-asyncoperation']));
    expect((await armCall('GET', `${status.pathname}${status.search}`, { token: bearer })).body).toMatchObject({ status: 'InProgress' });
    expect((await armCall('GET', `${status.pathname}${status.search}`, { token: bearer })).body).toMatchObject({ status: 'Succeeded' });
    expect((await armCall('GET', `${group}?api-version=2021-04-01`, { token: bearer })).body).toMatchObject({ properties: { provisioningState: 'Succeeded' } });
  });

  it('enforces the policies it holds: a public key vault is denied in a SecNumCloud landing zone', async () => {
    const { zone } = await provisionZone('plan-a');
    const names = landingZoneNames(zone.name, SIM_CLOUD_DIRECTORY.subscriptionIds[0]!);
    const bearer = await token();
    const denied = await armCall('PUT', `/subscriptions/${await zoneSubscription(zone.name)}/resourceGroups/${names.resourceGroup}/providers/Microsoft.KeyVault/vaults/kv-public-one?api-version=2026-02-01`, {
      token: bearer,
      body: { location: 'francecentral', properties: { tenantId: SIM_CLOUD_DIRECTORY.tenantId, sku: { family: 'A', name: 'premium' }, publicNetworkAccess: 'Enabled' } },
    });
    expect(denied).toMatchObject({ status: 403, body: { error: { code: 'RequestDisallowedByPolicy' } } });
    expect((denied.body.error as { message: string }).message).toContain('psl-deny-public-network');
  });
});
