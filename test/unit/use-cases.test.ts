import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { type SearchAttributePair } from '@temporalio/common';
import { encodeUnifiedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { msNumberToTs } from '@temporalio/common/lib/time';
import { classifyPlan, type MigrationStatus, type Plan, validatePlan } from '../../domain';
import { ApplicationError } from '../../use-cases/application-error';
import { buildVisibilityQuery, toMigrationSummary } from '../../use-cases/migration-list';
import { buildMigrationReport } from '../../use-cases/migration-report';
import { actorOf, toUpdateRefusal } from '../../use-cases/migrations';
import { hashPlan } from '../../use-cases/start-migration-run';
import { toApplicationError, translatingTemporalErrors } from '../../use-cases/temporal-errors';
import { CUSTOMER_ID, NEEDS_ATTENTION, PHASE, RUN_STATUS } from '../../workflows/search-attributes';

const hospitalPlan = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'estates', 'hospital-group.plan.json'), 'utf8')) as Record<string, unknown>;

function validated(input: unknown): Plan {
  const result = validatePlan(input);
  if (!result.ok) throw new Error(`fixture plan is invalid: ${JSON.stringify(result.errors)}`);
  return result.plan;
}

describe('the plan hash that makes a repeated start the same start', () => {
  it('is the same for a plan that only differs by defaults or key order', () => {
    const reordered = Object.fromEntries(Object.entries({ ...hospitalPlan, settings: { ...(hospitalPlan.settings as object), qualificationCheckInterval: 'PT1H' } }).reverse());
    expect(hashPlan(validated(reordered))).toBe(hashPlan(validated(hospitalPlan)));
  });

  it('differs for a plan that differs', () => {
    expect(hashPlan(validated({ ...hospitalPlan, settings: { maxWaveSize: 2 } }))).not.toBe(hashPlan(validated(hospitalPlan)));
  });
});

describe('lists', () => {
  it('turn every filter into a clause on its search attribute', () => {
    expect(buildVisibilityQuery({ customer: 'ght-rhone-nord', phase: 'CUTOVER', status: 'RUNNING', needsAttention: false }, undefined)).toBe(
      "WorkflowType = 'migrationWorkflow' AND ExecutionStatus != 'ContinuedAsNew' AND PasserelleCustomerId = 'ght-rhone-nord' AND PasserellePhase = 'CUTOVER' AND PasserelleStatus = 'RUNNING' AND ExecutionStatus = 'Running' AND PasserelleNeedsAttention = false",
    );
  });

  it('find the runs Temporal closed under the status they read as, whatever their search attribute says', () => {
    expect(buildVisibilityQuery({ status: 'FAILED' }, undefined)).toBe(
      "WorkflowType = 'migrationWorkflow' AND ExecutionStatus != 'ContinuedAsNew' AND (PasserelleStatus = 'FAILED' OR ExecutionStatus IN ('Failed', 'Terminated', 'TimedOut'))",
    );
    expect(buildVisibilityQuery({ status: 'CANCELLED' }, undefined)).toBe(
      "WorkflowType = 'migrationWorkflow' AND ExecutionStatus != 'ContinuedAsNew' AND (PasserelleStatus = 'CANCELLED' OR ExecutionStatus IN ('Canceled'))",
    );
    expect(buildVisibilityQuery({ status: 'COMPLETED' }, undefined)).toBe("WorkflowType = 'migrationWorkflow' AND ExecutionStatus != 'ContinuedAsNew' AND PasserelleStatus = 'COMPLETED'");
  });

  it('always carry a customer’s own id as a clause of its own, which its filter can only narrow', () => {
    expect(buildVisibilityQuery({ customer: 'ght-rhone-nord' }, 'region-sud')).toBe(
      "WorkflowType = 'migrationWorkflow' AND ExecutionStatus != 'ContinuedAsNew' AND PasserelleCustomerId = 'region-sud' AND PasserelleCustomerId = 'ght-rhone-nord'",
    );
  });

  it('quote values so that none can close its string', () => {
    expect(buildVisibilityQuery({ customer: "x' OR '1'='1" }, undefined)).toContain("PasserelleCustomerId = 'x\\' OR \\'1\\'=\\'1'");
  });

  function execution(closed: boolean, status = 'NEEDS_ATTENTION') {
    const attributes: SearchAttributePair[] = [
      { key: CUSTOMER_ID, value: 'region-sud' },
      { key: PHASE, value: 'CUTOVER' },
      { key: RUN_STATUS, value: status },
      { key: NEEDS_ATTENTION, value: true },
    ];
    return {
      execution: { workflowId: 'migration-b', runId: 'run' },
      startTime: msNumberToTs(Date.parse('2027-01-04T09:00:00Z')),
      closeTime: closed ? msNumberToTs(Date.parse('2027-01-05T09:00:00Z')) : undefined,
      searchAttributes: { indexedFields: encodeUnifiedSearchAttributes(undefined, attributes) },
    };
  }

  it('read a run from its search attributes', () => {
    expect(toMigrationSummary(execution(false))).toEqual({
      id: 'migration-b',
      customerId: 'region-sud',
      phase: 'CUTOVER',
      status: 'NEEDS_ATTENTION',
      needsAttention: true,
      startedAt: '2027-01-04T09:00:00.000Z',
      closedAt: null,
    });
  });

  it('say FAILED of a run that closed without a final status (terminated, timed out)', () => {
    expect(toMigrationSummary(execution(true))).toMatchObject({ status: 'FAILED', closedAt: '2027-01-05T09:00:00.000Z' });
    expect(toMigrationSummary(execution(true, 'COMPLETED'))).toMatchObject({ status: 'COMPLETED' });
  });
});

describe('what an Update throws', () => {
  it.each([
    ['NotFound', 'not-found'],
    ['Forbidden', 'forbidden'],
    ['Conflict', 'conflict'],
    ['Invalid', 'unprocessable'],
    ['InvalidPlan', 'unprocessable'],
  ])('maps the workflow’s %s refusal to a %s refusal with its message', (type, kind) => {
    const failure = ApplicationFailure.create({ type, message: `refused: ${type}`, nonRetryable: true, details: [[{ path: 'workloads[0]', message: 'no' }]] });
    const refusal = toUpdateRefusal(new WorkflowUpdateFailedError('Workflow Update failed', failure), 'migration-x');
    expect(refusal).toMatchObject({ kind, message: `refused: ${type}` });
    if (kind === 'unprocessable') expect(refusal?.details.errors).toEqual([{ path: 'workloads[0]', message: 'no' }]);
  });

  it('maps a run that closed in between to a conflict naming the run', () => {
    const refusal = toUpdateRefusal(new WorkflowNotFoundError('workflow execution already completed', 'migration-x', undefined), 'migration-x');
    expect(refusal).toMatchObject({ kind: 'conflict', message: 'Migration migration-x: the run has ended and takes no more decisions.' });
  });

  it('leaves any other failure as the fault it is', () => {
    expect(toUpdateRefusal(new Error('boom'), 'migration-x')).toBeUndefined();
  });
});

describe('what Temporal throws', () => {
  it.each([
    [14, 5],
    [4, 5],
    [8, 2],
  ])('makes gRPC code %i an unavailable refusal to retry after %is', async (code, seconds) => {
    const useCases = translatingTemporalErrors({
      read: async () => {
        throw Object.assign(new Error('grpc failure at 10.0.0.7'), { code });
      },
    });
    const refusal = await useCases.read().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ApplicationError);
    expect(refusal).toMatchObject({ kind: 'unavailable', details: { retryAfterSeconds: seconds } });
    expect((refusal as Error).message).not.toContain('10.0.0.7');
  });

  it('makes a missing workflow not-found, and leaves other errors alone', () => {
    expect(toApplicationError(new WorkflowNotFoundError('not found', 'x', undefined))).toMatchObject({ kind: 'not-found', message: 'No such migration.' });
    expect(toApplicationError(new Error('boom'))).toBeUndefined();
  });
});

describe('the verified actor', () => {
  it('is built from the token’s identity alone', () => {
    expect(actorOf({ subject: 'rssi@ght', roles: ['customer'], customerId: 'ght-rhone-nord', approverRoles: ['RSSI'] })).toEqual({
      subject: 'rssi@ght',
      roles: ['customer'],
      customerId: 'ght-rhone-nord',
      approverRoles: ['RSSI'],
    });
    expect(actorOf({ subject: 'ops', roles: ['ops'], approverRoles: [] })).toEqual({ subject: 'ops', roles: ['ops'], approverRoles: [] });
  });
});

describe('a run’s report', () => {
  function waitingStatus(plan: Plan): MigrationStatus {
    const report = classifyPlan(plan);
    const at = '2027-01-04T09:00:00.000Z';
    return {
      workflowId: 'migration-ght-rhone-nord-2027',
      planId: plan.planId,
      customerId: plan.customer.id,
      customerName: plan.customer.name,
      phase: 'AWAITING_APPROVAL',
      status: 'WAITING',
      percentComplete: 20,
      startedAt: at,
      updatedAt: at,
      startedBy: 'consultant@passerelle',
      round: 1,
      plan,
      report,
      approvals: [],
      steps: [
        { id: 'assessment.inventory', phase: 'ASSESSMENT', title: 'Validate inventory', state: 'SUCCEEDED' },
        { id: 'cutover.wave-1.website.switch', phase: 'CUTOVER', title: 'Switch traffic', state: 'PENDING', workloadId: 'website' },
      ],
      waves: [],
      paused: false,
      timeline: [],
      audit: [],
      attention: [],
      resources: {},
    };
  }

  it('gives every workload its level and outcome, and counts the steps by state', () => {
    const report = buildMigrationReport(waitingStatus(validated(hospitalPlan)));
    expect(report).toMatchObject({ id: 'migration-ght-rhone-nord-2027', customer: { id: 'ght-rhone-nord' }, final: false, outcome: null });
    expect(report.workloads.find(({ id }) => id === 'gtc')).toMatchObject({ level: 'NOT_ELIGIBLE', outcome: 'LEFT_OUT', reason: expect.any(String) as unknown });
    expect(report.workloads.find(({ id }) => id === 'dpi')).toMatchObject({ level: 'SECNUMCLOUD', hds: true, outcome: 'PENDING' });
    expect(report.steps).toMatchObject({ total: 2, byState: { SUCCEEDED: 1, PENDING: 1 } });
    expect(report.classification?.approvals).toHaveLength(4);
  });

  it('says NOT_MIGRATED with the run’s reason once the run has ended without moving a workload', () => {
    const ended = { ...waitingStatus(validated(hospitalPlan)), status: 'REJECTED' as const, outcome: { status: 'REJECTED' as const, reason: 'the RSSI rejected' } };
    const report = buildMigrationReport(ended);
    expect(report.final).toBe(true);
    expect(report.workloads.find(({ id }) => id === 'dpi')).toMatchObject({ outcome: 'NOT_MIGRATED', reason: 'the RSSI rejected' });
  });
});
