/**
 * A draft plan: the estate as discovery exports describe it, before the customer has said
 * which data each workload holds. It has the plan's shape (domain/plan.ts) with three
 * differences: data categories may be empty (untagged), a workload may be excluded (powered
 * off, out of scope) and each workload says where it came from and what the export knew of it.
 * {@link draftToPlan} turns a complete draft into a plan through the plan's own validation.
 *
 * Pure and deterministic, so that the drafting workflow and the API share it.
 */
import { z } from 'zod';
import {
  compareIds,
  CRITICALITY_LEVELS,
  CustomerSchema,
  DATA_CATEGORIES,
  MAX_SIZE_GB,
  type PlanValidationResult,
  PLAN_ID_PATTERN,
  validatePlan,
  WORKLOAD_ID_PATTERN,
  WORKLOAD_KINDS,
} from './plan';

/**
 * Most workloads a draft may hold, excluded ones included: a discovery export of twice a
 * plan's size can still be drafted, then trimmed by exclusions before it becomes a run.
 */
export const MAX_DRAFT_WORKLOADS = 20_000;

const textSchema = z.lazy(() => z.string().trim().min(1).max(200));

/** Where a workload's row was read: file, worksheet (xlsx) and line. */
export const DraftSourceSchema = z.lazy(() =>
  z.strictObject({
    file: z.string().min(1).max(255),
    sheet: z.string().min(1).max(64).optional(),
    line: z.number().int().min(1),
  }),
);

/** What the export knew of a server, shown to the people who tag it. */
export const DraftFactsSchema = z.lazy(() =>
  z.strictObject({
    os: z.string().max(1024).optional(),
    cores: z.number().min(0).optional(),
    memoryMb: z.number().min(0).optional(),
    powerState: z.string().max(64).optional(),
    ipAddresses: z.array(z.string().max(64)).max(16).optional(),
  }),
);

/** One workload of a draft. */
export const DraftWorkloadSchema = z.lazy(() =>
  z.strictObject({
    id: z.string().regex(WORKLOAD_ID_PATTERN),
    name: textSchema,
    kind: z.enum(WORKLOAD_KINDS),
    sizeGb: z.number().min(0).max(MAX_SIZE_GB),
    /** Empty until someone tags the workload. */
    dataCategories: z.array(z.enum(DATA_CATEGORIES)),
    dependsOn: z.array(z.string().regex(WORKLOAD_ID_PATTERN)),
    criticality: z.enum(CRITICALITY_LEVELS),
    /** The application the export groups this server into, by name. */
    application: textSchema.optional(),
    /** Why the workload stays out of the plan (powered off, out of scope); absent when it is in. */
    excluded: z.strictObject({ reason: z.string().trim().min(1).max(2000) }).optional(),
    source: DraftSourceSchema,
    facts: DraftFactsSchema,
    /** Who last set the data categories, and when (ISO 8601). */
    tagged: z.strictObject({ by: z.string().min(1).max(200), at: z.string().min(1).max(40) }).optional(),
  }),
);

/** A draft plan: the plan's customer and workloads, tagging under way. */
export const DraftPlanSchema = z.lazy(() =>
  z.strictObject({
    planId: z.string().regex(PLAN_ID_PATTERN).optional(),
    customer: CustomerSchema,
    workloads: z.array(DraftWorkloadSchema).min(1).max(MAX_DRAFT_WORKLOADS),
  }),
);

/** A workload of a draft. */
export type DraftWorkload = z.infer<typeof DraftWorkloadSchema>;
/** A draft plan. */
export type DraftPlan = z.infer<typeof DraftPlanSchema>;

/** Ids of the workloads that will migrate and have no data category yet, sorted. */
export function untaggedWorkloadIds(draft: Pick<DraftPlan, 'workloads'>): string[] {
  return draft.workloads
    .filter((workload) => workload.excluded === undefined && workload.dataCategories.length === 0)
    .map((workload) => workload.id)
    .sort(compareIds);
}

/**
 * The plan a draft stands for: excluded workloads left out, and dependencies on them dropped
 * (they stay where they are, as a `NOT_ELIGIBLE` workload would). Then the plan's own
 * validation, so that a draft starts a run on exactly the terms a hand-written plan does; an
 * untagged workload is the plan's own error ("must list at least one data category").
 */
export function draftToPlan(draft: DraftPlan): PlanValidationResult {
  const included = draft.workloads.filter((workload) => workload.excluded === undefined);
  if (included.length === 0) {
    return { ok: false, errors: [{ path: 'workloads', message: 'every workload of the draft is excluded: nothing would migrate' }], errorCount: 1 };
  }
  const includedIds = new Set(included.map((workload) => workload.id));
  const draftIndexById = new Map(draft.workloads.map((workload, index) => [workload.id, index]));
  const result = validatePlan({
    ...(draft.planId === undefined ? {} : { planId: draft.planId }),
    customer: draft.customer,
    workloads: included.map((workload) => ({
      id: workload.id,
      name: workload.name,
      kind: workload.kind,
      sizeGb: workload.sizeGb,
      dataCategories: workload.dataCategories,
      dependsOn: workload.dependsOn.filter((id) => includedIds.has(id)),
      criticality: workload.criticality,
    })),
  });
  if (result.ok) return result;
  // The plan's paths count included workloads only; point them back at the draft's own.
  return {
    ok: false,
    errors: result.errors.map((error) => {
      const match = /^workloads\[(\d+)\](.*)$/.exec(error.path);
      const workload = match === null ? undefined : included[Number(match[1])];
      if (match === null || workload === undefined) return error;
      return { path: `workloads[${draftIndexById.get(workload.id) ?? 0}]${match[2] ?? ''}`, message: `${workload.id}: ${error.message}` };
    }),
    errorCount: result.errorCount,
  };
}
