/**
 * The inputs of the human decisions on a run, as zod schemas: the one source of their types,
 * of the API's validation and of its OpenAPI document. The actor is never part of them: it
 * comes from the verified token.
 */
import { z } from 'zod';
import { APPROVAL_DECISIONS, DEROGATION_MAX_MEASURES, REHEARSAL_DECISIONS } from '../domain';
import { tryParseIsoDuration } from '../domain/duration';

/** Run ids, step ids and approval ids: URL-safe, the characters of workflow ids. */
export const ID_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

/** An id of {@link ID_PATTERN}. */
export const IdSchema = z.string().regex(ID_PATTERN, {
  error: 'must be 1 to 200 characters: letters, digits, ".", "_", ":" or "-"',
});

const reasonSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(2000, { error: 'must be at most 2000 characters long' });

/** An approver's decision: a comment is required unless approving. */
export const ApprovalDecisionRequestSchema = z
  .strictObject({
    decision: z.enum(APPROVAL_DECISIONS, { error: `must be one of ${APPROVAL_DECISIONS.join(', ')}` }),
    comment: reasonSchema.optional(),
  })
  .superRefine((request, context) => {
    if (request.decision !== 'APPROVE' && request.comment === undefined) {
      context.addIssue({ code: 'custom', path: ['comment'], message: `is required when the decision is ${request.decision}` });
    }
  });
/** An approver's decision. */
export type ApprovalDecisionRequest = z.infer<typeof ApprovalDecisionRequestSchema>;

/** Pause, resume, cancel and retry: an optional reason for the audit trail. */
export const OperatorRequestSchema = z.strictObject({ reason: reasonSchema.optional() });
/** Pause, resume, cancel and retry. */
export type OperatorRequest = z.infer<typeof OperatorRequestSchema>;

/** Skipping a step always says why. */
export const SkipStepRequestSchema = z.strictObject({ reason: reasonSchema });
/** A skip. */
export type SkipStepRequest = z.infer<typeof SkipStepRequestSchema>;

/** One approval's deadline pushed back, or every pending one's. */
export const ExtendDeadlineRequestSchema = z.strictObject({
  approvalId: IdSchema.optional(),
  extendBy: z.string({ error: 'is required' }).refine((text) => (tryParseIsoDuration(text) ?? 0) > 0, {
    error: 'must be a positive ISO 8601 duration such as P7D or PT12H',
  }),
  reason: reasonSchema.optional(),
});
/** A deadline extension. */
export type ExtendDeadlineRequest = z.infer<typeof ExtendDeadlineRequestSchema>;

/** The run controls an operator sends. */
export const RUN_CONTROLS = ['pause', 'resume', 'cancel'] as const;
/** A {@link RUN_CONTROLS} value. */
export type RunControl = (typeof RUN_CONTROLS)[number];

const isoDateTime = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2027-06-30T00:00:00Z' });
const measuresSchema = z
  .array(reasonSchema, { error: 'must be a list of measures' })
  .min(1, { error: 'must list at least one compensating measure (R10)' })
  .max(DEROGATION_MAX_MEASURES, { error: `must list at most ${DEROGATION_MAX_MEASURES} measures` });

/** A derogation request (R10): the zone of the plan and why it cannot wait for the qualification. */
export const DerogationRequestSchema = z.strictObject({ zoneId: IdSchema, reason: reasonSchema });
/** A derogation request. */
export type DerogationRequest = z.infer<typeof DerogationRequestSchema>;

/** The homologation authority's grant (R10): justification, compensating measures, expiry at most 18 months ahead. */
export const DerogationGrantRequestSchema = z.strictObject({ justification: reasonSchema, compensatingMeasures: measuresSchema, expiresAt: isoDateTime });
/** A grant. */
export type DerogationGrantRequest = z.infer<typeof DerogationGrantRequestSchema>;

/** The one renewal (R10): at most 12 months after the current expiry; measures replace the earlier ones when given. */
export const DerogationRenewRequestSchema = z.strictObject({ justification: reasonSchema, compensatingMeasures: measuresSchema.optional(), expiresAt: isoDateTime });
/** A renewal. */
export type DerogationRenewRequest = z.infer<typeof DerogationRenewRequestSchema>;

/** A refusal, a revocation or an operator's decision after a lapse: always saying why. */
export const DerogationCommentRequestSchema = z.strictObject({ comment: reasonSchema });
/** A refusal, revocation or acknowledgement. */
export type DerogationCommentRequest = z.infer<typeof DerogationCommentRequestSchema>;

/** An owner's acceptance of an open residual risk, with an optional comment for the audit trail. */
export const AcceptRiskRequestSchema = z.strictObject({ comment: reasonSchema.optional() });
/** An acceptance of a risk. */
export type AcceptRiskRequest = z.infer<typeof AcceptRiskRequestSchema>;

/** What the homologation authority (and, for `acknowledge`, ops) may do to a derogation. */
export const DEROGATION_DECISIONS = ['grant', 'refuse', 'renew', 'revoke', 'acknowledge'] as const;
/** One of {@link DEROGATION_DECISIONS}. */
export type DerogationDecision = (typeof DEROGATION_DECISIONS)[number];
/** Ops open an exceptional cutover window: until when, for which wave (every wave when absent), and why. */
export const OpenCutoverWindowRequestSchema = z.strictObject({
  waveId: z.string().regex(/^wave-[1-9]\d{0,3}$/, { error: 'must be a wave id such as wave-2' }).optional(),
  opensAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, such as 2027-03-06T22:00:00Z' }).optional(),
  closesAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with a time zone, such as 2027-03-07T06:00:00+01:00' }),
  reason: reasonSchema,
});
/** An exceptional cutover window. */
export type OpenCutoverWindowRequest = z.infer<typeof OpenCutoverWindowRequestSchema>;

/** The customer's approver confirms a wave's rehearsal, or reports a problem with it, saying what. */
export const RehearsalDecisionRequestSchema = z
  .strictObject({
    decision: z.enum(REHEARSAL_DECISIONS, { error: `must be one of ${REHEARSAL_DECISIONS.join(', ')}` }),
    comment: reasonSchema.optional(),
  })
  .superRefine((request, context) => {
    if (request.decision === 'REPORT_PROBLEM' && request.comment === undefined) {
      context.addIssue({ code: 'custom', path: ['comment'], message: 'is required when reporting a problem: say what went wrong' });
    }
  });
/** A decision on a wave's rehearsal. */
export type RehearsalDecisionRequest = z.infer<typeof RehearsalDecisionRequestSchema>;
