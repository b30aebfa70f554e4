/**
 * A typed client of Passerelle's v1 API over fetch(). The command line uses it, and the
 * dashboard bundles it for the browser, so it imports no Node built-ins.
 */
import type {
  ApprovalDecision,
  ApprovalView,
  BatchDryRun,
  BatchListResponse,
  BatchRequest,
  BatchView,
  CutoverSchedule,
  Derogation,
  DraftComment,
  DraftEdit,
  DraftEditResponse,
  DraftHistory,
  DraftImportResponse,
  DraftListResponse,
  DraftPreview,
  DraftStartResponse,
  DraftSummary,
  DraftWorkloadsPage,
  EstateGraph,
  GraphGrouping,
  MigrationListResponse,
  MigrationOverview,
  MigrationReport,
  MigrationSummary,
  PlanDryRun,
  RunCollection,
  RunPage,
  RehearsalDecision,
  RehearsalView,
  ResidualRisk,
  RunRiskRegister,
  StartBatchResponse,
  StartCleanupResponse,
  StartMigrationResponse,
  StepView,
  TimelineEntry,
  AuditEntry,
  WaveOverview,
  WorkloadView,
} from '../domain';

/** Body of `POST /v1/plans/drafts` (use-cases/drafts.ts validates it): the plan's identity and the exports in base64. */
export interface DraftImportRequest {
  customer: { id: string; name: string; type: string };
  planId?: string;
  files: { name: string; contentBase64: string }[];
}

/** Filters of a page of a draft's workloads, as an edit's selection has them. */
export interface DraftWorkloadFilters {
  offset?: number;
  limit?: number;
  application?: string;
  kind?: string;
  nameContains?: string;
  untagged?: boolean;
}

/** What the API answers, as the command line and the dashboard read it. */
export type { DraftHistory, DraftImportResponse, MigrationListResponse, MigrationReport, MigrationSummary, PlanDryRun, StartMigrationResponse };

/** What each decision on a derogation (R10) sends, as the API's route table declares it. */
export type DerogationDecisionBody =
  | { decision: 'grant'; body: { justification: string; compensatingMeasures: string[]; expiresAt: string } }
  | { decision: 'renew'; body: { justification: string; compensatingMeasures?: string[]; expiresAt: string } }
  | { decision: 'refuse' | 'revoke' | 'acknowledge'; body: { comment: string } };

/** One field the API refused, as its problem+json `errors` names it. */
export interface ProblemFieldError {
  path: string;
  message: string;
}

/** An answer of the API that was not a success: the RFC 9457 problem it carried. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: ProblemFieldError[] = [],
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

/** The API could not be reached at all (refused connection, unknown host, aborted). */
export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
}

/** Filters of `GET /v1/migrations`, as the API names them. */
export interface MigrationListFilters {
  customer?: string;
  status?: string;
  phase?: string;
  needsAttention?: boolean;
  limit?: number;
  cursor?: string;
}

/** Filters and position of a page of a run's collection, as the API names them. */
export interface RunPageFilters {
  limit?: number;
  cursor?: string;
  state?: string;
  phase?: string;
  wave?: string;
  zone?: string;
  workload?: string;
}

/** The item of each of a run's collections. */
export interface RunCollectionItems {
  steps: StepView;
  workloads: WorkloadView;
  waves: WaveOverview;
  timeline: TimelineEntry;
  audit: AuditEntry;
}

/** What a run control answers. */
export type RunControl = 'pause' | 'resume' | 'cancel';

/** Where the API is and who calls it. */
export interface PasserelleClientOptions {
  /** The API's origin, such as `http://127.0.0.1:3000`; empty for the page's own origin. */
  baseUrl: string;
  token?: string;
  fetch?: typeof fetch;
}

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
}

function describeNetworkFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** Reads a refused answer's problem+json, or makes one up from the status line. */
export async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const problem = JSON.parse(text) as { title?: unknown; detail?: unknown; errors?: unknown };
    const errors = Array.isArray(problem.errors)
      ? problem.errors.filter(
          (item): item is ProblemFieldError => typeof (item as ProblemFieldError)?.path === 'string' && typeof (item as ProblemFieldError)?.message === 'string',
        )
      : [];
    const title = typeof problem.title === 'string' ? problem.title : response.statusText || `HTTP ${response.status}`;
    return new ApiError(response.status, title, typeof problem.detail === 'string' ? problem.detail : undefined, errors);
  } catch {
    return new ApiError(response.status, response.statusText || `HTTP ${response.status}`, text.trim().slice(0, 300) || undefined);
  }
}

/** Builds a client of the v1 API; every method throws {@link ApiError} or {@link ApiUnreachableError} on failure. */
export function createPasserelleClient(options: PasserelleClientOptions) {
  const root = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const segment = encodeURIComponent;

  function headersFor(extra: Record<string, string> = {}): Record<string, string> {
    return { accept: 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...extra };
  }

  async function send(method: string, path: string, request: RequestOptions = {}): Promise<Response> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query ?? {})) if (value !== undefined) search.set(name, String(value));
    const queryString = search.toString();
    const url = `${root}${path}${queryString ? `?${queryString}` : ''}`;
    try {
      return await fetchImpl(url, {
        method,
        headers: headersFor({ ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}), ...request.headers }),
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: request.signal,
      });
    } catch (error) {
      if (request.signal?.aborted) throw error;
      throw new ApiUnreachableError(`Cannot reach the API at ${root || 'this origin'} (${describeNetworkFailure(error)}).`);
    }
  }

  async function call<T>(method: string, path: string, request: RequestOptions = {}): Promise<T> {
    const response = await send(method, path, request);
    if (!response.ok) throw await problemOf(response);
    return (await response.json()) as T;
  }

  const run = (id: string) => `/v1/migrations/${segment(id)}`;
  const draft = (id: string) => `/v1/plans/drafts/${segment(id)}`;

  return {
    /** Dry run: assessment and classification report of a plan, nothing started. */
    validatePlan: (plan: unknown) => call<PlanDryRun>('POST', '/v1/plans/validate', { body: plan }),
    /** Starts a run (idempotent on the plan's `planId`, or on `idempotencyKey`). */
    startMigration: (plan: unknown, idempotencyKey?: string) =>
      call<StartMigrationResponse>('POST', '/v1/migrations', { body: plan, headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {} }),
    /** One page of the runs the caller may see. */
    listMigrations: (filters: MigrationListFilters = {}, signal?: AbortSignal) =>
      call<MigrationListResponse>('GET', '/v1/migrations', { query: { ...filters }, signal }),
    /** A run at a glance: its overview, whose size does not depend on its estate. */
    readStatus: (id: string, signal?: AbortSignal) => call<MigrationOverview>('GET', run(id), { signal }),
    /** One page of a run's steps, workloads, waves, timeline or audit trail. */
    readPage: <Collection extends RunCollection>(id: string, collection: Collection, filters: RunPageFilters = {}, signal?: AbortSignal) =>
      call<RunPage<RunCollectionItems[Collection]>>('GET', `${run(id)}/${collection}`, { query: { ...filters }, signal }),
    /** A run's interim or final report. */
    readReport: (id: string) => call<MigrationReport>('GET', `${run(id)}/report`),
    /** Approves, rejects or asks for changes. */
    decideApproval: (id: string, approvalId: string, decision: ApprovalDecision, comment?: string) =>
      call<ApprovalView>('POST', `${run(id)}/approvals/${segment(approvalId)}`, { body: { decision, ...(comment ? { comment } : {}) } }),
    /** Confirms a wave's rehearsal, or reports a problem with it (saying what), as the customer's RSSI. */
    decideRehearsal: (id: string, waveId: string, decision: RehearsalDecision, comment?: string) =>
      call<RehearsalView>('POST', `${run(id)}/rehearsals/${segment(waveId)}`, { body: { decision, ...(comment ? { comment } : {}) } }),
    /** Asks a derogation (R10) for one zone of the run's plan. */
    requestDerogation: (id: string, zoneId: string, reason: string) => call<Derogation>('POST', `${run(id)}/derogations`, { body: { zoneId, reason } }),
    /** Grants, refuses, renews or revokes a zone's derogation, or acknowledges its lapse. */
    decideDerogation: (id: string, zoneId: string, { decision, body }: DerogationDecisionBody) =>
      call<Derogation>('POST', `${run(id)}/derogations/${segment(zoneId)}/${decision}`, { body }),
    /** The run's dependency graph grouped by wave or zone, one group expanded. */
    readGraph: (id: string, groupBy: GraphGrouping, expand?: string, signal?: AbortSignal) =>
      call<EstateGraph>('GET', `${run(id)}/graph`, { query: { groupBy, expand }, signal }),
    /** The run's cutover waves against its cutover windows. */
    readSchedule: (id: string, signal?: AbortSignal) => call<CutoverSchedule>('GET', `${run(id)}/schedule`, { signal }),
    /** The run's residual-risk register. */
    readRisks: (id: string) => call<RunRiskRegister>('GET', `${run(id)}/risks`),
    /** Accepts an open residual risk, as the customer's approver holding its owner role. */
    acceptRisk: (id: string, riskId: string, comment?: string) =>
      call<ResidualRisk>('POST', `${run(id)}/risks/${segment(riskId)}/accept`, { body: comment ? { comment } : {} }),
    /** Replaces the run's plan before provisioning. */
    amendPlan: (id: string, plan: unknown) => call<MigrationOverview>('PUT', `${run(id)}/plan`, { body: plan }),
    /** Runs a failed step again. */
    retryStep: (id: string, stepId: string, reason?: string) =>
      call<StepView>('POST', `${run(id)}/steps/${segment(stepId)}/retry`, { body: reason ? { reason } : {} }),
    /** Skips a failed step, saying why. */
    skipStep: (id: string, stepId: string, reason: string) => call<StepView>('POST', `${run(id)}/steps/${segment(stepId)}/skip`, { body: { reason } }),
    /** Pauses, resumes or cancels a run. */
    controlRun: (id: string, control: RunControl, reason?: string) =>
      call<MigrationOverview>('POST', `${run(id)}/${control}`, { body: reason ? { reason } : {} }),
    /** Opens an exceptional cutover window (ops): for one wave or every wave, until `closesAt`, saying why. */
    openCutoverWindow: (id: string, window: { closesAt: string; reason: string; waveId?: string; opensAt?: string }) =>
      call<MigrationOverview>('POST', `${run(id)}/cutover-window`, { body: window }),
    /** Undoes what a run that Temporal closed left at the provider (ops); the same clean-up however often. */
    cleanUp: (id: string, reason?: string) => call<StartCleanupResponse>('POST', `${run(id)}/cleanup`, { body: reason ? { reason } : {} }),
    /** A fleet operation (ops): with `dryRun`, the runs it would touch; otherwise the batch, started on them. */
    startBatch: (request: Omit<BatchRequest, 'dryRun'> & { dryRun?: boolean }) => call<BatchDryRun | StartBatchResponse>('POST', '/v1/batches', { body: request }),
    /** A batch's progress and each run's outcome. */
    readBatch: (id: string, signal?: AbortSignal) => call<BatchView>('GET', `/v1/batches/${segment(id)}`, { signal }),
    /** One page of batches, newest first. */
    listBatches: (filters: { cursor?: string; limit?: number } = {}, signal?: AbortSignal) => call<BatchListResponse>('GET', '/v1/batches', { query: { ...filters }, signal }),
    /** Tells runs waiting at the regulatory gate that the provider's qualification changed. */
    notifyQualificationChanged: () => call<{ signalled: string[] }>('POST', '/v1/provider/qualification-changed', { body: {} }),
    /** Opens the run's Server-Sent Events stream; the caller reads the body. */
    openEvents: (id: string, lastEventId: string | undefined, signal: AbortSignal) =>
      send('GET', `${run(id)}/events`, { headers: { accept: 'text/event-stream', ...(lastEventId !== undefined ? { 'Last-Event-ID': lastEventId } : {}) }, signal }),
    /** Imports discovery exports into a new draft plan (files in base64). */
    importDraft: (request: DraftImportRequest) => call<DraftImportResponse>('POST', '/v1/plans/drafts', { body: request }),
    /** One page of the drafts the caller may see, newest first. */
    listDrafts: (filters: { customer?: string; cursor?: string; limit?: number } = {}, signal?: AbortSignal) =>
      call<DraftListResponse>('GET', '/v1/plans/drafts', { query: { ...filters }, signal }),
    /** A draft's header: counts, applications, state, the run started from it. */
    readDraft: (id: string, signal?: AbortSignal) => call<DraftSummary>('GET', draft(id), { signal }),
    /** A page of a draft's workloads, filtered as an edit's selection is. */
    listDraftWorkloads: (id: string, page: DraftWorkloadFilters = {}, signal?: AbortSignal) =>
      call<DraftWorkloadsPage>('GET', `${draft(id)}/workloads`, { query: { ...page }, signal }),
    /** Tags, re-kinds, excludes or includes the selected workloads. */
    editDraft: (id: string, edit: DraftEdit) => call<DraftEditResponse>('PATCH', draft(id), { body: edit }),
    /** Comments on the draft or one of its workloads. */
    commentDraft: (id: string, text: string, workloadId?: string) => call<DraftComment>('POST', `${draft(id)}/comments`, { body: { text, ...(workloadId ? { workloadId } : {}) } }),
    /** What the rules make of the draft as it stands. */
    previewDraft: (id: string, signal?: AbortSignal) => call<DraftPreview>('GET', `${draft(id)}/preview`, { signal }),
    /** Who did what to the draft, and the comments. */
    readDraftHistory: (id: string, signal?: AbortSignal) => call<DraftHistory>('GET', `${draft(id)}/history`, { signal }),
    /** The draft as CSV, one row per workload. */
    exportDraftCsv: async (id: string) => {
      const response = await send('GET', `${draft(id)}/csv`, { headers: { accept: 'text/csv' } });
      if (!response.ok) throw await problemOf(response);
      return await response.text();
    },
    /** Starts the run of a complete draft. */
    startRunFromDraft: (id: string) => call<DraftStartResponse>('POST', `${draft(id)}/start`, { body: {} }),
  };
}

/** The client {@link createPasserelleClient} builds. */
export type PasserelleClient = ReturnType<typeof createPasserelleClient>;
