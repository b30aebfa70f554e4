/**
 * What one cutover wave knows while it runs: its steps and what changed since the last report,
 * what waits for an operator and the decisions forwarded by the run, what was moved or skipped,
 * and what the run must undo should it be cancelled later.
 */
import { condition, getExternalWorkflowHandle, isCancellation, patched, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { MigrationActivities } from '../../activities';
import { type AttentionView, CUTOVER_STEPS, type CutoverStepName, type StepState, stepIds, type StepView } from '../../domain';
import type { WaveInput, WaveResult } from '../cutover-wave';
import { type Compensation, compensationsQuery, waveControlSignal, waveProgressSignal } from '../messages';
import { nowIso } from '../run-state';
import { stepRetryPolicy } from '../tuning';
import { WaveRehearsal } from './rehearsal';
import { CutoverWindowGate } from './window';

/** Patch id: the reporter stops waiting as soon as the wave is finished. */
const WAVE_ENDS_WITHOUT_TRAILING_WAIT = 'wave-ends-without-trailing-wait';
/** Patch id: the wave keeps its freeze → switch sequence inside its cutover window (cutover-wave/window.ts). */
const CUTOVER_WINDOWS = 'cutover-windows';
/** Patch id: the wave rehearses in an isolated test network before any freeze (cutover-wave/rehearsal.ts). */
export const REHEARSAL_PATCH = 'rehearsal';
/**
 * Patch id: the wave sends one report at a time, each after the run has received the one
 * before. Two reports in flight at once (the reporter's and a failed rehearsal's, say) may
 * reach the run in either order, and a stale one then hid the failure and its attention item;
 * waves started before send as they did.
 */
const ORDERED_REPORTS = 'ordered-wave-reports';

/** The activities of a wave: provider calls, and replications that heartbeat for days. */
function waveActivities(input: WaveInput) {
  const { tuning } = input;
  const retry = stepRetryPolicy(tuning);
  return {
    provider: proxyActivities<MigrationActivities>({ startToCloseTimeout: tuning.stepTimeout, retry }),
    replication: proxyActivities<MigrationActivities>({
      startToCloseTimeout: '30 days',
      heartbeatTimeout: tuning.heartbeatTimeout,
      retry,
    }),
  };
}

/** One wave's state, shared by the workloads it moves and by its reporter. */
export class WaveState {
  readonly activities: ReturnType<typeof waveActivities>;
  readonly steps = new Map<string, StepView>();
  readonly changedSteps = new Set<string>();
  readonly attention = new Map<string, AttentionView>();
  readonly decisions = new Map<string, { action: 'retry' | 'skip'; reason?: string }>();
  /** Idempotency generation of each step: a repeated step gets a new one so that the provider acts again. */
  readonly generations: Record<string, number> = {};
  readonly progress = { replicated: new Set<string>(), frozen: new Set<string>(), switched: new Set<string>() };
  readonly migrated: string[] = [];
  readonly skipped: string[] = [];
  readonly compensations: Compensation[] = [];
  paused: boolean;
  /** Whether attention items carry their message code (runs since message codes); see workflows/migration/context.ts. */
  readonly messageCodes: boolean;
  dirty = false;
  finished = false;
  /** The wave's cutover window, when its plan has one (and the wave started after windows held). */
  readonly window: CutoverWindowGate | undefined;
  /** The wave's rehearsal, when its plan makes it rehearse. */
  readonly rehearsal: WaveRehearsal | undefined;
  private readonly parent;
  /** Whether reports go one at a time ({@link ORDERED_REPORTS}). */
  private readonly orderedReports: boolean;
  /** The report being sent, which the next one waits for. */
  private sending: Promise<void> = Promise.resolve();

  constructor(readonly input: WaveInput) {
    this.activities = waveActivities(input);
    this.parent = getExternalWorkflowHandle(input.parentWorkflowId);
    this.paused = input.paused;
    this.window = input.cutoverWindow && patched(CUTOVER_WINDOWS) ? new CutoverWindowGate(this, input.cutoverWindow) : undefined;
    this.messageCodes = patched('message-codes');
    this.orderedReports = patched(ORDERED_REPORTS);
    for (const workload of input.workloads) {
      for (const definition of CUTOVER_STEPS) {
        const id = this.stepId(workload.id, definition.name);
        this.steps.set(id, { id, phase: 'CUTOVER', title: `${workload.name}: ${definition.title}`, state: 'PENDING', workloadId: workload.id, waveId: input.waveId });
        this.changedSteps.add(id);
      }
    }
    this.rehearsal = input.rehearsal && patched(REHEARSAL_PATCH) ? new WaveRehearsal(this, input.rehearsal) : undefined;
  }

  stepId(workloadId: string, name: CutoverStepName): string {
    return stepIds.cutover(this.input.waveId, workloadId, name);
  }

  /** The idempotency key of a step's current generation, under the run's workflow id. */
  keyFor(id: string): string {
    return `${workflowInfo().parent?.workflowId ?? this.input.parentWorkflowId}/${id}/${this.generations[id] ?? 0}`;
  }

  setState(id: string, state: StepState, patch: Partial<StepView> = {}): void {
    const step = this.steps.get(id)!;
    const at = nowIso();
    if (state === 'RUNNING') {
      step.startedAt = at;
      delete step.endedAt;
      delete step.error;
      delete step.skippedReason;
      delete step.note;
    } else if (state !== 'PENDING' && state !== 'WAITING') step.endedAt = at;
    Object.assign(step, patch, { state });
    this.changedSteps.add(id);
    this.dirty = true;
  }

  /** Takes the run's forwarded controls (pause, resume, operators' decisions on failed steps), and answers what the wave would undo. */
  registerControlHandler(): void {
    setHandler(compensationsQuery, () => this.outstandingCompensations());
    setHandler(waveControlSignal, (control) => {
      if (control.action === 'pause') this.paused = true;
      else if (control.action === 'resume') this.paused = false;
      else if (control.action === 'open-window') {
        if (control.window) this.window?.open(control.window);
      }
      else if (control.action === 'rehearsal-decision') {
        if (control.rehearsal) this.rehearsal?.decide(control.rehearsal);
      }
      else if (control.stepId && this.attention.has(control.stepId)) this.decisions.set(control.stepId, { action: control.action, reason: control.reason });
    });
  }

  /**
   * Reports the steps changed since the last report, and what waits for an operator, to the
   * run: after the report already on its way has reached it, so that the run reads them in order.
   */
  async flush(): Promise<void> {
    if (!this.orderedReports) return await this.send();
    const report = this.sending.then(() => this.send());
    this.sending = report.catch(() => undefined);
    await report;
  }

  /** Sends what changed since the last report, built now. */
  private async send(): Promise<void> {
    const changed = [...this.changedSteps].map((id) => ({ ...this.steps.get(id)! }));
    this.changedSteps.clear();
    this.dirty = false;
    const window = this.window?.view ? { window: this.window.view } : {};
    const rehearsal = this.rehearsal ? { rehearsal: this.rehearsal.view } : {};
    await this.parent.signal(waveProgressSignal, { waveId: this.input.waveId, steps: changed, attention: [...this.attention.values()], ...window, ...rehearsal });
  }

  /** Reports changes at most once per progress interval until the wave is finished. */
  async reportUntilFinished(): Promise<void> {
    try {
      while (!this.finished) {
        await condition(() => this.dirty || this.finished);
        if (this.finished) break;
        await this.flush();
        // A wave used to sleep a whole interval after its last report before it could end;
        // runs recorded before this change replay the sleep (the replay tests hold them).
        if (patched(WAVE_ENDS_WITHOUT_TRAILING_WAIT)) await condition(() => this.finished, this.input.tuning.progressInterval);
        else await sleep(this.input.tuning.progressInterval);
      }
    } catch (error) {
      if (!isCancellation(error)) throw error;
    }
  }

  /**
   * What the wave would still undo: the workloads it moved, then those it is moving (a frozen
   * source, traffic switched), oldest first; a clean-up of a closed run reads it (workflows/cleanup.ts).
   */
  outstandingCompensations(): Compensation[] {
    const moving: Compensation[] = [];
    for (const workload of this.input.workloads) {
      if (this.migrated.includes(workload.id)) continue;
      if (this.progress.frozen.has(workload.id)) moving.push({ kind: 'unfreeze', stepId: this.stepId(workload.id, 'freeze'), workloadId: workload.id });
      if (this.progress.switched.has(workload.id)) moving.push({ kind: 'switch-back', stepId: this.stepId(workload.id, 'switch'), workloadId: workload.id });
    }
    return [...this.compensations, ...moving];
  }

  result(): WaveResult {
    const window = this.window?.view ? { window: this.window.view } : {};
    const rehearsal = this.rehearsal ? { rehearsal: this.rehearsal.view } : {};
    return { ...rehearsal, waveId: this.input.waveId, steps: [...this.steps.values()], migrated: this.migrated, skipped: this.skipped, compensations: this.compensations, ...window };
  }
}
