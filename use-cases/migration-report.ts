import {
  FINAL_STATUSES,
  type MigrationOverview,
  type MigrationReport,
  type MigrationStatus,
  PAGE_LIMIT_MAX,
  type PositionedPage,
  REPORT_SECTION_LISTS,
  type ReportSection,
  type ReportSectionAsk,
  type ReportSectionRead,
  type RunCollection,
  type RunPageRequest,
  type StepState,
  STEP_STATES,
  type StepView,
  stepsByWorkload,
  type WaveOverview,
  type WaveView,
  workloadOutcome,
  type WorkloadReport,
  type WorkloadView,
} from '../domain';
import { cleanupAuditEntry } from '../domain/closed-runs';

/** Builds a run's report from its whole status: pure, so the same status always gives the same report (the homologation file reads it; the API streams {@link streamMigrationReport}). */
export function buildMigrationReport(status: MigrationStatus): MigrationReport {
  const classificationById = new Map((status.report?.workloads ?? []).map((workload) => [workload.id, workload]));
  const stepsOf = stepsByWorkload(status.steps);
  const workloads = status.plan.workloads.map((workload): WorkloadReport => {
    const classification = classificationById.get(workload.id);
    const base = {
      id: workload.id,
      name: workload.name,
      level: classification?.level ?? null,
      hds: classification?.hds ?? null,
      rules: classification?.rules ?? [],
    };
    if (classification && !classification.migrates) return { ...base, outcome: 'LEFT_OUT', reason: classification.reason };
    return { ...base, ...workloadOutcome(status, stepsOf.get(workload.id) ?? []) };
  });
  const byState = Object.fromEntries(STEP_STATES.map((state) => [state, 0])) as Record<StepState, number>;
  for (const step of status.steps) byState[step.state] += 1;
  return {
    id: status.workflowId,
    ...(status.planId !== undefined ? { planId: status.planId } : {}),
    customer: { id: status.customerId, name: status.customerName },
    phase: status.phase,
    status: status.status,
    final: FINAL_STATUSES.includes(status.status),
    percentComplete: status.percentComplete,
    startedAt: status.startedAt,
    updatedAt: status.updatedAt,
    ...(status.endedAt !== undefined ? { endedAt: status.endedAt } : {}),
    startedBy: status.startedBy,
    assessment: status.assessment ?? null,
    classification: status.report ?? null,
    workloads,
    steps: {
      total: status.steps.length,
      byState,
      failed: status.steps.filter((step) => step.state === 'FAILED').map(({ id, title, error }) => ({ id, title, error })),
      skipped: status.steps
        .filter((step) => step.state === 'SKIPPED')
        .map(({ id, title, skippedReason }) => ({ id, title, skippedReason })),
    },
    waves: status.waves,
    resources: status.resources,
    outcome: status.outcome ?? null,
    attention: status.attention,
    gate: status.gate ?? null,
    approvals: status.approvals,
    audit: status.audit,
    ...(status.cleanup ? { cleanup: status.cleanup } : {}),
  };
}

/** What a streamed report reads, each read bounded: the settled overview, pages of the run's collections, and the parts of its assessment and classification. */
export interface ReportSource {
  overview: MigrationOverview;
  /** A page of steps, workloads, waves or the audit trail, settled for a run that Temporal closed. */
  page(collection: RunCollection, request: RunPageRequest): Promise<PositionedPage<unknown>>;
  section(ask: ReportSectionAsk): Promise<ReportSectionRead>;
  /** The step states whose steps the report lists as failed: a closed run's unfinished steps failed too. */
  failedStates: readonly StepState[];
}

/** Items read at once while the report streams. */
const REPORT_PAGE_SIZE = PAGE_LIMIT_MAX;

/** A JSON array written page by page: `[`, the items of each page, `]`. */
async function* streamedArray(pages: () => AsyncGenerator<unknown[]>, tail: readonly unknown[] = []): AsyncGenerator<string> {
  yield '[';
  let separator = '';
  for await (const items of pages()) {
    if (items.length === 0) continue;
    yield separator + items.map((item) => JSON.stringify(item)).join(',');
    separator = ',';
  }
  if (tail.length > 0) yield separator + tail.map((item) => JSON.stringify(item)).join(',');
  yield ']';
}

/** Every page of a collection, with its filters, until the last. */
async function* collectionPages(source: ReportSource, collection: RunCollection, filters: Omit<RunPageRequest, 'limit' | 'after'> = {}): AsyncGenerator<unknown[]> {
  let after: number | undefined;
  do {
    const page = await source.page(collection, { limit: REPORT_PAGE_SIZE, ...filters, ...(after !== undefined ? { after } : {}) });
    yield page.items;
    after = page.next ?? undefined;
  } while (after !== undefined);
}

/** The assessment or classification: its head, then each of its lists page by page; `null` until the run has one. */
async function* streamedSection(source: ReportSource, section: ReportSection): AsyncGenerator<string> {
  const read = await source.section({ section, limit: 1 });
  const head = 'head' in read ? read.head : null;
  if (!head) {
    yield 'null';
    return;
  }
  const opening = JSON.stringify(head);
  yield opening.slice(0, -1);
  let separator = opening === '{}' ? '' : ',';
  for (const list of REPORT_SECTION_LISTS[section]) {
    yield `${separator}${JSON.stringify(list)}:`;
    separator = ',';
    yield* streamedArray(async function* () {
      let after: number | undefined;
      do {
        const page = await source.section({ section, list, limit: REPORT_PAGE_SIZE, ...(after !== undefined ? { after } : {}) });
        if (!('items' in page)) return;
        yield page.items;
        after = page.next ?? undefined;
      } while (after !== undefined);
    });
  }
  yield '}';
}

/**
 * The run's report (the same document as {@link buildMigrationReport}) as JSON text written
 * piece by piece from bounded reads: the overview, then the assessment, the classification,
 * the workloads, the failed and skipped steps, the waves and the audit trail page by page. Its
 * size grows with the estate; no read behind it does, and neither does the memory that writes it.
 */
export async function* streamMigrationReport(source: ReportSource): AsyncGenerator<string> {
  const { overview } = source;
  const head: Omit<MigrationReport, 'assessment' | 'classification' | 'workloads' | 'steps' | 'waves' | 'resources' | 'outcome' | 'attention' | 'gate' | 'approvals' | 'audit'> = {
    id: overview.workflowId,
    ...(overview.planId !== undefined ? { planId: overview.planId } : {}),
    customer: { id: overview.customerId, name: overview.customerName },
    phase: overview.phase,
    status: overview.status,
    final: FINAL_STATUSES.includes(overview.status),
    percentComplete: overview.percentComplete,
    startedAt: overview.startedAt,
    updatedAt: overview.updatedAt,
    ...(overview.endedAt !== undefined ? { endedAt: overview.endedAt } : {}),
    startedBy: overview.startedBy,
  };
  yield JSON.stringify(head).slice(0, -1);
  yield ',"assessment":';
  yield* streamedSection(source, 'assessment');
  yield ',"classification":';
  yield* streamedSection(source, 'classification');
  yield ',"workloads":';
  yield* streamedArray(async function* () {
    for await (const items of collectionPages(source, 'workloads')) {
      yield (items as WorkloadView[]).map(({ id, name, level, hds, rules, outcome, reason }): WorkloadReport => ({ id, name, level, hds, rules, outcome, ...(reason !== undefined ? { reason } : {}) }));
    }
  });
  yield `,"steps":{"total":${overview.steps.total},"byState":${JSON.stringify(overview.steps.byState)},"failed":`;
  yield* streamedArray(async function* () {
    for (const state of source.failedStates) {
      for await (const items of collectionPages(source, 'steps', { state })) {
        yield (items as StepView[]).filter((step) => step.state === 'FAILED').map(({ id, title, error }) => ({ id, title, ...(error !== undefined ? { error } : {}) }));
      }
    }
  });
  yield ',"skipped":';
  yield* streamedArray(async function* () {
    for await (const items of collectionPages(source, 'steps', { state: 'SKIPPED' })) {
      yield (items as StepView[]).map(({ id, title, skippedReason }) => ({ id, title, ...(skippedReason !== undefined ? { skippedReason } : {}) }));
    }
  });
  yield '},"waves":';
  yield* streamedArray(async function* () {
    for await (const items of collectionPages(source, 'waves')) {
      yield (items as WaveOverview[]).map(({ id, index, workloadIds, state, workflowId, window }): WaveView => ({ id, index, workloadIds, state, ...(workflowId !== undefined ? { workflowId } : {}), ...(window !== undefined ? { window } : {}) }));
    }
  });
  const rest = { resources: overview.resources, outcome: overview.outcome ?? null, attention: overview.attention, gate: overview.gate ?? null, approvals: overview.approvals };
  yield `,${JSON.stringify(rest).slice(1, -1)},"audit":`;
  // The audit page reads newest first; the report lists oldest first. The run keeps at most 1,000 entries, so they are held here at once.
  const audit: unknown[] = [];
  for await (const items of collectionPages(source, 'audit')) audit.push(...items);
  yield* streamedArray(async function* () {
    yield audit.reverse();
  }, overview.cleanup ? [cleanupAuditEntry(overview.cleanup)] : []);
  if (overview.cleanup) yield `,"cleanup":${JSON.stringify(overview.cleanup)}`;
  yield '}';
}
