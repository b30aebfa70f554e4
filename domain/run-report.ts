/**
 * What the API derives from a run's status: its report and its live progress events. Zod
 * schemas are the single source; each type is their `z.infer`.
 */
import { z } from 'zod';
import { builtSchema } from './lazy-schemas';
import { HOSTING_LEVELS } from './classification';
import { MessageSchema } from './messages';
import { PHASES, RUN_STATUSES, STEP_STATES } from './run';
import {
  ApprovalViewSchema,
  AssessmentReportSchema,
  AttentionViewSchema,
  AuditEntrySchema,
  CleanupViewSchema,
  ClassificationReportSchema,
  GateViewSchema,
  OutcomeSchema,
  StepViewSchema,
  IsoTimestampSchema,
  WaveViewSchema,
} from './run-status';

/** What became of one workload of the plan, as far as the run has gone. */
export const WORKLOAD_OUTCOMES = ['MIGRATED', 'LEFT_OUT', 'SKIPPED', 'FAILED', 'ROLLED_BACK', 'NOT_MIGRATED', 'PENDING'] as const;
/** A {@link WORKLOAD_OUTCOMES} value. */
export type WorkloadOutcome = (typeof WORKLOAD_OUTCOMES)[number];

/** One workload in a run's report. */
export const WorkloadReportSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    level: z.enum(HOSTING_LEVELS).nullable(),
    hds: z.boolean().nullable(),
    rules: z.array(z.string()).meta({ description: 'Rules of docs/rules.md that decided the level' }),
    outcome: z.enum(WORKLOAD_OUTCOMES),
    reason: z.string().optional(),
    text: MessageSchema.optional().meta({ description: 'The reason as a message code, when the run wrote one: rendered in the reader’s language' }),
  }),
);
/** One workload in a run's report. */
export type WorkloadReport = z.infer<typeof WorkloadReportSchema>;

/** Counts and exceptions among a run's steps. */
export const StepsSummarySchema = z.lazy(() =>
  z.object({
    total: z.number().int(),
    byState: z.record(z.enum(STEP_STATES), z.number().int()),
    failed: z.array(builtSchema(StepViewSchema).pick({ id: true, title: true, error: true })),
    skipped: z.array(builtSchema(StepViewSchema).pick({ id: true, title: true, skippedReason: true })),
  }),
);
/** Counts and exceptions among a run's steps. */
export type StepsSummary = z.infer<typeof StepsSummarySchema>;

/** Answer of `GET /v1/migrations/{id}/report`: what was decided, what moved, what was left, who did what. */
export const MigrationReportSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    planId: z.string().optional(),
    customer: z.object({ id: z.string(), name: z.string() }),
    phase: z.enum(PHASES),
    status: z.enum(RUN_STATUSES),
    final: z.boolean().meta({ description: 'True once the run has ended: the report will not change any more' }),
    percentComplete: z.number().min(0).max(100),
    startedAt: IsoTimestampSchema,
    updatedAt: IsoTimestampSchema,
    endedAt: IsoTimestampSchema.optional(),
    startedBy: z.string(),
    assessment: AssessmentReportSchema.nullable(),
    classification: ClassificationReportSchema.nullable(),
    workloads: z.array(WorkloadReportSchema),
    steps: StepsSummarySchema,
    waves: z.array(WaveViewSchema),
    resources: z.record(z.string(), z.string()),
    outcome: OutcomeSchema.nullable(),
    attention: z.array(AttentionViewSchema).meta({ description: 'What waits for an operator right now; empty once the run has ended' }),
    gate: GateViewSchema.nullable().meta({ description: 'What the regulatory gate waits for, while it does' }),
    approvals: z.array(ApprovalViewSchema),
    audit: z.array(AuditEntrySchema),
    cleanup: CleanupViewSchema.optional(),
  }),
);
/** A run's final or interim report. */
export type MigrationReport = z.infer<typeof MigrationReportSchema>;

/** Why an event stream ended: the run ended, or the caller's token expired. */
export const STREAM_END_REASONS = ['RUN_ENDED', 'TOKEN_EXPIRED'] as const;
/** Why an event stream ended. */
export type StreamEndReason = (typeof STREAM_END_REASONS)[number];

/** Data of the final `end` event, sent once the run has ended or the caller's token expired, before the stream closes. */
export const MigrationStreamEndSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    reason: z.enum(STREAM_END_REASONS),
    status: z.enum(RUN_STATUSES).optional().meta({ description: 'The run’s final status, when the run ended' }),
    detail: z.string().optional().meta({ description: 'What to do, when the token expired' }),
  }),
);
/** Data of the final `end` event. */
export type MigrationStreamEnd = z.infer<typeof MigrationStreamEndSchema>;
