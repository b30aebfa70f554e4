import { z } from 'zod';
import { type AssessmentReport, assessPlan, type ClassificationReport, classifyPlan, type Plan } from '../domain';

/** What a dry run of a plan answers for a valid plan: nothing is started; the report follows docs/rules.md. */
export const PlanValidationResponseSchema = z.object({
  valid: z.literal(true),
  assessment: z.custom<AssessmentReport>(),
  report: z.custom<ClassificationReport>(),
});
/** What a dry run of a plan answers. */
export type PlanDryRun = z.infer<typeof PlanValidationResponseSchema>;

/** Assesses and classifies a validated plan, as the run's first two phases will. */
export function dryRunPlan(plan: Plan): PlanDryRun {
  const report = classifyPlan(plan);
  return { valid: true, assessment: assessPlan(plan, report), report };
}
