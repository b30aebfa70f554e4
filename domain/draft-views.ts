/**
 * What the API answers about draft plans (import, summary, workloads, preview, history, start,
 * list): zod schemas are the single source, each type is their `z.infer`, the drafting
 * workflow's queries answer these types, and the OpenAPI document is generated from the same
 * schemas, so that a client reads every field it gets.
 */
import { z } from 'zod';
import type { ApprovalRequirement, ClassificationReport, ClassificationSummary, ClassificationWarning, QualificationNeeds, WorkloadClassification } from './classification';
import { APPROVAL_IDS, HOSTING_LEVELS, RULE_IDS } from './classification';
import { DraftWorkloadSchema } from './draft';
import { type Message, MessageSchema } from './messages';
import { APPROVER_ROLES, CustomerSchema, WORKLOAD_KINDS } from './plan';
import { IsoTimestampSchema } from './run-status';

/** Where a draft stands: open to edits, turned into a run, or abandoned. */
export const DRAFT_STATES = ['OPEN', 'RUN_STARTED', 'ABANDONED'] as const;
/** One of {@link DRAFT_STATES}. */
export type DraftState = (typeof DRAFT_STATES)[number];

/** What a draft's audit trail records. */
export const DRAFT_AUDIT_ACTIONS = ['IMPORTED', 'EDITED', 'COMMENTED', 'RUN_STARTED', 'ABANDONED'] as const;
/** One of {@link DRAFT_AUDIT_ACTIONS}. */
export type DraftAuditAction = (typeof DRAFT_AUDIT_ACTIONS)[number];

const count = z.lazy(() => z.number().int().min(0));
// MessageSchema checks each code's parameters in a refinement, which zod's types cannot follow: what it accepts is a Message.
const message = z.lazy(() => MessageSchema as unknown as z.ZodType<Message>);

/** How many workloads a draft holds, and how far tagging has gone. */
export const DraftCountsSchema = z.lazy(() =>
  z.object({
    workloads: count,
    included: count.meta({ description: 'Workloads that will migrate (not excluded)' }),
    excluded: count,
    tagged: count.meta({ description: 'Included workloads with at least one data category' }),
    untagged: count.meta({ description: 'Included workloads still without a data category: nothing starts while this is not 0' }),
  }),
);

/** One workload of the classification report (docs/rules.md, R1 to R8). */
export const WorkloadClassificationSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    kind: z.enum(WORKLOAD_KINDS),
    level: z.enum(HOSTING_LEVELS),
    hds: z.boolean(),
    migrates: z.boolean(),
    rules: z.array(z.enum(RULE_IDS)),
    inheritedFrom: z.array(z.string()),
    inheritedThrough: z.array(z.string()).optional(),
    reason: z.string().optional(),
    reasonMessage: message.optional(),
  }) satisfies z.ZodType<WorkloadClassification>,
);

/** An approval the plan will need (docs/rules.md, approvals). */
export const ApprovalRequirementSchema = z.lazy(() =>
  z.object({
    id: z.enum(APPROVAL_IDS),
    role: z.enum(APPROVER_ROLES),
    rules: z.array(z.string()),
    basis: z.string(),
    reasons: z.array(message),
    basisMessage: message,
  }) satisfies z.ZodType<ApprovalRequirement>,
);

/** A classification warning: a migrating workload that reaches back on-premises. */
export const ClassificationWarningSchema = z.lazy(() =>
  z.object({
    code: z.literal('HYBRID_DEPENDENCY'),
    workloadId: z.string(),
    dependsOn: z.string(),
    message: z.string(),
    description: message,
  }) satisfies z.ZodType<ClassificationWarning>,
);

/** What the provider must hold before provisioning (R9). */
export const QualificationNeedsSchema = z.lazy(() =>
  z.object({
    secnumcloud: z.boolean(),
    hds: z.boolean(),
    secnumcloudNeededBy: z.array(z.string()),
    hdsNeededBy: z.array(z.string()),
  }) satisfies z.ZodType<QualificationNeeds>,
);

/** Counts over a classification's workloads. */
export const ClassificationSummarySchema = z.lazy(() =>
  z.object({
    total: count,
    migrating: count,
    notEligible: count,
    hds: count,
    byLevel: z.record(z.enum(HOSTING_LEVELS), count),
  }) satisfies z.ZodType<ClassificationSummary>,
);

/** A problem of the draft as a plan: the field and why. */
export const DraftIssueSchema = z.lazy(() => z.object({ path: z.string(), message: z.string() }));

/** What the rules make of a draft as it stands (the questionnaire's live preview). */
export const DraftPreviewSchema = z.lazy(() =>
  z.object({
    complete: z.boolean().meta({ description: 'Every included workload is tagged and the plan validates: a run may start' }),
    counts: DraftCountsSchema,
    untaggedIds: z.array(z.string()).meta({ description: 'Untagged included workloads, the first 50 by id' }),
    errors: z.array(DraftIssueSchema).meta({ description: 'Why the tagged part does not validate (besides untagged workloads), the first 50' }),
    classification: z
      .object({
        approvals: z.array(ApprovalRequirementSchema),
        summary: ClassificationSummarySchema,
        warnings: z.array(ClassificationWarningSchema),
        qualificationNeeds: QualificationNeedsSchema,
        workloads: z.array(WorkloadClassificationSchema).meta({ description: 'Level and rules of each tagged workload, the first 50 by id unless ids are asked' }),
      })
      .optional()
      .meta({ description: 'The classification of the tagged, included workloads; absent while none is tagged or the tagged part is invalid' }),
  }) satisfies z.ZodType<{ classification?: Pick<ClassificationReport, 'approvals' | 'summary' | 'warnings' | 'qualificationNeeds' | 'workloads'> }>,
);
/** The questionnaire's live preview. */
export type DraftPreview = z.infer<typeof DraftPreviewSchema>;

/** One item of an import's report, located in its file. */
export const ImportReportItemSchema = z.lazy(() =>
  z.object({
    code: z.string().meta({ description: 'What was inferred, is missing or was refused (discovery/report.ts lists the codes)' }),
    file: z.string(),
    sheet: z.string().optional(),
    line: z.number().int().optional(),
    column: z.string().optional(),
    workloadId: z.string().optional(),
    message: z.string(),
  }),
);

const reportLists = <T extends z.ZodType>(value: T) => z.object({ inferred: value, missing: value, refused: value });

/** What an import made of its files; lists are bounded, `counts` covers every item. */
export const ImportReportSchema = z.lazy(() =>
  z.object({
    files: z.array(z.object({ file: z.string(), format: z.string(), rows: count })),
    summary: z.object({ servers: count, workloads: count, excluded: count, dependencies: count, applications: count, untagged: count }),
    inferred: z.array(ImportReportItemSchema),
    missing: z.array(ImportReportItemSchema),
    refused: z.array(ImportReportItemSchema),
    counts: reportLists(z.record(z.string(), count)).meta({ description: 'Items per list and code' }),
    omitted: reportLists(count).meta({ description: 'Items left out of each list by its bound' }),
  }),
);
/** An import's report, as a draft keeps it. */
export type DraftImportReport = z.infer<typeof ImportReportSchema>;

/** The draft's header: what a list or a review page shows first. */
export const DraftSummarySchema = z.lazy(() =>
  z.object({
    draftId: z.string(),
    customer: CustomerSchema,
    planId: z.string().optional(),
    state: z.enum(DRAFT_STATES),
    revision: z.number().int().min(1).meta({ description: 'Bumped by every edit' }),
    createdBy: z.string(),
    createdAt: IsoTimestampSchema,
    updatedAt: IsoTimestampSchema,
    runId: z.string().optional().meta({ description: 'The run started from the draft' }),
    counts: DraftCountsSchema,
    applications: z
      .array(z.object({ name: z.string(), workloads: count, untagged: count }))
      .meta({ description: 'Applications the export named, with their workloads and how many are untagged; the first 500 by name' }),
    importReport: ImportReportSchema.optional(),
  }),
);
/** The draft's header. */
export type DraftSummary = z.infer<typeof DraftSummarySchema>;

/** A page of a draft's workloads, optionally filtered. */
export const DraftWorkloadsPageSchema = z.lazy(() =>
  z.object({
    total: count.meta({ description: 'Workloads matching the filters' }),
    offset: count,
    workloads: z.array(DraftWorkloadSchema),
  }),
);
/** A page of a draft's workloads. */
export type DraftWorkloadsPage = z.infer<typeof DraftWorkloadsPageSchema>;

/** One entry of a draft's audit trail: who did what, when. */
export const DraftAuditEntrySchema = z.lazy(() =>
  z.object({
    at: IsoTimestampSchema,
    actor: z.string().meta({ description: 'Subject of the verified token' }),
    action: z.enum(DRAFT_AUDIT_ACTIONS),
    detail: z.string(),
    workloadIds: z.array(z.string()).optional().meta({ description: 'The workloads changed, the first twenty' }),
    changed: count.optional(),
    comment: z.string().optional(),
    message: message.optional().meta({ description: 'The entry as a message code (DRAFT_IMPORTED, DRAFT_EDITED, DRAFT_COMMENTED, DRAFT_RUN_STARTED), rendered in the reader’s language; `detail` says it in English' }),
  }),
);
/** One entry of a draft's audit trail. */
export type DraftAuditEntry = z.infer<typeof DraftAuditEntrySchema>;

/** A comment on the draft or on one of its workloads. */
export const DraftCommentSchema = z.lazy(() =>
  z.object({
    id: z.number().int().min(1),
    at: IsoTimestampSchema,
    by: z.string(),
    workloadId: z.string().optional(),
    text: z.string(),
  }),
);
/** A comment on a draft. */
export type DraftComment = z.infer<typeof DraftCommentSchema>;

/** A draft's audit trail and comments: the newest 200 of each, oldest first, with totals. */
export const DraftHistorySchema = z.lazy(() =>
  z.object({
    audit: z.array(DraftAuditEntrySchema),
    auditTotal: count,
    comments: z.array(DraftCommentSchema),
    commentsTotal: count,
  }),
);
/** A draft's audit trail and comments. */
export type DraftHistory = z.infer<typeof DraftHistorySchema>;

/** What an edit answers: the workloads it changed, the draft's new revision and counts. */
export const DraftEditResponseSchema = z.lazy(() => z.object({ changed: z.array(z.string()), revision: z.number().int().min(1), counts: DraftCountsSchema }));
/** What an edit answers. */
export type DraftEditResponse = z.infer<typeof DraftEditResponseSchema>;

/** What an import answers: the new draft, its summary and the import's report. */
export const DraftImportResponseSchema = z.lazy(() => z.object({ id: z.string(), summary: DraftSummarySchema, report: ImportReportSchema }));
/** What an import answers. */
export type DraftImportResponse = z.infer<typeof DraftImportResponseSchema>;

/** What a start from a draft answers: the run, new or the one started before. */
export const DraftStartResponseSchema = z.lazy(() => z.object({ draftId: z.string(), runId: z.string(), created: z.boolean() }));
/** What a start from a draft answers. */
export type DraftStartResponse = z.infer<typeof DraftStartResponseSchema>;

/** One draft in a list, read from Temporal's visibility alone. */
export const DraftListItemSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    customerId: z.string().nullable(),
    open: z.boolean().meta({ description: 'False once a run was started from it (or it was abandoned)' }),
    createdAt: IsoTimestampSchema.nullable(),
    closedAt: IsoTimestampSchema.nullable(),
  }),
);
/** One draft in a list. */
export type DraftListItem = z.infer<typeof DraftListItemSchema>;

/** Answer of `GET /v1/plans/drafts`: newest first; `nextCursor` is null on the last page. */
export const DraftListResponseSchema = z.lazy(() => z.object({ items: z.array(DraftListItemSchema), nextCursor: z.string().nullable() }));
/** Answer of `GET /v1/plans/drafts`. */
export type DraftListResponse = z.infer<typeof DraftListResponseSchema>;
