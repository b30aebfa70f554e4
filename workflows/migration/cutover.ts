/**
 * CUTOVER: waves from the dependency graph, each a child workflow (cutover-wave.ts) that moves
 * its workloads and reports its steps. Between waves the run continues as new when its history
 * grows long, carrying its status and what to undo.
 */
import { executeChild, setHandler } from '@temporalio/workflow';
import { planWaves, stepIds, type WaveView, waveWorkflowId } from '../../domain';
import { cutoverWaveWorkflow, type WaveWorkload } from '../cutover-wave';
import { waveProgressSignal } from '../messages';
import type { MigrationContext } from './context';
import { continueAsNewWithState, historyIsLong } from './continuation';
import { checkLandingZonesBeforeCutover } from './drift';
import { waitWhilePaused } from './operator';

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
  context.run.record('WAVES_PLANNED', `${status.waves.length} wave(s) over ${status.waves.reduce((sum, wave) => sum + wave.workloadIds.length, 0)} workload(s)${capped}`);
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

/** Runs one wave as a child workflow and takes in its outcome. */
async function runWave(context: MigrationContext, wave: WaveView): Promise<void> {
  const { run, status } = context;
  wave.state = 'RUNNING';
  context.runningWaveWorkflowId = waveWorkflowId(context.workflowId, wave.id);
  context.refreshStatus();
  const result = await executeChild(cutoverWaveWorkflow, {
    workflowId: context.runningWaveWorkflowId,
    args: [
      {
        parentWorkflowId: context.workflowId,
        waveId: wave.id,
        tenantId: status.resources[stepIds.tenant] ?? '',
        bandwidthMbps: status.plan.settings.bandwidthMbps,
        paused: status.paused,
        tuning: context.tuning,
        workloads: waveWorkloads(context, wave),
      },
    ],
  });
  context.runningWaveWorkflowId = undefined;
  context.waveAttention.delete(wave.id);
  run.mergeSteps(result.steps);
  context.compensations.push(...result.compensations);
  wave.state = 'SUCCEEDED';
  run.record('WAVE_DONE', `${wave.id}: ${result.migrated.length} migrated, ${result.skipped.length} skipped`);
  context.refreshStatus();
}

/** Continues as new, between waves, once the history is long; does nothing otherwise. */
async function continueAsNewIfLong(context: MigrationContext): Promise<void> {
  const wavesLeft = context.status.waves.some((candidate) => candidate.state !== 'SUCCEEDED');
  if (wavesLeft && historyIsLong(context)) await continueAsNewWithState(context);
}

export async function cutover(context: MigrationContext): Promise<void> {
  await checkLandingZonesBeforeCutover(context);
  context.run.setPhase('CUTOVER');
  context.refreshStatus();
  planCutoverWaves(context);
  for (const wave of context.status.waves) {
    if (wave.state === 'SUCCEEDED') continue;
    await waitWhilePaused(context);
    await runWave(context, wave);
    await continueAsNewIfLong(context);
  }
}
