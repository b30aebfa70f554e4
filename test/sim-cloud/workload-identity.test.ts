import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { loadConfig } from '../../config/env';
import { SIM_CLOUD_DIRECTORY } from '../../config/sim-cloud-directory';
import { ProviderRejectedError } from '../../provider';
import { startSimCloud, type RunningSimCloud } from '../../sim-cloud/server';
import { createLandingZonesForSimCloud, createLandingZonesFromConfig } from '../../worker/landing-zones';

// Token exchanges and a tenant's management group and resource group over HTTPS.
jest.setTimeout(30_000);

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const SUBJECT = 'system:serviceaccount:passerelle:worker';
let issuerServer: Server;
let issuer: string;
let privateKey: SigningKey;
let issuerDiscoveries = 0;
let sim: RunningSimCloud;
let folder: string;

/**
 * A Kubernetes cluster's service-account issuer, as Entra ID sees it: OpenID metadata and the
 * keys that sign the tokens kubelet projects into the worker's pod.
 */
async function startIssuer(): Promise<void> {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'cluster-key', alg: 'RS256', use: 'sig' };
  issuerServer = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      issuerDiscoveries += 1;
      res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/openid/v1/jwks` }));
    } else if (req.url === '/openid/v1/jwks') res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
}

/** A projected service-account token, written where the worker's WorkloadIdentityCredential reads it. */
async function tokenFile(claims: { subject?: string; audience?: string; expiresIn?: string; issuedAt?: number; key?: SigningKey } = {}): Promise<string> {
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'cluster-key' })
    .setIssuer(issuer)
    .setSubject(claims.subject ?? SUBJECT)
    .setAudience(claims.audience ?? 'api://AzureADTokenExchange')
    .setIssuedAt(claims.issuedAt)
    .setExpirationTime(claims.expiresIn ?? '1h')
    .sign(claims.key ?? privateKey);
  const file = join(folder, `token-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, token);
  return file;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'workload-identity-'));
  await startIssuer();
  sim = await startSimCloud({
    port: 0,
    dataFile: join(folder, 'sim-cloud.db'),
    speedup: 1,
    directory: { ...SIM_CLOUD_DIRECTORY, federatedCredentials: [{ issuer, subject: SUBJECT }] },
  });
});
afterAll(async () => {
  await sim.close();
  await new Promise((resolve) => issuerServer.close(resolve));
  rmSync(folder, { recursive: true, force: true });
});

const onboard = (federatedTokenFile: string, customerId: string) =>
  createLandingZonesForSimCloud(sim, { federatedTokenFile, maxRetries: 0 }).onboardTenant({ customerId, name: 'Mairie', usedBy: 'migration-lot-1' });

describe("workload identity: the worker signs in to sim-cloud's Entra ID with a federated token", () => {
  it('provisions through ARM, configured by PROVIDER_FEDERATED_TOKEN_FILE, with a token a trusted issuer gave the federated subject (jwt-bearer client assertion)', async () => {
    const config = loadConfig({
      PASSERELLE_DATA_DIR: folder,
      PROVIDER_ARM_ENDPOINT: sim.armUrl,
      PROVIDER_AUTHORITY_HOST: sim.armUrl,
      PROVIDER_TENANT_ID: SIM_CLOUD_DIRECTORY.tenantId,
      PROVIDER_CLIENT_ID: SIM_CLOUD_DIRECTORY.clientId,
      PROVIDER_SUBSCRIPTION_ID: SIM_CLOUD_DIRECTORY.subscriptionIds[0],
      PROVIDER_BILLING_SCOPE: SIM_CLOUD_DIRECTORY.billingScope,
      PROVIDER_FEDERATED_TOKEN_FILE: await tokenFile(),
      PROVIDER_CA_FILE: sim.armCertificateFile,
    });
    expect(config.provider.credential).toEqual({ federatedTokenFile: expect.any(String) as string });
    const tenant = await createLandingZonesFromConfig(config.provider).onboardTenant({ customerId: 'mairie-federated', name: 'Mairie', usedBy: 'migration-lot-1' });
    expect(tenant).toMatchObject({ name: 'psl-mairie-federated', existed: false });
    expect(issuerDiscoveries).toBeGreaterThan(0);
  });

  it('is refused, with the reason, for another subject, another audience, an expired token or a key the issuer never published', async () => {
    const refusal = async (file: string) => {
      const error = await onboard(file, 'mairie-refused').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProviderRejectedError);
      return (error as Error).message;
    };
    expect(await refusal(await tokenFile({ subject: 'system:serviceaccount:default:intruder' }))).toMatch(/AADSTS70021.*system:serviceaccount:default:intruder/);
    expect(await refusal(await tokenFile({ audience: 'https://management.azure.com' }))).toMatch(/AADSTS700213/);
    expect(await refusal(await tokenFile({ issuedAt: Math.floor(Date.now() / 1000) - 7200, expiresIn: '1 hour ago' }))).toMatch(/AADSTS700024/);
    const { privateKey: foreignKey } = await generateKeyPair('RS256');
    expect(await refusal(await tokenFile({ key: foreignKey }))).toMatch(/AADSTS700213/);
    // A secret is still refused when the application's secret is not it: a federated directory keeps both proofs apart.
    const wrongSecret = await createLandingZonesForSimCloud(sim, { clientSecret: 'not-the-secret', maxRetries: 0 })
      .onboardTenant({ customerId: 'mairie-refused', name: 'Mairie', usedBy: 'migration-lot-1' })
      .catch((caught: unknown) => caught);
    expect((wrongSecret as Error).message).toMatch(/AADSTS7000215/);
  });
});
