import type { WorkflowHandle } from '@temporalio/client';
import { type MigrationOverview, type MigrationStatus, runOverview, type StepView } from '../../domain';
import type { migrationWorkflow } from '../../workflows';
import { statusQuery } from '../../workflows/messages';
import { smallPlan } from './plans';

/** A step of a status, PENDING unless told otherwise. */
export function step(id: string, phase: StepView['phase'], overrides: Partial<StepView> = {}): StepView {
  return { id, phase, title: id, state: 'PENDING', ...overrides };
}

/** A run's status as the API answers it, for rendering and following without a run. */
export function runStatus(overrides: Partial<MigrationStatus> = {}): MigrationStatus {
  return {
    workflowId: 'migration-test',
    planId: 'test',
    customerId: 'mairie-test',
    customerName: 'Mairie de Test',
    phase: 'ASSESSMENT',
    status: 'RUNNING',
    percentComplete: 0,
    startedAt: '2030-01-01T10:00:00.000Z',
    updatedAt: '2030-01-01T10:00:00.000Z',
    startedBy: 'consultant@passerelle',
    round: 1,
    plan: smallPlan('test'),
    approvals: [],
    steps: [],
    waves: [],
    attention: [],
    paused: false,
    timeline: [],
    audit: [],
    resources: {},
    ...overrides,
  };
}

/** A run's overview as `GET /v1/migrations/{id}` answers it, from {@link runStatus}. */
export function runOverviewOf(overrides: Partial<MigrationStatus> = {}): MigrationOverview {
  return runOverview(runStatus(overrides));
}

/**
 * The whole status of a run once it has ended: the run's result is its overview, and the
 * status query still answers from the closed run.
 */
export async function finalStatusOf(handle: WorkflowHandle<typeof migrationWorkflow>): Promise<MigrationStatus> {
  await handle.result();
  return await handle.query(statusQuery);
}
