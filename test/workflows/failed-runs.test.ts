/**
 * No run left reading as running: a run that fails on an error it does not handle (here its
 * wave's workflow terminated behind its back) says FAILED in its own status, outcome and
 * search attributes before Temporal closes it, so that the list's search attribute agrees with
 * every other read.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { renderStoredMessage } from '../../domain';
import { statusQuery } from '../../workflows/messages';
import { RUN_STATUS } from '../../workflows/search-attributes';
import { smallPlan, unique } from '../support/plans';
import type { TestStack } from '../support/stack';
import { waitFor } from '../support/wait';
import { approveAll, type SimCloudForTests, startRun, useWorkflowStack } from './support/runs';

let stack: TestStack;
let simCloud: SimCloudForTests;
useWorkflowStack((started, admin) => {
  stack = started;
  simCloud = admin;
});

describe('a run whose wave workflow is terminated', () => {
  it('fails, and its status, outcome and PasserelleStatus search attribute say FAILED', async () => {
    const plan = smallPlan(unique('failed'), { customerId: unique('mairie') });
    // wave-1's validation hangs, so the wave is surely running when it is terminated.
    await simCloud.armFault({ operation: 'validateWorkload', mode: 'latency', latencyMs: 20_000, times: 1 });
    const handle = await startRun(stack, plan);
    await approveAll(stack, handle, plan);
    const running = await stack.waitForStatus(handle, (status) => status.waves[0]?.state === 'RUNNING' && status.waves[0].workflowId !== undefined);
    // The run names its wave as it asks Temporal to start it: terminate the wave once it exists.
    const wave = stack.client.workflow.getHandle(running.waves[0]!.workflowId!);
    await waitFor('the wave workflow to have started', async () => ((await wave.describe()).status.name === 'RUNNING' ? true : undefined), { retryErrors: true });
    await wave.terminate('terminated by a hostile test');

    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const status = await handle.query(statusQuery);
    expect(status.status).toBe('FAILED');
    expect(status.outcome).toEqual({
      status: 'FAILED',
      reason: expect.stringMatching(/^the run failed: /) as unknown,
      text: { code: 'RUN_FAILED', params: { error: expect.not.stringMatching(/^the run failed: /) as unknown } },
    });
    // The message says "failed" once, in the reader's language: the error alone is its parameter.
    expect(renderStoredMessage(status.outcome?.text, 'fr')).toMatch(/^Migration en échec : (?!the run failed)/);
    expect((await handle.describe()).typedSearchAttributes.get(RUN_STATUS)).toBe('FAILED');
  });
});
