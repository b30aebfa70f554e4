import { assessPlan, classifyPlan, type Plan, type PlanDryRun } from '../domain';

// A dry run's answer is one of the views declared in domain/, where the clients read it.
export { type PlanDryRun, PlanValidationResponseSchema } from '../domain/run-views';

/** Assesses and classifies a validated plan, as the run's first two phases will. */
export function dryRunPlan(plan: Plan): PlanDryRun {
  const report = classifyPlan(plan);
  return { valid: true, assessment: assessPlan(plan, report), report };
}
