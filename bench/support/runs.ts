import type { Client, WorkflowHandle } from '@temporalio/client';
import { type Actor, FINAL_STATUSES, type MigrationOverview, type MigrationStatus, type Plan, validatePlan } from '../../domain';
import { startMigrationRun } from '../../use-cases/start-migration-run';
import { decideApprovalUpdate, overviewQuery, statusQuery } from '../../workflows/messages';
import type { RunTuning } from '../../workflows/tuning';

/** The consultant every benchmark run is started by. */
export const BENCH_CONSULTANT: Actor = { subject: 'bench-consultant', roles: ['consultant'], approverRoles: [] };

/**
 * A private company's plan with public and internal data: STANDARD hosting, one approval
 * (RSSI), no qualification wait. Workloads are independent, so `maxWaveSize` makes the waves.
 * With `personalData`, the first workload holds personal data: the DPO approves too (the `dpo`
 * approval), so a run still waits once its RSSI has approved.
 */
export function standardBenchPlan(options: { planId: string; customerId: string; workloads: number; maxWaveSize: number; personalData?: boolean }): Plan {
  const result = validatePlan({
    planId: options.planId,
    customer: { id: options.customerId, name: 'Benchmark SAS', type: 'PRIVATE' },
    workloads: Array.from({ length: options.workloads }, (_, index) => ({
      id: `app-${index + 1}`,
      name: `Application ${index + 1}`,
      kind: 'app',
      sizeGb: 10,
      dataCategories: [options.personalData && index === 0 ? 'PERSONAL' : index % 2 === 0 ? 'PUBLIC' : 'INTERNAL'],
      dependsOn: [],
      criticality: 'LOW',
    })),
    settings: { approvalDeadline: 'P30D', maxWaveSize: options.maxWaveSize, bandwidthMbps: 10_000 },
  });
  if (!result.ok) throw new Error(`benchmark plan is invalid: ${JSON.stringify(result.errors.slice(0, 3))}`);
  return result.plan;
}

/** Starts a run as the API does (startMigrationRun), without the HTTP hop. */
export async function startBenchRun(client: Client, taskQueue: string, plan: Plan, tuning: Partial<RunTuning> = {}): Promise<WorkflowHandle> {
  const { handle } = await startMigrationRun(client, { plan, startedBy: BENCH_CONSULTANT, taskQueue, tuning });
  return handle;
}

/** Polls the status query until `predicate` holds, every `intervalMs`; fails after `timeoutMs`. */
export async function waitForStatus(handle: WorkflowHandle, predicate: (status: MigrationStatus) => boolean, timeoutMs: number, intervalMs = 100): Promise<MigrationStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: MigrationStatus | undefined;
  while (Date.now() < deadline) {
    try {
      last = await handle.query(statusQuery);
    } catch {
      // the first workflow task has not run yet
    }
    if (last && predicate(last)) return last;
    if (last && FINAL_STATUSES.includes(last.status)) {
      throw new Error(`${handle.workflowId} ended ${last.status} in ${last.phase}: ${last.outcome?.reason ?? 'no reason given'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${handle.workflowId}: status never matched; last ${last?.phase}/${last?.status}`);
}

/** {@link waitForStatus} on the run's overview, whose size does not grow with the estate. */
export async function waitForOverview(handle: WorkflowHandle, predicate: (overview: MigrationOverview) => boolean, timeoutMs: number, intervalMs = 100): Promise<MigrationOverview> {
  const deadline = Date.now() + timeoutMs;
  let last: MigrationOverview | undefined;
  while (Date.now() < deadline) {
    try {
      last = await handle.query(overviewQuery);
    } catch {
      // the first workflow task has not run yet
    }
    if (last && predicate(last)) return last;
    if (last && FINAL_STATUSES.includes(last.status)) {
      throw new Error(`${handle.workflowId} ended ${last.status} in ${last.phase}: ${last.outcome?.reason ?? 'no reason given'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`${handle.workflowId}: overview never matched; last ${last?.phase}/${last?.status}`);
}

/**
 * Gives every approval of the run's current round, each by an approver of the customer holding
 * its role, once the overview (read every `pollMs`) shows the run waiting for them.
 */
export async function approveEverything(handle: WorkflowHandle, timeoutMs: number, pollMs = 500): Promise<void> {
  const waiting = await waitForOverview(handle, (overview) => overview.phase === 'AWAITING_APPROVAL', timeoutMs, pollMs);
  for (const approval of waiting.approvals.filter((candidate) => candidate.round === waiting.round && candidate.state === 'PENDING')) {
    const actor: Actor = { subject: `bench-${approval.role.toLowerCase()}`, roles: ['customer'], customerId: waiting.customerId, approverRoles: [approval.role] };
    await handle.executeUpdate(decideApprovalUpdate, { args: [{ approvalId: approval.id, decision: 'APPROVE', actor }] });
  }
}

/** The number of events (and JSON size) of every run in a workflow id's continue-as-new chain, and of its wave children. */
export async function historyLengths(client: Client, workflowId: string): Promise<{ workflowId: string; runId: string; events: number; bytes: number }[]> {
  const lengths: { workflowId: string; runId: string; events: number; bytes: number }[] = [];
  const children = new Set<string>();
  // From the latest run back: each run's first event names the run it continued.
  let runId: string | undefined;
  do {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const started = events[0]?.workflowExecutionStartedEventAttributes;
    lengths.push({ workflowId, runId: started?.originalExecutionRunId ?? runId ?? '', events: events.length, bytes: JSON.stringify(history).length });
    for (const event of events) {
      const child = event.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
      if (child) children.add(child);
    }
    runId = started?.continuedExecutionRunId || undefined;
  } while (runId);
  for (const child of children) {
    const history = await client.workflow.getHandle(child).fetchHistory();
    lengths.push({ workflowId: child, runId: '', events: history.events?.length ?? 0, bytes: JSON.stringify(history).length });
  }
  return lengths;
}
