/**
 * Derogations (R10) in the dashboard, in a real browser against the real stack: a consultant
 * asks one for the zone that waits at the gate, the customer's homologation authority grants it
 * with its measures and expiry, accepts the residual risk the derogation opens in the risk panel,
 * and the run goes on past the gate.
 */
import { validatePlan } from '../../domain';
import { createSimCloudAdminClient } from '../../sim-cloud/admin-client';
import { unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { callDashboardApi, type DashboardStack, signInAs, startDashboardStack, stopDashboardStack } from './dashboard-stack';

let dashboard: DashboardStack | undefined;
let stack: TestStack;

beforeAll(async () => {
  dashboard = await startDashboardStack();
  stack = dashboard.stack;
});

afterAll(async () => {
  await stopDashboardStack(dashboard);
});

const signIn = (identityId: string) => signInAs(dashboard!, identityId);
const api = (method: string, url: string, token: string, body?: unknown) => callDashboardApi(stack, method, url, token, body);

describe('derogations in the dashboard', () => {
  it('lets a consultant ask one and the homologation authority grant it, after which the run passes the gate', async () => {
    const admin = createSimCloudAdminClient({ baseUrl: stack.simCloud.url });
    await admin.setCredentials({ secnumcloud: 'J2', hds: true });
    try {
      // A hospital's business secrets without health data: SECNUMCLOUD (R5), no HDS, so a derogation may cover the zone.
      const result = validatePlan({
        planId: unique('dashboard-derogation'),
        customer: { id: 'ght-rhone-nord', name: 'GHT Rhône Nord', type: 'HOSPITAL' },
        workloads: [{ id: 'achats', name: 'Achats', kind: 'app', sizeGb: 5, dataCategories: ['BUSINESS_SECRET'], dependsOn: [], criticality: 'MEDIUM' }],
        settings: { qualificationCheckInterval: 'PT1H' },
      });
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const started = await api('POST', '/v1/migrations', await stack.token({ roles: ['consultant'] }), result.plan);
      expect(started.status).toBe(202);
      const { id } = (await started.json()) as { id: string };
      const handle = stack.client.workflow.getHandle(id);
      await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
      const approverToken = await stack.token({ roles: ['customer'], customerId: 'ght-rhone-nord', approverRoles: ['RSSI', 'HOMOLOGATION_AUTHORITY'] });
      for (const approvalId of ['rssi', 'homologation']) {
        expect((await api('POST', `/v1/migrations/${id}/approvals/${approvalId}`, approverToken, { decision: 'APPROVE' })).status).toBe(200);
      }
      await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_QUALIFICATION' && (status.gate?.checks ?? 0) > 0);

      const consultant = await signIn('consultant');
      await consultant.goto(`${stack.apiUrl}/#/migrations/${encodeURIComponent(id)}`);
      await consultant.getByRole('heading', { level: 2, name: 'Dérogations (R10)' }).waitFor();
      // The gate per zone (R9): what the zone waits for, in the reader's language.
      const zone = consultant.locator('#gate-zones li[data-zone="secnumcloud"][data-state="WAITING"]');
      expect(await zone.innerText()).toContain('La zone secnumcloud attend la qualification SecNumCloud');
      await consultant.getByLabel('Motif').fill('L’ancien centre de données ferme en juin');
      await consultant.getByRole('button', { name: 'Demander' }).click();
      await consultant.locator('#derogation-secnumcloud .badge', { hasText: 'Demandée' }).waitFor();
      // The consultant does not decide: no grant form.
      expect(await consultant.locator('#form-grant-secnumcloud').count()).toBe(0);
      await consultant.close();

      const authority = await signIn('ght-rhone-nord-approver');
      await authority.goto(`${stack.apiUrl}/#/migrations/${encodeURIComponent(id)}`);
      await authority.locator('#form-grant-secnumcloud').waitFor();
      await authority.locator('#grant-secnumcloud').click();
      expect(await authority.locator('#derogation-error-secnumcloud').innerText()).toContain('Remplissez chaque champ obligatoire');
      const expiry = new Date(Date.now() + 180 * 24 * 3600 * 1000).toISOString().slice(0, 10);
      await authority.locator('#justification-grant-secnumcloud').fill('Continuité du service public');
      await authority.locator('#measures-grant-secnumcloud').fill('Clés détenues par le client\nRevue mensuelle des accès');
      await authority.locator('#expiry-grant-secnumcloud').fill(expiry);
      await authority.locator('#grant-secnumcloud').click();
      await authority.locator('#derogation-secnumcloud .badge', { hasText: 'Accordée' }).waitFor();
      expect(await authority.locator('#derogation-secnumcloud').innerText()).toContain('Revue mensuelle des accès');
      // The derogation is a residual risk: open, it holds the zone's wave until its owner, the authority, accepts it here.
      const risk = authority.locator('#risk-derogation_secnumcloud[data-state="OPEN"]');
      await risk.waitFor();
      expect(await risk.innerText()).toContain('La zone secnumcloud (achats) est hébergée sous dérogation');
      expect(await risk.innerText()).toContain('autorité d’homologation');
      await authority.locator('#risks-held li', { hasText: 'attend que leur responsable accepte les risques résiduels derogation.secnumcloud' }).waitFor();
      await authority.locator('#accept-derogation_secnumcloud').click();
      await authority.locator('#risk-derogation_secnumcloud[data-state="ACCEPTED"]', { hasText: 'Accepté par approbation@ght-rhone-nord' }).waitFor();
      await authority.locator('.summary-status', { hasText: 'Terminée' }).waitFor({ timeout: 60_000 });

      await authority.getByRole('button', { name: 'Switch to English' }).click();
      await authority.getByRole('heading', { level: 2, name: 'Derogations (R10)' }).waitFor();
      expect(await authority.locator('#derogation-secnumcloud .badge').innerText()).toBe('Granted');
      await authority.getByRole('heading', { level: 2, name: 'Residual risks' }).waitFor();
      expect(await authority.locator('#risk-derogation_secnumcloud .badge').innerText()).toBe('Accepted');
      expect(await authority.locator('#risk-derogation_secnumcloud').innerText()).toContain('Zone secnumcloud (achats) is hosted under a derogation');
      await authority.getByRole('button', { name: 'Passer en français' }).click();
      await authority.close();

      const final = await stack.waitForStatus(handle, (status) => status.status === 'COMPLETED');
      expect(final.derogations?.[0]).toMatchObject({ state: 'GRANTED', requestedBy: 'consultant@passerelle', compensatingMeasures: ['Clés détenues par le client', 'Revue mensuelle des accès'] });
      expect(final.derogations?.[0]?.expiresAt).toBe(`${expiry}T23:59:59Z`);
    } finally {
      await admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
    }
  });
});
