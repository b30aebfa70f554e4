/**
 * The queries and updates of a drafting workflow (workflows/drafting.ts): a draft plan that
 * the consultant imported and the customer's approvers tag, with its own audit trail.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, DraftEdit, DraftPlan, DraftPreview, DraftSelection, DraftWorkload } from '../domain';

/** Where a draft stands: open to edits, turned into a run, or abandoned. */
export const DRAFT_STATES = ['OPEN', 'RUN_STARTED', 'ABANDONED'] as const;
/** One of {@link DRAFT_STATES}. */
export type DraftState = (typeof DRAFT_STATES)[number];

/** Entries of the audit trail and comments a draft keeps; older ones are counted, not kept. */
export const DRAFT_HISTORY_LIMIT = 200;

/** The import that made the draft, as its report summed it up (discovery/report.ts, bounded lists). */
export type DraftImportReport = Record<string, unknown>;

/** One entry of a draft's audit trail: who did what, when. */
export interface DraftAuditEntry {
  at: string;
  actor: string;
  action: 'IMPORTED' | 'EDITED' | 'COMMENTED' | 'RUN_STARTED' | 'ABANDONED';
  detail: string;
  /** The workloads changed, first twenty. */
  workloadIds?: string[];
  changed?: number;
  comment?: string;
}

/** A comment on the draft or on one of its workloads. */
export interface DraftComment {
  id: number;
  at: string;
  by: string;
  workloadId?: string;
  text: string;
}

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

/** The draft's header: what a list or a review page shows first. */
export interface DraftSummary {
  draftId: string;
  customer: DraftPlan['customer'];
  planId?: string;
  state: DraftState;
  revision: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  runId?: string;
  counts: DraftPreview['counts'];
  /** Applications the export named, with their workloads and how many are untagged; first 500 by name. */
  applications: { name: string; workloads: number; untagged: number }[];
  importReport?: DraftImportReport;
}

/** A page of workloads, optionally filtered. */
export interface DraftWorkloadsPage {
  total: number;
  offset: number;
  workloads: DraftWorkload[];
}

export const draftSummaryQuery = defineQuery<DraftSummary>('draftSummary');
export const draftWorkloadsQuery = defineQuery<DraftWorkloadsPage, [{ offset: number; limit: number; selection?: DraftSelection }]>('draftWorkloads');
export const draftPreviewQuery = defineQuery<DraftPreview, [{ workloadIds?: string[] }]>('draftPreview');
export const draftHistoryQuery = defineQuery<Pick<DraftingState, 'audit' | 'auditTotal' | 'comments' | 'commentsTotal'>>('draftHistory');
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

export const editDraftUpdate = defineUpdate<{ changed: string[]; revision: number; counts: DraftPreview['counts'] }, [EditDraftInput]>('editDraft');
export const commentDraftUpdate = defineUpdate<DraftComment, [CommentDraftInput]>('commentDraft');
export const markRunStartedUpdate = defineUpdate<DraftSummary, [MarkRunStartedInput]>('markRunStarted');
