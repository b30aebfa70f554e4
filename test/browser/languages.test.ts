/**
 * One language at a time: what the run wrote for people (timeline, attention, the gate, the
 * approvals' reasons, outcomes, audit trail, step notes) is stored as message codes and the
 * dashboard renders it in the reader's language. One run walks through approvals, a failed
 * step that needs an operator, zones waiting at the regulatory gate, a wave with no cutover
 * window left and completion, in a real browser against the real stack; at each stop every
 * page of the French dashboard is read and no word of the catalogues' English side may show,
 * but what people and other systems wrote (names, a provider's error), shown as written.
 */
import type { Page } from 'playwright-core';
import { type Language, type MigrationStatus, renderRunText, renderStepTitle, renderStoredMessage, validatePlan } from '../../domain';
import { createSimCloudAdminClient, type SimCloudAdminClient } from '../../sim-cloud/admin-client';
import { englishWordsIn } from '../support/languages';
import { unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { callDashboardApi, type DashboardStack, signInAs, startDashboardStack, stopDashboardStack } from './dashboard-stack';

let dashboard: DashboardStack | undefined;
let stack: TestStack;
let admin: SimCloudAdminClient;

beforeAll(async () => {
  dashboard = await startDashboardStack();
  stack = dashboard.stack;
  admin = createSimCloudAdminClient({ baseUrl: stack.simCloud.url });
});

afterAll(async () => {
  await admin?.clearFaults();
  await admin?.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
  await stopDashboardStack(dashboard);
});

const api = (method: string, url: string, token: string, body?: unknown) => callDashboardApi(stack, method, url, token, body);

/** Every text of the run that the page shows, rendered in `language`, and the English rendering of those that differ. */
function writtenTexts(status: MigrationStatus, language: Language): { shown: string[]; english: string[] } {
  const written = [...status.timeline, ...status.attention, ...(status.outcome ? [status.outcome] : [])];
  const shown = written.map((entry) => renderRunText(entry, language));
  const english = written.map((entry) => renderRunText(entry, 'en')).filter((text, index) => text !== shown[index]);
  for (const line of status.gate?.waitingForText ?? []) {
    shown.push(renderStoredMessage(line, language));
    english.push(renderStoredMessage(line, 'en'));
  }
  const names = new Map(status.plan.workloads.map((workload) => [workload.id, workload.name]));
  for (const step of status.steps) {
    const title = renderStepTitle(step.id, language, step.workloadId === undefined ? undefined : names.get(step.workloadId));
    shown.push(title);
    if (title !== step.title && language !== 'en') english.push(step.title);
  }
  return { shown, english };
}

/** What people and other systems wrote, which the page shows as written: names, comments, a provider's errors. */
function asWritten(status: MigrationStatus): string[] {
  return [
    status.customerName,
    ...status.plan.workloads.map((workload) => workload.name),
    ...status.steps.flatMap((step) => (step.error ? [step.error.message] : [])),
    ...status.audit.flatMap((entry) => (entry.comment ? [entry.comment] : [])),
  ];
}

/** The text of the page's main part, without identifiers (`<code>`: step ids, run ids, approval ids). */
async function pageText(page: Page): Promise<string> {
  return await page.evaluate<string>(`(() => {
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    const parts = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if (!node.parentElement.closest('code')) parts.push(node.textContent);
    return parts.join(' ');
  })()`);
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
 * Unfolds what the page shows on demand: the steps, read when unfolded, the workloads, the
 * timeline and the audit trail, whose overview carries only the newest entries, older ones a
 * page at a time. Then every entry of the run is in the page, and the rows counted prove it.
 */
async function showEverything(page: Page, status: MigrationStatus): Promise<void> {
  if ((await page.locator('#steps-all[open]').count()) === 0) await page.locator('#steps-all > summary').click();
  for (const section of ['steps-table', 'classification-table', 'timeline-list', 'audit-table']) {
    if ((await page.locator(`#${section}-more`).count()) > 0) await readEveryPage(page, section);
  }
  expect(await page.locator('#steps-table-rows > tr').count()).toBe(status.steps.length);
  expect(await page.locator('#timeline-list-rows > li').count()).toBe(status.timeline.length);
}

/** Opens the run's page afresh as it stands now, reads all of it, and checks it is French through and through. */
async function expectFrenchPage(page: Page, id: string, status: MigrationStatus, statusLabel: string): Promise<string> {
  await page.goto(`${stack.apiUrl}/#/migrations/${encodeURIComponent(id)}`);
  await page.reload();
  await page.locator('.summary-status', { hasText: statusLabel }).waitFor();
  await showEverything(page, status);
  const french = await pageText(page);
  const texts = writtenTexts(status, 'fr');
  expect(texts.shown.filter((text) => !french.includes(text))).toEqual([]);
  expect(texts.english.filter((text) => french.includes(text))).toEqual([]);
  expect(englishWordsIn(french, asWritten(status))).toEqual([]);
  return french;
}

describe('the dashboard in one language at a time', () => {
  it('shows a run in French only, from its approvals through a failure, the gate and a missing cutover window to its end, and in English on request', async () => {
    // The provider is not qualified yet (R9) and its key-vault calls fail for a while.
    await admin.setCredentials({ secnumcloud: 'J2', hds: true });
    await admin.armFault({ operation: 'arm.vaults.put', mode: 'error', times: 10 });
    const result = validatePlan({
      planId: unique('dashboard-languages'),
      customer: { id: 'ght-rhone-nord', name: 'GHT Rhône Nord', type: 'HOSPITAL' },
      workloads: [
        { id: 'site', name: 'Site public', kind: 'app', sizeGb: 5, dataCategories: ['PUBLIC'], dependsOn: [], criticality: 'LOW' },
        { id: 'dpi', name: 'Dossier patient', kind: 'database', sizeGb: 5, dataCategories: ['HEALTH'], dependsOn: [], criticality: 'HIGH' },
        { id: 'automates', name: 'Automates du laboratoire', kind: 'ot', sizeGb: 1, dataCategories: ['INTERNAL'], dependsOn: [], criticality: 'MEDIUM' },
      ],
      // The only window is in the past: each wave waits for ops to open one.
      cutoverWindow: { start: '2026-01-10T22:00:00Z', end: '2026-01-11T04:00:00Z', switchoverDuration: 'PT2H' },
      settings: { qualificationCheckInterval: 'PT1H' },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const started = await api('POST', '/v1/migrations', await stack.token({ roles: ['consultant'] }), result.plan);
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const handle = stack.client.workflow.getHandle(id);
    const ops = await stack.token({ roles: ['ops'] });
    const page = await signInAs(dashboard!, 'ops');

    // Approvals: each one says why the classification asks for it; the workload that stays on site says why (R1).
    const awaiting = await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL');
    const approvalsPage = await expectFrenchPage(page, id, awaiting, 'En attente');
    expect(approvalsPage).toContain('Données de santé dans dpi');
    expect(approvalsPage).toContain('Les systèmes industriels restent sur site');
    const approver = await stack.token({ roles: ['customer'], customerId: 'ght-rhone-nord', approverRoles: ['RSSI', 'DPO', 'HOMOLOGATION_AUTHORITY'] });
    for (const approvalId of ['rssi', 'dpo', 'dpia', 'homologation']) {
      expect((await api('POST', `/v1/migrations/${id}/approvals/${approvalId}`, approver, { decision: 'APPROVE', comment: 'Vu en comité' })).status).toBe(200);
    }

    // A failed step waits for an operator while the health zone waits at the gate.
    const failed = await stack.waitForStatus(handle, (status) => status.attention.some((item) => item.reason === 'STEP_FAILED') && (status.gate?.checks ?? 0) > 0);
    const failedPage = await expectFrenchPage(page, id, failed, 'Intervention requise');
    expect(failedPage).toContain('La zone secnumcloud-hds attend la qualification SecNumCloud en vigueur');
    const failedStep = failed.attention.find((item) => item.reason === 'STEP_FAILED')!.stepId;
    await admin.clearFaults();
    expect((await api('POST', `/v1/migrations/${id}/steps/${failedStep}/retry`, ops)).status).toBe(200);

    // The standard zone's wave has no cutover window left: ops are asked to open one.
    const noWindow = await stack.waitForStatus(handle, (status) => status.attention.some((item) => item.reason === 'NO_CUTOVER_WINDOW'));
    await expectFrenchPage(page, id, noWindow, 'Intervention requise');
    const closesAt = new Date(Date.now() + 6 * 3600 * 1000).toISOString();
    expect((await api('POST', `/v1/migrations/${id}/cutover-window`, ops, { closesAt, reason: 'Bascule avancée à la demande du directeur' })).status).toBe(200);

    // The provider is qualified: the health zone passes the gate, and the run ends.
    await stack.waitForStatus(handle, (status) => status.steps.some((step) => step.waveId !== undefined && step.state === 'SUCCEEDED'));
    await admin.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
    expect((await api('POST', '/v1/provider/qualification-changed', ops, {})).status).toBe(200);
    const final = await stack.waitForStatus(handle, (status) => status.status === 'COMPLETED', 120_000);
    expect(final.timeline.every((entry) => entry.text !== undefined)).toBe(true);
    const done = await expectFrenchPage(page, id, final, 'Terminée');
    expect(done).toContain('a ouvert une fenêtre de bascule exceptionnelle pour toutes les vagues');
    expect(done).toContain('Fenêtre de bascule exceptionnelle pour toutes les vagues');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.locator('.summary-status', { hasText: 'Completed' }).waitFor();
    await showEverything(page, final);
    const english = await pageText(page);
    expect(writtenTexts(final, 'en').shown.filter((text) => !english.includes(text))).toEqual([]);
    // The check can fail: the English page is full of the words it looks for.
    expect(englishWordsIn(english, asWritten(final)).length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Passer en français' }).click();
    await page.close();
  }, 300_000);
});
