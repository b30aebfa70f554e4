/** ASSESSMENT and CLASSIFICATION: one activity, so that the report is recorded in history. */
import { ApplicationFailure } from '@temporalio/workflow';
import type { MigrationActivities } from '../../activities';
import { FAILURE_TYPES, type Plan, stepIds } from '../../domain';
import { describeFailure, nowIso } from '../run-state';
import type { MigrationContext } from './context';
import { refreshRiskRegister } from './risks';

/**
 * Assesses and classifies a plan (the first one or an amended one), and brings the residual-risk
 * register up to date with it. A plan the activity refuses ends the run FAILED with an
 * `InvalidPlan` failure.
 */
export async function analyse(context: MigrationContext, plan: Plan): Promise<void> {
  const { run, status } = context;
  run.setPhase('ASSESSMENT');
  run.step(stepIds.assessment, 'ASSESSMENT', 'Assess the inventory');
  run.step(stepIds.classification, 'CLASSIFICATION', 'Classify the workloads');
  run.setStepState(stepIds.assessment, 'RUNNING');
  let result: Awaited<ReturnType<MigrationActivities['analysePlan']>>;
  try {
    result = await context.activities.analysis.analysePlan(plan);
  } catch (error) {
    const failure = describeFailure(error);
    run.setStepState(stepIds.assessment, 'FAILED', { error: { ...failure, attempts: 1, at: nowIso() } });
    throw ApplicationFailure.create({ type: FAILURE_TYPES.invalidPlan, message: failure.message, nonRetryable: true });
  }
  status.plan = result.plan;
  status.assessment = result.assessment;
  run.setStepState(stepIds.assessment, 'SUCCEEDED');
  run.setPhase('CLASSIFICATION');
  status.report = result.report;
  run.setStepState(stepIds.classification, 'SUCCEEDED');
  refreshRiskRegister(context);
}
