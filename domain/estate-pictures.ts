/**
 * The two pictures of a run, as data whose size does not depend on its estate: the dependency
 * graph of the workloads grouped by cutover wave or by zone (groups with counts and the
 * dependencies between groups; one group expanded to its workloads on request), and the
 * schedule of the cutover waves against their cutover windows. The workflow's queries compute
 * them from its status (workflows/migration/reads.ts), the homologation file from the full
 * status; the dashboard (SVG) and the homologation file (PDF) draw them with the same colours
 * ({@link PICTURE_COLOURS}) and axis ({@link scheduleAxisTicks}). Pure.
 */
import { z } from 'zod';
import { gateZones, HOSTING_LEVELS, type HostingLevel } from './classification';
import { windowIntervals, windowRuleForWave, CUTOVER_WINDOW_STATES } from './cutover-windows';
import { tryParseIsoDuration } from './duration';
import { STEP_STATES } from './run';
import { IsoTimestampSchema, type MigrationStatus } from './run-status';
import { addDays, civilDateAt, zonedInstant } from './time-zones';

/** How the graph groups workloads. */
export const GRAPH_GROUPINGS = ['wave', 'zone'] as const;
/** One of {@link GRAPH_GROUPINGS}. */
export type GraphGrouping = (typeof GRAPH_GROUPINGS)[number];

/**
 * Kinds of group: one cutover wave, a run of consecutive waves (when a run has more waves than
 * {@link MAX_WAVE_GROUPS}), a zone, the workloads that stay on site (`NOT_ELIGIBLE`, apart),
 * migrating workloads not in a wave yet, and workloads not classified yet.
 */
export const GRAPH_GROUP_KINDS = ['wave', 'waves', 'zone', 'not-eligible', 'unplanned', 'unclassified'] as const;
/** One of {@link GRAPH_GROUP_KINDS}. */
export type GraphGroupKind = (typeof GRAPH_GROUP_KINDS)[number];

/** Most wave groups a graph draws; more waves are grouped into runs of consecutive waves. */
export const MAX_WAVE_GROUPS = 36;
/** Most workloads an expanded group lists; the rest are counted. */
export const MAX_EXPANDED_WORKLOADS = 200;
/** Most dependencies between an expanded group's listed workloads. */
export const MAX_EXPANDED_EDGES = 1_000;

/** Group ids that are not waves or zones. */
export const NOT_ELIGIBLE_GROUP = 'not-eligible';
export const UNPLANNED_GROUP = 'unplanned';
export const UNCLASSIFIED_GROUP = 'unclassified';

const count = z.lazy(() => z.number().int().min(0));

/** One group of workloads, counted. */
export const GraphGroupSchema = z.lazy(() =>
  z.object({
    id: z.string().meta({ description: 'wave-3, waves-1-4, a zone id (secnumcloud-hds, m365-tenant), not-eligible, unplanned or unclassified' }),
    kind: z.enum(GRAPH_GROUP_KINDS),
    firstWave: z.number().int().optional().meta({ description: 'Index of the group’s first wave (wave and waves groups)' }),
    lastWave: z.number().int().optional().meta({ description: 'Index of the group’s last wave (wave and waves groups)' }),
    state: z.enum(STEP_STATES).optional().meta({ description: 'The wave’s state (wave groups)' }),
    level: z.enum(HOSTING_LEVELS).optional().meta({ description: 'The zone’s level (zone groups)' }),
    hds: z.boolean().optional().meta({ description: 'Whether the zone is HDS (zone groups)' }),
    workloads: count,
    byLevel: z.record(z.enum(HOSTING_LEVELS), count),
    hdsWorkloads: count,
    hybridWorkloads: count.meta({ description: 'Migrating workloads that depend directly on one that stays on site (HYBRID_DEPENDENCY)' }),
    internalDependencies: count,
  }),
);
/** One group of workloads, counted. */
export type GraphGroup = z.infer<typeof GraphGroupSchema>;

/** Dependencies from the workloads of one group to those of another. */
export const GraphEdgeSchema = z.lazy(() =>
  z.object({
    from: z.string().meta({ description: 'The group whose workloads depend' }),
    to: z.string().meta({ description: 'The group they depend on' }),
    dependencies: count,
    hybrid: z.boolean().meta({ description: 'Migrating workloads depending on workloads that stay on site' }),
  }),
);
/** Dependencies from one group to another. */
export type GraphEdge = z.infer<typeof GraphEdgeSchema>;

/** One workload of an expanded group. */
export const GraphWorkloadSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    level: z.enum(HOSTING_LEVELS).nullable(),
    hds: z.boolean().nullable(),
    hybrid: z.boolean().meta({ description: 'Depends directly on a workload that stays on site' }),
  }),
);
/** One workload of an expanded group. */
export type GraphWorkload = z.infer<typeof GraphWorkloadSchema>;

/** Answer of `GET /v1/migrations/{id}/graph`. */
export const EstateGraphSchema = z.lazy(() =>
  z.object({
    groupBy: z.enum(GRAPH_GROUPINGS),
    workloads: count.meta({ description: 'Every workload of the plan' }),
    groups: z.array(GraphGroupSchema).meta({ description: `At most ${MAX_WAVE_GROUPS} wave groups, or the zones, and the groups apart` }),
    edges: z.array(GraphEdgeSchema),
    expanded: z
      .object({
        groupId: z.string(),
        total: count,
        workloads: z.array(GraphWorkloadSchema).meta({ description: `At most ${MAX_EXPANDED_WORKLOADS}, in plan order` }),
        edges: z.array(z.object({ from: z.string(), to: z.string() })).meta({ description: `Dependencies between the listed workloads, at most ${MAX_EXPANDED_EDGES}` }),
      })
      .optional()
      .meta({ description: 'The group asked for with `expand`, workload by workload' }),
  }),
);
/** The grouped dependency graph of a run. */
export type EstateGraph = z.infer<typeof EstateGraphSchema>;

/** What a graph read asks: the grouping, and a group to expand. */
export interface EstateGraphRequest {
  groupBy: GraphGrouping;
  expand?: string;
}

function emptyByLevel(): Record<HostingLevel, number> {
  return Object.fromEntries(HOSTING_LEVELS.map((level) => [level, 0])) as Record<HostingLevel, number>;
}

/** The groups a run's waves make: one per wave, or runs of consecutive waves beyond {@link MAX_WAVE_GROUPS}. */
function waveGroupIds(status: MigrationStatus): { groupOfWave: Map<string, GraphGroup>; groups: GraphGroup[] } {
  const waves = [...status.waves].sort((left, right) => left.index - right.index);
  const size = Math.max(1, Math.ceil(waves.length / MAX_WAVE_GROUPS));
  const groupOfWave = new Map<string, GraphGroup>();
  const groups: GraphGroup[] = [];
  for (let start = 0; start < waves.length; start += size) {
    const run = waves.slice(start, start + size);
    const first = run[0]!;
    const last = run.at(-1)!;
    const single = run.length === 1;
    const group = blankGroup(single ? first.id : `waves-${first.index}-${last.index}`, single ? 'wave' : 'waves');
    group.firstWave = first.index;
    group.lastWave = last.index;
    if (single) group.state = first.state;
    groups.push(group);
    for (const wave of run) groupOfWave.set(wave.id, group);
  }
  return { groupOfWave, groups };
}

function blankGroup(id: string, kind: GraphGroupKind): GraphGroup {
  return { id, kind, workloads: 0, byLevel: emptyByLevel(), hdsWorkloads: 0, hybridWorkloads: 0, internalDependencies: 0 };
}

/**
 * The run's dependency graph, grouped by wave or zone: every workload counted in one group
 * (those that stay on site apart), the dependencies between groups counted, the hybrid ones
 * (back on site) marked; with `expand`, that group's workloads and the dependencies among them.
 * Linear in workloads and dependencies.
 */
export function estateGraph(status: MigrationStatus, request: EstateGraphRequest): EstateGraph {
  const report = status.report;
  const classified = new Map((report?.workloads ?? []).map((workload) => [workload.id, workload]));
  const hybrid = new Set((report?.warnings ?? []).filter((warning) => warning.code === 'HYBRID_DEPENDENCY').map((warning) => warning.workloadId));
  const groupOf = new Map<string, GraphGroup>();
  const groups: GraphGroup[] = [];
  const apart = new Map<string, GraphGroup>();
  const groupApart = (id: string, kind: GraphGroupKind) => {
    let group = apart.get(id);
    if (!group) apart.set(id, (group = blankGroup(id, kind)));
    return group;
  };

  if (request.groupBy === 'wave') {
    const waves = waveGroupIds(status);
    groups.push(...waves.groups);
    for (const wave of status.waves) for (const workloadId of wave.workloadIds) groupOf.set(workloadId, waves.groupOfWave.get(wave.id)!);
  } else if (report) {
    for (const zone of gateZones(report)) {
      const group = blankGroup(zone.zoneId, 'zone');
      group.level = zone.level;
      group.hds = zone.hds;
      groups.push(group);
      for (const workloadId of zone.workloadIds) groupOf.set(workloadId, group);
    }
  }
  for (const workload of status.plan.workloads) {
    if (groupOf.has(workload.id)) continue;
    const classification = classified.get(workload.id);
    const group = !classification ? groupApart(UNCLASSIFIED_GROUP, 'unclassified') : classification.migrates ? groupApart(UNPLANNED_GROUP, 'unplanned') : groupApart(NOT_ELIGIBLE_GROUP, 'not-eligible');
    groupOf.set(workload.id, group);
  }
  for (const kind of ['unplanned', 'unclassified', 'not-eligible'] as const) {
    const group = [...apart.values()].find((candidate) => candidate.kind === kind);
    if (group) groups.push(group);
  }

  const edges = new Map<string, GraphEdge>();
  for (const workload of status.plan.workloads) {
    const group = groupOf.get(workload.id)!;
    const classification = classified.get(workload.id);
    group.workloads += 1;
    if (classification) {
      group.byLevel[classification.level] += 1;
      if (classification.hds && classification.migrates) group.hdsWorkloads += 1;
    }
    if (hybrid.has(workload.id)) group.hybridWorkloads += 1;
    for (const dependencyId of new Set(workload.dependsOn)) {
      const target = groupOf.get(dependencyId);
      if (!target || dependencyId === workload.id) continue;
      if (target === group) {
        group.internalDependencies += 1;
        continue;
      }
      const key = `${group.id}\u0000${target.id}`;
      let edge = edges.get(key);
      if (!edge) edges.set(key, (edge = { from: group.id, to: target.id, dependencies: 0, hybrid: false }));
      edge.dependencies += 1;
      if (target.kind === 'not-eligible' && classification?.migrates === true) edge.hybrid = true;
    }
  }

  const graph: EstateGraph = { groupBy: request.groupBy, workloads: status.plan.workloads.length, groups, edges: [...edges.values()] };
  const expandedGroup = request.expand === undefined ? undefined : groups.find((group) => group.id === request.expand);
  if (!expandedGroup) return graph;
  const members = status.plan.workloads.filter((workload) => groupOf.get(workload.id) === expandedGroup);
  const listed = members.slice(0, MAX_EXPANDED_WORKLOADS);
  const listedIds = new Set(listed.map((workload) => workload.id));
  const memberEdges: { from: string; to: string }[] = [];
  for (const workload of listed) {
    for (const dependencyId of new Set(workload.dependsOn)) {
      if (memberEdges.length === MAX_EXPANDED_EDGES) break;
      if (dependencyId !== workload.id && listedIds.has(dependencyId)) memberEdges.push({ from: workload.id, to: dependencyId });
    }
  }
  graph.expanded = {
    groupId: expandedGroup.id,
    total: members.length,
    workloads: listed.map((workload) => {
      const classification = classified.get(workload.id);
      return { id: workload.id, name: workload.name, level: classification?.level ?? null, hds: classification?.hds ?? null, hybrid: hybrid.has(workload.id) };
    }),
    edges: memberEdges,
  };
  return graph;
}

/** Most waves a schedule shows: from a little before the first wave not yet cut over. */
export const MAX_SCHEDULE_WAVES = 40;
/** Waves already cut over a schedule keeps before the first one that is not. */
const SCHEDULE_WAVES_BEFORE = 5;
/** Most window bands a schedule holds. */
export const MAX_SCHEDULE_BANDS = 400;
/** The schedule's time axis spans at most this long around now. */
export const SCHEDULE_MAX_SPAN_MS = 62 * 86_400_000;
const DAY_MS = 86_400_000;

/** A span of time, from `start` to `end` (absent while it goes on). */
const SpanSchema = z.lazy(() => z.object({ start: IsoTimestampSchema, end: IsoTimestampSchema.optional() }));

/** One wave on the schedule. */
export const ScheduleWaveSchema = z.lazy(() =>
  z.object({
    id: z.string(),
    index: z.number().int(),
    state: z.enum(STEP_STATES),
    workloads: count,
    windowState: z.enum(CUTOVER_WINDOW_STATES).optional(),
    planned: SpanSchema.optional().meta({ description: 'The freeze → switch sequence as planned: from its window’s opening, for its expected duration' }),
    actual: SpanSchema.optional().meta({ description: 'The freeze → switch sequence as it ran: first freeze started to last switch ended' }),
  }),
);
/** One wave on the schedule. */
export type ScheduleWave = z.infer<typeof ScheduleWaveSchema>;

/** A cutover window on the schedule: every wave’s (no `waveId`) or one wave’s. */
export const ScheduleBandSchema = z.lazy(() =>
  z.object({
    opensAt: IsoTimestampSchema,
    closesAt: IsoTimestampSchema,
    waveId: z.string().optional(),
    exceptional: z.boolean(),
  }),
);
/** A cutover window on the schedule. */
export type ScheduleBand = z.infer<typeof ScheduleBandSchema>;

/** Answer of `GET /v1/migrations/{id}/schedule`: the waves against their cutover windows. */
export const CutoverScheduleSchema = z.lazy(() =>
  z.object({
    timeZone: z.string().optional().meta({ description: 'The customer’s time zone (the plan’s cutover window’s), in which to read the axis' }),
    from: IsoTimestampSchema,
    to: IsoTimestampSchema,
    now: IsoTimestampSchema,
    hasWindows: z.boolean().meta({ description: 'Whether the plan restricts cutovers to windows' }),
    bands: z.array(ScheduleBandSchema).meta({ description: `The windows between from and to, at most ${MAX_SCHEDULE_BANDS}` }),
    waves: z.array(ScheduleWaveSchema).meta({ description: `At most ${MAX_SCHEDULE_WAVES} waves` }),
    totalWaves: count,
  }),
);
/** The schedule of a run's waves against its cutover windows. */
export type CutoverSchedule = z.infer<typeof CutoverScheduleSchema>;

/** The freeze → switch spans of each wave, from its steps, in one pass. */
function actualSpans(status: MigrationStatus): Map<string, { start?: number; end?: number; open: boolean }> {
  const spans = new Map<string, { start?: number; end?: number; open: boolean }>();
  for (const step of status.steps) {
    if (step.waveId === undefined) continue;
    const isFreeze = step.id.endsWith('.freeze');
    const isSwitch = step.id.endsWith('.switch');
    if (!isFreeze && !isSwitch) continue;
    let span = spans.get(step.waveId);
    if (!span) spans.set(step.waveId, (span = { open: false }));
    if (isFreeze && step.startedAt !== undefined) span.start = Math.min(span.start ?? Infinity, Date.parse(step.startedAt));
    if (isSwitch) {
      if (step.endedAt !== undefined && step.state === 'SUCCEEDED') span.end = Math.max(span.end ?? -Infinity, Date.parse(step.endedAt));
      else span.open = true;
    }
  }
  return spans;
}

/**
 * The schedule of the run's waves at `nowMs`: each wave's planned freeze → switch span (its
 * window's opening plus the expected switchover) and the span it actually took, and the cutover
 * windows as bands on an axis that holds them, at most {@link SCHEDULE_MAX_SPAN_MS} long.
 */
export function cutoverSchedule(status: MigrationStatus, nowMs: number): CutoverSchedule {
  const sorted = [...status.waves].sort((left, right) => left.index - right.index);
  const firstOpen = sorted.findIndex((wave) => wave.state !== 'SUCCEEDED');
  const startAt = firstOpen === -1 ? Math.max(0, sorted.length - MAX_SCHEDULE_WAVES) : Math.max(0, firstOpen - SCHEDULE_WAVES_BEFORE);
  const shown = sorted.slice(startAt, startAt + MAX_SCHEDULE_WAVES);
  const spans = actualSpans(status);
  const iso = (ms: number) => new Date(ms).toISOString();

  const waves: ScheduleWave[] = shown.map((wave) => {
    const span = spans.get(wave.id);
    const opensAt = wave.window?.opensAt === undefined ? undefined : Date.parse(wave.window.opensAt);
    const duration = wave.window ? tryParseIsoDuration(wave.window.switchoverDuration) : undefined;
    const plannedStart = opensAt;
    return {
      id: wave.id,
      index: wave.index,
      state: wave.state,
      workloads: wave.workloadIds.length,
      ...(wave.window ? { windowState: wave.window.state } : {}),
      ...(plannedStart !== undefined ? { planned: { start: iso(plannedStart), ...(duration !== undefined ? { end: iso(plannedStart + duration) } : {}) } } : {}),
      ...(span?.start !== undefined ? { actual: { start: iso(span.start), ...(span.end !== undefined && !span.open ? { end: iso(span.end) } : {}) } } : {}),
    };
  });

  const instants = [nowMs - DAY_MS, nowMs + 2 * DAY_MS];
  for (const wave of waves) {
    for (const span of [wave.planned, wave.actual]) {
      if (!span) continue;
      instants.push(Date.parse(span.start));
      if (span.end !== undefined) instants.push(Date.parse(span.end));
    }
  }
  const from = Math.max(Math.min(...instants) - 6 * 3_600_000, nowMs - SCHEDULE_MAX_SPAN_MS / 2);
  const to = Math.min(Math.max(...instants) + 12 * 3_600_000, nowMs + SCHEDULE_MAX_SPAN_MS / 2);

  const window = status.plan.cutoverWindow;
  const bands: ScheduleBand[] = [];
  const clip = (opensAt: number, closesAt: number, exceptional: boolean, waveId?: string) => {
    const start = Math.max(opensAt, from);
    const end = Math.min(closesAt, to);
    if (end > start && bands.length < MAX_SCHEDULE_BANDS) bands.push({ opensAt: iso(start), closesAt: iso(end), ...(waveId !== undefined ? { waveId } : {}), exceptional });
  };
  const hasWindows = window !== undefined && (window.weekly !== undefined || window.start !== undefined || window.end !== undefined || window.waves !== undefined);
  if (window && (window.weekly !== undefined || window.start !== undefined || window.end !== undefined)) {
    const { timeZone, weekly, start, end } = window;
    for (const interval of windowIntervals({ timeZone, weekly, start, end }, from, to)) clip(interval.opensAt, interval.closesAt, false);
  }
  for (const wave of waves) {
    if (!window?.waves?.[wave.id]) continue;
    for (const interval of windowIntervals(windowRuleForWave(window, wave.id)!, from, to)) clip(interval.opensAt, interval.closesAt, false, wave.id);
  }
  for (const opened of status.exceptionalWindows ?? []) clip(Date.parse(opened.opensAt), Date.parse(opened.closesAt), true, opened.waveId);

  return {
    ...(window?.timeZone !== undefined ? { timeZone: window.timeZone } : {}),
    from: iso(from),
    to: iso(to),
    now: iso(nowMs),
    hasWindows: hasWindows || (status.exceptionalWindows ?? []).length > 0,
    bands,
    waves,
    totalWaves: status.waves.length,
  };
}

/** Colours of the pictures, the same in the dashboard's SVG and the homologation file's PDF. */
export const PICTURE_COLOURS = {
  levels: { STANDARD: '#6a9fd4', SECNUMCLOUD: '#1b3a6b', SECNUMCLOUD_DEDICATED: '#6b2c8f', NOT_ELIGIBLE: '#8a8a8a' } satisfies Record<HostingLevel, string>,
  hybrid: '#c0392b',
  hds: '#1e8449',
  dependency: '#555555',
  window: '#d5f5e3',
  exceptionalWindow: '#f5cba7',
  span: '#1b3a6b',
} as const;

const HOUR_MS = 3_600_000;

/**
 * Instants of a schedule axis's ticks from `fromMs` to `toMs`: every six hours on an axis of at
 * most three days, else local midnights in `timeZone` (every day, or every few days so that
 * there are at most 14).
 */
export function scheduleAxisTicks(fromMs: number, toMs: number, timeZone: string): number[] {
  const span = toMs - fromMs;
  const ticks: number[] = [];
  if (span <= 3 * DAY_MS) {
    for (let at = Math.ceil(fromMs / (6 * HOUR_MS)) * 6 * HOUR_MS; at <= toMs; at += 6 * HOUR_MS) ticks.push(at);
    return ticks;
  }
  const step = Math.max(1, Math.ceil(span / DAY_MS / 14));
  for (let date = civilDateAt(timeZone, fromMs), guard = 0; guard < 80; date = addDays(date, step), guard += 1) {
    const at = zonedInstant(timeZone, date, 0);
    if (at > toMs) break;
    if (at >= fromMs) ticks.push(at);
  }
  return ticks;
}
