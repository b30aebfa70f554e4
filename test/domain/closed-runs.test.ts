import { cleanupRefusal, settleClosedRun, withCleanup } from '../../domain/closed-runs';
import type { MigrationStatus } from '../../domain';

function waitingRun(): MigrationStatus {
  return {
    workflowId: 'migration-closed',
    customerId: 'mairie-test',
    customerName: 'Mairie de Test',
    phase: 'CUTOVER',
    status: 'NEEDS_ATTENTION',
    percentComplete: 50,
    startedAt: '2026-11-30T10:00:00.000Z',
    updatedAt: '2026-11-30T11:00:00.000Z',
    startedBy: 'consultant@test',
    round: 1,
    plan: {} as MigrationStatus['plan'],
    approvals: [],
    steps: [
      { id: 'cutover.wave-1.web.replicate', phase: 'CUTOVER', title: 'Site: replicate', state: 'SUCCEEDED' },
      { id: 'cutover.wave-1.web.freeze', phase: 'CUTOVER', title: 'Site: freeze', state: 'RUNNING' },
    ],
    waves: [{ id: 'wave-1', index: 1, workloadIds: ['web'], state: 'RUNNING' }],
    attention: [{ stepId: 'cutover.wave-1.web.freeze', reason: 'STEP_FAILED', since: '2026-11-30T11:00:00.000Z' } as MigrationStatus['attention'][number]],
    paused: false,
    timeline: [],
    audit: [],
    resources: {},
  };
}

describe('settleClosedRun', () => {
  it('leaves a running execution as its status says', () => {
    const status = waitingRun();
    expect(settleClosedRun(status, { name: 'RUNNING' })).toBe(status);
  });

  it.each([
    ['TERMINATED', 'FAILED', 'the workflow execution was terminated in Temporal'],
    ['FAILED', 'FAILED', 'the workflow execution failed in Temporal'],
    ['TIMED_OUT', 'FAILED', 'the workflow execution timed out in Temporal'],
    ['CANCELLED', 'CANCELLED', 'the workflow execution was cancelled in Temporal'],
  ])('reads an execution closed as %s as %s, with nothing left waiting', (name, final, reason) => {
    const settled = settleClosedRun(waitingRun(), { name, closedAt: '2026-11-30T12:00:00.000Z' });
    expect(settled).toMatchObject({ status: final, attention: [], paused: false, endedAt: '2026-11-30T12:00:00.000Z', updatedAt: '2026-11-30T12:00:00.000Z', outcome: { status: final, reason } });
    expect(settled.steps.map((step) => step.state)).toEqual(['SUCCEEDED', 'FAILED']);
    expect(settled.steps[1]?.error?.message).toBe(reason);
    expect(settled.waves.map((wave) => wave.state)).toEqual(['FAILED']);
  });

  it('keeps the final status a run reached on its own terms', () => {
    const completed = { ...waitingRun(), status: 'COMPLETED' as const, phase: 'DONE' as const };
    expect(settleClosedRun(completed, { name: 'TERMINATED' })).toBe(completed);
  });
});

describe('cleanupRefusal', () => {
  it.each(['FAILED', 'TERMINATED', 'TIMED_OUT'])('allows the clean-up of a run that Temporal closed as %s', (name) => {
    expect(cleanupRefusal({ name }, { status: 'NEEDS_ATTENTION' })).toBeUndefined();
  });

  it('refuses an open run: it is cancelled instead', () => {
    expect(cleanupRefusal({ name: 'RUNNING' }, { status: 'RUNNING' })).toMatch(/still open: cancel it/);
  });

  it.each([
    ['COMPLETED', 'COMPLETED'],
    ['COMPLETED', 'CANCELLED'],
    ['CANCELLED', 'RUNNING'],
    ['FAILED', 'FAILED'],
  ] as const)('refuses a run that ended on its own terms (execution %s, run %s)', (name, status) => {
    expect(cleanupRefusal({ name }, { status })).toMatch(/ended on its own terms .* nothing to clean up/);
  });
});

describe('withCleanup', () => {
  it('shows the clean-up, audits who asked for it and marks what it undid COMPENSATED', () => {
    const settled = settleClosedRun(waitingRun(), { name: 'TERMINATED', closedAt: '2026-11-30T12:00:00.000Z' });
    const cleanup = {
      workflowId: 'migration-closed.cleanup.run-1',
      state: 'SUCCEEDED' as const,
      requestedBy: 'ops-1',
      roles: ['ops'],
      requestedAt: '2026-11-30T13:00:00.000Z',
      reason: 'terminated by mistake',
      actions: [
        { stepId: 'cutover.wave-1.web.replicate', kind: 'delete' as const, target: 'replication-1', state: 'SUCCEEDED' as const },
        { stepId: 'cutover.wave-1.web.freeze', kind: 'unfreeze' as const, target: 'web', state: 'FAILED' as const, detail: 'provider down' },
      ],
    };
    const status = withCleanup(settled, cleanup);
    expect(status.cleanup).toBe(cleanup);
    expect(status.audit).toEqual([{ at: cleanup.requestedAt, actor: 'ops-1', roles: ['ops'], action: 'CLEANUP', comment: 'terminated by mistake' }]);
    expect(status.steps.map((step) => step.state)).toEqual(['COMPENSATED', 'FAILED']);
  });
});
