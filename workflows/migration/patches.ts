/**
 * The patches a run asks after its start, and the patch that has it ask them all at its start.
 *
 * Why at the start: the SDK (1.24) can record a local activity's marker in one workflow task and
 * the code that follows the activity in the next, which the completion itself starts (most
 * likely the activity resolved while the worker was still completing the task that scheduled
 * it). On
 * replay, that code runs one task early, before the SDK has read the patch markers of the task
 * where it really ran, so a patch it asks for the first time answers false, and the replay fails:
 * `Non-deprecated patch marker encountered for change wave-ids-by-run, but there is no
 * corresponding change command`. It happened to a run that continued as new between waves: the
 * gate's check by local activity, then the next wave's `wave-ids-by-run`. A run that asks every
 * patch in its first task, before any activity, never asks one after a local activity.
 */
import { REHEARSAL_PATCH } from '../cutover-wave/state';

/**
 * Runs started since ask every patch of {@link LATER_PATCHES} in their first task and keep the
 * answers; runs recorded before ask each where it is used, and replay as they ran (test/replay).
 */
export const PATCHES_AT_START = 'patches-at-start';

/**
 * The patch that keys waves by the run's first Temporal run id (domain/run.ts,
 * `waveWorkflowId`) and turns a wave whose id is taken into a step that waits for an operator;
 * runs recorded before it replay with `<run id>.<wave id>` and `executeChild`.
 */
export const WAVE_IDS_BY_RUN_PATCH = 'wave-ids-by-run';

/** The patch that added the drift check before cutover: runs recorded before it replay without it. */
export const DRIFT_CHECK_PATCH = 'drift-check-before-cutover';

/**
 * Marks the histories of runs that took a derogation decision. Runs recorded before derogations
 * never received one, and with no derogation the gate, the status and the expiry timer behave
 * as they did, so that their histories replay unchanged (test/replay).
 */
export const DEROGATIONS_PATCH = 'derogations';

/**
 * A run that fails on an error it does not handle (a wave's workflow terminated, say) ends
 * FAILED in its status, outcome and search attributes before Temporal closes it, so lists and
 * filters agree with it; runs recorded before this replay without it.
 */
export const FAILED_RUNS_SAY_SO = 'failed-runs-say-so';

/**
 * A run returns its overview (domain/run-overview.ts), a few KiB whatever the estate; runs
 * recorded before returned their whole status (several MiB of JSON at 10,000 workloads).
 * Steps, timeline and audit stay readable from the closed run (its queries and pages).
 */
export const COMPACT_RESULT = 'compact-result';

/**
 * Runs continue as new with a compact snapshot (the plan once, as the input's; cutover steps
 * packed), a few hundred KiB at 10,000 workloads instead of some 18 MiB; runs recorded before
 * carry the whole status. Either shape is read back (`startingStatus`).
 */
export const COMPACT_SNAPSHOTS = 'compact-snapshots';

/** The patches a run asks after its start, in the order a run started since asks them in its first task. */
export const LATER_PATCHES = [WAVE_IDS_BY_RUN_PATCH, REHEARSAL_PATCH, DRIFT_CHECK_PATCH, DEROGATIONS_PATCH, FAILED_RUNS_SAY_SO, COMPACT_RESULT, COMPACT_SNAPSHOTS] as const;

/** A patch a run asks after its start. */
export type LaterPatch = (typeof LATER_PATCHES)[number];
