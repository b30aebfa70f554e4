import { type Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createHttpCloudProvider } from '../../../activities/provider';
import type { WorkloadStatus } from '../../../provider/types';
import type { ApprovalView, MigrationStatus, Plan } from '../../../domain';
import { createSimCloudAdminClient, type SimCloudAdminClient } from '../../../sim-cloud/admin-client';
import { decideApprovalUpdate } from '../../../workflows/messages';
import type { RunTuning } from '../../../workflows/tuning';
import { type MigrationRunHandle, startMigrationRun } from '../../../use-cases/start-migration-run';
import { approver, consultant } from '../../support/plans';
import { provisionedCounts } from '../../support/provisioned';
import { FAST_TUNING, startStack, type TestStack } from '../../support/stack';

export type MigrationHandle = MigrationRunHandle;

/** Starts a run of `plan` on the stack's task queue as the API does (startMigrationRun), with fast tuning (and `tuning` on top). */
export async function startRun(stack: TestStack, plan: Plan, tuning: Partial<RunTuning> = {}): Promise<MigrationHandle> {
  const { handle } = await startMigrationRun(stack.client, { plan, startedBy: consultant, taskQueue: stack.taskQueue, tuning: { ...FAST_TUNING, ...tuning } });
  return handle;
}

/** The approvals of the run's current round. */
export function currentApprovals(status: Pick<MigrationStatus, 'approvals' | 'round'>): ApprovalView[] {
  return status.approvals.filter((approval) => approval.round === status.round);
}

/** Waits for the run to ask for approvals, then gives every one of them as the customer's approver holding its role. */
export async function approveAll(stack: TestStack, handle: MigrationHandle, plan: Plan): Promise<MigrationStatus> {
  const waiting = await stack.waitForStatus(handle, (status) => status.phase === 'AWAITING_APPROVAL' && currentApprovals(status).length > 0);
  for (const approval of currentApprovals(waiting)) {
    if (approval.state !== 'PENDING') continue;
    await handle.executeUpdate(decideApprovalUpdate, {
      args: [{ approvalId: approval.id, decision: 'APPROVE', actor: approver(plan.customer.id, [approval.role]) }],
    });
  }
  return waiting;
}

/** The `type` of the ApplicationFailure with which an Update's validator or handler refused. */
export async function refusalOf(update: Promise<unknown>): Promise<string | undefined> {
  try {
    await update;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) return error.cause.type ?? undefined;
    throw error;
  }
  throw new Error('the update was accepted');
}

/** sim-cloud's test controls and its view of one workload, for the stack's sim-cloud. */
export function simCloudOf(stack: TestStack): SimCloudAdminClient & { workload(tenantId: string, workloadId: string): Promise<WorkloadStatus> } {
  const admin = createSimCloudAdminClient({ baseUrl: stack.simCloud.url });
  const provider = createHttpCloudProvider({ baseUrl: stack.simCloud.url, timeoutMs: 5_000 });
  return { ...admin, workload: (tenantId, workloadId) => provider.getWorkload({ tenantId, workloadId }) };
}

/** sim-cloud's admin client with a look at one workload, as workflow tests use it. */
export type SimCloudForTests = ReturnType<typeof simCloudOf>;

/**
 * Registers the hooks of a workflow test file: one stack for the file, handed to `bind` once
 * started, and sim-cloud back to its defaults (no fault, provider qualified, replication at
 * normal speed) after each test, so that no test leaks its setup into the next.
 */
export function useWorkflowStack(bind: (stack: TestStack, simCloud: SimCloudForTests) => void): void {
  let started: { stack: TestStack; simCloud: SimCloudForTests } | undefined;
  beforeAll(async () => {
    const stack = await startStack();
    started = { stack, simCloud: simCloudOf(stack) };
    bind(started.stack, started.simCloud);
  });
  afterEach(async () => {
    if (!started) return;
    await started.simCloud.clearFaults();
    await started.simCloud.setCredentials({ secnumcloud: 'QUALIFIED', hds: true });
    await started.simCloud.writeSettings({ replicationSpeedFactor: 1, brokenTestWorkloads: [] });
  });
  afterAll(async () => {
    await started?.stack.stop();
  });
}

/** How many resources of each type sim-cloud holds for one tenant (the tenant itself included). */
export async function resourceCountsOf(admin: SimCloudAdminClient, tenantId: string): Promise<Record<string, number>> {
  return await provisionedCounts(admin, tenantId);
}

/** Every run of a workflow id, oldest first, with its history length. */
export async function runChain(client: Client, workflowId: string): Promise<{ runId: string; status: string; events: number }[]> {
  const runs: { runId: string; status: string; events: number; startTime: number }[] = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await client.workflow.getHandle(workflowId, execution.runId).fetchHistory();
    runs.push({ runId: execution.runId, status: execution.status.name, events: history.events?.length ?? 0, startTime: execution.startTime.getTime() });
  }
  return runs.sort((left, right) => left.startTime - right.startTime).map(({ runId, status, events }) => ({ runId, status, events }));
}

/**
 * The history length of every run of a chain, newest first, from the newest run back through
 * each run's `continuedExecutionRunId` (histories, not visibility, which may lag).
 */
export async function chainHistoryLengths(client: Client, workflowId: string): Promise<number[]> {
  const lengths: number[] = [];
  let runId: string | undefined = (await client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    lengths.push(history.events?.length ?? 0);
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return lengths;
}
