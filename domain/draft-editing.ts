/**
 * Editing a draft: the questionnaire's changes (data categories, criticality, kind, exclusion)
 * applied to a selection of workloads (ids, or a filter such as one application, one kind, a
 * name fragment, the untagged ones), each checked before it lands, and the live preview of
 * what the rules make of the draft as it stands.
 *
 * Pure and deterministic: the drafting workflow applies these functions in its update
 * validators and handlers, the API in its checks, and a replay rebuilds the same draft.
 */
import { z } from 'zod';
import { type ApprovalId, classifyPlan, type HostingLevel, type RuleId } from './classification';
import { type DraftPlan, type DraftWorkload, MAX_DRAFT_WORKLOADS, untaggedWorkloadIds, draftToPlan } from './draft';
import type { DraftPreview } from './draft-views';
import { listedIds, message, type MessageParams } from './messages';
import { type Actor, mayPerform } from './permissions';
import { compareIds, CRITICALITY_LEVELS, type CustomerType, DATA_CATEGORIES, type DataCategory, validatePlan, WORKLOAD_ID_PATTERN, WORKLOAD_KINDS } from './plan';

/** Which workloads an edit applies to; every criterion given must hold. */
export const DraftSelectionSchema = z.lazy(() =>
  z
    .strictObject({
      workloadIds: z.array(z.string().regex(WORKLOAD_ID_PATTERN, { error: 'must be a workload id' })).min(1).max(MAX_DRAFT_WORKLOADS).optional(),
      /** Every workload of this application (as the export named it, case-insensitive). */
      application: z.string().trim().min(1).max(200).optional(),
      kind: z.enum(WORKLOAD_KINDS).optional(),
      /** Workloads whose name or id holds this text, case-insensitive. */
      nameContains: z.string().trim().min(1).max(100).optional(),
      /** Only the workloads that have no data category yet. */
      untagged: z.literal(true).optional(),
    })
    .refine((selection) => Object.keys(selection).length > 0, { error: 'must name workload ids or at least one filter' }),
);

/** What an edit changes on each selected workload; at least one field. */
export const DraftChangeSchema = z.lazy(() =>
  z
    .strictObject({
      /** Replaces the workload's categories; `[]` untags it. */
      dataCategories: z.array(z.enum(DATA_CATEGORIES)).max(DATA_CATEGORIES.length).optional(),
      criticality: z.enum(CRITICALITY_LEVELS).optional(),
      /** Corrects the kind discovery inferred (an industrial system is `ot`, a file share `storage`). */
      kind: z.enum(WORKLOAD_KINDS).optional(),
      /** Excludes the workloads, with the reason; `false` includes them again. */
      excluded: z.union([z.strictObject({ reason: z.string().trim().min(1).max(2000) }), z.literal(false)]).optional(),
    })
    .refine((change) => Object.keys(change).length > 0, { error: 'must change at least one of dataCategories, criticality, kind, excluded' }),
);

/** One edit of the questionnaire. */
export const DraftEditSchema = z.lazy(() =>
  z.strictObject({
    selection: DraftSelectionSchema,
    change: DraftChangeSchema,
    comment: z.string().trim().min(1).max(2000).optional(),
  }),
);

/** A selection of workloads. */
export type DraftSelection = z.infer<typeof DraftSelectionSchema>;
/** A change to selected workloads. */
export type DraftChange = z.infer<typeof DraftChangeSchema>;
/** An edit: selection, change and an optional comment. */
export type DraftEdit = z.infer<typeof DraftEditSchema>;

/** The ids a selection picks out of a draft, in the draft's order. */
export function selectDraftWorkloads(draft: Pick<DraftPlan, 'workloads'>, selection: DraftSelection): string[] {
  const ids = selection.workloadIds === undefined ? undefined : new Set(selection.workloadIds);
  const application = selection.application?.toLowerCase();
  const fragment = selection.nameContains?.toLowerCase();
  return draft.workloads
    .filter(
      (workload) =>
        (ids === undefined || ids.has(workload.id)) &&
        (application === undefined || workload.application?.toLowerCase() === application) &&
        (selection.kind === undefined || workload.kind === selection.kind) &&
        (fragment === undefined || workload.name.toLowerCase().includes(fragment) || workload.id.includes(fragment)) &&
        (selection.untagged !== true || workload.dataCategories.length === 0),
    )
    .map((workload) => workload.id);
}

/** Why an edit is refused: the caller may not (`forbidden`), may not see the draft (`not-found`), or the edit does not fit it (`invalid`). */
export interface DraftEditRefusal {
  reason: 'forbidden' | 'not-found' | 'invalid';
  message: string;
}

/**
 * Why an actor may not make this edit of this draft; `undefined` when it may. Customers edit
 * only their own customer's drafts, and never the kind (a technical fact, the consultant's).
 */
export function draftEditRefusal(draft: DraftPlan, edit: DraftEdit, actor: Actor): DraftEditRefusal | undefined {
  if (!mayPerform(actor.roles, 'draft.edit')) return { reason: 'forbidden', message: `Your roles (${actor.roles.join(', ')}) do not allow draft.edit.` };
  if (!maySeeDraft(actor, draft)) return { reason: 'not-found', message: 'No such draft.' };
  if (edit.change.kind !== undefined && !actor.roles.includes('consultant')) return { reason: 'forbidden', message: 'Only a consultant may change a workload’s kind.' };
  const invalid = draftEditProblem(draft, edit);
  return invalid === undefined ? undefined : { reason: 'invalid', message: invalid };
}

/**
 * Why an edit does not fit a draft (unknown workloads, a category twice, SIIV outside an OIV,
 * a selection that matches nothing), whoever makes it; `undefined` when it fits. Clients check
 * a batch of edits with it before sending any, so that a refused one leaves nothing half done.
 */
export function draftEditProblem(draft: Pick<DraftPlan, 'customer' | 'workloads'>, edit: DraftEdit): string | undefined {
  if (edit.selection.workloadIds !== undefined) {
    const known = new Set(draft.workloads.map((workload) => workload.id));
    const unknown = edit.selection.workloadIds.filter((id) => !known.has(id));
    if (unknown.length > 0) return `unknown workload ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}: the draft has no such workload`;
  }
  const categories = edit.change.dataCategories ?? [];
  const duplicate = categories.find((category, index) => categories.indexOf(category) !== index);
  if (duplicate !== undefined) return `data category ${duplicate} is listed twice`;
  // docs/rules.md (the level of one workload): only an OIV has vital information systems (LPM).
  if (categories.includes('SIIV') && draft.customer.type !== 'OIV') {
    return `SIIV (vital information system under the LPM) applies to OIV customers only, and this customer is ${draft.customer.type}`;
  }
  if (selectDraftWorkloads(draft, edit.selection).length === 0) return 'the selection matches no workload of the draft';
  return undefined;
}

/** Tells whether an actor may see a draft: staff every draft, a customer only its own. */
export function maySeeDraft(actor: Pick<Actor, 'roles' | 'customerId'>, draft: Pick<DraftPlan, 'customer'>): boolean {
  if (actor.roles.includes('consultant') || actor.roles.includes('ops')) return true;
  return actor.customerId !== undefined && actor.customerId === draft.customer.id;
}

/** Applies a checked edit; returns the new draft and the ids it changed. `at` is the edit's time (ISO 8601). */
export function applyDraftEdit(draft: DraftPlan, edit: DraftEdit, actor: Pick<Actor, 'subject'>, at: string): { draft: DraftPlan; changed: string[] } {
  const selected = new Set(selectDraftWorkloads(draft, edit.selection));
  const changed: string[] = [];
  const workloads = draft.workloads.map((workload): DraftWorkload => {
    if (!selected.has(workload.id)) return workload;
    const next: DraftWorkload = { ...workload };
    const { change } = edit;
    if (change.dataCategories !== undefined) {
      next.dataCategories = [...change.dataCategories].sort((left, right) => DATA_CATEGORIES.indexOf(left) - DATA_CATEGORIES.indexOf(right));
      next.tagged = { by: actor.subject, at };
    }
    if (change.criticality !== undefined) next.criticality = change.criticality;
    if (change.kind !== undefined) next.kind = change.kind;
    if (change.excluded === false) delete next.excluded;
    else if (change.excluded !== undefined) next.excluded = { reason: change.excluded.reason };
    if (JSON.stringify(next) !== JSON.stringify(workload)) changed.push(workload.id);
    return next;
  });
  return { draft: { ...draft, workloads }, changed };
}

/** What an edit changed, as a message the audit trail renders in the reader's language; `changed` are the ids it changed. */
export function draftEditMessage(edit: DraftEdit, changed: readonly string[]): { code: 'DRAFT_EDITED'; params: MessageParams<'DRAFT_EDITED'> } {
  const { selection, change } = edit;
  const { ids, count } = listedIds(changed);
  return message('DRAFT_EDITED', {
    ...(change.dataCategories === undefined ? {} : { categories: [...change.dataCategories] }),
    ...(change.criticality === undefined ? {} : { criticality: change.criticality }),
    ...(change.kind === undefined ? {} : { kind: change.kind }),
    ...(change.excluded === undefined || change.excluded === false ? {} : { excludedReason: change.excluded.reason }),
    ...(change.excluded === false ? { included: true as const } : {}),
    ...(selection.application === undefined ? {} : { application: selection.application }),
    ...(selection.kind === undefined ? {} : { ofKind: selection.kind }),
    ...(selection.nameContains === undefined ? {} : { nameContains: selection.nameContains }),
    ...(selection.untagged === true ? { untagged: true as const } : {}),
    workloadIds: ids,
    workloadCount: count,
  });
}

/** Most ids and issues a preview lists; its counts cover the rest. */
export const PREVIEW_LIST_LIMIT = 50;

/**
 * The preview: the classification report and the approvals that the tagged part of the draft
 * would require, the untagged workloads, and whether the whole draft would start a run.
 */
export function previewDraft(draft: DraftPlan, workloadIds?: readonly string[]): DraftPreview {
  const included = draft.workloads.filter((workload) => workload.excluded === undefined);
  const untagged = untaggedWorkloadIds(draft);
  const counts = {
    workloads: draft.workloads.length,
    included: included.length,
    excluded: draft.workloads.length - included.length,
    tagged: included.length - untagged.length,
    untagged: untagged.length,
  };
  const tagged = draft.workloads.filter((workload) => workload.excluded === undefined && workload.dataCategories.length > 0);
  const preview: DraftPreview = { complete: false, counts, untaggedIds: untagged.slice(0, PREVIEW_LIST_LIMIT), errors: [] };
  if (tagged.length === 0) return preview;
  const taggedIds = new Set(tagged.map((workload) => workload.id));
  const partial = draftToPlan({
    ...draft,
    workloads: draft.workloads.map((workload) => (taggedIds.has(workload.id) ? workload : { ...workload, excluded: workload.excluded ?? { reason: 'untagged' } })),
  });
  if (!partial.ok) {
    preview.errors = partial.errors.slice(0, PREVIEW_LIST_LIMIT);
    return preview;
  }
  const report = classifyPlan(partial.plan);
  const wanted = workloadIds === undefined ? undefined : new Set(workloadIds);
  preview.classification = {
    approvals: report.approvals,
    summary: report.summary,
    warnings: report.warnings.slice(0, PREVIEW_LIST_LIMIT),
    qualificationNeeds: report.qualificationNeeds,
    workloads: (wanted === undefined ? report.workloads : report.workloads.filter((workload) => wanted.has(workload.id))).slice(0, PREVIEW_LIST_LIMIT),
  };
  preview.complete = untagged.length === 0;
  return preview;
}

/** Sorted ids, for stable answers. */
export function sortIds(ids: Iterable<string>): string[] {
  return [...ids].sort(compareIds);
}

/** What tagging one workload with one data category does, for a customer of a given type. */
export interface CategoryEffect {
  category: DataCategory;
  /** False when the plan refuses the category for this customer (SIIV outside an OIV); `refusal` says why. */
  allowed: boolean;
  refusal?: string;
  level?: HostingLevel;
  hds?: boolean;
  /** The rules of docs/rules.md that decide the workload's level and `hds` flag. */
  rules: RuleId[];
  /** The approvals the plan will need because of it (`rssi` always). */
  approvals: ApprovalId[];
}

/**
 * The effect of each data category on its own, for a customer type: the rules it triggers and
 * the approvals it requires, found by classifying a one-workload plan with the rules
 * themselves, so that what the questionnaire explains is what the classification will do.
 */
export function categoryEffects(customerType: CustomerType): CategoryEffect[] {
  return DATA_CATEGORIES.map((category): CategoryEffect => {
    const validated = validatePlan({
      customer: { id: 'questionnaire', name: 'Questionnaire', type: customerType },
      workloads: [{ id: 'workload', name: 'Workload', kind: 'vm', sizeGb: 1, dataCategories: [category], dependsOn: [], criticality: 'MEDIUM' }],
    });
    if (!validated.ok) return { category, allowed: false, refusal: validated.errors[0]?.message ?? 'refused', rules: [], approvals: [] };
    const report = classifyPlan(validated.plan);
    const workload = report.workloads[0];
    return {
      category,
      allowed: true,
      ...(workload === undefined ? {} : { level: workload.level, hds: workload.hds }),
      rules: workload?.rules ?? [],
      approvals: report.approvals.map((approval) => approval.id),
    };
  });
}
