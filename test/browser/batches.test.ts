/**
 * Fleet operations in the dashboard, in a real browser against the real stack: after an outage
 * of traffic switching, ops select the stuck runs by customer and failed step's operation,
 * preview them (nothing touched), confirm, and follow the batch to each run's outcome; a
 * customer sees no such page. `UPDATE_SCREENSHOTS=1` saves the screenshots the README shows.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { smallPlan, unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { createSimCloudAdminClient } from '../../sim-cloud/admin-client';
import { approveAll, startRun } from '../workflows/support/runs';
import { type DashboardStack, signInAs, startDashboardStack, stopDashboardStack } from './dashboard-stack';

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

describe('fleet operations in the dashboard', () => {
  it('lets ops preview the runs an outage left stuck, confirm a batch retry and follow each run’s outcome', async () => {
    const customer = unique('ght-fleet');
    const simCloud = createSimCloudAdminClient({ baseUrl: stack.simCloud.url });
    await simCloud.armFault({ operation: 'switchTraffic', mode: 'error', times: 1_000 });
    const plans = [1, 2].map((index) => smallPlan(unique(`fleet-${index}`), { customerId: customer }));
    const handles = await Promise.all(plans.map((plan) => startRun(stack, plan)));
    for (const [index, handle] of handles.entries()) await approveAll(stack, handle, plans[index]!);
    for (const handle of handles) await stack.waitForStatus(handle, (status) => status.attention.some((item) => item.stepId.endsWith('.switch')), 120_000);
    await simCloud.clearFaults();

    const ops = await signInAs(dashboard!, 'ops');
    await ops.locator('#nav-batches').click();
    await ops.getByRole('heading', { level: 1, name: 'Opérations groupées' }).waitFor();
    await ops.locator('#batch-customer').fill(customer);
    await ops.locator('#batch-operation').selectOption('switch');
    await ops.locator('#batch-reason').fill('Panne de bascule du trafic résolue (INC-4711)');
    // Visibility catches up with the runs' search attributes shortly after they change: preview again until both show.
    const caption = ops.locator('#batch-preview-caption');
    for (let attempt = 0; ; attempt += 1) {
      await ops.locator('#batch-preview-button').click();
      await caption.waitFor();
      if ((await caption.innerText()) === '2 migrations concernées (rien n’a été modifié)' || attempt > 50) break;
    }
    expect(await caption.innerText()).toBe('2 migrations concernées (rien n’a été modifié)');
    for (const handle of handles) expect(await ops.locator('#batch-preview').getByRole('link', { name: handle.workflowId }).count()).toBe(1);
    if (SCREENSHOT_DIR) await ops.screenshot({ path: path.join(SCREENSHOT_DIR, 'batch-preview.png'), fullPage: true });

    await ops.locator('#batch-confirm').click();
    await ops.locator('#batch-state', { hasText: 'Terminée' }).waitFor({ timeout: 90_000 });
    expect(await ops.locator('#batch-progress-label').innerText()).toBe('2 sur 2 migrations traitées');
    for (const handle of handles) {
      expect(await ops.locator(`#batch-run-${handle.workflowId.replace(/[^A-Za-z0-9_-]/g, '_')}`).innerText()).toContain('Faite');
    }
    expect(await ops.locator('#batch-requested').innerText()).toContain('ops@passerelle');
    if (SCREENSHOT_DIR) await ops.screenshot({ path: path.join(SCREENSHOT_DIR, 'batch-completed.png'), fullPage: true });
    await ops.locator('#language').click();
    await ops.locator('#batch-state', { hasText: 'Completed' }).waitFor();
    expect(await ops.locator('#batch-progress-label').innerText()).toBe('2 of 2 migrations handled');
    await ops.close();
    for (const handle of handles) expect((await handle.result()).status).toBe('COMPLETED');

    const approver = await signInAs(dashboard!, 'ght-rhone-nord-approver');
    expect(await approver.locator('#nav-batches').count()).toBe(0);
    await approver.goto(`${stack.apiUrl}/#/batches`);
    await approver.getByRole('alert').filter({ hasText: 'batch.read' }).waitFor();
    await approver.close();
  }, 300_000);
});
