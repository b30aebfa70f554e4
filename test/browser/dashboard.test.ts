/**
 * The dashboard in a real browser (Debian's chromium through playwright-core) against the
 * real stack. `UPDATE_SCREENSHOTS=1` also saves the screenshots the README shows.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { devSignInKey } from '../../api/dev-mode';
import { DEV_SIGN_IN_KEY_PARAMETER } from '../../domain/token-claims';
import { buildDashboard } from '../../scripts/lib/dashboard-build';
import { createSimCloudAdminClient } from '../../sim-cloud/admin-client';
import { smallPlan, unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';
import { waitFor } from '../support/wait';
import { launchChromium, type TestBrowser } from './chromium';

const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(__dirname, '..', '..', 'docs', 'screenshots') : undefined;
const HOSPITAL_PLAN = path.join(__dirname, '..', 'fixtures', 'estates', 'hospital-group.plan.json');

let stack: TestStack;
let browser: TestBrowser;
let dashboardDir: string;

beforeAll(async () => {
  // The API serves the dashboard as built, so the test builds it as `npm run build` does.
  dashboardDir = mkdtempSync(path.join(tmpdir(), 'passerelle-dashboard-'));
  await buildDashboard({ outDir: dashboardDir, minify: true });
  stack = await startStack({ dashboardDir });
  browser = await launchChromium();
  if (SCREENSHOT_DIR) mkdirSync(SCREENSHOT_DIR, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (dashboardDir) rmSync(dashboardDir, { recursive: true, force: true });
});

async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

async function startRun(plan: unknown): Promise<string> {
  const token = await stack.token({ roles: ['consultant'] });
  const response = await fetch(`${stack.apiUrl}/v1/migrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function approveThroughApi(id: string, customerId: string, approvalIds: string[]): Promise<void> {
  const token = await stack.token({ roles: ['customer'], customerId, approverRoles: ['RSSI', 'DPO', 'HOMOLOGATION_AUTHORITY'] });
  for (const approvalId of approvalIds) {
    const response = await fetch(`${stack.apiUrl}/v1/migrations/${id}/approvals/${approvalId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'APPROVE' }),
    });
    expect(response.status).toBe(200);
  }
}

/** Opens the dashboard in a new tab (its own sessionStorage) and signs in as a demo identity. */
async function signIn(identityId: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(30_000);
  // The address `npm start` prints, with the development sign-in key.
  await page.goto(`${stack.apiUrl}/?${DEV_SIGN_IN_KEY_PARAMETER}=${devSignInKey(stack.devSecret)}`);
  await page.locator(`#identity-${identityId}`).click();
  await page.getByRole('heading', { level: 1, name: 'Migrations' }).waitFor();
  return page;
}

/** Records what the page says to screen readers, to check what a user was told along the way. */
async function recordAnnouncements(page: Page): Promise<() => Promise<string[]>> {
  // Page scripts as text: this Node program has no DOM types (the dashboard's tsconfig has them).
  await page.evaluate(`(() => {
    const heard = [];
    window.heard = heard;
    const announcer = document.getElementById('announcer');
    new MutationObserver(() => {
      if (announcer.textContent) heard.push(announcer.textContent);
    }).observe(announcer, { childList: true, characterData: true, subtree: true });
  })()`);
  return () => page.evaluate<string[]>('window.heard');
}

describe('the dashboard', () => {
  it('lets a customer approve the plan and watch the run move on to completion', async () => {
    const plan = { ...(JSON.parse(readFileSync(HOSPITAL_PLAN, 'utf8')) as object), planId: unique('ght-dashboard') };
    const id = await startRun(plan);
    await stack.waitForStatus(stack.client.workflow.getHandle(id), (status) => status.phase === 'AWAITING_APPROVAL');

    const page = await signIn('ght-rhone-nord-approver');
    await page.getByRole('link', { name: id }).click();
    await page.getByRole('heading', { level: 1, name: 'GHT Rhône Nord' }).waitFor();
    expect(await page.locator('.stepper [aria-current="step"]').innerText()).toContain('Approbations');
    const classification = page.locator('#classification-table');
    expect(await classification.locator('#workload-gtc').innerText()).toContain('R1');
    expect(await classification.locator('#workload-ad').innerText()).toContain('R8');
    expect(await page.locator('#rules-link').getAttribute('href')).toBe('/dashboard/rules.md');
    await screenshot(page, 'migration-approvals');
    await page.setViewportSize({ width: 820, height: 1180 });
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(page, 'migration-tablet');
    await page.setViewportSize({ width: 1280, height: 800 });

    const heard = await recordAnnouncements(page);
    // The first one from the keyboard alone: focus the button, press Enter.
    await page.locator('#approve-rssi').focus();
    await page.keyboard.press('Enter');
    await page.locator('#approval-rssi .badge', { hasText: 'Approuvée' }).waitFor();
    expect(await page.locator('#flash').innerText()).toContain('décision enregistrée');
    for (const approvalId of ['dpo', 'dpia', 'homologation']) {
      await page.locator(`#approve-${approvalId}`).click();
      await page.locator(`#approval-${approvalId} .badge`, { hasText: 'Approuvée' }).waitFor();
    }
    await page.locator('.summary-status', { hasText: 'Terminée' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('.stepper__item--done').count()).toBe(7);
    expect(await page.locator('#overall-label + .bar-row [role="progressbar"]').getAttribute('aria-valuenow')).toBe('100');
    // The announcer speaks 50 ms after it is emptied (dashboard/main.ts), so the words may follow the status on screen.
    let said: string[] = [];
    const saidDone = async () => {
      said = await heard();
      return said.some((text) => text.includes('Terminé')) ? true : undefined;
    };
    await waitFor('the completion said to screen readers', saidDone, { lastSeen: () => `heard ${JSON.stringify(said)}` });
    await screenshot(page, 'migration-completed');
    await page.close();
  });

  it('lets ops retry a failed step and see the run complete', async () => {
    const admin = createSimCloudAdminClient({ baseUrl: stack.simCloud.url });
    await admin.armFault({ operation: 'arm.vaults.put', mode: 'error', times: 10 });
    const id = await startRun(smallPlan(unique('dashboard-retry'), { customerId: 'ght-rhone-nord' }));
    const handle = stack.client.workflow.getHandle(id);
    await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    await approveThroughApi(id, 'ght-rhone-nord', ['rssi', 'homologation']);
    await stack.waitForStatus(handle, (status) => status.status === 'NEEDS_ATTENTION');
    // The provider is mended; the operator now sends the step again.
    await admin.clearFaults();

    const page = await signIn('ops');
    await page.getByLabel('Seulement celles qui demandent une intervention').check();
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.getByRole('link', { name: id }).click();
    const retry = page.getByRole('button', { name: 'Relancer' });
    await retry.waitFor();
    expect(await page.locator('#attention').innerText()).toContain('provisioning.key-vault.standard');
    await screenshot(page, 'needs-attention');
    await retry.click();
    await page.locator('.summary-status', { hasText: 'Terminée' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('#attention').count()).toBe(0);
    expect(await page.locator('#audit').innerText()).toContain('ops@passerelle');

    await page.getByRole('link', { name: 'Retour aux migrations' }).click();
    await page.getByRole('link', { name: id }).waitFor();
    await screenshot(page, 'migrations-list');
    await page.close();
  });

  it('hides a customer’s run from another customer, in the list and at its address', async () => {
    const id = await startRun(smallPlan(unique('dashboard-private'), { customerId: 'ght-rhone-nord' }));
    await stack.waitForStatus(stack.client.workflow.getHandle(id), (status) => status.phase === 'AWAITING_APPROVAL');

    const owner = await signIn('ght-rhone-nord-viewer');
    await owner.getByRole('link', { name: id }).waitFor();
    await owner.getByRole('link', { name: id }).click();
    await owner.getByRole('heading', { level: 1, name: 'Mairie de Test' }).waitFor();
    expect(await owner.locator('#approve-rssi').count()).toBe(0);
    expect(await owner.locator('#approval-rssi').innerText()).toContain('Réservé au rôle');
    await owner.close();

    const other = await signIn('region-hauts-val-approver');
    await other.locator('#list-caption').waitFor();
    expect(await other.getByRole('link', { name: id }).count()).toBe(0);
    await other.goto(`${stack.apiUrl}/#/migrations/${encodeURIComponent(id)}`);
    await other.getByRole('heading', { level: 1, name: 'Migration introuvable' }).waitFor();

    await other.getByRole('button', { name: 'Switch to English' }).click();
    await other.getByRole('heading', { level: 1, name: 'Migration not found' }).waitFor();
    expect(await other.locator('html').getAttribute('lang')).toBe('en');
    await other.getByRole('button', { name: 'Passer en français' }).click();
    await other.close();
  });
});
