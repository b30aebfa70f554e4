/**
 * Benchmark of the domain pipeline that `POST /v1/plans/validate` and every run go through:
 * validatePlan, classifyPlan and planWaves on a plan of 5,000 workloads (a realistic mix of
 * kinds and data categories, acyclic dependencies on shared services and earlier workloads).
 *
 * `npm run bench -- validate-plan` writes bench/results/validate-plan.json; `npx tsx
 * bench/validate-plan.ts` only prints the figures. The plan comes from a seeded generator, so
 * every run measures the same input.
 */
import {
  classifyPlan,
  type DataCategory,
  planWaves,
  type PlanInput,
  validatePlan,
  type WorkloadKind,
} from '../domain';
import type { Benchmark, Measurement } from './support/benchmark';

const WORKLOAD_COUNT = 5_000;
const SHARED_SERVICES = 25;
const WARM_UP_RUNS = 5;
const MEASURED_RUNS = 21;

/** mulberry32: a tiny seeded generator, so that the plan is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function pickWeighted<T>(random: () => number, choices: readonly (readonly [T, number])[]): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let threshold = random() * total;
  for (const [value, weight] of choices) {
    threshold -= weight;
    if (threshold < 0) return value;
  }
  return (choices[choices.length - 1] as readonly [T, number])[0];
}

const KIND_MIX: readonly (readonly [WorkloadKind, number])[] = [
  ['vm', 35],
  ['app', 25],
  ['database', 15],
  ['storage', 10],
  ['m365', 8],
  ['kubernetes', 6],
  ['ot', 1],
];

const CATEGORY_MIX: readonly (readonly [DataCategory, number])[] = [
  ['INTERNAL', 30],
  ['PERSONAL', 25],
  ['PUBLIC', 8],
  ['IDENTITY', 5],
  ['HEALTH', 10],
  ['PERSONAL_SPECIAL', 5],
  ['BUSINESS_SECRET', 6],
  ['LEGALLY_PROTECTED', 3],
  ['ESSENTIAL_MISSION', 4],
  ['DIFFUSION_RESTREINTE', 2],
  ['SIIV', 1],
  ['CLASSIFIED', 1],
];

/** An OIV estate: identity and network services first, then applications that rely on them. */
export function buildBenchmarkPlan(workloadCount = WORKLOAD_COUNT, seed = 2027): PlanInput {
  const random = seededRandom(seed);
  const ids = Array.from({ length: workloadCount }, (_, index) =>
    index < SHARED_SERVICES ? `shared-${index}` : `workload-${String(index).padStart(5, '0')}`,
  );
  const workloads = ids.map((id, index) => {
    const categories = new Set<DataCategory>();
    const categoryCount = 1 + Math.floor(random() * 3);
    while (categories.size < categoryCount) categories.add(pickWeighted(random, CATEGORY_MIX));
    const dependsOn = new Set<string>();
    if (index > 0) {
      const dependencyCount = Math.floor(random() * 4);
      for (let attempt = 0; attempt < dependencyCount; attempt += 1) {
        // Dependencies point to earlier workloads only, which keeps the graph acyclic.
        const target = random() < 0.5 ? Math.floor(random() * Math.min(index, SHARED_SERVICES)) : Math.floor(random() * index);
        dependsOn.add(ids[target] as string);
      }
    }
    return {
      id,
      name: `Workload ${index}`,
      kind: index < SHARED_SERVICES ? ('vm' as const) : pickWeighted(random, KIND_MIX),
      sizeGb: Math.round(10 ** (1 + random() * 3.5)),
      dataCategories: [...categories],
      dependsOn: [...dependsOn],
      criticality: pickWeighted(random, [
        ['LOW', 3],
        ['MEDIUM', 5],
        ['HIGH', 2],
      ] as const),
    };
  });
  return {
    planId: 'bench-oiv-5000',
    customer: { id: 'bench-oiv', name: 'Benchmark operator', type: 'OIV' },
    workloads,
    settings: { maxWaveSize: 50, bandwidthMbps: 10_000 },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 1000) / 1000;
}

function runOnce(input: PlanInput): { validateMs: number; classifyMs: number; wavesMs: number; waves: number; migrating: number } {
  const started = performance.now();
  const validation = validatePlan(input);
  const validated = performance.now();
  if (!validation.ok) throw new Error(`benchmark plan is invalid: ${JSON.stringify(validation.errors.slice(0, 5))}`);
  const report = classifyPlan(validation.plan);
  const classified = performance.now();
  const waves = planWaves(validation.plan, report);
  const planned = performance.now();
  return {
    validateMs: validated - started,
    classifyMs: classified - validated,
    wavesMs: planned - classified,
    waves: waves.length,
    migrating: report.summary.migrating,
  };
}

/** Median times of the pipeline on the 5,000-workload plan, after a warm-up. */
export function measureValidatePlan(): Measurement {
  // The input arrives as parsed JSON in the API, so measure on a JSON round-trip of the plan.
  const input = JSON.parse(JSON.stringify(buildBenchmarkPlan())) as PlanInput;
  for (let run = 0; run < WARM_UP_RUNS; run += 1) runOnce(input);
  const runs = Array.from({ length: MEASURED_RUNS }, () => runOnce(input));
  const last = runs[runs.length - 1];
  const medianMs = {
    validatePlan: round(median(runs.map((run) => run.validateMs))),
    classifyPlan: round(median(runs.map((run) => run.classifyMs))),
    planWaves: round(median(runs.map((run) => run.wavesMs))),
    total: round(median(runs.map((run) => run.validateMs + run.classifyMs + run.wavesMs))),
  };
  const maxTotalMs = round(Math.max(...runs.map((run) => run.validateMs + run.classifyMs + run.wavesMs)));
  const dependencies = input.workloads.reduce((sum, workload) => sum + (workload.dependsOn?.length ?? 0), 0);
  return {
    parameters: { workloads: input.workloads.length, dependencies, warmUpRuns: WARM_UP_RUNS, measuredRuns: MEASURED_RUNS },
    table: {
      columns: ['step', 'median (ms)'],
      rows: [
        ['validatePlan', medianMs.validatePlan],
        ['classifyPlan', medianMs.classifyPlan],
        ['planWaves', medianMs.planWaves],
        ['total', medianMs.total],
        ['total, slowest run', maxTotalMs],
      ],
    },
    findings: [
      `Validating, classifying and planning ${input.workloads.length} workloads (${last?.migrating} migrate, in ${last?.waves} waves) takes ${medianMs.total} ms (median).`,
    ],
    data: { migrating: last?.migrating, waves: last?.waves, medianMs, maxTotalMs },
  };
}

export const validatePlanBenchmark: Benchmark = {
  name: 'validate-plan',
  title: 'Validation of a 5,000-workload plan',
  measure: async () => measureValidatePlan(),
};

if (require.main === module) console.log(JSON.stringify(measureValidatePlan()));
