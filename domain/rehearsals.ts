/**
 * Rehearsals (test migrations): before a wave freezes anything, its replicated workloads are
 * launched in an isolated test network, smoke-tested there, and the customer's approver confirms
 * the rehearsal or reports a problem; the test launches are then torn down. A rehearsal never
 * touches a source or a DNS record: a failed one leaves every source live and the wave waiting
 * for an operator. Which waves rehearse is a plan setting (`settings.rehearsal`).
 */
import { z } from 'zod';
import type { ClassificationReport } from './classification';
import { tryParseIsoDuration } from './duration';
import { DEFAULT_REHEARSAL_DEADLINE, type Plan, type PlanSettings, type ValidationIssue } from './plan';
import { planWaves } from './waves';

/** A rehearsal's steps for each workload of the wave, in order. */
export const REHEARSAL_STEPS = [
  { name: 'rehearse-launch', title: 'Rehearsal: launch a test instance' },
  { name: 'rehearse-smoke-test', title: 'Rehearsal: smoke-test the test instance' },
  { name: 'rehearse-teardown', title: 'Rehearsal: tear the test instance down' },
] as const;
/** The name of one of {@link REHEARSAL_STEPS}. */
export type RehearsalStepName = (typeof REHEARSAL_STEPS)[number]['name'];

/**
 * Where a wave's rehearsal stands: waiting for every workload's replication, launching and
 * smoke-testing, waiting for the customer's decision, tearing down; then `PASSED` (confirmed),
 * `FAILED` (a launch, a smoke test or the customer's report, until an operator retries or skips)
 * or `SKIPPED` (by an operator, with a reason).
 */
export const REHEARSAL_STATES = ['WAITING_FOR_REPLICATION', 'LAUNCHING', 'AWAITING_DECISION', 'TEARING_DOWN', 'FAILED', 'PASSED', 'SKIPPED'] as const;
/** One of {@link REHEARSAL_STATES}. */
export type RehearsalState = (typeof REHEARSAL_STATES)[number];

/** What the customer's approver answers to a rehearsal. */
export const REHEARSAL_DECISIONS = ['CONFIRM', 'REPORT_PROBLEM'] as const;
/** One of {@link REHEARSAL_DECISIONS}. */
export type RehearsalDecision = (typeof REHEARSAL_DECISIONS)[number];

/** The approver role that confirms a rehearsal: the customer's security officer, who answers for the systems that move. */
export const REHEARSAL_APPROVER_ROLE = 'RSSI';

/** The id of a wave's rehearsal approval (`rehearsal.wave-2`), as the audit trail and the API name it. */
export function rehearsalApprovalId(waveId: string): string {
  return `rehearsal.${waveId}`;
}

/** The id under which a wave's failed rehearsal waits for an operator (`cutover.wave-2.rehearsal`): retry or skip it there. */
export function rehearsalAttentionId(waveId: string): string {
  return `cutover.${waveId}.rehearsal`;
}

/** Tells whether a plan's settings make `waveId` rehearse. */
export function waveRehearses(settings: Pick<PlanSettings, 'rehearsal' | 'rehearsalWaves'>, waveId: string): boolean {
  if (settings.rehearsal === 'REQUIRED') return true;
  return settings.rehearsal === 'OPTIONAL' && (settings.rehearsalWaves ?? []).includes(waveId);
}

/** How long the customer's approver has to decide a rehearsal, in milliseconds. */
export function rehearsalDeadlineMs(settings: Pick<PlanSettings, 'rehearsalApprovalDeadline'>): number {
  return tryParseIsoDuration(settings.rehearsalApprovalDeadline ?? DEFAULT_REHEARSAL_DEADLINE) ?? 0;
}

/** The waves `settings.rehearsalWaves` names must be waves of the plan, which the classification decides. */
export function checkRehearsals(plan: Plan, report: ClassificationReport): ValidationIssue[] {
  const listed = plan.settings.rehearsalWaves ?? [];
  if (listed.length === 0) return [];
  const waves = planWaves(plan, report);
  const ids = new Set(waves.map((wave) => wave.id));
  return listed.flatMap((waveId, index) =>
    ids.has(waveId) ? [] : [{ path: `settings.rehearsalWaves[${index}]`, message: `names no wave of this plan, which has ${waves.length} (wave-1 to wave-${waves.length})` }],
  );
}

const IsoTimestampSchema = z.lazy(() => z.string().meta({ description: 'ISO 8601 date-time (UTC)', format: 'date-time' }));
const CheckSchema = z.lazy(() => z.object({ name: z.string(), outcome: z.enum(['PASSED', 'FAILED']) }));

/** One workload's test launch in a rehearsal, with its smoke test once run. */
export const RehearsalLaunchSchema = z.lazy(() =>
  z.object({
    workloadId: z.string(),
    launchId: z.string().optional().meta({ description: "The provider's test launch, while it exists" }),
    network: z.string().optional().meta({ description: 'The isolated test network it runs in' }),
    smokeTest: z.object({ outcome: z.enum(['PASSED', 'FAILED']), checks: z.array(CheckSchema) }).optional(),
    error: z.string().optional().meta({ description: 'Why the launch or its smoke test could not run' }),
    tornDown: z.boolean().optional(),
  }),
);
/** One workload's test launch in a rehearsal. */
export type RehearsalLaunch = z.infer<typeof RehearsalLaunchSchema>;

/** The customer's decision on a rehearsal, from the verified token. */
export const RehearsalDecisionViewSchema = z.lazy(() =>
  z.object({
    decision: z.enum(REHEARSAL_DECISIONS),
    by: z.string().meta({ description: 'Subject of the verified token' }),
    at: IsoTimestampSchema,
    comment: z.string().optional(),
  }),
);

/** A wave's rehearsal, as its status shows it. */
export const RehearsalViewSchema = z.lazy(() =>
  z.object({
    state: z.enum(REHEARSAL_STATES),
    approvalId: z.string().meta({ description: 'rehearsal.<waveId>: POST /v1/migrations/{id}/rehearsals/{waveId} decides it' }),
    role: z.string().meta({ description: 'The approver role that decides it' }),
    attempt: z.number().int().meta({ description: '1 for the first rehearsal, one more for each retry' }),
    deadline: IsoTimestampSchema.optional().meta({ description: 'When the decision is due, while the wave waits for it' }),
    launches: z.array(RehearsalLaunchSchema),
    decision: RehearsalDecisionViewSchema.optional(),
    failure: z.string().optional().meta({ description: 'Why the rehearsal failed, while it waits for an operator' }),
    skippedReason: z.string().optional(),
  }),
);
/** A wave's rehearsal, as its status shows it. */
export type RehearsalView = z.infer<typeof RehearsalViewSchema>;
