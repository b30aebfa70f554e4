import { stepIds } from '../../domain';
import { qualificationChangedSignal, statusQuery } from '../../workflows/messages';
import { smallPlan, unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { approveAll, chainHistoryLengths, type SimCloudForTests, startRun, useWorkflowStack } from './support/runs';
import { waitFor } from '../support/wait';
import { finalStatusOf } from '../support/statuses';

let stack: TestStack;
let simCloud: SimCloudForTests;
useWorkflowStack((started, admin) => {
  stack = started;
  simCloud = admin;
});

/**
 * Checks of the provider the test waits for: 20,000, more than two years of hourly checks
 * (17,520). A 2-core machine does about 20 a second with nothing else running (the test server's
 * timers fire at once, scripts/lib/dev-server.ts), so the file lasts some 17 minutes alone and
 * jest starts it first (test/setup/sequencer.mjs). PASSERELLE_LONG_WAIT_CHECKS sets fewer for a
 * quick local run; below 20,000 the test no longer proves the two years.
 */
const CHECKS = Number(process.env.PASSERELLE_LONG_WAIT_CHECKS ?? 20_000);
if (!Number.isInteger(CHECKS) || CHECKS < 1) throw new Error(`PASSERELLE_LONG_WAIT_CHECKS must be a whole number of checks, not "${process.env.PASSERELLE_LONG_WAIT_CHECKS}".`);
/** Time allowed: 19 minutes, or 150 ms a check for a longer wait (a loaded machine does 7 to 20 a second). */
const WAIT_MS = Math.max(19 * 60_000, CHECKS * 150);
/** Events after which the run continues as new: small, so that even a quick run of a few hundred checks makes a chain of several runs. */
const EVENT_BUDGET = 1_000;
/** Temporal warns past 10,240 events in one history. */
const HISTORY_WARNING = 10_240;

describe('a run that waits months at the regulatory gate', () => {
  it(`checks the provider ${CHECKS} times with every history of its chain under ${HISTORY_WARNING} events, keeps its state, then completes once qualified`, async () => {
    await simCloud.setCredentials({ secnumcloud: 'J2', hds: true });
    const plan = smallPlan(unique('long-wait'), { customerId: unique('ministere'), categories: ['DIFFUSION_RESTREINTE'] });
    // The hourly check, accelerated: a millisecond stands for an hour.
    plan.settings.qualificationCheckInterval = 'PT0.001S';
    const handle = await startRun(stack, plan, { continueAsNewAfterEvents: EVENT_BUDGET });
    await approveAll(stack, handle, plan);
    const started = Date.now();
    // Polled every two seconds: a query costs the worker and the server as much as a check.
    let checks = 0;
    const waited = await waitFor(
      `${CHECKS} checks of the provider`,
      async () => {
        const status = await handle.query(statusQuery);
        checks = status.gate?.checks ?? 0;
        return checks >= CHECKS ? status : undefined;
      },
      { timeoutMs: WAIT_MS, intervalMs: 2_000, lastSeen: () => `${checks} checks` },
    );
    const elapsedMs = Date.now() - started;

    expect(waited.phase).toBe('AWAITING_QUALIFICATION');
    expect(waited.status).toBe('WAITING');
    expect(waited.gate?.waitingFor.length).toBeGreaterThan(0);
    const whileWaiting = await chainHistoryLengths(stack.client, handle.workflowId);
    expect(whileWaiting.length).toBeGreaterThanOrEqual(Math.floor((CHECKS * 6) / EVENT_BUDGET));

    await simCloud.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
    await handle.signal(qualificationChangedSignal);
    const final = await finalStatusOf(handle);
    expect(final.status).toBe('COMPLETED');
    expect(final.gate?.checks).toBeGreaterThanOrEqual(CHECKS);
    // The approvals given before the wait, and their audit entries, came through every run of the chain.
    expect(final.approvals.every((approval) => approval.round !== final.round || approval.state === 'APPROVED')).toBe(true);
    expect(final.audit.filter((entry) => entry.action === 'APPROVE').length).toBe(waited.approvals.filter((approval) => approval.round === waited.round).length);
    expect(final.steps.find((step) => step.id === stepIds.qualification)?.state).toBe('SUCCEEDED');
    expect(final.timeline.length).toBeLessThanOrEqual(500);
    expect(await handle.query(statusQuery)).toMatchObject({ status: 'COMPLETED', workflowId: handle.workflowId });

    const lengths = await chainHistoryLengths(stack.client, handle.workflowId);
    const longest = Math.max(...lengths);
    expect(longest).toBeLessThan(HISTORY_WARNING);
    console.info(`long wait: ${final.gate?.checks} checks in ${(elapsedMs / 1000).toFixed(0)} s over ${lengths.length} runs; longest history ${longest} events`);
  }, WAIT_MS + 60_000);
});
