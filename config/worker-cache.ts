/**
 * The worker's sticky cache sized from a memory budget (WORKER_MEMORY_BUDGET) rather than the
 * SDK's default, which derives it from the V8 heap limit (about 2,300 runs on a 24 GiB machine,
 * 1.7 GiB of RSS with 1,000 runs waiting: bench/RESULTS.md, `memory`).
 *
 * Both footprints come from `npm run bench -- memory` (1,000 runs waiting for approval, the
 * production worker `node dist/worker/main.js` with V8's heap growth limited by worker/heap.ts
 * and the image's malloc arenas), on 2026-12-01, once the domain's schemas were built on first
 * use (domain/lazy-schemas.ts): a cache of 50 held 383–392 MiB in four runs (peaks 392–412), a
 * cache of 1,000 held 1,411–1,434 MiB. A cached run costs 1.1 MiB, its own instances of the workflow
 * bundle's modules (the SDK gives each workflow its own) and its state; the rest of the worker is
 * 357 MiB at its highest peak. (With the schemas built at load, a cached run cost 5.1 MiB.)
 * Measure both again when the workflow's resident state or its modules change.
 *
 * The floor is not a matter of memory: when the cache is full, a task for a run that is not in
 * it waits for an eviction, and if a second task for the same run arrives meanwhile (a query
 * and a workflow task, say) the SDK's core (1.24) drops the second one's activation and the run
 * stalls until the worker restarts ("Extra buffered run should not have produced an activation"
 * in the worker's log). A cache that holds every run a worker has in flight keeps it from full.
 */

/** Peak resident memory of one cached waiting run, in MiB (slope between the two cache sizes measured). */
export const CACHED_RUN_FOOTPRINT_MIB = 1.1;
/** Peak resident memory of a worker besides its cached runs, in MiB (intercept of the same measurement, from the highest peak). */
export const WORKER_BASE_FOOTPRINT_MIB = 357;
/**
 * The smallest cache the budget gives: more than the SDK's 40 workflow task slots and the runs
 * `npm test` and the reliability suite have in flight on one worker (a burst of 30), so that
 * the cache is not full while they run (see above).
 */
export const MIN_CACHED_WORKFLOWS = 50;

/** Runs the sticky cache may hold for a worker to stay within `budgetMiB` of RSS; at least MIN_CACHED_WORKFLOWS. */
export function cachedWorkflowsForBudget(budgetMiB: number): number {
  if (!(Number.isFinite(budgetMiB) && budgetMiB > 0)) throw new Error(`A worker's memory budget must be a positive number of MiB, not ${budgetMiB}.`);
  return Math.max(MIN_CACHED_WORKFLOWS, Math.floor((budgetMiB - WORKER_BASE_FOOTPRINT_MIB) / CACHED_RUN_FOOTPRINT_MIB));
}

/** The peak resident memory, in MiB, of a worker whose cache holds `cachedRuns` waiting runs (the model above). */
export function expectedPeakMiB(cachedRuns: number): number {
  return Math.round(WORKER_BASE_FOOTPRINT_MIB + cachedRuns * CACHED_RUN_FOOTPRINT_MIB);
}

/** WORKER_MEMORY_BUDGET's default, in MiB: the floor cache's peak (357 + 50 × 1.1 = 412 MiB). */
export const DEFAULT_MEMORY_BUDGET_MIB = expectedPeakMiB(MIN_CACHED_WORKFLOWS);
