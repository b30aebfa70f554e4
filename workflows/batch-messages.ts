/**
 * The input, query and activities of a batch (workflows/batch.ts): one fleet operation over a
 * frozen list of runs (domain/batches.ts).
 */
import { defineQuery } from '@temporalio/workflow';
import type { Actor, BatchAction, BatchOrder, BatchRun, BatchRunOutcome, BatchView, StepOperation } from '../domain';

/** The input of a batch: its order, the runs the API selected when it started, the verified actor. */
export interface BatchInput {
  order: BatchOrder;
  /** The runs to act on, resolved from visibility when the batch started (so the dry run and the batch agree). */
  runIds: string[];
  /** Whoever started the batch, from the verified token: each run's Update carries it and its validator checks it again. */
  actor: Actor;
  /** Every run with its outcome so far, carried by continue-as-new (runIds is then empty). */
  carried?: BatchRun[];
  /** Runs handled before continuing as new; the workflow's default unless a test sets fewer. */
  runsPerChainRun?: number;
}

/** One run's operation, as the batch's activity applies it. */
export interface BatchRunRequest {
  batchId: string;
  runId: string;
  action: BatchAction;
  actor: Actor;
  /** The comment each run's audit trail keeps: the batch's id and reason. */
  comment: string;
  extendBy?: string;
  /** A retry retries only the failed steps of this operation. */
  operation?: StepOperation;
}

/** What the activity says of one run; never PENDING. */
export interface BatchRunResult {
  outcome: Exclude<BatchRunOutcome, 'PENDING'>;
  detail?: string;
  steps?: string[];
}

/** The activities a batch calls; the worker implements them over its Temporal client (worker/batch-activities.ts). */
export interface BatchActivities {
  /** Applies the batch's operation to one run through that run's own Update, whose validator decides. */
  applyBatchAction(request: BatchRunRequest): Promise<BatchRunResult>;
}

/** The batch as it stands: order, progress and every run's outcome. */
export const batchQuery = defineQuery<BatchView>('batch');
