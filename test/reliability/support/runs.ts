import type { LandingZoneResourceType, ResourceType } from '../../../provider';

/** What the provider holds, counted by kind: the landing zones' ARM resources and the migration service's. */
type ProvisionedKind = ResourceType | LandingZoneResourceType;
import type { SimCloudAdminClient } from '../../../sim-cloud/admin-client';
import { provisionedCounts } from '../../support/provisioned';
import type { ProcessStack } from './process-stack';

/** A plan id no other test uses, so that runs never meet an earlier one's workflow id. */
export function freshPlanId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

/**
 * A plan for a private company with public and internal data only: every workload is STANDARD,
 * so the run needs one approval (RSSI) and no qualification, and provisions one landing zone.
 * Workloads do not depend on each other, so `maxWaveSize` decides the waves.
 */
export function standardPlan(options: { planId: string; customerId: string; workloads: number; sizeGb?: number; maxWaveSize?: number; workloadPrefix?: string }) {
  return {
    planId: options.planId,
    customer: { id: options.customerId, name: 'Reliability Test SAS', type: 'PRIVATE' },
    workloads: Array.from({ length: options.workloads }, (_, index) => ({
      id: `${options.workloadPrefix ?? 'app'}-${index + 1}`,
      name: `Application ${index + 1}`,
      kind: 'app',
      sizeGb: options.sizeGb ?? 10,
      dataCategories: index % 2 === 0 ? ['PUBLIC'] : ['INTERNAL'],
      dependsOn: [],
      criticality: 'LOW',
    })),
    settings: { approvalDeadline: 'P30D', maxWaveSize: options.maxWaveSize ?? options.workloads, bandwidthMbps: 1000 },
  };
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** One HTTP call to the stack's API with a bearer token; the body is parsed when it is JSON. */
export async function callApi(stack: ProcessStack, method: string, route: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  const response = await fetch(`${stack.apiUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the failure message
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Starts a run through the API as a consultant; fails unless the API answers 202. */
export async function startRunThroughApi(stack: ProcessStack, plan: ReturnType<typeof standardPlan>): Promise<string> {
  const answer = await callApi(stack, 'POST', '/v1/migrations', await stack.token({ roles: ['consultant'] }), plan);
  if (answer.status !== 202) throw new Error(`start answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return (answer.body as { id: string }).id;
}

/** The customer's RSSI decides the run's only approval. */
export async function decideRssiApproval(stack: ProcessStack, id: string, customerId: string, decision: 'APPROVE' | 'REJECT' = 'APPROVE'): Promise<void> {
  const token = await stack.token({ sub: `rssi-${customerId}`, roles: ['customer'], customerId, approverRoles: ['RSSI'] });
  const answer = await callApi(stack, 'POST', `/v1/migrations/${id}/approvals/rssi`, token, {
    decision,
    ...(decision === 'APPROVE' ? {} : { comment: 'Not this quarter' }),
  });
  if (answer.status !== 200) throw new Error(`${decision} of ${id} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
}

/** How many resources of each type sim-cloud holds, leaving out the types it holds none of. */
export async function resourceCounts(admin: SimCloudAdminClient): Promise<Partial<Record<ProvisionedKind, number>>> {
  return await provisionedCounts(admin);
}

/**
 * What `runs` completed runs of {@link standardPlan} with `workloads` workloads leave at the
 * provider: one of each provisioning resource per run, one of each cutover resource per workload.
 */
export function expectedResourceCounts(runs: number, workloads: number): Partial<Record<ProvisionedKind, number>> {
  return {
    tenant: runs,
    'landing-zone': runs,
    'key-vault': runs,
    'policy-assignment': runs,
    'log-forwarding': runs,
    replication: runs * workloads,
    'final-sync': runs * workloads,
    validation: runs * workloads,
    'dns-record': runs * workloads,
    'smoke-test': runs * workloads,
  };
}

/** What a workflow's history says of one activity type: the attempt each execution ended on, and how it ended. */
export async function activityExecutions(stack: ProcessStack, workflowId: string, activityType: string): Promise<{ attempt: number; outcome: 'completed' | 'failed' | 'timed out' | 'open' }[]> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const scheduled = new Map<string, { attempt: number; outcome: 'completed' | 'failed' | 'timed out' | 'open' }>();
  for (const event of history.events ?? []) {
    const id = String(event.eventId);
    if (event.activityTaskScheduledEventAttributes?.activityType?.name === activityType) scheduled.set(id, { attempt: 0, outcome: 'open' });
    const started = event.activityTaskStartedEventAttributes;
    const startedFor = started && scheduled.get(String(started.scheduledEventId));
    if (startedFor) startedFor.attempt = started.attempt ?? 0;
    const endings = [
      ['completed', event.activityTaskCompletedEventAttributes],
      ['failed', event.activityTaskFailedEventAttributes],
      ['timed out', event.activityTaskTimedOutEventAttributes],
    ] as const;
    for (const [outcome, attributes] of endings) {
      const endedFor = attributes && scheduled.get(String(attributes.scheduledEventId));
      if (endedFor) endedFor.outcome = outcome;
    }
  }
  return [...scheduled.values()];
}
