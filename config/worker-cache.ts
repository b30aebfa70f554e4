/**
 * The worker's sticky cache sized from a memory budget (WORKER_MEMORY_BUDGET) rather than the
 * SDK's default, which derives it from the V8 heap limit (about 2,300 runs on a 24 GiB machine,
 * 1.7 GiB of RSS with 1,000 runs waiting: bench/RESULTS.md, `memory`).
 *
 * Both footprints are measured by `npm run bench -- memory` (1,000 runs waiting for approval,
 * the SDK's default cache against a cache of 100): RSS grows by about 1.2 MiB per cached run,
 * and a worker that has cycled 1,000 runs through a cache of 100 holds about 470 MiB besides
 * them (code, the SDK's core, V8's heap after the churn). Measure again when the workflow's
 * resident state changes.
 */

/** Resident memory of one cached waiting run, in MiB (slope between the two cache sizes measured). */
export const CACHED_RUN_FOOTPRINT_MIB = 1.2;
/** Resident memory of a worker besides its cached runs, in MiB (intercept of the same measurement). */
export const WORKER_BASE_FOOTPRINT_MIB = 470;
/** The smallest cache the budget gives: fewer cached runs than this would replay every task of a busy run. */
export const MIN_CACHED_WORKFLOWS = 10;
/** WORKER_MEMORY_BUDGET's default, in MiB: issue 12's goal for 1,000 waiting runs. */
export const DEFAULT_MEMORY_BUDGET_MIB = 400;

/** Runs the sticky cache may hold for a worker to stay within `budgetMiB` of RSS; at least MIN_CACHED_WORKFLOWS. */
export function cachedWorkflowsForBudget(budgetMiB: number): number {
  if (!(Number.isFinite(budgetMiB) && budgetMiB > 0)) throw new Error(`A worker's memory budget must be a positive number of MiB, not ${budgetMiB}.`);
  return Math.max(MIN_CACHED_WORKFLOWS, Math.floor((budgetMiB - WORKER_BASE_FOOTPRINT_MIB) / CACHED_RUN_FOOTPRINT_MIB));
}
