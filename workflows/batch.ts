/**
 * A fleet operation (domain/batches.ts): applies one per-run operation (retry the failed steps,
 * pause, resume, extend the approvals' deadlines) to each run the API selected, a few at a time,
 * through an activity that sends the run's own Update, and records each run's outcome. Its
 * history stays bounded: it continues as new every {@link RUNS_PER_CHAIN_RUN} runs, carrying the
 * outcomes (at most BATCH_MAX_RUNS of them).
 */
import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler } from '@temporalio/workflow';
import { batchAuditComment, batchView, type BatchRun, type BatchView } from '../domain';
import { type BatchActivities, type BatchInput, batchQuery } from './batch-messages';
import { describeFailure, nowIso } from './run-state';

/** Runs handled by one run of the chain before it continues as new: about 400 events. */
export const RUNS_PER_CHAIN_RUN = 100;
/** Runs handled at once: enough to move a fleet in minutes, few enough to leave Temporal to the runs themselves. */
const PARALLEL_RUNS = 5;

const { applyBatchAction } = proxyActivities<BatchActivities>({
  startToCloseTimeout: '2m',
  // Transient errors only (Temporal unreachable): a run's refusal is an outcome, not an error.
  retry: { initialInterval: '1s', maximumInterval: '30s', maximumAttempts: 5 },
});

export async function batchWorkflow(input: BatchInput): Promise<BatchView> {
  const { order, actor } = input;
  const runs: BatchRun[] = input.carried ?? input.runIds.map((id) => ({ id, outcome: 'PENDING' }));
  const ended: { at?: string } = {};
  setHandler(batchQuery, () => batchView(order, runs, ended.at));

  const budget = input.runsPerChainRun ?? RUNS_PER_CHAIN_RUN;
  let handled = 0;
  for (;;) {
    const pending = runs.filter((run) => run.outcome === 'PENDING');
    if (pending.length === 0) break;
    if (handled >= budget) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof batchWorkflow>({ ...input, runIds: [], carried: runs });
    }
    const next = pending.slice(0, Math.min(PARALLEL_RUNS, budget - handled));
    await Promise.all(
      next.map(async (run) => {
        try {
          const result = await applyBatchAction({
            batchId: order.id,
            runId: run.id,
            action: order.action,
            actor,
            comment: batchAuditComment(order.id, order.reason),
            ...(order.extendBy ? { extendBy: order.extendBy } : {}),
            ...(order.selection.operation ? { operation: order.selection.operation } : {}),
          });
          Object.assign(run, result);
        } catch (error) {
          run.outcome = 'FAILED';
          run.detail = describeFailure(error).message;
        }
        run.at = nowIso();
      }),
    );
    handled += next.length;
  }
  ended.at = nowIso();
  return batchView(order, runs, ended.at);
}
