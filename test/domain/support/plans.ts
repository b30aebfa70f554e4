/** Builders of small valid plans for domain tests. */
import { type CustomerType, type Plan, type PlanInput, validatePlan } from '../../../domain';

type WorkloadInput = PlanInput['workloads'][number];

/** A valid workload input with sensible defaults; `overrides` win. */
export function workload(id: string, overrides: Partial<WorkloadInput> = {}): WorkloadInput {
  return {
    id,
    name: `Workload ${id}`,
    kind: 'app',
    sizeGb: 100,
    dataCategories: ['INTERNAL'],
    dependsOn: [],
    criticality: 'MEDIUM',
    ...overrides,
  };
}

/** A valid plan input for a customer of the given type. */
export function planInput(
  workloads: WorkloadInput[],
  customerType: CustomerType = 'PRIVATE',
  extra: Partial<PlanInput> = {},
): PlanInput {
  return {
    customer: { id: 'acme', name: 'ACME', type: customerType },
    workloads,
    ...extra,
  };
}

/** Validates a plan input and fails loudly when it is not valid, since a test meant it to be. */
export function validPlan(input: unknown): Plan {
  const result = validatePlan(input);
  if (!result.ok) throw new Error(`expected a valid plan, got ${JSON.stringify(result.errors, null, 2)}`);
  return result.plan;
}

/** Shorthand: a valid plan of these workloads for a customer of this type. */
export function plan(workloads: WorkloadInput[], customerType: CustomerType = 'PRIVATE', extra: Partial<PlanInput> = {}): Plan {
  return validPlan(planInput(workloads, customerType, extra));
}
