/**
 * A draft plan as a durable object: created by a discovery import, edited by the consultant
 * and the customer's approvers (the classification questionnaire), and closed when a run
 * starts from it. Every edit is an Update whose validator checks the verified actor and the
 * edit against the draft (domain/draft-editing.ts) before anything lands in the audit trail.
 * The history stays bounded: the workflow continues as new, its state carried whole.
 */
import { allHandlersFinished, ApplicationFailure, condition, makeContinueAsNewFunc, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  applyDraftEdit,
  type DraftAuditEntry,
  type DraftEdit,
  draftEditMessage,
  DraftEditSchema,
  type DraftPlan,
  type DraftSummary,
  FAILURE_TYPES,
  draftEditRefusal,
  draftToPlan,
  mayPerform,
  message,
  maySeeDraft,
  previewDraft,
  selectDraftWorkloads,
  untaggedWorkloadIds,
  WORKLOAD_ID_PATTERN,
} from '../domain';
import {
  type CommentDraftInput,
  commentDraftUpdate,
  DRAFT_HISTORY_LIMIT,
  draftHistoryQuery,
  type DraftingInput,
  type DraftingState,
  draftPlanQuery,
  draftPreviewQuery,
  draftSummaryQuery,
  draftWorkloadsQuery,
  type EditDraftInput,
  editDraftUpdate,
  type MarkRunStartedInput,
  markRunStartedUpdate,
} from './drafting-messages';

/** History length past which a draft continues as new by default (Temporal suggests it near 10,240 events). */
const CONTINUE_AS_NEW_AFTER_EVENTS = 2_000;
/** Largest page of workloads a query answers. */
const MAX_PAGE = 500;

/** The drafting workflow; its id is the draft id. */
export async function draftingWorkflow(input: DraftingInput): Promise<DraftingState> {
  const now = () => new Date().toISOString();
  const imported = input.draft;
  if (input.carried === undefined && imported === undefined) {
    throw ApplicationFailure.nonRetryable('a drafting workflow needs the imported draft', FAILURE_TYPES.invalidPlan);
  }
  const state: DraftingState = input.carried ?? {
    draftId: input.draftId,
    draft: imported as DraftPlan,
    state: 'OPEN',
    revision: 1,
    createdBy: input.createdBy.subject,
    createdAt: now(),
    updatedAt: now(),
    ...(input.importReport === undefined ? {} : { importReport: input.importReport }),
    audit: [],
    auditTotal: 0,
    comments: [],
    commentsTotal: 0,
  };
  const record = (entry: Omit<DraftAuditEntry, 'at'>) => {
    state.audit.push({ at: now(), ...entry });
    state.auditTotal += 1;
    if (state.audit.length > DRAFT_HISTORY_LIMIT) state.audit.splice(0, state.audit.length - DRAFT_HISTORY_LIMIT);
    state.updatedAt = now();
  };
  if (input.carried === undefined) {
    record({
      actor: input.createdBy.subject,
      action: 'IMPORTED',
      detail: `${state.draft.workloads.length} workloads imported`,
      message: message('DRAFT_IMPORTED', { workloadCount: state.draft.workloads.length }),
      changed: state.draft.workloads.length,
    });
  }

  answerQueries(state);
  takeUpdates(state, record, now);

  for (;;) {
    await condition(() => state.state !== 'OPEN' || historyIsLong());
    await condition(allHandlersFinished);
    if (state.state !== 'OPEN') return state;
    if (historyIsLong()) {
      const info = workflowInfo();
      const continueDraft = makeContinueAsNewFunc<typeof draftingWorkflow>({ memo: info.memo, typedSearchAttributes: info.typedSearchAttributes });
      // The draft travels in `carried` only: a second copy would double the payload.
      await continueDraft({ draftId: input.draftId, createdBy: input.createdBy, ...(input.continueAsNewAfterEvents === undefined ? {} : { continueAsNewAfterEvents: input.continueAsNewAfterEvents }), carried: state });
    }
  }

  function historyIsLong(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > (input.continueAsNewAfterEvents ?? CONTINUE_AS_NEW_AFTER_EVENTS);
  }
}

/** The draft's queries: summary, pages of workloads, preview, history, the whole draft. */
function answerQueries(state: DraftingState): void {
  setHandler(draftSummaryQuery, () => summarize(state));
  setHandler(draftWorkloadsQuery, ({ offset, limit, selection }) => {
    const ids = selection === undefined ? undefined : new Set(selectDraftWorkloads(state.draft, selection));
    const matching = ids === undefined ? state.draft.workloads : state.draft.workloads.filter((workload) => ids.has(workload.id));
    const start = Math.max(0, Math.floor(offset));
    return { total: matching.length, offset: start, workloads: matching.slice(start, start + Math.min(MAX_PAGE, Math.max(1, Math.floor(limit)))) };
  });
  setHandler(draftPreviewQuery, ({ workloadIds }) => previewDraft(state.draft, workloadIds));
  setHandler(draftHistoryQuery, () => ({ audit: state.audit, auditTotal: state.auditTotal, comments: state.comments, commentsTotal: state.commentsTotal }));
  setHandler(draftPlanQuery, () => ({ draft: state.draft, state: state.state, revision: state.revision }));
}

/** The draft's updates, each validated against the verified actor and the draft before it lands. */
function takeUpdates(state: DraftingState, record: (entry: Omit<DraftAuditEntry, 'at'>) => void, now: () => string): void {
  setHandler(
    editDraftUpdate,
    ({ edit, actor }) => {
      const parsed = DraftEditSchema.parse(edit);
      const { draft, changed } = applyDraftEdit(state.draft, parsed, actor, now());
      state.draft = draft;
      state.revision += 1;
      record({
        actor: actor.subject,
        action: 'EDITED',
        detail: describeEdit(parsed),
        message: draftEditMessage(parsed, changed),
        workloadIds: changed.slice(0, 20),
        changed: changed.length,
        ...(parsed.comment === undefined ? {} : { comment: parsed.comment }),
      });
      return { changed, revision: state.revision, counts: previewDraft(state.draft).counts };
    },
    {
      validator: ({ edit, actor }: EditDraftInput) => {
        requireOpen(state);
        const parsed = DraftEditSchema.safeParse(edit);
        if (!parsed.success) throw refuse('invalid', `invalid edit: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'edit'} ${issue.message}`).join('; ')}`);
        const refusal = draftEditRefusal(state.draft, parsed.data, actor);
        if (refusal !== undefined) throw refuse(REFUSAL_TYPES[refusal.reason], refusal.message);
      },
    },
  );

  setHandler(
    commentDraftUpdate,
    ({ text, workloadId, actor }) => {
      state.commentsTotal += 1;
      const comment = { id: state.commentsTotal, at: now(), by: actor.subject, ...(workloadId === undefined ? {} : { workloadId }), text: text.trim() };
      state.comments.push(comment);
      if (state.comments.length > DRAFT_HISTORY_LIMIT) state.comments.splice(0, state.comments.length - DRAFT_HISTORY_LIMIT);
      record({
        actor: actor.subject,
        action: 'COMMENTED',
        detail: workloadId === undefined ? 'comment on the draft' : `comment on ${workloadId}`,
        message: message('DRAFT_COMMENTED', workloadId === undefined ? {} : { workloadId }),
        comment: comment.text,
      });
      return comment;
    },
    {
      validator: ({ text, workloadId, actor }: CommentDraftInput) => {
        requireOpen(state);
        if (!mayPerform(actor.roles, 'draft.edit') || !maySeeDraft(actor, state.draft)) throw refuse('notFound', 'No such draft.');
        if (typeof text !== 'string' || text.trim() === '' || text.length > 2000) throw refuse('invalid', 'a comment needs 1 to 2000 characters of text');
        if (workloadId !== undefined && (!WORKLOAD_ID_PATTERN.test(workloadId) || !state.draft.workloads.some((workload) => workload.id === workloadId))) {
          throw refuse('invalid', `unknown workload ${JSON.stringify(workloadId)}: the draft has no such workload`);
        }
      },
    },
  );

  setHandler(
    markRunStartedUpdate,
    ({ runId, actor }) => {
      state.state = 'RUN_STARTED';
      state.runId = runId;
      record({ actor: actor.subject, action: 'RUN_STARTED', detail: `run ${runId} started from revision ${state.revision}`, message: message('DRAFT_RUN_STARTED', { runId, revision: state.revision }) });
      return summarize(state);
    },
    {
      validator: ({ runId, revision, actor }: MarkRunStartedInput) => {
        requireOpen(state);
        if (!mayPerform(actor.roles, 'draft.start')) throw refuse('forbidden', `Your roles (${actor.roles.join(', ')}) do not allow draft.start.`);
        if (typeof runId !== 'string' || runId === '') throw refuse('invalid', 'a run id is required');
        // The run was started from what the caller read: a later edit would not be in it.
        if (revision !== state.revision) throw refuse('conflict', `the draft changed (revision ${state.revision}, the run was built from ${revision}): start again`);
        const untagged = untaggedWorkloadIds(state.draft);
        if (untagged.length > 0) throw refuse('invalidPlan', `${untagged.length} workloads are untagged: ${untagged.slice(0, 5).join(', ')}`);
        const plan = draftToPlan(state.draft);
        if (!plan.ok) throw refuse('invalidPlan', `the draft is not a valid plan: ${plan.errors[0]?.path ?? ''} ${plan.errors[0]?.message ?? ''}`, plan.errors);
      },
    },
  );
}

/** A typed refusal, which the API maps to an HTTP status (domain/failures.ts). */
function refuse(type: keyof typeof FAILURE_TYPES, message: string, details?: unknown): ApplicationFailure {
  return ApplicationFailure.create({ type: FAILURE_TYPES[type], message, nonRetryable: true, ...(details === undefined ? {} : { details: [{ errors: details }] }) });
}

const REFUSAL_TYPES = { forbidden: 'forbidden', 'not-found': 'notFound', invalid: 'invalid' } as const satisfies Record<string, keyof typeof FAILURE_TYPES>;

function requireOpen(state: DraftingState): void {
  if (state.state !== 'OPEN') throw refuse('conflict', `the draft is closed (${state.state}${state.runId === undefined ? '' : `: run ${state.runId}`})`);
}

function summarize(state: DraftingState): DraftSummary {
  const byApplication = new Map<string, { name: string; workloads: number; untagged: number }>();
  for (const workload of state.draft.workloads) {
    if (workload.application === undefined) continue;
    const key = workload.application.toLowerCase();
    const entry = byApplication.get(key) ?? { name: workload.application, workloads: 0, untagged: 0 };
    entry.workloads += 1;
    if (workload.excluded === undefined && workload.dataCategories.length === 0) entry.untagged += 1;
    byApplication.set(key, entry);
  }
  const applications = [...byApplication.values()].sort((left, right) => (left.name.toLowerCase() < right.name.toLowerCase() ? -1 : 1)).slice(0, 500);
  return {
    draftId: state.draftId,
    customer: state.draft.customer,
    ...(state.draft.planId === undefined ? {} : { planId: state.draft.planId }),
    state: state.state,
    revision: state.revision,
    createdBy: state.createdBy,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    ...(state.runId === undefined ? {} : { runId: state.runId }),
    counts: previewDraft(state.draft).counts,
    applications,
    ...(state.importReport === undefined ? {} : { importReport: state.importReport }),
  };
}

function describeEdit(edit: DraftEdit): string {
  const { selection, change } = edit;
  const what = [
    change.dataCategories === undefined ? undefined : `data categories ${change.dataCategories.length === 0 ? 'cleared' : change.dataCategories.join(', ')}`,
    change.criticality === undefined ? undefined : `criticality ${change.criticality}`,
    change.kind === undefined ? undefined : `kind ${change.kind}`,
    change.excluded === undefined ? undefined : change.excluded === false ? 'included' : `excluded: ${change.excluded.reason}`,
  ].filter((part): part is string => part !== undefined);
  const which = [
    selection.workloadIds === undefined ? undefined : `${selection.workloadIds.length === 1 ? selection.workloadIds[0] : `${selection.workloadIds.length} workloads`}`,
    selection.application === undefined ? undefined : `application ${selection.application}`,
    selection.kind === undefined ? undefined : `kind ${selection.kind}`,
    selection.nameContains === undefined ? undefined : `names containing "${selection.nameContains}"`,
    selection.untagged === true ? 'untagged' : undefined,
  ].filter((part): part is string => part !== undefined);
  return `${what.join('; ')} for ${which.join(', ')}`;
}
