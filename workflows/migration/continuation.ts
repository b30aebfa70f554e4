/**
 * Bounded history (DESIGN.md, "The run"): a run may wait months (approvals, the regulatory gate,
 * an operator's decision, a pause), so every long wait and the cutover between waves continue
 * as new once the history reaches the run's event budget (`continueAsNewAfterEvents`, 8,000 by
 * default, under Temporal's 10,240-event warning) or the server suggests it. The new run
 * receives the whole state explicitly: the status (approvals with the due dates their timers
 * derive from, gate checks, steps, timeline, audit trail), what to undo, operators' decisions in
 * flight and the steps that wait for one; compactly (the plan once, cutover steps packed:
 * context.ts, `snapshot`). Queries and updates then answer from the new run as
 * they did from the old one.
 */
import { allHandlersFinished, condition, makeContinueAsNewFunc, workflowInfo } from '@temporalio/workflow';
import type { migrationWorkflow } from '../migration';
import type { MigrationContext } from './context';

/**
 * The fewest events after which a wait continues as new, whatever the tuning says: a run just
 * continued as new starts its wait well under it, so that a tiny budget (tests use one event to
 * continue between every wave) cannot make a wait continue as new forever.
 */
export const WAIT_EVENT_FLOOR = 200;

/** True once the run's history is long enough to continue as new (past `floor` events at least). */
export function historyIsLong(context: MigrationContext, floor = 0): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > Math.max(context.tuning.continueAsNewAfterEvents, floor);
}

/** Lets in-flight handlers finish, then continues as new with the run's whole state. Never returns. */
export async function continueAsNewWithState(context: MigrationContext): Promise<never> {
  await condition(allHandlersFinished);
  const info = workflowInfo();
  // Memo (the start's plan hash) and search attributes go on with the run.
  const continueRun = makeContinueAsNewFunc<typeof migrationWorkflow>({ memo: info.memo, typedSearchAttributes: info.typedSearchAttributes });
  const { plan, carried } = context.snapshot();
  return await continueRun({ ...context.input, plan, carried });
}

/**
 * A long wait whose history stays bounded: waits until `done()` holds or `timeoutMs` passes
 * (true when `done()` held), and continues as new instead, with the run's state, once the
 * history is long. Runs recorded before bounded waits (`context.boundedWaits` false) wait as
 * they did, so that their histories replay.
 */
export async function boundedWait(context: MigrationContext, done: () => boolean, timeoutMs?: number): Promise<boolean> {
  if (!context.boundedWaits) return timeoutMs === undefined ? (await condition(done), true) : await condition(done, timeoutMs);
  const long = () => historyIsLong(context, WAIT_EVENT_FLOOR);
  if (long()) await continueAsNewWithState(context);
  const woke = () => done() || long();
  const held = timeoutMs === undefined ? (await condition(woke), true) : await condition(woke, timeoutMs);
  if (done()) return true;
  if (held && long()) await continueAsNewWithState(context);
  return false;
}
