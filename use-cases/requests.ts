/**
 * The inputs of the human decisions on a run, as zod schemas: the one source of their types,
 * of the API's validation and of its OpenAPI document. The actor is never part of them: it
 * comes from the verified token.
 */
import { z } from 'zod';
import { APPROVAL_DECISIONS } from '../domain';
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
});
/** A deadline extension. */
export type ExtendDeadlineRequest = z.infer<typeof ExtendDeadlineRequestSchema>;

/** The run controls an operator sends. */
export const RUN_CONTROLS = ['pause', 'resume', 'cancel'] as const;
/** A {@link RUN_CONTROLS} value. */
export type RunControl = (typeof RUN_CONTROLS)[number];
