/**
 * CUTOVER: waves from the dependency graph, each a child workflow (cutover-wave.ts) that moves
 * its workloads and reports its steps. Between waves the run continues as new when its history
 * grows long, carrying its status and what to undo.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { type ChildWorkflowHandle, executeChild, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import { legacyWaveWorkflowId, message, planCutoverWaves as planCutoverWavesOf, planWaves, rehearsalDeadlineMs, stepIds, switchoverEstimateMs, waveRehearses, type WaveView, waveWorkflowId, windowRuleForWave } from '../../domain';
import { cutoverWaveWorkflow, type WaveInput, type WaveResult, type WaveWindowInput, type WaveWorkload } from '../cutover-wave';
import { REHEARSAL_PATCH } from '../cutover-wave/state';
import { waveProgressSignal } from '../messages';
import { nowIso } from '../run-state';
import type { MigrationContext } from './context';
import { continueAsNewWithState, historyIsLong } from './continuation';
import { checkLandingZonesBeforeCutover } from './drift';
import { runStep, waitWhilePaused } from './operator';
import { WAVE_IDS_BY_RUN_PATCH } from './patches';
import { holdWaveWhileRisksOpen, waveMayStart } from './risks';


/**
 * The most workloads one cutover wave workflow moves. A workload costs its wave about 21 history
 * events (six activities and their workflow tasks) plus progress signals, so this keeps every
 * wave's history well under Temporal's 10,240-event warning whatever `maxWaveSize` a plan asks.
 */
export const MAX_WORKLOADS_PER_WAVE = 100;

/** Merges what a running wave reports: its steps, and what of it waits for an operator. */
export function registerCutoverHandlers(context: MigrationContext): void {
  setHandler(waveProgressSignal, (progress) => {
    context.run.mergeSteps(progress.steps);
    context.waveAttention.set(progress.waveId, progress.attention);
    const wave = context.status.waves.find((candidate) => candidate.id === progress.waveId);
    if (wave && progress.window) wave.window = progress.window;
    if (wave && progress.rehearsal) wave.rehearsal = progress.rehearsal;
    context.changed();
  });
}

/** Plans the waves once (a run continued as new keeps its plan), at most {@link MAX_WORKLOADS_PER_WAVE} workloads each. */
function planCutoverWaves(context: MigrationContext): void {
  const { status } = context;
  if (status.waves.length > 0) return;
  const plan = status.plan;
  const maxWaveSize = Math.min(plan.settings.maxWaveSize, MAX_WORKLOADS_PER_WAVE);
  const waves = planWaves({ ...plan, settings: { ...plan.settings, maxWaveSize } }, status.report!);
  status.waves = waves.map((wave) => ({ id: wave.id, index: wave.index, workloadIds: [...wave.workloadIds], state: 'PENDING' }));
  const capped = maxWaveSize < plan.settings.maxWaveSize ? ` (at most ${maxWaveSize} per wave)` : '';
  const workloads = status.waves.reduce((sum, wave) => sum + wave.workloadIds.length, 0);
  const planned = message('WAVES_PLANNED', { waves: status.waves.length, workloads, ...(capped ? { maxWaveSize } : {}) });
  context.run.record('WAVES_PLANNED', `${status.waves.length} wave(s) over ${workloads} workload(s)${capped}`, undefined, planned);
}

/** The workloads of a wave, each with the landing zone or Microsoft 365 tenant that receives it. */
function waveWorkloads(context: MigrationContext, wave: WaveView): WaveWorkload[] {
  const { status } = context;
  const report = status.report!;
  const byId = new Map(status.plan.workloads.map((workload) => [workload.id, workload]));
  const levels = new Map(report.workloads.map((workload) => [workload.id, workload]));
  return wave.workloadIds.map((id) => {
    const workload = byId.get(id)!;
    const classification = levels.get(id)!;
    const zone = report.landingZones.find((candidate) => candidate.level === classification.level && candidate.hds === classification.hds);
    const targetStep = workload.kind === 'm365' ? stepIds.m365Tenant : stepIds.landingZone(zone?.id ?? '');
    return { id, name: workload.name, sizeGb: workload.sizeGb, targetId: status.resources[targetStep] ?? '' };
  });
}

/** The wave's cutover window (its own rule or the plan's), its switchover estimate and ops' exceptional windows. */
function waveWindow(context: MigrationContext, wave: WaveView, workloads: WaveWorkload[]): WaveWindowInput | undefined {
  const { plan } = context.status;
  const rule = windowRuleForWave(plan.cutoverWindow, wave.id);
  if (!rule) return undefined;
  return {
    rule,
    switchoverMs: switchoverEstimateMs(workloads, plan.settings.bandwidthMbps, plan.cutoverWindow?.switchoverDuration),
    exceptional: (context.status.exceptionalWindows ?? [])
      .filter((window) => window.waveId === undefined || window.waveId === wave.id)
      .map(({ opensAt, closesAt }) => ({ opensAt, closesAt })),
  };
}

type WaveHandle = ChildWorkflowHandle<typeof cutoverWaveWorkflow>;

/**
 * Starts a wave's workflow. Its id cannot be named by any caller, so a workflow already there
 * under it is an incident (someone with access to Temporal itself): the start becomes a failed
 * step that waits for an operator, who retries once it is gone, skips the wave with a reason
 * or cancels the run, which compensates what was provisioned. Undefined when skipped.
 */
async function startWave(context: MigrationContext, wave: WaveView, options: { workflowId: string; args: [WaveInput] }): Promise<WaveHandle | undefined> {
  const { run } = context;
  const stepId = stepIds.waveStart(wave.id);
  if (!run.findStep(stepId)) {
    try {
      return await startChild(cutoverWaveWorkflow, options);
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      const message = `The workflow id ${options.workflowId} of ${wave.id} is already taken by another workflow (${error.workflowType}); nothing of the wave has started. Retry once it is gone, skip the wave with a reason, or cancel the run to undo what was provisioned.`;
      run.step(stepId, 'CUTOVER', `Start of ${wave.id}`);
      run.setStepState(stepId, 'FAILED', { error: { message, type: 'WorkflowExecutionAlreadyStarted', attempts: 1, at: nowIso() } });
      context.operatorDecisionsPending.add(stepId);
      context.refreshStatus();
      await context.notify({ kind: 'STEP_NEEDS_ATTENTION', stepId, message });
    }
  }
  return await runStep(context, stepId, () => startChild(cutoverWaveWorkflow, options));
}

/** Runs one wave as a child workflow and takes in its outcome. */
async function runWave(context: MigrationContext, wave: WaveView): Promise<void> {
  const { run, status } = context;
  const keyedByRun = context.patched(WAVE_IDS_BY_RUN_PATCH);
  const workflowId = keyedByRun ? waveWorkflowId(context.workflowId, wave.id, workflowInfo().firstExecutionRunId) : legacyWaveWorkflowId(context.workflowId, wave.id);
  wave.state = 'RUNNING';
  if (keyedByRun) wave.workflowId = workflowId;
  context.runningWaveWorkflowId = workflowId;
  context.refreshStatus();
  const workloads = waveWorkloads(context, wave);
  const cutoverWindow = waveWindow(context, wave, workloads);
  // In runs recorded before patches-at-start, only a wave that rehearses marks the patch, so that those without rehearsals replay unchanged.
  const rehearsal = waveRehearses(status.plan.settings, wave.id) && context.patched(REHEARSAL_PATCH) ? { deadlineMs: rehearsalDeadlineMs(status.plan.settings) } : undefined;
  const options = {
    workflowId,
    args: [
      {
        parentWorkflowId: context.workflowId,
        waveId: wave.id,
        tenantId: status.resources[stepIds.tenant] ?? '',
        bandwidthMbps: status.plan.settings.bandwidthMbps,
        paused: status.paused,
        tuning: context.tuning,
        workloads,
        ...(cutoverWindow ? { cutoverWindow } : {}),
        ...(rehearsal ? { rehearsal } : {}),
      },
    ] as [WaveInput],
  };
  let result: WaveResult;
  if (keyedByRun) {
    const handle = await startWave(context, wave, options);
    if (!handle) {
      context.runningWaveWorkflowId = undefined;
      wave.state = 'SKIPPED';
      const notStarted = message('WAVE_NOT_STARTED', { waveId: wave.id, workloads: wave.workloadIds.length });
      run.record('WAVE_SKIPPED', `${wave.id}: not started, ${wave.workloadIds.length} workload(s) stay on their sources`, undefined, notStarted);
      context.refreshStatus();
      return;
    }
    result = await handle.result();
  } else {
    result = await executeChild(cutoverWaveWorkflow, options);
  }
  context.runningWaveWorkflowId = undefined;
  context.waveAttention.delete(wave.id);
  run.mergeSteps(result.steps);
  if (result.window) wave.window = result.window;
  if (result.rehearsal) wave.rehearsal = result.rehearsal;
  context.compensations.push(...result.compensations);
  wave.state = 'SUCCEEDED';
  const done = message('WAVE_DONE', { waveId: wave.id, migrated: result.migrated.length, skipped: result.skipped.length });
  run.record('WAVE_DONE', `${wave.id}: ${result.migrated.length} migrated, ${result.skipped.length} skipped`, undefined, done);
  context.refreshStatus();
}

/** Whether any planned wave is still to run (neither succeeded nor skipped). */
export function wavesLeft(context: MigrationContext): boolean {
  return context.status.waves.some((candidate) => candidate.state !== 'SUCCEEDED' && candidate.state !== 'SKIPPED');
}

/** Continues as new, between waves, once the history is long; does nothing otherwise. */
async function continueAsNewIfLong(context: MigrationContext): Promise<void> {
  if (wavesLeft(context) && historyIsLong(context)) await continueAsNewWithState(context);
}

/** The first planned wave not yet done (neither succeeded nor skipped). */
function nextWave(context: MigrationContext): WaveView | undefined {
  return context.status.waves.find((candidate) => candidate.state !== 'SUCCEEDED' && candidate.state !== 'SKIPPED');
}

/**
 * Whether a wave of a run whose gate applies per zone may start now: no OPEN residual risk holds
 * it (its `heldBy` says which do) and each of its workloads may still proceed at the gate, since
 * a derogation may lapse while the wave waits for its owners.
 */
function mayStartNow(context: MigrationContext, wave: WaveView, proceeding: ReadonlySet<string>): boolean {
  return waveMayStart(context, wave) && wave.workloadIds.every((workloadId) => proceeding.has(workloadId));
}

/**
 * Runs every wave not yet done, in order, continuing as new between waves once the history is
 * long. A wave that an OPEN residual risk holds does not start: with `proceeding` (the gate per
 * zone) the waves stop there and the gate's loop looks again at its next change or check;
 * without, the run waits for the risk's acceptance.
 */
async function runPendingWaves(context: MigrationContext, proceeding?: ReadonlySet<string>): Promise<void> {
  for (const wave of context.status.waves) {
    if (wave.state === 'SUCCEEDED' || wave.state === 'SKIPPED') continue;
    await waitWhilePaused(context);
    if (proceeding === undefined) await holdWaveWhileRisksOpen(context, wave);
    else if (!mayStartNow(context, wave, proceeding)) return;
    await runWave(context, wave);
    await continueAsNewIfLong(context);
  }
}

export async function cutover(context: MigrationContext): Promise<void> {
  await checkLandingZonesBeforeCutover(context);
  context.run.setPhase('CUTOVER');
  context.refreshStatus();
  planCutoverWaves(context);
  await runPendingWaves(context);
}

/**
 * Plans waves for workloads that the gate lets through (R9), after the waves already planned
 * (numbering goes on: `wave-4`…), at most {@link MAX_WORKLOADS_PER_WAVE} workloads each; a
 * workload moves after what it relies on, through workloads that stay on site too. Returns the
 * number of workloads planned.
 */
export function planWaveBatch(context: MigrationContext, workloadIds: readonly string[]): number {
  const { status } = context;
  if (workloadIds.length === 0) return 0;
  const plan = status.plan;
  const maxWaveSize = Math.min(plan.settings.maxWaveSize, MAX_WORKLOADS_PER_WAVE);
  const waves = planCutoverWavesOf(plan, status.report!, { workloadIds, firstIndex: status.waves.length + 1, maxWaveSize });
  for (const wave of waves) status.waves.push({ id: wave.id, index: wave.index, workloadIds: [...wave.workloadIds], state: 'PENDING' });
  const count = waves.reduce((sum, wave) => sum + wave.workloadIds.length, 0);
  const capped = maxWaveSize < plan.settings.maxWaveSize ? ` (at most ${maxWaveSize} per wave)` : '';
  const planned = message('WAVES_PLANNED', { waves: waves.length, workloads: count, ...(capped ? { maxWaveSize } : {}) });
  context.run.record('WAVES_PLANNED', `${waves.length} wave(s) over ${count} workload(s)${capped}`, undefined, planned);
  return count;
}

/**
 * Cuts over the waves planned and not yet done: the drift check of zones provisioned since, then
 * the waves. In runs that keep a residual-risk register, nothing happens while the next wave may
 * not start (an OPEN risk holds it, or its zone no longer proceeds at the gate), and the waves
 * stop at the first one that may not: the gate's loop comes back once something changed.
 */
export async function cutoverPlannedWaves(context: MigrationContext, proceeding: ReadonlySet<string>): Promise<void> {
  if (context.riskRegister) {
    const next = nextWave(context);
    if (next === undefined || !mayStartNow(context, next, proceeding)) return;
  }
  await checkLandingZonesBeforeCutover(context);
  context.run.setPhase('CUTOVER');
  context.refreshStatus();
  await runPendingWaves(context, context.riskRegister ? proceeding : undefined);
}
