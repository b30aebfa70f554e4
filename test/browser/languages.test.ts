/**
 * One language at a time: what the run wrote for people (timeline, outcome, step titles) is
 * stored as message codes and the dashboard renders it in the reader's language. The hospital
 * group's run, read in French then in English, in a real browser against the real stack.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { devSignInKey } from '../../api/dev-mode';
import { type Language, type MigrationStatus, renderRunText, renderStepTitle } from '../../domain';
import { DEV_SIGN_IN_KEY_PARAMETER } from '../../domain/token-claims';
import { buildDashboard } from '../../scripts/lib/dashboard-build';
import { unique } from '../support/plans';
import { startStack, type TestStack } from '../support/stack';
import { launchChromium, type TestBrowser } from './chromium';

const HOSPITAL_PLAN = path.join(__dirname, '..', 'fixtures', 'estates', 'hospital-group.plan.json');

let stack: TestStack;
let browser: TestBrowser;
let dashboardDir: string;

beforeAll(async () => {
  dashboardDir = mkdtempSync(path.join(tmpdir(), 'passerelle-dashboard-'));
  await buildDashboard({ outDir: dashboardDir, minify: true });
  stack = await startStack({ dashboardDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (dashboardDir) rmSync(dashboardDir, { recursive: true, force: true });
});

async function api(method: string, url: string, token: string, body?: unknown): Promise<Response> {
  return await fetch(`${stack.apiUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Every text of the run that the page shows, rendered in `language`, and the English rendering when it differs. */
function writtenTexts(status: MigrationStatus, language: Language): { shown: string[]; english: string[] } {
  const written = [...status.timeline, ...(status.outcome ? [status.outcome] : [])];
  const shown = written.map((entry) => renderRunText(entry, language));
  const english = written.map((entry) => renderRunText(entry, 'en')).filter((text, index) => text !== shown[index]);
  const names = new Map(status.plan.workloads.map((workload) => [workload.id, workload.name]));
  for (const step of status.steps) {
    const title = renderStepTitle(step.id, language, step.workloadId === undefined ? undefined : names.get(step.workloadId));
    shown.push(title);
    if (title !== step.title && language !== 'en') english.push(step.title);
  }
  return { shown, english };
}

async function pageText(page: Page): Promise<string> {
  return await page.evaluate<string>('document.querySelector("main").textContent');
}

/** Reads every page of a paged section (views/run-pages.ts): "show more" until no page is left. */
async function readEveryPage(page: Page, id: string): Promise<void> {
  // The button is disabled while a page is read, then hidden when none is left.
  const settled = page.locator(`#${id}-more:not([disabled])`);
  await settled.waitFor({ state: 'attached' });
  while (await page.locator(`#${id}-more`).isVisible()) {
    await page.locator(`#${id}-more`).click();
    await settled.waitFor({ state: 'attached' });
  }
}

/**
 * Unfolds what the page shows on demand: the steps, read when unfolded, and the timeline, whose
 * overview carries only the newest entries, older ones a page at a time. Then every entry of
 * the run is in the page, and the rows counted prove it.
 */
async function showEverything(page: Page, status: MigrationStatus): Promise<void> {
  if ((await page.locator('#steps-all[open]').count()) === 0) await page.locator('#steps-all > summary').click();
  await readEveryPage(page, 'steps-table');
  await readEveryPage(page, 'timeline-list');
  expect(await page.locator('#steps-table-rows > tr').count()).toBe(status.steps.length);
  expect(await page.locator('#timeline-list-rows > li').count()).toBe(status.timeline.length);
}

describe('the dashboard in one language at a time', () => {
  it('shows the hospital group’s run with every timeline entry, the outcome and the step titles in French, then in English', async () => {
    const plan = { ...(JSON.parse(readFileSync(HOSPITAL_PLAN, 'utf8')) as object), planId: unique('ght-languages') };
    const started = await api('POST', '/v1/migrations', await stack.token({ roles: ['consultant'] }), plan);
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const handle = stack.client.workflow.getHandle(id);
    await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    const approver = await stack.token({ roles: ['customer'], customerId: 'ght-rhone-nord', approverRoles: ['RSSI', 'DPO', 'HOMOLOGATION_AUTHORITY'] });
    for (const approvalId of ['rssi', 'dpo', 'dpia', 'homologation']) {
      expect((await api('POST', `/v1/migrations/${id}/approvals/${approvalId}`, approver, { decision: 'APPROVE' })).status).toBe(200);
    }
    const final = await stack.waitForStatus(handle, (status) => status.status === 'COMPLETED', 120_000);
    expect(final.timeline.every((entry) => entry.text !== undefined)).toBe(true);
    expect(final.outcome?.text).toEqual({ code: 'RUN_COMPLETED', params: {} });

    const page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(`${stack.apiUrl}/?${DEV_SIGN_IN_KEY_PARAMETER}=${devSignInKey(stack.devSecret)}`);
    await page.locator('#identity-ght-rhone-nord-approver').click();
    await page.getByRole('heading', { level: 1, name: 'Migrations' }).waitFor();
    await page.goto(`${stack.apiUrl}/#/migrations/${encodeURIComponent(id)}`);
    await page.locator('.summary-status', { hasText: 'Terminée' }).waitFor();
    await showEverything(page, final);

    const french = await pageText(page);
    const inFrench = writtenTexts(final, 'fr');
    expect(inFrench.shown.filter((text) => !french.includes(text))).toEqual([]);
    expect(inFrench.english.filter((text) => french.includes(text))).toEqual([]);
    expect(french).toContain('Phase : attente des approbations');
    expect(french).toContain('Locataire');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.locator('.summary-status', { hasText: 'Completed' }).waitFor();
    await showEverything(page, final);
    const english = await pageText(page);
    expect(writtenTexts(final, 'en').shown.filter((text) => !english.includes(text))).toEqual([]);
    await page.getByRole('button', { name: 'Passer en français' }).click();
    await page.close();
  }, 240_000);
});
