/**
 * The pictures of a run in a real browser against the real stack: the hospital group's plan
 * with a historian that reads the building management system (which stays on site), cut over
 * in daily cutover windows around now; its dependency map by wave and by zone (legend, group
 * counts, the hybrid dependency, a group expanded) and its cutover schedule (window bands, the
 * waves' spans, the now marker), in French then in English. `UPDATE_SCREENSHOTS=1` saves the
 * screenshots the README shows.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { type ApproverRole, type MigrationStatus, validatePlan } from '../../domain';
import { fixturePlan, unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { callDashboardApi, type DashboardStack, signInAs, startDashboardStack, stopDashboardStack } from './dashboard-stack';

const SCREENSHOT_DIR = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(__dirname, '..', '..', 'docs', 'screenshots') : undefined;

let dashboard: DashboardStack | undefined;
let stack: TestStack;
let runId: string;
let final: MigrationStatus;

/** The Paris wall-clock hour `offsetHours` from now, as HH:00. */
function parisHour(offsetHours: number): string {
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + offsetHours * 3_600_000));
  return `${hour}:00`;
}

beforeAll(async () => {
  dashboard = await startDashboardStack();
  stack = dashboard.stack;
  if (SCREENSHOT_DIR) mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const hospital = fixturePlan('hospital-group');
  const result = validatePlan({
    ...hospital,
    planId: unique('ght-pictures'),
    workloads: [...hospital.workloads, { id: 'historian', name: 'Historique GTC', kind: 'vm', sizeGb: 20, dataCategories: ['INTERNAL'], dependsOn: ['gtc'], criticality: 'LOW' }],
    // Every day from an hour ago to three hours from now (Paris): the waves cut over now, and the axis shows several nights' windows.
    cutoverWindow: { timeZone: 'Europe/Paris', weekly: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], start: parisHour(-1), end: parisHour(3) }], switchoverDuration: 'PT30M' },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const started = await callDashboardApi(stack, 'POST', '/v1/migrations', await stack.token({ roles: ['consultant'] }), result.plan);
  expect(started.status).toBe(202);
  runId = ((await started.json()) as { id: string }).id;
  const handle = stack.client.workflow.getHandle(runId);
  const waiting = await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
  for (const approval of waiting.approvals) {
    const approver = await stack.token({ roles: ['customer'], customerId: result.plan.customer.id, approverRoles: [approval.role as ApproverRole] });
    expect((await callDashboardApi(stack, 'POST', `/v1/migrations/${runId}/approvals/${approval.id}`, approver, { decision: 'APPROVE' })).status).toBe(200);
  }
  final = await stack.waitForStatus(handle, (status) => status.status === 'COMPLETED');
});

afterAll(async () => {
  await stopDashboardStack(dashboard);
});

async function openRun(): Promise<Page> {
  const page = await signInAs(dashboard!, 'ght-rhone-nord-approver');
  await page.goto(`${stack.apiUrl}/#/migrations/${encodeURIComponent(runId)}`);
  await page.locator('#estate-graph svg').waitFor();
  await page.locator('#cutover-schedule svg').waitFor();
  return page;
}

const label = async (page: Page, selector: string) => (await page.locator(selector).getAttribute('aria-label')) ?? '';

describe('the pictures of a run in the dashboard', () => {
  it('draws the dependency map and the cutover schedule in French, then in English', async () => {
    const page = await openRun();
    const waves = final.waves.length;
    expect(await page.locator('#pictures-title').innerText()).toBe('Carte des dépendances');
    const legend = await page.locator('#graph-legend').innerText();
    for (const expected of ['SecNumCloud', 'hébergement de données de santé (HDS)', 'dépendance hybride (vers une charge qui reste sur site)', 'reste sur site (non éligible), à part']) {
      expect(legend).toContain(expected);
    }
    // By wave: one group per wave, the building management system apart, reached by a hybrid dependency.
    expect(await page.locator('#estate-graph .graph-group').count()).toBe(waves + 1);
    expect(await label(page, '#graph-group-not-eligible')).toBe('Non éligibles : 1 charge. Afficher ses charges.');
    const historianWave = final.waves.find((wave) => wave.workloadIds.includes('historian'))!;
    expect(await label(page, `#graph-group-${historianWave.id}`)).toContain('dont 1 avec une dépendance hybride');
    expect(await page.locator(`#estate-graph .graph-edge--hybrid[data-from="${historianWave.id}"][data-to="not-eligible"]`).count()).toBe(1);

    // The schedule: a row per wave, each with the span it took, daily window bands, now.
    expect(await page.locator('#schedule-note').innerText()).toContain('Heures de Europe/Paris');
    expect(await page.locator('#cutover-schedule .schedule-row').count()).toBe(waves);
    expect(await page.locator('#cutover-schedule .actual-span').count()).toBe(waves);
    expect(await page.locator('#cutover-schedule .window-band').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#cutover-schedule .now-marker').count()).toBe(1);
    expect(await page.locator('#schedule-legend').innerText()).toContain('fenêtre de bascule');

    // By zone, then one zone expanded to its workloads.
    await page.locator('#graph-group-by-zone').check();
    await page.locator('#graph-group-dpi-db, #graph-group-secnumcloud-hds').first().waitFor();
    const zones = final.report!.landingZones;
    const hds = zones.find((zone) => zone.hds)!;
    expect(await label(page, `#graph-group-${hds.id}`)).toBe(`${hds.id} : ${hds.workloadIds.length} charge${hds.workloadIds.length > 1 ? 's' : ''}. Afficher ses charges.`);
    await page.locator(`#graph-group-${hds.id}`).click();
    await page.locator('#estate-expanded-title').waitFor();
    expect(await page.locator('#estate-expanded-title').innerText()).toBe(`Charges du groupe : ${hds.id}`);
    expect(await page.locator('#estate-expanded .graph-workload').count()).toBe(hds.workloadIds.length);
    if (SCREENSHOT_DIR) {
      await page.locator('#pictures').screenshot({ path: path.join(SCREENSHOT_DIR, 'estate-pictures.png') });
    }

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.locator('#pictures-title', { hasText: 'Dependency map' }).waitFor();
    await page.locator('#estate-graph svg').waitFor();
    const english = await page.locator('#graph-legend').innerText();
    for (const expected of ['SecNumCloud', 'health data hosting (HDS)', 'hybrid dependency (on a workload that stays on site)', 'stays on site (not eligible), apart']) {
      expect(english).toContain(expected);
    }
    await page.locator('#graph-group-not-eligible').waitFor();
    expect(await label(page, '#graph-group-not-eligible')).toBe('Not eligible: 1 workload. Show its workloads.');
    expect(await page.locator('#schedule-title').innerText()).toBe('Cutover schedule');
    await page.locator('#cutover-schedule .schedule-row').first().waitFor();
    expect(await page.locator('#cutover-schedule .schedule-row').count()).toBe(waves);
    expect(await page.locator('#schedule-note').innerText()).toContain('Times in Europe/Paris');
    expect(await page.locator('#schedule-legend').innerText()).toContain('cutover window');
    expect(await page.locator('#pictures').innerText()).not.toContain('Carte des dépendances');
    if (SCREENSHOT_DIR) await page.locator('#pictures').screenshot({ path: path.join(SCREENSHOT_DIR, 'estate-pictures-en.png') });
    await page.close();
  });
});
