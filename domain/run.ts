/**
 * The run's vocabulary (DESIGN.md, "The run"): phases, statuses, step states, approval states
 * and decisions, step ids and workflow ids. Declared once here and imported everywhere, the
 * workflows, the API, the CLI and the browser included.
 */

import type { RehearsalStepName } from './rehearsals';

/** Phases of a run, in order. */
export const PHASES = ['ASSESSMENT', 'CLASSIFICATION', 'AWAITING_APPROVAL', 'AWAITING_QUALIFICATION', 'PROVISIONING', 'CUTOVER', 'DONE'] as const;
/** One of {@link PHASES}. */
export type Phase = (typeof PHASES)[number];

/** Phases before provisioning: a plan may still be amended while the run is in one of them. */
export const AMENDABLE_PHASES = ['ASSESSMENT', 'CLASSIFICATION', 'AWAITING_APPROVAL', 'AWAITING_QUALIFICATION'] as const satisfies readonly Phase[];

/** Tells whether a plan may still be amended in `phase` (provisioning has not begun). */
export function isAmendablePhase(phase: Phase): boolean {
  return (AMENDABLE_PHASES as readonly Phase[]).includes(phase);
}

/** Statuses of a run: WAITING is on people or on the regulator. */
export const RUN_STATUSES = ['RUNNING', 'WAITING', 'NEEDS_ATTENTION', 'PAUSED', 'COMPLETED', 'REJECTED', 'CANCELLED', 'FAILED'] as const;
/** One of {@link RUN_STATUSES}. */
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Statuses after which a run changes no more. */
export const FINAL_STATUSES: readonly RunStatus[] = ['COMPLETED', 'REJECTED', 'CANCELLED', 'FAILED'];

/** Tells whether a run in `status` has ended. */
export function isFinalStatus(status: RunStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** States of a step (and of a wave). */
export const STEP_STATES = ['PENDING', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'COMPENSATED'] as const;
/** One of {@link STEP_STATES}. */
export type StepState = (typeof STEP_STATES)[number];

/** What an approver may answer. */
export const APPROVAL_DECISIONS = ['APPROVE', 'REJECT', 'REQUEST_CHANGES'] as const;
/** One of {@link APPROVAL_DECISIONS}. */
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[number];

/** States of an approval; an amended plan supersedes the pending ones of the earlier round. */
export const APPROVAL_STATES = ['PENDING', 'APPROVED', 'REJECTED', 'CHANGES_REQUESTED', 'SUPERSEDED'] as const;
/** One of {@link APPROVAL_STATES}. */
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/**
 * Why something waits for an operator. `DEROGATION_EXPIRED`: a derogation (R10) expired or was
 * revoked before the qualification, until it is renewed or an operator decides.
 * `NO_CUTOVER_WINDOW`: a wave's cutover window has no slot left long enough for its switchover,
 * until ops open an exceptional window. `REHEARSAL_FAILED`: a wave's rehearsal failed (a test
 * launch, its smoke test, or a problem the customer reported); every source stays live until an
 * operator retries the rehearsal or skips it with a reason.
 */
export const ATTENTION_REASONS = ['STEP_FAILED', 'APPROVAL_OVERDUE', 'DEROGATION_EXPIRED', 'NO_CUTOVER_WINDOW', 'REHEARSAL_FAILED'] as const;
/** One of {@link ATTENTION_REASONS}. */
export type AttentionReason = (typeof ATTENTION_REASONS)[number];

/** Why a cutover wave waits before it starts: an `OPEN` residual risk of its workloads (docs/rules.md, "Residual risks"). */
export const WAVE_HOLD_REASONS = ['OPEN_RISKS'] as const;
/** One of {@link WAVE_HOLD_REASONS}. */
export type WaveHoldReason = (typeof WAVE_HOLD_REASONS)[number];

/** The cutover of one workload, in order. Compensation undoes `switch` then `freeze`. */
export const CUTOVER_STEPS = [
  { name: 'replicate', title: 'Replicate data' },
  { name: 'freeze', title: 'Freeze the source' },
  { name: 'final-sync', title: 'Final sync' },
  { name: 'validate', title: 'Validate' },
  { name: 'switch', title: 'Switch traffic' },
  { name: 'smoke-test', title: 'Smoke test' },
] as const;
/** The name of one of {@link CUTOVER_STEPS}. */
export type CutoverStepName = (typeof CUTOVER_STEPS)[number]['name'];

/** Steps of one workload's cutover. */
export const CUTOVER_STEPS_PER_WORKLOAD = CUTOVER_STEPS.length;

/**
 * Step ids: stable and URL-safe (`provisioning.key-vault.secnumcloud`,
 * `cutover.wave-2.dpi.switch`), the same in the status, the API's routes and the audit trail.
 */
export const stepIds = {
  assessment: 'assessment',
  classification: 'classification',
  qualification: 'qualification',
  tenant: 'provisioning.tenant',
  m365Tenant: 'provisioning.m365-tenant',
  approval: (approvalId: string) => `approval.${approvalId}`,
  landingZone: (zoneId: string) => `provisioning.landing-zone.${zoneId}`,
  keyVault: (zoneId: string) => `provisioning.key-vault.${zoneId}`,
  policies: (zoneId: string) => `provisioning.policies.${zoneId}`,
  logForwarding: (zoneId: string) => `provisioning.log-forwarding.${zoneId}`,
  driftCheck: (zoneId: string) => `provisioning.drift-check.${zoneId}`,
  /** The start of a wave's workflow: a step only when the start failed and waits for an operator. */
  waveStart: (waveId: string) => `cutover.${waveId}.start`,
  cutover: (waveId: string, workloadId: string, step: CutoverStepName) => `cutover.${waveId}.${workloadId}.${step}`,
  /** A workload's step in its wave's rehearsal (domain/rehearsals.ts), before the freeze. */
  rehearsal: (waveId: string, workloadId: string, step: RehearsalStepName) => `cutover.${waveId}.${workloadId}.${step}`,
} as const;

/**
 * What a step does, whatever zone, wave or workload it is for: the unit a fleet operation
 * selects failed steps by (`retry every failed switch`). Runs publish the operations of their
 * failed steps as a search attribute (workflows/search-attributes.ts, `FAILED_OPERATIONS`).
 */
export const STEP_OPERATIONS = [
  'assessment',
  'classification',
  'qualification',
  'tenant',
  'm365-tenant',
  'landing-zone',
  'key-vault',
  'policies',
  'log-forwarding',
  'drift-check',
  'wave-start',
  // The cutover steps of CUTOVER_STEPS, by name.
  'replicate',
  'freeze',
  'final-sync',
  'validate',
  'switch',
  'smoke-test',
  // A wave's rehearsal (domain/rehearsals.ts): each workload's steps, and the rehearsal as a whole.
  'rehearse-launch',
  'rehearse-smoke-test',
  'rehearse-teardown',
  'rehearsal',
] as const;
/** One of {@link STEP_OPERATIONS}. */
export type StepOperation = (typeof STEP_OPERATIONS)[number];
// Compile-time guard: every cutover step is an operation of its own name.
const cutoverStepsAreOperations: CutoverStepName extends StepOperation ? true : false = true;
void cutoverStepsAreOperations;
const rehearsalStepsAreOperations: RehearsalStepName extends StepOperation ? true : false = true;
void rehearsalStepsAreOperations;

/** The operation of a step id of {@link stepIds}, or undefined for an id of no step of a run (an approval, a derogation). */
export function stepOperationOf(stepId: string): StepOperation | undefined {
  const parts = stepId.split('.');
  const candidate = parts[0] === 'provisioning' ? parts[1] : parts[0] === 'cutover' ? (parts.length === 3 ? ({ start: 'wave-start', rehearsal: 'rehearsal' } as Record<string, string>)[parts[2]!] : parts[3]) : parts.length === 1 ? parts[0] : undefined;
  return STEP_OPERATIONS.find((operation) => operation === candidate);
}

/**
 * Workflow ids. A caller names a run (`migration-` and a plan id or an Idempotency-Key, from
 * an alphabet without ".", ":" or "/"); every other id the product derives has a separator
 * that alphabet lacks, so no caller can name it:
 * - a draft: `draft-` and the customer's slug and a random part, a prefix no run has
 *   ({@link draftWorkflowId});
 * - a wave: the run's id, the wave's id and the run's first Temporal run id, which the server
 *   assigns when the run starts ({@link waveWorkflowId});
 * - a clean-up: the run's id and the Temporal run id of the execution that closed
 *   ({@link cleanupWorkflowId}).
 * `test/domain/derived-workflow-ids.test.ts` tries every form against every id a caller can choose.
 */
export function migrationWorkflowId(key: string): string {
  return `migration-${key}`;
}

/**
 * The workflow id of one cutover wave of a run (a child workflow of the run), keyed by the
 * run's first Temporal run id: no one can name it before the run exists. The id is kept in
 * the wave's view (`WaveView.workflowId`).
 */
export function waveWorkflowId(runWorkflowId: string, waveId: string, firstRunId: string): string {
  return `${runWorkflowId}.${waveId}.${firstRunId}`;
}

/** The workflow id of a wave started before waves were keyed by the run's first run id (runs in flight then). */
export function legacyWaveWorkflowId(runWorkflowId: string, waveId: string): string {
  return `${runWorkflowId}.${waveId}`;
}

/** The workflow id of a draft plan: the customer's slug (no personal data) and a random part. */
export function draftWorkflowId(customerId: string, random: string): string {
  return `draft-${customerId.replace(/\./g, '-').slice(0, 40)}-${random}`;
}

/** The workflow id of the clean-up of a run that Temporal closed: one per closed execution. */
export function cleanupWorkflowId(runWorkflowId: string, closedRunId: string): string {
  return `${runWorkflowId}.cleanup.${closedRunId}`;
}
