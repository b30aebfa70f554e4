/**
 * The worker's sticky cache sized from a memory budget (WORKER_MEMORY_BUDGET) rather than the
 * SDK's default, which derives it from the V8 heap limit (about 2,300 runs on a 24 GiB machine,
 * 1.7 GiB of RSS with 1,000 runs waiting: bench/RESULTS.md, `memory`).
 *
 * Both footprints are measured by `npm run bench -- memory` (1,000 runs waiting for approval):
 * RSS grows by about 1.2 MiB per cached run (the SDK's default cache against a cache of 100),
 * and the production worker (`node dist/worker/main.js`, V8's heap growth limited by
 * worker/heap.ts) holds 370-390 MiB besides them once it has cycled 1,000 runs through the
 * floor cache of 10, from one run to the next (the upper end is taken): some 95 MiB of
 * main-thread heap, 120-170 of workflow-thread heap, 170 native (the SDK's core, code, stacks,
 * the allocator). It held 470 through tsx and with V8's default heap growth. The per-run
 * figure was measured with V8's default heap growth, where garbage dominated: with the growth
 * limited, a cache of 25 held 433 MiB, about 3 MiB per run more than the floor's, so measure
 * it again (a cache of 100 against 10) before raising the budget's yield. Measure again too
 * when the workflow's resident state changes.
 */

/** Resident memory of one cached waiting run, in MiB (slope between the two cache sizes measured). */
export const CACHED_RUN_FOOTPRINT_MIB = 1.2;
/** Resident memory of a worker besides its cached runs, in MiB (intercept of the same measurement). */
export const WORKER_BASE_FOOTPRINT_MIB = 390;
/** The smallest cache the budget gives: fewer cached runs than this would replay every task of a busy run. */
export const MIN_CACHED_WORKFLOWS = 10;
/** WORKER_MEMORY_BUDGET's default, in MiB: issue 12's goal for 1,000 waiting runs. */
export const DEFAULT_MEMORY_BUDGET_MIB = 400;

/** Runs the sticky cache may hold for a worker to stay within `budgetMiB` of RSS; at least MIN_CACHED_WORKFLOWS. */
export function cachedWorkflowsForBudget(budgetMiB: number): number {
  if (!(Number.isFinite(budgetMiB) && budgetMiB > 0)) throw new Error(`A worker's memory budget must be a positive number of MiB, not ${budgetMiB}.`);
  return Math.max(MIN_CACHED_WORKFLOWS, Math.floor((budgetMiB - WORKER_BASE_FOOTPRINT_MIB) / CACHED_RUN_FOOTPRINT_MIB));
}
