/**
 * What the API answers besides a run's status and report: a started run, a page of the list,
 * a dry run of a plan. The API validates and documents with these schemas, and its clients
 * (client/, for the command line and the dashboard) read the types.
 */
import { z } from 'zod';
import type { AssessmentReport } from './assessment';
import type { ClassificationReport } from './classification';
import { PHASES, RUN_STATUSES } from './run';
import { CleanupViewSchema } from './run-status';

/** Answer of `POST /v1/migrations` (202, with `Location`). */
export const StartMigrationResponseSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    /** False when the same plan or key had already started this run. */
    created: z.boolean(),
    statusUrl: z.string(),
  }),
);
/** Answer of `POST /v1/migrations`. */
export type StartMigrationResponse = z.infer<typeof StartMigrationResponseSchema>;

/** Answer of `POST /v1/migrations/{id}/cleanup` (202, with `Location`: the run's status, which shows the clean-up). */
export const StartCleanupResponseSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    /** False when this closed run's clean-up had already been asked for: the same one is answered. */
    created: z.boolean(),
    cleanup: CleanupViewSchema,
    statusUrl: z.string(),
  }),
);
/** Answer of `POST /v1/migrations/{id}/cleanup`. */
export type StartCleanupResponse = z.infer<typeof StartCleanupResponseSchema>;

/** One run in a list, read from its search attributes alone. */
export const MigrationSummarySchema = z.lazy(() =>
  z.object({
    id: z.string(),
    customerId: z.string().nullable(),
    phase: z.enum(PHASES).nullable(),
    status: z.enum(RUN_STATUSES).nullable(),
    needsAttention: z.boolean(),
    startedAt: z.iso.datetime().nullable(),
    closedAt: z.iso.datetime().nullable(),
  }),
);
/** One run in a list. */
export type MigrationSummary = z.infer<typeof MigrationSummarySchema>;

/** Answer of `GET /v1/migrations`: `nextCursor` is null on the last page. */
export const MigrationListResponseSchema = z.lazy(() =>
  z.object({
    items: z.array(MigrationSummarySchema),
    nextCursor: z.string().nullable(),
  }),
);
/** Answer of `GET /v1/migrations`. */
export type MigrationListResponse = z.infer<typeof MigrationListResponseSchema>;

/** Answer of `POST /v1/plans/validate` for a valid plan; the report follows docs/rules.md. */
export const PlanValidationResponseSchema = z.lazy(() =>
  z.object({
    valid: z.literal(true),
    assessment: z.custom<AssessmentReport>(),
    report: z.custom<ClassificationReport>(),
  }),
);
/** What a dry run of a plan answers: nothing is started. */
export type PlanDryRun = z.infer<typeof PlanValidationResponseSchema>;
