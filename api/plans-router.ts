import express, { type Router } from 'express';
import { type AssessmentReport, assessPlan, type ClassificationReport, classifyPlan, type Plan } from '../domain';
import { requirePermission } from './authorization';
import { jsonBody, parsePlan, PLAN_BODY_LIMITS } from './validation';

/** What a dry run of a plan answers: nothing is started. */
export interface PlanDryRun {
  valid: true;
  assessment: AssessmentReport;
  report: ClassificationReport;
}

/** Assesses and classifies a validated plan, as the run's first two phases will. */
export function dryRunPlan(plan: Plan): PlanDryRun {
  const report = classifyPlan(plan);
  return { valid: true, assessment: assessPlan(plan, report), report };
}

/** Routes under /v1 for plans that are not (yet) runs: `POST /plans/validate`. */
export function createPlansRouter(): Router {
  const router = express.Router();

  router.post('/plans/validate', requirePermission('plan.validate'), jsonBody(PLAN_BODY_LIMITS), (req, res) => {
    res.json(dryRunPlan(parsePlan(req.body)));
  });

  return router;
}
