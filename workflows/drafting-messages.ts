/**
 * The queries and updates of a drafting workflow (workflows/drafting.ts): a draft plan that
 * the consultant imported and the customer's approvers tag, with its own audit trail.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  Actor,
  DraftAuditEntry,
  DraftComment,
  DraftEdit,
  DraftEditResponse,
  DraftHistory,
  DraftImportReport,
  DraftPlan,
  DraftPreview,
  DraftSelection,
  DraftState,
  DraftSummary,
  DraftWorkloadsPage,
} from '../domain';

/** Entries of the audit trail and comments a draft keeps; older ones are counted, not kept. */
export const DRAFT_HISTORY_LIMIT = 200;

/** Everything a drafting workflow holds; continue-as-new carries it whole. */
export interface DraftingState {
  draftId: string;
  draft: DraftPlan;
  state: DraftState;
  /** Bumped by every edit, so that a client can tell that its view is stale. */
  revision: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  importReport?: DraftImportReport;
  /** The run started from the draft. */
  runId?: string;
  audit: DraftAuditEntry[];
  auditTotal: number;
  comments: DraftComment[];
  commentsTotal: number;
}

/** The input of a drafting workflow. */
export interface DraftingInput {
  draftId: string;
  /** The imported draft; absent when `carried` holds it. */
  draft?: DraftPlan;
  createdBy: Actor;
  importReport?: DraftImportReport;
  /** History length past which the draft continues as new; tests lower it. */
  continueAsNewAfterEvents?: number;
  /** State carried over by continue-as-new; absent on a fresh start. */
  carried?: DraftingState;
}

export const draftSummaryQuery = defineQuery<DraftSummary>('draftSummary');
export const draftWorkloadsQuery = defineQuery<DraftWorkloadsPage, [{ offset: number; limit: number; selection?: DraftSelection }]>('draftWorkloads');
export const draftPreviewQuery = defineQuery<DraftPreview, [{ workloadIds?: string[] }]>('draftPreview');
export const draftHistoryQuery = defineQuery<DraftHistory>('draftHistory');
/** The whole draft, for starting a run from it. */
export const draftPlanQuery = defineQuery<{ draft: DraftPlan; state: DraftState; revision: number }>('draftPlan');

/** Input of {@link editDraftUpdate}: the edit as the API parsed it, and the verified actor. */
export interface EditDraftInput {
  edit: DraftEdit;
  actor: Actor;
}
/** Input of {@link commentDraftUpdate}. */
export interface CommentDraftInput {
  text: string;
  workloadId?: string;
  actor: Actor;
}
/** Input of {@link markRunStartedUpdate}: the run started from the draft at `revision`. */
export interface MarkRunStartedInput {
  runId: string;
  revision: number;
  actor: Actor;
}

export const editDraftUpdate = defineUpdate<DraftEditResponse, [EditDraftInput]>('editDraft');
export const commentDraftUpdate = defineUpdate<DraftComment, [CommentDraftInput]>('commentDraft');
export const markRunStartedUpdate = defineUpdate<DraftSummary, [MarkRunStartedInput]>('markRunStarted');
