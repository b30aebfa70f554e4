/**
 * The worker's sticky cache sized from a memory budget (WORKER_MEMORY_BUDGET) rather than the
 * SDK's default, which derives it from the V8 heap limit (about 2,300 runs on a 24 GiB machine,
 * 1.7 GiB of RSS with 1,000 runs waiting: bench/RESULTS.md, `memory`).
 *
 * Both footprints come from `npm run bench -- memory` (1,000 runs waiting for approval, the
 * production worker `node dist/worker/main.js` with V8's heap growth limited by worker/heap.ts
 * and the image's malloc arenas), on 2026-12-01: a cache of 10 held 329 MiB (peak 345), a cache
 * of 45 held 486 MiB (peak 522). A cached run costs 5.1 MiB of peak RSS, most of it the run's own
 * copy of the workflow modules' state (the SDK gives each workflow its own module instances, and
 * the domain's zod schemas are built in each); the rest of the worker is 294 MiB at its peak.
 * Measure both again when the workflow's resident state or its modules change.
 *
 * The floor is not a matter of memory: when the cache is full, a task for a run that is not in
 * it waits for an eviction, and if a second task for the same run arrives meanwhile (a query
 * and a workflow task, say) the SDK's core (1.24) drops the second one's activation and the run
 * stalls until the worker restarts ("Extra buffered run should not have produced an activation"
 * in the worker's log). A cache that holds every run a worker has in flight keeps it from full.
 */

/** Peak resident memory of one cached waiting run, in MiB (slope between the two cache sizes measured). */
export const CACHED_RUN_FOOTPRINT_MIB = 5.1;
/** Peak resident memory of a worker besides its cached runs, in MiB (intercept of the same measurement). */
export const WORKER_BASE_FOOTPRINT_MIB = 294;
/**
 * The smallest cache the budget gives: more than the SDK's 40 workflow task slots and the runs
 * `npm test` and the reliability suite have in flight on one worker (a burst of 30), so that
 * the cache is not full while they run (see above).
 */
export const MIN_CACHED_WORKFLOWS = 50;
/** WORKER_MEMORY_BUDGET's default, in MiB: the floor cache's peak (294 + 50 × 5.1 MiB). */
export const DEFAULT_MEMORY_BUDGET_MIB = 550;

/** Runs the sticky cache may hold for a worker to stay within `budgetMiB` of RSS; at least MIN_CACHED_WORKFLOWS. */
export function cachedWorkflowsForBudget(budgetMiB: number): number {
  if (!(Number.isFinite(budgetMiB) && budgetMiB > 0)) throw new Error(`A worker's memory budget must be a positive number of MiB, not ${budgetMiB}.`);
  return Math.max(MIN_CACHED_WORKFLOWS, Math.floor((budgetMiB - WORKER_BASE_FOOTPRINT_MIB) / CACHED_RUN_FOOTPRINT_MIB));
}

/** The peak resident memory, in MiB, of a worker whose cache holds `cachedRuns` waiting runs (the model above). */
export function expectedPeakMiB(cachedRuns: number): number {
  return Math.round(WORKER_BASE_FOOTPRINT_MIB + cachedRuns * CACHED_RUN_FOOTPRINT_MIB);
}
