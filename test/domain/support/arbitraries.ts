/** fast-check arbitraries of valid plans: unique ids, acyclic dependencies, any categories. */
import fc from 'fast-check';
import {
  CRITICALITY_LEVELS,
  CUSTOMER_TYPES,
  DATA_CATEGORIES,
  type DataCategory,
  type PlanInput,
  WORKLOAD_KINDS,
} from '../../../domain';

/** Short slugs in varied lexicographic order (base 36, with "-" and "_"), cheap to generate. */
const workloadIdArbitrary = fc
  .tuple(fc.nat({ max: 36 ** 3 }), fc.constantFrom('', '-db', '_app', '-1'))
  .map(([number, suffix]) => `${number.toString(36)}${suffix}`);

/**
 * Valid plan inputs. Dependencies only point to workloads generated earlier, so the graph is a
 * DAG whatever the order in which the plan lists them; SIIV appears only for OIV customers.
 */
export function validPlanInputArbitrary(maxWorkloads = 15): fc.Arbitrary<PlanInput> {
  return fc
    .record({
      customerType: fc.constantFrom(...CUSTOMER_TYPES),
      ids: fc.uniqueArray(workloadIdArbitrary, { minLength: 1, maxLength: maxWorkloads }),
      maxWaveSize: fc.integer({ min: 1, max: 6 }),
      bandwidthMbps: fc.integer({ min: 1, max: 10_000 }),
    })
    .chain(({ customerType, ids, maxWaveSize, bandwidthMbps }) =>
      fc
        .tuple(
          ...ids.map((id, index) =>
            fc.record({
              id: fc.constant(id),
              name: fc.constant(`Workload ${id}`),
              // Bias towards ordinary kinds so that R1 does not swallow most workloads.
              kind: fc.oneof(
                { arbitrary: fc.constantFrom(...WORKLOAD_KINDS), weight: 1 },
                { arbitrary: fc.constantFrom('vm', 'app', 'm365', 'database'), weight: 4 },
              ),
              sizeGb: fc.integer({ min: 0, max: 100_000 }),
              dataCategories: fc
                .uniqueArray(fc.constantFrom(...DATA_CATEGORIES), { minLength: 1, maxLength: 4 })
                .map((categories): DataCategory[] => {
                  const allowed = customerType === 'OIV' ? categories : categories.filter((category) => category !== 'SIIV');
                  return allowed.length > 0 ? allowed : ['INTERNAL'];
                }),
              dependsOn: fc.subarray(ids.slice(0, index), { maxLength: Math.min(4, index) }),
              criticality: fc.constantFrom(...CRITICALITY_LEVELS),
            }),
          ),
        )
        .map(
          (workloads): PlanInput => ({
            customer: { id: 'customer', name: 'Customer', type: customerType },
            workloads,
            settings: { maxWaveSize, bandwidthMbps },
          }),
        ),
    );
}

/** A deterministic shuffle driven by a seed (mulberry32), for permutation properties. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(next() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** The same plan input with workloads, their dependencies and their categories reordered. */
export function permutedPlanInput(input: PlanInput, seed: number): PlanInput {
  return {
    ...input,
    workloads: shuffled(input.workloads, seed).map((workload, index) => ({
      ...workload,
      dependsOn: shuffled(workload.dependsOn ?? [], seed + index + 1),
      dataCategories: shuffled(workload.dataCategories, seed + index + 7),
    })),
  };
}
