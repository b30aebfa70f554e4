/**
 * Cutover windows (a hospital's nights, a ministry's weekend): which instants a wave may start
 * its freeze → switch sequence in, how long that sequence is expected to last, and the next
 * window long enough for it.
 *
 * Pure, but it reads the time-zone database (domain/time-zones.ts): the workflow gets
 * {@link nextCutoverWindow}'s answer from a local activity, recorded in its history.
 */
import { z } from 'zod';
import { transferSeconds } from './assessment';
import type { ClassificationReport } from './classification';
import { formatDuration, tryParseIsoDuration } from './duration';
import { type CutoverWindow, type CutoverWindowRule, type Plan, type ValidationIssue, WEEKDAYS } from './plan';
import { addDays, civilDateAt, isoWeekday, zonedInstant } from './time-zones';
import { planWaves } from './waves';

/** Freeze, validation, traffic switch and smoke test of a wave, besides its final sync (model). */
export const SWITCHOVER_FIXED_MS = 30 * 60_000;
/** Share of a workload's data that changed since replication and moves in the final sync (model). */
export const FINAL_SYNC_SHARE = 0.02;

/** Most exceptional windows a run keeps (the newest). */
export const MAX_EXCEPTIONAL_WINDOWS = 20;
/** Longest exceptional window ops may open. */
export const MAX_EXCEPTIONAL_WINDOW_MS = 7 * 86_400_000;

/** Where a wave stands with its cutover window. */
export const CUTOVER_WINDOW_STATES = ['WAITING_FOR_WINDOW', 'IN_WINDOW', 'NO_WINDOW_LEFT'] as const;
/** One of {@link CUTOVER_WINDOW_STATES}. */
export type CutoverWindowState = (typeof CUTOVER_WINDOW_STATES)[number];

const IsoTimestampSchema = z.lazy(() => z.string().meta({ description: 'ISO 8601 date-time (UTC)', format: 'date-time' }));

/** A window, as absolute instants: from `opensAt` (inclusive) to `closesAt` (exclusive). */
export interface WindowInterval {
  opensAt: number;
  closesAt: number;
}

/** A window that ops opened outside the plan's: for one wave, or for every wave when `waveId` is absent. */
export const ExceptionalWindowSchema = z.lazy(() =>
  z.object({
    waveId: z.string().optional(),
    opensAt: IsoTimestampSchema,
    closesAt: IsoTimestampSchema,
    by: z.string().meta({ description: 'Subject of the verified token that opened it' }),
    reason: z.string(),
  }),
);
/** A window that ops opened outside the plan's. */
export type ExceptionalWindow = z.infer<typeof ExceptionalWindowSchema>;

/** A wave's window, as its status shows it. */
export const WaveWindowViewSchema = z.lazy(() =>
  z.object({
    state: z.enum(CUTOVER_WINDOW_STATES),
    /** The window the wave waits for or is in; absent when none is left. */
    opensAt: IsoTimestampSchema.optional(),
    closesAt: IsoTimestampSchema.optional(),
    exceptional: z.boolean().optional().meta({ description: 'The window is one that ops opened' }),
    timeZone: z.string().optional(),
    switchoverDuration: z.string().meta({ description: 'The freeze → switch sequence’s expected duration (ISO 8601), which the window must hold' }),
  }),
);
/** A wave's window, as its status shows it. */
export type WaveWindowView = z.infer<typeof WaveWindowViewSchema>;

/** The next window found, as the local activity answers it. */
export interface NextWindow {
  opensAt: string;
  closesAt: string;
  exceptional: boolean;
}

/** The rule that governs a wave: its own (with the plan's time zone unless it names one), else the plan's. */
export function windowRuleForWave(window: CutoverWindow | undefined, waveId: string): CutoverWindowRule | undefined {
  if (!window) return undefined;
  const own = window.waves?.[waveId];
  if (own) return { ...own, timeZone: own.timeZone ?? window.timeZone };
  const { timeZone, weekly, start, end } = window;
  return { timeZone, weekly, start, end };
}

/**
 * The expected duration of a wave's freeze → switch sequence: the plan's `switchoverDuration`
 * when it gives one; otherwise {@link SWITCHOVER_FIXED_MS} plus the longest final sync, which
 * moves {@link FINAL_SYNC_SHARE} of a workload's data at the plan's bandwidth (workloads of a
 * wave switch in parallel).
 */
export function switchoverEstimateMs(workloads: ReadonlyArray<{ sizeGb: number }>, bandwidthMbps: number, switchoverDuration?: string): number {
  const given = switchoverDuration === undefined ? undefined : tryParseIsoDuration(switchoverDuration);
  if (given !== undefined && given > 0) return given;
  const longestSync = workloads.reduce((longest, workload) => Math.max(longest, transferSeconds(workload.sizeGb * FINAL_SYNC_SHARE, bandwidthMbps)), 0);
  return SWITCHOVER_FIXED_MS + Math.ceil(longestSync) * 1000;
}

function minuteOfDay(localTime: string): number {
  const [hours, minutes] = localTime.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/**
 * The rule's windows that overlap [fromMs, toMs), merged where they touch (Monday 22:00–24:00
 * and Tuesday 00:00–06:00 are one night), clipped to the rule's bounds, in order.
 */
export function windowIntervals(rule: CutoverWindowRule, fromMs: number, toMs: number): WindowInterval[] {
  const notBefore = rule.start === undefined ? -Infinity : Date.parse(rule.start);
  const notAfter = rule.end === undefined ? Infinity : Date.parse(rule.end);
  const intervals: WindowInterval[] = [];
  if (!rule.weekly) {
    if (notAfter > fromMs && notBefore < toMs) intervals.push({ opensAt: notBefore, closesAt: notAfter });
    return intervals;
  }
  const timeZone = rule.timeZone ?? 'UTC';
  const lo = Math.max(fromMs, notBefore);
  const hi = Math.min(toMs, notAfter);
  if (lo >= hi) return [];
  // A slot may start the day before `lo` (a night) and the zone's date may differ from UTC's.
  const first = addDays(civilDateAt(timeZone, lo), -1);
  const days = Math.ceil((hi - lo) / 86_400_000) + 2;
  for (let offset = 0; offset <= days; offset += 1) {
    const date = addDays(first, offset);
    const weekday = WEEKDAYS[isoWeekday(date)]!;
    for (const slot of rule.weekly) {
      if (!slot.days.includes(weekday)) continue;
      const startMinute = minuteOfDay(slot.start);
      const endMinute = minuteOfDay(slot.end);
      const opensAt = zonedInstant(timeZone, date, startMinute);
      const closesAt = zonedInstant(timeZone, endMinute <= startMinute ? addDays(date, 1) : date, endMinute);
      const clipped = { opensAt: Math.max(opensAt, notBefore), closesAt: Math.min(closesAt, notAfter) };
      if (clipped.closesAt > clipped.opensAt && clipped.closesAt > fromMs && clipped.opensAt < toMs) intervals.push(clipped);
    }
  }
  return mergeIntervals(intervals);
}

function mergeIntervals<T extends WindowInterval>(intervals: T[]): T[] {
  const sorted = [...intervals].sort((left, right) => left.opensAt - right.opensAt || left.closesAt - right.closesAt);
  const merged: T[] = [];
  for (const interval of sorted) {
    const last = merged.at(-1);
    if (last && interval.opensAt <= last.closesAt) last.closesAt = Math.max(last.closesAt, interval.closesAt);
    else merged.push({ ...interval });
  }
  return merged;
}

/** How far ahead the next window is sought: two weeks hold every weekly slot twice, DST nights included. */
const SEARCH_HORIZON_MS = 15 * 86_400_000;

/**
 * The first window, from `now` on, that still holds `durationMs` after `now`: the plan's or
 * wave's rule merged with the exceptional windows ops opened. `opensAt` at or before `now`
 * means the wave may start at once. Undefined when no window is left (the rule's `end` has
 * passed, or none of its slots is long enough), which only an exceptional window mends.
 */
export function nextCutoverWindow(input: {
  rule: CutoverWindowRule | undefined;
  nowMs: number;
  durationMs: number;
  exceptional?: ReadonlyArray<{ opensAt: string; closesAt: string }>;
}): NextWindow | undefined {
  const { rule, nowMs, durationMs } = input;
  const searchEnd = Math.max(nowMs + SEARCH_HORIZON_MS, rule?.start === undefined ? 0 : Date.parse(rule.start) + SEARCH_HORIZON_MS);
  const regular = rule ? windowIntervals(rule, nowMs, searchEnd).map((interval) => ({ ...interval, exceptional: false })) : [];
  const opened = (input.exceptional ?? []).map((window) => ({ opensAt: Date.parse(window.opensAt), closesAt: Date.parse(window.closesAt), exceptional: true }));
  for (const window of mergeWithProvenance(regular, opened)) {
    if (window.closesAt - Math.max(window.opensAt, nowMs) >= durationMs) {
      return { opensAt: new Date(window.opensAt).toISOString(), closesAt: new Date(window.closesAt).toISOString(), exceptional: window.exceptional };
    }
  }
  return undefined;
}

/** Merges regular and exceptional windows; a merged window is exceptional when ops' window made it. */
function mergeWithProvenance(regular: Array<WindowInterval & { exceptional: boolean }>, opened: Array<WindowInterval & { exceptional: boolean }>) {
  const merged = mergeIntervals([...regular, ...opened].filter((window) => window.closesAt > window.opensAt));
  return merged.map((window) => ({
    ...window,
    exceptional: opened.some((candidate) => candidate.opensAt < window.closesAt && candidate.closesAt > window.opensAt),
  }));
}

/** The longest window the rule can ever give, over two weeks from `fromMs` (infinite for an unbounded absolute window). */
function longestWindowMs(rule: CutoverWindowRule, fromMs: number): number {
  if (!rule.weekly) return Date.parse(rule.end ?? '') - Date.parse(rule.start ?? '');
  const from = rule.start === undefined ? fromMs : Date.parse(rule.start);
  return windowIntervals(rule, from, from + SEARCH_HORIZON_MS).reduce((longest, window) => Math.max(longest, window.closesAt - window.opensAt), 0);
}

/**
 * Checks a valid plan's cutover windows against its waves: a wave named in `waves` must be one
 * of the plan's, and every wave's window must be able to hold its switchover estimate. Each
 * issue names the field and the durations.
 */
export function checkCutoverWindows(plan: Plan, report: ClassificationReport, nowMs: number): ValidationIssue[] {
  const window = plan.cutoverWindow;
  if (!window) return [];
  const issues: ValidationIssue[] = [];
  const waves = planWaves(plan, report);
  const waveIds = new Set(waves.map((wave) => wave.id));
  for (const waveId of Object.keys(window.waves ?? {})) {
    if (!waveIds.has(waveId)) {
      issues.push({ path: `cutoverWindow.waves[${JSON.stringify(waveId)}]`, message: `names no wave of this plan, which has ${waves.length} (wave-1 to wave-${waves.length})` });
    }
  }
  const sizes = new Map(plan.workloads.map((workload) => [workload.id, workload.sizeGb]));
  for (const wave of waves) {
    const rule = windowRuleForWave(window, wave.id)!;
    const estimate = switchoverEstimateMs(wave.workloadIds.map((id) => ({ sizeGb: sizes.get(id) ?? 0 })), plan.settings.bandwidthMbps, window.switchoverDuration);
    const longest = longestWindowMs(rule, nowMs);
    if (longest < estimate) {
      const path = window.waves?.[wave.id] ? `cutoverWindow.waves[${JSON.stringify(wave.id)}]` : 'cutoverWindow';
      issues.push({
        path,
        message: `is shorter than ${wave.id}'s switchover: its longest window lasts ${formatDuration(Math.max(longest, 0))}, and the freeze → switch sequence of ${wave.id} is expected to take ${formatDuration(estimate)}`,
      });
    }
  }
  return issues;
}
