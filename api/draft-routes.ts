/**
 * The routes of draft plans, entries of the one route table (api/routes.ts): import discovery
 * exports into a draft (consultants), read and tag it (consultants, and the draft's own
 * customer), preview what the rules make of it, export it as CSV, start its run (consultants).
 */
import { z } from 'zod';
import {
  type Action,
  DraftCommentSchema,
  DraftEditResponseSchema,
  DraftEditSchema,
  DraftHistorySchema,
  DraftImportResponseSchema,
  DraftListResponseSchema,
  DraftPreviewSchema,
  DraftSelectionSchema,
  DraftStartResponseSchema,
  DraftSummarySchema,
  DraftWorkloadsPageSchema,
  WORKLOAD_ID_PATTERN,
  WORKLOAD_KINDS,
} from '../domain';
import { refusals } from '../use-cases/application-error';
import { DraftImportRequestSchema, type DraftUseCases } from '../use-cases/drafts';
import { type AnyRoute, defineRoute, type ProblemStatus } from './route-table';
import type { ApiServices } from './routes';
import { PAGE_QUERY_FIELDS, SMALL_BODY_LIMITS, type BodyLimits } from './validation';

/** An import carries up to eight exports of 32 MiB, in base64. */
export const DRAFT_IMPORT_BODY_LIMITS: BodyLimits = { maxBytes: 64 * 1024 * 1024, maxElements: 1_000 };
/** An edit names at most a draft's worth of workload ids. */
const DRAFT_EDIT_BODY_LIMITS: BodyLimits = { maxBytes: 2 * 1024 * 1024, maxElements: 50_000 };

/** Request bodies of the draft routes, by component name (api/routes.ts adds them to the document). */
export const DRAFT_REQUEST_COMPONENTS = {
  DraftImportRequest: DraftImportRequestSchema,
  DraftEditRequest: DraftEditSchema,
  DraftCommentRequest: z.strictObject({ text: z.string().trim().min(1).max(2000), workloadId: z.string().regex(WORKLOAD_ID_PATTERN).optional() }),
} as const;

/** Answers of the draft routes, by component name (api/routes.ts adds them to the document). */
export const DRAFT_RESPONSE_COMPONENTS = {
  DraftImportResponse: DraftImportResponseSchema,
  DraftListResponse: DraftListResponseSchema,
  DraftSummary: DraftSummarySchema,
  DraftWorkloadsPage: DraftWorkloadsPageSchema,
  DraftEditResponse: DraftEditResponseSchema,
  DraftComment: DraftCommentSchema,
  DraftPreview: DraftPreviewSchema,
  DraftHistory: DraftHistorySchema,
  DraftStartResponse: DraftStartResponseSchema,
} as const;

const AUTHENTICATED: ProblemStatus[] = [401, 403, 429, 503];
const bearer = (action: Action) => ({ action, authentication: 'bearer' }) as const;
const json = (component: keyof typeof DRAFT_RESPONSE_COMPONENTS) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${component}` } } });

const DraftParamsSchema = z.strictObject({ id: z.string().regex(/^draft-[a-z0-9_-]{1,80}$/, { error: 'must be a draft id (draft-…)' }) });
type DraftParams = z.output<typeof DraftParamsSchema>;

const DraftWorkloadsQuerySchema = z.strictObject({
  offset: z.string().regex(/^\d{1,6}$/, { error: 'must be a whole number' }).transform(Number).default(0),
  limit: z.string().regex(/^\d{1,3}$/, { error: 'must be a whole number from 1 to 500' }).transform(Number).pipe(z.number().min(1).max(500)).default(100),
  application: z.string().trim().min(1).max(200).optional(),
  kind: z.enum(WORKLOAD_KINDS).optional(),
  nameContains: z.string().trim().min(1).max(100).optional(),
  untagged: z.enum(['true']).transform(() => true as const).optional(),
});

const PreviewQuerySchema = z.strictObject({
  workloadIds: z.string().max(10_000).transform((text) => text.split(',').filter(Boolean)).pipe(z.array(z.string().regex(WORKLOAD_ID_PATTERN)).max(500)).optional(),
});

/** The draft use cases, or 503 when this app was built without them. */
function draftsOf(services: ApiServices): DraftUseCases {
  if (services.drafts === undefined) throw refusals.unavailable('Draft plans are not served by this API.');
  return services.drafts;
}

/** `/v1/plans/drafts/{id}`. */
export function draftUrl(id: string): string {
  return `/v1/plans/drafts/${id}`;
}

const importDraftRoute = defineRoute<ApiServices, Record<string, never>, Record<string, never>, z.infer<typeof DraftImportRequestSchema>>({
  method: 'post',
  path: '/v1/plans/drafts',
  operationId: 'importDraft',
  tag: 'drafts',
  summary: 'Import discovery exports (Azure Migrate CSV, RVTools xlsx, dependency CSV) into a new draft plan; nothing is kept if any file is malformed',
  access: bearer('draft.import'),
  body: { component: 'DraftImportRequest', schema: DraftImportRequestSchema, required: true, limits: DRAFT_IMPORT_BODY_LIMITS },
  ok: {
    status: 201,
    description: 'The draft and the import report (inferred, missing, refused; each item names file, sheet, line and column).',
    content: json('DraftImportResponse'),
    headers: { Location: { description: 'The draft', schema: { type: 'string' } } },
  },
  errors: [400, 413, 415, 422, ...AUTHENTICATED],
  async handle({ identity, body, services }) {
    const imported = await draftsOf(services).importDraft(identity, body);
    return { body: imported, headers: { Location: draftUrl(imported.id) } };
  },
});

const DraftListQuerySchema = z.strictObject(PAGE_QUERY_FIELDS);

const listDraftsRoute = defineRoute<ApiServices, Record<string, never>, z.output<typeof DraftListQuerySchema>>({
  method: 'get',
  path: '/v1/plans/drafts',
  operationId: 'listDrafts',
  tag: 'drafts',
  summary: 'List draft plans (customers: their own), newest first',
  access: bearer('draft.read'),
  query: DraftListQuerySchema,
  ok: { status: 200, description: 'One page; nextCursor is null on the last one.', content: json('DraftListResponse') },
  errors: [400, ...AUTHENTICATED],
  handle: async ({ identity, query, services }) => ({ body: await draftsOf(services).listDrafts(identity, query) }),
});

const readDraftRoute = defineRoute<ApiServices, DraftParams>({
  method: 'get',
  path: '/v1/plans/drafts/{id}',
  operationId: 'readDraft',
  tag: 'drafts',
  summary: 'A draft’s header: state, revision, counts, applications, the import report, the run started from it',
  access: bearer('draft.read'),
  params: DraftParamsSchema,
  ok: { status: 200, description: 'The draft’s summary.', content: json('DraftSummary') },
  errors: [400, 404, ...AUTHENTICATED],
  handle: async ({ identity, params, services }) => ({ body: await draftsOf(services).readDraft(identity, params.id) }),
});

const listDraftWorkloadsRoute = defineRoute<ApiServices, DraftParams, z.output<typeof DraftWorkloadsQuerySchema>>({
  method: 'get',
  path: '/v1/plans/drafts/{id}/workloads',
  operationId: 'listDraftWorkloads',
  tag: 'drafts',
  summary: 'A page of a draft’s workloads, filtered by application, kind, name or untagged',
  access: bearer('draft.read'),
  params: DraftParamsSchema,
  query: DraftWorkloadsQuerySchema,
  ok: { status: 200, description: 'One page of workloads and how many match.', content: json('DraftWorkloadsPage') },
  errors: [400, 404, ...AUTHENTICATED],
  async handle({ identity, params, query, services }) {
    const { offset, limit, ...filters } = query;
    const selection = Object.keys(filters).length > 0 ? DraftSelectionSchema.parse(filters) : undefined;
    return { body: await draftsOf(services).listDraftWorkloads(identity, params.id, { offset, limit, ...(selection ? { selection } : {}) }) };
  },
});

const editDraftRoute = defineRoute<ApiServices, DraftParams, Record<string, never>, z.infer<typeof DraftEditSchema>>({
  method: 'patch',
  path: '/v1/plans/drafts/{id}',
  operationId: 'editDraft',
  tag: 'drafts',
  summary: 'Tag, re-kind, exclude or include workloads selected by ids or by filter (the questionnaire); recorded in the draft’s audit trail',
  access: bearer('draft.edit'),
  params: DraftParamsSchema,
  body: { component: 'DraftEditRequest', schema: DraftEditSchema, required: true, limits: DRAFT_EDIT_BODY_LIMITS },
  ok: { status: 200, description: 'The workloads changed, the draft’s new revision and counts.', content: json('DraftEditResponse') },
  errors: [400, 404, 409, 413, 415, 422, ...AUTHENTICATED],
  handle: async ({ identity, params, body, services }) => ({ body: await draftsOf(services).editDraft(identity, params.id, body) }),
});

const commentDraftRoute = defineRoute<ApiServices, DraftParams, Record<string, never>, z.infer<(typeof DRAFT_REQUEST_COMPONENTS)['DraftCommentRequest']>>({
  method: 'post',
  path: '/v1/plans/drafts/{id}/comments',
  operationId: 'commentDraft',
  tag: 'drafts',
  summary: 'Comment on a draft or one of its workloads',
  access: bearer('draft.edit'),
  params: DraftParamsSchema,
  body: { component: 'DraftCommentRequest', schema: DRAFT_REQUEST_COMPONENTS.DraftCommentRequest, required: true, limits: SMALL_BODY_LIMITS },
  ok: { status: 201, description: 'The comment.', content: json('DraftComment') },
  errors: [400, 404, 409, 413, 415, 422, ...AUTHENTICATED],
  handle: async ({ identity, params, body, services }) => ({ body: await draftsOf(services).commentDraft(identity, params.id, body) }),
});

const previewDraftRoute = defineRoute<ApiServices, DraftParams, z.output<typeof PreviewQuerySchema>>({
  method: 'get',
  path: '/v1/plans/drafts/{id}/preview',
  operationId: 'previewDraft',
  tag: 'drafts',
  summary: 'What the rules make of the draft as it stands: untagged workloads, classification of the tagged ones, the approvals it needs',
  access: bearer('draft.read'),
  params: DraftParamsSchema,
  query: PreviewQuerySchema,
  ok: { status: 200, description: 'The preview.', content: json('DraftPreview') },
  errors: [400, 404, ...AUTHENTICATED],
  handle: async ({ identity, params, query, services }) => ({ body: await draftsOf(services).previewDraft(identity, params.id, query.workloadIds) }),
});

const draftHistoryRoute = defineRoute<ApiServices, DraftParams>({
  method: 'get',
  path: '/v1/plans/drafts/{id}/history',
  operationId: 'readDraftHistory',
  tag: 'drafts',
  summary: 'Who imported, tagged and commented what, and when (the last 200 entries and comments, with totals)',
  access: bearer('draft.read'),
  params: DraftParamsSchema,
  ok: { status: 200, description: 'The audit trail and comments, oldest first, with totals.', content: json('DraftHistory') },
  errors: [400, 404, ...AUTHENTICATED],
  handle: async ({ identity, params, services }) => ({ body: await draftsOf(services).readDraftHistory(identity, params.id) }),
});

const exportDraftCsvRoute = defineRoute<ApiServices, DraftParams>({
  method: 'get',
  path: '/v1/plans/drafts/{id}/csv',
  operationId: 'exportDraftCsv',
  tag: 'drafts',
  summary: 'The draft as CSV, one row per workload, for tagging in a spreadsheet (formulas defused)',
  access: bearer('draft.read'),
  params: DraftParamsSchema,
  ok: { status: 200, description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
  errors: [400, 404, ...AUTHENTICATED],
  raw: true,
  async handle({ identity, params, services, res }) {
    const csv = await draftsOf(services).exportDraftCsv(identity, params.id);
    res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="${params.id}.csv"`);
    res.send(csv);
    return undefined;
  },
});

const startRunFromDraftRoute = defineRoute<ApiServices, DraftParams>({
  method: 'post',
  path: '/v1/plans/drafts/{id}/start',
  operationId: 'startRunFromDraft',
  tag: 'drafts',
  summary: 'Start the run of a complete draft: the plan’s own validation, nothing started while anything is untagged or invalid; the run links back to the draft',
  access: bearer('draft.start'),
  params: DraftParamsSchema,
  ok: {
    status: 202,
    description: 'The run (new, or the one started before from this draft); Location is its status.',
    content: json('DraftStartResponse'),
    headers: { Location: { description: 'The run’s status URL', schema: { type: 'string' } } },
  },
  errors: [400, 404, 409, 422, ...AUTHENTICATED],
  async handle({ identity, params, services }) {
    const started = await draftsOf(services).startRunFromDraft(identity, params.id);
    return { body: started, headers: { Location: `/v1/migrations/${started.runId}` } };
  },
});

/** The draft routes, in the order the document lists them. */
export const DRAFT_ROUTES: readonly AnyRoute<ApiServices>[] = [
  importDraftRoute,
  listDraftsRoute,
  readDraftRoute,
  editDraftRoute,
  listDraftWorkloadsRoute,
  commentDraftRoute,
  previewDraftRoute,
  draftHistoryRoute,
  exportDraftCsvRoute,
  startRunFromDraftRoute,
];
