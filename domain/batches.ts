/**
 * Fleet operations (batches): ops act on many runs at once, chosen by what the runs' search
 * attributes say (customer, phase, status, needs-attention, failed step's operation). A batch
 * is a workflow of its own (`batch:<uuid>`) that applies one per-run operation, the same Update
 * an operator sends to one run, to each selected run, and records each run's outcome.
 */
import { z } from 'zod';
import { builtSchema } from './lazy-schemas';
import { SLUG_PATTERN } from './plan';
import { MigrationSummarySchema } from './run-views';
import { PHASES, RUN_STATUSES, STEP_OPERATIONS } from './run';
import { tryParseIsoDuration } from './duration';

/** What a batch does to each run it selected. */
export const BATCH_ACTIONS = ['retry-failed-steps', 'pause', 'resume', 'extend-deadlines'] as const;
/** One of {@link BATCH_ACTIONS}. */
export type BatchAction = (typeof BATCH_ACTIONS)[number];

/** The most runs one batch may touch: a larger selection is refused, to be narrowed. */
export const BATCH_MAX_RUNS = 1000;

/** The prefix of a batch's workflow id: no run, wave, draft or clean-up id starts with it. */
export const BATCH_ID_PREFIX = 'batch:';
/** A batch's id: the prefix and a UUID. */
export const BATCH_ID_PATTERN = /^batch:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The workflow id of a batch, from a random UUID the API draws. */
export function batchWorkflowId(uuid: string): string {
  return `${BATCH_ID_PREFIX}${uuid}`;
}

const enumError = (values: readonly string[]) => ({ error: `must be one of ${values.join(', ')}` });

/**
 * Which runs a batch acts on: every field is a filter on a search attribute, ANDed. Only open
 * runs are ever selected, and each action adds what a run must be for it to apply (a retry
 * selects runs that need attention, a resume paused runs...), so that the dry run lists exactly
 * the runs the batch will touch.
 */
export const BatchSelectionSchema = z.lazy(() =>
  z.strictObject({
    customer: z.string().regex(SLUG_PATTERN, { error: 'must be a customer id (lowercase letters, digits, ".", "_" or "-")' }).optional(),
    phase: z.enum(PHASES, enumError(PHASES)).optional(),
    status: z.enum(RUN_STATUSES, enumError(RUN_STATUSES)).optional(),
    needsAttention: z.boolean({ error: 'must be true or false' }).optional(),
    /** The operation of a failed step (domain/run.ts, STEP_OPERATIONS); a retry then retries only those steps. */
    operation: z.enum(STEP_OPERATIONS, enumError(STEP_OPERATIONS)).optional(),
  }),
);
/** A batch's selection. */
export type BatchSelection = z.infer<typeof BatchSelectionSchema>;

const reasonSchema = z.lazy(() => z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(2000, { error: 'must be at most 2000 characters long' }));

/** A batch as ops ask for it. `dryRun` answers the runs it would touch, and touches none. */
export const BatchRequestSchema = z.lazy(() =>
  z
    .strictObject({
      action: z.enum(BATCH_ACTIONS, enumError(BATCH_ACTIONS)),
      selection: BatchSelectionSchema,
      /** ISO 8601 duration added from now to each pending approval's deadline (`extend-deadlines` only). */
      extendBy: z
        .string({ error: 'must be a string' })
        .refine((text) => (tryParseIsoDuration(text) ?? 0) > 0, { error: 'must be a positive ISO 8601 duration such as P7D or PT12H' })
        .optional(),
      /** Why: each run's audit trail keeps it with the batch's id. */
      reason: reasonSchema,
      dryRun: z.boolean({ error: 'must be true or false' }).default(false),
      /**
       * The runs a preview listed: the batch then acts on those of them the selection still
       * matches, never on any other, so that a confirmation touches no run the preview did not show.
       */
      runIds: z
        .array(z.string().regex(/^[A-Za-z0-9._:-]{1,200}$/, { error: 'must be a migration id' }), { error: 'must be a list of migration ids' })
        .min(1, { error: 'must name at least one run' })
        .max(BATCH_MAX_RUNS, { error: `must name at most ${BATCH_MAX_RUNS} runs` })
        .optional(),
    })
    .superRefine((request, context) => {
      if (request.action === 'extend-deadlines' && request.extendBy === undefined) {
        context.addIssue({ code: 'custom', path: ['extendBy'], message: 'is required when the action is extend-deadlines' });
      }
      if (request.action !== 'extend-deadlines' && request.extendBy !== undefined) {
        context.addIssue({ code: 'custom', path: ['extendBy'], message: `applies to extend-deadlines only, not ${request.action}` });
      }
      if (request.selection.operation !== undefined && request.action !== 'retry-failed-steps') {
        context.addIssue({ code: 'custom', path: ['selection', 'operation'], message: `selects failed steps to retry: it applies to retry-failed-steps only, not ${request.action}` });
      }
    }),
);
/** A batch request, defaults applied. */
export type BatchRequest = z.output<typeof BatchRequestSchema>;

/** A run a selection matched, as the dry run lists it: the fields of its summary that the selection reads. */
export const BatchCandidateSchema = z.lazy(() => builtSchema(MigrationSummarySchema).pick({ id: true, customerId: true, phase: true, status: true }));
/** One run a batch would touch. */
export type BatchCandidate = z.infer<typeof BatchCandidateSchema>;

/** The answer to a dry run: the runs the batch would touch, nothing started. */
export const BatchDryRunSchema = z.lazy(() =>
  z.object({
    dryRun: z.literal(true),
    action: z.enum(BATCH_ACTIONS),
    selection: BatchSelectionSchema,
    runs: z.array(BatchCandidateSchema),
  }),
);
/** A dry run's answer. */
export type BatchDryRun = z.infer<typeof BatchDryRunSchema>;

/**
 * How a batch left one run: `DONE` (the operation was applied; a retry says which steps),
 * `REFUSED` (the run's own validator said no, in its words: it resumed, ended or was retried
 * meanwhile), `NOT_FOUND` (the run is gone), `FAILED` (Temporal did not answer after retries).
 */
export const BATCH_RUN_OUTCOMES = ['PENDING', 'DONE', 'REFUSED', 'NOT_FOUND', 'FAILED'] as const;
/** One of {@link BATCH_RUN_OUTCOMES}. */
export type BatchRunOutcome = (typeof BATCH_RUN_OUTCOMES)[number];

/** One run of a batch and what the batch did to it. */
export const BatchRunSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    outcome: z.enum(BATCH_RUN_OUTCOMES),
    /** The refusal or failure, as the run (or Temporal) said it. */
    detail: z.string().optional(),
    /** The steps a retry retried. */
    steps: z.array(z.string()).optional(),
    at: z.string().optional(),
  }),
);
/** One run of a batch. */
export type BatchRun = z.infer<typeof BatchRunSchema>;

/** States of a batch. */
export const BATCH_STATES = ['RUNNING', 'COMPLETED'] as const;
/** One of {@link BATCH_STATES}. */
export type BatchState = (typeof BATCH_STATES)[number];

/** A batch: what it does, who asked and why, its progress and every run's outcome (at most {@link BATCH_MAX_RUNS}). */
export const BatchViewSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    action: z.enum(BATCH_ACTIONS),
    selection: BatchSelectionSchema,
    extendBy: z.string().optional(),
    reason: z.string(),
    /** The verified subject of the token that started it. */
    requestedBy: z.string(),
    requestedAt: z.string(),
    state: z.enum(BATCH_STATES),
    total: z.number().int(),
    processed: z.number().int(),
    counts: z.record(z.enum(BATCH_RUN_OUTCOMES), z.number().int()),
    runs: z.array(BatchRunSchema),
    completedAt: z.string().optional(),
  }),
);
/** A batch's view. */
export type BatchView = z.infer<typeof BatchViewSchema>;

/** One batch in a list. */
export const BatchSummarySchema = z.lazy(() =>
  z.object({
    id: z.string(),
    action: z.enum(BATCH_ACTIONS).nullable(),
    requestedBy: z.string().nullable(),
    total: z.number().int().nullable(),
    state: z.enum(BATCH_STATES),
    startedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
  }),
);
/** One batch in a list. */
export type BatchSummary = z.infer<typeof BatchSummarySchema>;

/** A page of batches, newest first. */
export const BatchListResponseSchema = z.lazy(() => z.object({ items: z.array(BatchSummarySchema), nextCursor: z.string().nullable() }));
/** A page of batches. */
export type BatchListResponse = z.infer<typeof BatchListResponseSchema>;

/** The answer to a batch's start: its id, where to follow it, and what it is now. */
export const StartBatchResponseSchema = z.lazy(() => z.object({ id: z.string(), statusUrl: z.string(), batch: BatchViewSchema }));
/** A started batch. */
export type StartBatchResponse = z.infer<typeof StartBatchResponseSchema>;

/** Counts of each outcome over a batch's runs. */
export function countOutcomes(runs: readonly Pick<BatchRun, 'outcome'>[]): Record<BatchRunOutcome, number> {
  const counts = Object.fromEntries(BATCH_RUN_OUTCOMES.map((outcome) => [outcome, 0])) as Record<BatchRunOutcome, number>;
  for (const run of runs) counts[run.outcome] += 1;
  return counts;
}

/** The sentence each run's audit trail keeps for a batch's decision: the batch's id, then the reason. */
export function batchAuditComment(batchId: string, reason: string): string {
  return `${batchId}: ${reason}`;
}

/** What a batch was asked to do, as its workflow keeps it. */
export interface BatchOrder {
  id: string;
  action: BatchAction;
  selection: BatchSelection;
  extendBy?: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
}

/** A batch's view from its order and its runs as they stand. */
export function batchView(order: BatchOrder, runs: readonly BatchRun[], completedAt?: string): BatchView {
  const counts = countOutcomes(runs);
  return {
    ...order,
    state: completedAt === undefined ? 'RUNNING' : 'COMPLETED',
    total: runs.length,
    processed: runs.length - counts.PENDING,
    counts,
    runs: runs.map((run) => ({ ...run })),
    ...(completedAt === undefined ? {} : { completedAt }),
  };
}
