/**
 * Cutover windows in the dashboard, in a real browser against the real stack: a wave waiting
 * for its window says when the next one opens; a wave with no window left waits for ops, who
 * open an exceptional window from the page, and the run completes. `UPDATE_SCREENSHOTS=1`
 * saves the screenshots the README shows.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type MigrationStatus, validatePlan } from '../../domain';
import { unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { callDashboardApi, type DashboardStack, signInAs, startDashboardStack, stopDashboardStack } from './dashboard-stack';

const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(__dirname, '..', '..', 'docs', 'screenshots') : undefined;

let dashboard: DashboardStack | undefined;
let stack: TestStack;

beforeAll(async () => {
  dashboard = await startDashboardStack();
  stack = dashboard.stack;
  if (SCREENSHOT_DIR) mkdirSync(SCREENSHOT_DIR, { recursive: true });
});

afterAll(async () => {
  await stopDashboardStack(dashboard);
});

const signIn = (identityId: string) => signInAs(dashboard!, identityId);
const api = (method: string, url: string, token: string, body?: unknown) => callDashboardApi(stack, method, url, token, body);

/** A hospital's public website, approved, cut over in the given window; answers the run id once its wave waits for it. */
async function startWindowedRun(cutoverWindow: Record<string, unknown>, waitFor: (status: MigrationStatus) => boolean): Promise<string> {
  const result = validatePlan({
    planId: unique('dashboard-window'),
    customer: { id: 'ght-rhone-nord', name: 'GHT Rhône Nord', type: 'HOSPITAL' },
    workloads: [{ id: 'site', name: 'Site public', kind: 'app', sizeGb: 5, dataCategories: ['PUBLIC'], dependsOn: [], criticality: 'LOW' }],
    cutoverWindow: { switchoverDuration: 'PT2H', ...cutoverWindow },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const started = await api('POST', '/v1/migrations', await stack.token({ roles: ['consultant'] }), result.plan);
  expect(started.status).toBe(202);
  const { id } = (await started.json()) as { id: string };
  const handle = stack.client.workflow.getHandle(id);
  await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
  const approver = await stack.token({ roles: ['customer'], customerId: 'ght-rhone-nord', approverRoles: ['RSSI'] });
  expect((await api('POST', `/v1/migrations/${id}/approvals/rssi`, approver, { decision: 'APPROVE' })).status).toBe(200);
  await stack.waitForStatus(handle, waitFor);
  return id;
}

describe('cutover windows in the dashboard', () => {
  it('says when the next window opens for a wave that waits for it', async () => {
    const id = await startWindowedRun(
      { timeZone: 'Europe/Paris', weekly: [{ days: ['SAT', 'SUN'], start: '00:00', end: '24:00' }], start: '2027-01-01T00:00:00+01:00' },
      (status) => status.waves[0]?.window?.state === 'WAITING_FOR_WINDOW',
    );
    const page = await signIn('ght-rhone-nord-approver');
    await page.goto(`${stack.apiUrl}/#/migrations/${encodeURIComponent(id)}`);
    const line = page.locator('#wave-window-wave-1');
    await line.waitFor();
    // Saturday 2 January 2027, midnight in Paris (the browser's zone, test/browser/chromium.ts), to Monday 4 January: the first weekend of the rule.
    expect(await line.innerText()).toBe('En attente de la prochaine fenêtre de bascule : du 2 janv. 2027, 00:00:00 au 4 janv. 2027, 00:00:00 (Europe/Paris) ; la bascule demande PT2H');
    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'cutover-window-waiting.png'), fullPage: true });
    await page.close();
    await api('POST', `/v1/migrations/${id}/cancel`, await stack.token({ roles: ['ops'] }), { reason: 'test done' });
  });

  it('lets ops open an exceptional window for a wave with none left, after which the run completes', async () => {
    const id = await startWindowedRun({ start: '2026-01-10T22:00:00Z', end: '2026-01-11T04:00:00Z' }, (status) =>
      status.attention.some((item) => item.reason === 'NO_CUTOVER_WINDOW'),
    );
    const customer = await signIn('ght-rhone-nord-approver');
    await customer.goto(`${stack.apiUrl}/#/migrations/${encodeURIComponent(id)}`);
    await customer.locator('#attention').waitFor();
    expect(await customer.locator('#open-window-wave-1').count()).toBe(0);
    await customer.close();

    const ops = await signIn('ops');
    await ops.goto(`${stack.apiUrl}/#/migrations/${encodeURIComponent(id)}`);
    const form = ops.locator('#open-window-wave-1');
    await form.waitFor();
    expect(await ops.locator('#wave-window-wave-1').innerText()).toBe('Aucune fenêtre de bascule restante assez longue pour la bascule (PT2H)');
    if (SCREENSHOT_DIR) await ops.screenshot({ path: path.join(SCREENSHOT_DIR, 'cutover-window-exceptional.png'), fullPage: true });
    const until = new Date(Date.now() + 6 * 3600 * 1000);
    const local = new Date(until.getTime() - until.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await ops.locator('#window-until-wave-1').fill(local);
    await ops.locator('#window-reason-wave-1').fill('Bascule avancée à la demande du directeur');
    await form.getByRole('button', { name: 'Ouvrir la fenêtre' }).click();
    await ops.locator('.summary-status', { hasText: 'Terminée' }).waitFor({ timeout: 60_000 });
    await ops.close();

    const final = await stack.waitForStatus(stack.client.workflow.getHandle(id), (status) => status.status === 'COMPLETED');
    expect(final.audit).toContainEqual(expect.objectContaining({ actor: 'ops@passerelle', action: 'OPEN_CUTOVER_WINDOW', target: 'wave-1' }));
    expect(final.exceptionalWindows).toEqual([expect.objectContaining({ waveId: 'wave-1', by: 'ops@passerelle', reason: 'Bascule avancée à la demande du directeur' })]);
  });
});
