/**
 * Rehearsals in the dashboard, in a real browser against the real stack: a plan that requires
 * them launches its wave in an isolated test network and waits for the customer's RSSI, who
 * reads the test launches and their smoke tests in the run's page and confirms there, after
 * which the run completes; the customer's DPO sees the rehearsal but no form. The page is
 * French through and through. `UPDATE_SCREENSHOTS=1` saves the screenshot the README shows.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { validatePlan } from '../../domain';
import { englishWordsIn } from '../support/languages';
import { unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { callDashboardApi, type DashboardStack, signInAs, signInWithToken, startDashboardStack, stopDashboardStack } from './dashboard-stack';

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

const api = (method: string, url: string, token: string, body?: unknown) => callDashboardApi(stack, method, url, token, body);

/** The text of an element, without identifiers (`<code>`: launch ids, networks, check names). */
async function textWithoutCode(page: Page, selector: string): Promise<string> {
  return await page.evaluate<string>(`(() => {
    const walker = document.createTreeWalker(document.querySelector(${JSON.stringify(selector)}), NodeFilter.SHOW_TEXT);
    const parts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if (!node.parentElement.closest('code')) parts.push(node.textContent);
    return parts.join(' ');
  })()`);
}

describe('rehearsals in the dashboard', () => {
  it('shows the RSSI the test launches of a wave awaiting its decision and takes the confirmation, after which the run completes; a DPO sees no form', async () => {
    const result = validatePlan({
      planId: unique('dashboard-rehearsal'),
      customer: { id: 'ght-rhone-nord', name: 'GHT Rhône Nord', type: 'HOSPITAL' },
      workloads: [{ id: 'site', name: 'Site public', kind: 'app', sizeGb: 5, dataCategories: ['PUBLIC'], dependsOn: [], criticality: 'LOW' }],
      settings: { rehearsal: 'REQUIRED', rehearsalApprovalDeadline: 'P2D' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const started = await api('POST', '/v1/migrations', await stack.token({ roles: ['consultant'] }), result.plan);
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const handle = stack.client.workflow.getHandle(id);
    await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    const approverToken = await stack.token({ roles: ['customer'], customerId: 'ght-rhone-nord', approverRoles: ['RSSI'] });
    expect((await api('POST', `/v1/migrations/${id}/approvals/rssi`, approverToken, { decision: 'APPROVE' })).status).toBe(200);
    const awaiting = await stack.waitForStatus(handle, (status) => status.waves[0]?.rehearsal?.state === 'AWAITING_DECISION');
    const launch = awaiting.waves[0]!.rehearsal!.launches[0]!;
    expect(launch).toMatchObject({ workloadId: 'site', launchId: expect.stringMatching(/^tl-/) as unknown, network: expect.stringMatching(/^isolated-/) as unknown });
    const runPage = `${stack.apiUrl}/#/migrations/${encodeURIComponent(id)}`;

    // The DPO follows the run and sees the rehearsal, but only the RSSI decides it.
    const dpo = await signInWithToken(dashboard!, await stack.token({ sub: 'dpo@ght-rhone-nord', roles: ['customer'], customerId: 'ght-rhone-nord', approverRoles: ['DPO'] }));
    await dpo.goto(runPage);
    await dpo.locator('#rehearsal-wave-1[data-state="AWAITING_DECISION"]').waitFor();
    expect(await dpo.locator('#rehearsal-role-wave-1').innerText()).toBe('Seul le RSSI du client confirme cette répétition ou y signale un problème.');
    expect(await dpo.locator('#rehearsal-wave-1 form').count()).toBe(0);
    await dpo.close();

    const rssi = await signInAs(dashboard!, 'ght-rhone-nord-approver');
    await rssi.goto(runPage);
    const card = rssi.locator('#rehearsal-wave-1');
    await rssi.locator('#rehearsal-confirm-wave-1').waitFor();
    expect(await rssi.locator('#rehearsal-state-wave-1').innerText()).toBe('attend la décision du client');
    expect(await rssi.locator('#rehearsal-attempt-wave-1').innerText()).toBe('1');
    expect(await rssi.locator('#rehearsal-deadline-wave-1').count()).toBe(1);
    expect(await rssi.locator('#wave-rehearsal-wave-1').innerText()).toBe('Répétition : attend la décision du client (tentative 1)');
    const row = card.locator('tr[data-workload="site"]');
    expect(await row.innerText()).toContain(launch.launchId!);
    expect(await row.innerText()).toContain(launch.network!);
    expect(await row.locator('.badge').innerText()).toBe('réussi');
    for (const check of launch.smokeTest!.checks) expect(await row.locator(`li[data-outcome="${check.outcome}"]`, { hasText: check.name }).count()).toBe(1);
    expect(englishWordsIn(await textWithoutCode(rssi, '#rehearsals'))).toEqual([]);

    if (SCREENSHOT_DIR) await rssi.screenshot({ path: path.join(SCREENSHOT_DIR, 'rehearsal-awaiting-decision.png'), fullPage: true });

    // Reporting a problem needs a comment: the page says so and posts nothing (the final audit trail holds no report).
    await rssi.locator('#rehearsal-report-wave-1').click();
    expect(await rssi.locator('#rehearsal-error-wave-1').innerText()).toBe('Dites ce qui ne va pas avant de signaler le problème.');

    await rssi.locator('#rehearsal-confirm-comment-wave-1').fill('Le site de test répond, les pages s’affichent');
    await rssi.locator('#rehearsal-confirm-wave-1').click();
    await rssi.locator('#flash', { hasText: 'Répétition confirmée.' }).waitFor();
    await rssi.locator('.summary-status', { hasText: 'Terminée' }).waitFor({ timeout: 60_000 });
    await rssi.close();

    const final = await stack.waitForStatus(handle, (status) => status.status === 'COMPLETED');
    expect(final.waves[0]?.rehearsal).toMatchObject({
      state: 'PASSED',
      attempt: 1,
      decision: { decision: 'CONFIRM', by: 'approbation@ght-rhone-nord', comment: 'Le site de test répond, les pages s’affichent' },
    });
    expect(final.waves[0]?.rehearsal?.launches[0]).toMatchObject({ tornDown: true });
    expect(final.audit).toContainEqual(expect.objectContaining({ actor: 'approbation@ght-rhone-nord', action: 'CONFIRM_REHEARSAL', target: 'rehearsal.wave-1' }));
    expect(final.audit.map((entry) => entry.action)).not.toContain('REPORT_REHEARSAL_PROBLEM');
  }, 180_000);
});
