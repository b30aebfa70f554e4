/**
 * Reads of a run that do not grow with its estate: the overview that `GET /v1/migrations/{id}`
 * answers (counts, the approvals, what needs attention, the gate, the latest entries) and the
 * pages of its steps, workloads, waves, timeline and audit trail, with their filters. The
 * workflow's read queries compute them from its status (workflows/migration/reads.ts); pure,
 * so that a unit test can measure them on a synthetic estate of any size.
 */
import { z } from 'zod';
import { builtSchema } from './lazy-schemas';
import { gateZones, HOSTING_LEVELS } from './classification';
import { message, type Message, MessageSchema } from './messages';
import { ExceptionalWindowSchema, WaveWindowViewSchema } from './cutover-windows';
import { RehearsalViewSchema } from './rehearsals';
import { isStepSettled, stepCompletion } from './progress';
import { CUTOVER_STEPS_PER_WORKLOAD, FINAL_STATUSES, type Phase, PHASES, STEP_STATES, type StepState, stepIds } from './run';
import { WORKLOAD_OUTCOMES, type WorkloadOutcome } from './run-report';
import {
  ApprovalViewSchema,
  AttentionViewSchema,
  AuditEntrySchema,
  CleanupViewSchema,
  DerogationSchema,
  GateViewSchema,
  IsoTimestampSchema,
  type MigrationStatus,
  MigrationStatusSchema,
  type StepView,
  StepViewSchema,
  TimelineEntrySchema,
  WaveHoldSchema,
  type WaveView,
} from './run-status';

/** Items needing attention an overview lists; `attentionTotal` counts them all. */
export const OVERVIEW_ATTENTION_LIMIT = 50;
/** Waves in progress an overview details; the others are counted, and paged. */
export const OVERVIEW_ACTIVE_WAVES_LIMIT = 20;
/** Newest timeline and audit entries an overview carries; the rest are paged. */
export const OVERVIEW_LATEST_ENTRIES = 10;
/** The largest page any read answers, and the default one. */
export const PAGE_LIMIT_MAX = 500;
export const PAGE_LIMIT_DEFAULT = 100;

const count = z.lazy(() => z.number().int().min(0));

/** How many steps there are, in each state. */
export const StepCountsSchema = z.lazy(() => z.object({ total: count, byState: z.record(z.enum(STEP_STATES), count) }));
/** How many steps there are, in each state. */
export type StepCounts = z.infer<typeof StepCountsSchema>;

/** The steps of one phase or one wave: counts, the work done (in steps) and the percentage it makes. */
export const ProgressCountsSchema = z.lazy(() =>
  builtSchema(StepCountsSchema).extend({
    completed: z.number().min(0).meta({ description: 'Steps done, a running step counting by its fraction (domain/progress.ts)' }),
    percent: z.number().int().min(0).max(100),
  }),
);
/** The steps of one phase or one wave. */
export type ProgressCounts = z.infer<typeof ProgressCountsSchema>;

/** One phase of the run in its overview. */
export const PhaseOverviewSchema = z.lazy(() => builtSchema(ProgressCountsSchema).extend({ phase: z.enum(PHASES) }));
/** One phase of the run in its overview. */
export type PhaseOverview = z.infer<typeof PhaseOverviewSchema>;

/** One cutover wave, counted: what the waves page and the overview's active waves show. */
export const WaveOverviewSchema = z.lazy(() =>
  builtSchema(ProgressCountsSchema).extend({
    id: z.string(),
    index: z.number().int(),
    state: z.enum(STEP_STATES),
    workloadIds: z.array(z.string()).meta({ description: 'At most the plan’s maxWaveSize (500)' }),
    workflowId: z.string().optional().meta({ description: "The wave's workflow id, once the wave has started" }),
    window: WaveWindowViewSchema.optional().meta({ description: 'Where the wave stands with its cutover window, when the plan has one' }),
    heldBy: WaveHoldSchema.optional().meta({ description: 'Why the wave waits before it starts: an OPEN residual risk of one of its workloads' }),
    rehearsal: RehearsalViewSchema.optional().meta({ description: "The wave's rehearsal, when the plan's settings make it rehearse (one launch per workload: at most 100)" }),
  }),
);
/** One cutover wave, counted. */
export type WaveOverview = z.infer<typeof WaveOverviewSchema>;

/**
 * Answer of `GET /v1/migrations/{id}`: the run at a glance, whose size does not depend on the
 * number of its workloads. Steps, workloads, waves, timeline and audit trail are pages of their own.
 */
export const MigrationOverviewSchema = z.lazy(() =>
  builtSchema(MigrationStatusSchema).pick({
    workflowId: true,
    planId: true,
    customerId: true,
    customerName: true,
    phase: true,
    status: true,
    percentComplete: true,
    startedAt: true,
    updatedAt: true,
    endedAt: true,
    startedBy: true,
    round: true,
    paused: true,
    outcome: true,
  }).extend({
    workloads: z.object({ total: count, migrating: count, notEligible: count }).meta({ description: 'The plan’s workloads; page them at /workloads' }),
    steps: StepCountsSchema.meta({ description: 'Every step of the run; page them at /steps' }),
    phases: z.array(PhaseOverviewSchema).meta({ description: 'Every phase, in order, with its steps counted' }),
    cutoverPlannedSteps: count.meta({ description: 'Cutover steps of every planned wave, those not started included' }),
    waves: z.object({
      total: count,
      byState: z.record(z.enum(STEP_STATES), count),
      active: z.array(WaveOverviewSchema).meta({ description: `Waves started and not yet succeeded, at most ${OVERVIEW_ACTIVE_WAVES_LIMIT}; page every wave at /waves` }),
    }),
    approvals: z.array(ApprovalViewSchema),
    attention: z.array(AttentionViewSchema).meta({ description: `What waits for an operator, at most ${OVERVIEW_ATTENTION_LIMIT}; the run is NEEDS_ATTENTION while it is not empty` }),
    attentionTotal: count,
    gate: GateViewSchema.optional(),
    landingZones: z
      .array(z.object({ id: z.string(), level: z.enum(HOSTING_LEVELS), hds: z.boolean(), workloads: count }))
      .meta({ description: 'The landing zones the classification asks for (a handful), with their workloads counted' }),
    derogations: z.array(DerogationSchema).optional().meta({ description: 'The run’s derogations (R10), at most one per zone' }),
    cleanup: CleanupViewSchema.optional().meta({ description: 'The clean-up ops asked for, for a run that Temporal closed' }),
    exceptionalWindows: z.array(ExceptionalWindowSchema).optional().meta({ description: 'Cutover windows that ops opened outside the plan’s (the newest 20)' }),
    draftId: z.string().optional().meta({ description: 'The draft plan the run was started from (GET /v1/plans/drafts/{id}), as the run’s memo records it' }),
    resources: z.record(z.string(), z.string()).meta({ description: 'Provider resources by provisioning step (tenant, zones): a handful per run' }),
    timeline: z.array(TimelineEntrySchema).meta({ description: `The newest ${OVERVIEW_LATEST_ENTRIES} entries, oldest first; page them at /timeline` }),
    timelineTotal: count,
    audit: z.array(AuditEntrySchema).meta({ description: `The newest ${OVERVIEW_LATEST_ENTRIES} entries, oldest first; page them at /audit` }),
    auditTotal: count,
  }),
);
/** The run at a glance: `GET /v1/migrations/{id}`. */
export type MigrationOverview = z.infer<typeof MigrationOverviewSchema>;

/** One workload of the plan with its classification, zone, wave and what became of it. */
export const WorkloadViewSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    level: z.enum(HOSTING_LEVELS).nullable(),
    hds: z.boolean().nullable(),
    rules: z.array(z.string()).meta({ description: 'Rules of docs/rules.md that decided the level' }),
    zone: z.string().nullable().meta({ description: 'Landing zone id (or m365-tenant); null for a workload that stays on site or is not classified yet' }),
    waveId: z.string().nullable(),
    outcome: z.enum(WORKLOAD_OUTCOMES),
    reason: z.string().optional(),
    text: MessageSchema.optional().meta({ description: 'The reason as a message code, when the run wrote one: rendered in the reader’s language' }),
  }),
);
/** One workload of the plan, as its page shows it. */
export type WorkloadView = z.infer<typeof WorkloadViewSchema>;

/** The readable collections of a run, each a page of its own. */
export const RUN_COLLECTIONS = ['steps', 'workloads', 'waves', 'timeline', 'audit'] as const;
/** One of {@link RUN_COLLECTIONS}. */
export type RunCollection = (typeof RUN_COLLECTIONS)[number];

/**
 * What a page query asks the workflow: where to start (a position the previous page gave) and
 * the filters. Steps, workloads and waves are in run order; timeline and audit newest first.
 */
export interface RunPageRequest {
  /** The position the previous page stopped at; absent for the first page. */
  after?: number;
  limit: number;
  /** A step's state (steps, waves), or a workload's outcome (workloads). */
  state?: string;
  wave?: string;
  zone?: string;
  workload?: string;
  phase?: Phase;
}

/** What a page query answers: the items and the position to go on from (null at the end). */
export interface PositionedPage<Item> {
  items: Item[];
  next: number | null;
}

function emptyByState(): Record<StepState, number> {
  return Object.fromEntries(STEP_STATES.map((state) => [state, 0])) as Record<StepState, number>;
}

class ProgressTally {
  total = 0;
  settled = 0;
  completed = 0;
  readonly byState = emptyByState();

  add(step: Pick<StepView, 'state' | 'progress'>): void {
    this.total += 1;
    this.byState[step.state] += 1;
    if (isStepSettled(step.state)) this.settled += 1;
    this.completed += stepCompletion({ state: step.state, fraction: step.progress });
  }

  counts(): ProgressCounts {
    return { total: this.total, byState: this.byState, completed: this.completed, percent: percentOfTally(this.completed, this.settled, this.total) };
  }
}

/** The percentage of {@link percentComplete} from counts: only a fully settled list reaches 100. */
export function percentOfTally(completed: number, settled: number, total: number): number {
  if (total === 0) return 0;
  if (settled === total) return 100;
  return Math.min(99, Math.floor((100 * completed) / total));
}

/** A wave's own fields in its overview. */
function waveOverviewOf(wave: WaveView): Pick<WaveOverview, 'id' | 'index' | 'state' | 'workloadIds' | 'workflowId' | 'window' | 'heldBy' | 'rehearsal'> {
  return {
    id: wave.id,
    index: wave.index,
    state: wave.state,
    workloadIds: wave.workloadIds,
    ...(wave.workflowId !== undefined ? { workflowId: wave.workflowId } : {}),
    ...(wave.window !== undefined ? { window: wave.window } : {}),
    ...(wave.heldBy !== undefined ? { heldBy: wave.heldBy } : {}),
    ...(wave.rehearsal !== undefined ? { rehearsal: wave.rehearsal } : {}),
  };
}

/** Whether a wave counts as active: started and not yet succeeded. */
function isActiveWave(state: StepState): boolean {
  return state !== 'PENDING' && state !== 'SUCCEEDED';
}

/** The run at a glance, computed from its status in one pass over the steps. */
export function runOverview(status: MigrationStatus): MigrationOverview {
  const phases = new Map<Phase, ProgressTally>(PHASES.map((phase) => [phase, new ProgressTally()]));
  const waveTallies = new Map<string, ProgressTally>();
  const activeWaves = status.waves.filter((wave) => isActiveWave(wave.state)).slice(0, OVERVIEW_ACTIVE_WAVES_LIMIT);
  for (const wave of activeWaves) waveTallies.set(wave.id, new ProgressTally());
  const steps = emptyByState();
  for (const step of status.steps) {
    steps[step.state] += 1;
    phases.get(step.phase)?.add(step);
    if (step.waveId !== undefined) waveTallies.get(step.waveId)?.add(step);
  }
  const wavesByState = emptyByState();
  let cutoverPlannedSteps = 0;
  for (const wave of status.waves) {
    wavesByState[wave.state] += 1;
    cutoverPlannedSteps += wave.workloadIds.length * CUTOVER_STEPS_PER_WORKLOAD;
  }
  const summary = status.report?.summary;
  const timelineTotal = status.timelineTotal ?? status.timeline.length;
  const auditTotal = status.auditTotal ?? status.audit.length;
  return {
    workflowId: status.workflowId,
    ...(status.planId !== undefined ? { planId: status.planId } : {}),
    customerId: status.customerId,
    customerName: status.customerName,
    phase: status.phase,
    status: status.status,
    percentComplete: status.percentComplete,
    startedAt: status.startedAt,
    updatedAt: status.updatedAt,
    ...(status.endedAt !== undefined ? { endedAt: status.endedAt } : {}),
    startedBy: status.startedBy,
    round: status.round,
    paused: status.paused,
    ...(status.outcome !== undefined ? { outcome: status.outcome } : {}),
    workloads: { total: status.plan.workloads.length, migrating: summary?.migrating ?? 0, notEligible: summary?.notEligible ?? 0 },
    steps: { total: status.steps.length, byState: steps },
    phases: PHASES.map((phase) => ({ phase, ...phases.get(phase)!.counts() })),
    cutoverPlannedSteps,
    waves: {
      total: status.waves.length,
      byState: wavesByState,
      active: activeWaves.map((wave) => ({ ...waveOverviewOf(wave), ...waveTallies.get(wave.id)!.counts() })),
    },
    approvals: withReasons(status),
    attention: status.attention.slice(0, OVERVIEW_ATTENTION_LIMIT),
    attentionTotal: status.attention.length,
    ...(status.gate !== undefined ? { gate: status.gate } : {}),
    landingZones: (status.report?.landingZones ?? []).map((zone) => ({ id: zone.id, level: zone.level, hds: zone.hds, workloads: zone.workloadIds.length })),
    ...(status.derogations !== undefined ? { derogations: status.derogations } : {}),
    ...(status.exceptionalWindows !== undefined ? { exceptionalWindows: status.exceptionalWindows } : {}),
    resources: status.resources,
    timeline: status.timeline.slice(-OVERVIEW_LATEST_ENTRIES),
    timelineTotal,
    audit: status.audit.slice(-OVERVIEW_LATEST_ENTRIES),
    auditTotal,
  };
}

/** Workload id → its zone (landing zone id, or m365-tenant), from the classification report. */
function zonesOfWorkloads(status: MigrationStatus): Map<string, string> {
  const zones = new Map<string, string>();
  if (!status.report) return zones;
  for (const zone of gateZones(status.report)) for (const workloadId of zone.workloadIds) zones.set(workloadId, zone.zoneId);
  return zones;
}

/** The zone a provisioning step provisions (`provisioning.key-vault.<zone>`), if any. */
function zoneOfProvisioningStep(stepId: string, zoneIds: ReadonlySet<string>): string | undefined {
  if (stepId === stepIds.m365Tenant) return zoneIds.has('m365-tenant') ? 'm365-tenant' : undefined;
  const last = stepId.slice(stepId.lastIndexOf('.') + 1);
  return stepId.startsWith('provisioning.') && zoneIds.has(last) ? last : undefined;
}

/** Walks `list` from `after + 1`, keeping what `keep` accepts, up to `limit` items. */
function pageForward<Source, Item>(list: readonly Source[], request: RunPageRequest, pick: (item: Source, index: number) => Item | undefined): PositionedPage<Item> {
  const items: Item[] = [];
  for (let index = (request.after ?? -1) + 1; index < list.length; index += 1) {
    const item = pick(list[index]!, index);
    if (item === undefined) continue;
    if (items.length === request.limit) return { items, next: index - 1 };
    items.push(item);
  }
  return { items, next: null };
}

/** A page of the run's steps, in run order, filtered on state, phase, wave, zone and workload. */
export function stepsPage(status: MigrationStatus, request: RunPageRequest): PositionedPage<StepView> {
  const zoneOf = request.zone !== undefined ? zonesOfWorkloads(status) : undefined;
  const zoneIds = new Set(zoneOf?.values());
  return pageForward(status.steps, request, (step) => {
    if (request.state !== undefined && step.state !== request.state) return undefined;
    if (request.phase !== undefined && step.phase !== request.phase) return undefined;
    if (request.wave !== undefined && step.waveId !== request.wave) return undefined;
    if (request.workload !== undefined && step.workloadId !== request.workload) return undefined;
    if (zoneOf !== undefined) {
      const zone = step.workloadId !== undefined ? zoneOf.get(step.workloadId) : zoneOfProvisioningStep(step.id, zoneIds);
      if (zone !== request.zone) return undefined;
    }
    return step;
  });
}

/** The approvals, those of the current round with why the classification asks for them, as message codes. */
function withReasons(status: MigrationStatus): MigrationStatus['approvals'] {
  const reasons = new Map<string, readonly Message[]>((status.report?.approvals ?? []).map((required) => [required.id, required.reasons]));
  return status.approvals.map((approval) => {
    const given = approval.round === status.round ? reasons.get(approval.id) : undefined;
    return given === undefined || given.length === 0 ? approval : { ...approval, reasons: [...given] };
  });
}

/** What became of one workload, from its steps and the run's status. */
export function workloadOutcome(
  status: Pick<MigrationStatus, 'status' | 'outcome'>,
  steps: readonly StepView[],
): { outcome: WorkloadOutcome; reason?: string; text?: StepView['note'] } {
  const skipped = steps.find((step) => step.state === 'SKIPPED');
  if (skipped) {
    return { outcome: 'SKIPPED', ...(skipped.skippedReason !== undefined ? { reason: skipped.skippedReason } : {}), ...(skipped.note !== undefined ? { text: skipped.note } : {}) };
  }
  if (steps.some((step) => step.state === 'COMPENSATED')) return { outcome: 'ROLLED_BACK' };
  const failed = steps.find((step) => step.state === 'FAILED');
  if (failed) return { outcome: 'FAILED', ...(failed.error?.message !== undefined ? { reason: failed.error.message } : {}) };
  if (steps.length > 0 && steps.every((step) => step.state === 'SUCCEEDED')) return { outcome: 'MIGRATED' };
  if (FINAL_STATUSES.includes(status.status)) {
    const text = status.outcome?.text ?? message('WORKLOAD_RUN_ENDED', { status: status.status });
    return { outcome: 'NOT_MIGRATED', reason: status.outcome?.reason ?? `the run ended ${status.status}`, text };
  }
  return { outcome: 'PENDING' };
}

/** The steps of each workload, by workload id, in one pass. */
export function stepsByWorkload(steps: readonly StepView[]): Map<string, StepView[]> {
  const byWorkload = new Map<string, StepView[]>();
  for (const step of steps) {
    if (step.workloadId === undefined) continue;
    const list = byWorkload.get(step.workloadId);
    if (list) list.push(step);
    else byWorkload.set(step.workloadId, [step]);
  }
  return byWorkload;
}

/** A page of the plan's workloads, in plan order, filtered on outcome (`state`), wave, zone and workload id. */
export function workloadsPage(status: MigrationStatus, request: RunPageRequest): PositionedPage<WorkloadView> {
  const classification = new Map((status.report?.workloads ?? []).map((workload) => [workload.id, workload]));
  const zoneOf = zonesOfWorkloads(status);
  const waveOf = new Map<string, string>();
  for (const wave of status.waves) for (const workloadId of wave.workloadIds) waveOf.set(workloadId, wave.id);
  const steps = stepsByWorkload(status.steps);
  return pageForward(status.plan.workloads, request, (workload) => {
    if (request.workload !== undefined && workload.id !== request.workload) return undefined;
    const zone = zoneOf.get(workload.id) ?? null;
    if (request.zone !== undefined && zone !== request.zone) return undefined;
    const waveId = waveOf.get(workload.id) ?? null;
    if (request.wave !== undefined && waveId !== request.wave) return undefined;
    const classified = classification.get(workload.id);
    const became =
      classified && !classified.migrates
        ? {
            outcome: 'LEFT_OUT' as const,
            ...(classified.reason !== undefined ? { reason: classified.reason } : {}),
            ...(classified.reasonMessage !== undefined ? { text: classified.reasonMessage } : {}),
          }
        : workloadOutcome(status, steps.get(workload.id) ?? []);
    if (request.state !== undefined && became.outcome !== request.state) return undefined;
    return {
      id: workload.id,
      name: workload.name,
      kind: workload.kind,
      level: classified?.level ?? null,
      hds: classified?.hds ?? null,
      rules: classified?.rules ?? [],
      zone,
      waveId,
      ...became,
    };
  });
}

/** A page of the cutover waves, in wave order, filtered on state, wave id, zone and workload. */
export function wavesPage(status: MigrationStatus, request: RunPageRequest): PositionedPage<WaveOverview> {
  const zoneOf = request.zone !== undefined ? zonesOfWorkloads(status) : undefined;
  const selected = pageForward(status.waves, request, (wave) => {
    if (request.state !== undefined && wave.state !== request.state) return undefined;
    if (request.wave !== undefined && wave.id !== request.wave) return undefined;
    if (request.workload !== undefined && !wave.workloadIds.includes(request.workload)) return undefined;
    if (zoneOf !== undefined && !wave.workloadIds.some((workloadId) => zoneOf.get(workloadId) === request.zone)) return undefined;
    return wave;
  });
  const tallies = new Map(selected.items.map((wave) => [wave.id, new ProgressTally()]));
  for (const step of status.steps) if (step.waveId !== undefined) tallies.get(step.waveId)?.add(step);
  return { items: selected.items.map((wave) => ({ ...waveOverviewOf(wave), ...tallies.get(wave.id)!.counts() })), next: selected.next };
}

/**
 * Walks a bounded log (timeline, audit) newest first. A position is the entry's rank among every
 * entry the run wrote (0 for the first), so it stays valid while newer entries arrive and older
 * ones leave the status; the walk ends at the oldest entry still kept.
 */
function pageNewestFirst<Entry, Item>(entries: readonly Entry[], total: number, request: RunPageRequest, pick: (entry: Entry) => Item | undefined): PositionedPage<Item> {
  const firstKept = total - entries.length;
  const items: Item[] = [];
  const start = Math.min(request.after !== undefined ? request.after - 1 : total - 1, total - 1);
  for (let rank = start; rank >= firstKept; rank -= 1) {
    const item = pick(entries[rank - firstKept]!);
    if (item === undefined) continue;
    if (items.length === request.limit) return { items, next: rank + 1 };
    items.push(item);
  }
  return { items, next: null };
}

/** A page of the timeline, newest first, filtered on a workload's steps, a wave's, or a step state. */
export function timelinePage(status: MigrationStatus, request: RunPageRequest) {
  const total = status.timelineTotal ?? status.timeline.length;
  const needsSteps = request.workload !== undefined || request.wave !== undefined || request.phase !== undefined;
  const stepsById = needsSteps ? new Map(status.steps.map((step) => [step.id, step])) : undefined;
  return pageNewestFirst(status.timeline, total, request, (entry) => {
    if (request.state !== undefined && entry.kind !== `STEP_${request.state}`) return undefined;
    if (stepsById) {
      const step = entry.stepId !== undefined ? stepsById.get(entry.stepId) : undefined;
      if (!step) return undefined;
      if (request.workload !== undefined && step.workloadId !== request.workload) return undefined;
      if (request.wave !== undefined && step.waveId !== request.wave) return undefined;
      if (request.phase !== undefined && step.phase !== request.phase) return undefined;
    }
    return entry;
  });
}

/** A page of the audit trail, newest first, filtered on the decision's target (a step, an approval, a workload's steps). */
export function auditPage(status: MigrationStatus, request: RunPageRequest) {
  const total = status.auditTotal ?? status.audit.length;
  return pageNewestFirst(status.audit, total, request, (entry) => {
    if (request.workload !== undefined && !(entry.target ?? '').split('.').includes(request.workload)) return undefined;
    if (request.wave !== undefined && !(entry.target ?? '').split('.').includes(request.wave)) return undefined;
    return entry;
  });
}

/** The page of one collection. */
export function runPage(status: MigrationStatus, collection: RunCollection, request: RunPageRequest): PositionedPage<unknown> {
  switch (collection) {
    case 'steps':
      return stepsPage(status, request);
    case 'workloads':
      return workloadsPage(status, request);
    case 'waves':
      return wavesPage(status, request);
    case 'timeline':
      return timelinePage(status, request);
    case 'audit':
      return auditPage(status, request);
  }
}

/** Answer of a page route: the items and the cursor of the next page (null on the last one). */
export function pageResponseSchema<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable().meta({ description: 'Opaque; pass it as `cursor` for the next page' }) });
}

/** The item schema of each collection, for the API's validation and its document. */
export const RUN_COLLECTION_ITEMS = {
  steps: StepViewSchema,
  workloads: WorkloadViewSchema,
  waves: WaveOverviewSchema,
  timeline: TimelineEntrySchema,
  audit: AuditEntrySchema,
} as const satisfies Record<RunCollection, z.ZodType>;

/** A page of one collection, as the API answers it. */
export interface RunPage<Item> {
  items: Item[];
  nextCursor: string | null;
}

/**
 * Data of a `change` event of `GET /v1/migrations/{id}/events`: what changed in the overview
 * since the stream's previous event. `changed` holds each top-level field whose value changed
 * (the timeline aside); `timeline` the entries written since, oldest first.
 */
export const MigrationOverviewChangeSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    updatedAt: IsoTimestampSchema,
    percentComplete: z.number().min(0).max(100),
    changed: builtSchema(MigrationOverviewSchema).omit({ timeline: true }).partial(),
    removed: z.array(z.string()).meta({ description: 'Optional fields that no longer have a value' }),
    timeline: z.array(TimelineEntrySchema),
    timelineGap: z.boolean().meta({ description: 'More entries were written than the overview keeps: page /timeline for the ones in between' }),
  }),
);
/** Data of a `change` event. */
export type MigrationOverviewChange = z.infer<typeof MigrationOverviewChangeSchema>;

/** What changed from `previous` to `next`, or undefined when nothing did. */
export function overviewChange(previous: MigrationOverview, next: MigrationOverview): MigrationOverviewChange | undefined {
  const changed: Record<string, unknown> = {};
  const removed: string[] = [];
  for (const key of Object.keys(builtSchema(MigrationOverviewSchema).shape) as (keyof MigrationOverview)[]) {
    if (key === 'timeline' || JSON.stringify(previous[key]) === JSON.stringify(next[key])) continue;
    if (next[key] === undefined) removed.push(key);
    else changed[key] = next[key];
  }
  const written = next.timelineTotal - previous.timelineTotal;
  const timeline = written > 0 ? next.timeline.slice(-written) : [];
  if (Object.keys(changed).length === 0 && removed.length === 0 && timeline.length === 0) return undefined;
  return {
    id: next.workflowId,
    updatedAt: next.updatedAt,
    percentComplete: next.percentComplete,
    changed,
    removed,
    timeline,
    timelineGap: written > timeline.length,
  };
}

/** The overview after a change: what the dashboard and the command line hold while they follow a run. */
export function applyOverviewChange(overview: MigrationOverview, change: MigrationOverviewChange): MigrationOverview {
  const next: Record<string, unknown> = { ...overview, ...change.changed };
  for (const key of change.removed) delete next[key];
  const timeline = [...overview.timeline, ...change.timeline].slice(-OVERVIEW_LATEST_ENTRIES);
  return { ...(next as MigrationOverview), timeline };
}
