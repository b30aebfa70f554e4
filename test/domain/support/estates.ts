/** The fixture estates of test/fixtures/estates, validated and classified. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assessPlan, classifyPlan, type AssessmentReport, type ClassificationReport, type Plan } from '../../../domain';
import { validPlan } from './plans';

/** The estates that test/fixtures/estates holds. */
export const ESTATES = ['hospital-group', 'regional-council'] as const;

/** One fixture estate: its plan, classification and assessment. */
export interface Estate {
  plan: Plan;
  report: ClassificationReport;
  assessment: AssessmentReport;
}

/** Reads, validates, classifies and assesses a fixture estate. */
export function loadEstate(name: (typeof ESTATES)[number]): Estate {
  const file = join(__dirname, '..', '..', 'fixtures', 'estates', `${name}.plan.json`);
  const plan = validPlan(JSON.parse(readFileSync(file, 'utf8')) as unknown);
  const report = classifyPlan(plan);
  return { plan, report, assessment: assessPlan(plan, report) };
}
