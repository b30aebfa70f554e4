/**
 * The run's status and its views, as the workflow's status query answers them and the API
 * serves them: zod schemas are the single source, each type is their `z.infer`, and the
 * OpenAPI document is generated from the same schemas.
 */
import { z } from 'zod';
import type { AssessmentReport } from './assessment';
import { CLOUD_HOSTING_LEVELS, type ClassificationReport } from './classification';
import type { Derogation } from './derogations';
import type { RiskRegister } from './risks';
import { GATE_NEEDS, ZONE_GATE_STATES } from './gate';
import { ExceptionalWindowSchema, WaveWindowViewSchema } from './cutover-windows';
import { RehearsalViewSchema } from './rehearsals';
import { MessageSchema } from './messages';
import { PlanSchema } from './plan';
import { APPROVAL_DECISIONS, APPROVAL_STATES, ATTENTION_REASONS, PHASES, RUN_STATUSES, STEP_STATES, WAVE_HOLD_REASONS } from './run';

/** An ISO 8601 date-time in UTC, as every time of a run is written. */
export const IsoTimestampSchema = z.lazy(() => z.string().meta({ description: 'ISO 8601 date-time (UTC)', format: 'date-time' }));

/** Assessment of a plan (domain/assessment.ts), described in the OpenAPI document only. */
export const AssessmentReportSchema = z.lazy(() =>
  z
    .custom<AssessmentReport>()
    .meta({ description: 'Assessment: transfer times and readiness blockers per workload, and totals (see POST /v1/plans/validate).' }),
);
/** Classification of a plan (domain/classification.ts), described in the OpenAPI document only. */
export const ClassificationReportSchema = z.lazy(() =>
  z
    .custom<ClassificationReport>()
    .meta({ description: 'Classification report of docs/rules.md: hosting level per workload, approvals, landing zones, warnings.' }),
);

/** Why a step failed, after its retries. */
export const StepErrorSchema = z.lazy(() => z.object({ message: z.string(), type: z.string().optional(), attempts: z.number().int(), at: IsoTimestampSchema }));
/** Why a step failed, after its retries. */
export type StepError = z.infer<typeof StepErrorSchema>;

/** One step of a run. */
export const StepViewSchema = z.lazy(() =>
  z.object({
    id: z.string().meta({ description: 'Stable, URL-safe step id, such as provisioning.key-vault.secnumcloud' }),
    phase: z.enum(PHASES),
    title: z.string(),
    state: z.enum(STEP_STATES),
    startedAt: IsoTimestampSchema.optional(),
    endedAt: IsoTimestampSchema.optional(),
    progress: z.number().min(0).max(1).optional().meta({ description: '0..1 for long steps (replication)' }),
    error: StepErrorSchema.optional(),
    skippedReason: z.string().optional(),
    note: MessageSchema.optional().meta({ description: 'Why the run skipped or undid the step, as a message code (a person’s skip reason stays in skippedReason)' }),
    workloadId: z.string().optional(),
    waveId: z.string().optional(),
  }),
);
/** One step of a run. */
export type StepView = z.infer<typeof StepViewSchema>;

/** A decision given on an approval: by whom (the verified token's subject), when and why. */
export const ApprovalDecisionRecordSchema = z.lazy(() =>
  z.object({
    decision: z.enum(APPROVAL_DECISIONS),
    comment: z.string().optional(),
    by: z.string(),
    at: IsoTimestampSchema,
    acceptedRiskIds: z
      .array(z.string())
      .optional()
      .meta({ description: 'The residual risks this decision accepted: approving `homologation` accepts every risk open at that moment (docs/rules.md)' }),
  }),
);

/** One sign-off a run waits for or received. */
export const ApprovalViewSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    role: z.string().meta({ description: 'The approver role that must decide (RSSI, DPO, HOMOLOGATION_AUTHORITY)' }),
    rules: z.array(z.string()),
    state: z.enum(APPROVAL_STATES),
    round: z.number().int().meta({ description: 'Classification round that asked for it: an amended plan asks every approval again' }),
    requestedAt: IsoTimestampSchema,
    dueAt: IsoTimestampSchema,
    remindedAt: IsoTimestampSchema.optional(),
    escalatedAt: IsoTimestampSchema.optional(),
    decision: ApprovalDecisionRecordSchema.optional(),
    reasons: z
      .array(MessageSchema)
      .optional()
      .meta({ description: 'Why the current classification asks for it, as message codes (`rules` in English); in the overview, for the current round' }),
  }),
);
/** One sign-off a run waits for or received. */
export type ApprovalView = z.infer<typeof ApprovalViewSchema>;

/**
 * What the run wrote for people as a message code with parameters (domain/messages.ts), which
 * readers render in their language; absent in runs started before message codes, whose
 * `message` is English only (and kept beside it for the readers that know no codes).
 */
const RunTextSchema = z.lazy(() => MessageSchema.optional());

/** Something that waits for an operator. */
export const AttentionViewSchema = z.lazy(() =>
  z.object({
    stepId: z
      .string()
      .meta({ description: 'The step waiting for an operator (or the approval, for an overdue one: approval.{id}; the derogation, for a lapsed one: derogation.{zoneId})' }),
    reason: z.enum(ATTENTION_REASONS),
    message: z.string(),
    text: RunTextSchema,
    since: IsoTimestampSchema,
  }),
);
/** Something that waits for an operator. */
export type AttentionView = z.infer<typeof AttentionViewSchema>;

/** One line of a run's timeline. */
export const TimelineEntrySchema = z.lazy(() => z.object({ at: IsoTimestampSchema, kind: z.string(), message: z.string(), text: RunTextSchema, stepId: z.string().optional() }));
/** One line of a run's timeline. */
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

/** One line of a run's audit trail: who (from the verified token), what, on what, why. */
export const AuditEntrySchema = z.lazy(() =>
  z.object({
    at: IsoTimestampSchema,
    actor: z.string().meta({ description: 'Subject of the verified token that made the decision' }),
    roles: z.array(z.string()),
    action: z.string(),
    target: z.string().optional(),
    comment: z.string().optional(),
  }),
);
/** One line of a run's audit trail. */
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** Why a wave waits before it starts: the open residual risks of its workloads, until their owners accept them. */
export const WaveHoldSchema = z.lazy(() =>
  z.object({
    reason: z.enum(WAVE_HOLD_REASONS),
    riskIds: z.array(z.string()).meta({ description: 'The OPEN risks that hold the wave (GET /v1/migrations/{id}/risks)' }),
    since: IsoTimestampSchema,
    text: MessageSchema,
  }),
);
/** Why a wave waits before it starts. */
export type WaveHold = z.infer<typeof WaveHoldSchema>;

/** One cutover wave. */
export const WaveViewSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    index: z.number().int(),
    workloadIds: z.array(z.string()),
    state: z.enum(STEP_STATES),
    workflowId: z.string().optional().meta({ description: "The wave's workflow id, once the wave has started" }),
    window: WaveWindowViewSchema.optional().meta({ description: 'Where the wave stands with its cutover window, when the plan has one' }),
    heldBy: WaveHoldSchema.optional().meta({ description: 'Why the wave waits before it starts (state WAITING): an OPEN residual risk of one of its workloads' }),
    rehearsal: RehearsalViewSchema.optional().meta({ description: "The wave's rehearsal in an isolated test network, when the plan's settings make it rehearse" }),
  }),
);
/** One cutover wave. */
export type WaveView = z.infer<typeof WaveViewSchema>;

/** One zone at the regulatory gate (R9): what it needs, what it still waits for, how far it is. */
export const ZoneGateViewSchema = z.lazy(() =>
  z.object({
    zoneId: z.string().meta({ description: 'A landing zone id (secnumcloud-hds) or m365-tenant' }),
    level: z.enum(CLOUD_HOSTING_LEVELS),
    hds: z.boolean(),
    needs: z.array(z.enum(GATE_NEEDS)),
    waitingFor: z.array(z.enum(GATE_NEEDS)).meta({ description: 'What the provider still lacks for this zone; empty when CLEAR' }),
    state: z.enum(ZONE_GATE_STATES),
    derogationId: z.string().optional().meta({ description: 'The derogation in force that lets the zone past the SecNumCloud need (R10)' }),
    workloads: z.number().int().meta({ description: 'Migrating workloads of the zone' }),
    heldWorkloads: z.number().int().meta({ description: 'Those that wait: their zone waits, or what they rely on sits in a waiting zone' }),
    provisioned: z.boolean(),
  }),
);
/** One zone at the regulatory gate (R9). */
export type ZoneGateView = z.infer<typeof ZoneGateViewSchema>;

/** What the regulatory gate (R9) waits for. */
export const GateViewSchema = z.lazy(() =>
  z.object({
    waitingFor: z.array(z.string()).meta({ description: 'What the provider lacks, in English (runs started before message codes write only these)' }),
    waitingForText: z.array(MessageSchema).optional().meta({ description: 'The same lines as message codes, rendered in the reader’s language' }),
    zones: z.array(ZoneGateViewSchema).optional().meta({ description: 'The gate per zone (runs started since the gate applies per zone)' }),
    lastCheckedAt: IsoTimestampSchema.optional(),
    checks: z.number().int(),
    credentials: z.object({ secnumcloud: z.string(), hds: z.boolean() }).optional(),
  }),
);
/** What the regulatory gate (R9) waits for. */
export type GateView = z.infer<typeof GateViewSchema>;

/** A derogation of one zone (R10, domain/derogations.ts), described in the OpenAPI document only. */
export const DerogationSchema = z.lazy(() =>
  z.custom<Derogation>().meta({
    description:
      'A derogation of one zone (R10): state (REQUESTED, REFUSED, GRANTED, EXPIRED, REVOKED, ENDED), requester and reason, the homologation authority’s justification, compensating measures and expiry, renewals, and its history of decisions with actors and dates.',
  }),
);

/** The residual-risk register a run keeps (domain/risks.ts), described in the OpenAPI document only. */
export const RiskRegisterSchema = z.lazy(() =>
  z.custom<RiskRegister>().meta({
    description: 'The residual risks of docs/rules.md that the run keeps: each with id, code, source, workloads, description (message code), owner role, state and acceptance.',
  }),
);

/** How a run ended. */
export const OutcomeSchema = z.lazy(() => z.object({ status: z.enum(RUN_STATUSES), reason: z.string().optional(), text: RunTextSchema }));

/** What a clean-up undoes: the same three kinds of undo as a cancelled run's compensation. */
export const CLEANUP_ACTION_KINDS = ['delete', 'switch-back', 'unfreeze'] as const;

/** One undo of a clean-up: a resource the run provisioned released, or a workload's source restored. */
export const CleanupActionSchema = z.lazy(() =>
  z.object({
    stepId: z.string().meta({ description: 'The step whose effect is undone' }),
    kind: z.enum(CLEANUP_ACTION_KINDS),
    target: z.string().meta({ description: 'The resource id (delete) or the workload id (switch-back, unfreeze)' }),
    state: z.enum(STEP_STATES).meta({ description: 'PENDING, RUNNING, SUCCEEDED or FAILED' }),
    detail: z.string().optional().meta({ description: 'Why it failed, or which other plans keep a shared resource' }),
  }),
);
/** One undo of a clean-up. */
export type CleanupAction = z.infer<typeof CleanupActionSchema>;

/**
 * The clean-up of a run that Temporal closed (failed, terminated, timed out) without undoing what
 * it had done: ops ask for it (`POST /v1/migrations/{id}/cleanup`), a workflow of its own runs it.
 */
export const CleanupViewSchema = z.lazy(() =>
  z.object({
    workflowId: z.string(),
    state: z.enum(STEP_STATES).meta({ description: 'RUNNING, then SUCCEEDED, or FAILED when an undo failed (its detail says why)' }),
    requestedBy: z.string().meta({ description: 'Subject of the verified token that asked for it' }),
    roles: z.array(z.string()),
    requestedAt: IsoTimestampSchema,
    endedAt: IsoTimestampSchema.optional(),
    reason: z.string().optional(),
    actions: z.array(CleanupActionSchema).meta({ description: 'Newest first, as they are undone' }),
  }),
);
/** The clean-up of a run that Temporal closed. */
export type CleanupView = z.infer<typeof CleanupViewSchema>;

/** Answer of the status query and of `GET /v1/migrations/{id}`: everything a person needs to follow the run. */
export const MigrationStatusSchema = z.lazy(() =>
  z.object({
    workflowId: z.string(),
    planId: z.string().optional(),
    customerId: z.string(),
    customerName: z.string(),
    phase: z.enum(PHASES),
    status: z.enum(RUN_STATUSES),
    percentComplete: z.number().min(0).max(100),
    startedAt: IsoTimestampSchema,
    updatedAt: IsoTimestampSchema,
    endedAt: IsoTimestampSchema.optional(),
    startedBy: z.string(),
    round: z.number().int(),
    plan: PlanSchema,
    assessment: AssessmentReportSchema.optional(),
    report: ClassificationReportSchema.optional(),
    approvals: z.array(ApprovalViewSchema),
    gate: GateViewSchema.optional(),
    derogations: z.array(DerogationSchema).optional().meta({ description: 'The run’s derogations (R10), at most one per zone; absent until one is requested' }),
    risks: RiskRegisterSchema.optional().meta({ description: 'The residual-risk register the run keeps (page it at /risks); absent before classification and in runs started before the register' }),
    steps: z.array(StepViewSchema),
    waves: z.array(WaveViewSchema),
    attention: z.array(AttentionViewSchema).meta({ description: 'Everything that waits for an operator; the run is NEEDS_ATTENTION while this is not empty' }),
    paused: z.boolean(),
    exceptionalWindows: z.array(ExceptionalWindowSchema).optional().meta({ description: 'Cutover windows that ops opened outside the plan’s (the newest 20)' }),
    timeline: z.array(TimelineEntrySchema).meta({ description: 'The newest entries (at most 500), oldest first' }),
    timelineTotal: z.number().int().optional().meta({ description: 'Entries the run has written, those no longer kept included' }),
    audit: z.array(AuditEntrySchema).meta({ description: 'The newest entries (at most 1,000), oldest first' }),
    auditTotal: z.number().int().optional().meta({ description: 'Decisions the run has recorded, those no longer kept included' }),
    resources: z.record(z.string(), z.string()),
    outcome: OutcomeSchema.optional(),
    draftId: z.string().optional().meta({ description: 'The draft plan the run was started from (GET /v1/plans/drafts/{id}), as the run’s memo records it' }),
    cleanup: CleanupViewSchema.optional().meta({ description: 'The clean-up ops asked for, for a run that Temporal closed' }),
  }),
);
/** What the status query returns: everything a person needs to follow the run. */
export type MigrationStatus = z.infer<typeof MigrationStatusSchema>;
