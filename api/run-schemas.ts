/**
 * Schemas of what the API answers about a run: its status (the workflow's status query), its
 * report and its live progress events. The OpenAPI document is generated from them; a
 * compile-time check keeps each schema equal to the type the workflow and the routes use, so
 * the document cannot drift from the answers.
 */
import { z } from 'zod';
import type { AssessmentReport, ClassificationReport } from '../domain';
import { HOSTING_LEVELS } from '../domain/classification';
import { PlanSchema } from '../domain/plan';
import {
  APPROVAL_DECISIONS,
  type ApprovalView,
  type MigrationStatus,
  PHASES,
  RUN_STATUSES,
  STEP_STATES,
  type StepView,
} from '../workflows/messages';

/** True when A and B are the same type with the same keys; a `false` fails compilation where it is asserted. */
type Same<A, B> = [A, keyof A] extends [B, keyof B] ? ([B, keyof B] extends [A, keyof A] ? true : false) : false;

const timestamp = z.string().meta({ description: 'ISO 8601 date-time (UTC)', format: 'date-time' });

const AssessmentReportSchema = z
  .custom<AssessmentReport>()
  .meta({ description: 'Assessment: transfer times and readiness blockers per workload, and totals (see POST /v1/plans/validate).' });
const ClassificationReportSchema = z
  .custom<ClassificationReport>()
  .meta({ description: 'Classification report of domain/RULES.md: hosting level per workload, approvals, landing zones, warnings.' });

/** One step of a run. */
export const StepViewSchema = z.object({
  id: z.string().meta({ description: 'Stable, URL-safe step id, such as provisioning.key-vault.secnumcloud' }),
  phase: z.enum(PHASES),
  title: z.string(),
  state: z.enum(STEP_STATES),
  startedAt: timestamp.optional(),
  endedAt: timestamp.optional(),
  progress: z.number().min(0).max(1).optional().meta({ description: '0..1 for long steps (replication)' }),
  error: z.object({ message: z.string(), type: z.string().optional(), attempts: z.number().int(), at: timestamp }).optional(),
  skippedReason: z.string().optional(),
  workloadId: z.string().optional(),
  waveId: z.string().optional(),
});

/** One sign-off a run waits for or received. */
export const ApprovalViewSchema = z.object({
  id: z.string(),
  role: z.string().meta({ description: 'The approver role that must decide (RSSI, DPO, HOMOLOGATION_AUTHORITY)' }),
  rules: z.array(z.string()),
  state: z.enum(['PENDING', 'APPROVED', 'REJECTED', 'CHANGES_REQUESTED', 'SUPERSEDED']),
  round: z.number().int(),
  requestedAt: timestamp,
  dueAt: timestamp,
  remindedAt: timestamp.optional(),
  escalatedAt: timestamp.optional(),
  decision: z
    .object({ decision: z.enum(APPROVAL_DECISIONS), comment: z.string().optional(), by: z.string(), at: timestamp })
    .optional(),
});

const AttentionViewSchema = z.object({
  stepId: z.string(),
  reason: z.enum(['STEP_FAILED', 'APPROVAL_OVERDUE']),
  message: z.string(),
  since: timestamp,
});

const TimelineEntrySchema = z.object({ at: timestamp, kind: z.string(), message: z.string(), stepId: z.string().optional() });

const AuditEntrySchema = z.object({
  at: timestamp,
  actor: z.string().meta({ description: 'Subject of the verified token that made the decision' }),
  roles: z.array(z.string()),
  action: z.string(),
  target: z.string().optional(),
  comment: z.string().optional(),
});

const WaveViewSchema = z.object({ id: z.string(), index: z.number().int(), workloadIds: z.array(z.string()), state: z.enum(STEP_STATES) });

const GateViewSchema = z.object({
  waitingFor: z.array(z.string()),
  lastCheckedAt: timestamp.optional(),
  checks: z.number().int(),
  credentials: z.object({ secnumcloud: z.string(), hds: z.boolean() }).optional(),
});

const OutcomeSchema = z.object({ status: z.enum(RUN_STATUSES), reason: z.string().optional() });

/** Answer of `GET /v1/migrations/{id}`: everything a person needs to follow the run. */
export const MigrationStatusSchema = z.object({
  workflowId: z.string(),
  planId: z.string().optional(),
  customerId: z.string(),
  customerName: z.string(),
  phase: z.enum(PHASES),
  status: z.enum(RUN_STATUSES),
  percentComplete: z.number().min(0).max(100),
  startedAt: timestamp,
  updatedAt: timestamp,
  endedAt: timestamp.optional(),
  startedBy: z.string(),
  round: z.number().int(),
  plan: PlanSchema,
  assessment: AssessmentReportSchema.optional(),
  report: ClassificationReportSchema.optional(),
  approvals: z.array(ApprovalViewSchema),
  gate: GateViewSchema.optional(),
  steps: z.array(StepViewSchema),
  waves: z.array(WaveViewSchema),
  attention: z.array(AttentionViewSchema),
  paused: z.boolean(),
  timeline: z.array(TimelineEntrySchema),
  audit: z.array(AuditEntrySchema),
  resources: z.record(z.string(), z.string()),
  outcome: OutcomeSchema.optional(),
});

/** What became of one workload of the plan, as far as the run has gone. */
export const WORKLOAD_OUTCOMES = ['MIGRATED', 'LEFT_OUT', 'SKIPPED', 'FAILED', 'ROLLED_BACK', 'NOT_MIGRATED', 'PENDING'] as const;
/** A {@link WORKLOAD_OUTCOMES} value. */
export type WorkloadOutcome = (typeof WORKLOAD_OUTCOMES)[number];

/** One workload in a run's report. */
export const WorkloadReportSchema = z.object({
  id: z.string(),
  name: z.string(),
  level: z.enum(HOSTING_LEVELS).nullable(),
  hds: z.boolean().nullable(),
  rules: z.array(z.string()).meta({ description: 'Rules of domain/RULES.md that decided the level' }),
  outcome: z.enum(WORKLOAD_OUTCOMES),
  reason: z.string().optional(),
});
/** One workload in a run's report. */
export type WorkloadReport = z.infer<typeof WorkloadReportSchema>;

/** Counts and exceptions among a run's steps. */
export const StepsSummarySchema = z.object({
  total: z.number().int(),
  byState: z.record(z.enum(STEP_STATES), z.number().int()),
  failed: z.array(StepViewSchema.pick({ id: true, title: true, error: true })),
  skipped: z.array(StepViewSchema.pick({ id: true, title: true, skippedReason: true })),
});
/** Counts and exceptions among a run's steps. */
export type StepsSummary = z.infer<typeof StepsSummarySchema>;

/** Answer of `GET /v1/migrations/{id}/report`: what was decided, what moved, what was left, who did what. */
export const MigrationReportSchema = z.object({
  id: z.string(),
  planId: z.string().optional(),
  customer: z.object({ id: z.string(), name: z.string() }),
  phase: z.enum(PHASES),
  status: z.enum(RUN_STATUSES),
  final: z.boolean().meta({ description: 'True once the run has ended: the report will not change any more' }),
  percentComplete: z.number().min(0).max(100),
  startedAt: timestamp,
  updatedAt: timestamp,
  endedAt: timestamp.optional(),
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
});
/** A run's final or interim report. */
export type MigrationReport = z.infer<typeof MigrationReportSchema>;

/** Data of a `status` event of `GET /v1/migrations/{id}/events`: the run at a glance. */
export const MigrationProgressSchema = z.object({
  id: z.string(),
  phase: z.enum(PHASES),
  status: z.enum(RUN_STATUSES),
  percentComplete: z.number().min(0).max(100),
  paused: z.boolean(),
  updatedAt: timestamp,
  endedAt: timestamp.optional(),
  attention: z.array(AttentionViewSchema),
  pendingApprovals: z.array(z.string()).meta({ description: 'Ids of the approvals still waiting for a decision' }),
  steps: z.object({ total: z.number().int(), byState: z.record(z.enum(STEP_STATES), z.number().int()) }),
  latest: TimelineEntrySchema.optional().meta({ description: 'The newest timeline entry' }),
});
/** Data of a `status` event. */
export type MigrationProgress = z.infer<typeof MigrationProgressSchema>;

/** Data of the final `end` event, sent once the run has ended, before the stream closes. */
export const MigrationStreamEndSchema = z.object({ id: z.string(), status: z.enum(RUN_STATUSES) });

// Compile-time guards: each schema describes exactly the type the workflow answers.
const statusSchemaMatches: Same<z.infer<typeof MigrationStatusSchema>, MigrationStatus> = true;
const stepSchemaMatches: Same<z.infer<typeof StepViewSchema>, StepView> = true;
const approvalSchemaMatches: Same<z.infer<typeof ApprovalViewSchema>, ApprovalView> = true;
void [statusSchemaMatches, stepSchemaMatches, approvalSchemaMatches];
