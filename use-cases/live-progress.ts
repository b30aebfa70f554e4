import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { legacyWaveWorkflowId, type MigrationOverview, type MigrationStatus, type ProgressCounts, percentOfTally, runPercentComplete, runPercentOfPhase, stepIds, type WaveView } from '../domain';

/** What a running replication heartbeats (activities/index.ts, `replicateWorkload`). */
export interface ReplicationHeartbeat {
  workloadId: string;
  /** 0..1 */
  progress: number;
}

function isReplicationHeartbeat(value: unknown): value is ReplicationHeartbeat {
  const candidate = value as Partial<ReplicationHeartbeat> | null;
  return typeof candidate?.workloadId === 'string' && typeof candidate.progress === 'number' && Number.isFinite(candidate.progress);
}

/** Reads the heartbeat progress of every replication the wave's workflow runs now, by step id. */
async function readWaveProgress(client: Client, runWorkflowId: string, wave: Pick<WaveView, 'id' | 'workflowId'>): Promise<Map<string, number>> {
  const progress = new Map<string, number>();
  const waveId = wave.id;
  const workflowId = wave.workflowId ?? legacyWaveWorkflowId(runWorkflowId, waveId);
  let description: Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['describe']>>;
  try {
    description = await client.workflow.getHandle(workflowId).describe();
  } catch (error) {
    // The wave may not have started yet, or may already be gone from a short retention.
    if (error instanceof WorkflowNotFoundError) return progress;
    throw error;
  }
  for (const activity of description.raw.pendingActivities ?? []) {
    const payloads = activity.heartbeatDetails?.payloads;
    if (!payloads || payloads.length === 0) continue;
    const details = await decodeFromPayloadsAtIndex<unknown>(client.options.loadedDataConverter, 0, payloads, {
      type: 'activity',
      namespace: client.options.namespace,
      workflowId,
      ...(activity.activityId ? { activityId: activity.activityId } : {}),
      isLocal: false,
    });
    if (!isReplicationHeartbeat(details)) continue;
    progress.set(stepIds.cutover(waveId, details.workloadId, 'replicate'), Math.min(1, Math.max(0, details.progress)));
  }
  return progress;
}

/**
 * The status with live replication progress: a replication heartbeats its progress to its wave's
 * workflow, not to the run, so the run's status alone says only RUNNING. For each RUNNING wave,
 * this reads the wave workflow's pending activities and fills `progress` on the matching RUNNING
 * `cutover.<wave>.<workload>.replicate` steps, and percent complete with it. Returns a new
 * status; the one given is not changed.
 */
export async function readLiveProgress(client: Client, status: MigrationStatus): Promise<MigrationStatus> {
  const runningWaves = status.waves.filter((wave) => wave.state === 'RUNNING');
  if (runningWaves.length === 0) return status;
  const byStep = new Map<string, number>();
  for (const waveProgress of await Promise.all(runningWaves.map((wave) => readWaveProgress(client, status.workflowId, wave)))) {
    for (const [stepId, progress] of waveProgress) byStep.set(stepId, progress);
  }
  if (byStep.size === 0) return status;
  const steps = status.steps.map((step) => {
    const progress = byStep.get(step.id);
    return progress !== undefined && step.state === 'RUNNING' ? { ...step, progress } : step;
  });
  const live = { ...status, steps };
  return { ...live, percentComplete: Math.max(status.percentComplete, runPercentComplete(live)) };
}

/**
 * The overview with live replication progress: for each running wave it details, the heartbeat
 * fractions of its replications count in the wave's bar, the cutover phase's bar and the run's
 * percentage. Reads at most the overview's active waves, whatever the estate's size. Returns a
 * new overview; the one given is not changed.
 */
export async function readLiveOverview(client: Client, overview: MigrationOverview): Promise<MigrationOverview> {
  const runningWaves = overview.waves.active.filter((wave) => wave.state === 'RUNNING');
  if (runningWaves.length === 0) return overview;
  const replicated = await Promise.all(
    runningWaves.map(async (wave) => [wave.id, [...(await readWaveProgress(client, overview.workflowId, wave)).values()].reduce((sum, fraction) => sum + fraction, 0)] as const),
  );
  const extraByWave = new Map(replicated.filter(([, extra]) => extra > 0));
  if (extraByWave.size === 0) return overview;
  const extra = [...extraByWave.values()].reduce((sum, value) => sum + value, 0);
  const settled = (counts: ProgressCounts) => counts.byState.SUCCEEDED + counts.byState.SKIPPED;
  const withExtra = <Counts extends ProgressCounts>(counts: Counts, added: number): Counts => {
    const completed = counts.completed + added;
    return { ...counts, completed, percent: Math.max(counts.percent, percentOfTally(completed, settled(counts), counts.total)) };
  };
  const cutover = overview.phases.find((phase) => phase.phase === 'CUTOVER');
  const percentComplete =
    overview.phase === 'CUTOVER' && cutover
      ? Math.max(overview.percentComplete, runPercentOfPhase(overview, { completed: cutover.completed + extra, total: Math.max(cutover.total, overview.cutoverPlannedSteps) }))
      : overview.percentComplete;
  return {
    ...overview,
    percentComplete,
    phases: overview.phases.map((phase) => (phase.phase === 'CUTOVER' ? withExtra(phase, extra) : phase)),
    waves: { ...overview.waves, active: overview.waves.active.map((wave) => withExtra(wave, extraByWave.get(wave.id) ?? 0)) },
  };
}
