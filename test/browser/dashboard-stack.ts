import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { devSignInKey } from '../../api/dev-mode';
import { DEV_SIGN_IN_KEY_PARAMETER } from '../../domain/token-claims';
import { buildDashboard } from '../../scripts/lib/dashboard-build';
import { startStack, type TestStack } from '../support/stack';
import { launchChromium, type TestBrowser } from './chromium';

/** The built dashboard served by a test stack, and a browser to open it. */
export interface DashboardStack {
  stack: TestStack;
  browser: TestBrowser;
  dashboardDir: string;
}

/** Builds the dashboard into a temporary folder, starts a stack serving it and launches Chromium. */
export async function startDashboardStack(): Promise<DashboardStack> {
  const dashboardDir = mkdtempSync(path.join(tmpdir(), 'passerelle-dashboard-'));
  await buildDashboard({ outDir: dashboardDir, minify: true });
  const stack = await startStack({ dashboardDir });
  const browser = await launchChromium();
  return { stack, browser, dashboardDir };
}

/** Stops what {@link startDashboardStack} started, whatever part of it did start. */
export async function stopDashboardStack(started: Partial<DashboardStack> | undefined): Promise<void> {
  await started?.browser?.close();
  await started?.stack?.stop();
  if (started?.dashboardDir) rmSync(started.dashboardDir, { recursive: true, force: true });
}

/** A new page signed in through the development sign-in as `identityId`, on the migrations list. */
export async function signInAs({ stack, browser }: DashboardStack, identityId: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${stack.apiUrl}/?${DEV_SIGN_IN_KEY_PARAMETER}=${devSignInKey(stack.devSecret)}`);
  await page.locator(`#identity-${identityId}`).click();
  await page.getByRole('heading', { level: 1, name: 'Migrations' }).waitFor();
  return page;
}

/** A new page signed in with `token` pasted in the sign-in page's token field, on the migrations list. */
export async function signInWithToken({ stack, browser }: DashboardStack, token: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${stack.apiUrl}/`);
  await page.locator('#token').fill(token);
  await page.locator('form[aria-labelledby="token-title"] button[type="submit"]').click();
  await page.getByRole('heading', { level: 1, name: 'Migrations' }).waitFor();
  return page;
}

/** A JSON call to the stack's API with a bearer token. */
export async function callDashboardApi(stack: TestStack, method: string, url: string, token: string, body?: unknown): Promise<Response> {
  return await fetch(`${stack.apiUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
